//! How the index writer spends memory: its indexing thread, the buffer it fills
//! before writing a segment, and which segments it merges.
//!
//! Measured on a 100k-incident start-up ingest (`coroner serve`, 2 cores): with
//! a thread per core sharing 64 MB and tantivy's merges of eight segments at any
//! size, the server peaked at 362–367 MiB, up to 160 MiB of it the merged
//! segments' memory-mapped pages; see BENCHMARKS.md for these settings' figures.

use tantivy::indexer::{IndexWriterOptions, LogMergePolicy};

/// Indexing threads. One is enough: on the ingest path the parser pool already
/// keeps every core busy, and a second thread brought no measurable time while
/// costing its own buffer and tables (about 45 MB).
const INDEXING_THREADS: usize = 1;

/// Memory the writer buffers before writing a segment (about 16 MB on disk).
const WRITER_MEMORY: usize = 32 * 1024 * 1024;

/// Merges run at once, so that one merge's segments at most are mapped.
const MERGE_THREADS: usize = 1;

/// Segments merged together once a level has this many.
const MERGE_MIN_SEGMENTS: usize = 4;

/// Segments with more live documents than this are not merged again. A merge
/// reads its segments through memory-mapped files, whose pages count in the
/// process's resident memory until the merge ends: merging buffer-sized
/// segments four at a time maps about 64 MB, where merging the merged ones
/// would map hundreds. A segment whose deletes bring it back under the limit
/// is merged again (which drops the deleted documents).
pub(crate) const MERGE_MAX_DOCS: usize = 50_000;

pub(crate) fn writer_options() -> IndexWriterOptions {
    IndexWriterOptions::builder()
        .num_worker_threads(INDEXING_THREADS)
        .memory_budget_per_thread(WRITER_MEMORY / INDEXING_THREADS)
        .num_merge_threads(MERGE_THREADS)
        .build()
}

/// The merge policy, with segments of more than `max_docs` left alone
/// ([`MERGE_MAX_DOCS`] outside tests).
pub(crate) fn merge_policy(max_docs: usize) -> LogMergePolicy {
    let mut policy = LogMergePolicy::default();
    policy.set_min_num_segments(MERGE_MIN_SEGMENTS);
    policy.set_max_docs_before_merge(max_docs);
    policy
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use tantivy::indexer::MergePolicy;
    use tantivy::schema::{STORED, Schema};
    use tantivy::{Index, IndexWriter, SegmentMeta, TantivyDocument, doc};

    use super::*;

    /// An index in memory whose segments hold these many documents (one
    /// commit each, nothing merged).
    fn segments(sizes: &[usize]) -> Vec<SegmentMeta> {
        let mut schema = Schema::builder();
        let n = schema.add_u64_field("n", STORED);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for &size in sizes {
            for i in 0..size {
                writer.add_document(doc!(n => i as u64)).unwrap();
            }
            writer.commit().unwrap();
        }
        index.searchable_segment_metas().unwrap()
    }

    fn docs_in(candidate: &[tantivy::index::SegmentId], metas: &[SegmentMeta]) -> Vec<u32> {
        let ids: HashSet<_> = candidate.iter().collect();
        let mut docs: Vec<u32> = metas
            .iter()
            .filter(|m| ids.contains(&m.id()))
            .map(|m| m.max_doc())
            .collect();
        docs.sort();
        docs
    }

    #[test]
    fn merges_four_small_segments_and_leaves_large_ones_alone() {
        let policy = merge_policy(10);
        // Three small segments: not yet.
        assert!(
            policy
                .compute_merge_candidates(&segments(&[2, 3, 2]))
                .is_empty()
        );
        // A fourth: the four are merged; the two over the limit are not.
        let metas = segments(&[2, 3, 2, 11, 3, 40]);
        let candidates = policy.compute_merge_candidates(&metas);
        assert_eq!(candidates.len(), 1, "{candidates:?}");
        assert_eq!(docs_in(&candidates[0].0, &metas), vec![2, 2, 3, 3]);
        // Large segments only: nothing, however many.
        let large = segments(&[11, 12, 13, 14, 15]);
        assert!(policy.compute_merge_candidates(&large).is_empty());
    }
}
