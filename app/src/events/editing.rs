//! The event editor: adding and changing events, and cancelling, moving or restoring single
//! occurrences of a repeating one. Plain forms that post and redirect; a refused post comes
//! back with every problem listed and everything typed kept (in the session, like the document
//! editor). Every change goes through the recorder and raises the event's sequence.
//!
//! Who may do what is asked of the permission module: the organisation an event runs under is
//! checked against the user whatever the form says, so a crafted form can neither change
//! another organisation's event nor put an event under an organisation the user does not work
//! for.

use chrono::{DateTime, Months, Utc};
use tower_sessions::Session;

use super::model::{event_href, Choice, EventEditor, EventForm, OccurrenceChoice, OccurrenceForm};
use super::recurrence::Change;
use super::store::{self, EventFields, Origin, StoredEvent};
use super::validate::{self, EventInput, MovedInput};
use super::EventKind;
use crate::components::form::FormError;
use crate::db::{Action, Actor, Db, Event};
use crate::error::{AppError, AppResult};
use crate::flash;
use crate::kind::Problem;
use crate::kinds::DocKind;
use crate::permissions::{Viewer, Visibility};

/// Occurrences the editor offers to cancel or move.
const OFFERED_OCCURRENCES: usize = 24;

/// What the editor keeps in the session between a refused post and the page.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Kept {
    form: EventForm,
    errors: Vec<FormError>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct KeptOccurrence {
    form: OccurrenceForm,
    errors: Vec<FormError>,
}

fn flash_key(id: Option<i64>) -> String {
    match id {
        Some(id) => format!("events/{id}"),
        None => "events/new".to_owned(),
    }
}

fn occurrence_key(id: i64) -> String {
    format!("events/{id}/occurrence")
}

/// The date and the time of a stored local start or end (`2026-04-07T10:00`).
fn split(local: &str) -> (String, String) {
    match local.split_once('T') {
        Some((date, time)) => (date.to_owned(), time.to_owned()),
        None => (local.to_owned(), String::new()),
    }
}

/// The form filled from a stored event.
fn form_of(event: &StoredEvent) -> EventForm {
    let f = &event.fields;
    let (start_date, start_time) = split(&f.schedule.first.start.to_string());
    let (end_date, end_time) = split(&f.schedule.first.end.to_string());
    EventForm {
        id: event.id,
        sequence: event.sequence,
        title: f.title.clone(),
        kind: f.kind.as_str().to_owned(),
        org: event.org.slug.clone(),
        taking_part: event
            .taking_part
            .iter()
            .map(|o| (o.slug.clone(), "yes".to_owned()))
            .collect(),
        initiative: f.initiative.clone(),
        plan: event.plan.as_ref().map(|p| p.0.clone()).unwrap_or_default(),
        start_date,
        start_time,
        end_date,
        end_time,
        repeat: f.schedule.rule.clone().unwrap_or_default(),
        location: f.location.clone(),
        online_meeting: f.online_url.clone(),
        visibility: f.visibility.as_str().to_owned(),
        status: f.status.as_str().to_owned(),
        description: f.description.clone(),
    }
}

/// A stored event as written, exceptions included: what a change to one occurrence starts from.
fn input_of(event: &StoredEvent) -> EventInput {
    let f = &event.fields;
    let mut cancelled = Vec::new();
    let mut moved = Vec::new();
    for e in &f.schedule.exceptions {
        match e.change {
            Change::Cancelled => cancelled.push(e.occurrence.to_string()),
            Change::Moved(span) => moved.push(MovedInput {
                from: e.occurrence.to_string(),
                start: span.start.to_string(),
                end: span.end.to_string(),
            }),
        }
    }
    EventInput {
        title: f.title.clone(),
        kind: f.kind.as_str().to_owned(),
        organisation: event.org.slug.clone(),
        taking_part: event.taking_part.iter().map(|o| o.slug.clone()).collect(),
        initiative: f.initiative.clone(),
        plan: event.plan.as_ref().map(|p| p.0.clone()),
        start: f.schedule.first.start.to_string(),
        end: f.schedule.first.end.to_string(),
        time_zone: Some(f.schedule.zone.as_str().to_owned()),
        location: f.location.clone(),
        online_meeting: f.online_url.clone(),
        visibility: f.visibility.as_str().to_owned(),
        status: Some(f.status.as_str().to_owned()),
        repeat: f.schedule.rule.clone(),
        cancelled,
        moved,
        description: f.description.clone(),
    }
}

