//! Checking a sign-in attempt. In order, each step costing more than the one before:
//!
//! 1. the typed values are checked for size (an email of at most [`MAX_EMAIL_CHARS`], a password
//!    of at most [`MAX_PASSWORD_CHARS`] characters), before anything is looked up or written;
//! 2. the client's allowance of attempts per minute ([`super::throttle`]);
//! 3. whether this client is locked out of this account ([`super::failures`]); if so, the
//!    attempt is refused without checking the password;
//! 4. the account's slow-down: once the account has failed `login_slowdown_after` times in a row
//!    from anywhere, each attempt waits a second more per failure (at most
//!    [`MAX_SLOWDOWN`]) before its password is checked;
//! 5. a password-checking slot, waited for briefly;
//! 6. the argon2 check, the same work whether or not the email belongs to an account.
//!
//! Unknown emails go through exactly the same steps and counts as real ones, so neither the
//! answer nor its timing says which emails have accounts.

use std::time::Duration;

use super::failures::{self, When};
use super::throttle::{ClientKey, SignInGate, TurnedAway};
use super::{login_errors, MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS};
use crate::db::{self, Action, Actor, Event};
use crate::error::AppResult;
use crate::state::{app_state, AppState};
use crate::users::store::{self as users, UserRow};

/// The longest an account's slow-down makes one attempt wait.
pub const MAX_SLOWDOWN: Duration = Duration::from_secs(5);
/// What a client turned away for the moment is told to wait, when nothing more exact is known.
pub const RETRY_AFTER: Duration = Duration::from_secs(60);

/// What became of an attempt.
#[derive(Debug)]
pub enum Outcome {
    SignedIn(UserRow),
    /// Wrong password or unknown email: the same answer for both.
    Refused,
    /// This client failed too often for this account and must wait (or be unlocked).
    Locked,
    /// Turned away before any check: too many attempts from this client, or too many at once.
    TurnedAway(TurnedAway),
}

/// Handles the sign-in form: on success the session is started and the browser goes to `next`;
/// otherwise back to the sign-in page with the email kept (unless it was too long to keep).
pub async fn sign_in_request(
    email: String,
    password: String,
    next: Option<String>,
) -> AppResult<()> {
    let next = super::safe_next(next.as_deref());
    let email = email.trim().to_owned();
    let mut errors = Vec::new();
    let mut keep_email = true;
    if email.is_empty() {
        errors.push(login_errors::MISSING_EMAIL);
    } else if email.chars().count() > MAX_EMAIL_CHARS {
        errors.push(login_errors::EMAIL_TOO_LONG);
        keep_email = false;
    }
    if password.is_empty() {
        errors.push(login_errors::MISSING_PASSWORD);
    } else if password.chars().count() > MAX_PASSWORD_CHARS {
        errors.push(login_errors::PASSWORD_TOO_LONG);
    }
    if errors.is_empty() {
        let state = app_state()?;
        let gate = super::throttle::gate()?;
        let client_ip = super::session::client_ip().await;
        let client = client_ip.map_or(ClientKey::UNKNOWN, ClientKey::of);
        let client_addr = client_ip.map(|ip| ip.to_string());
        let outcome = attempt(&state, &gate, &email, &password, client, client_addr).await?;
        match outcome {
            Outcome::SignedIn(user) => {
                if start_session(&state, &user).await? {
                    leptos_axum::redirect(&next);
                    return Ok(());
                }
                errors.push(login_errors::INVALID);
            }
            Outcome::Refused => errors.push(login_errors::INVALID),
            Outcome::Locked => errors.push(login_errors::LOCKED),
            Outcome::TurnedAway(TurnedAway::TooManyFromClient(wait)) => {
                retry_after(wait);
                errors.push(login_errors::TOO_MANY_ATTEMPTS);
            }
            Outcome::TurnedAway(TurnedAway::Busy) => {
                retry_after(RETRY_AFTER);
                errors.push(login_errors::BUSY);
            }
        }
    }
    let kept = if keep_email { email.as_str() } else { "" };
    leptos_axum::redirect(&login_url(kept, &errors, &next));
    Ok(())
}

/// Starts the signed-in session. If the password changed while the attempt was being checked
/// (the change ends every session, possibly before this one was stored), the session is ended
/// again and the attempt refused.
async fn start_session(state: &AppState, user: &UserRow) -> AppResult<bool> {
    let session = super::session::request_session().await?;
    super::session::start(state, &session, user.id).await?;
    let current = users::find_by_id(state.db.pool(), user.id).await?;
    if current.is_some_and(|now| now.password_hash == user.password_hash) {
        return Ok(true);
    }
    super::session::end(&session).await?;
    Ok(false)
}

/// Tells the client when to come back (`Retry-After`, whole seconds, at least one).
fn retry_after(wait: Duration) {
    use axum::http::{header, HeaderValue};
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    }
}

