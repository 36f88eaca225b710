//! Routes outside Leptos: document exports and the JSON API. Both ask the same permission
//! module as the pages, so a document one may not see answers 404 here too.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use app::error::AppError;
use app::state::AppState;

pub mod api;
pub mod exports;
pub mod limits;

/// Every non-Leptos GET route, as registered; the permissions test checks it covers them all.
pub const ROUTES: &[&str] = &[
    "/healthz",
    "/guides/{slug}/export.md",
    "/plans/{slug}/export.md",
    "/lessons/{slug}/export.md",
    "/api/v1/{kind}",
    "/api/v1/{kind}/{slug}",
];

/// The routes above, on the application state.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/guides/{slug}/export.md", get(exports::guide))
        .route("/plans/{slug}/export.md", get(exports::plan))
        .route("/lessons/{slug}/export.md", get(exports::lesson))
        .route("/api/v1/{kind}", get(api::list))
        .route("/api/v1/{kind}/{slug}", get(api::document))
}

/// An application error as an HTTP answer; internal details stay in the log.
pub struct ErrorResponse(pub AppError);

impl From<AppError> for ErrorResponse {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ErrorResponse {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({ "error": self.0.to_string() });
        (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    }
}
