//! The iCalendar feeds: `/events.ics` (filtered by `org`, `kind` and `initiative` like `/events`),
//! `/orgs/{slug}/events.ics`, `/plans/{slug}/events.ics` and `/events/{id}.ics`. They answer as
//! the pages do for the same session: anonymous callers get public events, a signed-in session
//! what its user may read (the permission module decides), and an event one may not read
//! answers 404 as if it did not exist.
//!
//! `/feeds/{token}/events.ics` (with the same filters) answers for the owner of a secret token
//! instead of a session, for calendar apps, which send no cookies (see `app::events::tokens`):
//! what the owner may read, nothing else, at most [`FEED_USES_PER_MINUTE`] times a minute per
//! token.

use std::sync::Arc;

use axum::extract::{Extension, Path, Query, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

use app::auth::session::viewer_of;
use app::auth::throttle::Allowances;
use app::error::AppError;
use app::events::calendar::{self, Feed, FeedEvent};
use app::events::model::EventQuery;
use app::events::timing::from_time;
use app::events::{reading, tokens};
use app::permissions::Viewer;
use app::state::AppState;

use super::ErrorResponse;

/// Filters of `/events.ics`, as `/events` takes them.
#[derive(Debug, Default, Deserialize)]
pub struct FeedParams {
    org: Option<String>,
    kind: Option<String>,
    initiative: Option<String>,
}

/// The feed as an HTTP answer; `file` names the download of a single event.
fn calendar_answer(
    state: &AppState,
    name: &str,
    events: &[FeedEvent],
    file: Option<String>,
) -> Result<Response, ErrorResponse> {
    let text = calendar::write(&Feed {
        name,
        public_url: &state.settings.public_url,
        events,
    })
    .map_err(|e| {
        tracing::error!(error = %e, "writing a calendar feed failed");
        ErrorResponse(AppError::Internal)
    })?;
    let disposition = match file {
        Some(file) => format!("attachment; filename=\"{file}\""),
        None => "inline; filename=\"events.ics\"".to_owned(),
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

/// `/events.ics`: the events the caller may read, filtered.
pub async fn feed(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<FeedParams>,
) -> Result<Response, ErrorResponse> {
    let query = EventQuery {
        org: params.org,
        kind: params.kind,
        initiative: params.initiative,
        ..EventQuery::default()
    };
    feed_answer(&state, &session, &query, "Trustshare events").await
}

/// The events the session may read that match the query, as a feed called `name`.
async fn feed_answer(
    state: &AppState,
    session: &Session,
    query: &EventQuery,
    name: &str,
) -> Result<Response, ErrorResponse> {
    let viewer = viewer_of(state, session).await?;
    viewer_feed(state, &viewer, query, name).await
}

/// The events the viewer may read that match the query, as a feed called `name`.
async fn viewer_feed(
    state: &AppState,
    viewer: &Viewer,
    query: &EventQuery,
    name: &str,
) -> Result<Response, ErrorResponse> {
    let filter = reading::filter_of(&state.db, query).await?;
    let events = reading::feed(&state.db, viewer, from_time(state.now()), filter).await?;
    calendar_answer(state, name, &events, None)
}

/// `/plans/{slug}/events.ics`: the events of a deployment plan the caller may read (its
/// milestones and the events linked to it); 404 for a plan they may not read.
pub async fn plan_feed(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Response, ErrorResponse> {
    let viewer = viewer_of(&state, &session).await?;
    let (plan_id, title) = reading::readable_plan(&state.db, &viewer, &slug).await?;
    let events = reading::plan_feed(&state.db, &viewer, from_time(state.now()), plan_id).await?;
    calendar_answer(&state, &format!("{title} events"), &events, None)
}

/// Uses of one secret feed token a minute (also the burst): calendar apps refresh every few
/// minutes at most, a few devices each.
pub const FEED_USES_PER_MINUTE: u32 = 10;
/// Tokens the limit remembers at most.
pub const FEED_TOKENS_TRACKED: usize = 100_000;

/// The allowances of secret feed tokens, counted by the token's hash.
pub type FeedGate = Allowances<String>;

/// `/feeds/{token}/events.ics`: the events the token's owner may read, filtered like
/// `/events.ics`. A malformed, revoked or unknown token answers 404; one used too often, 429.
pub async fn token_feed(
    State(state): State<AppState>,
    Extension(gate): Extension<Arc<FeedGate>>,
    Path(token): Path<String>,
    Query(params): Query<FeedParams>,
) -> Result<Response, ErrorResponse> {
    if !tokens::well_formed(&token) {
        return Err(AppError::NotFound.into());
    }
    if let Err(wait) = gate.admit(&tokens::hash(&token)) {
        let seconds = wait.as_secs().max(1);
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, seconds.to_string())],
            "This calendar link was used too often: your calendar app will try again later.\n",
        )
            .into_response());
    }
    let viewer = tokens::viewer_of_token(&state.db, &token).await?;
    let query = EventQuery {
        org: params.org,
        kind: params.kind,
        initiative: params.initiative,
        ..EventQuery::default()
    };
    viewer_feed(&state, &viewer, &query, "Trustshare events").await
}

/// `/orgs/{slug}/events.ics`: the events an organisation runs or takes part in.
pub async fn org_feed(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Response, ErrorResponse> {
    app::documents::store::check_slug_arg(&slug)?;
    let org = app::orgs::store::find(&state.db, &slug)
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::NotFound)?;
    let query = EventQuery {
        org: Some(slug),
        ..EventQuery::default()
    };
    feed_answer(&state, &session, &query, &format!("{} events", org.name)).await
}

/// The event id in `/events/{id}.ics`.
fn event_file_id(path: &str) -> Option<i64> {
    let id = path.strip_prefix("/events/")?.strip_suffix(".ics")?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || id.len() > 18 {
        return None;
    }
    id.parse().ok()
}

/// `/events/{id}.ics`: one event as a calendar file. The router cannot tell `/events/{id}.ics`
/// from the page `/events/{id}` (a path parameter takes the whole segment), so this layer
/// answers those addresses before the router sees them; it sits inside the session layer.
pub async fn event_file(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let id = match *request.method() {
        Method::GET | Method::HEAD => event_file_id(request.uri().path()),
        _ => None,
    };
    let (Some(id), Some(session)) = (id, request.extensions().get::<Session>().cloned()) else {
        return next.run(request).await;
    };
    let answer = async {
        let viewer = viewer_of(&state, &session).await?;
        let event = reading::event_feed(&state.db, &viewer, id).await?;
        let name = event.event.fields.title.clone();
        calendar_answer(&state, &name, &[event], Some(format!("event-{id}.ics")))
    };
    match answer.await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::event_file_id;

    #[test]
    fn only_whole_event_numbers_name_a_calendar_file() {
        assert_eq!(event_file_id("/events/12.ics"), Some(12));
        assert_eq!(event_file_id("/events/12"), None);
        assert_eq!(event_file_id("/events/.ics"), None);
        assert_eq!(event_file_id("/events/1x.ics"), None);
        assert_eq!(event_file_id("/events/-1.ics"), None);
        assert_eq!(event_file_id("/events/1/2.ics"), None);
        assert_eq!(event_file_id("/events/99999999999999999999.ics"), None);
    }
}
