//! Word-level comparison of two revisions, field by field, for people to read.
//!
//! The work is bounded: fields longer than [`MAX_WORD_DIFF_BYTES`] together are compared line by
//! line (and the page says so), and the whole comparison shares one deadline after which the
//! diff algorithm settles for a coarser, still correct, answer.

use std::time::{Duration, Instant};

use similar::{ChangeTag, TextDiff};

use super::model::{DiffPart, FieldDiff};
use super::store::RevisionText;
use crate::error::{AppError, AppResult};
use crate::kinds::DocKind;
use crate::limits::{DIFF_TIMEOUT_MS, MAX_WORD_DIFF_BYTES};

/// The fields of a revision as readable text, in the order the editor shows them.
fn as_text(kind: DocKind, t: &RevisionText) -> AppResult<Vec<(&'static str, String)>> {
    let mut fields = vec![
        ("Title", t.title.clone()),
        ("Summary", t.summary.clone()),
        ("Topic", t.topic.clone()),
        ("Tags", t.tags.join(", ")),
        ("Visible to", t.visibility.label().to_owned()),
        (
            "Review by",
            t.review_by.map(|d| d.to_string()).unwrap_or_default(),
        ),
    ];
    fields.extend(kind.spec().diff_text(&t.fields).map_err(|e| {
        tracing::error!("revision fields cannot be compared: {e}");
        AppError::Unreadable
    })?);
    fields.push(("Text", t.body.clone()));
    Ok(fields)
}

/// The fields that differ between `old` and `new`, each as runs of same, removed and added words.
pub fn compare(kind: DocKind, old: &RevisionText, new: &RevisionText) -> AppResult<Vec<FieldDiff>> {
    let deadline = Instant::now() + Duration::from_millis(DIFF_TIMEOUT_MS);
    // A kind names the same fields in the same order for every revision.
    Ok(as_text(kind, old)?
        .into_iter()
        .zip(as_text(kind, new)?)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, a), (_, b))| {
            let (parts, by_lines) = differences(&a, &b, deadline);
            FieldDiff {
                field: field.to_owned(),
                parts,
                by_lines,
            }
        })
        .collect())
}

/// The differences between two texts: word by word when they are short enough together, else
/// line by line (`true`), with neighbouring changes of one kind joined into one run. Past
/// `deadline` the algorithm stops looking for the smallest set of changes and reports the rest
/// as removed and added whole.
fn differences(old: &str, new: &str, deadline: Instant) -> (Vec<DiffPart>, bool) {
    let by_lines = old.len() + new.len() > MAX_WORD_DIFF_BYTES;
    let mut config = TextDiff::configure();
    config.deadline(deadline);
    let diff = if by_lines {
        config.diff_lines(old, new)
    } else {
        config.diff_words(old, new)
    };
    let mut parts: Vec<DiffPart> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        match (change.tag(), parts.last_mut()) {
            (ChangeTag::Equal, Some(DiffPart::Same(s)))
            | (ChangeTag::Insert, Some(DiffPart::Added(s)))
            | (ChangeTag::Delete, Some(DiffPart::Removed(s))) => s.push_str(text),
            (ChangeTag::Equal, _) => parts.push(DiffPart::Same(text.to_owned())),
            (ChangeTag::Insert, _) => parts.push(DiffPart::Added(text.to_owned())),
            (ChangeTag::Delete, _) => parts.push(DiffPart::Removed(text.to_owned())),
        }
    }
    (parts, by_lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::Visibility;

    fn guide() -> DocKind {
        DocKind::from_code("guide").unwrap()
    }

    fn content(title: &str, body: &str) -> RevisionText {
        RevisionText {
            title: title.into(),
            summary: "S".into(),
            body: body.into(),
            topic: String::new(),
            tags: vec![],
            owner_id: None,
            visibility: Visibility::Public,
            review_by: None,
            fields: serde_json::json!({}),
        }
    }

    #[test]
    fn only_changed_fields_are_listed_with_changed_words_marked() {
        let d = compare(
            guide(),
            &content("Plan", "Tap your card to log in."),
            &content("Plan", "Tap your badge to log in quickly."),
        )
        .unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, "Text");
        assert!(d[0].parts.contains(&DiffPart::Removed("card".into())));
        assert!(d[0].parts.contains(&DiffPart::Added("badge".into())));
        assert!(d[0]
            .parts
            .iter()
            .any(|p| matches!(p, DiffPart::Added(s) if s.contains("quickly"))));
    }

    #[test]
    fn long_fields_are_compared_line_by_line_and_say_so() {
        let line = |w: &str| format!("{} {w}\n", "word ".repeat(20));
        let old: String = (0..400).map(|i| line(&i.to_string())).collect();
        let mut new = old.clone();
        new.push_str(&line("added"));
        assert!(old.len() * 2 > crate::limits::MAX_WORD_DIFF_BYTES);
        let d = compare(guide(), &content("A", &old), &content("A", &new)).unwrap();
        assert_eq!(d.len(), 1);
        assert!(d[0].by_lines, "too long to compare word by word");
        assert_eq!(
            d[0].parts.last(),
            Some(&DiffPart::Added(line("added"))),
            "the new line is shown whole"
        );
        let short = compare(guide(), &content("A", "a b"), &content("A", "a c")).unwrap();
        assert!(!short[0].by_lines);
    }

    #[test]
    fn identical_revisions_have_no_differences() {
        assert!(compare(guide(), &content("A", "B"), &content("A", "B"))
            .unwrap()
            .is_empty());
    }
}
