//! When an event happens, as written and as instants. Times are written as local wall-clock
//! times in the event's time zone (`2026-03-03T10:00`), or as dates for all-day events
//! (`2026-03-03`); the instants they stand for come from the time-zone database (chrono-tz), so
//! a 10:00 meeting stays at 10:00 local time when the clocks change. chrono stays inside this
//! module and `recurrence`; what leaves them is text, or `time` for the rest of the portal.

use std::fmt;

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::TimeZoneName;

/// A point in time as written: a date and time in the event's zone, or a date (all day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Local {
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl Local {
    /// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (a space for the `T` is accepted); the
    /// message says how to write it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let v = text.trim();
        let wrong = || {
            format!(
                "{text:?} is not a date or a date and time: write 2026-03-03 for all day, or 2026-03-03T10:00"
            )
        };
        if v.len() == 10 {
            let date = crate::dates::Date::parse(v)?;
            return Ok(Local::Date(
                from_time_date(date.to_time()).ok_or_else(wrong)?,
            ));
        }
        let (date, clock) = v
            .split_once('T')
            .or_else(|| v.split_once(' '))
            .ok_or_else(wrong)?;
        let date = crate::dates::Date::parse(date)
            .map_err(|_| wrong())
            .and_then(|d| from_time_date(d.to_time()).ok_or_else(wrong))?;
        let (hour, minute) = clock.split_once(':').ok_or_else(wrong)?;
        let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
        if !two_digits(hour) || !two_digits(minute) {
            return Err(wrong());
        }
        let time = chrono::NaiveTime::from_hms_opt(
            hour.parse().map_err(|_| wrong())?,
            minute.parse().map_err(|_| wrong())?,
            0,
        )
        .ok_or_else(|| {
            format!("{text:?} is not a real time of day: hours go to 23, minutes to 59")
        })?;
        Ok(Local::DateTime(date.and_time(time)))
    }

    /// Whether this is a date without a time (all day).
    pub fn is_date(self) -> bool {
        matches!(self, Local::Date(_))
    }

    pub fn date(self) -> NaiveDate {
        match self {
            Local::Date(d) => d,
            Local::DateTime(dt) => dt.date(),
        }
    }

    /// As iCalendar writes a DATE or a local DATE-TIME: `20260303` or `20260303T100000`.
    pub fn ical(self) -> String {
        match self {
            Local::Date(d) => d.format("%Y%m%d").to_string(),
            Local::DateTime(dt) => dt.format("%Y%m%dT%H%M%S").to_string(),
        }
    }

    /// The same kind of point moved by `by` (whole days for dates).
    pub fn plus(self, by: Duration) -> Self {
        match self {
            Local::Date(d) => Local::Date(d + Duration::days(by.num_days())),
            Local::DateTime(dt) => Local::DateTime(dt + by),
        }
    }

    /// How long from `earlier` to this, on the wall clock (whole days for dates).
    pub fn since(self, earlier: Local) -> Duration {
        match (self, earlier) {
            (Local::Date(a), Local::Date(b)) => a - b,
            (Local::DateTime(a), Local::DateTime(b)) => a - b,
            (a, b) => a.date() - b.date(),
        }
    }

    /// What people read: "Tuesday 3 March 2026" or "Tuesday 3 March 2026, 10:00".
    pub fn text(self) -> String {
        match self {
            Local::Date(d) => d.format("%A %-d %B %Y").to_string(),
            Local::DateTime(dt) => dt.format("%A %-d %B %Y, %H:%M").to_string(),
        }
    }
}

impl fmt::Display for Local {
    /// As written: `2026-03-03` or `2026-03-03T10:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Local::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Local::DateTime(dt) => write!(f, "{}", dt.format("%Y-%m-%dT%H:%M")),
        }
    }
}

fn from_time_date(d: time::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(d.year(), u8::from(d.month()).into(), d.day().into())
}

/// A start and an end of the same kind; all day, the end is the last day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: Local,
    pub end: Local,
}

impl Span {
    /// How long it lasts on the wall clock.
    pub fn length(self) -> Duration {
        self.end.since(self.start)
    }

    /// The same length of time from another start.
    pub fn moved_to(self, start: Local) -> Span {
        Span {
            start,
            end: start.plus(self.length()),
        }
    }

    /// What people read: "Tuesday 3 March 2026, 10:00 to 12:00", "Monday 2 March 2026 to
    /// Friday 6 March 2026", "Tuesday 3 March 2026 (all day)".
    pub fn text(self) -> String {
        match (self.start, self.end) {
            (Local::Date(a), Local::Date(b)) if a == b => {
                format!("{} (all day)", self.start.text())
            }
            (Local::DateTime(a), Local::DateTime(b)) if a.date() == b.date() => {
                format!("{} to {}", self.start.text(), b.format("%H:%M"))
            }
            _ => format!("{} to {}", self.start.text(), self.end.text()),
        }
    }
}

