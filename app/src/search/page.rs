//! `/search`: the search form, results with snippets, facet counts that filter, sorting,
//! pages, and suggestions when nothing is found. A plain GET form and links: it works the same
//! without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::search;
use super::model::{FacetGroup, SearchHit, SearchQuery, SearchResults, SortOrder, Suggestion};
use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb, Pagination};

/// `/search?q=…`: every kind of document the viewer may read.
#[component]
pub fn SearchPage() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        let p = params.read();
        SearchQuery::from_params(p.latest_values().map(|(k, v)| (k.as_ref(), v)))
    };
    let results = Resource::new(query, search);
    view! {
        <Title text="Search"/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home")]/>
        {when_loaded(results, |r| view! { <ResultsView results=r/> })}
    }
}

#[component]
fn ResultsView(results: SearchResults) -> impl IntoView {
    let query = results.query.clone();
    let heading = if !results.searched {
        "Search".to_owned()
    } else if query.q.trim().is_empty() {
        "Search results".to_owned()
    } else {
        format!("Search results for “{}”", query.q.trim())
    };
    view! {
        <h1>{heading}</h1>
        <SearchForm query=query.clone() drafts_allowed=results.drafts_allowed/>
        {(!results.notices.is_empty()).then(|| view! {
            <div class="nhsuk-inset-text">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                {results.notices.iter().map(|n| view! { <p>{n.clone()}</p> }).collect_view()}
            </div>
        })}
        {results.catching_up.then(|| view! {
            <div class="nhsuk-inset-text" role="status">
                <p>"Search is catching up with recent changes, so some documents may be missing from these results. Try again in a moment."</p>
            </div>
        })}
        {if results.searched {
            view! { <Found results/> }.into_any()
        } else {
            view! { <SearchTips/> }.into_any()
        }}
    }
}

/// The search box, repeated on the page with the words searched for.
#[component]
fn SearchForm(query: SearchQuery, drafts_allowed: bool) -> impl IntoView {
    view! {
        <form class="ts-search-form" action="/search" method="get" role="search">
            <div class="nhsuk-form-group">
                <label class="nhsuk-label nhsuk-label--s" for="search-q">
                    "Search guides, deployment plans and lessons learned"
                </label>
                <div class="nhsuk-hint" id="search-q-hint">
                    "All the words must match. Put a phrase in quotes, leave a word out with a minus sign (-citrix) and filter with org:, kind:, tag: or nation:, like kind:plan."
                </div>
                <input class="nhsuk-input" id="search-q" name="q" type="search" value=query.q.clone()
                    aria-describedby="search-q-hint" autocomplete="off" spellcheck="false"/>
            </div>
            {(query.sort == SortOrder::Date).then(|| view! { <input type="hidden" name="sort" value="date"/> })}
            {drafts_allowed.then(|| view! {
                <div class="nhsuk-form-group">
                    <div class="nhsuk-checkboxes nhsuk-checkboxes--small">
                        <div class="nhsuk-checkboxes__item">
                            <input class="nhsuk-checkboxes__input" id="search-drafts" name="drafts" type="checkbox" value="yes" checked=query.drafts/>
                            <label class="nhsuk-label nhsuk-checkboxes__label" for="search-drafts">
                                "Include my organisation's drafts, reviews and archived documents"
                            </label>
                        </div>
                    </div>
                </div>
            })}
            <button class="nhsuk-button" data-module="nhsuk-button" type="submit">"Search"</button>
        </form>
    }
}

/// What the search language offers, shown before anything is searched for.
#[component]
fn SearchTips() -> impl IntoView {
    view! {
        <h2 class="nhsuk-heading-m">"How to search"</h2>
        <ul class="nhsuk-list nhsuk-list--bullet">
            <li>"Type words: results contain all of them, in any form (deploying finds deployment) and despite small typing mistakes."</li>
            <li>"Common abbreviations find their long forms too: SSO finds single sign-on, A&E finds emergency department."</li>
            <li>"Put a phrase in quotes: \"fast user switching\"."</li>
            <li>"Leave a word out with a minus sign: smart cards -citrix."</li>
            <li>"Filter with org:nhs-fife, kind:plan, tag:testing, nation:wales or year:2026."</li>
        </ul>
    }
}

#[component]
fn Found(results: SearchResults) -> impl IntoView {
    let SearchResults {
        query,
        total,
        page,
        pages,
        hits,
        facets,
        did_you_mean,
        without_filters,
        ..
    } = results;
    let count = match total {
        0 => "No results".to_owned(),
        1 => "1 result".to_owned(),
        n => format!("{n} results"),
    };
    let page_query = query.clone();
    let href = Callback::new(move |n: i64| page_query.on_page(n.max(1) as usize).href());
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-one-third">
                <Facets query=query.clone() facets/>
            </div>
            <div class="nhsuk-grid-column-two-thirds">
                <h2 class="nhsuk-heading-m ts-results-count" id="results-heading">{count}</h2>
                {(total > 1).then(|| view! { <SortLinks query=query.clone()/> })}
                {if total == 0 {
                    view! { <NoResults did_you_mean without_filters/> }.into_any()
                } else {
                    view! {
                        <ul class="nhsuk-list ts-results" aria-labelledby="results-heading">
                            {hits.into_iter().map(|hit| view! { <Hit hit/> }).collect_view()}
                        </ul>
                        <Pagination page=page as i64 pages=pages as i64 href/>
                    }.into_any()
                }}
            </div>
        </div>
    }
}

