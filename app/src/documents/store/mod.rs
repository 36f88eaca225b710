//! Storage for documents of every kind: the `documents` row (what readers see) and its tags
//! here; revisions, workflow steps and lists in the submodules. Every write takes the
//! [`Recorder`] of the change, and [`steps::record_step`] records it.

use sqlx::{Any, Executor, FromRow};

use crate::dates::Date;
use crate::db::Recorder;
use crate::documents::hooks::{ReadersChanged, ReadersSee};
use crate::error::{AppError, AppResult};
use crate::kinds::DocKind;
use crate::orgs::OrgRef;
use crate::permissions::{DocStatus, DocumentAccess, Viewer, Visibility};

pub mod lists;
pub mod revisions;
pub mod steps;

pub use revisions::{RevisionRow, RevisionText};

/// Who saved a revision or took a workflow step, as the history names them.
#[derive(Clone, Debug)]
pub struct Author {
    pub id: Option<i64>,
    pub label: String,
}

impl Author {
    /// A signed-in user, by name.
    pub fn of(user: &crate::users::CurrentUser) -> Self {
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

/// A document row with its organisation and owner names.
#[derive(Clone, Debug, FromRow)]
pub struct DocRow {
    pub id: i64,
    pub kind: DocKind,
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
    pub visibility: Visibility,
    pub status: DocStatus,
    pub review_by: Option<Date>,
    pub updated_at: String,
    pub head_revision_id: Option<i64>,
    pub published_revision_id: Option<i64>,
    /// When a publisher archived it; cleared only when a revision is approved.
    pub archived_at: Option<String>,
}

impl DocRow {
    pub fn access(&self) -> DocumentAccess {
        DocumentAccess {
            org_id: self.org_id,
            visibility: self.visibility,
            status: self.status,
            has_published: self.published_revision_id.is_some(),
            archived: self.is_archived(),
        }
    }

    /// Archived, and no revision approved since: readers do not see it, whatever its status.
    pub fn is_archived(&self) -> bool {
        self.archived_at.is_some() || self.status == DocStatus::Archived
    }

    pub fn org(&self) -> OrgRef {
        OrgRef {
            slug: self.org_slug.clone(),
            name: self.org_name.clone(),
        }
    }

    /// The document's address.
    pub fn href(&self) -> String {
        self.kind.href(&self.slug)
    }

    /// The day it was last updated.
    pub fn updated(&self) -> AppResult<Date> {
        Date::of_timestamp(&self.updated_at).map_err(|m| {
            tracing::error!(document = self.id, "updated_at: {m}");
            AppError::Unreadable
        })
    }

    /// The newest revision; every document has one.
    pub fn head(&self) -> AppResult<i64> {
        self.head_revision_id.ok_or_else(|| {
            tracing::error!(document = self.id, "document without a head revision");
            AppError::Unreadable
        })
    }
}

const DOC_SELECT: &str = "SELECT d.id, d.kind, d.slug, d.org_id, o.slug AS org_slug, o.name AS org_name,
        d.title, d.summary, d.body, d.topic, d.fields, d.owner_id, u.name AS owner_name, d.visibility,
        d.status, d.review_by, d.updated_at, d.head_revision_id, d.published_revision_id, d.archived_at
     FROM documents d JOIN organisations o ON o.id = d.org_id LEFT JOIN users u ON u.id = d.owner_id";

/// A document by kind and slug, whoever asks (callers check permissions).
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    kind: DocKind,
    slug: &str,
) -> Result<Option<DocRow>, sqlx::Error> {
    sqlx::query_as::<_, DocRow>(&format!("{DOC_SELECT} WHERE d.kind = $1 AND d.slug = $2"))
        .bind(kind)
        .bind(slug)
        .fetch_optional(ex)
        .await
}

/// Whether a document exists at `/{kind}/{slug}`, whoever may read it.
pub async fn exists(db: &crate::db::Db, kind: DocKind, slug: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE kind = $1 AND slug = $2")
        .bind(kind)
        .bind(slug)
        .fetch_one(db.pool())
        .await?;
    Ok(n > 0)
}

/// A document row the viewer was allowed to read. Only [`find_readable`] makes one, so a
/// function taking it cannot be handed a document nobody checked.
#[derive(Clone, Debug)]
pub struct Readable(DocRow);

impl Readable {
    pub fn row(&self) -> &DocRow {
        &self.0
    }

