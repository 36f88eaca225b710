//! Word-level comparison of two revisions, field by field, for people to read.

use similar::{ChangeTag, TextDiff};

use super::model::{DiffPart, FieldDiff};
use super::store::RevisionText;
use crate::error::{AppError, AppResult};
use crate::kinds::DocKind;

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
    // A kind names the same fields in the same order for every revision.
    Ok(as_text(kind, old)?
        .into_iter()
        .zip(as_text(kind, new)?)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, a), (_, b))| FieldDiff {
            field: field.to_owned(),
            parts: words(&a, &b),
        })
        .collect())
}

/// Word-level differences, with neighbouring changes of one kind joined into one run.
pub fn words(old: &str, new: &str) -> Vec<DiffPart> {
    let diff = TextDiff::from_words(old, new);
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
    parts
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
    fn identical_revisions_have_no_differences() {
        assert!(compare(guide(), &content("A", "B"), &content("A", "B"))
            .unwrap()
            .is_empty());
    }
}
