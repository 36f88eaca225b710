//! Word-level comparison of two revisions, field by field, for people to read.

use similar::{ChangeTag, TextDiff};

use super::fields::DocFields;
use super::model::{DiffPart, FieldDiff};
use super::store::Content;
use super::DocKind;

/// The fields of a revision as readable text, in the order the editor shows them.
fn as_text(kind: DocKind, c: &Content) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("Title", c.title.clone()),
        ("Summary", c.summary.clone()),
        ("Topic", c.topic.clone()),
        ("Tags", c.tags.join(", ")),
        ("Visible to", c.visibility.label().to_owned()),
        ("Review by", c.review_by.clone().unwrap_or_default()),
    ];
    match DocFields::parse(kind, &c.fields) {
        DocFields::Guide => {}
        DocFields::Plan(p) => {
            fields.push(("Initiative", p.initiative));
            fields.push((
                "Product",
                format!("{} {}", p.product, p.product_version)
                    .trim()
                    .to_owned(),
            ));
            fields.push(("Sites", p.scope.sites.join("\n")));
            fields.push(("Departments", p.scope.departments.join("\n")));
            fields.push((
                "Users",
                p.scope.users.map(|n| n.to_string()).unwrap_or_default(),
            ));
            fields.push((
                "Workstations",
                p.scope
                    .workstations
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            ));
            let milestones: Vec<String> = p
                .phases
                .iter()
                .flat_map(|ph| {
                    ph.milestones.iter().map(move |m| {
                        format!(
                            "{} – {}: baseline {}, forecast {} ({})",
                            ph.name,
                            m.name,
                            m.baseline,
                            m.forecast,
                            m.status.label()
                        )
                    })
                })
                .collect();
            fields.push(("Milestones", milestones.join("\n")));
            let risks: Vec<String> = p
                .risks
                .iter()
                .map(|r| {
                    format!(
                        "{} (likelihood {}, impact {}; owner {}; mitigation: {})",
                        r.description,
                        r.likelihood.label(),
                        r.impact.label(),
                        r.owner,
                        r.mitigation
                    )
                })
                .collect();
            fields.push(("Risks", risks.join("\n")));
        }
        DocFields::Lesson(l) => {
            fields.push(("Phase", l.phase.label().to_owned()));
            for (heading, text) in l.sections() {
                fields.push((heading, text.to_owned()));
            }
            fields.push(("Related", l.related.join("\n")));
        }
    }
    fields.push(("Text", c.body.clone()));
    fields
}

/// The fields that differ between `old` and `new`, each as runs of same, removed and added words.
pub fn compare(kind: DocKind, old: &Content, new: &Content) -> Vec<FieldDiff> {
    as_text(kind, old)
        .into_iter()
        .zip(as_text(kind, new))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, a), (_, b))| FieldDiff {
            field: field.to_owned(),
            parts: words(&a, &b),
        })
        .collect()
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
    use crate::documents::Visibility;

    fn content(title: &str, body: &str) -> Content {
        Content {
            title: title.into(),
            summary: "S".into(),
            body: body.into(),
            topic: String::new(),
            tags: vec![],
            owner_id: None,
            visibility: Visibility::Public,
            review_by: None,
            fields: "{}".into(),
        }
    }

    #[test]
    fn only_changed_fields_are_listed_with_changed_words_marked() {
        let d = compare(
            DocKind::Guide,
            &content("Plan", "Tap your card to log in."),
            &content("Plan", "Tap your badge to log in quickly."),
        );
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
        assert!(compare(DocKind::Guide, &content("A", "B"), &content("A", "B")).is_empty());
    }
}
