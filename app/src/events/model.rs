//! What the event pages show and what their filters send: shared by server and browser.

use serde::{Deserialize, Serialize};

use super::{EventKind, EventStatus};
use crate::orgs::OrgRef;
use crate::permissions::Visibility;

/// How far ahead `/events` looks, and how far back its past tab does.
pub const LIST_MONTHS: i64 = 12;
/// Most occurrences one list shows.
pub const MAX_LISTED: usize = 200;

/// One occurrence's time, as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    pub all_day: bool,
    /// The local start as written: `2026-04-07T10:00`, or `2026-04-07` all day.
    pub start: String,
    /// The local end as written; all day, the last day.
    pub end: String,
    /// The instants it starts and ends, in UTC (RFC 3339); all day, the first day's start and
    /// the last day's end in the event's time zone.
    pub start_utc: String,
    pub end_utc: String,
    /// For `<time datetime>`: the local start with its offset (`2026-04-07T10:00+01:00`), or
    /// the date all day.
    pub datetime: String,
    /// What people read: "Tuesday 7 April 2026, 10:00 to 12:00".
    pub text: String,
    /// This occurrence's status: the event's, or cancelled when this one alone was.
    pub status: EventStatus,
    /// When this occurrence was moved: the time it was first planned for, as people read it.
    pub moved_from: Option<String>,
}

/// An occurrence in a list, with the event it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedOccurrence {
    pub event_id: i64,
    pub title: String,
    pub kind: EventKind,
    /// The organisation that runs it.
    pub org: OrgRef,
    pub location: String,
    /// Whether it has an online-meeting link.
    pub online: bool,
    pub when: Occurrence,
}

impl ListedOccurrence {
    pub fn href(&self) -> String {
        event_href(self.event_id)
    }
}

/// The address of an event's page.
pub fn event_href(id: i64) -> String {
    format!("/events/{id}")
}

/// Filters of `/events` (and of the feed `/events.ics`), as given in the address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventQuery {
    /// The slug of an organisation that runs or takes part in the events.
    pub org: Option<String>,
    /// The code of a kind of event.
    pub kind: Option<String>,
    pub initiative: Option<String>,
    /// `past` for the past tab; upcoming otherwise.
    pub when: Option<String>,
}

impl EventQuery {
    /// Whether this is the past tab.
    pub fn past(&self) -> bool {
        self.when.as_deref() == Some("past")
    }

    /// The filters (not the tab) as a query string, empty values left out: `org=nhs-fife&kind=go-live`.
    pub fn filters(&self) -> String {
        [
            ("org", &self.org),
            ("kind", &self.kind),
            ("initiative", &self.initiative),
        ]
        .into_iter()
        .filter_map(|(name, value)| {
            let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            Some(format!(
                "{name}={}",
                crate::components::layout::encode(value)
            ))
        })
        .collect::<Vec<_>>()
        .join("&")
    }

    /// An address with these filters: `base?filters`, and `extra` (`when=past`) after them.
    pub fn href(&self, base: &str, extra: Option<&str>) -> String {
        let query: Vec<String> = [Some(self.filters()), extra.map(str::to_owned)]
            .into_iter()
            .flatten()
            .filter(|q| !q.is_empty())
            .collect();
        if query.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", query.join("&"))
        }
    }
}

/// A value a list can be filtered by, with its label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// `/events`: the occurrences of one tab with its filters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventList {
    /// Upcoming: soonest first; past: latest first.
    pub items: Vec<ListedOccurrence>,
    /// Whether more occurrences matched than a list shows.
    pub truncated: bool,
    pub past: bool,
    /// Organisations running or taking part in events the viewer may read.
    pub orgs: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub initiatives: Vec<String>,
}

/// A deployment plan an event belongs to, shown when the viewer may read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLink {
    pub href: String,
    pub title: String,
}

/// `/events/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub id: i64,
    pub title: String,
    pub kind: EventKind,
    pub status: EventStatus,
    pub visibility: Visibility,
    pub org: OrgRef,
    pub taking_part: Vec<OrgRef>,
    pub initiative: String,
    pub location: String,
    pub online_url: String,
    pub plan: Option<PlanLink>,
    /// Sanitised HTML of the description.
    pub description_html: String,
    /// The time zone as people read it ("UK time, Europe/London").
    pub zone: String,
    /// The first occurrence, as planned.
    pub first: Occurrence,
    /// The recurrence rule (RFC 5545), if it repeats.
    pub rule: Option<String>,
    /// The next occurrences (for a one-off event, itself while it is to come), with any that
    /// were cancelled or moved.
    pub upcoming: Vec<Occurrence>,
    /// The iCalendar SEQUENCE: how many times it has changed.
    pub sequence: i64,
}

impl EventView {
    pub fn href(&self) -> String {
        event_href(self.id)
    }

    /// Its iCalendar file.
    pub fn calendar_href(&self) -> String {
        format!("/events/{}.ics", self.id)
    }
}
