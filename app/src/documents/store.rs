//! Storage shared by every kind of document: tags and the search change log.

use sqlx::{Any, Executor};

use crate::db;

/// Replaces a document's tags.
pub async fn set_tags(
    tx: &mut db::Tx,
    document_id: i64,
    tags: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM document_tags WHERE document_id = $1")
        .bind(document_id)
        .execute(&mut **tx)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO document_tags (document_id, tag) VALUES ($1, $2)")
            .bind(document_id)
            .bind(tag)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Tags of one document, sorted.
pub async fn tags_of<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    document_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar::<_, String>(
        "SELECT tag FROM document_tags WHERE document_id = $1 ORDER BY tag",
    )
    .bind(document_id)
    .fetch_all(ex)
    .await
}

/// Notes that a document changed, in the same transaction, for the search indexer to follow.
pub async fn log_change(
    tx: &mut db::Tx,
    document_id: i64,
    deleted: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO change_log (entity, entity_id, op, at) VALUES ('document', $1, $2, $3)",
    )
    .bind(document_id)
    .bind(if deleted { "delete" } else { "upsert" })
    .bind(db::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
