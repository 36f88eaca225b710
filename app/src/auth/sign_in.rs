//! Checking a sign-in attempt, with slow-down and lock-out after repeated failures.

use std::time::Duration;

use super::login_errors;
use crate::db::{self, Action, Actor, Event};
use crate::error::AppResult;
use crate::state::{app_state, AppState};
use crate::users::store::{self as users, UserRow};

/// What became of an attempt. Callers show the same message for every failure.
pub enum Outcome {
    SignedIn(UserRow),
    Refused,
}

/// Handles the sign-in form: on success the session is started and the browser goes to `next`;
/// otherwise back to the sign-in page with the email kept.
pub async fn sign_in_request(
    email: String,
    password: String,
    next: Option<String>,
) -> AppResult<()> {
    let state = app_state()?;
    let next = super::safe_next(next.as_deref());
    let email = email.trim().to_owned();
    let mut errors = Vec::new();
    if email.is_empty() {
        errors.push(login_errors::MISSING_EMAIL);
    }
    if password.is_empty() {
        errors.push(login_errors::MISSING_PASSWORD);
    }
    if errors.is_empty() {
        let client = super::session::client_addr().await;
        match attempt(&state, &email, &password, client).await? {
            Outcome::SignedIn(user) => {
                let session = super::session::request_session().await?;
                super::session::start(&state, &session, user.id).await?;
                leptos_axum::redirect(&next);
                return Ok(());
            }
            Outcome::Refused => errors.push(login_errors::INVALID),
        }
    }
    leptos_axum::redirect(&login_url(&email, &errors, &next));
    Ok(())
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

/// Checks credentials. Every refusal costs the same password-hashing effort, and repeated
/// failures for one account slow it down and then lock it for a while.
pub async fn attempt(
    state: &AppState,
    email: &str,
    password: &str,
    client_addr: Option<String>,
) -> AppResult<Outcome> {
    let email = email.trim().to_ascii_lowercase();
    let settings = &state.settings;
    let actor = |user: Option<&UserRow>| Actor {
        user_id: user.map(|u| u.id),
        label: email.clone(),
        org_id: user.map(|u| u.org_id),
        client_addr: client_addr.clone(),
    };

    // Records one sign-in event, with whatever the account's counters need, in one write.
    let audit_only = |user: Option<&UserRow>, action: Action, detail: &'static str| {
        let actor = actor(user);
        let email = email.clone();
        async move {
            let mut rec = state.db.record(&actor).await?;
            rec.record(Event {
                action,
                target: &email,
                detail,
                change: None,
            })
            .await?;
            rec.commit().await
        }
    };

    let Some(user) = users::find_by_email(state.db.pool(), &email).await? else {
        spend_hashing_effort(password.to_owned(), None).await;
        audit_only(None, Action::SignInFailed, "unknown account").await?;
        return Ok(Outcome::Refused);
    };

    let now = state.now();
    let locked = user
        .locked_until
        .as_deref()
        .and_then(db::parse_timestamp)
        .is_some_and(|until| until > now);
    if locked {
        spend_hashing_effort(password.to_owned(), None).await;
        audit_only(Some(&user), Action::SignInLocked, "account locked").await?;
        return Ok(Outcome::Refused);
    }

    let matches = spend_hashing_effort(password.to_owned(), user.password_hash.clone()).await;
    if matches {
        let mut rec = state.db.record(&actor(Some(&user))).await?;
        users::clear_failed_logins(&mut rec, user.id).await?;
        rec.record(Event {
            action: Action::SignIn,
            target: &email,
            detail: "",
            change: None,
        })
        .await?;
        rec.commit().await?;
        return Ok(Outcome::SignedIn(user));
    }

    // A lock that has expired starts the count again.
    let previous = if user.locked_until.is_some() {
        0
    } else {
        user.failed_logins
    };
    let failures = previous + 1;
    let lock = (failures >= settings.login_lock_after)
        .then(|| db::format_timestamp(now + settings.login_lock_for));
    let mut rec = state.db.record(&actor(Some(&user))).await?;
    users::record_failed_login(
        &mut rec,
        user.id,
        if lock.is_some() { 0 } else { failures },
        lock.as_deref(),
    )
    .await?;
    let detail = match &lock {
        Some(until) => {
            format!("wrong password; {failures} consecutive failures; locked until {until}")
        }
        None => format!("wrong password; {failures} consecutive failures"),
    };
    rec.record(Event {
        action: Action::SignInFailed,
        target: &email,
        detail: &detail,
        change: None,
    })
    .await?;
    rec.commit().await?;

    if failures > settings.login_slowdown_after {
        let extra = (failures - settings.login_slowdown_after).min(5) as u64;
        state.clock.sleep(Duration::from_secs(extra)).await;
    }
    Ok(Outcome::Refused)
}

/// Runs the password check off the async threads; without a stored hash it still spends the
/// same effort and fails.
async fn spend_hashing_effort(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match stored {
        Some(hash) => super::password::verify(&password, &hash),
        None => {
            super::password::verify_against_nothing(&password);
            false
        }
    })
    .await
    .unwrap_or(false)
}
