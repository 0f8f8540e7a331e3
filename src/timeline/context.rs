//! What the text around a timeline says about it: time-zone declarations ("All times in
//! PST", "*(All times US/Pacific, 24-hour clock.)*", a table header "Date and Time in CET",
//! `timezone:` in front matter), a date stated with one ("All times in PST, on February
//! 5th 2019"), zones used by times in the prose when nothing is declared, and the
//! summary's "On <date>" as the day a date-less timeline happened on.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::grammar::{self, DatePart};
use super::zones::{self, Expect, Found, Reading};
use crate::model::{Document, SectionKind};

/// A time-zone declaration in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    /// 1-based line it was read from.
    pub line: usize,
    pub reading: Reading,
    /// A date given with it ("…, on February 5th 2019").
    pub date: Option<NaiveDate>,
}

/// Everything the timeline stage reads from outside the timeline entries.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Explicit declarations, in line order.
    pub declarations: Vec<Declaration>,
    /// Declarations that name no zone coroner knows: (line, as written).
    pub unknown: Vec<(usize, String)>,
    /// The zone prose times use, when nothing is declared ("2.30 AM PST").
    pub inferred: Option<Declaration>,
    /// The summary's incident date ("On the evening of Feb 23"), with its line.
    pub summary_date: Option<(NaiveDate, usize)>,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

static ALL_TIMES: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\ball\s+(?:times|timestamps|dates\s+and\s+times|hours)\b",
        r"(?:\s+(?:are|were|listed|shown|given|written|expressed|reported|displayed|below))*",
        r"\s*(?:in\s+|:\s*)?(?:the\s+)?"
    ))
});
static TIMES_IN: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:times|timestamps)\s+(?:are\s+|were\s+)?",
        r"(?:(?:listed|shown|given|written|expressed|reported|displayed)\s+)?in\s+(?:the\s+)?"
    ))
});
static ZONE_IS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\btime[ -]?zones?\s*(?:is\s+|:\s*|=\s*|-\s+)"));
static HEADER_KEY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:date|time|timestamp|when)\b"));
static SEPARATOR_ROW: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*\|?\s*:?-+:?\s*(?:\||$)"));
static PROSE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b\d{1,2}(?:[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)\s+")
});
static ON_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)(?:^|[.!]\s+|\n)(?:on|at|in the (?:early )?(?:morning|afternoon|evening|night) of",
        r"|on the (?:morning|afternoon|evening|night) of)\s+(?:the\s+)?"
    ))
});

/// Read the context of `doc`'s timeline from its raw `text`.
pub fn scan(doc: &Document, text: &str) -> Context {
    let mut ctx = Context::default();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in prose_lines(&lines, doc.front_matter.end_line) {
        let is_header = line.trim_start().starts_with('|')
            && lines
                .get(i + 1)
                .is_some_and(|next| SEPARATOR_ROW.is_match(next));
        if is_header {
            header_zone(&mut ctx, i + 1, line);
        } else {
            prose_declaration(&mut ctx, i + 1, line);
        }
    }
    front_matter_zone(&mut ctx, doc, &lines);
    ctx.declarations.sort_by_key(|d| d.line);
    if ctx.declarations.is_empty() {
        ctx.inferred = infer_from_prose(&lines, doc);
    }
    ctx.summary_date = summary_date(doc);
    ctx
}

/// Lines outside front matter, code fences, block quotes (chat logs) and HTML comments,
/// with their 0-based index.
fn prose_lines<'a>(lines: &[&'a str], fm_end: usize) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let mut comment = false;
    for (i, line) in lines.iter().enumerate().skip(fm_end) {
        let t = line.trim_start();
        if let Some(open) = fence {
            if t.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            continue;
        }
        if comment || t.starts_with("<!--") {
            comment = !line.contains("-->");
            continue;
        }
        if !t.starts_with('>') {
            out.push((i, *line));
        }
    }
    out
}

