//! Storage for the `users` table. Writes take the [`Recorder`] of the change and return the
//! [`Change`] to record, so no write to a user goes unrecorded.

use sqlx::{Any, Executor, FromRow};

use super::{CurrentUser, Role};
use crate::db::{Change, Db, Entity, Recorder};

/// A user as stored, with what sign-in needs.
#[derive(Clone, Debug, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub org_id: i64,
    pub role: Role,
    pub job_title: String,
    pub password_hash: Option<String>,
}

const USER_COLUMNS: &str = "id, email, name, org_id, role, job_title, password_hash";

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

/// Inserts a user; returns the new id and the change to record.
pub async fn insert(
    rec: &mut Recorder,
    user: &UserFields<'_>,
    password_hash: Option<&str>,
) -> Result<(i64, Change), sqlx::Error> {
    let at = rec.at().to_owned();
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO users (email, name, org_id, role, job_title, password_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(user.email)
    .bind(user.name)
    .bind(user.org_id)
    .bind(user.role)
    .bind(user.job_title)
    .bind(password_hash)
    .bind(at)
    .fetch_one(&mut **rec.tx())
    .await?;
    Ok((id, Change::upsert(Entity::User, id, Some(user.org_id))))
}

/// Updates name, organisation, role and job title; the password is left alone.
pub async fn update_profile(
    rec: &mut Recorder,
    id: i64,
    user: &UserFields<'_>,
) -> Result<Change, sqlx::Error> {
    let at = rec.at().to_owned();
    sqlx::query(
        "UPDATE users SET name = $1, org_id = $2, role = $3, job_title = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(user.name)
    .bind(user.org_id)
    .bind(user.role)
    .bind(user.job_title)
    .bind(at)
    .bind(id)
    .execute(&mut **rec.tx())
    .await?;
    Ok(Change::upsert(Entity::User, id, Some(user.org_id)))
}

/// Sets a password hash. Callers also end the user's sessions and clear failed sign-ins
/// (`setup::set_password` does both in the same write).
pub async fn set_password_hash(
    rec: &mut Recorder,
    user: &UserRow,
    hash: &str,
) -> Result<Change, sqlx::Error> {
    let at = rec.at().to_owned();
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(at)
        .bind(user.id)
        .execute(&mut **rec.tx())
        .await?;
    Ok(Change::upsert(Entity::User, user.id, Some(user.org_id)))
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
pub async fn find_current(db: &Db, id: i64) -> Result<Option<CurrentUser>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        id: i64,
        email: String,
        name: String,
        org_id: i64,
        role: Role,
        org_slug: String,
        org_name: String,
    }
    let row = sqlx::query_as::<_, Row>(
        "SELECT u.id, u.email, u.name, u.org_id, u.role, o.slug AS org_slug, o.name AS org_name
         FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| CurrentUser {
        id: r.id,
        name: r.name,
        email: r.email,
        org_id: r.org_id,
        org_slug: r.org_slug,
        org_name: r.org_name,
        role: r.role,
    }))
}
