//! Counting failed sign-ins (`sign_in_failures`), shared by every instance through the database.
//!
//! Each failure is counted twice, atomically, in the transaction that records it:
//! - per account and client (the typed email and the client's address). When one client fails
//!   `login_lock_after` times in a row for one account, that client is locked out of that
//!   account for `login_lock_for`. Another client, such as the account's owner at their own
//!   desk, is not;
//! - per account over all clients (the row whose client is [`ALL_CLIENTS`]), which slows every
//!   attempt on an account under attack down, from wherever it comes, but never locks it.
//!
//! The email is counted whether or not an account has it, so an unknown email is slowed down
//! and locked exactly like a real one. A count is forgotten once no failure has followed for
//! `login_lock_for`, and a lock once it has passed. A success clears its client's count and the
//! account's, but never a lock (a parallel failure may just have set one).

use sqlx::FromRow;

use crate::db::{Db, Recorder};

/// The `client` of the row counting failures over all clients.
pub const ALL_CLIENTS: &str = "";

/// What an attempt meets before its password is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    /// Until when this client is locked out of this account, if it is now.
    pub locked_until: Option<String>,
    /// Failures in a row for the account from all clients, forgotten ones left out.
    pub account_failures: i64,
}

/// The counts after a failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counted {
    /// Failures in a row from this client for this account.
    pub client_failures: i64,
    /// Failures in a row for this account from all clients.
    pub account_failures: i64,
    /// Until when this client is locked out of the account, if this or a parallel failure
    /// locked it.
    pub locked_until: Option<String>,
}

/// Times as stored (RFC 3339 text, so text order is time order).
#[derive(Clone, Copy, Debug)]
pub struct When<'a> {
    pub now: &'a str,
    /// Failures before this are forgotten.
    pub forget_before: &'a str,
}

#[derive(FromRow)]
struct Row {
    client: String,
    failures: i64,
    last_failure_at: String,
    locked_until: Option<String>,
}

/// Where an attempt from `client` on `account` stands.
pub async fn standing(
    db: &Db,
    account: &str,
    client: &str,
    when: When<'_>,
) -> Result<Standing, sqlx::Error> {
    let rows = sqlx::query_as::<_, Row>(
        "SELECT client, failures, last_failure_at, locked_until FROM sign_in_failures
         WHERE account = $1 AND (client = $2 OR client = $3)",
    )
    .bind(account)
    .bind(client)
    .bind(ALL_CLIENTS)
    .fetch_all(db.pool())
    .await?;
    let mut standing = Standing::default();
    for row in rows {
        if row.client == ALL_CLIENTS {
            if row.last_failure_at.as_str() >= when.forget_before {
                standing.account_failures = row.failures;
            }
        } else {
            standing.locked_until = row.locked_until.filter(|until| until.as_str() > when.now);
        }
    }
    Ok(standing)
}

/// Counts one failure of `client` on `account`, locking the client out of the account when it
/// reaches `lock_after` failures in a row (until `lock_until`). One statement per count, so
/// parallel failures all count.
pub async fn record_failure(
    rec: &mut Recorder,
    account: &str,
    client: &str,
    when: When<'_>,
    lock_after: i64,
    lock_until: &str,
) -> Result<Counted, sqlx::Error> {
    let (client_failures, mut locked_until) = count(rec, account, client, when).await?;
    let (account_failures, _) = count(rec, account, ALL_CLIENTS, when).await?;
    if locked_until.is_none() && client_failures >= lock_after {
        // The row is this transaction's until it commits, so no parallel failure lands between.
        sqlx::query(
            "UPDATE sign_in_failures SET locked_until = $1 WHERE account = $2 AND client = $3",
        )
        .bind(lock_until)
        .bind(account)
        .bind(client)
        .execute(&mut **rec.tx())
        .await?;
        locked_until = Some(lock_until.to_owned());
    }
    Ok(Counted {
        client_failures,
        account_failures,
        locked_until,
    })
}

