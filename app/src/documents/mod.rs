//! What every kind of document shares: kinds, visibility, workflow status, revisions, tags,
//! and the pages, server functions and storage that work on any kind. Guides, deployment
//! plans and lessons learned are kinds of document; their own modules add what only they have.

use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod diff;
#[cfg(feature = "ssr")]
pub mod editing;
#[cfg(feature = "ssr")]
pub mod export;
pub mod fields;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod views;
#[cfg(feature = "ssr")]
pub mod workflow;

pub use fields::DocFields;

/// Kinds of document, each with its own pages under its own path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Guide,
    Plan,
    Lesson,
}

impl DocKind {
    pub const ALL: [DocKind; 3] = [DocKind::Guide, DocKind::Plan, DocKind::Lesson];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Guide => "guide",
            DocKind::Plan => "plan",
            DocKind::Lesson => "lesson",
        }
    }

    /// The first path segment of its pages, and its folder in a content tree.
    pub fn path(self) -> &'static str {
        match self {
            DocKind::Guide => "guides",
            DocKind::Plan => "plans",
            DocKind::Lesson => "lessons",
        }
    }

    /// The address of its list.
    pub fn list_path(self) -> &'static str {
        match self {
            DocKind::Guide => "/guides",
            DocKind::Plan => "/plans",
            DocKind::Lesson => "/lessons",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocKind::Guide => "guide",
            DocKind::Plan => "deployment plan",
            DocKind::Lesson => "lesson learned",
        }
    }

    pub fn plural_title(self) -> &'static str {
        match self {
            DocKind::Guide => "Best-practice guides",
            DocKind::Plan => "Deployment plans",
            DocKind::Lesson => "Lessons learned",
        }
    }

    pub fn short_plural(self) -> &'static str {
        match self {
            DocKind::Guide => "Guides",
            DocKind::Plan => "Plans",
            DocKind::Lesson => "Lessons",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.path() == s)
    }

    /// Empty kind-specific fields.
    pub fn empty_fields(self) -> DocFields {
        match self {
            DocKind::Guide => DocFields::Guide,
            DocKind::Plan => DocFields::Plan(Default::default()),
            DocKind::Lesson => DocFields::Lesson(Default::default()),
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

/// Where a document's newest revision is in its workflow.
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

    pub fn label(self) -> &'static str {
        match self {
            DocStatus::Draft => "Draft",
            DocStatus::InReview => "In review",
            DocStatus::Published => "Published",
            DocStatus::Archived => "Archived",
        }
    }

    pub fn tag_class(self) -> &'static str {
        match self {
            DocStatus::Draft => "nhsuk-tag nhsuk-tag--grey",
            DocStatus::InReview => "nhsuk-tag nhsuk-tag--yellow",
            DocStatus::Published => "nhsuk-tag nhsuk-tag--green",
            DocStatus::Archived => "nhsuk-tag nhsuk-tag--red",
        }
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
    let shaped =
        parts.len() == 3 && parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2;
    let real = shaped
        && match (
            parts[0].parse::<i32>(),
            parts[1].parse::<u8>(),
            parts[2].parse::<u8>(),
        ) {
            (Ok(y), Ok(m), Ok(d)) => (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m),
            _ => false,
        };
    if real {
        Ok(v.to_owned())
    } else {
        Err(format!(
            "{value:?} is not a real date: write it as YYYY-MM-DD, like 2027-03-31"
        ))
    }
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
