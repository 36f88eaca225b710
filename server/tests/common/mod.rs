//! Starts the real `trustshare` binary on a random port with a fresh database, and talks HTTP.
//!
//! SQLite by default; with `TRUSTSHARE_TEST_POSTGRES` set to a server URL such as
//! `postgres://postgres@127.0.0.1:5432`, each server gets a fresh PostgreSQL database that is
//! dropped afterwards.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use app::db::Db;

pub const PASSWORD: &str = "correct-horse-battery-staple";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_trustshare")
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// A scratch folder removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!(
            "trustshare-test-{label}-{}-{n}-{}",
            std::process::id(),
            time::OffsetDateTime::now_utc().unix_timestamp_nanos()
        ));
        std::fs::create_dir_all(&path).expect("create temp dir");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The database one test server uses.
pub struct TestDatabase {
    pub url: String,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub fn create(data_dir: &Path) -> Self {
        match std::env::var("TRUSTSHARE_TEST_POSTGRES")
            .ok()
            .filter(|u| !u.is_empty())
        {
            None => Self {
                url: format!("sqlite://{}", data_dir.join("trustshare.db").display()),
                postgres: None,
            },
            Some(server) => {
                let server = server.trim_end_matches('/').to_owned();
                let name = format!(
                    "trustshare_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    time::OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000_000
                );
                run_sql(
                    &format!("{server}/postgres"),
                    &format!("CREATE DATABASE {name}"),
                );
                Self {
                    url: format!("{server}/{name}"),
                    postgres: Some((server, name)),
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.postgres {
            run_sql(
                &format!("{server}/postgres"),
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

fn run_sql(url: &str, sql: &str) {
    let url = url.to_owned();
    let sql = sql.to_owned();
    // Drop may run inside a runtime, so use a thread with its own.
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(&url)
                .await
                .expect("connect to PostgreSQL");
            sqlx::query(&sql)
                .execute(&mut conn)
                .await
                .expect("run admin SQL");
        })
    })
    .join()
    .expect("admin SQL thread");
}

/// Output of a finished command.
pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A running server and what it was started with.
pub struct TestServer {
    pub base: String,
    pub admin_password: String,
    pub data_dir: TempDir,
    pub content_dir: PathBuf,
    pub database: TestDatabase,
    child: Child,
}

impl TestServer {
    /// A server whose first start imports the repository's demo content.
    pub async fn start() -> Self {
        Self::start_with_content(repo_root().join("content")).await
    }

    pub async fn start_with_content(content_dir: PathBuf) -> Self {
        let data_dir = TempDir::new("data");
        let database = TestDatabase::create(&data_dir.0);
        let mut child = Command::new(bin())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .arg("--data-dir")
            .arg(&data_dir.0)
            .arg("--database-url")
            .arg(&database.url)
            .arg("--content-dir")
            .arg(&content_dir)
            .arg("--site-root")
            .arg(repo_root().join("target/site"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start trustshare");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut password = String::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(p) = line.trim().strip_prefix("Password: ") {
                    password = p.to_owned();
                }
                if let Some(rest) = line.strip_prefix("Trustshare listening on ") {
                    let addr = rest
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    let _ = tx.send((addr, password.clone()));
                }
            }
        });
        let (base, admin_password) = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("server did not print its address within two minutes");
        Self {
            base,
            admin_password,
            data_dir,
            content_dir,
            database,
            child,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Runs a `trustshare` command against this server's database.
    pub fn command(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(bin())
            .args(args)
            .arg("--data-dir")
            .arg(&self.data_dir.0)
            .arg("--database-url")
            .arg(&self.database.url)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run trustshare");
        {
            let mut input = child.stdin.take().expect("stdin");
            if let Some(text) = stdin {
                // A command that refuses its arguments exits before reading; that is fine.
                let _ = input.write_all(text.as_bytes());
            }
        }
        let out = child.wait_with_output().expect("wait for trustshare");
        Output {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Sets the password of a user from the demo content (they are imported without one).
    pub fn set_password(&self, email: &str, password: &str) {
        let out = self.command(
            &["user", "password", "--email", email],
            Some(&format!("{password}\n")),
        );
        assert_eq!(out.status, 0, "user password failed: {}", out.stderr);
    }

    /// Opens the server's database directly, to check what was stored.
    pub async fn db(&self) -> Db {
        Db::connect(&self.database.url)
            .await
            .expect("open test database")
    }

    /// A browser-like client: cookie jar, no automatic redirects, asks for HTML.
    pub fn client(&self) -> reqwest::Client {
        client()
    }

    /// Signs in a new client.
    pub async fn signed_in(&self, email: &str, password: &str) -> reqwest::Client {
        let client = self.client();
        let response = self.sign_in(&client, email, password).await;
        assert_eq!(response.status(), 302);
        let location = location(&response);
        assert!(
            !location.starts_with("/login"),
            "sign-in as {email} failed: redirected to {location}"
        );
        client
    }

    /// Posts the sign-in form as a browser without JavaScript would.
    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/api/sign-in"))
            .header("origin", &self.base)
            .header("referer", self.url("/login"))
            .form(&[("email", email), ("password", password), ("next", "")])
            .send()
            .await
            .expect("post sign-in")
    }

    pub async fn get(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let response = client.get(self.url(path)).send().await.expect("GET");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers({
            let mut h = reqwest::header::HeaderMap::new();
            h.insert(
                reqwest::header::ACCEPT,
                "text/html".parse().expect("header"),
            );
            h
        })
        .build()
        .expect("client")
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The `Set-Cookie` value for the session cookie, if the response set one.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("trustshare_session="))
        .map(str::to_owned)
}

/// Waits until `check` passes or the deadline (for background work; never asserts on time).
pub async fn eventually<F, Fut>(mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(Instant::now() < deadline, "condition not met within 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Writes a content tree for a test: `files` are (relative path, text).
pub fn content_tree(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new("content");
    for (path, text) in files {
        let full = dir.0.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write content file");
    }
    dir
}

/// Posts a form as a browser without JavaScript would; returns the status and `Location`.
pub async fn post_form(
    server: &TestServer,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let response = client
        .post(server.url(path))
        .header("origin", &server.base)
        .form(fields)
        .send()
        .await
        .expect("post form");
    (response.status().as_u16(), location(&response))
}

/// The value of the hidden or text input named `name` in a page.
pub fn input_value(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let at = page.find(&marker)?;
    let tag_start = page[..at].rfind('<')?;
    let tag_end = at + page[at..].find('>')?;
    let tag = &page[tag_start..tag_end];
    let value = tag.split("value=\"").nth(1)?.split('"').next()?;
    Some(
        value
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">"),
    )
}
