//! Turning a matched document into a hit: stored fields, highlighted title or
//! text, and the best snippet (tantivy's `SnippetGenerator`, one per field,
//! made once per search). A section is only tokenized for a snippet when the
//! postings say the document has more of the query's terms in it than the best
//! snippet so far has: any other section's snippet would be empty or lose. The
//! generators of one search share one stem memory (`stem_cache`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use tantivy::query::Query;
use tantivy::schema::{Field, FieldType, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument, Term};

use super::analysis;
use super::error::SearchError;
use super::index::SearchIndex;
use super::query::Kind;
use super::results::{ActionHit, Highlighted, IncidentHit, SearchSection, Snippet};
use super::schema::Fields;

/// Hits on a page from which the second half is built on a second thread.
const PARALLEL_HITS: usize = 8;

/// Characters in a snippet fragment.
const SNIPPET_CHARS: usize = 220;
/// Longest title or action text highlighted whole.
const WHOLE_CHARS: usize = 4000;

/// Builds hits for one search (generators are made once per search).
pub(crate) struct HitBuilder<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// The highlighted-whole field (incident title or action text).
    whole: SnippetGenerator,
    /// Incidents: section snippet generators, in display priority.
    sections: Vec<SectionSnippets>,
    /// The search analyzer (with this search's stem memory), for telling
    /// which terms a highlighted word is.
    english: TextAnalyzer,
}

/// The snippet generator of one section and the terms it highlights.
struct SectionSnippets {
    section: SearchSection,
    field: Field,
    /// The query's terms in this field that are in the index.
    terms: Vec<Term>,
    generator: SnippetGenerator,
}

/// Like `SnippetGenerator::create`, also returning the terms it highlights: the
/// query's terms in `field` found in the index, each scored `1 / (1 + doc freq)`.
fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    chars: usize,
    english: &TextAnalyzer,
) -> Result<(Vec<Term>, SnippetGenerator), SearchError> {
    let mut terms: BTreeSet<Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut kept = Vec::new();
    let mut scores: BTreeMap<String, f32> = BTreeMap::new();
    for term in terms {
        let Some(text) = term.value().as_str().map(str::to_string) else {
            continue;
        };
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            scores.insert(text, 1.0 / (1.0 + doc_freq as f32));
            kept.push(term);
        }
    }
    let tokenizer = if analyzer_name(searcher, field) == Some(analysis::EN) {
        english.clone()
    } else {
        searcher.index().tokenizer_for_field(field)?
    };
    Ok((kept, SnippetGenerator::new(scores, tokenizer, field, chars)))
}

/// The name of the analyzer `field` is indexed with.
fn analyzer_name(searcher: &Searcher, field: Field) -> Option<&str> {
    match searcher.schema().get_field_entry(field).field_type() {
        FieldType::Str(options) => options.get_indexing_options().map(|o| o.tokenizer()),
        _ => None,
    }
}

/// How many of `terms` (all of one field) the document has in the index; a
/// term the index cannot answer for counts as present (the snippet decides).
fn present(searcher: &Searcher, addr: DocAddress, field: Field, terms: &[Term]) -> usize {
    let reader = searcher.segment_reader(addr.segment_ord);
    let Ok(inverted) = reader.inverted_index(field) else {
        return terms.len();
    };
    terms
        .iter()
        .filter(
            |term| match inverted.read_postings(term, IndexRecordOption::Basic) {
                // `seek` only moves forward: the cursor starts on the first document.
                Ok(Some(mut postings)) => {
                    postings.doc() == addr.doc_id
                        || (postings.doc() < addr.doc_id
                            && postings.seek(addr.doc_id) == addr.doc_id)
                }
                Ok(None) => false,
                Err(_) => true,
            },
        )
        .count()
}

/// Highlight the whole `text` (not only a fragment of it).
fn highlight_whole(g: &SnippetGenerator, text: &str) -> Highlighted {
    let snippet = g.snippet(text);
    let start = snippet.fragment_range().start;
    let ranges: Vec<_> = snippet
        .highlighted()
        .iter()
        .map(|r| r.start + start..r.end + start)
        .collect();
    Highlighted::new(text, &ranges)
}

pub(crate) fn date_of(doc: &TantivyDocument, field: Field) -> Option<NaiveDate> {
    let secs = doc.get_first(field)?.as_datetime()?.into_timestamp_secs();
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.date_naive())
}

pub(crate) fn text_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)?.as_str().map(str::to_string)
}

