//! The rules an event meets, whether imported or (later) typed into a form: each broken rule is
//! a [`Problem`] naming the field, in words an author can act on.

use serde::Deserialize;

use super::recurrence::{self, Change, Exception, Schedule};
use super::store::EventFields;
use super::timing::{self, Local, Span};
use super::{EventKind, EventStatus, TimeZoneName};
use crate::db::Db;
use crate::error::AppResult;
use crate::kind::Problem;
use crate::kinds::DocKind;
use crate::limits::{too_long, MAX_LINE_CHARS, MAX_SECTION_CHARS, MAX_TITLE_CHARS};
use crate::permissions::Visibility;

/// Most organisations taking part in one event.
pub const MAX_TAKING_PART: usize = 50;
/// Most occurrences of one event cancelled or moved.
pub const MAX_EXCEPTIONS: usize = 200;
/// Longest online-meeting link.
pub const MAX_LINK_CHARS: usize = 2000;
/// Longest a timed event lasts; longer ones are written as all-day dates.
pub const MAX_TIMED_DAYS: i64 = 7;
/// Longest an all-day event (a change freeze, say) lasts.
pub const MAX_ALL_DAY_DAYS: i64 = 366;

/// An event as written, every value as typed; the front matter of `content/events/*.md` (whose
/// Markdown text is the description).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    pub title: String,
    pub kind: String,
    /// The slug of the organisation that runs it.
    pub organisation: String,
    /// The slugs of the organisations taking part besides it.
    #[serde(default)]
    pub taking_part: Vec<String>,
    #[serde(default)]
    pub initiative: String,
    /// The slug of the deployment plan it belongs to.
    #[serde(default)]
    pub plan: Option<String>,
    /// `2026-03-03T10:00` in the time zone, or `2026-03-03` all day.
    pub start: String,
    /// Of the same form; all day, the last day.
    pub end: String,
    /// `Europe/London` unless given.
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub location: String,
    /// An `https://` link to the online meeting.
    #[serde(default)]
    pub online_meeting: String,
    pub visibility: String,
    /// `planned` unless given.
    #[serde(default)]
    pub status: Option<String>,
    /// An RFC 5545 recurrence rule: `FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1TU`.
    #[serde(default)]
    pub repeat: Option<String>,
    /// Original starts of occurrences that will not take place.
    #[serde(default)]
    pub cancelled: Vec<String>,
    /// Occurrences that take place at another time.
    #[serde(default)]
    pub moved: Vec<MovedInput>,
    /// Markdown.
    #[serde(skip)]
    pub description: String,
}

/// One occurrence moved: its original start, and its new start and end.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovedInput {
    pub from: String,
    pub start: String,
    pub end: String,
}

/// Checks an event as written; the outer error is a fault (the database), the inner every rule
/// it breaks, each naming its field, in the order of the fields.
pub async fn check(db: &Db, input: &EventInput) -> AppResult<Result<EventFields, Vec<Problem>>> {
    let mut problems = Vec::new();
    let org = input.organisation.trim();
    let org_id = crate::orgs::store::id_by_slug(db.pool(), org).await?;
    if org_id.is_none() {
        problems.push(missing(
            "organisation",
            "organisation",
            org,
            "organisations",
        ));
    }
    let mut taking_part = Vec::new();
    if input.taking_part.len() > MAX_TAKING_PART {
        problems.push(Problem::new(
            "taking_part",
            format!("at most {MAX_TAKING_PART} organisations can take part"),
        ));
    } else {
        for slug in input.taking_part.iter().map(|s| s.trim()) {
            match crate::orgs::store::id_by_slug(db.pool(), slug).await? {
                Some(id) => taking_part.push(id),
                None => {
                    problems.push(missing(
                        "taking_part",
                        "organisation",
                        slug,
                        "organisations",
                    ));
                    break;
                }
            }
        }
    }
    taking_part.retain(|id| Some(*id) != org_id);
    taking_part.sort_unstable();
    taking_part.dedup();
    let plan = input
        .plan
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let plan_id = match plan {
        None => None,
        Some(slug) => {
            let plans = DocKind::from_code(<crate::plans::Plans as crate::kind::Kind>::NAMES.code);
            let found = match plans {
                Some(kind) => crate::documents::store::find(db.pool(), kind, slug).await?,
                None => None,
            };
            match found {
                Some(plan) => Some(plan.id),
                None => {
                    problems.push(missing("plan", "deployment plan", slug, "plans"));
                    None
                }
            }
        }
    };
    let checked = check_fields(input, org_id.unwrap_or_default(), taking_part, plan_id);
    match checked {
        Ok(fields) if problems.is_empty() => Ok(Ok(fields)),
        Ok(_) => Ok(Err(problems)),
        Err(more) => {
            problems.extend(more);
            Ok(Err(problems))
        }
    }
}

