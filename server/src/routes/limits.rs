//! Size limits with clear answers: a request body over the HTTP limit, or a document text over
//! the Markdown limit, gets a 413 page that says what the limit is. Nothing is stored.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::limits::MAX_BODY_BYTES;

/// Largest request body accepted at all (a form with a full-size text, URL-encoded).
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;

/// The form field holding a document's Markdown text.
const BODY_FIELD: &str = "form[body]";

fn too_large(detail: String) -> Response {
    let limit = MAX_BODY_BYTES / 1024;
    let page = format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>The text is too long – Trustshare</title><link rel=\"stylesheet\" href=\"/pkg/trustshare.css\"></head><body>\
         <header class=\"nhsuk-header\" role=\"banner\"><div class=\"nhsuk-header__container nhsuk-width-container\"><div class=\"nhsuk-header__service\">\
         <a class=\"nhsuk-header__service-logo\" href=\"/\"><span class=\"nhsuk-header__service-name\">Trustshare</span></a></div></div></header>\
         <div class=\"nhsuk-width-container\"><main class=\"nhsuk-main-wrapper\" id=\"maincontent\">\
         <h1>The text is too long</h1><p>{detail}</p><p>A document's text can be at most {limit} KiB. Nothing was saved.</p>\
         <p>Go back to keep what you typed, then shorten it or split it into several documents.</p>\
         </main></div></body></html>"
    );
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

/// Refuses oversized posts with the 413 page; checks the Markdown field of form posts.
pub async fn enforce(request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_REQUEST_BYTES) {
        return too_large(format!(
            "The form sent was {} KiB.",
            declared.unwrap_or_default() / 1024
        ));
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    // A decoded field is never longer than the encoded body, so only bodies over the text
    // limit need reading here; sign-ins and workflow buttons pass straight through.
    let could_hold_long_text = declared.is_none_or(|n| n > MAX_BODY_BYTES);
    if !is_form || !could_hold_long_text {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, MAX_REQUEST_BYTES).await {
        Ok(b) => b,
        Err(_) => return too_large("The form sent was larger than the portal accepts.".into()),
    };
    let text_len = form_urlencoded::parse(&bytes)
        .filter(|(name, _)| name == BODY_FIELD)
        .map(|(_, value)| value.len())
        .max()
        .unwrap_or(0);
    if text_len > MAX_BODY_BYTES {
        return too_large(format!("Your text is {} KiB.", text_len / 1024));
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
