//! `/orgs` and `/orgs/{slug}`: organisations with the documents and people the viewer may see;
//! `/orgs/{slug}/access`: an organisation's access-management configuration.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::components::loading::{error_view, set_status, when_loaded};
use crate::components::ui::{Breadcrumbs, Crumb, SummaryRow, TableHead};
use crate::documents::api::get_document;
use crate::documents::model::DocSummary;
use crate::documents::pages::{DocCard, DocumentView};
use crate::documents::DocKind;
use crate::error::AppError;
use crate::events::model::UpcomingOf;
use crate::events::pages::UpcomingEvents;
use crate::kind::Kind as _;
use crate::orgs::{Nation, OrgKind, OrgRef};
use crate::users::Role;

/// An organisation as listed on `/orgs`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgListItem {
    pub slug: String,
    pub name: String,
    pub code: String,
    pub nation: Nation,
    pub kind: OrgKind,
    /// Published documents this viewer can read.
    pub document_count: i64,
}

/// A member shown on an organisation's page (signed-in viewers only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub job_title: String,
    pub role: Role,
}

/// Everything `/orgs/{slug}` shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgPage {
    pub slug: String,
    pub name: String,
    pub code: String,
    pub nation: Nation,
    pub kind: OrgKind,
    pub parent: Option<OrgRef>,
    pub children: Vec<OrgRef>,
    /// Sanitised HTML of the description.
    pub description_html: String,
    /// Published documents of every kind the viewer may read.
    pub documents: Vec<DocSummary>,
    /// `None` when the viewer may not see people.
    pub members: Option<Vec<Member>>,
}

/// All organisations, by name, with the number of documents the viewer can read from each.
#[server(endpoint = "orgs/list")]
pub async fn list_orgs() -> Result<Vec<OrgListItem>, AppError> {
    let viewer = crate::auth::session::viewer().await?;
    let db = crate::state::app_state()?.db;
    let counts = crate::documents::store::lists::counts_by_org(&db, &viewer).await?;
    Ok(crate::orgs::store::all(&db)
        .await?
        .into_iter()
        .map(|o| OrgListItem {
            document_count: counts.get(&o.id).copied().unwrap_or(0),
            slug: o.slug,
            name: o.name,
            code: o.code,
            nation: o.nation,
            kind: o.kind,
        })
        .collect())
}

/// One organisation's page.
#[server(endpoint = "orgs/get")]
pub async fn get_org(slug: String) -> Result<OrgPage, AppError> {
    crate::error::with_status(
        async {
            let viewer = crate::auth::session::viewer().await?;
            let db = crate::state::app_state()?.db;
            let org = crate::orgs::store::find(&db, &slug)
                .await?
                .ok_or(AppError::NotFound)?;
            let members = if viewer.can_see_people() {
                let rows = crate::users::store::list_for_org(&db, org.id).await?;
                Some(
                    rows.into_iter()
                        .map(|u| Member {
                            role: u.role,
                            name: u.name,
                            job_title: u.job_title,
                        })
                        .collect(),
                )
            } else {
                None
            };
            Ok(OrgPage {
                children: crate::orgs::store::children(&db, org.id).await?,
                documents: crate::documents::store::lists::for_org(&db, &viewer, org.id).await?,
                description_html: crate::markdown::render(&org.description).html,
                slug: org.slug,
                name: org.name,
                code: org.code,
                nation: org.nation,
                kind: org.kind,
                parent: org.parent,
                members,
            })
        }
        .await,
    )
}

/// `/orgs`: every organisation, grouped by nation.
#[component]
pub fn OrgsPage() -> impl IntoView {
    let orgs = Resource::new(|| (), |_| list_orgs());
    view! {
        <Title text="Organisations"/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home")]/>
        <h1>"Organisations"</h1>
        <p class="nhsuk-lede-text">"Trusts, health boards, national bodies and suppliers sharing their work on Trustshare."</p>
        {when_loaded(orgs, |orgs| view! { <OrgTables orgs/> })}
    }
}

