//! Section counts (how many matching incidents have the query's words in their
//! title, summary, root cause…), in the same search as the ranking. The
//! collector marks each matching document in a bit set; at the end of each
//! segment, a section's single words are walked (their postings, cheap to read
//! again, block by block: through tantivy's union of scorers the walk was a fifth
//! of a search of three common words) and its phrases are taken from what the
//! ranking's own phrase clauses noted (`noted`): matching a phrase again, its
//! positions in seven fields, cost as much as the search.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, Term};

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

/// The query's terms, each once.
fn terms_of(query: &dyn Query) -> Vec<Term> {
    let mut terms = Vec::new();
    query.query_terms(&mut |term, _| terms.push(term.clone()));
    terms.sort();
    terms.dedup();
    terms
}

/// Counts, per section, the collected documents that have the query's words in it.
pub(crate) struct SectionCounter {
    /// Per section (in `SearchSection::ALL` order), its single words' terms in
    /// each of its fields.
    words: Vec<Vec<Term>>,
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
        root: &Node,
        notes: Arc<SectionNotes>,
    ) -> Result<SectionCounter, SearchError> {
        let mut words = Vec::new();
        positive_words(compiler, root, &mut words);
        let one_word = one_word_anywhere(compiler, root);
        let mut terms = Vec::new();
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
            let section_terms = terms_of(&BooleanQuery::new(clauses));
            let by_frequency = match section_terms.as_slice() {
                [term] if one_word => Some(term.clone()),
                _ => None,
            };
            terms.push(section_terms);
            counted_by_frequency.push(by_frequency);
        }
        Ok(SectionCounter {
            words: terms,
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
        for (terms, term) in self.words.iter().zip(&self.counted_by_frequency) {
            match term.as_ref().filter(|_| !reader.has_deletes()) {
                Some(term) => {
                    let frequency = reader.inverted_index(term.field())?.doc_freq(term)?;
                    known.push(Some(u64::from(frequency)));
                    words.push(Vec::new());
                }
                None => {
                    known.push(None);
                    let mut postings = Vec::with_capacity(terms.len());
                    for term in terms {
                        let index = reader.inverted_index(term.field())?;
                        if let Some(p) =
                            index.read_block_postings(term, IndexRecordOption::Basic)?
                        {
                            postings.push(p);
                        }
                    }
                    words.push(postings);
                }
            }
        }
        Ok(SegmentSectionCounter {
            matched: DocBits::new(reader.max_doc()),
            known,
            words,
            any: false,
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
    matched: DocBits,
    /// Per section, its count when known without walking (`counted_by_frequency`).
    known: Vec<Option<u64>>,
    /// Per section, the postings of its single words' terms, walked once at
    /// harvest.
    words: Vec<Vec<BlockSegmentPostings>>,
    /// Whether any document was collected.
    any: bool,
    segment: SegmentId,
    notes: Arc<SectionNotes>,
}

impl SegmentCollector for SegmentSectionCounter {
    type Fruit = Vec<u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.matched.insert(doc);
        self.any = true;
    }

    /// Postings and notes hold documents the whole query may not match (and
    /// deleted ones); only the collected ones count, each once per section.
    fn harvest(self) -> Vec<u64> {
        let noted = self.notes.take(self.segment);
        let matched = &self.matched;
        if !self.any {
            return vec![0; SearchSection::ALL.len()];
        }
        let mut section = DocBits::new(matched.max_doc);
        SearchSection::ALL
            .iter()
            .zip(self.words)
            .zip(self.known)
            .map(|((&name, words), known)| {
                if let Some(count) = known {
                    return count;
                }
                // Marking every document is branch-free; counting those also in
                // `matched` is then a word at a time. Testing each document against
                // `matched` instead mispredicts on half of them.
                section.clear();
                for postings in words {
                    each_doc(postings, |d| section.insert(d));
                }
                for noted in noted.iter().filter(|n| n.section == name) {
                    noted.docs.iter().for_each(|&d| section.insert(d));
                }
                section.count_common(matched)
            })
            .collect()
    }
}

/// A set of a segment's documents, one bit each.
struct DocBits {
    words: Vec<u64>,
    max_doc: DocId,
}

impl DocBits {
    fn new(max_doc: DocId) -> DocBits {
        DocBits {
            words: vec![0; (max_doc as usize).div_ceil(64)],
            max_doc,
        }
    }

    #[inline]
    fn insert(&mut self, doc: DocId) {
        if let Some(word) = self.words.get_mut(doc as usize / 64) {
            *word |= 1 << (doc % 64);
        }
    }

    fn clear(&mut self) {
        self.words.fill(0);
    }

    /// How many documents are in both sets.
    fn count_common(&self, other: &DocBits) -> u64 {
        let both = self.words.iter().zip(&other.words);
        both.map(|(a, b)| u64::from((a & b).count_ones())).sum()
    }
}

/// Each of a term's documents (live or not), in order, a block at a time.
fn each_doc(mut postings: BlockSegmentPostings, mut f: impl FnMut(DocId)) {
    loop {
        let docs = postings.docs();
        if docs.is_empty() {
            return;
        }
        docs.iter().for_each(|&d| f(d));
        postings.advance();
    }
}
