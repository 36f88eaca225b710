//! `/contacts/new` and `/contacts/{slug}/edit`: the contact editor, a plain form posting to
//! `contacts/save`, with an error summary and errors beside each field; and `/contacts/import`,
//! the CSV import with its dry run. Nothing needs JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{get_contact_editor, get_import_page};
use super::model::{contact_href, ContactEditor, ContactForm, ImportPage, ImportReport};
use super::{ContactRole, ContactVisibility};
use crate::components::form::{form_name, ErrorSummary, Errors, Input, Select, TextArea};
use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb};

/// `/contacts/new` (when `new`) or `/contacts/{slug}/edit`.
#[component]
pub fn ContactEditorPage(#[prop(optional)] new: bool) -> impl IntoView {
    let params = use_params_map();
    let slug = move || {
        if new {
            None
        } else {
            Some(params.read().get("slug").unwrap_or_default())
        }
    };
    let editor = Resource::new(slug, get_contact_editor);
    view! { {when_loaded(editor, |data| view! { <EditorView data/> })} }
}

#[component]
fn EditorView(data: ContactEditor) -> impl IntoView {
    let ContactEditor {
        slug,
        heading,
        form,
        errors,
        orgs,
        archived,
        today,
    } = data;
    let e = Errors(errors.clone());
    let cancel = match &slug {
        Some(slug) => contact_href(slug),
        None => "/contacts".to_owned(),
    };
    let mut crumbs = vec![Crumb::new("/", "Home"), Crumb::new("/contacts", "Contacts")];
    if slug.is_some() {
        crumbs.push(Crumb::new(cancel.clone(), form.name.clone()));
    }
    let page_title = if errors.is_empty() {
        heading.clone()
    } else {
        format!("Error: {heading}")
    };
    let visibilities: Vec<(String, String)> = ContactVisibility::ALL
        .iter()
        .map(|v| (v.as_str().to_owned(), v.label().to_owned()))
        .collect();
    let orgs: Vec<(String, String)> = orgs.into_iter().map(|c| (c.value, c.label)).collect();
    let ContactForm {
        slug: form_slug,
        version,
        name,
        job_title,
        org,
        roles,
        email,
        phone,
        team,
        initiatives,
        last_verified,
        visibility,
    } = form;
    let roles_error = e.get("roles");
    let roles_class = if roles_error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    view! {
        <Title text=page_title/>
        <Breadcrumbs crumbs/>
        <ErrorSummary errors=errors.clone()/>
        <h1>{heading}</h1>
        {archived.then(|| view! {
            <p class="nhsuk-inset-text">"This contact is archived: saving keeps it archived. Restore it from its page."</p>
        })}
        <form id="contact-form" action="/api/contacts/save" method="post" novalidate class="ts-editor">
            <input type="hidden" name=form_name("slug") value=form_slug/>
            <input type="hidden" name=form_name("version") value=version.to_string()/>
            <Input id="name" name=form_name("name") label="Full name" hint="As they write it, with its accents and apostrophes, like Siân Ní Bhriain" value=name error=e.get("name") autocomplete="off" spellcheck_off=true/>
            <Input id="job_title" name=form_name("job_title") label="Job title (optional)" value=job_title error=e.get("job_title")/>
            <Select id="org" name=form_name("org") label="Organisation" options=orgs selected=org error=e.get("org")/>
            <Input id="team" name=form_name("team") label="Team (optional)" value=team error=e.get("team")/>
            <div class=roles_class>
                <fieldset class="nhsuk-fieldset" aria-describedby="roles-hint">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Roles"</legend>
                    <div class="nhsuk-hint" id="roles-hint">"What to call them about. Choose at least one."</div>
                    {roles_error.map(|m| view! {
                        <span class="nhsuk-error-message" id="roles-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                    })}
                    <div class="nhsuk-checkboxes nhsuk-checkboxes--small ts-checkbox-columns" id="roles">
                        {ContactRole::ALL.iter().enumerate().map(|(n, r)| {
                            let checked = roles.contains_key(r.as_str());
                            let box_id = format!("roles-{n}");
                            view! {
                                <div class="nhsuk-checkboxes__item">
                                    <input class="nhsuk-checkboxes__input" id=box_id.clone() type="checkbox"
                                        name=format!("form[roles][{}]", r.as_str()) value="yes" checked=checked/>
                                    <label class="nhsuk-label nhsuk-checkboxes__label" for=box_id>{r.label()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            <Input id="email" name=form_name("email") label="Email" value=email error=e.get("email") input_type="email" autocomplete="off" spellcheck_off=true/>
            <Input id="phone" name=form_name("phone") label="Telephone (optional)" hint="Like 01632 960123 or +44 1632 960123" value=phone error=e.get("phone") input_type="tel" autocomplete="off" class="nhsuk-input nhsuk-input--width-20"/>
            <TextArea id="initiatives" name=form_name("initiatives") label="Initiatives (optional)" hint="The programmes they work on, one per line, like Single sign-on" value=initiatives error=e.get("initiatives") rows=3/>
            <Input id="last_verified" name=form_name("last_verified") label="Last checked" hint=format!("The day these details were last checked with the person, YYYY-MM-DD. Today is {today}.") value=last_verified error=e.get("last_verified") input_type="date" class="nhsuk-input nhsuk-input--width-10"/>
            <Select id="visibility" name=form_name("visibility") label="Who can see it" hint="Contacts are never public" options=visibilities selected=visibility error=e.get("visibility")/>
            <div class="nhsuk-button-group">
                <button class="nhsuk-button" type="submit">"Save contact"</button>
                <a class="nhsuk-link" href=cancel>"Cancel"</a>
            </div>
        </form>
    }
}

/// `/contacts/import`.
#[component]
pub fn ContactImportPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_import_page());
    view! { {when_loaded(page, |page| view! { <ImportView page/> })} }
}

#[component]
fn ImportView(page: ImportPage) -> impl IntoView {
    let ImportPage {
        form,
        report,
        columns,
        orgs,
    } = page;
    let ready = report.as_ref().map_or(0, ImportReport::ready);
    let has_report = report.is_some();
    let org_names = orgs
        .iter()
        .map(|o| o.value.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <Title text="Import contacts"/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home"), Crumb::new("/contacts", "Contacts")]/>
        <h1>"Import contacts from CSV"</h1>
        <p>"Paste a CSV file with a header row. "<strong>"Check the file"</strong>" lists each row's problems and imports nothing; then "<strong>"Import"</strong>" adds every row without problems, all in one go."</p>
        <details class="nhsuk-details">
            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"The columns"</span></summary>
            <div class="nhsuk-details__text">
                <p><code>{columns.join(",")}</code></p>
                <p>"roles and initiatives hold several values separated by semicolons; roles by name (IT lead; Trainer); organisation by its short name ("{org_names}"); last_verified as YYYY-MM-DD; visibility network or organisation. A contact whose email address is already in the directory is a duplicate."</p>
            </div>
        </details>
        {report.map(|r| view! { <ReportView report=r/> })}
        <form action="/api/contacts/upload" method="post" enctype="multipart/form-data" novalidate>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="file">"Upload a CSV file"</label>
                <div class="nhsuk-hint" id="file-hint">"Its text is checked and shown below; nothing is imported until you confirm."</div>
                <input class="nhsuk-file-upload" id="file" name="file" type="file" accept=".csv,text/csv" aria-describedby="file-hint"/>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Check the uploaded file"</button>
        </form>
        <p>"Or paste its text:"</p>
        <form action="/api/contacts/import" method="post" novalidate>
            <input type="hidden" name=form_name("checked") value=form.checked.clone()/>
            <TextArea id="csv" name=form_name("csv") label="CSV text" value=form.csv.clone() rows=12/>
            <div class="nhsuk-button-group">
                <button class="nhsuk-button nhsuk-button--secondary" type="submit" name=form_name("action") value="check">
                    {if has_report { "Check again" } else { "Check the file" }}
                </button>
                {(ready > 0).then(|| view! {
                    <button class="nhsuk-button" type="submit" name=form_name("action") value="import">
                        {format!("Import {ready} contact{}", if ready == 1 { "" } else { "s" })}
                    </button>
                })}
            </div>
        </form>
    }
}

#[component]
fn ReportView(report: ImportReport) -> impl IntoView {
    let ready = report.ready();
    let with_problems = report
        .rows
        .iter()
        .filter(|r| !r.problems.is_empty())
        .count();
    let summary = if !report.file_problems.is_empty() {
        "The file cannot be imported: nothing was imported".to_owned()
    } else {
        format!(
            "{ready} row{} can be imported; {with_problems} {} problems. Nothing has been imported yet.",
            if ready == 1 { "" } else { "s" },
            if with_problems == 1 { "row has" } else { "rows have" }
        )
    };
    view! {
        <section id="report" aria-labelledby="report-title" class="nhsuk-u-margin-bottom-5">
            <h2 id="report-title">"Check of the file"</h2>
            <p role="status"><strong>{summary}</strong></p>
            {(!report.file_problems.is_empty()).then(|| view! {
                <ul class="nhsuk-list nhsuk-list--bullet">
                    {report.file_problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}
                </ul>
            })}
            {(!report.rows.is_empty()).then(|| view! {
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Each row of the file"</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Line"</th>
                            <th class="nhsuk-table__header" scope="col">"Name"</th>
                            <th class="nhsuk-table__header" scope="col">"Organisation"</th>
                            <th class="nhsuk-table__header" scope="col">"Result"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">
                        {report.rows.into_iter().map(|r| view! {
                            <tr class="nhsuk-table__row">
                                <td class="nhsuk-table__cell">{r.line}</td>
                                <td class="nhsuk-table__cell">{r.name}</td>
                                <td class="nhsuk-table__cell">{r.organisation}</td>
                                <td class="nhsuk-table__cell">
                                    {if r.problems.is_empty() {
                                        view! { <strong class="nhsuk-tag nhsuk-tag--green">"Ready"</strong> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="nhsuk-list">
                                                {r.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
