//! The grammar of timeline labels: one raw label (`March 6 2017 22:59`, `{{ 06:10 }}`,
//! `~16:05:00`, `2:54 PM PST`, `2019-01-19 Saturday:`) → a [`Label`] saying what it
//! states and what it leaves to context. Pure and total: any string parses.

mod atoms;
mod clock;
mod date;
mod words;

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveTime, Weekday};
use regex::Regex;

pub use date::{valid_month_day, weekday_name};
use words::Words;

use super::zones::{self, Found};

/// What a label says.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub date: DatePart,
    pub weekday: Option<Weekday>,
    pub time: TimePart,
    /// The end of a range (`12:43 - 12:49`).
    pub end: Option<TimePart>,
    /// A zone written on the label (`2:54 PM PST`).
    pub zone: Option<Found>,
    /// `~16:05`, `ca. 18:30`, `around 19:30`, `10:45~`.
    pub approximate: bool,
    /// Template braces `{{ … }}` around the label.
    pub template: bool,
}

/// The date a label states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatePart {
    /// No date: it carries forward from the entry before.
    None,
    Full(NaiveDate),
    /// Month and day without a year (`Mar 23`, `12-05 16:21`).
    MonthDay {
        month: u32,
        day: u32,
    },
    /// `Day 2`: days counted from the first day of the timeline.
    DayNumber(u32),
    /// `next day`, `the following morning`, `overnight`.
    NextDay,
    /// A date with unknown parts (`2022-05-??`).
    Unknown,
    /// A date that cannot exist as written (`20202-01-16`, `2019-02-30`); `years` are
    /// the likely intended years, best first.
    Invalid {
        written: String,
        years: Vec<i32>,
        month: u32,
        day: u32,
    },
}

/// The time of day a label states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimePart {
    /// A date alone (or nothing at all).
    None,
    Known(Clock),
    /// `2X:XX`, `??:??`, `HH:mm`, `--:--`.
    Unknown,
    /// `25:10`, `12:61`.
    Invalid,
}

/// A clock time as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub meridiem: Option<Meridiem>,
    /// The hour was written with two digits (`06:10`): a 24-hour clock.
    pub padded: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meridiem {
    Am,
    Pm,
}

impl Clock {
    /// The hour on a 24-hour clock (`24` stays `24`: the end of the day).
    pub fn hour24(&self) -> u32 {
        match self.meridiem {
            Some(Meridiem::Am) if self.hour == 12 => 0,
            Some(Meridiem::Pm) if self.hour < 12 => self.hour + 12,
            _ => self.hour,
        }
    }

    /// The time of day; `24:00` is midnight (the caller moves it to the next day).
    pub fn time(&self) -> NaiveTime {
        NaiveTime::from_hms_opt(self.hour24() % 24, self.minute, self.second)
            .unwrap_or(NaiveTime::MIN)
    }

    /// `24:00`: midnight at the end of the day.
    pub fn is_end_of_day(&self) -> bool {
        self.hour24() == 24
    }

    /// Written the way a 12-hour clock shows an afternoon hour, without AM/PM (`3:19`,
    /// not `03:19`).
    pub fn could_be_pm(&self) -> bool {
        self.meridiem.is_none() && !self.padded && (1..12).contains(&self.hour)
    }
}

static APPROX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|\s)(?:ca\.?|circa|around|about|approx\.?|approximately|roughly",
        r"|some ?time(?: around)?)(?:\s|$)|[~≈]|\(approx\.?\)|\bish\b"
    ))
    .expect("valid regex")
});
/// `19:30ish`: the suffix is removed, the digit kept.
static ISH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d)ish\b").expect("valid regex"));
static TEMPLATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\{\{|\}\}").expect("valid regex"));
static ISO_T: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d)T(\d)").expect("valid regex"));

