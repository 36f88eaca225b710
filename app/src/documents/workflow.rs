//! Workflow steps on a document (send for review, approve, send back, archive), restoring an
//! old revision, and storing imported documents.

use tower_sessions::Session;

use super::store::{self, Author, Content};
use super::{DocKind, DocStatus};
use crate::audit::{self, Action, Actor};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::flash;
use crate::permissions::Viewer;
use crate::state::AppState;

/// A workflow step a button asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Submit,
    Approve,
    SendBack,
    Archive,
}

impl Step {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "submit" => Some(Step::Submit),
            "approve" => Some(Step::Approve),
            "send-back" => Some(Step::SendBack),
            "archive" => Some(Step::Archive),
            _ => None,
        }
    }
}

/// A workflow step a user asked for, on the revision they saw.
pub struct StepRequest<'a> {
    pub kind: DocKind,
    pub slug: &'a str,
    pub step: Step,
    pub comment: &'a str,
    /// The head revision's id when the page was shown: nobody approves a text they have not read.
    pub seen_revision: i64,
}

pub async fn step(
    state: &AppState,
    viewer: &Viewer,
    session: &Session,
    request: StepRequest<'_>,
) -> AppResult<String> {
    let StepRequest {
        kind,
        slug,
        step,
        comment,
        seen_revision,
    } = request;
    let user = viewer.require_user()?.clone();
    let db = &state.db;
    let row = store::find_readable(db, viewer, kind, slug).await?;
    let page = format!("/{}/{}", kind.path(), row.slug);
    let mut tx = db.begin_write().await?;
    let current = store::find(&mut *tx, kind, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let head_id = current.head_revision_id.ok_or(AppError::Internal)?;
    let head = store::revision_by_id(&mut *tx, head_id)
        .await?
        .ok_or(AppError::Internal)?;
    let refuse = |message: &str| (false, message.to_owned());
    let status = current.status();
    let (allowed, refusal) = match step {
        Step::Submit => match (viewer.can_edit_for(current.org_id), status) {
            (false, _) => refuse("Only editors of the organisation can send this for review"),
            (true, DocStatus::Draft) => (true, String::new()),
            (true, _) => refuse("Only a draft can be sent for review"),
        },
        Step::Approve => match (status, viewer.can_approve(current.org_id, head.author_id)) {
            (DocStatus::InReview, true) => (true, String::new()),
            (DocStatus::InReview, false) if viewer.can_publish_for(current.org_id) => {
                refuse("You wrote this revision, so another publisher must approve it")
            }
            (DocStatus::InReview, false) => {
                refuse("Only publishers of the organisation can approve it")
            }
            _ => refuse("Only a revision in review can be approved"),
        },
        Step::SendBack => match (status, viewer.can_publish_for(current.org_id)) {
            (_, false) => refuse("Only publishers of the organisation can send it back"),
            (DocStatus::InReview, true) if comment.trim().is_empty() => {
                refuse("Say what needs to change when you send it back")
            }
            (DocStatus::InReview, true) => (true, String::new()),
            _ => refuse("Only a revision in review can be sent back"),
        },
        Step::Archive => match (status, viewer.can_publish_for(current.org_id)) {
            (_, false) => refuse("Only publishers of the organisation can archive it"),
            (DocStatus::Archived, _) => refuse("It is already archived"),
            _ => (true, String::new()),
        },
    };
    if !allowed {
        tx.rollback().await?;
        if !viewer.can_edit_for(current.org_id) {
            return Err(AppError::Forbidden);
        }
        flash::set_notice(session, false, refusal).await?;
        return Ok(page);
    }
    if head.id != seen_revision {
        tx.rollback().await?;
        flash::set_notice(
            session,
            false,
            format!(
                "Revision {} was saved after you opened the page. Read it, then try again.",
                head.number
            ),
        )
        .await?;
        return Ok(page);
    }
    let author = Author::of(&user);
    let actor = Actor::of_user(&user).await;
    let comment = comment.trim();
    let (event, action, message) = match step {
        Step::Submit => {
            store::set_status(&mut tx, current.id, DocStatus::InReview).await?;
            ("submitted", Action::DocumentSubmitted, "Sent for review")
        }
        Step::Approve => {
            store::publish(&mut tx, current.id, head.id, &head.content(), &db::now()).await?;
            ("approved", Action::DocumentApproved, "Published")
        }
        Step::SendBack => {
            store::set_status(&mut tx, current.id, DocStatus::Draft).await?;
            (
                "sent back",
                Action::DocumentSentBack,
                "Sent back to the author",
            )
        }
        Step::Archive => {
            store::set_status(&mut tx, current.id, DocStatus::Archived).await?;
            (
                "archived",
                Action::DocumentArchived,
                "Archived: readers no longer see it",
            )
        }
    };
    store::record_event(&mut tx, current.id, Some(head.id), event, &author, comment).await?;
    audit::record(
        &mut *tx,
        &actor,
        action,
        &page,
        &format!(
            "revision {}{}",
            head.number,
            if comment.is_empty() {
                String::new()
            } else {
                format!(": {comment}")
            }
        ),
    )
    .await?;
    store::log_change(&mut tx, current.id, false).await?;
    tx.commit().await?;
    flash::set_notice(session, true, message).await?;
    Ok(page)
}

/// Makes an old revision the newest draft.
pub async fn restore(
    state: &AppState,
    viewer: &Viewer,
    session: &Session,
    kind: DocKind,
    slug: &str,
    number: i64,
) -> AppResult<String> {
    let user = viewer.require_user()?.clone();
    let db = &state.db;
    let row = store::find_readable(db, viewer, kind, slug).await?;
    if !viewer.can_edit_for(row.org_id) {
        return Err(AppError::Forbidden);
    }
    let old = store::revision_by_number(db.pool(), row.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let author = Author::of(&user);
    let comment = format!("Restored revision {number}");
    let mut tx = db.begin_write().await?;
    let (_, new_number) =
        store::save_draft(&mut tx, &row, &old.content(), &author, &comment, "restored").await?;
    store::log_change(&mut tx, row.id, false).await?;
    let target = format!("/{}/{}", kind.path(), row.slug);
    audit::record(
        &mut *tx,
        &Actor::of_user(&user).await,
        Action::DocumentRestored,
        &target,
        &format!("revision {number} as {new_number}"),
    )
    .await?;
    tx.commit().await?;
    flash::set_notice(
        session,
        true,
        format!("Revision {number} restored as draft revision {new_number}"),
    )
    .await?;
    Ok(target)
}

/// What an import did with one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imported {
    Created,
    Updated,
    Unchanged,
}

/// Stores an imported document: a new document, or a new revision when anything differs from
/// what is stored. Imports are approved as they arrive, unless the file says otherwise.
/// A document read from a content file.
pub struct ImportedDocument<'a> {
    pub kind: DocKind,
    pub slug: &'a str,
    pub org_id: i64,
    pub content: &'a Content,
    pub status: DocStatus,
    /// The file's `updated` date as a timestamp, if it gives one.
    pub updated_at: Option<&'a str>,
}

