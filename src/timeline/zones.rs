//! Zone labels → zones: abbreviations, spelled-out and city names, IANA names and UTC
//! offsets, with the season a label claims, misspellings read as their nearest zone and
//! ambiguous abbreviations flagged. A [`Zone`] turns wall-clock times into offsets.

use std::sync::LazyLock;

use chrono::{FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetComponents, OffsetName, Tz, TzOffset};
use regex::Regex;

use super::zone_table::Season;

mod recognize;

pub use recognize::edit_distance;

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
    /// A named zone's offset then, kept to name it: only messages need the
    /// abbreviation, so it is not made for every entry.
    named: Option<TzOffset>,
}

impl LocalOffset {
    /// The zone's own abbreviation then (`PDT`), or the offset for fixed zones.
    pub fn abbr(&self) -> String {
        match &self.named {
            Some(o) => o.abbreviation().unwrap_or("").to_string(),
            None => self.offset.to_string(),
        }
    }
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
                named: None,
            }),
            Zone::Named(tz) => tz.offset_from_local_datetime(local).map(|o| LocalOffset {
                offset: o.fix(),
                dst: !o.dst_offset().is_zero(),
                named: Some(o),
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
    // Every recogniser needs an ASCII letter or a sign first (`−` and anything a
    // case-insensitive pattern may fold are non-ASCII): skip them all otherwise.
    let first = *text.as_bytes().first()?;
    if !(first.is_ascii_alphabetic() || first == b'+' || first == b'-' || first >= 0x80) {
        return None;
    }
    recognize::offset(text)
        .or_else(|| recognize::iana(text, expect))
        .or_else(|| recognize::spelled_out(text))
        .or_else(|| recognize::city(text))
        .or_else(|| recognize::abbreviation(text, expect))
}

#[cfg(test)]
#[path = "zones_tests.rs"]
mod tests;
