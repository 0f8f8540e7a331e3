//! Zone labels → zones: abbreviations, spelled-out and city names, IANA names and UTC
//! offsets, with the season a label claims, misspellings read as their nearest zone and
//! ambiguous abbreviations flagged. A [`Zone`] turns wall-clock times into offsets.

use std::sync::LazyLock;

use chrono::{FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetComponents, OffsetName, TZ_VARIANTS, Tz};
use regex::Regex;

use super::zone_table::{self, Season};

/// A zone with rules (IANA) or a fixed UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Named(Tz),
    Fixed(FixedOffset),
}

/// The offset a zone has at one wall-clock time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalOffset {
    pub offset: FixedOffset,
    /// Daylight saving time is in effect.
    pub dst: bool,
    /// The zone's own abbreviation then (`PDT`), or the offset for fixed zones.
    pub abbr: String,
}

impl Zone {
    pub const UTC: Zone = Zone::Named(Tz::UTC);

    /// IANA name, `UTC`, or an offset such as `+01:00`.
    pub fn name(&self) -> String {
        match self {
            Zone::Named(tz) => tz.name().to_string(),
            Zone::Fixed(o) if o.local_minus_utc() == 0 => "UTC".to_string(),
            Zone::Fixed(o) => o.to_string(),
        }
    }

    /// The offsets a wall-clock time can have: one, two (the autumn fold) or none
    /// (the spring gap).
    pub fn local_offsets(&self, local: &NaiveDateTime) -> LocalResult<LocalOffset> {
        match self {
            Zone::Fixed(o) => LocalResult::Single(LocalOffset {
                offset: *o,
                dst: false,
                abbr: o.to_string(),
            }),
            Zone::Named(tz) => tz.offset_from_local_datetime(local).map(|o| LocalOffset {
                offset: o.fix(),
                dst: !o.dst_offset().is_zero(),
                abbr: o.abbreviation().unwrap_or("").to_string(),
            }),
        }
    }
}

/// What a zone label means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The label as written (`PST`, `UTC+1 (Zurich time)`).
    pub written: String,
    pub zone: Zone,
    /// The season the label claims (`PST` standard, `PDT` daylight), if any.
    pub season: Option<Season>,
    /// An offset written beside a region (`PDT (UTC-7)`, `UTC+1 (Zurich time)`).
    pub offset: Option<FixedOffset>,
    pub note: Option<Note>,
}

/// Why a reading deserves a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The abbreviation has other common readings (named here).
    Ambiguous(&'static str),
    /// The label is not a known zone; this is the nearest one.
    Misspelt,
}

/// A zone phrase found at the start of some text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Known(Reading),
    /// Looks like a zone (an IANA-style name, an upper-case token) but is not one.
    Unknown(String),
}

/// How strictly to read tokens: in a declaration a zone is expected, so upper-case
/// near-misses are misspellings; inside a label they may just be words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Zone,
    Maybe,
}

static OFFSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:(?i:utc|gmt|ut)\s?(?P<sign>[+\-−])\s?(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?",
        r"|(?P<sign2>[+\-−])(?P<h2>\d{2}):?(?P<m2>\d{2}))\b"
    ))
    .expect("valid regex")
});
static IANA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z][A-Za-z_]*(?:/[A-Za-z0-9_+\-]+)+").expect("valid regex")
});
static CITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z][A-Za-z'.\-]*(?: [A-Z][A-Za-z'.\-]*)?) (?i:time)\b").expect("valid regex")
});
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z]{1,5}\b").expect("valid regex"));
static PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\(([^()]{1,40})\)").expect("valid regex"));

/// Read a whole string as a zone (configuration, front matter): `None` if it is not one.
pub fn parse_zone(text: &str) -> Option<Found> {
    let mut text = text.trim().trim_end_matches(['.', ',', ';', '*']);
    if text.matches(')').count() > text.matches('(').count() {
        text = text.trim_end_matches(')');
    }
    let (found, used) = zone_prefix(text, Expect::Zone)?;
    text[used..].trim().is_empty().then_some(found)
}

/// The zone phrase at the start of `text` (after spaces) and the bytes it spans.
pub fn zone_prefix(text: &str, expect: Expect) -> Option<(Found, usize)> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let (found, used) = primary(rest, expect)?;
    let (found, used) = match (&found, PAREN.captures(&rest[used..])) {
        (Found::Known(first), Some(cap)) => match combine(first, &cap[1]) {
            Some(both) => (Found::Known(both), used + cap[0].len()),
            None => (found, used),
        },
        _ => (found, used),
    };
    Some((with_written(found, rest[..used].trim()), start + used))
}

fn with_written(found: Found, written: &str) -> Found {
    match found {
        Found::Known(r) => Found::Known(Reading {
            written: written.to_string(),
            ..r
        }),
        other => other,
    }
}

/// `UTC+1 (Zurich time)`, `PDT (UTC-7)`: a region and an offset; the region wins (it
/// knows DST), the offset is kept to check against it.
fn combine(first: &Reading, inner: &str) -> Option<Reading> {
    let (Found::Known(second), used) = primary(inner.trim(), Expect::Maybe)? else {
        return None;
    };
    if !inner.trim()[used..].trim().is_empty() {
        return None;
    }
    match (first.zone, second.zone) {
        (Zone::Fixed(o), Zone::Named(_)) => Some(Reading {
            offset: Some(o),
            ..second
        }),
        (Zone::Named(_), Zone::Fixed(o)) => Some(Reading {
            offset: Some(o),
            ..first.clone()
        }),
        _ => None,
    }
}

