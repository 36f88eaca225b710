//! Deployment plan milestones as events. Each milestone of a plan's approved revision is an
//! all-day event on its forecast date, run by the plan's organisation, visible as the plan is,
//! linked to the plan. They follow the plan: when a revision is approved (or imported as
//! published) the plan's milestone events are created, changed (raising their sequence, so
//! calendars move them) or removed in the same transaction; when the plan is archived they are
//! removed. Nobody edits them by hand.
//!
//! A milestone is known by its phase and name: renaming one makes a new event and removes the
//! old. A slipped milestone (`Milestone::slipped`: marked so, or forecast later than the
//! baseline and not done) says so in its title and description.

use super::store::{self, EventFields, Origin, StoredEvent};
use super::validate::{check_fields, EventInput};
use super::{EventKind, EventStatus};
use crate::db::{Action, Event, Recorder};
use crate::documents::hooks::{HookFuture, ReadersChanged, ReadersSee};
use crate::kind::Kind;
use crate::plans::fields::{Milestone, MilestoneStatus};
use crate::plans::{PlanFields, Plans};

/// The hook `documents` calls when readers' view of a document changes (see
/// `documents::hooks`); it acts on deployment plans only.
pub fn follow_plan<'a>(rec: &'a mut Recorder, change: ReadersChanged<'a>) -> HookFuture<'a> {
    Box::pin(follow(rec, change))
}

/// A problem that stops the approval: logged, and the approval rolled back.
fn fault(plan_id: i64, problem: impl std::fmt::Display) -> sqlx::Error {
    tracing::error!(plan = plan_id, "milestone events: {problem}");
    sqlx::Error::Protocol(format!(
        "the milestone events of plan {plan_id} could not be made"
    ))
}

async fn follow(rec: &mut Recorder, change: ReadersChanged<'_>) -> Result<(), sqlx::Error> {
    if change.kind.code() != Plans::NAMES.code {
        return Ok(());
    }
    let plan_id = change.document_id;
    let wanted = match change.now {
        ReadersSee::Approved(text) => {
            let fields: PlanFields =
                serde_json::from_value(text.fields.clone()).map_err(|e| fault(plan_id, e))?;
            milestone_events(&change, &text.title, text.visibility, &fields)
                .map_err(|m| fault(plan_id, m))?
        }
        ReadersSee::Nothing => Vec::new(),
    };
    let existing = store::milestones_of(rec, plan_id)
        .await
        .map_err(|e| fault(plan_id, e))?;
    let target = crate::events::model::event_href;
    for (key, fields) in &wanted {
        let previous = existing
            .iter()
            .find(|e| e.milestone.as_deref() == Some(key));
        if previous.is_some_and(|p| &p.fields == fields) {
            continue;
        }
        let slug = milestone_slug(rec, plan_id, key, previous).await?;
        let origin = Origin {
            slug: &slug,
            milestone: Some(key),
        };
        let (id, saved) = store::save(rec, origin, fields, previous).await?;
        rec.record(Event {
            action: if previous.is_some() {
                Action::EventUpdated
            } else {
                Action::EventCreated
            },
            target: &target(id),
            detail: &format!("milestone {key:?} of plan {}", change.slug),
            change: Some(saved),
        })
        .await?;
    }
    for gone in existing.iter().filter(|e| {
        !wanted
            .iter()
            .any(|(key, _)| e.milestone.as_deref() == Some(key))
    }) {
        let removed = store::delete(rec, gone).await?;
        rec.record(Event {
            action: Action::EventRemoved,
            target: &target(gone.id),
            detail: &format!(
                "milestone {:?} no longer in plan {}",
                gone.milestone.as_deref().unwrap_or_default(),
                change.slug
            ),
            change: Some(removed),
        })
        .await?;
    }
    Ok(())
}

