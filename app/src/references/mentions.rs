//! The rules each lesson learned names (`rule_mentions`), kept in step with the lesson's
//! approved revision by the hook `documents` calls, so a rule's page can list the lessons about
//! it without reading every lesson.
//!
//! The rows are derived from the revision, in the transaction that approves or archives it; that
//! change is the one the recorder logs, and replaying the document rebuilds them.

use crate::db::{Db, Recorder};
use crate::documents::hooks::{HookFuture, ReadersChanged, ReadersSee};
use crate::documents::model::DocSummary;
use crate::error::AppResult;
use crate::kind::Kind as _;
use crate::lessons::{LessonFields, Lessons};
use crate::permissions::Viewer;

/// At most this many lessons are listed on a rule's page, newest mentions first.
pub const MAX_LISTED: i64 = 200;

/// The hook `documents` calls when readers' view of a document changes; it acts on lessons.
pub fn follow_lessons<'a>(rec: &'a mut Recorder, change: ReadersChanged<'a>) -> HookFuture<'a> {
    Box::pin(follow(rec, change))
}

async fn follow(rec: &mut Recorder, change: ReadersChanged<'_>) -> Result<(), sqlx::Error> {
    if change.kind.code() != Lessons::NAMES.code {
        return Ok(());
    }
    let rules = match change.now {
        ReadersSee::Approved(text) => {
            let fields: LessonFields =
                serde_json::from_value(text.fields.clone()).map_err(|e| {
                    tracing::error!(lesson = change.document_id, "rule mentions: {e}");
                    sqlx::Error::Protocol(format!(
                        "the rules named by lesson {} could not be read",
                        change.document_id
                    ))
                })?;
            fields.rules
        }
        ReadersSee::Nothing => Vec::new(),
    };
    sqlx::query("DELETE FROM rule_mentions WHERE document_id = $1")
        .bind(change.document_id)
        .execute(&mut **rec.tx())
        .await?;
    for code in rules {
        sqlx::query(
            "INSERT INTO rule_mentions (document_id, rule_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(change.document_id)
        .bind(code)
        .execute(&mut **rec.tx())
        .await?;
    }
    Ok(())
}

/// The published lessons naming the rule that the viewer may read, newest first.
pub async fn lessons_naming(db: &Db, viewer: &Viewer, code: &str) -> AppResult<Vec<DocSummary>> {
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT document_id FROM rule_mentions WHERE rule_code = $1 ORDER BY document_id DESC LIMIT $2",
    )
    .bind(code)
    .bind(MAX_LISTED)
    .fetch_all(db.pool())
    .await?;
    let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();
    crate::documents::store::lists::readable_among(db, viewer, &ids).await
}
