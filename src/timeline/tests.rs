//! Whole-stage tests on hand-built documents shaped like the corpus.

use super::*;
use crate::model::{EntryKind, TimelineEntry};

/// A document whose timeline entries are the `### label` headings and `| label | … |`
/// table rows of `text` (a stand-in for the parser).
pub(super) fn doc(text: &str, date: Option<&str>) -> Document {
    let mut d = Document {
        date: date.and_then(|s| s.parse().ok()),
        ..Document::default()
    };
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        let label = if let Some(h) = t.strip_prefix("### ") {
            Some((h.trim_matches(|c| c == '#' || c == ' '), EntryKind::Heading))
        } else if t.starts_with("| ")
            && t.chars()
                .nth(2)
                .is_some_and(|c| c.is_ascii_digit() || c == '~')
        {
            t.split('|').nth(1).map(|c| (c.trim(), EntryKind::TableRow))
        } else {
            t.strip_prefix("- ")
                .and_then(|r| r.split_once(": "))
                .map(|(l, _)| (l, EntryKind::ListItem))
        };
        if let Some((label, kind)) = label {
            d.timeline.push(TimelineEntry::new(i + 1, label, "", kind));
        }
    }
    d
}

pub(super) fn run(text: &str, date: Option<&str>) -> Document {
    let mut d = doc(text, date);
    normalize(&mut d, text, &TimelineOptions::default());
    d
}

pub(super) fn utc(d: &Document) -> Vec<String> {
    d.timeline
        .iter()
        .map(|e| e.utc.clone().unwrap_or_else(|| "-".into()))
        .collect()
}

pub(super) fn rules(d: &Document, rule: &str) -> Vec<usize> {
    d.findings
        .iter()
        .filter(|f| f.rule == rule)
        .filter_map(|f| f.line)
        .collect()
}

const SEED_000: &str = "## Timeline ##\n\nAll times in PST\n\n### 22:59 ###\n\n### 23:11 ###\n\n### 23:21 ###\n\n### 21:31 ###\n\n### 21:41 ###\n\n### 21:45 ###\n\n### 21:46 ###\n\n### 21:50 ###\n";

#[test]
fn hour_slip_is_one_finding_with_the_fix() {
    let d = run(SEED_000, None);
    let ooo: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.rule == "timeline/out-of-order")
        .collect();
    assert_eq!(ooo.len(), 1, "{:#?}", d.findings);
    assert_eq!(ooo[0].line, Some(11));
    let help = ooo[0].suggestion.as_deref().unwrap_or("");
    assert!(help.contains("23:31, 23:41, 23:45, 23:46, 23:50"), "{help}");
    // No date anywhere: ordered, zoned, but not placed in time.
    assert_eq!(rules(&d, "timeline/no-date"), vec![5]);
    assert!(
        d.timeline
            .iter()
            .all(|e| e.utc.is_none() && e.zone.as_deref() == Some("America/Los_Angeles"))
    );
    // 22:59 to 23:50, as the slip is corrected (not 21:31 to 23:21 as written).
    assert_eq!(
        d.summary.as_ref().and_then(|s| s.duration_minutes),
        Some(51)
    );
}

#[test]
fn dated_hour_slip_and_dst_after_the_spring_change() {
    let text = "All times in PST\n\n### March 6 2017 22:59 ###\n### 23:11 ###\n### 23:21 ###\n### 21:31 ###\n### 21:50 ###\n### March 12 19:57 ##\n### 23:21 ##\n";
    let d = run(text, Some("2017-03-06"));
    assert_eq!(
        utc(&d),
        vec![
            "2017-03-07T06:59:00Z",
            "2017-03-07T07:11:00Z",
            "2017-03-07T07:21:00Z",
            "2017-03-07T05:31:00Z",
            "2017-03-07T05:50:00Z",
            // DST began 2017-03-12 02:00: PDT, UTC-7, although PST was declared.
            "2017-03-13T02:57:00Z",
            "2017-03-13T06:21:00Z",
        ]
    );
    assert_eq!(rules(&d, "timeline/out-of-order"), vec![6]);
    assert_eq!(rules(&d, "timezone/dst-mismatch"), vec![8]);
    let dst = d
        .findings
        .iter()
        .find(|f| f.rule == "timezone/dst-mismatch")
        .expect("finding");
    assert!(dst.message.contains("used UTC-07:00"), "{}", dst.message);
    assert!(dst.message.contains("(2 entries)"), "{}", dst.message);
    let tz = d.timezone.as_ref().expect("zone");
    assert_eq!(
        (tz.label.as_str(), tz.zone.as_str(), tz.line),
        ("PST", "America/Los_Angeles", Some(1))
    );
}

