//! Server functions for the event pages and the event editor. Reads go through the permission
//! check in `reading`; changes through `editing`, which asks the permission module too.

use leptos::prelude::*;

use super::model::{
    EventEditor, EventForm, EventList, EventQuery, EventView, OccurrenceForm, Upcoming, UpcomingOf,
};
use crate::error::AppError;

/// `/events`: the occurrences of one tab that the viewer may read, with the filters.
#[server(endpoint = "events/list")]
pub async fn list_events(query: EventQuery) -> Result<EventList, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            let now = super::timing::from_time(state.now());
            super::reading::list(&state.db, &viewer, now, &query).await
        }
        .await,
    )
}

/// `/events/{id}`: one event; "not found" for one the viewer may not read.
#[server(endpoint = "events/get")]
pub async fn get_event(id: i64) -> Result<EventView, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            let now = super::timing::from_time(state.now());
            super::reading::page(&state.db, &viewer, now, id).await
        }
        .await,
    )
}

/// The event editor (`id` `None` for a new event), with what the user typed if their last post
/// was refused.
#[server(endpoint = "events/editor")]
pub async fn get_event_editor(id: Option<i64>) -> Result<EventEditor, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            let session = crate::auth::session::request_session().await?;
            let now = super::timing::from_time(state.now());
            super::editing::editor(&state.db, &viewer, &session, now, id).await
        }
        .await,
    )
}

/// Saves the event editor: to the event's page, or back to the editor with the problems.
#[server(endpoint = "events/save")]
pub async fn save_event(form: EventForm) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = crate::auth::session::caller().await?;
            let session = crate::auth::session::request_session().await?;
            let next =
                super::editing::save(&state.db, &caller.viewer, &caller.actor, &session, form)
                    .await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        .await,
    )
}

/// Cancels, moves or restores one date of a repeating event.
#[server(endpoint = "events/occurrence")]
pub async fn change_occurrence(form: OccurrenceForm) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = crate::auth::session::caller().await?;
            let session = crate::auth::session::request_session().await?;
            let next = super::editing::change_occurrence(
                &state.db,
                &caller.viewer,
                &caller.actor,
                &session,
                form,
            )
            .await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        .await,
    )
}

/// Most events an organisation's or a plan's page shows.
pub const UPCOMING_SHOWN: usize = 5;

/// The next events of an organisation or a plan that the viewer may read; "not found" for a
/// plan they may not read.
#[server(endpoint = "events/upcoming")]
pub async fn upcoming_events(of: UpcomingOf) -> Result<Upcoming, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            let now = super::timing::from_time(state.now());
            let encode = crate::components::layout::encode;
            let (filter, list_href, feed_href) = match &of {
                UpcomingOf::Org(slug) => {
                    let query = EventQuery {
                        org: Some(slug.clone()),
                        ..EventQuery::default()
                    };
                    let filter = super::reading::filter_of(&state.db, &query).await?;
                    (
                        filter,
                        Some(format!("/events?org={}", encode(slug))),
                        format!("/orgs/{}/events.ics", encode(slug)),
                    )
                }
                UpcomingOf::Plan(slug) => {
                    let (plan_id, _) =
                        super::reading::readable_plan(&state.db, &viewer, slug).await?;
                    let filter = super::store::Filter {
                        plan_id: Some(plan_id),
                        ..super::store::Filter::default()
                    };
                    (filter, None, format!("/plans/{}/events.ics", encode(slug)))
                }
            };
            let (items, more) =
                super::reading::upcoming(&state.db, &viewer, now, filter, UPCOMING_SHOWN).await?;
            Ok(Upcoming {
                items,
                more,
                list_href,
                feed_href,
            })
        }
        .await,
    )
}
