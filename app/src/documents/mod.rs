//! What every kind of document shares: revisions, workflow, lists, the editor, history,
//! comparisons and exports, with their pages, server functions and storage. A kind's own
//! fields and views come from its module through [`crate::kind::DocumentKind`]; nothing here
//! names a particular kind.
//!
//! - `model`: what pages show and forms send, shared by server and browser;
//! - `steps`: the workflow steps as stored;
//! - `store`: the tables (`documents`, revisions, workflow steps, tags) and lists;
//! - `reading`: what each page shows, after the permission check;
//! - `validate`: the rules a document's text meets, for the editor and the importer alike;
//! - `editing`, `workflow`, `import`: the three ways a document changes;
//! - `diff`, `export`: comparisons and Markdown files;
//! - `hooks`: what modules above do, in the same transaction, when readers' view of a document
//!   changes (approved, archived);
//! - `api`, `pages`: server functions and pages.

pub mod api;
#[cfg(feature = "ssr")]
pub mod diff;
#[cfg(feature = "ssr")]
pub mod editing;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod hooks;
#[cfg(feature = "ssr")]
pub mod import;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod reading;
pub mod steps;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod validate;
#[cfg(feature = "ssr")]
pub mod workflow;

pub use crate::kinds::DocKind;
pub use steps::WorkflowStep;