#[test]
fn two_entry_slip() {
    let text = "### 2018-01-26 15:00\n### 15:15\n### 15:33\n### 13:40\n### 13:50\n";
    let d = run(text, None);
    let f: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.rule == "timeline/out-of-order")
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].line, Some(4));
    assert!(
        f[0].suggestion
            .as_deref()
            .unwrap_or("")
            .contains("15:40, 15:50")
    );
    assert_eq!(rules(&d, "timezone/missing"), vec![1]);
}

#[test]
fn pm_that_should_be_am() {
    let text = "Merged between 2 AM and 2.30 AM PST on 1/20.\n### {{ 2022-01-20 Between 02:00 and 02.30 PM }}\n### {{ 06:10 }}\n### {{ 07:45 }}\n### {{ 12:33 }}\n";
    let d = run(text, Some("2022-01-20"));
    let f: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.rule == "timeline/out-of-order")
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", d.findings);
    assert_eq!(f[0].line, Some(2));
    assert!(f[0].message.contains("AM (02:00)"), "{}", f[0].message);
    assert_eq!(rules(&d, "timezone/inferred"), vec![1]);
    assert_eq!(utc(&d)[1], "2022-01-20T14:10:00Z");
}

#[test]
fn single_entry_out_of_place_suggests_a_swap() {
    let text = "All times in UTC.\n| 2021-12-13 11:45 | a |\n| 2021-12-13 15:50 | b |\n| 2021-12-13 14:30 | c |\n| 2021-12-13 16:29 | d |\n| 2021-12-17 | e |\n";
    let d = run(text, None);
    let f: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.rule == "timeline/out-of-order")
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].line, Some(4));
    assert!(
        f[0].suggestion
            .as_deref()
            .unwrap_or("")
            .contains("swap it with line 3")
    );
}

#[test]
fn midnight_crossing_with_the_same_date_written() {
    let text = "All times in PDT (UTC-7).\n- [12-05 16:21]: a\n- [03-20 16:46]: b\n- [03-26 17:40]: c\n- [03-26 23:04]: c\n- [03-26 02:50]: d\n- [03-26 08:10]: e\n";
    let d = run(text, Some("2019-03-26"));
    assert_eq!(utc(&d)[0], "2018-12-06T00:21:00Z", "December 2018, on PST");
    assert_eq!(rules(&d, "timezone/dst-mismatch"), vec![2]);
    let f: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.rule == "timeline/out-of-order")
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].line, Some(6));
    assert!(
        f[0].suggestion
            .as_deref()
            .unwrap_or("")
            .contains("2019-03-27")
    );
}

#[test]
fn real_midnight_crossings_and_equal_times_are_fine() {
    let text =
        "All times PDT.\n- [13:26]: a\n- [23:55]: b\n- [07:00]: c\n- [07:00]: d\n- [~06:55]: e\n";
    let d = run(text, Some("2019-05-30"));
    assert!(
        rules(&d, "timeline/out-of-order").is_empty(),
        "{:#?}",
        d.findings
    );
    assert_eq!(rules(&d, "timeline/rollover-inferred"), vec![4]);
    assert_eq!(utc(&d)[2], "2019-05-31T14:00:00Z");
    assert_eq!(rules(&d, "timeline/approximate"), vec![6]);
}

#[test]
fn weekday_labels_follow_the_previous_entry() {
    let text = "### Wednesday 2019-01-30 - 08:35\n### 13:30\n### Thursday\n### Friday\n### Monday\n### 2019-02-06 Tuesday:\n";
    let d = run(text, None);
    let days: Vec<_> = d
        .timeline
        .iter()
        .filter_map(|e| e.local.map(|l| l.date().to_string()))
        .collect();
    assert_eq!(
        days,
        vec![
            "2019-01-30",
            "2019-01-30",
            "2019-01-31",
            "2019-02-01",
            "2019-02-04",
            "2019-02-06"
        ]
    );
    assert_eq!(
        rules(&d, "timeline/weekday-mismatch"),
        vec![6],
        "2019-02-06 is a Wednesday"
    );
    assert!(rules(&d, "timeline/out-of-order").is_empty());
}

