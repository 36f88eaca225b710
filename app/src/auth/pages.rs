//! `/login`: the sign-in form. It is a plain HTML form; the password island only adds a
//! "Show password" button once the page's script has loaded.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{get_current_user, login_errors, MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS};
use crate::components::form::{ErrorSummary, FormError, Input};
use crate::components::loading::when_loaded;

/// `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let user = Resource::new(|| (), |_| get_current_user());
    let email = move || query.read().get("email").unwrap_or_default();
    let next = move || query.read().get("next").unwrap_or_default();
    let codes = move || {
        query
            .read()
            .get("error")
            .map(|e| e.split(',').map(str::to_owned).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        {when_loaded(user, move |user| match user {
                    Some(account) => { let u = account.user; view! {
                        <Title text="Signed in"/>
                        <h1>"You are signed in"</h1>
                        <p>{format!("You are signed in as {} ({}), {}.", u.name, u.email, u.org_name)}</p>
                        <form action="/api/sign-out" method="post">
                            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Sign out"</button>
                        </form>
                    }.into_any() }
                    None => view! { <SignInForm email=email() next=next() codes=codes()/> }.into_any(),
                })}
    }
}

#[component]
fn SignInForm(email: String, next: String, codes: Vec<String>) -> impl IntoView {
    let has = |code: &str| codes.iter().any(|c| c == code);
    let lock_minutes = lock_minutes();
    let mut errors = Vec::new();
    let mut email_error = None;
    let mut password_error = None;
    // Turned away for the moment: the status and Retry-After say so to browsers and scripts.
    if has(login_errors::BUSY) {
        refused_for_now(503, 60);
        errors.push(FormError::new(
            "email",
            "Too many people are signing in at the moment. Wait a minute and try again.",
        ));
    } else if has(login_errors::TOO_MANY_ATTEMPTS) {
        refused_for_now(429, 60);
        errors.push(FormError::new(
            "email",
            "There have been too many sign-in attempts from your network in the last minute. Wait a minute and try again.",
        ));
    } else if has(login_errors::LOCKED) {
        refused_for_now(429, lock_minutes * 60);
        errors.push(FormError::new(
            "email",
            format!(
                "There were too many wrong passwords for this account from your network. Wait {lock_minutes} minutes and try again, \
                 or ask your organisation's Trustshare administrator to unlock your account."
            ),
        ));
        email_error = Some(format!(
            "Signing in to this account from your network is paused for up to {lock_minutes} minutes"
        ));
    }
    if has(login_errors::INVALID) {
        let m = format!(
            "Enter a correct email address and password. After several wrong passwords, signing in to the account from your network is paused for {lock_minutes} minutes."
        );
        errors.push(FormError::new("email", m));
        email_error = Some("The email address or password is not correct".to_owned());
    }
    if has(login_errors::MISSING_EMAIL) {
        let m = "Enter your email address".to_owned();
        errors.push(FormError::new("email", m.clone()));
        email_error = Some(m);
    }
    if has(login_errors::EMAIL_TOO_LONG) {
        let m = format!("Enter an email address of {MAX_EMAIL_CHARS} characters or fewer");
        errors.push(FormError::new("email", m.clone()));
        email_error = Some(m);
    }
    if has(login_errors::MISSING_PASSWORD) {
        let m = "Enter your password".to_owned();
        errors.push(FormError::new("password", m.clone()));
        password_error = Some(m);
    }
    if has(login_errors::PASSWORD_TOO_LONG) {
        let m = format!("Enter a password of {MAX_PASSWORD_CHARS} characters or fewer");
        errors.push(FormError::new("password", m.clone()));
        password_error = Some(m);
    }
    let title = if errors.is_empty() {
        "Sign in"
    } else {
        "Error: Sign in"
    };
    view! {
        <Title text=title/>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                <h1>"Sign in to Trustshare"</h1>
                <p>"Use the email address and password your organisation's Trustshare administrator gave you."</p>
                <form action="/api/sign-in" method="post" novalidate>
                    <input type="hidden" name="next" value=next/>
                    <Input id="email" name="email" label="Email address" input_type="email" value=email error=email_error autocomplete="username" spellcheck_off=true/>
                    <PasswordField error=password_error/>
                    <button class="nhsuk-button" type="submit">"Sign in"</button>
                </form>
                <p>"If you have forgotten your password, ask your organisation's Trustshare administrator to reset it."</p>
            </div>
        </div>
    }
}

/// How long a lock-out lasts, as configured, in whole minutes.
fn lock_minutes() -> u64 {
    #[cfg(feature = "ssr")]
    if let Some(state) = use_context::<crate::state::AppState>() {
        return (state.settings.login_lock_for.as_secs() / 60).max(1);
    }
    15
}

/// Answers the page with `status` and `Retry-After: seconds`.
fn refused_for_now(status: u16, seconds: u64) {
    crate::components::loading::set_status(status);
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(seconds.max(1)),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = seconds;
}

/// The password field of the sign-in form, with a "Show password" button that appears once
/// the script has loaded (without it the field is a plain password input).
#[island]
pub fn PasswordField(error: Option<String>) -> impl IntoView {
    let (shown, set_shown) = signal(false);
    let (hydrated, set_hydrated) = signal(false);
    // Effects run only in the browser, so the button stays hidden in server-rendered HTML.
    Effect::new(move |_| set_hydrated.set(true));
    let group_class = if error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    let input_class = if error.is_some() {
        "nhsuk-input nhsuk-input--error ts-password-input"
    } else {
        "nhsuk-input ts-password-input"
    };
    let described_by = error.as_ref().map(|_| "password-error");
    view! {
        <div class=group_class>
            <label class="nhsuk-label" for="password">"Password"</label>
            {error.map(|e| view! {
                <span class="nhsuk-error-message" id="password-error">
                    <span class="nhsuk-u-visually-hidden">"Error: "</span>{e}
                </span>
            })}
            <div class="ts-password-wrapper">
                <input
                    class=input_class
                    id="password"
                    name="password"
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete="current-password"
                    spellcheck="false"
                    aria-describedby=described_by
                />
                <button
                    class="nhsuk-button nhsuk-button--secondary nhsuk-button--small ts-password-toggle"
                    type="button"
                    aria-controls="password"
                    aria-pressed=move || if shown.get() { "true" } else { "false" }
                    hidden=move || !hydrated.get()
                    on:click=move |_| set_shown.update(|s| *s = !*s)
                >
                    {move || if shown.get() { "Hide password" } else { "Show password" }}
                </button>
            </div>
        </div>
    }
}
