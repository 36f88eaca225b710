//! `/{kind}/{slug}/export.md`: a document as Markdown with front matter, the format
//! `trustshare import` reads.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use app::auth::session::viewer_of;
use app::documents::{export, DocKind};
use app::state::AppState;

use super::ErrorResponse;

/// A document the caller may read, as a Markdown file.
pub async fn export(
    State(state): State<AppState>,
    session: Session,
    kind: DocKind,
    Path(slug): Path<String>,
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
