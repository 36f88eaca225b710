//! Search benchmarks for Trustshare: `corpus` generates a realistic corpus from English text
//! nobody here wrote and imports it with the portal's own importer; `search-bench` builds the
//! search index, measures build rate, memory, index size and query latency in-process and over
//! HTTP, and runs the same queries on PostgreSQL full-text search and SQLite FTS5.
//! `scripts/bench-search.sh` runs both and prints the tables (see BENCHMARKS.md).

pub mod baseline;
pub mod corpus;
pub mod measure;
pub mod prose;
pub mod queries;
pub mod vocabulary;

/// Any error a benchmark binary stops on; it is printed.
pub type Error = Box<dyn std::error::Error>;

/// The exit status of a benchmark binary: failure, with the error printed, when it stopped on one.
pub fn exit_code(result: Result<(), Error>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
