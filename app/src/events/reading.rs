//! What the event pages and calendar feeds show. Every path starts from the viewer's read rule
//! (`permissions`): a list or feed asks the database only for events the viewer may read, and
//! one event the viewer may not read is "not found", exactly like a missing one.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};

use super::calendar::FeedEvent;
use super::model::{
    Choice, EventList, EventQuery, EventView, GridDay, GridItem, ListedOccurrence, MonthGrid,
    Occurrence, PlanLink, LIST_MONTHS, MAX_LISTED,
};
use super::recurrence::Planned;
use super::store::{self, EventFields, Filter, StoredEvent};
use super::timing;
use super::{EventKind, EventStatus, TimeZoneName};
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
    match non_empty(&query.view) {
        None | Some("list") | Some("month") => {}
        Some(other) => {
            return Err(AppError::Invalid(format!(
                "{:?} is not a view of the events: use list or month",
                other.chars().take(20).collect::<String>()
            )))
        }
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
    let (items, truncated, month) = if query.month_view() {
        let (grid, more) = month_grid(db, viewer, &mut filter, now, query).await?;
        (Vec::new(), more, Some(grid))
    } else {
        let (from, to) = if past {
            (months(now, LIST_MONTHS, false), now)
        } else {
            (now, months(now, LIST_MONTHS, true))
        };
        let (items, more) = occurrences(db, viewer, &mut filter, (from, to), past, now).await?;
        (items, more, None)
    };
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
        can_add: viewer.can_add_events(),
        month,
    })
}

/// The month a grid shows: `2027-03` as asked, or the month it is now in the UK.
fn month_of(query: &EventQuery, now: DateTime<Utc>) -> AppResult<NaiveDate> {
    let Some(text) = non_empty(&query.month) else {
        let today = now
            .with_timezone(&TimeZoneName::default().tz())
            .date_naive();
        return Ok(today.with_day(1).unwrap_or(today));
    };
    let bad = || {
        AppError::Invalid(format!(
            "{:?} is not a month: write it as YYYY-MM, like 2027-03",
            text.chars().take(20).collect::<String>()
        ))
    };
    let (year, month) = text.split_once('-').ok_or_else(bad)?;
    if year.len() != 4 || month.len() != 2 {
        return Err(bad());
    }
    let year: i32 = year.parse().map_err(|_| bad())?;
    let month: u32 = month.parse().map_err(|_| bad())?;
    if !(1900..=2200).contains(&year) {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)
}

/// The grid of one month: each day with the occurrences on it (an event of several days on
/// each of them), weeks starting on Monday; `true` when more occurred than a list holds.
async fn month_grid(
    db: &Db,
    viewer: &Viewer,
    filter: &mut Filter,
    now: DateTime<Utc>,
    query: &EventQuery,
) -> AppResult<(MonthGrid, bool)> {
    let first = month_of(query, now)?;
    let next = first
        .checked_add_months(Months::new(1))
        .ok_or(AppError::Internal)?;
    let previous = first
        .checked_sub_months(Months::new(1))
        .ok_or(AppError::Internal)?;
    let zone = TimeZoneName::default();
    let instant =
        |d: NaiveDate| timing::instant(zone, timing::Local::Date(d)).map_err(|m| unreadable(0, m));
    let (from, to) = (instant(first)?, instant(next)?);
    let (found, more) = occurrences(db, viewer, filter, (from, to), false, now).await?;
    let today = now.with_timezone(&zone.tz()).date_naive();
    let days = (next - first).num_days();
    let mut cells: Vec<Option<GridDay>> = Vec::new();
    cells.extend((0..first.weekday().num_days_from_monday()).map(|_| None));
    for offset in 0..days {
        let date = first + chrono::Duration::days(offset);
        let key = date.format("%Y-%m-%d").to_string();
        let items = found
            .iter()
            .filter(|o| {
                let start = o.when.start.get(..10).unwrap_or_default();
                let end = o.when.end.get(..10).unwrap_or_default();
                start <= key.as_str() && key.as_str() <= end
            })
            .map(|o| GridItem {
                event_id: o.event_id,
                title: o.title.clone(),
                // The time on the day it starts; all day, or on later days, none.
                time: match o.when.start.split_once('T') {
                    Some((day, time)) if day == key => time.to_owned(),
                    _ => String::new(),
                },
                status: o.when.status,
            })
            .collect();
        cells.push(Some(GridDay {
            day: date.day(),
            label: date.format("%A %-d %B %Y").to_string(),
            date: key,
            today: date == today,
            items,
        }));
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let weeks = cells.chunks(7).map(<[_]>::to_vec).collect();
    Ok((
        MonthGrid {
            title: first.format("%B %Y").to_string(),
            month: first.format("%Y-%m").to_string(),
            previous: previous.format("%Y-%m").to_string(),
            next: next.format("%Y-%m").to_string(),
            weeks,
        },
        more,
    ))
}

/// The occurrences of the events the viewer may read that match the filter and overlap
/// `from`..`to`: soonest first, or on the past tab (`past`) only those ended by `now`, latest
/// first; at most [`MAX_LISTED`], and `true` when there were more.
async fn occurrences(
    db: &Db,
    viewer: &Viewer,
    filter: &mut Filter,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    past: bool,
    now: DateTime<Utc>,
) -> AppResult<(Vec<ListedOccurrence>, bool)> {
    filter.ends_after = Some(timing::stored(from));
    filter.starts_before = Some(timing::stored(to));
    let events = store::matching(db, viewer, filter).await?;
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
    Ok((items, truncated))
}

/// The next occurrences (the coming twelve months, at most `limit`) of the events the viewer
/// may read that match the filter: for an organisation's or a plan's page.
pub async fn upcoming(
    db: &Db,
    viewer: &Viewer,
    now: DateTime<Utc>,
    mut filter: Filter,
    limit: usize,
) -> AppResult<(Vec<ListedOccurrence>, bool)> {
    let window = (now, months(now, LIST_MONTHS, true));
    let (mut items, mut more) = occurrences(db, viewer, &mut filter, window, false, now).await?;
    if items.len() > limit {
        items.truncate(limit);
        more = true;
    }
    Ok((items, more))
}

/// A deployment plan the viewer may read, by slug: its id and title; "not found" otherwise.
pub async fn readable_plan(db: &Db, viewer: &Viewer, slug: &str) -> AppResult<(i64, String)> {
    let plans = DocKind::from_code(<crate::plans::Plans as crate::kind::Kind>::NAMES.code)
        .ok_or(AppError::NotFound)?;
    let plan = crate::documents::store::find_readable(db, viewer, plans, slug).await?;
    let row = plan.row();
    Ok((row.id, row.title.clone()))
}

/// The feed of a plan's events (see [`feed`]).
pub async fn plan_feed(
    db: &Db,
    viewer: &Viewer,
    now: DateTime<Utc>,
    plan_id: i64,
) -> AppResult<Vec<FeedEvent>> {
    let filter = Filter {
        plan_id: Some(plan_id),
        ..Filter::default()
    };
    feed(db, viewer, now, filter).await
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
        can_edit: viewer.can_edit_event(f.org_id, event.milestone.is_some()),
        milestone: event.milestone.clone(),
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
