//! Index health: the schema-version file kept beside the index, and the checks
//! that tell a caller to rebuild (missing, corrupt, stale) and why.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Index;

use super::directory::IndexDirectory;
use super::error::SearchError;
use super::schema::{self, SCHEMA_VERSION};

/// The file beside tantivy's own, recording what built the index.
pub const VERSION_FILE: &str = "coroner-index.json";

#[derive(Debug, Serialize, Deserialize)]
struct VersionFile {
    schema_version: u32,
    coroner_version: String,
}

/// The state of an index on disk, as far as the caller needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum IndexStatus {
    /// Usable, and it holds what the caller expects.
    Ready,
    /// There was no index.
    Missing,
    /// Files are unreadable or damaged.
    Corrupt { reason: String },
    /// Built by another schema version, or out of step with the database.
    Stale { reason: String },
}

impl IndexStatus {
    pub fn needs_rebuild(&self) -> bool {
        *self != IndexStatus::Ready
    }

    /// One line for logs and the terminal.
    pub fn message(&self) -> String {
        match self {
            IndexStatus::Ready => "search index is up to date".into(),
            IndexStatus::Missing => "no search index yet; building it".into(),
            IndexStatus::Corrupt { reason } => {
                format!("search index is damaged ({reason}); rebuilding it from the database")
            }
            IndexStatus::Stale { reason } => {
                format!("search index is out of date ({reason}); rebuilding it from the database")
            }
        }
    }
}

pub(crate) fn io_err(path: &Path) -> impl Fn(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Record the schema version (atomically: write, then rename).
pub(crate) fn write_version(dir: &Path) -> Result<(), SearchError> {
    let body = serde_json::to_string_pretty(&VersionFile {
        schema_version: SCHEMA_VERSION,
        coroner_version: env!("CARGO_PKG_VERSION").into(),
    })
    .map_err(|e| io_err(dir)(e.into()))?;
    let tmp = dir.join(format!("{VERSION_FILE}.tmp"));
    std::fs::write(&tmp, body).map_err(io_err(&tmp))?;
    let path = dir.join(VERSION_FILE);
    std::fs::rename(&tmp, &path).map_err(io_err(&path))
}

/// The schema version recorded beside the index, if readable.
fn read_version(dir: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(dir.join(VERSION_FILE)).ok()?;
    serde_json::from_str::<VersionFile>(&text)
        .ok()
        .map(|v| v.schema_version)
}

/// Whether `dir` holds an index at all (tantivy's `meta.json`).
pub(crate) fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Inspect the files in `dir` without opening a writer. `Ok(index)` when usable.
pub(crate) fn inspect(dir: &Path) -> Result<Index, IndexStatus> {
    if !exists(dir) {
        return Err(IndexStatus::Missing);
    }
    match read_version(dir) {
        Some(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(IndexStatus::Stale {
                reason: format!("schema version {v}, expected {SCHEMA_VERSION}"),
            });
        }
        None => {
            return Err(IndexStatus::Stale {
                reason: format!("no readable {VERSION_FILE}"),
            });
        }
    }
    let corrupt = |reason: String| IndexStatus::Corrupt { reason };
    let directory = IndexDirectory::open(dir).map_err(|e| corrupt(e.to_string()))?;
    let index = Index::open(directory).map_err(|e| corrupt(e.to_string()))?;
    if index.schema() != schema::build().0 {
        return Err(IndexStatus::Stale {
            reason: "the index schema differs from this version's".into(),
        });
    }
    Ok(index)
}

/// Check every segment file's checksum (reads the whole index).
pub(crate) fn validate_files(index: &Index) -> Result<(), IndexStatus> {
    let damaged = index
        .validate_checksum()
        .map_err(|e| IndexStatus::Corrupt {
            reason: e.to_string(),
        })?;
    if damaged.is_empty() {
        return Ok(());
    }
    let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
    names.sort();
    Err(IndexStatus::Corrupt {
        reason: format!("damaged files: {}", names.join(", ")),
    })
}

/// Remove an index's files from `dir`, refusing when `dir` holds other things.
pub(crate) fn wipe(dir: &Path) -> Result<(), SearchError> {
    if !dir.exists() {
        return Ok(());
    }
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io_err(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    let ours = exists(dir) || dir.join(VERSION_FILE).is_file();
    if !ours && !entries.is_empty() {
        return Err(SearchError::NotAnIndex {
            path: dir.to_path_buf(),
        });
    }
    for path in entries {
        let result = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        result.map_err(io_err(&path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_round_trips_and_wipe_refuses_foreign_dirs() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_version(dir.path()), None);
        write_version(dir.path()).unwrap();
        assert_eq!(read_version(dir.path()), Some(SCHEMA_VERSION));
        wipe(dir.path()).unwrap();
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());

        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            wipe(dir.path()),
            Err(SearchError::NotAnIndex { .. })
        ));
        assert!(dir.path().join("notes.txt").exists());
    }

    #[test]
    fn statuses_explain_themselves() {
        assert!(!IndexStatus::Ready.needs_rebuild());
        let s = IndexStatus::Stale {
            reason: "3 incidents indexed, 5 in the database".into(),
        };
        assert!(s.needs_rebuild());
        assert!(s.message().contains("3 incidents indexed"));
    }
}
