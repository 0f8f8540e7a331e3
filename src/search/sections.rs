//! Section counts (how many matching incidents have the query's words in their
//! title, summary, root cause…), in the same search as the ranking: the
//! collector marks each matching document in a bit set, then walks each
//! section's documents (the section's words as a query) once and counts those
//! marked. Walking is much cheaper than moving seven cursors to every match:
//! a cursor over several words seeks all of them each time.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, Scorer, Weight};
use tantivy::{BitSet, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED};

use super::error::SearchError;
use super::query::{Compiler, Node, Scope, TextTarget};
use super::results::{FacetCount, SearchSection};

/// The words and phrases the query asks for (not those under NOT), with their scope.
fn positive_words(node: &Node, out: &mut Vec<(Scope, String, bool)>) {
    match node {
        Node::And(v) | Node::Or(v) => v.iter().for_each(|n| positive_words(n, out)),
        Node::Text {
            scope,
            text,
            phrase,
        } => out.push((*scope, text.clone(), *phrase)),
        _ => {}
    }
}

fn section_scope(section: SearchSection) -> Scope {
    match section {
        SearchSection::Title => Scope::Title,
        SearchSection::Summary => Scope::Summary,
        SearchSection::RootCause => Scope::Root,
        SearchSection::Impact => Scope::Impact,
        SearchSection::Lessons => Scope::Lessons,
        SearchSection::Resolution => Scope::Resolution,
        SearchSection::FullText => Scope::Text,
    }
}

/// Counts, per section, the collected documents that have the query's words in it.
pub(crate) struct SectionCounter {
    /// The sections the query has words for, each with its words' weight.
    sections: Vec<(SearchSection, Box<dyn Weight>)>,
}

impl SectionCounter {
    /// The sections `root`'s words can be found in (words only, not the
    /// technical fields: a section is where the words are written).
    pub fn new(
        compiler: &Compiler,
        searcher: &Searcher,
        root: &Node,
    ) -> Result<SectionCounter, SearchError> {
        let mut words = Vec::new();
        positive_words(root, &mut words);
        let mut sections = Vec::new();
        for &section in SearchSection::ALL {
            let scope = section_scope(section);
            let targets: Vec<TextTarget> = compiler
                .targets(scope)
                .into_iter()
                .map(|t| TextTarget { tech: None, ..t })
                .collect();
            let clauses: Vec<(Occur, Box<dyn Query>)> = words
                .iter()
                .filter(|(s, _, _)| *s == Scope::Any || *s == scope)
                .filter_map(|(_, text, phrase)| compiler.text(&targets, text, *phrase))
                .map(|q| (Occur::Should, q))
                .collect();
            if clauses.is_empty() {
                continue;
            }
            let weight = BooleanQuery::new(clauses)
                .weight(EnableScoring::disabled_from_searcher(searcher))?;
            sections.push((section, weight));
        }
        Ok(SectionCounter { sections })
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
        let cursors = self
            .sections
            .iter()
            .map(|(_, weight)| weight.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(SegmentSectionCounter {
            matched: BitSet::with_max_value(reader.max_doc()),
            cursors,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u64>>) -> tantivy::Result<Vec<FacetCount>> {
        let mut total = vec![0; self.sections.len()];
        for fruit in fruits {
            total.iter_mut().zip(fruit).for_each(|(t, n)| *t += n);
        }
        Ok(self
            .sections
            .iter()
            .zip(total)
            .filter(|&(_, count)| count > 0)
            .map(|((section, _), count)| FacetCount {
                value: section.as_str().to_string(),
                count,
            })
            .collect())
    }
}

pub(crate) struct SegmentSectionCounter {
    /// One cursor per section, walked once at harvest.
    cursors: Vec<Box<dyn Scorer>>,
    /// The segment's matching documents.
    matched: BitSet,
}

impl SegmentCollector for SegmentSectionCounter {
    type Fruit = Vec<u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.matched.insert(doc);
    }

    /// A section's cursor yields each of its documents once, deleted ones
    /// included; only the marked (matching, live) ones count.
    fn harvest(self) -> Vec<u64> {
        let matched = &self.matched;
        if matched.len() == 0 {
            return vec![0; self.cursors.len()];
        }
        self.cursors
            .into_iter()
            .map(|mut cursor| {
                let mut count = 0;
                let mut doc = cursor.doc();
                while doc != TERMINATED {
                    count += u64::from(matched.contains(doc));
                    doc = cursor.advance();
                }
                count
            })
            .collect()
    }
}