/// Adds one to a count, starting again at one after a lock has passed or a quiet spell; a lock
/// still running is kept. Returns the new count and the running lock.
async fn count(
    rec: &mut Recorder,
    account: &str,
    client: &str,
    when: When<'_>,
) -> Result<(i64, Option<String>), sqlx::Error> {
    sqlx::query_as::<_, (i64, Option<String>)>(
        "INSERT INTO sign_in_failures (account, client, failures, last_failure_at, locked_until)
         VALUES ($1, $2, 1, $3, NULL)
         ON CONFLICT (account, client) DO UPDATE SET
             failures = CASE
                 WHEN sign_in_failures.locked_until > $3 THEN sign_in_failures.failures + 1
                 WHEN sign_in_failures.locked_until IS NOT NULL
                      OR sign_in_failures.last_failure_at < $4 THEN 1
                 ELSE sign_in_failures.failures + 1
             END,
             locked_until = CASE
                 WHEN sign_in_failures.locked_until > $3 THEN sign_in_failures.locked_until
                 ELSE NULL
             END,
             last_failure_at = $3
         RETURNING failures, locked_until",
    )
    .bind(account)
    .bind(client)
    .bind(when.now)
    .bind(when.forget_before)
    .fetch_one(&mut **rec.tx())
    .await
}

/// After a right password: forgets this client's and the account's failures, unless the client
/// is locked out (a parallel failure may just have locked it; that lock stays). Returns the
/// lock, if there is one, and then the sign-in must be refused.
pub async fn clear_after_success(
    rec: &mut Recorder,
    account: &str,
    client: &str,
    now: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query(
        "DELETE FROM sign_in_failures
         WHERE account = $1 AND (client = $2 OR client = $3)
           AND (locked_until IS NULL OR locked_until <= $4)",
    )
    .bind(account)
    .bind(client)
    .bind(ALL_CLIENTS)
    .bind(now)
    .execute(&mut **rec.tx())
    .await?;
    sqlx::query_scalar::<_, String>(
        "SELECT locked_until FROM sign_in_failures
         WHERE account = $1 AND client = $2 AND locked_until > $3",
    )
    .bind(account)
    .bind(client)
    .bind(now)
    .fetch_optional(&mut **rec.tx())
    .await
}

/// Unlocks an account for every client and forgets its failures (an administrator's command,
/// or a new password). Returns how many records were cleared.
pub async fn clear_account(rec: &mut Recorder, account: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sign_in_failures WHERE account = $1")
        .bind(account)
        .execute(&mut **rec.tx())
        .await?;
    Ok(done.rows_affected())
}

