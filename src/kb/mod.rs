//! The knowledge base: the store (source of truth) and the search index derived
//! from it, kept in step. Every write that the index reflects — ingest, action
//! item changes — goes through here, for the CLI and the web app alike.
//!
//! ```no_run
//! # async fn demo(config: &coroner::config::Config) -> Result<(), coroner::kb::KbError> {
//! use coroner::ingest::IngestOptions;
//! use coroner::kb::KnowledgeBase;
//! let (kb, found) = KnowledgeBase::open(config).await?;
//! if found.needs_rebuild() { eprintln!("{}", found.message()); }
//! let summary = kb.ingest(&[config.incidents_dir.clone()], &IngestOptions::for_config(config)).await?;
//! println!("{summary}");
//! # Ok(()) }
//! ```

mod docs;
mod duplicates;
mod error;
mod sync;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::KbError;

use crate::config::Config;
use crate::ingest::{self, IngestOptions, IngestSummary};
use crate::search::{IndexStatus, SearchIndex};
use crate::store::{ActionChanges, ActionRecord, Store};

/// Above this many changed incidents in one ingest, the near-duplicate check is
/// left to [`KnowledgeBase::refresh_duplicates`] (`coroner reindex --duplicates`).
pub const DUPLICATE_CHECK_LIMIT: usize = 2000;

/// The store and its search index. Cheap to share: wrap it in an `Arc`.
#[derive(Debug)]
pub struct KnowledgeBase {
    store: Store,
    index: Arc<SearchIndex>,
}

impl KnowledgeBase {
    /// Connect the configured database and open the index in `<data_dir>/index`.
    /// A missing, damaged or stale index is rebuilt from the database; the
    /// returned status says what was found (log [`IndexStatus::message`]).
    pub async fn open(config: &Config) -> Result<(KnowledgeBase, IndexStatus), KbError> {
        let store = Store::connect(&config.database_url()).await?;
        Self::with_store(store, &SearchIndex::dir_in(&config.data_dir)).await
    }

    /// [`open`](Self::open) over a store already connected.
    pub async fn with_store(
        store: Store,
        index_dir: &Path,
    ) -> Result<(KnowledgeBase, IndexStatus), KbError> {
        let dir = index_dir.to_path_buf();
        let index = tokio::task::spawn_blocking(move || SearchIndex::open(&dir)).await??;
        let kb = KnowledgeBase {
            store,
            index: Arc::new(index),
        };
        let status = kb.check().await?;
        if status.needs_rebuild() {
            kb.reindex().await?;
        }
        Ok((kb, status))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// A handle on the index for blocking work (`spawn_blocking`).
    pub fn index_handle(&self) -> Arc<SearchIndex> {
        Arc::clone(&self.index)
    }

    /// Whether the index holds what the database does (see [`SearchIndex::check`]).
    pub async fn check(&self) -> Result<IndexStatus, KbError> {
        let (incidents, actions) = self.store.index_counts().await?;
        let index = self.index_handle();
        Ok(tokio::task::spawn_blocking(move || index.check(incidents, actions)).await?)
    }

    /// Rebuild the index from the database. Returns the incidents and action
    /// items indexed.
    pub async fn reindex(&self) -> Result<(u64, u64), KbError> {
        sync::rebuild(&self.store, &self.index).await
    }

    /// Ingest files and folders into the store (see [`ingest::ingest_paths`]),
    /// then bring the index in step and refresh near-duplicate findings.
    pub async fn ingest(
        &self,
        paths: &[PathBuf],
        opts: &IngestOptions,
    ) -> Result<IngestSummary, KbError> {
        // Stored documents are indexed as they come, on a thread of their own.
        let (to_index, stored) = tokio::sync::mpsc::channel(2);
        let indexer = {
            let index = self.index_handle();
            tokio::task::spawn_blocking(move || sync::index_stored(&index, stored))
        };
        let ingested = ingest::ingest_paths_to(&self.store, paths, opts, Some(&to_index)).await;
        drop(to_index);
        let indexed = indexer.await?;
        let mut summary = ingested?;
        indexed?;
        let changed: Vec<&str> = summary.changed().collect();
        let archived: Vec<&str> = summary.archived.iter().map(String::as_str).collect();
        if !changed.is_empty() || !archived.is_empty() {
            sync::finish(&self.index, &archived).await?;
        }
        let touched: Vec<&str> = changed.iter().chain(&archived).copied().collect();
        if touched.len() > DUPLICATE_CHECK_LIMIT {
            // A bulk import: the check costs a few ms per incident; run it apart.
            summary.duplicates_skipped = touched.len();
        } else {
            let flagged = duplicates::refresh(&self.store, &self.index, &touched).await?;
            summary.duplicates_flagged = flagged;
        }
        Ok(summary)
    }

    /// Check every active incident for near-duplicates (after a bulk import, when
    /// [`ingest`](Self::ingest) skipped the check). Returns the slugs whose
    /// findings changed.
    pub async fn refresh_duplicates(&self) -> Result<Vec<String>, KbError> {
        let mut slugs = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self.store.index_slugs(after.as_deref(), 1000).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.clone());
            slugs.extend(page);
        }
        let slugs: Vec<&str> = slugs.iter().map(String::as_str).collect();
        duplicates::refresh(&self.store, &self.index, &slugs).await
    }

    /// Change an action item's tracking state (see [`Store::update_action`]);
    /// the index reflects it before this returns.
    pub async fn update_action(
        &self,
        id: i64,
        changes: &ActionChanges,
        expected_version: Option<i64>,
        who: &str,
        note: Option<&str>,
    ) -> Result<ActionRecord, KbError> {
        let record = self
            .store
            .update_action(id, changes, expected_version, who, note)
            .await?;
        sync::apply(&self.store, &self.index, &[record.incident.as_str()], &[]).await?;
        Ok(record)
    }
}

#[cfg(test)]
mod tests;
