//! Schedules: events (project update meetings, go-lives, training days, change freezes…) with
//! their times, recurrence and the organisations taking part, the `/events` pages and the
//! iCalendar feeds that bring them into people's own calendars.
//!
//! - `model`: what the pages show, shared by server and browser;
//! - `timing`: local times in a time zone or all-day dates, the instants they stand for, and the
//!   zone's rules as iCalendar describes them (chrono and chrono-tz stay inside this module,
//!   the rest of the portal uses `time`);
//! - `recurrence`: RFC 5545 rules expanded with the `rrule` crate, with single occurrences
//!   cancelled or moved;
//! - `validate`: the rules an event meets, for the importer and the editor;
//! - `milestones`: deployment plan milestones as events, following the plan's approved revision;
//! - `store`: the `events` tables; every write goes through the recorder;
//! - `reading`: lists, pages and feeds after the permission check;
//! - `editing`: the event editor, and single dates cancelled, moved or restored;
//! - `calendar`: the iCalendar text of a feed;
//! - `tokens`: secret calendar feed addresses, each reading as its owner, for feeds alone;
//! - `api`, `pages`, `edit_page`: server functions and pages.

pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod edit_page;
#[cfg(feature = "ssr")]
pub mod editing;
#[cfg(feature = "ssr")]
pub mod milestones;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod reading;
#[cfg(feature = "ssr")]
pub mod recurrence;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod timing;
#[cfg(feature = "ssr")]
pub mod tokens;
#[cfg(feature = "ssr")]
pub mod validate;

crate::coded_enum! {
    /// What sort of event it is.
    pub enum EventKind ("kind of event") {
        ProjectUpdateMeeting = "project-update-meeting", "Project update meeting";
        GoLive = "go-live", "Go-live";
        Milestone = "milestone", "Milestone";
        Training = "training", "Training";
        ChangeFreeze = "change-freeze", "Change freeze";
        Procurement = "procurement", "Procurement";
        Other = "other", "Other";
    }
}

crate::coded_enum! {
    /// Whether an event will happen.
    pub enum EventStatus ("event status") {
        /// Expected, not yet confirmed (iCalendar TENTATIVE).
        Planned = "planned", "Planned";
        Confirmed = "confirmed", "Confirmed";
        Cancelled = "cancelled", "Cancelled";
    }
}

impl EventStatus {
    /// NHS.UK tag colour for the status.
    pub fn tag_class(self) -> &'static str {
        match self {
            EventStatus::Planned => "nhsuk-tag nhsuk-tag--grey",
            EventStatus::Confirmed => "nhsuk-tag nhsuk-tag--green",
            EventStatus::Cancelled => "nhsuk-tag nhsuk-tag--red",
        }
    }
}

crate::coded_enum! {
    /// The time zones an event's times can be written in. Each has its iCalendar description
    /// (`timing::observances`), checked against the time-zone database by a test.
    #[derive(Default)]
    pub enum TimeZoneName ("time zone") {
        /// England, Scotland, Wales and Northern Ireland: GMT in winter, BST in summer.
        #[default]
        EuropeLondon = "Europe/London", "UK time";
    }
}