/// The sign-in page's address carrying the typed email and the reasons for refusal.
pub fn login_url(email: &str, errors: &[&str], next: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if !email.is_empty() {
        query.append_pair("email", email);
    }
    if !errors.is_empty() {
        query.append_pair("error", &errors.join(","));
    }
    if next != "/" {
        query.append_pair("next", next);
    }
    format!("/login?{}", query.finish())
}

/// Checks credentials, after the gate and the lock-out; counts and records a failure.
pub async fn attempt(
    state: &AppState,
    gate: &SignInGate,
    email: &str,
    password: &str,
    client: ClientKey,
    client_addr: Option<String>,
) -> AppResult<Outcome> {
    let account = email.trim().to_ascii_lowercase();
    let settings = &state.settings;
    if let Err(turned_away) = gate.admit(client) {
        tracing::debug!(client = %client.as_stored(), "sign-in: client over its allowance");
        return Ok(Outcome::TurnedAway(turned_away));
    }

    let now = state.now();
    let now_text = db::format_timestamp(now);
    let forget_text = db::format_timestamp(now - settings.login_lock_for);
    let when = When {
        now: &now_text,
        forget_before: &forget_text,
    };
    let client_text = client.as_stored();
    // Failed and refused attempts are recorded as the anonymous caller they are; the typed
    // email is the target, written once.
    let anonymous = Actor {
        user_id: None,
        label: "anonymous".to_owned(),
        org_id: None,
        client_addr: client_addr.clone(),
    };

    let standing = failures::standing(&state.db, &account, &client_text, when).await?;
    if let Some(until) = standing.locked_until {
        let mut rec = state.db.record(&anonymous).await?;
        rec.record(Event {
            action: Action::SignInLocked,
            target: &account,
            detail: &format!(
                "this client is locked out of the account until {until}; password not checked"
            ),
            change: None,
        })
        .await?;
        rec.commit().await?;
        return Ok(Outcome::Locked);
    }

    let slowdown = slowdown(standing.account_failures + 1, settings.login_slowdown_after);
    if !slowdown.is_zero() {
        state.clock.sleep(slowdown).await;
    }

    let slot = match gate.checking_slot().await {
        Ok(slot) => slot,
        Err(turned_away) => {
            tracing::debug!("sign-in: every password-checking slot busy");
            return Ok(Outcome::TurnedAway(turned_away));
        }
    };
    let user = users::find_by_email(state.db.pool(), &account).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let has_password = stored.is_some();
    let matches = gate.check(slot, password.to_owned(), stored).await;

    if let (true, Some(user)) = (matches, user.as_ref()) {
        let actor = Actor {
            user_id: Some(user.id),
            label: user.email.clone(),
            org_id: Some(user.org_id),
            client_addr,
        };
        let mut rec = state.db.record(&actor).await?;
        let lock =
            failures::clear_after_success(&mut rec, &account, &client_text, &now_text).await?;
        let (action, detail) = match &lock {
            Some(until) => (
                Action::SignInLocked,
                format!("right password, but this client was locked out of the account until {until} meanwhile"),
            ),
            None => (Action::SignIn, String::new()),
        };
        rec.record(Event {
            action,
            target: &account,
            detail: &detail,
            change: None,
        })
        .await?;
        rec.commit().await?;
        return Ok(match lock {
            Some(_) => Outcome::Locked,
            None => Outcome::SignedIn(user.clone()),
        });
    }

    let lock_until = db::format_timestamp(now + settings.login_lock_for);
    let mut rec = state.db.record(&anonymous).await?;
    let counted = failures::record_failure(
        &mut rec,
        &account,
        &client_text,
        when,
        settings.login_lock_after,
        &lock_until,
    )
    .await?;
    let reason = match (&user, has_password) {
        (None, _) => "unknown account",
        (Some(_), false) => "account without a password",
        (Some(_), true) => "wrong password",
    };
    let mut detail = format!(
        "{reason}; {} failures in a row from this client, {} for the account",
        counted.client_failures, counted.account_failures
    );
    if let Some(until) = &counted.locked_until {
        detail.push_str(&format!(
            "; this client is locked out of the account until {until}"
        ));
    }
    rec.record(Event {
        action: Action::SignInFailed,
        target: &account,
        detail: &detail,
        change: None,
    })
    .await?;
    rec.commit().await?;
    Ok(Outcome::Refused)
}

/// How long the attempt that would be the account's `failures`-th failure in a row waits.
pub fn slowdown(failures: i64, slowdown_after: i64) -> Duration {
    let extra = failures.saturating_sub(slowdown_after).max(0) as u64;
    Duration::from_secs(extra).min(MAX_SLOWDOWN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slowdown_grows_a_second_per_failure_up_to_its_limit() {
        assert_eq!(slowdown(3, 3), Duration::ZERO);
        assert_eq!(slowdown(4, 3), Duration::from_secs(1));
        assert_eq!(slowdown(6, 3), Duration::from_secs(3));
        assert_eq!(slowdown(100, 3), MAX_SLOWDOWN);
        assert_eq!(slowdown(1, 3), Duration::ZERO);
    }
}
