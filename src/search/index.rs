//! [`SearchIndex`]: the tantivy index in `<data_dir>/index`, opened once per
//! process. One reader (its searchers are cheap snapshots) serves every request;
//! the writer is created on first write and kept behind a mutex.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use tantivy::collector::Count;
use tantivy::directory::error::LockError;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{
    Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher, TantivyError, Term,
};

use super::directory::IndexDirectory;
use super::error::SearchError;
use super::facets::FacetTables;
use super::health::{self, IndexStatus, io_err};
use super::query::Kind;
use super::schema::{self, Fields};
use super::similar::SimilarIncident;
use super::writer_options::{MERGE_MAX_DOCS, merge_policy, writer_options};
use super::{SEARCH_INDEX_DIR, analysis};

/// Threads one search may use at most (one per segment, up to this).
const SEARCH_THREADS: usize = 4;

/// The search index. `Send + Sync`: share it (in an `Arc`) between handlers.
pub struct SearchIndex {
    pub(crate) dir: PathBuf,
    pub(crate) index: Index,
    pub(crate) fields: Fields,
    reader: IndexReader,
    writer: Mutex<Option<IndexWriter>>,
    /// What `open` found, reported by `check` until the next rebuild.
    found: Mutex<IndexStatus>,
    /// Similar incidents by (slug, limit), valid until the next commit: an
    /// incident page asks for them on every view, and they cost milliseconds.
    pub(crate) similar_cache: Mutex<HashMap<(String, usize), Vec<SimilarIncident>>>,
    /// Decoded facet columns of the segments searched (`facets`).
    pub(crate) facet_tables: FacetTables,
}

/// Entries kept in the similar-incidents cache before it starts afresh.
pub(crate) const SIMILAR_CACHE_MAX: usize = 4096;

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

impl SearchIndex {
    /// The index directory inside a data directory.
    pub fn dir_in(data_dir: &Path) -> PathBuf {
        data_dir.join(SEARCH_INDEX_DIR)
    }

