//! The recognisers behind [`super::zone_prefix`]: UTC offsets, IANA names (with the
//! nearest name for a misspelling), spelled-out names, `<City> time` and abbreviations.

use std::sync::LazyLock;

use chrono::FixedOffset;
use chrono_tz::{TZ_VARIANTS, Tz};
use regex::Regex;

use super::super::zone_table::{self, Season};
use super::{Expect, Found, Note, Reading, Zone};

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
fn known(zone: Zone, season: Option<Season>, note: Option<Note>) -> Found {
    Found::Known(Reading {
        written: String::new(),
        zone,
        season,
        offset: None,
        note,
    })
}

pub(super) fn offset(text: &str) -> Option<(Found, usize)> {
    // `UTC+1`, `GMT-0800`, or an attached `+01:00`; a bare `+1` or `- 12:49` is not one.
    // Every shape starts with `u`, `g` (either case), a sign or `−`.
    let first = *text.as_bytes().first()?;
    if !(b"uUgG+-".contains(&first) || first >= 0x80) {
        return None;
    }
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

pub(super) fn iana(text: &str, expect: Expect) -> Option<(Found, usize)> {
    let m = IANA.find(text)?;
    let name = m.as_str();
    if let Some(tz) = TZ_VARIANTS
        .iter()
        .find(|t| t.name().eq_ignore_ascii_case(name))
    {
        return Some((known(Zone::Named(*tz), None, None), m.end()));
    }
    let lower = name.to_ascii_lowercase();
    if lower.len() > 40 {
        return (expect == Expect::Zone).then(|| (Found::Unknown(name.to_string()), m.end()));
    }
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

pub(super) fn spelled_out(text: &str) -> Option<(Found, usize)> {
    // Each name is lower-case ASCII: compared in place, without lower-casing the text.
    zone_table::NAMES.iter().find_map(|row| {
        let head = text.get(..row.name.len())?;
        if !head.eq_ignore_ascii_case(row.name) {
            return None;
        }
        if text[row.name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return None;
        }
        let tz: Tz = row.iana.parse().ok()?;
        Some((known(Zone::Named(tz), row.season, None), row.name.len()))
    })
}

/// `Zurich time`, `New York time`: a city in the IANA list.
pub(super) fn city(text: &str) -> Option<(Found, usize)> {
    if !text.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let cap = CITY.captures(text)?;
    // `UTC time`, `PST time`: an abbreviation, not a city.
    if zone_table::abbreviation(&cap[1]).is_some() {
        return None;
    }
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

pub(super) fn abbreviation(text: &str, expect: Expect) -> Option<(Found, usize)> {
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
