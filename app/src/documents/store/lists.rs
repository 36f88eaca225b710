//! Lists of documents: a kind's list with its facets, the newest of a kind, an organisation's,
//! counts per organisation, and the review queue. Each starts from the viewer's read rule.

use std::collections::HashMap;

use sqlx::{Any, FromRow};

use crate::dates::Date;
use crate::db::Db;
use crate::documents::model::{DocList, DocQuery, DocSummary, Facet, QueueItem, PER_PAGE};
use crate::error::{AppError, AppResult};
use crate::kind::{DocLink, LinkedDoc};
use crate::kinds::DocKind;
use crate::limits::{self, MAX_SEARCH_CHARS, MAX_SLUG_CHARS, MAX_TAG_CHARS};
use crate::orgs::OrgRef;
use crate::permissions::{readable_by_readers, DocStatus, Viewer};

#[derive(Clone, Debug, FromRow)]
struct SummaryRow {
    id: i64,
    kind: DocKind,
    slug: String,
    title: String,
    summary: String,
    topic: String,
    updated_at: Date,
    org_slug: String,
    org_name: String,
}

const SUMMARY_SELECT: &str =
    "SELECT d.id, d.kind, d.slug, d.title, d.summary, d.topic, d.updated_at,
        o.slug AS org_slug, o.name AS org_name
     FROM documents d JOIN organisations o ON o.id = d.org_id";

/// A value bound into a list query.
#[derive(Clone, Debug)]
enum Bind {
    Text(String),
    Int(i64),
}

/// A list query under construction: SQL conditions and their bound values.
struct Conditions {
    sql: Vec<String>,
    binds: Vec<Bind>,
}

impl Conditions {
    /// Documents the viewer may read that readers see (approved, not archived).
    fn published(viewer: &Viewer) -> Self {
        Self {
            sql: vec![readable_by_readers("d"), viewer.document_filter("d")],
            binds: Vec::new(),
        }
    }

    fn push(&mut self, condition: impl FnOnce(usize) -> String, value: Bind) {
        self.binds.push(value);
        self.sql.push(condition(self.binds.len()));
    }

    fn kind(&mut self, kind: DocKind) {
        self.push(
            |n| format!("d.kind = ${n}"),
            Bind::Text(kind.code().to_owned()),
        );
    }

    fn org_id(&mut self, org_id: i64) {
        self.push(|n| format!("d.org_id = ${n}"), Bind::Int(org_id));
    }

    fn tag(&mut self, tag: &str) {
        self.push(
            |n| format!("EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = d.id AND t.tag = ${n})"),
            Bind::Text(tag.to_owned()),
        );
    }

    fn org(&mut self, org: &str) {
        self.push(|n| format!("o.slug = ${n}"), Bind::Text(org.to_owned()));
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
            Bind::Text(pattern),
        );
    }

    fn where_clause(&self) -> String {
        self.sql.join(" AND ")
    }

    fn bind<'q, O>(
        &'q self,
        mut query: sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments<'q>> {
        for b in &self.binds {
            query = match b {
                Bind::Text(t) => query.bind(t.as_str()),
                Bind::Int(i) => query.bind(*i),
            };
        }
        query
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Refuses filters longer than any tag, organisation or search the portal accepts.
fn check_query(query: &DocQuery) -> AppResult<()> {
    let checks = [
        ("The tag", &query.tag, MAX_TAG_CHARS),
        ("The organisation", &query.org, MAX_SLUG_CHARS),
        ("The search words", &query.q, MAX_SEARCH_CHARS),
    ];
    for (what, value, max) in checks {
        if let Some(m) = value
            .as_deref()
            .and_then(|v| limits::too_long(what, v, max))
        {
            return Err(AppError::Invalid(m));
        }
    }
    Ok(())
}

