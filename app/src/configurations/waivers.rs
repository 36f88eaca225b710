//! Waivers of the rules an organisation's access-management configuration fails. A publisher
//! of the organisation accepts a failing rule for a while, with a justification and a last day
//! at most [`MAX_WAIVER_DAYS`] ahead; the scorecard then shows the rule as waived (not as a
//! failing `must`), until the waiver is withdrawn or its last day passes, when the rule fails
//! again by itself. Nothing runs to end a waiver: each page judges it against the portal's
//! clock. Waivers are never deleted, so the organisation keeps their history.
//!
//! This module owns the `waivers` table and what a waiver is; the page that grants and
//! withdraws them (`pages::waivers`) checks, against the configuration as its publishers see
//! it, that the rule fails.

use serde::{Deserialize, Serialize};

use crate::access::present::WaiverNote;
use crate::access::Rule;
use crate::components::form::FormError;
use crate::dates::Date;
use crate::limits::{MAX_JUSTIFICATION_CHARS, MAX_WAIVER_DAYS};

/// A waiver as stored, with the names of the people who granted and withdrew it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiver {
    pub id: i64,
    /// The rule's code, such as `MFA-01`.
    pub rule: String,
    pub justification: String,
    /// The last day it holds.
    pub until: Date,
    /// Who granted it, and when.
    pub by: String,
    pub granted_on: Date,
    /// Who withdrew it, and when, if anyone did.
    pub withdrawn: Option<(String, Date)>,
}

/// Where a waiver stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WaiverState {
    /// The rule counts as waived.
    InForce,
    /// Its last day has passed: the rule fails again.
    Lapsed,
    /// A publisher withdrew it: the rule fails again.
    Withdrawn,
}

impl WaiverState {
    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            WaiverState::InForce => "In force",
            WaiverState::Lapsed => "Lapsed",
            WaiverState::Withdrawn => "Withdrawn",
        }
    }
}

impl Waiver {
    /// Where it stands on `today`: in force up to and including its last day.
    pub fn state(&self, today: Date) -> WaiverState {
        if self.withdrawn.is_some() {
            WaiverState::Withdrawn
        } else if self.until < today {
            WaiverState::Lapsed
        } else {
            WaiverState::InForce
        }
    }

    /// How the scorecard shows it on `today`; nothing once withdrawn.
    pub fn note(&self, today: Date) -> Option<WaiverNote> {
        let lapsed = match self.state(today) {
            WaiverState::Withdrawn => return None,
            WaiverState::Lapsed => true,
            WaiverState::InForce => false,
        };
        Some(WaiverNote {
            until: self.until,
            by: self.by.clone(),
            justification: self.justification.clone(),
            lapsed,
        })
    }
}

/// The newest waiver of each rule that was not withdrawn, as the scorecard shows it on `today`.
/// Waivers come newest first.
pub fn newest_note(waivers: &[Waiver], rule: &str, today: Date) -> Option<WaiverNote> {
    waivers
        .iter()
        .filter(|w| w.rule == rule && w.withdrawn.is_none())
        .find_map(|w| w.note(today))
}

/// The waiver form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverForm {
    /// The rule's code.
    #[serde(default)]
    pub rule: String,
    #[serde(default)]
    pub justification: String,
    /// The last day, `YYYY-MM-DD`.
    #[serde(default)]
    pub until: String,
}

/// A waiver to grant, read from the form.
#[derive(Clone)]
pub struct NewWaiver {
    pub rule: &'static Rule,
    pub justification: String,
    pub until: Date,
}

