//! Similar incidents: tantivy's more-like-this query picks candidates through
//! the index (scales with the corpus); each candidate is then ranked by the
//! cosine similarity of TF-IDF vectors of the two texts (0..1, comparable across
//! incidents). Near-duplicates are decided by shared wording instead: the share
//! of the shorter text's three-word sequences found in the other (an earlier,
//! shorter version of a report is contained in the later one).

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::index::SegmentId;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue};
use tantivy::{DocAddress, DocId, Searcher, TantivyDocument, Term};

use super::analysis::{self, STOP_WORDS};
use super::error::SearchError;
use super::hits::{date_of, text_of};
use super::index::{SIMILAR_CACHE_MAX, SearchIndex};
use super::query::Kind;
use super::write::incident_key;
use crate::checks::rules::Rule;
use crate::model::Finding;

/// Share of wording from which two post-mortems are reported as near-duplicates.
/// On the shipped corpus, versions of one report share 0.72-1.0, a recurrence
/// written from a copy 0.69, and distinct incidents at most 0.26.
pub const NEAR_DUPLICATE_THRESHOLD: f32 = 0.6;
/// Below this many three-word sequences, overlap is measured against both texts.
const MIN_SHINGLES: usize = 20;
/// Candidates fetched through the index before scoring by cosine similarity.
const CANDIDATES: usize = 40;
/// Candidates checked for shared wording by the near-duplicate check: a
/// duplicate shares the most distinctive terms, so it ranks among the first.
const DUPLICATE_CANDIDATES: usize = 8;

/// An incident similar to another one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimilarIncident {
    pub slug: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    /// Cosine similarity of the two texts' terms: 1.0 for identical wording.
    pub score: f32,
    /// Share of the shorter text's three-word sequences found in the other.
    pub overlap: f32,
}

/// Term weights of one text: (1 + ln tf) · idf.
type Vector = HashMap<String, f32>;

/// Hashes of a text's three-word sequences (`shingles`).
type Shingles = HashSet<u64, foldhash::fast::RandomState>;

/// The most texts a batch's memory keeps (about 9 KB each for a post-mortem
/// of 3.6 KB: 500 sequences in a hash set) before it starts afresh; a batch
/// of 2,000 new incidents split over two threads reads fewer per thread.
const MEMO_MAX: usize = 2_048;

/// The shingles of the incidents a batch of near-duplicate checks has read,
/// by document: each new incident reads eight candidates, and in a batch the
/// same incidents come up as candidates again and again. Keyed by segment id,
/// which names the same documents for as long as the segment lives.
#[derive(Default)]
pub(crate) struct ShingleMemo {
    by_doc: HashMap<(SegmentId, DocId), Arc<Shingles>>,
}

impl ShingleMemo {
    fn shingles(
        &mut self,
        searcher: &Searcher,
        address: DocAddress,
        read: impl FnOnce() -> Result<Shingles, SearchError>,
    ) -> Result<Arc<Shingles>, SearchError> {
        let segment = searcher.segment_reader(address.segment_ord).segment_id();
        let key = (segment, address.doc_id);
        if let Some(found) = self.by_doc.get(&key) {
            return Ok(Arc::clone(found));
        }
        if self.by_doc.len() >= MEMO_MAX {
            self.by_doc.clear();
        }
        let found = Arc::new(read()?);
        self.by_doc.insert(key, Arc::clone(&found));
        Ok(found)
    }
}

impl SearchIndex {
    /// Incidents most similar to `slug`, best first (remembered until the next commit).
    pub fn similar(&self, slug: &str, limit: usize) -> Result<Vec<SimilarIncident>, SearchError> {
        let key = (slug.to_string(), limit);
        let cache = || self.similar_cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(found) = cache().get(&key) {
            return Ok(found.clone());
        }
        let found = self.compute_similar(slug, limit)?;
        let mut cache = cache();
        if cache.len() >= SIMILAR_CACHE_MAX {
            cache.clear();
        }
        cache.insert(key, found.clone());
        Ok(found)
    }

    fn compute_similar(
        &self,
        slug: &str,
        limit: usize,
    ) -> Result<Vec<SimilarIncident>, SearchError> {
        let searcher = self.searcher();
        let doc = searcher.doc::<TantivyDocument>(self.incident_address(&searcher, slug)?)?;
        let f = &self.fields;
        let title = text_of(&doc, f.title).unwrap_or_default();
        let body = text_of(&doc, f.body).unwrap_or_default();
        let candidates = self.candidates(&searcher, slug, &title, &body, CANDIDATES.max(limit))?;
        let mut idf = IdfCache::new(&searcher, f.body, self.counts()?.0 as f32);
        let target = (idf.vector(&format!("{title}\n{body}"))?, shingles(&body));
        let mut out = candidates
            .into_iter()
            .map(|addr| self.compare(&searcher, &mut idf, &target, addr))
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        out.truncate(limit);
        Ok(out)
    }

