//! Routes outside Leptos: document exports, the JSON API (documents and search), the
//! access-management configuration schema, file uploads into the editor, the iCalendar
//! feeds of events and the contact directory's vCards and CSV. They ask the same permission module as the pages, so a document or event
//! one may not see answers 404 here too.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use app::error::AppError;
use app::kind::FileFormat;
use app::kinds::DocKind;
use app::state::AppState;

pub mod access;
pub mod api;
pub mod contacts;
pub mod events;
pub mod exports;
pub mod limits;
pub mod search;
pub mod uploads;

/// Every non-Leptos GET route, as registered; the permissions test checks it covers them all.
pub fn routes() -> Vec<String> {
    let mut routes = vec!["/healthz".to_owned(), ACCESS_SCHEMA.to_owned()];
    routes.extend(DocKind::all().map(export_route));
    routes.extend(DocKind::all().flat_map(|kind| {
        kind.spec()
            .file_formats()
            .iter()
            .map(move |format| file_export_route(kind, format))
    }));
    routes.extend([
        "/api/v1/search".to_owned(),
        "/api/v1/{kind}".to_owned(),
        "/api/v1/{kind}/{slug}".to_owned(),
        "/events.ics".to_owned(),
        "/orgs/{slug}/events.ics".to_owned(),
        "/plans/{slug}/events.ics".to_owned(),
        FEED_TOKEN_ROUTE.to_owned(),
        // Answered by the `events::event_file` layer: the router cannot tell it from `/events/{id}`.
        "/events/{id}.ics".to_owned(),
        contacts::LIST_VCARD.to_owned(),
        contacts::LIST_CSV.to_owned(),
        // Answered by the `contacts::gate` layer, like `/events/{id}.ics`.
        "/contacts/{slug}.vcf".to_owned(),
    ]);
    routes
}

/// A secret calendar feed address (see `events::token_feed`).
pub const FEED_TOKEN_ROUTE: &str = "/feeds/{token}/events.ics";

/// The access-management configuration schema: public, and cacheable (see `security`).
pub const ACCESS_SCHEMA: &str = "/access/schema.json";

/// `/{kind path}/{slug}/export.md`.
fn export_route(kind: DocKind) -> String {
    format!("/{}/{{slug}}/export.md", kind.path())
}

/// `/{kind path}/{slug}/export.{extension}`, for a format of the kind's own.
fn file_export_route(kind: DocKind, format: &FileFormat) -> String {
    format!("/{}/{{slug}}/export.{}", kind.path(), format.extension)
}

/// Every non-Leptos POST route, as registered; the permissions test checks it covers them all.
pub fn post_routes() -> Vec<String> {
    vec![uploads::UPLOAD.to_owned(), contacts::UPLOAD.to_owned()]
}

/// The routes above, on the application state.
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for kind in DocKind::all() {
        router = router.route(
            &export_route(kind),
            get(move |state, session, slug| exports::export(state, session, kind, slug)),
        );
        for format in kind.spec().file_formats() {
            router = router.route(
                &file_export_route(kind, format),
                get(move |state, session, slug| {
                    exports::export_file(state, session, kind, format, slug)
                }),
            );
        }
    }
    router
        .route(ACCESS_SCHEMA, get(access::schema))
        .route(uploads::UPLOAD, post(uploads::upload))
        .route(contacts::UPLOAD, post(contacts::upload))
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/{kind}", get(api::list))
        .route("/api/v1/{kind}/{slug}", get(api::document))
        .route("/events.ics", get(events::feed))
        .route("/orgs/{slug}/events.ics", get(events::org_feed))
        .route("/plans/{slug}/events.ics", get(events::plan_feed))
        .route(FEED_TOKEN_ROUTE, get(events::token_feed))
        .route(contacts::LIST_VCARD, get(contacts::list_vcard))
        .route(contacts::LIST_CSV, get(contacts::list_csv))
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
