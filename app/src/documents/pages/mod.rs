//! Pages shared by every kind of document: list, document, revision, history, comparison,
//! editor and the review queue.

mod document;
mod editor;
mod history;
mod list;
mod markdown_editor;

pub use document::{DocPage, DocumentView};
pub use editor::EditorPage;
pub use history::{DiffPage, HistoryPage, RevisionPage};
pub use list::{DocCard, DocListPage, ReviewPage};

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:slug` of the current address.
pub(crate) fn slug_param() -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("slug").unwrap_or_default()
}
