//! Errors of the host process, each with a message an operator can act on.

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot {what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Database(String),
    #[error("{0}")]
    Invalid(String),
    #[error("import: {0}")]
    Import(#[from] app::content::ImportFailure),
}

impl From<sqlx::Error> for ServerError {
    fn from(e: sqlx::Error) -> Self {
        ServerError::Database(e.to_string())
    }
}
