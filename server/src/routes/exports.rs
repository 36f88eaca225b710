//! `/{kind}/{slug}/export.md`: a document as Markdown with front matter, the format
//! `trustshare import` reads; and `/{kind}/{slug}/export.{extension}` for the formats of a kind's
//! own (an access-management configuration as YAML or JSON), which it reads too.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use app::auth::session::viewer_of;
use app::documents::{export, DocKind};
use app::kind::FileFormat;
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

/// A document the caller may read, as a file of one of its kind's own formats.
pub async fn export_file(
    State(state): State<AppState>,
    session: Session,
    kind: DocKind,
    format: &'static FileFormat,
    Path(slug): Path<String>,
) -> Result<Response, ErrorResponse> {
    let viewer = viewer_of(&state, &session).await?;
    let text = export::export_file(&state.db, &viewer, kind, &slug, format).await?;
    let disposition = format!("attachment; filename=\"{slug}.{}\"", format.extension);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                format!("{}; charset=utf-8", format.content_type),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}
