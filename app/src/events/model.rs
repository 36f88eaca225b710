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
    /// `month` for the month grid; the list otherwise.
    #[serde(default)]
    pub view: Option<String>,
    /// The month the grid shows, `2027-03`; the current month when not given.
    #[serde(default)]
    pub month: Option<String>,
}

impl EventQuery {
    /// Whether this is the past tab.
    pub fn past(&self) -> bool {
        self.when.as_deref() == Some("past") && !self.month_view()
    }

    /// Whether this is the month grid.
    pub fn month_view(&self) -> bool {
        self.view.as_deref() == Some("month")
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
    /// Whether the viewer may add events.
    pub can_add: bool,
    /// The month grid, when asked for (`view=month`).
    pub month: Option<MonthGrid>,
}

/// One month of events as a grid of weeks, Monday first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthGrid {
    /// "March 2027".
    pub title: String,
    /// `2027-03`.
    pub month: String,
    pub previous: String,
    pub next: String,
    /// Each week's seven days; `None` for days of the months before and after.
    pub weeks: Vec<Vec<Option<GridDay>>>,
}

/// One day of the grid with the events on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridDay {
    /// `2027-03-02`.
    pub date: String,
    pub day: u32,
    /// "Tuesday 2 March 2027".
    pub label: String,
    pub today: bool,
    pub items: Vec<GridItem>,
}

/// An event on a day of the grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridItem {
    pub event_id: i64,
    pub title: String,
    /// "10:00", or empty all day.
    pub time: String,
    pub status: EventStatus,
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
    /// For an event made from its plan's milestone, the milestone: it follows the plan.
    pub milestone: Option<String>,
    /// Whether the viewer may change it.
    pub can_edit: bool,
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

/// The event editor's form, every value as typed. Posted to `events/save` as `form[…]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventForm {
    /// The event being changed; 0 for a new one.
    #[serde(default)]
    pub id: i64,
    /// The event's sequence when the form was shown: a change saved meanwhile is not
    /// overwritten.
    #[serde(default)]
    pub sequence: i64,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    /// The slug of the organisation that runs it.
    #[serde(default)]
    pub org: String,
    /// The organisations taking part, by slug (a ticked box sends `form[taking_part][slug]`).
    #[serde(default)]
    pub taking_part: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub initiative: String,
    /// The slug of the deployment plan it belongs to.
    #[serde(default)]
    pub plan: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub start_date: String,
    /// `HH:MM`; empty with `end_time` for an all-day event.
    #[serde(default)]
    pub start_time: String,
    /// The last day; empty for the day it starts.
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub end_time: String,
    /// An RFC 5545 rule, or empty for a one-off event.
    #[serde(default)]
    pub repeat: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub online_meeting: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub status: String,
    /// Markdown.
    #[serde(default)]
    pub description: String,
}

/// What to do with one occurrence of a repeating event. Posted to `events/occurrence`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccurrenceForm {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub sequence: i64,
    /// `cancel`, `move` or `restore`.
    #[serde(default)]
    pub action: String,
    /// The occurrence's original start, as stored: `2026-04-07T10:00` or `2026-04-07`.
    #[serde(default)]
    pub occurrence: String,
    /// For `move`: the new date and times, as in [`EventForm`].
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub end_time: String,
}

/// An occurrence the editor offers to cancel or move, or one already cancelled or moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccurrenceChoice {
    /// The original start, as stored.
    pub value: String,
    /// As people read it, with what became of it.
    pub label: String,
}

/// `/events/new` and `/events/{id}/edit`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventEditor {
    /// The event being changed; `None` for a new one.
    pub id: Option<i64>,
    pub heading: String,
    pub form: EventForm,
    pub errors: Vec<crate::components::form::FormError>,
    /// The organisations the user may run events for.
    pub orgs: Vec<Choice>,
    /// Every organisation, to tick those taking part.
    pub all_orgs: Vec<Choice>,
    /// Whether the event repeats (as stored), so single occurrences can be changed.
    pub repeats: bool,
    /// Its next occurrences, which can be cancelled or moved.
    pub occurrences: Vec<OccurrenceChoice>,
    /// Those already cancelled or moved, which can be restored.
    pub exceptions: Vec<OccurrenceChoice>,
    /// The move form as last typed, with its errors.
    pub occurrence_form: OccurrenceForm,
    pub occurrence_errors: Vec<crate::components::form::FormError>,
}

impl EventEditor {
    /// The address of the editor.
    pub fn href(id: Option<i64>) -> String {
        match id {
            Some(id) => format!("/events/{id}/edit"),
            None => "/events/new".to_owned(),
        }
    }
}

/// Whose upcoming events a page shows beside its own content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UpcomingOf {
    /// An organisation's (running or taking part), by slug.
    Org(String),
    /// A deployment plan's (its milestones and the events linked to it), by slug.
    Plan(String),
}

/// The next events of an organisation or a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upcoming {
    pub items: Vec<ListedOccurrence>,
    /// Whether there are more than are shown.
    pub more: bool,
    /// Where all of them are listed, when `/events` can filter by it.
    pub list_href: Option<String>,
    /// Their calendar feed.
    pub feed_href: String,
}
