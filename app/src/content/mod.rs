//! Importing a content folder: Markdown files with YAML front matter, one per item, in
//! `organisations/`, `users/`, `guides/`, `plans/` and `lessons/`. The file name is the slug.
//!
//! Each file is validated completely before anything is written, then stored in its own
//! transaction, so a bad file is reported (path, line, field, reason) and skipped while the
//! others load, and nothing is ever half-written. Importing the same folder twice changes nothing.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::audit::{self, Action, Actor};
use crate::db::Db;
use crate::documents::export::DocFrontMatter;
use crate::documents::fields::{DocFields, LessonFields, LessonPhase, PlanFields};
use crate::documents::store::Content;
use crate::documents::workflow::{self, Imported};
use crate::documents::{self, DocKind, DocStatus, Visibility};
use crate::orgs::store::{self as orgs, OrgFields};
use crate::orgs::{Nation, OrgKind};
use crate::users::store::{self as users, UserFields};

mod front_matter;
pub use front_matter::{split_front_matter, FrontMatter};

/// A problem with one file, located as precisely as possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// Counts of what an import did, per kind, and the files it skipped.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    pub created: HashMap<&'static str, usize>,
    pub updated: HashMap<&'static str, usize>,
    pub unchanged: HashMap<&'static str, usize>,
    pub errors: Vec<ImportError>,
}

impl ImportReport {
    fn count(&mut self, kind: &'static str, outcome: Outcome) {
        let map = match outcome {
            Outcome::Created => &mut self.created,
            Outcome::Updated => &mut self.updated,
            Outcome::Unchanged => &mut self.unchanged,
        };
        *map.entry(kind).or_default() += 1;
    }

    /// One line per kind, e.g. "guides: 3 created, 1 updated, 10 unchanged".
    pub fn summary(&self) -> String {
        let mut lines = Vec::new();
        for kind in ["organisations", "users", "guides", "plans", "lessons"] {
            let c = self.created.get(kind).copied().unwrap_or(0);
            let u = self.updated.get(kind).copied().unwrap_or(0);
            let n = self.unchanged.get(kind).copied().unwrap_or(0);
            lines.push(format!("{kind}: {c} created, {u} updated, {n} unchanged"));
        }
        lines.push(format!(
            "{} file(s) skipped because of errors",
            self.errors.len()
        ));
        lines.join("\n")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// A fault that stops the whole import (the folder is unreadable, the database is down).
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Imports every file under `dir`: organisations, then users, then guides, plans and lessons.
pub async fn import_dir(db: &Db, dir: &Path) -> Result<ImportReport, ImportFailure> {
    let mut report = ImportReport::default();
    let actor = Actor::system("import");

    // Parents must exist before their children: retry files whose parent is not there yet.
    let mut pending: Vec<(PathBuf, String)> = read_kind(dir, "organisations")?;
    loop {
        let mut waiting = Vec::new();
        let before = pending.len();
        for (path, text) in pending {
            match import_org(db, &actor, &path, &text).await? {
                Ok(outcome) => report.count("organisations", outcome),
                Err(OrgImportError::ParentMissing(e)) => waiting.push((path, text, e)),
                Err(OrgImportError::Invalid(e)) => report.errors.push(e),
            }
        }
        if waiting.is_empty() || waiting.len() == before {
            report.errors.extend(waiting.into_iter().map(|(_, _, e)| e));
            break;
        }
        pending = waiting.into_iter().map(|(p, t, _)| (p, t)).collect();
    }

    for (path, text) in read_kind(dir, "users")? {
        match import_user(db, &actor, &path, &text).await? {
            Ok(outcome) => report.count("users", outcome),
            Err(e) => report.errors.push(e),
        }
    }
    for kind in DocKind::ALL {
        for (path, text) in read_kind(dir, kind.path())? {
            match import_document(db, &actor, kind, &path, &text).await? {
                Ok(outcome) => report.count(kind.path(), outcome),
                Err(e) => report.errors.push(e),
            }
        }
    }
    Ok(report)
}

/// The `.md` files of one kind's folder, sorted by name; a missing folder is empty.
fn read_kind(dir: &Path, kind: &str) -> Result<Vec<(PathBuf, String)>, ImportFailure> {
    let folder = dir.join(kind);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(ImportFailure::Io {
                path: folder,
                source,
            })
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| match std::fs::read_to_string(&path) {
            Ok(text) => Ok((path, text)),
            Err(source) => Err(ImportFailure::Io { path, source }),
        })
        .collect()
}

fn file_error(
    path: &Path,
    line: Option<usize>,
    field: Option<&str>,
    message: impl Into<String>,
) -> ImportError {
    ImportError {
        path: path.to_owned(),
        line,
        field: field.map(str::to_owned),
        message: message.into(),
    }
}

/// The slug from the file name, checked.
fn slug_of(path: &Path) -> Result<String, ImportError> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    documents::validate_slug(stem)
        .map(|()| stem.to_owned())
        .map_err(|m| file_error(path, None, None, format!("file name: {m}")))
}

