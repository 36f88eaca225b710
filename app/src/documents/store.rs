//! Storage for documents of every kind: the `documents` row (what readers see), its revisions,
//! workflow events, tags and the search change log.

use std::collections::HashMap;

use sqlx::{Any, Executor, FromRow};

use super::model::{DocList, DocQuery, DocSummary, Facet, QueueItem, PER_PAGE};
use super::{DocKind, DocStatus, Visibility};
use crate::db::{self, Db};
use crate::error::{AppError, AppResult};
use crate::orgs::OrgRef;
use crate::permissions::{readable_by_readers, DocumentAccess, Viewer};

/// Who saved a revision or took a workflow step.
#[derive(Clone, Debug)]
pub struct Author {
    pub id: Option<i64>,
    pub label: String,
}

impl Author {
    /// A signed-in user, by name.
    pub fn of(user: &crate::auth::CurrentUser) -> Self {
        Self {
            id: Some(user.id),
            label: user.name.clone(),
        }
    }

    /// The importer.
    pub fn import() -> Self {
        Self {
            id: None,
            label: "import".into(),
        }
    }
}

/// The editable content of one revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Content {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub topic: String,
    /// Sorted, without repeats.
    pub tags: Vec<String>,
    pub owner_id: Option<i64>,
    pub visibility: Visibility,
    pub review_by: Option<String>,
    /// Kind-specific fields as JSON.
    pub fields: String,
}

/// A document row with its organisation and owner names.
#[derive(Clone, Debug, FromRow)]
pub struct DocRow {
    pub id: i64,
    pub kind: String,
    pub slug: String,
    pub org_id: i64,
    pub org_slug: String,
    pub org_name: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub topic: String,
    pub fields: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub visibility: String,
    pub status: String,
    pub review_by: Option<String>,
    pub updated_at: String,
    pub head_revision_id: Option<i64>,
    pub published_revision_id: Option<i64>,
}

impl DocRow {
    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.visibility).unwrap_or(Visibility::Organisation)
    }

    pub fn status(&self) -> DocStatus {
        DocStatus::parse(&self.status).unwrap_or(DocStatus::Draft)
    }

    pub fn access(&self) -> DocumentAccess {
        DocumentAccess {
            org_id: self.org_id,
            visibility: self.visibility(),
            status: self.status(),
            has_published: self.published_revision_id.is_some(),
        }
    }

    pub fn org(&self) -> OrgRef {
        OrgRef {
            slug: self.org_slug.clone(),
            name: self.org_name.clone(),
        }
    }
}

const DOC_SELECT: &str = "SELECT d.id, d.kind, d.slug, d.org_id, o.slug AS org_slug, o.name AS org_name,
        d.title, d.summary, d.body, d.topic, d.fields, d.owner_id, u.name AS owner_name, d.visibility,
        d.status, d.review_by, d.updated_at, d.head_revision_id, d.published_revision_id
     FROM documents d JOIN organisations o ON o.id = d.org_id LEFT JOIN users u ON u.id = d.owner_id";

/// A document by kind and slug, whoever asks (callers check permissions).
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    kind: DocKind,
    slug: &str,
) -> Result<Option<DocRow>, sqlx::Error> {
    sqlx::query_as::<_, DocRow>(&format!("{DOC_SELECT} WHERE d.kind = $1 AND d.slug = $2"))
        .bind(kind.as_str())
        .bind(slug)
        .fetch_optional(ex)
        .await
}

