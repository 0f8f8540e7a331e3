//! `coroner ingest`: walk files and folders, analyze the post-mortems that
//! changed (on every core, a bounded batch ahead), and store them a batch per
//! transaction, in file order; archive the incidents whose file disappeared
//! from an ingested folder.
//!
//! ```no_run
//! # async fn demo(store: &coroner::store::Store) -> Result<(), coroner::store::StoreError> {
//! use coroner::ingest::{ingest_paths, IngestOptions};
//! let summary = ingest_paths(store, &["incidents".into()], &IngestOptions::default()).await?;
//! println!("{summary}");
//! for slug in summary.changed() { /* reindex */ }
//! # Ok(()) }
//! ```

mod batch;
mod prepare;
pub mod progress;
mod signature;
mod slug;
mod summary;
mod walk;

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::AnalyzeOptions;
use crate::store::{IncidentStatus, Store, StoreError};
pub use batch::StoredDoc;
pub use prepare::content_hash;
use prepare::{Prepared, Stored};
pub use progress::{FileEvent, Progress};
pub use slug::{slug_for_path, slugify};
pub use summary::{IngestFailure, IngestSummary};
use walk::File;

/// Files read and analyzed together, then stored in one transaction.
const BATCH: usize = 256;
/// Batches analyzed ahead of the one being stored (bounds memory).
const AHEAD: usize = 2;

/// Names the analysis that produced a stored document. A stored file whose
/// analyzer differs is analyzed again even when its text did not change; use
/// [`IngestOptions::force`] to redo every file regardless.
pub static ANALYZER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "coroner-{}/analysis-{}",
        env!("CARGO_PKG_VERSION"),
        crate::pipeline::ANALYSIS_VERSION
    )
});

/// How to ingest.
#[derive(Clone)]
pub struct IngestOptions {
    pub analyze: AnalyzeOptions,
    /// Who the action items' history names for changes made by ingest.
    pub who: String,
    /// Analyze and store every file even when unchanged.
    pub force: bool,
    /// Archive incidents whose file is gone from an ingested folder (default true).
    pub archive_missing: bool,
    pub progress: Arc<dyn Progress>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            analyze: AnalyzeOptions::default(),
            who: "ingest".into(),
            force: false,
            archive_missing: true,
            progress: Arc::new(progress::Silent),
        }
    }
}

impl IngestOptions {
    /// The defaults, with the configured zone for documents that declare none.
    pub fn for_config(config: &crate::config::Config) -> IngestOptions {
        let mut opts = IngestOptions::default();
        opts.analyze.timeline.default_zone = config.timeline.default_timezone.clone();
        opts
    }
}

impl fmt::Debug for IngestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IngestOptions")
            .field("analyze", &self.analyze)
            .field("who", &self.who)
            .field("force", &self.force)
            .field("archive_missing", &self.archive_missing)
            .finish_non_exhaustive()
    }
}

