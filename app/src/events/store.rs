//! Storage for the `events`, `event_organisations` and `event_exceptions` tables. Reads take the
//! viewer's read rule as SQL from the permission module; writes take the [`Recorder`] of the
//! change and return the [`Change`] to record.

use std::collections::BTreeMap;

use sqlx::FromRow;

use super::recurrence::{Change as Exceptional, Exception, Schedule};
use super::timing::{Local, Span};
use super::{EventKind, EventStatus, TimeZoneName};
use crate::db::{Change, Db, Entity, Recorder};
use crate::error::{AppError, AppResult};
use crate::orgs::OrgRef;
use crate::permissions::{EventAccess, Viewer, Visibility};

/// An event as it is stored or is to be stored: what the importer (and the editor to come)
/// check and the store writes. Two are equal when nothing a reader sees differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventFields {
    pub org_id: i64,
    pub title: String,
    pub kind: EventKind,
    /// When it happens; its exceptions sorted by occurrence.
    pub schedule: Schedule,
    /// The organisations taking part besides `org_id`, by id, sorted, each once.
    pub taking_part: Vec<i64>,
    pub initiative: String,
    /// The deployment plan it belongs to (a document id).
    pub plan_id: Option<i64>,
    pub location: String,
    pub online_url: String,
    /// Markdown.
    pub description: String,
    pub visibility: Visibility,
    pub status: EventStatus,
    /// The UTC instants of the first start and last end (`None`: it repeats for ever), as
    /// stored.
    pub starts_at: String,
    pub ends_at: Option<String>,
}

/// A stored event with the names of its organisations and plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: i64,
    pub slug: String,
    pub fields: EventFields,
    pub org: OrgRef,
    pub taking_part: Vec<OrgRef>,
    /// The linked plan's slug and title; whether the viewer may read it is asked separately.
    pub plan: Option<(String, String)>,
    /// Raised on every change: the iCalendar SEQUENCE.
    pub sequence: i64,
    /// For an event made from a milestone of its plan, the milestone ("Pilot: Go-live"): it
    /// follows the plan's approved revision and is not edited by hand.
    pub milestone: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl StoredEvent {
    /// What the read rule needs; `taking_part` are the ids of the organisations taking part.
    pub fn access(&self) -> EventAccess<'_> {
        EventAccess {
            org_id: self.fields.org_id,
            taking_part: &self.fields.taking_part,
            visibility: self.fields.visibility,
        }
    }
}

#[derive(Clone, Debug, FromRow)]
struct EventRow {
    id: i64,
    slug: String,
    org_id: i64,
    org_slug: String,
    org_name: String,
    title: String,
    kind: EventKind,
    starts_local: String,
    ends_local: String,
    time_zone: TimeZoneName,
    recurrence: String,
    location: String,
    online_url: String,
    initiative: String,
    plan_id: Option<i64>,
    plan_slug: Option<String>,
    plan_title: Option<String>,
    description: String,
    visibility: Visibility,
    status: EventStatus,
    sequence: i64,
    starts_at: String,
    ends_at: Option<String>,
    milestone: Option<String>,
    created_at: String,
    updated_at: String,
}

#[derive(Clone, Debug, FromRow)]
struct ExceptionRow {
    event_id: i64,
    occurrence: String,
    status: String,
    starts_local: Option<String>,
    ends_local: Option<String>,
}

#[derive(Clone, Debug, FromRow)]
struct TakingPartRow {
    event_id: i64,
    org_id: i64,
    slug: String,
    name: String,
}

const EVENT_SELECT: &str = "SELECT e.id, e.slug, e.org_id, o.slug AS org_slug, o.name AS org_name,
        e.title, e.kind, e.starts_local, e.ends_local, e.time_zone, e.recurrence, e.location,
        e.online_url, e.initiative, e.plan_id, d.slug AS plan_slug, d.title AS plan_title,
        e.description, e.visibility, e.status, e.sequence, e.starts_at, e.ends_at, e.milestone,
        e.created_at, e.updated_at
     FROM events e JOIN organisations o ON o.id = e.org_id LEFT JOIN documents d ON d.id = e.plan_id";

/// Stored text this version cannot read: logged, and the event is shown nowhere.
fn unreadable(id: i64, what: &str, problem: String) -> AppError {
    tracing::error!(event = id, "stored {what}: {problem}");
    AppError::Unreadable
}

const CANCELLED: &str = "cancelled";
const MOVED: &str = "moved";