/// "no organisation with slug …", naming the file that would define it.
fn missing(field: &str, what: &str, slug: &str, folder: &str) -> Problem {
    Problem::new(
        field,
        format!("no {what} with slug {slug:?} (expected a file {folder}/{slug}.md)"),
    )
}

/// The rules that need nothing stored: every one broken, in the order of the fields. The times
/// are checked as far as the parts they depend on allow (no rule is checked against a start
/// that is not a time).
pub(crate) fn check_fields(
    input: &EventInput,
    org_id: i64,
    taking_part: Vec<i64>,
    plan_id: Option<i64>,
) -> Result<EventFields, Vec<Problem>> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut note = |result: Result<(), Problem>| {
        if let Err(p) = result {
            problems.push(p);
        }
    };
    let title = input.title.trim();
    if title.is_empty() {
        note(Err(Problem::new("title", "must not be empty")));
    }
    let long = |field: &str, what: &str, text: &str, max: usize| match too_long(what, text, max) {
        Some(m) => Err(Problem::new(field, m)),
        None => Ok(()),
    };
    note(long("title", "The title", title, MAX_TITLE_CHARS));
    note(long(
        "initiative",
        "The initiative",
        input.initiative.trim(),
        MAX_LINE_CHARS,
    ));
    note(long(
        "location",
        "The location",
        input.location.trim(),
        MAX_LINE_CHARS,
    ));
    // `body`, as for documents: the Markdown text after the front matter.
    note(long(
        "body",
        "The description",
        &input.description,
        MAX_SECTION_CHARS,
    ));
    let kind = EventKind::parse(&input.kind).map_err(|m| Problem::new("kind", m));
    let visibility =
        Visibility::parse(&input.visibility).map_err(|m| Problem::new("visibility", m));
    let status = match input.status.as_deref() {
        None => Ok(EventStatus::Planned),
        Some(s) => EventStatus::parse(s).map_err(|m| Problem::new("status", m)),
    };
    let zone = match input.time_zone.as_deref() {
        None => Ok(TimeZoneName::default()),
        Some(z) => TimeZoneName::parse(z).map_err(|m| Problem::new("time_zone", m)),
    };
    let online_url =
        check_link(&input.online_meeting).map_err(|m| Problem::new("online_meeting", m));
    let schedule = zone.clone().and_then(|zone| {
        let first = check_span(zone, &input.start, &input.end, ("start", "end"))?;
        let rule = match input
            .repeat
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            None => None,
            Some(r) => Some(
                recurrence::check_rule(r, first.start, zone)
                    .map_err(|m| Problem::new("repeat", m))?,
            ),
        };
        let mut schedule = Schedule {
            zone,
            first,
            rule,
            exceptions: Vec::new(),
        };
        schedule.exceptions = check_exceptions(input, &schedule)?;
        let (starts, ends) = schedule.bounds().map_err(|m| Problem::new("start", m))?;
        Ok((schedule, starts, ends))
    });
    // Reported in the order the fields come in.
    for result in [
        kind.as_ref().map(|_| ()),
        visibility.as_ref().map(|_| ()),
        status.as_ref().map(|_| ()),
        online_url.as_ref().map(|_| ()),
    ] {
        note(result.map_err(Clone::clone));
    }
    if zone.is_ok() {
        note(schedule.as_ref().map(|_| ()).map_err(Clone::clone));
    } else {
        note(zone.map(|_| ()));
    }
    match (kind, visibility, status, online_url, schedule) {
        (Ok(kind), Ok(visibility), Ok(status), Ok(online_url), Ok((schedule, starts, ends)))
            if problems.is_empty() =>
        {
            Ok(EventFields {
                org_id,
                title: title.to_owned(),
                kind,
                schedule,
                taking_part,
                initiative: input.initiative.trim().to_owned(),
                plan_id,
                location: input.location.trim().to_owned(),
                online_url,
                description: input.description.trim().to_owned(),
                visibility,
                status,
                starts_at: timing::stored(starts),
                ends_at: ends.map(timing::stored),
            })
        }
        _ => Err(problems),
    }
}

