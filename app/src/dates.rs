//! Calendar dates as people write them (`YYYY-MM-DD`): review-by dates, milestone dates, the
//! day a document was last updated. Parsed once at the boundary, compared as dates, never as text.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A real calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(time::Date);

impl Date {
    /// Parses `YYYY-MM-DD`; the message says what is wrong and how to write it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let v = text.trim();
        let parts: Vec<&str> = v.split('-').collect();
        let shaped =
            parts.len() == 3 && parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2;
        let date = shaped
            .then(|| {
                let year = parts[0].parse::<i32>().ok()?;
                let month = time::Month::try_from(parts[1].parse::<u8>().ok()?).ok()?;
                let day = parts[2].parse::<u8>().ok()?;
                time::Date::from_calendar_date(year, month, day).ok()
            })
            .flatten();
        date.map(Date).ok_or_else(|| {
            format!("{text:?} is not a real date: write it as YYYY-MM-DD, like 2027-03-31")
        })
    }

    /// The date part of a stored timestamp (`2026-03-01T10:00:00Z`).
    pub fn of_timestamp(timestamp: &str) -> Result<Self, String> {
        Self::parse(timestamp.get(..10).unwrap_or(timestamp))
    }

    pub fn from_time(date: time::Date) -> Self {
        Self(date)
    }

    pub fn to_time(self) -> time::Date {
        self.0
    }

    /// The same day of the month `months` months earlier, or the last day of that month when it
    /// is shorter (a year before 29 February is 28 February).
    pub fn months_before(self, months: u32) -> Self {
        let total = self.0.year() * 12 + i32::from(u8::from(self.0.month())) - 1 - months as i32;
        let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
        let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::January);
        let day = self.0.day().min(month.length(year));
        Self(time::Date::from_calendar_date(year, month, day).unwrap_or(self.0))
    }

    /// This date moved by a number of days.
    pub fn plus_days(self, days: i64) -> Self {
        Self(self.0.saturating_add(time::Duration::days(days)))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// In JSON Schemas (the access-management configuration's): `YYYY-MM-DD` text that must be a real
/// date.
#[cfg(feature = "ssr")]
impl schemars::JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "description": "A calendar date written YYYY-MM-DD."
        })
    }
}

/// Stored as `YYYY-MM-DD` text, which sorts in date order.
#[cfg(feature = "ssr")]
mod sql {
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::{Any, Database, Decode, Encode, Type};

    use super::Date;

    impl Type<Any> for Date {
        fn type_info() -> sqlx::any::AnyTypeInfo {
            <str as Type<Any>>::type_info()
        }
    }

    impl<'q> Encode<'q, Any> for Date {
        fn encode_by_ref(
            &self,
            buf: &mut <Any as Database>::ArgumentBuffer<'q>,
        ) -> Result<IsNull, BoxDynError> {
            <String as Encode<'q, Any>>::encode(self.to_string(), buf)
        }
    }

    impl<'r> Decode<'r, Any> for Date {
        fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
            let text = <String as Decode<'r, Any>>::decode(value)?;
            Date::of_timestamp(&text).map_err(|m| format!("stored date: {m}").into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert!(Date::parse("2027-02-29").is_err());
        assert!(Date::parse("2028-02-29").is_ok());
        assert!(Date::parse("2027-13-01").is_err());
        assert!(Date::parse("31/03/2027").is_err());
        assert_eq!(
            Date::parse("2027-02-30").unwrap_err(),
            "\"2027-02-30\" is not a real date: write it as YYYY-MM-DD, like 2027-03-31"
        );
    }

    #[test]
    fn dates_compare_as_dates_and_print_as_typed() {
        let a = Date::parse("2026-09-30").unwrap();
        let b = Date::parse(" 2026-10-01 ").unwrap();
        assert!(a < b);
        assert_eq!(b.to_string(), "2026-10-01");
        assert_eq!(a.plus_days(1), b);
        assert_eq!(Date::of_timestamp("2026-10-01T08:00:00Z").unwrap(), b);
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"2026-10-01\"");
        assert!(serde_json::from_str::<Date>("\"2026-02-31\"").is_err());
    }

    #[test]
    fn months_before_keeps_the_day_or_clamps_to_the_month_end() {
        let d = |t| Date::parse(t).unwrap();
        assert_eq!(d("2026-03-15").months_before(12), d("2025-03-15"));
        assert_eq!(d("2026-01-31").months_before(2), d("2025-11-30"));
        assert_eq!(d("2028-02-29").months_before(12), d("2027-02-28"));
        assert_eq!(d("2026-05-01").months_before(0), d("2026-05-01"));
    }
}