/// The slug of a milestone's event: its own if it has one, else a new one.
async fn milestone_slug(
    rec: &mut Recorder,
    plan_id: i64,
    key: &str,
    previous: Option<&StoredEvent>,
) -> Result<String, sqlx::Error> {
    if let Some(p) = previous {
        return Ok(p.slug.clone());
    }
    let mut base = format!(
        "plan-{plan_id}-{}",
        crate::markdown::slugify(key).trim_matches('-')
    );
    base.truncate(90);
    let mut slug = base.clone();
    let mut n = 2;
    while store::slug_taken(rec, &slug).await? {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

/// Each milestone's key ("Pilot: Go-live", with " (2)" for a repeated name in a phase) and its
/// event.
fn milestone_events(
    plan: &ReadersChanged<'_>,
    plan_title: &str,
    visibility: crate::permissions::Visibility,
    fields: &PlanFields,
) -> Result<Vec<(String, EventFields)>, String> {
    let mut out: Vec<(String, EventFields)> = Vec::new();
    for phase in &fields.phases {
        for milestone in &phase.milestones {
            let mut key = format!("{}: {}", phase.name.trim(), milestone.name.trim());
            let first = key.clone();
            let mut n = 2;
            while out.iter().any(|(k, _)| *k == key) {
                key = format!("{first} ({n})");
                n += 1;
            }
            let input = event_input(plan_title, &phase.name, milestone, fields, visibility);
            let event = check_fields(&input, plan.org_id, Vec::new(), Some(plan.document_id))
                .map_err(|problems| {
                    let said: Vec<String> = problems
                        .into_iter()
                        .map(|p| format!("{}: {}", p.field, p.message))
                        .collect();
                    format!("milestone {key:?}: {}", said.join("; "))
                })?;
            out.push((key, event));
        }
    }
    Ok(out)
}

/// A milestone as an event would be written.
fn event_input(
    plan_title: &str,
    phase: &str,
    m: &Milestone,
    fields: &PlanFields,
    visibility: crate::permissions::Visibility,
) -> EventInput {
    let slipped = m.slipped();
    let mut title = format!("{}: {}", plan_title.trim(), m.name.trim());
    if slipped {
        title.push_str(" (slipped)");
    }
    let status = match m.status {
        MilestoneStatus::Done | MilestoneStatus::OnTrack => EventStatus::Confirmed,
        MilestoneStatus::Planned | MilestoneStatus::AtRisk | MilestoneStatus::Slipped => {
            EventStatus::Planned
        }
    };
    let day = |d: crate::dates::Date| {
        super::timing::Local::parse(&d.to_string())
            .map(|l| l.text())
            .unwrap_or_else(|_| d.to_string())
    };
    let mut description = format!(
        "A milestone of the phase **{}** of the deployment plan **{}**.\n\n\
         - Baseline: {}\n- Forecast: {}\n- Milestone status: {}\n",
        phase.trim(),
        plan_title.trim(),
        day(m.baseline),
        day(m.forecast),
        m.status.label()
    );
    if slipped {
        let days = (m.forecast.to_time() - m.baseline.to_time()).whole_days();
        if days > 0 {
            description.push_str(&format!(
                "\n**Slipped:** forecast {days} days after the baseline.\n"
            ));
        } else {
            description.push_str("\n**Slipped:** the plan marks this milestone as slipped.\n");
        }
    }
    // Titles are shortened to fit: a long plan title and a long milestone name together may
    // pass an event's limit.
    let max = crate::limits::MAX_TITLE_CHARS;
    if title.chars().count() > max {
        title = title.chars().take(max - 1).collect::<String>() + "…";
    }
    EventInput {
        title,
        kind: EventKind::Milestone.as_str().to_owned(),
        initiative: fields
            .initiative
            .chars()
            .take(crate::limits::MAX_LINE_CHARS)
            .collect(),
        start: m.forecast.to_string(),
        end: m.forecast.to_string(),
        visibility: visibility.as_str().to_owned(),
        status: Some(status.as_str().to_owned()),
        description,
        ..EventInput::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::Date;
    use crate::plans::fields::Phase;

    fn plan(forecast: &str, status: MilestoneStatus) -> PlanFields {
        PlanFields {
            initiative: "Single sign-on".into(),
            phases: vec![Phase {
                name: "Pilot".into(),
                milestones: vec![Milestone {
                    name: "Go-live on ward 5".into(),
                    baseline: Date::parse("2026-03-02").unwrap(),
                    forecast: Date::parse(forecast).unwrap(),
                    status,
                }],
            }],
            ..PlanFields::default()
        }
    }

    fn events(fields: &PlanFields) -> Vec<(String, EventFields)> {
        let change = ReadersChanged {
            document_id: 7,
            kind: crate::kinds::DocKind::from_code("plan").unwrap(),
            slug: "fife-sso",
            org_id: 3,
            now: ReadersSee::Nothing,
        };
        milestone_events(
            &change,
            "Fife SSO",
            crate::permissions::Visibility::Network,
            fields,
        )
        .unwrap()
    }

    #[test]
    fn a_milestone_is_an_all_day_event_on_its_forecast_date_visible_as_the_plan() {
        let made = events(&plan("2026-03-02", MilestoneStatus::OnTrack));
        let (key, event) = &made[0];
        assert_eq!(key, "Pilot: Go-live on ward 5");
        assert_eq!(event.title, "Fife SSO: Go-live on ward 5");
        assert_eq!(event.schedule.first.start.to_string(), "2026-03-02");
        assert_eq!(event.org_id, 3);
        assert_eq!(event.plan_id, Some(7));
        assert_eq!(event.kind, EventKind::Milestone);
        assert_eq!(event.status, EventStatus::Confirmed);
        assert_eq!(event.visibility, crate::permissions::Visibility::Network);
        assert_eq!(event.initiative, "Single sign-on");
    }

    #[test]
    fn a_slipped_milestone_says_so_in_its_title_and_description() {
        let made = events(&plan("2026-03-16", MilestoneStatus::AtRisk));
        let event = &made[0].1;
        assert_eq!(event.title, "Fife SSO: Go-live on ward 5 (slipped)");
        assert!(
            event
                .description
                .contains("forecast 14 days after the baseline"),
            "{}",
            event.description
        );
        assert_eq!(event.schedule.first.start.to_string(), "2026-03-16");
        let done_late = events(&plan("2026-03-16", MilestoneStatus::Done));
        assert!(
            !done_late[0].1.title.contains("slipped"),
            "done late is done"
        );
    }

    #[test]
    fn repeated_milestone_names_in_a_phase_get_keys_of_their_own() {
        let mut fields = plan("2026-03-02", MilestoneStatus::Planned);
        let again = fields.phases[0].milestones[0].clone();
        fields.phases[0].milestones.push(again);
        let keys: Vec<String> = events(&fields).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            ["Pilot: Go-live on ward 5", "Pilot: Go-live on ward 5 (2)"]
        );
    }
}
