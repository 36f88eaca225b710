//! `/account`: the signed-in user's own page. For now their name, organisation and role, and
//! their secret calendar feed address (see `events::tokens`): made, shown once in a read-only
//! field (with a copy button once the script has loaded), and revoked or replaced with a POST.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb, SummaryRow};
use crate::error::AppError;
use crate::orgs::OrgRef;
use crate::users::Role;

/// The calendar feed part of `/account`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedLink {
    /// When the current address was made, if there is one (as people read it).
    pub made: Option<String>,
    /// The address just made: shown this once, since only its hash is kept.
    pub new_url: Option<String>,
    /// The same address with only the user's organisation's events.
    pub new_org_url: Option<String>,
}

/// Everything `/account` shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub name: String,
    pub email: String,
    pub org: OrgRef,
    pub role: Role,
    pub feed: FeedLink,
}

#[cfg(feature = "ssr")]
const NEW_LINK: &str = "account/feed-link";

/// The signed-in user's account page.
#[server(endpoint = "account/get")]
pub async fn get_account() -> Result<AccountView, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            let session = crate::auth::session::request_session().await?;
            let user = viewer.require_user()?.clone();
            let made = crate::events::tokens::made_at(&state.db, user.id)
                .await?
                .map(|at: String| {
                    crate::dates::Date::of_timestamp(&at)
                        .map(|d| d.to_string())
                        .unwrap_or(at)
                });
            let token: Option<String> = crate::flash::take(&session, NEW_LINK).await?;
            // Shown only while it is still the user's address (not revoked in another tab).
            let token = match token {
                Some(t) if made.is_some() => Some(t),
                _ => None,
            };
            let base = state.settings.public_url.trim_end_matches('/').to_owned();
            let new_url = token
                .as_ref()
                .map(|t| format!("{base}{}", crate::events::tokens::feed_path(t)));
            let new_org_url = new_url.as_ref().map(|u| {
                format!(
                    "{u}?org={}",
                    crate::components::layout::encode(&user.org_slug)
                )
            });
            Ok(AccountView {
                name: user.name,
                email: user.email,
                org: OrgRef {
                    slug: user.org_slug,
                    name: user.org_name,
                },
                role: user.role,
                feed: FeedLink {
                    made,
                    new_url,
                    new_org_url,
                },
            })
        }
        .await,
    )
}

/// Makes a new secret calendar address (`renew`, which revokes the old one) or revokes it
/// (`revoke`), then back to `/account`.
#[server(endpoint = "account/feed")]
pub async fn change_feed_link(action: String) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = crate::auth::session::caller().await?;
            let session = crate::auth::session::request_session().await?;
            match action.as_str() {
                "renew" => {
                    let token =
                        crate::events::tokens::renew(&state.db, &caller.viewer, &caller.actor)
                            .await?;
                    crate::flash::keep(&session, NEW_LINK, &token).await?;
                    crate::flash::set_notice(
                        &session,
                        true,
                        "New calendar link made: any earlier link no longer works",
                    )
                    .await?;
                }
                "revoke" => {
                    let revoked =
                        crate::events::tokens::revoke(&state.db, &caller.viewer, &caller.actor)
                            .await?;
                    let message = if revoked {
                        "Calendar link revoked: calendars using it get nothing more"
                    } else {
                        "You had no calendar link"
                    };
                    crate::flash::set_notice(&session, true, message).await?;
                }
                other => {
                    return Err::<(), AppError>(AppError::Invalid(format!(
                        "{other:?} is not something to do with a calendar link: renew or revoke"
                    )));
                }
            }
            leptos_axum::redirect("/account#calendar");
            Ok(())
        }
        .await,
    )
}

/// `/account`.
#[component]
pub fn AccountPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| get_account());
    view! {
        <Title text="Your account"/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home")]/>
        <h1>"Your account"</h1>
        {when_loaded(account, |account| view! { <AccountDetail account/> })}
    }
}

