//! Storage for guides: rows of `documents` with kind `guide`.

use std::collections::HashMap;

use sqlx::FromRow;

use super::{Facet, GuideDetail, GuideList, GuideQuery, GuideSummary, PER_PAGE};
use crate::db::{self, Db};
use crate::documents::{store as doc_store, DocKind, DocStatus, Visibility};
use crate::error::{AppError, AppResult};
use crate::orgs::OrgRef;
use crate::permissions::{DocumentAccess, Viewer};

#[derive(Clone, Debug, FromRow)]
struct SummaryRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    topic: String,
    updated_at: String,
    org_slug: String,
    org_name: String,
}

const SUMMARY_SELECT: &str = "SELECT d.id, d.slug, d.title, d.summary, d.topic, d.updated_at,
        o.slug AS org_slug, o.name AS org_name
     FROM documents d JOIN organisations o ON o.id = d.org_id";

/// A list query under construction: SQL conditions and their bound text values.
struct Conditions {
    sql: Vec<String>,
    binds: Vec<String>,
}

impl Conditions {
    fn new(viewer: &Viewer) -> Self {
        Self {
            sql: vec![
                "d.kind = 'guide'".into(),
                "d.status = 'published'".into(),
                viewer.document_filter("d"),
            ],
            binds: Vec::new(),
        }
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
    mut query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    binds: &'q [String],
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        query = query.bind(b.as_str());
    }
    query
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// One page of published guides the viewer may read, with facet counts.
pub async fn list(db: &Db, viewer: &Viewer, query: &GuideQuery) -> AppResult<GuideList> {
    let tag = non_empty(&query.tag);
    let org = non_empty(&query.org);
    let q = non_empty(&query.q);
    let build = |with_tag: bool, with_org: bool| {
        let mut c = Conditions::new(viewer);
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
    let total: i64 = {
        let sql = format!(
            "SELECT COUNT(*) FROM documents d JOIN organisations o ON o.id = d.org_id WHERE {}",
            all.where_clause()
        );
        let (n,): (i64,) = bind_all(sqlx::query_as(&sql), &all.binds)
            .fetch_one(db.pool())
            .await?;
        n
    };
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

    Ok(GuideList {
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

/// Published guides of one organisation that the viewer may read.
pub async fn list_for_org(db: &Db, viewer: &Viewer, org_id: i64) -> AppResult<Vec<GuideSummary>> {
    let c = Conditions::new(viewer);
    let sql = format!(
        "{SUMMARY_SELECT} WHERE {} AND d.org_id = {org_id} ORDER BY d.title",
        c.where_clause()
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).fetch_all(db.pool()).await?;
    summaries(db, rows).await
}

async fn summaries(db: &Db, rows: Vec<SummaryRow>) -> AppResult<Vec<GuideSummary>> {
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
        .map(|r| GuideSummary {
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
        .collect())
}

#[derive(Clone, Debug, FromRow)]
struct DetailRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    body: String,
    topic: String,
    org_id: i64,
    visibility: String,
    status: String,
    review_by: Option<String>,
    updated_at: String,
    org_slug: String,
    org_name: String,
    owner_name: Option<String>,
}

/// One guide for its page; "not found" when it does not exist or the viewer may not read it.
pub async fn detail(db: &Db, viewer: &Viewer, slug: &str) -> AppResult<GuideDetail> {
    let row = sqlx::query_as::<_, DetailRow>(
        "SELECT d.id, d.slug, d.title, d.summary, d.body, d.topic, d.org_id, d.visibility, d.status,
                d.review_by, d.updated_at, o.slug AS org_slug, o.name AS org_name, u.name AS owner_name
         FROM documents d JOIN organisations o ON o.id = d.org_id LEFT JOIN users u ON u.id = d.owner_id
         WHERE d.kind = 'guide' AND d.slug = $1",
    )
    .bind(slug)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    let visibility = Visibility::parse(&row.visibility).ok_or(AppError::Internal)?;
    let status = DocStatus::parse(&row.status).ok_or(AppError::Internal)?;
    if !viewer.can_read_document(&DocumentAccess {
        org_id: row.org_id,
        visibility,
        status,
    }) {
        return Err(AppError::NotFound);
    }
    let tags = doc_store::tags_of(db.pool(), row.id).await?;
    let rendered = crate::markdown::render(&row.body);
    let today: String = db::now().chars().take(10).collect();
    Ok(GuideDetail {
        review_overdue: row.review_by.as_deref().is_some_and(|r| r < today.as_str()),
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        org: OrgRef {
            slug: row.org_slug,
            name: row.org_name,
        },
        owner: row.owner_name,
        topic: row.topic,
        tags,
        visibility,
        updated: row.updated_at.chars().take(10).collect(),
        review_by: row.review_by,
        html: rendered.html,
        toc: rendered.toc,
    })
}

/// A guide as written by an import or, later, the editor.
#[derive(Clone, Debug, PartialEq)]
pub struct GuideFields {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub topic: String,
    pub org_id: i64,
    pub owner_id: Option<i64>,
    pub visibility: Visibility,
    pub status: DocStatus,
    pub review_by: Option<String>,
    pub tags: Vec<String>,
    /// RFC 3339 time of the last change.
    pub updated_at: String,
}

/// What [`upsert`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upserted {
    Created(i64),
    Updated(i64),
    Unchanged(i64),
}

/// Inserts or updates the guide with this slug, with its tags and a change-log entry, in `tx`.
pub async fn upsert(tx: &mut db::Tx, guide: &GuideFields) -> Result<Upserted, sqlx::Error> {
    #[derive(FromRow, PartialEq)]
    struct Existing {
        id: i64,
        title: String,
        summary: String,
        body: String,
        topic: String,
        org_id: i64,
        owner_id: Option<i64>,
        visibility: String,
        status: String,
        review_by: Option<String>,
        updated_at: String,
    }
    let kind = DocKind::Guide.as_str();
    let mut tags = guide.tags.clone();
    tags.sort();
    tags.dedup();
    let existing = sqlx::query_as::<_, Existing>(
        "SELECT id, title, summary, body, topic, org_id, owner_id, visibility, status, review_by, updated_at
         FROM documents WHERE kind = $1 AND slug = $2",
    )
    .bind(kind)
    .bind(&guide.slug)
    .fetch_optional(&mut **tx)
    .await?;

    let result = match existing {
        Some(e) => {
            let same = e.title == guide.title
                && e.summary == guide.summary
                && e.body == guide.body
                && e.topic == guide.topic
                && e.org_id == guide.org_id
                && e.owner_id == guide.owner_id
                && e.visibility == guide.visibility.as_str()
                && e.status == guide.status.as_str()
                && e.review_by == guide.review_by
                && e.updated_at == guide.updated_at
                && doc_store::tags_of(&mut **tx, e.id).await? == tags;
            if same {
                return Ok(Upserted::Unchanged(e.id));
            }
            sqlx::query(
                "UPDATE documents SET title = $1, summary = $2, body = $3, topic = $4, org_id = $5, owner_id = $6,
                    visibility = $7, status = $8, review_by = $9, updated_at = $10 WHERE id = $11",
            )
            .bind(&guide.title)
            .bind(&guide.summary)
            .bind(&guide.body)
            .bind(&guide.topic)
            .bind(guide.org_id)
            .bind(guide.owner_id)
            .bind(guide.visibility.as_str())
            .bind(guide.status.as_str())
            .bind(guide.review_by.as_deref())
            .bind(&guide.updated_at)
            .bind(e.id)
            .execute(&mut **tx)
            .await?;
            Upserted::Updated(e.id)
        }
        None => {
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO documents (kind, slug, org_id, title, summary, body, topic, owner_id, visibility, status,
                     review_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
            )
            .bind(kind)
            .bind(&guide.slug)
            .bind(guide.org_id)
            .bind(&guide.title)
            .bind(&guide.summary)
            .bind(&guide.body)
            .bind(&guide.topic)
            .bind(guide.owner_id)
            .bind(guide.visibility.as_str())
            .bind(guide.status.as_str())
            .bind(guide.review_by.as_deref())
            .bind(&guide.updated_at)
            .fetch_one(&mut **tx)
            .await?;
            Upserted::Created(id)
        }
    };
    let id = match result {
        Upserted::Created(id) | Upserted::Updated(id) | Upserted::Unchanged(id) => id,
    };
    doc_store::set_tags(tx, id, &tags).await?;
    doc_store::log_change(tx, id, false).await?;
    Ok(result)
}