/// A start and an end as written: both dates, or both times; the end not before the start;
/// not too long; both real times in the zone.
fn check_span(
    zone: TimeZoneName,
    start: &str,
    end: &str,
    (start_field, end_field): (&str, &str),
) -> Result<Span, Problem> {
    let start = Local::parse(start).map_err(|m| Problem::new(start_field, m))?;
    let end = Local::parse(end).map_err(|m| Problem::new(end_field, m))?;
    if start.is_date() != end.is_date() {
        return Err(Problem::new(
            end_field,
            "write the start and the end alike: both dates (all day) or both dates with times",
        ));
    }
    let span = Span { start, end };
    let length = span.length();
    if start.is_date() {
        if length.num_days() < 0 {
            return Err(Problem::new(end_field, "the last day is before the first"));
        }
        if length.num_days() >= MAX_ALL_DAY_DAYS {
            return Err(Problem::new(
                end_field,
                format!("an event lasts at most {MAX_ALL_DAY_DAYS} days"),
            ));
        }
    } else {
        if length.num_minutes() <= 0 {
            return Err(Problem::new(end_field, "it must end after it starts"));
        }
        if length.num_days() >= MAX_TIMED_DAYS {
            return Err(Problem::new(
                end_field,
                format!("a timed event lasts less than {MAX_TIMED_DAYS} days: write a longer one as all-day dates"),
            ));
        }
    }
    timing::instant(zone, start).map_err(|m| Problem::new(start_field, m))?;
    timing::instant(zone, end).map_err(|m| Problem::new(end_field, m))?;
    Ok(span)
}

/// The cancelled and moved occurrences: each one the rule gives, named once.
fn check_exceptions(input: &EventInput, schedule: &Schedule) -> Result<Vec<Exception>, Problem> {
    let count = input.cancelled.len() + input.moved.len();
    if count == 0 {
        return Ok(Vec::new());
    }
    let field = if input.cancelled.is_empty() {
        "moved"
    } else {
        "cancelled"
    };
    if schedule.rule.is_none() {
        return Err(Problem::new(
            field,
            "only a repeating event (with `repeat`) has single occurrences to cancel or move; change `start`, `end` or `status` instead",
        ));
    }
    if count > MAX_EXCEPTIONS {
        return Err(Problem::new(
            field,
            format!("at most {MAX_EXCEPTIONS} occurrences can be cancelled or moved"),
        ));
    }
    let occurrence = |field: &str, text: &str| -> Result<Local, Problem> {
        let at = Local::parse(text).map_err(|m| Problem::new(field, m))?;
        let given = schedule.gives(at).map_err(|m| Problem::new(field, m))?;
        if !given {
            return Err(Problem::new(
                field,
                format!(
                    "{at} is not an occurrence of this event: name one the rule gives, written like the start ({})",
                    schedule.first.start
                ),
            ));
        }
        Ok(at)
    };
    let mut exceptions: Vec<Exception> = Vec::new();
    let mut add = |field: &str, e: Exception| {
        if exceptions.iter().any(|x| x.occurrence == e.occurrence) {
            return Err(Problem::new(
                field,
                format!("{} is cancelled or moved more than once", e.occurrence),
            ));
        }
        exceptions.push(e);
        Ok(())
    };
    for text in &input.cancelled {
        let at = occurrence("cancelled", text)?;
        add(
            "cancelled",
            Exception {
                occurrence: at,
                change: Change::Cancelled,
            },
        )?;
    }
    for moved in &input.moved {
        let at = occurrence("moved", &moved.from)?;
        let span = check_span(schedule.zone, &moved.start, &moved.end, ("moved", "moved"))?;
        if span.start.is_date() != schedule.first.start.is_date() {
            return Err(Problem::new(
                "moved",
                "write the new start and end like the event's own: dates for an all-day event, dates with times otherwise",
            ));
        }
        add(
            "moved",
            Exception {
                occurrence: at,
                change: Change::Moved(span),
            },
        )?;
    }
    exceptions.sort_by_key(|e| e.occurrence);
    Ok(exceptions)
}

