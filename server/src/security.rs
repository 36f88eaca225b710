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

/// What the response headers depend on in the configuration.
#[derive(Clone, Copy, Debug, Default)]
pub struct HeaderPolicy {
    /// The public URL is https: tell browsers never to use plain http for it again.
    pub hsts: bool,
}

/// One year, subdomains included: what the NCSC and the HSTS preload list ask for.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Whether a path is one of the built files (stylesheet, wasm bundle, images, fonts), the same
/// for everyone and so fit for caching.
fn is_static_asset(path: &str) -> bool {
    ["/pkg", "/assets"].iter().any(|dir| {
        path.strip_prefix(dir)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Headers on every response: no sniffing, no framing, no referrer leaks, a content policy
/// that only lets our own scripts, styles and images load, HSTS behind https, and no caching of
/// anything but the built static files.
///
/// Caching: pages, server functions, Markdown exports, the JSON API and error answers all get
/// `Cache-Control: no-store`, signed in or not. Most of them show who is signed in or depend on
/// it (the header, the documents one may see), a page fetched anonymously may be fetched again
/// on the same shared clinical workstation by the next person, and telling the personal
/// responses apart per request would put the one rule that matters here in many places. The
/// built files, identical for everyone, are cached: those named after their content
/// (`site::is_fingerprinted`) for a year without asking again (`immutable`), the others
/// (images, icons, files of an unfingerprinted build) checked with the validators their file
/// server sets (`no-cache`). The access-management configuration schema, identical for
/// everyone, keeps its own `Cache-Control`.
pub async fn security_headers(
    State(policy): State<HeaderPolicy>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let asset_caching = if crate::site::is_fingerprinted(path) {
        Some("public, max-age=31536000, immutable")
    } else if is_static_asset(path) {
        Some("no-cache")
    } else {
        None
    };
    let cacheable = asset_caching.is_some() || path == crate::routes::ACCESS_SCHEMA;
    let mut response = next.run(request).await;
    let status = response.status();
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
    if !cacheable {
        // Replaces whatever a handler set: nothing personal may be kept.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if let Some(caching) = asset_caching {
        // A missing file is not kept: the next build may bring it.
        let found = status.is_success() || status == StatusCode::NOT_MODIFIED;
        let caching = if found { caching } else { "no-store" };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(caching));
    }
    if policy.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

/// The host every request must name when a public URL is configured.
#[derive(Clone, Debug, Default)]
pub struct AllowedHost {
    /// `host[:port]` of the public URL, lower-case, without the scheme's default port.
    host: Option<String>,
    https: bool,
}

impl AllowedHost {
    /// From `--public-url`; without one, every host is accepted (the portal then builds its
    /// links from the address it listens on).
    pub fn from_public_url(public_url: Option<&str>) -> Self {
        let Some((scheme, rest)) = public_url.and_then(|u| u.split_once("://")) else {
            return Self::default();
        };
        let https = scheme.eq_ignore_ascii_case("https");
        let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        Self {
            host: Some(normalise_host(authority, https)),
            https,
        }
    }

    fn allows(&self, host: Option<&str>) -> Result<(), StatusCode> {
        let Some(expected) = &self.host else {
            return Ok(());
        };
        match host {
            Some(host) if normalise_host(host, self.https) == *expected => Ok(()),
            Some(_) => Err(StatusCode::MISDIRECTED_REQUEST),
            None => Err(StatusCode::BAD_REQUEST),
        }
    }
}

/// Lower-case, without a trailing dot on the name and without the scheme's default port.
fn normalise_host(authority: &str, https: bool) -> String {
    let authority = authority.trim().to_ascii_lowercase();
    // The port follows the last colon, unless that colon is inside an IPv6 literal.
    let (name, port) = match authority.rfind(':') {
        Some(i)
            if !authority[i..].contains(']')
                && (authority.starts_with('[') || !authority[..i].contains(':')) =>
        {
            (&authority[..i], Some(&authority[i + 1..]))
        }
        _ => (authority.as_str(), None),
    };
    let name = name.trim_end_matches('.');
    match port {
        Some(port) if port != if https { "443" } else { "80" } => format!("{name}:{port}"),
        _ => name.to_owned(),
    }
}

/// Refuses a request whose `Host` names another host than the public URL's (DNS rebinding, a
/// forged Host used to poison links or caches): 421, or 400 without any Host. `/healthz` is
/// exempt: load balancers and orchestrators probe each instance by its own address, and the
/// answer ("ok") tells nothing.
pub async fn refuse_other_hosts(
    State(allowed): State<AllowedHost>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().path() == "/healthz" {
        return next.run(request).await;
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()));
    match allowed.allows(host.as_deref()) {
        Ok(()) => next.run(request).await,
        Err(status) => {
            tracing::warn!(host = ?host, path = %request.uri().path(), "refused a request for another host");
            let message = if status == StatusCode::BAD_REQUEST {
                "Bad request: the Host header is missing."
            } else {
                "Misdirected request: this server does not answer for that host name."
            };
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                message,
            )
                .into_response()
        }
    }
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

    #[test]
    fn only_built_files_are_static_assets() {
        assert!(is_static_asset("/pkg/trustshare.css"));
        assert!(is_static_asset("/assets/images/favicon.svg"));
        assert!(!is_static_asset("/pkgs"));
        assert!(!is_static_asset("/guides/pkg"));
        assert!(!is_static_asset("/api/v1/guides"));
        assert!(!is_static_asset("/"));
    }

    #[test]
    fn the_host_must_be_the_public_urls() {
        let allowed = AllowedHost::from_public_url(Some("https://Trustshare.Example.nhs.uk/base"));
        for ok in [
            "trustshare.example.nhs.uk",
            "TRUSTSHARE.example.nhs.uk",
            "trustshare.example.nhs.uk.",
            "trustshare.example.nhs.uk:443",
        ] {
            assert_eq!(allowed.allows(Some(ok)), Ok(()), "{ok}");
        }
        for refused in [
            "evil.example",
            "trustshare.example.nhs.uk:8443",
            "trustshare.example.nhs.uk.evil.example",
            "127.0.0.1:3000",
            "",
        ] {
            assert_eq!(
                allowed.allows(Some(refused)),
                Err(StatusCode::MISDIRECTED_REQUEST),
                "{refused}"
            );
        }
        assert_eq!(allowed.allows(None), Err(StatusCode::BAD_REQUEST));

        let ipv6 = AllowedHost::from_public_url(Some("http://[::1]:3000"));
        assert_eq!(ipv6.allows(Some("[::1]:3000")), Ok(()));
        assert!(ipv6.allows(Some("[::1]")).is_err());
        let plain = AllowedHost::from_public_url(Some("http://ts.example:80"));
        assert_eq!(plain.allows(Some("ts.example")), Ok(()));

        let unset = AllowedHost::from_public_url(None);
        assert_eq!(unset.allows(Some("anything.example")), Ok(()));
        assert_eq!(unset.allows(None), Ok(()));
    }
}
