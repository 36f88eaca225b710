//! Workflow transitions on a document (send for review, approve, send back, archive) and
//! restoring an old revision.

use tower_sessions::Session;

use super::editing::save_draft;
use super::steps::Transition;
use super::store::steps::{record_step, Step, StepTarget};
use super::store::{self, revisions, Author};
use super::WorkflowStep;
use crate::db::{Actor, Db};
use crate::error::{AppError, AppResult};
use crate::flash;
use crate::kinds::DocKind;
use crate::limits;
use crate::permissions::{DocStatus, Viewer};

/// A transition a user asked for, on the revision they saw.
pub struct TransitionRequest<'a> {
    pub kind: DocKind,
    pub slug: &'a str,
    pub transition: Transition,
    pub comment: &'a str,
    /// The head revision's id when the page was shown: nobody approves a text they have not read.
    pub seen_revision: i64,
}

/// What a refusal needs to know about the document.
struct State<'a> {
    status: DocStatus,
    archived: bool,
    org_id: i64,
    /// Authors of the revisions saved since the last approved one.
    authors: &'a [Option<i64>],
}

/// Why a transition is refused, in the words the page shows; `None` when it is allowed.
fn refusal(
    viewer: &Viewer,
    transition: Transition,
    doc: &State<'_>,
    comment: &str,
) -> Option<String> {
    let State {
        status,
        archived,
        org_id,
        authors,
    } = *doc;
    let publisher = viewer.can_publish_for(org_id);
    if let Some(m) = limits::too_long("The comment", comment.trim(), limits::MAX_COMMENT_CHARS) {
        return Some(m);
    }
    let refused = match transition {
        Transition::Submit if !viewer.can_edit_for(org_id) => {
            "Only editors of the organisation can send this for review"
        }
        Transition::Submit if status != DocStatus::Draft => "Only a draft can be sent for review",
        Transition::Submit => return None,
        Transition::Approve if status != DocStatus::InReview => {
            "Only a revision in review can be approved"
        }
        Transition::Approve if viewer.can_approve(org_id, authors) => return None,
        Transition::Approve if publisher => {
            "You wrote some of the changes since it was last approved, so another publisher must approve it"
        }
        Transition::Approve => "Only publishers of the organisation can approve it",
        Transition::SendBack if !publisher => "Only publishers of the organisation can send it back",
        Transition::SendBack if status != DocStatus::InReview => {
            "Only a revision in review can be sent back"
        }
        Transition::SendBack if comment.trim().is_empty() => {
            "Say what needs to change when you send it back"
        }
        Transition::SendBack => return None,
        Transition::Archive if !publisher => "Only publishers of the organisation can archive it",
        Transition::Archive if archived => "It is already archived",
        Transition::Archive => return None,
    };
    Some(refused.to_owned())
}

/// Takes a workflow transition; returns where the browser goes next.
pub async fn transition(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    session: &Session,
    request: TransitionRequest<'_>,
) -> AppResult<String> {
    let TransitionRequest {
        kind,
        slug,
        transition,
        comment,
        seen_revision,
    } = request;
    let user = viewer.require_user()?.clone();
    let page = store::find_readable(db, viewer, kind, slug)
        .await?
        .row()
        .href();
    let mut rec = db.record(actor).await?;
    let current = store::find(&mut **rec.tx(), kind, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let head = revisions::expect(&mut **rec.tx(), current.head()?).await?;
    let authors =
        revisions::authors_since(&mut **rec.tx(), current.id, current.published_revision_id)
            .await?;
    let state = State {
        status: current.status,
        archived: current.is_archived(),
        org_id: current.org_id,
        authors: &authors,
    };
    if let Some(refused) = refusal(viewer, transition, &state, comment) {
        rec.rollback().await?;
        if !viewer.can_edit_for(current.org_id) {
            return Err(AppError::Forbidden);
        }
        flash::set_notice(session, false, refused).await?;
        return Ok(page);
    }
    if head.id != seen_revision {
        rec.rollback().await?;
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
    let comment = comment.trim();
    let message = match transition {
        Transition::Submit => {
            store::set_status(&mut rec, current.id, DocStatus::InReview).await?;
            "Sent for review"
        }
        Transition::Approve => {
            let at = rec.at().to_owned();
            store::publish(&mut rec, current.id, head.id, &head.text(kind)?, &at).await?;
            "Published"
        }
        Transition::SendBack => {
            store::set_status(&mut rec, current.id, DocStatus::Draft).await?;
            "Sent back to the author"
        }
        Transition::Archive => {
            store::archive(&mut rec, current.id).await?;
            "Archived: readers no longer see it"
        }
    };
    let detail = if comment.is_empty() {
        format!("revision {}", head.number)
    } else {
        format!("revision {}: {comment}", head.number)
    };
    let author = Author::of(&user);
    record_step(
        &mut rec,
        StepTarget::from(&current),
        Step {
            step: transition.step(),
            revision_id: Some(head.id),
            author: &author,
            comment,
            detail: &detail,
        },
    )
    .await?;
    rec.commit().await?;
    flash::set_notice(session, true, message).await?;
    Ok(page)
}

/// Makes an old revision the newest draft.
pub async fn restore(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    session: &Session,
    kind: DocKind,
    slug: &str,
    number: i64,
) -> AppResult<String> {
    let user = viewer.require_user()?.clone();
    let row = store::find_readable(db, viewer, kind, slug)
        .await?
        .into_row();
    if !viewer.can_edit_for(row.org_id) {
        return Err(AppError::Forbidden);
    }
    let old = revisions::by_number(db, row.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let text = old.text(kind)?;
    let author = Author::of(&user);
    let comment = format!("Restored revision {number}");
    let mut rec = db.record(actor).await?;
    let (revision_id, new_number) = save_draft(&mut rec, &row, &text, &author, &comment).await?;
    record_step(
        &mut rec,
        StepTarget::from(&row),
        Step {
            step: WorkflowStep::Restored,
            revision_id: Some(revision_id),
            author: &author,
            comment: &comment,
            detail: &format!("revision {number} as {new_number}"),
        },
    )
    .await?;
    rec.commit().await?;
    flash::set_notice(
        session,
        true,
        format!("Revision {number} restored as draft revision {new_number}"),
    )
    .await?;
    Ok(row.href())
}
