//! The one set of rules a document's text must meet, whether it is typed in the editor or read
//! from a content file. The editor and the importer differ only in what may be left out and in
//! what the author may learn, which [`Source`] says.

use super::store::{self, RevisionText};
use crate::dates::Date;
use crate::db::Db;
use crate::kind::{CheckContext, Problem};
use crate::kinds::DocKind;
use crate::limits::{
    self, MAX_BODY_BYTES, MAX_CHOICE_CHARS, MAX_EMAIL_CHARS, MAX_SUMMARY_CHARS, MAX_TAGS,
    MAX_TAGS_FIELD_CHARS, MAX_TAG_CHARS, MAX_TITLE_CHARS, MAX_TOPIC_CHARS,
};
use crate::permissions::{Viewer, Visibility};
use crate::slugs::normalise_tag;
use crate::users::store as users;

/// Where the text comes from.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// A person in the editor must give a summary, an owner, a visibility and a review-by date,
    /// and learns nothing they may not read: an owner who is not a member of the organisation
    /// and a linked document they may not read get the same answer as missing ones.
    Editor(&'a Viewer),
    /// A content file may leave out the owner and the review-by date; visibility defaults to
    /// every member organisation (a self-describing kind's fields say it instead). The importer
    /// runs as the system and sees every document.
    Import,
}

/// A document's common fields as given, and its kind's fields as the kind read them.
pub struct Input<'a> {
    pub kind: DocKind,
    /// The organisation it belongs to, if that is settled.
    pub org_id: Option<i64>,
    /// That organisation's slug, if it is settled.
    pub org_slug: Option<&'a str>,
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

/// At most this many shortcodes that refer to nothing are reported, so a text of thousands
/// gets a readable answer.
const MAX_REFERENCE_PROBLEMS: usize = 10;

/// A problem for each live reference in the text (`{{rule MFA-01}}`) that refers to nothing,
/// with its line.
fn reference_problems(body: &str) -> Vec<Problem> {
    super::hooks::shortcodes_in(body)
        .into_iter()
        .filter_map(|(code, line)| {
            let why = super::hooks::check_reference(&code).err()?;
            Some(
                Problem::new("body", format!("Line {line} of the text: {code}: {why}"))
                    .on_line(line),
            )
        })
        .take(MAX_REFERENCE_PROBLEMS)
        .collect()
}

