//! Server functions for the contact pages, the editor and the CSV import. Every one refuses
//! anonymous callers (401) before anything is read or counted; reads go through the permission
//! check in `reading`, changes through `editing` and `csv`, which ask the permission module too.

use leptos::prelude::*;

use super::model::{
    ArchiveForm, ContactEditor, ContactForm, ContactList, ContactQuery, ContactView, ImportForm,
    ImportPage, ListedContact, PlanContactView,
};
use crate::error::AppError;

/// `/contacts`: one page of the directory, for signed-in members.
#[server(endpoint = "contacts/list")]
pub async fn list_contacts(query: ContactQuery) -> Result<ContactList, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            super::reading::list(
                &state.db,
                &viewer,
                state.today(),
                state.settings.contacts_per_hour,
                &query,
            )
            .await
        }
        .await,
    )
}

/// `/contacts/{slug}`: one contact; "not found" for one the viewer may not read. Each call is
/// an opening: counted against the hourly limit and written to the audit log.
#[server(endpoint = "contacts/get")]
pub async fn get_contact(slug: String) -> Result<ContactView, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = crate::auth::session::caller().await?;
            let contact = super::reading::readable(&state.db, &caller.viewer, &slug).await?;
            super::reading::open(
                &state.db,
                &caller.viewer,
                &caller.actor,
                state.settings.contacts_per_hour,
                &contact,
                super::reading::Opening::Page,
            )
            .await?;
            super::reading::page(&state.db, &caller.viewer, state.now(), contact).await
        }
        .await,
    )
}

/// The contact editor (`slug` `None` for a new contact), with what the user typed if their
/// last post was refused.
#[server(endpoint = "contacts/editor")]
pub async fn get_contact_editor(slug: Option<String>) -> Result<ContactEditor, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            let session = crate::auth::session::request_session().await?;
            super::editing::editor(&state.db, &viewer, &session, state.today(), slug.as_deref())
                .await
        }
        .await,
    )
}

/// Saves the contact editor: to the contact's page, or back to the editor with the problems.
#[server(endpoint = "contacts/save")]
pub async fn save_contact(form: ContactForm) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = crate::auth::session::caller().await?;
            let session = crate::auth::session::request_session().await?;
            let next = super::editing::save(
                &state.db,
                &caller.viewer,
                &caller.actor,
                &session,
                state.today(),
                form,
            )
            .await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        .await,
    )
}

/// Archives a contact or brings it back.
#[server(endpoint = "contacts/archive")]
pub async fn archive_contact(form: ArchiveForm) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = crate::auth::session::caller().await?;
            let session = crate::auth::session::request_session().await?;
            let next =
                super::editing::archive(&state.db, &caller.viewer, &caller.actor, &session, form)
                    .await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        .await,
    )
}

/// `/contacts/import`: the form, with the last dry run and the text it checked.
#[server(endpoint = "contacts/import-page")]
pub async fn get_import_page() -> Result<ImportPage, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            let session = crate::auth::session::request_session().await?;
            viewer.require_user()?;
            let scope = viewer.contact_export_scope().ok_or(AppError::Forbidden)?;
            let kept = super::csv::take_kept(&session).await?;
            let orgs = crate::orgs::store::all_refs(&state.db)
                .await?
                .into_iter()
                .filter(|o| {
                    scope.is_none() || viewer.user.as_ref().is_some_and(|u| u.org_slug == o.slug)
                })
                .map(|o| super::model::Choice {
                    value: o.slug,
                    label: o.name,
                })
                .collect();
            let (form, report) = match kept {
                Some((form, report)) => (form, Some(report)),
                None => (ImportForm::default(), None),
            };
            Ok(ImportPage {
                form,
                report,
                columns: super::csv::COLUMNS
                    .iter()
                    .map(|c| (*c).to_owned())
                    .collect(),
                orgs,
            })
        }
        .await,
    )
}

/// The CSV import: `check` runs the dry run and shows it with the text kept; `import` writes
/// the valid rows of the text the dry run checked, in one transaction. An `import` of a text
/// that was changed after its dry run is a new dry run, and writes nothing.
#[server(endpoint = "contacts/import")]
pub async fn import_contacts(form: ImportForm) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = crate::auth::session::caller().await?;
            let session = crate::auth::session::request_session().await?;
            let next = super::csv::check_or_import(
                &state.db,
                &caller.viewer,
                &caller.actor,
                &session,
                state.today(),
                form,
            )
            .await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        .await,
    )
}

/// The contacts of a deployment plan that the viewer may read; none for anonymous viewers;
/// "not found" for a plan they may not read.
#[server(endpoint = "contacts/of-plan")]
pub async fn plan_contacts(slug: String) -> Result<Vec<PlanContactView>, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            super::reading::of_plan(&state.db, &viewer, &slug).await
        }
        .await,
    )
}

/// Contacts not checked for a year, for the review page of their organisation's publishers
/// (every organisation's for administrators); none for anyone else.
#[server(endpoint = "contacts/unverified")]
pub async fn unverified_contacts() -> Result<Vec<ListedContact>, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            super::reading::unverified(&state.db, &viewer, state.today()).await
        }
        .await,
    )
}
