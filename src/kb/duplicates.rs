//! Near-duplicate post-mortems flagged on ingest: `duplicate/near-duplicate`
//! findings, kept on both incidents of a pair and refreshed when either changes.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::KbError;
use crate::checks::rules::Rule;
use crate::model::Finding;
use crate::search::{SearchError, SearchIndex, ShingleMemo};
use crate::store::Store;

/// Recompute the near-duplicate findings of the `changed` incidents, of the
/// incidents they duplicate, and of those whose findings named one of them.
/// Returns the slugs whose findings changed.
pub(crate) async fn refresh(
    store: &Store,
    index: &Arc<SearchIndex>,
    changed: &[&str],
) -> Result<Vec<String>, KbError> {
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    let rule = Rule::NearDuplicate.code();
    let mut todo: BTreeSet<String> = changed.iter().map(|s| s.to_string()).collect();
    for record in store.findings(Some(rule)).await? {
        if changed
            .iter()
            .any(|c| record.message.contains(&format!("`{c}`")))
        {
            todo.insert(record.incident);
        }
    }
    let index = Arc::clone(index);
    let found = tokio::task::spawn_blocking(move || compute(&index, todo)).await??;
    let mut updated = Vec::new();
    for (slug, findings) in found {
        if store.set_derived_findings(&slug, rule, &findings).await? {
            updated.push(slug);
        }
    }
    Ok(updated)
}

/// Findings for every slug in `todo` and for the duplicates they name.
fn compute(
    index: &SearchIndex,
    mut todo: BTreeSet<String>,
) -> Result<Vec<(String, Vec<Finding>)>, SearchError> {
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    let mut memo = ShingleMemo::default();
    while let Some(slug) = todo.pop_first() {
        let duplicates = match index.near_duplicates_with(&slug, &mut memo) {
            Ok(d) => d,
            // Archived or never indexed: nothing to flag.
            Err(SearchError::UnknownIncident { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        for d in &duplicates {
            if !done.contains(&d.slug) && d.slug != slug {
                todo.insert(d.slug.clone());
            }
        }
        out.push((
            slug.clone(),
            SearchIndex::near_duplicate_findings_of(&duplicates),
        ));
        done.insert(slug);
    }
    Ok(out)
}
