//! The one error type of the application layer: every server function, page and host route
//! returns it, and [`AppError::status`] is the one place that maps it to an HTTP status.

use serde::{Deserialize, Serialize};
use server_fn_error::{FromServerFnError, ServerFnErrorErr};

mod server_fn_error {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

/// What went wrong, in words a user can be shown. Internal details are logged, never sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing does not exist, or the viewer may not know that it exists.
    #[error("Page not found")]
    NotFound,
    /// The action needs a signed-in user.
    #[error("You need to sign in to do that")]
    Unauthenticated,
    /// The viewer is signed in but their role does not allow the action.
    #[error("You do not have permission to do that")]
    Forbidden,
    /// The input was refused; the message says which field and why.
    #[error("{0}")]
    Invalid(String),
    /// The request collides with a change made at the same moment (two writers took one name).
    #[error("{0}")]
    Conflict(String),
    /// Stored data this version cannot read. It is shown and edited nowhere, so nothing
    /// overwrites it; the server log says what is wrong.
    #[error("This item's stored data cannot be read, so it is not shown or changed. The administrators can see why in the server log.")]
    Unreadable,
    /// The viewer did this too often; the message says what the limit is and when to come back.
    #[error("{0}")]
    TooMany(String),
    /// A fault on our side (database unavailable, bug); details are in the server log.
    #[error("Sorry, there is a problem with the service. Try again later.")]
    Internal,
    /// The request could not be carried to or from the server function. The message is one
    /// of the fixed ones below; the decoder's own words stay in the server log.
    #[error("{0}")]
    Request(String),
}

/// What a person is told when the server cannot read a server function's arguments (a form
/// sent from an old page, a hand-made request).
pub const UNREADABLE_FORM: &str = "The form could not be read. Go back and try again.";

/// What a person is told in the browser when a server function could not be reached or its
/// answer read.
pub const UNREACHABLE: &str =
    "The request could not be completed. Check your connection and try again.";

impl FromServerFnError for AppError {
    type Encoder = server_fn_error::JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // The decoder's message names fields and types; it is logged, never sent.
        #[cfg(feature = "ssr")]
        {
            tracing::warn!(error = %value, "a server function request could not be read");
            AppError::Request(UNREADABLE_FORM.into())
        }
        #[cfg(not(feature = "ssr"))]
        {
            let _ = value;
            AppError::Request(UNREACHABLE.into())
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if crate::db::is_unique_violation(&error) {
            tracing::info!(%error, "unique constraint: a concurrent change got there first");
            return AppError::Conflict(
                "Someone else made the same change at the same moment. Reload the page and try again."
                    .into(),
            );
        }
        if let sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) = &error {
            tracing::error!(%error, "stored data cannot be read");
            return AppError::Unreadable;
        }
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        tracing::error!(error = %e, "background task failed");
        AppError::Internal
    }
}

impl AppError {
    /// The HTTP status that answers this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::Invalid(_) | AppError::Request(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::TooMany(_) => 429,
            AppError::Unreadable | AppError::Internal => 500,
        }
    }
}

/// Sets the response status of the current server function to match its error, so that a
/// hidden document answers 404 there too.
#[cfg(feature = "ssr")]
pub fn with_status<T>(result: AppResult<T>) -> AppResult<T> {
    if let Err(e) = &result {
        if let (Some(response), Ok(code)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            axum::http::StatusCode::from_u16(e.status()),
        ) {
            response.set_status(code);
        }
    }
    result
}

/// Result of a server function.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_unique_constraint_violation_is_a_conflict_not_a_server_error() {
        sqlx::any::install_default_drivers();
        // One connection: each new connection to `sqlite::memory:` is a database of its own.
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (slug TEXT UNIQUE)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO t VALUES ('a')")
            .execute(&pool)
            .await
            .unwrap();
        let err = sqlx::query("INSERT INTO t VALUES ('a')")
            .execute(&pool)
            .await
            .unwrap_err();
        let app = AppError::from(err);
        assert!(matches!(app, AppError::Conflict(_)), "{app:?}");
        assert_eq!(app.status(), 409);
    }
}
