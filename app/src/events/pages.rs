//! `/events` (upcoming and past occurrences, filtered through a GET form) and `/events/{id}`
//! (one event with "Add to calendar"). Server-rendered; nothing needs JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{get_event, list_events, upcoming_events};
use super::model::{
    Choice, EventList, EventQuery, EventView, GridDay, ListedOccurrence, MonthGrid, Occurrence,
    Upcoming, UpcomingOf, LIST_MONTHS,
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
            view: p.get("view"),
            month: p.get("month"),
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

/// A select of a filter form, with "All …" first (the contact directory's too).
pub(crate) fn select(
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
    let month = list.month.clone();
    let in_month = month.is_some();
    let filtered = !query.filters().is_empty();
    let upcoming_href = query.href("/events", None);
    let past_href = query.href("/events", Some("when=past"));
    let month_href = query.href("/events", Some("view=month"));
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
        {list.can_add.then(|| view! {
            <p><a class="nhsuk-button nhsuk-button--secondary" href="/events/new">"Add an event"</a></p>
        })}
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-one-third">
                <form class="ts-filter" action="/events" method="get">
                    <h2 class="ts-filter__heading">"Filter events"</h2>
                    {past.then(|| view! { <input type="hidden" name="when" value="past"/> })}
                    {month.as_ref().map(|m| view! {
                        <input type="hidden" name="view" value="month"/>
                        <input type="hidden" name="month" value=m.month.clone()/>
                    })}
                    <div class="ts-filter__section">
                        {select("org", "Organisation", "All organisations", list.orgs.clone(), query.org.clone())}
                        {select("kind", "Kind of event", "All kinds", list.kinds.clone(), query.kind.clone())}
                        {select("initiative", "Initiative", "All initiatives", initiatives, query.initiative.clone())}
                    </div>
                    <div class="ts-filter__actions">
                        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-module="nhsuk-button" type="submit">"Apply filters"</button>
                        {filtered.then(|| {
                            let clear = match (&month, past) {
                                (Some(m), _) => format!("/events?view=month&month={}", m.month),
                                (None, true) => "/events?when=past".to_owned(),
                                (None, false) => "/events".to_owned(),
                            };
                            view! { <a class="nhsuk-link" href=clear>"Clear filters"</a> }
                        })}
                    </div>
                </form>
            </div>
            <div class="nhsuk-grid-column-two-thirds">
                <nav aria-label="Upcoming or past events">
                    <ul class="ts-meta nhsuk-body-m">
                        {tab(!past && !in_month, upcoming_href, "Upcoming")}
                        {tab(past, past_href, "Past")}
                        {tab(in_month, month_href, "Month")}
                    </ul>
                </nav>
                {match month {
                    Some(grid) => view! { <MonthView grid query=query.clone()/> }.into_any(),
                    None => view! {
                        <h2 class="nhsuk-heading-m" id="events-heading">{heading}</h2>
                        <ul class="nhsuk-list ts-results" aria-labelledby="events-heading">
                            {list.items.into_iter().map(|item| view! { <Listed item/> }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
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
                {event.milestone.clone().map(|m| view! {
                    <p class="nhsuk-body-s">{format!("A milestone of its deployment plan ({m}). It follows the plan: when a new revision of the plan is approved, this event changes with it.")}</p>
                })}
                {event.can_edit.then(|| view! {
                    <p class="ts-no-print"><a class="nhsuk-link" href=super::model::EventEditor::href(Some(event.id))>"Change this event or its dates"</a></p>
                })}
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

/// "Upcoming events" of an organisation or a plan, for its page: the next few the viewer may
/// read, with links to all of them and to their calendar feed. Shows nothing when they cannot be
/// loaded (the page itself says why).
#[component]
pub fn UpcomingEvents(of: UpcomingOf) -> impl IntoView {
    let upcoming = Resource::new(move || of.clone(), upcoming_events);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                upcoming.await.ok().map(|u| view! { <UpcomingList upcoming=u/> })
            })}
        </Suspense>
    }
}

#[component]
fn UpcomingList(upcoming: Upcoming) -> impl IntoView {
    let Upcoming {
        items,
        more,
        list_href,
        feed_href,
    } = upcoming;
    let empty = items.is_empty();
    view! {
        <section class="ts-upcoming nhsuk-u-margin-top-5" aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">"Upcoming events"</h2>
            {if empty {
                view! { <p>{format!("No events in the next {LIST_MONTHS} months.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="nhsuk-list ts-results" aria-labelledby="upcoming-title">
                        {items.into_iter().map(|item| view! { <Listed item/> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <ul class="nhsuk-list ts-no-print">
                {(more && list_href.is_some()).then(|| view! {
                    <li><a href=list_href.clone().unwrap_or_default()>"All their upcoming events"</a></li>
                })}
                <li><a href=feed_href>"Subscribe to these events in your calendar (iCalendar feed)"</a></li>
            </ul>
        </section>
    }
}

/// The month grid: a table with a caption and a header per weekday, each day a cell with its
/// events as links, in reading order (so the keyboard goes through them day by day), and links
/// to the months before and after that keep the filters.
#[component]
fn MonthView(grid: MonthGrid, query: EventQuery) -> impl IntoView {
    let month_href =
        |month: &str| query.href("/events", Some(&format!("view=month&month={month}")));
    let previous = month_href(&grid.previous);
    let next = month_href(&grid.next);
    let empty = grid
        .weeks
        .iter()
        .flatten()
        .flatten()
        .all(|d| d.items.is_empty());
    const DAYS: [(&str, &str); 7] = [
        ("Mon", "Monday"),
        ("Tue", "Tuesday"),
        ("Wed", "Wednesday"),
        ("Thu", "Thursday"),
        ("Fri", "Friday"),
        ("Sat", "Saturday"),
        ("Sun", "Sunday"),
    ];
    view! {
        <h2 class="nhsuk-heading-m" id="events-heading">{grid.title.clone()}</h2>
        <nav class="ts-month__nav" aria-label="Months">
            <a href=previous rel="prev">"Previous month"<span class="nhsuk-u-visually-hidden">{format!(": {}", grid.previous)}</span></a>
            <a href=next rel="next">"Next month"<span class="nhsuk-u-visually-hidden">{format!(": {}", grid.next)}</span></a>
        </nav>
        {empty.then(|| view! { <p>"No events this month."</p> })}
        <table class="nhsuk-table ts-month">
            <caption class="nhsuk-table__caption">{format!("Events in {}", grid.title)}</caption>
            <thead class="nhsuk-table__head">
                <tr class="nhsuk-table__row">
                    {DAYS.iter().map(|(short, long)| view! {
                        <th class="nhsuk-table__header" scope="col"><abbr title=*long>{*short}</abbr></th>
                    }).collect_view()}
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">
                {grid.weeks.into_iter().map(|week| view! {
                    <tr class="nhsuk-table__row">
                        {week.into_iter().map(|day| match day {
                            None => view! { <td class="nhsuk-table__cell ts-month__blank"></td> }.into_any(),
                            Some(day) => view! { <GridCell day/> }.into_any(),
                        }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn GridCell(day: GridDay) -> impl IntoView {
    let class = if day.today {
        "nhsuk-table__cell ts-month__day ts-month__day--today"
    } else {
        "nhsuk-table__cell ts-month__day"
    };
    view! {
        <td class=class>
            <time class="ts-month__date" datetime=day.date.clone()>
                <span aria-hidden="true">{day.day}</span>
                <span class="nhsuk-u-visually-hidden">{day.label.clone()}</span>
            </time>
            {day.today.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--blue ts-month__today">"Today"</strong> })}
            {(!day.items.is_empty()).then(|| view! {
                <ul class="nhsuk-list ts-month__events">
                    {day.items.into_iter().map(|item| {
                        let cancelled = item.status == EventStatus::Cancelled;
                        let mut text = item.title.clone();
                        if !item.time.is_empty() {
                            text = format!("{} {text}", item.time);
                        }
                        if cancelled {
                            text.push_str(" (cancelled)");
                        }
                        view! {
                            <li><a href=super::model::event_href(item.event_id)>{text}</a></li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </td>
    }
}
