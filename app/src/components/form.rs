//! Form fields in NHS.UK markup, each with its label, hint and error message, named for the
//! server function that receives the form.

use leptos::prelude::*;

use serde::{Deserialize, Serialize};

/// A problem with one field of a form: the field's id and the message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormError {
    pub field: String,
    pub message: String,
}

impl FormError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The error summary at the top of a form, linking to each field with a problem. It takes
/// focus when the page loads, with or without JavaScript.
#[component]
pub fn ErrorSummary(errors: Vec<FormError>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        view! {
            <div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1" autofocus>
                <h2 class="nhsuk-error-summary__title" id="error-summary-title">"There is a problem"</h2>
                <div class="nhsuk-error-summary__body">
                    <ul class="nhsuk-list nhsuk-error-summary__list">
                        {errors
                            .into_iter()
                            .map(|e| view! { <li><a href=format!("#{}", e.field)>{e.message}</a></li> })
                            .collect_view()}
                    </ul>
                </div>
            </div>
        }
    })
}

/// The messages of one form, looked up by field id.
#[derive(Clone, Debug, Default)]
pub struct Errors(pub Vec<FormError>);

impl Errors {
    pub fn get(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join(". "))
    }
}

/// `form[field]`, the name a server function taking `form: T` reads.
pub fn form_name(field: &str) -> String {
    format!("form[{field}]")
}

fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The NHS.UK form group around a control: label, hint and error message.
#[component]
fn Field(
    id: String,
    label: String,
    hint: Option<String>,
    error: Option<String>,
    visually_hidden_label: bool,
    children: Children,
) -> impl IntoView {
    let group = if error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    let label_class = if visually_hidden_label {
        "nhsuk-label nhsuk-u-visually-hidden"
    } else {
        "nhsuk-label"
    };
    view! {
        <div class=group>
            <label class=label_class for=id.clone()>{label}</label>
            {hint.map(|h| view! { <div class="nhsuk-hint" id=format!("{id}-hint")>{h}</div> })}
            {error.map(|e| view! {
                <span class="nhsuk-error-message" id=format!("{id}-error")>
                    <span class="nhsuk-u-visually-hidden">"Error: "</span>{e}
                </span>
            })}
            {children()}
        </div>
    }
}

/// The control's class, with the error modifier when it has an error.
fn control_class(base: &str, error: &Option<String>) -> String {
    match error {
        Some(_) => format!(
            "{base} {}--error",
            base.split_whitespace().next().unwrap_or(base)
        ),
        None => base.to_owned(),
    }
}

/// A labelled text input.
#[component]
pub fn Input(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] value: String,
    #[prop(optional_no_strip)] error: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "nhsuk-input")] class: &'static str,
    #[prop(optional)] visually_hidden_label: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// For email addresses and codes, where spelling suggestions only get in the way.
    #[prop(optional)]
    spellcheck_off: bool,
) -> impl IntoView {
    let described = described_by(&id, hint.is_some(), error.is_some());
    let class = control_class(class, &error);
    view! {
        <Field id=id.clone() label hint error visually_hidden_label>
            <input
                class=class
                id=id.clone()
                name=name.clone()
                type=input_type
                value=value.clone()
                autocomplete=autocomplete
                spellcheck=spellcheck_off.then_some("false")
                aria-describedby=described.clone()
            />
        </Field>
    }
}

/// A labelled textarea.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] value: String,
    #[prop(optional_no_strip)] error: Option<String>,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    let described = described_by(&id, hint.is_some(), error.is_some());
    let class = control_class("nhsuk-textarea", &error);
    view! {
        <Field id=id.clone() label hint error visually_hidden_label=false>
            <textarea class=class.clone() id=id.clone() name=name.clone() rows=rows.to_string() aria-describedby=described.clone()>
                {value.clone()}
            </textarea>
        </Field>
    }
}

/// A labelled select; `options` are (value, label).
#[component]
pub fn Select(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    options: Vec<(String, String)>,
    #[prop(into)] selected: String,
    #[prop(optional_no_strip)] error: Option<String>,
    #[prop(optional)] visually_hidden_label: bool,
) -> impl IntoView {
    let described = described_by(&id, hint.is_some(), error.is_some());
    let class = control_class("nhsuk-select", &error);
    view! {
        <Field id=id.clone() label hint error visually_hidden_label>
            <select class=class.clone() id=id.clone() name=name.clone() aria-describedby=described.clone()>
                {options.iter().map(|(value, text)| {
                    let is = *value == selected;
                    view! { <option value=value.clone() selected=is>{text.clone()}</option> }
                }).collect_view()}
            </select>
        </Field>
    }
}
