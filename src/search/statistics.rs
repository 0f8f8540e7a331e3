//! BM25 statistics of one kind. Incidents and action items share the index
//! but no text field, so a word's rarity and a field's average length are
//! measured among the documents of the kind searched. Counted among all
//! documents, every field would look shorter on average than it is (an
//! incident has several action items, which have no summary or root cause),
//! and BM25 would take every incident's text for long.

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::error::SearchError;
use super::query::Kind;
use super::schema::Fields;

pub(crate) struct KindStatistics<'a> {
    searcher: &'a Searcher,
    /// Documents of the kind, deleted ones included (as tantivy counts terms).
    docs: u64,
}

impl<'a> KindStatistics<'a> {
    pub fn new(
        searcher: &'a Searcher,
        fields: &Fields,
        kind: Kind,
    ) -> Result<KindStatistics<'a>, SearchError> {
        let docs = searcher.doc_freq(&Term::from_field_text(fields.kind, kind.as_str()))?;
        Ok(KindStatistics {
            searcher,
            docs: docs.max(1),
        })
    }
}

impl Bm25StatisticsProvider for KindStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs)
    }

    /// At most the kind's documents: a filter term shared by both kinds (an
    /// incident's slug is also on its action items) may be in more.
    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(self.searcher.doc_freq(term)?.min(self.docs))
    }
}
