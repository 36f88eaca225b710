//! The Markdown textarea of the editor, an island: with JavaScript, a live preview follows the
//! text; without, the editor's Preview button does the same with a round trip.

use leptos::prelude::*;

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
