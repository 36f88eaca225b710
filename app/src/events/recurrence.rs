//! Repeating events: an RFC 5545 recurrence rule (`FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1TU`)
//! expanded by the `rrule` crate in the event's time zone, so that each occurrence keeps its
//! local time across daylight-saving changes, with single occurrences cancelled or moved.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rrule::{Frequency, RRule, RRuleSet, Unvalidated};

use super::timing::{self, Local, Span};
use super::TimeZoneName;

/// Most occurrences a rule may give in all; a rule without an end repeats for ever and is
/// expanded a window at a time.
pub const MAX_OCCURRENCES: u16 = 1000;

/// What happened to one occurrence of a repeating event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Change {
    /// It will not take place (iCalendar EXDATE).
    Cancelled,
    /// It takes place at another time (an override with RECURRENCE-ID).
    Moved(Span),
}

/// One occurrence cancelled or moved, named by its original local start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Exception {
    pub occurrence: Local,
    pub change: Change,
}

/// When an event happens: its first occurrence, its zone, its rule (if it repeats) and the
/// occurrences cancelled or moved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub zone: TimeZoneName,
    pub first: Span,
    pub rule: Option<String>,
    pub exceptions: Vec<Exception>,
}

/// One occurrence as it now stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Planned {
    pub span: Span,
    /// When it was moved, its original start.
    pub moved_from: Option<Local>,
    /// Whether this occurrence alone was cancelled.
    pub cancelled: bool,
}

/// Checks a rule as written for an event starting at `start`, returning it as stored: upper
/// case, without `RRULE:`. The message says what is wrong in words an author can act on.
pub fn check_rule(text: &str, start: Local, zone: TimeZoneName) -> Result<String, String> {
    let text = text.trim();
    let text = match text.get(..6) {
        Some(prefix) if prefix.eq_ignore_ascii_case("RRULE:") => &text[6..],
        _ => text,
    }
    .trim()
    .to_ascii_uppercase();
    if text.contains(':') || text.contains('\n') {
        return Err(
            "write the rule alone, like FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1TU (the start comes from `start`)"
                .into(),
        );
    }
    let rule: RRule<Unvalidated> = text.parse().map_err(|e| rule_error(&e))?;
    if !matches!(
        rule.get_freq(),
        Frequency::Daily | Frequency::Weekly | Frequency::Monthly | Frequency::Yearly
    ) {
        return Err(
            "events repeat at most daily: FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY".into(),
        );
    }
    if !rule.get_by_hour().is_empty()
        || !rule.get_by_minute().is_empty()
        || !rule.get_by_second().is_empty()
    {
        return Err(
            "BYHOUR, BYMINUTE and BYSECOND are not used: an event repeats at the time it starts"
                .into(),
        );
    }
    if rule
        .get_count()
        .is_some_and(|c| c > u32::from(MAX_OCCURRENCES))
    {
        return Err(format!("COUNT can be at most {MAX_OCCURRENCES}"));
    }
    if start.is_date() && rule.get_until().is_some() {
        return Err("an all-day event's rule ends with COUNT, not UNTIL".into());
    }
    let set = rule
        .build(rule_start(zone, start)?)
        .map_err(|e| rule_error(&e))?;
    let first = set.clone().all(1);
    if first.dates.first().map(|d| local_of(start, d)) != Some(start) {
        return Err(format!(
            "the start, {}, is not one of the dates this rule gives: start the event on the first of them",
            start.text()
        ));
    }
    if rule_has_end(&text) && set.all(MAX_OCCURRENCES).limited {
        return Err(format!(
            "the rule gives more than {MAX_OCCURRENCES} occurrences"
        ));
    }
    Ok(text)
}

/// Whether a stored rule ends (COUNT or UNTIL); one that does not repeats for ever.
fn rule_has_end(rule: &str) -> bool {
    rule.split(';')
        .any(|part| part.starts_with("COUNT=") || part.starts_with("UNTIL="))
}

fn rule_error(e: &rrule::RRuleError) -> String {
    match e {
        rrule::RRuleError::ParserError(e) => format!("not a rule RFC 5545 allows: {e}"),
        rrule::RRuleError::ValidationError(e) => format!("not a rule RFC 5545 allows: {e}"),
        other => format!("not a rule RFC 5545 allows: {other}"),
    }
}

