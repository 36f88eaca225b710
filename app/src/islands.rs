//! Interactive islands: the only parts of a page that ship WebAssembly. Each renders complete,
//! working HTML on the server first; the script only adds to it.

use leptos::prelude::*;

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