    pub fn into_row(self) -> DocRow {
        self.0
    }
}

/// A document the viewer may read; "not found" otherwise, exactly like a missing one. Every page,
/// export and server function about one document starts here, so the size of the slug it was
/// given is checked here too.
pub async fn find_readable(
    db: &crate::db::Db,
    viewer: &Viewer,
    kind: DocKind,
    slug: &str,
) -> AppResult<Readable> {
    check_slug_arg(slug)?;
    let row = find(db.pool(), kind, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if viewer.can_read_document(&row.access()) {
        Ok(Readable(row))
    } else {
        Err(AppError::NotFound)
    }
}

/// Refuses a document address longer than any slug can be, before it reaches the database.
pub fn check_slug_arg(slug: &str) -> AppResult<()> {
    if crate::limits::over(slug, crate::limits::MAX_SLUG_CHARS) {
        return Err(AppError::Invalid(format!(
            "That web address is too long: a document's is at most {} characters",
            crate::limits::MAX_SLUG_CHARS
        )));
    }
    Ok(())
}

/// Creates a document row (not yet pointing at a revision). Two writers taking the same slug at
/// once: the second gets a unique-constraint error.
pub async fn insert_document(
    rec: &mut Recorder,
    kind: DocKind,
    slug: &str,
    org_id: i64,
    text: &RevisionText,
    status: DocStatus,
    updated_at: &str,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO documents (kind, slug, org_id, title, summary, body, topic, fields, owner_id, visibility,
             status, review_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(kind)
    .bind(slug)
    .bind(org_id)
    .bind(&text.title)
    .bind(&text.summary)
    .bind(&text.body)
    .bind(&text.topic)
    .bind(text.fields.to_string())
    .bind(text.owner_id)
    .bind(text.visibility)
    .bind(status)
    .bind(text.review_by)
    .bind(updated_at)
    .fetch_one(&mut **rec.tx())
    .await?;
    set_tags(rec, id, &text.tags).await?;
    Ok(id)
}

/// Moves a document to another organisation (an import that says so).
pub async fn set_org(rec: &mut Recorder, document_id: i64, org_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE documents SET org_id = $1 WHERE id = $2")
        .bind(org_id)
        .bind(document_id)
        .execute(&mut **rec.tx())
        .await?;
    Ok(())
}

/// Sets the workflow status of the head revision.
pub async fn set_status(
    rec: &mut Recorder,
    document_id: i64,
    status: DocStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE documents SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(document_id)
        .execute(&mut **rec.tx())
        .await?;
    Ok(())
}

/// Takes a document away from readers until a publisher approves a revision: its status becomes
/// archived, and it stays archived through any draft saved or restored meanwhile.
pub async fn archive(rec: &mut Recorder, document_id: i64) -> Result<(), sqlx::Error> {
    let at = rec.at().to_owned();
    sqlx::query("UPDATE documents SET status = $1, archived_at = $2 WHERE id = $3")
        .bind(DocStatus::Archived)
        .bind(at)
        .bind(document_id)
        .execute(&mut **rec.tx())
        .await?;
    tell_hooks(rec, document_id, ReadersSee::Nothing).await
}

/// Copies a revision's text into the document row, which is what lists and pages show.
pub async fn mirror(
    rec: &mut Recorder,
    document_id: i64,
    text: &RevisionText,
    updated_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE documents SET title = $1, summary = $2, body = $3, topic = $4, fields = $5, owner_id = $6,
             visibility = $7, review_by = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&text.title)
    .bind(&text.summary)
    .bind(&text.body)
    .bind(&text.topic)
    .bind(text.fields.to_string())
    .bind(text.owner_id)
    .bind(text.visibility)
    .bind(text.review_by)
    .bind(updated_at)
    .bind(document_id)
    .execute(&mut **rec.tx())
    .await?;
    set_tags(rec, document_id, &text.tags).await
}

/// Makes a revision the one readers see; an approval ends an archiving.
pub async fn publish(
    rec: &mut Recorder,
    document_id: i64,
    revision_id: i64,
    text: &RevisionText,
    updated_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE documents SET published_revision_id = $1, status = $2, archived_at = NULL WHERE id = $3",
    )
        .bind(revision_id)
        .bind(DocStatus::Published)
        .bind(document_id)
        .execute(&mut **rec.tx())
        .await?;
    mirror(rec, document_id, text, updated_at).await?;
    tell_hooks(rec, document_id, ReadersSee::Approved(text)).await
}

/// Tells the installed hooks (see `documents::hooks`) what readers see of a document now.
async fn tell_hooks(
    rec: &mut Recorder,
    document_id: i64,
    now: ReadersSee<'_>,
) -> Result<(), sqlx::Error> {
    let (code, slug, org_id): (String, String, i64) =
        sqlx::query_as("SELECT kind, slug, org_id FROM documents WHERE id = $1")
            .bind(document_id)
            .fetch_one(&mut **rec.tx())
            .await?;
    let Some(kind) = DocKind::from_code(&code) else {
        return Err(sqlx::Error::Protocol(format!(
            "document {document_id} has the unknown kind {code:?}"
        )));
    };
    let change = ReadersChanged {
        document_id,
        kind,
        slug: &slug,
        org_id,
        now,
    };
    crate::documents::hooks::readers_changed(rec, change).await
}

/// Replaces a document's tags.
async fn set_tags(
    rec: &mut Recorder,
    document_id: i64,
    tags: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM document_tags WHERE document_id = $1")
        .bind(document_id)
        .execute(&mut **rec.tx())
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO document_tags (document_id, tag) VALUES ($1, $2)")
            .bind(document_id)
            .bind(tag)
            .execute(&mut **rec.tx())
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

/// Whether a slug is taken for a kind, read inside the write.
pub async fn slug_taken(
    rec: &mut Recorder,
    kind: DocKind,
    slug: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE kind = $1 AND slug = $2")
        .bind(kind)
        .bind(slug)
        .fetch_one(&mut **rec.tx())
        .await?;
    Ok(n > 0)
}