/// An online-meeting link: empty, or a full `https://` address with a host and no user name
/// or password in it. Returned as the URL standard writes it.
pub fn check_link(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    if let Some(m) = too_long("The link", text, MAX_LINK_CHARS) {
        return Err(m);
    }
    let url = url::Url::parse(text).map_err(|_| {
        format!("{text:?} is not a web address: write it in full, starting https://")
    })?;
    if url.scheme() != "https" {
        return Err(format!(
            "{text:?} must start with https:// (online-meeting links are never plain http or another kind)"
        ));
    }
    if url.host_str().is_none_or(str::is_empty)
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(format!(
            "{text:?} must name a host and carry no user name or password"
        ));
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EventInput {
        EventInput {
            title: "Quarterly update".into(),
            kind: "project-update-meeting".into(),
            organisation: "nss".into(),
            start: "2026-01-06T10:00".into(),
            end: "2026-01-06T12:00".into(),
            visibility: "public".into(),
            repeat: Some("FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1TU".into()),
            ..EventInput::default()
        }
    }

    fn problem(input: &EventInput) -> Problem {
        check_fields(input, 1, Vec::new(), None)
            .unwrap_err()
            .remove(0)
    }

    #[test]
    fn online_meeting_links_are_full_https_addresses() {
        assert_eq!(check_link(" ").unwrap(), "");
        assert_eq!(
            check_link("https://teams.example/l/meetup-join/19%3ameeting").unwrap(),
            "https://teams.example/l/meetup-join/19%3ameeting"
        );
        assert!(check_link("http://teams.example/x")
            .unwrap_err()
            .contains("https://"));
        assert!(check_link("javascript:alert(1)")
            .unwrap_err()
            .contains("https://"));
        assert!(check_link("teams.example/x")
            .unwrap_err()
            .contains("not a web address"));
        assert!(check_link("https://user:pw@teams.example/")
            .unwrap_err()
            .contains("password"));
    }

    #[test]
    fn every_broken_rule_is_reported_at_once_in_the_order_of_the_fields() {
        let mut i = input();
        i.title = " ".into();
        i.kind = "party".into();
        i.online_meeting = "http://x.example".into();
        i.end = "2026-01-06T09:00".into();
        let fields: Vec<String> = check_fields(&i, 1, Vec::new(), None)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["title", "kind", "online_meeting", "end"]);
    }

    #[test]
    fn each_broken_rule_names_its_field() {
        let fields = check_fields(&input(), 1, Vec::new(), None).unwrap();
        assert_eq!(fields.status, EventStatus::Planned, "planned unless given");
        assert_eq!(fields.starts_at, "2026-01-06T10:00:00Z");
        assert_eq!(fields.ends_at, None);

        let mut i = input();
        i.end = "2026-01-06".into();
        assert_eq!(problem(&i).field, "end");
        let mut i = input();
        i.end = "2026-01-06T09:00".into();
        assert!(problem(&i).message.contains("end after it starts"));
        let mut i = input();
        i.kind = "party".into();
        assert_eq!(problem(&i).field, "kind");
        let mut i = input();
        i.online_meeting = "http://x.example".into();
        assert_eq!(problem(&i).field, "online_meeting");
        let mut i = input();
        i.cancelled = vec!["2026-04-08T10:00".into()];
        let p = problem(&i);
        assert_eq!(p.field, "cancelled");
        assert!(p.message.contains("not an occurrence"), "{}", p.message);
        let mut i = input();
        i.cancelled = vec!["2026-04-07T10:00".into()];
        i.moved = vec![MovedInput {
            from: "2026-04-07T10:00".into(),
            start: "2026-04-14T10:00".into(),
            end: "2026-04-14T12:00".into(),
        }];
        assert!(problem(&i).message.contains("more than once"));
        let mut i = input();
        i.repeat = None;
        i.cancelled = vec!["2026-01-06T10:00".into()];
        assert!(problem(&i).message.contains("only a repeating event"));
        let mut i = input();
        i.start = "2026-03-29T01:30".into();
        i.end = "2026-03-29T03:00".into();
        i.repeat = None;
        assert_eq!(problem(&i).field, "start");
    }
}
