//! Storage for `document_revisions`: every saved version of a document, numbered from 1.

use sqlx::{Any, Executor, FromRow};

use super::Author;
use crate::dates::Date;
use crate::db::{Db, Recorder};
use crate::error::{AppError, AppResult};
use crate::kinds::DocKind;
use crate::permissions::Visibility;

/// The editable text of one revision, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct RevisionText {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub topic: String,
    /// Sorted, without repeats.
    pub tags: Vec<String>,
    pub owner_id: Option<i64>,
    pub visibility: Visibility,
    pub review_by: Option<Date>,
    /// The kind's own fields, parsed by the kind.
    pub fields: serde_json::Value,
}

/// One stored revision.
#[derive(Clone, Debug, FromRow)]
pub struct RevisionRow {
    pub id: i64,
    pub document_id: i64,
    pub number: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub topic: String,
    pub fields: String,
    pub tags: String,
    pub owner_id: Option<i64>,
    pub visibility: Visibility,
    pub review_by: Option<Date>,
    pub author_id: Option<i64>,
    pub author: String,
    pub comment: String,
    pub created_at: String,
}

/// Parses a kind's stored fields; a document whose fields cannot be read is never shown or
/// edited, so nothing overwrites them.
pub fn parse_fields(kind: DocKind, document_id: i64, json: &str) -> AppResult<serde_json::Value> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        tracing::error!(document_id, "stored fields are not JSON: {e}");
        AppError::Unreadable
    })?;
    kind.spec().parse(&value).map_err(|e| {
        tracing::error!(document_id, kind = %kind, "stored fields cannot be read: {e}");
        AppError::Unreadable
    })
}

impl RevisionRow {
    /// The revision's text, its fields parsed by `kind`.
    pub fn text(&self, kind: DocKind) -> AppResult<RevisionText> {
        let tags: Vec<String> = serde_json::from_str(&self.tags).map_err(|e| {
            tracing::error!(revision = self.id, "stored tags cannot be read: {e}");
            AppError::Unreadable
        })?;
        Ok(RevisionText {
            title: self.title.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            topic: self.topic.clone(),
            tags,
            owner_id: self.owner_id,
            visibility: self.visibility,
            review_by: self.review_by,
            fields: parse_fields(kind, self.document_id, &self.fields)?,
        })
    }
}

const REVISION_SELECT: &str =
    "SELECT id, document_id, number, title, summary, body, topic, fields, tags, owner_id,
        visibility, review_by, author_id, author, comment, created_at FROM document_revisions";

pub async fn by_id<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<RevisionRow>, sqlx::Error> {
    sqlx::query_as::<_, RevisionRow>(&format!("{REVISION_SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await
}

/// A revision that must exist (the document points at it).
pub async fn expect<'e, E: Executor<'e, Database = Any>>(ex: E, id: i64) -> AppResult<RevisionRow> {
    by_id(ex, id).await?.ok_or_else(|| {
        tracing::error!(revision = id, "a document points at a missing revision");
        AppError::Unreadable
    })
}

pub async fn by_number(
    db: &Db,
    document_id: i64,
    number: i64,
) -> Result<Option<RevisionRow>, sqlx::Error> {
    sqlx::query_as::<_, RevisionRow>(&format!(
        "{REVISION_SELECT} WHERE document_id = $1 AND number = $2"
    ))
    .bind(document_id)
    .bind(number)
    .fetch_optional(db.pool())
    .await
}

/// Every revision of a document, newest first.
pub async fn all(db: &Db, document_id: i64) -> Result<Vec<RevisionRow>, sqlx::Error> {
    sqlx::query_as::<_, RevisionRow>(&format!(
        "{REVISION_SELECT} WHERE document_id = $1 ORDER BY number DESC"
    ))
    .bind(document_id)
    .fetch_all(db.pool())
    .await
}

/// Who wrote each revision saved after the approved one `approved_id` (every revision when the
/// document was never approved), oldest first: the people who had a hand in what is waiting for
/// approval. `None` is the importer.
pub async fn authors_since<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    document_id: i64,
    approved_id: Option<i64>,
) -> Result<Vec<Option<i64>>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT author_id FROM document_revisions
         WHERE document_id = $1
           AND number > COALESCE((SELECT a.number FROM document_revisions a WHERE a.id = $2), 0)
         ORDER BY number",
    )
    .bind(document_id)
    .bind(approved_id)
    .fetch_all(ex)
    .await
}

/// Adds the next revision and makes it the head; returns its id and number.
pub async fn append(
    rec: &mut Recorder,
    document_id: i64,
    text: &RevisionText,
    author: &Author,
    comment: &str,
) -> Result<(i64, i64), sqlx::Error> {
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM document_revisions WHERE document_id = $1",
    )
    .bind(document_id)
    .fetch_one(&mut **rec.tx())
    .await?;
    let at = rec.at().to_owned();
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO document_revisions (document_id, number, title, summary, body, topic, fields, tags, owner_id,
             visibility, review_by, author_id, author, comment, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(document_id)
    .bind(number)
    .bind(&text.title)
    .bind(&text.summary)
    .bind(&text.body)
    .bind(&text.topic)
    .bind(text.fields.to_string())
    .bind(serde_json::Value::from(text.tags.clone()).to_string())
    .bind(text.owner_id)
    .bind(text.visibility)
    .bind(text.review_by)
    .bind(author.id)
    .bind(&author.label)
    .bind(comment)
    .bind(at)
    .fetch_one(&mut **rec.tx())
    .await?;
    sqlx::query("UPDATE documents SET head_revision_id = $1 WHERE id = $2")
        .bind(id)
        .bind(document_id)
        .execute(&mut **rec.tx())
        .await?;
    Ok((id, number))
}
