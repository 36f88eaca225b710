//! The contact editor: adding and changing contacts, archiving them and bringing them back.
//! Plain forms that post and redirect; a refused post comes back with every problem listed and
//! everything typed kept (in the session, like the event editor). Every change goes through the
//! recorder and raises the contact's version.
//!
//! Who may do what is asked of the permission module: the organisation a contact belongs to is
//! checked against the user whatever the form says, so a crafted form can neither change another
//! organisation's contact nor put a contact under an organisation the user does not work for.

use tower_sessions::Session;

use super::model::{contact_href, ArchiveForm, Choice, ContactEditor, ContactForm};
use super::store::{self, StoredContact};
use super::validate::{self, slug_of_name, ContactInput};
use super::ContactVisibility;
use crate::components::form::FormError;
use crate::dates::Date;
use crate::db::{Action, Actor, Db, Event};
use crate::error::{AppError, AppResult};
use crate::flash;
use crate::kind::Problem;
use crate::permissions::Viewer;

/// What the editor keeps in the session between a refused post and the page.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Kept {
    form: ContactForm,
    errors: Vec<FormError>,
}

fn flash_key(slug: Option<&str>) -> String {
    match slug {
        Some(slug) => format!("contacts/{slug}"),
        None => "contacts/new".to_owned(),
    }
}

/// The form filled from a stored contact.
fn form_of(contact: &StoredContact) -> ContactForm {
    let f = &contact.fields;
    ContactForm {
        slug: contact.slug.clone(),
        version: contact.version,
        name: f.name.clone(),
        job_title: f.job_title.clone(),
        org: contact.org.slug.clone(),
        roles: f
            .roles
            .iter()
            .map(|r| (r.as_str().to_owned(), "yes".to_owned()))
            .collect(),
        email: f.email.clone(),
        phone: f.phone.clone(),
        team: f.team.clone(),
        initiatives: f.initiatives.join("\n"),
        last_verified: f.last_verified.to_string(),
        visibility: f.visibility.as_str().to_owned(),
    }
}

/// The form as the rules read it.
fn input_of(form: &ContactForm) -> ContactInput {
    ContactInput {
        name: form.name.clone(),
        job_title: form.job_title.clone(),
        organisation: form.org.clone(),
        roles: form
            .roles
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, _)| k.clone())
            .collect(),
        email: form.email.clone(),
        phone: form.phone.clone(),
        team: form.team.clone(),
        initiatives: form.initiatives.lines().map(str::to_owned).collect(),
        last_verified: form.last_verified.clone(),
        visibility: form.visibility.clone(),
    }
}

/// A problem found by the contact rules, on the editor's field, in a sentence.
pub fn form_error(problem: Problem) -> FormError {
    let (field, label) = match problem.field.as_str() {
        "name" => ("name", "Full name"),
        "job_title" => ("job_title", "Job title"),
        "organisation" => ("org", "Organisation"),
        "roles" => ("roles", "Roles"),
        "email" => ("email", "Email"),
        "phone" => ("phone", "Telephone"),
        "team" => ("team", "Team"),
        "initiatives" => ("initiatives", "Initiatives"),
        "last_verified" => ("last_verified", "Last checked"),
        "visibility" => ("visibility", "Who can see it"),
        _ => ("name", "The contact"),
    };
    let message = if problem.message.starts_with("Enter ")
        || problem.message.starts_with("Choose ")
        || problem.message.starts_with(label)
    {
        problem.message
    } else {
        format!("{label}: {}", problem.message)
    };
    FormError::new(field, message)
}

/// The organisations a user may keep contacts for.
async fn org_choices(db: &Db, viewer: &Viewer) -> AppResult<Vec<Choice>> {
    let user = viewer.require_user()?;
    if viewer.writes_for_every_organisation() {
        return Ok(crate::orgs::store::all_refs(db)
            .await?
            .into_iter()
            .map(|o| Choice {
                value: o.slug,
                label: o.name,
            })
            .collect());
    }
    Ok(vec![Choice {
        value: user.org_slug.clone(),
        label: user.org_name.clone(),
    }])
}

/// The contact a post changes, once the viewer is known to be allowed to change it: another
/// organisation's contact they may read is refused (403), one they may not read is not found.
async fn editable(db: &Db, viewer: &Viewer, slug: &str) -> AppResult<StoredContact> {
    let contact = super::reading::readable(db, viewer, slug).await?;
    if !viewer.can_keep_contacts_for(contact.fields.org_id) {
        return Err(AppError::Forbidden);
    }
    Ok(contact)
}

/// `/contacts/new` or `/contacts/{slug}/edit`, with what the user typed if their last post was
/// refused.
pub async fn editor(
    db: &Db,
    viewer: &Viewer,
    session: &Session,
    today: Date,
    slug: Option<&str>,
) -> AppResult<ContactEditor> {
    let user = viewer.require_user()?;
    if !viewer.can_add_contacts() {
        return Err(AppError::Forbidden);
    }
    let stored = match slug {
        Some(slug) => Some(editable(db, viewer, slug).await?),
        None => None,
    };
    let kept: Option<Kept> = flash::take(session, &flash_key(slug)).await?;
    let fresh = match &stored {
        Some(c) => form_of(c),
        None => ContactForm {
            org: user.org_slug.clone(),
            visibility: ContactVisibility::Network.as_str().to_owned(),
            last_verified: today.to_string(),
            ..ContactForm::default()
        },
    };
    let (form, errors) = match kept {
        Some(k) => (k.form, k.errors),
        None => (fresh, Vec::new()),
    };
    Ok(ContactEditor {
        slug: slug.map(str::to_owned),
        heading: match &stored {
            Some(c) => format!("Change: {}", c.fields.name),
            None => "Add a contact".to_owned(),
        },
        form,
        errors,
        orgs: org_choices(db, viewer).await?,
        archived: stored.is_some_and(|c| c.archived_at.is_some()),
        today: today.to_string(),
    })
}

