//! One-time messages and form state carried across a redirect in the session, so that a form
//! posted without JavaScript comes back with its errors and everything the user typed; and the
//! banner that shows the message ("Draft saved", "Published") at the top of the next page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
pub use session::*;

/// A message for the next page the user sees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub success: bool,
    pub message: String,
}

/// Takes the message waiting for this page, if any.
#[server(endpoint = "notice")]
pub async fn take_notice() -> Result<Option<Notice>, AppError> {
    let session = crate::auth::session::request_session().await?;
    session::take_notice(&session).await
}

/// The waiting message as an NHS.UK inset (success) or error summary (refusal).
#[component]
pub fn NoticeBanner() -> impl IntoView {
    let notice = Resource::new(|| (), |_| take_notice());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                notice.await.ok().flatten().map(|n| {
                    if n.success {
                        view! {
                            <div class="nhsuk-inset-text ts-notice ts-notice--success" role="status">
                                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                                <p>{n.message}</p>
                            </div>
                        }
                        .into_any()
                    } else {
                        view! {
                            <div class="nhsuk-error-summary" role="alert" tabindex="-1" aria-labelledby="notice-title">
                                <h2 class="nhsuk-error-summary__title" id="notice-title">"There is a problem"</h2>
                                <div class="nhsuk-error-summary__body"><p>{n.message}</p></div>
                            </div>
                        }
                        .into_any()
                    }
                })
            })}
        </Suspense>
    }
}

/// Keeping things in the session until the next page.
#[cfg(feature = "ssr")]
mod session {
    use serde::{de::DeserializeOwned, Serialize};
    use tower_sessions::Session;

    use super::Notice;
    use crate::error::{AppError, AppResult};

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

    /// Takes a value kept under `key`. A session is written back only when this finds one:
    /// removing a key marks the session changed even when it was not there, and a session
    /// written back by every page could overwrite what a concurrent request just kept.
    async fn take_key<T: DeserializeOwned>(session: &Session, key: &str) -> AppResult<Option<T>> {
        if session
            .get_value(key)
            .await
            .map_err(session_error)?
            .is_none()
        {
            return Ok(None);
        }
        session.remove(key).await.map_err(session_error)
    }

    pub async fn take_notice(session: &Session) -> AppResult<Option<Notice>> {
        take_key(session, NOTICE).await
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
        take_key(session, &format!("flash.form.{key}")).await
    }
}
