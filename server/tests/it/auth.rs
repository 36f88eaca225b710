//! Sign-in, sessions, sign-out and lock-out, over HTTP against the real server.

use std::time::Duration;

use crate::common::{location, session_cookie, TestServer, PASSWORD};
use app::state::{Clock, ManualClock};

const READER: &str = "isla.placeholder@fife.nhs.example";

async fn audit_actions(server: &TestServer, target: &str) -> Vec<String> {
    let db = server.db().await;
    sqlx::query_scalar::<_, String>("SELECT action FROM audit_log WHERE target = $1 ORDER BY id")
        .bind(target)
        .fetch_all(db.pool())
        .await
        .expect("audit rows")
}

/// The home page fetched with exactly this cookie, as an attacker replaying it would.
async fn home_with_cookie(server: &TestServer, cookie: &str) -> String {
    reqwest::Client::new()
        .get(server.url("/"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn signing_in_sets_a_protected_session_cookie_and_shows_the_user() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let client = server.client();
    let response = server.sign_in(&client, READER, PASSWORD).await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), "/");
    let cookie = session_cookie(&response).expect("session cookie set");
    let lower = cookie.to_ascii_lowercase();
    assert!(lower.contains("httponly"), "{cookie}");
    assert!(lower.contains("samesite=lax"), "{cookie}");
    assert!(
        !lower.contains("secure"),
        "plain-http test server must not mark the cookie Secure: {cookie}"
    );

    let (status, home) = server.get(&client, "/").await;
    assert_eq!(status, 200);
    assert!(
        home.contains("Isla Placeholder"),
        "signed-in name shown in the header"
    );
    assert!(home.contains("Sign out"));
    assert!(audit_actions(&server, READER)
        .await
        .contains(&"sign-in".to_owned()));
}

