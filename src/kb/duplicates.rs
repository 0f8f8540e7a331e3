//! Near-duplicate post-mortems flagged on ingest: `duplicate/near-duplicate`
//! findings, kept on both incidents of a pair and refreshed when either changes.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::KbError;
use crate::checks::rules::Rule;
use crate::model::Finding;
use crate::search::{DuplicateMemo, SearchError, SearchIndex, SimilarIncident};
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

/// Findings for every slug in `todo` and for the duplicates they name. The
/// checks are independent: each round checks what is to do on every core
/// (each thread with its own memory of the texts it read), and the next
/// round the duplicates found that were not checked yet.
fn compute(
    index: &SearchIndex,
    mut todo: BTreeSet<String>,
) -> Result<Vec<(String, Vec<Finding>)>, SearchError> {
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    while !todo.is_empty() {
        let round: Vec<String> = std::mem::take(&mut todo).into_iter().collect();
        for (slug, found) in check_on_every_core(index, round) {
            let duplicates = match found {
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
        todo.retain(|slug| !done.contains(slug));
    }
    Ok(out)
}

/// Threads for the checks at most: each keeps its own memory of texts (up to
/// about 20 MB), and the index searches on every core anyway.
const MAX_THREADS: usize = 4;

/// `near_duplicates` of each slug, in order, on one thread per core. Plain
/// threads, not rayon's pool: a search waits for the index's own pool, and a
/// rayon worker waiting on another pool runs more of its own work meanwhile,
/// nesting checks on one stack.
fn check_on_every_core(
    index: &SearchIndex,
    slugs: Vec<String>,
) -> Vec<(String, Result<Vec<SimilarIncident>, SearchError>)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS);
    let per_thread = slugs.len().div_ceil(threads).max(1);
    let check = |part: &[String]| -> Vec<(String, Result<_, SearchError>)> {
        let mut memo = DuplicateMemo::default();
        part.iter()
            .map(|slug| (slug.clone(), index.near_duplicates_with(slug, &mut memo)))
            .collect()
    };
    std::thread::scope(|scope| {
        let parts: Vec<_> = slugs
            .chunks(per_thread)
            .map(|part| scope.spawn(move || check(part)))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| {
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::search::IncidentDoc;

    /// A text of `n` words drawn from 400 that depends on `seed` only.
    fn text(seed: usize, n: usize) -> String {
        let mut state = seed as u64 + 1;
        (0..n)
            .map(|_| {
                // A linear congruential generator: distinct texts, the same each run.
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                format!("w{}", (state >> 33) % 400)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Checked on every core, in rounds, a batch finds what each incident's
    /// own check finds, also the duplicates of duplicates.
    #[test]
    fn a_batch_on_every_core_finds_what_single_checks_find() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mut slugs = Vec::new();
        for seed in 0..12 {
            // Every third text is written twice (a copy with a line added).
            let copies = if seed % 3 == 0 { 2 } else { 1 };
            for copy in 0..copies {
                let slug = format!("incident-{seed}-{copy}");
                let mut full_text = text(seed, 120);
                if copy == 1 {
                    full_text.push_str("\nAdded later: the copy names its author.");
                }
                index
                    .upsert_incident(&IncidentDoc {
                        slug: slug.clone(),
                        title: format!("Incident {seed}"),
                        full_text,
                        ..IncidentDoc::default()
                    })
                    .unwrap();
                slugs.push(slug);
            }
        }
        index.commit().unwrap();
        let alone: BTreeMap<String, Vec<Finding>> = slugs
            .iter()
            .map(|slug| {
                let duplicates = index.near_duplicates(slug).unwrap();
                (
                    slug.clone(),
                    SearchIndex::near_duplicate_findings_of(&duplicates),
                )
            })
            .collect();
        let flagged: Vec<&String> = alone
            .iter()
            .filter(|(_, f)| !f.is_empty())
            .map(|(slug, _)| slug)
            .collect();
        assert_eq!(flagged.len(), 8, "each copy and its twin only: {flagged:?}");
        // Starting from the first copies only: their twins come in the next round.
        let todo = slugs
            .iter()
            .filter(|s| s.ends_with("-0"))
            .cloned()
            .collect();
        let batch: BTreeMap<String, Vec<Finding>> =
            compute(&index, todo).unwrap().into_iter().collect();
        assert_eq!(batch.len(), 12 + 4, "every first copy and every twin");
        for (slug, findings) in &batch {
            assert_eq!(Some(findings), alone.get(slug), "{slug}");
        }
        // An unknown slug has nothing to flag.
        let unknown = compute(&index, BTreeSet::from(["no-such-incident".to_string()])).unwrap();
        assert_eq!(unknown, vec![("no-such-incident".to_string(), Vec::new())]);
    }
}