impl TimeZoneName {
    /// The zone in the time-zone database.
    pub fn tz(self) -> Tz {
        match self {
            TimeZoneName::EuropeLondon => chrono_tz::Europe::London,
        }
    }
}

/// The instant a local time stands for in `zone`; a date stands for the start of that day.
/// A time that happens twice when the clocks go back is the first of the two (as RFC 5545
/// says); one that does not happen when they go forward is refused, naming the gap.
pub fn instant(zone: TimeZoneName, local: Local) -> Result<DateTime<Utc>, String> {
    let naive = match local {
        Local::Date(d) => d.and_hms_opt(0, 0, 0).unwrap_or_default(),
        Local::DateTime(dt) => dt,
    };
    match zone.tz().from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "{} does not exist in {}: the clocks go forward then, so choose a time outside the hour they skip",
            local.text(),
            zone.label()
        )),
    }
}

/// The instants a span starts and ends; all day, from the first day's start to the end of the
/// last day.
pub fn instants(zone: TimeZoneName, span: Span) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let end = match span.end {
        Local::Date(d) => Local::Date(d + Duration::days(1)),
        other => other,
    };
    Ok((instant(zone, span.start)?, instant(zone, end)?))
}

/// For `<time datetime>`: the local time with its offset (`2026-04-07T10:00+01:00`), or the date.
pub fn machine_text(zone: TimeZoneName, local: Local) -> Result<String, String> {
    match local {
        Local::Date(_) => Ok(local.to_string()),
        Local::DateTime(_) => {
            let at = instant(zone, local)?.with_timezone(&zone.tz());
            Ok(at.format("%Y-%m-%dT%H:%M%:z").to_string())
        }
    }
}

/// An instant as every timestamp column stores it (`2026-04-07T09:00:00Z`).
pub fn stored(at: DateTime<Utc>) -> String {
    crate::db::format_timestamp(to_time(at))
}

/// A stored timestamp back as an instant.
pub fn parse_stored(text: &str) -> Option<DateTime<Utc>> {
    crate::db::parse_timestamp(text).map(from_time)
}

/// chrono to `time`, at the boundary with the rest of the portal.
pub fn to_time(at: DateTime<Utc>) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(at.timestamp())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// `time` to chrono: the clock's time, for expanding rules.
pub fn from_time(at: time::OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(at.unix_timestamp(), 0).unwrap_or_default()
}

/// One part of a zone's iCalendar description (a STANDARD or DAYLIGHT part of its VTIMEZONE):
/// from the first local time `starts` (in the offset before), every year by `rule`, the offset
/// changes from `offset_from` to `offset_to` and the zone is called `name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Observance {
    pub daylight: bool,
    pub starts: &'static str,
    pub rule: &'static str,
    pub offset_from: &'static str,
    pub offset_to: &'static str,
    pub name: &'static str,
}