/// Reads the form on `today`: a rule of the catalogue, a justification of at most
/// [`MAX_JUSTIFICATION_CHARS`] characters, and a last day after today and at most
/// [`MAX_WAIVER_DAYS`] days ahead. Each problem names its field (the form's ids).
pub fn read_form(form: &WaiverForm, today: Date) -> Result<NewWaiver, Vec<FormError>> {
    let mut errors = Vec::new();
    let rule = Rule::find(form.rule.trim());
    if rule.is_none() {
        errors.push(FormError::new(
            "waiver-rule",
            "Choose the failing rule to waive",
        ));
    }
    let justification = form.justification.trim().to_owned();
    if justification.is_empty() {
        errors.push(FormError::new(
            "waiver-justification",
            "Enter why the rule is waived, and what makes up for it meanwhile",
        ));
    } else if let Some(m) =
        crate::limits::too_long("The justification", &justification, MAX_JUSTIFICATION_CHARS)
    {
        errors.push(FormError::new("waiver-justification", m));
    }
    let latest = today.plus_days(MAX_WAIVER_DAYS);
    let until = match Date::parse(&form.until) {
        _ if form.until.trim().is_empty() => {
            errors.push(FormError::new(
                "waiver-until",
                format!("Enter the last day the waiver holds, as YYYY-MM-DD, like {latest}"),
            ));
            None
        }
        Err(m) => {
            errors.push(FormError::new("waiver-until", format!("Last day: {m}")));
            None
        }
        Ok(d) if d <= today => {
            errors.push(FormError::new(
                "waiver-until",
                format!("The last day must be after today ({today})"),
            ));
            None
        }
        Ok(d) if d > latest => {
            errors.push(FormError::new(
                "waiver-until",
                format!(
                    "The last day can be at most {MAX_WAIVER_DAYS} days ahead, {latest} at the latest: a waiver is looked at again within a year"
                ),
            ));
            None
        }
        Ok(d) => Some(d),
    };
    match (rule, until) {
        (Some(rule), Some(until)) if errors.is_empty() => Ok(NewWaiver {
            rule,
            justification,
            until,
        }),
        _ => Err(errors),
    }
}

#[cfg(feature = "ssr")]
pub use store::*;