/// Where the rule is expanded from: the local start in the zone, so occurrences keep their
/// wall-clock time; an all-day event's dates in UTC, where no day is shorter than another.
fn rule_start(zone: TimeZoneName, start: Local) -> Result<DateTime<rrule::Tz>, String> {
    match start {
        Local::Date(d) => {
            Ok(rrule::Tz::UTC.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default()))
        }
        Local::DateTime(_) => {
            let at = timing::instant(zone, start)?;
            Ok(at.with_timezone(&rrule::Tz::Tz(zone.tz())))
        }
    }
}

/// An occurrence the rule gives, as a local point of the same kind as the start.
fn local_of(start: Local, at: &DateTime<rrule::Tz>) -> Local {
    match start {
        Local::Date(_) => Local::Date(at.date_naive()),
        Local::DateTime(_) => Local::DateTime(at.naive_local()),
    }
}

impl Schedule {
    fn set(&self, rule: &str) -> Result<RRuleSet, String> {
        let rule: RRule<Unvalidated> = rule.parse().map_err(|e| rule_error(&e))?;
        rule.build(rule_start(self.zone, self.first.start)?)
            .map_err(|e| rule_error(&e))
    }

    /// The original starts the rule gives from `from` to `to` (both included), at most `limit`;
    /// `true` when there were more.
    fn starts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u16,
    ) -> Result<(Vec<Local>, bool), String> {
        let Some(rule) = &self.rule else {
            let at = timing::instant(self.zone, self.first.start)?;
            let inside = at >= from && at <= to;
            return Ok((
                inside.then_some(self.first.start).into_iter().collect(),
                false,
            ));
        };
        let tz = rrule::Tz::UTC;
        let result = self
            .set(rule)?
            .after(from.with_timezone(&tz))
            .before(to.with_timezone(&tz))
            .all(limit);
        let starts = result
            .dates
            .iter()
            .map(|d| local_of(self.first.start, d))
            .collect();
        Ok((starts, result.limited))
    }

    /// Whether `at` is the start of an occurrence the rule gives (cancelled and moved ones
    /// included): exceptions must name one.
    pub fn gives(&self, at: Local) -> Result<bool, String> {
        if at.is_date() != self.first.start.is_date() {
            return Ok(false);
        }
        let instant = timing::instant(self.zone, at)?;
        let (starts, _) = self.starts(instant, instant, 2)?;
        Ok(starts.contains(&at))
    }

    fn exception(&self, at: Local) -> Option<Change> {
        self.exceptions
            .iter()
            .find(|e| e.occurrence == at)
            .map(|e| e.change)
    }

    /// The occurrences that overlap `from`..`to`, in order of their (possibly moved) start, at
    /// most `limit`; `true` when there were more.
    pub fn between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> Result<(Vec<Planned>, bool), String> {
        let length = self.first.length() + Duration::days(1);
        let cap = u16::try_from(limit + 1).unwrap_or(u16::MAX);
        let (starts, mut more) = self.starts(from - length, to, cap)?;
        let mut found = Vec::new();
        for start in starts {
            let planned = match self.exception(start) {
                // Shown at its new time, if that falls in the window.
                Some(Change::Moved(_)) => continue,
                Some(Change::Cancelled) => Planned {
                    span: self.first.moved_to(start),
                    moved_from: None,
                    cancelled: true,
                },
                None => Planned {
                    span: self.first.moved_to(start),
                    moved_from: None,
                    cancelled: false,
                },
            };
            found.push(planned);
        }
        for e in &self.exceptions {
            if let Change::Moved(span) = e.change {
                found.push(Planned {
                    span,
                    moved_from: Some(e.occurrence),
                    cancelled: false,
                });
            }
        }
        let mut inside = Vec::new();
        for p in found {
            let (start, end) = timing::instants(self.zone, p.span)?;
            if start < to && end > from {
                inside.push((start, p));
            }
        }
        inside.sort_by_key(|(start, _)| *start);
        if inside.len() > limit {
            inside.truncate(limit);
            more = true;
        }
        Ok((inside.into_iter().map(|(_, p)| p).collect(), more))
    }

    /// The instants the first occurrence starts and the last one ends (`None`: it repeats for
    /// ever), moved occurrences included.
    pub fn bounds(&self) -> Result<(DateTime<Utc>, Option<DateTime<Utc>>), String> {
        let (first_start, first_end) = timing::instants(self.zone, self.first)?;
        let mut start = first_start;
        let mut end = Some(first_end);
        if let Some(rule) = &self.rule {
            end = if rule_has_end(rule) {
                let far = Utc
                    .with_ymd_and_hms(9000, 1, 1, 0, 0, 0)
                    .single()
                    .unwrap_or_default();
                let (starts, _) = self.starts(first_start, far, MAX_OCCURRENCES)?;
                let last = starts.last().copied().unwrap_or(self.first.start);
                Some(timing::instants(self.zone, self.first.moved_to(last))?.1)
            } else {
                None
            };
        }
        for e in &self.exceptions {
            if let Change::Moved(span) = e.change {
                let (s, e) = timing::instants(self.zone, span)?;
                start = start.min(s);
                end = end.map(|end| end.max(e));
            }
        }
        Ok((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(text: &str) -> Local {
        Local::parse(text).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        timing::parse_stored(text).unwrap()
    }

    fn quarterly() -> Schedule {
        Schedule {
            zone: TimeZoneName::EuropeLondon,
            first: Span {
                start: local("2026-01-06T10:00"),
                end: local("2026-01-06T12:00"),
            },
            rule: Some(
                check_rule(
                    "rrule:freq=yearly;bymonth=1,4,7,10;byday=1tu",
                    local("2026-01-06T10:00"),
                    TimeZoneName::EuropeLondon,
                )
                .unwrap(),
            ),
            exceptions: vec![
                Exception {
                    occurrence: local("2026-04-07T10:00"),
                    change: Change::Cancelled,
                },
                Exception {
                    occurrence: local("2026-07-07T10:00"),
                    change: Change::Moved(Span {
                        start: local("2026-07-14T14:00"),
                        end: local("2026-07-14T16:00"),
                    }),
                },
            ],
        }
    }

    #[test]
    fn a_quarterly_meeting_keeps_its_local_time_and_its_exceptions() {
        let s = quarterly();
        assert_eq!(
            s.rule.as_deref(),
            Some("FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1TU")
        );
        let (found, more) = s
            .between(at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"), 10)
            .unwrap();
        assert!(!more);
        let starts: Vec<(String, bool, Option<String>)> = found
            .iter()
            .map(|p| {
                (
                    p.span.start.to_string(),
                    p.cancelled,
                    p.moved_from.map(|m| m.to_string()),
                )
            })
            .collect();
        assert_eq!(
            starts,
            [
                ("2026-01-06T10:00".to_owned(), false, None),
                ("2026-04-07T10:00".to_owned(), true, None),
                (
                    "2026-07-14T14:00".to_owned(),
                    false,
                    Some("2026-07-07T10:00".to_owned())
                ),
                ("2026-10-06T10:00".to_owned(), false, None),
            ]
        );
        assert!(s.gives(local("2026-10-06T10:00")).unwrap());
        assert!(!s.gives(local("2026-10-13T10:00")).unwrap());
        assert!(!s.gives(local("2026-10-06T11:00")).unwrap());
        let (start, end) = s.bounds().unwrap();
        assert_eq!(timing::stored(start), "2026-01-06T10:00:00Z");
        assert_eq!(end, None, "no COUNT or UNTIL: for ever");
    }

    #[test]
    fn rules_are_checked_in_words_an_author_can_act_on() {
        let zone = TimeZoneName::EuropeLondon;
        let ten = local("2026-01-06T10:00");
        assert!(check_rule("FREQ=HOURLY", ten, zone)
            .unwrap_err()
            .contains("at most daily"));
        assert!(check_rule("FREQ=FORTNIGHTLY", ten, zone)
            .unwrap_err()
            .contains("RFC 5545"));
        assert!(check_rule("FREQ=WEEKLY;BYDAY=WE", ten, zone)
            .unwrap_err()
            .contains("is not one of the dates"));
        assert!(check_rule("DTSTART:20260106T100000\nRRULE:FREQ=DAILY", ten, zone).is_err());
        assert!(check_rule("FREQ=DAILY;COUNT=5000", ten, zone)
            .unwrap_err()
            .contains("at most"));
        assert!(
            check_rule("FREQ=DAILY;UNTIL=20260110", local("2026-01-06"), zone)
                .unwrap_err()
                .contains("COUNT")
        );
        let weekly = check_rule("FREQ=WEEKLY;COUNT=3", ten, zone).unwrap();
        let s = Schedule {
            zone,
            first: Span {
                start: ten,
                end: local("2026-01-06T11:00"),
            },
            rule: Some(weekly),
            exceptions: vec![],
        };
        let (_, end) = s.bounds().unwrap();
        assert_eq!(
            end.map(timing::stored).as_deref(),
            Some("2026-01-20T11:00:00Z")
        );
    }
}
