//! A query clause that notes the documents it matches, segment by segment,
//! for the section counts (`sections`): a phrase's section count is read off
//! the ranking's own phrase clauses instead of matching the phrase again.
//!
//! The notes are complete for the documents the whole query matches: an
//! intersection aligns all its clauses on each match, and tantivy's union takes
//! every document of each clause within the window it fills. Only phrase
//! clauses are wrapped: a term clause is cheap to walk again, and wrapping it
//! would cost the term-only unions and intersections tantivy specializes.

use std::sync::{Arc, Mutex, PoisonError};

use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED, Term};

use super::results::SearchSection;

/// Documents one clause stopped on in one segment, in order.
pub(crate) struct Noted {
    segment: SegmentId,
    pub section: SearchSection,
    pub docs: Vec<DocId>,
}

/// What the clauses of one search noted, per segment, until the collector
/// takes it. One per compiled query.
#[derive(Default)]
pub(crate) struct SectionNotes {
    noted: Mutex<Vec<Noted>>,
}

impl SectionNotes {
    fn put(&self, noted: Noted) {
        self.noted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(noted);
    }

    /// The segment's notes, per section: tantivy drops a segment's scorers
    /// before it harvests the segment's collector.
    pub fn take(&self, segment: SegmentId) -> Vec<Noted> {
        let mut noted = self.noted.lock().unwrap_or_else(PoisonError::into_inner);
        let (taken, kept) = std::mem::take(&mut *noted)
            .into_iter()
            .partition(|n| n.segment == segment);
        *noted = kept;
        taken
    }
}

/// A clause whose documents count for a section.
pub(crate) struct NotedQuery {
    inner: Box<dyn Query>,
    section: SearchSection,
    notes: Arc<SectionNotes>,
}

impl NotedQuery {
    pub fn new(inner: Box<dyn Query>, section: SearchSection, notes: Arc<SectionNotes>) -> Self {
        NotedQuery {
            inner,
            section,
            notes,
        }
    }
}

impl Clone for NotedQuery {
    fn clone(&self) -> Self {
        NotedQuery {
            inner: self.inner.box_clone(),
            section: self.section,
            notes: Arc::clone(&self.notes),
        }
    }
}

impl std::fmt::Debug for NotedQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotedQuery")
            .field("inner", &self.inner)
            .field("section", &self.section)
            .finish()
    }
}

impl Query for NotedQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(NotedWeight {
            inner: self.inner.weight(enable_scoring)?,
            section: self.section,
            notes: Arc::clone(&self.notes),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct NotedWeight {
    inner: Box<dyn Weight>,
    section: SearchSection,
    notes: Arc<SectionNotes>,
}

impl Weight for NotedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        let mut scorer = NotedScorer {
            inner,
            noted: Noted {
                segment: reader.segment_id(),
                section: self.section,
                docs: Vec::new(),
            },
            notes: Arc::clone(&self.notes),
        };
        scorer.note(scorer.inner.doc());
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

/// Notes each document the inner scorer stops on; hands the list over when dropped.
struct NotedScorer {
    inner: Box<dyn Scorer>,
    noted: Noted,
    notes: Arc<SectionNotes>,
}

impl NotedScorer {
    #[inline]
    fn note(&mut self, doc: DocId) -> DocId {
        // `seek` to a document at or before the current one stays put.
        if doc != TERMINATED && self.noted.docs.last().is_none_or(|&last| last < doc) {
            self.noted.docs.push(doc);
        }
        doc
    }
}

impl DocSet for NotedScorer {
    fn advance(&mut self) -> DocId {
        let doc = self.inner.advance();
        self.note(doc)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.inner.seek(target);
        self.note(doc)
    }

    /// Only a `Found` leaves the inner scorer on a document it matches.
    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        let found = self.inner.seek_danger(target);
        if found == SeekDangerResult::Found {
            self.note(target);
        }
        found
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for NotedScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

impl Drop for NotedScorer {
    fn drop(&mut self) {
        if !self.noted.docs.is_empty() {
            let docs = std::mem::take(&mut self.noted.docs);
            self.notes.put(Noted { docs, ..self.noted });
        }
    }
}
