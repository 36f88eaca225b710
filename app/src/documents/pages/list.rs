//! Document lists with filters, cards, and the review queue.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::layout::encode;
use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb, Pagination, TableHead, TagList};
use crate::dates::Date;
use crate::documents::api::{get_review_queue, list_documents};
use crate::documents::model::{DocList, DocQuery, DocSummary, QueueItem, ReviewQueue};
use crate::documents::DocKind;

/// A document in a card: title, summary, organisation and date.
#[component]
pub fn DocCard(doc: DocSummary) -> impl IntoView {
    let href = doc.href();
    view! {
        <div class="nhsuk-card nhsuk-card--clickable ts-doc-card">
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading nhsuk-heading-s">
                    <a class="nhsuk-card__link" href=href>{doc.title}</a>
                </h3>
                <p class="nhsuk-card__description">{doc.summary}</p>
                <p class="ts-meta nhsuk-body-s">
                    {doc.org.name}" · Updated "<time datetime=doc.updated.to_string()>{doc.updated.to_string()}</time>
                </p>
            </div>
        </div>
    }
}

fn list_href(kind: DocKind, query: &DocQuery, page: i64) -> String {
    let mut parts = Vec::new();
    for (name, value) in [("q", &query.q), ("tag", &query.tag), ("org", &query.org)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{name}={}", encode(v)));
        }
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    let base = kind.list_path();
    if parts.is_empty() {
        base
    } else {
        format!("{base}?{}", parts.join("&"))
    }
}

/// `/{kind}`: published documents of a kind, filtered by tag, organisation and words.
#[component]
pub fn DocListPage(kind: DocKind) -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        let p = params.read();
        DocQuery {
            tag: p.get("tag"),
            org: p.get("org"),
            q: p.get("q"),
            page: p.get("page").and_then(|n| n.parse().ok()).unwrap_or(1),
        }
    };
    let list = Resource::new(query, move |q| list_documents(kind, q));
    view! {
        <Title text=kind.short_plural()/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home")]/>
        <h1>{kind.plural_title()}</h1>
        {when_loaded(list, move |list| view! { <ListView kind list query=query()/> })}
    }
}

#[component]
fn ListView(kind: DocKind, list: DocList, query: DocQuery) -> impl IntoView {
    let filtered = query.tag.is_some()
        || query.org.is_some()
        || query.q.as_deref().is_some_and(|q| !q.is_empty());
    let noun = kind.short_plural().to_lowercase();
    let heading = match list.total {
        0 => format!("No {noun} found"),
        1 => format!("1 {}", kind.label()),
        n => format!("{n} {noun}"),
    };
    let selected_tag = query.tag.clone().unwrap_or_default();
    let selected_org = query.org.clone().unwrap_or_default();
    let page_query = query.clone();
    let href = Callback::new(move |n: i64| list_href(kind, &page_query, n));
    let base = format!("/{}", kind.path());
    let pages = list.pages;
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-one-third">
                <form class="ts-filter" action=base.clone() method="get">
                    <h2 class="nhsuk-heading-s">"Filter "{noun.clone()}</h2>
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for="q">"Title or summary contains"</label>
                        <input class="nhsuk-input" id="q" name="q" type="search" value=query.q.clone().unwrap_or_default()/>
                    </div>
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for="tag">"Tag"</label>
                        <select class="nhsuk-select" id="tag" name="tag">
                            <option value="">"All tags"</option>
                            {list.tags.iter().map(|f| {
                                let selected = f.value == selected_tag;
                                view! { <option value=f.value.clone() selected=selected>{format!("{} ({})", f.label, f.count)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for="org">"Organisation"</label>
                        <select class="nhsuk-select" id="org" name="org">
                            <option value="">"All organisations"</option>
                            {list.orgs.iter().map(|f| {
                                let selected = f.value == selected_org;
                                view! { <option value=f.value.clone() selected=selected>{format!("{} ({})", f.label, f.count)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Apply filters"</button>
                    {filtered.then(|| view! { <p><a href=base.clone()>"Clear filters"</a></p> })}
                </form>
            </div>
            <div class="nhsuk-grid-column-two-thirds">
                <h2 class="nhsuk-heading-m" id="results-heading">{heading}</h2>
                {(list.total == 0).then(|| view! {
                    <p>"Try a different word, or "<a href=format!("/{}", kind.path())>"clear the filters"</a>"."</p>
                })}
                <ul class="nhsuk-list ts-results" aria-labelledby="results-heading">
                    {list.items.into_iter().map(|d| {
                        let tags = d.tags.clone();
                        view! {
                            <li class="ts-result">
                                <h3 class="nhsuk-heading-s nhsuk-u-margin-bottom-2">
                                    <a href=d.href()>{d.title.clone()}</a>
                                </h3>
                                <p class="nhsuk-u-margin-bottom-2">{d.summary.clone()}</p>
                                <p class="ts-meta nhsuk-body-s nhsuk-u-margin-bottom-2">
                                    <a href=d.org.href()>{d.org.name.clone()}</a>
                                    " · Updated "<time datetime=d.updated.to_string()>{d.updated.to_string()}</time>
                                    {(!d.topic.is_empty()).then(|| format!(" · {}", d.topic))}
                                </p>
                                <TagList tags base=kind.list_path()/>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Pagination page=list.page pages href/>
            </div>
        </div>
    }
}

/// `/review`: for editors and publishers, what waits for their organisation.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| get_review_queue());
    view! {
        <Title text="Reviews and approvals"/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home")]/>
        <h1>"Reviews and approvals"</h1>
        {when_loaded(queue, |q| view! { <QueueView queue=q/> })}
    }
}

#[component]
fn QueueView(queue: ReviewQueue) -> impl IntoView {
    let ReviewQueue {
        awaiting_approval,
        drafts,
        due_for_review,
        org_name,
        today,
    } = queue;
    view! {
        <p class="nhsuk-lede-text">{format!("Documents of {org_name} that need someone.")}</p>
        <QueueTable caption="Waiting for approval" empty="Nothing is waiting for approval." items=awaiting_approval today/>
        <QueueTable caption="Due for review" empty="No published document is due for review in the next 30 days." items=due_for_review today/>
        <QueueTable caption="Drafts" empty="No drafts." items=drafts today/>
    }
}

#[component]
fn QueueTable(
    caption: &'static str,
    empty: &'static str,
    items: Vec<QueueItem>,
    today: Date,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <h2>{caption}</h2><p>{empty}</p> }.into_any();
    }
    view! {
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption">{caption}</caption>
            <TableHead columns=vec!["Document", "Organisation", "Status", "Review by"]/>
            <tbody class="nhsuk-table__body">
                {items.into_iter().map(|item| {
                    let overdue = item.review_by.is_some_and(|r| r < today);
                    view! {
                        <tr class="nhsuk-table__row">
                            <td class="nhsuk-table__cell">
                                <a href=item.kind.href(&item.slug)>{item.title}</a>
                                <span class="ts-meta nhsuk-body-s">{format!(" ({})", item.kind.label())}</span>
                            </td>
                            <td class="nhsuk-table__cell">{item.org.name}</td>
                            <td class="nhsuk-table__cell"><strong class=item.status.tag_class()>{item.status.label()}</strong></td>
                            <td class="nhsuk-table__cell">
                                {item.review_by.map(|d| d.to_string()).unwrap_or_default()}
                                {overdue.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--red">"Overdue"</strong> })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
