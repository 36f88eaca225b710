//! `/events` (upcoming and past occurrences, filtered through a GET form) and `/events/{id}`
//! (one event with "Add to calendar"). Server-rendered; nothing needs JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{get_event, list_events};
use super::model::{
    Choice, EventList, EventQuery, EventView, ListedOccurrence, Occurrence, LIST_MONTHS,
};
use super::EventStatus;
use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb, SummaryRow};
use crate::error::AppError;

/// `/events`.
#[component]
pub fn EventListPage() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        let p = params.read();
        EventQuery {
            org: p.get("org"),
            kind: p.get("kind"),
            initiative: p.get("initiative"),
            when: p.get("when"),
        }
    };
    let list = Resource::new(query, list_events);
    view! {
        <Title text="Events"/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home")]/>
        <h1>"Events"</h1>
        <p class="nhsuk-lede-text">
            "Project update meetings, go-lives, training days and change freezes of the organisations sharing their work here."
        </p>
        {when_loaded(list, move |list| view! { <ListView list query=query()/> })}
    }
}

/// A select of the filter form, with "All …" first.
fn select(
    id: &'static str,
    label: &'static str,
    all: &'static str,
    choices: Vec<Choice>,
    selected: Option<String>,
) -> impl IntoView {
    let selected = selected.unwrap_or_default();
    view! {
        <div class="nhsuk-form-group">
            <label class="nhsuk-label" for=id>{label}</label>
            <select class="nhsuk-select" id=id name=id>
                <option value="">{all}</option>
                {choices.into_iter().map(|c| {
                    let chosen = c.value == selected;
                    view! { <option value=c.value selected=chosen>{c.label}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn ListView(list: EventList, query: EventQuery) -> impl IntoView {
    let past = list.past;
    let filtered = !query.filters().is_empty();
    let upcoming_href = query.href("/events", None);
    let past_href = query.href("/events", Some("when=past"));
    let feed_href = query.href("/events.ics", None);
    let tab = move |current: bool, href: String, text: &'static str| {
        view! {
            <li class="ts-meta__item">
                {if current {
                    view! { <strong aria-current="page">{text}</strong> }.into_any()
                } else {
                    view! { <a href=href>{text}</a> }.into_any()
                }}
            </li>
        }
    };
    let heading = match (list.items.len(), past) {
        (0, false) => format!("No events in the next {LIST_MONTHS} months"),
        (0, true) => format!("No events in the last {LIST_MONTHS} months"),
        (_, false) => format!("Upcoming events: the next {LIST_MONTHS} months"),
        (_, true) => format!("Past events: the last {LIST_MONTHS} months"),
    };
    let initiatives = list
        .initiatives
        .iter()
        .map(|i| Choice {
            value: i.clone(),
            label: i.clone(),
        })
        .collect();
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-one-third">
                <form class="ts-filter" action="/events" method="get">
                    <h2 class="ts-filter__heading">"Filter events"</h2>
                    {past.then(|| view! { <input type="hidden" name="when" value="past"/> })}
                    <div class="ts-filter__section">
                        {select("org", "Organisation", "All organisations", list.orgs.clone(), query.org.clone())}
                        {select("kind", "Kind of event", "All kinds", list.kinds.clone(), query.kind.clone())}
                        {select("initiative", "Initiative", "All initiatives", initiatives, query.initiative.clone())}
                    </div>
                    <div class="ts-filter__actions">
                        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-module="nhsuk-button" type="submit">"Apply filters"</button>
                        {filtered.then(|| {
                            let clear = if past { "/events?when=past" } else { "/events" };
                            view! { <a class="nhsuk-link" href=clear>"Clear filters"</a> }
                        })}
                    </div>
                </form>
            </div>
            <div class="nhsuk-grid-column-two-thirds">
                <nav aria-label="Upcoming or past events">
                    <ul class="ts-meta nhsuk-body-m">
                        {tab(!past, upcoming_href, "Upcoming")}
                        {tab(past, past_href, "Past")}
                    </ul>
                </nav>
                <h2 class="nhsuk-heading-m" id="events-heading">{heading}</h2>
                <ul class="nhsuk-list ts-results" aria-labelledby="events-heading">
                    {list.items.into_iter().map(|item| view! { <Listed item/> }).collect_view()}
                </ul>
                {list.truncated.then(|| view! {
                    <p class="nhsuk-body-s">"Only the first events are shown. Choose an organisation or a kind of event to see the rest."</p>
                })}
                <p class="ts-no-print">
                    <a href=feed_href>"Subscribe to these events in your calendar (iCalendar feed)"</a>
                </p>
                <p class="nhsuk-body-s">"Paste the feed's address into Outlook, Google Calendar or Apple Calendar as a calendar to subscribe to: changes made here reach your calendar when it next refreshes. Calendar apps fetch it without your sign-in, so a subscribed feed holds public events only."</p>
            </div>
        </div>
    }
}

/// The status tags of an occurrence, when it is not simply planned or confirmed.
fn status_tags(when: &Occurrence) -> impl IntoView {
    let cancelled = (when.status == EventStatus::Cancelled)
        .then(|| view! { " " <strong class=EventStatus::Cancelled.tag_class()>{EventStatus::Cancelled.label()}</strong> });
    let moved = when
        .moved_from
        .clone()
        .map(|from| view! { " " <strong class="nhsuk-tag nhsuk-tag--yellow">"Moved"</strong> <span class="nhsuk-body-s">{format!(" (was {from})")}</span> });
    (cancelled, moved)
}

#[component]
fn Listed(item: ListedOccurrence) -> impl IntoView {
    let href = item.href();
    let where_ = match (item.location.is_empty(), item.online) {
        (false, true) => format!(" · {} and online", item.location),
        (false, false) => format!(" · {}", item.location),
        (true, true) => " · Online".to_owned(),
        (true, false) => String::new(),
    };
    view! {
        <li class="ts-result">
            <h3 class="nhsuk-heading-s nhsuk-u-margin-bottom-2">
                <a href=href>{item.title.clone()}</a>
            </h3>
            <p class="nhsuk-u-margin-bottom-2">
                <time datetime=item.when.datetime.clone()>{item.when.text.clone()}</time>
                {status_tags(&item.when)}
            </p>
            <p class="ts-meta nhsuk-body-s nhsuk-u-margin-bottom-2">
                {item.kind.label()}" · "<a href=item.org.href()>{item.org.name.clone()}</a>{where_}
            </p>
        </li>
    }
}

/// `/events/{id}`.
#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let event = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_event(id).await,
            // Not a number: no event has that address.
            None => Err(AppError::NotFound),
        }
    });
    view! { {when_loaded(event, |event| view! { <EventDetail event/> })} }
}

