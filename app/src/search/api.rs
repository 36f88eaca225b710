//! Search's server functions: the results page's data, and a cheap preview for search as you
//! type. Both search as the request's viewer.

use leptos::prelude::*;

use super::model::{PreviewHit, SearchQuery, SearchResults};
use crate::error::AppError;

/// Results of a search, as the `/search` page shows them.
#[server(endpoint = "search/results")]
pub async fn search(query: SearchQuery) -> Result<SearchResults, AppError> {
    use crate::auth::session::viewer;
    use crate::state::app_state;
    let state = app_state()?;
    super::results(&state, &viewer().await?, query).await
}

/// At most eight best matches for what has been typed so far (the last word also matches as
/// the start of a longer one): title, kind, organisation and address, for a search box that
/// suggests as you type.
#[server(endpoint = "search/preview")]
pub async fn search_preview(q: String) -> Result<Vec<PreviewHit>, AppError> {
    use super::model::PREVIEW_LIMIT;
    use crate::auth::session::viewer;
    use crate::state::app_state;
    let state = app_state()?;
    super::preview(&state, &viewer().await?, q, PREVIEW_LIMIT).await
}
