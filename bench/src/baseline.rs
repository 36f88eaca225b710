//! The two baselines, on the same documents and the same queries: PostgreSQL full-text search
//! (a `tsvector` column with a GIN index, `websearch_to_tsquery`, `ts_rank` order, `ts_headline`
//! snippets and a count) and SQLite FTS5 (`bm25()` order, `snippet()` and a count). Both index
//! the text the portal's index holds (title, tags and topic, summary, the text as plain text with
//! the kind's own fields, the organisation's name), weighted like it, and both apply the
//! portal's own read rule (`permissions::ReadScope::sql`) to every query, as a page of results
//! must.
//!
//! The documents are read from the portal's database, never written back to it: the baselines
//! live in their own PostgreSQL database and their own SQLite file.

use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use app::db::Db;
use app::documents::store::revisions::parse_fields;
use app::kinds::DocKind;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{FromRow, QueryBuilder};

use crate::queries::{Baseline, Filter};

/// Documents copied at a time.
const PAGE: i64 = 500;

/// A document as the baselines index it.
#[derive(Clone, Debug)]
pub struct SourceDoc {
    pub id: i64,
    pub kind: String,
    pub slug: String,
    pub org_id: i64,
    pub org_slug: String,
    pub org_name: String,
    pub nation: String,
    pub phase: Option<String>,
    pub title: String,
    pub summary: String,
    /// Tags and topic, as one text.
    pub tags_text: String,
    pub tags: Vec<String>,
    /// The text as plain text, then the kind's own fields.
    pub body: String,
    pub visibility: String,
    pub status: String,
    pub published_revision_id: Option<i64>,
    pub archived_at: Option<String>,
    pub updated_at: String,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    kind: String,
    slug: String,
    org_id: i64,
    org_slug: String,
    org_name: String,
    nation: String,
    title: String,
    summary: String,
    body: String,
    topic: String,
    fields: String,
    visibility: String,
    status: String,
    published_revision_id: Option<i64>,
    archived_at: Option<String>,
    updated_at: String,
}

/// Documents with ids above `after`, in id order, at most [`PAGE`], as the portal's index
/// sees them (the `documents` row: what readers see).
pub async fn read_page(db: &Db, after: i64) -> Result<Vec<SourceDoc>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT d.id, d.kind, d.slug, d.org_id, o.slug AS org_slug, o.name AS org_name, o.nation,
                d.title, d.summary, d.body, d.topic, d.fields, d.visibility, d.status,
                d.published_revision_id, d.archived_at, d.updated_at
         FROM documents d JOIN organisations o ON o.id = d.org_id
         WHERE d.id > $1 ORDER BY d.id LIMIT $2",
    )
    .bind(after)
    .bind(PAGE)
    .fetch_all(db.pool())
    .await?;
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok(Vec::new());
    };
    let pairs: Vec<(i64, String)> = sqlx::query_as(
        "SELECT document_id, tag FROM document_tags WHERE document_id >= $1 AND document_id <= $2
         ORDER BY document_id, tag",
    )
    .bind(first.id)
    .bind(last.id)
    .fetch_all(db.pool())
    .await?;
    let mut tags: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for (id, tag) in pairs {
        tags.entry(id).or_default().push(tag);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let tags = tags.remove(&r.id).unwrap_or_default();
            source_doc(r, tags)
        })
        .collect())
}

/// The text and facets of a row, read the way the portal's indexer reads them.
fn source_doc(r: Row, tags: Vec<String>) -> SourceDoc {
    let mut text = vec![app::markdown::plain_text(&r.body)];
    let mut phase = None;
    if let Some(kind) = DocKind::from_code(&r.kind) {
        if let Ok(fields) = parse_fields(kind, r.id, &r.fields) {
            if let Ok(search) = kind.spec().search(&fields) {
                text.extend(search.text);
                phase = search
                    .facets
                    .into_iter()
                    .find(|f| f.name == "phase")
                    .map(|f| f.value);
            }
        }
    }
    let mut tags_text = tags.clone();
    tags_text.push(r.topic);
    SourceDoc {
        id: r.id,
        kind: r.kind,
        slug: r.slug,
        org_id: r.org_id,
        org_slug: r.org_slug,
        org_name: r.org_name,
        nation: r.nation,
        phase,
        title: r.title,
        summary: r.summary,
        tags_text: tags_text.join(" "),
        tags,
        body: text.join("\n"),
        visibility: r.visibility,
        status: r.status,
        published_revision_id: r.published_revision_id,
        archived_at: r.archived_at,
        updated_at: r.updated_at,
    }
}