/// Parse one raw label.
pub fn parse(raw: &str) -> Label {
    let plain = |date, time| Label {
        date,
        weekday: None,
        time,
        end: None,
        zone: None,
        approximate: false,
        template: false,
    };
    if let Some(time) = bare_clock(raw) {
        return plain(DatePart::None, time);
    }
    if let Some((date, time)) = iso_date_clock(raw) {
        return plain(date, time);
    }
    if let Some((date, time)) = month_day_year_clock(raw) {
        return plain(date, time);
    }
    clock_meridiem_zone(raw).unwrap_or_else(|| parse_any(raw))
}

/// `2019-01-22 14:30` and nothing else, the commonest label after a bare clock: its
/// date and time, as [`parse_any`] reads them (nothing to clean, no word, the date
/// found first, then one time and no zone after it).
fn iso_date_clock(raw: &str) -> Option<(DatePart, TimePart)> {
    let (date, rest) = raw.split_at_checked(10)?;
    let time = bare_clock(rest.strip_prefix(' ')?)?;
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return None;
    }
    let number =
        |r: std::ops::Range<usize>| b[r].iter().fold(0, |n, c| n * 10 + u32::from(c - b'0'));
    Some((
        date::iso_date(&date[..4], number(5..7), number(8..10), date),
        time,
    ))
}

/// `21:42` or `9:05` and nothing else, the commonest label: its time, as [`parse_any`]
/// reads it (nothing to clean, no word, no date, one time and no zone after it).
fn bare_clock(raw: &str) -> Option<TimePart> {
    let (hour, minute, padded) = clock_digits(raw)?;
    Some(atoms::clock(hour, minute, 0, None, padded))
}

/// `H:MM` or `HH:MM`: hour, minute, and whether the hour has two digits.
fn clock_digits(raw: &str) -> Option<(u32, u32, bool)> {
    let b = raw.as_bytes();
    let colon = b.iter().position(|&c| c == b':')?;
    let digits = |d: &[u8]| d.iter().all(u8::is_ascii_digit);
    let (hour, minute) = (b.get(..colon)?, b.get(colon + 1..)?);
    if !(1..=2).contains(&hour.len()) || minute.len() != 2 || !digits(hour) || !digits(minute) {
        return None;
    }
    let number = |d: &[u8]| d.iter().fold(0, |n, c| n * 10 + u32::from(c - b'0'));
    Some((number(hour), number(minute), hour.len() == 2))
}

/// `July 12 2019 14:30`: a month name, day, year and bare clock, read as [`parse_any`]
/// reads them (nothing to clean, no word but the month's, the date found first, then
/// one time and no zone).
fn month_day_year_clock(raw: &str) -> Option<(DatePart, TimePart)> {
    let mut parts = raw.split(' ');
    let (name, day, year, clock) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    const NAMES: [&str; 24] = [
        "jan",
        "january",
        "feb",
        "february",
        "mar",
        "march",
        "apr",
        "april",
        "may",
        "jun",
        "june",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
    ];
    let digits = |d: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit())
    };
    let plain = parts.next().is_none()
        && NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
        && digits(day, 1..=2)
        && digits(year, 4..=4)
        && Words::of(raw).only(Words::MONTH);
    if !plain {
        return None;
    }
    let (hour, minute, padded) = clock_digits(clock)?;
    let month = crate::parse::metadata::month(name)?;
    let written = &raw[..name.len() + day.len() + year.len() + 2];
    let date = date::full(year.parse().ok()?, month, day.parse().ok()?, written);
    Some((date, atoms::clock(hour, minute, 0, None, padded)))
}

