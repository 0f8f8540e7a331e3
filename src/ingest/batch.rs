//! Storing one batch of prepared files: the analyzed ones in one transaction
//! (the store falls back to one per file when any fails), then the outcome of
//! every file recorded in file order, and the stored documents passed on.

use std::path::Path;

use tokio::sync::mpsc;

use super::prepare::{Analyzed, Prepared};
use super::{ANALYZER, IngestOptions, PreparedFile, Seen, slug_for_path};
use super::{FileEvent, IngestFailure, IngestSummary};
use crate::model::Document;
use crate::store::{NewIncident, SaveOutcome, Saved, Store, StoreError, TrackedItem};

/// A document ingest just stored (created, updated or restored), with what an
/// index needs from the store: its slug and its action items' tracking state.
#[derive(Debug, Clone)]
pub struct StoredDoc {
    pub slug: String,
    pub document: Document,
    pub raw: String,
    /// One per `document.action_items`, in the same order.
    pub tracked: Vec<TrackedItem>,
    /// New to the store: an index in step with it holds nothing for this slug.
    pub created: bool,
}

/// Where a batch goes.
pub(crate) struct Ctx<'a> {
    pub store: &'a Store,
    pub opts: &'a IngestOptions,
    pub stored_to: Option<&'a mpsc::Sender<Vec<StoredDoc>>>,
}

/// What became of one file before the summary hears of it.
enum Outcome {
    /// The slug, and whether the file was read.
    Unchanged(String, bool),
    Failed(IngestFailure),
    Saved(Box<Analyzed>, String),
}

/// Store the analyzed files of `batch`, and record every file's outcome.
pub(crate) async fn store(
    ctx: &Ctx<'_>,
    batch: Vec<PreparedFile>,
    summary: &mut IngestSummary,
    seen: &mut Seen,
) {
    let mut files = Vec::with_capacity(batch.len());
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut signatures = Vec::new();
    for (file, prepared) in batch {
        outcomes.push(match prepared {
            Ok(Prepared::Unchanged {
                slug,
                read,
                signature,
            }) => {
                if let Some(signature) = signature {
                    signatures.push((file.canonical.clone(), signature));
                }
                Outcome::Unchanged(slug, read)
            }
            Err(failure) => Outcome::Failed(failure),
            Ok(Prepared::Analyzed(a)) => Outcome::Saved(a, slug_for_path(&file.path)),
        });
        seen.paths.insert(file.canonical);
        files.push(file.path);
    }
    let results = save(ctx, &outcomes).await;
    if let Err(err) = ctx.store.record_signatures(&signatures).await {
        // Only a shortcut is lost: these files are read and hashed again next time.
        tracing::warn!("could not record the signatures of unchanged files: {err}");
    }
    let mut results = results.into_iter();
    let mut stored = Vec::new();
    for (path, outcome) in files.iter().zip(outcomes) {
        let slug = match outcome {
            Outcome::Unchanged(slug, read) => {
                summary.unchanged += 1;
                summary.unchanged_unread += usize::from(!read);
                ctx.opts.progress.file(path, FileEvent::Unchanged);
                Some(slug)
            }
            Outcome::Failed(failure) => {
                fail(ctx, summary, path, failure);
                None
            }
            Outcome::Saved(analyzed, _) => match results.next() {
                Some(Ok(saved)) => {
                    tally(summary, path, &saved, ctx.opts);
                    let slug = saved.slug.clone();
                    if saved.outcome != SaveOutcome::Unchanged {
                        stored.push(StoredDoc {
                            slug: saved.slug,
                            document: analyzed.document,
                            raw: analyzed.raw,
                            tracked: saved.tracked,
                            created: saved.outcome == SaveOutcome::Created,
                        });
                    }
                    Some(slug)
                }
                Some(Err(err)) => {
                    fail(ctx, summary, path, store_failure(path, &err));
                    None
                }
                None => {
                    let err = StoreError::Database("the store returned no result".into());
                    fail(ctx, summary, path, store_failure(path, &err));
                    None
                }
            },
        };
        if let Some(slug) = slug {
            seen.slugs.insert(slug);
        }
    }
    if let Some(to) = ctx.stored_to.filter(|_| !stored.is_empty()) {
        // The receiver may have stopped (its error is its owner's to report).
        let _ = to.send(stored).await;
    }
}

/// Save the analyzed files of a batch, in order; one result each.
async fn save(ctx: &Ctx<'_>, outcomes: &[Outcome]) -> Vec<Result<Saved, StoreError>> {
    let opts = ctx.opts;
    let news: Vec<NewIncident<'_>> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Saved(a, slug) => Some(NewIncident {
                source_path: &a.canonical,
                slug,
                content_hash: &a.hash,
                source_signature: a.signature.as_deref(),
                analyzer: &ANALYZER,
                raw: &a.raw,
                document: &a.document,
                who: &opts.who,
                force: opts.force,
            }),
            _ => None,
        })
        .collect();
    if news.is_empty() {
        return Vec::new();
    }
    ctx.store.save_incidents(&news).await
}

fn store_failure(path: &Path, err: &StoreError) -> IngestFailure {
    IngestFailure {
        path: path.display().to_string(),
        line: None,
        message: err.to_string(),
    }
}

fn fail(ctx: &Ctx<'_>, summary: &mut IngestSummary, path: &Path, failure: IngestFailure) {
    ctx.opts.progress.file(path, FileEvent::Failed(&failure));
    summary.failed.push(failure);
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