/// Checks everything, naming each problem by the field it concerns (the editor's field id, which
/// is also the front-matter name; the text is `body`). A value over its size limit is reported
/// as such and never echoed back in a message.
pub async fn check(
    db: &Db,
    source: Source<'_>,
    input: Input<'_>,
) -> Result<Result<RevisionText, Vec<Problem>>, sqlx::Error> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: String| problems.push(Problem::new(field, message));
    let editor = matches!(source, Source::Editor(_));

    let title = input.title.trim();
    if title.is_empty() {
        problem("title", "Enter a title".into());
    } else if let Some(m) = limits::too_long("The title", title, MAX_TITLE_CHARS) {
        problem("title", m);
    }
    let summary = input.summary.trim();
    if summary.is_empty() && editor {
        problem("summary", "Enter a summary of one or two sentences".into());
    } else if let Some(m) = limits::too_long("The summary", summary, MAX_SUMMARY_CHARS) {
        problem("summary", m);
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
    let topic = input.topic.trim();
    if let Some(m) = limits::too_long("The topic", topic, MAX_TOPIC_CHARS) {
        problem("topic", m);
    }
    let spec = input.kind.spec();
    let visibility = if spec.self_describing() {
        // The fields say who may read it; an unreadable text is reported by the kind's checks.
        let said = spec
            .describe(&input.fields)
            .map_or(Visibility::Organisation, |d| d.visibility);
        let given = input.visibility.trim();
        // The editor does not ask; a front matter may repeat what the fields say.
        if !editor && !given.is_empty() && Visibility::parse(given).ok() != Some(said) {
            problem(
                "visibility",
                format!(
                    "a {} says who may read it in its own fields ({}): leave `visibility` out here, or make it the same",
                    input.kind.label(),
                    said.as_str()
                ),
            );
        }
        said
    } else {
        match input.visibility.trim() {
            "" if editor => {
                problem("visibility", "Choose who can see it".into());
                Visibility::Network
            }
            "" => Visibility::Network,
            v if limits::over(v, MAX_CHOICE_CHARS) => {
                problem(
                    "visibility",
                    "Choose who can see it: public, network or organisation".into(),
                );
                Visibility::Network
            }
            v => Visibility::parse(v).unwrap_or_else(|m| {
                problem("visibility", format!("Choose who can see it: {m}"));
                Visibility::Network
            }),
        }
    };
    let review_by = match input.review_by.trim() {
        "" if editor => {
            problem("review_by", "Enter a review-by date".into());
            None
        }
        "" => None,
        d if limits::over(d, MAX_CHOICE_CHARS) => {
            problem(
                "review_by",
                "Review-by date: write it as YYYY-MM-DD, like 2027-03-31".into(),
            );
            None
        }
        d => match Date::parse(d) {
            Ok(d) => Some(d),
            Err(m) => {
                problem("review_by", format!("Review-by date: {m}"));
                None
            }
        },
    };
    let tags = check_tags(&input.tags, &mut problem);
    let owner = input.owner.trim();
    let owner_id = if owner.is_empty() {
        if editor {
            problem(
                "owner",
                "Enter the email address of the document's owner".into(),
            );
        }
        None
    } else if limits::over(owner, MAX_EMAIL_CHARS) {
        problem(
            "owner",
            format!("The owner's email address must be {MAX_EMAIL_CHARS} characters or fewer"),
        );
        None
    } else {
        match users::find_by_email(db.pool(), owner).await? {
            Some(u) if input.org_id.is_some() && Some(u.org_id) == input.org_id => Some(u.id),
            // Whether nobody has the address or someone of another organisation has it, the
            // answer is the same: the editor is no way to find out who has an account.
            _ => {
                problem(
                    "owner",
                    format!("{owner} is not the email address of a member of the document's organisation"),
                );
                None
            }
        }
    };
    problems.extend(reference_problems(body));
    problems.extend(spec.check(
        &input.fields,
        CheckContext {
            organisation: input.org_slug,
        },
    ));
    for link in spec.links(&input.fields) {
        let kind = DocKind::from_path(&link.kind_path);
        let found = match (kind, source) {
            (None, _) => false,
            (Some(kind), Source::Import) => store::exists(db, kind, &link.slug).await?,
            // A document the author may not read is answered exactly like a missing one.
            (Some(kind), Source::Editor(viewer)) => store::find(db.pool(), kind, &link.slug)
                .await?
                .is_some_and(|row| viewer.can_read_document(&row.access())),
        };
        if !found {
            let what = kind.map_or("document", |k| k.label());
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
        topic: topic.to_owned(),
        tags,
        owner_id,
        visibility,
        review_by,
        fields: input.fields,
    }))
}

/// The tags, normalised, sorted and without repeats; at most [`MAX_TAGS`] of at most
/// [`MAX_TAG_CHARS`] characters each.
fn check_tags(given: &[&str], problem: &mut impl FnMut(&str, String)) -> Vec<String> {
    let given: Vec<&str> = given
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    let typed: usize = given.iter().map(|t| t.chars().count() + 2).sum();
    if given.len() > MAX_TAGS || typed > MAX_TAGS_FIELD_CHARS {
        problem(
            "tags",
            format!(
                "Tags: give at most {MAX_TAGS} tags of at most {MAX_TAG_CHARS} characters each (you gave {})",
                given.len()
            ),
        );
        return Vec::new();
    }
    let mut tags = Vec::new();
    for (i, tag) in given.iter().enumerate() {
        if limits::over(tag, MAX_TAG_CHARS) {
            problem(
                "tags",
                format!(
                    "Tags: tag {} must be {MAX_TAG_CHARS} characters or fewer",
                    i + 1
                ),
            );
            continue;
        }
        match normalise_tag(tag) {
            Ok(t) => tags.push(t),
            Err(m) => problem("tags", format!("Tags: {m}")),
        }
    }
    tags.sort();
    tags.dedup();
    tags
}