/// The zone's rules as a VTIMEZONE gives them; `tests::observances_match_the_time_zone_database`
/// checks them against chrono-tz for every year from 1996 to 2037.
pub fn observances(zone: TimeZoneName) -> &'static [Observance] {
    match zone {
        // Since 1996 (EU rules): BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on
        // the last Sunday of October.
        TimeZoneName::EuropeLondon => &[
            Observance {
                daylight: true,
                starts: "19700329T010000",
                rule: "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                offset_from: "+0000",
                offset_to: "+0100",
                name: "BST",
            },
            Observance {
                daylight: false,
                starts: "19701025T020000",
                rule: "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
                offset_from: "+0100",
                offset_to: "+0000",
                name: "GMT",
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use chrono::Offset;

    use super::*;

    fn local(text: &str) -> Local {
        Local::parse(text).unwrap()
    }

    #[test]
    fn times_are_written_as_dates_or_local_dates_and_times() {
        assert_eq!(local("2026-03-03").to_string(), "2026-03-03");
        assert_eq!(local(" 2026-03-03T10:00 ").to_string(), "2026-03-03T10:00");
        assert_eq!(local("2026-03-03 09:05").to_string(), "2026-03-03T09:05");
        assert_eq!(local("2026-03-03T10:00").ical(), "20260303T100000");
        assert!(Local::parse("2026-02-30").is_err());
        assert!(Local::parse("2026-03-03T24:00")
            .unwrap_err()
            .contains("real time"));
        assert!(Local::parse("2026-03-03T9:00").is_err());
        assert!(Local::parse("3 March 2026")
            .unwrap_err()
            .contains("2026-03-03T10:00"));
    }

    #[test]
    fn local_times_keep_their_wall_clock_across_daylight_saving() {
        let zone = TimeZoneName::EuropeLondon;
        let winter = instant(zone, local("2026-03-03T10:00")).unwrap();
        let summer = instant(zone, local("2026-04-07T10:00")).unwrap();
        assert_eq!(stored(winter), "2026-03-03T10:00:00Z");
        assert_eq!(stored(summer), "2026-04-07T09:00:00Z");
        assert_eq!(
            machine_text(zone, local("2026-04-07T10:00")).unwrap(),
            "2026-04-07T10:00+01:00"
        );
        // 01:30 on the last Sunday of March does not happen; on the last of October it
        // happens twice, and the first (still BST) is meant.
        assert!(instant(zone, local("2026-03-29T01:30"))
            .unwrap_err()
            .contains("clocks go forward"));
        assert_eq!(
            stored(instant(zone, local("2026-10-25T01:30")).unwrap()),
            "2026-10-25T00:30:00Z"
        );
        let (start, end) = instants(
            zone,
            Span {
                start: local("2026-07-01"),
                end: local("2026-07-02"),
            },
        )
        .unwrap();
        assert_eq!(
            (stored(start), stored(end)),
            ("2026-06-30T23:00:00Z".into(), "2026-07-02T23:00:00Z".into())
        );
    }

    #[test]
    fn spans_read_as_people_write_them() {
        let span = |a: &str, b: &str| Span {
            start: local(a),
            end: local(b),
        };
        assert_eq!(
            span("2026-04-07T10:00", "2026-04-07T12:00").text(),
            "Tuesday 7 April 2026, 10:00 to 12:00"
        );
        assert_eq!(
            span("2026-03-02", "2026-03-02").text(),
            "Monday 2 March 2026 (all day)"
        );
        assert_eq!(
            span("2026-03-02", "2026-03-06").text(),
            "Monday 2 March 2026 to Friday 6 March 2026"
        );
        let meeting = span("2026-04-07T10:00", "2026-04-07T12:00");
        assert_eq!(
            meeting.moved_to(local("2026-04-14T09:30")).end,
            local("2026-04-14T11:30")
        );
    }

    fn offset_seconds(text: &str) -> i32 {
        let sign = if text.starts_with('-') { -1 } else { 1 };
        let hours: i32 = text[1..3].parse().unwrap();
        let minutes: i32 = text[3..5].parse().unwrap();
        sign * (hours * 3600 + minutes * 60)
    }

    /// The VTIMEZONE we write must describe the same changes as the time-zone database: the
    /// rules are expanded with the rrule crate, and every change of offset chrono-tz knows in a
    /// year (found hour by hour) must be one the rules give, with the same offsets.
    #[test]
    fn observances_match_the_time_zone_database() {
        for &zone in TimeZoneName::ALL {
            let tz = zone.tz();
            let mut from_rules = Vec::new();
            for o in observances(zone) {
                let starts = NaiveDateTime::parse_from_str(o.starts, "%Y%m%dT%H%M%S").unwrap();
                let utc = starts - Duration::seconds(offset_seconds(o.offset_from).into());
                let start = rrule::Tz::UTC.from_utc_datetime(&utc);
                let rule: rrule::RRule<rrule::Unvalidated> = o.rule.parse().unwrap();
                let until = rrule::Tz::UTC
                    .with_ymd_and_hms(2038, 1, 1, 0, 0, 0)
                    .unwrap();
                let after = rrule::Tz::UTC
                    .with_ymd_and_hms(1996, 1, 1, 0, 0, 0)
                    .unwrap();
                let result = rule
                    .build(start)
                    .unwrap()
                    .after(after)
                    .before(until)
                    .all(200);
                assert!(!result.limited);
                for at in result.dates {
                    let at = at.with_timezone(&Utc);
                    let before =
                        tz.offset_from_utc_datetime(&(at - Duration::seconds(1)).naive_utc());
                    let after = tz.offset_from_utc_datetime(&at.naive_utc());
                    assert_eq!(
                        before.fix().local_minus_utc(),
                        offset_seconds(o.offset_from),
                        "{at}"
                    );
                    assert_eq!(
                        after.fix().local_minus_utc(),
                        offset_seconds(o.offset_to),
                        "{at}"
                    );
                    assert_eq!(after.to_string(), o.name, "{at}");
                    from_rules.push(at);
                }
            }
            from_rules.sort();
            let mut from_database = Vec::new();
            let mut at = Utc.with_ymd_and_hms(1996, 1, 1, 0, 0, 0).unwrap();
            let end = Utc.with_ymd_and_hms(2038, 1, 1, 0, 0, 0).unwrap();
            let mut offset = tz.offset_from_utc_datetime(&at.naive_utc()).fix();
            while at < end {
                at += Duration::hours(1);
                let now = tz.offset_from_utc_datetime(&at.naive_utc()).fix();
                if now != offset {
                    from_database.push(at);
                    offset = now;
                }
            }
            assert_eq!(
                from_rules.len(),
                2 * 42,
                "two changes a year from 1996 to 2037"
            );
            assert_eq!(from_rules, from_database);
        }
    }
}
