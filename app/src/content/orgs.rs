//! Importing `organisations/*.md`.

use std::path::Path;

use serde::Deserialize;

use super::{file_error, parse, slug_of, ImportError};
use crate::db::{Action, Actor, Db, Event};
use crate::documents::import::Outcome;
use crate::orgs::store::{self as orgs, OrgFields};
use crate::orgs::{Nation, OrgKind};

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

/// Why an organisation file was not imported.
pub enum OrgImportError {
    /// Its parent is not there yet; it is tried again after the others.
    ParentMissing(ImportError),
    Invalid(ImportError),
}

/// Imports one organisation file.
pub async fn import(
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
    let nation = match Nation::parse(&meta.nation) {
        Ok(n) => n,
        Err(m) => return invalid(field_error("nation", m)),
    };
    let kind = match OrgKind::parse(&meta.kind) {
        Ok(k) => k,
        Err(m) => return invalid(field_error("kind", m)),
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
    let mut rec = db.record(actor).await?;
    let (_, created, change) = orgs::upsert(&mut rec, &fields).await?;
    let action = if created {
        Action::OrganisationCreated
    } else {
        Action::OrganisationUpdated
    };
    rec.record(Event {
        action,
        target: &slug,
        detail: &path.display().to_string(),
        change: Some(change),
    })
    .await?;
    rec.commit().await?;
    Ok(Ok(if created {
        Outcome::Created
    } else {
        Outcome::Updated
    }))
}
