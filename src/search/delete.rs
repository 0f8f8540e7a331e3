//! Deletes that cost a few bytes until the commit. tantivy turns a delete into
//! a scoring `Weight` at once and keeps it queued until the next commit: about
//! 1 KB each for a term (its BM25 cache), more for a boolean query. A bulk
//! ingest of 100,000 incidents queued 900 MB of them. Here the query is kept
//! and its weight built when tantivy applies the delete to a segment.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Schema;
use tantivy::{DocId, IndexWriter, Score, SegmentReader};

use super::error::SearchError;

/// Queue the deletion of every document `query` matches (visible on commit).
pub(crate) fn delete(writer: &IndexWriter, query: Box<dyn Query>) -> Result<(), SearchError> {
    writer.delete_query(Box::new(Deferred(query)))?;
    Ok(())
}

/// A query whose weight is built per segment, when used.
#[derive(Debug)]
struct Deferred(Box<dyn Query>);

impl Clone for Deferred {
    fn clone(&self) -> Self {
        Deferred(self.0.box_clone())
    }
}

impl Query for Deferred {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(DeferredWeight {
            query: self.0.box_clone(),
            schema: scoring.schema().clone(),
        }))
    }
}

struct DeferredWeight {
    query: Box<dyn Query>,
    /// A handle (reference-counted), for building the real weight.
    schema: Schema,
}

impl DeferredWeight {
    fn real(&self) -> tantivy::Result<Box<dyn Weight>> {
        self.query
            .weight(EnableScoring::disabled_from_schema(&self.schema))
    }
}

impl Weight for DeferredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.real()?.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.real()?.explain(reader, doc)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::Count;
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING};
    use tantivy::{Index, Term, doc};

    use super::*;

    #[test]
    fn deferred_deletes_remove_what_the_query_matches_in_old_and_new_segments() {
        let mut builder = Schema::builder();
        let key = builder.add_text_field("key", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        writer.add_document(doc!(key => "a")).expect("add");
        writer.add_document(doc!(key => "b")).expect("add");
        writer.commit().expect("commit");
        writer.add_document(doc!(key => "a")).expect("add");
        writer.add_document(doc!(key => "c")).expect("add");
        let term = |text| {
            Box::new(TermQuery::new(
                Term::from_field_text(key, text),
                IndexRecordOption::Basic,
            )) as Box<dyn Query>
        };
        delete(&writer, term("a")).expect("delete");
        writer
            .add_document(doc!(key => "a"))
            .expect("add after the delete");
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let count = |q: &dyn Query| searcher.search(q, &Count).expect("search");
        assert_eq!(count(&AllQuery), 3, "b, c and the a added after the delete");
        assert_eq!(count(&*term("a")), 1);
        assert_eq!(count(&*term("b")), 1);
    }
}