#[test]
fn date_going_back_days_is_out_of_order() {
    let text = "| 2019-12-05 10:00 | a |\n| 2019-12-07 09:00 | b |\n| 2019-12-03 11:00 | c |\n| 2019-12-08 10:00 | d |\n";
    let d = run(text, None);
    assert_eq!(rules(&d, "timeline/out-of-order"), vec![3]);
}

#[test]
fn unknown_and_typo_dates() {
    let text = "| 20202-01-16 12:00 | a |\n| 2020-01-17 --:-- | b |\n| 2020-01-20 12:00 | c |\n";
    let d = run(text, None);
    assert_eq!(rules(&d, "timeline/invalid-date"), vec![1]);
    assert_eq!(rules(&d, "timeline/unknown-time"), vec![2]);
    assert_eq!(
        utc(&d),
        vec!["2020-01-16T12:00:00Z", "-", "2020-01-20T12:00:00Z"]
    );
}

#[test]
fn day_headings_between_entries_date_what_follows() {
    let text =
        "All times in UTC.\n### 2020-05-01 18:00\n### 22:00\n#### Day 2\n### 09:00\n### 11:00\n";
    let d = run(text, None);
    assert!(
        rules(&d, "timeline/out-of-order").is_empty(),
        "{:#?}",
        d.findings
    );
    assert_eq!(utc(&d)[2], "2020-05-02T09:00:00Z");
}

#[test]
fn bare_twelve_hour_times_after_pm_stay_pm() {
    let text = "All times in UTC.\n- 2019-05-01 3:18 PM: a\n- 3:19: b\n- 3:27: c\n- 4:05: d\n";
    let d = run(text, None);
    assert!(
        rules(&d, "timeline/out-of-order").is_empty(),
        "{:#?}",
        d.findings
    );
    assert_eq!(
        utc(&d),
        vec![
            "2019-05-01T15:18:00Z",
            "2019-05-01T15:19:00Z",
            "2019-05-01T15:27:00Z",
            "2019-05-01T16:05:00Z"
        ]
    );
}

#[test]
fn date_only_timelines_need_no_zone() {
    let d = run("### 2019-01-19 Saturday:\n### 2019-01-21 Monday:\n", None);
    assert!(rules(&d, "timezone/missing").is_empty());
    assert_eq!(d.timezone, None);
}

#[test]
fn a_twelve_hour_clock_past_noon_without_pm() {
    let text = "All times in UTC.\n- 2019-05-01 11:45: a\n- 12:10: b\n- 1:05: c\n- 1:30: d\n";
    let d = run(text, None);
    assert!(
        rules(&d, "timeline/out-of-order").is_empty(),
        "{:#?}",
        d.findings
    );
    assert_eq!(utc(&d)[2], "2019-05-01T13:05:00Z");
    // A 24-hour clock (`01:05`) is not read that way.
    let d = run(
        "All times in UTC.\n- 2019-05-01 11:45: a\n- 12:10: b\n- 01:05: c\n",
        None,
    );
    assert_eq!(rules(&d, "timeline/out-of-order"), vec![4]);
}

#[test]
fn ambiguous_misspelt_and_contradictory_zones() {
    let d = run("All times in IST\n### 2021-03-04 10:00\n", None);
    assert_eq!(rules(&d, "timezone/ambiguous"), vec![1]);
    assert_eq!(
        utc(&d),
        vec!["2021-03-04T04:30:00Z"],
        "read as India Standard Time"
    );
    let d = run("All times in PTS\n### 2021-03-04 10:00\n", None);
    assert_eq!(rules(&d, "timezone/unknown"), vec![1]);
    assert_eq!(utc(&d), vec!["2021-03-04T18:00:00Z"], "read as PST");
    let d = run(
        "All times in UTC\n### 2021-03-04 10:00\nAll times in CET\n### 11:00\n",
        None,
    );
    assert_eq!(rules(&d, "timezone/contradictory"), vec![3]);
    assert_eq!(
        utc(&d),
        vec!["2021-03-04T10:00:00Z", "2021-03-04T10:00:00Z"]
    );
}