fn exception_of(row: ExceptionRow) -> AppResult<Exception> {
    let id = row.event_id;
    let local = |text: &str| Local::parse(text).map_err(|m| unreadable(id, "exception", m));
    let occurrence = local(&row.occurrence)?;
    let change = match (row.status.as_str(), row.starts_local, row.ends_local) {
        (CANCELLED, _, _) => Exceptional::Cancelled,
        (MOVED, Some(start), Some(end)) => Exceptional::Moved(Span {
            start: local(&start)?,
            end: local(&end)?,
        }),
        (other, _, _) => {
            return Err(unreadable(
                id,
                "exception",
                format!("status {other:?} without the times it needs"),
            ))
        }
    };
    Ok(Exception { occurrence, change })
}

/// The events these rows are, with their organisations taking part and exceptions, read with
/// `conn` (the read pool, or a write's transaction to see its own changes).
async fn assemble(
    conn: &mut sqlx::AnyConnection,
    rows: Vec<EventRow>,
) -> AppResult<Vec<StoredEvent>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // Ids come from the database as integers: safe to write into the statement.
    let ids = rows
        .iter()
        .map(|r| r.id.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let taking_part: Vec<TakingPartRow> = sqlx::query_as(&format!(
        "SELECT p.event_id, o.id AS org_id, o.slug, o.name FROM event_organisations p
           JOIN organisations o ON o.id = p.org_id
         WHERE p.event_id IN ({ids}) ORDER BY o.name"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let exceptions: Vec<ExceptionRow> = sqlx::query_as(&format!(
        "SELECT event_id, occurrence, status, starts_local, ends_local FROM event_exceptions
         WHERE event_id IN ({ids}) ORDER BY occurrence"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut parts: BTreeMap<i64, Vec<TakingPartRow>> = BTreeMap::new();
    for p in taking_part {
        parts.entry(p.event_id).or_default().push(p);
    }
    let mut changes: BTreeMap<i64, Vec<Exception>> = BTreeMap::new();
    for e in exceptions {
        changes
            .entry(e.event_id)
            .or_default()
            .push(exception_of(e)?);
    }
    rows.into_iter()
        .map(|r| {
            let id = r.id;
            let local = |text: &str| Local::parse(text).map_err(|m| unreadable(id, "time", m));
            let first = Span {
                start: local(&r.starts_local)?,
                end: local(&r.ends_local)?,
            };
            let mut exceptions = changes.remove(&id).unwrap_or_default();
            exceptions.sort_by_key(|e| e.occurrence);
            let orgs = parts.remove(&id).unwrap_or_default();
            let mut taking_part_ids: Vec<i64> = orgs.iter().map(|p| p.org_id).collect();
            taking_part_ids.sort_unstable();
            Ok(StoredEvent {
                id,
                slug: r.slug,
                org: OrgRef {
                    slug: r.org_slug,
                    name: r.org_name,
                },
                taking_part: orgs
                    .into_iter()
                    .map(|p| OrgRef {
                        slug: p.slug,
                        name: p.name,
                    })
                    .collect(),
                plan: r.plan_slug.zip(r.plan_title),
                sequence: r.sequence,
                milestone: r.milestone,
                created_at: r.created_at,
                updated_at: r.updated_at,
                fields: EventFields {
                    org_id: r.org_id,
                    title: r.title,
                    kind: r.kind,
                    schedule: Schedule {
                        zone: r.time_zone,
                        first,
                        rule: Some(r.recurrence).filter(|rule| !rule.is_empty()),
                        exceptions,
                    },
                    taking_part: taking_part_ids,
                    initiative: r.initiative,
                    plan_id: r.plan_id,
                    location: r.location,
                    online_url: r.online_url,
                    description: r.description,
                    visibility: r.visibility,
                    status: r.status,
                    starts_at: r.starts_at,
                    ends_at: r.ends_at,
                },
            })
        })
        .collect()
}

/// One event by id, whoever asks (callers check permissions).
pub async fn find(db: &Db, id: i64) -> AppResult<Option<StoredEvent>> {
    let rows: Vec<EventRow> = sqlx::query_as(&format!("{EVENT_SELECT} WHERE e.id = $1"))
        .bind(id)
        .fetch_all(db.pool())
        .await?;
    Ok(assemble(&mut *db.pool().acquire().await?, rows)
        .await?
        .pop())
}

/// One event by the slug it was imported as, whoever asks.
pub async fn find_by_slug(db: &Db, slug: &str) -> AppResult<Option<StoredEvent>> {
    let rows: Vec<EventRow> = sqlx::query_as(&format!("{EVENT_SELECT} WHERE e.slug = $1"))
        .bind(slug)
        .fetch_all(db.pool())
        .await?;
    Ok(assemble(&mut *db.pool().acquire().await?, rows)
        .await?
        .pop())
}

/// Which events a list or feed wants, besides what the viewer may read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Run by this organisation or with it taking part.
    pub org_id: Option<i64>,
    pub kind: Option<EventKind>,
    pub initiative: Option<String>,
    /// Only events with an occurrence that may end after this stored instant…
    pub ends_after: Option<String>,
    /// …and starts before this one.
    pub starts_before: Option<String>,
    /// Only events of this deployment plan (its milestones and the events linked to it).
    pub plan_id: Option<i64>,
}

/// The events the viewer may read that match the filter, by first start.
pub async fn matching(db: &Db, viewer: &Viewer, filter: &Filter) -> AppResult<Vec<StoredEvent>> {
    // Every filter is always bound; an empty one matches everything.
    let sql = format!(
        "{EVENT_SELECT} WHERE {}
           AND ($1 = -1 OR e.org_id = $1
                OR EXISTS (SELECT 1 FROM event_organisations f WHERE f.event_id = e.id AND f.org_id = $1))
           AND ($2 = '' OR e.kind = $2)
           AND ($3 = '' OR e.initiative = $3)
           AND ($4 = '' OR e.ends_at IS NULL OR e.ends_at > $4)
           AND ($5 = '' OR e.starts_at < $5)
           AND ($6 = -1 OR e.plan_id = $6)
         ORDER BY e.starts_at, e.id",
        viewer.event_filter("e")
    );
    let mut conn = db.pool().acquire().await?;
    let rows: Vec<EventRow> = sqlx::query_as(&sql)
        .bind(filter.org_id.unwrap_or(-1))
        .bind(filter.kind.map(EventKind::as_str).unwrap_or_default())
        .bind(filter.initiative.as_deref().unwrap_or_default())
        .bind(filter.ends_after.as_deref().unwrap_or_default())
        .bind(filter.starts_before.as_deref().unwrap_or_default())
        .bind(filter.plan_id.unwrap_or(-1))
        .fetch_all(&mut *conn)
        .await?;
    assemble(&mut conn, rows).await
}

/// The organisations running or taking part in events the viewer may read, and the
/// initiatives of those events, each by name: what `/events` can be filtered by.
pub async fn facets(db: &Db, viewer: &Viewer) -> AppResult<(Vec<OrgRef>, Vec<String>)> {
    let filter = viewer.event_filter("e");
    let orgs: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT o.slug, o.name FROM organisations o WHERE EXISTS (
             SELECT 1 FROM events e WHERE {filter} AND (e.org_id = o.id OR EXISTS (
                 SELECT 1 FROM event_organisations t WHERE t.event_id = e.id AND t.org_id = o.id)))
         ORDER BY o.name"
    ))
    .fetch_all(db.pool())
    .await?;
    let initiatives: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT e.initiative FROM events e WHERE {filter} AND e.initiative <> ''
         ORDER BY e.initiative"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok((
        orgs.into_iter()
            .map(|(slug, name)| OrgRef { slug, name })
            .collect(),
        initiatives,
    ))
}

