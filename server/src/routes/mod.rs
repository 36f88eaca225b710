//! Routes outside Leptos: document exports, the JSON API (documents and search) and the
//! iCalendar feeds of events. They ask the same permission module as the pages, so a document
//! or event one may not see answers 404 here too.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use app::error::AppError;
use app::kinds::DocKind;
use app::state::AppState;

pub mod api;
pub mod events;
pub mod exports;
pub mod limits;
pub mod search;

/// Every non-Leptos GET route, as registered; the permissions test checks it covers them all.
pub fn routes() -> Vec<String> {
    let mut routes = vec!["/healthz".to_owned()];
    routes.extend(DocKind::all().map(export_route));
    routes.extend([
        "/api/v1/search".to_owned(),
        "/api/v1/{kind}".to_owned(),
        "/api/v1/{kind}/{slug}".to_owned(),
        "/events.ics".to_owned(),
        "/orgs/{slug}/events.ics".to_owned(),
        // Answered by the `events::event_file` layer: the router cannot tell it from `/events/{id}`.
        "/events/{id}.ics".to_owned(),
    ]);
    routes
}

/// `/{kind path}/{slug}/export.md`.
fn export_route(kind: DocKind) -> String {
    format!("/{}/{{slug}}/export.md", kind.path())
}

/// The routes above, on the application state.
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for kind in DocKind::all() {
        router = router.route(
            &export_route(kind),
            get(move |state, session, slug| exports::export(state, session, kind, slug)),
        );
    }
    router
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/{kind}", get(api::list))
        .route("/api/v1/{kind}/{slug}", get(api::document))
        .route("/events.ics", get(events::feed))
        .route("/orgs/{slug}/events.ics", get(events::org_feed))
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
