//! Start-up: database, first-start set-up, router, and serving until a shutdown signal.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use app::auth::throttle::SignInGate;
use app::db::Db;
use app::search::Engine;
use app::state::{AppState, Clock, Extension, RequestScope, Settings, SystemClock};
use app::{shell, App};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::config::Config;
use crate::error::ServerError;
use crate::security::{self, AllowedHost, AllowedOrigin, HeaderPolicy};
use crate::session_store::DbSessionStore;
use crate::setup;
use crate::site::SiteFiles;
use crate::start_lock::StartLock;

/// Opens the database and applies migrations, creating the data folder for SQLite. Migrations
/// run under the start-up lock, so a command started beside a starting server waits for it.
pub async fn open_database(data_dir: &std::path::Path, url: &str) -> Result<Db, ServerError> {
    let lock = lock_database(data_dir, url).await?;
    let db = connect_and_migrate(url).await;
    lock.release().await;
    db
}

/// Opens and migrates the database and does the first-start set-up, all under the start-up
/// lock: of several instances starting together on one empty database, exactly one imports
/// the content and creates the administrator, and the others find it done. Returns the
/// administrator's password when this start created the account.
pub async fn open_and_set_up(config: &Config) -> Result<(Db, Option<String>), ServerError> {
    let lock = lock_database(&config.data_dir, &config.database_url).await?;
    let result = async {
        let db = connect_and_migrate(&config.database_url).await?;
        let admin_password = setup::first_start(&db, &config.content_dir).await?;
        Ok((db, admin_password))
    }
    .await;
    lock.release().await;
    result
}

/// Creates the data folder (for SQLite) and takes the start-up lock.
async fn lock_database(data_dir: &std::path::Path, url: &str) -> Result<StartLock, ServerError> {
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(data_dir).map_err(|source| ServerError::Io {
            what: format!("create the data folder {}", data_dir.display()),
            source,
        })?;
    }
    StartLock::acquire(url).await
}

async fn connect_and_migrate(url: &str) -> Result<Db, ServerError> {
    // Before anything is written: approving a plan must move its milestone events.
    app::install_hooks();
    let db = Db::connect(url)
        .await
        .map_err(|e| ServerError::Database(format!("cannot open {}: {e}", redact(url))))?;
    db.migrate()
        .await
        .map_err(|e| ServerError::Database(format!("migration failed: {e}")))?;
    Ok(db)
}

/// Hides a password in a database URL before it is printed.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

/// Runs the portal until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), ServerError> {
    let running = spawn(config, Arc::new(SystemClock)).await?;
    // Scripts (and tests) read this line to find the port.
    println!(
        "Trustshare listening on http://{} (public URL {})",
        running.addr, running.public_url
    );
    tracing::info!(addr = %running.addr, "listening");
    running.run_until(shutdown_signal()).await
}

/// A portal serving on the current runtime, started by [`spawn`].
#[derive(Debug)]
pub struct Running {
    /// The address it listens on (the real port when the configuration asked for port 0).
    pub addr: SocketAddr,
    /// The URL users reach it at, without a trailing slash.
    pub public_url: String,
    /// The generated password of the administrator, when this start created the first one.
    pub admin_password: Option<String>,
    pub db: Db,
    /// The search engine, kept up to date by `indexer`.
    pub search: Arc<Engine>,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<Result<(), ServerError>>,
    cleanup: tokio::task::JoinHandle<()>,
    /// Follows the change log into the search index.
    indexer: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Serves until `signal` completes (then finishes the requests under way) or serving fails.
    pub async fn run_until(
        mut self,
        signal: impl std::future::Future<Output = ()>,
    ) -> Result<(), ServerError> {
        let result = tokio::select! {
            result = &mut self.server => joined(result),
            () = signal => {
                let _ = self.stop.send(());
                joined(self.server.await)
            }
        };
        self.cleanup.abort();
        self.indexer.abort();
        result
    }

    /// Stops serving, finishing the requests under way.
    pub async fn stop(self) -> Result<(), ServerError> {
        self.run_until(std::future::ready(())).await
    }
}

fn joined(
    result: Result<Result<(), ServerError>, tokio::task::JoinError>,
) -> Result<(), ServerError> {
    result.map_err(|e| ServerError::Invalid(format!("the HTTP server task failed: {e}")))?
}