pub async fn import(
    tx: &mut db::Tx,
    document: ImportedDocument<'_>,
    actor: &Actor,
) -> Result<Imported, sqlx::Error> {
    let ImportedDocument {
        kind,
        slug,
        org_id,
        content,
        status,
        updated_at,
    } = document;
    let now = db::now();
    let author = Author::import();
    let existing = store::find(&mut **tx, kind, slug).await?;
    let target = format!("/{}/{slug}", kind.path());
    let (doc_id, outcome) = match existing {
        Some(row) => {
            let head = match row.head_revision_id {
                Some(id) => store::revision_by_id(&mut **tx, id).await?,
                None => None,
            };
            let same_content = head.as_ref().is_some_and(|h| h.content() == *content);
            let same_date = updated_at.is_none_or(|u| u == row.updated_at);
            if same_content && row.org_id == org_id && row.status() == status && same_date {
                return Ok(Imported::Unchanged);
            }
            let updated_at = updated_at.unwrap_or(&now);
            if row.org_id != org_id {
                sqlx::query("UPDATE documents SET org_id = $1 WHERE id = $2")
                    .bind(org_id)
                    .bind(row.id)
                    .execute(&mut **tx)
                    .await?;
            }
            let revision_id = match (&head, same_content) {
                (Some(h), true) => h.id,
                _ => {
                    store::append_revision(tx, row.id, content, &author, "Imported")
                        .await?
                        .0
                }
            };
            apply_import_status(
                tx,
                row.id,
                revision_id,
                content,
                status,
                updated_at,
                row.published_revision_id.is_some(),
            )
            .await?;
            (row.id, Imported::Updated)
        }
        None => {
            let updated_at = updated_at.unwrap_or(&now);
            let id =
                store::insert_document(tx, kind, slug, org_id, content, status, updated_at).await?;
            let (revision_id, _) =
                store::append_revision(tx, id, content, &author, "Imported").await?;
            apply_import_status(tx, id, revision_id, content, status, updated_at, false).await?;
            (id, Imported::Created)
        }
    };
    audit::record(
        &mut **tx,
        actor,
        Action::DocumentImported,
        &target,
        &format!("{} {doc_id}", kind.label()),
    )
    .await?;
    store::log_change(tx, doc_id, false).await?;
    Ok(outcome)
}

async fn apply_import_status(
    tx: &mut db::Tx,
    doc_id: i64,
    revision_id: i64,
    content: &Content,
    status: DocStatus,
    updated_at: &str,
    had_published: bool,
) -> Result<(), sqlx::Error> {
    let author = Author::import();
    match status {
        DocStatus::Published | DocStatus::Archived => {
            store::publish(tx, doc_id, revision_id, content, updated_at).await?;
            store::record_event(tx, doc_id, Some(revision_id), "imported", &author, "").await?;
            if status == DocStatus::Archived {
                store::set_status(tx, doc_id, DocStatus::Archived).await?;
            }
        }
        DocStatus::Draft | DocStatus::InReview => {
            if !had_published {
                store::mirror(tx, doc_id, content, updated_at).await?;
            }
            store::set_status(tx, doc_id, status).await?;
        }
    }
    Ok(())
}
