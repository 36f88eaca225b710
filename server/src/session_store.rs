//! The session store lives with the database, which alone may write the `sessions` table.

pub use app::db::sessions::DbSessionStore;