/// A start and an end typed as dates and times (`field` names the start date's field, its
/// siblings `_time` and `end_date`, `end_time` follow): both times, or neither for all day;
/// no last day means the day it starts.
fn typed_span(
    prefix: &str,
    (start_date, start_time, end_date, end_time): (&str, &str, &str, &str),
    errors: &mut Vec<FormError>,
) -> Option<(String, String)> {
    let id = |name: &str| format!("{prefix}{name}");
    let (start_date, start_time) = (start_date.trim(), start_time.trim());
    let (end_date, end_time) = (end_date.trim(), end_time.trim());
    if start_date.is_empty() {
        errors.push(FormError::new(
            id("start_date"),
            "Enter the date it starts, like 2026-03-03",
        ));
        return None;
    }
    let end_date = if end_date.is_empty() {
        start_date
    } else {
        end_date
    };
    match (start_time.is_empty(), end_time.is_empty()) {
        (true, true) => Some((start_date.to_owned(), end_date.to_owned())),
        (false, false) => Some((
            format!("{start_date}T{start_time}"),
            format!("{end_date}T{end_time}"),
        )),
        (false, true) => {
            errors.push(FormError::new(
                id("end_time"),
                "Enter the time it ends, or leave both times empty for an all-day event",
            ));
            None
        }
        (true, false) => {
            errors.push(FormError::new(
                id("start_time"),
                "Enter the time it starts, or leave both times empty for an all-day event",
            ));
            None
        }
    }
}

/// A problem found by the event rules, on the editor's field, in a sentence.
fn form_error(problem: Problem, prefix: &str) -> FormError {
    let (field, label) = match problem.field.as_str() {
        "title" => ("title", "Title"),
        "kind" => ("kind", "Kind of event"),
        "organisation" => ("org", "Organisation"),
        "taking_part" => ("taking_part", "Organisations taking part"),
        "initiative" => ("initiative", "Initiative"),
        "plan" => ("plan", "Deployment plan"),
        "start" | "time_zone" => ("start_date", "Start"),
        "end" => ("end_date", "End"),
        "repeat" => ("repeat", "Repeats"),
        "cancelled" | "moved" => ("repeat", "A cancelled or moved date"),
        "location" => ("location", "Location"),
        "online_meeting" => ("online_meeting", "Online meeting link"),
        "visibility" => ("visibility", "Who can see it"),
        "status" => ("status", "Status"),
        "body" => ("description", "Description"),
        _ => ("title", "The event"),
    };
    let message = if problem.field == "title" && problem.message == "must not be empty" {
        "Enter a title".to_owned()
    } else {
        format!("{label}: {}", problem.message)
    };
    FormError::new(format!("{prefix}{field}"), message)
}

/// The organisations a user may run events for, and every organisation (to take part).
async fn org_choices(db: &Db, viewer: &Viewer) -> AppResult<(Vec<Choice>, Vec<Choice>)> {
    let all: Vec<Choice> = crate::orgs::store::all_refs(db)
        .await?
        .into_iter()
        .map(|o| Choice {
            value: o.slug,
            label: o.name,
        })
        .collect();
    let user = viewer.require_user()?;
    let runs = if viewer.writes_for_every_organisation() {
        all.clone()
    } else {
        vec![Choice {
            value: user.org_slug.clone(),
            label: user.org_name.clone(),
        }]
    };
    Ok((runs, all))
}

/// The event a post changes, once the viewer is known to be allowed to change it: another
/// organisation's event is refused (403; 404 when they may not even read it), and so is one
/// made from a plan's milestone.
async fn editable(db: &Db, viewer: &Viewer, id: i64) -> AppResult<StoredEvent> {
    let event = super::reading::readable(db, viewer, id).await?;
    if !viewer.can_edit_event(event.fields.org_id, event.milestone.is_some()) {
        return Err(AppError::Forbidden);
    }
    Ok(event)
}

