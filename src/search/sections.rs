//! Section counts (how many matching incidents have the query's words in their
//! title, summary, root cause…), in the same search as the ranking. The
//! collector marks each matching document in a bit set; at the end of each
//! segment, a section's single words are walked (their postings, cheap to read
//! again) and its phrases are taken from what the ranking's own phrase clauses
//! noted (`noted`): matching a phrase again, its positions in seven fields,
//! cost as much as the search.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, Scorer, Weight};
use tantivy::{
    BitSet, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED, Term,
};

use super::error::SearchError;
use super::noted::SectionNotes;
use super::query::{Compiler, Node, Scope, TextTarget, section_scope};
use super::results::{FacetCount, SearchSection};

/// The single words the query asks for (not those under NOT), with their scope.
fn positive_words<'q>(compiler: &Compiler, node: &'q Node, out: &mut Vec<(Scope, &'q str)>) {
    match node {
        Node::And(v) | Node::Or(v) => v.iter().for_each(|n| positive_words(compiler, n, out)),
        Node::Text { scope, text, .. } if !compiler.is_phrase(text) => out.push((*scope, text)),
        _ => {}
    }
}

/// Whether `node` is one word to find anywhere: then every incident with the
/// word in a section is a match, so where a segment has no deleted documents a
/// section's count is its term's document frequency (walking the postings of a
/// common word in seven fields was a tenth of its search).
fn one_word_anywhere(compiler: &Compiler, node: &Node) -> bool {
    match node {
        Node::And(v) | Node::Or(v) if v.len() == 1 => one_word_anywhere(compiler, &v[0]),
        Node::Text {
            scope: Scope::Any,
            text,
            ..
        } => !compiler.is_phrase(text),
        _ => false,
    }
}

/// The query's term when it has exactly one.
fn single_term(query: &dyn Query) -> Option<Term> {
    let mut terms = Vec::new();
    query.query_terms(&mut |term, _| terms.push(term.clone()));
    match terms.as_slice() {
        [term] => Some(term.clone()),
        _ => None,
    }
}

/// Counts, per section, the collected documents that have the query's words in it.
pub(crate) struct SectionCounter {
    /// Per section (in `SearchSection::ALL` order), its single words' weight.
    words: Vec<Option<Box<dyn Weight>>>,
    /// Per section, its one term when every document with it is a match
    /// (`one_word_anywhere`).
    counted_by_frequency: Vec<Option<Term>>,
    /// What the phrase clauses of the query noted.
    notes: Arc<SectionNotes>,
}

impl SectionCounter {
    /// Counts for `root` compiled with `notes`. Words only, not the technical
    /// fields: a section is where the words are written.
    pub fn new(
        compiler: &Compiler,
        searcher: &Searcher,
        root: &Node,
        notes: Arc<SectionNotes>,
    ) -> Result<SectionCounter, SearchError> {
        let mut words = Vec::new();
        positive_words(compiler, root, &mut words);
        let one_word = one_word_anywhere(compiler, root);
        let mut weights = Vec::new();
        let mut counted_by_frequency = Vec::new();
        for &section in SearchSection::ALL {
            let scope = section_scope(section);
            let targets: Vec<TextTarget> = compiler
                .targets(scope)
                .into_iter()
                .map(|t| TextTarget { tech: None, ..t })
                .collect();
            let clauses: Vec<(Occur, Box<dyn Query>)> = words
                .iter()
                .filter(|(s, _)| *s == Scope::Any || *s == scope)
                .filter_map(|(_, text)| compiler.text(&targets, text, false, None))
                .map(|q| (Occur::Should, q))
                .collect();
            let (weight, term) = match clauses.is_empty() {
                true => (None, None),
                false => {
                    let query = BooleanQuery::new(clauses);
                    let term = one_word.then(|| single_term(&query)).flatten();
                    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
                    (Some(weight), term)
                }
            };
            weights.push(weight);
            counted_by_frequency.push(term);
        }
        Ok(SectionCounter {
            words: weights,
            counted_by_frequency,
            notes,
        })
    }
}

impl Collector for SectionCounter {
    /// Counts in section order; sections no document matched are left out.
    type Fruit = Vec<FacetCount>;
    type Child = SegmentSectionCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentSectionCounter> {
        let mut known = Vec::new();
        let mut words = Vec::new();
        for (weight, term) in self.words.iter().zip(&self.counted_by_frequency) {
            match term.as_ref().filter(|_| !reader.has_deletes()) {
                Some(term) => {
                    let frequency = reader.inverted_index(term.field())?.doc_freq(term)?;
                    known.push(Some(u64::from(frequency)));
                    words.push(None);
                }
                None => {
                    known.push(None);
                    words.push(weight.as_ref().map(|w| w.scorer(reader, 1.0)).transpose()?);
                }
            }
        }
        Ok(SegmentSectionCounter {
            matched: BitSet::with_max_value(reader.max_doc()),
            known,
            words,
            segment: reader.segment_id(),
            notes: Arc::clone(&self.notes),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u64>>) -> tantivy::Result<Vec<FacetCount>> {
        let mut total = vec![0; SearchSection::ALL.len()];
        for fruit in fruits {
            total.iter_mut().zip(fruit).for_each(|(t, n)| *t += n);
        }
        Ok(SearchSection::ALL
            .iter()
            .zip(total)
            .filter(|&(_, count)| count > 0)
            .map(|(section, count)| FacetCount {
                value: section.as_str().to_string(),
                count,
            })
            .collect())
    }
}

pub(crate) struct SegmentSectionCounter {
    /// The segment's matching (live) documents.
    matched: BitSet,
    /// Per section, its count when known without walking (`counted_by_frequency`).
    known: Vec<Option<u64>>,
    /// Per section, a cursor over its single words, walked once at harvest.
    words: Vec<Option<Box<dyn Scorer>>>,
    segment: SegmentId,
    notes: Arc<SectionNotes>,
}

impl SegmentCollector for SegmentSectionCounter {
    type Fruit = Vec<u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.matched.insert(doc);
    }

    /// Cursors and notes hold documents the whole query may not match (and
    /// deleted ones); only the collected ones count, each once per section.
    fn harvest(self) -> Vec<u64> {
        let noted = self.notes.take(self.segment);
        let matched = &self.matched;
        if matched.len() == 0 {
            return vec![0; SearchSection::ALL.len()];
        }
        let mut counted: Option<BitSet> = None;
        SearchSection::ALL
            .iter()
            .zip(self.words)
            .zip(self.known)
            .map(|((&section, words), known)| {
                if let Some(count) = known {
                    return count;
                }
                let lists: Vec<&[DocId]> = noted
                    .iter()
                    .filter(|n| n.section == section)
                    .map(|n| n.docs.as_slice())
                    .collect();
                let sources = usize::from(words.is_some()) + lists.len();
                let docs = words
                    .into_iter()
                    .flat_map(walk)
                    .chain(lists.iter().flat_map(|l| l.iter().copied()))
                    .filter(|&d| matched.contains(d));
                if sources <= 1 {
                    // Each document once already.
                    return docs.count() as u64;
                }
                let counted =
                    counted.get_or_insert_with(|| BitSet::with_max_value(matched.max_value()));
                counted.clear();
                docs.filter(|&d| counted.insert(d)).count() as u64
            })
            .collect()
    }
}

/// A cursor's documents, in order.
fn walk(mut cursor: Box<dyn Scorer>) -> impl Iterator<Item = DocId> {
    let mut doc = cursor.doc();
    std::iter::from_fn(move || {
        let current = doc;
        (current != TERMINATED).then(|| {
            doc = cursor.advance();
            current
        })
    })
}
