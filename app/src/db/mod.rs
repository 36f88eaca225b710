//! The database shared by every storage module: SQLite or PostgreSQL through sqlx's `Any` driver.
//!
//! Reads and writes use separate pools. Connections of the read pool are read-only (SQLite
//! `query_only`, PostgreSQL read-only transactions), so a statement that changes anything fails
//! there. The write pool is private to this module: the only ways to write are the
//! [`recorder::Recorder`], which records every change in the audit log and the change log in the
//! change's own transaction, and [`sessions`], the session table (sessions are not content).
//!
//! Queries are written once with `$1` placeholders, which both backends accept. Only the places
//! where the dialects really differ (opening a write transaction, migrations) branch on [`Backend`].

use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};

pub mod recorder;
pub mod sessions;

pub use recorder::{Action, Actor, Change, Entity, Event, Op, Recorder};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database engine the URL selected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Pooled connections to the portal's database.
#[derive(Clone, Debug)]
pub struct Db {
    reader: AnyPool,
    writer: AnyPool,
    backend: Backend,
}

/// A write transaction. On SQLite it holds the write lock from the start (`BEGIN IMMEDIATE`), so
/// concurrent writers queue on the busy timeout instead of failing when a read lock is upgraded.
pub type Tx = Transaction<'static, Any>;

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`), creating a SQLite file if needed.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(sqlx::Error::Configuration(
                format!("unsupported database URL {url:?}: expected sqlite:// or postgres://")
                    .into(),
            ));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let writer = pool(backend, false).connect_with(options.clone()).await?;
        // Each connection to an in-memory SQLite database is a database of its own, so there
        // the one pool must serve reads too.
        let reader = if url.contains(":memory:") {
            writer.clone()
        } else {
            pool(backend, true).connect_with(options).await?
        };
        Ok(Self {
            reader,
            writer,
            backend,
        })
    }

    /// Applies the migrations for this backend (PostgreSQL takes an advisory lock, so several
    /// instances starting together are safe).
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.writer).await,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.writer).await,
        }
    }

    /// The read pool: every query that only reads. Its connections refuse writes.
    pub fn pool(&self) -> &AnyPool {
        &self.reader
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Opens a write transaction; only the recorder and the session store call it.
    async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.writer.begin().await,
        }
    }
}

/// Pool options for one backend; `read_only` connections refuse every write.
fn pool(backend: Backend, read_only: bool) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(match (backend, read_only) {
            (Backend::Sqlite, true) => 8,
            // SQLite has one writer at a time whatever the pool size.
            (Backend::Sqlite, false) => 4,
            (Backend::Postgres, _) => 12,
        })
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                match (backend, read_only) {
                    // sqlx already turns foreign keys on and sets a busy timeout; WAL lets
                    // readers continue while a writer commits.
                    (Backend::Sqlite, _) => {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
                        )
                        .await?;
                        if read_only {
                            conn.execute("PRAGMA query_only = ON;").await?;
                        }
                    }
                    (Backend::Postgres, true) => {
                        conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                            .await?;
                    }
                    (Backend::Postgres, false) => {}
                }
                Ok(())
            })
        })
}

/// The current time as stored in the database: RFC 3339, UTC, whole seconds.
pub fn now() -> String {
    format_timestamp(time::OffsetDateTime::now_utc())
}

/// Formats a time the way every timestamp column stores it, so that text order is time order.
pub fn format_timestamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses a stored timestamp back into a time.
pub fn parse_timestamp(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// Whether a database error is a unique-constraint violation (two writers took the same slug).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}
