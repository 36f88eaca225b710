//! Rendering a server function's result: the page on success, the matching error page (with
//! its HTTP status) otherwise, and the page for an address that leads nowhere.

use leptos::prelude::*;
use leptos_meta::Title;

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
        AppError::TooMany(message) => {
            set_status(429);
            view! {
                <Title text="Too many at once"/>
                <h1>"You have reached the limit for now"</h1>
                <p>{message}</p>
            }
            .into_any()
        }
        other => {
            set_status(other.status());
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
