//! Cross-origin refusal, no state change by GET, and protective headers.

use crate::common::{TestServer, PASSWORD};

const READER: &str = "isla.placeholder@fife.nhs.example";

#[tokio::test]
async fn cross_origin_posts_are_refused_including_server_functions() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let client = server.client();
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("origin", "null"),
    ] {
        let response = client
            .post(server.url("/api/sign-in"))
            .header(header, value)
            .form(&[("email", READER), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{header}: {value}");
        assert!(crate::common::session_cookie(&response).is_none());
    }
    // Signed in, a cross-site sign-out is refused too and the session survives.
    let signed_in = server.signed_in(READER, PASSWORD).await;
    let response = signed_in
        .post(server.url("/api/sign-out"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let (_, home) = server.get(&signed_in, "/").await;
    assert!(home.contains("Isla Placeholder"));
}

#[tokio::test]
async fn same_origin_posts_are_accepted() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let response = server
        .client()
        .post(server.url("/api/sign-in"))
        .header("origin", &server.base)
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", READER), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert!(crate::common::session_cookie(&response).is_some());
}

#[tokio::test]
async fn get_never_signs_out() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let client = server.signed_in(READER, PASSWORD).await;
    let response = client
        .get(server.url("/api/sign-out"))
        .send()
        .await
        .unwrap();
    assert!(
        !response.status().is_success() && !response.status().is_redirection(),
        "{}",
        response.status()
    );
    let (_, home) = server.get(&client, "/").await;
    assert!(
        home.contains("Isla Placeholder"),
        "still signed in after GET /api/sign-out"
    );
}

#[tokio::test]
async fn pages_carry_protective_headers() {
    let server = TestServer::start().await;
    let response = server.client().get(server.url("/")).send().await.unwrap();
    let h = response.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"),
        "{csp}"
    );
}

#[tokio::test]
async fn pages_allow_only_their_own_nonce_for_inline_scripts() {
    let server = TestServer::start().await;
    let response = server
        .client()
        .get(server.url("/login"))
        .send()
        .await
        .unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("page policy carries a nonce")
        .to_owned();
    let page = response.text().await.unwrap();
    for script in page.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap_or_default();
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "script without this response's nonce: <script{tag}>"
        );
    }
    // Another response gets another nonce.
    let other = server
        .client()
        .get(server.url("/login"))
        .send()
        .await
        .unwrap();
    assert!(!other.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains(&nonce));
}
