//! The typed values a configuration is made of: durations in seconds, whole percentages,
//! dotted version numbers, and "when last done" dates that may be "never". Each is checked when
//! it is read, so the rules compare numbers and dates, never text.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dates::Date;

/// A duration in whole seconds, as the products' settings pages show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Seconds(pub u32);

impl Seconds {
    /// The number of seconds.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        match (s / 60, s % 60) {
            _ if s < 60 => write!(f, "{s} s"),
            (m, 0) => write!(f, "{s} s ({m} min)"),
            (m, r) => write!(f, "{s} s ({m} min {r} s)"),
        }
    }
}

/// A whole percentage from 0 to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Percent(u8);

impl Percent {
    /// A percentage; `None` above 100.
    pub const fn new(value: u8) -> Option<Self> {
        if value <= 100 {
            Some(Self(value))
        } else {
            None
        }
    }

    /// The percentage as a number from 0 to 100.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = u8::deserialize(d)?;
        Percent::new(value).ok_or_else(|| {
            serde::de::Error::custom(format!("{value} is not a percentage from 0 to 100"))
        })
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} %", self.0)
    }
}

/// A dotted version number such as `2.4.6.0`, compared part by part (`2.10` is after `2.9`).
#[derive(Clone, Debug)]
pub struct Version(Vec<u32>);

impl Version {
    /// The shape the schema also checks: numbers separated by single dots.
    pub const PATTERN: &'static str = r"^[0-9]+(\.[0-9]+)*$";

    /// Parses `1.4.2.0`; the message says how to write one.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts: Option<Vec<u32>> = text
            .split('.')
            .map(|p| {
                (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| p.parse().ok())
                    .flatten()
            })
            .collect();
        parts.map(Version).ok_or_else(|| {
            format!(
                "{text:?} is not a version number: write numbers separated by dots, in quotes, like \"2.4.6.0\""
            )
        })
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Missing trailing parts count as zero, so 2.4 and 2.4.0 are the same release.
        let len = self.0.len().max(other.0.len());
        let part = |v: &Version, i: usize| v.0.get(i).copied().unwrap_or(0);
        (0..len)
            .map(|i| part(self, i).cmp(&part(other, i)))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u32::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Version::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// When something was last done: a date, or `never`. Leaving the field out (or `null`) means
/// not known, which is a different answer from `never`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LastDone {
    /// It has never been done.
    Never,
    /// Last done on this day.
    On(Date),
}

impl LastDone {
    /// The shape the schema checks; whether the date exists is checked when it is read.
    pub const PATTERN: &'static str = r"^(never|[0-9]{4}-[0-9]{2}-[0-9]{2})$";
}

impl fmt::Display for LastDone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LastDone::Never => f.write_str("never"),
            LastDone::On(date) => date.fmt(f),
        }
    }
}

impl Serialize for LastDone {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LastDone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if text.trim() == "never" {
            return Ok(LastDone::Never);
        }
        Date::parse(&text).map(LastDone::On).map_err(|m| {
            serde::de::Error::custom(format!("{m}, or write never if it has never been done"))
        })
    }
}

/// JSON Schema for the values above, written by hand because their text forms are checked by
/// their parsers, which the derive cannot see.
#[cfg(feature = "ssr")]
mod schema {
    use std::borrow::Cow;

    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

    use super::{LastDone, Percent, Seconds, Version};

    /// An inline schema for a value type.
    macro_rules! inline_schema {
        ($type:ty, $name:literal, $schema:tt) => {
            impl JsonSchema for $type {
                fn inline_schema() -> bool {
                    true
                }
                fn schema_name() -> Cow<'static, str> {
                    $name.into()
                }
                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    json_schema!($schema)
                }
            }
        };
    }

    inline_schema!(Seconds, "Seconds", {
        "type": "integer",
        "minimum": 0,
        "maximum": u32::MAX,
        "description": "A duration in whole seconds."
    });

    inline_schema!(Percent, "Percent", {
        "type": "integer",
        "minimum": 0,
        "maximum": 100,
        "description": "A whole percentage from 0 to 100."
    });

    inline_schema!(Version, "Version", {
        "type": "string",
        "pattern": Version::PATTERN,
        "description": "A dotted version number in quotes, like \"2.4.6.0\"."
    });

    inline_schema!(LastDone, "LastDone", {
        "type": "string",
        "pattern": LastDone::PATTERN,
        "description": "The day it was last done (YYYY-MM-DD), or never."
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_print_with_minutes_when_long() {
        assert_eq!(Seconds(45).to_string(), "45 s");
        assert_eq!(Seconds(300).to_string(), "300 s (5 min)");
        assert_eq!(Seconds(90).to_string(), "90 s (1 min 30 s)");
    }

    #[test]
    fn percentages_stop_at_one_hundred() {
        assert_eq!(Percent::new(100).map(Percent::get), Some(100));
        assert!(Percent::new(101).is_none());
        assert!(serde_json::from_str::<Percent>("101").is_err());
        assert_eq!(serde_json::from_str::<Percent>("93").unwrap().get(), 93);
    }

    #[test]
    fn versions_compare_part_by_part() {
        let v = |t| Version::parse(t).unwrap();
        assert!(v("2.10") > v("2.9"));
        assert!(v("2.4.6.0") >= v("2.4.6"));
        assert!(v("2.4.5.9") < v("2.4.6.0"));
        assert_eq!(v("1.4.2.0").to_string(), "1.4.2.0");
        assert!(Version::parse("2..4").is_err());
        assert!(Version::parse("v2.4").is_err());
        assert!(Version::parse("").is_err());
    }

    #[test]
    fn never_is_not_a_date_and_not_unknown() {
        let never: LastDone = serde_json::from_str("\"never\"").unwrap();
        assert_eq!(never, LastDone::Never);
        let on: LastDone = serde_json::from_str("\"2025-02-14\"").unwrap();
        assert_eq!(on, LastDone::On(Date::parse("2025-02-14").unwrap()));
        let err = serde_json::from_str::<LastDone>("\"2025-02-30\"").unwrap_err();
        assert!(err.to_string().contains("write never"), "{err}");
    }
}
