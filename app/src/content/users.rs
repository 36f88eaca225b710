//! Importing `users/*.md`. Passwords are never imported.

use std::path::Path;

use serde::Deserialize;

use super::{file_error, parse, ImportError};
use crate::db::{Action, Actor, Db, Event};
use crate::documents::import::Outcome;
use crate::orgs::store as orgs;
use crate::users::store::{self as users, UserFields};

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

/// Imports one user file.
pub async fn import(
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
            && u.role == role
            && u.job_title == fields.job_title
        {
            return Ok(Ok(Outcome::Unchanged));
        }
    }
    let mut rec = db.record(actor).await?;
    // Passwords are never imported; an existing user keeps theirs.
    let (action, change, outcome) = match existing {
        Some(u) => (
            Action::UserUpdated,
            users::update_profile(&mut rec, u.id, &fields).await?,
            Outcome::Updated,
        ),
        None => (
            Action::UserCreated,
            users::insert(&mut rec, &fields, None).await?.1,
            Outcome::Created,
        ),
    };
    rec.record(Event {
        action,
        target: &email,
        detail: &path.display().to_string(),
        change: Some(change),
    })
    .await?;
    rec.commit().await?;
    Ok(Ok(outcome))
}
