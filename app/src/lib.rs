//! Trustshare's web application: pages, components and server functions, and (with the `ssr`
//! feature) the storage, permission checks and rendering they call, one module per concept.

#![recursion_limit = "512"]

use leptos::children::ToChildren;
use leptos::prelude::*;
use leptos::tachys::view::iterators::StaticVec;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{
    Outlet, ParentRoute, Route, RouteChildren, Router, Routes, RoutesProps,
};
use leptos_router::{path, MatchNestedRoutes, ParamSegment, SsrMode, StaticSegment};

// Modules from the bottom layer up; none imports one below it back (see tests/module_graph.rs).
pub mod coded;
pub mod dates;
pub mod error;
pub mod limits;
pub mod slugs;

pub mod access;
pub mod audit;
pub mod auth;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod flash;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod orgs;
pub mod permissions;
#[cfg(feature = "ssr")]
pub mod state;
pub mod users;

pub mod configurations;
pub mod guides;
pub mod kind;
pub mod kinds;
pub mod lessons;
pub mod plans;

pub mod contacts;
#[cfg(feature = "ssr")]
pub mod content;
pub mod documents;
pub mod events;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod references;
pub mod search;

use auth::pages::LoginPage;
use components::layout::{Footer, Header, SkipLink};
use components::loading::NotFound;
use contacts::edit_page::{ContactEditorPage, ContactImportPage};
use contacts::pages::{ContactListPage, ContactPage, UnverifiedContacts};
use documents::pages::{
    DiffPage, DocListPage, DocPage, EditorPage, HistoryPage, ReviewPage, RevisionPage,
};
use documents::DocKind;
use events::edit_page::EventEditorPage;
use events::pages::{EventListPage, EventPage};
use pages::account::AccountPage;
use pages::compare::ComparePageView;
use pages::orgs::{OrgAccessPage, OrgDetailPage, OrgsPage};
use pages::rules::{RuleCataloguePage, RulePageView};
use pages::waivers::WaiversPageView;
use pages::HomePage;
use search::page::SearchPage;

/// Hands the modules below the ones that follow them what to call: `documents` tells
/// `events::milestones` when a plan's approved revision changes and `references::mentions` when
/// a lesson's does, and asks `references` about live references in texts (see
/// `documents::hooks`). The host calls this when it opens the database, before anything is
/// written.
#[cfg(feature = "ssr")]
pub fn install_hooks() {
    static READERS_CHANGED: &[documents::hooks::Hook] = &[
        events::milestones::follow_plan,
        references::mentions::follow_lessons,
    ];
    documents::hooks::install(READERS_CHANGED);
    documents::hooks::install_references(references::hooks());
}

/// The built files a page names: the stylesheet's address and whether an islands bundle
/// exists (its name is Leptos's `output_name`).
#[derive(Clone, Debug)]
pub struct PageFiles {
    pub islands: bool,
    pub stylesheet: std::sync::Arc<str>,
}

