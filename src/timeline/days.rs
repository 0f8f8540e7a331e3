//! Days around the timeline: the summary's "On <date>" (the day a timeline of bare
//! times happened on) and headings between entries that name a day (`### Day 2`,
//! `**The next morning**`) without being entries themselves.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex_automata::{Anchored, Input, meta};

use super::grammar::{self, DatePart, TimePart};
use crate::model::{Document, SectionKind};

const ON_DATE_PATTERN: &str = concat!(
    r"(?i)(?:^|[.!]\s+|\n)(?:on|at|in the (?:early )?(?:morning|afternoon|evening|night) of",
    r"|on the (?:morning|afternoon|evening|night) of)\s+(?:the\s+)?"
);
/// Searched anchored where a match can start (its `^` still means the text's start).
static ON_DATE: LazyLock<meta::Regex> =
    LazyLock::new(|| meta::Regex::new(ON_DATE_PATTERN).expect("valid regex"));

/// "On Friday 29 November 2019, …", "On the evening of Feb 23, …" in the summary: the
/// day the incident happened, which a timeline of bare times happened on.
pub fn summary_date(doc: &Document) -> Option<(NaiveDate, usize)> {
    // The summary, else the opening section (a report may open with its summary).
    let section = doc
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::Summary)
        .or_else(|| {
            doc.sections
                .first()
                .filter(|s| s.kind != SectionKind::Timeline)
        })?;
    let end = on_date_end(&section.text)?;
    let head: String = section.text[end..].chars().take(32).collect();
    let date = match grammar::parse_date(&head).0 {
        DatePart::Full(d) => d,
        DatePart::MonthDay { month, day } => NaiveDate::from_ymd_opt(doc.date?.year(), month, day)?,
        _ => return None,
    };
    Some((date, section.line))
}

/// Where [`ON_DATE`]'s leftmost match in `text` ends. A match starts at the text's
/// start, a `.`, `!` or newline: the pattern is tried, anchored, only there and only
/// when a word it needs (`on`, `at`, `in`) follows, which few sentences start with.
fn on_date_end(text: &str) -> Option<usize> {
    let starts = std::iter::once(0).chain(memchr::memchr3_iter(b'.', b'!', b'\n', text.as_bytes()));
    starts.filter(|&p| may_start_at(text, p)).find_map(|p| {
        let input = Input::new(text).range(p..).anchored(Anchored::Yes);
        ON_DATE.search(&input).map(|m| m.end())
    })
}

/// Whether a match of [`ON_DATE`] may start at byte `p`: after `^` (at 0), a newline,
/// or `.`/`!` and whitespace comes `on`, `at` or `in` in any case (or a character
/// other than ASCII, left to the pattern).
fn may_start_at(text: &str, p: usize) -> bool {
    let word_at = |q: usize| match text.as_bytes().get(q..q + 2) {
        Some(&[a, b]) if a.is_ascii() && b.is_ascii() => matches!(
            [a.to_ascii_lowercase(), b.to_ascii_lowercase()],
            [b'o', b'n'] | [b'a', b't'] | [b'i', b'n']
        ),
        Some(_) => true,
        None => false,
    };
    let after = |q: usize| text.get(q..).unwrap_or("");
    let sentence = || {
        let rest = after(p + 1);
        let spaces = rest.len() - rest.trim_start().len();
        spaces > 0 && word_at(p + 1 + spaces)
    };
    (p == 0 && word_at(0))
        || match text.as_bytes().get(p) {
            Some(b'\n') => word_at(p + 1),
            Some(b'.' | b'!') => sentence(),
            _ => false,
        }
}

/// Headings between consecutive entries that name a day and no time.
/// `prose`: the prose lines of `lines` (0-based index and text).
pub fn day_markers(
    doc: &Document,
    lines: &[&str],
    prose_lines: &[(usize, &str)],
) -> Vec<Option<String>> {
    // By 1-based line: is it prose (a flag per line, cheaper than a set).
    let mut prose = vec![false; lines.len() + 1];
    for &(i, _) in prose_lines {
        prose[i + 1] = true;
    }
    let mut previous = None;
    doc.timeline
        .iter()
        .map(|entry| {
            let from = previous.replace(entry.line)?;
            (from + 1..entry.line)
                .rev()
                .filter(|&n| prose.get(n).copied().unwrap_or(false))
                .filter_map(|n| lines.get(n - 1))
                .filter_map(|l| heading_text(l))
                .map(|h| h.trim_matches(|c: char| c == '#' || c == '*' || c.is_whitespace()))
                .find(|h| {
                    let label = grammar::parse(h);
                    label.time == TimePart::None
                        && (label.date != DatePart::None || label.weekday.is_some())
                })
                .map(str::to_string)
        })
        .collect()
}

/// The text of a heading line, or of a line that is bold and nothing else (`**Day 2**`).
fn heading_text(line: &str) -> Option<&str> {
    let t = line.trim();
    if let Some(h) = t.strip_prefix('#') {
        return Some(h);
    }
    let inner = t.strip_prefix("**")?.strip_suffix("**")?;
    (!inner.contains("**")).then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The anchored search at the places a match can start finds the match the
        /// pattern's own search finds.
        #[test]
        fn on_date_end_is_the_leftmost_match(
            text in "(On|on|AT|at|In|in|the|THE|early|morning|evening|of|[.!\n ]|\u{a0}|\t|x|7|ſ|İ|é){0,14}",
        ) {
            let re = regex::Regex::new(ON_DATE_PATTERN).expect("valid regex");
            prop_assert_eq!(on_date_end(&text), re.find(&text).map(|m| m.end()));
        }
    }
}
