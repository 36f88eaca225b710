//! The session of a request: who is signed in, for how much longer. This is the one place that
//! turns a request into the signed-in user, the [`Viewer`] the permission module judges, and
//! the audit [`Actor`] a change is recorded under.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use tower_sessions::Session;

use crate::db::{Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::permissions::Viewer;
use crate::state::{app_state, AppState};
use crate::users::{store as users, CurrentUser};

use crate::db::sessions::USER_ID_KEY as USER_ID;
const SIGNED_IN_AT: &str = "signed_in_at";

/// Who is making the current request: what they may see, and how their changes are recorded.
#[derive(Clone, Debug)]
pub struct Caller {
    pub viewer: Viewer,
    pub actor: Actor,
}

/// The request's session, from the session layer.
pub async fn request_session() -> AppResult<Session> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "session layer missing");
        AppError::Internal
    })
}

/// The client's address, for the audit log.
pub async fn client_addr() -> Option<String> {
    client_ip().await.map(|ip| ip.to_string())
}

/// The address the request came from (the TCP peer; a proxy in front is not looked through).
pub async fn client_ip() -> Option<IpAddr> {
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()
        .map(|ConnectInfo(addr)| addr.ip())
}

/// The audit actor for a user (or an anonymous caller) at a client address.
pub fn actor_for(user: Option<&CurrentUser>, client_addr: Option<String>) -> Actor {
    Actor {
        user_id: user.map(|u| u.id),
        label: user.map_or_else(|| "anonymous".to_owned(), |u| u.email.clone()),
        org_id: user.map(|u| u.org_id),
        client_addr,
    }
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

/// The viewer of the current request.
pub async fn viewer() -> AppResult<Viewer> {
    Ok(Viewer {
        user: current_user().await?,
    })
}

/// The viewer and audit actor of the current request.
pub async fn caller() -> AppResult<Caller> {
    let user = current_user().await?;
    let actor = actor_for(user.as_ref(), client_addr().await);
    Ok(Caller {
        viewer: Viewer { user },
        actor,
    })
}

/// The viewer of a session, for handlers outside Leptos (exports, feeds, JSON API).
pub async fn viewer_of(state: &AppState, session: &Session) -> AppResult<Viewer> {
    Ok(Viewer {
        user: user_of(state, session).await?,
    })
}

/// The signed-in user of a session.
async fn user_of(state: &AppState, session: &Session) -> AppResult<Option<CurrentUser>> {
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
    if state.now().unix_timestamp() - signed_in_at > lifetime {
        session.flush().await.map_err(session_error)?;
        return Ok(None);
    }
    let Some(user) = users::find_current(&state.db, user_id).await? else {
        session.flush().await.map_err(session_error)?;
        return Ok(None);
    };
    Ok(Some(user))
}

/// Starts a signed-in session under a fresh id, so an id planted before sign-in is worthless.
/// It is stored at once, with its user, so that ending the user's sessions from now on (a new
/// password, an administrator's sign-out) also ends this one.
pub async fn start(state: &AppState, session: &Session, user_id: i64) -> AppResult<()> {
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(USER_ID, user_id)
        .await
        .map_err(session_error)?;
    session
        .insert(SIGNED_IN_AT, state.now().unix_timestamp())
        .await
        .map_err(session_error)?;
    session.save().await.map_err(session_error)?;
    Ok(())
}

/// Ends a session: its record is deleted and the cookie removed.
pub async fn end(session: &Session) -> AppResult<()> {
    session.flush().await.map_err(session_error)
}

/// Ends the session: its record is deleted and the sign-out is audited.
pub async fn sign_out() -> AppResult<()> {
    let caller = caller().await?;
    let session = request_session().await?;
    end(&session).await?;
    if let Some(user) = &caller.viewer.user {
        let mut rec = app_state()?.db.record(&caller.actor).await?;
        rec.record(Event {
            action: Action::SignOut,
            target: &user.email,
            detail: "",
            change: None,
        })
        .await?;
        rec.commit().await?;
    }
    Ok(())
}

fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store error");
    AppError::Internal
}