/// `9:30 AM` or `9:30 PM UTC` (an upper-case zone word), the commonest 12-hour label:
/// read as [`parse_any`] reads it (nothing to clean, no word a date, weekday or
/// approximation pattern needs, one time and the zone after it).
fn clock_meridiem_zone(raw: &str) -> Option<Label> {
    let (clock, rest) = raw.split_once(' ')?;
    let (hour, minute, padded) = clock_digits(clock)?;
    let (mer, zone) = match rest.split_once(' ') {
        Some((mer, zone)) => (mer, Some(zone)),
        None => (rest, None),
    };
    let meridiem = match mer {
        "AM" | "am" => Meridiem::Am,
        "PM" | "pm" => Meridiem::Pm,
        _ => return None,
    };
    // An upper-case word that is no second time (`TBD`, `NOON`).
    let zone_word = |z: &str| {
        (2..=5).contains(&z.len())
            && z.bytes().all(|b| b.is_ascii_uppercase())
            && !matches!(z, "TBD" | "TBA" | "NOON")
    };
    if !zone.is_none_or(zone_word) || !Words::of(raw).none() {
        return None;
    }
    let after = &raw[clock.len() + 1 + mer.len()..];
    Some(Label {
        date: DatePart::None,
        weekday: None,
        time: atoms::clock(hour, minute, 0, Some(meridiem), padded),
        end: None,
        zone: zone
            .and_then(|_| zones::zone_prefix(after, zones::Expect::Maybe))
            .map(|(found, _)| found),
        approximate: false,
        template: false,
    })
}

/// Parse any label, the long way.
fn parse_any(raw: &str) -> Label {
    let (mut s, template, approximate, words) = prepare(raw);
    let date = date::take_date(&mut s, words);
    let weekday = date::take_weekday(&mut s, words);
    let times = clock::take_times(&s);
    Label {
        date,
        weekday,
        time: times.start,
        end: times.end,
        zone: times.zone,
        approximate,
        template,
    }
}

/// The date and weekday [`parse`] reads from `raw`, without reading its time: for text
/// that only dates the entries after it.
pub fn parse_date(raw: &str) -> (DatePart, Option<Weekday>) {
    let (mut s, _, _, words) = prepare(raw);
    let date = date::take_date(&mut s, words);
    (date, date::take_weekday(&mut s, words))
}

/// The cleaned label with approximation words removed; whether it had template
/// braces and whether it is approximate; the words it may hold (still true of the
/// label once words are removed, which only blanks or drops letters).
fn prepare(raw: &str) -> (String, bool, bool, Words) {
    // Each regex below needs a literal its guard checks for (`{{`, `T`, `ish`; APPROX
    // one of its words or `~`): most labels skip most of them.
    let template = has(raw, b"{{") || has(raw, b"}}");
    let mut s = clean(raw, template);
    let words = Words::of(&s);
    let approx = words.may(Words::APPROX) && APPROX.is_match(&s);
    let ish = has(&s, b"ish") && ISH.is_match(&s);
    if approx {
        s = APPROX.replace_all(&s, " ").into_owned();
    }
    if ish {
        s = ISH.replace_all(&s, "$1").into_owned();
    }
    (s, template, approx || ish, words)
}

/// Whether `s` holds `part`: for a label, a byte loop costs less than setting up the
/// substring search of `str::contains`.
fn has(s: &str, part: &[u8]) -> bool {
    s.as_bytes().windows(part.len()).any(|w| w == part)
}

/// Whether [`ISO_T`] may match: a `T` between ASCII digits (`PST` has its `T` after a
/// letter), or any `T` in text with other characters (`\d` is Unicode).
fn may_be_iso_t(s: &str) -> bool {
    s.contains('T')
        && (!s.is_ascii()
            || s.as_bytes()
                .windows(3)
                .any(|w| w[1] == b'T' && w[0].is_ascii_digit() && w[2].is_ascii_digit()))
}

/// Strip the wrapping people put around labels: template braces, brackets, emphasis,
/// code ticks, a trailing colon or dash; normalise dashes and spaces.
fn clean(raw: &str, template: bool) -> String {
    let s = match template {
        true => TEMPLATE.replace_all(raw, " "),
        false => Cow::Borrowed(raw),
    };
    let s = match may_be_iso_t(&s) {
        true => Cow::Owned(ISO_T.replace_all(&s, "$1 $2").into_owned()),
        false => s,
    };
    let s: String = s
        .chars()
        .map(|c| match c {
            '–' | '—' | '−' => '-',
            '[' | ']' | '*' | '`' | '|' | '#' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    let s = s.trim().trim_end_matches([':', ',', ';']).trim_end();
    let s = s.strip_suffix(" -").unwrap_or(s).trim();
    let s = s
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
