//! Response headers for a service used on shared clinical workstations: nothing but the built
//! static files is cached (those named after their content for a year, sent compressed as
//! built), pages and JSON compressed when the browser accepts it, HSTS behind https, requests
//! for another host refused when a public URL is configured, and server-function decoding
//! errors never echoed to the browser.

use crate::common::{TempDir, TestServer, PASSWORD};

const EDITOR: &str = "callum.sampleton@fife.nhs.example";
const PUBLIC_HOST: &str = "trustshare.example.nhs.uk";

/// A site root with one stylesheet and one image, so that static files answer 200.
fn site_root() -> TempDir {
    let dir = TempDir::new("site");
    for (path, text) in [
        ("pkg/trustshare.css", "body { color: #212b32; }"),
        (
            "assets/images/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ] {
        let full = dir.0.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    dir
}

fn cache_control(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("cache-control")
        .iter()
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

#[tokio::test]
async fn pages_exports_api_and_server_functions_are_never_cached_and_static_files_are() {
    let site = site_root();
    let site_path = site.0.clone();
    let server = TestServer::builder()
        .configure(move |c| c.site_root = site_path)
        .start()
        .await;
    server.set_password(EDITOR, PASSWORD);
    let anonymous = server.client();
    let editor = server.signed_in(EDITOR, PASSWORD).await;

    let guide = "/guides/walk-away-security-inactivity-timeouts";
    let personal = [
        "/",
        "/guides",
        guide,
        &format!("{guide}/export.md"),
        "/api/v1/guides",
        "/api/v1/guides/walk-away-security-inactivity-timeouts",
        "/review",
        "/guides/new",
        "/no-such-page",
        "/healthz",
    ];
    for (who, client) in [("anonymous", &anonymous), ("editor", &editor)] {
        for path in personal {
            let response = client.get(server.url(path)).send().await.unwrap();
            assert_eq!(
                cache_control(&response),
                "no-store",
                "{who} GET {path} ({})",
                response.status()
            );
        }
    }
    // The export and the API answered for real, not with an error page.
    for path in [format!("{guide}/export.md"), "/api/v1/guides".to_owned()] {
        let response = editor.get(server.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    // A server function's answer (here signing in) is not cached either.
    let response = server.sign_in(&server.client(), EDITOR, PASSWORD).await;
    assert_eq!(response.status(), 302);
    assert_eq!(cache_control(&response), "no-store", "sign-in");

    // Built files are the same for everyone: no no-store, and validators for revalidation.
    for path in ["/pkg/trustshare.css", "/assets/images/logo.svg"] {
        let response = editor.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            !cache_control(&response).contains("no-store"),
            "{path}: {}",
            cache_control(&response)
        );
        assert!(response.headers().contains_key("last-modified"), "{path}");
    }
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_public_url_is_https() {
    let plain = TestServer::start().await;
    let response = plain.client().get(plain.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_none());

    let https = TestServer::builder()
        .configure(|c| c.public_url = Some(format!("https://{PUBLIC_HOST}")))
        .start()
        .await;
    for path in ["/", "/guides", "/api/v1/guides", "/healthz"] {
        let response = https
            .client()
            .get(https.url(path))
            .header("host", PUBLIC_HOST)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}

#[tokio::test]
async fn requests_naming_another_host_are_refused_when_a_public_url_is_set() {
    let server = TestServer::builder()
        .configure(|c| c.public_url = Some(format!("https://{PUBLIC_HOST}")))
        .start()
        .await;
    let client = server.client();
    for host in ["evil.example", "trustshare.example.nhs.uk.evil.example"] {
        for path in ["/", "/login", "/api/v1/guides"] {
            let response = client
                .get(server.url(path))
                .header("host", host)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 421, "Host: {host} GET {path}");
            assert_eq!(
                response.headers()["content-type"],
                "text/plain; charset=utf-8"
            );
            assert_eq!(cache_control(&response), "no-store");
            let body = response.text().await.unwrap();
            assert!(body.starts_with("Misdirected request"), "{body}");
        }
        let response = client
            .post(server.url("/api/sign-in"))
            .header("host", host)
            .form(&[("email", EDITOR), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 421, "Host: {host} POST /api/sign-in");
        assert!(crate::common::session_cookie(&response).is_none());
    }
    // The address the server listens on is another host too.
    let response = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 421, "Host: the listening address");

    // The public host, in any case and with its default port, is served.
    for host in [
        PUBLIC_HOST,
        "TrustShare.Example.NHS.uk",
        "trustshare.example.nhs.uk:443",
    ] {
        let response = client
            .get(server.url("/"))
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "Host: {host}");
    }
    // Load balancers probe each instance by its own address.
    let response = client.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200, "/healthz by address");
}

#[tokio::test]
async fn without_a_public_url_any_host_is_served() {
    let server = TestServer::start().await;
    let response = server
        .client()
        .get(server.url("/"))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn server_function_argument_errors_show_a_fixed_message_not_the_decoder_text() {
    let server = TestServer::start().await;
    server.set_password(EDITOR, PASSWORD);
    let editor = server.signed_in(EDITOR, PASSWORD).await;
    let fixed = "The form could not be read. Go back and try again.";
    let bodies: [&[(&str, &str)]; 3] = [
        &[
            ("form[kind]", "guide"),
            ("form[base_revision]", "not-a-number"),
        ],
        &[
            ("form[kind]", "<script>alert(1)</script>"),
            ("form[base_revision]", "0"),
        ],
        &[
            ("form[kind]", "guide"),
            ("form[intent]", "delete-everything"),
        ],
    ];
    for fields in bodies {
        for accept in ["text/html", "application/json"] {
            let response = editor
                .post(server.url("/api/documents/save"))
                .header("origin", &server.base)
                .header("referer", server.url("/guides/new"))
                .header("accept", accept)
                .form(fields)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert!(
                body.contains(fixed),
                "{fields:?} ({accept}): {status} {body}"
            );
            for detail in [
                "invalid digit",
                "deserializ",
                "unknown",
                "expected one of",
                "script",
                "delete-everything",
            ] {
                assert!(
                    !body.to_ascii_lowercase().contains(detail),
                    "{fields:?} ({accept}) echoes {detail:?}: {body}"
                );
            }
        }
    }
}

/// A site root as `scripts/build-site.sh` leaves it: a stylesheet and an islands bundle, named
/// after their content and compressed by `scripts/fingerprint.mjs` itself.
fn fingerprinted_site_root() -> (TempDir, String) {
    let dir = TempDir::new("site-fingerprinted");
    let pkg = dir.0.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let css = "body { color: #212b32; }\n".repeat(200);
    std::fs::write(pkg.join("trustshare.css"), &css).unwrap();
    std::fs::write(
        pkg.join("trustshare.js"),
        "export default function init() {}\n",
    )
    .unwrap();
    std::fs::write(pkg.join("trustshare_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let out = std::process::Command::new("node")
        .arg(crate::common::repo_root().join("scripts/fingerprint.mjs"))
        .arg(&pkg)
        .output()
        .expect("node runs scripts/fingerprint.mjs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, css)
}

async fn get_with(
    client: &reqwest::Client,
    url: String,
    encoding: Option<&str>,
) -> (reqwest::StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = client.get(url);
    if let Some(encoding) = encoding {
        request = request.header("accept-encoding", encoding);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn header<'h>(headers: &'h reqwest::header::HeaderMap, name: &str) -> &'h str {
    headers
        .get(name)
        .map_or("", |v| v.to_str().unwrap_or_default())
}

#[tokio::test]
async fn content_named_files_are_kept_for_a_year_and_sent_compressed_as_built() {
    let (site, css) = fingerprinted_site_root();
    let site_path = site.0.clone();
    let server = TestServer::builder()
        .configure(move |c| c.site_root = site_path)
        .start()
        .await;
    let client = server.client();

    // Pages name the fingerprinted stylesheet and islands bundle.
    let (_, _, page) = get_with(&client, server.url("/"), None).await;
    let page = String::from_utf8(page).unwrap();
    let stylesheet = page
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no stylesheet in {page}"))
        .to_owned();
    assert!(
        stylesheet.starts_with("/pkg/trustshare-") && stylesheet.ends_with(".css"),
        "{stylesheet}"
    );
    let bundle = stylesheet.trim_end_matches(".css");
    assert!(
        page.contains(&format!("{bundle}.js")),
        "islands script in {page}"
    );
    assert!(
        page.contains(&format!("{bundle}_bg.wasm")),
        "islands wasm in {page}"
    );

    // Brotli, gzip or as built, as the browser accepts; never compressed per request.
    let built = site.0.join(stylesheet.trim_start_matches('/'));
    for (accept, encoding, file) in [
        (Some("br, gzip"), "br", format!("{}.br", built.display())),
        (Some("gzip"), "gzip", format!("{}.gz", built.display())),
        (None, "", built.display().to_string()),
    ] {
        let (status, headers, body) = get_with(&client, server.url(&stylesheet), accept).await;
        assert_eq!(status, 200, "{accept:?}");
        assert_eq!(header(&headers, "content-encoding"), encoding, "{accept:?}");
        assert_eq!(body, std::fs::read(&file).unwrap(), "{accept:?}: {file}");
        assert_eq!(
            header(&headers, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert!(header(&headers, "content-type").starts_with("text/css"));
    }
    let (_, _, plain) = get_with(&client, server.url(&stylesheet), None).await;
    assert_eq!(plain, css.as_bytes());

    // A name no build made is missing, and not kept.
    let (status, headers, _) = get_with(
        &client,
        server.url("/pkg/trustshare-0000000000000000.css"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(header(&headers, "cache-control"), "no-store");
}

#[tokio::test]
async fn pages_and_json_are_compressed_when_the_browser_accepts_it() {
    let server = TestServer::start().await;
    let client = server.client();
    for path in ["/guides", "/api/v1/guides"] {
        let (status, headers, body) = get_with(&client, server.url(path), Some("gzip")).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(header(&headers, "content-encoding"), "gzip", "{path}");
        assert_eq!(&body[..2], [0x1f, 0x8b], "{path}: a gzip stream");
        assert_eq!(header(&headers, "cache-control"), "no-store", "{path}");
        let (_, headers, body) = get_with(&client, server.url(path), Some("br")).await;
        assert_eq!(header(&headers, "content-encoding"), "br", "{path}");
        assert!(
            !body.starts_with(b"<!DOCTYPE") && !body.starts_with(b"{"),
            "{path}"
        );
        let (_, headers, body) = get_with(&client, server.url(path), None).await;
        assert_eq!(header(&headers, "content-encoding"), "", "{path}");
        assert!(
            body.starts_with(b"<!DOCTYPE") || body.starts_with(b"{"),
            "{path}"
        );
    }
}
