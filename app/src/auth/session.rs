//! The session of a request: who is signed in, for how much longer.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use tower_sessions::Session;

use super::{CurrentUser, Role};
use crate::audit::{self, Action, Actor};
use crate::error::{AppError, AppResult};
use crate::state::{app_state, AppState};
use crate::users::store as users;

const USER_ID: &str = "user_id";
const SIGNED_IN_AT: &str = "signed_in_at";

/// The request's session, from the session layer.
pub async fn request_session() -> AppResult<Session> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "session layer missing");
        AppError::Internal
    })
}

/// The client's address, for the audit log.
pub async fn client_addr() -> Option<String> {
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

fn unix_now(state: &AppState) -> i64 {
    state.clock.now().unix_timestamp()
}

/// The signed-in user of this request, if any. A session older than the absolute lifetime is
/// ended here, whatever its activity.
pub async fn current_user() -> AppResult<Option<CurrentUser>> {
    let session = request_session().await?;
    let state = app_state()?;
    // A page calls several server functions (header, notice, content); ask the database once.
    match leptos::prelude::use_context::<crate::state::RequestScope>() {
        Some(scope) => scope
            .user
            .get_or_try_init(|| user_of(&state, &session))
            .await
            .cloned(),
        None => user_of(&state, &session).await,
    }
}

/// The signed-in user of a session, for handlers outside Leptos (exports, feeds, JSON API).
pub async fn user_of(
    state: &crate::state::AppState,
    session: &Session,
) -> AppResult<Option<CurrentUser>> {
    let user_id: Option<i64> = session.get(USER_ID).await.map_err(session_error)?;
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let signed_in_at: i64 = session
        .get(SIGNED_IN_AT)
        .await
        .map_err(session_error)?
        .unwrap_or(0);
    let lifetime = state.settings.session_absolute.as_secs() as i64;
    if unix_now(state) - signed_in_at > lifetime {
        session.flush().await.map_err(session_error)?;
        return Ok(None);
    }
    let Some(row) = users::find_session_user(&state.db, user_id).await? else {
        session.flush().await.map_err(session_error)?;
        return Ok(None);
    };
    Ok(Some(CurrentUser {
        id: row.id,
        role: Role::parse(&row.role).unwrap_or(Role::Reader),
        name: row.name,
        email: row.email,
        org_id: row.org_id,
        org_slug: row.org_slug,
        org_name: row.org_name,
    }))
}

/// Starts a signed-in session under a fresh id, so an id planted before sign-in is worthless.
pub async fn start(state: &AppState, session: &Session, user_id: i64) -> AppResult<()> {
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(USER_ID, user_id)
        .await
        .map_err(session_error)?;
    session
        .insert(SIGNED_IN_AT, unix_now(state))
        .await
        .map_err(session_error)?;
    Ok(())
}

/// Ends the session: its record is deleted and the sign-out is audited.
pub async fn sign_out() -> AppResult<()> {
    let user = current_user().await?;
    let session = request_session().await?;
    session.flush().await.map_err(session_error)?;
    if let Some(user) = user {
        let state = app_state()?;
        let actor = Actor::of_user(&user).await;
        audit::record(state.db.pool(), &actor, Action::SignOut, &user.email, "").await?;
    }
    Ok(())
}

fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store error");
    AppError::Internal
}
