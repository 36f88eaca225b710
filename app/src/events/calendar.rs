//! The iCalendar (RFC 5545) text of a feed, written with the `icalendar` crate, which escapes
//! and folds every content line. Each event is one VEVENT with a stable UID
//! (`event-{id}@{public host}`), its SEQUENCE, its times in its time zone (described by a
//! VTIMEZONE), its RRULE and an EXDATE per cancelled occurrence; each moved occurrence is a
//! VEVENT of its own with the same UID and a RECURRENCE-ID. A cancelled event has
//! STATUS:CANCELLED, so calendars that subscribed strike it out.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Duration, Utc};
use icalendar::{CalendarDateTime, Component, DatePerhapsTime, Event, EventLike, Property};

use super::model::{event_href, PlanLink};
use super::recurrence::Change;
use super::store::StoredEvent;
use super::timing::{self, Local};
use super::{EventStatus, TimeZoneName};

/// An event of a feed, with its plan if the viewer may read it.
#[derive(Clone, Debug)]
pub struct FeedEvent {
    pub event: StoredEvent,
    pub plan: Option<PlanLink>,
}

/// A whole feed.
#[derive(Clone, Copy, Debug)]
pub struct Feed<'a> {
    /// What calendars call it.
    pub name: &'a str,
    /// The portal's address (`https://trustshare.example`), for links and UIDs.
    pub public_url: &'a str,
    pub events: &'a [FeedEvent],
}

/// The stable UID of an event: the same in every feed, for as long as the portal keeps its
/// address.
pub fn uid(id: i64, public_url: &str) -> String {
    let host = url::Url::parse(public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "trustshare".to_owned());
    format!("event-{id}@{host}")
}

/// A local point as iCalendar writes it: a DATE, or a DATE-TIME with the zone's TZID.
fn point(zone: TimeZoneName, at: Local) -> DatePerhapsTime {
    match at {
        Local::Date(d) => DatePerhapsTime::Date(d),
        Local::DateTime(dt) => DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone {
            date_time: dt,
            tzid: zone.as_str().to_owned(),
        }),
    }
}

/// An end as iCalendar writes it: all day, the day after the last (DTEND is exclusive).
fn end_point(zone: TimeZoneName, end: Local) -> DatePerhapsTime {
    match end {
        Local::Date(d) => DatePerhapsTime::Date(d + Duration::days(1)),
        other => point(zone, other),
    }
}

fn utc(stored: &str) -> DateTime<Utc> {
    timing::parse_stored(stored).unwrap_or_default()
}

/// What calendars show as the event's notes: its description as plain text, who runs it and
/// takes part, the plan and the links.
fn description(e: &FeedEvent, public_url: &str, page: &str) -> String {
    let f = &e.event.fields;
    let mut parts = Vec::new();
    parts.extend(notes(&f.description));
    let mut who = format!("Run by {}.", e.event.org.name);
    if !e.event.taking_part.is_empty() {
        let names: Vec<&str> = e
            .event
            .taking_part
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        who.push_str(&format!(" Taking part: {}.", names.join(", ")));
    }
    parts.push(who);
    if !f.initiative.is_empty() {
        parts.push(format!("Initiative: {}", f.initiative));
    }
    if let Some(plan) = &e.plan {
        parts.push(format!(
            "Deployment plan: {} ({public_url}{})",
            plan.title, plan.href
        ));
    }
    if !f.online_url.is_empty() {
        parts.push(format!("Join online: {}", f.online_url));
    }
    parts.push(format!("Details: {page}"));
    parts.join("\n\n")
}

/// A description as plain text, block by block, so that calendar notes keep its paragraphs
/// and list items their lines.
fn notes(markdown: &str) -> Vec<String> {
    let markdown = markdown.replace("\r\n", "\n");
    let mut blocks = Vec::new();
    for block in markdown.split("\n\n") {
        let lines: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
        let text = if lines.len() > 1 && lines.iter().all(|l| is_list_item(l)) {
            lines
                .iter()
                .map(|l| format!("- {}", crate::markdown::plain_text(l)))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            crate::markdown::plain_text(block)
        };
        if !text.is_empty() {
            blocks.push(text);
        }
    }
    blocks
}