/// `/events/new` or `/events/{id}/edit`, with what the user typed if their last post was refused.
pub async fn editor(
    db: &Db,
    viewer: &Viewer,
    session: &Session,
    now: DateTime<Utc>,
    id: Option<i64>,
) -> AppResult<EventEditor> {
    let user = viewer.require_user()?;
    if !viewer.can_add_events() {
        return Err(AppError::Forbidden);
    }
    let stored = match id {
        Some(id) => Some(editable(db, viewer, id).await?),
        None => None,
    };
    let kept: Option<Kept> = flash::take(session, &flash_key(id)).await?;
    let kept_occurrence: Option<KeptOccurrence> = match id {
        Some(id) => flash::take(session, &occurrence_key(id)).await?,
        None => None,
    };
    let (orgs, all_orgs) = org_choices(db, viewer).await?;
    let fresh = match &stored {
        Some(event) => form_of(event),
        None => EventForm {
            org: user.org_slug.clone(),
            kind: EventKind::ProjectUpdateMeeting.as_str().to_owned(),
            visibility: Visibility::Network.as_str().to_owned(),
            status: super::EventStatus::Planned.as_str().to_owned(),
            ..EventForm::default()
        },
    };
    let (form, errors) = match kept {
        Some(k) => (k.form, k.errors),
        None => (fresh, Vec::new()),
    };
    let (occurrence_form, occurrence_errors) = match kept_occurrence {
        Some(k) => (k.form, k.errors),
        None => (OccurrenceForm::default(), Vec::new()),
    };
    let (repeats, occurrences, exceptions) = match &stored {
        Some(event) => occurrence_choices(event, now)?,
        None => (false, Vec::new(), Vec::new()),
    };
    let heading = match &stored {
        Some(event) => format!("Change: {}", event.fields.title),
        None => "Add an event".to_owned(),
    };
    Ok(EventEditor {
        id,
        heading,
        form,
        errors,
        orgs,
        all_orgs,
        repeats,
        occurrences,
        exceptions,
        occurrence_form,
        occurrence_errors,
    })
}

/// Whether the event repeats, its next occurrences as planned, and those cancelled or moved.
fn occurrence_choices(
    event: &StoredEvent,
    now: DateTime<Utc>,
) -> AppResult<(bool, Vec<OccurrenceChoice>, Vec<OccurrenceChoice>)> {
    let schedule = &event.fields.schedule;
    if schedule.rule.is_none() {
        return Ok((false, Vec::new(), Vec::new()));
    }
    let until = now.checked_add_months(Months::new(36)).unwrap_or(now);
    let (next, _) = schedule
        .between(now, until, OFFERED_OCCURRENCES + schedule.exceptions.len())
        .map_err(|m| {
            tracing::error!(event = event.id, "stored schedule: {m}");
            AppError::Unreadable
        })?;
    let occurrences = next
        .iter()
        .filter(|p| !p.cancelled && p.moved_from.is_none())
        .take(OFFERED_OCCURRENCES)
        .map(|p| OccurrenceChoice {
            value: p.span.start.to_string(),
            label: p.span.text(),
        })
        .collect();
    let exceptions = schedule
        .exceptions
        .iter()
        .map(|e| {
            let planned = schedule.first.moved_to(e.occurrence).text();
            OccurrenceChoice {
                value: e.occurrence.to_string(),
                label: match e.change {
                    Change::Cancelled => format!("{planned}: cancelled"),
                    Change::Moved(span) => format!("{planned}: moved to {}", span.text()),
                },
            }
        })
        .collect();
    Ok((true, occurrences, exceptions))
}

/// Back to the editor with the form and its problems; returns its address.
async fn back_to_editor(
    session: &Session,
    id: Option<i64>,
    form: EventForm,
    errors: Vec<FormError>,
) -> AppResult<String> {
    flash::keep(session, &flash_key(id), &Kept { form, errors }).await?;
    Ok(EventEditor::href(id))
}

