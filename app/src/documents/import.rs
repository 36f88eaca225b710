//! Storing a document read from a content file: a new document, or a new revision when anything
//! differs from what is stored. Imports are approved as they arrive, unless the file says
//! otherwise.

use super::store::steps::{record_step, Step, StepTarget};
use super::store::{self, revisions, Author, RevisionText};
use super::WorkflowStep;
use crate::db::Recorder;
use crate::error::{AppError, AppResult};
use crate::kinds::DocKind;
use crate::permissions::DocStatus;

/// What an import did with one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// A checked document read from a content file.
pub struct ImportedDocument<'a> {
    pub kind: DocKind,
    pub slug: &'a str,
    pub org_id: i64,
    pub text: &'a RevisionText,
    pub status: DocStatus,
    /// The file's `updated` date as a timestamp, if it gives one.
    pub updated_at: Option<&'a str>,
}

/// Stores an imported document in the recorder's transaction. `Unchanged` writes nothing.
pub async fn store(rec: &mut Recorder, document: ImportedDocument<'_>) -> AppResult<Outcome> {
    let ImportedDocument {
        kind,
        slug,
        org_id,
        text,
        status,
        updated_at,
    } = document;
    let now = rec.at().to_owned();
    let author = Author::import();
    let existing = store::find(&mut **rec.tx(), kind, slug).await?;
    let (outcome, revision_id, had_published) = match &existing {
        Some(row) => {
            let head = revisions::expect(&mut **rec.tx(), row.head()?).await?;
            let same_text = head.text(kind).is_ok_and(|t| t == *text);
            let same_date = updated_at.is_none_or(|u| u == row.updated_at);
            let same_state =
                row.status == status && row.is_archived() == (status == DocStatus::Archived);
            if same_text && row.org_id == org_id && same_state && same_date {
                return Ok(Outcome::Unchanged);
            }
            if row.org_id != org_id {
                store::set_org(rec, row.id, org_id).await?;
            }
            let revision_id = if same_text {
                head.id
            } else {
                revisions::append(rec, row.id, text, &author, "Imported")
                    .await?
                    .0
            };
            (
                Outcome::Updated,
                revision_id,
                row.published_revision_id.is_some(),
            )
        }
        None => {
            let updated_at = updated_at.unwrap_or(&now);
            let id =
                store::insert_document(rec, kind, slug, org_id, text, status, updated_at).await?;
            let (revision_id, _) = revisions::append(rec, id, text, &author, "Imported").await?;
            (Outcome::Created, revision_id, false)
        }
    };
    let row = store::find(&mut **rec.tx(), kind, slug)
        .await?
        .ok_or(AppError::Internal)?;
    let updated_at = updated_at.unwrap_or(&now);
    let approved = match status {
        DocStatus::Published | DocStatus::Archived => {
            store::publish(rec, row.id, revision_id, text, updated_at).await?;
            if status == DocStatus::Archived {
                store::archive(rec, row.id).await?;
            }
            true
        }
        DocStatus::Draft | DocStatus::InReview => {
            if !had_published {
                store::mirror(rec, row.id, text, updated_at).await?;
            }
            store::set_status(rec, row.id, status).await?;
            false
        }
    };
    // Only an approved import makes its revision one readers may see in the history.
    record_step(
        rec,
        StepTarget::from(&row),
        Step {
            step: WorkflowStep::Imported,
            revision_id: approved.then_some(revision_id),
            author: &author,
            comment: "",
            detail: &format!("{} {}", kind.label(), row.id),
        },
    )
    .await?;
    Ok(outcome)
}
