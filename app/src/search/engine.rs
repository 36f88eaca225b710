//! The search engine of one process: a tantivy index in the data folder, the one writer that
//! changes it, and the one reader that searches use. `Engine::open` never fails because an index
//! is missing, damaged or from another version: it then serves an empty index, says it is
//! catching up, and the follower (see `indexer`) rebuilds it from the database.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

use super::access::AccessSets;
use super::indexer::Follow;
use super::model::{SearchQuery, SearchResults};
use super::schema::{self, Fields, SCHEMA_VERSION};
use super::synonyms::{Synonyms, SYNONYMS};
use crate::permissions::Viewer;

/// The index's folder inside the engine's folder.
pub(super) const INDEX_DIR: &str = "index";
/// Where a rebuild is written before it replaces the index.
pub(super) const BUILDING_DIR: &str = "index.building";
/// A file in the index folder holding [`SCHEMA_VERSION`].
const VERSION_FILE: &str = "trustshare-search-version";
/// A file in the engine's folder asking a running server to rebuild (`trustshare reindex`).
pub(super) const REBUILD_REQUEST: &str = "rebuild-requested";
/// A file in the engine's folder that the process using it holds locked, so that a second
/// server on the same data folder stops at once instead of racing the first one's rebuild.
const FOLDER_LOCK: &str = "in-use.lock";
/// How long `open` waits for the folder lock: long enough for a server restarting in the same
/// process to let go of it, short enough that a second server stops promptly.
const FOLDER_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);
/// Memory the writer may use before it writes a segment (tantivy needs at least 15 MB a thread).
const WRITER_MEMORY: usize = 32 * 1024 * 1024;
/// The same for a rebuild: larger segments mean fewer merges while building, for a bounded
/// rise in memory while it runs.
const REBUILD_WRITER_MEMORY: usize = 128 * 1024 * 1024;

/// Why the engine could not do something.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] TantivyError),
    #[error("search index folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Another process (a running server) holds the index's writer.
    #[error("the search index in {} is in use by another process: a server already runs on this data folder (each server needs its own --data-dir)", .0.display())]
    Locked(PathBuf),
    #[error("search: {0}")]
    Invalid(String),
}

impl From<SearchError> for crate::error::AppError {
    fn from(e: SearchError) -> Self {
        tracing::error!(error = %e, "search failed");
        crate::error::AppError::Internal
    }
}

/// Takes the engine folder's lock, waiting up to [`FOLDER_LOCK_WAIT`] for another holder to
/// let go; the system releases it when the process ends, however it ends.
fn lock_folder(dir: &Path) -> Result<std::fs::File, SearchError> {
    let path = dir.join(FOLDER_LOCK);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(&path))?;
    let deadline = std::time::Instant::now() + FOLDER_LOCK_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(SearchError::Locked(dir.to_owned()))
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(&path)(e)),
        }
    }
}

pub(super) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The index searches read, and its reader.
pub(super) struct Live {
    pub index: Index,
    pub reader: IndexReader,
}

/// How far the index is.
#[derive(Clone, Debug, Default)]
pub(super) struct Status {
    /// Why the index must be rebuilt before it can be trusted, if it must.
    pub rebuild: Option<String>,
    /// Whether the last pass over the change log found nothing more to do.
    pub caught_up: bool,
    /// Whether the index files were checked against their checksums since opening.
    pub checked: bool,
}

/// The search engine: see the module documentation.
pub struct Engine {
    pub(super) dir: PathBuf,
    pub(super) schema: Schema,
    pub(super) fields: Fields,
    pub(super) live: RwLock<Arc<Live>>,
    /// The writer of the live index when it is on disk; `None` while it must be rebuilt.
    pub(super) writer: Arc<Mutex<Option<IndexWriter>>>,
    /// Serialises indexing and holds how far the change log was followed.
    pub(super) follow: tokio::sync::Mutex<Follow>,
    pub(super) status: Mutex<Status>,
    pub(super) wake: tokio::sync::Notify,
    pub(super) synonyms: Synonyms,
    /// The documents each read rule lets through, per segment.
    pub(super) access_sets: Arc<AccessSets>,
    /// Held for the engine's life: see [`FOLDER_LOCK`].
    _folder_lock: std::fs::File,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("dir", &self.dir).finish()
    }
}

/// Why an index on disk cannot be used.
pub(super) enum Unusable {
    Locked,
    Because(String),
}

/// An index opened from disk, ready to search and write.
pub(super) struct Opened {
    pub live: Live,
    pub writer: IndexWriter,
    /// The last change-log id it reflects.
    pub watermark: i64,
}

