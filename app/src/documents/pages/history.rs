//! `/{kind}/{slug}/history`, one revision, and the comparison of two revisions.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::document::DocumentView;
use super::slug_param;
use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb, TableHead};
use crate::documents::api::{get_diff, get_history, get_revision};
use crate::documents::model::{DiffPart, DiffView, HistoryView};
use crate::documents::DocKind;

/// `/{kind}/{slug}/history`: every revision the viewer may see, with workflow steps.
#[component]
pub fn HistoryPage(kind: DocKind) -> impl IntoView {
    let slug = slug_param();
    let history = Resource::new(slug, move |slug| get_history(kind, slug));
    view! { {when_loaded(history, |h| view! { <HistoryTable history=h/> })} }
}

#[component]
fn HistoryTable(history: HistoryView) -> impl IntoView {
    let HistoryView {
        kind,
        slug,
        title,
        revisions,
        steps: events,
        can_restore,
    } = history;
    let href = kind.href(&slug);
    let newest = revisions.first().map(|r| r.number).unwrap_or(1);
    let previous = revisions.get(1).map(|r| r.number).unwrap_or(newest);
    let numbers: Vec<i64> = revisions.iter().map(|r| r.number).collect();
    let kind_value = kind.code();
    view! {
        <Title text=format!("History: {title}")/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home"), Crumb::new(kind.list_path(), kind.short_plural()), Crumb::new(href.clone(), title.clone())]/>
        <h1><span class="nhsuk-caption-l">"History"</span>{title.clone()}</h1>
        {(numbers.len() > 1).then(|| view! {
            <form class="ts-compare" action=format!("{href}/diff") method="get">
                <h2 class="nhsuk-heading-s">"Compare two revisions"</h2>
                <div class="ts-compare__fields">
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for="from">"Older revision"</label>
                        <select class="nhsuk-select" id="from" name="from">
                            {numbers.iter().map(|n| view! { <option value=n.to_string() selected=*n == previous>{format!("Revision {n}")}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for="to">"Newer revision"</label>
                        <select class="nhsuk-select" id="to" name="to">
                            {numbers.iter().map(|n| view! { <option value=n.to_string() selected=*n == newest>{format!("Revision {n}")}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Compare"</button>
            </form>
        })}
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption">"Revisions"</caption>
            <TableHead columns=if can_restore {
                vec!["Revision", "Saved by", "When (UTC)", "Comment", "Action"]
            } else {
                vec!["Revision", "Saved by", "When (UTC)", "Comment"]
            }/>
            <tbody class="nhsuk-table__body">
                {revisions.into_iter().map(|r| {
                    // The newest revision is already the draft; restoring it would copy it.
                    let restorable = r.number != newest;
                    let link = format!("{href}/history/{}", r.number);
                    let slug = slug.clone();
                    view! {
                        <tr class="nhsuk-table__row">
                            <td class="nhsuk-table__cell">
                                <a href=link>{format!("Revision {}", r.number)}</a>
                                {r.current.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--blue">"Current"</strong> })}
                                {(r.published && !r.current).then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--grey">"Was published"</strong> })}
                            </td>
                            <td class="nhsuk-table__cell">{r.author}</td>
                            <td class="nhsuk-table__cell">{r.at.replace('T', " ").replace('Z', "")}</td>
                            <td class="nhsuk-table__cell">{r.comment}</td>
                            {can_restore.then(|| view! {
                                <td class="nhsuk-table__cell">
                                    {restorable.then(|| view! {
                                    <form action="/api/documents/restore" method="post">
                                        <input type="hidden" name="kind" value=kind_value/>
                                        <input type="hidden" name="slug" value=slug/>
                                        <input type="hidden" name="number" value=r.number.to_string()/>
                                        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">
                                            "Restore as new draft"<span class="nhsuk-u-visually-hidden">{format!(" (revision {})", r.number)}</span>
                                        </button>
                                    </form>
                                    })}
                                </td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(!events.is_empty()).then(|| view! {
            <h2>"Workflow"</h2>
            <ul class="nhsuk-list ts-events">
                {events.into_iter().map(|e| view! {
                    <li>
                        <strong>{e.step.label()}</strong>{format!(" by {} on {}", e.actor, e.at.replace('T', " ").replace('Z', " UTC"))}
                        {(!e.comment.is_empty()).then(|| view! { <br/>{format!("“{}”", e.comment)} })}
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// `/{kind}/{slug}/history/{number}`.
#[component]
pub fn RevisionPage(kind: DocKind) -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("slug").unwrap_or_default(),
            p.get("number")
                .and_then(|n| n.parse::<i64>().ok())
                .unwrap_or(0),
        )
    };
    let revision = Resource::new(key, move |(slug, number)| get_revision(kind, slug, number));
    view! { {when_loaded(revision, |doc| view! { <DocumentView doc/> })} }
}

/// `/{kind}/{slug}/diff?from=&to=`.
#[component]
pub fn DiffPage(kind: DocKind) -> impl IntoView {
    let slug = slug_param();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        let n = |name: &str| q.get(name).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        (slug(), n("from"), n("to"))
    };
    let diff = Resource::new(key, move |(slug, from, to)| get_diff(kind, slug, from, to));
    view! { {when_loaded(diff, |d| view! { <DiffTable diff=d/> })} }
}

#[component]
fn DiffTable(diff: DiffView) -> impl IntoView {
    let DiffView {
        kind,
        slug,
        title,
        from,
        to,
        fields,
        ..
    } = diff;
    let href = kind.href(&slug);
    view! {
        <Title text=format!("Changes: {title}")/>
        <Breadcrumbs crumbs=vec![
            Crumb::new("/", "Home"),
            Crumb::new(kind.list_path(), kind.short_plural()),
            Crumb::new(href.clone(), title.clone()),
            Crumb::new(format!("{href}/history"), "History"),
        ]/>
        <h1><span class="nhsuk-caption-l">{format!("Revision {from} compared with revision {to}")}</span>{title}</h1>
        <p class="ts-diff-key">
            "Removed words are "<del class="ts-del">"struck through"</del>", added words are "<ins class="ts-ins">"underlined"</ins>"."
        </p>
        {if fields.is_empty() {
            view! { <p>"The two revisions are the same."</p> }.into_any()
        } else {
            view! { <DiffFields fields/> }.into_any()
        }}
    }
}

/// Field-by-field word differences.
#[component]
pub fn DiffFields(fields: Vec<crate::documents::model::FieldDiff>) -> impl IntoView {
    fields
        .into_iter()
        .map(|f| {
            view! {
                <h2 class="nhsuk-heading-s">{f.field}</h2>
                {f.by_lines.then(|| view! {
                    <p class="nhsuk-body-s">"This is too long to compare word by word: whole lines that differ are shown."</p>
                })}
                <div class="ts-diff">
                    {f.parts.into_iter().map(|p| match p {
                        DiffPart::Same(t) => view! { <span>{t}</span> }.into_any(),
                        DiffPart::Added(t) => view! { <ins class="ts-ins"><span class="nhsuk-u-visually-hidden">"[added: "</span>{t}<span class="nhsuk-u-visually-hidden">"]"</span></ins> }.into_any(),
                        DiffPart::Removed(t) => view! { <del class="ts-del"><span class="nhsuk-u-visually-hidden">"[removed: "</span>{t}<span class="nhsuk-u-visually-hidden">"]"</span></del> }.into_any(),
                    }).collect_view()}
                </div>
            }
        })
        .collect_view()
}
