//! What other modules do when readers' view of a document changes (a revision approved, the
//! document archived), in the same transaction as the change: deployment plan milestones
//! become events, for one. `documents` sits below the modules that follow it and must not name
//! them, so they are handed in by the composition root (`crate::install_hooks`) when the host
//! opens the database, and this module only calls what it was given. The same goes for live
//! references in a document's text (`{{rule MFA-01}}`), which refer to things above it.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use super::store::RevisionText;
use crate::dates::Date;
use crate::db::{Db, Recorder};
use crate::error::AppResult;
use crate::kinds::DocKind;
use crate::markdown::{Resolved, Shortcode};
use crate::permissions::Viewer;

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

/// Live references in documents' text (`{{rule MFA-01}}`), handed in by the module that knows
/// what they refer to: which names it answers, whether one written in a text refers to
/// something that exists, and what each means to one reader.
pub struct References {
    /// The shortcode names it answers (`rule`, `setting`).
    pub names: &'static [&'static str],
    /// `Err` says why a shortcode refers to nothing.
    pub check: fn(&Shortcode) -> Result<(), String>,
    /// The HTML each shortcode stands for, for this viewer, as of the day.
    pub resolve: for<'a> fn(&'a Db, &'a Viewer, Date, &'a [Shortcode]) -> ResolveFuture<'a>,
}

/// What [`References::resolve`] answers.
pub type ResolveFuture<'a> = Pin<Box<dyn Future<Output = AppResult<Resolved>> + Send + 'a>>;

static REFERENCES: OnceLock<References> = OnceLock::new();

/// Hands in the live references; the first call wins, as for [`install`].
pub fn install_references(references: References) {
    let _ = REFERENCES.set(references);
}

/// The shortcodes in a text with the line each is on; none when nothing answers them.
pub(crate) fn shortcodes_in(text: &str) -> Vec<(Shortcode, usize)> {
    REFERENCES
        .get()
        .map(|r| crate::markdown::shortcodes(text, r.names))
        .unwrap_or_default()
}

/// Why a shortcode refers to nothing, if it does.
pub(crate) fn check_reference(code: &Shortcode) -> Result<(), String> {
    match REFERENCES.get() {
        Some(r) => (r.check)(code),
        None => Ok(()),
    }
}

/// The text rendered for this viewer, each shortcode resolved.
pub(crate) async fn render_for(
    db: &Db,
    viewer: &Viewer,
    today: Date,
    text: &str,
) -> AppResult<crate::markdown::Rendered> {
    let found = shortcodes_in(text);
    let Some(references) = REFERENCES.get().filter(|_| !found.is_empty()) else {
        return Ok(crate::markdown::render(text));
    };
    let mut codes: Vec<Shortcode> = found.into_iter().map(|(code, _)| code).collect();
    codes.sort_by(|a, b| (&a.name, &a.argument).cmp(&(&b.name, &b.argument)));
    codes.dedup();
    let resolved = (references.resolve)(db, viewer, today, &codes).await?;
    Ok(crate::markdown::render_resolving(text, &resolved))
}
