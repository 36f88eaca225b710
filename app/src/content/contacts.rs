//! Importing `contacts/*.yaml`: each file one stakeholder contact as written
//! ([`ContactInput`](crate::contacts::validate::ContactInput)). The file name is the contact's
//! name in the directory (`/contacts/{file name}`), which plans link to: the same file updates
//! the same contact, and an unchanged file changes nothing.

use std::path::Path;

use super::{file_error, slug_of, ImportError, ImportFailure};
use crate::contacts::model::contact_href;
use crate::contacts::store;
use crate::contacts::validate::{self, ContactInput};
use crate::db::{Action, Actor, Db, Event};
use crate::documents::import::Outcome;

/// Imports one contact file, checked on `today`.
pub async fn import(
    db: &Db,
    actor: &Actor,
    path: &Path,
    text: &str,
    today: crate::dates::Date,
) -> Result<Result<Outcome, ImportError>, ImportFailure> {
    let slug = match slug_of(path) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    if validate::RESERVED.contains(&slug.as_str()) {
        return Ok(Err(file_error(
            path,
            None,
            None,
            format!("file name: {slug:?} is a page of the directory, not a contact's name"),
        )));
    }
    let input: ContactInput = match yaml_serde::from_str(text) {
        Ok(input) => input,
        Err(e) => {
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            return Ok(Err(file_error(
                path,
                e.location().map(|l| l.line()),
                None,
                message,
            )));
        }
    };
    let fields = match validate::check(db, &input, today).await? {
        Ok(fields) => fields,
        // A file reports its first problem, as document files do.
        Err(problems) => {
            let first = problems.into_iter().next().unwrap_or_else(|| {
                crate::kind::Problem::new("name", "the contact could not be checked")
            });
            return Ok(Err(file_error(
                path,
                None,
                Some(&first.field),
                first.message,
            )));
        }
    };
    let previous = store::find(db, &slug).await?;
    if previous.as_ref().is_some_and(|p| p.fields == fields) {
        return Ok(Ok(Outcome::Unchanged));
    }
    if let Some(owner) = store::slug_of_email(db, &fields.email).await? {
        if owner != slug {
            return Ok(Err(file_error(
                path,
                None,
                Some("email"),
                format!("the contact {owner:?} already has this email address"),
            )));
        }
    }
    let mut rec = db.record(actor).await?;
    let (_, change) = store::save(&mut rec, &slug, &fields, previous.as_ref()).await?;
    rec.record(Event {
        action: if previous.is_some() {
            Action::ContactUpdated
        } else {
            Action::ContactCreated
        },
        target: &contact_href(&slug),
        detail: &path.display().to_string(),
        change: Some(change),
    })
    .await?;
    rec.commit().await?;
    Ok(Ok(if previous.is_some() {
        Outcome::Updated
    } else {
        Outcome::Created
    }))
}
