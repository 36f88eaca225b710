//! Request guards and response headers that protect every route, Leptos or not.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The origins a state-changing request may come from.
#[derive(Clone, Debug)]
pub struct AllowedOrigin {
    /// `scheme://host[:port]` of the public URL, when configured.
    pub public_origin: Option<String>,
}

/// Refuses state-changing requests (POST, PUT, PATCH, DELETE), server functions included, that a
/// browser says come from another site. Requests without Origin or Fetch-Metadata headers come
/// from non-browser clients, which cannot carry a victim's cookies, and pass.
pub async fn refuse_cross_origin(
    State(allowed): State<AllowedOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if is_safe_method(request.method()) || same_origin(request.headers(), &allowed) {
        next.run(request).await
    } else {
        tracing::warn!(
            method = %request.method(),
            path = %request.uri().path(),
            origin = ?request.headers().get(header::ORIGIN),
            "refused cross-origin request"
        );
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Forbidden: this form was sent from another website. Go back to Trustshare and try again.",
        )
            .into_response()
    }
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn same_origin(headers: &HeaderMap, allowed: &AllowedOrigin) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin") | Ok("none"));
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    if allowed.public_origin.as_deref() == Some(origin) {
        return true;
    }
    // Without a configured public URL, the origin must name the host the request was sent to.
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (host, origin.split_once("://")) {
        (Some(host), Some((scheme, rest))) => {
            (scheme == "http" || scheme == "https") && rest == host
        }
        _ => false,
    }
}

/// Headers on every response: no sniffing, no framing, no referrer leaks, a content policy
/// that only lets our own scripts, styles and images load.
pub async fn security_headers(request: Request<Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "x-frame-options", "DENY");
    set(headers, "referrer-policy", "same-origin");
    set(headers, "cross-origin-opener-policy", "same-origin");
    set(
        headers,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    // Pages replace this with a policy that also admits their nonce-carrying islands loader.
    set(
        headers,
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; \
         img-src 'self' https: data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let none = AllowedOrigin {
            public_origin: None,
        };
        assert!(same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            &none
        ));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            &none
        ));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "same-site")]),
            &none
        ));
    }

    #[test]
    fn origin_must_match_host_or_public_url() {
        let none = AllowedOrigin {
            public_origin: None,
        };
        assert!(same_origin(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            &none
        ));
        assert!(!same_origin(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            &none
        ));
        assert!(!same_origin(
            &headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]),
            &none
        ));
        let public = AllowedOrigin {
            public_origin: Some("https://trustshare.example".into()),
        };
        assert!(same_origin(
            &headers(&[
                ("origin", "https://trustshare.example"),
                ("host", "10.0.0.1")
            ]),
            &public
        ));
    }

    #[test]
    fn requests_without_browser_headers_pass() {
        assert!(same_origin(
            &HeaderMap::new(),
            &AllowedOrigin {
                public_origin: None
            }
        ));
    }
}
