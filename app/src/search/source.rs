//! What the indexer reads from the database, the source of truth: documents as readers see them
//! (the `documents` row, with its organisation and tags), the change log it follows, and the
//! access fields of the documents a page of results shows.

use std::collections::HashMap;

use sqlx::FromRow;

use super::schema::IndexedDoc;
use crate::dates::Date;
use crate::db::{Db, Entity};
use crate::documents::store::revisions::parse_fields;
use crate::kinds::DocKind;
use crate::orgs::Nation;
use crate::permissions::{DocStatus, DocumentAccess, Visibility};

#[derive(Debug, FromRow)]
struct Row {
    id: i64,
    kind: DocKind,
    slug: String,
    org_id: i64,
    org_slug: String,
    org_name: String,
    nation: Nation,
    title: String,
    summary: String,
    body: String,
    topic: String,
    fields: String,
    visibility: Visibility,
    status: DocStatus,
    updated_at: String,
    published_revision_id: Option<i64>,
    archived_at: Option<String>,
}

const SELECT: &str = "SELECT d.id, d.kind, d.slug, d.org_id, o.slug AS org_slug, o.name AS org_name,
        o.nation, d.title, d.summary, d.body, d.topic, d.fields, d.visibility, d.status, d.updated_at,
        d.published_revision_id, d.archived_at
     FROM documents d JOIN organisations o ON o.id = d.org_id";

/// The lowest and highest document ids (0 and 0 when there are none): the range a rebuild
/// shares out between its readers.
pub async fn id_bounds(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as("SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM documents")
        .fetch_one(db.pool())
        .await
}

/// A document read from the database, not yet turned into what the index stores (that is
/// work for a blocking thread: see [`Fetched::indexed`]).
pub struct Fetched {
    row: Row,
    tags: Vec<String>,
}

impl Fetched {
    pub fn id(&self) -> i64 {
        self.row.id
    }

    /// The document as the index stores it.
    pub fn indexed(self) -> IndexedDoc {
        indexed(self.row, self.tags)
    }
}

/// Documents with ids above `after` and at most `upto`, in id order, at most `limit`: one page
/// of one reader of a rebuild.
pub async fn documents_between(
    db: &Db,
    after: i64,
    upto: i64,
    limit: i64,
) -> Result<Vec<Fetched>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE d.id > $1 AND d.id <= $2 ORDER BY d.id LIMIT $3"
    ))
    .bind(after)
    .bind(upto)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    fetched_with_tags(db, rows).await
}

/// The documents with these ids that exist; the others were deleted.
pub async fn documents(db: &Db, ids: &[i64]) -> Result<Vec<IndexedDoc>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids come from the database (the change log), never from a request.
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE d.id IN ({})", list.join(", ")))
        .fetch_all(db.pool())
        .await?;
    with_tags(db, rows).await
}

/// The ids of an organisation's documents (its name or nation changed).
pub async fn documents_of_org(db: &Db, org_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM documents WHERE org_id = $1")
        .bind(org_id)
        .fetch_all(db.pool())
        .await
}

async fn with_tags(db: &Db, rows: Vec<Row>) -> Result<Vec<IndexedDoc>, sqlx::Error> {
    Ok(fetched_with_tags(db, rows)
        .await?
        .into_iter()
        .map(Fetched::indexed)
        .collect())
}

async fn fetched_with_tags(db: &Db, rows: Vec<Row>) -> Result<Vec<Fetched>, sqlx::Error> {
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    if !rows.is_empty() {
        let list: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
        let pairs: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT document_id, tag FROM document_tags WHERE document_id IN ({}) ORDER BY tag",
            list.join(", ")
        ))
        .fetch_all(db.pool())
        .await?;
        for (id, tag) in pairs {
            tags.entry(id).or_default().push(tag);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| Fetched {
            tags: tags.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

/// A row as the index stores it. Fields the kind cannot read are left out (the page refuses to
/// show them too) and logged; the rest of the document is still found.
fn indexed(r: Row, tags: Vec<String>) -> IndexedDoc {
    let mut text = vec![crate::markdown::plain_text(&r.body)];
    let mut facets = Vec::new();
    match parse_fields(r.kind, r.id, &r.fields).and_then(|fields| {
        r.kind.spec().search(&fields).map_err(|e| {
            tracing::error!(document = r.id, "search fields: {e}");
            crate::error::AppError::Unreadable
        })
    }) {
        Ok(fields) => {
            text.extend(fields.text);
            facets.extend(
                fields
                    .facets
                    .into_iter()
                    .map(|f| (f.name.to_owned(), f.value, f.label)),
            );
        }
        Err(_) => tracing::warn!(document = r.id, "indexed without its kind's fields"),
    }
    let updated = Date::of_timestamp(&r.updated_at).unwrap_or_else(|e| {
        tracing::warn!(document = r.id, "updated_at: {e}");
        Date::from_time(time::Date::MIN)
    });
    IndexedDoc {
        id: r.id,
        kind_code: r.kind.code(),
        access: DocumentAccess {
            org_id: r.org_id,
            visibility: r.visibility,
            status: r.status,
            has_published: r.published_revision_id.is_some(),
            archived: r.archived_at.is_some(),
        },
        slug: r.slug,
        title: r.title,
        summary: r.summary,
        topic: r.topic,
        tags,
        text,
        org_slug: r.org_slug,
        org_name: r.org_name,
        nation: (r.nation.as_str(), r.nation.label()),
        updated,
        facets,
    }
}

/// One row of the change log. Its operation does not matter here: whatever happened, the
/// entity is read again, and one that no longer exists leaves the index.
#[derive(Clone, Copy, Debug, FromRow)]
pub struct ChangeRow {
    pub id: i64,
    pub entity: Entity,
    pub entity_id: i64,
}

/// Changes with ids above `after`, oldest first, at most `limit`.
pub async fn changes_after(db: &Db, after: i64, limit: i64) -> Result<Vec<ChangeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, entity, entity_id FROM change_log WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

/// The changes with these ids that are visible now.
pub async fn changes(db: &Db, ids: &[i64]) -> Result<Vec<ChangeRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    sqlx::query_as(&format!(
        "SELECT id, entity, entity_id FROM change_log WHERE id IN ({}) ORDER BY id",
        list.join(", ")
    ))
    .fetch_all(db.pool())
    .await
}

/// The ids of the change log between `from` and `to` (inclusive) that are visible now.
pub async fn change_ids_between(db: &Db, from: i64, to: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM change_log WHERE id >= $1 AND id <= $2 ORDER BY id")
        .bind(from)
        .bind(to)
        .fetch_all(db.pool())
        .await
}

/// The newest change id (0 when there is none).
pub async fn last_change(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM change_log")
        .fetch_one(db.pool())
        .await
}

/// The access of the documents with these ids as the database has it now: a page of results
/// is checked against it, so a document whose access changed a moment ago, before the index
/// caught up, is never shown.
pub async fn access_now(db: &Db, ids: &[i64]) -> Result<HashMap<i64, DocumentAccess>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    /// id, organisation, visibility, status, approved revision, archived at.
    type AccessRow = (i64, i64, Visibility, DocStatus, Option<i64>, Option<String>);
    let rows: Vec<AccessRow> = sqlx::query_as(&format!(
        "SELECT id, org_id, visibility, status, published_revision_id, archived_at FROM documents WHERE id IN ({})",
        list.join(", ")
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, org_id, visibility, status, published, archived_at)| {
            (
                id,
                DocumentAccess {
                    org_id,
                    visibility,
                    status,
                    has_published: published.is_some(),
                    archived: archived_at.is_some(),
                },
            )
        })
        .collect())
}
