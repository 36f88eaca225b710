//! The editor of every kind of document: a plain form that posts to `save_document`, with an
//! error summary, errors beside each field, a server-rendered preview, and (with JavaScript) a
//! live preview island.

use leptos::prelude::*;
use leptos_meta::Title;

use super::history::DiffFields;
use super::slug_param;
use crate::components::form::{form_name, ErrorSummary, Errors, Input, Select, TextArea};
use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb};
use crate::documents::api::get_editor;
use crate::documents::model::EditorData;
use crate::documents::DocKind;
use crate::permissions::Visibility;

/// `/{kind}/new` (when `new`) or `/{kind}/{slug}/edit`.
#[component]
pub fn EditorPage(kind: DocKind, #[prop(optional)] new: bool) -> impl IntoView {
    let slug = slug_param();
    let key = move || if new { None } else { Some(slug()) };
    let editor = Resource::new(key, move |slug| get_editor(kind, slug));
    view! { {when_loaded(editor, |data| view! { <EditorForm data/> })} }
}

#[component]
fn EditorForm(data: EditorData) -> impl IntoView {
    let EditorData {
        kind,
        slug,
        title,
        form,
        errors,
        conflict,
        preview_html,
        orgs,
        status,
        archived,
        max_body_kib,
    } = data;
    let e = Errors(errors.clone());
    let cancel = match &slug {
        Some(s) => kind.href(s),
        None => kind.list_path().to_owned(),
    };
    let mut crumbs = vec![
        Crumb::new("/", "Home"),
        Crumb::new(kind.list_path(), kind.short_plural()),
    ];
    if slug.is_some() {
        crumbs.push(Crumb::new(cancel.clone(), form.title.clone()));
    }
    let page_title = if errors.is_empty() {
        title.clone()
    } else {
        format!("Error: {title}")
    };
    let visibility_options: Vec<(String, String)> = Visibility::ALL
        .iter()
        .map(|v| (v.as_str().to_owned(), v.label().to_owned()))
        .collect();
    let org_options: Vec<(String, String)> = orgs
        .iter()
        .map(|o| (o.slug.clone(), o.name.clone()))
        .collect();
    let is_new = slug.is_none();
    // A self-describing kind's address is its organisation's, and its fields say who sees it.
    let self_describing = kind.spec().self_describing();
    let kind_fields = kind.spec().form_view(&form.fields, e.clone());
    let body_label = kind.spec().body().label;
    view! {
        <Title text=page_title/>
        <Breadcrumbs crumbs/>
        <ErrorSummary errors=errors.clone()/>
        {conflict.map(|c| view! {
            <div class="nhsuk-error-summary" role="alert" tabindex="-1" aria-labelledby="conflict-title">
                <h2 class="nhsuk-error-summary__title" id="conflict-title">"Someone else saved a newer version"</h2>
                <div class="nhsuk-error-summary__body">
                    <p>{format!("{} saved revision {} while you were editing. Your text is kept below. Compare the two, then save again to replace their version with yours, or cancel to keep theirs.", c.their_author, c.their_revision)}</p>
                    <details class="nhsuk-details">
                        <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Their version compared with yours"</span></summary>
                        <div class="nhsuk-details__text"><DiffFields fields=c.fields/></div>
                    </details>
                </div>
            </div>
        })}
        <h1>{title}</h1>
        {status.map(|s| {
            let after = if archived {
                " · It is archived: saving creates a new draft revision, and readers see nothing until a publisher approves a revision."
            } else {
                " · Saving creates a new draft revision; readers keep seeing the published one until it is approved."
            };
            view! { <p>"Status: "<strong class=s.tag_class()>{s.label()}</strong>{after}</p> }
        })}
        <form action="/api/documents/save" method="post" novalidate class="ts-editor">
            <input type="hidden" name=form_name("kind") value=kind.code()/>
            <input type="hidden" name=form_name("slug") value=slug.clone().unwrap_or_default()/>
            <input type="hidden" name=form_name("base_revision") value=form.base_revision.to_string()/>
            {is_new.then(|| view! {
                {if self_describing {
                    view! {
                        <Select id="org" name=form_name("org") label="Organisation"
                            hint=format!("An organisation has one {}, at /{}/ and the organisation's short name", kind.label(), kind.path())
                            options=org_options.clone() selected=form.org.clone() error=e.get("org")/>
                    }.into_any()
                } else {
                    view! {
                        <Select id="org" name=form_name("org") label="Organisation" options=org_options.clone() selected=form.org.clone() error=e.get("org")/>
                        <Input id="new_slug" name=form_name("new_slug") label="Web address (optional)"
                            hint=format!("Lower-case words joined by hyphens. Leave empty to make one from the title: /{}/…", kind.path())
                            value=form.new_slug.clone() error=e.get("new_slug") class="nhsuk-input nhsuk-u-width-two-thirds"/>
                    }.into_any()
                }}
            })}
            <Input id="title" name=form_name("title") label="Title" value=form.title.clone() error=e.get("title")/>
            <TextArea id="summary" name=form_name("summary") label="Summary" hint="One or two sentences, shown in lists and search results." value=form.summary.clone() error=e.get("summary") rows=2/>
            {kind_fields}
            <super::markdown_editor::MarkdownEditor
                id="body".to_owned()
                name=form_name("body")
                label=body_label.to_owned()
                hint=format!("Markdown: ## headings, **bold**, lists, | tables |, - [ ] task lists and footnotes[^1]. Up to {max_body_kib} KiB.")
                value=form.body.clone()
                error=e.get("body")
            />
            {preview_html.map(|html| view! {
                <section id="preview" class="ts-preview" aria-labelledby="preview-title">
                    <h2 id="preview-title" class="nhsuk-heading-m">"Preview"</h2>
                    <div class="ts-prose" inner_html=html></div>
                </section>
            })}
            <Input id="topic" name=form_name("topic") label="Topic (optional)" hint="For example: Deployment, Authentication, Shared workstations" value=form.topic.clone() error=e.get("topic") class="nhsuk-input nhsuk-u-width-two-thirds"/>
            <Input id="tags" name=form_name("tags") label="Tags (optional)" hint="Separated by commas, like: single-sign-on, smart-cards" value=form.tags.clone() error=e.get("tags")/>
            {(!self_describing).then(|| view! {
                <Select id="visibility" name=form_name("visibility") label="Who can see it once published" options=visibility_options selected=form.visibility.clone() error=e.get("visibility")/>
            })}
            <Input id="owner" name=form_name("owner") label="Owner's email address" hint="The person who keeps it up to date; a member of the organisation." value=form.owner.clone() error=e.get("owner") input_type="email"/>
            <Input id="review_by" name=form_name("review_by") label="Review by" hint="The date by which the owner checks it is still right, as YYYY-MM-DD, like 2027-03-31" value=form.review_by.clone() error=e.get("review_by") class="nhsuk-input nhsuk-input--width-10"/>
            <Input id="comment" name=form_name("comment") label="What did you change? (optional)" hint="Shown in the history." value=form.comment.clone() error=e.get("comment")/>
            <div class="nhsuk-button-group">
                <button class="nhsuk-button" type="submit" name=form_name("intent") value="save">"Save draft"</button>
                <button class="nhsuk-button nhsuk-button--secondary" type="submit" name=form_name("intent") value="submit">"Save and send for review"</button>
                <button class="nhsuk-button nhsuk-button--secondary" type="submit" name=form_name("intent") value="preview">"Preview"</button>
                <a class="nhsuk-link" href=cancel>"Cancel"</a>
            </div>
        </form>
    }
}
