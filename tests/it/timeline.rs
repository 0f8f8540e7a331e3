//! The timeline stage over the real corpus: exact instants for the seeds, the DST and
//! midnight cases, the out-of-order findings of every file (exactly the real errors),
//! and a snapshot of every resolved timeline with its timeline/timezone findings.

mod corpus;
mod props;

use std::path::{Path, PathBuf};

use coroner::model::Document;
use coroner::{AnalyzeOptions, analyze};

fn incidents() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents")
}

pub fn analyze_file(rel: &str) -> Document {
    let text = coroner::input::read_text(&incidents().join(rel)).expect("readable");
    analyze(rel, &text, &AnalyzeOptions::default())
}

/// `line label → utc` for every entry.
fn instants(doc: &Document) -> Vec<(usize, &str)> {
    doc.timeline
        .iter()
        .map(|e| (e.line, e.utc.as_deref().unwrap_or("-")))
        .collect()
}

fn lines_of(doc: &Document, rule: &str) -> Vec<usize> {
    doc.findings
        .iter()
        .filter(|f| f.rule == rule)
        .filter_map(|f| f.line)
        .collect()
}

fn suggestion(doc: &Document, rule: &str) -> String {
    doc.findings
        .iter()
        .find(|f| f.rule == rule)
        .and_then(|f| f.suggestion.clone())
        .unwrap_or_default()
}

#[test]
fn seed_000_hour_slip_without_a_date() {
    let doc = analyze_file("seeds/000_954bac17e647708a.txt");
    assert_eq!(lines_of(&doc, "timeline/out-of-order"), [25]);
    assert!(
        suggestion(&doc, "timeline/out-of-order").contains("23:31, 23:41, 23:45, 23:46, 23:50")
    );
    assert_eq!(lines_of(&doc, "timeline/no-date"), [9]);
    assert!(doc.timeline.iter().all(|e| e.utc.is_none()));
    let tz = doc.timezone.as_ref().expect("declared");
    assert_eq!(
        (tz.label.as_str(), tz.zone.as_str(), tz.line),
        ("PST", "America/Los_Angeles", Some(7))
    );
}

#[test]
fn seed_001_hour_slip_then_daylight_saving_time() {
    let doc = analyze_file("seeds/001_0023c0146dd77070.txt");
    assert_eq!(
        instants(&doc),
        [
            (13, "2017-03-07T06:59:00Z"),
            (21, "2017-03-07T07:11:00Z"),
            (25, "2017-03-07T07:21:00Z"),
            (29, "2017-03-07T05:31:00Z"),
            (33, "2017-03-07T05:41:00Z"),
            (37, "2017-03-07T05:45:00Z"),
            (41, "2017-03-07T05:46:00Z"),
            (45, "2017-03-07T05:50:00Z"),
            // DST began on 2017-03-12 at 02:00: `All times in PST` is read as PDT.
            (49, "2017-03-13T02:57:00Z"),
            (53, "2017-03-13T06:21:00Z"),
            (82, "2017-03-13T06:27:00Z"),
        ]
    );
    assert_eq!(lines_of(&doc, "timeline/out-of-order"), [29]);
    assert!(
        suggestion(&doc, "timeline/out-of-order").contains("23:31, 23:41, 23:45, 23:46, 23:50")
    );
    assert_eq!(lines_of(&doc, "timezone/dst-mismatch"), [49]);
    let dst = doc
        .findings
        .iter()
        .find(|f| f.rule == "timezone/dst-mismatch")
        .expect("dst");
    assert!(dst.message.contains("used UTC-07:00"), "{}", dst.message);
}

#[test]
fn seeds_002_to_004() {
    let doc = analyze_file("seeds/002_ac7656323abe273b.txt");
    assert_eq!(
        instants(&doc),
        [
            (5, "2018-01-25T14:30:00Z"),
            (8, "2018-01-25T15:30:00Z"),
            (10, "2018-01-25T16:11:00Z"),
            (12, "2018-01-25T16:35:00Z"),
        ]
    );
    assert_eq!(lines_of(&doc, "timezone/missing"), [5]);
    let doc = analyze_file("seeds/003_844c2ec2064c4421.txt");
    let days: Vec<_> = doc
        .timeline
        .iter()
        .map(|e| e.local.map(|l| l.date().to_string()))
        .collect();
    assert_eq!(
        days,
        [
            Some("2019-01-19".into()),
            Some("2019-01-21".into()),
            Some("2019-01-25".into())
        ]
    );
    assert!(lines_of(&doc, "timeline/weekday-mismatch").is_empty());
    let doc = analyze_file("seeds/004_f2771ccd2a125e0d.txt");
    assert_eq!(lines_of(&doc, "timeline/out-of-order"), [29]);
    assert!(suggestion(&doc, "timeline/out-of-order").contains("15:40, 15:50"));
    let summary = doc.summary.as_ref().expect("summary");
    assert_eq!(summary.chronological, [3, 4, 0, 1, 2]);
    assert_eq!(
        summary.duration_minutes,
        Some(50),
        "15:00 to 15:50, the slip corrected"
    );
}