/// Parses the front matter of `text` into `T`, mapping YAML errors to file lines.
fn parse<'a, T: Deserialize<'a>>(
    path: &Path,
    text: &'a str,
) -> Result<(FrontMatter<'a>, T), ImportError> {
    let fm = split_front_matter(text).map_err(|(line, m)| file_error(path, Some(line), None, m))?;
    let value = serde_yaml::from_str::<T>(fm.yaml).map_err(|e| {
        let line = e.location().map(|l| l.line() + fm.yaml_first_line - 1);
        let message = e.to_string();
        // serde_yaml appends " at line N column M"; the location is already in the prefix.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        let field = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned);
        ImportError {
            path: path.to_owned(),
            line,
            field,
            message,
        }
    })?;
    Ok((fm, value))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgFrontMatter {
    name: String,
    code: String,
    nation: String,
    kind: String,
    #[serde(default)]
    parent: Option<String>,
}

enum OrgImportError {
    ParentMissing(ImportError),
    Invalid(ImportError),
}

async fn import_org(
    db: &Db,
    actor: &Actor,
    path: &Path,
    text: &str,
) -> Result<Result<Outcome, OrgImportError>, sqlx::Error> {
    let invalid = |e| Ok(Err(OrgImportError::Invalid(e)));
    let slug = match slug_of(path) {
        Ok(s) => s,
        Err(e) => return invalid(e),
    };
    let (fm, meta) = match parse::<OrgFrontMatter>(path, text) {
        Ok(v) => v,
        Err(e) => return invalid(e),
    };
    let field_error =
        |field: &str, message: String| file_error(path, fm.line_of(field), Some(field), message);
    if meta.name.trim().is_empty() {
        return invalid(field_error("name", "must not be empty".into()));
    }
    let Some(nation) = Nation::parse(meta.nation.trim()) else {
        return invalid(field_error(
            "nation",
            format!(
                "unknown nation {:?}: expected one of england, scotland, wales, northern-ireland",
                meta.nation
            ),
        ));
    };
    let Some(kind) = OrgKind::parse(meta.kind.trim()) else {
        return invalid(field_error(
            "kind",
            format!(
                "unknown kind {:?}: expected one of trust, health-board, national-body, supplier",
                meta.kind
            ),
        ));
    };
    let parent_id = match meta
        .parent
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(p) if p == slug => {
            return invalid(field_error(
                "parent",
                "an organisation cannot be its own parent".into(),
            ))
        }
        Some(p) => match orgs::id_by_slug(db.pool(), p).await? {
            Some(id) => Some(id),
            None => {
                return Ok(Err(OrgImportError::ParentMissing(field_error(
                    "parent",
                    format!(
                        "no organisation with slug {p:?} (expected a file organisations/{p}.md)"
                    ),
                ))))
            }
        },
    };
    let fields = OrgFields {
        slug: &slug,
        name: meta.name.trim(),
        code: meta.code.trim(),
        nation,
        kind,
        parent_id,
        description: fm.body.trim(),
    };
    if orgs::unchanged(db, &fields).await? {
        return Ok(Ok(Outcome::Unchanged));
    }
    let mut tx = db.begin_write().await?;
    let (_, created) = orgs::upsert(&mut tx, &fields).await?;
    let action = if created {
        Action::OrganisationCreated
    } else {
        Action::OrganisationUpdated
    };
    audit::record(&mut *tx, actor, action, &slug, &path.display().to_string()).await?;
    tx.commit().await?;
    Ok(Ok(if created {
        Outcome::Created
    } else {
        Outcome::Updated
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserFrontMatter {
    email: String,
    name: String,
    organisation: String,
    role: String,
    #[serde(default)]
    job_title: Option<String>,
}

async fn import_user(
    db: &Db,
    actor: &Actor,
    path: &Path,
    text: &str,
) -> Result<Result<Outcome, ImportError>, sqlx::Error> {
    let (fm, meta) = match parse::<UserFrontMatter>(path, text) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let field_error =
        |field: &str, message: String| file_error(path, fm.line_of(field), Some(field), message);
    let email = match crate::users::validate_email(&meta.email) {
        Ok(e) => e,
        Err(m) => return Ok(Err(field_error("email", m))),
    };
    let role = match crate::users::parse_role(&meta.role) {
        Ok(r) => r,
        Err(m) => return Ok(Err(field_error("role", m))),
    };
    if meta.name.trim().is_empty() {
        return Ok(Err(field_error("name", "must not be empty".into())));
    }
    let Some(org_id) = orgs::id_by_slug(db.pool(), meta.organisation.trim()).await? else {
        return Ok(Err(field_error(
            "organisation",
            format!("no organisation with slug {:?}", meta.organisation),
        )));
    };
    let fields = UserFields {
        email: &email,
        name: meta.name.trim(),
        org_id,
        role,
        job_title: meta.job_title.as_deref().unwrap_or("").trim(),
    };
    let existing = users::find_by_email(db.pool(), &email).await?;
    if let Some(u) = &existing {
        if u.name == fields.name
            && u.org_id == org_id
            && u.role() == role
            && u.job_title == fields.job_title
        {
            return Ok(Ok(Outcome::Unchanged));
        }
    }
    let mut tx = db.begin_write().await?;
    let outcome = match existing {
        // Passwords are never imported; an existing user keeps theirs.
        Some(u) => {
            users::update_profile(&mut *tx, u.id, &fields).await?;
            audit::record(
                &mut *tx,
                actor,
                Action::UserUpdated,
                &email,
                &path.display().to_string(),
            )
            .await?;
            Outcome::Updated
        }
        None => {
            users::insert(&mut *tx, &fields, None).await?;
            audit::record(
                &mut *tx,
                actor,
                Action::UserCreated,
                &email,
                &path.display().to_string(),
            )
            .await?;
            Outcome::Created
        }
    };
    tx.commit().await?;
    Ok(Ok(outcome))
}

/// Imports one document file of any kind.
async fn import_document(
    db: &Db,
    actor: &Actor,
    kind: DocKind,
    path: &Path,
    text: &str,
) -> Result<Result<Outcome, ImportError>, sqlx::Error> {
    let slug = match slug_of(path) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let (fm, meta) = match parse::<DocFrontMatter>(path, text) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let field_error =
        |field: &str, message: String| file_error(path, fm.line_of(field), Some(field), message);
    if let Some(field) = meta.foreign_fields(kind).first() {
        return Ok(Err(field_error(
            field,
            format!("this field is not used by a {}", kind.label()),
        )));
    }
    let title = meta.title.trim();
    if title.is_empty() {
        return Ok(Err(field_error("title", "must not be empty".into())));
    }
    if title.chars().count() > 200 {
        return Ok(Err(field_error(
            "title",
            "must be at most 200 characters".into(),
        )));
    }
    let Some(org_id) = orgs::id_by_slug(db.pool(), meta.organisation.trim()).await? else {
        return Ok(Err(field_error(
            "organisation",
            format!("no organisation with slug {:?}", meta.organisation),
        )));
    };
    let owner_id = match meta
        .owner
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        None => None,
        Some(email) => match users::find_by_email(db.pool(), email).await? {
            Some(u) => Some(u.id),
            None => {
                return Ok(Err(field_error(
                    "owner",
                    format!("no user with email {email:?}"),
                )))
            }
        },
    };
    let visibility = match meta.visibility.as_deref().map(str::trim) {
        None | Some("") => Visibility::Network,
        Some(v) => match Visibility::parse(v) {
            Some(v) => v,
            None => {
                return Ok(Err(field_error(
                    "visibility",
                    format!(
                        "unknown visibility {v:?}: expected one of public, network, organisation"
                    ),
                )))
            }
        },
    };
    let status = match meta.status.as_deref().map(str::trim) {
        None | Some("") => DocStatus::Published,
        Some(s) => match DocStatus::parse(s) {
            Some(s) => s,
            None => {
                return Ok(Err(field_error(
                    "status",
                    format!(
                    "unknown status {s:?}: expected one of draft, in_review, published, archived"
                ),
                )))
            }
        },
    };
    let mut tags = Vec::new();
    for tag in &meta.tags {
        match documents::normalise_tag(tag) {
            Ok(t) => tags.push(t),
            Err(m) => return Ok(Err(field_error("tags", m))),
        }
    }
    tags.sort();
    tags.dedup();
    let review_by = match meta.review_by.as_deref() {
        None => None,
        Some(d) => match documents::validate_date(d) {
            Ok(d) => Some(d),
            Err(m) => return Ok(Err(field_error("review_by", m))),
        },
    };
    let updated_at = match meta.updated.as_deref() {
        None => None,
        Some(d) => match documents::validate_date(d) {
            Ok(d) => Some(format!("{d}T00:00:00Z")),
            Err(m) => return Ok(Err(field_error("updated", m))),
        },
    };
    let body = fm.body.trim_start_matches(['\r', '\n']).trim_end();
    if body.is_empty() && kind != DocKind::Lesson {
        return Ok(Err(file_error(
            path,
            Some(fm.body_first_line),
            None,
            format!("the {} has no text after the front matter", kind.label()),
        )));
    }
    if body.len() > crate::limits::MAX_BODY_BYTES {
        return Ok(Err(file_error(
            path,
            Some(fm.body_first_line),
            None,
            format!(
                "the text is {} KiB; the limit is {} KiB",
                body.len() / 1024,
                crate::limits::MAX_BODY_BYTES / 1024
            ),
        )));
    }
    let fields = match kind_fields(kind, &meta) {
        Ok(f) => f,
        Err((field, message)) => return Ok(Err(field_error(field, message))),
    };
    let summary = match &meta.summary {
        Some(s) if !s.trim().is_empty() => s.trim().to_owned(),
        _ => first_sentence(&crate::markdown::plain_text(body)),
    };
    let content = Content {
        title: title.to_owned(),
        summary,
        body: body.to_owned(),
        topic: meta.topic.clone().unwrap_or_default().trim().to_owned(),
        tags,
        owner_id,
        visibility,
        review_by,
        fields: fields.to_json(),
    };
    let mut tx = db.begin_write().await?;
    let document = workflow::ImportedDocument {
        kind,
        slug: &slug,
        org_id,
        content: &content,
        status,
        updated_at: updated_at.as_deref(),
    };
    let outcome = match workflow::import(&mut tx, document, actor).await? {
        Imported::Created => Outcome::Created,
        Imported::Updated => Outcome::Updated,
        Imported::Unchanged => {
            tx.rollback().await?;
            return Ok(Ok(Outcome::Unchanged));
        }
    };
    tx.commit().await?;
    Ok(Ok(outcome))
}

/// The kind-specific fields of a front matter, checked; the error names the field.
fn kind_fields(kind: DocKind, meta: &DocFrontMatter) -> Result<DocFields, (&'static str, String)> {
    match kind {
        DocKind::Guide => Ok(DocFields::Guide),
        DocKind::Plan => {
            let phases = meta.phases.clone().unwrap_or_default();
            for phase in &phases {
                for m in &phase.milestones {
                    for (what, date) in [("baseline", &m.baseline), ("forecast", &m.forecast)] {
                        documents::validate_date(date).map_err(|e| {
                            ("phases", format!("milestone {:?} {what}: {e}", m.name))
                        })?;
                    }
                }
            }
            Ok(DocFields::Plan(PlanFields {
                initiative: meta
                    .initiative
                    .clone()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
                product: meta.product.clone().unwrap_or_default().trim().to_owned(),
                product_version: meta
                    .product_version
                    .clone()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
                scope: meta.scope.clone().unwrap_or_default(),
                phases,
                risks: meta.risks.clone().unwrap_or_default(),
                contacts: meta.contacts.clone().unwrap_or_default(),
            }))
        }
        DocKind::Lesson => {
            let phase = match meta.phase.as_deref() {
                Some(p) => LessonPhase::parse(p).ok_or((
                    "phase",
                    format!("unknown phase {p:?}: expected one of procurement, pilot, rollout, business-as-usual"),
                ))?,
                None => return Err(("phase", "a lesson needs its phase".into())),
            };
            let mut related = Vec::new();
            for link in meta.related.clone().unwrap_or_default() {
                let (k, s) = crate::lessons::parse_related(&link).map_err(|m| ("related", m))?;
                related.push(format!("{}/{s}", k.path()));
            }
            let text = |v: &Option<String>| v.clone().unwrap_or_default().trim().to_owned();
            Ok(DocFields::Lesson(LessonFields {
                phase,
                context: text(&meta.context),
                what_happened: text(&meta.what_happened),
                what_worked: text(&meta.what_worked),
                do_differently: text(&meta.do_differently),
                recommendation: text(&meta.recommendation),
                related,
            }))
        }
    }
}

/// The first sentence of a text, at most 200 characters, for a missing summary.
fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map(|i| i + 1).unwrap_or(text.len());
    let s: String = text[..end].chars().take(200).collect();
    s.trim().to_owned()
}
