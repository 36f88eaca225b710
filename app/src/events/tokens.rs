//! Secret calendar feed addresses: `/feeds/{token}/events.ics`. Calendar apps subscribe without
//! cookies, so a user who wants their organisation's and the network's events in Outlook gets
//! an address of their own whose token stands for them, for the feeds alone: it reads exactly
//! what its owner may read (their read rule, looked up afresh on every request, so a changed
//! role or organisation applies at once) and opens nothing else.
//!
//! The token is 32 random bytes from the operating system, written as 64 hexadecimal
//! characters. Only its SHA-256 hash is stored (`feed_tokens`), so the address is shown once,
//! when it is made; making a new one replaces the old, which then answers 404 like an address
//! that never existed.

use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::{Action, Actor, Db, Event};
use crate::error::{AppError, AppResult};
use crate::permissions::Viewer;
use crate::users::CurrentUser;

/// Characters of a token as written in an address.
pub const TOKEN_CHARS: usize = 64;

/// A token as written in an address, checked for shape: 64 lower-case hexadecimal characters.
pub fn well_formed(token: &str) -> bool {
    token.len() == TOKEN_CHARS
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// What is stored for a token, and what requests are counted under.
pub fn hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The feed address of a token.
pub fn feed_path(token: &str) -> String {
    format!("/feeds/{token}/events.ics")
}

/// When the user's current token was made, if they have one.
pub async fn made_at(db: &Db, user_id: i64) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT created_at FROM feed_tokens WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Makes the user a new token, replacing (and so revoking) any earlier one; returns it, the
/// only time it is known.
pub async fn renew(db: &Db, viewer: &Viewer, actor: &Actor) -> AppResult<String> {
    let user = viewer.require_user()?;
    if !viewer.can_have_feed_link() {
        return Err(AppError::Forbidden);
    }
    let token = new_token();
    let mut rec = db.record(actor).await?;
    let replaced = sqlx::query("DELETE FROM feed_tokens WHERE user_id = $1")
        .bind(user.id)
        .execute(&mut **rec.tx())
        .await?
        .rows_affected();
    let at = rec.at().to_owned();
    sqlx::query("INSERT INTO feed_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(user.id)
        .bind(hash(&token))
        .bind(&at)
        .execute(&mut **rec.tx())
        .await?;
    let detail = if replaced > 0 {
        "new calendar link; the old one no longer works"
    } else {
        "first calendar link"
    };
    // The token itself is never written anywhere: only that one was made.
    rec.record(Event {
        action: Action::FeedLinkMade,
        target: &user.email,
        detail,
        change: None,
    })
    .await?;
    rec.commit().await?;
    Ok(token)
}

/// Revokes the user's token, if any, without making another.
pub async fn revoke(db: &Db, viewer: &Viewer, actor: &Actor) -> AppResult<bool> {
    let user = viewer.require_user()?;
    let mut rec = db.record(actor).await?;
    let removed = sqlx::query("DELETE FROM feed_tokens WHERE user_id = $1")
        .bind(user.id)
        .execute(&mut **rec.tx())
        .await?
        .rows_affected();
    if removed == 0 {
        rec.rollback().await?;
        return Ok(false);
    }
    rec.record(Event {
        action: Action::FeedLinkMade,
        target: &user.email,
        detail: "calendar link revoked",
        change: None,
    })
    .await?;
    rec.commit().await?;
    Ok(true)
}

/// The owner of a token, as a viewer with their own read rule; "not found" for a token that is
/// malformed, revoked or was never made.
pub async fn viewer_of_token(db: &Db, token: &str) -> AppResult<Viewer> {
    if !well_formed(token) {
        return Err(AppError::NotFound);
    }
    let user_id: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM feed_tokens WHERE token_hash = $1")
            .bind(hash(token))
            .fetch_optional(db.pool())
            .await?;
    let Some(user_id) = user_id else {
        return Err(AppError::NotFound);
    };
    let user: CurrentUser = crate::users::store::find_current(db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Viewer::signed_in(user))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_hex_and_only_such_are_looked_up() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(well_formed(&a), "{a}");
        assert!(!well_formed(&a[1..]));
        assert!(!well_formed(&a.to_uppercase()));
        assert!(!well_formed("../../etc/passwd"));
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), a, "only the hash is stored");
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
