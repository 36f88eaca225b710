//! Storage for the `users` table.

use sqlx::{Any, Executor, FromRow};

use crate::auth::Role;
use crate::db::{self, Db};

/// A user as stored, with what sign-in needs.
#[derive(Clone, Debug, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub org_id: i64,
    pub role: String,
    pub job_title: String,
    pub password_hash: Option<String>,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
}

impl UserRow {
    pub fn role(&self) -> Role {
        // The CHECK constraint keeps unknown roles out; fall back to the least privilege.
        Role::parse(&self.role).unwrap_or(Role::Reader)
    }
}

const USER_COLUMNS: &str =
    "id, email, name, org_id, role, job_title, password_hash, failed_logins, locked_until";

/// Fields of a new or updated user.
#[derive(Clone, Debug)]
pub struct UserFields<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub org_id: i64,
    pub role: Role,
    pub job_title: &'a str,
}

pub async fn find_by_email<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    email: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as::<_, UserRow>(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email.trim().to_ascii_lowercase())
    .fetch_optional(ex)
    .await
}

pub async fn find_by_id<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as::<_, UserRow>(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users")
        .fetch_one(db.pool())
        .await
}

/// Inserts a user, returning the new id.
pub async fn insert<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    user: &UserFields<'_>,
    password_hash: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let now = db::now();
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO users (email, name, org_id, role, job_title, password_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(user.email)
    .bind(user.name)
    .bind(user.org_id)
    .bind(user.role.as_str())
    .bind(user.job_title)
    .bind(password_hash)
    .bind(now)
    .fetch_one(ex)
    .await
}

/// Updates name, organisation, role and job title; the password is left alone.
pub async fn update_profile<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
    user: &UserFields<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET name = $1, org_id = $2, role = $3, job_title = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(user.name)
    .bind(user.org_id)
    .bind(user.role.as_str())
    .bind(user.job_title)
    .bind(db::now())
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn set_password_hash<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $3",
    )
    .bind(hash)
    .bind(db::now())
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}

/// Records a failed sign-in; returns the new count of consecutive failures.
pub async fn record_failed_login<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
    failures: i64,
    locked_until: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
        .bind(failures)
        .bind(locked_until)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn clear_failed_logins<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Members of an organisation, by name, for its page.
pub async fn list_for_org(db: &Db, org_id: i64) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as::<_, UserRow>(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE org_id = $1 ORDER BY name"
    ))
    .bind(org_id)
    .fetch_all(db.pool())
    .await
}

/// The signed-in user with their organisation, as the session needs it.
#[derive(Clone, Debug, FromRow)]
pub struct SessionUserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub org_id: i64,
    pub role: String,
    pub org_slug: String,
    pub org_name: String,
}

pub async fn find_session_user(db: &Db, id: i64) -> Result<Option<SessionUserRow>, sqlx::Error> {
    sqlx::query_as::<_, SessionUserRow>(
        "SELECT u.id, u.email, u.name, u.org_id, u.role, o.slug AS org_slug, o.name AS org_name
         FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await
}