    /// Other incidents sharing the most distinctive terms (more-like-this).
    fn candidates(
        &self,
        searcher: &Searcher,
        slug: &str,
        title: &str,
        body: &str,
        limit: usize,
    ) -> Result<Vec<DocAddress>, SearchError> {
        let f = &self.fields;
        let mlt = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            .with_min_term_frequency(1)
            .with_max_query_terms(48)
            .with_min_word_length(2)
            .with_stop_words(STOP_WORDS.iter().map(|w| w.to_string()).collect())
            .with_document_fields(vec![
                (f.title, vec![OwnedValue::Str(title.to_string())]),
                (f.body, vec![OwnedValue::Str(body.to_string())]),
                (f.body_tech, vec![OwnedValue::Str(body.to_string())]),
            ]);
        let key = |field, text: &str| -> Box<dyn Query> {
            let term = Term::from_field_text(field, text);
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, key(f.kind, Kind::Incident.as_str())),
            (Occur::Must, Box::new(mlt)),
            (Occur::MustNot, key(f.slug, &slug.to_lowercase())),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        Ok(top.into_iter().map(|(_, addr)| addr).collect())
    }

    /// Score one candidate against the target's term vector and shingles.
    fn compare(
        &self,
        searcher: &Searcher,
        idf: &mut IdfCache,
        target: &(Vector, Shingles),
        addr: DocAddress,
    ) -> Result<SimilarIncident, SearchError> {
        let f = &self.fields;
        let doc = searcher.doc::<TantivyDocument>(addr)?;
        let title = text_of(&doc, f.title).unwrap_or_default();
        let body = text_of(&doc, f.body).unwrap_or_default();
        let vector = idf.vector(&format!("{title}\n{body}"))?;
        Ok(SimilarIncident {
            slug: text_of(&doc, f.slug).unwrap_or_default(),
            title,
            date: date_of(&doc, f.date),
            score: cosine(&target.0, &vector),
            overlap: overlap(&target.1, &shingles(&body)),
        })
    }

    /// Incidents so similar to `slug` that they are likely the same report,
    /// most shared wording first. Cheaper than [`similar`](Self::similar) (run on
    /// every ingest): a few more-like-this candidates, compared by shared
    /// three-word sequences only; `score` is that overlap too.
    pub fn near_duplicates(&self, slug: &str) -> Result<Vec<SimilarIncident>, SearchError> {
        self.near_duplicates_with(slug, &mut ShingleMemo::default())
    }

    /// [`near_duplicates`](Self::near_duplicates) for one of a batch of
    /// incidents, remembering in `memo` the texts it reads.
    pub(crate) fn near_duplicates_with(
        &self,
        slug: &str,
        memo: &mut ShingleMemo,
    ) -> Result<Vec<SimilarIncident>, SearchError> {
        let searcher = self.searcher();
        let address = self.incident_address(&searcher, slug)?;
        let doc = searcher.doc::<TantivyDocument>(address)?;
        let f = &self.fields;
        let title = text_of(&doc, f.title).unwrap_or_default();
        let body = text_of(&doc, f.body).unwrap_or_default();
        let target = memo.shingles(&searcher, address, || Ok(shingles(&body)))?;
        let mut out = Vec::new();
        for addr in self.candidates(&searcher, slug, &title, &body, DUPLICATE_CANDIDATES)? {
            let other = memo.shingles(&searcher, addr, || {
                let other = searcher.doc::<TantivyDocument>(addr)?;
                Ok(shingles(&text_of(&other, f.body).unwrap_or_default()))
            })?;
            let shared = overlap(&target, &other);
            if shared >= NEAR_DUPLICATE_THRESHOLD {
                let other = searcher.doc::<TantivyDocument>(addr)?;
                out.push(SimilarIncident {
                    slug: text_of(&other, f.slug).unwrap_or_default(),
                    title: text_of(&other, f.title).unwrap_or_default(),
                    date: date_of(&other, f.date),
                    score: shared,
                    overlap: shared,
                });
            }
        }
        out.sort_by(|a, b| {
            b.overlap
                .total_cmp(&a.overlap)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        Ok(out)
    }

    /// `duplicate/near-duplicate` findings for `slug`, one per likely duplicate.
    pub fn near_duplicate_findings(&self, slug: &str) -> Result<Vec<Finding>, SearchError> {
        Ok(Self::near_duplicate_findings_of(
            &self.near_duplicates(slug)?,
        ))
    }

    /// One `duplicate/near-duplicate` finding per duplicate found by [`near_duplicates`](Self::near_duplicates).
    pub fn near_duplicate_findings_of(duplicates: &[SimilarIncident]) -> Vec<Finding> {
        duplicates
            .iter()
            .map(|d| {
                Rule::NearDuplicate.finding_with(
                    None,
                    format!(
                        "{:.0}% of this post-mortem's wording is shared with `{}` ({})",
                        d.overlap * 100.0,
                        d.slug,
                        d.title
                    ),
                    format!("if both describe the same incident, keep one and delete or merge the other (`{}`)", d.slug),
                )
            })
            .collect()
    }

    fn incident_address(&self, searcher: &Searcher, slug: &str) -> Result<DocAddress, SearchError> {
        let term = Term::from_field_text(self.fields.key, &incident_key(slug));
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        top.first()
            .map(|&(_, a)| a)
            .ok_or_else(|| SearchError::UnknownIncident {
                slug: slug.to_string(),
            })
    }
}

/// Inverse document frequencies of the full-text field, looked up once per term.
struct IdfCache<'a> {
    searcher: &'a Searcher,
    field: tantivy::schema::Field,
    total: f32,
    cache: HashMap<String, f32>,
    analyzer: tantivy::tokenizer::TextAnalyzer,
}

impl<'a> IdfCache<'a> {
    fn new(searcher: &'a Searcher, field: tantivy::schema::Field, total: f32) -> Self {
        IdfCache {
            searcher,
            field,
            total,
            cache: HashMap::new(),
            analyzer: analysis::english(),
        }
    }