/// A new event's slug: made from its title, marked as made here (imported files are named by
/// their file), and not used yet.
async fn new_slug(rec: &mut crate::db::Recorder, title: &str) -> Result<String, sqlx::Error> {
    let mut base = format!("web-{}", crate::markdown::slugify(title).trim_matches('-'));
    base.truncate(80);
    let base = base.trim_end_matches('-').to_owned();
    let mut slug = base.clone();
    let mut n = 2;
    while store::slug_taken(rec, &slug).await? {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

/// Saves the editor; returns where the browser goes next: the event's page, or the editor
/// again with the problems.
pub async fn save(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    session: &Session,
    form: EventForm,
) -> AppResult<String> {
    viewer.require_user()?;
    if !viewer.can_add_events() {
        return Err(AppError::Forbidden);
    }
    let id = (form.id != 0).then_some(form.id);
    let previous = match id {
        Some(id) => Some(editable(db, viewer, id).await?),
        None => None,
    };
    let mut errors = Vec::new();
    // The organisation it runs under: checked against the user, whatever the form says.
    let org = form.org.trim();
    match crate::orgs::store::id_by_slug(db.pool(), org).await? {
        Some(org_id) if viewer.can_run_events_for(org_id) => {}
        Some(_) => errors.push(FormError::new(
            "org",
            "Organisation: you can add and change events only for your own organisation",
        )),
        None => errors.push(FormError::new(
            "org",
            "Choose the organisation that runs it",
        )),
    }
    // A plan it belongs to must be one the user may read (an unchanged link is kept as it is).
    let plan = form.plan.trim();
    let unchanged_plan = previous
        .as_ref()
        .and_then(|p| p.plan.as_ref())
        .is_some_and(|(slug, _)| slug == plan);
    if !plan.is_empty() && !unchanged_plan {
        let plans = DocKind::from_code(<crate::plans::Plans as crate::kind::Kind>::NAMES.code)
            .ok_or(AppError::Internal)?;
        let readable = crate::slugs::validate_slug(plan).is_ok()
            && match crate::documents::store::find_readable(db, viewer, plans, plan).await {
                Ok(_) => true,
                Err(AppError::NotFound) | Err(AppError::Invalid(_)) => false,
                Err(e) => return Err(e),
            };
        if !readable {
            errors.push(FormError::new(
                "plan",
                format!("Deployment plan: there is no plan at /plans/{plan} that you can read"),
            ));
        }
    }
    let span = typed_span(
        "",
        (
            &form.start_date,
            &form.start_time,
            &form.end_date,
            &form.end_time,
        ),
        &mut errors,
    );
    if let Some(previous) = &previous {
        if previous.sequence != form.sequence {
            errors.insert(
                0,
                FormError::new(
                    "event-form",
                    "Someone changed this event after you opened it. Check the event's page, then make your change again: what you typed is kept below.",
                ),
            );
        }
    }
    let mut input = match &previous {
        Some(p) => input_of(p),
        None => EventInput::default(),
    };
    let (start, end) = span.clone().unwrap_or_default();
    input = EventInput {
        title: form.title.clone(),
        kind: form.kind.clone(),
        organisation: org.to_owned(),
        taking_part: form
            .taking_part
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, _)| k.clone())
            .collect(),
        initiative: form.initiative.clone(),
        plan: Some(plan.to_owned()).filter(|p| !p.is_empty()),
        start,
        end,
        location: form.location.clone(),
        online_meeting: form.online_meeting.clone(),
        visibility: form.visibility.clone(),
        status: Some(form.status.clone()),
        repeat: Some(form.repeat.clone()),
        description: form.description.replace("\r\n", "\n"),
        ..input
    };
    let checked = validate::check(db, &input).await?;
    let fields: Option<EventFields> = match checked {
        Ok(fields) => Some(fields),
        Err(problems) => {
            for p in problems {
                // Times not typed are reported once, by the form's own check.
                let timing = matches!(p.field.as_str(), "start" | "end");
                if timing && span.is_none() {
                    continue;
                }
                let e = form_error(p, "");
                if !errors.iter().any(|x| x.field == e.field) {
                    errors.push(e);
                }
            }
            None
        }
    };
    let fields = match fields {
        Some(fields) if errors.is_empty() => fields,
        _ => return back_to_editor(session, id, form, errors).await,
    };
    if previous.as_ref().is_some_and(|p| p.fields == fields) {
        flash::set_notice(session, true, "Nothing changed").await?;
        return Ok(event_href(form.id));
    }
    let mut rec = db.record(actor).await?;
    let slug = match &previous {
        Some(p) => p.slug.clone(),
        None => new_slug(&mut rec, &fields.title).await?,
    };
    let origin = Origin {
        slug: &slug,
        milestone: None,
    };
    let (saved_id, change) = store::save(&mut rec, origin, &fields, previous.as_ref()).await?;
    rec.record(Event {
        action: if previous.is_some() {
            Action::EventUpdated
        } else {
            Action::EventCreated
        },
        target: &event_href(saved_id),
        detail: "editor",
        change: Some(change),
    })
    .await?;
    rec.commit().await?;
    let message = if previous.is_some() {
        "Event saved: calendars that subscribe get the change"
    } else {
        "Event added"
    };
    flash::set_notice(session, true, message).await?;
    Ok(event_href(saved_id))
}

