//! Builds the whole application in-process on a random port with a fresh database, settings and a
//! clock the test controls, and talks HTTP. `command()` still runs the real `trustshare` binary
//! against the same database, and `start_binary()` starts the binary itself, for tests of what the
//! process prints.
//!
//! SQLite by default; with `TRUSTSHARE_TEST_POSTGRES` set to a server URL such as
//! `postgres://postgres@127.0.0.1:5432`, each server gets a fresh PostgreSQL database that is
//! dropped afterwards.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::db::Db;
use app::state::{Clock, SystemClock};
use clap::Parser;
use server::config::{Cli, Config};

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

    /// Another server's database, used but not dropped by this one.
    pub fn shared(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            postgres: None,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
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
    running: Running,
    /// What an in-process server was started with, for [`TestServer::restart`].
    started_with: Option<(Config, Arc<dyn Clock>)>,
}

/// Where the server runs.
enum Running {
    /// On a thread of its own with its own runtime, so a test may block (running a command,
    /// say) while the server keeps answering.
    InProcess {
        stop: Option<tokio::sync::oneshot::Sender<()>>,
        thread: Option<std::thread::JoinHandle<()>>,
    },
    Binary(Child),
}

/// Settings and clock for an in-process server; unset settings take the command line's defaults.
pub struct TestServerBuilder {
    content_dir: PathBuf,
    clock: Arc<dyn Clock>,
    adjust: Vec<ConfigChange>,
    database: Option<String>,
}

/// A change a test makes to the configuration `serve` would read.
type ConfigChange = Box<dyn FnOnce(&mut Config) + Send>;

impl TestServerBuilder {
    /// The folder imported on the first start (default: the repository's demo content).
    pub fn content_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.content_dir = dir.into();
        self
    }

    /// The clock the application reads (default: the system clock). Pass a clone of a
    /// [`ManualClock`] and move the original.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Failed sign-ins after which each attempt is slowed down (`--login-slowdown-after`).
    pub fn slowdown_after(self, failures: i64) -> Self {
        self.configure(move |c| c.login_slowdown_after = failures)
    }

    /// Failed sign-ins after which the account is locked (`--login-lock-after`).
    pub fn lock_after(self, failures: i64) -> Self {
        self.configure(move |c| c.login_lock_after = failures)
    }

    /// How long a lock lasts (`--login-lock-minutes`).
    pub fn lock_for(self, lock: Duration) -> Self {
        self.configure(move |c| c.login_lock_for = lock)
    }

    /// A session's lifetime after sign-in (`--session-absolute-hours`).
    pub fn session_absolute(self, lifetime: Duration) -> Self {
        self.configure(move |c| c.session_absolute = lifetime)
    }

    /// A session's lifetime without activity (`--session-idle-minutes`).
    pub fn session_idle(self, idle: Duration) -> Self {
        self.configure(move |c| c.session_idle = idle)
    }

    /// Any other change to the configuration.
    pub fn configure(mut self, change: impl FnOnce(&mut Config) + Send + 'static) -> Self {
        self.adjust.push(Box::new(change));
        self
    }

    /// Uses another server's database (a second instance of the same portal), with a data
    /// folder of its own.
    pub fn database_of(mut self, other: &TestServer) -> Self {
        self.database = Some(other.database.url.clone());
        self
    }

    /// Builds the application in-process and serves it on 127.0.0.1 and a free port.
    pub async fn start(self) -> TestServer {
        init_logging();
        let data_dir = TempDir::new("data");
        let database = match &self.database {
            Some(url) => TestDatabase::shared(url),
            None => TestDatabase::create(&data_dir.0),
        };
        let mut config = serve_config(&data_dir.0, &database.url, &self.content_dir);
        for change in self.adjust {
            change(&mut config);
        }
        let clock = self.clock;
        let (running, addr, admin_password) = serve_in_process(config.clone(), clock.clone()).await;
        TestServer {
            base: format!("http://{addr}"),
            admin_password: admin_password.unwrap_or_default(),
            data_dir,
            content_dir: self.content_dir,
            database,
            running,
            started_with: Some((config, clock)),
        }
    }
}