/// Whether a Markdown line starts a list item: `- `, `* `, `+ `, `1. ` or `1) `.
fn is_list_item(line: &str) -> bool {
    let line = line.trim_start();
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return true;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// The properties every VEVENT of an event shares, master and moved occurrences alike.
fn common(event: &mut Event, e: &FeedEvent, public_url: &str, uid: &str, page: &str) {
    let f = &e.event.fields;
    event
        .uid(uid)
        .timestamp(utc(&e.event.updated_at))
        .sequence(u32::try_from(e.event.sequence).unwrap_or(u32::MAX))
        .summary(&f.title)
        .description(&description(e, public_url, page))
        .url(page)
        .status(match f.status {
            EventStatus::Planned => icalendar::EventStatus::Tentative,
            EventStatus::Confirmed => icalendar::EventStatus::Confirmed,
            EventStatus::Cancelled => icalendar::EventStatus::Cancelled,
        })
        .add_property("CATEGORIES", f.kind.label());
    if !f.location.is_empty() {
        event.location(&f.location);
    } else if !f.online_url.is_empty() {
        event.location(&f.online_url);
    }
    if !f.online_url.is_empty() {
        // RFC 7986: calendars that know it offer a "join" button.
        event.append_property(
            Property::new("CONFERENCE", f.online_url.as_str())
                .add_parameter("VALUE", "URI")
                .add_parameter("FEATURE", "VIDEO")
                .add_parameter("LABEL", "Online meeting")
                .done(),
        );
    }
    // All-day events (go-lives, freezes) do not make people look busy.
    let all_day = f.schedule.first.start.is_date();
    event.add_property("TRANSP", if all_day { "TRANSPARENT" } else { "OPAQUE" });
}

/// The VEVENTs of one event: the master, then each moved occurrence.
fn events(e: &FeedEvent, public_url: &str) -> Vec<Event> {
    let f = &e.event.fields;
    let zone = f.schedule.zone;
    let uid = uid(e.event.id, public_url);
    let page = format!("{public_url}{}", event_href(e.event.id));
    let mut master = Event::new();
    common(&mut master, e, public_url, &uid, &page);
    master
        .created(utc(&e.event.created_at))
        .last_modified(utc(&e.event.updated_at))
        .starts(point(zone, f.schedule.first.start))
        .ends(end_point(zone, f.schedule.first.end));
    if let Some(rule) = &f.schedule.rule {
        master.add_property("RRULE", rule.as_str());
    }
    let mut out = Vec::new();
    for x in &f.schedule.exceptions {
        match x.change {
            Change::Cancelled => {
                master.exdate(point(zone, x.occurrence));
            }
            Change::Moved(span) => {
                let mut moved = Event::new();
                common(&mut moved, e, public_url, &uid, &page);
                moved
                    .recurrence_id(point(zone, x.occurrence))
                    .starts(point(zone, span.start))
                    .ends(end_point(zone, span.end));
                out.push(moved.done());
            }
        }
    }
    out.insert(0, master.done());
    out
}

/// The VTIMEZONE of a zone, from its rules in `timing`.
fn vtimezone(zone: TimeZoneName) -> Result<String, fmt::Error> {
    let mut text = format!(
        "BEGIN:VTIMEZONE\r\n{}",
        line(Property::new("TZID", zone.as_str()))?
    );
    for o in timing::observances(zone) {
        let part = if o.daylight { "DAYLIGHT" } else { "STANDARD" };
        text.push_str(&format!("BEGIN:{part}\r\n"));
        for (key, value) in [
            ("DTSTART", o.starts),
            ("RRULE", o.rule),
            ("TZNAME", o.name),
            ("TZOFFSETFROM", o.offset_from),
            ("TZOFFSETTO", o.offset_to),
        ] {
            text.push_str(&line(Property::new(key, value))?);
        }
        text.push_str(&format!("END:{part}\r\n"));
    }
    text.push_str("END:VTIMEZONE\r\n");
    Ok(text)
}

/// One content line, escaped and folded by the crate.
fn line(property: Property) -> Result<String, fmt::Error> {
    property.try_into()
}

/// The feed as iCalendar text (CRLF line ends). The frame and the VTIMEZONE are written here,
/// since the crate has no VTIMEZONE of its own; every content line goes through its escaping
/// and folding.
pub fn write(feed: &Feed<'_>) -> Result<String, fmt::Error> {
    let zones: BTreeSet<TimeZoneName> = feed
        .events
        .iter()
        .map(|e| e.event.fields.schedule.zone)
        .chain([TimeZoneName::default()])
        .collect();
    let mut text = String::from("BEGIN:VCALENDAR\r\n");
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//Trustshare//Schedules//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", feed.name),
        ("X-WR-TIMEZONE", TimeZoneName::default().as_str()),
        ("X-PUBLISHED-TTL", "PT1H"),
    ] {
        text.push_str(&line(Property::new(key, value))?);
    }
    text.push_str(&line(
        Property::new("REFRESH-INTERVAL", "PT1H")
            .add_parameter("VALUE", "DURATION")
            .done(),
    )?);
    for zone in zones {
        text.push_str(&vtimezone(zone)?);
    }
    for e in feed.events {
        for event in events(e, feed.public_url) {
            let written: String = event.try_into()?;
            text.push_str(&written);
        }
    }
    text.push_str("END:VCALENDAR\r\n");
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::notes;

    #[test]
    fn notes_keep_paragraphs_and_list_lines_as_plain_text() {
        let text = "An **agenda**:\r\n\r\n1. Boards\n2. Risks, shared\n\n- one\n- [two](/x)\n\nLast *line*.";
        assert_eq!(
            notes(text),
            [
                "An agenda:",
                "- Boards\n- Risks, shared",
                "- one\n- two",
                "Last line."
            ]
        );
    }
}
