//! The read-only JSON API: `/api/v1/{guides|plans|lessons}` and `/api/v1/{kind}/{slug}`.

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use tower_sessions::Session;

use app::auth::session::viewer_of;
use app::documents::model::{DocList, DocQuery, DocView};
use app::documents::store::{find_readable, lists};
use app::documents::{reading, DocKind};
use app::error::AppError;
use app::state::AppState;

use super::ErrorResponse;

fn kind_of(path: &str) -> Result<DocKind, ErrorResponse> {
    DocKind::from_path(path).ok_or(ErrorResponse(AppError::NotFound))
}

/// Query parameters of a list.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    tag: Option<String>,
    org: Option<String>,
    q: Option<String>,
    page: Option<i64>,
}

/// Published documents of a kind the caller may read.
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Path(kind): Path<String>,
    Query(params): Query<ListParams>,
) -> Result<Json<DocList>, ErrorResponse> {
    let kind = kind_of(&kind)?;
    let viewer = viewer_of(&state, &session).await?;
    let query = DocQuery {
        tag: params.tag,
        org: params.org,
        q: params.q,
        page: params.page.unwrap_or(1),
    };
    Ok(Json(lists::list(&state.db, &viewer, kind, &query).await?))
}

/// One document, as its page shows it.
pub async fn document(
    State(state): State<AppState>,
    session: Session,
    Path((kind, slug)): Path<(String, String)>,
) -> Result<Json<DocView>, ErrorResponse> {
    let kind = kind_of(&kind)?;
    let viewer = viewer_of(&state, &session).await?;
    let doc = find_readable(&state.db, &viewer, kind, &slug).await?;
    Ok(Json(
        reading::page(&state.db, &viewer, state.today(), doc).await?,
    ))
}
