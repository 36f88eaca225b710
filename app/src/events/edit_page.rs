//! `/events/new` and `/events/{id}/edit`: the event editor, a plain form posting to
//! `events/save`, with an error summary and errors beside each field; and, for a repeating
//! event, forms that cancel, move or restore single dates (posting to `events/occurrence`).
//! Nothing needs JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::get_event_editor;
use super::model::{Choice, EventEditor, EventForm, OccurrenceChoice, OccurrenceForm};
use super::{EventKind, EventStatus};
use crate::components::form::{form_name, ErrorSummary, Errors, Input, Select, TextArea};
use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb};
use crate::error::AppError;
use crate::permissions::Visibility;

/// `/events/new` (when `new`) or `/events/{id}/edit`.
#[component]
pub fn EventEditorPage(#[prop(optional)] new: bool) -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        if new {
            Ok(None)
        } else {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .map(Some)
                .ok_or(())
        }
    };
    let editor = Resource::new(id, |id| async move {
        match id {
            Ok(id) => get_event_editor(id).await,
            Err(()) => Err(AppError::NotFound),
        }
    });
    view! { {when_loaded(editor, |data| view! { <EditorView data/> })} }
}

fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (code(*v).to_owned(), label(*v).to_owned()))
        .collect()
}

fn choices(list: &[Choice]) -> Vec<(String, String)> {
    list.iter()
        .map(|c| (c.value.clone(), c.label.clone()))
        .collect()
}