/// What building a baseline's index cost.
#[derive(Clone, Debug, Default)]
pub struct Built {
    /// Copying the documents in, before any index.
    pub load: Duration,
    /// Building the full-text index from the loaded documents.
    pub index: Duration,
    /// The full-text index on disk.
    pub index_bytes: u64,
    /// Everything on disk: documents, text and indexes.
    pub total_bytes: u64,
    /// Peak resident memory of whatever built the index, in kB, when it can be read.
    pub peak_kb: Option<u64>,
}

/// One answer: how many documents match, and the page of results with their snippets.
#[derive(Clone, Debug, Default)]
pub struct Answer {
    pub total: u64,
    pub ids: Vec<i64>,
    pub snippets: Vec<String>,
}

/// The conditions of a query's filters, with their values bound in order from `$first`.
fn filter_sql(filters: &[Filter], first: usize) -> (String, Vec<String>) {
    let mut sql = String::new();
    let mut values = Vec::new();
    for (i, f) in filters.iter().enumerate() {
        let n = first + i;
        let (condition, value) = match f {
            Filter::Org(v) => (format!("d.org_slug = ${n}"), v),
            Filter::Kind(v) => (format!("d.kind = ${n}"), v),
            Filter::Nation(v) => (format!("d.nation = ${n}"), v),
            Filter::Phase(v) => (format!("d.phase = ${n}"), v),
            Filter::Tag(v) => (
                format!(
                    "EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = d.id AND t.tag = ${n})"
                ),
                v,
            ),
        };
        sql.push_str(" AND ");
        sql.push_str(&condition);
        values.push(value.clone());
    }
    (sql, values)
}

/// A baseline: answers one query of the set for one read rule.
pub trait Engine {
    /// The best `limit` matches with their snippets, and the count, of the documents `rule` (a
    /// SQL condition on `d`) lets through.
    fn search(
        &self,
        b: &Baseline,
        rule: &str,
        limit: i64,
    ) -> impl std::future::Future<Output = Result<Answer, sqlx::Error>>;
}

/// A query with filters but no words: the newest documents, and their count.
fn newest(rule: &str, filters: &str, limit: i64) -> (String, String) {
    (
        format!(
            "SELECT d.id, d.summary FROM documents d WHERE ({rule}){filters}
             ORDER BY d.updated_at DESC, d.id LIMIT {limit}"
        ),
        format!("SELECT COUNT(*) FROM documents d WHERE ({rule}){filters}"),
    )
}

/// Runs a page query (id, snippet) and a count query with the same bound values.
macro_rules! page_and_count {
    ($pool:expr, $top:expr, $count:expr, $binds:expr) => {{
        let mut q = sqlx::query_as::<_, (i64, String)>($top);
        for v in $binds {
            q = q.bind(v);
        }
        let rows = q.fetch_all($pool).await?;
        let mut c = sqlx::query_scalar::<_, i64>($count);
        for v in $binds {
            c = c.bind(v);
        }
        let total = c.fetch_one($pool).await?;
        let (ids, snippets) = rows.into_iter().unzip();
        Ok(Answer {
            total: total as u64,
            ids,
            snippets,
        })
    }};
}

/// Copies the portal's documents and their tags into a baseline's tables, a page at a time, each
/// page in one transaction.
macro_rules! copy_documents {
    ($pool:expr, $db:expr) => {{
        let mut after = 0;
        loop {
            let docs = read_page($db, after).await?;
            let Some(last) = docs.last() else { break };
            after = last.id;
            let mut tx = $pool.begin().await?;
            let mut q = QueryBuilder::new(
                "INSERT INTO documents (id, kind, slug, org_id, org_slug, org_name, nation, phase, title,
                 summary, tags_text, body, visibility, status, published_revision_id, archived_at, updated_at) ",
            );
            q.push_values(&docs, |mut b, d| {
                b.push_bind(d.id)
                    .push_bind(&d.kind)
                    .push_bind(&d.slug)
                    .push_bind(d.org_id)
                    .push_bind(&d.org_slug)
                    .push_bind(&d.org_name)
                    .push_bind(&d.nation)
                    .push_bind(&d.phase)
                    .push_bind(&d.title)
                    .push_bind(&d.summary)
                    .push_bind(&d.tags_text)
                    .push_bind(&d.body)
                    .push_bind(&d.visibility)
                    .push_bind(&d.status)
                    .push_bind(d.published_revision_id)
                    .push_bind(&d.archived_at)
                    .push_bind(&d.updated_at);
            });
            q.build().execute(&mut *tx).await?;
            let tags: Vec<(i64, &String)> = docs
                .iter()
                .flat_map(|d| d.tags.iter().map(move |t| (d.id, t)))
                .collect();
            if !tags.is_empty() {
                let mut q = QueryBuilder::new("INSERT INTO document_tags (document_id, tag) ");
                q.push_values(&tags, |mut b, (id, tag)| {
                    b.push_bind(*id).push_bind(*tag);
                });
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }
    }};
}

