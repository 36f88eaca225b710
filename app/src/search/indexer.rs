//! Keeping the index in step with the database. The database is the source of truth; every write
//! leaves one `change_log` row per changed entity (see `db::recorder`). The follower applies
//! those rows in order and in batches, re-reading each changed document as readers see it, and
//! stores the last applied id in the index's commit payload, in the same commit as the
//! documents. A crash at any moment loses at most work that is then replayed from the payload.
//!
//! Change ids are handed out when a write inserts its rows but become visible when it commits,
//! so with several writers (PostgreSQL) a lower id can appear after a higher one. The follower
//! remembers the ids it skipped over ("gaps") and looks for them again; the payload never passes
//! a gap, and a gap still empty after [`GAP_GRACE`] is taken to be a write that rolled back.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use tantivy::IndexWriter;

use super::engine::{
    io, open_dir, write_version, Engine, SearchError, Unusable, BUILDING_DIR, INDEX_DIR,
    REBUILD_REQUEST,
};
use super::schema::IndexedDoc;
use super::source::{self, ChangeRow};
use crate::db::{Db, Entity};

/// How often the follower looks at the change log when nothing woke it.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// Change-log rows applied in one commit.
const BATCH: i64 = 256;
/// Documents read from the database at a time by each reader of a rebuild.
const REBUILD_PAGE: i64 = 500;
/// How long a skipped change id is waited for before it is taken to be a rolled-back write.
pub const GAP_GRACE: Duration = Duration::from_secs(30);
/// How far back a rebuild looks for ids still to be committed.
const GAP_WINDOW: i64 = 1000;

/// How far the change log was followed.
#[derive(Clone, Debug, Default)]
pub(super) struct Follow {
    /// Every change up to here is in the index (or was a write that rolled back).
    watermark: i64,
    /// The highest change applied.
    seen_max: i64,
    /// Ids below `seen_max` not seen yet, with when they were first missed.
    gaps: BTreeMap<i64, Instant>,
}

impl Follow {
    pub(super) fn from_watermark(watermark: i64) -> Self {
        Self {
            watermark,
            seen_max: watermark,
            gaps: BTreeMap::new(),
        }
    }

    /// Every change up to here is in the index.
    #[cfg(test)]
    pub(super) fn watermark(&self) -> i64 {
        self.watermark
    }

    /// The state after applying `rows` (fetched above `seen_max`, and from the gaps).
    pub(super) fn after(&self, rows: &[ChangeRow], now: Instant) -> Follow {
        let mut next = self.clone();
        let seen: BTreeSet<i64> = rows.iter().map(|r| r.id).collect();
        for id in &seen {
            next.gaps.remove(id);
        }
        for &id in seen.range(self.seen_max + 1..) {
            for missing in next.seen_max + 1..id {
                next.gaps.insert(missing, now);
            }
            next.seen_max = id;
        }
        next.gaps.retain(|id, since| {
            let waiting = now.duration_since(*since) < GAP_GRACE;
            if !waiting {
                tracing::info!(
                    change = id,
                    "change id never appeared: taken as a rolled-back write"
                );
            }
            waiting
        });
        next.watermark = match next.gaps.keys().next() {
            Some(first) => first - 1,
            None => next.seen_max,
        };
        next
    }
}

impl Engine {
    /// Builds the index from scratch from the database and puts it in place of the current one;
    /// searches keep using the current one meanwhile. Returns the number of documents indexed.
    pub async fn build_from(&self, db: &Db) -> Result<usize, SearchError> {
        let mut follow = self.follow.lock().await;
        self.rebuild(db, &mut follow).await
    }

    /// Applies every change not in the index yet, first checking the index files once after
    /// opening and rebuilding when the index must be. Returns the number of change-log rows
    /// applied.
    pub async fn catch_up(&self, db: &Db) -> Result<usize, SearchError> {
        if !self.status().checked {
            self.check_files().await?;
        }
        let mut follow = self.follow.lock().await;
        if self.status().rebuild.is_some() || self.dir.join(REBUILD_REQUEST).exists() {
            self.rebuild(db, &mut follow).await?;
        }
        let applied = self.apply_all(db, &mut follow).await?;
        self.update_status(|s| s.caught_up = true);
        Ok(applied)
    }

    /// Applies the changes not in the index yet, now, unless the index is waiting for a rebuild
    /// (which is left to the follower): for a search that found the index behind.
    pub(super) async fn apply_changes(&self, db: &Db) -> Result<usize, SearchError> {
        let mut follow = self.follow.lock().await;
        if self.status().rebuild.is_some() {
            return Ok(0);
        }
        self.apply_all(db, &mut follow).await
    }

    async fn apply_all(&self, db: &Db, follow: &mut Follow) -> Result<usize, SearchError> {
        let mut applied = 0;
        loop {
            let (n, more) = self.apply_pending(db, follow).await?;
            applied += n;
            if !more {
                return Ok(applied);
            }
        }
    }

