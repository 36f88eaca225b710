//! Full-text search over every kind of document, on tantivy.
//!
//! - `model`: what a search asks and answers (shared by the page, server functions and JSON API);
//! - `query`: the search language, read leniently (any text is a search);
//! - `schema`: what the index stores per document, and how text is split into words;
//! - `synonyms`: the synonym list (`synonyms.txt`, compiled in);
//! - `source`: what the indexer reads from the database;
//! - `access`: the read rule as a query on the index (`permissions::AccessFilter`);
//! - `engine`: the index in the data folder, its writer and reader ([`Engine`]);
//! - `indexer`: rebuilding the index and following the change log;
//! - `run`: running a search, permission-filtered, with facets, snippets and suggestions;
//! - `api` and `page`: the server functions and `/search`;
//! - `suggest`: the header's search field, which suggests documents as you type.
//!
//! The database is the source of truth. The index follows `change_log` and records how far it
//! got in its commit payload, so it is repaired after a crash by replaying from there, and
//! rebuilt in the background when it is missing, damaged or from another version. Every
//! search is filtered by the viewer's read rule in the index (`permissions::AccessFilter`), and
//! the page of results shown is checked against the database once more.
//!
//! Without the web server (benchmarks, the `reindex` command):
//!
//! ```ignore
//! let engine = app::search::Engine::open(data_dir.join("search"))?;
//! engine.build_from(&db).await?;
//! let results = engine.search(&Viewer::anonymous(), &SearchQuery::text("smart cards"))?;
//! ```

pub mod api;
pub mod model;
pub mod page;
pub mod suggest;

#[cfg(feature = "ssr")]
mod access;
#[cfg(feature = "ssr")]
mod engine;
#[cfg(feature = "ssr")]
mod indexer;
#[cfg(feature = "ssr")]
mod near;
#[cfg(feature = "ssr")]
pub mod query;
#[cfg(feature = "ssr")]
mod run;
#[cfg(feature = "ssr")]
pub mod schema;
#[cfg(feature = "ssr")]
mod source;
#[cfg(feature = "ssr")]
mod synonyms;
#[cfg(test)]
#[cfg(feature = "ssr")]
mod tests;

#[cfg(feature = "ssr")]
pub use access::access_matches;
#[cfg(feature = "ssr")]
pub use engine::{Engine, SearchError};
#[cfg(feature = "ssr")]
pub use indexer::POLL_INTERVAL;
pub use model::{SearchQuery, SearchResults};

#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Arc;

    use super::engine::Engine;
    use super::model::{PreviewHit, SearchQuery, SearchResults};
    use super::source;
    use crate::error::{AppError, AppResult};
    use crate::permissions::Viewer;
    use crate::state::AppState;

    /// The engine the host started.
    pub fn engine(state: &AppState) -> AppResult<Arc<Engine>> {
        state.search.get::<Engine>().ok_or_else(|| {
            tracing::error!("no search engine in the application state");
            AppError::Internal
        })
    }

    /// A search as `viewer`, as the page and the JSON API answer it. The page of results is
    /// checked against the database too: a document whose access changed a moment ago, before
    /// the index caught up, is left out, and the index is brought up to date and asked again
    /// (once), so that the counts are right too.
    pub async fn results(
        state: &AppState,
        viewer: &Viewer,
        query: SearchQuery,
    ) -> AppResult<SearchResults> {
        let engine = engine(state)?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (searcher, who, asked) = (engine.clone(), viewer.clone(), query.clone());
            let found = tokio::task::spawn_blocking(move || searcher.search_with_ids(&who, &asked))
                .await??;
            let mut results = found.results;
            let now = source::access_now(&state.db, &found.ids).await?;
            let rule = viewer.search_filter(found.drafts);
            let shown = results.hits.len();
            let mut hits = Vec::with_capacity(shown);
            for (hit, id) in results.hits.into_iter().zip(found.ids) {
                if now.get(&id).is_some_and(|access| rule.allows(access)) {
                    hits.push(hit);
                }
            }
            results.hits = hits;
            if results.hits.len() == shown || attempt > 1 {
                return Ok(results);
            }
            engine.apply_changes(&state.db).await?;
        }
    }

    /// Up to `limit` best matches for `q`, for search as you type: no counts, facets or
    /// snippets; the same read rule and database check as [`results`].
    pub async fn preview(
        state: &AppState,
        viewer: &Viewer,
        q: String,
        limit: usize,
    ) -> AppResult<Vec<PreviewHit>> {
        let engine = engine(state)?;
        let who = viewer.clone();
        let found = tokio::task::spawn_blocking(move || engine.preview(&who, &q, limit)).await??;
        let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
        let now = source::access_now(&state.db, &ids).await?;
        let rule = viewer.search_filter(false);
        Ok(found
            .into_iter()
            .filter(|(id, _)| now.get(id).is_some_and(|access| rule.allows(access)))
            .map(|(_, hit)| hit)
            .collect())
    }
}
