//! `coroner ingest`: walk files and folders, analyze each post-mortem that
//! changed, and store it in its own transaction; archive the incidents whose
//! file disappeared from an ingested folder.
//!
//! ```no_run
//! # async fn demo(store: &coroner::store::Store) -> Result<(), coroner::store::StoreError> {
//! use coroner::ingest::{ingest_paths, IngestOptions};
//! let summary = ingest_paths(store, &["incidents".into()], &IngestOptions::default()).await?;
//! println!("{summary}");
//! for slug in summary.changed() { /* reindex */ }
//! # Ok(()) }
//! ```

mod prepare;
pub mod progress;
mod slug;
mod summary;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::AnalyzeOptions;
use crate::input;
use crate::store::{IncidentStatus, NewIncident, SaveOutcome, Saved, Store, StoreError};
pub use prepare::content_hash;
use prepare::{Prepared, Stored};
pub use progress::{FileEvent, Progress};
pub use slug::{slug_for_path, slugify};
pub use summary::{IngestFailure, IngestSummary};

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
/// and stored, one transaction each; unchanged ones are skipped by content
/// hash; a failing file is reported and the others go on.
pub async fn ingest_paths(
    store: &Store,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<IngestSummary, StoreError> {
    let mut summary = IngestSummary::default();
    let (files, folders) = walk(paths, &mut summary);
    let stored = Arc::new(stored_sources(store).await?);
    opts.progress.start(files.len() + summary.failed.len());
    for failure in &summary.failed {
        opts.progress
            .file(Path::new(&failure.path), FileEvent::Failed(failure));
    }

    let mut seen = Seen::default();
    // Pipeline: the next file is read and analyzed while this one is written.
    let mut queue = files.into_iter();
    let mut next = queue.next().map(|p| spawn_prepare(p, &stored, opts));
    while let Some(job) = next.take() {
        next = queue.next().map(|p| spawn_prepare(p, &stored, opts));
        let (path, prepared) = job
            .await
            .map_err(|e| StoreError::Database(format!("ingest worker failed: {e}")))?;
        seen.paths.insert(prepare::canonical(&path));
        if let Some(slug) = store_one(store, &path, prepared, opts, &mut summary).await {
            seen.slugs.insert(slug);
        }
    }
    if opts.archive_missing {
        archive_missing(store, &folders, &stored, &seen, opts, &mut summary).await?;
    }
    opts.progress.finish(&summary);
    Ok(summary)
}

/// The files to ingest (each once, in order) and the folders walked whole. A
/// folder that cannot be walked is a failure, and nothing under it is archived.
fn walk(paths: &[PathBuf], summary: &mut IngestSummary) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut files, mut folders, mut unique) = (Vec::new(), Vec::new(), HashSet::new());
    for path in paths {
        match input::collect_files(std::slice::from_ref(path)) {
            Ok(found) => {
                if path.is_dir() {
                    folders.push(PathBuf::from(prepare::canonical(path)));
                }
                files.extend(
                    found
                        .into_iter()
                        .filter(|f| unique.insert(prepare::canonical(f))),
                );
            }
            Err(err) => summary.failed.push(prepare::failure(err)),
        }
    }
    (files, folders)
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
            };
            (s.source_path, stored)
        })
        .collect())
}

/// The files and slugs this run met (stored, unchanged or failed).
#[derive(Default)]
struct Seen {
    paths: HashSet<String>,
    slugs: HashSet<String>,
}

type Job = tokio::task::JoinHandle<(PathBuf, Result<Prepared, IngestFailure>)>;

fn spawn_prepare(
    path: PathBuf,
    stored: &Arc<HashMap<String, Stored>>,
    opts: &IngestOptions,
) -> Job {
    let stored = Arc::clone(stored);
    let analyze = opts.analyze.clone();
    let force = opts.force;
    tokio::task::spawn_blocking(move || {
        let prepared = prepare::prepare(
            &path,
            |p| stored.get(p).cloned(),
            &ANALYZER,
            force,
            &analyze,
        );
        (path, prepared)
    })
}

/// Store one prepared file and record the outcome; returns its slug when known.
async fn store_one(
    store: &Store,
    path: &Path,
    prepared: Result<Prepared, IngestFailure>,
    opts: &IngestOptions,
    summary: &mut IngestSummary,
) -> Option<String> {
    let analyzed = match prepared {
        Ok(Prepared::Analyzed(a)) => a,
        Ok(Prepared::Unchanged { slug }) => {
            summary.unchanged += 1;
            opts.progress.file(path, FileEvent::Unchanged);
            return Some(slug);
        }
        Err(failure) => {
            opts.progress.file(path, FileEvent::Failed(&failure));
            summary.failed.push(failure);
            return None;
        }
    };
    let slug = slug_for_path(path);
    let new = NewIncident {
        source_path: &analyzed.canonical,
        slug: &slug,
        content_hash: &analyzed.hash,
        analyzer: &ANALYZER,
        raw: &analyzed.raw,
        document: &analyzed.document,
        who: &opts.who,
        force: opts.force,
    };
    match store.save_incident(&new).await {
        Ok(saved) => {
            tally(summary, path, &saved, opts);
            Some(saved.slug)
        }
        Err(err) => {
            let message = err.to_string();
            let failure = IngestFailure {
                path: path.display().to_string(),
                line: None,
                message,
            };
            opts.progress.file(path, FileEvent::Failed(&failure));
            summary.failed.push(failure);
            None
        }
    }
}

/// Count a stored file in the summary and tell the progress reporter.
fn tally(summary: &mut IngestSummary, path: &Path, saved: &Saved, opts: &IngestOptions) {
    summary.add_items(saved.items);
    let slug = &saved.slug;
    let (list, event) = match saved.outcome {
        SaveOutcome::Created => (Some(&mut summary.created), FileEvent::Created(slug)),
        SaveOutcome::Updated => (Some(&mut summary.updated), FileEvent::Updated(slug)),
        SaveOutcome::Restored => (Some(&mut summary.restored), FileEvent::Restored(slug)),
        SaveOutcome::Unchanged => (None, FileEvent::Unchanged),
    };
    match list {
        Some(list) => list.push(slug.clone()),
        None => summary.unchanged += 1,
    }
    opts.progress.file(path, event);
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
