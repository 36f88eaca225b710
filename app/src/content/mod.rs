//! Importing a content folder: Markdown files with YAML front matter, one per item, in
//! `organisations/`, `users/`, one folder per kind of document (`guides/`, `plans/`,
//! `lessons/`, `access/`), where a kind with formats of its own also takes files in them
//! (`access/nhs-fife.yaml`), `events/` and `contacts/` (`*.yaml`). The file name is the slug.
//!
//! Each file is validated completely before anything is written, then stored in its own
//! transaction, so a bad file is reported (path, line, field, reason) and skipped while the
//! others load, and nothing is ever half-written. Importing the same folder twice changes nothing.
//! Symbolic links are never followed and no file over [`MAX_CONTENT_FILE_BYTES`] is read: such
//! files are reported and skipped like bad ones.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::db::{Actor, Db};
use crate::documents::import::Outcome;
use crate::kinds::DocKind;
use crate::limits::MAX_CONTENT_FILE_BYTES;

mod contacts;
mod documents;
mod events;
mod front_matter;
mod orgs;
mod users;

pub use front_matter::{split_front_matter, FrontMatter};

/// A problem with one file, located as precisely as possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// Counts of what an import did, per kind, and the files it skipped.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    pub created: HashMap<String, usize>,
    pub updated: HashMap<String, usize>,
    pub unchanged: HashMap<String, usize>,
    pub errors: Vec<ImportError>,
}

impl ImportReport {
    fn count(&mut self, kind: &str, outcome: Outcome) {
        let map = match outcome {
            Outcome::Created => &mut self.created,
            Outcome::Updated => &mut self.updated,
            Outcome::Unchanged => &mut self.unchanged,
        };
        *map.entry(kind.to_owned()).or_default() += 1;
    }

    /// One line per kind, e.g. "guides: 3 created, 1 updated, 10 unchanged".
    pub fn summary(&self) -> String {
        let mut lines = Vec::new();
        let folders = ["organisations", "users"]
            .into_iter()
            .chain(DocKind::all().map(|k| k.path()))
            .chain([EVENTS, CONTACTS]);
        for kind in folders {
            let c = self.created.get(kind).copied().unwrap_or(0);
            let u = self.updated.get(kind).copied().unwrap_or(0);
            let n = self.unchanged.get(kind).copied().unwrap_or(0);
            lines.push(format!("{kind}: {c} created, {u} updated, {n} unchanged"));
        }
        lines.push(format!(
            "{} file(s) skipped because of errors",
            self.errors.len()
        ));
        lines.join("\n")
    }
}

/// A fault that stops the whole import (the folder is unreadable, the database is down).
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    App(#[from] crate::error::AppError),
}

/// The folder of event files, after the documents they may link to.
const EVENTS: &str = "events";
/// The folder of contact files (YAML), after the organisations they belong to.
const CONTACTS: &str = "contacts";

/// Imports every file under `dir`: organisations, then users, then guides, plans and lessons,
/// then events, then contacts.
pub async fn import_dir(db: &Db, dir: &Path) -> Result<ImportReport, ImportFailure> {
    let mut report = ImportReport::default();
    let actor = Actor::system("import");

    // Parents must exist before their children: retry files whose parent is not there yet.
    let mut pending: Vec<(PathBuf, String)> = read_kind(dir, "organisations", &mut report)?;
    loop {
        let mut waiting = Vec::new();
        let before = pending.len();
        for (path, text) in pending {
            match orgs::import(db, &actor, &path, &text).await? {
                Ok(outcome) => report.count("organisations", outcome),
                Err(orgs::OrgImportError::ParentMissing(e)) => waiting.push((path, text, e)),
                Err(orgs::OrgImportError::Invalid(e)) => report.errors.push(e),
            }
        }
        if waiting.is_empty() || waiting.len() == before {
            report.errors.extend(waiting.into_iter().map(|(_, _, e)| e));
            break;
        }
        pending = waiting.into_iter().map(|(p, t, _)| (p, t)).collect();
    }

    for (path, text) in read_kind(dir, "users", &mut report)? {
        match users::import(db, &actor, &path, &text).await? {
            Ok(outcome) => report.count("users", outcome),
            Err(e) => report.errors.push(e),
        }
    }
    for kind in DocKind::all() {
        let own: Vec<&str> = kind
            .spec()
            .file_formats()
            .iter()
            .map(|f| f.extension)
            .collect();
        let mut extensions = vec!["md"];
        extensions.extend(&own);
        for (path, text) in read_folder(dir, kind.path(), &extensions, &mut report)? {
            let markdown = path.extension().is_some_and(|x| x == "md");
            let imported = if markdown {
                documents::import(db, &actor, kind, &path, &text).await?
            } else {
                documents::import_file(db, &actor, kind, &path, &text).await?
            };
            match imported {
                Ok(outcome) => report.count(kind.path(), outcome),
                Err(e) => report.errors.push(e),
            }
        }
    }
    for (path, text) in read_kind(dir, EVENTS, &mut report)? {
        match events::import(db, &actor, &path, &text).await? {
            Ok(outcome) => report.count(EVENTS, outcome),
            Err(e) => report.errors.push(e),
        }
    }
    let today = crate::dates::Date::from_time(time::OffsetDateTime::now_utc().date());
    for (path, text) in read_folder(dir, CONTACTS, &["yaml"], &mut report)? {
        match contacts::import(db, &actor, &path, &text, today).await? {
            Ok(outcome) => report.count(CONTACTS, outcome),
            Err(e) => report.errors.push(e),
        }
    }
    Ok(report)
}

