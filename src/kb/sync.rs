//! Keeping the search index in step with the store: re-index the incidents an
//! ingest or an update changed, drop the archived ones, rebuild from scratch.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::KbError;
use super::docs::{index_docs, stored_docs};
use crate::ingest::StoredDoc;
use crate::search::{ActionDoc, IncidentDoc, SearchError, SearchIndex};
use crate::store::Store;

/// Incidents read from the database per batch.
const BATCH: usize = 256;

/// Re-index `changed` incidents (read back from the store, with their items'
/// tracking state) and remove `removed` ones; one commit at the end.
pub(crate) async fn apply(
    store: &Store,
    index: &Arc<SearchIndex>,
    changed: &[&str],
    removed: &[&str],
) -> Result<(), KbError> {
    if changed.is_empty() && removed.is_empty() {
        return Ok(());
    }
    for batch in changed.chunks(BATCH) {
        let sources = store.index_sources_for(batch).await?;
        // Slugs asked for but not active (archived meanwhile) leave the index.
        let gone: Vec<String> = batch
            .iter()
            .filter(|s| !sources.iter().any(|src| src.summary.slug == **s))
            .map(|s| s.to_string())
            .collect();
        let index = Arc::clone(index);
        tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
            for source in &sources {
                let (incident, actions) = index_docs(source);
                index.replace_incident(&incident, &actions)?;
            }
            gone.iter().try_for_each(|slug| index.remove_incident(slug))
        })
        .await??;
    }
    finish(index, removed).await
}

/// Index the documents an ingest sends as it stores them (nothing committed:
/// [`finish`] commits). Runs on a blocking thread; the first error stops it
/// (the ingest goes on; the error is returned when the channel closes).
pub(crate) fn index_stored(
    index: &SearchIndex,
    mut stored: mpsc::Receiver<Vec<StoredDoc>>,
) -> Result<(), SearchError> {
    while let Some(batch) = stored.blocking_recv() {
        for doc in &batch {
            let (incident, actions) = stored_docs(doc);
            // Nothing to replace for a new incident: no deletes to queue (each
            // costs memory until the commit, and work at it).
            if doc.created {
                index.add_incident(&incident, &actions)?;
            } else {
                index.replace_incident(&incident, &actions)?;
            }
        }
    }
    Ok(())
}

/// After [`index_stored`]: drop the `removed` incidents and commit.
pub(crate) async fn finish(index: &Arc<SearchIndex>, removed: &[&str]) -> Result<(), KbError> {
    let index = Arc::clone(index);
    let removed: Vec<String> = removed.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
        removed
            .iter()
            .try_for_each(|slug| index.remove_incident(slug))?;
        index.commit()
    })
    .await??;
    Ok(())
}

type Group = Result<(IncidentDoc, Vec<ActionDoc>), SearchError>;

/// Rebuild the whole index from the database, streaming batches to the writer.
/// A database error abandons the rebuild and leaves the previous index.
pub(crate) async fn rebuild(
    store: &Store,
    index: &Arc<SearchIndex>,
) -> Result<(u64, u64), KbError> {
    let (tx, mut rx) = mpsc::channel::<Vec<Group>>(4);
    let writer = {
        let index = Arc::clone(index);
        tokio::task::spawn_blocking(move || {
            let groups = std::iter::from_fn(move || rx.blocking_recv()).flatten();
            index.rebuild_grouped(groups)
        })
    };
    let mut after: Option<String> = None;
    let mut failure = None;
    loop {
        let page = match store.index_sources(after.as_deref(), BATCH as i64).await {
            Ok(page) => page,
            Err(err) => {
                let reason = err.to_string();
                failure = Some(err);
                let _ = tx.send(vec![Err(SearchError::Interrupted(reason))]).await;
                break;
            }
        };
        let Some(last) = page.last() else { break };
        after = Some(last.summary.slug.clone());
        let groups = page.iter().map(|s| Ok(index_docs(s))).collect();
        if tx.send(groups).await.is_err() {
            break; // the writer stopped: its error is returned below
        }
    }
    drop(tx);
    let counts = writer.await?;
    match failure {
        Some(err) => Err(err.into()),
        None => Ok(counts?),
    }
}