    /// Follows the change log in the background until the task is aborted: looks every
    /// [`POLL_INTERVAL`] and whenever [`Engine::wake`] is called. First checks the index files
    /// and rebuilds a damaged, missing or outdated index.
    pub fn follow(self: &Arc<Self>, db: Db) -> tokio::task::JoinHandle<()> {
        let engine = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = engine.catch_up(&db).await {
                    tracing::warn!(error = %e, "search indexing failed; trying again");
                    engine.update_status(|s| s.caught_up = false);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                tokio::select! {
                    () = engine.wake.notified() => {}
                    () = tokio::time::sleep(POLL_INTERVAL) => {}
                }
            }
        })
    }

    /// Checks the index files against their checksums once after opening (in the background,
    /// so start-up does not wait for it); a damaged index is rebuilt.
    async fn check_files(&self) -> Result<(), SearchError> {
        let live = self.live();
        let damaged = tokio::task::spawn_blocking(move || live.index.validate_checksum())
            .await
            .map_err(|e| SearchError::Invalid(format!("checksum task: {e}")))?;
        match damaged {
            Ok(files) if files.is_empty() => {}
            Ok(files) => self.needs_rebuild(format!("damaged index files: {files:?}")),
            Err(e) => self.needs_rebuild(format!("the index files cannot be checked: {e}")),
        }
        self.update_status(|s| s.checked = true);
        Ok(())
    }

    /// Applies one batch of changes; says whether there may be more.
    async fn apply_pending(
        &self,
        db: &Db,
        follow: &mut Follow,
    ) -> Result<(usize, bool), SearchError> {
        let mut rows = source::changes_after(db, follow.seen_max, BATCH).await?;
        let more = rows.len() as i64 == BATCH;
        let gaps: Vec<i64> = follow.gaps.keys().copied().collect();
        rows.extend(source::changes(db, &gaps).await?);
        let next = follow.after(&rows, Instant::now());
        if rows.is_empty() && next.watermark == follow.watermark {
            return Ok((0, false));
        }
        let mut ids = BTreeSet::new();
        for row in &rows {
            match row.entity {
                Entity::Document => {
                    ids.insert(row.entity_id);
                }
                // Its name and nation are in each of its documents.
                Entity::Organisation => {
                    ids.extend(source::documents_of_org(db, row.entity_id).await?)
                }
                // Users, events, waivers and contacts are not in the search index.
                Entity::User | Entity::Event | Entity::Waiver | Entity::Contact => {}
            }
        }
        let ids: Vec<i64> = ids.into_iter().collect();
        let docs = source::documents(db, &ids).await?;
        self.write(ids, docs, next.watermark).await?;
        *follow = next;
        Ok((rows.len(), more))
    }

    /// Replaces the documents with these ids by `docs` (the ones that still exist) and commits
    /// with `watermark` as the payload, then makes the change visible to searches.
    async fn write(
        &self,
        ids: Vec<i64>,
        docs: Vec<IndexedDoc>,
        watermark: i64,
    ) -> Result<(), SearchError> {
        let fields = self.fields;
        let live = self.live();
        let writer_slot = self.writer.clone();
        tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
            let mut guard = writer_slot.lock().unwrap_or_else(PoisonError::into_inner);
            let writer = guard
                .as_mut()
                .ok_or_else(|| SearchError::Invalid("the index has no writer".into()))?;
            for id in ids {
                writer.delete_term(fields.id_term(id));
            }
            for doc in &docs {
                writer.add_document(doc.to_document(&fields))?;
            }
            commit(writer, watermark)?;
            live.reader.reload()?;
            Ok(())
        })
        .await
        .map_err(|e| SearchError::Invalid(format!("indexing task: {e}")))?
    }

    /// Builds a new index from the database beside the current one, then swaps it in.
    async fn rebuild(&self, db: &Db, follow: &mut Follow) -> Result<usize, SearchError> {
        self.update_status(|s| {
            s.caught_up = false;
            if s.rebuild.is_none() {
                s.rebuild = Some("a rebuild was asked for".into());
            }
        });
        let started = Instant::now();
        // Changes from here on are replayed afterwards; replaying is harmless.
        let top = source::last_change(db).await?;
        let present: BTreeSet<i64> =
            source::change_ids_between(db, (top - GAP_WINDOW + 1).max(1), top)
                .await?
                .into_iter()
                .collect();
        let now = Instant::now();
        let gaps: BTreeMap<i64, Instant> = ((top - GAP_WINDOW + 1).max(1)..=top)
            .filter(|id| !present.contains(id))
            .map(|id| (id, now))
            .collect();
        let watermark = gaps.keys().next().map_or(top, |first| first - 1);

        let building = self.dir.join(BUILDING_DIR);
        let schema = self.schema.clone();
        let path = building.clone();
        let writer = tokio::task::spawn_blocking(move || -> Result<IndexWriter, SearchError> {
            if path.exists() {
                std::fs::remove_dir_all(&path).map_err(io(&path))?;
            }
            std::fs::create_dir_all(&path).map_err(io(&path))?;
            let index = tantivy::Index::create_in_dir(&path, schema)?;
            super::schema::register(&index);
            Ok(super::engine::rebuild_writer(&index)?)
        })
        .await
        .map_err(|e| SearchError::Invalid(format!("rebuild task: {e}")))??;
        let writer = Arc::new(writer);
        let count = self.read_all(db, &writer).await?;

        let dir = self.dir.clone();
        let schema = self.schema.clone();
        let slot = self.writer.clone();
        let opened =
            tokio::task::spawn_blocking(move || -> Result<super::engine::Opened, SearchError> {
                let mut writer = Arc::try_unwrap(writer)
                    .map_err(|_| SearchError::Invalid("rebuild writer still shared".into()))?;
                commit(&mut writer, watermark)?;
                let index = writer.index().clone();
                writer.wait_merging_threads()?;
                merge_into_one(&index)?;
                write_version(&building)?;
                // The old writer lets go of the old index before it is moved away.
                drop(slot.lock().unwrap_or_else(PoisonError::into_inner).take());
                let current = dir.join(INDEX_DIR);
                let old = dir.join("index.old");
                if old.exists() {
                    std::fs::remove_dir_all(&old).map_err(io(&old))?;
                }
                if current.exists() {
                    std::fs::rename(&current, &old).map_err(io(&current))?;
                }
                std::fs::rename(&building, &current).map_err(io(&building))?;
                if old.exists() {
                    std::fs::remove_dir_all(&old).map_err(io(&old))?;
                }
                open_dir(&current, &schema).map_err(|e| match e {
                    Unusable::Locked => SearchError::Locked(current.clone()),
                    Unusable::Because(m) => SearchError::Invalid(format!("the rebuilt index: {m}")),
                })
            })
            .await
            .map_err(|e| SearchError::Invalid(format!("rebuild task: {e}")))??;

        let super::engine::Opened {
            live,
            writer,
            watermark: stored,
        } = opened;
        *self.writer.lock().unwrap_or_else(PoisonError::into_inner) = Some(writer);
        *self.live.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(live);
        *follow = Follow {
            watermark: stored,
            seen_max: top,
            gaps,
        };
        let request = self.dir.join(REBUILD_REQUEST);
        if request.exists() {
            std::fs::remove_file(&request).map_err(io(&request))?;
        }
        self.update_status(|s| {
            s.rebuild = None;
            s.checked = true;
        });
        tracing::info!(
            documents = count,
            millis = started.elapsed().as_millis() as u64,
            "search index rebuilt"
        );
        Ok(count)
    }
}

