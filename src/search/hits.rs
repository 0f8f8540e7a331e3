//! Turning a matched document into a hit: stored fields, highlighted title or
//! text, and the best snippet (tantivy's `SnippetGenerator`, one per field).

use chrono::NaiveDate;
use tantivy::query::Query;
use tantivy::schema::{Field, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::error::SearchError;
use super::index::SearchIndex;
use super::query::Kind;
use super::results::{ActionHit, Highlighted, IncidentHit, SearchSection, Snippet};
use super::schema::Fields;

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
    sections: Vec<(SearchSection, Field, SnippetGenerator)>,
}

fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    chars: usize,
) -> Result<SnippetGenerator, SearchError> {
    let mut g = SnippetGenerator::create(searcher, query, field)?;
    g.set_max_num_chars(chars);
    Ok(g)
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
                    sections.push((
                        section,
                        field,
                        generator(searcher, query, field, SNIPPET_CHARS)?,
                    ));
                }
                (generator(searcher, query, f.title, WHOLE_CHARS)?, sections)
            }
            Kind::Action => (generator(searcher, query, f.text, WHOLE_CHARS)?, Vec::new()),
        };
        Ok(HitBuilder {
            searcher,
            fields: f,
            whole,
            sections,
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
        for (section, field, g) in &self.sections {
            let Some(text) = text_of(&doc, *field) else {
                continue;
            };
            let s = g.snippet(&text);
            if s.is_empty() {
                continue;
            }
            matched.push(*section);
            let range = s.fragment_range();
            let fragment = Highlighted::new(s.fragment(), s.highlighted());
            let distinct = distinct_marks(&fragment);
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
            incident_title: text_of(&doc, f.title).unwrap_or_default(),
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

/// Number of different words highlighted (a fragment with both query words wins).
fn distinct_marks(h: &Highlighted) -> usize {
    let mut words: Vec<String> = h.marked().iter().map(|m| m.to_lowercase()).collect();
    words.sort();
    words.dedup();
    words.len()
}