    /// Open the index in `dir`, creating it when missing. A damaged index or one
    /// built by another schema version is replaced by an empty one; [`check`]
    /// then says why, so the caller rebuilds it and tells the user.
    ///
    /// [`check`]: SearchIndex::check
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        match health::inspect(dir) {
            Ok(index) => match Self::from_index(dir, index, IndexStatus::Ready) {
                Ok(opened) => Ok(opened),
                Err(SearchError::Index(e)) => Self::recreate(
                    dir,
                    IndexStatus::Corrupt {
                        reason: e.to_string(),
                    },
                ),
                Err(e) => Err(e),
            },
            Err(status) => Self::recreate(dir, status),
        }
    }

    /// Open an existing index for searching only; never creates nor replaces one.
    /// Errors say what to run (`coroner ingest`, `coroner reindex`).
    pub fn open_existing(dir: &Path) -> Result<SearchIndex, SearchError> {
        let path = dir.to_path_buf();
        match health::inspect(dir) {
            Ok(index) => Self::from_index(dir, index, IndexStatus::Ready).map_err(|e| match e {
                SearchError::Index(e) => SearchError::Corrupt {
                    path,
                    reason: e.to_string(),
                },
                other => other,
            }),
            Err(IndexStatus::Missing) => Err(SearchError::NotFound { path }),
            Err(IndexStatus::Corrupt { reason }) => Err(SearchError::Corrupt { path, reason }),
            Err(IndexStatus::Stale { reason }) => Err(SearchError::Corrupt { path, reason }),
            Err(IndexStatus::Ready) => Err(SearchError::NotFound { path }),
        }
    }

    /// Replace whatever is in `dir` by a new, empty index.
    fn recreate(dir: &Path, found: IndexStatus) -> Result<SearchIndex, SearchError> {
        health::wipe(dir)?;
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let directory = IndexDirectory::open(dir).map_err(TantivyError::from)?;
        let index = Index::create(directory, schema::build().0, IndexSettings::default())?;
        health::write_version(dir)?;
        Self::from_index(dir, index, found)
    }

    fn from_index(
        dir: &Path,
        mut index: Index,
        found: IndexStatus,
    ) -> Result<SearchIndex, SearchError> {
        analysis::register(index.tokenizers());
        // A search visits the index's segments on every core: one query at
        // 100k incidents takes about half the time on two.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores > 1 {
            index.set_multithread_executor(cores.min(SEARCH_THREADS))?;
        }
        let fields = Fields::from_schema(&index.schema())?;
        // Manual reloads: `commit` reloads, so a change is visible to the next search.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            index,
            fields,
            reader,
            writer: Mutex::new(None),
            found: Mutex::new(found),
            similar_cache: Mutex::new(HashMap::new()),
            facet_tables: FacetTables::default(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A snapshot of the index as of the last commit (cheap; no files opened).
    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Make the last commit visible, and forget what was computed before it.
    pub(crate) fn reload(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        self.facet_tables.keep_only(&self.reader.searcher());
        self.similar_cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        Ok(())
    }

    /// Number of incidents and action items in the index.
    pub fn counts(&self) -> Result<(u64, u64), SearchError> {
        let searcher = self.searcher();
        let count = |kind: Kind| -> Result<u64, SearchError> {
            let term = Term::from_field_text(self.fields.kind, kind.as_str());
            let n = searcher.search(&TermQuery::new(term, IndexRecordOption::Basic), &Count)?;
            Ok(n as u64)
        };
        Ok((count(Kind::Incident)?, count(Kind::Action)?))
    }

    /// Whether the index can serve the database's content: what `open` found
    /// (missing, damaged, other schema), then document counts. Cheap (no file is
    /// read whole), so it runs at every start: opening the reader already opened
    /// every segment file, and tantivy fails on missing or truncated ones.
    /// [`verify`](Self::verify) also checks every file's checksum.
    pub fn check(&self, expected_incidents: u64, expected_actions: u64) -> IndexStatus {
        let found = self.lock_found().clone();
        if found.needs_rebuild() {
            return found;
        }
        match self.counts() {
            Err(e) => IndexStatus::Corrupt {
                reason: e.to_string(),
            },
            Ok((i, a)) if (i, a) != (expected_incidents, expected_actions) => IndexStatus::Stale {
                reason: format!(
                    "{i} incidents and {a} action items indexed, \
                     {expected_incidents} and {expected_actions} in the database"
                ),
            },
            Ok(_) => IndexStatus::Ready,
        }
    }

    /// [`check`](Self::check), and every segment file's checksum (reads the
    /// whole index: for `coroner reindex --check`, not for every start).
    pub fn verify(&self, expected_incidents: u64, expected_actions: u64) -> IndexStatus {
        let found = self.lock_found().clone();
        if found.needs_rebuild() {
            return found;
        }
        if let Err(status) = health::validate_files(&self.index) {
            return status;
        }
        self.check(expected_incidents, expected_actions)
    }

    fn lock_found(&self) -> MutexGuard<'_, IndexStatus> {
        // A panic while holding this lock cannot leave the status half-written.
        self.found.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn mark_ready(&self) {
        *self.lock_found() = IndexStatus::Ready;
    }

    /// A writer with our memory settings and merge policy (`writer_options`).
    fn new_writer(&self) -> Result<IndexWriter, SearchError> {
        let writer = self
            .index
            .writer_with_options(writer_options())
            .map_err(|e| match e {
                TantivyError::LockFailure(LockError::LockBusy, _) => SearchError::Locked {
                    path: self.dir.clone(),
                },
                other => SearchError::Index(other),
            })?;
        writer.set_merge_policy(Box::new(merge_policy(MERGE_MAX_DOCS)));
        Ok(writer)
    }

    /// Run `f` with the writer, creating it on first use.
    pub(crate) fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter, &Fields) -> Result<T, SearchError>,
    ) -> Result<T, SearchError> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let writer = match guard.take() {
            Some(writer) => writer,
            None => self.new_writer()?,
        };
        let writer = guard.insert(writer);
        let result = f(writer, &self.fields);
        if result.is_err() {
            // A failed write may leave the writer unusable: drop it (pending
            // changes are lost; the database is the source of truth) and start
            // afresh next time.
            *guard = None;
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn is_send_and_sync() {
        assert_send_sync::<SearchIndex>();
    }

    #[test]
    fn the_writer_merges_by_our_policy() {
        let dir = tempfile::tempdir().unwrap();
        let idx = SearchIndex::open(&dir.path().join("index")).unwrap();
        let policy = idx
            .with_writer(|w, _| Ok(format!("{:?}", w.get_merge_policy())))
            .unwrap();
        assert!(policy.contains("min_num_segments: 4"), "{policy}");
        assert!(policy.contains("max_docs_before_merge: 50000"), "{policy}");
    }

    #[test]
    fn open_creates_then_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        assert!(matches!(
            SearchIndex::open_existing(&path),
            Err(SearchError::NotFound { .. })
        ));
        let idx = SearchIndex::open(&path).unwrap();
        assert_eq!(idx.check(0, 0), IndexStatus::Missing);
        drop(idx);
        let idx = SearchIndex::open(&path).unwrap();
        assert_eq!(idx.check(0, 0), IndexStatus::Ready);
        assert!(matches!(idx.check(2, 0), IndexStatus::Stale { .. }));
    }
}
