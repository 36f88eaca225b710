//! What the event pages and calendar feeds show. Every path starts from the viewer's read rule
//! (`permissions`): a list or feed asks the database only for events the viewer may read, and
//! one event the viewer may not read is "not found", exactly like a missing one.

use chrono::{DateTime, Months, Utc};

use super::calendar::FeedEvent;
use super::model::{
    Choice, EventList, EventQuery, EventView, ListedOccurrence, Occurrence, PlanLink, LIST_MONTHS,
    MAX_LISTED,
};
use super::recurrence::Planned;
use super::store::{self, EventFields, Filter, StoredEvent};
use super::timing;
use super::{EventKind, EventStatus};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::kinds::DocKind;
use crate::limits::{too_long, MAX_LINE_CHARS, MAX_SLUG_CHARS};
use crate::permissions::Viewer;

/// Most occurrences an event's page lists.
const PAGE_OCCURRENCES: usize = 12;

/// Stored times that no longer make sense (a rule this version cannot expand): logged, and the
/// event is shown nowhere rather than wrongly.
fn unreadable(id: i64, problem: String) -> AppError {
    tracing::error!(event = id, "stored schedule: {problem}");
    AppError::Unreadable
}

fn months(at: DateTime<Utc>, months: i64, ahead: bool) -> DateTime<Utc> {
    let n = Months::new(u32::try_from(months).unwrap_or(12));
    let moved = if ahead {
        at.checked_add_months(n)
    } else {
        at.checked_sub_months(n)
    };
    moved.unwrap_or(at)
}

/// One occurrence as pages show it.
fn occurrence(id: i64, event: &EventFields, planned: &Planned) -> AppResult<Occurrence> {
    let zone = event.schedule.zone;
    let span = planned.span;
    let (start, end) = timing::instants(zone, span).map_err(|m| unreadable(id, m))?;
    Ok(Occurrence {
        all_day: span.start.is_date(),
        start: span.start.to_string(),
        end: span.end.to_string(),
        start_utc: timing::stored(start),
        end_utc: timing::stored(end),
        datetime: timing::machine_text(zone, span.start).map_err(|m| unreadable(id, m))?,
        text: span.text(),
        status: if planned.cancelled {
            EventStatus::Cancelled
        } else {
            event.status
        },
        moved_from: planned.moved_from.map(|m| m.text()),
    })
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The filters of a list or feed, checked: an organisation that exists, a kind of event, an
/// initiative no longer than any can be.
pub async fn filter_of(db: &Db, query: &EventQuery) -> AppResult<Filter> {
    let mut filter = Filter::default();
    if let Some(org) = non_empty(&query.org) {
        if let Some(m) = too_long("The organisation", org, MAX_SLUG_CHARS) {
            return Err(AppError::Invalid(m));
        }
        filter.org_id = Some(
            crate::orgs::store::id_by_slug(db.pool(), org)
                .await?
                .ok_or_else(|| AppError::Invalid(format!("There is no organisation {org:?}.")))?,
        );
    }
    if let Some(kind) = non_empty(&query.kind) {
        filter.kind = Some(EventKind::parse(kind).map_err(AppError::Invalid)?);
    }
    if let Some(initiative) = non_empty(&query.initiative) {
        if let Some(m) = too_long("The initiative", initiative, MAX_LINE_CHARS) {
            return Err(AppError::Invalid(m));
        }
        filter.initiative = Some(initiative.to_owned());
    }
    match non_empty(&query.when) {
        None | Some("past") | Some("upcoming") => Ok(filter),
        Some(other) => Err(AppError::Invalid(format!(
            "{other:?} is not a tab of the events list: use upcoming or past"
        ))),
    }
}

/// `/events`: the occurrences of the next (or, on the past tab, the last) twelve months of the
/// events the viewer may read that match the filters.
pub async fn list(
    db: &Db,
    viewer: &Viewer,
    now: DateTime<Utc>,
    query: &EventQuery,
) -> AppResult<EventList> {
    let mut filter = filter_of(db, query).await?;
    let past = query.past();
    let (from, to) = if past {
        (months(now, LIST_MONTHS, false), now)
    } else {
        (now, months(now, LIST_MONTHS, true))
    };
    filter.ends_after = Some(timing::stored(from));
    filter.starts_before = Some(timing::stored(to));
    let events = store::matching(db, viewer, &filter).await?;
    let mut items = Vec::new();
    let mut truncated = false;
    for e in &events {
        let (found, more) = e
            .fields
            .schedule
            .between(from, to, MAX_LISTED)
            .map_err(|m| unreadable(e.id, m))?;
        truncated |= more;
        for planned in &found {
            let when = occurrence(e.id, &e.fields, planned)?;
            // The past tab holds what has ended; what is under way is still upcoming.
            if past && when.end_utc.as_str() > timing::stored(now).as_str() {
                continue;
            }
            items.push(ListedOccurrence {
                event_id: e.id,
                title: e.fields.title.clone(),
                kind: e.fields.kind,
                org: e.org.clone(),
                location: e.fields.location.clone(),
                online: !e.fields.online_url.is_empty(),
                when,
            });
        }
    }
    // Stored instants are RFC 3339 UTC text of one length: text order is time order.
    items.sort_by(|a, b| {
        let order = a
            .when
            .start_utc
            .cmp(&b.when.start_utc)
            .then(a.event_id.cmp(&b.event_id));
        if past {
            order.reverse()
        } else {
            order
        }
    });
    if items.len() > MAX_LISTED {
        items.truncate(MAX_LISTED);
        truncated = true;
    }
    let (orgs, initiatives) = store::facets(db, viewer).await?;
    Ok(EventList {
        items,
        truncated,
        past,
        orgs: orgs
            .into_iter()
            .map(|o| Choice {
                value: o.slug,
                label: o.name,
            })
            .collect(),
        kinds: EventKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().to_owned(),
                label: k.label().to_owned(),
            })
            .collect(),
        initiatives,
    })
}

