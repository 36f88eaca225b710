//! One-time messages and form state carried across a redirect in the session, so that a form
//! posted without JavaScript comes back with its errors and everything the user typed.

use serde::{de::DeserializeOwned, Serialize};
use tower_sessions::Session;

use crate::error::{AppError, AppResult};

pub use crate::notice::Notice;

const NOTICE: &str = "flash.notice";

fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store error");
    AppError::Internal
}

pub async fn set_notice(
    session: &Session,
    success: bool,
    message: impl Into<String>,
) -> AppResult<()> {
    session
        .insert(
            NOTICE,
            Notice {
                success,
                message: message.into(),
            },
        )
        .await
        .map_err(session_error)
}

pub async fn take_notice(session: &Session) -> AppResult<Option<Notice>> {
    session.remove(NOTICE).await.map_err(session_error)
}

/// Keeps `value` for the form identified by `key` until the next read.
pub async fn keep<T: Serialize>(session: &Session, key: &str, value: &T) -> AppResult<()> {
    session
        .insert(&format!("flash.form.{key}"), value)
        .await
        .map_err(session_error)
}

/// Takes what was kept for the form `key`, if anything.
pub async fn take<T: DeserializeOwned>(session: &Session, key: &str) -> AppResult<Option<T>> {
    session
        .remove(&format!("flash.form.{key}"))
        .await
        .map_err(session_error)
}
