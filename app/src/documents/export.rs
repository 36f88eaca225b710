//! Documents as Markdown files with YAML front matter: the format `trustshare import` reads, so
//! an exported document imports back as the same document.

use serde::{Deserialize, Serialize};

use super::store::{self, revisions, RevisionText};
use crate::dates::Date;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::kind::{FileFormat, FormPart};
use crate::kinds::DocKind;
use crate::permissions::{DocStatus, Viewer};
use crate::users::store as users;

/// The front matter of any kind of document: the common fields, and the kind's own by the names
/// its fields serialise to. Fields the kind does not have are refused on import.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocFrontMatter {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub organisation: String,
    /// The owner's email address: what the importer reads. Exports give it to signed-in
    /// members only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The owner's name, for people reading the file; the importer ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// The kind's own fields.
    #[serde(flatten)]
    pub fields: FormPart,
}

/// Everything an export needs besides the text.
pub struct ExportMeta<'a> {
    pub kind: DocKind,
    pub organisation: &'a str,
    pub owner_email: Option<&'a str>,
    pub owner_name: Option<&'a str>,
    pub status: DocStatus,
    pub updated: Date,
}

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// The document as a Markdown file with front matter.
pub fn to_markdown(meta: &ExportMeta<'_>, text: &RevisionText) -> AppResult<String> {
    let fields = meta.kind.spec().front_matter(&text.fields).map_err(|e| {
        tracing::error!("fields cannot be exported: {e}");
        AppError::Unreadable
    })?;
    let fm = DocFrontMatter {
        title: text.title.clone(),
        summary: some(&text.summary),
        organisation: meta.organisation.to_owned(),
        owner: meta.owner_email.map(str::to_owned),
        owner_name: meta.owner_name.map(str::to_owned),
        topic: some(&text.topic),
        tags: text.tags.clone(),
        visibility: Some(text.visibility.as_str().to_owned()),
        status: Some(meta.status.as_str().to_owned()),
        review_by: text.review_by.map(|d| d.to_string()),
        updated: Some(meta.updated.to_string()),
        fields,
    };
    let yaml = yaml_serde::to_string(&fm).map_err(|e| {
        tracing::error!("front matter cannot be written: {e}");
        AppError::Internal
    })?;
    let mut out = format!("---\n{yaml}---\n");
    if !text.body.is_empty() {
        out.push('\n');
        out.push_str(text.body.trim_end());
        out.push('\n');
    }
    Ok(out)
}

/// The revision an export gives: the approved one, for readers allowed to see it (the head of a
/// document never approved, for its organisation).
async fn exported(
    db: &Db,
    viewer: &Viewer,
    kind: DocKind,
    slug: &str,
) -> AppResult<(store::DocRow, i64, RevisionText)> {
    let row = store::find_readable(db, viewer, kind, slug)
        .await?
        .into_row();
    let revision_id = if viewer.can_edit_for(row.org_id) {
        row.published_revision_id.or(row.head_revision_id)
    } else {
        row.published_revision_id
    }
    .ok_or(AppError::NotFound)?;
    let revision = revisions::expect(db.pool(), revision_id).await?;
    let text = revision.text(kind)?;
    Ok((row, revision_id, text))
}

/// The document's fields as a file of one of its kind's own formats (an access-management
/// configuration as YAML or JSON), for the same readers and revision as [`export`].
pub async fn export_file(
    db: &Db,
    viewer: &Viewer,
    kind: DocKind,
    slug: &str,
    format: &FileFormat,
) -> AppResult<String> {
    let (_, _, text) = exported(db, viewer, kind, slug).await?;
    kind.spec().to_file(&text.fields, format).map_err(|e| {
        tracing::error!(kind = %kind, slug, "fields cannot be exported as {}: {e}", format.label);
        AppError::Unreadable
    })
}

/// The approved revision of a document as a Markdown file, for readers allowed to see it (the
/// head of a document never approved, for its organisation). Anonymous readers get the owner's
/// name; signed-in members also get the email address the importer needs.
pub async fn export(db: &Db, viewer: &Viewer, kind: DocKind, slug: &str) -> AppResult<String> {
    let (row, revision_id, text) = exported(db, viewer, kind, slug).await?;
    let owner = match text.owner_id {
        Some(id) => users::find_by_id(db.pool(), id).await?,
        None => None,
    };
    let status = if row.is_archived() {
        DocStatus::Archived
    } else if Some(revision_id) == row.published_revision_id {
        DocStatus::Published
    } else {
        row.status
    };
    let meta = ExportMeta {
        kind,
        organisation: &row.org_slug,
        owner_email: owner
            .as_ref()
            .filter(|_| viewer.can_see_people())
            .map(|u| u.email.as_str()),
        owner_name: owner.as_ref().map(|u| u.name.as_str()),
        status,
        updated: row.updated()?,
    };
    to_markdown(&meta, &text)
}