/// One page of published documents of a kind that the viewer may read, with facet counts.
pub async fn list(db: &Db, viewer: &Viewer, kind: DocKind, query: &DocQuery) -> AppResult<DocList> {
    check_query(query)?;
    let tag = non_empty(&query.tag);
    let org = non_empty(&query.org);
    let q = non_empty(&query.q);
    let build = |with_tag: bool, with_org: bool| {
        let mut c = Conditions::published(viewer);
        c.kind(kind);
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
    let (total,): (i64,) = all.bind(sqlx::query_as(&sql)).fetch_one(db.pool()).await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let page = query.page.clamp(1, pages);
    let sql = format!(
        "{SUMMARY_SELECT} WHERE {} ORDER BY d.updated_at DESC, d.title LIMIT {PER_PAGE} OFFSET {}",
        all.where_clause(),
        (page - 1) * PER_PAGE
    );
    let rows: Vec<SummaryRow> = all.bind(sqlx::query_as(&sql)).fetch_all(db.pool()).await?;
    let items = summaries(db, rows).await?;

    // Each facet counts within the other filters, so choosing a value never shows zero results.
    let by_tag = build(false, true);
    let sql = format!(
        "SELECT t.tag, COUNT(*) FROM document_tags t JOIN documents d ON d.id = t.document_id
           JOIN organisations o ON o.id = d.org_id
         WHERE {} GROUP BY t.tag ORDER BY COUNT(*) DESC, t.tag",
        by_tag.where_clause()
    );
    let tags: Vec<(String, i64)> = by_tag
        .bind(sqlx::query_as(&sql))
        .fetch_all(db.pool())
        .await?;
    let by_org = build(true, false);
    let sql = format!(
        "SELECT o.slug, o.name, COUNT(*) FROM documents d JOIN organisations o ON o.id = d.org_id
         WHERE {} GROUP BY o.slug, o.name ORDER BY o.name",
        by_org.where_clause()
    );
    let orgs: Vec<(String, String, i64)> = by_org
        .bind(sqlx::query_as(&sql))
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
    let mut c = Conditions::published(viewer);
    c.kind(kind);
    let sql = format!(
        "{SUMMARY_SELECT} WHERE {} ORDER BY d.updated_at DESC, d.title LIMIT {limit}",
        c.where_clause()
    );
    let rows: Vec<SummaryRow> = c.bind(sqlx::query_as(&sql)).fetch_all(db.pool()).await?;
    summaries(db, rows).await
}

/// Published documents of every kind from one organisation that the viewer may read.
pub async fn for_org(db: &Db, viewer: &Viewer, org_id: i64) -> AppResult<Vec<DocSummary>> {
    let mut c = Conditions::published(viewer);
    c.org_id(org_id);
    let sql = format!(
        "{SUMMARY_SELECT} WHERE {} ORDER BY d.kind, d.title",
        c.where_clause()
    );
    let rows: Vec<SummaryRow> = c.bind(sqlx::query_as(&sql)).fetch_all(db.pool()).await?;
    summaries(db, rows).await
}

/// The published documents among `ids` that the viewer may read, newest first. The ids come
/// from the caller's own table (the lessons naming a rule), never from a request.
pub async fn readable_among(db: &Db, viewer: &Viewer, ids: &[i64]) -> AppResult<Vec<DocSummary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let c = Conditions::published(viewer);
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "{SUMMARY_SELECT} WHERE d.id IN ({}) AND {} ORDER BY d.updated_at DESC, d.title",
        ids.join(", "),
        c.where_clause()
    );
    let rows: Vec<SummaryRow> = c.bind(sqlx::query_as(&sql)).fetch_all(db.pool()).await?;
    summaries(db, rows).await
}

/// How many published documents of each organisation (by id) the viewer may read.
pub async fn counts_by_org(db: &Db, viewer: &Viewer) -> AppResult<HashMap<i64, i64>> {
    let c = Conditions::published(viewer);
    let sql = format!(
        "SELECT d.org_id, COUNT(*) FROM documents d WHERE {} GROUP BY d.org_id",
        c.where_clause()
    );
    let rows: Vec<(i64, i64)> = c.bind(sqlx::query_as(&sql)).fetch_all(db.pool()).await?;
    Ok(rows.into_iter().collect())
}