/// An event the viewer may read; "not found" otherwise, exactly like a missing one.
pub async fn readable(db: &Db, viewer: &Viewer, id: i64) -> AppResult<StoredEvent> {
    let event = store::find(db, id).await?.ok_or(AppError::NotFound)?;
    if viewer.can_read_event(&event.access()) {
        Ok(event)
    } else {
        Err(AppError::NotFound)
    }
}

/// The deployment plan an event belongs to, if the viewer may read it (a plan they may not
/// read is not named).
pub async fn plan_link(
    db: &Db,
    viewer: &Viewer,
    event: &StoredEvent,
) -> AppResult<Option<PlanLink>> {
    let (Some((slug, title)), Some(plans)) = (
        &event.plan,
        DocKind::from_code(<crate::plans::Plans as crate::kind::Kind>::NAMES.code),
    ) else {
        return Ok(None);
    };
    match crate::documents::store::find_readable(db, viewer, plans, slug).await {
        Ok(_) => Ok(Some(PlanLink {
            href: plans.href(slug),
            title: title.clone(),
        })),
        Err(AppError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `/events/{id}`: one event with its next occurrences.
pub async fn page(db: &Db, viewer: &Viewer, now: DateTime<Utc>, id: i64) -> AppResult<EventView> {
    let event = readable(db, viewer, id).await?;
    let schedule = &event.fields.schedule;
    let (next, _) = schedule
        .between(now, months(now, LIST_MONTHS * 5, true), PAGE_OCCURRENCES)
        .map_err(|m| unreadable(id, m))?;
    let upcoming = next
        .iter()
        .map(|p| occurrence(id, &event.fields, p))
        .collect::<AppResult<Vec<_>>>()?;
    let first = occurrence(
        id,
        &event.fields,
        &Planned {
            span: schedule.first,
            moved_from: None,
            cancelled: false,
        },
    )?;
    let plan = plan_link(db, viewer, &event).await?;
    let f = &event.fields;
    Ok(EventView {
        id,
        title: f.title.clone(),
        kind: f.kind,
        status: f.status,
        visibility: f.visibility,
        org: event.org.clone(),
        taking_part: event.taking_part.clone(),
        initiative: f.initiative.clone(),
        location: f.location.clone(),
        online_url: f.online_url.clone(),
        plan,
        description_html: crate::markdown::render(&f.description).html,
        zone: format!("{}, {}", schedule.zone.label(), schedule.zone.as_str()),
        first,
        rule: schedule.rule.clone(),
        upcoming,
        sequence: event.sequence,
    })
}

/// The events of a feed: those the viewer may read that match the filter and have not ended
/// more than twelve months ago, each with its plan if the viewer may read that.
pub async fn feed(
    db: &Db,
    viewer: &Viewer,
    now: DateTime<Utc>,
    mut filter: Filter,
) -> AppResult<Vec<FeedEvent>> {
    filter.ends_after = Some(timing::stored(months(now, LIST_MONTHS, false)));
    let mut out = Vec::new();
    for event in store::matching(db, viewer, &filter).await? {
        let plan = plan_link(db, viewer, &event).await?;
        out.push(FeedEvent { event, plan });
    }
    Ok(out)
}

/// The feed of one event the viewer may read.
pub async fn event_feed(db: &Db, viewer: &Viewer, id: i64) -> AppResult<FeedEvent> {
    let event = readable(db, viewer, id).await?;
    let plan = plan_link(db, viewer, &event).await?;
    Ok(FeedEvent { event, plan })
}
