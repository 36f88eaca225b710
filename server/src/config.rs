//! The host's configuration: command-line flags, each also settable from the environment,
//! read once at start-up into [`Config`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use app::state::SignInLimits;
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
    /// Access-management configurations.
    #[command(subcommand)]
    Access(AccessCommand),
}

#[derive(Debug, Subcommand)]
pub enum AccessCommand {
    /// Check a configuration (YAML) against the rule catalogue and print each rule's result.
    /// Exits 0 when every `must` rule passes, 1 when one fails or lacks the facts to be checked
    /// (each is named), 2 when the file cannot be read or is not a valid configuration.
    Check(AccessCheckArgs),
}

#[derive(Debug, Clone, Args)]
pub struct AccessCheckArgs {
    /// The configuration file.
    pub file: PathBuf,
    /// The day to judge dates against (YYYY-MM-DD); today by default.
    #[arg(long, value_parser = app::dates::Date::parse)]
    pub today: Option<app::dates::Date>,
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

    /// Failed sign-ins in a row for one account, from anywhere, after which each further attempt
    /// on it waits a second more (at most 5).
    #[arg(long, env = "TRUSTSHARE_LOGIN_SLOWDOWN_AFTER", default_value_t = 3, value_parser = clap::value_parser!(i64).range(1..))]
    pub login_slowdown_after: i64,

    /// Failed sign-ins in a row for one account from one client address, after which that
    /// address is locked out of the account (other addresses are not).
    #[arg(long, env = "TRUSTSHARE_LOGIN_LOCK_AFTER", default_value_t = 8, value_parser = clap::value_parser!(i64).range(1..))]
    pub login_lock_after: i64,

    /// Minutes a lock-out lasts, and after which failures are forgotten (at most a year).
    #[arg(long, env = "TRUSTSHARE_LOGIN_LOCK_MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=525_600))]
    pub login_lock_minutes: u64,

    /// Password checks running at once; each takes 19 MiB and a core for a moment
    /// (default: half the cores, between 1 and 8).
    #[arg(long, env = "TRUSTSHARE_SIGN_IN_CHECKS", value_parser = clap::value_parser!(u64).range(1..=64))]
    pub sign_in_checks: Option<u64>,

    /// Seconds a sign-in waits for a free password check before it is answered "too many
    /// sign-ins at the moment" (0: no waiting).
    #[arg(long, env = "TRUSTSHARE_SIGN_IN_WAIT_SECONDS", default_value_t = 3, value_parser = clap::value_parser!(u64).range(0..=60))]
    pub sign_in_wait_seconds: u64,

    /// Sign-in attempts one client address may make per minute (an IPv6 client counts by its /64).
    #[arg(long, env = "TRUSTSHARE_SIGN_IN_PER_CLIENT_PER_MINUTE", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub sign_in_per_client_per_minute: u32,

    /// Client addresses the per-client limit remembers at most (about 50 bytes each); beyond
    /// that, attempts from new addresses wait until old ones are forgotten.
    #[arg(long, env = "TRUSTSHARE_SIGN_IN_CLIENTS_TRACKED", default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub sign_in_clients_tracked: u64,

    /// Contacts one member may open (a contact's page or address card) in an hour; beyond it
    /// they are refused until the hour has passed. Counted from the audit log, so shared by
    /// every instance on one database.
    #[arg(long, env = "TRUSTSHARE_CONTACTS_PER_HOUR", default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub contacts_per_hour: u32,
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
    /// Set a user's password, read from standard input or generated and printed once. This
    /// also ends all the user's sessions and unlocks the account.
    Password(UserPasswordArgs),
    /// Unlock an account: every client address locked out of it after wrong passwords may try
    /// again at once, and its failed sign-ins are forgotten.
    Unlock(UserEmailArgs),
    /// End all the user's sessions, on every device; they must sign in again.
    SignOut(UserEmailArgs),
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

#[derive(Debug, Clone, Args)]
pub struct UserEmailArgs {
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
    pub sign_in: SignInLimits,
    /// Contacts one member may open in an hour.
    pub contacts_per_hour: u32,
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
            sign_in: SignInLimits {
                hashing_slots: args
                    .sign_in_checks
                    .map_or_else(default_sign_in_checks, |n| n as usize),
                wait: Duration::from_secs(args.sign_in_wait_seconds),
                per_client_per_minute: args.sign_in_per_client_per_minute,
                clients_tracked: args.sign_in_clients_tracked as usize,
            },
            contacts_per_hour: args.contacts_per_hour,
        }
    }

    /// The name of the session cookie: with https, `__Host-` makes browsers insist that it is
    /// Secure, for this host only (no Domain) and for every path.
    pub fn session_cookie_name(&self) -> &'static str {
        if self.https() {
            "__Host-trustshare_session"
        } else {
            "trustshare_session"
        }
    }

    /// Whether cookies must be marked Secure.
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// Half the cores, between 1 and 8: password checks never take every core from the pages.
fn default_sign_in_checks() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get() / 2)
        .clamp(1, 8)
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

    #[test]
    fn sign_in_limits_come_from_the_flags_with_defaults() {
        let defaults = serve_config(&[]).expect("defaults");
        assert!((1..=8).contains(&defaults.sign_in.hashing_slots));
        assert_eq!(defaults.sign_in.wait, Duration::from_secs(3));
        assert_eq!(defaults.sign_in.per_client_per_minute, 30);
        assert_eq!(defaults.sign_in.clients_tracked, 100_000);
        let config = serve_config(&[
            "--sign-in-checks",
            "3",
            "--sign-in-wait-seconds",
            "0",
            "--sign-in-per-client-per-minute",
            "12",
            "--sign-in-clients-tracked",
            "500",
        ])
        .expect("valid flags");
        assert_eq!(
            config.sign_in,
            SignInLimits {
                hashing_slots: 3,
                wait: Duration::ZERO,
                per_client_per_minute: 12,
                clients_tracked: 500,
            }
        );
        for flag in ["--sign-in-checks", "--sign-in-per-client-per-minute"] {
            assert!(serve_config(&[flag, "0"]).is_err(), "{flag} 0 accepted");
        }
        assert!(serve_config(&["--sign-in-wait-seconds", "61"]).is_err());
    }

    #[test]
    fn contacts_per_hour_defaults_to_300_and_comes_from_the_flag() {
        assert_eq!(serve_config(&[]).unwrap().contacts_per_hour, 300);
        let config = serve_config(&["--contacts-per-hour", "40"]).unwrap();
        assert_eq!(config.contacts_per_hour, 40);
        assert!(serve_config(&["--contacts-per-hour", "0"]).is_err());
    }

    #[test]
    fn the_session_cookie_is_host_only_behind_https() {
        let https = serve_config(&["--public-url", "https://ts.example.nhs.uk"]).unwrap();
        assert_eq!(https.session_cookie_name(), "__Host-trustshare_session");
        let http = serve_config(&[]).unwrap();
        assert_eq!(http.session_cookie_name(), "trustshare_session");
    }
}