impl Engine {
    /// Reads every document from the database into the rebuild's writer and returns how many.
    /// The id range is shared out between [`rebuild_readers`] readers, each reading its pages
    /// in turn and turning them into index documents on a blocking thread, so that reading and
    /// preparing documents is not one thread's work while the writer's threads wait for them.
    /// Memory stays bounded: each reader holds one page, and the writer's queue is bounded.
    async fn read_all(&self, db: &Db, writer: &Arc<IndexWriter>) -> Result<usize, SearchError> {
        let (first, last) = source::id_bounds(db).await?;
        let readers = rebuild_readers() as i64;
        let share = ((last - first + 1).max(0) + readers - 1) / readers;
        let share = share.max(1);
        let mut tasks = tokio::task::JoinSet::new();
        for k in 0..readers {
            let after = first - 1 + k * share;
            let upto = (after + share).min(last);
            if after >= upto {
                continue;
            }
            let (db, writer, fields) = (db.clone(), writer.clone(), self.fields);
            tasks.spawn(async move {
                let mut after = after;
                let mut count = 0;
                loop {
                    let page = source::documents_between(&db, after, upto, REBUILD_PAGE).await?;
                    let Some(last) = page.last() else { break };
                    after = last.id();
                    count += page.len();
                    let writer = writer.clone();
                    tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
                        for fetched in page {
                            writer.add_document(fetched.indexed().to_document(&fields))?;
                        }
                        Ok(())
                    })
                    .await
                    .map_err(|e| SearchError::Invalid(format!("rebuild task: {e}")))??;
                }
                Ok::<usize, SearchError>(count)
            });
        }
        let mut count = 0;
        while let Some(done) = tasks.join_next().await {
            count += done.map_err(|e| SearchError::Invalid(format!("rebuild reader: {e}")))??;
        }
        Ok(count)
    }
}

/// Readers of the database during a rebuild: one a core, up to four.
fn rebuild_readers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Merges a freshly built index into one segment: every search looks up its words, typos and
/// prefixes once per segment, so one segment answers fastest. The merge keeps the commit's
/// payload.
fn merge_into_one(index: &tantivy::Index) -> Result<(), SearchError> {
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        let mut writer = super::engine::rebuild_writer(index)?;
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        writer.merge(&segments).wait()?;
        writer.wait_merging_threads()?;
    }
    Ok(())
}

/// Commits what the writer holds, recording how far the change log was applied.
fn commit(writer: &mut IndexWriter, watermark: i64) -> Result<(), SearchError> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&watermark.to_string());
    prepared.commit()?;
    Ok(())
}