fn primary(text: &str, expect: Expect) -> Option<(Found, usize)> {
    offset(text)
        .or_else(|| iana(text, expect))
        .or_else(|| spelled_out(text))
        .or_else(|| city(text))
        .or_else(|| abbreviation(text, expect))
}

fn known(zone: Zone, season: Option<Season>, note: Option<Note>) -> Found {
    Found::Known(Reading {
        written: String::new(),
        zone,
        season,
        offset: None,
        note,
    })
}

fn offset(text: &str) -> Option<(Found, usize)> {
    // `UTC+1`, `GMT-0800`, or an attached `+01:00`; a bare `+1` or `- 12:49` is not one.
    let cap = OFFSET.captures(text)?;
    let part = |a: &str, b: &str| cap.name(a).or_else(|| cap.name(b)).map(|m| m.as_str());
    let hours: i32 = part("h", "h2")?.parse().ok()?;
    let minutes: i32 = part("m", "m2").map_or(Some(0), |m| m.parse().ok())?;
    let sign = if part("sign", "sign2")? == "+" { 1 } else { -1 };
    let fixed = FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?;
    let zone = if fixed.local_minus_utc() == 0 {
        Zone::UTC
    } else {
        Zone::Fixed(fixed)
    };
    Some((known(zone, None, None), cap[0].len()))
}

fn iana(text: &str, expect: Expect) -> Option<(Found, usize)> {
    let m = IANA.find(text)?;
    let name = m.as_str();
    if let Some(tz) = TZ_VARIANTS
        .iter()
        .find(|t| t.name().eq_ignore_ascii_case(name))
    {
        return Some((known(Zone::Named(*tz), None, None), m.end()));
    }
    let lower = name.to_ascii_lowercase();
    let nearest = TZ_VARIANTS
        .iter()
        .map(|t| (edit_distance(&lower, &t.name().to_ascii_lowercase()), *t))
        .min_by_key(|(d, _)| *d);
    match nearest {
        Some((d, tz)) if d <= 2 && d * 4 < name.len() => {
            Some((known(Zone::Named(tz), None, Some(Note::Misspelt)), m.end()))
        }
        _ if expect == Expect::Zone || starts_with_area(name) => {
            Some((Found::Unknown(name.to_string()), m.end()))
        }
        _ => None,
    }
}

fn starts_with_area(name: &str) -> bool {
    const AREAS: &[&str] = &[
        "africa/",
        "america/",
        "asia/",
        "atlantic/",
        "australia/",
        "europe/",
        "pacific/",
        "indian/",
        "us/",
        "etc/",
        "antarctica/",
    ];
    let lower = name.to_ascii_lowercase();
    AREAS.iter().any(|a| lower.starts_with(a))
}

fn spelled_out(text: &str) -> Option<(Found, usize)> {
    let lower = text.to_ascii_lowercase();
    zone_table::NAMES.iter().find_map(|row| {
        let rest = lower.strip_prefix(row.name)?;
        if rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return None;
        }
        let tz: Tz = row.iana.parse().ok()?;
        Some((known(Zone::Named(tz), row.season, None), row.name.len()))
    })
}

/// `Zurich time`, `New York time`: a city in the IANA list.
fn city(text: &str) -> Option<(Found, usize)> {
    let cap = CITY.captures(text)?;
    let wanted = cap[1].replace(' ', "_");
    let tz = TZ_VARIANTS.iter().find(|t| {
        t.name()
            .rsplit('/')
            .next()
            .is_some_and(|c| c.eq_ignore_ascii_case(&wanted))
            && t.name().contains('/')
    })?;
    Some((known(Zone::Named(*tz), None, None), cap[0].len()))
}

fn abbreviation(text: &str, expect: Expect) -> Option<(Found, usize)> {
    let token = WORD.find(text)?.as_str();
    let upper = token == token.to_ascii_uppercase();
    if let Some(row) = zone_table::abbreviation(token) {
        // Lower-case `z`, `pt`, `est` are words, not zones, unless a zone is expected.
        let lower_ok = token.eq_ignore_ascii_case("utc") || token.eq_ignore_ascii_case("gmt");
        if upper || lower_ok || (expect == Expect::Zone && token.len() >= 3) {
            let tz: Tz = row.iana.parse().ok()?;
            let note = row.also.map(Note::Ambiguous);
            return Some((known(Zone::Named(tz), row.season, note), token.len()));
        }
        return None;
    }
    let zone_like = upper && token.len() >= 3 && (expect == Expect::Zone || token.ends_with('T'));
    if !zone_like {
        return None;
    }
    let near = zone_table::ABBREVIATIONS
        .iter()
        .filter(|row| row.name.len() >= 3 && edit_distance(token, row.name) == 1)
        .min_by_key(|row| usize::from(row.name.len() != token.len()));
    match near {
        Some(row) => {
            let tz: Tz = row.iana.parse().ok()?;
            Some((
                known(Zone::Named(tz), row.season, Some(Note::Misspelt)),
                token.len(),
            ))
        }
        None if expect == Expect::Zone => Some((Found::Unknown(token.to_string()), token.len())),
        None => None,
    }
}

/// Optimal-string-alignment distance: edits plus adjacent transpositions (`PTS`/`PST`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
#[path = "zones_tests.rs"]
mod tests;
