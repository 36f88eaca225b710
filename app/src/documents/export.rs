//! Documents as Markdown files with YAML front matter: the format `trustshare import` reads, so
//! an exported document imports back as the same document.

use serde::{Deserialize, Serialize};

use super::fields::{DocFields, Phase, Risk, Scope};
use super::store::{self, Content};
use super::{DocKind, DocStatus};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::permissions::Viewer;
use crate::users::store as users;

/// The front matter of any kind of document. Fields of other kinds are refused on import.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocFrontMatter {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
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
    // Deployment plans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiative: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phases: Option<Vec<Phase>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risks: Option<Vec<Risk>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<String>>,
    // Lessons learned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_happened: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_worked: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub do_differently: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related: Option<Vec<String>>,
}

impl DocFrontMatter {
    /// Names of fields that belong to another kind of document than `kind`.
    pub fn foreign_fields(&self, kind: DocKind) -> Vec<&'static str> {
        let plan = [
            ("initiative", self.initiative.is_some()),
            ("product", self.product.is_some()),
            ("product_version", self.product_version.is_some()),
            ("scope", self.scope.is_some()),
            ("phases", self.phases.is_some()),
            ("risks", self.risks.is_some()),
            ("contacts", self.contacts.is_some()),
        ];
        let lesson = [
            ("phase", self.phase.is_some()),
            ("context", self.context.is_some()),
            ("what_happened", self.what_happened.is_some()),
            ("what_worked", self.what_worked.is_some()),
            ("do_differently", self.do_differently.is_some()),
            ("recommendation", self.recommendation.is_some()),
            ("related", self.related.is_some()),
        ];
        let mut foreign = Vec::new();
        if kind != DocKind::Plan {
            foreign.extend(
                plan.iter()
                    .filter(|(_, present)| *present)
                    .map(|(name, _)| *name),
            );
        }
        if kind != DocKind::Lesson {
            foreign.extend(
                lesson
                    .iter()
                    .filter(|(_, present)| *present)
                    .map(|(name, _)| *name),
            );
        }
        foreign
    }
}

/// Everything an export needs besides the content.
pub struct ExportMeta<'a> {
    pub kind: DocKind,
    pub organisation: &'a str,
    pub owner_email: Option<&'a str>,
    pub status: DocStatus,
    /// `YYYY-MM-DD`.
    pub updated: &'a str,
}

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// The document as a Markdown file with front matter.
pub fn to_markdown(meta: &ExportMeta<'_>, content: &Content) -> String {
    let mut fm = DocFrontMatter {
        title: content.title.clone(),
        summary: some(&content.summary),
        organisation: meta.organisation.to_owned(),
        owner: meta.owner_email.map(str::to_owned),
        topic: some(&content.topic),
        tags: content.tags.clone(),
        visibility: Some(content.visibility.as_str().to_owned()),
        status: Some(meta.status.as_str().to_owned()),
        review_by: content.review_by.clone(),
        updated: some(meta.updated),
        ..Default::default()
    };
    match DocFields::parse(meta.kind, &content.fields) {
        DocFields::Guide => {}
        DocFields::Plan(p) => {
            fm.initiative = Some(p.initiative);
            fm.product = Some(p.product);
            fm.product_version = Some(p.product_version);
            fm.scope = Some(p.scope);
            fm.phases = Some(p.phases);
            fm.risks = Some(p.risks);
            fm.contacts = (!p.contacts.is_empty()).then_some(p.contacts);
        }
        DocFields::Lesson(l) => {
            fm.phase = Some(l.phase.as_str().to_owned());
            fm.context = Some(l.context);
            fm.what_happened = Some(l.what_happened);
            fm.what_worked = Some(l.what_worked);
            fm.do_differently = Some(l.do_differently);
            fm.recommendation = Some(l.recommendation);
            fm.related = Some(l.related);
        }
    }
    let yaml = serde_yaml::to_string(&fm).unwrap_or_default();
    let mut out = format!("---\n{yaml}---\n");
    if !content.body.is_empty() {
        out.push('\n');
        out.push_str(content.body.trim_end());
        out.push('\n');
    }
    out
}

/// The approved revision of a document as a Markdown file, for readers allowed to see it.
pub async fn export(db: &Db, viewer: &Viewer, kind: DocKind, slug: &str) -> AppResult<String> {
    let row = store::find_readable(db, viewer, kind, slug).await?;
    let revision_id = if viewer.can_edit_for(row.org_id) {
        row.published_revision_id.or(row.head_revision_id)
    } else {
        row.published_revision_id
    }
    .ok_or(AppError::NotFound)?;
    let revision = store::revision_by_id(db.pool(), revision_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let content = revision.content();
    let owner = match content.owner_id {
        Some(id) => users::find_by_id(db.pool(), id).await?.map(|u| u.email),
        None => None,
    };
    let status =
        if Some(revision_id) == row.published_revision_id && row.status() != DocStatus::Archived {
            DocStatus::Published
        } else {
            row.status()
        };
    let updated: String = row.updated_at.chars().take(10).collect();
    let meta = ExportMeta {
        kind,
        organisation: &row.org_slug,
        owner_email: owner.as_deref(),
        status,
        updated: &updated,
    };
    Ok(to_markdown(&meta, &content))
}