/// Back to the editor with the form and its problems; returns its address.
async fn back_to_editor(
    session: &Session,
    slug: Option<&str>,
    form: ContactForm,
    errors: Vec<FormError>,
) -> AppResult<String> {
    flash::keep(session, &flash_key(slug), &Kept { form, errors }).await?;
    Ok(ContactEditor::href(slug))
}

/// Saves the editor; returns where the browser goes next: the contact's page, or the editor
/// again with the problems.
pub async fn save(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    session: &Session,
    today: Date,
    form: ContactForm,
) -> AppResult<String> {
    viewer.require_user()?;
    if !viewer.can_add_contacts() {
        return Err(AppError::Forbidden);
    }
    let slug_text = form.slug.trim().to_owned();
    let slug = Some(slug_text.as_str()).filter(|s| !s.is_empty());
    let previous = match slug {
        Some(slug) => Some(editable(db, viewer, slug).await?),
        None => None,
    };
    let mut errors = Vec::new();
    if let Some(previous) = &previous {
        if previous.version != form.version {
            errors.push(FormError::new(
                "contact-form",
                "Someone changed this contact after you opened it. Check the contact's page, then make your change again: what you typed is kept below.",
            ));
        }
    }
    // The organisation: checked against the user, whatever the form says.
    let org = form.org.trim();
    if let Some(org_id) = crate::orgs::store::id_by_slug(db.pool(), org).await? {
        if !viewer.can_keep_contacts_for(org_id) {
            errors.push(FormError::new(
                "org",
                "Organisation: you can add and change contacts only for your own organisation",
            ));
        }
    }
    let fields = match validate::check(db, &input_of(&form), today).await? {
        Ok(fields) => Some(fields),
        Err(problems) => {
            for p in problems {
                let e = form_error(p);
                if !errors.iter().any(|x| x.field == e.field) {
                    errors.push(e);
                }
            }
            None
        }
    };
    // One contact per email address: the same answer whether the other is readable or not.
    if let Some(f) = &fields {
        if let Some(owner) = store::slug_of_email(db, &f.email).await? {
            if previous.as_ref().is_none_or(|p| p.slug != owner) {
                errors.push(FormError::new(
                    "email",
                    "Email: another contact in the directory already has this email address",
                ));
            }
        }
    }
    let fields = match fields {
        Some(fields) if errors.is_empty() => fields,
        _ => return back_to_editor(session, slug, form, errors).await,
    };
    if previous.as_ref().is_some_and(|p| p.fields == fields) {
        flash::set_notice(session, true, "Nothing changed").await?;
        return Ok(contact_href(&form.slug));
    }
    let mut rec = db.record(actor).await?;
    let slug = match &previous {
        Some(p) => p.slug.clone(),
        None => store::free_slug(&mut rec, &slug_of_name(&fields.name)).await?,
    };
    let (_, change) = store::save(&mut rec, &slug, &fields, previous.as_ref()).await?;
    rec.record(Event {
        action: if previous.is_some() {
            Action::ContactUpdated
        } else {
            Action::ContactCreated
        },
        target: &contact_href(&slug),
        detail: "editor",
        change: Some(change),
    })
    .await?;
    rec.commit().await?;
    flash::set_notice(
        session,
        true,
        if previous.is_some() {
            "Contact saved"
        } else {
            "Contact added"
        },
    )
    .await?;
    Ok(contact_href(&slug))
}

/// Archives a contact (it leaves the directory, plans and exports; its organisation's editors
/// still find it) or brings it back; returns where the browser goes next.
pub async fn archive(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    session: &Session,
    form: ArchiveForm,
) -> AppResult<String> {
    viewer.require_user()?;
    let contact = editable(db, viewer, form.slug.trim()).await?;
    let archive = match form.action.as_str() {
        "archive" => true,
        "restore" => false,
        _ => return Err(AppError::Invalid("Choose to archive or restore".into())),
    };
    let href = contact_href(&contact.slug);
    if contact.version != form.version {
        flash::set_notice(
            session,
            false,
            "Someone changed this contact after you opened it: check it and try again",
        )
        .await?;
        return Ok(href);
    }
    if contact.archived_at.is_some() == archive {
        flash::set_notice(session, true, "Nothing changed").await?;
        return Ok(href);
    }
    let mut rec = db.record(actor).await?;
    let change = store::set_archived(&mut rec, &contact, archive).await?;
    rec.record(Event {
        action: if archive {
            Action::ContactArchived
        } else {
            Action::ContactRestored
        },
        target: &href,
        detail: "",
        change: Some(change),
    })
    .await?;
    rec.commit().await?;
    let message = if archive {
        "Contact archived: it no longer appears in the directory or on plans"
    } else {
        "Contact restored to the directory"
    };
    flash::set_notice(session, true, message).await?;
    Ok(href)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_problems_land_on_the_editors_fields() {
        let e = form_error(Problem::new("organisation", "unknown organisation \"x\""));
        assert_eq!(e.field, "org");
        assert_eq!(e.message, "Organisation: unknown organisation \"x\"");
        assert_eq!(
            form_error(Problem::new("name", "Enter the contact's full name")).message,
            "Enter the contact's full name"
        );
        assert_eq!(form_error(Problem::new("phone", "x")).field, "phone");
    }
}
