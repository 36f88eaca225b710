//! The frame of every page: skip link, header with navigation and account, footer.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::users::CurrentUser;

/// Lets keyboard users jump past the header.
#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="nhsuk-skip-link" href="#maincontent">"Skip to main content"</a> }
}

/// The NHS.UK header: service name, search, account links and main navigation.
#[component]
pub fn Header(
    user: Option<CurrentUser>,
    /// Whether to offer the review queue; the permission module decides.
    reviews: bool,
    /// The search field (`search::suggest::SearchBox`), inside the header's GET form to `/search`.
    children: Children,
) -> impl IntoView {
    let staff = reviews;
    // The contact directory is for signed-in members: anonymous visitors are not pointed at it.
    let member = user.is_some();
    let location = use_location();
    let path = location.pathname.get_untracked();
    let nav_path = path.clone();
    let nav_item = move |href: &'static str, text: &'static str| {
        let current = if href == "/" {
            nav_path == "/"
        } else {
            nav_path == href || nav_path.starts_with(&format!("{href}/"))
        };
        let class = if current {
            "nhsuk-header__navigation-item nhsuk-header__navigation-item--current"
        } else {
            "nhsuk-header__navigation-item"
        };
        view! {
            <li class=class>
                <a class="nhsuk-header__navigation-link" href=href aria-current=current.then_some("page")>
                    {if current {
                        view! { <strong class="nhsuk-header__navigation-item-current-fallback">{text}</strong> }.into_any()
                    } else {
                        text.into_any()
                    }}
                </a>
            </li>
        }
    };
    let sign_in_href = if path == "/login" {
        "/login".to_owned()
    } else {
        format!("/login?next={}", encode(&path))
    };
    view! {
        <header class="nhsuk-header" role="banner">
            <div class="nhsuk-header__container nhsuk-width-container">
                <div class="nhsuk-header__service">
                    <a class="nhsuk-header__service-logo" href="/" aria-label="NHS Trustshare homepage">
                        <svg class="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS">
                            <title>"NHS"</title>
                            <path fill="currentcolor" d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"></path>
                        </svg>
                        <span class="nhsuk-header__service-name">"Trustshare"</span>
                    </a>
                </div>
                <search class="nhsuk-header__search">
                    <form class="nhsuk-header__search-form" id="search" action="/search" method="get" novalidate>
                        <div class="nhsuk-form-group">
                            <label class="nhsuk-label nhsuk-u-visually-hidden" for="search-field">"Search Trustshare"</label>
                            <div class="nhsuk-input-wrapper">
                                {children()}
                                <button class="nhsuk-button nhsuk-button--small nhsuk-header__search-button" data-module="nhsuk-button" type="submit" aria-label="Search">
                                    <svg class="nhsuk-icon nhsuk-icon--search" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                                        <path d="m20.7 19.3-4.1-4.1a7 7 0 1 0-1.4 1.4l4 4.1a1 1 0 0 0 1.5 0c.4-.4.4-1 0-1.4ZM6 11a5 5 0 1 1 10 0 5 5 0 0 1-10 0Z"></path>
                                    </svg>
                                </button>
                            </div>
                        </div>
                    </form>
                </search>
                <nav class="nhsuk-header__account" aria-label="Account">
                    <ul class="nhsuk-header__account-list">
                        {match user {
                            Some(u) => view! {
                                <li class="nhsuk-header__account-item">
                                    <a class="nhsuk-header__account-link ts-account-name" href="/account">{u.name}" ("{u.org_name}")"</a>
                                </li>
                                <li class="nhsuk-header__account-item">
                                    <form class="nhsuk-header__account-form" action="/api/sign-out" method="post" novalidate>
                                        <button class="nhsuk-header__account-button" type="submit">"Sign out"</button>
                                    </form>
                                </li>
                            }.into_any(),
                            None => view! {
                                <li class="nhsuk-header__account-item">
                                    <a class="nhsuk-header__account-link" href=sign_in_href>"Sign in"</a>
                                </li>
                            }.into_any(),
                        }}
                    </ul>
                </nav>
            </div>
            <nav class="nhsuk-header__navigation" aria-label="Menu">
                <div class="nhsuk-header__navigation-container nhsuk-width-container">
                    <ul class="nhsuk-header__navigation-list">
                        {nav_item("/", "Home")}
                        {nav_item("/guides", "Guides")}
                        {nav_item("/plans", "Plans")}
                        {nav_item("/lessons", "Lessons")}
                        {nav_item("/access", "Configurations")}
                        {nav_item("/orgs", "Organisations")}
                        {nav_item("/events", "Events")}
                        {member.then(|| nav_item("/contacts", "Contacts"))}
                        {staff.then(|| nav_item("/review", "Reviews"))}
                    </ul>
                </div>
            </nav>
        </header>
    }
}

/// The NHS.UK footer.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="nhsuk-footer" role="contentinfo">
            <div class="nhsuk-footer__container nhsuk-width-container">
                <div class="nhsuk-footer__meta">
                    <h2 class="nhsuk-u-visually-hidden">"Support links"</h2>
                    <ul class="nhsuk-footer__list">
                        <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/guides">"Guides"</a></li>
                        <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/plans">"Deployment plans"</a></li>
                        <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/lessons">"Lessons learned"</a></li>
                        <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/access">"Access-management configurations"</a></li>
                        <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/orgs">"Organisations"</a></li>
                        <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/events">"Events"</a></li>
                    </ul>
                    <p class="nhsuk-body-s">"Trustshare: knowledge shared between NHS trusts and health boards."</p>
                </div>
            </div>
        </footer>
    }
}

/// Percent-encodes a value for a query string.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
