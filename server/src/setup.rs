//! What happens on the first start, and the account commands that share its logic.

use std::io::{IsTerminal, Read};
use std::path::Path;

use app::auth::{failures, password};
use app::db::{sessions, Action, Actor, Db, Event};
use app::orgs::store::{self as orgs, OrgFields};
use app::orgs::{Nation, OrgKind};
use app::users::store::{self as users, UserFields};
use app::users::Role;

use crate::error::ServerError;

/// Email of the administrator created on the first start.
pub const FIRST_ADMIN_EMAIL: &str = "admin@trustshare.localhost";

/// On an empty database: imports the demo content, then creates an administrator with a
/// generated password, printed once and returned (for a host that runs the portal in-process).
/// Runs under the start-up lock ([`crate::startup::open_and_set_up`]), so that of several
/// instances starting together on one database exactly one does it.
pub async fn first_start(db: &Db, content_dir: &Path) -> Result<Option<String>, ServerError> {
    let no_users = users::count(db).await? == 0;
    if orgs::count(db).await? == 0 {
        if content_dir.is_dir() {
            let report = app::content::import_dir(db, content_dir).await?;
            tracing::info!(
                "first start: imported {}\n{}",
                content_dir.display(),
                report.summary()
            );
            for e in &report.errors {
                tracing::warn!("skipped {e}");
            }
        } else {
            tracing::info!(dir = %content_dir.display(), "first start: no content folder to import");
        }
    }
    if !no_users {
        return Ok(None);
    }
    let generated = password::generate();
    create_first_admin(db, &generated).await?;
    println!(
        "\nFirst start: created the administrator account.\n  Email:    {FIRST_ADMIN_EMAIL}\n  Password: {generated}\n\
         This password is shown only once. Sign in at /login and keep it safe.\n"
    );
    Ok(Some(generated))
}

async fn create_first_admin(db: &Db, plain: &str) -> Result<(), ServerError> {
    let hash = hash(plain).await?;
    let mut rec = db.record(&Actor::system("first-start")).await?;
    // The administrator belongs to a national body when there is one, else to a dedicated organisation.
    let org_id = match orgs::first_for_administrator(&mut rec).await? {
        Some(id) => id,
        None => {
            let (id, _, change) = orgs::upsert(
                &mut rec,
                &OrgFields {
                    slug: "trustshare-administration",
                    name: "Trustshare administration",
                    code: "ADMIN",
                    nation: Nation::England,
                    kind: OrgKind::NationalBody,
                    parent_id: None,
                    description: "The team that runs this Trustshare portal.",
                },
            )
            .await?;
            rec.record(Event {
                action: Action::OrganisationCreated,
                target: "trustshare-administration",
                detail: "for the first administrator",
                change: Some(change),
            })
            .await?;
            id
        }
    };
    let fields = UserFields {
        email: FIRST_ADMIN_EMAIL,
        name: "Portal administrator",
        org_id,
        role: Role::Admin,
        job_title: "Trustshare administrator",
    };
    let (_, change) = users::insert(&mut rec, &fields, Some(&hash)).await?;
    rec.record(Event {
        action: Action::UserCreated,
        target: FIRST_ADMIN_EMAIL,
        detail: "first administrator",
        change: Some(change),
    })
    .await?;
    rec.commit().await?;
    Ok(())
}

async fn hash(plain: &str) -> Result<String, ServerError> {
    let plain = plain.to_owned();
    tokio::task::spawn_blocking(move || password::hash(&plain))
        .await
        .map_err(|e| ServerError::Invalid(format!("password hashing failed: {e}")))?
        .map_err(|e| ServerError::Invalid(format!("password hashing failed: {e}")))
}

/// A password from the first line of standard input, or a generated one when nothing is piped in.
/// Returns the password and whether it was generated (and so must be printed).
pub fn password_from_stdin(email: &str) -> Result<(String, bool), ServerError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut input = String::new();
        stdin
            .lock()
            .take(4096)
            .read_to_string(&mut input)
            .map_err(|source| ServerError::Io {
                what: "read the password from standard input".into(),
                source,
            })?;
        let line = input
            .lines()
            .next()
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_owned();
        if !line.is_empty() {
            password::check_strength(&line, email).map_err(ServerError::Invalid)?;
            return Ok((line, false));
        }
    }
    Ok((password::generate(), true))
}

/// A new user's details, checked and resolved.
pub struct NewUser {
    email: String,
    name: String,
    org_id: i64,
    role: Role,
    job_title: String,
}

impl NewUser {
    pub fn email(&self) -> &str {
        &self.email
    }
}