/// The tables of a baseline, with the database's name for a 64-bit integer and what follows
/// the tag table's definition.
fn tables(int: &str, tags_suffix: &str) -> String {
    format!(
        "CREATE TABLE documents (
            id {int} PRIMARY KEY, kind TEXT NOT NULL, slug TEXT NOT NULL, org_id {int} NOT NULL,
            org_slug TEXT NOT NULL, org_name TEXT NOT NULL, nation TEXT NOT NULL, phase TEXT,
            title TEXT NOT NULL, summary TEXT NOT NULL, tags_text TEXT NOT NULL, body TEXT NOT NULL,
            visibility TEXT NOT NULL, status TEXT NOT NULL, published_revision_id {int},
            archived_at TEXT, updated_at TEXT NOT NULL);
         CREATE TABLE document_tags (document_id {int} NOT NULL REFERENCES documents (id),
            tag TEXT NOT NULL, PRIMARY KEY (tag, document_id)){tags_suffix};"
    )
}

/// PostgreSQL full-text search in its own database.
pub struct Postgres {
    pool: PgPool,
}

impl Postgres {
    /// Connects to an empty database and creates the tables.
    pub async fn create(url: &str) -> Result<Self, sqlx::Error> {
        let pool = PgPoolOptions::new().max_connections(2).connect(url).await?;
        sqlx::raw_sql(&tables("BIGINT", "")).execute(&pool).await?;
        Ok(Self { pool })
    }

    /// Copies the portal's documents in, then builds the `tsvector` column and its GIN index.
    pub async fn build(&self, db: &Db) -> Result<Built, sqlx::Error> {
        let started = Instant::now();
        copy_documents!(self.pool, db);
        sqlx::raw_sql("CREATE INDEX documents_org_slug ON documents (org_slug); CREATE INDEX documents_updated ON documents (updated_at); ANALYZE")
            .execute(&self.pool)
            .await?;
        let load = started.elapsed();

        // One connection, so that its server process is the one whose memory is read.
        let mut conn = self.pool.acquire().await?;
        let backend: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut *conn)
            .await?;
        let started = Instant::now();
        sqlx::raw_sql(
            "ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', title), 'A') ||
                setweight(to_tsvector('english', tags_text), 'B') ||
                setweight(to_tsvector('english', summary), 'B') ||
                setweight(to_tsvector('english', org_name), 'C') ||
                setweight(to_tsvector('english', body), 'D')) STORED;
             CREATE INDEX documents_tsv ON documents USING GIN (tsv);
             ANALYZE documents",
        )
        .execute(&mut *conn)
        .await?;
        let index = started.elapsed();
        let peak_kb = crate::measure::proc_status_kb(&backend.to_string(), "VmHWM");
        drop(conn);
        let (gin, tsv, total): (i64, i64, i64) = sqlx::query_as(
            "SELECT pg_relation_size('documents_tsv'),
                    (SELECT COALESCE(SUM(pg_column_size(tsv)), 0)::BIGINT FROM documents),
                    pg_database_size(current_database())",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Built {
            load,
            index,
            index_bytes: (gin + tsv) as u64,
            total_bytes: total as u64,
            peak_kb,
        })
    }
}

