//! Property tests: no label, text or timeline panics, and the chronological view agrees
//! with the instants (`utc`) it reports.

use chrono::DateTime;
use coroner::model::{Document, EntryKind, TimelineEntry};
use coroner::timeline::{self, TimelineOptions};
use coroner::{AnalyzeOptions, analyze};
use proptest::prelude::*;

/// Labels shaped like the ones post-mortems use, plus noise.
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-2]?[0-9][:.][0-5][0-9](:[0-5][0-9])?",
        "(1[0-2]|[1-9]):[0-5][0-9] ?(AM|PM|am|pm|a|p)",
        "20[0-3][0-9]-[01][0-9]-[0-3][0-9]( [0-2][0-9]:[0-5][0-9])?",
        "(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day",
        "~?[0-2][0-9]:[0-5][0-9] ?- ?[0-2][0-9]:[0-5][0-9]",
        "(March|Jan|Dec|Sept) [0-3]?[0-9],? [0-2][0-9]:[0-5][0-9]( PST| UTC| CET| IST| UTC\\+1| Z)?",
        "[0-9]{1,2}-[0-9]{1,2} [0-2][0-9]:[0-5][0-9]",
        "[0-9?Xx:. -]{1,12}",
        "Day [0-9] [0-2][0-9]:00",
        ".{0,24}",
    ]
}

fn preamble() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("All times in PST\n".to_string()),
        Just("All times in CET.\n".to_string()),
        Just("All times in UTC+1 (Zurich time)\n".to_string()),
        Just("*(All times US/Pacific, 24-hour clock.)*\n".to_string()),
        Just("All times in PTS\n".to_string()),
    ]
}

/// A document whose timeline is exactly `labels` (bypassing the parser).
fn document(date: Option<String>, labels: &[String]) -> Document {
    let mut doc = Document {
        date: date.and_then(|d| d.parse().ok()),
        ..Document::default()
    };
    for (i, l) in labels.iter().enumerate() {
        doc.timeline.push(TimelineEntry::new(
            2 * i + 3,
            l.clone(),
            "",
            EntryKind::Heading,
        ));
    }
    doc
}

/// Found by `any_text_analyzes`: mojibake after a multi-byte space sliced a character.
#[test]
fn mojibake_after_a_wide_space_does_not_panic() {
    let doc = analyze(
        "p.md",
        "\u{2000}Â¡0 and\u{2008}donâ€™t",
        &AnalyzeOptions::default(),
    );
    assert!(doc.findings.iter().any(|f| f.rule == "text/mojibake"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_label_parses(s in "\\PC{0,64}") {
        let _ = timeline::grammar::parse(&s);
    }

    #[test]
    fn any_text_analyzes(s in "(?s)\\PC{0,400}") {
        let _ = analyze("p.md", &s, &AnalyzeOptions::default());
    }

    #[test]
    fn markdown_timelines_analyze(
        lines in prop::collection::vec(
            prop_oneof![
                label().prop_map(|l| format!("### {l}")),
                label().prop_map(|l| format!("| {l} | event |")),
                label().prop_map(|l| format!("- {l}: event")),
                label().prop_map(|l| format!("* [{l}] event")),
                preamble(),
                Just("## Timeline".to_string()),
                Just("| Time (UTC) | Event |\n|---|---|".to_string()),
                Just("```".to_string()),
                Just("---\ndate: 2020-02-30\ntimezone: Mars/Base\n---".to_string()),
                "\\PC{0,40}",
            ],
            0..24,
        )
    ) {
        let text = lines.join("\n");
        let doc = analyze("p.md", &text, &AnalyzeOptions::default());
        for e in &doc.timeline {
            prop_assert!(e.utc.is_none() || e.local.is_some());
        }
    }

    #[test]
    fn chronological_order_agrees_with_utc(
        pre in preamble(),
        labels in prop::collection::vec(label(), 0..14),
        date in prop::option::of("20[0-2][0-9]-(0[1-9]|1[0-2])-[12][0-9]"),
        zone in prop::option::of(prop_oneof![Just("Europe/Oslo"), Just("PST"), Just("UTC-3"), Just("nowhere")]),
    ) {
        let mut doc = document(date, &labels);
        let text = format!("# T\n{pre}{}", labels.iter().map(|l| format!("### {l}\n\n")).collect::<String>());
        let opts = TimelineOptions { default_zone: zone.map(str::to_string) };
        timeline::normalize(&mut doc, &text, &opts);
        let n = doc.timeline.len();
        let Some(summary) = doc.summary.clone() else {
            prop_assert_eq!(n, 0);
            return Ok(());
        };
        let mut sorted = summary.chronological.clone();
        sorted.sort_unstable();
        prop_assert_eq!(sorted, (0..n).collect::<Vec<_>>());
        let utc: Vec<Option<DateTime<chrono::FixedOffset>>> = summary
            .chronological
            .iter()
            .map(|&i| doc.timeline[i].utc.as_deref().map(|u| DateTime::parse_from_rfc3339(u).expect("RFC 3339")))
            .collect();
        for pair in utc.windows(2) {
            match (pair[0], pair[1]) {
                (Some(a), Some(b)) => prop_assert!(a <= b, "{a} before {b}"),
                (None, Some(_)) => prop_assert!(false, "an unplaced entry sorts before a placed one"),
                _ => {}
            }
        }
        // The start is the earliest entry, or what an entry found out of order
        // probably meant: a PM read as AM is the one correction that moves earlier.
        if let (Some(start), Some(first)) = (&summary.start, utc.iter().flatten().next()) {
            let start = DateTime::parse_from_rfc3339(start).expect("RFC 3339");
            prop_assert!(start >= *first - chrono::Duration::hours(12), "{start} vs {first}");
            if let Some(end) = &summary.end {
                prop_assert!(DateTime::parse_from_rfc3339(end).expect("RFC 3339") >= start);
            }
        }
    }
}