#[test]
fn cet_in_summer_is_read_as_cest() {
    let doc = analyze_file("dfds__postmortems/PM2020-005 - ALB instance attachment.md");
    assert_eq!(doc.timeline[0].utc.as_deref(), Some("2020-06-09T09:00:00Z"));
    assert_eq!(doc.timeline[0].zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(lines_of(&doc, "timezone/dst-mismatch"), [15]);
    // In winter the same declaration is right.
    let doc = analyze_file("dfds__postmortems/PM2020-004 - CoreDNS upgrade issue.md");
    assert_eq!(doc.timeline[0].utc.as_deref(), Some("2020-02-03T10:21:00Z"));
    assert!(lines_of(&doc, "timezone/dst-mismatch").is_empty());
}

#[test]
fn midnight_rollover_and_date_lines() {
    let doc = analyze_file("kubernetes__test-infra/2019-05-30.md");
    assert_eq!(lines_of(&doc, "timeline/rollover-inferred"), [91]);
    let last = doc.timeline.last().expect("entries");
    assert_eq!(last.utc.as_deref(), Some("2019-05-31T14:00:00Z"));
    assert_eq!(lines_of(&doc, "timeline/unknown-time"), [81]);
    // `2019-01-22` / `2019-01-23` on lines of their own date the bullets below them.
    let doc = analyze_file("kubernetes__test-infra/2019-01-23.md");
    assert_eq!(doc.timeline[0].utc.as_deref(), Some("2019-01-22T22:54:00Z"));
    assert_eq!(doc.timeline[2].utc.as_deref(), Some("2019-01-23T12:49:00Z"));
    assert!(lines_of(&doc, "timeline/out-of-order").is_empty());
}

#[test]
fn the_clock_passed_midnight_but_the_date_did_not() {
    let doc = analyze_file("kubernetes__test-infra/2019-03-26.md");
    assert_eq!(
        doc.timeline[0].utc.as_deref(),
        Some("2018-12-06T00:21:00Z"),
        "12-05 is December 2018, on PST"
    );
    assert_eq!(lines_of(&doc, "timezone/dst-mismatch"), [74]);
    assert_eq!(lines_of(&doc, "timeline/out-of-order"), [78]);
    assert!(suggestion(&doc, "timeline/out-of-order").contains("2019-03-27"));
}

#[test]
fn pm_written_for_am() {
    let doc = analyze_file(
        "berkeley-dsep-infra__datahub/2022-01-20-package-dependency-upgrade-incident.qmd",
    );
    assert_eq!(lines_of(&doc, "timeline/out-of-order"), [35]);
    assert_eq!(
        suggestion(&doc, "timeline/out-of-order"),
        "write AM instead of PM"
    );
    assert_eq!(lines_of(&doc, "timezone/inferred"), [8]);
    assert_eq!(doc.timeline[1].utc.as_deref(), Some("2022-01-20T14:10:00Z"));
}

#[test]
fn document_dates_that_disagree_with_the_timeline() {
    let doc = analyze_file("berkeley-dsep-infra__datahub/2017-10-10-hung-nodes.qmd");
    assert_eq!(lines_of(&doc, "metadata/date-mismatch"), [12]);
    for rel in [
        "equinor__radix-platform/2019-01-30-certificate-requests-failing.md",
        "equinor__radix-platform/2019-01-30-kubernetes-objects-missing.md",
    ] {
        let doc = analyze_file(rel);
        assert_eq!(lines_of(&doc, "metadata/date-mismatch"), [2], "{rel}");
    }
}

#[test]
fn weekday_only_labels_and_the_summary_date() {
    let doc = analyze_file("equinor__radix-platform/2019-01-30-certificate-requests-failing.md");
    let days: Vec<String> = doc.timeline[6..]
        .iter()
        .filter_map(|e| e.local.map(|l| l.date().to_string()))
        .collect();
    assert_eq!(
        days,
        ["2019-01-31", "2019-02-01", "2019-02-02", "2019-02-04"]
    );
    // "On the evening of Feb 23" in the summary dates a timeline of bare times.
    let doc = analyze_file("berkeley-dsep-infra__datahub/2017-02-24-proxy-death-incident.qmd");
    assert_eq!(doc.timeline[0].utc.as_deref(), Some("2017-02-24T05:10:57Z"));
}

/// Every out-of-order finding in the corpus, by file: exactly the real errors.
#[test]
fn out_of_order_findings_are_exactly_the_real_ones() {
    let expected: &[(&str, &[usize])] = &[
        ("seeds/000_954bac17e647708a.txt", &[25]),
        ("seeds/001_0023c0146dd77070.txt", &[29]),
        ("seeds/004_f2771ccd2a125e0d.txt", &[29]),
        (
            "berkeley-dsep-infra__datahub/2017-03-06-helm-config-image-mismatch.qmd",
            &[32],
        ),
        (
            "berkeley-dsep-infra__datahub/2018-01-26-hub-slow-startup.qmd",
            &[34],
        ),
        (
            "berkeley-dsep-infra__datahub/2022-01-20-package-dependency-upgrade-incident.qmd",
            &[35],
        ),
        ("dfds__postmortems/PM2021-011 - Log4Shell.md", &[23]),
        (
            "dfds__postmortems/PM2023-001 - Total node failure.md",
            &[27],
        ),
        ("kubernetes__test-infra/2019-03-26.md", &[78]),
    ];
    for (rel, doc) in corpus::documents() {
        let want = expected
            .iter()
            .find(|(f, _)| *f == rel)
            .map_or(&[][..], |(_, l)| *l);
        assert_eq!(lines_of(&doc, "timeline/out-of-order"), want, "{rel}");
    }
}