/// Starts the application on a thread of its own; returns how to stop it, its address and the
/// administrator's password when this start created one.
async fn serve_in_process(
    config: Config,
    clock: Arc<dyn Clock>,
) -> (Running, std::net::SocketAddr, Option<String>) {
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("test-server".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("test-server-worker")
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let running = match server::startup::spawn(config, clock).await {
                    Ok(running) => running,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                let db = running.db.clone();
                let _ = ready_tx.send(Ok((running.addr, running.admin_password.clone())));
                if let Err(e) = running
                    .run_until(async {
                        let _ = stop_rx.await;
                    })
                    .await
                {
                    eprintln!("test server stopped with an error: {e}");
                }
                db.pool().close().await;
            });
            runtime.shutdown_timeout(Duration::from_secs(5));
        })
        .expect("start the server thread");
    let (addr, admin_password) =
        match tokio::time::timeout(Duration::from_secs(120), ready_rx).await {
            Ok(Ok(Ok(started))) => started,
            Ok(Ok(Err(e))) => panic!("the server did not start: {e}"),
            Ok(Err(_)) => panic!("the server thread ended before the server started"),
            Err(_) => panic!("the server did not start within two minutes"),
        };
    (
        Running::InProcess {
            stop: Some(stop_tx),
            thread: Some(thread),
        },
        addr,
        admin_password,
    )
}

/// Warnings (or what `RUST_LOG` asks for) from in-process servers, shown with a failing test's output.
fn init_logging() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    });
}

/// The configuration `trustshare serve` would read from these flags (and the environment, as
/// the binary would).
fn serve_config(data_dir: &Path, database_url: &str, content_dir: &Path) -> Config {
    let site_root = repo_root().join("target/site");
    let mut args: Vec<std::ffi::OsString> = ["trustshare", "serve", "--listen", "127.0.0.1:0"]
        .map(Into::into)
        .into();
    for (flag, value) in [
        ("--data-dir", data_dir.as_os_str()),
        ("--database-url", database_url.as_ref()),
        ("--content-dir", content_dir.as_os_str()),
        ("--site-root", site_root.as_os_str()),
    ] {
        args.push(flag.into());
        args.push(value.to_owned());
    }
    let cli = Cli::try_parse_from(args).expect("serve flags");
    match cli.command {
        Some(server::config::Command::Serve(args)) => Config::from_serve_args(&args),
        _ => unreachable!("parsed as serve"),
    }
}

impl TestServer {
    /// A server whose first start imports the repository's demo content.
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    pub async fn start_with_content(content_dir: PathBuf) -> Self {
        Self::builder().content_dir(content_dir).start().await
    }

    /// An in-process server with settings and clock chosen by the test.
    pub fn builder() -> TestServerBuilder {
        TestServerBuilder {
            content_dir: repo_root().join("content"),
            clock: Arc::new(SystemClock),
            adjust: Vec::new(),
            database: None,
        }
    }

    /// The real `trustshare serve` process with the demo content, for tests of what it prints.
    pub async fn start_binary() -> Self {
        let content_dir = repo_root().join("content");
        let data_dir = TempDir::new("data");
        let database = TestDatabase::create(&data_dir.0);
        let (child, base, admin_password) =
            spawn_binary(&data_dir.0, &database.url, &content_dir).ready();
        Self {
            base,
            admin_password,
            data_dir,
            content_dir,
            database,
            running: Running::Binary(child),
            started_with: None,
        }
    }

    /// Kills a server started with [`TestServer::start_binary`] with SIGKILL, as a crash or
    /// the kernel's out-of-memory killer would: no shutdown, no flush.
    pub fn kill_binary(&mut self) {
        let Running::Binary(child) = &mut self.running else {
            panic!("kill_binary needs a server started with start_binary");
        };
        child.kill().expect("SIGKILL the server");
        let _ = child.wait();
    }

    /// Waits for the binary server to end (after a test killed it, say) and starts a new
    /// `trustshare serve` on the same data folder and database, on a new port.
    pub fn restart_binary(&mut self) {
        let Running::Binary(child) = &mut self.running else {
            panic!("restart_binary needs a server started with start_binary");
        };
        let _ = child.kill();
        let _ = child.wait();
        let (child, base, _) =
            spawn_binary(&self.data_dir.0, &self.database.url, &self.content_dir).ready();
        self.base = base;
        self.running = Running::Binary(child);
    }

    /// Kills the real process at once (SIGKILL: nothing is flushed or finished) and starts it
    /// again on the same data folder and database.
    pub async fn kill_and_restart_binary(&mut self) {
        self.kill_binary();
        self.restart_binary();
    }

    /// Stops an in-process server (finishing the requests under way), runs `meanwhile` (to
    /// damage its data, say), and starts it again with the same configuration, data folder and
    /// database.
    pub async fn restart(&mut self, meanwhile: impl FnOnce(&Path)) {
        let (config, clock) = self
            .started_with
            .clone()
            .expect("restart needs a server started in-process");
        stop_running(&mut self.running);
        meanwhile(&self.data_dir.0);
        let (running, addr, _) = serve_in_process(config, clock).await;
        self.running = running;
        self.base = format!("http://{addr}");
    }

