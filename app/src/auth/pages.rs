//! `/login`: the sign-in form. It is a plain HTML form; the password island only adds a
//! "Show password" button once the page's script has loaded.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{get_current_user, login_errors};
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
    let mut errors = Vec::new();
    let mut email_error = None;
    let mut password_error = None;
    if has(login_errors::INVALID) {
        let m = "Enter a correct email address and password. After several failed attempts an account is locked for 15 minutes.".to_owned();
        errors.push(FormError::new("email", m.clone()));
        email_error = Some("The email address or password is not correct".to_owned());
    }
    if has(login_errors::MISSING_EMAIL) {
        let m = "Enter your email address".to_owned();
        errors.push(FormError::new("email", m.clone()));
        email_error = Some(m);
    }
    if has(login_errors::MISSING_PASSWORD) {
        let m = "Enter your password".to_owned();
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