/// Starts the whole portal on the current runtime: opens and migrates the database, does the
/// first-start set-up, listens, and serves with the session clean-up running beside it. `serve`
/// runs exactly this; tests run it in-process with their own settings and clock.
pub async fn spawn(config: Config, clock: Arc<dyn Clock>) -> Result<Running, ServerError> {
    let (db, admin_password) = open_and_set_up(&config).await?;

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServerError::Io {
            what: format!("listen on {}", config.listen),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Io {
        what: "read the listening address".into(),
        source,
    })?;

    let search = open_search(&config.data_dir)?;
    let indexer = search.follow(db.clone());

    let store = DbSessionStore::new(db.clone(), config.session_idle);
    let cleanup = tokio::spawn(delete_expired_sessions(
        store.clone(),
        config.login_lock_for,
    ));
    let router = build_router(&config, db.clone(), addr, store, clock, search.clone());

    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            // A dropped sender stops the server too.
            let _ = stopped.await;
        })
        .await
        .map_err(|source| ServerError::Io {
            what: "serve HTTP".into(),
            source,
        })
    });
    Ok(Running {
        addr,
        public_url,
        admin_password,
        db,
        search,
        stop,
        server,
        cleanup,
        indexer,
    })
}

/// Where the search engine keeps its index: `search/` in the data folder, for every database
/// (each instance sharing a PostgreSQL database keeps its own).
pub fn search_dir(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("search")
}

/// Opens the search engine; a missing or damaged index is rebuilt in the background.
fn open_search(data_dir: &std::path::Path) -> Result<Arc<Engine>, ServerError> {
    Engine::open(search_dir(data_dir)).map_err(|e| ServerError::Invalid(e.to_string()))
}

/// The whole HTTP surface: Leptos pages and server functions, static files, health check.
pub fn build_router(
    config: &Config,
    db: Db,
    addr: SocketAddr,
    store: DbSessionStore,
    clock: Arc<dyn Clock>,
    search: Arc<Engine>,
) -> Router {
    let site_root = config.site_root.clone();
    let site = SiteFiles::find(&site_root);
    let hydrate = site.islands;
    if !hydrate {
        tracing::info!(site_root = %site_root.display(), "no wasm bundle found: pages are served without scripts");
    }
    let leptos_options = LeptosOptions::builder()
        .output_name(site.output_name.clone())
        .site_root(site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let state = AppState {
        leptos_options: leptos_options.clone(),
        db: db.clone(),
        settings: Arc::new(Settings {
            public_url: config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{addr}")),
            session_absolute: config.session_absolute,
            hydrate,
            login_slowdown_after: config.login_slowdown_after,
            login_lock_after: config.login_lock_after,
            login_lock_for: config.login_lock_for,
            sign_in: config.sign_in,
            contacts_per_hour: config.contacts_per_hour,
        }),
        clock: clock.clone(),
        search: Extension::new(search.clone()),
    };
    let feed_gate = Arc::new(crate::routes::events::FeedGate::new(
        "calendar feed links",
        crate::routes::events::FEED_USES_PER_MINUTE,
        crate::routes::events::FEED_TOKENS_TRACKED,
        clock.clone(),
    ));
    let sign_in_gate = Arc::new(SignInGate::new(config.sign_in, clock));

    let routes = route_list();
    let feeds_state = state.clone();
    let contacts_state = state.clone();
    let context_state = state.clone();
    let context = move || {
        provide_context(context_state.clone());
        provide_context(RequestScope::default());
        provide_context(sign_in_gate.clone());
    };
    let shell_options = leptos_options.clone();
    let page_files = app::PageFiles {
        islands: hydrate,
        stylesheet: site.stylesheet.clone().into(),
    };
    let app_shell = move || shell(shell_options.clone(), page_files.clone());
    let not_found = leptos_axum::render_app_async_with_context(context.clone(), app_shell.clone());

    // A browser-session cookie (no Max-Age): the server alone ends sessions, the store after the
    // idle time (reading a session moves it on, at most once a minute) and `auth::session` after
    // the absolute lifetime. Only a request that changed its session saves it, and only if it
    // still exists, so a sign-out sticks while other requests with the same cookie are under
    // way, and a request that only read it never writes an older copy over a newer one.
    let sessions = SessionManagerLayer::new(store)
        .with_name(config.session_cookie_name())
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.https())
        .with_path("/")
        .with_always_save(false)
        .with_expiry(Expiry::OnSessionEnd);

    let allowed = AllowedOrigin {
        public_origin: config.public_url.as_deref().map(origin_of),
    };

    Router::new()
        .route("/healthz", get(health))
        .merge(crate::routes::router())
        .leptos_routes_with_context(&state, routes, context, app_shell)
        // Compressed once at build time (scripts/fingerprint.mjs), never per request.
        .nest_service(
            "/pkg",
            ServeDir::new(site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .nest_service("/assets", ServeDir::new(site_root.join("assets")))
        .fallback(move |request: Request<Body>| {
            let not_found = not_found.clone();
            async move {
                if request.method() == Method::GET || request.method() == Method::HEAD {
                    not_found(request).await
                } else {
                    (
                        StatusCode::NOT_FOUND,
                        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                        "Not found",
                    )
                        .into_response()
                }
            }
        })
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            feeds_state,
            crate::routes::events::event_file,
        ))
        .layer(axum::middleware::from_fn_with_state(
            contacts_state,
            crate::routes::contacts::gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            search,
            crate::routes::search::wake_after_writes,
        ))
        .layer(axum::middleware::from_fn(crate::routes::limits::enforce))
        .layer(sessions)
        .layer(axum::middleware::from_fn(secure_host_cookie_removals))
        .layer(axum::middleware::from_fn_with_state(
            allowed,
            security::refuse_cross_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(
            AllowedHost::from_public_url(config.public_url.as_deref()),
            security::refuse_other_hosts,
        ))
        .layer(axum::middleware::from_fn_with_state(
            HeaderPolicy {
                hsts: config.https(),
            },
            security::security_headers,
        ))
        .layer(axum::Extension(feed_gate))
        // Pages, JSON, feeds and exports, compressed as the browser accepts; a fast setting,
        // since each is compressed afresh. Built files arrive compressed already and pass by.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        // The path without secret feed tokens: a log must not hand out calendar links.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                tracing::debug_span!(
                    "request",
                    method = %request.method(),
                    path = %redact_feed_token(request.uri().path()),
                )
            }),
        )
}

