//! Title and incident date: front matter, else the first H1 (or a plain-text first
//! line), else the file name, else the first dated timeline entry.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::front_matter::scalar;
use crate::model::{DateSource, FrontMatter};

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d])((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?:[^\d]|$)")
        .expect("static regex")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b").expect("static regex")
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)\d{2})\b").expect("static regex")
});

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The month (1–12) a name or abbreviation starts with: `Mar`, `March`, `sept.`.
pub fn month(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

fn num(s: &str) -> Option<u32> {
    s.parse().ok()
}

/// Whether `text` may name a month as the case-insensitive patterns here and in the
/// label grammar read them: ASCII text needs one of [`MONTHS`] in any case; other text
/// is left to the patterns (Unicode case folding reads `ſ` as `s`).
pub fn may_name_month(text: &str) -> bool {
    !text.is_ascii()
        || text.as_bytes().windows(3).any(|w| {
            let l = |i: usize| w[i].to_ascii_lowercase();
            matches!(
                (l(0), l(1), l(2)),
                (b'j', b'a', b'n')
                    | (b'f', b'e', b'b')
                    | (b'm', b'a', b'r' | b'y')
                    | (b'a', b'p', b'r')
                    | (b'j', b'u', b'n' | b'l')
                    | (b'a', b'u', b'g')
                    | (b's', b'e', b'p')
                    | (b'o', b'c', b't')
                    | (b'n', b'o', b'v')
                    | (b'd', b'e', b'c')
            )
        })
}

/// The first full calendar date written in `text` (ISO, `March 6, 2017`, `3. February 2020`).
pub fn find_date(text: &str) -> Option<NaiveDate> {
    // Every shape has a year that starts `19` or `20`, and the last two a month name:
    // cheap tests that spare most texts the searches.
    let b = text.as_bytes();
    if !b.windows(2).any(|w| w == b"19" || w == b"20") {
        return None;
    }
    let named = may_name_month(text);
    let mut found: Vec<(usize, NaiveDate)> = Vec::new();
    if let Some(c) = ISO.captures(text) {
        let at = c.get(1).map_or(0, |m| m.start());
        if let Some(d) = NaiveDate::from_ymd_opt(c[1].parse().ok()?, num(&c[2])?, num(&c[3])?) {
            found.push((at, d));
        }
    }
    if !named {
        return found.first().map(|&(_, d)| d);
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(text) {
        let at = c.get(0).map_or(0, |m| m.start());
        if let Some(d) = NaiveDate::from_ymd_opt(c[3].parse().ok()?, month(&c[1])?, num(&c[2])?) {
            found.push((at, d));
        }
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(text) {
        let at = c.get(0).map_or(0, |m| m.start());
        if let Some(d) = NaiveDate::from_ymd_opt(c[3].parse().ok()?, month(&c[2])?, num(&c[1])?) {
            found.push((at, d));
        }
    }
    found.into_iter().min_by_key(|(at, _)| *at).map(|(_, d)| d)
}

/// The title from front matter, else the first H1, else `fallback` (plain-text first line).
pub fn title(fm: &FrontMatter, first_h1: Option<&str>, fallback: Option<&str>) -> Option<String> {
    fm.fields
        .get("title")
        .and_then(scalar)
        .or_else(|| first_h1.map(str::to_string))
        .or_else(|| fallback.map(str::to_string))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:incident\s+)?(?:date|when|occurred(?:\s+on)?|start(?:ed)?)\W*\s*:")
        .expect("static regex")
});

/// The incident date and where it came from (timeline entries are tried by the caller).
/// A `Date: 2021-06-01` line in the document's header counts as front matter.
pub fn date(
    fm: &FrontMatter,
    header: &[&str],
    title: Option<&str>,
    source: &str,
) -> Option<(NaiveDate, DateSource)> {
    let header_date = header
        .iter()
        .filter(|l| DATE_LINE.is_match(l))
        .find_map(|l| find_date(l));
    for key in ["date", "incident_date", "incident-date", "started", "start"] {
        if let Some(d) = fm
            .fields
            .get(key)
            .and_then(scalar)
            .and_then(|v| find_date(&v))
        {
            return Some((d, DateSource::FrontMatter));
        }
    }
    if let Some(d) = header_date {
        return Some((d, DateSource::FrontMatter));
    }
    if let Some(d) = title.and_then(find_date) {
        return Some((d, DateSource::Title));
    }
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    find_date(name).map(|d| (d, DateSource::FileName))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn finds_dates_in_titles_and_names() {
        assert_eq!(
            find_date("2017-03-06 - Non-matching hub image tags"),
            d(2017, 3, 6)
        );
        assert_eq!(find_date("January 23rd, 2019 Prow Outage"), d(2019, 1, 23));
        assert_eq!(
            find_date("On Monday 3. February 2020, a planned"),
            d(2020, 2, 3)
        );
        assert_eq!(
            find_date("cluster \"weekly-51\" in DEV environment 2019-01-19"),
            d(2019, 1, 19)
        );
        assert_eq!(find_date("PM2020-004 - CoreDNS upgrade issue.md"), None);
        assert_eq!(find_date("2017-13-45"), None);
    }

    /// `find_date` before its guards, to test them against.
    fn find_date_before(text: &str) -> Option<NaiveDate> {
        let mut found: Vec<(usize, NaiveDate)> = Vec::new();
        if let Some(c) = ISO.captures(text) {
            let at = c.get(1).map_or(0, |m| m.start());
            if let Some(d) = NaiveDate::from_ymd_opt(c[1].parse().ok()?, num(&c[2])?, num(&c[3])?) {
                found.push((at, d));
            }
        }
        if let Some(c) = MONTH_DAY_YEAR.captures(text) {
            let at = c.get(0).map_or(0, |m| m.start());
            if let Some(d) = NaiveDate::from_ymd_opt(c[3].parse().ok()?, month(&c[1])?, num(&c[2])?)
            {
                found.push((at, d));
            }
        }
        if let Some(c) = DAY_MONTH_YEAR.captures(text) {
            let at = c.get(0).map_or(0, |m| m.start());
            if let Some(d) = NaiveDate::from_ymd_opt(c[3].parse().ok()?, month(&c[2])?, num(&c[1])?)
            {
                found.push((at, d));
            }
        }
        found.into_iter().min_by_key(|(at, _)| *at).map(|(_, d)| d)
    }

    proptest::proptest! {
        #[test]
        fn guards_keep_every_date(
            text in "([0-9]{1,4}|19|20|JAN|Feb|mar|apr|MaY|june|Jul|AUG|sept|oct|Nov|dec|ſep|[ .,/\\-]|of|th|x|é){0,12}",
        ) {
            proptest::prop_assert_eq!(find_date(&text), find_date_before(&text));
        }
    }

    #[test]
    fn month_names_pass_the_guard() {
        for m in MONTHS {
            assert!(
                may_name_month(m) && may_name_month(&m.to_uppercase()),
                "{m}"
            );
        }
        assert!(!may_name_month("2019-01-22 14:30 UTC"));
    }

    #[test]
    fn date_precedence() {
        let mut fm = FrontMatter::default();
        fm.fields.insert("date".into(), "2017-02-09".into());
        assert_eq!(
            date(&fm, &[], Some("x 2018-01-01"), "a/2019-01-01-x.md"),
            Some((
                NaiveDate::from_ymd_opt(2017, 2, 9).unwrap(),
                DateSource::FrontMatter
            ))
        );
        let fm = FrontMatter::default();
        assert_eq!(
            date(&fm, &[], None, "a/2019-01-02-x.md").map(|x| x.1),
            Some(DateSource::FileName)
        );
        let header = [
            "# Outage",
            "**Date:** 2021-06-01",
            "Last Modified: 2021-07-01",
        ];
        assert_eq!(
            date(&fm, &header, None, "x.md"),
            Some((
                NaiveDate::from_ymd_opt(2021, 6, 1).unwrap(),
                DateSource::FrontMatter
            ))
        );
    }
}
