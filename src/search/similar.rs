//! Similar incidents: a more-like-this query picks candidates through the
//! index (scales with the corpus); each candidate is then ranked by the
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
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
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
/// The most terms a more-like-this query asks for.
const LIKE_THIS_TERMS: usize = 48;
/// Terms in fewer documents than this (only the incident's own) pick no candidate.
const LIKE_THIS_MIN_DOC_FREQ: u64 = 2;

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
/// The most document frequencies a batch's memory keeps before it starts afresh.
const DOC_FREQ_MAX: usize = 200_000;

/// What a batch of near-duplicate checks remembers from one check to the next.
/// The shingles of the incidents it has read, by document: each new incident
/// reads eight candidates, and in a batch the same incidents come up as
/// candidates again and again (keyed by segment id, which names the same
/// documents for as long as the segment lives). The analyzers, with their
/// memory of each word's term, and each term's document frequency while the
/// index stays the same: together a third of the check, analyzing each text
/// afresh and looking each of its terms up in every segment.
pub(crate) struct DuplicateMemo {
    by_doc: HashMap<(SegmentId, DocId), Arc<Shingles>>,
    english: TextAnalyzer,
    technical: TextAnalyzer,
    /// The searcher generation the frequencies are of.
    generation: Option<u64>,
    doc_freq: HashMap<Term, u64, foldhash::fast::RandomState>,
}

impl Default for DuplicateMemo {
    fn default() -> Self {
        DuplicateMemo {
            by_doc: HashMap::new(),
            english: analysis::english_indexing(),
            technical: analysis::technical(),
            generation: None,
            doc_freq: HashMap::default(),
        }
    }
}

impl DuplicateMemo {
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

    /// The number of documents with `term` (deleted ones too, as in the
    /// postings), remembered while `searcher`'s generation lasts.
    fn doc_freq(&mut self, searcher: &Searcher, term: &Term) -> Result<u64, SearchError> {
        let generation = searcher.generation().generation_id();
        if self.generation != Some(generation) || self.doc_freq.len() >= DOC_FREQ_MAX {
            self.doc_freq.clear();
            self.generation = Some(generation);
        }
        if let Some(&n) = self.doc_freq.get(term) {
            return Ok(n);
        }
        let n = searcher.doc_freq(term)?;
        self.doc_freq.insert(term.clone(), n);
        Ok(n)
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
        let candidates = self.candidates(
            &searcher,
            slug,
            (&title, &body),
            CANDIDATES.max(limit),
            &mut DuplicateMemo::default(),
        )?;
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
        (title, body): (&str, &str),
        limit: usize,
        memo: &mut DuplicateMemo,
    ) -> Result<Vec<DocAddress>, SearchError> {
        let f = &self.fields;
        let key = |field, text: &str| -> Box<dyn Query> {
            let term = Term::from_field_text(field, text);
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, key(f.kind, Kind::Incident.as_str())),
            (
                Occur::Must,
                Box::new(self.like_this(searcher, title, body, memo)?),
            ),
            (Occur::MustNot, key(f.slug, &slug.to_lowercase())),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        Ok(top.into_iter().map(|(_, addr)| addr).collect())
    }

