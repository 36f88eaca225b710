//! `/{kind}/{slug}/export.md`: a document as Markdown with front matter, the format
//! `trustshare import` reads.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use app::documents::{export, DocKind};
use app::permissions::viewer_of;
use app::state::AppState;

use super::ErrorResponse;

async fn export(
    state: AppState,
    session: Session,
    kind: DocKind,
    slug: String,
) -> Result<Response, ErrorResponse> {
    let viewer = viewer_of(&state, &session).await?;
    let markdown = export::export(&state.db, &viewer, kind, &slug).await?;
    let disposition = format!("attachment; filename=\"{slug}.md\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        markdown,
    )
        .into_response())
}

pub async fn guide(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Response, ErrorResponse> {
    export(state, session, DocKind::Guide, slug).await
}

pub async fn plan(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Response, ErrorResponse> {
    export(state, session, DocKind::Plan, slug).await
}

pub async fn lesson(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Response, ErrorResponse> {
    export(state, session, DocKind::Lesson, slug).await
}
