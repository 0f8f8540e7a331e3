//! The date half of a label: ISO dates (`2018-01-26`), month names (`March 6 2017`,
//! `Mar 23,`, `19. April`, `Tuesday 9th of June 2020`), `MM-DD` and `M/D` before a time,
//! weekdays, `Day 2`, `next day`, dates with unknown parts and impossible dates.
//! Each `take_*` removes what it recognised from the label text.

use std::sync::LazyLock;

use chrono::{NaiveDate, Weekday};
use regex::{Captures, Regex};

use super::DatePart;
use super::words::Words;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

static ISO: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(\d{4,5})([-/.])(\d{1,2})([-/.])(\d{1,2})\b"));
static UNKNOWN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:^|\s)([\d?x/]{2,7}-[\d?x]{1,2}-[\d?x]{1,2})(?:\s|$)"));
static SLASHED: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(\d{1,2})([/.])(\d{1,2})([/.])(\d{4}|\d{2})\b"));
static MONTH_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:(\d{1,2})(?:st|nd|rd|th)?\.?\s*(?:of\s+)?)?",
        r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?",
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?",
        r"(?:\s*(\d{1,2})(?:st|nd|rd|th)?\b)?(?:,?\s*(\d{4})\b)?"
    ))
});
/// `12-05 16:21`, `1/20 10:00`: month and day, only when a time follows.
static SHORT: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d{1,2})([-/])(\d{1,2})\s+\d{1,2}[:.]\d{2}"));
static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu",
        r"|friday|fri|saturday|sat|sunday|sun)\b\.?,?"
    ))
});
static DAY_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bday\s+(\d{1,2})(?:$|\s|,|:\s|:$)"));
static NEXT_DAY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:the\s+)?(?:next|following)\s+(?:day|morning)\b|\bovernight\b"));

/// Find and remove the date in `s`, which may hold `words`.
pub fn take_date(s: &mut String, words: Words) -> DatePart {
    // Guards: each numeric shape needs its separator; an unknown date counts only with
    // an unknown part.
    let dashed = s.contains('-');
    let unknown = dashed && s.contains(['?', 'x', 'X']);
    if let Some(cap) = unknown.then(|| UNKNOWN.captures(s)).flatten() {
        let m = cap.get(1).map(|m| m.range());
        if cap[1].contains(['?', 'x', 'X']) {
            blank(s, m);
            return DatePart::Unknown;
        }
    }
    let slashed_or_dotted = s.contains(['/', '.']);
    if let Some(cap) = (dashed || slashed_or_dotted)
        .then(|| ISO.captures(s))
        .flatten()
    {
        let part = iso(&cap);
        blank(s, cap.get(0).map(|m| m.range()));
        return part;
    }
    if let Some(cap) = slashed_or_dotted.then(|| SLASHED.captures(s)).flatten() {
        let part = slashed(&cap);
        blank(s, cap.get(0).map(|m| m.range()));
        return part;
    }
    // The patterns from here on but SHORT need a word (a month name, `next`, `day`).
    if let Some(part) = words
        .may(Words::MONTH)
        .then(|| take_month_name(s))
        .flatten()
    {
        return part;
    }
    if let Some(cap) = s.contains(['-', '/']).then(|| SHORT.captures(s)).flatten() {
        let (month, day) = (number(&cap, 1), number(&cap, 3));
        if valid_month_day(month, day) {
            blank(s, cap.get(3).map(|m| 0..m.end()));
            return DatePart::MonthDay { month, day };
        }
    }
    if let Some(m) = words
        .may(Words::NEXT_DAY)
        .then(|| NEXT_DAY.find(s))
        .flatten()
    {
        blank(s, Some(m.range()));
        return DatePart::NextDay;
    }
    if let Some(cap) = words
        .may(Words::DAY)
        .then(|| DAY_NUMBER.captures(s))
        .flatten()
    {
        let n = number(&cap, 1);
        blank(s, cap.get(0).map(|m| m.range()));
        return DatePart::DayNumber(n);
    }
    DatePart::None
}

/// Find and remove a weekday name (`s` may hold `words`).
pub fn take_weekday(s: &mut String, words: Words) -> Option<Weekday> {
    if !words.may(Words::WEEKDAY) {
        return None;
    }
    let cap = WEEKDAY.captures(s)?;
    let name = cap[1].to_ascii_lowercase();
    let day = name.get(..3)?.parse::<Weekday>().ok()?;
    blank(s, cap.get(0).map(|m| m.range()));
    Some(day)
}

fn iso(cap: &Captures) -> DatePart {
    // Mixed separators (`2019-11.29`) are not a date.
    if cap[2] != cap[4] {
        return DatePart::None;
    }
    iso_date(&cap[1], number(cap, 3), number(cap, 5), &cap[0])
}