/// A document the viewer may read; "not found" otherwise, exactly like a missing one.
pub async fn find_readable(
    db: &Db,
    viewer: &Viewer,
    kind: DocKind,
    slug: &str,
) -> AppResult<DocRow> {
    let row = find(db.pool(), kind, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if viewer.can_read_document(&row.access()) {
        Ok(row)
    } else {
        Err(AppError::NotFound)
    }
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
    pub visibility: String,
    pub review_by: Option<String>,
    pub author_id: Option<i64>,
    pub author: String,
    pub comment: String,
    pub created_at: String,
}

impl RevisionRow {
    pub fn content(&self) -> Content {
        Content {
            title: self.title.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            topic: self.topic.clone(),
            tags: serde_json::from_str(&self.tags).unwrap_or_default(),
            owner_id: self.owner_id,
            visibility: Visibility::parse(&self.visibility).unwrap_or(Visibility::Organisation),
            review_by: self.review_by.clone(),
            fields: self.fields.clone(),
        }
    }
}

const REVISION_SELECT: &str =
    "SELECT id, document_id, number, title, summary, body, topic, fields, tags, owner_id,
        visibility, review_by, author_id, author, comment, created_at FROM document_revisions";

pub async fn revision_by_id<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<RevisionRow>, sqlx::Error> {
    sqlx::query_as::<_, RevisionRow>(&format!("{REVISION_SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await
}

pub async fn revision_by_number<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    document_id: i64,
    number: i64,
) -> Result<Option<RevisionRow>, sqlx::Error> {
    sqlx::query_as::<_, RevisionRow>(&format!(
        "{REVISION_SELECT} WHERE document_id = $1 AND number = $2"
    ))
    .bind(document_id)
    .bind(number)
    .fetch_optional(ex)
    .await
}

/// Every revision of a document, newest first.
pub async fn revisions(db: &Db, document_id: i64) -> Result<Vec<RevisionRow>, sqlx::Error> {
    sqlx::query_as::<_, RevisionRow>(&format!(
        "{REVISION_SELECT} WHERE document_id = $1 ORDER BY number DESC"
    ))
    .bind(document_id)
    .fetch_all(db.pool())
    .await
}

/// Creates a document row (not yet pointing at a revision).
pub async fn insert_document(
    tx: &mut db::Tx,
    kind: DocKind,
    slug: &str,
    org_id: i64,
    content: &Content,
    status: DocStatus,
    updated_at: &str,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO documents (kind, slug, org_id, title, summary, body, topic, fields, owner_id, visibility,
             status, review_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(slug)
    .bind(org_id)
    .bind(&content.title)
    .bind(&content.summary)
    .bind(&content.body)
    .bind(&content.topic)
    .bind(&content.fields)
    .bind(content.owner_id)
    .bind(content.visibility.as_str())
    .bind(status.as_str())
    .bind(content.review_by.as_deref())
    .bind(updated_at)
    .fetch_one(&mut **tx)
    .await?;
    set_tags(tx, id, &content.tags).await?;
    Ok(id)
}

/// Adds the next revision and makes it the head; returns its id and number.
pub async fn append_revision(
    tx: &mut db::Tx,
    document_id: i64,
    content: &Content,
    author: &Author,
    comment: &str,
) -> Result<(i64, i64), sqlx::Error> {
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM document_revisions WHERE document_id = $1",
    )
    .bind(document_id)
    .fetch_one(&mut **tx)
    .await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO document_revisions (document_id, number, title, summary, body, topic, fields, tags, owner_id,
             visibility, review_by, author_id, author, comment, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(document_id)
    .bind(number)
    .bind(&content.title)
    .bind(&content.summary)
    .bind(&content.body)
    .bind(&content.topic)
    .bind(&content.fields)
    .bind(serde_json::to_string(&content.tags).unwrap_or_else(|_| "[]".into()))
    .bind(content.owner_id)
    .bind(content.visibility.as_str())
    .bind(content.review_by.as_deref())
    .bind(author.id)
    .bind(&author.label)
    .bind(comment)
    .bind(db::now())
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("UPDATE documents SET head_revision_id = $1 WHERE id = $2")
        .bind(id)
        .bind(document_id)
        .execute(&mut **tx)
        .await?;
    Ok((id, number))
}

/// Saves `content` as the newest revision, a draft, with a workflow event named `event`. A
/// document never approved shows its newest revision, so its row follows the draft.
pub async fn save_draft(
    tx: &mut db::Tx,
    document: &DocRow,
    content: &Content,
    author: &Author,
    comment: &str,
    event: &str,
) -> Result<(i64, i64), sqlx::Error> {
    let (revision_id, number) = append_revision(tx, document.id, content, author, comment).await?;
    if document.published_revision_id.is_none() {
        mirror(tx, document.id, content, &db::now()).await?;
    }
    set_status(tx, document.id, DocStatus::Draft).await?;
    record_event(tx, document.id, Some(revision_id), event, author, comment).await?;
    Ok((revision_id, number))
}

/// Sets the workflow status of the head revision.
pub async fn set_status(
    tx: &mut db::Tx,
    document_id: i64,
    status: DocStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE documents SET status = $1 WHERE id = $2")
        .bind(status.as_str())
        .bind(document_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Copies a revision's content into the document row, which is what lists and pages show.
pub async fn mirror(
    tx: &mut db::Tx,
    document_id: i64,
    content: &Content,
    updated_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE documents SET title = $1, summary = $2, body = $3, topic = $4, fields = $5, owner_id = $6,
             visibility = $7, review_by = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&content.title)
    .bind(&content.summary)
    .bind(&content.body)
    .bind(&content.topic)
    .bind(&content.fields)
    .bind(content.owner_id)
    .bind(content.visibility.as_str())
    .bind(content.review_by.as_deref())
    .bind(updated_at)
    .bind(document_id)
    .execute(&mut **tx)
    .await?;
    set_tags(tx, document_id, &content.tags).await
}

/// Makes a revision the one readers see.
pub async fn publish(
    tx: &mut db::Tx,
    document_id: i64,
    revision_id: i64,
    content: &Content,
    updated_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE documents SET published_revision_id = $1, status = 'published' WHERE id = $2",
    )
    .bind(revision_id)
    .bind(document_id)
    .execute(&mut **tx)
    .await?;
    mirror(tx, document_id, content, updated_at).await
}

/// A workflow step as stored.
#[derive(Clone, Debug, FromRow)]
pub struct EventRow {
    pub action: String,
    pub actor: String,
    pub comment: String,
    pub at: String,
}

pub async fn record_event(
    tx: &mut db::Tx,
    document_id: i64,
    revision_id: Option<i64>,
    action: &str,
    actor: &Author,
    comment: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO document_events (document_id, revision_id, action, actor_id, actor, comment, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(document_id)
    .bind(revision_id)
    .bind(action)
    .bind(actor.id)
    .bind(&actor.label)
    .bind(comment)
    .bind(db::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl From<EventRow> for super::model::EventInfo {
    fn from(e: EventRow) -> Self {
        Self {
            action: e.action,
            actor: e.actor,
            comment: e.comment,
            at: e.at,
        }
    }
}

/// The newest workflow step of a document.
pub async fn last_event(db: &Db, document_id: i64) -> Result<Option<EventRow>, sqlx::Error> {
    sqlx::query_as::<_, EventRow>(
        "SELECT action, actor, comment, at FROM document_events WHERE document_id = $1
         ORDER BY id DESC LIMIT 1",
    )
    .bind(document_id)
    .fetch_optional(db.pool())
    .await
}

/// Revisions ever approved, or imported as approved.
pub async fn approved_revision_ids(db: &Db, document_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT revision_id FROM document_events WHERE document_id = $1 AND revision_id IS NOT NULL
           AND action IN ('approved', 'imported')",
    )
    .bind(document_id)
    .fetch_all(db.pool())
    .await
}

/// Workflow steps of a document, newest first.
pub async fn events(db: &Db, document_id: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as::<_, EventRow>(
        "SELECT action, actor, comment, at FROM document_events WHERE document_id = $1 ORDER BY id DESC",
    )
    .bind(document_id)
    .fetch_all(db.pool())
    .await
}

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

/// Notes that a document changed, for the search indexer to follow. Each write path calls it
/// once, in the transaction of the change.
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

/// Whether a slug is taken for a kind.
pub async fn slug_taken(tx: &mut db::Tx, kind: DocKind, slug: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE kind = $1 AND slug = $2")
        .bind(kind.as_str())
        .bind(slug)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}

// ---- Lists -------------------------------------------------------------------------------

#[derive(Clone, Debug, FromRow)]
struct SummaryRow {
    id: i64,
    kind: String,
    slug: String,
    title: String,
    summary: String,
    topic: String,
    updated_at: String,
    org_slug: String,
    org_name: String,
}

const SUMMARY_SELECT: &str =
    "SELECT d.id, d.kind, d.slug, d.title, d.summary, d.topic, d.updated_at,
        o.slug AS org_slug, o.name AS org_name
     FROM documents d JOIN organisations o ON o.id = d.org_id";

/// A list query under construction: SQL conditions and their bound text values.
struct Conditions {
    sql: Vec<String>,
    binds: Vec<String>,
}

impl Conditions {
    /// Published documents of `kind` that the viewer may read.
    fn new(viewer: &Viewer, kind: DocKind) -> Self {
        let mut c = Self {
            sql: vec![readable_by_readers("d"), viewer.document_filter("d")],
            binds: Vec::new(),
        };
        c.push(|n| format!("d.kind = ${n}"), kind.as_str().to_owned());
        c
    }

    fn push(&mut self, condition: impl FnOnce(usize) -> String, value: String) {
        self.binds.push(value);
        self.sql.push(condition(self.binds.len()));
    }

    fn tag(&mut self, tag: &str) {
        self.push(
            |n| format!("EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = d.id AND t.tag = ${n})"),
            tag.to_owned(),
        );
    }

    fn org(&mut self, org: &str) {
        self.push(|n| format!("o.slug = ${n}"), org.to_owned());
    }

    fn text(&mut self, q: &str) {
        let pattern = format!(
            "%{}%",
            q.trim()
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        self.push(
            |n| format!("(LOWER(d.title) LIKE ${n} ESCAPE '\\' OR LOWER(d.summary) LIKE ${n} ESCAPE '\\')"),
            pattern,
        );
    }

    fn where_clause(&self) -> String {
        self.sql.join(" AND ")
    }
}

fn bind_all<'q, O>(
    mut query: sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments<'q>>,
    binds: &'q [String],
) -> sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        query = query.bind(b.as_str());
    }
    query
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// One page of published documents of a kind that the viewer may read, with facet counts.
pub async fn list(db: &Db, viewer: &Viewer, kind: DocKind, query: &DocQuery) -> AppResult<DocList> {
    let tag = non_empty(&query.tag);
    let org = non_empty(&query.org);
    let q = non_empty(&query.q);
    let build = |with_tag: bool, with_org: bool| {
        let mut c = Conditions::new(viewer, kind);
        if let (true, Some(t)) = (with_tag, tag) {
            c.tag(t);
        }
        if let (true, Some(o)) = (with_org, org) {
            c.org(o);
        }
        if let Some(q) = q {
            c.text(q);
        }
        c
    };

    let all = build(true, true);
    let sql = format!(
        "SELECT COUNT(*) FROM documents d JOIN organisations o ON o.id = d.org_id WHERE {}",
        all.where_clause()
    );
    let (total,): (i64,) = bind_all(sqlx::query_as(&sql), &all.binds)
        .fetch_one(db.pool())
        .await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page = query.page.clamp(1, pages);
    let sql = format!(
        "{SUMMARY_SELECT} WHERE {} ORDER BY d.updated_at DESC, d.title LIMIT {PER_PAGE} OFFSET {}",
        all.where_clause(),
        (page - 1) * PER_PAGE
    );
    let rows: Vec<SummaryRow> = bind_all(sqlx::query_as(&sql), &all.binds)
        .fetch_all(db.pool())
        .await?;
    let items = summaries(db, rows).await?;

    // Each facet counts within the other filters, so choosing a value never shows zero results.
    let by_tag = build(false, true);
    let sql = format!(
        "SELECT t.tag, COUNT(*) FROM document_tags t JOIN documents d ON d.id = t.document_id
           JOIN organisations o ON o.id = d.org_id
         WHERE {} GROUP BY t.tag ORDER BY COUNT(*) DESC, t.tag",
        by_tag.where_clause()
    );
    let tags: Vec<(String, i64)> = bind_all(sqlx::query_as(&sql), &by_tag.binds)
        .fetch_all(db.pool())
        .await?;
    let by_org = build(true, false);
    let sql = format!(
        "SELECT o.slug, o.name, COUNT(*) FROM documents d JOIN organisations o ON o.id = d.org_id
         WHERE {} GROUP BY o.slug, o.name ORDER BY o.name",
        by_org.where_clause()
    );
    let orgs: Vec<(String, String, i64)> = bind_all(sqlx::query_as(&sql), &by_org.binds)
        .fetch_all(db.pool())
        .await?;

    Ok(DocList {
        items,
        total,
        page,
        pages,
        tags: tags
            .into_iter()
            .map(|(tag, count)| Facet {
                label: tag.clone(),
                value: tag,
                count,
            })
            .collect(),
        orgs: orgs
            .into_iter()
            .map(|(slug, name, count)| Facet {
                value: slug,
                label: name,
                count,
            })
            .collect(),
    })
}

/// The `limit` most recently updated published documents of a kind the viewer may read.
pub async fn recent(
    db: &Db,
    viewer: &Viewer,
    kind: DocKind,
    limit: i64,
) -> AppResult<Vec<DocSummary>> {
    let c = Conditions::new(viewer, kind);
    let sql = format!(
        "{SUMMARY_SELECT} WHERE {} ORDER BY d.updated_at DESC, d.title LIMIT {limit}",
        c.where_clause()
    );
    let rows: Vec<SummaryRow> = bind_all(sqlx::query_as(&sql), &c.binds)
        .fetch_all(db.pool())
        .await?;
    summaries(db, rows).await
}

/// Published documents of every kind from one organisation that the viewer may read.
pub async fn list_for_org(db: &Db, viewer: &Viewer, org_id: i64) -> AppResult<Vec<DocSummary>> {
    let sql = format!(
        "{SUMMARY_SELECT} WHERE {} AND {} AND d.org_id = {org_id} ORDER BY d.kind, d.title",
        readable_by_readers("d"),
        viewer.document_filter("d")
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).fetch_all(db.pool()).await?;
    summaries(db, rows).await
}

/// Titles of published documents the viewer may read, by (kind, slug), for links.
pub async fn readable_titles(
    db: &Db,
    viewer: &Viewer,
    wanted: &[(DocKind, String)],
) -> AppResult<Vec<(String, String)>> {
    let mut found = Vec::new();
    for (kind, slug) in wanted {
        if let Some(row) = find(db.pool(), *kind, slug).await? {
            let access = row.access();
            if access.has_published && viewer.can_read_document(&access) {
                found.push((format!("/{}/{}", kind.path(), slug), row.title));
            }
        }
    }
    Ok(found)
}

async fn summaries(db: &Db, rows: Vec<SummaryRow>) -> AppResult<Vec<DocSummary>> {
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    if !rows.is_empty() {
        let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
        let sql = format!(
            "SELECT document_id, tag FROM document_tags WHERE document_id IN ({}) ORDER BY tag",
            ids.join(", ")
        );
        let pairs: Vec<(i64, String)> = sqlx::query_as(&sql).fetch_all(db.pool()).await?;
        for (id, tag) in pairs {
            tags.entry(id).or_default().push(tag);
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(DocSummary {
                kind: DocKind::parse(&r.kind)?,
                tags: tags.remove(&r.id).unwrap_or_default(),
                updated: r.updated_at.chars().take(10).collect(),
                slug: r.slug,
                title: r.title,
                summary: r.summary,
                topic: r.topic,
                org: OrgRef {
                    slug: r.org_slug,
                    name: r.org_name,
                },
            })
        })
        .collect())
}

/// Documents of an organisation (every organisation when `org_id` is `None`) in a status.
pub async fn queue(db: &Db, org_id: Option<i64>, condition: &str) -> AppResult<Vec<QueueItem>> {
    #[derive(FromRow)]
    struct Row {
        kind: String,
        slug: String,
        title: String,
        status: String,
        review_by: Option<String>,
        updated_at: String,
        org_slug: String,
        org_name: String,
    }
    let org_condition = org_id
        .map(|id| format!(" AND d.org_id = {id}"))
        .unwrap_or_default();
    let sql = format!(
        "SELECT d.kind, d.slug, d.title, d.status, d.review_by, d.updated_at, o.slug AS org_slug, o.name AS org_name
         FROM documents d JOIN organisations o ON o.id = d.org_id
         WHERE {condition}{org_condition} ORDER BY d.review_by, d.updated_at DESC"
    );
    let rows: Vec<Row> = sqlx::query_as(&sql).fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(QueueItem {
                kind: DocKind::parse(&r.kind)?,
                status: DocStatus::parse(&r.status)?,
                slug: r.slug,
                title: r.title,
                review_by: r.review_by,
                updated: r.updated_at.chars().take(10).collect(),
                org: OrgRef {
                    slug: r.org_slug,
                    name: r.org_name,
                },
            })
        })
        .collect())
}