#[tokio::test]
async fn sign_in_returns_to_the_page_the_user_came_from_but_never_off_site() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    for (next, expected) in [
        ("/orgs/nhs-fife", "/orgs/nhs-fife"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
    ] {
        let client = server.client();
        let response = client
            .post(server.url("/api/sign-in"))
            .form(&[("email", READER), ("password", PASSWORD), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(location(&response), expected, "next={next}");
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer_without_a_session() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let client = server.client();

    let wrong = server.sign_in(&client, READER, "not-the-password").await;
    assert_eq!(wrong.status(), 302);
    assert!(
        session_cookie(&wrong).is_none(),
        "no session for a failed sign-in"
    );
    let wrong_location = location(&wrong);

    let unknown = server
        .sign_in(&client, "nobody@nowhere.nhs.example", "not-the-password")
        .await;
    assert!(session_cookie(&unknown).is_none());
    let unknown_location = location(&unknown);

    // Only the kept email differs.
    assert_eq!(
        wrong_location.replace("isla.placeholder%40fife.nhs.example", "X"),
        unknown_location.replace("nobody%40nowhere.nhs.example", "X")
    );
    let (status, page) = server.get(&client, &wrong_location).await;
    assert_eq!(status, 200);
    assert!(page.contains("There is a problem"));
    assert!(page.contains("The email address or password is not correct"));
    assert!(
        page.contains(r#"value="isla.placeholder@fife.nhs.example""#),
        "typed email kept"
    );
    assert!(
        !page.contains("not-the-password"),
        "the password is never echoed"
    );

    let db = server.db().await;
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    assert!(audit_actions(&server, READER)
        .await
        .contains(&"sign-in-failed".to_owned()));
    assert!(audit_actions(&server, "nobody@nowhere.nhs.example")
        .await
        .contains(&"sign-in-failed".to_owned()));
}

#[tokio::test]
async fn empty_fields_are_named_in_the_error_summary() {
    let server = TestServer::start().await;
    let client = server.client();
    let response = server.sign_in(&client, "", "").await;
    let (_, page) = server.get(&client, &location(&response)).await;
    assert!(page.contains("Enter your email address"));
    assert!(page.contains("Enter your password"));
    assert!(page.contains(r##"href="#email""##) && page.contains(r##"href="#password""##));
}

#[tokio::test]
async fn session_id_changes_at_sign_in_and_the_old_one_stops_working() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let client = server.client();
    let first =
        session_cookie(&server.sign_in(&client, READER, PASSWORD).await).expect("first cookie");
    let second =
        session_cookie(&server.sign_in(&client, READER, PASSWORD).await).expect("second cookie");
    let id = |c: &str| c.split(';').next().unwrap_or_default().to_owned();
    assert_ne!(id(&first), id(&second), "session id cycled at sign-in");

    // Replaying the first id with a fresh client shows a signed-out page.
    let page = home_with_cookie(&server, &id(&first)).await;
    assert!(!page.contains("Isla Placeholder"));
    assert!(page.contains("Sign in"));
}

#[tokio::test]
async fn signing_out_deletes_the_session_record() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let client = server.client();
    let cookie = session_cookie(&server.sign_in(&client, READER, PASSWORD).await).unwrap();
    let id = cookie.split(';').next().unwrap().to_owned();

    let response = client
        .post(server.url("/api/sign-out"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let (_, home) = server.get(&client, "/").await;
    assert!(!home.contains("Isla Placeholder"));

    let db = server.db().await;
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(sessions, 0, "session record deleted");
    assert!(!home_with_cookie(&server, &id)
        .await
        .contains("Isla Placeholder"));
    assert!(audit_actions(&server, READER)
        .await
        .contains(&"sign-out".to_owned()));
}

/// Signs in with a wrong password `times` times; each attempt is refused.
async fn fail_sign_ins(server: &TestServer, client: &reqwest::Client, times: usize) {
    for _ in 0..times {
        let r = server.sign_in(client, READER, "guess-guess-guess").await;
        assert!(location(&r).starts_with("/login"));
        assert!(session_cookie(&r).is_none());
    }
}

/// Whether the right password is refused, as for a locked account.
async fn right_password_refused(server: &TestServer) -> bool {
    let r = server.sign_in(&server.client(), READER, PASSWORD).await;
    let refused = location(&r).starts_with("/login?");
    assert_eq!(
        session_cookie(&r).is_none(),
        refused,
        "a session only for an accepted sign-in: {}",
        location(&r)
    );
    refused
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_for_the_right_password() {
    // The slow-down waits on the manual clock, which moves on at once.
    let clock = ManualClock::starting_now();
    let server = TestServer::builder().clock(clock.clone()).start().await;
    server.set_password(READER, PASSWORD);
    let client = server.client();
    fail_sign_ins(&server, &client, 8).await;
    assert!(
        right_password_refused(&server).await,
        "locked account refused"
    );
    let actions = audit_actions(&server, READER).await;
    assert!(
        actions.contains(&"sign-in-locked".to_owned()),
        "{actions:?}"
    );

    // An administrator resetting the password unlocks the account.
    server.set_password(READER, PASSWORD);
    server.signed_in(READER, PASSWORD).await;
}

#[tokio::test]
async fn a_locked_account_opens_again_once_the_lock_time_has_passed() {
    let clock = ManualClock::starting_now();
    let server = TestServer::builder().clock(clock.clone()).start().await;
    server.set_password(READER, PASSWORD);
    let client = server.client();
    fail_sign_ins(&server, &client, 8).await;
    assert!(right_password_refused(&server).await, "locked");
    clock.advance(Duration::from_secs(14 * 60));
    assert!(
        right_password_refused(&server).await,
        "still locked 14 minutes later"
    );
    clock.advance(Duration::from_secs(60 + 30));
    server.signed_in(READER, PASSWORD).await;
}

#[tokio::test]
async fn lock_out_thresholds_and_time_come_from_the_configuration() {
    let clock = ManualClock::starting_now();
    let server = TestServer::builder()
        .slowdown_after(1)
        .lock_after(3)
        .lock_for(Duration::from_secs(5 * 60))
        .clock(clock.clone())
        .start()
        .await;
    server.set_password(READER, PASSWORD);
    let client = server.client();

    // Two failures do not lock; the second is slowed down by a second.
    let started = clock.now();
    fail_sign_ins(&server, &client, 2).await;
    assert_eq!(clock.now() - started, time::Duration::seconds(1));
    server.signed_in(READER, PASSWORD).await;

    // The count started again at the sign-in; three failures lock.
    let started = clock.now();
    fail_sign_ins(&server, &client, 3).await;
    assert_eq!(clock.now() - started, time::Duration::seconds(1 + 2));
    assert!(
        right_password_refused(&server).await,
        "locked after 3 failures"
    );
    clock.advance(Duration::from_secs(4 * 60));
    assert!(
        right_password_refused(&server).await,
        "locked for 5 minutes"
    );
    clock.advance(Duration::from_secs(60 + 30));
    server.signed_in(READER, PASSWORD).await;
}

#[tokio::test]
async fn first_start_creates_an_administrator_whose_password_is_printed_once() {
    // The password is read from what the real process prints.
    let server = TestServer::start_binary().await;
    assert_eq!(server.admin_password.len(), 20);
    let client = server
        .signed_in("admin@trustshare.localhost", &server.admin_password)
        .await;
    let (_, home) = server.get(&client, "/").await;
    assert!(home.contains("Portal administrator"));
}

#[tokio::test]
async fn user_add_reads_the_password_from_stdin_or_generates_one() {
    let server = TestServer::start().await;
    let out = server.command(
        &[
            "user",
            "add",
            "--email",
            "New.Person@Fife.nhs.example",
            "--name",
            "New Person",
            "--org",
            "nhs-fife",
            "--role",
            "editor",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        !out.stdout.contains("Password:"),
        "a piped password is not printed"
    );
    server
        .signed_in("new.person@fife.nhs.example", PASSWORD)
        .await;

    let out = server.command(
        &[
            "user",
            "add",
            "--email",
            "gen@fife.nhs.example",
            "--name",
            "Gen",
            "--org",
            "nhs-fife",
            "--role",
            "reader",
        ],
        Some(""),
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let generated = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Password: "))
        .expect("generated password printed")
        .to_owned();
    server.signed_in("gen@fife.nhs.example", &generated).await;
}

#[tokio::test]
async fn user_add_explains_bad_input() {
    let server = TestServer::start().await;
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "--email",
                "not-an-email",
                "--name",
                "A",
                "--org",
                "nhs-fife",
                "--role",
                "reader",
            ],
            "--email",
        ),
        (
            &[
                "--email",
                "a@b.nhs.example",
                "--name",
                "A",
                "--org",
                "no-such-org",
                "--role",
                "reader",
            ],
            "--org",
        ),
        (
            &[
                "--email",
                "a@b.nhs.example",
                "--name",
                "A",
                "--org",
                "nhs-fife",
                "--role",
                "owner",
            ],
            "--role",
        ),
        (
            &[
                "--email", READER, "--name", "A", "--org", "nhs-fife", "--role", "reader",
            ],
            "already exists",
        ),
    ];
    for (args, expected) in cases {
        let mut full = vec!["user", "add"];
        full.extend_from_slice(args);
        let out = server.command(&full, Some(&format!("{PASSWORD}\n")));
        assert_ne!(out.status, 0);
        assert!(out.stderr.contains(expected), "{expected}: {}", out.stderr);
    }
    let out = server.command(
        &[
            "user",
            "add",
            "--email",
            "short@b.nhs.example",
            "--name",
            "A",
            "--org",
            "nhs-fife",
            "--role",
            "reader",
        ],
        Some("short\n"),
    );
    assert_ne!(out.status, 0);
    assert!(
        out.stderr.contains("at least 12 characters"),
        "{}",
        out.stderr
    );
}

/// Rewrites the stored session as the clock would after waiting: sign-in time moved back by
/// `signed_in_ago` seconds, and the idle expiry in the past when `idle_expired`.
async fn age_session(server: &TestServer, signed_in_ago: Option<i64>, idle_expired: bool) {
    let db = server.tamper().await;
    let (id, data): (String, String) = sqlx::query_as("SELECT id, data FROM sessions")
        .fetch_one(&db)
        .await
        .expect("one session");
    let mut value: serde_json::Value = serde_json::from_str(&data).unwrap();
    if let Some(ago) = signed_in_ago {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        value["signed_in_at"] = serde_json::json!(now - ago);
    }
    let expires_at: i64 = if idle_expired {
        time::OffsetDateTime::now_utc().unix_timestamp() - 1
    } else {
        time::OffsetDateTime::now_utc().unix_timestamp() + 600
    };
    sqlx::query("UPDATE sessions SET data = $1, expires_at = $2 WHERE id = $3")
        .bind(value.to_string())
        .bind(expires_at)
        .bind(id)
        .execute(&db)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_session_ends_after_its_absolute_lifetime_however_active() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let client = server.signed_in(READER, PASSWORD).await;
    age_session(&server, Some(11 * 3600), false).await;
    let (_, page) = server.get(&client, "/").await;
    assert!(
        page.contains("Isla Placeholder"),
        "11 hours after sign-in the session still lives"
    );
    age_session(&server, Some(12 * 3600 + 60), false).await;
    let (_, page) = server.get(&client, "/").await;
    assert!(
        !page.contains("Isla Placeholder"),
        "12 hours after sign-in it has ended"
    );
}

#[tokio::test]
async fn an_idle_session_expires() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let client = server.signed_in(READER, PASSWORD).await;
    age_session(&server, None, true).await;
    let (_, page) = server.get(&client, "/").await;
    assert!(
        !page.contains("Isla Placeholder"),
        "a session past its idle expiry is not honoured"
    );
}

#[tokio::test]
async fn a_session_ends_when_the_configured_lifetime_has_passed_on_the_clock() {
    let clock = ManualClock::starting_now();
    let server = TestServer::builder()
        .session_absolute(Duration::from_secs(2 * 3600))
        .clock(clock.clone())
        .start()
        .await;
    server.set_password(READER, PASSWORD);
    let signed_in_at = clock.now();
    let client = server.signed_in(READER, PASSWORD).await;
    clock.advance(Duration::from_secs(2 * 3600 - 60));
    let (_, page) = server.get(&client, "/").await;
    assert!(
        page.contains("Isla Placeholder"),
        "a minute before the configured two hours the session still lives"
    );
    clock.advance(Duration::from_secs(2 * 60));
    let (_, page) = server.get(&client, "/").await;
    assert!(
        !page.contains("Isla Placeholder"),
        "past the configured two hours it has ended"
    );
    assert!(page.contains("Sign in"));
    // Ended, not merely hidden: with the clock turned back it does not come back.
    clock.set(signed_in_at);
    let (_, page) = server.get(&client, "/").await;
    assert!(!page.contains("Isla Placeholder"));
}

#[tokio::test]
async fn an_over_long_email_or_password_is_refused_before_any_work_and_never_stored() {
    let server = TestServer::start().await;
    let client = server.client();
    let long_email = format!("{}@nowhere.nhs.example", "a".repeat(2000));
    let response = server
        .sign_in(&client, &long_email, "a-guess-a-guess")
        .await;
    let answer = location(&response);
    assert_eq!(
        answer, "/login?error=email-too-long",
        "refused, and too long to keep"
    );
    let (_, page) = server.get(&client, &answer).await;
    assert!(page.contains("Enter an email address of 254 characters or fewer"));

    let response = server
        .sign_in(&client, "nobody@nowhere.nhs.example", &"p".repeat(1025))
        .await;
    let answer = location(&response);
    assert_eq!(
        answer,
        "/login?email=nobody%40nowhere.nhs.example&error=password-too-long"
    );
    let (_, page) = server.get(&client, &answer).await;
    assert!(page.contains("Enter a password of 1024 characters or fewer"));

    let db = server.db().await;
    let (entries, longest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(LENGTH(actor) + LENGTH(target) + LENGTH(detail)) FROM audit_log
         WHERE action LIKE 'sign-in%'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(
        (entries, longest),
        (0, None),
        "nothing was checked, so nothing was audited"
    );
    let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(counted, 0);

    // The longest email accepted is checked (and refused) as usual.
    let longest = format!("{}@nowhere.nhs.example", "a".repeat(254 - 20));
    assert_eq!(longest.len(), 254);
    let response = server.sign_in(&client, &longest, "a-guess-a-guess").await;
    assert!(location(&response).contains("error=invalid"));
}

#[tokio::test]
async fn a_failed_sign_in_is_recorded_once_under_the_anonymous_caller() {
    let server = TestServer::start().await;
    let client = server.client();
    server
        .sign_in(&client, "Nobody@Nowhere.nhs.example", "a-guess-a-guess")
        .await;
    let db = server.db().await;
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT actor, target, detail FROM audit_log WHERE action = 'sign-in-failed'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    let (actor, target, detail) = &rows[0];
    assert_eq!(actor, "anonymous");
    assert_eq!(target, "nobody@nowhere.nhs.example");
    assert!(
        !detail.contains("nowhere"),
        "the email is written once: {detail}"
    );
}

/// The `Set-Cookie` value for a session cookie by its name.
fn cookie_named(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

#[tokio::test]
async fn the_session_cookie_ends_with_the_browser_and_the_server_keeps_the_idle_limit() {
    let server = TestServer::builder()
        .session_idle(Duration::from_secs(7 * 60))
        .start()
        .await;
    server.set_password(READER, PASSWORD);
    let client = server.client();
    let before = time::OffsetDateTime::now_utc().unix_timestamp();
    let response = server.sign_in(&client, READER, PASSWORD).await;
    let after = time::OffsetDateTime::now_utc().unix_timestamp();
    let cookie = session_cookie(&response).expect("session cookie");
    let lower = cookie.to_ascii_lowercase();
    assert!(
        !lower.contains("max-age") && !lower.contains("expires"),
        "a browser-session cookie: {cookie}"
    );
    let db = server.db().await;
    let expires_at: i64 = sqlx::query_scalar("SELECT expires_at FROM sessions")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(
        (before + 7 * 60..=after + 7 * 60).contains(&expires_at),
        "the stored session ends after the configured idle time: {expires_at}, signed in between {before} and {after}"
    );
}

#[tokio::test]
async fn behind_https_the_session_cookie_is_a_host_only_secure_cookie() {
    let public = "https://trustshare.example.nhs.uk";
    let server = TestServer::builder()
        .configure(move |c| c.public_url = Some(public.to_owned()))
        .start()
        .await;
    server.set_password(READER, PASSWORD);
    let response = server
        .client()
        .post(server.url("/api/sign-in"))
        // The server answers only for its public host.
        .header("host", "trustshare.example.nhs.uk")
        .header("origin", public)
        .form(&[("email", READER), ("password", PASSWORD), ("next", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), "/");
    let cookie = cookie_named(&response, "__Host-trustshare_session").expect("a __Host- cookie");
    let attributes: Vec<String> = cookie
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    assert!(attributes.contains(&"secure".to_owned()), "{cookie}");
    assert!(attributes.contains(&"path=/".to_owned()), "{cookie}");
    assert!(attributes.contains(&"httponly".to_owned()), "{cookie}");
    assert!(
        !attributes.iter().any(|a| a.starts_with("domain")
            || a.starts_with("max-age")
            || a.starts_with("expires")),
        "{cookie}"
    );
    assert!(
        session_cookie(&response).is_none(),
        "no cookie by the old name"
    );

    // Signing out removes it, with a removal the browser accepts for a __Host- cookie.
    let id = cookie.split(';').next().unwrap().to_owned();
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(server.url("/api/sign-out"))
        .header("host", "trustshare.example.nhs.uk")
        .header("origin", public)
        .header("accept", "text/html")
        .header("cookie", &id)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let removal = cookie_named(&response, "__Host-trustshare_session").expect("a removal cookie");
    let attributes: Vec<String> = removal
        .split(';')
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    assert_eq!(attributes[0], "__host-trustshare_session=", "{removal}");
    assert!(attributes.contains(&"secure".to_owned()), "{removal}");
    assert!(attributes.contains(&"path=/".to_owned()), "{removal}");
    assert!(attributes.contains(&"max-age=0".to_owned()), "{removal}");
}

#[tokio::test]
async fn a_request_under_way_cannot_bring_back_a_session_that_was_signed_out() {
    use app::db::sessions::DbSessionStore;
    use tower_sessions::session::{Id, Record};
    use tower_sessions::SessionStore;

    let server = TestServer::start().await;
    let store = DbSessionStore::new(server.db().await, Duration::from_secs(30 * 60));
    let mut record = Record {
        id: Id::default(),
        data: [("user_id".to_owned(), serde_json::json!(1))].into(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    store.create(&mut record).await.unwrap();
    // A request loads the session; meanwhile the user signs out; then the request ends and the
    // session layer saves what it loaded.
    let loaded = store.load(&record.id).await.unwrap().expect("stored");
    store.delete(&record.id).await.unwrap();
    store.save(&loaded).await.unwrap();
    assert_eq!(
        store.load(&record.id).await.unwrap(),
        None,
        "the signed-out session stays deleted"
    );
}

#[tokio::test]
async fn signing_out_sticks_while_other_requests_with_the_cookie_are_under_way() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let client = server.signed_in(READER, PASSWORD).await;
    let mut pages = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (client, url) = (client.clone(), server.url("/"));
        pages.spawn(async move { client.get(url).send().await.map(|r| r.status()) });
    }
    let response = client
        .post(server.url("/api/sign-out"))
        .header("origin", &server.base)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    while let Some(page) = pages.join_next().await {
        assert_eq!(page.unwrap().unwrap(), 200);
    }
    let (_, home) = server.get(&client, "/").await;
    assert!(!home.contains("Isla Placeholder"), "still signed out");
    let db = server.db().await;
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn an_administrator_unlocks_an_account_from_the_command_line() {
    let clock = ManualClock::starting_now();
    let server = TestServer::builder().clock(clock.clone()).start().await;
    server.set_password(READER, PASSWORD);
    fail_sign_ins(&server, &server.client(), 8).await;
    assert!(right_password_refused(&server).await, "locked");

    let out = server.command(&["user", "unlock", "--email", READER], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("Unlocked isla.placeholder@fife.nhs.example"),
        "{}",
        out.stdout
    );
    server.signed_in(READER, PASSWORD).await;

    let db = server.db().await;
    let (actor, detail): (String, String) = sqlx::query_as(
        "SELECT actor, detail FROM audit_log WHERE action = 'account-unlocked' AND target = $1",
    )
    .bind(READER)
    .fetch_one(db.pool())
    .await
    .expect("the unlock is audited");
    assert_eq!(actor, "command-line");
    assert!(detail.contains("cleared"), "{detail}");

    let out = server.command(
        &["user", "unlock", "--email", "nobody@nowhere.nhs.example"],
        None,
    );
    assert_ne!(out.status, 0);
    assert!(out.stderr.contains("no user with email"), "{}", out.stderr);
}

#[tokio::test]
async fn an_administrator_signs_a_user_out_everywhere_from_the_command_line() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let desk = server.signed_in(READER, PASSWORD).await;
    let phone = server.signed_in(READER, PASSWORD).await;
    let out = server.command(&["user", "sign-out", "--email", READER], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("2 sessions ended"), "{}", out.stdout);
    for client in [&desk, &phone] {
        let (_, home) = server.get(client, "/").await;
        assert!(!home.contains("Isla Placeholder"), "signed out everywhere");
    }
    assert!(audit_actions(&server, READER)
        .await
        .contains(&"sessions-ended".to_owned()));
}

#[tokio::test]
async fn setting_a_password_signs_the_user_out_everywhere() {
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let old = server.signed_in(READER, PASSWORD).await;
    let (_, home) = server.get(&old, "/").await;
    assert!(home.contains("Isla Placeholder"));
    server.set_password(READER, "a-brand-new-passphrase");
    let (_, home) = server.get(&old, "/").await;
    assert!(
        !home.contains("Isla Placeholder"),
        "whoever knew the old password is signed out"
    );
    server.signed_in(READER, "a-brand-new-passphrase").await;
}

/// What is stored of the one session there is.
async fn stored_session(server: &TestServer) -> (String, i64) {
    let db = server.db().await;
    sqlx::query_as::<_, (String, i64)>("SELECT data, expires_at FROM sessions")
        .fetch_one(db.pool())
        .await
        .expect("one session")
}

#[tokio::test]
async fn reading_pages_never_writes_the_session_back() {
    // A request that only reads its session must not save it: finishing after one that changed
    // it, it would write its older copy over the change (a notice or a kept form, lost). The
    // idle lifetime moves on at most once a minute.
    let server = TestServer::start().await;
    server.set_password(READER, PASSWORD);
    let reader = server.signed_in(READER, PASSWORD).await;
    let before = stored_session(&server).await;
    // A whole second on, so a write of `expires_at` would show.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    for path in ["/", "/guides", "/account", "/review"] {
        let (status, _) = server.get(&reader, path).await;
        assert!(status == 200 || status == 403, "{path}: {status}");
    }
    assert_eq!(stored_session(&server).await, before);
    // Still signed in.
    let (_, page) = server.get(&reader, "/").await;
    assert!(page.contains("Isla Placeholder"), "{page}");
}
