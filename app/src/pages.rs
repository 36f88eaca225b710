//! Pages that belong to no one concept: home, not found, errors.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::documents::api::recent_documents;
use crate::documents::pages::DocCard;
use crate::documents::DocKind;
use crate::error::{AppError, AppResult};

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = axum::http::StatusCode::from_u16(code) {
                response.set_status(status);
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

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
                <form class="ts-home-search" action="/guides" method="get" role="search">
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label nhsuk-label--m" for="home-search">"Search guides"</label>
                        <div class="nhsuk-hint" id="home-search-hint">"For example, smart cards, fast user switching or backup"</div>
                        <input class="nhsuk-input nhsuk-u-width-two-thirds" id="home-search" name="q" type="search" aria-describedby="home-search-hint"/>
                    </div>
                    <button class="nhsuk-button" type="submit">"Search"</button>
                </form>
            </div>
        </div>
        {DocKind::ALL.into_iter().map(|kind| view! { <RecentDocuments kind/> }).collect_view()}
    }
}

/// The newest documents of a kind, as cards.
#[component]
fn RecentDocuments(kind: DocKind) -> impl IntoView {
    let recent = Resource::new(|| (), move |_| recent_documents(kind));
    let heading = match kind {
        DocKind::Guide => "Recently updated guides",
        DocKind::Plan => "Deployment plans",
        DocKind::Lesson => "Lessons learned",
    };
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

/// The page shown for an address that leads nowhere, with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page not found"/>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Page not found"</h1>
                <p>"If you typed the web address, check it was correct."</p>
                <p>"If you pasted the web address, check you copied the entire address."</p>
                <p>"The page may also be visible only to members of a particular organisation. "
                   <a href="/login">"Sign in"</a>" if you have an account."</p>
                <p><a href="/guides">"Browse all guides"</a></p>
            </div>
        </div>
    }
}

/// Renders a server function's result once it has loaded (pages render in full on the server
/// before anything is sent): `render` on success, the matching error page otherwise.
pub fn when_loaded<T, V, F>(resource: Resource<AppResult<T>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => render(value).into_any(),
                        Err(e) => error_view(e),
                    }
                })
            }}
        </Suspense>
    }
}

/// A page for any error from a server function.
pub fn error_view(error: AppError) -> AnyView {
    match error {
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        AppError::Unauthenticated => {
            set_status(401);
            view! {
                <Title text="Sign in"/>
                <h1>"You need to sign in"</h1>
                <p><a href="/login">"Sign in"</a>" to see this page."</p>
            }
            .into_any()
        }
        AppError::Forbidden => {
            set_status(403);
            view! {
                <Title text="Not allowed"/>
                <h1>"You cannot do that"</h1>
                <p>"Your role does not allow this. Ask an administrator of your organisation if you need it."</p>
            }
            .into_any()
        }
        other => {
            set_status(if matches!(other, AppError::Invalid(_)) {
                400
            } else {
                500
            });
            let message = other.to_string();
            view! {
                <Title text="Sorry, there is a problem"/>
                <h1>"Sorry, there is a problem with the service"</h1>
                <p>{message}</p>
            }
            .into_any()
        }
    }
}
