//! What the text around a timeline says about it: time-zone declarations ("All times in
//! PST", "*(All times US/Pacific, 24-hour clock.)*", a table header "Date and Time in CET",
//! `timezone:` in front matter), a date stated with one ("All times in PST, on February
//! 5th 2019"), zones used by times in the prose when nothing is declared, and the
//! summary's "On <date>" as the day a date-less timeline happened on.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::days;
use super::grammar::{self, DatePart};
use super::zones::{self, Expect, Found, Reading};
use crate::model::Document;
use crate::parse::Body;

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
    /// Per entry: a heading between it and the entry before that names a day but is
    /// not an entry itself (`### Day 2`, `### The next morning`).
    pub day_markers: Vec<Option<String>>,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

const ALL_TIMES: &str = concat!(
    r"(?i)\ball\s+(?:times|timestamps|dates\s+and\s+times|hours)\b",
    r"(?:\s+(?:are|were|listed|shown|given|written|expressed|reported|displayed|below))*",
    r"\s*(?:in\s+|:\s*)?(?:the\s+)?"
);
const TIMES_IN: &str = concat!(
    r"(?i)\b(?:times|timestamps)\s+(?:(?:are|were)\s+(?:in\s+)?|",
    r"(?:(?:are|were)\s+)?(?:(?:listed|shown|given|written|expressed|reported|displayed)\s+)?in\s+)",
    r"(?:the\s+)?"
);
/// `## Timeline (UTC)`, `## Timeline - all times PDT`, `### Timeline in CET`.
const TIMELINE_HEADING: &str =
    r"(?i)^\s*#{1,6}\s*timeline\b[^(\[]*?(?:[(\[]\s*(?:times?\s+(?:in\s+)?)?|\s+in\s+|\s*[-–:]\s*)";
const ZONE_IS: &str = r"(?i)\btime[ -]?zones?\s*(?:is\s+|:\s*|=\s*|-\s+)";

/// The declaration patterns, tried in this order: how sure each is that a zone
/// follows, and whether the zone may come a few words later ("All times are local
/// time (CET)").
const DECLARATION_PATTERNS: [(&str, Expect, bool); 4] = [
    (ALL_TIMES, Expect::Zone, true),
    (ZONE_IS, Expect::Zone, false),
    (TIMES_IN, Expect::Maybe, false),
    (TIMELINE_HEADING, Expect::Maybe, false),
];
static DECLARATIONS: LazyLock<Vec<Regex>> =
    LazyLock::new(|| DECLARATION_PATTERNS.iter().map(|p| re(p.0)).collect());
static HEADER_KEY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:date|time|timestamp|when)\b"));
static SEPARATOR_ROW: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*\|?\s*:?-+:?\s*(?:\||$)"));
static PROSE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b\d{1,2}(?:[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)\s+")
});

/// Read the context of `doc`'s timeline from its raw `text`.
#[cfg(test)]
pub fn scan(doc: &Document, text: &str) -> Context {
    let index = crate::parse::lines::LineIndex::new(text);
    let lines = index.lines(text);
    let body = Body {
        text,
        index: &index,
        lines: &lines,
    };
    scan_body(doc, text, &body)
}

/// Read the context of `doc`'s timeline from the `body` parse read: the raw `text`
/// with its front matter blanked, so the same lines. Only the front matter's own
/// lines are read from `text`.
pub fn scan_body(doc: &Document, text: &str, body: &Body) -> Context {
    let mut ctx = Context::default();
    let (index, lines) = (body.index, body.lines);
    let prose = prose_lines(lines, doc.front_matter.end_line);
    // Every declaration pattern needs `time` or `hour`, which never spans lines: one
    // search over the whole text finds the few lines worth trying them on.
    let mut hinted = vec![false; lines.len()];
    let mut at = 0;
    while let Some(m) = DECLARATION_HINT.find_at(body.text, at) {
        let line = index.line_of(m.start());
        if let Some(h) = hinted.get_mut(line - 1) {
            *h = true;
        }
        // On to the next line: one hint is enough.
        let next = index.start_of(line + 1);
        if next <= m.start() {
            break;
        }
        at = next;
    }
    for &(i, line) in &prose {
        let is_header = line.trim_start().starts_with('|')
            && lines
                .get(i + 1)
                .is_some_and(|next| SEPARATOR_ROW.is_match(next));
        if is_header {
            header_zone(&mut ctx, i + 1, line);
        } else if hinted.get(i).copied().unwrap_or(false) {
            prose_declaration(&mut ctx, i + 1, line);
        }
    }
    front_matter_zone(&mut ctx, doc, text);
    ctx.declarations.sort_by_key(|d| d.line);
    if ctx.declarations.is_empty() {
        ctx.inferred = infer_from_prose(&prose, doc);
    }
    ctx.summary_date = days::summary_date(doc);
    ctx.day_markers = days::day_markers(doc, lines, &prose);
    ctx
}

/// Lines outside front matter, code fences, block quotes (chat logs) and HTML comments,
/// with their 0-based index.
pub(super) fn prose_lines<'a>(lines: &[&'a str], fm_end: usize) -> Vec<(usize, &'a str)> {
    let mut out = Vec::with_capacity(lines.len().saturating_sub(fm_end));
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

/// Every declaration pattern below needs `time` or `hour` (same case rules).
static DECLARATION_HINT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)time|hour"));

