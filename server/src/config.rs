//! The host's configuration: command-line flags, each also settable from the environment,
//! read once at start-up into [`Config`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Trustshare: a knowledge-sharing portal for NHS trusts and health boards.
#[derive(Debug, Parser)]
#[command(
    name = "trustshare",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options of `serve`, which runs when no command is given.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web portal (the default).
    Serve(ServeArgs),
    /// Import a content folder (organisations/, users/, guides/ of Markdown files with front matter).
    Import(ImportArgs),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Rebuild the search index from the database (a running server on the same data folder
    /// is asked to rebuild its own in the background instead).
    Reindex(ReindexArgs),
}

/// Where the data lives; shared by every command.
#[derive(Debug, Clone, Args)]
pub struct StorageArgs {
    /// Folder for the SQLite database and other local state.
    #[arg(
        long,
        env = "TRUSTSHARE_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Database URL: sqlite://… or postgres://… (default: SQLite file trustshare.db in the data dir).
    #[arg(long, env = "TRUSTSHARE_DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Log format.
    #[arg(long, env = "TRUSTSHARE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub storage: StorageArgs,

    /// Address and port to listen on (port 0 picks a free port and prints it).
    #[arg(long, env = "TRUSTSHARE_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// The address users reach the portal at, e.g. https://trustshare.example.nhs.uk
    /// (default: http:// and the listen address). Cookies are marked Secure when it is https.
    #[arg(long, env = "TRUSTSHARE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Folder with the built stylesheet, assets and wasm bundle (pkg/, assets/).
    #[arg(long, env = "TRUSTSHARE_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Content folder imported on the first start, when the database is empty.
    #[arg(long, env = "TRUSTSHARE_CONTENT_DIR", default_value = "./content")]
    pub content_dir: PathBuf,

    /// Minutes without activity after which a session ends.
    #[arg(long, env = "TRUSTSHARE_SESSION_IDLE_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub session_idle_minutes: u64,

    /// Hours after sign-in after which a session ends, however active.
    #[arg(long, env = "TRUSTSHARE_SESSION_ABSOLUTE_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u64).range(1..))]
    pub session_absolute_hours: u64,

    /// Consecutive failed sign-ins for one account after which each further attempt is slowed down.
    #[arg(long, env = "TRUSTSHARE_LOGIN_SLOWDOWN_AFTER", default_value_t = 3, value_parser = clap::value_parser!(i64).range(1..))]
    pub login_slowdown_after: i64,

    /// Consecutive failed sign-ins for one account after which it is locked.
    #[arg(long, env = "TRUSTSHARE_LOGIN_LOCK_AFTER", default_value_t = 8, value_parser = clap::value_parser!(i64).range(1..))]
    pub login_lock_after: i64,

    /// Minutes a locked account stays locked (at most a year).
    #[arg(long, env = "TRUSTSHARE_LOGIN_LOCK_MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=525_600))]
    pub login_lock_minutes: u64,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub storage: StorageArgs,

    /// The content folder to import.
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ReindexArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. The password is read from standard input (first line) or, when nothing is
    /// piped in, generated and printed once.
    Add(UserAddArgs),
    /// Set a user's password, read from standard input or generated and printed once.
    Password(UserPasswordArgs),
}

#[derive(Debug, Clone, Args)]
pub struct UserAddArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// Email address, used to sign in.
    #[arg(long)]
    pub email: String,
    /// Full name.
    #[arg(long)]
    pub name: String,
    /// Slug of the user's organisation, as in /orgs/{slug}.
    #[arg(long)]
    pub org: String,
    /// reader, editor, publisher or admin.
    #[arg(long)]
    pub role: String,
    /// Job title shown to other members.
    #[arg(long, default_value = "")]
    pub job_title: String,
}

#[derive(Debug, Clone, Args)]
pub struct UserPasswordArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// Email address of the user.
    #[arg(long)]
    pub email: String,
}

/// Everything the server needs, resolved from the flags.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub public_url: Option<String>,
    pub site_root: PathBuf,
    pub content_dir: PathBuf,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub login_slowdown_after: i64,
    pub login_lock_after: i64,
    pub login_lock_for: Duration,
}

impl StorageArgs {
    /// The database URL, defaulting to a SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_owned(),
            _ => format!("sqlite://{}", self.data_dir.join("trustshare.db").display()),
        }
    }
}

impl Config {
    pub fn from_serve_args(args: &ServeArgs) -> Self {
        Self {
            listen: args.listen,
            data_dir: args.storage.data_dir.clone(),
            database_url: args.storage.database_url(),
            public_url: args
                .public_url
                .as_deref()
                .map(|u| u.trim().trim_end_matches('/').to_owned())
                .filter(|u| !u.is_empty()),
            site_root: args.site_root.clone(),
            content_dir: args.content_dir.clone(),
            session_idle: Duration::from_secs(args.session_idle_minutes * 60),
            session_absolute: Duration::from_secs(args.session_absolute_hours * 3600),
            login_slowdown_after: args.login_slowdown_after,
            login_lock_after: args.login_lock_after,
            login_lock_for: Duration::from_secs(args.login_lock_minutes * 60),
        }
    }

    /// Whether cookies must be marked Secure.
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve_config(args: &[&str]) -> Result<Config, clap::Error> {
        let cli = Cli::try_parse_from(["trustshare", "serve"].iter().chain(args))?;
        match cli.command {
            Some(Command::Serve(args)) => Ok(Config::from_serve_args(&args)),
            other => panic!("expected serve, got {other:?}"),
        }
    }

    #[test]
    fn lock_out_thresholds_come_from_the_flags() {
        let config = serve_config(&[
            "--login-slowdown-after",
            "2",
            "--login-lock-after",
            "4",
            "--login-lock-minutes",
            "90",
        ])
        .expect("valid flags");
        assert_eq!(config.login_slowdown_after, 2);
        assert_eq!(config.login_lock_after, 4);
        assert_eq!(config.login_lock_for, Duration::from_secs(90 * 60));
    }

    #[test]
    fn lock_out_thresholds_must_be_at_least_one() {
        for flag in [
            "--login-slowdown-after",
            "--login-lock-after",
            "--login-lock-minutes",
        ] {
            assert!(serve_config(&[flag, "0"]).is_err(), "{flag} 0 accepted");
        }
    }
}
