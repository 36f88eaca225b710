//! The start-up lock: of several instances (or commands) starting together on one database,
//! one at a time migrates it and does the first-start set-up, so that set-up runs exactly once.
//!
//! - PostgreSQL: a session advisory lock held on a connection of its own from before the
//!   migrations until the first-start set-up is done. sqlx's migrator takes its own advisory
//!   lock on another connection with a key derived from the database name, always non-negative
//!   (`0x3d32ad9e * crc32(name)` in sqlx-postgres 0.8.6); ours is negative, so the two never
//!   meet. The server releases it when the connection ends, so a process that dies while
//!   holding it does not block the others.
//! - SQLite: an exclusive lock (`flock`) on `<database file>.start-lock` beside the database;
//!   the system releases it when the process ends. An in-memory database is private to one
//!   process and needs none.

use std::fs::File;
use std::path::PathBuf;
use std::str::FromStr;

use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::Connection;

use crate::error::ServerError;

/// Key of the PostgreSQL advisory lock ("TRUSTSHR" in ASCII, negated).
pub const POSTGRES_LOCK_KEY: i64 = -0x5452_5553_5453_4852;
// sqlx-postgres 0.8.6 locks 0x3d32ad9e * crc32(database name): never negative.
const _: () = assert!(POSTGRES_LOCK_KEY < 0);

/// Held while migrating and setting up; [`StartLock::release`] gives it back.
pub enum StartLock {
    Postgres(PgConnection),
    File(File),
    None,
}

impl StartLock {
    /// Waits until no other instance holds the start-up lock of the database at `url`, then
    /// takes it.
    pub async fn acquire(url: &str) -> Result<Self, ServerError> {
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Self::postgres(url).await
        } else if url.starts_with("sqlite:") {
            match lock_file_path(url)? {
                Some(path) => Self::file(path).await,
                None => Ok(StartLock::None),
            }
        } else {
            // Db::connect refuses the URL with a clear message.
            Ok(StartLock::None)
        }
    }

    async fn postgres(url: &str) -> Result<Self, ServerError> {
        let mut conn = PgConnection::connect(url)
            .await
            .map_err(|e| ServerError::Database(format!("cannot open the database: {e}")))?;
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(POSTGRES_LOCK_KEY)
            .fetch_one(&mut conn)
            .await
            .map_err(lock_error)?;
        if !locked {
            tracing::info!("another instance is starting on this database; waiting for it");
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(POSTGRES_LOCK_KEY)
                .execute(&mut conn)
                .await
                .map_err(lock_error)?;
        }
        Ok(StartLock::Postgres(conn))
    }

    async fn file(path: PathBuf) -> Result<Self, ServerError> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| ServerError::Io {
                what: format!("open the start-up lock file {}", path.display()),
                source,
            })?;
        let file = match file.try_lock() {
            Ok(()) => file,
            Err(std::fs::TryLockError::WouldBlock) => {
                tracing::info!(lock = %path.display(), "another instance is starting on this database; waiting for it");
                let what = format!("lock {}", path.display());
                tokio::task::spawn_blocking(move || file.lock().map(|()| file))
                    .await
                    .map_err(|e| ServerError::Invalid(format!("{what}: {e}")))?
                    .map_err(|source| ServerError::Io { what, source })?
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(ServerError::Io {
                    what: format!("lock {}", path.display()),
                    source,
                })
            }
        };
        Ok(StartLock::File(file))
    }

    /// Gives the lock back (dropping it does too, less politely).
    pub async fn release(self) {
        match self {
            StartLock::Postgres(mut conn) => {
                if let Err(e) = sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(POSTGRES_LOCK_KEY)
                    .execute(&mut conn)
                    .await
                {
                    tracing::warn!(error = %e, "could not release the start-up lock; closing its connection releases it");
                }
                let _ = conn.close().await;
            }
            StartLock::File(file) => {
                let _ = file.unlock();
            }
            StartLock::None => {}
        }
    }
}

fn lock_error(e: sqlx::Error) -> ServerError {
    ServerError::Database(format!("cannot take the start-up lock: {e}"))
}

/// `<database file>.start-lock`, or `None` for an in-memory database.
fn lock_file_path(url: &str) -> Result<Option<PathBuf>, ServerError> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Ok(None);
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| ServerError::Database(format!("cannot read the database URL: {e}")))?;
    let mut path = options.get_filename().as_os_str().to_owned();
    path.push(".start-lock");
    Ok(Some(PathBuf::from(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_sits_beside_the_database_file() {
        assert_eq!(
            lock_file_path("sqlite://data/trustshare.db?mode=rwc").unwrap(),
            Some(PathBuf::from("data/trustshare.db.start-lock"))
        );
        assert_eq!(lock_file_path("sqlite::memory:").unwrap(), None);
    }
}
