//! What every kind of document shares: visibility, workflow status and tags.
//! Guides are the first kind; deployment plans and lessons learned reuse the same table.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod store;

/// Kinds of document, each with its own pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocKind {
    Guide,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Guide => "guide",
        }
    }
}

/// Who may read a published document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Visibility {
    /// Anyone, signed in or not.
    Public,
    /// Every signed-in member of any organisation.
    Network,
    /// Members of the owning organisation only.
    Organisation,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [
        Visibility::Public,
        Visibility::Network,
        Visibility::Organisation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Network => "network",
            Visibility::Organisation => "organisation",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Public => "Public",
            Visibility::Network => "All member organisations",
            Visibility::Organisation => "Own organisation only",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Where a document is in its workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocStatus {
    Draft,
    InReview,
    Published,
    Archived,
}

impl DocStatus {
    pub const ALL: [DocStatus; 4] = [
        DocStatus::Draft,
        DocStatus::InReview,
        DocStatus::Published,
        DocStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::Draft => "draft",
            DocStatus::InReview => "in_review",
            DocStatus::Published => "published",
            DocStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Checks a tag: lower-case letters, digits and single hyphens, as used in `/guides?tag=`.
pub fn normalise_tag(tag: &str) -> Result<String, String> {
    let t = tag.trim().to_ascii_lowercase();
    let ok = !t.is_empty()
        && t.len() <= 40
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !t.starts_with('-')
        && !t.ends_with('-')
        && !t.contains("--");
    if ok {
        Ok(t)
    } else {
        Err(format!(
            "tag {tag:?} must be 1 to 40 lower-case letters, digits and single hyphens, like \"smart-cards\""
        ))
    }
}

/// Checks a slug: the part of a document's address after its kind.
pub fn validate_slug(slug: &str) -> Result<(), String> {
    let ok = !slug.is_empty()
        && slug.len() <= 100
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{slug:?} is not a valid slug: use 1 to 100 lower-case letters, digits and hyphens, like \"fast-user-switching\""
        ))
    }
}

/// A date as `YYYY-MM-DD`.
pub fn validate_date(value: &str) -> Result<String, String> {
    let v = value.trim();
    let parts: Vec<&str> = v.split('-').collect();
    let parsed =
        (parts.len() == 3 && parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2)
            .then(|| {
                let y: i32 = parts[0].parse().ok()?;
                let m: u8 = parts[1].parse().ok()?;
                let d: u8 = parts[2].parse().ok()?;
                let month = time_month(m)?;
                (d >= 1 && d <= days_in_month(y, month)).then_some(())
            })
            .flatten();
    match parsed {
        Some(()) => Ok(v.to_owned()),
        None => Err(format!(
            "{value:?} is not a real date: write it as YYYY-MM-DD, like 2027-03-31"
        )),
    }
}

fn time_month(m: u8) -> Option<u8> {
    (1..=12).contains(&m).then_some(m)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert!(validate_date("2027-02-29").is_err());
        assert!(validate_date("2028-02-29").is_ok());
        assert!(validate_date("2027-13-01").is_err());
        assert!(validate_date("31/03/2027").is_err());
    }

    #[test]
    fn tags_and_slugs_are_checked() {
        assert_eq!(normalise_tag(" Smart-Cards ").unwrap(), "smart-cards");
        assert!(normalise_tag("smart cards").is_err());
        assert!(validate_slug("fast-user-switching").is_ok());
        assert!(validate_slug("Fast_User").is_err());
    }
}