#[component]
fn AccountDetail(account: AccountView) -> impl IntoView {
    let AccountView {
        name,
        email,
        org,
        role,
        feed,
    } = account;
    let has_link = feed.made.is_some();
    let shown = feed.new_url.clone().map(|url| {
        let org_url = feed.new_org_url.clone().unwrap_or_default();
        view! {
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="feed-url">"Your calendar link: all the events you can see"</label>
                <div class="nhsuk-hint" id="feed-url-hint">"Shown only now: copy it into your calendar app before you leave this page."</div>
                <input class="nhsuk-input ts-feed-url" id="feed-url" type="text" readonly value=url.clone() aria-describedby="feed-url-hint" spellcheck="false"/>
                <CopyButton target="feed-url".to_owned() text=url/>
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="feed-org-url">{format!("Only the events {} runs or takes part in", org.name)}</label>
                <input class="nhsuk-input ts-feed-url" id="feed-org-url" type="text" readonly value=org_url.clone() spellcheck="false"/>
                <CopyButton target="feed-org-url".to_owned() text=org_url/>
            </div>
        }
    });
    let status = match (&feed.made, shown.is_some()) {
        (_, true) => None,
        (Some(made), false) => Some(format!(
            "You made a calendar link on {made}. It is shown only when it is made: if you no longer have it, make a new one (the old one then stops working)."
        )),
        (None, false) => Some("You have no calendar link yet.".to_owned()),
    };
    view! {
        <dl class="nhsuk-summary-list">
            <SummaryRow key="Name">{name}</SummaryRow>
            <SummaryRow key="Email">{email}</SummaryRow>
            <SummaryRow key="Organisation"><a href=org.href()>{org.name.clone()}</a></SummaryRow>
            <SummaryRow key="Role">{role.label()}</SummaryRow>
        </dl>
        <section id="calendar" aria-labelledby="calendar-title">
            <h2 id="calendar-title">"Events in your own calendar"</h2>
            <p>
                "Subscribe to this link in Outlook, Google Calendar or Apple Calendar to see every event you can see here, "
                "including your organisation's and the network's, and to get changes when your calendar refreshes. "
                "The public feed at "<a href="/events.ics">"/events.ics"</a>" holds public events only."
            </p>
            <div class="nhsuk-warning-callout">
                <h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Keep the link to yourself"</span></h3>
                <p>"Anyone with the link can read the events you can read (and nothing else). If it gets out, revoke it and make a new one."</p>
            </div>
            {shown}
            {status.map(|s| view! { <p>{s}</p> })}
            <div class="nhsuk-button-group">
                <form action="/api/account/feed" method="post" class="ts-inline-form">
                    <input type="hidden" name="action" value="renew"/>
                    <button class="nhsuk-button" type="submit">
                        {if has_link { "Revoke and make a new link" } else { "Make a calendar link" }}
                    </button>
                </form>
                {has_link.then(|| view! {
                    <form action="/api/account/feed" method="post" class="ts-inline-form">
                        <input type="hidden" name="action" value="revoke"/>
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Revoke the link"</button>
                    </form>
                })}
            </div>
        </section>
    }
}

/// A "Copy link" button for a read-only field, shown once the script has loaded (without it,
/// the field's text can be selected and copied as usual). Says "Copied" in a status message.
#[island]
fn CopyButton(target: String, text: String) -> impl IntoView {
    let (hydrated, set_hydrated) = signal(false);
    let (said, set_said) = signal(String::new());
    // Effects run only in the browser, so the button stays hidden in server-rendered HTML.
    Effect::new(move |_| set_hydrated.set(true));
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let done = copy_to_clipboard(&text);
            set_said.set(if done {
                "Link copied".to_owned()
            } else {
                "Could not copy: select the link and copy it".to_owned()
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&text, set_said);
    };
    view! {
        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button"
            aria-controls=target hidden=move || !hydrated.get() on:click=copy>
            "Copy link"
        </button>
        <span class="nhsuk-body-s" role="status">{move || said.get()}</span>
    }
}

/// Asks the browser to put `text` on the clipboard (`navigator.clipboard.writeText`), found
/// by name so no extra browser bindings are needed.
#[cfg(feature = "hydrate")]
fn copy_to_clipboard(text: &str) -> bool {
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use leptos::web_sys::js_sys::{global, Function, Reflect};
    let get = |on: &JsValue, name: &str| Reflect::get(on, &JsValue::from_str(name)).ok();
    let Some(clipboard) = get(&global(), "navigator").and_then(|n| get(&n, "clipboard")) else {
        return false;
    };
    let Some(write) = get(&clipboard, "writeText").and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return false;
    };
    write.call1(&clipboard, &JsValue::from_str(text)).is_ok()
}