    /// Waits until the search index has caught up with the database (after start-up, a rebuild
    /// or a burst of changes), as `/api/v1/search` reports it.
    pub async fn search_ready(&self) {
        let client = client();
        let url = self.url("/api/v1/search?q=");
        eventually(|| {
            let client = client.clone();
            let url = url.clone();
            async move {
                let Ok(response) = client.get(&url).send().await else {
                    return false;
                };
                let text = response.text().await.unwrap_or_default();
                let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                json["catching_up"] == serde_json::Value::Bool(false)
            }
        })
        .await;
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

    /// Adds a user with [`PASSWORD`] through `trustshare user add`.
    pub fn add_user(&self, email: &str, name: &str, org: &str, role: &str) {
        let out = self.command(
            &[
                "user", "add", "--email", email, "--name", name, "--org", org, "--role", role,
            ],
            Some(&format!("{PASSWORD}\n")),
        );
        assert_eq!(out.status, 0, "user add failed: {}", out.stderr);
    }

    /// The number a `SELECT COUNT(*) …` gives, straight from the database.
    pub async fn count(&self, sql: &str) -> i64 {
        let db = self.db().await;
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(db.pool())
            .await
            .expect("count")
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

    /// A writable connection straight to the database, past the recorder, for tests that age or
    /// damage stored data the way time or a fault would. The portal's own `Db` refuses that.
    pub async fn tamper(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.database.url)
            .await
            .expect("open test database for writing")
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
        stop_running(&mut self.running);
    }
}

/// Stops a server: an in-process one finishes the requests under way first; a process is killed.
fn stop_running(running: &mut Running) {
    match running {
        Running::InProcess { stop, thread } => {
            if let Some(stop) = stop.take() {
                let _ = stop.send(());
            }
            // Requests under way finish first; a server that hangs is left behind rather
            // than hanging the test.
            if let Some(thread) = thread.take() {
                let deadline = Instant::now() + Duration::from_secs(15);
                while !thread.is_finished() && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(10));
                }
                if thread.is_finished() {
                    let _ = thread.join();
                } else {
                    eprintln!("test server still running 15 s after it was asked to stop");
                }
            }
        }
        Running::Binary(child) => {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        // A request that never gets an answer fails its test instead of stalling the run.
        .timeout(Duration::from_secs(60))
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

/// A page's HTML with the entities the renderer writes turned back into characters, so that
/// tests can look for text as people read it.
pub fn unescaped(page: &str) -> String {
    page.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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

/// A `trustshare serve` process that is starting; [`StartingBinary::ready`] waits for it. Dropped
/// before it is ready (a test failed), the process is killed.
pub struct StartingBinary {
    child: Option<Child>,
    ready: std::sync::mpsc::Receiver<(String, String)>,
}

/// A process killed when the test ends, however it ends.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for StartingBinary {
    fn drop(&mut self) {
        if let Some(child) = self.child.take() {
            drop(KillOnDrop(child));
        }
    }
}
/// Starts `trustshare serve` on a free port with this data folder, database and content folder.
/// Returns at once, so that a test can start several together.
pub fn spawn_binary(data_dir: &Path, database_url: &str, content_dir: &Path) -> StartingBinary {
    let mut child = Command::new(bin())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--database-url")
        .arg(database_url)
        .arg("--content-dir")
        .arg(content_dir)
        .arg("--site-root")
        .arg(repo_root().join("target/site"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start trustshare");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, ready) = std::sync::mpsc::channel();
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
    StartingBinary {
        child: Some(child),
        ready,
    }
}

impl StartingBinary {
    /// Waits until the process listens; returns it, its base URL and the administrator
    /// password it printed (empty when it printed none).
    pub fn ready(mut self) -> (Child, String, String) {
        let child = self.child.take().expect("not yet ready");
        match self.ready.recv_timeout(Duration::from_secs(120)) {
            Ok((base, password)) => (child, base, password),
            Err(_) => {
                let mut child = KillOnDrop(child);
                let status = child.0.try_wait().ok().flatten();
                panic!("trustshare serve did not print its address (exit status: {status:?})");
            }
        }
    }
}

/// Runs a Python `script` on `input` with an independent parser (`module`, a package
/// `scripts/test.sh` installs) and returns the JSON it prints; fails naming the package to
/// install when it is missing, and with Python's message and the input when it cannot read it.
pub fn python_json(module: &str, script: &str, input: &str) -> serde_json::Value {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let check = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .expect("run python3");
    assert!(
        check.success(),
        "these tests read their output back with Python's {module} package: \
         `pip install {module}` (or `apt-get install python3-{module}`); scripts/test.sh installs it"
    );
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{module} could not read it: {}\n{input}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
