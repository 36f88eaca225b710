//! Sign-in, sign-out and the signed-in user.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub mod pages;

pub use crate::users::{CurrentUser, Role};

#[cfg(feature = "ssr")]
pub mod failures;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod sign_in;
#[cfg(feature = "ssr")]
pub mod throttle;

/// The signed-in user and what the navigation offers them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub user: CurrentUser,
    /// Whether they have a review queue (editors and above).
    pub reviews: bool,
}

/// Longest email address accepted at sign-in (the longest an address can be).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest password accepted at sign-in and by `trustshare user password`.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Error codes the sign-in page understands, carried in its address after a failed attempt.
pub mod login_errors {
    pub const MISSING_EMAIL: &str = "missing-email";
    pub const MISSING_PASSWORD: &str = "missing-password";
    pub const EMAIL_TOO_LONG: &str = "email-too-long";
    pub const PASSWORD_TOO_LONG: &str = "password-too-long";
    /// Wrong password or unknown email.
    pub const INVALID: &str = "invalid";
    /// This client failed too often for this account and is locked out of it for a while.
    pub const LOCKED: &str = "locked";
    /// This client made too many attempts in the last minute (429).
    pub const TOO_MANY_ATTEMPTS: &str = "too-many-attempts";
    /// Too many sign-ins at once on the server (503).
    pub const BUSY: &str = "busy";
}

/// The user of this request, if signed in.
#[server(endpoint = "current-user")]
pub async fn get_current_user() -> Result<Option<Account>, AppError> {
    let viewer = session::viewer().await?;
    let reviews = viewer.review_queue_scope().is_some();
    Ok(viewer.user.map(|user| Account { user, reviews }))
}

/// Signs in with an email address and password, then goes to `next` (a path on this site).
/// On failure it returns to the sign-in page with the email kept and a reason code.
#[server(endpoint = "sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    sign_in::sign_in_request(email, password, next).await
}

/// Signs out: the session record is deleted.
#[server(endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    session::sign_out().await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Keeps a post-sign-in destination on this site: a path, never another host.
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.starts_with("/api/")
                && !n.chars().any(|c| c.is_control()) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/guides?tag=x")), "/guides?tag=x");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
