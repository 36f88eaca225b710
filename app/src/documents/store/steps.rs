//! Storage for `workflow_steps`, and the one way a document change is recorded: each write
//! path ends with [`record_step`], which writes the typed step, its audit entry and (through
//! the recorder) the change-log row, all in the change's transaction.

use sqlx::FromRow;

use super::{Author, DocRow};
use crate::db::{Change, Db, Entity, Event, Recorder};
use crate::documents::model::StepInfo;
use crate::documents::steps::WorkflowStep;
use crate::kinds::DocKind;

/// The document a step is taken on.
#[derive(Clone, Copy, Debug)]
pub struct StepTarget<'a> {
    pub id: i64,
    pub org_id: i64,
    pub kind: DocKind,
    pub slug: &'a str,
}

impl<'a> From<&'a DocRow> for StepTarget<'a> {
    fn from(row: &'a DocRow) -> Self {
        Self {
            id: row.id,
            org_id: row.org_id,
            kind: row.kind,
            slug: &row.slug,
        }
    }
}

/// A workflow step being recorded.
pub struct Step<'a> {
    pub step: WorkflowStep,
    /// The revision it concerns.
    pub revision_id: Option<i64>,
    pub author: &'a Author,
    /// The author's words, shown in the history.
    pub comment: &'a str,
    /// Extra words for the audit log only.
    pub detail: &'a str,
}

/// Records a step on a document: the history row, the audit entry and the document's change.
pub async fn record_step(
    rec: &mut Recorder,
    doc: StepTarget<'_>,
    step: Step<'_>,
) -> Result<(), sqlx::Error> {
    let at = rec.at().to_owned();
    sqlx::query(
        "INSERT INTO workflow_steps (document_id, revision_id, step, actor_id, actor, comment, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(doc.id)
    .bind(step.revision_id)
    .bind(step.step)
    .bind(step.author.id)
    .bind(&step.author.label)
    .bind(step.comment)
    .bind(at)
    .execute(&mut **rec.tx())
    .await?;
    rec.record(Event {
        action: step.step.action(),
        target: &doc.kind.href(doc.slug),
        detail: step.detail,
        change: Some(Change::upsert(Entity::Document, doc.id, Some(doc.org_id))),
    })
    .await
}

#[derive(FromRow)]
struct StepRow {
    step: WorkflowStep,
    actor: String,
    comment: String,
    at: String,
}

impl From<StepRow> for StepInfo {
    fn from(r: StepRow) -> Self {
        Self {
            step: r.step,
            actor: r.actor,
            comment: r.comment,
            at: r.at,
        }
    }
}

/// The newest workflow step of a document.
pub async fn last(db: &Db, document_id: i64) -> Result<Option<StepInfo>, sqlx::Error> {
    let row = sqlx::query_as::<_, StepRow>(
        "SELECT step, actor, comment, at FROM workflow_steps WHERE document_id = $1
         ORDER BY id DESC LIMIT 1",
    )
    .bind(document_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(StepInfo::from))
}

/// Workflow steps of a document, newest first.
pub async fn all(db: &Db, document_id: i64) -> Result<Vec<StepInfo>, sqlx::Error> {
    let rows = sqlx::query_as::<_, StepRow>(
        "SELECT step, actor, comment, at FROM workflow_steps WHERE document_id = $1 ORDER BY id DESC",
    )
    .bind(document_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(StepInfo::from).collect())
}

/// Revisions ever approved, or imported as approved.
pub async fn approved_revision_ids(db: &Db, document_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT revision_id FROM workflow_steps WHERE document_id = $1 AND revision_id IS NOT NULL
           AND step IN ($2, $3)",
    )
    .bind(document_id)
    .bind(WorkflowStep::APPROVING[0])
    .bind(WorkflowStep::APPROVING[1])
    .fetch_all(db.pool())
    .await
}
