//! The append-only audit log: who did what, to what, when and from where.
//!
//! Events are written in the same transaction as the change they describe, so the log never
//! claims a change that was rolled back. The tables' triggers refuse updates and deletes.

use sqlx::{Any, Executor};

use crate::db;

/// The kinds of event recorded. Later features add their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    SignIn,
    SignInFailed,
    SignInLocked,
    SignOut,
    UserCreated,
    UserUpdated,
    PasswordSet,
    OrganisationCreated,
    OrganisationUpdated,
    DocumentImported,
    DocumentCreated,
    DocumentEdited,
    DocumentSubmitted,
    DocumentApproved,
    DocumentSentBack,
    DocumentArchived,
    DocumentRestored,
    VisibilityChanged,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::SignIn => "sign-in",
            Action::SignInFailed => "sign-in-failed",
            Action::SignInLocked => "sign-in-locked",
            Action::SignOut => "sign-out",
            Action::UserCreated => "user-created",
            Action::UserUpdated => "user-updated",
            Action::PasswordSet => "password-set",
            Action::OrganisationCreated => "organisation-created",
            Action::OrganisationUpdated => "organisation-updated",
            Action::DocumentImported => "document-imported",
            Action::DocumentCreated => "document-created",
            Action::DocumentEdited => "document-edited",
            Action::DocumentSubmitted => "document-submitted",
            Action::DocumentApproved => "document-approved",
            Action::DocumentSentBack => "document-sent-back",
            Action::DocumentArchived => "document-archived",
            Action::DocumentRestored => "document-restored",
            Action::VisibilityChanged => "visibility-changed",
        }
    }
}

/// Who acted: a signed-in user, or the system (command line, first start, import).
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
    pub org_id: Option<i64>,
    pub client_addr: Option<String>,
}

impl Actor {
    /// A signed-in user, acting from the address of the current request.
    pub async fn of_user(user: &crate::auth::CurrentUser) -> Self {
        Self {
            user_id: Some(user.id),
            label: user.email.clone(),
            org_id: Some(user.org_id),
            client_addr: crate::auth::session::client_addr().await,
        }
    }

    /// The portal itself, acting from the command line or at start-up.
    pub fn system(label: &str) -> Self {
        Self {
            user_id: None,
            label: label.to_owned(),
            org_id: None,
            client_addr: None,
        }
    }
}

/// Appends one event.
pub async fn record<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    actor: &Actor,
    action: Action,
    target: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, org_id, action, target, detail, client_addr)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(db::now())
    .bind(actor.user_id)
    .bind(&actor.label)
    .bind(actor.org_id)
    .bind(action.as_str())
    .bind(target)
    .bind(detail)
    .bind(actor.client_addr.as_deref())
    .execute(ex)
    .await?;
    Ok(())
}

/// One stored event, for the admin view and tests.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub client_addr: Option<String>,
}

/// The newest events first.
pub async fn recent(db: &db::Db, limit: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as::<_, AuditRow>(
        "SELECT at, actor, action, target, detail, client_addr FROM audit_log ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