/// A declaration on a line that holds `time` or `hour`.
fn prose_declaration(ctx: &mut Context, line_no: usize, line: &str) {
    // On an ASCII line each pattern needs its word in any case (other lines are left to
    // the patterns: Unicode case folding): most lines are ruled out without a search.
    let lower = line.is_ascii().then(|| line.to_ascii_lowercase());
    let has = |word: &str| lower.as_deref().is_none_or(|l| l.contains(word));
    let heading = || lower.is_none() || line.trim_start().starts_with('#');
    let worth = [has("all"), has("zone"), has("times"), heading()];
    let found = DECLARATION_PATTERNS
        .iter()
        .zip(DECLARATIONS.iter())
        .zip(worth)
        .filter(|(_, worth)| *worth)
        .find_map(|((&(_, expect, later), pattern), _)| {
            let m = pattern.find(line)?;
            let rest = &line[m.end()..];
            let (found, used) = zones::zone_prefix(rest, expect)
                .or_else(|| later.then(|| later_in_sentence(rest)).flatten())?;
            Some((found, m.start(), m.end() + used))
        });
    match found {
        Some((Found::Known(reading), start, end)) => ctx.declarations.push(Declaration {
            line: line_no,
            reading,
            date: stated_date(&format!("{} {}", &line[..start], &line[end..])),
        }),
        Some((Found::Unknown(written), ..)) => ctx.unknown.push((line_no, written)),
        None => {}
    }
}

/// The first known zone a few words into the sentence.
fn later_in_sentence(rest: &str) -> Option<(Found, usize)> {
    let sentence = rest.split(['.', ';']).next().unwrap_or(rest);
    let sentence = &sentence[..sentence.len().min(60)];
    sentence
        .char_indices()
        .filter(|&(i, c)| c.is_alphanumeric() && !sentence[..i].ends_with(char::is_alphanumeric))
        .find_map(
            |(i, _)| match zones::zone_prefix(&sentence[i..], Expect::Maybe)? {
                (Found::Known(r), used) => Some((Found::Known(r), i + used)),
                _ => None,
            },
        )
}

/// A full date on a declaration's line ("All times in PST, on February 5th 2019",
/// "2015-10-21 (all times UTC)").
fn stated_date(rest: &str) -> Option<NaiveDate> {
    match grammar::parse_date(rest).0 {
        DatePart::Full(d) => Some(d),
        _ => None,
    }
}

/// `| Date and Time in CET | Event |`, `| Time (UTC) | … |`, `| UTC time | … |`: a zone
/// in a header cell that names a date or time.
fn header_zone(ctx: &mut Context, line_no: usize, line: &str) {
    for cell in line.split('|').filter(|c| HEADER_KEY.is_match(c)) {
        let starts = cell
            .char_indices()
            .filter(|&(i, c)| {
                (c.is_alphanumeric() || c == '+') && !cell[..i].ends_with(char::is_alphanumeric)
            })
            .map(|(i, _)| i);
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

/// `timezone: Europe/Oslo` (also `time_zone`, `tz`) in the front matter of `text`.
fn front_matter_zone(ctx: &mut Context, doc: &Document, text: &str) {
    const KEYS: &[&str] = &["timezone", "time_zone", "time-zone", "timeZone", "tz"];
    let Some((key, value)) = KEYS.iter().find_map(|k| {
        let v = doc.front_matter.fields.get(*k)?.as_str()?;
        Some((*k, v))
    }) else {
        return;
    };
    let line = text
        .lines()
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
fn infer_from_prose(prose: &[(usize, &str)], doc: &Document) -> Option<Declaration> {
    // By 1-based line: does an entry start there.
    let mut entry_at = vec![false; prose.last().map_or(0, |&(i, _)| i + 2)];
    for e in &doc.timeline {
        if let Some(at) = entry_at.get_mut(e.line) {
            *at = true;
        }
    }
    let mut seen: Option<Declaration> = None;
    for &(i, line) in prose {
        if entry_at.get(i + 1).copied().unwrap_or(false) {
            continue;
        }
        if !may_have_prose_time(line) {
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

/// Whether [`PROSE_TIME`] may match `line`: in ASCII text, one or two digits then `:`
/// or `.` and a digit, or spaces and `a`/`p` (`2.30 AM`, `7 pm`); most lines with digits
/// (`503 errors`, `v0.6`) have neither. Other text is left to the pattern (`\d` and
/// `\s` are Unicode).
fn may_have_prose_time(line: &str) -> bool {
    if !line.is_ascii() {
        return true;
    }
    let b = line.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let space = |c: &&u8| c.is_ascii_whitespace() || **c == 0x0b;
    (0..b.len()).filter(|&i| digit(i)).any(|i| {
        let j = if digit(i + 1) { i + 2 } else { i + 1 };
        match b.get(j) {
            Some(b':' | b'.') => digit(j + 1),
            _ => {
                let k = j + b.get(j..).map_or(0, |r| r.iter().take_while(space).count());
                matches!(b.get(k), Some(b'a' | b'A' | b'p' | b'P'))
            }
        }
    })
}

#[cfg(test)]
#[path = "context_tests.rs"]
mod tests;