#[component]
fn EditorView(data: EventEditor) -> impl IntoView {
    let EventEditor {
        id,
        heading,
        form,
        errors,
        orgs,
        all_orgs,
        repeats,
        occurrences,
        exceptions,
        occurrence_form,
        occurrence_errors,
    } = data;
    let e = Errors(errors.clone());
    let cancel = match id {
        Some(id) => super::model::event_href(id),
        None => "/events".to_owned(),
    };
    let mut crumbs = vec![Crumb::new("/", "Home"), Crumb::new("/events", "Events")];
    if id.is_some() {
        crumbs.push(Crumb::new(cancel.clone(), form.title.clone()));
    }
    let page_title = if errors.is_empty() && occurrence_errors.is_empty() {
        heading.clone()
    } else {
        format!("Error: {heading}")
    };
    let kinds = options(EventKind::ALL, EventKind::as_str, EventKind::label);
    let statuses = options(EventStatus::ALL, EventStatus::as_str, EventStatus::label);
    let visibilities = options(Visibility::ALL, Visibility::as_str, Visibility::label);
    let EventForm {
        id: form_id,
        sequence,
        title,
        kind,
        org,
        taking_part,
        initiative,
        plan,
        start_date,
        start_time,
        end_date,
        end_time,
        repeat,
        location,
        online_meeting,
        visibility,
        status,
        description,
    } = form;
    let taking_part_error = e.get("taking_part");
    let taking_part_class = if taking_part_error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    let single_dates = repeats.then(|| {
        view! {
            <SingleDates id=form_id sequence occurrences exceptions form=occurrence_form errors=occurrence_errors/>
        }
    });
    view! {
        <Title text=page_title/>
        <Breadcrumbs crumbs/>
        <ErrorSummary errors=errors.clone()/>
        <h1>{heading}</h1>
        <form id="event-form" action="/api/events/save" method="post" novalidate class="ts-editor">
            <input type="hidden" name=form_name("id") value=form_id.to_string()/>
            <input type="hidden" name=form_name("sequence") value=sequence.to_string()/>
            <Input id="title" name=form_name("title") label="Title" value=title error=e.get("title")/>
            <Select id="kind" name=form_name("kind") label="Kind of event" options=kinds selected=kind error=e.get("kind")/>
            <Select id="org" name=form_name("org") label="Organisation running it" options=choices(&orgs) selected=org error=e.get("org")/>
            <div class=taking_part_class>
                <fieldset class="nhsuk-fieldset" aria-describedby="taking_part-hint">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Organisations taking part (optional)"</legend>
                    <div class="nhsuk-hint" id="taking_part-hint">"Their members also see an event visible to its own organisation only."</div>
                    {taking_part_error.map(|m| view! {
                        <span class="nhsuk-error-message" id="taking_part-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                    })}
                    <div class="nhsuk-checkboxes nhsuk-checkboxes--small ts-checkbox-columns" id="taking_part">
                        {all_orgs.into_iter().enumerate().map(|(n, o)| {
                            let checked = taking_part.contains_key(&o.value);
                            let box_id = format!("taking_part-{n}");
                            view! {
                                <div class="nhsuk-checkboxes__item">
                                    <input class="nhsuk-checkboxes__input" id=box_id.clone() type="checkbox"
                                        name=format!("form[taking_part][{}]", o.value) value="yes" checked=checked/>
                                    <label class="nhsuk-label nhsuk-checkboxes__label" for=box_id>{o.label}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            <Input id="initiative" name=form_name("initiative") label="Initiative (optional)" hint="The programme it is part of, like Single sign-on" value=initiative error=e.get("initiative") class="nhsuk-input nhsuk-u-width-two-thirds"/>
            <Input id="plan" name=form_name("plan") label="Deployment plan (optional)" hint="The plan's short name, the last part of its address: for /plans/nhs-fife-sso-rollout write nhs-fife-sso-rollout" value=plan error=e.get("plan") class="nhsuk-input nhsuk-u-width-two-thirds" spellcheck_off=true/>
            <fieldset class="nhsuk-fieldset ts-when">
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"When (UK time)"</legend>
                <div class="nhsuk-hint">"Leave both times empty for an all-day event. The end date is the last day; leave it empty when it ends on the day it starts."</div>
                <Input id="start_date" name=form_name("start_date") label="Start date" hint="YYYY-MM-DD, like 2027-03-02" value=start_date error=e.get("start_date") input_type="date" class="nhsuk-input nhsuk-input--width-10"/>
                <Input id="start_time" name=form_name("start_time") label="Start time (optional)" hint="24-hour clock, like 10:00" value=start_time error=e.get("start_time") input_type="time" class="nhsuk-input nhsuk-input--width-5"/>
                <Input id="end_date" name=form_name("end_date") label="End date (optional)" value=end_date error=e.get("end_date") input_type="date" class="nhsuk-input nhsuk-input--width-10"/>
                <Input id="end_time" name=form_name("end_time") label="End time (optional)" value=end_time error=e.get("end_time") input_type="time" class="nhsuk-input nhsuk-input--width-5"/>
            </fieldset>
            <Input id="repeat" name=form_name("repeat") label="Repeats (optional)"
                hint="An iCalendar rule, like FREQ=WEEKLY;COUNT=6 for six weeks, or FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1TU for the first Tuesday of each quarter. Leave empty for a one-off event."
                value=repeat error=e.get("repeat") spellcheck_off=true/>
            <Input id="location" name=form_name("location") label="Where (optional)" value=location error=e.get("location")/>
            <Input id="online_meeting" name=form_name("online_meeting") label="Online meeting link (optional)" hint="The full address, starting https://" value=online_meeting error=e.get("online_meeting") input_type="url" spellcheck_off=true/>
            <Select id="visibility" name=form_name("visibility") label="Who can see it" options=visibilities selected=visibility error=e.get("visibility")/>
            <Select id="status" name=form_name("status") label="Status" options=statuses selected=status error=e.get("status")/>
            <TextArea id="description" name=form_name("description") label="Description (optional)" hint="Markdown: ## headings, **bold**, lists and links." value=description error=e.get("description") rows=8/>
            <div class="nhsuk-button-group">
                <button class="nhsuk-button" type="submit">"Save event"</button>
                <a class="nhsuk-link" href=cancel>"Cancel"</a>
            </div>
        </form>
        {single_dates}
    }
}

/// The forms that cancel, move or restore one date of a repeating event.
#[component]
fn SingleDates(
    id: i64,
    sequence: i64,
    occurrences: Vec<OccurrenceChoice>,
    exceptions: Vec<OccurrenceChoice>,
    form: OccurrenceForm,
    errors: Vec<crate::components::form::FormError>,
) -> impl IntoView {
    let e = Errors(errors.clone());
    let dates: Vec<(String, String)> = occurrences
        .iter()
        .map(|o| (o.value.clone(), o.label.clone()))
        .collect();
    let hidden = move |action: &'static str| {
        view! {
            <input type="hidden" name=form_name("id") value=id.to_string()/>
            <input type="hidden" name=form_name("sequence") value=sequence.to_string()/>
            <input type="hidden" name=form_name("action") value=action/>
        }
    };
    let chosen = form.occurrence.clone();
    view! {
        <section id="occurrences" class="nhsuk-u-margin-top-7" aria-labelledby="occurrences-title">
            <h2 id="occurrences-title">"Single dates"</h2>
            <ErrorSummary errors=errors/>
            <p>"Cancel or move one date of this repeating event; the others stay as they are. Calendars that subscribe show the change."</p>
            {(!dates.is_empty()).then(|| view! {
                <form action="/api/events/occurrence" method="post" novalidate>
                    {hidden("cancel")}
                    <Select id="cancel_occurrence" name=form_name("occurrence") label="Date to cancel" options=dates.clone() selected=chosen.clone()/>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Cancel this date"</button>
                </form>
                <form action="/api/events/occurrence" method="post" novalidate>
                    {hidden("move")}
                    <Select id="occurrence" name=form_name("occurrence") label="Date to move" options=dates.clone() selected=chosen.clone() error=e.get("occurrence")/>
                    <fieldset class="nhsuk-fieldset">
                        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Its new time (UK time)"</legend>
                        <div class="nhsuk-hint">"For an all-day event, dates only."</div>
                        <Input id="move_start_date" name=form_name("start_date") label="New start date" value=form.start_date.clone() error=e.get("move_start_date") input_type="date" class="nhsuk-input nhsuk-input--width-10"/>
                        <Input id="move_start_time" name=form_name("start_time") label="New start time" value=form.start_time.clone() error=e.get("move_start_time") input_type="time" class="nhsuk-input nhsuk-input--width-5"/>
                        <Input id="move_end_date" name=form_name("end_date") label="New end date (optional)" value=form.end_date.clone() error=e.get("move_end_date") input_type="date" class="nhsuk-input nhsuk-input--width-10"/>
                        <Input id="move_end_time" name=form_name("end_time") label="New end time" value=form.end_time.clone() error=e.get("move_end_time") input_type="time" class="nhsuk-input nhsuk-input--width-5"/>
                    </fieldset>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Move this date"</button>
                </form>
            })}
            {(!exceptions.is_empty()).then(|| view! {
                <h3>"Cancelled and moved dates"</h3>
                <ul class="nhsuk-list">
                    {exceptions.into_iter().map(|x| view! {
                        <li>
                            <form action="/api/events/occurrence" method="post" class="ts-inline-form">
                                {hidden("restore")}
                                <input type="hidden" name=form_name("occurrence") value=x.value.clone()/>
                                {x.label.clone()}" "
                                <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">
                                    "Restore"<span class="nhsuk-u-visually-hidden">{format!(" {}", x.label)}</span>
                                </button>
                            </form>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