/// The `waivers` table.
#[cfg(feature = "ssr")]
mod store {
    use super::{NewWaiver, Waiver};
    use crate::dates::Date;
    use crate::db::{Change, Db, Entity, Recorder};
    use crate::error::{AppError, AppResult};

    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        org_id: i64,
        rule_code: String,
        justification: String,
        expires_on: Date,
        created_at: String,
        granted_by: String,
        withdrawn_at: Option<String>,
        withdrawn_by: Option<String>,
    }

    const SELECT: &str = "SELECT w.id, w.org_id, w.rule_code, w.justification, w.expires_on, w.created_at, \
         g.name AS granted_by, w.withdrawn_at, x.name AS withdrawn_by \
         FROM waivers w JOIN users g ON g.id = w.created_by LEFT JOIN users x ON x.id = w.withdrawn_by";

    fn waiver(row: Row) -> AppResult<(i64, Waiver)> {
        let date = |t: &str| Date::of_timestamp(t).map_err(|_| AppError::Unreadable);
        let withdrawn = match row.withdrawn_at {
            Some(at) => Some((row.withdrawn_by.unwrap_or_default(), date(&at)?)),
            None => None,
        };
        Ok((
            row.org_id,
            Waiver {
                id: row.id,
                rule: row.rule_code,
                justification: row.justification,
                until: row.expires_on,
                by: row.granted_by,
                granted_on: date(&row.created_at)?,
                withdrawn,
            },
        ))
    }

    /// Every waiver of an organisation, newest first.
    pub async fn for_org(db: &Db, org_id: i64) -> AppResult<Vec<Waiver>> {
        let rows: Vec<Row> =
            sqlx::query_as(&format!("{SELECT} WHERE w.org_id = $1 ORDER BY w.id DESC"))
                .bind(org_id)
                .fetch_all(db.pool())
                .await?;
        rows.into_iter()
            .map(|r| waiver(r).map(|(_, w)| w))
            .collect()
    }

    /// One waiver and its organisation.
    pub async fn find(db: &Db, id: i64) -> AppResult<Option<(i64, Waiver)>> {
        let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE w.id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
        row.map(waiver).transpose()
    }

    /// Stores a waiver granted by `user_id`. The caller records the returned change.
    pub async fn insert(
        rec: &mut Recorder,
        org_id: i64,
        user_id: i64,
        waiver: &NewWaiver,
    ) -> Result<(i64, Change), sqlx::Error> {
        let at = rec.at().to_owned();
        let row = sqlx::query(
            "INSERT INTO waivers (org_id, rule_code, justification, expires_on, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(org_id)
        .bind(waiver.rule.code)
        .bind(&waiver.justification)
        .bind(waiver.until)
        .bind(user_id)
        .bind(&at)
        .fetch_one(&mut **rec.tx())
        .await?;
        let id: i64 = sqlx::Row::try_get(&row, "id")?;
        Ok((id, Change::upsert(Entity::Waiver, id, Some(org_id))))
    }

    /// Marks a waiver withdrawn by `user_id`, unless it already was (`None` then). The caller
    /// records the returned change.
    pub async fn withdraw(
        rec: &mut Recorder,
        id: i64,
        org_id: i64,
        user_id: i64,
    ) -> Result<Option<Change>, sqlx::Error> {
        let at = rec.at().to_owned();
        let done = sqlx::query(
            "UPDATE waivers SET withdrawn_at = $1, withdrawn_by = $2 WHERE id = $3 AND withdrawn_at IS NULL",
        )
        .bind(&at)
        .bind(user_id)
        .bind(id)
        .execute(&mut **rec.tx())
        .await?;
        Ok((done.rows_affected() == 1).then(|| Change::upsert(Entity::Waiver, id, Some(org_id))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn form(rule: &str, justification: &str, until: &str) -> WaiverForm {
        WaiverForm {
            rule: rule.into(),
            justification: justification.into(),
            until: until.into(),
        }
    }

    fn fields(errors: &[FormError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_waiver_needs_a_rule_a_justification_and_a_last_day_within_a_year() {
        let today = d("2026-03-15");
        let ok = read_form(
            &form("MFA-01", "  Supplier VPN replaced in May. ", "2026-06-30"),
            today,
        )
        .unwrap();
        assert_eq!(ok.rule.code, "MFA-01");
        assert_eq!(ok.justification, "Supplier VPN replaced in May.");
        assert_eq!(ok.until, d("2026-06-30"));
        assert!(
            read_form(&form("MFA-01", "x", "2027-03-15"), today).is_ok(),
            "365 days ahead"
        );

        let e = read_form(&form("XX-99", "", ""), today)
            .err()
            .expect("refused");
        assert_eq!(
            fields(&e),
            ["waiver-rule", "waiver-justification", "waiver-until"]
        );
        let e = read_form(&form("MFA-01", "x", "2026-03-15"), today)
            .err()
            .expect("refused");
        assert!(e[0].message.contains("after today (2026-03-15)"), "{e:?}");
        let e = read_form(&form("MFA-01", "x", "2027-03-16"), today)
            .err()
            .expect("refused");
        assert!(e[0].message.contains("2027-03-15 at the latest"), "{e:?}");
        let e = read_form(&form("MFA-01", "x", "2026-02-30"), today)
            .err()
            .expect("refused");
        assert!(e[0].message.contains("not a real date"), "{e:?}");
        let long = "x".repeat(MAX_JUSTIFICATION_CHARS + 1);
        let e = read_form(&form("MFA-01", &long, "2026-06-30"), today)
            .err()
            .expect("refused");
        assert_eq!(fields(&e), ["waiver-justification"]);
    }

    #[test]
    fn a_waiver_holds_through_its_last_day_then_lapses_and_a_withdrawn_one_shows_nothing() {
        let mut w = Waiver {
            id: 1,
            rule: "MFA-01".into(),
            justification: "Because".into(),
            until: d("2026-06-30"),
            by: "Morag".into(),
            granted_on: d("2026-03-15"),
            withdrawn: None,
        };
        assert_eq!(w.state(d("2026-06-30")), WaiverState::InForce);
        assert!(!w.note(d("2026-06-30")).unwrap().lapsed);
        assert_eq!(w.state(d("2026-07-01")), WaiverState::Lapsed);
        assert!(w.note(d("2026-07-01")).unwrap().lapsed);
        let older = Waiver {
            id: 0,
            until: d("2026-12-31"),
            ..w.clone()
        };
        w.withdrawn = Some(("Morag".into(), d("2026-04-01")));
        assert_eq!(w.state(d("2026-04-02")), WaiverState::Withdrawn);
        assert_eq!(w.note(d("2026-04-02")), None);
        // Newest first: the withdrawn one is skipped, the one before it counts.
        let note = newest_note(&[w, older], "MFA-01", d("2026-04-02")).unwrap();
        assert_eq!(note.until, d("2026-12-31"));
        assert_eq!(newest_note(&[], "MFA-01", d("2026-04-02")), None);
    }
}
