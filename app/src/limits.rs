//! Sizes the portal accepts: every field of every form and server function has one, and each
//! is named here so that the editor, the importer, the server functions and their messages agree.
//! Lengths are in characters unless the name says bytes.

/// Largest Markdown body of a document.
pub const MAX_BODY_BYTES: usize = 512 * 1024;

/// Longest title.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest summary.
pub const MAX_SUMMARY_CHARS: usize = 400;
/// Longest topic.
pub const MAX_TOPIC_CHARS: usize = 100;
/// Most tags on one document.
pub const MAX_TAGS: usize = 20;
/// Longest tag (as `slugs::normalise_tag` also says).
pub const MAX_TAG_CHARS: usize = 40;
/// Longest text of the tags field as typed: every tag at its longest, with a comma and a space.
pub const MAX_TAGS_FIELD_CHARS: usize = MAX_TAGS * (MAX_TAG_CHARS + 2);
/// Longest slug, in a web address or a server function's arguments (as `slugs` also says).
pub const MAX_SLUG_CHARS: usize = 100;
/// Longest email address (RFC 5321).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest code of a choice (visibility, status, phase, level) or date as typed.
pub const MAX_CHOICE_CHARS: usize = 40;
/// Longest comment on a revision or a workflow step.
pub const MAX_COMMENT_CHARS: usize = 1000;
/// Longest justification of a waiver of an access-management rule.
pub const MAX_JUSTIFICATION_CHARS: usize = 1000;
/// The furthest a waiver's last day may be from the day it is granted: 365 days, so every
/// waiver is looked at again within a year.
pub const MAX_WAIVER_DAYS: i64 = 365;
/// Most organisations compared side by side at once: more columns do not fit a page.
pub const MAX_COMPARED: usize = 6;
/// Longest one-line text: names, products, sites, departments, phases, milestones, owners.
pub const MAX_LINE_CHARS: usize = 200;
/// Longest short paragraph: a risk's description or mitigation.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Longest section of a lesson learned (Markdown).
pub const MAX_SECTION_CHARS: usize = 20_000;
/// Most lines of a one-per-line list (sites, departments, contacts).
pub const MAX_LIST_LINES: usize = 100;
/// Most milestones in a plan.
pub const MAX_MILESTONES: usize = 200;
/// Most risks in a plan.
pub const MAX_RISKS: usize = 100;
/// Most related plans and guides of a lesson.
pub const MAX_RELATED: usize = 50;
/// Longest search text of a document list.
pub const MAX_SEARCH_CHARS: usize = 200;

/// Largest file uploaded into the editor, in a kind's own format (see `kind::FileFormat`).
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024;
/// Largest access-management configuration, typed or uploaded: a few kilobytes is usual.
pub const MAX_CONFIGURATION_BYTES: usize = MAX_UPLOAD_BYTES;

/// Largest content file `trustshare import` reads: a full-size text with its front matter.
pub const MAX_CONTENT_FILE_BYTES: u64 = 1024 * 1024;

/// Largest text (both sides together, in bytes) compared word by word; longer fields are
/// compared line by line.
pub const MAX_WORD_DIFF_BYTES: usize = 64 * 1024;
/// Longest time one comparison may take before it settles for a coarser answer.
pub const DIFF_TIMEOUT_MS: u64 = 500;
/// Most headings of one text that get a link to themselves and a line in the contents list.
pub const MAX_ANCHORED_HEADINGS: usize = 500;
/// Deepest nesting of lists, quotes and other blocks rendered as such; deeper levels are shown
/// as their text.
pub const MAX_MARKDOWN_NESTING: usize = 32;

/// Whether `text` is longer than `max` characters, counting no further than needed.
pub fn over(text: &str, max: usize) -> bool {
    text.len() > max && text.chars().nth(max).is_some()
}

/// "{what} must be {max} characters or fewer", when `text` is longer; `None` otherwise.
pub fn too_long(what: &str, text: &str, max: usize) -> Option<String> {
    over(text, max).then(|| {
        format!(
            "{what} must be {max} characters or fewer (it has {})",
            text.chars().count()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_counted_in_characters() {
        assert!(!over("abc", 3));
        assert!(over("abcd", 3));
        assert!(!over("ééé", 3), "three characters in six bytes");
        assert_eq!(
            too_long("The topic", "abcd", 3).as_deref(),
            Some("The topic must be 3 characters or fewer (it has 4)")
        );
        assert_eq!(too_long("The topic", "abc", 3), None);
    }
}
