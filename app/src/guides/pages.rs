//! `/guides` and `/guides/{slug}`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{get_guide, list_guides, GuideDetail, GuideList, GuideQuery, GuideSummary};
use crate::components::layout::encode;
use crate::components::toc::ContentsList;
use crate::components::ui::{Breadcrumbs, Crumb, Pagination, SummaryRow, TagList, WarningCallout};
use crate::pages::when_loaded;

/// A guide in a list: title, summary, organisation, date and tags.
#[component]
pub fn GuideCard(guide: GuideSummary) -> impl IntoView {
    view! {
        <div class="nhsuk-card nhsuk-card--clickable ts-guide-card">
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading nhsuk-heading-s">
                    <a class="nhsuk-card__link" href=format!("/guides/{}", guide.slug)>{guide.title}</a>
                </h3>
                <p class="nhsuk-card__description">{guide.summary}</p>
                <p class="ts-meta nhsuk-body-s">
                    {guide.org.name}" · Updated "<time datetime=guide.updated.clone()>{guide.updated.clone()}</time>
                </p>
            </div>
        </div>
    }
}

fn list_href(query: &GuideQuery, page: i64) -> String {
    let mut parts = Vec::new();
    if let Some(q) = query.q.as_deref().filter(|v| !v.is_empty()) {
        parts.push(format!("q={}", encode(q)));
    }
    if let Some(t) = query.tag.as_deref().filter(|v| !v.is_empty()) {
        parts.push(format!("tag={}", encode(t)));
    }
    if let Some(o) = query.org.as_deref().filter(|v| !v.is_empty()) {
        parts.push(format!("org={}", encode(o)));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/guides".into()
    } else {
        format!("/guides?{}", parts.join("&"))
    }
}

/// `/guides`: published guides with filters by tag, organisation and title.
#[component]
pub fn GuidesPage() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        let p = params.read();
        GuideQuery {
            tag: p.get("tag"),
            org: p.get("org"),
            q: p.get("q"),
            page: p.get("page").and_then(|n| n.parse().ok()).unwrap_or(1),
        }
    };
    let list = Resource::new(query, list_guides);
    view! {
        <Title text="Guides"/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home")]/>
        <h1>"Best-practice guides"</h1>
        {when_loaded(list, move |list| view! { <GuideListView list query=query()/> })}
    }
}

#[component]
fn GuideListView(list: GuideList, query: GuideQuery) -> impl IntoView {
    let filtered = query.tag.is_some()
        || query.org.is_some()
        || query.q.as_deref().is_some_and(|q| !q.is_empty());
    let heading = match list.total {
        0 => "No guides found".to_owned(),
        1 => "1 guide".to_owned(),
        n => format!("{n} guides"),
    };
    let selected_tag = query.tag.clone().unwrap_or_default();
    let selected_org = query.org.clone().unwrap_or_default();
    let page_query = query.clone();
    let href = Callback::new(move |n: i64| list_href(&page_query, n));
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-one-third">
                <form class="ts-filter" action="/guides" method="get">
                    <h2 class="nhsuk-heading-s">"Filter guides"</h2>
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
                    {filtered.then(|| view! { <p><a href="/guides">"Clear filters"</a></p> })}
                </form>
            </div>
            <div class="nhsuk-grid-column-two-thirds">
                <h2 class="nhsuk-heading-m" id="results-heading" aria-live="polite">{heading}</h2>
                {(list.total == 0).then(|| view! {
                    <p>"Try a different word, or "<a href="/guides">"clear the filters"</a>"."</p>
                })}
                <ul class="nhsuk-list ts-results" aria-labelledby="results-heading">
                    {list.items.into_iter().map(|g| {
                        let tags = g.tags.clone();
                        view! {
                            <li class="ts-result">
                                <h3 class="nhsuk-heading-s nhsuk-u-margin-bottom-2">
                                    <a href=format!("/guides/{}", g.slug)>{g.title}</a>
                                </h3>
                                <p class="nhsuk-u-margin-bottom-2">{g.summary}</p>
                                <p class="ts-meta nhsuk-body-s nhsuk-u-margin-bottom-2">
                                    <a href=format!("/orgs/{}", g.org.slug)>{g.org.name}</a>
                                    " · Updated "<time datetime=g.updated.clone()>{g.updated.clone()}</time>
                                    {(!g.topic.is_empty()).then(|| format!(" · {}", g.topic))}
                                </p>
                                <TagList tags base="/guides"/>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Pagination page=list.page pages=list.pages href/>
            </div>
        </div>
    }
}

/// `/guides/{slug}`: one guide, rendered from Markdown, with its contents list.
#[component]
pub fn GuidePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let guide = Resource::new(slug, get_guide);
    view! {
        {when_loaded(guide, |g| view! { <GuideView guide=g/> })}
    }
}

#[component]
fn GuideView(guide: GuideDetail) -> impl IntoView {
    let GuideDetail {
        slug: _,
        title,
        summary,
        org,
        owner,
        topic,
        tags,
        visibility,
        updated,
        review_by,
        review_overdue,
        html,
        toc,
    } = guide;
    let overdue_message = format!(
        "It was due for review by {}. Check with {} that it is still current before you rely on it.",
        review_by.clone().unwrap_or_default(),
        org.name
    );
    view! {
        <Title text=title.clone()/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home"), Crumb::new("/guides", "Guides")]/>
        <div class="nhsuk-grid-row">
            <article class="nhsuk-grid-column-two-thirds">
                <h1>{title}</h1>
                <p class="nhsuk-lede-text">{summary}</p>
                {review_overdue.then(|| view! {
                    <WarningCallout heading="This guide is overdue for review".to_owned()>
                        <p>{overdue_message.clone()}</p>
                    </WarningCallout>
                })}
                <ContentsList entries=toc/>
                <div class="ts-prose" inner_html=html></div>
            </article>
            <aside class="nhsuk-grid-column-one-third ts-aside" aria-label="About this guide">
                <h2 class="nhsuk-heading-s">"About this guide"</h2>
                <dl class="nhsuk-summary-list ts-summary-compact">
                    <SummaryRow key="Organisation"><a href=format!("/orgs/{}", org.slug)>{org.name.clone()}</a></SummaryRow>
                    {owner.map(|o| view! { <SummaryRow key="Owner">{o}</SummaryRow> })}
                    {(!topic.is_empty()).then(|| view! { <SummaryRow key="Topic">{topic.clone()}</SummaryRow> })}
                    <SummaryRow key="Last updated"><time datetime=updated.clone()>{updated.clone()}</time></SummaryRow>
                    {review_by.clone().map(|r| view! { <SummaryRow key="Review by"><time datetime=r.clone()>{r.clone()}</time></SummaryRow> })}
                    <SummaryRow key="Visible to">{visibility.label()}</SummaryRow>
                </dl>
                <TagList tags base="/guides"/>
            </aside>
        </div>
    }
}