impl Engine {
    /// Opens the engine kept in `dir` (created if missing). A missing, damaged or outdated
    /// index is not an error: the engine starts empty and asks to be rebuilt. Fails when the
    /// folder cannot be created or another process holds the index.
    pub fn open(dir: impl AsRef<Path>) -> Result<Arc<Engine>, SearchError> {
        let dir = dir.as_ref().to_owned();
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let folder_lock = lock_folder(&dir)?;
        let (schema, fields) = Fields::schema();
        let mut stem = schema::analyzers()
            .into_iter()
            .find(|(n, _)| *n == schema::STEM)
            .map(|(_, a)| a)
            .ok_or_else(|| SearchError::Invalid("no stemming analyzer".into()))?;
        let synonyms = Synonyms::parse(SYNONYMS, &mut stem).map_err(SearchError::Invalid)?;
        let (live, writer, watermark, rebuild) = match open_dir(&dir.join(INDEX_DIR), &schema) {
            Ok(opened) => (opened.live, Some(opened.writer), opened.watermark, None),
            Err(Unusable::Locked) => return Err(SearchError::Locked(dir)),
            Err(Unusable::Because(reason)) => {
                tracing::warn!(dir = %dir.display(), "search index will be rebuilt: {reason}");
                (empty(&schema)?, None, 0, Some(reason))
            }
        };
        Ok(Arc::new(Engine {
            dir,
            schema,
            fields,
            live: RwLock::new(Arc::new(live)),
            writer: Arc::new(Mutex::new(writer)),
            follow: tokio::sync::Mutex::new(Follow::from_watermark(watermark)),
            status: Mutex::new(Status {
                rebuild,
                ..Status::default()
            }),
            wake: tokio::sync::Notify::new(),
            synonyms,
            access_sets: Arc::default(),
            _folder_lock: folder_lock,
        }))
    }

    /// The folder the engine keeps its index in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Searches as `viewer`: only documents they may read are found, counted or suggested.
    pub fn search(
        &self,
        viewer: &Viewer,
        query: &SearchQuery,
    ) -> Result<SearchResults, SearchError> {
        Ok(self.search_with_ids(viewer, query)?.results)
    }

    /// Whether the index is being rebuilt, or has not caught up with the change log yet.
    pub fn catching_up(&self) -> bool {
        let status = self.status();
        status.rebuild.is_some() || !status.caught_up
    }

    /// Why the index is being rebuilt, if it is.
    pub fn rebuild_reason(&self) -> Option<String> {
        self.status().rebuild
    }

    /// Wakes the follower to look at the change log now (after a write of our own).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(super) fn status(&self) -> Status {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(super) fn update_status(&self, change: impl FnOnce(&mut Status)) {
        change(&mut self.status.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// The index searches read now.
    pub(super) fn live(&self) -> Arc<Live> {
        self.live
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Marks the index for rebuilding (a search found it damaged) and wakes the follower.
    pub(super) fn needs_rebuild(&self, reason: String) {
        tracing::warn!("search index will be rebuilt: {reason}");
        self.update_status(|s| s.rebuild = Some(reason));
        self.wake();
    }

    /// Asks a running server whose engine lives in `dir` to rebuild its index, for
    /// `trustshare reindex` while the server holds the index.
    pub fn request_rebuild(dir: impl AsRef<Path>) -> Result<(), SearchError> {
        let path = dir.as_ref().join(REBUILD_REQUEST);
        std::fs::write(&path, "rebuild requested by trustshare reindex\n").map_err(io(&path))
    }
}

/// An empty index in memory, served while the real one is rebuilt.
fn empty(schema: &Schema) -> Result<Live, SearchError> {
    let index = Index::create_in_ram(schema.clone());
    schema::register(&index);
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok(Live { index, reader })
}

/// Opens the index in `path`, refusing one that is missing, from another version, damaged or
/// without a watermark.
pub(super) fn open_dir(path: &Path, schema: &Schema) -> Result<Opened, Unusable> {
    let because = |m: String| Unusable::Because(m);
    if !path.join("meta.json").is_file() {
        return Err(because("there is no index yet".into()));
    }
    let version = std::fs::read_to_string(path.join(VERSION_FILE)).unwrap_or_default();
    if version.trim() != SCHEMA_VERSION.to_string() {
        return Err(because(format!(
            "the index was built for schema version {:?}, this version uses {SCHEMA_VERSION}",
            version.trim()
        )));
    }
    let index = Index::open_in_dir(path)
        .map_err(|e| because(format!("the index cannot be opened: {e}")))?;
    if &index.schema() != schema {
        return Err(because("the index has other fields".into()));
    }
    schema::register(&index);
    let watermark = index
        .load_metas()
        .map_err(|e| because(format!("the index metadata cannot be read: {e}")))?
        .payload
        .and_then(|p| p.trim().parse::<i64>().ok())
        .ok_or_else(|| {
            because("the index does not say how far it followed the change log".into())
        })?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| because(format!("the index cannot be read: {e}")))?;
    let writer = writer(&index).map_err(|e| match e {
        TantivyError::LockFailure(..) => Unusable::Locked,
        e => because(format!("the index cannot be written: {e}")),
    })?;
    Ok(Opened {
        live: Live { index, reader },
        writer,
        watermark,
    })
}

/// The index's one writer: one thread, so indexing leaves the other core to the server.
pub(super) fn writer(index: &Index) -> tantivy::Result<IndexWriter> {
    index.writer_with_num_threads(1, WRITER_MEMORY)
}

/// The writer of a rebuild: one thread a core (up to four), sharing [`REBUILD_WRITER_MEMORY`].
/// A rebuild runs at first start, after an upgrade of the index or when asked for; searches
/// use the old index meanwhile, so finishing soon matters more than leaving a core free.
pub(super) fn rebuild_writer(index: &Index) -> tantivy::Result<IndexWriter> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    index.writer_with_num_threads(threads, REBUILD_WRITER_MEMORY)
}

/// Records the schema version in a freshly built index folder.
pub(super) fn write_version(path: &Path) -> Result<(), SearchError> {
    let file = path.join(VERSION_FILE);
    std::fs::write(&file, format!("{SCHEMA_VERSION}\n")).map_err(io(&file))
}
