//! The one set of rules a document's text must meet, whether it is typed in the editor or read
//! from a content file. The editor and the importer differ only in what may be left out, which
//! [`Source`] says.

use super::store::{self, RevisionText};
use crate::dates::Date;
use crate::db::Db;
use crate::kind::Problem;
use crate::kinds::DocKind;
use crate::limits::MAX_BODY_BYTES;
use crate::permissions::Visibility;
use crate::slugs::normalise_tag;
use crate::users::store as users;

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 400;

/// Where the text comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A person in the editor must give a summary, an owner, a visibility and a review-by date.
    Editor,
    /// A content file may leave out the owner and the review-by date; visibility defaults to
    /// every member organisation.
    Import,
}

/// A document's common fields as given, and its kind's fields as the kind read them.
pub struct Input<'a> {
    pub kind: DocKind,
    /// The organisation it belongs to, if that is settled.
    pub org_id: Option<i64>,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub topic: &'a str,
    pub tags: Vec<&'a str>,
    pub visibility: &'a str,
    pub review_by: &'a str,
    /// The owner's email address.
    pub owner: &'a str,
    pub fields: serde_json::Value,
}

/// Checks everything, naming each problem by the field it concerns (the editor's field id, which
/// is also the front-matter name; the text is `body`).
pub async fn check(
    db: &Db,
    source: Source,
    input: Input<'_>,
) -> Result<Result<RevisionText, Vec<Problem>>, sqlx::Error> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: String| problems.push(Problem::new(field, message));
    let editor = source == Source::Editor;

    let title = input.title.trim();
    if title.is_empty() {
        problem("title", "Enter a title".into());
    } else if title.chars().count() > MAX_TITLE_CHARS {
        problem(
            "title",
            format!("The title must be {MAX_TITLE_CHARS} characters or fewer"),
        );
    }
    let summary = input.summary.trim();
    if summary.is_empty() && editor {
        problem("summary", "Enter a summary of one or two sentences".into());
    } else if summary.chars().count() > MAX_SUMMARY_CHARS {
        problem(
            "summary",
            format!("The summary must be {MAX_SUMMARY_CHARS} characters or fewer"),
        );
    }
    let body = input.body.trim_end();
    if body.len() > MAX_BODY_BYTES {
        problem(
            "body",
            format!(
                "The text is {} KiB; it must be {} KiB or less",
                body.len() / 1024,
                MAX_BODY_BYTES / 1024
            ),
        );
    } else if input.kind.spec().body().required && body.trim().is_empty() {
        problem("body", "Enter the text".into());
    }
    let visibility = match input.visibility.trim() {
        "" if editor => {
            problem("visibility", "Choose who can see it".into());
            Visibility::Network
        }
        "" => Visibility::Network,
        v => Visibility::parse(v).unwrap_or_else(|m| {
            problem("visibility", format!("Choose who can see it: {m}"));
            Visibility::Network
        }),
    };
    let review_by = match input.review_by.trim() {
        "" if editor => {
            problem("review_by", "Enter a review-by date".into());
            None
        }
        "" => None,
        d => match Date::parse(d) {
            Ok(d) => Some(d),
            Err(m) => {
                problem("review_by", format!("Review-by date: {m}"));
                None
            }
        },
    };
    let mut tags = Vec::new();
    for tag in input
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        match normalise_tag(tag) {
            Ok(t) => tags.push(t),
            Err(m) => problem("tags", format!("Tags: {m}")),
        }
    }
    tags.sort();
    tags.dedup();
    let owner = input.owner.trim();
    let owner_id = if owner.is_empty() {
        if editor {
            problem(
                "owner",
                "Enter the email address of the document's owner".into(),
            );
        }
        None
    } else {
        match users::find_by_email(db.pool(), owner).await? {
            Some(u) if Some(u.org_id) == input.org_id => Some(u.id),
            Some(_) => {
                problem(
                    "owner",
                    "The owner must be a member of the document's organisation".into(),
                );
                None
            }
            None => {
                problem("owner", format!("No user has the email address {owner}"));
                None
            }
        }
    };
    let spec = input.kind.spec();
    problems.extend(spec.check(&input.fields));
    for link in spec.links(&input.fields) {
        let exists = match DocKind::from_path(&link.kind_path) {
            Some(kind) => store::exists(db, kind, &link.slug).await?,
            None => false,
        };
        if !exists {
            let what = DocKind::from_path(&link.kind_path).map_or("document", |k| k.label());
            problems.push(Problem::new(
                link.field,
                format!("There is no {what} at /{}", link.as_path()),
            ));
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    Ok(Ok(RevisionText {
        title: title.to_owned(),
        summary: summary.to_owned(),
        body: body.to_owned(),
        topic: input.topic.trim().to_owned(),
        tags,
        owner_id,
        visibility,
        review_by,
        fields: input.fields,
    }))
}
