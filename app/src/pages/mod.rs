//! Pages composed from several concepts: the home page (every kind of document) and the
//! organisation pages (organisations with their documents and people).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::loading::when_loaded;
use crate::documents::api::recent_documents;
use crate::documents::pages::DocCard;
use crate::documents::DocKind;

pub mod account;
pub mod compare;
pub mod orgs;
pub mod rules;
pub mod waivers;

/// `/`: what the portal is, a search box and the latest guides.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Share what works"/>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Trustshare"</h1>
                <p class="nhsuk-lede-text">
                    "Best-practice guides, deployment plans and lessons learned, shared between NHS trusts and health boards."
                </p>
                <p>
                    "When a board pilots single sign-on, smart cards or a new way of working on shared workstations, "
                    "the next board should not have to start again. Trustshare is where organisations publish what they did, "
                    "what worked and what they would change."
                </p>
                <form class="ts-home-search" action="/search" method="get" role="search">
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label nhsuk-label--m" for="home-search">"Search guides, plans and lessons"</label>
                        <div class="nhsuk-hint" id="home-search-hint">"For example, smart cards, fast user switching or backup"</div>
                        <input class="nhsuk-input nhsuk-u-width-two-thirds" id="home-search" name="q" type="search" aria-describedby="home-search-hint"/>
                    </div>
                    <button class="nhsuk-button" type="submit">"Search"</button>
                </form>
            </div>
        </div>
        {DocKind::all().map(|kind| view! { <RecentDocuments kind/> }).collect_view()}
    }
}

/// The newest documents of a kind, as cards.
#[component]
fn RecentDocuments(kind: DocKind) -> impl IntoView {
    let recent = Resource::new(|| (), move |_| recent_documents(kind));
    let heading = kind.names().home_heading;
    view! {
        <h2>{heading}</h2>
        {when_loaded(recent, move |docs| {
            if docs.is_empty() {
                view! { <p>{format!("No {} have been published yet.", kind.short_plural().to_lowercase())}</p> }.into_any()
            } else {
                view! {
                    <ul class="nhsuk-grid-row nhsuk-card-group">
                        {docs.into_iter().map(|d| view! {
                            <li class="nhsuk-grid-column-one-half nhsuk-card-group__item"><DocCard doc=d/></li>
                        }).collect_view()}
                    </ul>
                    <p><a href=kind.list_path()>{format!("Browse all {}", kind.short_plural().to_lowercase())}</a></p>
                }.into_any()
            }
        })}
    }
}
