//! What a search returns: ranked hits with highlighted text (byte ranges, and
//! HTML that is escaped except for the `<mark>` tags we add), pagination and
//! facet counts. Everything serializes to JSON for the CLI and the API.

use std::ops::Range;

use chrono::NaiveDate;
use serde::Serialize;

use super::query::Kind;

/// Text with highlighted parts. `highlights` are byte ranges into `text`;
/// `html` is `text` HTML-escaped with each highlight wrapped in `<mark>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Highlighted {
    pub text: String,
    pub highlights: Vec<Range<usize>>,
    pub html: String,
}

impl Highlighted {
    /// Build from text and byte ranges; whitespace runs (newlines, indentation)
    /// become single spaces, ranges are remapped and merged.
    pub fn new(text: &str, ranges: &[Range<usize>]) -> Highlighted {
        let mut ranges: Vec<Range<usize>> = ranges
            .iter()
            .filter(|r| r.start < r.end && r.end <= text.len())
            .filter(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
            .cloned()
            .collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut out = String::with_capacity(text.len());
        let mut map = vec![0usize; text.len() + 1];
        let mut last_space = true;
        for (i, c) in text.char_indices() {
            map[i] = out.len();
            if c.is_whitespace() {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
            } else {
                out.push(c);
                last_space = false;
            }
        }
        map[text.len()] = out.len();
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        let mut highlights: Vec<Range<usize>> = Vec::new();
        for r in ranges {
            let (s, e) = (map[r.start].min(trimmed), map[r.end].min(trimmed));
            match highlights.last_mut() {
                Some(last) if s <= last.end => last.end = last.end.max(e),
                _ if s < e => highlights.push(s..e),
                _ => {}
            }
        }
        let html = to_html(&out, &highlights);
        Highlighted {
            text: out,
            highlights,
            html,
        }
    }

    /// Text without highlights.
    pub fn plain(text: &str) -> Highlighted {
        Highlighted::new(text, &[])
    }

    /// The highlighted parts, e.g. for tests and terminals.
    pub fn marked(&self) -> Vec<&str> {
        self.highlights
            .iter()
            .map(|r| &self.text[r.clone()])
            .collect()
    }
}

/// Escape text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn to_html(text: &str, highlights: &[Range<usize>]) -> String {
    let mut html = String::new();
    let mut at = 0;
    for r in highlights {
        html.push_str(&escape_html(&text[at..r.start]));
        html.push_str("<mark>");
        html.push_str(&escape_html(&text[r.clone()]));
        html.push_str("</mark>");
        at = r.end;
    }
    html.push_str(&escape_html(&text[at..]));
    html
}

/// The part of an incident a match was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchSection {
    Title,
    Summary,
    RootCause,
    Impact,
    Lessons,
    Resolution,
    FullText,
}

impl SearchSection {
    pub const ALL: &'static [SearchSection] = &[
        SearchSection::Title,
        SearchSection::Summary,
        SearchSection::RootCause,
        SearchSection::Impact,
        SearchSection::Lessons,
        SearchSection::Resolution,
        SearchSection::FullText,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SearchSection::Title => "title",
            SearchSection::Summary => "summary",
            SearchSection::RootCause => "root_cause",
            SearchSection::Impact => "impact",
            SearchSection::Lessons => "lessons",
            SearchSection::Resolution => "resolution",
            SearchSection::FullText => "full_text",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            SearchSection::Title => "title",
            SearchSection::Summary => "summary",
            SearchSection::RootCause => "root cause",
            SearchSection::Impact => "impact",
            SearchSection::Lessons => "lessons learned",
            SearchSection::Resolution => "resolution",
            SearchSection::FullText => "full text",
        }
    }
}

/// A fragment of a section around the matched words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub section: SearchSection,
    /// Whether text was cut before / after the fragment (show an ellipsis).
    pub cut_before: bool,
    pub cut_after: bool,
    pub fragment: Highlighted,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentHit {
    pub slug: String,
    pub title: Highlighted,
    pub date: Option<NaiveDate>,
    pub tags: Vec<String>,
    pub has_findings: bool,
    pub source: String,
    pub score: f32,
    pub snippet: Option<Snippet>,
    /// Every section where the query's words were found.
    pub matched_sections: Vec<SearchSection>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionHit {
    pub id: i64,
    pub incident_slug: String,
    pub incident_title: String,
    pub incident_date: Option<NaiveDate>,
    pub text: Highlighted,
    pub group: Option<String>,
    pub status: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    pub score: f32,
}

/// How many matching documents have a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Counts over all matching documents (not only the page shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Newest year first.
    pub years: Vec<FacetCount>,
    /// Incidents: most frequent tags.
    pub tags: Vec<FacetCount>,
    /// Incidents: sections where the words matched (`root_cause`, …).
    pub sections: Vec<FacetCount>,
    /// Action items: by status.
    pub statuses: Vec<FacetCount>,
    /// Action items: by group.
    pub groups: Vec<FacetCount>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults<H> {
    pub query: String,
    pub kind: Kind,
    /// Number of matching documents in all.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<H>,
    pub facets: Facets,
    /// No document had every word: these results have any of them.
    pub relaxed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_around_marks() {
        let h = Highlighted::new(
            "<script>x</script> helm & co",
            &[Range { start: 19, end: 23 }],
        );
        assert_eq!(h.marked(), ["helm"]);
        assert_eq!(
            h.html,
            "&lt;script&gt;x&lt;/script&gt; <mark>helm</mark> &amp; co"
        );
    }

    #[test]
    fn whitespace_collapses_and_ranges_follow() {
        let h = Highlighted::new("a\n\n   kube-dns\tdown \n", &[6..10, 11..14, 9..12]);
        assert_eq!(h.text, "a kube-dns down");
        assert_eq!(h.highlights, vec![2..10]);
        let bad = Highlighted::new("héllo", &[2..3, 0..99]);
        assert!(
            bad.highlights.is_empty(),
            "ranges off char boundaries are dropped"
        );
    }
}
