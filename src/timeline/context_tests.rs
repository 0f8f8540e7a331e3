use super::*;
use crate::model::{EntryKind, Section, SectionKind, TimelineEntry};

fn zones_of(text: &str) -> Vec<(usize, String)> {
    let ctx = scan(&Document::default(), text);
    ctx.declarations
        .iter()
        .map(|d| (d.line, d.reading.zone.name()))
        .collect()
}

#[test]
fn prose_declarations() {
    assert_eq!(
        zones_of("## Timeline ##\n\nAll times in PST\n"),
        vec![(3, "America/Los_Angeles".to_string())]
    );
    assert_eq!(zones_of("All times PDT.\n")[0].1, "America/Los_Angeles");
    assert_eq!(
        zones_of("*(All times US/Pacific, 24-hour clock.)*")[0].1,
        "US/Pacific"
    );
    assert_eq!(zones_of("All times are in UTC.")[0].1, "UTC");
    assert_eq!(zones_of("Timezone: CET")[0].1, "Europe/Berlin");
    assert_eq!(
        zones_of("All timestamps are listed in Pacific Time")[0].1,
        "America/Los_Angeles"
    );
    let zurich = scan(&Document::default(), "All times in UTC+1 (Zurich time)");
    let d = &zurich.declarations[0];
    assert_eq!(d.reading.zone.name(), "Europe/Zurich");
    assert_eq!(d.reading.offset.map(|o| o.local_minus_utc()), Some(3600));
}

#[test]
fn declarations_with_a_date() {
    let ctx = scan(
        &Document::default(),
        "All times in PST, on February 5th 2019\n",
    );
    assert_eq!(
        ctx.declarations[0].date,
        NaiveDate::from_ymd_opt(2019, 2, 5)
    );
}

#[test]
fn table_headers() {
    let text = "| Date and Time in CET | Event |\n|:--|--|\n| 2019-11-29 12:00 | x |\n";
    assert_eq!(zones_of(text), vec![(1, "Europe/Berlin".to_string())]);
    let text = "| Time (UTC) | Event |\n| --- | --- |\n";
    assert_eq!(zones_of(text)[0].1, "UTC");
    let text = "| Time | Event |\n| --- | --- |\n";
    assert!(zones_of(text).is_empty());
}

#[test]
fn not_declarations() {
    for text in [
        "All times are approximate.",
        "It took a long time in the end.",
        "```\nAll times in PST\n```",
        "> All times in PST",
        "<!-- All times in PST -->",
        "All times given below are local",
    ] {
        assert!(zones_of(text).is_empty(), "{text}");
    }
    let ctx = scan(&Document::default(), "All times in QQQ\n");
    assert_eq!(ctx.unknown, vec![(1, "QQQ".to_string())]);
}

#[test]
fn front_matter_zone() {
    let mut doc = Document::default();
    doc.front_matter
        .fields
        .insert("timezone".into(), "Europe/Oslo".into());
    doc.front_matter.end_line = 3;
    let ctx = scan(&doc, "---\ntimezone: Europe/Oslo\n---\n");
    assert_eq!(ctx.declarations[0].line, 2);
    assert_eq!(ctx.declarations[0].reading.zone.name(), "Europe/Oslo");
}

#[test]
fn zone_inferred_from_prose_times() {
    let mut doc = Document::default();
    let text = "Merged between 2 AM and 2.30 AM PST on 1/20.\n\n### {{ 06:10 }}\nAt 5.45 AM PST.\n";
    doc.timeline
        .push(TimelineEntry::new(3, "{{ 06:10 }}", "", EntryKind::Heading));
    let ctx = scan(&doc, text);
    let inferred = ctx.inferred.expect("inferred");
    assert_eq!(
        (inferred.line, inferred.reading.zone.name().as_str()),
        (1, "America/Los_Angeles")
    );
    let ctx = scan(&doc, "At 10:00 UTC and 11:00 PST.\n");
    assert!(
        ctx.inferred.is_none(),
        "disagreeing prose zones infer nothing"
    );
}

#[test]
fn summary_date() {
    let mut doc = Document {
        date: NaiveDate::from_ymd_opt(2017, 2, 24),
        ..Document::default()
    };
    doc.sections.push(Section {
        kind: SectionKind::Summary,
        heading: "Summary".into(),
        level: 2,
        line: 6,
        end_line: 9,
        text: "On the evening of Feb 23, several students started experiencing errors.".into(),
    });
    let ctx = scan(&doc, "");
    assert_eq!(
        ctx.summary_date,
        Some((NaiveDate::from_ymd_opt(2017, 2, 23).expect("date"), 6))
    );
}

#[test]
fn headings_and_terse_forms() {
    assert_eq!(zones_of("## Timeline (UTC)\n")[0].1, "UTC");
    assert_eq!(
        zones_of("## Timeline - all times PDT\n")[0].1,
        "America/Los_Angeles"
    );
    assert_eq!(
        zones_of("### Timeline (times in CET)\n")[0].1,
        "Europe/Berlin"
    );
    assert_eq!(zones_of("Times are UTC.\n")[0].1, "UTC");
    assert!(zones_of("## Timeline\n").is_empty());
    assert!(zones_of("## Timeline of events\n").is_empty());
    let text = "| UTC time | Event |\n| --- | --- |\n";
    assert_eq!(zones_of(text)[0].1, "UTC");
}

#[test]
fn zone_later_in_the_sentence_and_a_date_before_it() {
    assert_eq!(
        zones_of("All times are local time (CET).\n")[0].1,
        "Europe/Berlin"
    );
    assert_eq!(
        zones_of("Times are in US Pacific time\n")[0].1,
        "America/Los_Angeles"
    );
    let ctx = scan(&Document::default(), "2015-10-21 (all times UTC)\n");
    assert_eq!(
        ctx.declarations[0].date,
        NaiveDate::from_ymd_opt(2015, 10, 21)
    );
    assert_eq!(ctx.declarations[0].reading.zone.name(), "UTC");
}

proptest::proptest! {
    /// The prose-time guard lets through every line the pattern matches.
    #[test]
    fn prose_time_guard_passes_every_match(
        line in "([0-9]|[:. \t\u{b}aApPmM]|x|é|\u{a0}|٣){0,12}",
    ) {
        proptest::prop_assert!(!PROSE_TIME.is_match(&line) || may_have_prose_time(&line));
    }
}
