//! Days around the timeline: the summary's "On <date>" (the day a timeline of bare
//! times happened on) and headings between entries that name a day (`### Day 2`,
//! `**The next morning**`) without being entries themselves.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::grammar::{self, DatePart, TimePart};
use crate::model::{Document, SectionKind};

static ON_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|[.!]\s+|\n)(?:on|at|in the (?:early )?(?:morning|afternoon|evening|night) of",
        r"|on the (?:morning|afternoon|evening|night) of)\s+(?:the\s+)?"
    ))
    .expect("valid regex")
});

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
    let m = ON_DATE.find(&section.text)?;
    let head: String = section.text[m.end()..].chars().take(32).collect();
    let date = match grammar::parse_date(&head).0 {
        DatePart::Full(d) => d,
        DatePart::MonthDay { month, day } => NaiveDate::from_ymd_opt(doc.date?.year(), month, day)?,
        _ => return None,
    };
    Some((date, section.line))
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