impl Engine for Postgres {
    /// `ts_rank` order with `ts_headline` snippets.
    async fn search(&self, b: &Baseline, rule: &str, limit: i64) -> Result<Answer, sqlx::Error> {
        let mut binds: Vec<String> = Vec::new();
        let tsquery = match (b.websearch_text(), b.prefix_word()) {
            (text, Some(prefix)) if !text.is_empty() => {
                binds.push(text);
                binds.push(format!("{prefix}:*"));
                "(websearch_to_tsquery('english', $1) && to_tsquery('english', $2))".to_owned()
            }
            (_, Some(prefix)) => {
                binds.push(format!("{prefix}:*"));
                "to_tsquery('english', $1)".to_owned()
            }
            (text, None) if !text.is_empty() => {
                binds.push(text);
                "websearch_to_tsquery('english', $1)".to_owned()
            }
            _ => String::new(),
        };
        let (filters, values) = filter_sql(&b.filters, binds.len() + 1);
        binds.extend(values);
        let (top, count) = if tsquery.is_empty() {
            newest(rule, &filters, limit)
        } else {
            (
                format!(
                    "SELECT r.id, ts_headline('english', r.body, {tsquery},
                            'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15')
                     FROM (SELECT d.id, d.body, ts_rank(d.tsv, {tsquery}) AS rank FROM documents d
                           WHERE d.tsv @@ {tsquery} AND ({rule}){filters}
                           ORDER BY rank DESC, d.id LIMIT {limit}) r
                     ORDER BY r.rank DESC, r.id"
                ),
                format!(
                    "SELECT COUNT(*) FROM documents d WHERE d.tsv @@ {tsquery} AND ({rule}){filters}"
                ),
            )
        };
        page_and_count!(&self.pool, &top, &count, &binds)
    }
}

/// SQLite FTS5 in its own file: the documents in a table, an external-content FTS5 index over
/// them.
pub struct Fts5 {
    pool: SqlitePool,
}

impl Fts5 {
    /// Creates the file (it must not exist) and its tables.
    pub async fn create(path: &Path) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::raw_sql(&tables("INTEGER", " WITHOUT ROWID"))
            .execute(&pool)
            .await?;
        Ok(Self { pool })
    }

    /// Copies the portal's documents in, then builds the FTS5 index over them.
    pub async fn build(&self, db: &Db, path: &Path) -> Result<Built, sqlx::Error> {
        let started = Instant::now();
        copy_documents!(self.pool, db);
        sqlx::raw_sql("CREATE INDEX documents_org_slug ON documents (org_slug); CREATE INDEX documents_updated ON documents (updated_at); ANALYZE")
            .execute(&self.pool)
            .await?;
        let load = started.elapsed();

        crate::measure::reset_peak_memory();
        let started = Instant::now();
        sqlx::raw_sql(
            "CREATE VIRTUAL TABLE fts USING fts5(title, tags_text, summary, body, org_name,
                content='documents', content_rowid='id', tokenize='porter unicode61');
             INSERT INTO fts (fts) VALUES ('rebuild');
             INSERT INTO fts (fts) VALUES ('optimize');",
        )
        .execute(&self.pool)
        .await?;
        let index = started.elapsed();
        let peak_kb = crate::measure::proc_status_kb("self", "VmHWM");
        sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await?;
        let index_bytes: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE 'fts%'",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Built {
            load,
            index,
            index_bytes: index_bytes as u64,
            total_bytes: crate::measure::dir_bytes(path),
            peak_kb,
        })
    }
}

impl Engine for Fts5 {
    /// `bm25()` order (columns weighted like the portal's fields) with `snippet()`s.
    async fn search(&self, b: &Baseline, rule: &str, limit: i64) -> Result<Answer, sqlx::Error> {
        let text = b.has_text();
        let mut binds = Vec::new();
        if text {
            binds.push(b.fts5_match());
        }
        let (filters, values) = filter_sql(&b.filters, binds.len() + 1);
        binds.extend(values);
        let (top, count) = if text {
            (
                format!(
                    "SELECT d.id, snippet(fts, 3, '<mark>', '</mark>', '…', 32)
                     FROM fts JOIN documents d ON d.id = fts.rowid
                     WHERE fts MATCH $1 AND ({rule}){filters}
                     ORDER BY bm25(fts, 3.0, 2.0, 2.0, 1.0, 1.0), d.id LIMIT {limit}"
                ),
                format!(
                    "SELECT COUNT(*) FROM fts JOIN documents d ON d.id = fts.rowid
                     WHERE fts MATCH $1 AND ({rule}){filters}"
                ),
            )
        } else {
            newest(rule, &filters, limit)
        };
        page_and_count!(&self.pool, &top, &count, &binds)
    }
}