/// The columns of `events` that [`save`] writes from an event's fields, bound as `$1`, `$2`… in
/// this order by [`bind_fields`].
const FIELD_COLUMNS: [&str; 16] = [
    "org_id",
    "title",
    "kind",
    "starts_local",
    "ends_local",
    "time_zone",
    "recurrence",
    "location",
    "online_url",
    "initiative",
    "plan_id",
    "description",
    "visibility",
    "status",
    "starts_at",
    "ends_at",
];

/// Binds an event's fields in the order of [`FIELD_COLUMNS`].
fn bind_fields<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    event: &'q EventFields,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let schedule = &event.schedule;
    query
        .bind(event.org_id)
        .bind(event.title.as_str())
        .bind(event.kind)
        .bind(schedule.first.start.to_string())
        .bind(schedule.first.end.to_string())
        .bind(schedule.zone)
        .bind(schedule.rule.as_deref().unwrap_or_default())
        .bind(event.location.as_str())
        .bind(event.online_url.as_str())
        .bind(event.initiative.as_str())
        .bind(event.plan_id)
        .bind(event.description.as_str())
        .bind(event.visibility)
        .bind(event.status)
        .bind(event.starts_at.as_str())
        .bind(event.ends_at.as_deref())
}

/// Where a new event comes from, which stays with it: its slug (the file it was imported from,
/// or one made for it) and, for an event made from a plan's milestone, the milestone.
#[derive(Clone, Copy, Debug)]
pub struct Origin<'a> {
    pub slug: &'a str,
    pub milestone: Option<&'a str>,
}

