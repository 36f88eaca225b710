//! `/access/schema.json`: the JSON Schema of access-management configurations, derived from
//! the types the server reads them into. The same for everyone and free of anything private, so
//! editors and other tools may fetch and cache it.

use axum::http::header;
use axum::response::IntoResponse;

/// How long clients may keep the schema: it changes only with a new release.
pub const SCHEMA_CACHE_CONTROL: &str = "public, max-age=3600";

/// The schema as JSON.
pub async fn schema() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/schema+json"),
            (header::CACHE_CONTROL, SCHEMA_CACHE_CONTROL),
        ],
        app::access::schema::schema_text(),
    )
}