/// The `.md` files of a folder, sorted by name (see [`read_folder`]).
fn read_kind(
    dir: &Path,
    kind: &str,
    report: &mut ImportReport,
) -> Result<Vec<(PathBuf, String)>, ImportFailure> {
    read_folder(dir, kind, &["md"], report)
}

/// The files of one folder with these extensions, sorted by name; a missing folder is empty.
/// Symbolic links (to files or folders, the folder included) are not followed, and files over
/// [`MAX_CONTENT_FILE_BYTES`] are not read: each is reported in `report` and skipped like any
/// other bad file.
fn read_folder(
    dir: &Path,
    kind: &str,
    extensions: &[&str],
    report: &mut ImportReport,
) -> Result<Vec<(PathBuf, String)>, ImportFailure> {
    let folder = dir.join(kind);
    match std::fs::symlink_metadata(&folder) {
        Ok(meta) if meta.file_type().is_symlink() => {
            report.errors.push(file_error(
                &folder,
                None,
                None,
                "is a symbolic link: links are not followed, so this folder was skipped",
            ));
            return Ok(Vec::new());
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(ImportFailure::Io {
                path: folder,
                source,
            })
        }
    }
    let entries = std::fs::read_dir(&folder).map_err(|source| ImportFailure::Io {
        path: folder.clone(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| extensions.contains(&x))
        })
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        match read_file(&path)? {
            Ok(text) => files.push((path, text)),
            Err(message) => report.errors.push(file_error(&path, None, None, message)),
        }
    }
    Ok(files)
}

/// Reads one content file, refusing links, folders, files over the size limit and text that is
/// not UTF-8 (the message says which). A fault of the disk stops the import.
fn read_file(path: &Path) -> Result<Result<String, String>, ImportFailure> {
    use std::io::Read;

    let io = |source| ImportFailure::Io {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::symlink_metadata(path).map_err(io)?;
    if meta.file_type().is_symlink() {
        return Ok(Err(
            "is a symbolic link: links are not followed, so this file was skipped".into(),
        ));
    }
    if !meta.is_file() {
        return Ok(Err("is not a regular file, so it was skipped".into()));
    }
    let too_large = |bytes: u64| {
        format!(
            "is {} KiB: a content file can be at most {} KiB, so it was skipped",
            bytes.div_ceil(1024),
            MAX_CONTENT_FILE_BYTES / 1024
        )
    };
    if meta.len() > MAX_CONTENT_FILE_BYTES {
        return Ok(Err(too_large(meta.len())));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // The name was checked before it was opened; make sure the file opened is the one checked,
    // not a link put in its place meanwhile.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let opened = file.metadata().map_err(io)?;
        if (opened.dev(), opened.ino()) != (meta.dev(), meta.ino()) {
            return Ok(Err(
                "changed while it was being read (now a link or another file), so it was skipped"
                    .into(),
            ));
        }
    }
    // A file that grows after the check is still read no further than the limit.
    let mut bytes = Vec::new();
    file.take(MAX_CONTENT_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_CONTENT_FILE_BYTES {
        return Ok(Err(too_large(bytes.len() as u64)));
    }
    Ok(String::from_utf8(bytes).map_err(|e| {
        format!(
            "is not UTF-8 text (byte {}), so it was skipped",
            e.utf8_error().valid_up_to() + 1
        )
    }))
}

pub(crate) fn file_error(
    path: &Path,
    line: Option<usize>,
    field: Option<&str>,
    message: impl Into<String>,
) -> ImportError {
    ImportError {
        path: path.to_owned(),
        line,
        field: field.map(str::to_owned),
        message: message.into(),
    }
}

/// The slug from the file name, checked.
pub(crate) fn slug_of(path: &Path) -> Result<String, ImportError> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    crate::slugs::validate_slug(stem)
        .map(|()| stem.to_owned())
        .map_err(|m| file_error(path, None, None, format!("file name: {m}")))
}

/// Parses the front matter of `text` into `T`, mapping YAML errors to file lines.
pub(crate) fn parse<'a, T: Deserialize<'a>>(
    path: &Path,
    text: &'a str,
) -> Result<(FrontMatter<'a>, T), ImportError> {
    let fm = split_front_matter(text).map_err(|(line, m)| file_error(path, Some(line), None, m))?;
    let value = yaml_serde::from_str::<T>(fm.yaml).map_err(|e| {
        let line = e.location().map(|l| l.line() + fm.yaml_first_line - 1);
        let message = e.to_string();
        // yaml_serde appends " at line N column M"; the location is already in the prefix.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        let field = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned);
        ImportError {
            path: path.to_owned(),
            line,
            field,
            message,
        }
    })?;
    Ok((fm, value))
}