/// Stores an event: a new one from `origin`, or a change to `previous`, which raises its
/// sequence. The caller records the returned change.
pub async fn save(
    rec: &mut Recorder,
    origin: Origin<'_>,
    event: &EventFields,
    previous: Option<&StoredEvent>,
) -> Result<(i64, Change), sqlx::Error> {
    let at = rec.at().to_owned();
    let n = FIELD_COLUMNS.len();
    let id = match previous {
        Some(previous) => {
            let assignments: Vec<String> = FIELD_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, column)| format!("{column} = ${}", i + 1))
                .collect();
            let sql = format!(
                "UPDATE events SET {}, sequence = sequence + 1, updated_at = ${} WHERE id = ${}",
                assignments.join(", "),
                n + 1,
                n + 2
            );
            bind_fields(sqlx::query(&sql), event)
                .bind(&at)
                .bind(previous.id)
                .execute(&mut **rec.tx())
                .await?;
            for table in ["event_organisations", "event_exceptions"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE event_id = $1"))
                    .bind(previous.id)
                    .execute(&mut **rec.tx())
                    .await?;
            }
            previous.id
        }
        None => {
            let values: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
            let sql = format!(
                "INSERT INTO events ({}, sequence, created_at, updated_at, slug, milestone)
                 VALUES ({}, 0, ${}, ${}, ${}, ${}) RETURNING id",
                FIELD_COLUMNS.join(", "),
                values.join(", "),
                n + 1,
                n + 1,
                n + 2,
                n + 3
            );
            let row = bind_fields(sqlx::query(&sql), event)
                .bind(&at)
                .bind(origin.slug)
                .bind(origin.milestone)
                .fetch_one(&mut **rec.tx())
                .await?;
            sqlx::Row::try_get::<i64, _>(&row, "id")?
        }
    };
    for org_id in &event.taking_part {
        sqlx::query("INSERT INTO event_organisations (event_id, org_id) VALUES ($1, $2)")
            .bind(id)
            .bind(org_id)
            .execute(&mut **rec.tx())
            .await?;
    }
    for e in &event.schedule.exceptions {
        let (status, span) = match e.change {
            Exceptional::Cancelled => (CANCELLED, None),
            Exceptional::Moved(span) => (MOVED, Some(span)),
        };
        sqlx::query(
            "INSERT INTO event_exceptions (event_id, occurrence, status, starts_local, ends_local)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(e.occurrence.to_string())
        .bind(status)
        .bind(span.map(|s| s.start.to_string()))
        .bind(span.map(|s| s.end.to_string()))
        .execute(&mut **rec.tx())
        .await?;
    }
    Ok((id, Change::upsert(Entity::Event, id, Some(event.org_id))))
}

/// Whether an event with this slug exists (new events get a slug of their own).
pub async fn slug_taken(rec: &mut Recorder, slug: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM events WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut **rec.tx())
        .await?;
    Ok(found.is_some())
}

/// The events made from a plan's milestones, as the write sees them.
pub async fn milestones_of(rec: &mut Recorder, plan_id: i64) -> AppResult<Vec<StoredEvent>> {
    let conn: &mut sqlx::AnyConnection = rec.tx();
    let rows: Vec<EventRow> = sqlx::query_as(&format!(
        "{EVENT_SELECT} WHERE e.plan_id = $1 AND e.milestone IS NOT NULL ORDER BY e.id"
    ))
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    assemble(conn, rows).await
}

/// The event as the write sees it (after the write's own changes), whoever asks.
pub async fn find_for_update(rec: &mut Recorder, id: i64) -> AppResult<Option<StoredEvent>> {
    let conn: &mut sqlx::AnyConnection = rec.tx();
    let rows: Vec<EventRow> = sqlx::query_as(&format!("{EVENT_SELECT} WHERE e.id = $1"))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(assemble(conn, rows).await?.pop())
}

/// Deletes an event with its organisations taking part and exceptions (the database cascades).
/// The caller records the returned change.
pub async fn delete(rec: &mut Recorder, event: &StoredEvent) -> Result<Change, sqlx::Error> {
    for table in ["event_organisations", "event_exceptions"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE event_id = $1"))
            .bind(event.id)
            .execute(&mut **rec.tx())
            .await?;
    }
    sqlx::query("DELETE FROM events WHERE id = $1")
        .bind(event.id)
        .execute(&mut **rec.tx())
        .await?;
    Ok(Change {
        entity: Entity::Event,
        id: event.id,
        op: crate::db::Op::Delete,
        org_id: Some(event.fields.org_id),
    })
}