/// The date an ISO-shaped `written` (`2019-01-22`, `20202-01-16`) names.
pub(super) fn iso_date(year_text: &str, month: u32, day: u32, written: &str) -> DatePart {
    match year_text.parse::<i32>() {
        Ok(y) if year_text.len() == 4 && plausible(y) => full(y, month, day, written),
        _ => DatePart::Invalid {
            written: written.to_string(),
            years: year_candidates(year_text),
            month,
            day,
        },
    }
}

/// `3/15/2019` (US order, unless the first number cannot be a month) or `19.04.2019`.
fn slashed(cap: &Captures) -> DatePart {
    let (a, b) = (number(cap, 1), number(cap, 3));
    let year_text = &cap[5];
    let year = match year_text.parse::<i32>() {
        Ok(y) if year_text.len() == 2 => 2000 + y,
        Ok(y) => y,
        Err(_) => return DatePart::None,
    };
    let day_first = &cap[2] == "." || a > 12;
    let (month, day) = if day_first { (b, a) } else { (a, b) };
    full(year, month, day, &cap[0])
}

fn take_month_name(s: &mut String) -> Option<DatePart> {
    let cap = MONTH_NAME.captures(s)?;
    let day = cap.get(1).or(cap.get(3))?.as_str().parse::<u32>().ok()?;
    let month = crate::parse::metadata::month(&cap[2])?;
    let part = match cap.get(4).and_then(|y| y.as_str().parse::<i32>().ok()) {
        Some(year) => full(year, month, day, &cap[0]),
        None if valid_month_day(month, day) => DatePart::MonthDay { month, day },
        None => DatePart::Invalid {
            written: cap[0].trim().to_string(),
            years: Vec::new(),
            month,
            day,
        },
    };
    blank(s, cap.get(0).map(|m| m.range()));
    Some(part)
}

pub(super) fn full(year: i32, month: u32, day: u32, written: &str) -> DatePart {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) if plausible(year) => DatePart::Full(d),
        _ => DatePart::Invalid {
            written: written.trim().to_string(),
            years: Vec::new(),
            month,
            day,
        },
    }
}

/// Years a post-mortem can be about.
fn plausible(year: i32) -> bool {
    (1970..=2100).contains(&year)
}

/// Readings of a mistyped year: one digit too many (`20202`), or two digits swapped.
fn year_candidates(text: &str) -> Vec<i32> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut push = |cand: String| {
        if let Ok(y) = cand.parse::<i32>() {
            if cand.len() == 4 && plausible(y) && !out.contains(&y) {
                out.push(y);
            }
        }
    };
    if chars.len() == 5 {
        // The first four digits first: a doubled last key is the common slip.
        push(chars[..4].iter().collect());
        for skip in 0..chars.len() {
            push(
                chars
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != skip)
                    .map(|(_, c)| *c)
                    .collect(),
            );
        }
    }
    if chars.len() == 4 {
        for i in 0..3 {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            push(swapped.into_iter().collect());
        }
    }
    out
}

/// Month and day that exist in some year (February 29 included).
pub fn valid_month_day(month: u32, day: u32) -> bool {
    NaiveDate::from_ymd_opt(2000, month, day).is_some()
}

fn number(cap: &Captures, i: usize) -> u32 {
    cap.get(i)
        .and_then(|m| m.as_str().parse().ok())
        .unwrap_or(0)
}

/// Replace a recognised span with spaces so positions and word breaks survive.
pub fn blank(s: &mut String, range: Option<std::ops::Range<usize>>) {
    if let Some(r) = range {
        let spaces = " ".repeat(r.len());
        s.replace_range(r, &spaces);
    }
}

/// The weekday of a date, for messages.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Each guard lets through every text its pattern matches.
        #[test]
        fn word_guards_pass_every_match(
            s in "(19|[0-9 .,:-]|of|th|the|next|FOLLOWING|overnight|day|morning|Jan|uary|FEB|ruary|mar|ch|apr|il|MAY|jun|e|jul|y|aug|ust|sep|t|ember|oct|ober|nov|dec|mon|tue|s|wed|nes|thu|rs|fri|sat|ur|sun|ſ|K|é|[a-z]){0,10}",
        ) {
            let words = Words::of(&s);
            prop_assert!(!MONTH_NAME.is_match(&s) || words.may(Words::MONTH));
            prop_assert!(!WEEKDAY.is_match(&s) || words.may(Words::WEEKDAY));
            prop_assert!(!NEXT_DAY.is_match(&s) || words.may(Words::NEXT_DAY));
            prop_assert!(!DAY_NUMBER.is_match(&s) || words.may(Words::DAY));
        }
    }
}
