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

/// The Markdown textarea of the editor. With JavaScript, a preview rendered by the server (the
/// same sanitiser as the published page) follows the text as it is typed; without, the
/// editor's Preview button does the same with a round trip.
#[island]
pub fn MarkdownEditor(
    id: String,
    name: String,
    label: String,
    hint: String,
    value: String,
    error: Option<String>,
) -> impl IntoView {
    let (text, set_text) = signal(value.clone());
    let (html, set_html) = signal(String::new());
    let (hydrated, set_hydrated) = signal(false);
    let generation = StoredValue::new(0_u64);
    let refresh = move || {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Ok(rendered) =
                        crate::documents::api::preview_markdown(text.get_untracked()).await
                    {
                        set_html.set(rendered);
                    }
                });
            },
            std::time::Duration::from_millis(400),
        );
    };
    Effect::new(move |_| {
        set_hydrated.set(true);
        refresh();
    });
    let group = if error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    let class = if error.is_some() {
        "nhsuk-textarea nhsuk-textarea--error ts-markdown"
    } else {
        "nhsuk-textarea ts-markdown"
    };
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    view! {
        <div class="ts-markdown-editor">
            <div class=group>
                <label class="nhsuk-label" for=id.clone()>{label}</label>
                <div class="nhsuk-hint" id=hint_id>{hint}</div>
                {error.map(|e| view! {
                    <span class="nhsuk-error-message" id=error_id.clone()>
                        <span class="nhsuk-u-visually-hidden">"Error: "</span>{e}
                    </span>
                })}
                <textarea
                    class=class
                    id=id.clone()
                    name=name
                    rows="18"
                    aria-describedby=described
                    on:input=move |ev| {
                        set_text.set(event_target_value(&ev));
                        refresh();
                    }
                >{value}</textarea>
            </div>
            <section class="ts-live-preview" aria-label="Live preview" hidden=move || !hydrated.get()>
                <h2 class="nhsuk-heading-s">"Live preview"</h2>
                <div class="ts-prose" inner_html=move || html.get()></div>
            </section>
        </div>
    }
}