/// `/feeds/{token}/…` with the token hidden; other paths as they are.
fn redact_feed_token(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/feeds/") {
        Some(rest) => {
            let tail = rest.split_once('/').map(|(_, t)| t).unwrap_or_default();
            format!("/feeds/…/{tail}").into()
        }
        None => path.into(),
    }
}

/// The page routes, generated once per process. Generating runs the app with resource loading
/// suppressed process-wide, and a page another in-process server starts rendering meanwhile
/// stalls for good (leptos issue #4773); tests run several servers in one process.
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Marks removals of `__Host-` cookies Secure. tower-sessions removes the session cookie at
/// sign-out with a bare removal cookie (name, Path, Max-Age=0), and browsers ignore a `__Host-`
/// cookie that is not Secure, so without this the signed-out cookie would stay in the browser.
async fn secure_host_cookie_removals(
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    let needs_secure = |value: &str| {
        value.starts_with("__Host-")
            && !value
                .split(';')
                .any(|attribute| attribute.trim().eq_ignore_ascii_case("secure"))
    };
    let headers = response.headers_mut();
    if headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(needs_secure))
    {
        let cookies: Vec<header::HeaderValue> = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| match v.to_str() {
                Ok(text) if needs_secure(text) => {
                    header::HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or(v.clone())
                }
                _ => v.clone(),
            })
            .collect();
        headers.remove(header::SET_COOKIE);
        for cookie in cookies {
            headers.append(header::SET_COOKIE, cookie);
        }
    }
    response
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest)),
        None => url.to_owned(),
    }
}

async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(state.db.pool())
        .await
    {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Every five minutes: deletes expired sessions, and failed sign-ins that are forgotten (no
/// failure for `forget_after`) and lock nothing.
async fn delete_expired_sessions(store: DbSessionStore, forget_after: Duration) {
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    loop {
        tick.tick().await;
        match store.delete_expired().await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(n, "deleted expired sessions"),
            Err(e) => tracing::warn!(error = %e, "could not delete expired sessions"),
        }
        let now = time::OffsetDateTime::now_utc();
        match store
            .forget_sign_in_failures(
                &app::db::format_timestamp(now - forget_after),
                &app::db::format_timestamp(now),
            )
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::debug!(n, "forgot old failed sign-ins"),
            Err(e) => tracing::warn!(error = %e, "could not forget old failed sign-ins"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_passwords_are_hidden() {
        assert_eq!(
            redact("postgres://postgres:secret@127.0.0.1/db"),
            "postgres://postgres:***@127.0.0.1/db"
        );
        assert_eq!(
            redact("sqlite://data/trustshare.db"),
            "sqlite://data/trustshare.db"
        );
    }

    #[test]
    fn origin_drops_the_path() {
        assert_eq!(
            origin_of("https://ts.example.nhs.uk/base"),
            "https://ts.example.nhs.uk"
        );
    }
}
