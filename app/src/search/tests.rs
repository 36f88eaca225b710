//! Engine tests: built from a generated corpus in a SQLite database.