/// Cancels, moves or restores one occurrence of a repeating event; returns where the browser
/// goes next.
pub async fn change_occurrence(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    session: &Session,
    form: OccurrenceForm,
) -> AppResult<String> {
    viewer.require_user()?;
    let event = editable(db, viewer, form.id).await?;
    let back = format!("{}#occurrences", EventEditor::href(Some(event.id)));
    let event_id = event.id;
    let back_to = back.clone();
    let refuse = |errors: Vec<FormError>, form: OccurrenceForm| {
        let back = back_to.clone();
        async move {
            flash::keep(
                session,
                &occurrence_key(event_id),
                &KeptOccurrence { form, errors },
            )
            .await?;
            AppResult::Ok(back)
        }
    };
    if event.fields.schedule.rule.is_none() {
        let e = FormError::new(
            "occurrence",
            "Only a repeating event has single dates to cancel or move: change its date instead",
        );
        return refuse(vec![e], form).await;
    }
    if event.sequence != form.sequence {
        let e = FormError::new(
            "occurrence",
            "Someone changed this event after you opened it: check its dates and try again",
        );
        return refuse(vec![e], form).await;
    }
    let occurrence = form.occurrence.trim().to_owned();
    let mut input = input_of(&event);
    input.cancelled.retain(|c| *c != occurrence);
    input.moved.retain(|m| m.from != occurrence);
    let (done, detail) = match form.action.as_str() {
        "cancel" => {
            input.cancelled.push(occurrence.clone());
            ("Date cancelled", format!("cancelled {occurrence}"))
        }
        "restore" => ("Date restored", format!("restored {occurrence}")),
        "move" => {
            let mut errors = Vec::new();
            let span = typed_span(
                "move_",
                (
                    &form.start_date,
                    &form.start_time,
                    &form.end_date,
                    &form.end_time,
                ),
                &mut errors,
            );
            let Some((start, end)) = span else {
                return refuse(errors, form).await;
            };
            input.moved.push(MovedInput {
                from: occurrence.clone(),
                start,
                end,
            });
            ("Date moved", format!("moved {occurrence}"))
        }
        _ => {
            let e = FormError::new("occurrence", "Choose to cancel, move or restore a date");
            return refuse(vec![e], form).await;
        }
    };
    if occurrence.is_empty() {
        let e = FormError::new("occurrence", "Choose the date to change");
        return refuse(vec![e], form).await;
    }
    let fields = match validate::check(db, &input).await? {
        Ok(fields) => fields,
        Err(problems) => {
            let errors = problems
                .into_iter()
                .map(|p| {
                    let field = if p.field == "moved" && form.action == "move" {
                        "move_start_date"
                    } else {
                        "occurrence"
                    };
                    FormError::new(field, p.message)
                })
                .collect();
            return refuse(errors, form).await;
        }
    };
    if fields == event.fields {
        flash::set_notice(session, true, "Nothing changed").await?;
        return Ok(back);
    }
    let mut rec = db.record(actor).await?;
    let origin = Origin {
        slug: &event.slug,
        milestone: None,
    };
    let (id, change) = store::save(&mut rec, origin, &fields, Some(&event)).await?;
    rec.record(Event {
        action: Action::EventUpdated,
        target: &event_href(id),
        detail: &detail,
        change: Some(change),
    })
    .await?;
    rec.commit().await?;
    flash::set_notice(session, true, done).await?;
    Ok(back)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_make_a_timed_or_all_day_span() {
        let mut errors = Vec::new();
        assert_eq!(
            typed_span("", ("2026-03-03", "10:00", "", "12:00"), &mut errors),
            Some(("2026-03-03T10:00".into(), "2026-03-03T12:00".into()))
        );
        assert_eq!(
            typed_span("", ("2026-03-03", "", "2026-03-05", ""), &mut errors),
            Some(("2026-03-03".into(), "2026-03-05".into()))
        );
        assert!(errors.is_empty());
        assert_eq!(
            typed_span("", ("2026-03-03", "10:00", "", ""), &mut errors),
            None
        );
        assert_eq!(errors[0].field, "end_time");
        assert_eq!(typed_span("move_", ("", "", "", ""), &mut errors), None);
        assert_eq!(errors[1].field, "move_start_date");
    }

    #[test]
    fn rule_problems_land_on_the_editors_fields() {
        let e = form_error(Problem::new("start", "not a date"), "");
        assert_eq!(e.field, "start_date");
        assert_eq!(e.message, "Start: not a date");
        assert_eq!(
            form_error(Problem::new("title", "must not be empty"), "").message,
            "Enter a title"
        );
        assert_eq!(
            form_error(Problem::new("body", "x"), "").field,
            "description"
        );
    }
}
