//! `GET /api/v1/search`: the results of `/search` as JSON, for the same parameters; and the
//! wake-up that lets the search indexer see a write at once instead of at its next poll.

use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use axum::Json;
use tower_sessions::Session;

use app::auth::session::viewer_of;
use app::search::{Engine, SearchQuery, SearchResults};
use app::state::AppState;

use super::ErrorResponse;

/// Search results as JSON: `q`, `sort` (`relevance` or `date`), `page`, `drafts=yes`, and any
/// facet as `name=value` (`kind`, `org`, `nation`, `tag`, `year`, `phase`).
pub async fn search(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<SearchResults>, ErrorResponse> {
    let viewer = viewer_of(&state, &session).await?;
    let query = SearchQuery::from_params(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    Ok(Json(app::search::results(&state, &viewer, query).await?))
}

/// After a request that may have written (anything but GET and HEAD), wakes the indexer. It
/// also looks every few hundred milliseconds, so this only makes a change searchable sooner.
pub async fn wake_after_writes(
    State(engine): State<Arc<Engine>>,
    request: Request,
    next: Next,
) -> Response {
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD);
    let response = next.run(request).await;
    if writes {
        engine.wake();
    }
    response
}
