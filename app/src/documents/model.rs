//! What the document pages show and what their forms send: shared by server and browser.

use serde::{Deserialize, Serialize};

use super::steps::WorkflowStep;
use crate::components::toc::TocEntry;
use crate::dates::Date;
use crate::kind::FormPart;
use crate::kinds::DocKind;
use crate::orgs::OrgRef;
use crate::permissions::{DocStatus, Visibility};

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
    pub updated: Date,
    pub tags: Vec<String>,
}

impl DocSummary {
    pub fn href(&self) -> String {
        self.kind.href(&self.slug)
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

/// A workflow step as shown to the people who work on the document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepInfo {
    pub step: WorkflowStep,
    pub actor: String,
    pub comment: String,
    /// Stored timestamp, `2026-03-01T10:00:00Z`.
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
    /// The workflow status of the newest revision for the people who work on the document;
    /// "published" for everyone else, who only ever read the approved revision.
    pub status: DocStatus,
    /// Whether readers can see a published revision.
    pub published: bool,
    /// Archived, and no revision approved since (told only to the people who work on it).
    pub archived: bool,
    /// Number of the revision shown.
    pub revision: i64,
    /// Id of the revision shown, sent back with workflow steps; only for the people who work on
    /// the document.
    pub revision_id: Option<i64>,
    /// Id of the newest revision; only for the people who work on the document.
    pub head_revision_id: Option<i64>,
    /// `Some` when a specific (possibly unpublished) revision is shown rather than the current page.
    pub viewing_revision: Option<i64>,
    pub updated: Date,
    pub review_by: Option<Date>,
    pub review_overdue: bool,
    /// Sanitised HTML of the body.
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// What the kind's own section of the page shows, as the kind made it.
    pub kind_page: serde_json::Value,
    pub actions: DocActions,
    /// A newer revision than the one shown; only for the people who work on the document.
    pub pending: Option<PendingRevision>,
    /// Only for the people who work on the document.
    pub last_step: Option<StepInfo>,
}

impl DocView {
    pub fn href(&self) -> String {
        self.kind.href(&self.slug)
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
    pub steps: Vec<StepInfo>,
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
    /// Too long to compare word by word: whole lines that differ are shown.
    pub by_lines: bool,
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

crate::coded_enum! {
    /// Which button of the editor was pressed.
    #[derive(Default)]
    pub enum Intent ("intent") {
        /// Save a draft revision.
        #[default]
        Save = "save", "Save draft";
        /// Save and send for review.
        Submit = "submit", "Save and send for review";
        /// Show the text as it will be published, saving nothing.
        Preview = "preview", "Preview";
    }
}

/// The editing form of any kind, exactly as typed, so it can be shown again with its errors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentForm {
    pub kind: DocKind,
    /// Empty for a new document.
    #[serde(default)]
    pub slug: String,
    /// The slug asked for when creating.
    #[serde(default)]
    pub new_slug: String,
    /// The head revision the author started from (0 for a new document).
    #[serde(default)]
    pub base_revision: i64,
    #[serde(default)]
    pub intent: Intent,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub topic: String,
    /// Comma-separated.
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub review_by: String,
    /// Email of the owner.
    #[serde(default)]
    pub owner: String,
    /// What changed, for the history.
    #[serde(default)]
    pub comment: String,
    /// The kind's own fields, by the names its form section uses.
    #[serde(flatten)]
    pub fields: FormPart,
}

impl DocumentForm {
    /// An empty form for a kind.
    pub fn new(kind: DocKind) -> Self {
        Self {
            kind,
            slug: String::new(),
            new_slug: String::new(),
            base_revision: 0,
            intent: Intent::Save,
            org: String::new(),
            title: String::new(),
            summary: String::new(),
            body: String::new(),
            topic: String::new(),
            tags: String::new(),
            visibility: String::new(),
            review_by: String::new(),
            owner: String::new(),
            comment: String::new(),
            fields: FormPart::new(),
        }
    }
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
    /// Archived, and no revision approved since.
    pub archived: bool,
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
    pub review_by: Option<Date>,
    pub updated: Date,
}

/// `/review`: documents awaiting approval and documents due for review, for the viewer's organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewQueue {
    pub awaiting_approval: Vec<QueueItem>,
    pub drafts: Vec<QueueItem>,
    pub due_for_review: Vec<QueueItem>,
    pub org_name: String,
    pub today: Date,
}
