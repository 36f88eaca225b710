//! What other modules do when readers' view of a document changes (a revision approved, the
//! document archived), in the same transaction as the change: deployment plan milestones
//! become events, for one. `documents` sits below the modules that follow it and must not name
//! them, so they are handed in by the composition root (`crate::install_hooks`) when the host
//! opens the database, and this module only calls what it was given.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use super::store::RevisionText;
use crate::db::Recorder;
use crate::kinds::DocKind;

/// How readers' view of a document changed.
#[derive(Clone, Copy, Debug)]
pub enum ReadersSee<'a> {
    /// This revision was approved: readers see it now.
    Approved(&'a RevisionText),
    /// The document was archived: readers see nothing until a revision is approved again.
    Nothing,
}

/// A document whose approved text changed, as a hook receives it.
#[derive(Clone, Copy, Debug)]
pub struct ReadersChanged<'a> {
    pub document_id: i64,
    pub kind: DocKind,
    pub slug: &'a str,
    pub org_id: i64,
    pub now: ReadersSee<'a>,
}

/// A hook's answer: a failure rolls the whole change back.
pub type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<(), sqlx::Error>> + Send + 'a>>;

/// Called inside the transaction that changed what readers see of a document, with its recorder
/// (the hook records its own changes).
pub type Hook = for<'a> fn(&'a mut Recorder, ReadersChanged<'a>) -> HookFuture<'a>;

static HOOKS: OnceLock<&'static [Hook]> = OnceLock::new();

/// Hands in the hooks; the first call wins, later ones (a second server in the same process,
/// in tests) change nothing.
pub fn install(hooks: &'static [Hook]) {
    let _ = HOOKS.set(hooks);
}

/// Runs every installed hook for this change.
pub(crate) async fn readers_changed(
    rec: &mut Recorder,
    change: ReadersChanged<'_>,
) -> Result<(), sqlx::Error> {
    for hook in HOOKS.get().copied().unwrap_or_default() {
        hook(rec, change).await?;
    }
    Ok(())
}
