//! Small NHS.UK components: breadcrumbs, tags, summary lists, pagination, errors, form fields.

use leptos::prelude::*;

/// A link in the breadcrumb trail.
#[derive(Clone, Debug)]
pub struct Crumb {
    pub href: String,
    pub text: String,
}

impl Crumb {
    pub fn new(href: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            href: href.into(),
            text: text.into(),
        }
    }
}

/// The breadcrumb trail above a page's heading; the last crumb is the parent page.
#[component]
pub fn Breadcrumbs(crumbs: Vec<Crumb>) -> impl IntoView {
    let back = crumbs.last().cloned();
    view! {
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                {crumbs
                    .into_iter()
                    .map(|c| {
                        view! {
                            <li class="nhsuk-breadcrumb__list-item">
                                <a class="nhsuk-breadcrumb__link" href=c.href>{c.text}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {back.map(|c| view! {
                <a class="nhsuk-back-link" href=c.href>
                    <span class="nhsuk-u-visually-hidden">"Back to "</span>
                    {c.text}
                </a>
            })}
        </nav>
    }
}

/// Tags as links to the list filtered by each.
#[component]
pub fn TagList(tags: Vec<String>, #[prop(into)] base: String) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="ts-tags" aria-label="Tags">
                {tags
                    .into_iter()
                    .map(|t| {
                        let href = format!("{base}?tag={t}");
                        view! {
                            <li>
                                <a class="nhsuk-tag nhsuk-tag--blue ts-tag-link" href=href>{t}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// A row of a summary list: a key and its value.
#[component]
pub fn SummaryRow(key: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="nhsuk-summary-list__row">
            <dt class="nhsuk-summary-list__key">{key}</dt>
            <dd class="nhsuk-summary-list__value">{children()}</dd>
        </div>
    }
}

/// Numbered pagination; `href` builds the address of a page.
#[component]
pub fn Pagination(page: i64, pages: i64, href: Callback<i64, String>) -> impl IntoView {
    (pages > 1).then(|| {
        let numbers: Vec<i64> = (1..=pages)
            .filter(|n| *n == 1 || *n == pages || (*n - page).abs() <= 2)
            .collect();
        let mut items = Vec::new();
        let mut last = 0;
        for n in numbers {
            if n > last + 1 {
                items.push(view! { <li class="nhsuk-pagination__item nhsuk-pagination__item--ellipsis">"⋯"</li> }.into_any());
            }
            last = n;
            let current = n == page;
            items.push(
                view! {
                    <li class=if current { "nhsuk-pagination__item nhsuk-pagination__item--current" } else { "nhsuk-pagination__item" }>
                        <a
                            class="nhsuk-pagination__link"
                            href=href.run(n)
                            aria-label=format!("Page {n}")
                            aria-current=current.then_some("page")
                        >
                            {n}
                        </a>
                    </li>
                }
                .into_any(),
            );
        }
        view! {
            <nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" aria-label="Pagination">
                {(page > 1).then(|| view! {
                    <div class="nhsuk-pagination__prev">
                        <a class="nhsuk-pagination__link nhsuk-pagination__link--prev" href=href.run(page - 1) rel="prev">
                            <span class="nhsuk-pagination__title">"Previous"<span class="nhsuk-u-visually-hidden">" page"</span></span>
                        </a>
                    </div>
                })}
                <ul class="nhsuk-pagination__list">{items}</ul>
                {(page < pages).then(|| view! {
                    <div class="nhsuk-pagination__next">
                        <a class="nhsuk-pagination__link nhsuk-pagination__link--next" href=href.run(page + 1) rel="next">
                            <span class="nhsuk-pagination__title">"Next"<span class="nhsuk-u-visually-hidden">" page"</span></span>
                        </a>
                    </div>
                })}
            </nav>
        }
    })
}

/// A warning callout (NHS.UK v10 warning card), e.g. for a document overdue for review.
#[component]
pub fn WarningCallout(heading: String, children: Children) -> impl IntoView {
    view! {
        <div class="nhsuk-card nhsuk-card--warning">
            <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading nhsuk-heading-s">
                    <span class="nhsuk-u-visually-hidden">"Important: "</span>{heading}
                </h2>
                {children()}
            </div>
        </div>
    }
}

/// The head row of an NHS.UK table; the last column can be numeric (right-aligned).
#[component]
pub fn TableHead(
    columns: Vec<&'static str>,
    #[prop(optional)] numeric_last: bool,
) -> impl IntoView {
    let last = columns.len().saturating_sub(1);
    view! {
        <thead class="nhsuk-table__head">
            <tr class="nhsuk-table__row">
                {columns.into_iter().enumerate().map(|(i, c)| {
                    let class = if numeric_last && i == last {
                        "nhsuk-table__header nhsuk-table__header--numeric"
                    } else {
                        "nhsuk-table__header"
                    };
                    view! { <th class=class scope="col">{c}</th> }
                }).collect_view()}
            </tr>
        </thead>
    }
}
