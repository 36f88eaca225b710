//! `/contacts` (the directory, filtered and searched through a GET form, paginated) and
//! `/contacts/{slug}` (one contact, with its address card); a deployment plan's contacts on its
//! page and the contacts due for checking on the review page. Server-rendered; nothing needs
//! JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{get_contact, list_contacts, plan_contacts, unverified_contacts};
use super::model::{
    Choice, ContactEditor, ContactList, ContactQuery, ContactView, ListedContact, PlanContactView,
};
use crate::components::form::form_name;
use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb, Pagination, SummaryRow, WarningCallout};
use crate::events::pages::select;

/// `/contacts`.
#[component]
pub fn ContactListPage() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        let p = params.read();
        ContactQuery {
            org: p.get("org"),
            role: p.get("role"),
            initiative: p.get("initiative"),
            nation: p.get("nation"),
            q: p.get("q"),
            page: p.get("page"),
        }
    };
    let list = Resource::new(query, list_contacts);
    view! {
        <Title text="Contacts"/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home")]/>
        <h1>"Contacts"</h1>
        <p class="nhsuk-lede-text">
            "Whom to call at another organisation: project managers, clinical leads, IT leads, registration authority managers, trainers and supplier contacts."
        </p>
        {when_loaded(list, move |list| view! { <ListView list query=query()/> })}
    }
}

#[component]
fn ListView(list: ContactList, query: ContactQuery) -> impl IntoView {
    let filtered = !query.filters().is_empty();
    let initiatives = list
        .initiatives
        .iter()
        .map(|i| Choice {
            value: i.clone(),
            label: i.clone(),
        })
        .collect();
    let heading = match list.total {
        0 => "No contacts found".to_owned(),
        1 => "1 contact".to_owned(),
        n => format!("{n} contacts"),
    };
    let page_query = query.clone();
    let href = Callback::new(move |n: i64| page_query.href("/contacts", Some(n)));
    let export_csv = query.href("/contacts.csv", None);
    let export_vcf = query.href("/contacts.vcf", None);
    view! {
        <div class="nhsuk-button-group ts-no-print">
            {list.can_add.then(|| view! {
                <a class="nhsuk-button nhsuk-button--secondary" href="/contacts/new">"Add a contact"</a>
            })}
            {list.can_export.then(|| view! {
                <a class="nhsuk-button nhsuk-button--secondary" href="/contacts/import">"Import contacts from CSV"</a>
            })}
        </div>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-one-third">
                <form class="ts-filter" action="/contacts" method="get" role="search" aria-label="Contacts">
                    <h2 class="ts-filter__heading">"Find contacts"</h2>
                    <div class="ts-filter__section">
                        <div class="nhsuk-form-group">
                            <label class="nhsuk-label" for="q">"Name"</label>
                            <input class="nhsuk-input" id="q" name="q" type="search" value=query.q.clone().unwrap_or_default() autocomplete="off" spellcheck="false"/>
                        </div>
                        {select("org", "Organisation", "All organisations", list.orgs.clone(), query.org.clone())}
                        {select("role", "Role", "All roles", list.roles.clone(), query.role.clone())}
                        {select("initiative", "Initiative", "All initiatives", initiatives, query.initiative.clone())}
                        {select("nation", "Nation", "All nations", list.nations.clone(), query.nation.clone())}
                    </div>
                    <div class="ts-filter__actions">
                        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-module="nhsuk-button" type="submit">"Apply filters"</button>
                        {filtered.then(|| view! { <a class="nhsuk-link" href="/contacts">"Clear filters"</a> })}
                    </div>
                </form>
            </div>
            <div class="nhsuk-grid-column-two-thirds">
                <h2 class="nhsuk-heading-m" id="contacts-heading">{heading}</h2>
                <ul class="nhsuk-list ts-results" aria-labelledby="contacts-heading">
                    {list.items.into_iter().map(|contact| view! { <Listed contact/> }).collect_view()}
                </ul>
                <Pagination page=list.page pages=list.pages href/>
                <p class="nhsuk-body-s">
                    {format!("Email addresses and telephone numbers are on each contact's page. Each page you open is recorded, and a member can open at most {} contacts an hour.", list.per_hour)}
                </p>
                {list.can_export.then(|| view! {
                    <p class="ts-no-print">
                        <a href=export_csv>"Download these contacts as CSV"</a>" · "
                        <a href=export_vcf>"Download these contacts as vCards"</a>
                    </p>
                    <p class="nhsuk-body-s">"Exports hold the contacts you answer for (as a publisher, your organisation's) and are recorded in the audit log."</p>
                })}
            </div>
        </div>
    }
}