    fn idf(&mut self, term: &str) -> Result<f32, SearchError> {
        if let Some(&v) = self.cache.get(term) {
            return Ok(v);
        }
        let df = self
            .searcher
            .doc_freq(&Term::from_field_text(self.field, term))? as f32;
        let v = (1.0 + (self.total + 1.0) / (df + 1.0)).ln();
        self.cache.insert(term.to_string(), v);
        Ok(v)
    }

    fn vector(&mut self, text: &str) -> Result<Vector, SearchError> {
        let mut tf: HashMap<String, u32> = HashMap::new();
        for (_, term) in analysis::tokens(&self.analyzer, text) {
            *tf.entry(term).or_default() += 1;
        }
        let mut v = Vector::with_capacity(tf.len());
        for (term, n) in tf {
            let w = (1.0 + (n as f32).ln()) * self.idf(&term)?;
            v.insert(term, w);
        }
        Ok(v)
    }
}

/// Hashes of the text's three-word sequences (lowercased words, no stemming).
/// Each word is hashed once, as it is read, and a sequence hashes its three
/// words' hashes: no word is copied (this ran nine times per new incident, and
/// copying and rehashing each word three times was a quarter of a
/// 2,000-incident ingest's instructions).
fn shingles(text: &str) -> Shingles {
    // Fixed seed: the hashes of two texts are compared with each other.
    let hasher = foldhash::fast::FixedState::default();
    let mut analyzer = analysis::name();
    let mut stream = analyzer.token_stream(text);
    let mut out = Shingles::default();
    let mut previous: [Option<u64>; 2] = [None, None];
    while let Some(token) = stream.next() {
        let word = hasher.hash_one(token.text.as_str());
        if let [Some(first), Some(second)] = previous {
            out.insert(hasher.hash_one((first, second, word)));
        }
        previous = [previous[1], Some(word)];
    }
    out
}

/// Containment of the smaller set in the larger; Jaccard when either is tiny.
fn overlap(a: &Shingles, b: &Shingles) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    let shared = small.intersection(large).count() as f32;
    if small.len() < MIN_SHINGLES {
        shared / ((a.len() + b.len()) as f32 - shared)
    } else {
        shared / small.len() as f32
    }
}

fn cosine(a: &Vector, b: &Vector) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let dot: f32 = small
        .iter()
        .filter_map(|(t, w)| large.get(t).map(|x| w * x))
        .sum();
    let norm = |v: &Vector| v.values().map(|w| w * w).sum::<f32>().sqrt();
    let denom = norm(a) * norm(b);
    if denom == 0.0 {
        0.0
    } else {
        (dot / denom).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_bounds() {
        let v = |pairs: &[(&str, f32)]| {
            pairs
                .iter()
                .map(|(t, w)| (t.to_string(), *w))
                .collect::<Vector>()
        };
        let a = v(&[("helm", 1.0), ("chart", 2.0)]);
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&a, &v(&[("disk", 1.0)])), 0.0);
        assert_eq!(cosine(&a, &Vector::new()), 0.0);
    }

    #[test]
    fn overlap_measures_containment() {
        let long = "the hub image was rebuilt and pushed out then tested on dev and deployed to prod \
                    while the helm chart had been updated from git recently the latest tag differed \
                    from the one in prod yaml and dev yaml so the hub failed on a bad configuration \
                    parameter and students reported that the hub had been down for forty minutes";
        let short = &long[..long.len() / 2];
        let (a, b) = (shingles(long), shingles(short));
        assert!(b.len() >= MIN_SHINGLES);
        assert!(overlap(&a, &b) > 0.9, "a prefix is contained");
        assert_eq!(overlap(&a, &shingles("nothing in common at all here")), 0.0);
        let tiny = shingles("hub image was rebuilt");
        assert!(
            overlap(&a, &tiny) < 0.1,
            "tiny texts are measured against both"
        );
    }
}
