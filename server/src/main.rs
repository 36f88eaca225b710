//! The `trustshare` binary: `serve` (default), `import DIR`, `user add`, `user password`,
//! `user unlock`, `user sign-out`, `reindex`, `access check FILE`.

#![recursion_limit = "512"]

use std::process::ExitCode;

use clap::Parser;
use server::config::{AccessCommand, Cli, Command, Config, LogFormat, UserCommand};
use server::error::ServerError;
use server::{setup, startup, telemetry};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let log_format = match &cli.command {
        None => cli.serve.storage.log_format,
        Some(Command::Serve(a)) => a.storage.log_format,
        Some(Command::Import(a)) => a.storage.log_format,
        Some(Command::User(UserCommand::Add(a))) => a.storage.log_format,
        Some(Command::User(UserCommand::Password(a))) => a.storage.log_format,
        Some(Command::User(UserCommand::Unlock(a) | UserCommand::SignOut(a))) => {
            a.storage.log_format
        }
        Some(Command::Reindex(a)) => a.storage.log_format,
        // Logs nothing: it reads one file and prints a report.
        Some(Command::Access(_)) => LogFormat::Text,
    };
    telemetry::init(log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, ServerError> {
    match cli.command {
        None => startup::serve(Config::from_serve_args(&cli.serve))
            .await
            .map(|()| ExitCode::SUCCESS),
        Some(Command::Serve(args)) => startup::serve(Config::from_serve_args(&args))
            .await
            .map(|()| ExitCode::SUCCESS),
        Some(Command::Import(args)) => {
            if !args.dir.is_dir() {
                return Err(ServerError::Invalid(format!(
                    "{} is not a folder",
                    args.dir.display()
                )));
            }
            let db = startup::open_database(&args.storage.data_dir, &args.storage.database_url())
                .await?;
            let report = app::content::import_dir(&db, &args.dir).await?;
            println!("{}", report.summary());
            for e in &report.errors {
                eprintln!("skipped {e}");
            }
            Ok(if report.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Some(Command::Access(AccessCommand::Check(args))) => {
            let today = args.today.unwrap_or_else(|| {
                app::dates::Date::from_time(time::OffsetDateTime::now_utc().date())
            });
            Ok(server::access_check::check_file(&args.file, today).finish())
        }
        Some(Command::Reindex(args)) => {
            let db = startup::open_database(&args.storage.data_dir, &args.storage.database_url())
                .await?;
            let dir = startup::search_dir(&args.storage.data_dir);
            match app::search::Engine::open(&dir) {
                Ok(engine) => {
                    let started = std::time::Instant::now();
                    let count = engine
                        .build_from(&db)
                        .await
                        .map_err(|e| ServerError::Invalid(e.to_string()))?;
                    println!(
                        "Rebuilt the search index in {}: {count} documents in {} ms.",
                        dir.display(),
                        started.elapsed().as_millis()
                    );
                }
                Err(app::search::SearchError::Locked(_)) => {
                    app::search::Engine::request_rebuild(&dir)
                        .map_err(|e| ServerError::Invalid(e.to_string()))?;
                    println!(
                        "A running server holds the search index in {}; it will rebuild it in the background now.",
                        dir.display()
                    );
                }
                Err(e) => return Err(ServerError::Invalid(e.to_string())),
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::User(UserCommand::Add(args))) => {
            let db = startup::open_database(&args.storage.data_dir, &args.storage.database_url())
                .await?;
            let user = setup::check_new_user(
                &db,
                &args.email,
                &args.name,
                &args.org,
                &args.role,
                &args.job_title,
            )
            .await?;
            let (password, generated) = setup::password_from_stdin(user.email())?;
            setup::add_user(&db, &user, &password).await?;
            println!("Added {} ({}).", user.email(), args.role.trim());
            if generated {
                println!("Password: {password}\nThis password is shown only once.");
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::User(UserCommand::Password(args))) => {
            let db = startup::open_database(&args.storage.data_dir, &args.storage.database_url())
                .await?;
            setup::check_user_exists(&db, &args.email).await?;
            let (password, generated) = setup::password_from_stdin(&args.email)?;
            let ended = setup::set_password(&db, &args.email, &password).await?;
            println!(
                "Password set for {}; {ended} sessions ended; account unlocked.",
                args.email.trim().to_ascii_lowercase()
            );
            if generated {
                println!("Password: {password}\nThis password is shown only once.");
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::User(UserCommand::Unlock(args))) => {
            let db = startup::open_database(&args.storage.data_dir, &args.storage.database_url())
                .await?;
            let cleared = setup::unlock(&db, &args.email).await?;
            println!(
                "Unlocked {}: {cleared} records of failed sign-ins cleared.",
                args.email.trim().to_ascii_lowercase()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::User(UserCommand::SignOut(args))) => {
            let db = startup::open_database(&args.storage.data_dir, &args.storage.database_url())
                .await?;
            let ended = setup::sign_out_everywhere(&db, &args.email).await?;
            println!(
                "Signed out {} everywhere: {ended} sessions ended.",
                args.email.trim().to_ascii_lowercase()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
