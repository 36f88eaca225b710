//! What the document pages show and what their forms send: shared by server and browser.

use serde::{Deserialize, Serialize};

use super::fields::{LessonPhase, PlanFields};
use super::{DocKind, DocStatus, Visibility};
use crate::components::toc::TocEntry;
use crate::orgs::OrgRef;

/// Documents shown on one page of a list.
pub const PER_PAGE: i64 = 10;

/// A document as listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocSummary {
    pub kind: DocKind,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub org: OrgRef,
    pub topic: String,
    /// `YYYY-MM-DD`.
    pub updated: String,
    pub tags: Vec<String>,
}

impl DocSummary {
    pub fn href(&self) -> String {
        format!("/{}/{}", self.kind.path(), self.slug)
    }
}

/// Filters of a document list, as given in its address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocQuery {
    pub tag: Option<String>,
    pub org: Option<String>,
    pub q: Option<String>,
    pub page: i64,
}

/// A count of documents sharing a value, for the filter panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Facet {
    pub value: String,
    pub label: String,
    pub count: i64,
}

/// One page of a document list with its filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocList {
    pub items: Vec<DocSummary>,
    pub total: i64,
    pub page: i64,
    /// Number of pages, at least one.
    pub pages: i64,
    pub tags: Vec<Facet>,
    pub orgs: Vec<Facet>,
}

/// A lesson's account, rendered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonView {
    pub phase: LessonPhase,
    /// (heading, sanitised HTML) in reading order; empty sections left out.
    pub sections: Vec<(String, String)>,
    /// (address, title) of the plans and guides it concerns that the viewer may read.
    pub related: Vec<(String, String)>,
}

/// Kind-specific content of a document page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ExtraView {
    Guide,
    Plan(PlanFields),
    Lesson(LessonView),
}

/// What the viewer may do with a document, decided by the permission module.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocActions {
    pub edit: bool,
    pub submit: bool,
    pub approve: bool,
    pub send_back: bool,
    pub archive: bool,
    /// Sees drafts and reviews, not only published revisions.
    pub see_drafts: bool,
}

/// The newest workflow step, shown to the people who work on the document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventInfo {
    pub action: String,
    pub actor: String,
    pub comment: String,
    pub at: String,
}

/// A revision newer than the one readers see, for the people who work on the document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingRevision {
    pub number: i64,
    pub status: DocStatus,
    pub author: String,
}

/// Everything a document page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocView {
    pub kind: DocKind,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub org: OrgRef,
    pub owner: Option<String>,
    pub topic: String,
    pub tags: Vec<String>,
    pub visibility: Visibility,
    pub status: DocStatus,
    /// Whether readers can see a published revision.
    pub published: bool,
    /// Number of the revision shown.
    pub revision: i64,
    /// Id of the revision shown, sent back with workflow steps.
    pub revision_id: i64,
    /// Id of the newest revision.
    pub head_revision_id: i64,
    /// `Some` when a specific (possibly unpublished) revision is shown rather than the current page.
    pub viewing_revision: Option<i64>,
    pub updated: String,
    pub review_by: Option<String>,
    pub review_overdue: bool,
    /// Sanitised HTML of the body.
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub extra: ExtraView,
    pub actions: DocActions,
    pub pending: Option<PendingRevision>,
    pub last_event: Option<EventInfo>,
}

impl DocView {
    pub fn href(&self) -> String {
        format!("/{}/{}", self.kind.path(), self.slug)
    }
}

/// One line of a document's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionInfo {
    pub number: i64,
    pub author: String,
    pub at: String,
    pub comment: String,
    pub published: bool,
    pub current: bool,
}

/// `/{kind}/{slug}/history`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryView {
    pub kind: DocKind,
    pub slug: String,
    pub title: String,
    pub revisions: Vec<RevisionInfo>,
    pub events: Vec<EventInfo>,
    pub can_restore: bool,
}

/// A run of words in a comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffPart {
    Same(String),
    Added(String),
    Removed(String),
}

/// A field compared between two revisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDiff {
    pub field: String,
    pub parts: Vec<DiffPart>,
}

/// `/{kind}/{slug}/diff`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffView {
    pub kind: DocKind,
    pub slug: String,
    pub title: String,
    pub from: i64,
    pub to: i64,
    pub numbers: Vec<i64>,
    /// Only the fields that differ.
    pub fields: Vec<FieldDiff>,
}

/// A milestone row of the plan form; every value as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MilestoneRow {
    pub phase: String,
    pub name: String,
    pub baseline: String,
    pub forecast: String,
    pub status: String,
}

/// A risk row of the plan form; every value as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskRow {
    pub description: String,
    pub likelihood: String,
    pub impact: String,
    pub owner: String,
    pub mitigation: String,
}

/// The editing form of any kind, exactly as typed, so it can be shown again with its errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentForm {
    pub kind: String,
    /// Empty for a new document.
    pub slug: String,
    /// The slug asked for when creating.
    pub new_slug: String,
    /// The head revision the author started from (0 for a new document).
    pub base_revision: i64,
    /// `save`, `preview` or `submit`.
    pub intent: String,
    pub org: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub topic: String,
    /// Comma-separated.
    pub tags: String,
    pub visibility: String,
    pub review_by: String,
    /// Email of the owner.
    pub owner: String,
    /// What changed, for the history.
    pub comment: String,
    pub initiative: String,
    pub product: String,
    pub product_version: String,
    /// One per line.
    pub sites: String,
    /// One per line.
    pub departments: String,
    pub users: String,
    pub workstations: String,
    pub milestones: Vec<MilestoneRow>,
    pub risks: Vec<RiskRow>,
    pub phase: String,
    pub context: String,
    pub what_happened: String,
    pub what_worked: String,
    pub do_differently: String,
    pub recommendation: String,
    /// One `guides/slug` or `plans/slug` per line.
    pub related: String,
}

pub use crate::components::form::FormError;

/// Someone saved a newer revision while the author was editing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub their_revision: i64,
    pub their_author: String,
    /// Their text beside the author's, compared.
    pub fields: Vec<FieldDiff>,
}

/// What the editor page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorData {
    pub kind: DocKind,
    /// `None` when creating.
    pub slug: Option<String>,
    pub title: String,
    pub form: DocumentForm,
    pub errors: Vec<FormError>,
    pub conflict: Option<Conflict>,
    /// Sanitised HTML of the body, after "Preview".
    pub preview_html: Option<String>,
    /// Organisations the author may write for (slug, name).
    pub orgs: Vec<OrgRef>,
    pub status: Option<DocStatus>,
    pub max_body_kib: usize,
}

/// A document waiting for someone, on `/review`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub kind: DocKind,
    pub slug: String,
    pub title: String,
    pub org: OrgRef,
    pub status: DocStatus,
    pub review_by: Option<String>,
    pub updated: String,
}

/// `/review`: documents awaiting approval and documents due for review, for the viewer's organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewQueue {
    pub awaiting_approval: Vec<QueueItem>,
    pub drafts: Vec<QueueItem>,
    pub due_for_review: Vec<QueueItem>,
    pub org_name: String,
    pub today: String,
}
