//! What every request handler and server function can reach: the database, the settings and
//! the clock.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;

use crate::db::Db;
use crate::error::AppError;

/// Settings the pages and server functions need, taken from the host's configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The URL users reach the portal at, without a trailing slash.
    pub public_url: String,
    /// A session ends this long after sign-in, however active it is.
    pub session_absolute: Duration,
    /// Whether a wasm bundle was built, so pages load the island scripts.
    pub hydrate: bool,
    /// Failed sign-ins in a row for one account (from anywhere) after which each further attempt
    /// on it is slowed down.
    pub login_slowdown_after: i64,
    /// Failed sign-ins in a row for one account from one client after which that client is
    /// locked out of it.
    pub login_lock_after: i64,
    /// How long a client that failed too often stays locked out of an account.
    pub login_lock_for: Duration,
    /// What sign-in may cost the server.
    pub sign_in: SignInLimits,
    /// Contacts one member may open (page or address card) in an hour.
    pub contacts_per_hour: u32,
}

/// Limits on the work sign-in attempts may cause, so that a flood of them cannot exhaust the
/// server (see `auth::throttle`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignInLimits {
    /// Password checks (argon2, 19 MiB each) running at once.
    pub hashing_slots: usize,
    /// How long an attempt waits for a free checking slot before it is turned away.
    pub wait: Duration,
    /// Sign-in attempts one client address may make per minute (also the burst).
    pub per_client_per_minute: u32,
    /// Client addresses the per-client limit remembers at most.
    pub clients_tracked: usize,
}

/// Shared state of the web application.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
    /// Where sign-in and session checks read the time; tests put a [`ManualClock`] here.
    pub clock: Arc<dyn Clock>,
    /// The search engine the host started (`search::Engine`; `search::engine` gets it back).
    pub search: Extension,
}

/// A service the host puts in the state whose type lives in a module above this one (the
/// search engine): the state holds it without naming the type, and the module that owns the
/// type gets it back with [`Extension::get`].
#[derive(Clone, Default)]
pub struct Extension(Option<Arc<dyn std::any::Any + Send + Sync>>);

impl Extension {
    pub fn new<T: Send + Sync + 'static>(service: Arc<T>) -> Self {
        Self(Some(service))
    }

    /// The service, if one of type `T` was put here.
    pub fn get<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.0.clone()?.downcast::<T>().ok()
    }
}

impl std::fmt::Debug for Extension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Extension(set)"
        } else {
            "Extension(unset)"
        })
    }
}

/// The time as the application sees it.
#[async_trait::async_trait]
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time.
    fn now(&self) -> time::OffsetDateTime;

    /// Waits `duration` (the sign-in slow-down).
    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// The real time.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc()
    }
}

/// A clock that stands still until it is moved, for tests. Clones share one time. Sleeping on it
/// returns at once, the clock moved on by the time slept.
#[derive(Clone, Debug)]
pub struct ManualClock {
    now: Arc<Mutex<time::OffsetDateTime>>,
}

impl ManualClock {
    pub fn new(start: time::OffsetDateTime) -> Self {
        Self {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// A clock starting at the real time, so it agrees with everything that reads that.
    pub fn starting_now() -> Self {
        Self::new(time::OffsetDateTime::now_utc())
    }

    pub fn set(&self, to: time::OffsetDateTime) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = to;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::starting_now()
    }
}

#[async_trait::async_trait]
impl Clock for ManualClock {
    fn now(&self) -> time::OffsetDateTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn sleep(&self, duration: Duration) {
        self.advance(duration);
    }
}

impl AppState {
    /// The current time.
    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    /// Today's date, for review-by dates.
    pub fn today(&self) -> crate::dates::Date {
        crate::dates::Date::from_time(self.now().date())
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// What one request remembers while its page renders: the signed-in user, looked up once.
#[derive(Clone, Debug, Default)]
pub struct RequestScope {
    pub(crate) user: Arc<tokio::sync::OnceCell<Option<crate::users::CurrentUser>>>,
}

/// The application state, from the server function or page context.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