/// Ingest files and folders (recursively): new and changed files are analyzed
/// and stored, a batch per transaction; unchanged ones are skipped by their
/// signature (size and times, no read) or content hash; a failing file is
/// reported and the others go on.
pub async fn ingest_paths(
    store: &Store,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<IngestSummary, StoreError> {
    ingest_paths_to(store, paths, opts, None).await
}

/// [`ingest_paths`], also sending every created, updated or restored document
/// to `stored`, a batch at a time in file order (e.g. to index it). A closed
/// channel stops nothing.
pub async fn ingest_paths_to(
    store: &Store,
    paths: &[PathBuf],
    opts: &IngestOptions,
    stored_to: Option<&mpsc::Sender<Vec<StoredDoc>>>,
) -> Result<IngestSummary, StoreError> {
    let mut summary = IngestSummary::default();
    // The folders are listed while the database says what it holds.
    let walking = {
        let paths = paths.to_vec();
        tokio::task::spawn_blocking(move || walk::walk(&paths))
    };
    let stored = Arc::new(stored_sources(store).await?);
    let walk::Walked {
        files,
        folders,
        failed,
    } = walking
        .await
        .map_err(|e| StoreError::Database(format!("listing the files failed: {e}")))?;
    summary.failed = failed;
    opts.progress.start(files.len() + summary.failed.len());
    for failure in &summary.failed {
        opts.progress
            .file(Path::new(&failure.path), FileEvent::Failed(failure));
    }

    let mut seen = Seen::default();
    // Pipeline: up to AHEAD batches are read and analyzed (on every core) while
    // the current one is written; batches are stored in file order.
    let mut queue = files.into_iter().peekable();
    let mut jobs = VecDeque::new();
    let ctx = batch::Ctx {
        store,
        opts,
        stored_to,
    };
    loop {
        while jobs.len() <= AHEAD && queue.peek().is_some() {
            let chunk: Vec<File> = queue.by_ref().take(BATCH).collect();
            jobs.push_back(spawn_prepare(chunk, &stored, opts));
        }
        let Some(job) = jobs.pop_front() else { break };
        let prepared = job
            .await
            .map_err(|e| StoreError::Database(format!("ingest worker failed: {e}")))?;
        batch::store(&ctx, prepared, &mut summary, &mut seen).await;
    }
    if opts.archive_missing {
        archive_missing(store, &folders, &stored, &seen, opts, &mut summary).await?;
    }
    opts.progress.finish(&summary);
    Ok(summary)
}

/// What the database holds, by canonical path.
async fn stored_sources(store: &Store) -> Result<HashMap<String, Stored>, StoreError> {
    let sources = store.sources().await?;
    Ok(sources
        .into_iter()
        .map(|s| {
            let active = s.status == IncidentStatus::Active;
            let stored = Stored {
                slug: s.slug,
                hash: s.content_hash,
                analyzer: s.analyzer,
                active,
                signature: s.source_signature,
            };
            (s.source_path, stored)
        })
        .collect())
}

/// The files and slugs this run met (stored, unchanged or failed).
#[derive(Default)]
pub(crate) struct Seen {
    paths: HashSet<String>,
    slugs: HashSet<String>,
}

/// One file of a batch, read and (when needed) analyzed.
pub(crate) type PreparedFile = (File, Result<Prepared, IngestFailure>);

type Job = tokio::task::JoinHandle<Vec<PreparedFile>>;

/// Read and analyze a batch on the rayon pool; results keep the files' order.
fn spawn_prepare(
    files: Vec<File>,
    stored: &Arc<HashMap<String, Stored>>,
    opts: &IngestOptions,
) -> Job {
    use rayon::prelude::*;
    let stored = Arc::clone(stored);
    let analyze = opts.analyze.clone();
    let force = opts.force;
    tokio::task::spawn_blocking(move || {
        files
            .into_par_iter()
            .map(|file| {
                let prepared = prepare::prepare(
                    &file.path,
                    &file.canonical,
                    |p| stored.get(p).cloned(),
                    &ANALYZER,
                    force,
                    &analyze,
                );
                (file, prepared)
            })
            .collect()
    })
}

/// Archive active incidents stored under an ingested folder whose file was not
/// found in it this time (a file that failed to read still counts as found).
async fn archive_missing(
    store: &Store,
    folders: &[PathBuf],
    stored: &HashMap<String, Stored>,
    seen: &Seen,
    opts: &IngestOptions,
    summary: &mut IngestSummary,
) -> Result<(), StoreError> {
    let mut gone: Vec<(&String, &Stored)> = stored
        .iter()
        .filter(|(path, s)| {
            s.active && !seen.paths.contains(*path) && !seen.slugs.contains(&s.slug)
        })
        .filter(|(path, _)| folders.iter().any(|f| Path::new(path).starts_with(f)))
        .filter(|(path, _)| !Path::new(path).exists())
        .collect();
    gone.sort_by(|a, b| a.0.cmp(b.0));
    for (_, s) in gone {
        if store.archive_incident(&s.slug).await? {
            opts.progress.archived(&s.slug);
            summary.archived.push(s.slug.clone());
        }
    }
    Ok(())
}