/// The linked documents that exist and that the viewer may read as published, with titles.
pub async fn readable_links(
    db: &Db,
    viewer: &Viewer,
    links: &[DocLink],
) -> AppResult<Vec<LinkedDoc>> {
    let mut found = Vec::new();
    for link in links {
        let Some(kind) = DocKind::from_path(&link.kind_path) else {
            continue;
        };
        if let Some(row) = super::find(db.pool(), kind, &link.slug).await? {
            let access = row.access();
            if access.has_published && viewer.can_read_document(&access) {
                found.push(LinkedDoc {
                    href: row.href(),
                    title: row.title,
                });
            }
        }
    }
    Ok(found)
}

/// Documents of a kind that the viewer may read as readers see them (approved, not archived)
/// whose fields, as stored, contain `text`: what a module above asks to find the documents that
/// name one of its things (a plan naming a contact). Callers check the fields themselves; this
/// only narrows the search. Each is given with its slug, title and fields (JSON).
pub async fn mentioning(
    db: &Db,
    viewer: &Viewer,
    kind: DocKind,
    text: &str,
) -> AppResult<Vec<(String, String, String)>> {
    let mut c = Conditions::published(viewer);
    c.kind(kind);
    let pattern = format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    c.push(
        |n| format!("d.fields LIKE ${n} ESCAPE '\\'"),
        Bind::Text(pattern),
    );
    let sql = format!(
        "SELECT d.slug, d.title, d.fields FROM documents d WHERE {} ORDER BY d.title",
        c.where_clause()
    );
    Ok(c.bind(sqlx::query_as(&sql)).fetch_all(db.pool()).await?)
}

async fn summaries(db: &Db, rows: Vec<SummaryRow>) -> AppResult<Vec<DocSummary>> {
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    if !rows.is_empty() {
        // Ids come from the rows just read, never from the request.
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
        .map(|r| DocSummary {
            kind: r.kind,
            tags: tags.remove(&r.id).unwrap_or_default(),
            updated: r.updated_at,
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

/// Which documents a review queue lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueFilter {
    /// Documents whose newest revision is in this status.
    Status(DocStatus),
    /// Published documents whose review-by date is on or before this day.
    ReviewDueBy(Date),
}

/// Documents of an organisation (every organisation when `org_id` is `None`) that a queue lists.
pub async fn queue(db: &Db, org_id: Option<i64>, filter: QueueFilter) -> AppResult<Vec<QueueItem>> {
    #[derive(FromRow)]
    struct Row {
        kind: DocKind,
        slug: String,
        title: String,
        status: DocStatus,
        review_by: Option<Date>,
        updated_at: Date,
        org_slug: String,
        org_name: String,
    }
    let mut c = Conditions {
        sql: Vec::new(),
        binds: Vec::new(),
    };
    match filter {
        QueueFilter::Status(status) => c.push(
            |n| format!("d.status = ${n}"),
            Bind::Text(status.as_str().into()),
        ),
        QueueFilter::ReviewDueBy(day) => {
            c.sql.push(readable_by_readers("d"));
            c.push(
                |n| format!("d.review_by IS NOT NULL AND d.review_by <= ${n}"),
                Bind::Text(day.to_string()),
            );
        }
    }
    if let Some(id) = org_id {
        c.org_id(id);
    }
    let sql = format!(
        "SELECT d.kind, d.slug, d.title, d.status, d.review_by, d.updated_at, o.slug AS org_slug, o.name AS org_name
         FROM documents d JOIN organisations o ON o.id = d.org_id
         WHERE {} ORDER BY d.review_by, d.updated_at DESC",
        c.where_clause()
    );
    let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|r| QueueItem {
            kind: r.kind,
            status: r.status,
            slug: r.slug,
            title: r.title,
            review_by: r.review_by,
            updated: r.updated_at,
            org: OrgRef {
                slug: r.org_slug,
                name: r.org_name,
            },
        })
        .collect())
}
