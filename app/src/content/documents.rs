//! Importing one document file of any kind: its front matter is read into the common fields
//! and the kind's own, checked by the same rules as the editor, and stored as a revision.

use std::path::Path;

use super::{file_error, parse, slug_of, FrontMatter, ImportError, ImportFailure};
use crate::dates::Date;
use crate::db::{Actor, Db};
use crate::documents::export::DocFrontMatter;
use crate::documents::import::{self, ImportedDocument, Outcome};
use crate::documents::validate::{self, Source};
use crate::kind::Problem;
use crate::kinds::DocKind;
use crate::orgs::store as orgs;
use crate::permissions::DocStatus;

/// Where in the file a problem is: the line of its field, or of the text for `body`.
pub(super) fn located(path: &Path, fm: &FrontMatter<'_>, problem: Problem) -> ImportError {
    match problem.field.as_str() {
        "body" => file_error(path, Some(fm.body_first_line), None, problem.message),
        field => file_error(path, fm.line_of(field), Some(field), problem.message),
    }
}

/// Imports one document file of `kind`.
pub async fn import(
    db: &Db,
    actor: &Actor,
    kind: DocKind,
    path: &Path,
    text: &str,
) -> Result<Result<Outcome, ImportError>, ImportFailure> {
    let slug = match slug_of(path) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let (fm, meta) = match parse::<DocFrontMatter>(path, text) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let fail = |problem: Problem| Ok(Err(located(path, &fm, problem)));
    let Some(org_id) = orgs::id_by_slug(db.pool(), meta.organisation.trim()).await? else {
        return fail(Problem::new(
            "organisation",
            format!("no organisation with slug {:?}", meta.organisation),
        ));
    };
    let status = match meta.status.as_deref().map(str::trim) {
        None | Some("") => DocStatus::Published,
        Some(s) => match DocStatus::parse(s) {
            Ok(s) => s,
            Err(m) => return fail(Problem::new("status", m)),
        },
    };
    let updated_at = match meta.updated.as_deref() {
        None => None,
        Some(d) => match Date::parse(d) {
            Ok(d) => Some(format!("{d}T00:00:00Z")),
            Err(m) => return fail(Problem::new("updated", m)),
        },
    };
    let fields = match kind.spec().read_front_matter(meta.fields.clone()) {
        Ok(f) => f,
        Err(problem) => return fail(problem),
    };
    let body = fm.body.trim_start_matches(['\r', '\n']).trim_end();
    let summary = match &meta.summary {
        Some(s) if !s.trim().is_empty() => s.trim().to_owned(),
        _ => first_sentence(&crate::markdown::plain_text(body)),
    };
    let input = validate::Input {
        kind,
        org_id: Some(org_id),
        title: &meta.title,
        summary: &summary,
        body,
        topic: meta.topic.as_deref().unwrap_or_default(),
        tags: meta.tags.iter().map(String::as_str).collect(),
        visibility: meta.visibility.as_deref().unwrap_or_default(),
        review_by: meta.review_by.as_deref().unwrap_or_default(),
        owner: meta.owner.as_deref().unwrap_or_default(),
        fields,
    };
    let text = match validate::check(db, Source::Import, input).await? {
        Ok(text) => text,
        // The first problem is reported; the file is skipped whole.
        Err(problems) => match problems.into_iter().next() {
            Some(first) => return fail(first),
            None => return Ok(Err(file_error(path, None, None, "refused"))),
        },
    };
    let mut rec = db.record(actor).await?;
    let document = ImportedDocument {
        kind,
        slug: &slug,
        org_id,
        text: &text,
        status,
        updated_at: updated_at.as_deref(),
    };
    let outcome = import::store(&mut rec, document).await?;
    match outcome {
        Outcome::Unchanged => rec.rollback().await?,
        Outcome::Created | Outcome::Updated => rec.commit().await?,
    }
    Ok(Ok(outcome))
}

/// The first sentence of a text, at most 200 characters, for a missing summary.
fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map(|i| i + 1).unwrap_or(text.len());
    let s: String = text[..end].chars().take(200).collect();
    s.trim().to_owned()
}
