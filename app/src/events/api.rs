//! Server functions for the event pages. Both read only, after the permission check in
//! `reading`.

use leptos::prelude::*;

use super::model::{EventList, EventQuery, EventView};
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