/// A contact's roles, in words.
fn roles_text(roles: &[super::ContactRole]) -> String {
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn Listed(contact: ListedContact) -> impl IntoView {
    let href = contact.href();
    let roles = roles_text(&contact.roles);
    view! {
        <li class="ts-result">
            <h3 class="nhsuk-heading-s nhsuk-u-margin-bottom-2">
                <a href=href>{contact.name.clone()}</a>
                {contact.archived.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--red">"Archived"</strong> })}
            </h3>
            <p class="nhsuk-u-margin-bottom-2">
                {contact.job_title.clone()}
                {(!contact.job_title.is_empty()).then_some(" · ")}
                <a href=contact.org.href()>{contact.org.name.clone()}</a>
            </p>
            <p class="ts-meta nhsuk-body-s nhsuk-u-margin-bottom-2">
                {roles}
                {contact.not_verified_since.clone().map(|d| view! {
                    " " <strong class="nhsuk-tag nhsuk-tag--yellow">{format!("Not verified since {d}")}</strong>
                })}
            </p>
        </li>
    }
}

/// `/contacts/{slug}`.
#[component]
pub fn ContactPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let contact = Resource::new(slug, get_contact);
    view! { {when_loaded(contact, |contact| view! { <ContactDetail contact/> })} }
}

#[component]
fn ContactDetail(contact: ContactView) -> impl IntoView {
    let vcard = contact.vcard_href();
    let mailto = format!("mailto:{}", contact.email);
    let tel = format!("tel:{}", contact.phone.replace(' ', ""));
    let roles = roles_text(&contact.roles);
    let archive_form = contact.can_edit.then(|| {
        let (action, label) = if contact.archived {
            ("restore", "Restore to the directory")
        } else {
            ("archive", "Archive this contact")
        };
        view! {
            <p class="ts-no-print"><a class="nhsuk-link" href=ContactEditor::href(Some(&contact.slug))>"Change this contact"</a></p>
            <form action="/api/contacts/archive" method="post" class="ts-no-print">
                <input type="hidden" name=form_name("slug") value=contact.slug.clone()/>
                <input type="hidden" name=form_name("version") value=contact.version.to_string()/>
                <input type="hidden" name=form_name("action") value=action/>
                <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">{label}</button>
            </form>
        }
    });
    let plans = contact.plans.clone();
    let events = contact.events.clone();
    view! {
        <Title text=contact.name.clone()/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home"), Crumb::new("/contacts", "Contacts")]/>
        <div class="nhsuk-grid-row">
            <article class="nhsuk-grid-column-two-thirds">
                <span class="nhsuk-caption-l">{contact.org.name.clone()}</span>
                <h1>{contact.name.clone()}</h1>
                {contact.archived.then(|| view! {
                    <div class="nhsuk-inset-text ts-notice">
                        <span class="nhsuk-u-visually-hidden">"Information: "</span>
                        <p>"Archived: this contact is no longer in the directory. Only its organisation's editors see it."</p>
                    </div>
                })}
                {contact.stale.then(|| view! {
                    <WarningCallout heading=format!("Not verified since {}", contact.last_verified)>
                        <p>"These details have not been checked for more than a year: they may be out of date."</p>
                    </WarningCallout>
                })}
                <dl class="nhsuk-summary-list">
                    {(!contact.job_title.is_empty()).then(|| view! { <SummaryRow key="Job title">{contact.job_title.clone()}</SummaryRow> })}
                    <SummaryRow key="Organisation"><a href=contact.org.href()>{contact.org.name.clone()}</a></SummaryRow>
                    {(!contact.team.is_empty()).then(|| view! { <SummaryRow key="Team">{contact.team.clone()}</SummaryRow> })}
                    <SummaryRow key="Roles">{roles}</SummaryRow>
                    <SummaryRow key="Email"><a href=mailto>{contact.email.clone()}</a></SummaryRow>
                    {(!contact.phone.is_empty()).then(|| view! { <SummaryRow key="Telephone"><a href=tel>{contact.phone.clone()}</a></SummaryRow> })}
                    {(!contact.initiatives.is_empty()).then(|| view! { <SummaryRow key="Initiatives">{contact.initiatives.join(", ")}</SummaryRow> })}
                    <SummaryRow key="Last checked">{contact.last_verified.clone()}</SummaryRow>
                    <SummaryRow key="Visible to">{contact.visibility.label()}</SummaryRow>
                </dl>
                {archive_form}
                <h2>"Deployment plans"</h2>
                {if plans.is_empty() {
                    view! { <p>"Not named on any deployment plan you can read."</p> }.into_any()
                } else {
                    view! {
                        <ul class="nhsuk-list">
                            {plans.into_iter().map(|p| view! {
                                <li><a href=p.href>{p.title}</a>{(!p.part.is_empty()).then(|| format!(": {}", p.part))}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <h2>"Upcoming events of their plans"</h2>
                {if events.is_empty() {
                    view! { <p>"No upcoming events."</p> }.into_any()
                } else {
                    view! {
                        <ul class="nhsuk-list">
                            {events.into_iter().map(|e| view! {
                                <li><a href=e.href>{e.title}</a>", "<time datetime=e.datetime>{e.when}</time></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </article>
            <aside class="nhsuk-grid-column-one-third ts-aside ts-no-print" aria-label="Address book">
                <h2 class="nhsuk-heading-s">"Your address book"</h2>
                <p><a class="nhsuk-button nhsuk-button--secondary" href=vcard download>"Download contact card (vCard)"</a></p>
                <p class="nhsuk-body-s">"Opens in Outlook, Apple Contacts or Google Contacts. Downloads are recorded, like page views."</p>
            </aside>
        </div>
    }
}

/// A deployment plan's contacts that the viewer may read, below the plan (signed-in members
/// only; nothing otherwise).
#[component]
pub fn PlanContacts(slug: String) -> impl IntoView {
    let contacts = Resource::new(move || slug.clone(), plan_contacts);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                contacts.await.ok().filter(|c| !c.is_empty()).map(|contacts| view! { <PlanContactList contacts/> })
            })}
        </Suspense>
    }
}

#[component]
fn PlanContactList(contacts: Vec<PlanContactView>) -> impl IntoView {
    view! {
        <section class="nhsuk-u-margin-top-5" aria-labelledby="plan-contacts-title">
            <h2 id="plan-contacts-title">"Stakeholder contacts"</h2>
            <ul class="nhsuk-list">
                {contacts.into_iter().map(|c| view! {
                    <li>
                        <a href=c.href>{c.name}</a>
                        {(!c.part.is_empty()).then(|| format!(", {}", c.part))}
                        " ("{c.job_title}{" · "}<a href=c.org.href()>{c.org.name.clone()}</a>")"
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// On the review page: the contacts not checked for a year that the viewer answers for.
#[component]
pub fn UnverifiedContacts() -> impl IntoView {
    let contacts = Resource::new(|| (), |_| unverified_contacts());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                contacts.await.ok().filter(|c| !c.is_empty()).map(|contacts| view! {
                    <section class="nhsuk-u-margin-top-7" aria-labelledby="unverified-title">
                        <h2 id="unverified-title">"Contacts not verified for a year"</h2>
                        <p>"Check these details with each person, then change the contact and set the day it was checked."</p>
                        <ul class="nhsuk-list ts-results">
                            {contacts.into_iter().map(|contact| view! { <Listed contact/> }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}
