//! Sessions kept in the portal's own database (`sessions` table), so they survive restarts and
//! are shared by every instance on one PostgreSQL. Sessions are not content: the session layer
//! writes them directly on the write pool, without the recorder; ending a user's sessions from
//! an administrator's command goes through the recorder like any other audited change.
//!
//! How tower-sessions calls the store: `create` for a session that has no stored record yet (a
//! new session, or one whose id was just cycled at sign-in), `save` at the end of a request that
//! changed its session, `delete` at sign-out and when an id is cycled, `load` when the request
//! first reads the session. So `save` only ever updates a row that exists: a request still under
//! way when its session was ended (signed out elsewhere, password changed) cannot bring it back.
//!
//! Only a request that changed its session writes it back. Were every request to save (as
//! tower-sessions' `always_save` does), a request that merely read the session (the editor's
//! live preview, say) and finished after one that changed it would write its older copy over
//! the change: the "Draft saved" notice, or a refused form kept for the next page, lost.
//!
//! The idle lifetime is the store's: each write sets `expires_at` to now plus the idle time,
//! whatever expiry the layer proposes, and `load` moves it on as activity, writing at most once
//! a minute per session (only `expires_at`, never the data). `load` ignores expired rows. The
//! cookie itself is a browser-session cookie (no Max-Age), so the server alone decides when a
//! session ends.

use std::time::Duration;

use super::{Db, Recorder};
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// The session key holding the signed-in user's id; the store copies it into `sessions.user_id`
/// so that all of a user's sessions can be found and ended.
pub const USER_ID_KEY: &str = "user_id";

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
    idle: Duration,
}

impl DbSessionStore {
    /// A store whose sessions end after `idle` without a request.
    pub fn new(db: Db, idle: Duration) -> Self {
        Self { db, idle }
    }

    /// Removes expired sessions; run periodically.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&self.db.writer)
            .await?;
        Ok(done.rows_affected())
    }

    /// Forgets failed sign-ins with no failure since `before` and no lock running at `now`.
    /// Like sessions, this sign-in bookkeeping is not content: nothing is recorded.
    pub async fn forget_sign_in_failures(
        &self,
        before: &str,
        now: &str,
    ) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(
            "DELETE FROM sign_in_failures
             WHERE last_failure_at < $1 AND (locked_until IS NULL OR locked_until <= $2)",
        )
        .bind(before)
        .bind(now)
        .execute(&self.db.writer)
        .await?;
        Ok(done.rows_affected())
    }

    /// How far the idle lifetime must have run down before a read moves it on: a minute, or a
    /// tenth of a short idle time (tests use seconds), so activity costs at most one write a
    /// minute per session.
    fn touch_after(&self) -> i64 {
        let idle = i64::try_from(self.idle.as_secs()).unwrap_or(i64::MAX / 2);
        (idle / 10).clamp(1, 60)
    }

    /// When a session written now stops being honoured without further activity.
    fn expires_at(&self) -> i64 {
        let idle = i64::try_from(self.idle.as_secs()).unwrap_or(i64::MAX / 2);
        time::OffsetDateTime::now_utc()
            .unix_timestamp()
            .saturating_add(idle)
    }
}

/// Ends every session of a user (sign-out everywhere, a new password); returns how many there
/// were. The caller records the event.
pub async fn end_all_for_user(rec: &mut Recorder, user_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **rec.tx())
        .await?;
    Ok(done.rows_affected())
}

/// How many live sessions a user has, for administrators and tests.
pub async fn count_for_user(db: &Db, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2",
    )
    .bind(user_id)
    .bind(time::OffsetDateTime::now_utc().unix_timestamp())
    .fetch_one(db.pool())
    .await
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

/// The record's data as stored, and the user it is signed in as.
fn encode(record: &Record) -> session_store::Result<(String, Option<i64>)> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let user_id = record
        .data
        .get(USER_ID_KEY)
        .and_then(serde_json::Value::as_i64);
    Ok((data, user_id))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let (data, user_id) = encode(record)?;
        // A fresh random id collides only in theory; try again with a new one if it does.
        loop {
            let inserted = sqlx::query(
                "INSERT INTO sessions (id, data, expires_at, user_id) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(&data)
            .bind(self.expires_at())
            .bind(user_id)
            .execute(&self.db.writer)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// Updates a live session; a session that was deleted (or has expired) meanwhile stays gone.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (data, user_id) = encode(record)?;
        let updated = sqlx::query(
            "UPDATE sessions SET data = $1, expires_at = $2, user_id = $3
             WHERE id = $4 AND expires_at > $5",
        )
        .bind(data)
        .bind(self.expires_at())
        .bind(user_id)
        .bind(record.id.to_string())
        .bind(time::OffsetDateTime::now_utc().unix_timestamp())
        .execute(&self.db.writer)
        .await
        .map_err(backend)?;
        if updated.rows_affected() == 0 {
            tracing::debug!("session ended while a request was under way; not saved");
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(id.to_string())
        .bind(time::OffsetDateTime::now_utc().unix_timestamp())
        .fetch_optional(self.db.pool())
        .await
        .map_err(backend)?;
        let Some((data, expires_at)) = row else {
            return Ok(None);
        };
        // Activity: move the idle lifetime on, now and then. Only `expires_at` is written, and
        // only if no other request has moved it meanwhile.
        let renewed = self.expires_at();
        if renewed - expires_at >= self.touch_after() {
            sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id = $2 AND expires_at = $3")
                .bind(renewed)
                .bind(id.to_string())
                .bind(expires_at)
                .execute(&self.db.writer)
                .await
                .map_err(backend)?;
        }
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?,
            expiry_date: time::OffsetDateTime::from_unix_timestamp(expires_at).map_err(backend)?,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.db.writer)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
