//! What sign-in attempts may cost: password checks a few at a time, an allowance per client
//! address, lock-outs per account and client, the same treatment for unknown emails, and
//! failures that all count when they arrive together. Over HTTP against the real server; clients
//! at different addresses bind different loopback addresses (127.0.0.2, …).

use std::net::IpAddr;
use std::time::Duration;

use crate::common::{location, session_cookie, TestServer, PASSWORD};
use app::state::{Clock, ManualClock};

const READER: &str = "isla.placeholder@fife.nhs.example";
const ADMIN: &str = "admin@trustshare.localhost";

/// A browser-like client (cookie jar, no redirects, asks for HTML) at a loopback address.
fn client_at(addr: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ACCEPT, "text/html".parse().unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .local_address(addr.parse::<IpAddr>().expect("address"))
        .build()
        .expect("client")
}

fn retry_after(response: &reqwest::Response) -> Option<u64> {
    response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

/// The reason codes in a sign-in page address.
fn error_codes(location: &str) -> Vec<String> {
    let query = location.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == "error")
        .flat_map(|(_, v)| v.split(',').map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[tokio::test]
async fn sign_ins_beyond_the_checking_slots_are_told_to_come_back_in_a_minute_with_the_email_kept()
{
    let server = TestServer::builder()
        .configure(|c| {
            c.sign_in.hashing_slots = 1;
            c.sign_in.wait = Duration::ZERO;
            c.sign_in.per_client_per_minute = 1000;
        })
        .start()
        .await;
    let client = server.client();
    let mut burst = tokio::task::JoinSet::new();
    for n in 0..40 {
        let (client, url, origin) = (
            client.clone(),
            server.url("/api/sign-in"),
            server.base.clone(),
        );
        burst.spawn(async move {
            let email = format!("nobody{n}@nowhere.nhs.example");
            let response = client
                .post(url)
                .header("origin", origin)
                .form(&[
                    ("email", email.as_str()),
                    ("password", "a-guess-a-guess"),
                    ("next", ""),
                ])
                .send()
                .await
                .expect("post sign-in");
            (
                email,
                response.status().as_u16(),
                location(&response),
                retry_after(&response),
            )
        });
    }
    let mut busy = Vec::new();
    let mut checked = 0;
    while let Some(answer) = burst.join_next().await {
        let (email, status, location, retry) = answer.expect("request task");
        assert_eq!(status, 302);
        assert!(location.starts_with("/login?"), "{location}");
        let encoded: String = form_urlencoded::byte_serialize(email.as_bytes()).collect();
        assert!(
            location.contains(&format!("email={encoded}")),
            "typed email kept: {location}"
        );
        match error_codes(&location).as_slice() {
            [code] if code == "busy" => {
                assert_eq!(retry, Some(60), "the redirect says when to come back");
                busy.push(location);
            }
            [code] if code == "invalid" => checked += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert!(!busy.is_empty(), "one checking slot cannot take 40 at once");
    // Only the attempts that were checked left a trace.
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'sign-in-failed'")
            .await,
        checked
    );

    let response = client.get(server.url(&busy[0])).send().await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(retry_after(&response), Some(60));
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Too many people are signing in at the moment. Wait a minute and try again."),
        "{page}"
    );
    assert!(
        page.contains(r#"value="nobody"#),
        "the typed email is in the form again"
    );
}

#[tokio::test]
async fn a_client_over_its_allowance_is_turned_away_and_other_clients_are_not() {
    // The clock stands still, so no allowance comes back during the test.
    let clock = ManualClock::starting_now();
    let server = TestServer::builder()
        .clock(clock.clone())
        .configure(|c| c.sign_in.per_client_per_minute = 3)
        .start()
        .await;
    server.set_password(READER, PASSWORD);
    let guesser = client_at("127.0.0.2");
    for _ in 0..3 {
        let r = server.sign_in(&guesser, READER, "guess-guess-guess").await;
        assert_eq!(error_codes(&location(&r)), ["invalid"]);
    }
    let turned_away = server.sign_in(&guesser, READER, PASSWORD).await;
    let answer = location(&turned_away);
    assert_eq!(error_codes(&answer), ["too-many-attempts"], "{answer}");
    assert_eq!(
        retry_after(&turned_away),
        Some(20),
        "one attempt comes back every 20 s"
    );
    assert!(session_cookie(&turned_away).is_none());
    let page = guesser.get(server.url(&answer)).send().await.unwrap();
    assert_eq!(page.status(), 429);
    assert_eq!(retry_after(&page), Some(60));
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("too many sign-in attempts from your network"));
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'sign-in-failed'")
            .await,
        3,
        "the attempt turned away was not checked"
    );

    // Another address has its own allowance.
    let owner = client_at("127.0.0.1");
    let r = server.sign_in(&owner, READER, PASSWORD).await;
    assert_eq!(location(&r), "/");

    clock.advance(Duration::from_secs(20));
    let r = server.sign_in(&guesser, READER, PASSWORD).await;
    assert_eq!(location(&r), "/", "20 s later one more attempt is allowed");
}

#[tokio::test]
async fn an_attackers_client_locking_an_account_does_not_lock_its_owner_out() {
    let clock = ManualClock::starting_now();
    let server = TestServer::builder().clock(clock.clone()).start().await;
    // The administrator's address is documented; anyone may try it.
    let attacker = client_at("127.0.0.2");
    for _ in 0..8 {
        let r = server.sign_in(&attacker, ADMIN, "guess-guess-guess").await;
        assert_eq!(error_codes(&location(&r)), ["invalid"]);
    }
    let r = server
        .sign_in(&attacker, ADMIN, &server.admin_password)
        .await;
    assert!(session_cookie(&r).is_none());
    let answer = location(&r);
    assert_eq!(
        error_codes(&answer),
        ["locked"],
        "the attacker's client is locked out, even with the right password"
    );
    let page = attacker.get(server.url(&answer)).send().await.unwrap();
    assert_eq!(page.status(), 429);
    assert_eq!(retry_after(&page), Some(15 * 60));
    assert!(page.text().await.unwrap().contains("Wait 15 minutes"));

    // The owner, at another address, signs in as usual (after the account's slow-down).
    let owner = client_at("127.0.0.3");
    let started = clock.now();
    let r = server.sign_in(&owner, ADMIN, &server.admin_password).await;
    assert_eq!(location(&r), "/", "the owner is not locked out");
    assert!(session_cookie(&r).is_some());
    assert_eq!(
        clock.now() - started,
        time::Duration::seconds(5),
        "but the account under attack is slowed down for every client"
    );

    // The attacker stays locked out, and is let in once the lock has passed.
    let r = server
        .sign_in(&attacker, ADMIN, &server.admin_password)
        .await;
    assert_eq!(error_codes(&location(&r)), ["locked"]);
    clock.advance(Duration::from_secs(15 * 60 + 30));
    let r = server
        .sign_in(&attacker, ADMIN, &server.admin_password)
        .await;
    assert_eq!(location(&r), "/");
}

/// Fails `times` sign-ins for `email` from `client`; returns how far the clock moved (the
/// account's slow-down) and the address of the answer to one more attempt.
async fn fail_then_try(
    server: &TestServer,
    clock: &ManualClock,
    client: &reqwest::Client,
    email: &str,
    times: usize,
) -> (time::Duration, String) {
    let started = clock.now();
    for _ in 0..times {
        let r = server.sign_in(client, email, "guess-guess-guess").await;
        assert_eq!(error_codes(&location(&r)), ["invalid"]);
    }
    let slowed = clock.now() - started;
    let r = server.sign_in(client, email, "guess-guess-guess").await;
    (slowed, location(&r))
}

#[tokio::test]
async fn unknown_emails_are_slowed_down_and_locked_out_exactly_like_real_ones() {
    let clock = ManualClock::starting_now();
    let server = TestServer::builder()
        .clock(clock.clone())
        .slowdown_after(1)
        .lock_after(3)
        .start()
        .await;
    server.set_password(READER, PASSWORD);
    let client = server.client();
    let unknown = "nobody@nowhere.nhs.example";

    let (real_slowed, real_answer) = fail_then_try(&server, &clock, &client, READER, 3).await;
    let (unknown_slowed, unknown_answer) =
        fail_then_try(&server, &clock, &client, unknown, 3).await;
    assert_eq!(real_slowed, time::Duration::seconds(1 + 2));
    assert_eq!(unknown_slowed, real_slowed, "the same slow-down");
    assert_eq!(error_codes(&real_answer), ["locked"]);
    assert_eq!(
        real_answer.replace("isla.placeholder%40fife.nhs.example", "X"),
        unknown_answer.replace("nobody%40nowhere.nhs.example", "X"),
        "the same lock-out"
    );
}

#[tokio::test]
async fn wrong_passwords_sent_together_all_count_and_lock_the_client_out() {
    let clock = ManualClock::starting_now();
    let server = TestServer::builder()
        .clock(clock.clone())
        .configure(|c| {
            c.sign_in.per_client_per_minute = 1000;
            c.sign_in.wait = Duration::from_secs(60);
        })
        .start()
        .await;
    server.set_password(READER, PASSWORD);
    let client = server.client();
    for _ in 0..2 {
        let mut wave = tokio::task::JoinSet::new();
        for _ in 0..30 {
            let (client, url, origin) = (
                client.clone(),
                server.url("/api/sign-in"),
                server.base.clone(),
            );
            wave.spawn(async move {
                let r = client
                    .post(url)
                    .header("origin", origin)
                    .form(&[
                        ("email", READER),
                        ("password", "guess-guess-guess"),
                        ("next", ""),
                    ])
                    .send()
                    .await
                    .expect("post sign-in");
                location(&r)
            });
        }
        while let Some(answer) = wave.join_next().await {
            let answer = answer.expect("request task");
            let codes = error_codes(&answer);
            assert!(codes == ["invalid"] || codes == ["locked"], "{answer}");
        }
    }
    let r = server.sign_in(&client, READER, PASSWORD).await;
    assert!(
        session_cookie(&r).is_none(),
        "the right password no longer signs this client in"
    );
    assert_eq!(error_codes(&location(&r)), ["locked"]);
    // Every one of the 60 counted: checked and failed, or refused as locked out.
    assert_eq!(
        server.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('sign-in-failed', 'sign-in-locked')"
        )
        .await,
        61
    );
    let failed = server
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'sign-in-failed'")
        .await;
    assert!(failed >= 8, "{failed}");
    let stored = server
        .count("SELECT failures FROM sign_in_failures WHERE client = ''")
        .await;
    assert_eq!(
        stored, failed,
        "the account's count is every failure, none lost"
    );
}