#[component]
fn SortLinks(query: SearchQuery) -> impl IntoView {
    let link = move |sort: SortOrder, text: &'static str| {
        let current = query.sort == sort;
        let href = SearchQuery {
            sort,
            ..query.on_page(1)
        }
        .href();
        view! {
            <li class="ts-meta__item">
                {if current {
                    view! { <strong aria-current="true">{text}</strong> }.into_any()
                } else {
                    view! { <a href=href>{text}</a> }.into_any()
                }}
            </li>
        }
    };
    view! {
        <nav aria-label="Sort results">
            <ul class="ts-meta nhsuk-body-s">
                <li class="ts-meta__item">"Sort by:"</li>
                {link(SortOrder::Relevance, "Best match")}
                {link(SortOrder::Date, "Most recently updated")}
            </ul>
        </nav>
    }
}

#[component]
fn Hit(hit: SearchHit) -> impl IntoView {
    view! {
        <li class="ts-result">
            <h3 class="nhsuk-heading-s nhsuk-u-margin-bottom-2">
                <a href=hit.href.clone()>{hit.title.clone()}</a>
            </h3>
            <p class="ts-meta nhsuk-body-s nhsuk-u-margin-bottom-2">
                {hit.kind.label_capitalised()}
                " · "<a href=hit.org.href()>{hit.org.name.clone()}</a>
                " · Updated "<time datetime=hit.updated.to_string()>{hit.updated.to_string()}</time>
                {hit.status.map(|s| view! { " " <strong class=s.tag_class()>{s.label()}</strong> })}
            </p>
            <p class="nhsuk-body-s ts-snippet">
                {hit.snippet.into_iter().map(|part| {
                    if part.mark {
                        view! { <mark>{part.text}</mark> }.into_any()
                    } else {
                        part.text.into_any()
                    }
                }).collect_view()}
            </p>
        </li>
    }
}

/// Facet counts as links: choosing one filters the results (and keeps the words); choosing it
/// again removes the filter.
#[component]
fn Facets(query: SearchQuery, facets: Vec<FacetGroup>) -> impl IntoView {
    (!facets.is_empty()).then(|| {
        view! {
            <nav class="ts-filter" aria-labelledby="facets-heading">
                <h2 class="ts-filter__heading" id="facets-heading">"Filter results"</h2>
                {facets.into_iter().map(|group| {
                    let heading_id = format!("facet-{}", group.name);
                    view! {
                        <div class="ts-filter__section">
                            <h3 class="nhsuk-heading-xs nhsuk-u-margin-bottom-2" id=heading_id.clone()>{group.title.clone()}</h3>
                            <ul class="nhsuk-list nhsuk-body-s" aria-labelledby=heading_id>
                                {group.values.into_iter().map(|v| {
                                    let href = query.toggled(&group.name, &v.value).href();
                                    let text = format!("{} ({})", v.label, v.count);
                                    view! {
                                        <li class="nhsuk-u-margin-bottom-1">
                                            {if v.selected {
                                                view! {
                                                    <strong>{text}</strong>" "
                                                    <a href=href>"Remove"<span class="nhsuk-u-visually-hidden">{format!(" filter {}", v.label)}</span></a>
                                                }.into_any()
                                            } else {
                                                view! { <a href=href>{text}</a> }.into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </div>
                    }
                }).collect_view()}
            </nav>
        }
    })
}

#[component]
fn NoResults(did_you_mean: Option<Suggestion>, without_filters: Vec<Suggestion>) -> impl IntoView {
    view! {
        {did_you_mean.map(|s| view! {
            <p class="nhsuk-body-l">"Did you mean "<a href=s.query.href()>{s.text.clone()}</a>"?"</p>
        })}
        {(!without_filters.is_empty()).then(|| view! {
            <p>"Without one of your filters there are results:"</p>
            <ul class="nhsuk-list nhsuk-list--bullet">
                {without_filters.into_iter().map(|s| view! {
                    <li>
                        <a href=s.query.href()>{format!("Remove {}", s.text)}</a>
                        {format!(" ({} {})", s.total, if s.total == 1 { "result" } else { "results" })}
                    </li>
                }).collect_view()}
            </ul>
        })}
        <p>"Check the spelling, use fewer or more general words, or remove a filter."</p>
    }
}