/// Checks `trustshare user add` arguments before anything is asked or written.
pub async fn check_new_user(
    db: &Db,
    email: &str,
    name: &str,
    org_slug: &str,
    role: &str,
    job_title: &str,
) -> Result<NewUser, ServerError> {
    let email = app::users::validate_email(email)
        .map_err(|m| ServerError::Invalid(format!("--email: {m}")))?;
    let role =
        app::users::parse_role(role).map_err(|m| ServerError::Invalid(format!("--role: {m}")))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ServerError::Invalid(
            "--name: enter the user's full name".into(),
        ));
    }
    let org_id = orgs::id_by_slug(db.pool(), org_slug.trim())
        .await?
        .ok_or_else(|| {
            ServerError::Invalid(format!(
                "--org: no organisation with slug {org_slug:?} (see /orgs for the slugs)"
            ))
        })?;
    if users::find_by_email(db.pool(), &email).await?.is_some() {
        return Err(ServerError::Invalid(format!(
            "--email: a user with email {email} already exists; use `trustshare user password --email {email}` to set a password"
        )));
    }
    Ok(NewUser {
        email,
        name: name.to_owned(),
        org_id,
        role,
        job_title: job_title.trim().to_owned(),
    })
}

/// `trustshare user add`, after [`check_new_user`].
pub async fn add_user(db: &Db, user: &NewUser, plain: &str) -> Result<(), ServerError> {
    let hash = hash(plain).await?;
    let fields = UserFields {
        email: &user.email,
        name: &user.name,
        org_id: user.org_id,
        role: user.role,
        job_title: &user.job_title,
    };
    let mut rec = db.record(&Actor::system("command-line")).await?;
    let (_, change) = users::insert(&mut rec, &fields, Some(&hash)).await?;
    rec.record(Event {
        action: Action::UserCreated,
        target: &user.email,
        detail: user.role.as_str(),
        change: Some(change),
    })
    .await?;
    rec.commit().await?;
    Ok(())
}

/// Refuses an unknown email before a password is asked for.
pub async fn check_user_exists(db: &Db, email: &str) -> Result<(), ServerError> {
    match users::find_by_email(db.pool(), email).await? {
        Some(_) => Ok(()),
        None => Err(ServerError::Invalid(format!(
            "--email: no user with email {:?}",
            email.trim()
        ))),
    }
}

/// The user an account command names, or a clear refusal.
async fn existing_user(db: &Db, email: &str) -> Result<users::UserRow, ServerError> {
    users::find_by_email(db.pool(), email)
        .await?
        .ok_or_else(|| {
            ServerError::Invalid(format!("--email: no user with email {:?}", email.trim()))
        })
}

/// `trustshare user password`: sets the password, ends every session of the user (whoever
/// knew the old password is signed out) and unlocks the account, in one recorded write.
/// Returns how many sessions were ended.
pub async fn set_password(db: &Db, email: &str, plain: &str) -> Result<u64, ServerError> {
    let user = existing_user(db, email).await?;
    let hash = hash(plain).await?;
    let mut rec = db.record(&Actor::system("command-line")).await?;
    let change = users::set_password_hash(&mut rec, &user, &hash).await?;
    let ended = sessions::end_all_for_user(&mut rec, user.id).await?;
    failures::clear_account(&mut rec, &user.email).await?;
    rec.record(Event {
        action: Action::PasswordSet,
        target: &user.email,
        detail: &format!("{ended} sessions ended; account unlocked"),
        change: Some(change),
    })
    .await?;
    rec.commit().await?;
    Ok(ended)
}

/// `trustshare user unlock`: every client locked out of the account may try again, and its
/// failed sign-ins are forgotten. Returns how many records of failures were cleared.
pub async fn unlock(db: &Db, email: &str) -> Result<u64, ServerError> {
    let user = existing_user(db, email).await?;
    let mut rec = db.record(&Actor::system("command-line")).await?;
    let cleared = failures::clear_account(&mut rec, &user.email).await?;
    rec.record(Event {
        action: Action::AccountUnlocked,
        target: &user.email,
        detail: &format!("{cleared} records of failed sign-ins cleared"),
        change: None,
    })
    .await?;
    rec.commit().await?;
    Ok(cleared)
}

/// `trustshare user sign-out`: ends every session of the user. Returns how many there were.
pub async fn sign_out_everywhere(db: &Db, email: &str) -> Result<u64, ServerError> {
    let user = existing_user(db, email).await?;
    let mut rec = db.record(&Actor::system("command-line")).await?;
    let ended = sessions::end_all_for_user(&mut rec, user.id).await?;
    rec.record(Event {
        action: Action::SessionsEnded,
        target: &user.email,
        detail: &format!("{ended} sessions ended"),
        change: None,
    })
    .await?;
    rec.commit().await?;
    Ok(ended)
}