    /// The more-like-this query of an incident's text, as tantivy's
    /// `MoreLikeThisQuery` builds it: the terms of its title, body and the
    /// body's technical field, each weighed by its count in the text times its
    /// BM25 idf over every document; the heaviest, each boosted by its weight
    /// over the first's. Built here with the batch's memory (`DuplicateMemo`),
    /// and ties broken by term, not by a hash map's order.
    fn like_this(
        &self,
        searcher: &Searcher,
        title: &str,
        body: &str,
        memo: &mut DuplicateMemo,
    ) -> Result<BooleanQuery, SearchError> {
        let f = &self.fields;
        // Counted by word, per field: a term is made for each distinct word only.
        type Counts = HashMap<String, u32, foldhash::fast::RandomState>;
        let count = |analyzer: &mut TextAnalyzer, text: &str, counts: &mut Counts| {
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                let word = token.text.as_str();
                match counts.get_mut(word) {
                    Some(n) => *n += 1,
                    None if word.len() < 2 || STOP_WORDS.contains(&word) => {}
                    None => {
                        counts.insert(word.to_string(), 1);
                    }
                }
            }
        };
        let (mut words, mut technical) = (Counts::default(), Counts::default());
        let mut title_words = Counts::default();
        count(&mut memo.english, title, &mut title_words);
        count(&mut memo.english, body, &mut words);
        count(&mut memo.technical, body, &mut technical);
        let counts = [
            (f.title, title_words),
            (f.body, words),
            (f.body_tech, technical),
        ]
        .into_iter()
        .flat_map(|(field, counts)| {
            counts
                .into_iter()
                .map(move |(word, n)| (Term::from_field_text(field, &word), n))
        });
        let documents: u64 = searcher
            .segment_readers()
            .iter()
            .map(|r| u64::from(r.num_docs()))
            .sum();
        let mut weighed = Vec::new();
        for (term, n) in counts {
            let with_term = memo.doc_freq(searcher, &term)?;
            if with_term >= LIKE_THIS_MIN_DOC_FREQ {
                weighed.push((n as f32 * idf(with_term, documents), term));
            }
        }
        weighed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        weighed.truncate(LIKE_THIS_TERMS);
        let heaviest = weighed.first().map_or(1.0, |&(w, _)| w);
        let clauses = weighed.into_iter().map(|(weight, term)| {
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            let boosted: Box<dyn Query> =
                Box::new(BoostQuery::new(Box::new(query), weight / heaviest));
            (Occur::Should, boosted)
        });
        Ok(BooleanQuery::new(clauses.collect()))
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
        self.near_duplicates_with(slug, &mut DuplicateMemo::default())
    }

    /// [`near_duplicates`](Self::near_duplicates) for one of a batch of
    /// incidents, remembering in `memo` the texts it reads.
    pub(crate) fn near_duplicates_with(
        &self,
        slug: &str,
        memo: &mut DuplicateMemo,
    ) -> Result<Vec<SimilarIncident>, SearchError> {
        let searcher = self.searcher();
        let address = self.incident_address(&searcher, slug)?;
        let doc = searcher.doc::<TantivyDocument>(address)?;
        let f = &self.fields;
        let title = text_of(&doc, f.title).unwrap_or_default();
        let body = text_of(&doc, f.body).unwrap_or_default();
        let target = memo.shingles(&searcher, address, || Ok(shingles(&body)))?;
        let mut out = Vec::new();
        let candidates =
            self.candidates(&searcher, slug, (&title, &body), DUPLICATE_CANDIDATES, memo)?;
        for addr in candidates {
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

/// BM25's inverse document frequency (tantivy's own is not public); the
/// postings count deleted documents, the total does not.
fn idf(with_term: u64, documents: u64) -> f32 {
    let without = documents.saturating_sub(with_term) as f32;
    (1.0 + (without + 0.5) / (with_term as f32 + 0.5)).ln()
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

/// Cosine similarity, summed in term order: a hash map's order changes from
/// one process to the next, and so did the last bits of a sum over it, which
/// was enough to swap two equally similar incidents between restarts.
fn cosine(a: &Vector, b: &Vector) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let dot: f32 = in_term_order(small)
        .into_iter()
        .filter_map(|(t, w)| large.get(t).map(|x| w * x))
        .sum();
    let norm = |v: &Vector| {
        in_term_order(v)
            .into_iter()
            .map(|(_, w)| w * w)
            .sum::<f32>()
            .sqrt()
    };
    let denom = norm(a) * norm(b);
    if denom == 0.0 {
        0.0
    } else {
        (dot / denom).clamp(0.0, 1.0)
    }
}

fn in_term_order(v: &Vector) -> Vec<(&str, f32)> {
    let mut terms: Vec<(&str, f32)> = v.iter().map(|(t, &w)| (t.as_str(), w)).collect();
    terms.sort_unstable_by(|x, y| x.0.cmp(y.0));
    terms
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
    fn cosine_does_not_depend_on_the_order_terms_were_added() {
        let weights: Vec<(String, f32)> = (0..300)
            .map(|i| (format!("term{i}"), 1.0 / (1.0 + (i * 7919 % 113) as f32)))
            .collect();
        let forward: Vector = weights.iter().cloned().collect();
        let other: Vector = weights.iter().step_by(2).cloned().collect();
        let expected = cosine(&forward, &other).to_bits();
        for round in 0..20 {
            let shuffled: Vector = weights.iter().rev().skip(round).cloned().collect();
            let full: Vector = shuffled.into_iter().chain(forward.clone()).collect();
            assert_eq!(cosine(&full, &other).to_bits(), expected, "round {round}");
            assert_eq!(cosine(&other, &full).to_bits(), expected, "round {round}");
        }
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