#[component]
fn OrgTables(orgs: Vec<OrgListItem>) -> impl IntoView {
    Nation::ALL
        .iter()
        .copied()
        .filter_map(|nation| {
            let in_nation: Vec<OrgListItem> = orgs.iter().filter(|o| o.nation == nation).cloned().collect();
            (!in_nation.is_empty()).then(|| {
                let heading_id = format!("nation-{}", nation.as_str());
                view! {
                    <h2 id=heading_id.clone()>{nation.label()}</h2>
                    <table class="nhsuk-table" aria-labelledby=heading_id>
                        <TableHead columns=vec!["Organisation", "Code", "Type", "Documents"] numeric_last=true/>
                        <tbody class="nhsuk-table__body">
                            {in_nation.into_iter().map(|o| view! {
                                <tr class="nhsuk-table__row">
                                    <td class="nhsuk-table__cell"><a href=format!("/orgs/{}", o.slug)>{o.name}</a></td>
                                    <td class="nhsuk-table__cell">{o.code}</td>
                                    <td class="nhsuk-table__cell">{o.kind.label()}</td>
                                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{o.document_count}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })
        })
        .collect_view()
}

/// `/orgs/{slug}`: one organisation, its documents and (for signed-in members) its people.
#[component]
pub fn OrgDetailPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let org = Resource::new(slug, get_org);
    view! {
        {when_loaded(org, |org| view! { <OrgView org/> })}
    }
}

#[component]
fn OrgView(org: OrgPage) -> impl IntoView {
    let OrgPage {
        slug,
        name,
        code,
        nation,
        kind,
        parent,
        children,
        description_html,
        documents,
        members,
    } = org;
    view! {
        <Title text=name.clone()/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home"), Crumb::new("/orgs", "Organisations")]/>
        <h1>{name}</h1>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <dl class="nhsuk-summary-list">
                    <SummaryRow key="Type">{kind.label()}</SummaryRow>
                    <SummaryRow key="Nation">{nation.label()}</SummaryRow>
                    <SummaryRow key="Code">{code}</SummaryRow>
                    {parent.map(|p| view! { <SummaryRow key="Part of"><a href=p.href()>{p.name.clone()}</a></SummaryRow> })}
                </dl>
                <div class="ts-prose" inner_html=description_html></div>
                {(!children.is_empty()).then(|| view! {
                    <h2>"Member organisations"</h2>
                    <ul class="nhsuk-list nhsuk-list--bullet">
                        {children.into_iter().map(|c| view! { <li><a href=c.href()>{c.name.clone()}</a></li> }).collect_view()}
                    </ul>
                })}
                {DocKind::all().map(|kind| {
                    let of_kind: Vec<_> = documents.iter().filter(|d| d.kind == kind).cloned().collect();
                    view! {
                        <h2>{kind.plural_title()}</h2>
                        {if of_kind.is_empty() {
                            view! { <p>{format!("No {} from this organisation that you can see.", kind.short_plural().to_lowercase())}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="nhsuk-grid-row nhsuk-card-group">
                                    {of_kind.into_iter().map(|d| view! {
                                        <li class="nhsuk-grid-column-one-half nhsuk-card-group__item"><DocCard doc=d/></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }
                }).collect_view()}
                <UpcomingEvents of=UpcomingOf::Org(slug)/>
                <h2>"People"</h2>
                {match members {
                    None => view! { <p><a href="/login">"Sign in"</a>" to see who works on this at the organisation."</p> }.into_any(),
                    Some(m) if m.is_empty() => view! { <p>"No members yet."</p> }.into_any(),
                    Some(m) => view! {
                        <table class="nhsuk-table">
                            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"People"</caption>
                            <TableHead columns=vec!["Name", "Job title", "Role"]/>
                            <tbody class="nhsuk-table__body">
                                {m.into_iter().map(|p| view! {
                                    <tr class="nhsuk-table__row">
                                        <td class="nhsuk-table__cell">{p.name}</td>
                                        <td class="nhsuk-table__cell">{p.job_title}</td>
                                        <td class="nhsuk-table__cell">{p.role.label()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}

/// `/orgs/{slug}/access`: the organisation's access-management configuration as the viewer may
/// read it (the published revision for readers; the newest for its own editors), exactly as at
/// `/access/{slug}`; or, with status 404, a page saying none is shared with the viewer.
#[component]
pub fn OrgAccessPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // Registered in `kinds::ALL`; its code is its own constant.
    let kind = DocKind::from_code(crate::configurations::Configurations::NAMES.code)
        .expect("the configuration kind is registered");
    let doc = Resource::new(slug, move |slug| get_document(kind, slug));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match doc.await {
                    Ok(doc) => view! { <DocumentView doc/> }.into_any(),
                    Err(AppError::NotFound) => view! { <NoConfiguration slug=slug()/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// Nothing to show at `/orgs/{slug}/access`: no configuration, or none the viewer may read,
/// which are told apart for nobody.
#[component]
fn NoConfiguration(slug: String) -> impl IntoView {
    set_status(404);
    view! {
        <Title text="No access-management configuration shared with you"/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home"), Crumb::new("/orgs", "Organisations"), Crumb::new(format!("/orgs/{slug}"), "Organisation")]/>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"No access-management configuration shared with you"</h1>
                <p>"This organisation has no access-management configuration on Trustshare that you can see. "
                   "An organisation shares its configuration with its own members, and may share it with every member organisation."</p>
                <p>"If you work there, "<a href="/login">"sign in"</a>" to see it, or ask an editor to publish one."</p>
                <p><a href=format!("/orgs/{slug}")>"Go to the organisation's page"</a></p>
            </div>
        </div>
    }
}