fn texts_of(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

impl<'a> HitBuilder<'a> {
    pub fn new(
        index: &'a SearchIndex,
        searcher: &'a Searcher,
        query: &dyn Query,
        kind: Kind,
    ) -> Result<Self, SearchError> {
        let f = &index.fields;
        // One stem memory for all the snippets of this search.
        let english = analysis::english_cached();
        let make = |field, chars| generator(searcher, query, field, chars, &english);
        let (whole, sections) = match kind {
            Kind::Incident => {
                let mut sections = Vec::new();
                for (section, field) in [
                    (SearchSection::Summary, f.summary),
                    (SearchSection::RootCause, f.root),
                    (SearchSection::Impact, f.impact),
                    (SearchSection::Resolution, f.resolution),
                    (SearchSection::Lessons, f.lessons),
                    (SearchSection::FullText, f.body),
                ] {
                    let (terms, generator) = make(field, SNIPPET_CHARS)?;
                    if !terms.is_empty() {
                        sections.push(SectionSnippets {
                            section,
                            field,
                            terms,
                            generator,
                        });
                    }
                }
                (make(f.title, WHOLE_CHARS)?.1, sections)
            }
            Kind::Action => (make(f.text, WHOLE_CHARS)?.1, Vec::new()),
        };
        Ok(HitBuilder {
            searcher,
            fields: f,
            whole,
            sections,
            english,
        })
    }

    fn doc(&self, addr: DocAddress) -> Result<TantivyDocument, SearchError> {
        Ok(self.searcher.doc::<TantivyDocument>(addr)?)
    }

    pub fn incident(&self, score: f32, addr: DocAddress) -> Result<IncidentHit, SearchError> {
        let f = self.fields;
        let doc = self.doc(addr)?;
        let title = highlight_whole(&self.whole, &text_of(&doc, f.title).unwrap_or_default());
        let mut matched = Vec::new();
        if !title.highlights.is_empty() {
            matched.push(SearchSection::Title);
        }
        let mut best: Option<(usize, Snippet)> = None;
        for SectionSnippets {
            section,
            field,
            terms,
            generator,
        } in &self.sections
        {
            let present = present(self.searcher, addr, *field, terms);
            if present == 0 {
                continue;
            }
            // The snippet goes to the first section with the most query words:
            // one with no more of them here than the best so far cannot win,
            // and is not tokenized (the full text, last, is the longest).
            if best.as_ref().is_some_and(|(n, _)| *n >= present) {
                matched.push(*section);
                continue;
            }
            let Some(text) = text_of(&doc, *field) else {
                continue;
            };
            let s = generator.snippet(&text);
            if s.is_empty() {
                continue;
            }
            matched.push(*section);
            let range = s.fragment_range();
            let fragment = Highlighted::new(s.fragment(), s.highlighted());
            let distinct = distinct_terms(&self.english, &fragment);
            if best.as_ref().is_none_or(|(n, _)| distinct > *n) {
                let snippet = Snippet {
                    section: *section,
                    cut_before: range.start > 0,
                    cut_after: range.end < text.trim_end().len(),
                    fragment,
                };
                best = Some((distinct, snippet));
            }
        }
        let snippet = best.map(|(_, s)| s).or_else(|| self.opening(&doc));
        Ok(IncidentHit {
            slug: text_of(&doc, f.slug).unwrap_or_default(),
            title,
            date: date_of(&doc, f.date),
            tags: texts_of(&doc, f.tags),
            has_findings: doc
                .get_first(f.has_findings)
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            source: text_of(&doc, f.source).unwrap_or_default(),
            score,
            snippet,
            matched_sections: matched,
        })
    }

    /// Without highlighted words (filters only): the start of the summary or text.
    fn opening(&self, doc: &TantivyDocument) -> Option<Snippet> {
        let (section, text) = [
            (SearchSection::Summary, self.fields.summary),
            (SearchSection::FullText, self.fields.body),
        ]
        .into_iter()
        .find_map(|(s, field)| {
            text_of(doc, field)
                .filter(|t| !t.trim().is_empty())
                .map(|t| (s, t))
        })?;
        let end = text
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map_or(text.len(), |(i, _)| i);
        Some(Snippet {
            section,
            cut_before: false,
            cut_after: end < text.trim_end().len(),
            fragment: Highlighted::plain(&text[..end]),
        })
    }

    pub fn action(&self, score: f32, addr: DocAddress) -> Result<ActionHit, SearchError> {
        let f = self.fields;
        let doc = self.doc(addr)?;
        Ok(ActionHit {
            id: doc
                .get_first(f.action_id)
                .and_then(|v| v.as_i64())
                .unwrap_or_default(),
            incident_slug: text_of(&doc, f.slug).unwrap_or_default(),
            incident_title: text_of(&doc, f.incident_title).unwrap_or_default(),
            incident_date: date_of(&doc, f.date),
            text: highlight_whole(&self.whole, &text_of(&doc, f.text).unwrap_or_default()),
            group: text_of(&doc, f.group),
            status: text_of(&doc, f.status).unwrap_or_default(),
            owner: text_of(&doc, f.owner),
            due: date_of(&doc, f.due),
            score,
        })
    }
}

/// The hits of a page, in order. A page of several hits is built half on
/// another thread, with its own builder: snippets tokenize each hit's sections,
/// which was a third of a search's time at 100k (one builder's stem memory is
/// locked per text, so the two halves do not share one).
pub(crate) fn build_all<H: Send>(
    index: &SearchIndex,
    searcher: &Searcher,
    query: &dyn Query,
    kind: Kind,
    docs: &[(f32, DocAddress)],
    build: &(dyn Fn(&HitBuilder, f32, DocAddress) -> Result<H, SearchError> + Sync),
) -> Result<Vec<H>, SearchError> {
    let build_part = |part: &[(f32, DocAddress)]| -> Result<Vec<H>, SearchError> {
        let builder = HitBuilder::new(index, searcher, query, kind)?;
        part.iter()
            .map(|&(score, addr)| build(&builder, score, addr))
            .collect()
    };
    if docs.len() < PARALLEL_HITS {
        return build_part(docs);
    }
    let (first, second) = docs.split_at(docs.len() / 2);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| build_part(second));
        let mut hits = build_part(first)?;
        let rest = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        hits.extend(rest);
        Ok(hits)
    })
}

/// Number of different query terms highlighted (a fragment with both query
/// words wins; `cluster` and `clusters` are one).
fn distinct_terms(english: &TextAnalyzer, h: &Highlighted) -> usize {
    let mut terms: Vec<String> = h
        .marked()
        .iter()
        .flat_map(|m| analysis::tokens(english, m))
        .map(|(_, term)| term)
        .collect();
    terms.sort();
    terms.dedup();
    terms.len()
}
