//! What every request handler and server function can reach: the database and the settings.

use std::sync::Arc;
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
    /// Failed sign-ins for one account after which each further attempt is slowed down.
    pub login_slowdown_after: i64,
    /// Failed sign-ins for one account after which it is locked.
    pub login_lock_after: i64,
    /// How long a locked account stays locked.
    pub login_lock_for: Duration,
}

/// Shared state of the web application.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
}

impl AppState {
    /// The current time.
    pub fn now(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc()
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