/// The HTML document around every page. Island scripts are included only when a wasm
/// bundle was built; without them every page and form still works.
pub fn shell(options: LeptosOptions, files: PageFiles) -> impl IntoView {
    let hydrate = files.islands;
    #[cfg(feature = "ssr")]
    set_page_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#005eb8"/>
                <link rel="icon" href="/assets/images/favicon.ico" sizes="48x48"/>
                <link rel="icon" href="/assets/images/favicon.svg" sizes="any" type="image/svg+xml"/>
                <link rel="stylesheet" href=files.stylesheet.to_string()/>
                {hydrate.then(|| view! { <HydrationScripts options=options.clone() islands=true/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Pages allow only scripts carrying this response's nonce (the islands loader) and our own
/// files; every other response gets the stricter default policy from the server.
#[cfg(feature = "ssr")]
fn set_page_security_policy() {
    use axum::http::{header, HeaderValue};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' https: data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The router and the frame shared by every page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let user = Resource::new(|| (), |_| auth::get_current_user());
    view! {
        // leptos_meta writes the title text into <head> unescaped, and titles are author content.
        <Title formatter=|page: String| format!("{} – Trustshare", components::escape_html(&page))/>
        <Router>
            <SkipLink/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let account = user.await.ok().flatten();
                    let reviews = account.as_ref().is_some_and(|a| a.reviews);
                    let user = account.map(|a| a.user);
                    view! { <Header user reviews><search::suggest::SearchBox/></Header> }
                })}
            </Suspense>
            <div class="nhsuk-width-container">
                <main class="nhsuk-main-wrapper" id="maincontent">
                    <flash::NoticeBanner/>
                    {routes()}
                </main>
            </div>
            <Footer/>
        </Router>
    }
}

/// Every page's route: the fixed ones, and each registered kind's.
fn routes() -> impl IntoView {
    let children = RouteChildren::to_children(|| {
        (
            view! { <Route path=path!("/") view=HomePage ssr=SsrMode::Async/> }.into_inner(),
            // Before the kinds' routes: `compare` and `rules` are reserved slugs
            // (`slugs::RESERVED`), never a configuration's.
            view! {
                <Route path=path!("/access/compare") view=ComparePageView ssr=SsrMode::Async/>
                <Route path=path!("/access/rules") view=RuleCataloguePage ssr=SsrMode::Async/>
                <Route path=path!("/access/rules/:code") view=RulePageView ssr=SsrMode::Async/>
            }
            .into_inner(),
            StaticVec::from(DocKind::all().map(document_routes).collect::<Vec<_>>()),
            view! {
                <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                <Route path=path!("/review") view=|| view! { <ReviewPage/> <UnverifiedContacts/> } ssr=SsrMode::Async/>
                <Route path=path!("/orgs") view=OrgsPage ssr=SsrMode::Async/>
                <Route path=path!("/orgs/:slug") view=OrgDetailPage ssr=SsrMode::Async/>
                <Route path=path!("/orgs/:slug/access") view=OrgAccessPage ssr=SsrMode::Async/>
                <Route path=path!("/orgs/:slug/access/waivers") view=WaiversPageView ssr=SsrMode::Async/>
                <Route path=path!("/events") view=EventListPage ssr=SsrMode::Async/>
                <Route path=path!("/events/new") view=|| view! { <EventEditorPage new=true/> } ssr=SsrMode::Async/>
                <Route path=path!("/events/:id") view=EventPage ssr=SsrMode::Async/>
                <Route path=path!("/events/:id/edit") view=|| view! { <EventEditorPage/> } ssr=SsrMode::Async/>
                <Route path=path!("/contacts") view=ContactListPage ssr=SsrMode::Async/>
                <Route path=path!("/contacts/new") view=|| view! { <ContactEditorPage new=true/> } ssr=SsrMode::Async/>
                <Route path=path!("/contacts/import") view=ContactImportPage ssr=SsrMode::Async/>
                <Route path=path!("/contacts/:slug") view=ContactPage ssr=SsrMode::Async/>
                <Route path=path!("/contacts/:slug/edit") view=|| view! { <ContactEditorPage/> } ssr=SsrMode::Async/>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
            }
            .into_inner(),
        )
    });
    Routes(
        RoutesProps::builder()
            .fallback(|| view! { <NotFound/> })
            .children(children)
            .build(),
    )
}

/// The pages of one kind of document: list, new, page, edit, history, one revision, comparison.
fn document_routes(kind: DocKind) -> impl MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=StaticSegment(kind.path()) view=Outlet ssr=SsrMode::Async>
            <Route path=StaticSegment("") view=move || view! { <DocListPage kind/> } ssr=SsrMode::Async/>
            <Route path=StaticSegment("new") view=move || view! { <EditorPage kind new=true/> } ssr=SsrMode::Async/>
            <Route path=ParamSegment("slug") view=move || view! { <DocPage kind/> <DocEvents kind/> } ssr=SsrMode::Async/>
            <Route path=(ParamSegment("slug"), StaticSegment("edit")) view=move || view! { <EditorPage kind/> } ssr=SsrMode::Async/>
            <Route path=(ParamSegment("slug"), StaticSegment("history")) view=move || view! { <HistoryPage kind/> } ssr=SsrMode::Async/>
            <Route path=(ParamSegment("slug"), StaticSegment("history"), ParamSegment("number")) view=move || view! { <RevisionPage kind/> } ssr=SsrMode::Async/>
            <Route path=(ParamSegment("slug"), StaticSegment("diff")) view=move || view! { <DiffPage kind/> } ssr=SsrMode::Async/>
        </ParentRoute>
    }
    .into_inner()
}

/// Below a deployment plan's page, its stakeholder contacts the viewer may read and its upcoming
/// events (milestones and linked events); nothing for other kinds. Composed here, since
/// `documents` knows no kind and `contacts` and `events` sit above it.
#[component]
fn DocEvents(kind: DocKind) -> impl IntoView {
    let plans = <plans::Plans as kind::Kind>::NAMES.code;
    let params = leptos_router::hooks::use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    (kind.code() == plans).then(|| {
        view! {
            <contacts::pages::PlanContacts slug=slug()/>
            <events::pages::UpcomingEvents of=events::model::UpcomingOf::Plan(slug())/>
        }
    })
}

/// Entry point of the wasm bundle: hydrates the islands on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
