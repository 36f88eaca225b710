//! Importing one document file of any kind: its front matter is read into the common fields
//! and the kind's own, checked by the same rules as the editor, and stored as a revision. A
//! file in a format of the kind's own (an access-management configuration as YAML) holds the
//! kind's fields alone, which say the rest.

use std::path::Path;

use super::{file_error, parse, slug_of, FrontMatter, ImportError, ImportFailure};
use crate::dates::Date;
use crate::db::{Actor, Db};
use crate::documents::export::DocFrontMatter;
use crate::documents::import::{self, ImportedDocument, Outcome};
use crate::documents::validate::{self, Source};
use crate::error::AppError;
use crate::kind::Problem;
use crate::kinds::DocKind;
use crate::orgs::store as orgs;
use crate::permissions::DocStatus;

/// Where in the file a problem is: the line of its field (and, for a field holding a text of
/// its own written as a block below its name, the line within it), or of the text for `body`.
pub(super) fn located(path: &Path, fm: &FrontMatter<'_>, problem: Problem) -> ImportError {
    match problem.field.as_str() {
        // A problem on a line of the text counts from the text's first line.
        "body" => {
            let line = fm.body_first_line + problem.line.map_or(0, |l| l.saturating_sub(1));
            file_error(path, Some(line), None, problem.message)
        }
        field => {
            let line = fm.line_of(field).map(|l| l + problem.line.unwrap_or(0));
            file_error(path, line, Some(field), problem.message)
        }
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
        org_slug: Some(meta.organisation.trim()),
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
    let stored = Stored {
        slug: &slug,
        status,
        updated_at: updated_at.as_deref(),
    };
    check_and_store(db, actor, input, stored, fail).await
}

/// Where an imported document goes, and in what state.
struct Stored<'a> {
    slug: &'a str,
    status: DocStatus,
    /// The file's date as a timestamp, if it gives one.
    updated_at: Option<&'a str>,
}

/// Checks a document read from a file by the editor's rules and stores it in a transaction of
/// its own; the first problem (placed in the file by `fail`) skips the file whole.
async fn check_and_store(
    db: &Db,
    actor: &Actor,
    input: validate::Input<'_>,
    stored: Stored<'_>,
    fail: impl Fn(Problem) -> Result<Result<Outcome, ImportError>, ImportFailure>,
) -> Result<Result<Outcome, ImportError>, ImportFailure> {
    let (kind, org_id) = (input.kind, input.org_id.ok_or(AppError::Internal)?);
    let text = match validate::check(db, Source::Import, input).await? {
        Ok(text) => text,
        Err(problems) => {
            let first = problems
                .into_iter()
                .next()
                .unwrap_or_else(|| Problem::new("fields", "refused"));
            return fail(first);
        }
    };
    let mut rec = db.record(actor).await?;
    let document = ImportedDocument {
        kind,
        slug: stored.slug,
        org_id,
        text: &text,
        status: stored.status,
        updated_at: stored.updated_at,
    };
    let outcome = import::store(&mut rec, document).await?;
    match outcome {
        Outcome::Unchanged => rec.rollback().await?,
        Outcome::Created | Outcome::Updated => rec.commit().await?,
    }
    Ok(Ok(outcome))
}

/// Imports one file of `kind` in a format of the kind's own (`content/access/nhs-fife.yaml`):
/// the fields alone, which say what organisation they belong to (its slug is the file name) and
/// who may read them. It is stored as published, dated by the day the fields describe.
pub async fn import_file(
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
    let spec = kind.spec();
    let fail = |problem: Problem| {
        let field = (problem.line.is_none() && problem.field != "fields").then_some(problem.field);
        Ok(Err(file_error(
            path,
            problem.line,
            field.as_deref(),
            problem.message,
        )))
    };
    let fields = spec.fields_from_file(text);
    let context = crate::kind::CheckContext {
        organisation: Some(&slug),
    };
    if let Some(first) = spec.check(&fields, context).into_iter().next() {
        return fail(first);
    }
    let Some(described) = spec.describe(&fields) else {
        return fail(Problem::new(
            "fields",
            format!("not a {} this version can read", kind.label()),
        ));
    };
    let Some(org) = orgs::find(db, &described.organisation).await? else {
        return fail(Problem::new(
            "organisation",
            format!("no organisation with slug {:?}", described.organisation),
        ));
    };
    let (title, summary) = match spec.file_title(&fields, &org.name) {
        Ok(t) => t,
        Err(e) => return fail(Problem::new("fields", e)),
    };
    let input = validate::Input {
        kind,
        org_id: Some(org.id),
        org_slug: Some(&org.slug),
        title: &title,
        summary: &summary,
        body: "",
        topic: "",
        tags: Vec::new(),
        visibility: "",
        review_by: "",
        owner: "",
        fields,
    };
    let updated_at = described.as_of.map(|d| format!("{d}T00:00:00Z"));
    let stored = Stored {
        slug: &slug,
        status: DocStatus::Published,
        updated_at: updated_at.as_deref(),
    };
    check_and_store(db, actor, input, stored, fail).await
}

/// The first sentence of a text, at most 200 characters, for a missing summary.
fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map(|i| i + 1).unwrap_or(text.len());
    let s: String = text[..end].chars().take(200).collect();
    s.trim().to_owned()
}
