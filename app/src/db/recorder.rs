//! The one way to change stored data. A [`Recorder`] is a write transaction that knows who is
//! acting; every change made through it is described by an [`Event`] written to the audit log,
//! and every entity it changed gets one change-log row (entity, id, operation, organisation) in
//! the same transaction. Committing a recorder that recorded nothing is refused, so a write path
//! that forgets to record cannot store anything. Search, feeds and notifications follow the
//! change log.

use std::collections::BTreeMap;

pub use crate::audit::{Action, Actor};

use super::{Db, Tx};

crate::coded_enum! {
    /// What kind of thing changed, as the change log names it.
    pub enum Entity ("entity") {
        Document = "document", "Document";
        Organisation = "organisation", "Organisation";
        User = "user", "User";
        Event = "event", "Event";
        Waiver = "waiver", "Waiver";
        Contact = "contact", "Contact";
    }
}

crate::coded_enum! {
    /// How it changed.
    pub enum Op ("change operation") {
        Upsert = "upsert", "Created or updated";
        Delete = "delete", "Deleted";
    }
}

/// A stored thing that changed. A storage function that writes returns one; it must reach the
/// recorder's [`Event`], or the build fails (`must_use` with warnings denied).
#[must_use = "record this change in an Event of the recorder"]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub entity: Entity,
    pub id: i64,
    pub op: Op,
    /// The organisation it belongs to, when it belongs to one.
    pub org_id: Option<i64>,
}

impl Change {
    pub fn upsert(entity: Entity, id: i64, org_id: Option<i64>) -> Self {
        Self {
            entity,
            id,
            op: Op::Upsert,
            org_id,
        }
    }
}

/// One entry of the audit log, and the entity it changed, if any (a failed sign-in changes
/// nothing anyone reads, but is still recorded).
#[derive(Clone, Debug)]
pub struct Event<'a> {
    pub action: Action,
    /// What it was done to: an address, an email, a slug.
    pub target: &'a str,
    pub detail: &'a str,
    pub change: Option<Change>,
}

/// A write transaction that records what it changes.
pub struct Recorder {
    tx: Tx,
    actor: Actor,
    at: String,
    events: usize,
    changed: BTreeMap<(Entity, i64), Change>,
}

impl Db {
    /// Starts a recorded write on behalf of `actor`.
    pub async fn record(&self, actor: &Actor) -> Result<Recorder, sqlx::Error> {
        Ok(Recorder {
            tx: self.begin_write().await?,
            actor: actor.clone(),
            at: super::now(),
            events: 0,
            changed: BTreeMap::new(),
        })
    }
}

impl Recorder {
    /// The transaction, for the storage functions of the module that owns each table.
    pub fn tx(&mut self) -> &mut Tx {
        &mut self.tx
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The time of this write, the same for every row it stores.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// Appends an audit entry and notes the entity it changed.
    pub async fn record(&mut self, event: Event<'_>) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor, org_id, action, target, detail, client_addr)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&self.at)
        .bind(self.actor.user_id)
        .bind(&self.actor.label)
        .bind(self.actor.org_id)
        .bind(event.action)
        .bind(event.target)
        .bind(event.detail)
        .bind(self.actor.client_addr.as_deref())
        .execute(&mut *self.tx)
        .await?;
        self.events += 1;
        if let Some(change) = event.change {
            // A delete after an update of the same thing in one write is a delete.
            let entry = self
                .changed
                .entry((change.entity, change.id))
                .or_insert(change);
            if change.op == Op::Delete {
                *entry = change;
            }
        }
        Ok(())
    }

    /// Writes one change-log row per changed entity and commits. Refuses to commit a write that
    /// recorded no event: nothing may change without a trace.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        if self.events == 0 {
            tracing::error!(actor = %self.actor.label, "a write recorded no event; rolled back");
            self.tx.rollback().await?;
            return Err(sqlx::Error::Protocol(
                "refused to commit a write that recorded no event".into(),
            ));
        }
        for change in self.changed.values() {
            sqlx::query(
                "INSERT INTO change_log (entity, entity_id, op, org_id, at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(change.entity)
            .bind(change.id)
            .bind(change.op)
            .bind(change.org_id)
            .bind(&self.at)
            .execute(&mut *self.tx)
            .await?;
        }
        self.tx.commit().await
    }

    /// Abandons the write.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

/// One stored audit entry, for administrators and tests.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: Action,
    pub target: String,
    pub detail: String,
    pub client_addr: Option<String>,
}

/// The newest audit entries first.
pub async fn recent_audit(db: &Db, limit: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as::<_, AuditRow>(
        "SELECT at, actor, action, target, detail, client_addr FROM audit_log ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn db() -> (Db, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "trustshare-recorder-{}-{}",
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

    #[tokio::test]
    async fn reads_cannot_write_and_an_unrecorded_write_is_refused() {
        let (db, dir) = db().await;
        let write = sqlx::query(
            "INSERT INTO change_log (entity, entity_id, op, at) VALUES ('user', 1, 'upsert', 'x')",
        )
        .execute(db.pool())
        .await;
        assert!(write.is_err(), "the read pool refuses writes");

        let mut rec = db.record(&Actor::system("test")).await.unwrap();
        sqlx::query(
            "INSERT INTO change_log (entity, entity_id, op, at) VALUES ('user', 1, 'upsert', 'x')",
        )
        .execute(&mut **rec.tx())
        .await
        .unwrap();
        assert!(
            rec.commit().await.is_err(),
            "nothing recorded, nothing stored"
        );
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM change_log")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(rows, 0);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn each_changed_entity_gets_one_change_log_row_with_its_organisation() {
        let (db, dir) = db().await;
        let mut rec = db.record(&Actor::system("test")).await.unwrap();
        for action in [Action::DocumentEdited, Action::VisibilityChanged] {
            rec.record(Event {
                action,
                target: "/guides/x",
                detail: "",
                change: Some(Change::upsert(Entity::Document, 7, Some(3))),
            })
            .await
            .unwrap();
        }
        rec.commit().await.unwrap();
        let rows: Vec<(String, i64, String, Option<i64>)> =
            sqlx::query_as("SELECT entity, entity_id, op, org_id FROM change_log")
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(
            rows,
            [("document".to_owned(), 7, "upsert".to_owned(), Some(3))]
        );
        let audit = recent_audit(&db, 10).await.unwrap();
        assert_eq!(audit.len(), 2);
        let _ = std::fs::remove_dir_all(dir);
    }
}
