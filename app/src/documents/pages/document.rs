//! The page of one document, with the workflow panel for the people who work on it.

use leptos::prelude::*;
use leptos_meta::Title;

use super::slug_param;
use crate::components::loading::when_loaded;
use crate::components::toc::ContentsList;
use crate::components::ui::{Breadcrumbs, Crumb, SummaryRow, TagList, WarningCallout};
use crate::documents::api::get_document;
use crate::documents::model::DocView;
use crate::documents::DocKind;
use crate::permissions::DocStatus;

/// `/{kind}/{slug}`.
#[component]
pub fn DocPage(kind: DocKind) -> impl IntoView {
    let slug = slug_param();
    let doc = Resource::new(slug, move |slug| get_document(kind, slug));
    view! { {when_loaded(doc, |doc| view! { <DocumentView doc/> })} }
}

/// A document (the current page or one revision) with its metadata and actions.
#[component]
pub fn DocumentView(doc: DocView) -> impl IntoView {
    let href = doc.href();
    let kind = doc.kind;
    let title = doc.title.clone();
    let page_title = match doc.viewing_revision {
        Some(n) => format!("{} (revision {n})", doc.title),
        None => doc.title.clone(),
    };
    let crumbs = match doc.viewing_revision {
        Some(_) => vec![
            Crumb::new("/", "Home"),
            Crumb::new(kind.list_path(), kind.short_plural()),
            Crumb::new(href.clone(), doc.title.clone()),
            Crumb::new(format!("{href}/history"), "History"),
        ],
        None => vec![
            Crumb::new("/", "Home"),
            Crumb::new(kind.list_path(), kind.short_plural()),
        ],
    };
    let status_banner = status_banner(&doc);
    let overdue = doc.review_overdue.then(|| {
        let message = format!(
            "It was due for review by {}. Check with {} that it is still current before you rely on it.",
            doc.review_by.map(|d| d.to_string()).unwrap_or_default(),
            doc.org.name
        );
        view! {
            <WarningCallout heading=format!("This {} is overdue for review", kind.label())>
                <p class="nhsuk-card__description">{message}</p>
            </WarningCallout>
        }
    });
    let extra = kind.spec().page_view(doc.kind_page.clone());
    let body = kind.spec().body();
    let has_body = !doc.html.trim().is_empty();
    let body_heading = body
        .heading
        .filter(|_| has_body)
        .map(|h| view! { <h2>{h}</h2> });
    view! {
        <Title text=page_title/>
        <Breadcrumbs crumbs/>
        <div class="nhsuk-grid-row">
            <article class="nhsuk-grid-column-two-thirds">
                <span class="nhsuk-caption-l">{capitalise(kind.label())}</span>
                <h1>{title}</h1>
                <p class="nhsuk-lede-text">{doc.summary.clone()}</p>
                {status_banner}
                {overdue}
                {extra}
                {body.contents_list.then(|| view! { <ContentsList entries=doc.toc.clone()/> })}
                {body_heading}
                <div class="ts-prose" inner_html=doc.html.clone()></div>
            </article>
            <aside class="nhsuk-grid-column-one-third ts-aside" aria-label=format!("About this {}", kind.label())>
                <About doc=doc.clone()/>
                <Workflow doc=doc.clone()/>
            </aside>
        </div>
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Tells the people who work on a document where it stands.
fn status_banner(doc: &DocView) -> Option<AnyView> {
    if let Some(n) = doc.viewing_revision {
        let current = doc.href();
        return Some(
            view! {
                <div class="nhsuk-inset-text ts-notice">
                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                    <p>{format!("You are looking at revision {n}. ")}<a href=current>"Go to the current page"</a></p>
                </div>
            }
            .into_any(),
        );
    }
    if !doc.actions.see_drafts {
        return None;
    }
    let pending = |p: &crate::documents::model::PendingRevision| {
        format!(
            "Revision {} by {} is {}",
            p.number,
            p.author,
            p.status.label().to_lowercase()
        )
    };
    let review_link = |p: &crate::documents::model::PendingRevision| {
        Some(format!("{}/history/{}", doc.href(), p.number))
    };
    let message = match (&doc.pending, doc.archived, doc.published, doc.status) {
        (Some(p), true, _, _) => Some((
            format!(
                "Archived: readers no longer see it. {}; readers see it again only when a publisher approves a revision.",
                pending(p)
            ),
            review_link(p),
        )),
        (None, true, _, _) => Some(("Archived: readers no longer see it.".to_owned(), None)),
        (Some(p), false, _, _) => Some((
            format!("{}: readers still see revision {}.", pending(p), doc.revision),
            review_link(p),
        )),
        (None, false, false, status) => Some((format!("{}: not published yet, only your organisation's editors and publishers can see it.", status.label()), None)),
        (None, false, true, DocStatus::InReview) => Some(("This revision is waiting for approval.".to_owned(), None)),
        _ => None,
    }?;
    let (text, link) = message;
    Some(
        view! {
            <div class="nhsuk-inset-text ts-notice">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>{text}" "{link.map(|l| view! { <a href=l>"Read and review the newer revision"</a> })}</p>
            </div>
        }
        .into_any(),
    )
}

#[component]
fn About(doc: DocView) -> impl IntoView {
    let kind = doc.kind;
    let history = format!("{}/history", doc.href());
    let export = format!("{}/export.md", doc.href());
    let href = doc.href();
    view! {
        <h2 class="nhsuk-heading-s">{format!("About this {}", kind.label())}</h2>
        <dl class="nhsuk-summary-list ts-summary-compact">
            <SummaryRow key="Organisation"><a href=doc.org.href()>{doc.org.name.clone()}</a></SummaryRow>
            {doc.owner.clone().map(|o| view! { <SummaryRow key="Owner">{o}</SummaryRow> })}
            {(!doc.topic.is_empty()).then(|| view! { <SummaryRow key="Topic">{doc.topic.clone()}</SummaryRow> })}
            <SummaryRow key="Status">
                {(doc.archived && doc.status != DocStatus::Archived).then(|| view! {
                    <strong class=DocStatus::Archived.tag_class()>{DocStatus::Archived.label()}</strong>" "
                })}
                <strong class=doc.status.tag_class()>{doc.status.label()}</strong>
            </SummaryRow>
            <SummaryRow key="Last updated"><time datetime=doc.updated.to_string()>{doc.updated.to_string()}</time></SummaryRow>
            {doc.review_by.map(|r| view! { <SummaryRow key="Review by"><time datetime=r.to_string()>{r.to_string()}</time></SummaryRow> })}
            <SummaryRow key="Visible to">{doc.visibility.label()}</SummaryRow>
            <SummaryRow key="Revision">{doc.revision}" · "<a href=history>"History"</a></SummaryRow>
        </dl>
        <TagList tags=doc.tags.clone() base=kind.list_path()/>
        <ul class="nhsuk-list ts-no-print">
            <li><a href=export download>"Download as Markdown"</a></li>
            {kind.spec().file_formats().iter().map(|f| view! {
                <li><a href=format!("{href}/export.{}", f.extension) download>{format!("Download as {}", f.label)}</a></li>
            }).collect_view()}
        </ul>
    }
}

/// Buttons for the next workflow steps, each a plain form.
#[component]
fn Workflow(doc: DocView) -> impl IntoView {
    let a = doc.actions;
    if !a.see_drafts {
        return ().into_any();
    }
    let kind = doc.kind.code();
    let slug = doc.slug.clone();
    let on_head = doc.revision_id.is_some() && doc.revision_id == doc.head_revision_id;
    let step_form =
        move |step: &'static str, label: &'static str, class: &'static str, revision: i64| {
            view! {
                <form action="/api/documents/step" method="post" class="ts-inline-form">
                    <input type="hidden" name="kind" value=kind/>
                    <input type="hidden" name="slug" value=slug.clone()/>
                    <input type="hidden" name="step" value=step/>
                    <input type="hidden" name="revision" value=revision.to_string()/>
                    <button class=class type="submit">{label}</button>
                </form>
            }
        };
    let last = doc.last_step.clone().map(|e| {
        view! {
            <p class="nhsuk-body-s">
                {format!("Last step: {} by {} on {}", e.step.label(), e.actor, e.at.chars().take(10).collect::<String>())}
                {(!e.comment.is_empty()).then(|| view! { <br/>{format!("“{}”", e.comment)} })}
            </p>
        }
    });
    let revision = doc.revision_id.unwrap_or_default();
    let head = doc.head_revision_id.unwrap_or_default();
    view! {
        <div class="ts-workflow ts-no-print">
            <h2 class="nhsuk-heading-s">"Workflow"</h2>
            {last}
            {a.edit.then(|| view! {
                <p><a class="nhsuk-button nhsuk-button--secondary" href=format!("{}/edit", doc.href())>"Edit"</a></p>
            })}
            {(a.submit && on_head).then(|| step_form.clone()("submit", "Send for review", "nhsuk-button", revision))}
            {(a.approve && on_head).then(|| step_form.clone()("approve", "Approve and publish", "nhsuk-button", revision))}
            {(a.send_back && on_head).then(|| view! {
                <form action="/api/documents/step" method="post">
                    <input type="hidden" name="kind" value=kind/>
                    <input type="hidden" name="slug" value=doc.slug.clone()/>
                    <input type="hidden" name="step" value="send-back"/>
                    <input type="hidden" name="revision" value=revision.to_string()/>
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for="send-back-comment">"What needs to change"</label>
                        <textarea class="nhsuk-textarea" id="send-back-comment" name="comment" rows="3"></textarea>
                    </div>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Send back to the author"</button>
                </form>
            })}
            {a.archive.then(|| step_form.clone()("archive", "Archive", "nhsuk-button nhsuk-button--warning", head))}
        </div>
    }
    .into_any()
}
