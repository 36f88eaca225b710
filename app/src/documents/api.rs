//! Server functions for documents of every kind. Each finds the document through the
//! permission check before it reads or changes anything.

use leptos::prelude::*;

use super::model::{
    DiffView, DocList, DocQuery, DocSummary, DocView, DocumentForm, EditorData, HistoryView,
    ReviewQueue,
};
use super::steps::Transition;
use super::DocKind;
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::auth::session::{caller, request_session, viewer};
    pub use crate::documents::store::{find_readable, lists};
    pub use crate::documents::{editing, reading, workflow};
    pub use crate::error::with_status;
    pub use crate::state::app_state;
}

/// Published documents of a kind the viewer may read, filtered and paginated.
#[server(endpoint = "documents/list")]
pub async fn list_documents(kind: DocKind, query: DocQuery) -> Result<DocList, AppError> {
    use ssr::*;
    with_status(async { lists::list(&app_state()?.db, &viewer().await?, kind, &query).await }.await)
}

/// The most recently updated documents of a kind the viewer may read, for the home page.
#[server(endpoint = "documents/recent")]
pub async fn recent_documents(kind: DocKind) -> Result<Vec<DocSummary>, AppError> {
    use ssr::*;
    lists::recent(&app_state()?.db, &viewer().await?, kind, 4).await
}

/// A document page; "not found" for documents the viewer may not read.
#[server(endpoint = "documents/get")]
pub async fn get_document(kind: DocKind, slug: String) -> Result<DocView, AppError> {
    use ssr::*;
    with_status(
        async {
            let (state, viewer) = (app_state()?, viewer().await?);
            let doc = find_readable(&state.db, &viewer, kind, &slug).await?;
            reading::page(&state.db, &viewer, state.today(), doc).await
        }
        .await,
    )
}

/// One revision of a document.
#[server(endpoint = "documents/revision")]
pub async fn get_revision(kind: DocKind, slug: String, number: i64) -> Result<DocView, AppError> {
    use ssr::*;
    with_status(
        async {
            let (state, viewer) = (app_state()?, viewer().await?);
            let doc = find_readable(&state.db, &viewer, kind, &slug).await?;
            reading::revision_page(&state.db, &viewer, state.today(), doc, number).await
        }
        .await,
    )
}

/// The revisions and workflow steps of a document. Readers see approved revisions only.
#[server(endpoint = "documents/history")]
pub async fn get_history(kind: DocKind, slug: String) -> Result<HistoryView, AppError> {
    use ssr::*;
    with_status(
        async {
            let (state, viewer) = (app_state()?, viewer().await?);
            let doc = find_readable(&state.db, &viewer, kind, &slug).await?;
            reading::history(&state.db, &viewer, doc).await
        }
        .await,
    )
}

/// Two revisions compared word by word.
#[server(endpoint = "documents/diff")]
pub async fn get_diff(
    kind: DocKind,
    slug: String,
    from: i64,
    to: i64,
) -> Result<DiffView, AppError> {
    use ssr::*;
    with_status(
        async {
            let (state, viewer) = (app_state()?, viewer().await?);
            let doc = find_readable(&state.db, &viewer, kind, &slug).await?;
            reading::diff(&state.db, &viewer, doc, from, to).await
        }
        .await,
    )
}

/// The editor, with what the user typed if their last post was refused or previewed.
#[server(endpoint = "documents/editor")]
pub async fn get_editor(kind: DocKind, slug: Option<String>) -> Result<EditorData, AppError> {
    use ssr::*;
    with_status(
        async {
            let session = request_session().await?;
            editing::editor(
                &app_state()?.db,
                &viewer().await?,
                &session,
                kind,
                slug.as_deref(),
            )
            .await
        }
        .await,
    )
}

/// Saves the editor: a preview, a new draft revision, or a revision sent for review.
#[server(endpoint = "documents/save")]
pub async fn save_document(form: DocumentForm) -> Result<(), AppError> {
    use ssr::*;
    with_status(
        async {
            let session = request_session().await?;
            let caller = caller().await?;
            let next = editing::save(
                &app_state()?.db,
                &caller.viewer,
                &caller.actor,
                &session,
                form,
            )
            .await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        .await,
    )
}

/// A workflow transition (`submit`, `approve`, `send-back` with a comment, or `archive`) on
/// the revision the user saw.
#[server(endpoint = "documents/step")]
pub async fn document_step(
    kind: DocKind,
    slug: String,
    step: Transition,
    revision: i64,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use ssr::*;
    with_status(
        async {
            let session = request_session().await?;
            let caller = caller().await?;
            let request = workflow::TransitionRequest {
                kind,
                slug: &slug,
                transition: step,
                comment: &comment,
                seen_revision: revision,
            };
            let next = workflow::transition(
                &app_state()?.db,
                &caller.viewer,
                &caller.actor,
                &session,
                request,
            )
            .await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        .await,
    )
}

/// Restores an old revision as the newest draft.
#[server(endpoint = "documents/restore")]
pub async fn restore_revision(kind: DocKind, slug: String, number: i64) -> Result<(), AppError> {
    use ssr::*;
    with_status(
        async {
            let session = request_session().await?;
            let caller = caller().await?;
            let next = workflow::restore(
                &app_state()?.db,
                &caller.viewer,
                &caller.actor,
                &session,
                kind,
                &slug,
                number,
            )
            .await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        .await,
    )
}

/// Renders Markdown as the page would show it, for the editor's live preview.
#[server(endpoint = "documents/preview")]
pub async fn preview_markdown(markdown: String) -> Result<String, AppError> {
    use ssr::*;
    with_status(
        async {
            let viewer = viewer().await?;
            viewer.require_user()?;
            if markdown.len() > crate::limits::MAX_BODY_BYTES {
                return Err(AppError::Invalid(format!(
                    "The text is too long to preview: it must be {} KiB or less",
                    crate::limits::MAX_BODY_BYTES / 1024
                )));
            }
            let state = crate::state::app_state()?;
            let today = state.today();
            // Live references as the author will see them on the page.
            Ok(
                super::hooks::render_for(&state.db, &viewer, today, &markdown)
                    .await?
                    .html,
            )
        }
        .await,
    )
}

/// Documents waiting for the viewer's organisation: approvals, drafts and reviews due.
#[server(endpoint = "documents/review-queue")]
pub async fn get_review_queue() -> Result<ReviewQueue, AppError> {
    use ssr::*;
    with_status(
        async {
            let state = app_state()?;
            reading::review_queue(&state.db, &viewer().await?, state.today()).await
        }
        .await,
    )
}