#[component]
fn EventDetail(event: EventView) -> impl IntoView {
    let calendar = event.calendar_href();
    let repeats = event.rule.is_some();
    let cancelled = event.status == EventStatus::Cancelled;
    let taking_part = (!event.taking_part.is_empty()).then(|| {
        let orgs = event.taking_part.clone();
        view! {
            <SummaryRow key="Taking part">
                <ul class="nhsuk-list">
                    {orgs.into_iter().map(|o| view! { <li><a href=o.href()>{o.name.clone()}</a></li> }).collect_view()}
                </ul>
            </SummaryRow>
        }
    });
    let online = (!event.online_url.is_empty()).then(|| {
        let url = event.online_url.clone();
        view! { <SummaryRow key="Online meeting"><a href=url rel="noopener noreferrer">"Join the online meeting"</a></SummaryRow> }
    });
    let upcoming = event.upcoming.clone();
    // A one-off event's date is in "When"; a repeating one lists its next dates.
    let next = match (repeats, upcoming.is_empty()) {
        (_, true) => view! { <p>"This event has taken place."</p> }.into_any(),
        (false, false) => ().into_any(),
        (true, false) => view! {
            <h2>"Next dates"</h2>
            <ul class="nhsuk-list ts-events">
                {upcoming.into_iter().map(|o| view! {
                    <li><time datetime=o.datetime.clone()>{o.text.clone()}</time>{status_tags(&o)}</li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <Title text=event.title.clone()/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home"), Crumb::new("/events", "Events")]/>
        <div class="nhsuk-grid-row">
            <article class="nhsuk-grid-column-two-thirds">
                <span class="nhsuk-caption-l">{event.kind.label()}</span>
                <h1>{event.title.clone()}</h1>
                {cancelled.then(|| view! {
                    <div class="nhsuk-inset-text ts-notice">
                        <span class="nhsuk-u-visually-hidden">"Information: "</span>
                        <p>"This event is cancelled."</p>
                    </div>
                })}
                <dl class="nhsuk-summary-list">
                    <SummaryRow key="When">
                        {repeats.then_some("From ")}
                        <time datetime=event.first.datetime.clone()>{event.first.text.clone()}</time>
                        {(!event.first.all_day).then(|| format!(" ({})", event.zone))}
                        {repeats.then_some(", repeating")}
                    </SummaryRow>
                    <SummaryRow key="Status"><strong class=event.status.tag_class()>{event.status.label()}</strong></SummaryRow>
                    {(!event.location.is_empty()).then(|| view! { <SummaryRow key="Where">{event.location.clone()}</SummaryRow> })}
                    {online}
                    <SummaryRow key="Run by"><a href=event.org.href()>{event.org.name.clone()}</a></SummaryRow>
                    {taking_part}
                    {(!event.initiative.is_empty()).then(|| view! { <SummaryRow key="Initiative">{event.initiative.clone()}</SummaryRow> })}
                    {event.plan.clone().map(|p| view! { <SummaryRow key="Deployment plan"><a href=p.href>{p.title}</a></SummaryRow> })}
                    <SummaryRow key="Visible to">{event.visibility.label()}</SummaryRow>
                </dl>
                {next}
                {event.rule.clone().map(|rule| view! {
                    <details class="nhsuk-details">
                        <summary class="nhsuk-details__summary">
                            <span class="nhsuk-details__summary-text">"How it repeats (iCalendar rule)"</span>
                        </summary>
                        <div class="nhsuk-details__text"><p><code>{rule}</code></p></div>
                    </details>
                })}
                <div class="ts-prose" inner_html=event.description_html.clone()></div>
            </article>
            <aside class="nhsuk-grid-column-one-third ts-aside ts-no-print" aria-label="Add to calendar">
                <h2 class="nhsuk-heading-s">"Your calendar"</h2>
                <p><a class="nhsuk-button nhsuk-button--secondary" href=calendar download>"Add to calendar"</a></p>
                <p class="nhsuk-body-s">
                    "Opens in Outlook, Google Calendar or Apple Calendar. Changes made here later reach your calendar through the "
                    <a href="/events.ics">"events feed"</a>"."
                </p>
            </aside>
        </div>
    }
}