/// The clients locked out of an account now, with their locks, for administrators and tests.
pub async fn locks(
    db: &Db,
    account: &str,
    now: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as::<_, (String, String)>(
        "SELECT client, locked_until FROM sign_in_failures
         WHERE account = $1 AND client <> $2 AND locked_until > $3 ORDER BY client",
    )
    .bind(account)
    .bind(ALL_CLIENTS)
    .bind(now)
    .fetch_all(db.pool())
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Action, Actor, Event};

    async fn db() -> (Db, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "trustshare-failures-{}-{}",
            std::process::id(),
            time::OffsetDateTime::now_utc().unix_timestamp_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::connect(&format!("sqlite://{}", dir.join("t.db").display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        (db, dir)
    }

    async fn in_write<T>(
        db: &Db,
        f: impl for<'r> FnOnce(
            &'r mut Recorder,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<T, sqlx::Error>> + Send + 'r>,
        >,
    ) -> T {
        let mut rec = db.record(&Actor::system("test")).await.unwrap();
        let out = f(&mut rec).await.unwrap();
        rec.record(Event {
            action: Action::SignInFailed,
            target: "a@b.c",
            detail: "",
            change: None,
        })
        .await
        .unwrap();
        rec.commit().await.unwrap();
        out
    }

    const WHEN: When<'static> = When {
        now: "2030-01-01T10:00:00Z",
        forget_before: "2030-01-01T09:45:00Z",
    };

    #[tokio::test]
    async fn failures_count_per_client_and_lock_only_that_client() {
        let (db, dir) = db().await;
        for n in 1..=3 {
            let counted = in_write(&db, |rec| {
                Box::pin(record_failure(
                    rec,
                    "a@b.c",
                    "192.0.2.1",
                    WHEN,
                    3,
                    "2030-01-01T10:15:00Z",
                ))
            })
            .await;
            assert_eq!(counted.client_failures, n);
            assert_eq!(counted.account_failures, n);
            assert_eq!(counted.locked_until.is_some(), n == 3);
        }
        let attacker = standing(&db, "a@b.c", "192.0.2.1", WHEN).await.unwrap();
        assert_eq!(
            attacker.locked_until.as_deref(),
            Some("2030-01-01T10:15:00Z")
        );
        let owner = standing(&db, "a@b.c", "198.51.100.7", WHEN).await.unwrap();
        assert_eq!(owner.locked_until, None, "another client is not locked out");
        assert_eq!(owner.account_failures, 3, "but the account is slowed down");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_success_does_not_clear_a_lock_a_parallel_failure_set() {
        let (db, dir) = db().await;
        for _ in 0..2 {
            in_write(&db, |rec| {
                Box::pin(record_failure(
                    rec,
                    "a@b.c",
                    "192.0.2.1",
                    WHEN,
                    2,
                    "2030-01-01T10:15:00Z",
                ))
            })
            .await;
        }
        // The right password, checked before that lock was set, arrives after it.
        let lock = in_write(&db, |rec| {
            Box::pin(clear_after_success(rec, "a@b.c", "192.0.2.1", WHEN.now))
        })
        .await;
        assert_eq!(lock.as_deref(), Some("2030-01-01T10:15:00Z"), "refused");
        let after = standing(&db, "a@b.c", "192.0.2.1", WHEN).await.unwrap();
        assert_eq!(
            after.locked_until.as_deref(),
            Some("2030-01-01T10:15:00Z"),
            "lock kept"
        );
        // From a client that is not locked, the success clears that client's and the
        // account's counts, and leaves the other client's lock alone.
        let lock = in_write(&db, |rec| {
            Box::pin(clear_after_success(rec, "a@b.c", "198.51.100.7", WHEN.now))
        })
        .await;
        assert_eq!(lock, None);
        let owner = standing(&db, "a@b.c", "198.51.100.7", WHEN).await.unwrap();
        assert_eq!(owner.account_failures, 0);
        let attacker = standing(&db, "a@b.c", "192.0.2.1", WHEN).await.unwrap();
        assert!(attacker.locked_until.is_some());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn counts_start_again_after_a_lock_or_a_quiet_spell() {
        let (db, dir) = db().await;
        let fail = |when: When<'static>| {
            let db = db.clone();
            async move {
                in_write(&db, move |rec| {
                    Box::pin(record_failure(
                        rec,
                        "a@b.c",
                        "192.0.2.1",
                        when,
                        2,
                        "2030-01-01T10:15:00Z",
                    ))
                })
                .await
            }
        };
        fail(WHEN).await;
        let locked = fail(WHEN).await;
        assert!(locked.locked_until.is_some());
        let later = When {
            now: "2030-01-01T10:16:00Z",
            forget_before: "2030-01-01T10:01:00Z",
        };
        assert_eq!(
            standing(&db, "a@b.c", "192.0.2.1", later).await.unwrap(),
            Standing::default()
        );
        let after_lock = fail(later).await;
        assert_eq!(after_lock.client_failures, 1, "the lock has passed");
        assert_eq!(after_lock.locked_until, None);
        assert_eq!(after_lock.account_failures, 1, "quiet since before 10:01");
        let _ = std::fs::remove_dir_all(dir);
    }
}