fn prose_declaration(ctx: &mut Context, line_no: usize, line: &str) {
    let found = [
        (&*ALL_TIMES, Expect::Zone),
        (&*ZONE_IS, Expect::Zone),
        (&*TIMES_IN, Expect::Maybe),
    ]
    .into_iter()
    .find_map(|(pattern, expect)| {
        let m = pattern.find(line)?;
        let (found, used) = zones::zone_prefix(&line[m.end()..], expect)?;
        Some((found, &line[m.end() + used..]))
    });
    match found {
        Some((Found::Known(reading), rest)) => ctx.declarations.push(Declaration {
            line: line_no,
            reading,
            date: stated_date(rest),
        }),
        Some((Found::Unknown(written), _)) => ctx.unknown.push((line_no, written)),
        None => {}
    }
}

/// `, on February 5th 2019`: a full date right after a declaration.
fn stated_date(rest: &str) -> Option<NaiveDate> {
    let head: String = rest.chars().take(40).collect();
    match grammar::parse(&head).date {
        DatePart::Full(d) => Some(d),
        _ => None,
    }
}

/// `| Date and Time in CET | Event |`, `| Time (UTC) | … |`: a zone after a date/time
/// word in a header cell.
fn header_zone(ctx: &mut Context, line_no: usize, line: &str) {
    for cell in line.split('|') {
        let Some(key) = HEADER_KEY.find(cell) else {
            continue;
        };
        let starts = cell[key.end()..]
            .char_indices()
            .filter(|(i, c)| c.is_alphanumeric() || (*i == 0 && matches!(c, '+' | '-')))
            .map(|(i, _)| key.end() + i)
            .filter(|&i| i == key.end() || !cell[..i].ends_with(|c: char| c.is_alphanumeric()));
        for start in starts {
            if let Some((Found::Known(reading), _)) =
                zones::zone_prefix(&cell[start..], Expect::Maybe)
            {
                ctx.declarations.push(Declaration {
                    line: line_no,
                    reading,
                    date: None,
                });
                return;
            }
        }
    }
}

/// `timezone: Europe/Oslo` (also `time_zone`, `tz`) in the front matter.
fn front_matter_zone(ctx: &mut Context, doc: &Document, lines: &[&str]) {
    const KEYS: &[&str] = &["timezone", "time_zone", "time-zone", "timeZone", "tz"];
    let Some((key, value)) = KEYS.iter().find_map(|k| {
        let v = doc.front_matter.fields.get(*k)?.as_str()?;
        Some((*k, v))
    }) else {
        return;
    };
    let line = lines
        .iter()
        .take(doc.front_matter.end_line)
        .position(|l| l.trim_start().starts_with(key))
        .map_or(1, |i| i + 1);
    match zones::parse_zone(value) {
        Some(Found::Known(reading)) => ctx.declarations.push(Declaration {
            line,
            reading,
            date: None,
        }),
        _ => ctx.unknown.push((line, value.to_string())),
    }
}

/// When nothing is declared but prose times name one zone ("between 2 AM and 2.30 AM
/// PST"), that zone; none when they disagree.
fn infer_from_prose(lines: &[&str], doc: &Document) -> Option<Declaration> {
    let mut seen: Option<Declaration> = None;
    for (i, line) in prose_lines(lines, doc.front_matter.end_line) {
        if doc.timeline.iter().any(|e| e.line == i + 1) {
            continue;
        }
        for m in PROSE_TIME.find_iter(line) {
            let Some((Found::Known(reading), _)) =
                zones::zone_prefix(&line[m.end()..], Expect::Maybe)
            else {
                continue;
            };
            match &seen {
                Some(first) if first.reading.zone != reading.zone => return None,
                Some(_) => {}
                None => {
                    seen = Some(Declaration {
                        line: i + 1,
                        reading,
                        date: None,
                    })
                }
            }
        }
    }
    seen
}

/// "On Friday 29 November 2019, …", "On the evening of Feb 23, …" in the summary: the
/// day the incident happened, which a timeline of bare times happened on.
fn summary_date(doc: &Document) -> Option<(NaiveDate, usize)> {
    let section = doc
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::Summary)?;
    let m = ON_DATE.find(&section.text)?;
    let head: String = section.text[m.end()..].chars().take(32).collect();
    let label = grammar::parse(&head);
    let date = match label.date {
        DatePart::Full(d) => d,
        DatePart::MonthDay { month, day } => NaiveDate::from_ymd_opt(doc.date?.year(), month, day)?,
        _ => return None,
    };
    Some((date, section.line))
}

#[cfg(test)]
#[path = "context_tests.rs"]
mod tests;
