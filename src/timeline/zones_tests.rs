use super::*;
use chrono::NaiveDate;

fn reading(text: &str) -> Reading {
    match parse_zone(text) {
        Some(Found::Known(r)) => r,
        other => panic!("{text}: {other:?}"),
    }
}

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, 0, 0))
        .expect("valid")
}

#[test]
fn abbreviations_map_to_regions_with_seasons() {
    let pst = reading("PST");
    assert_eq!(pst.zone.name(), "America/Los_Angeles");
    assert_eq!(pst.season, Some(Season::Standard));
    assert_eq!(reading("PDT").season, Some(Season::Daylight));
    assert_eq!(reading("CET").zone.name(), "Europe/Berlin");
    assert_eq!(reading("utc").zone.name(), "UTC");
    assert_eq!(reading("GMT").zone.name(), "UTC");
    assert_eq!(reading("Z").zone, Zone::UTC);
}

#[test]
fn offsets_names_and_cities() {
    assert_eq!(reading("UTC+1").zone.name(), "+01:00");
    assert_eq!(reading("GMT-0800").zone.name(), "-08:00");
    assert_eq!(reading("+05:30").zone.name(), "+05:30");
    assert_eq!(reading("UTC+0").zone, Zone::UTC);
    assert_eq!(reading("US/Pacific").zone.name(), "US/Pacific");
    assert_eq!(reading("europe/oslo").zone.name(), "Europe/Oslo");
    assert_eq!(reading("Zurich time").zone.name(), "Europe/Zurich");
    assert_eq!(reading("Pacific Time").zone.name(), "America/Los_Angeles");
    let cest = reading("Central European Summer Time");
    assert_eq!(cest.season, Some(Season::Daylight));
}

#[test]
fn region_with_offset_keeps_both() {
    let r = reading("UTC+1 (Zurich time)");
    assert_eq!(r.zone.name(), "Europe/Zurich");
    assert_eq!(r.offset.map(|o| o.local_minus_utc()), Some(3600));
    assert_eq!(r.written, "UTC+1 (Zurich time)");
    let r = reading("PDT (UTC-7)");
    assert_eq!(r.zone.name(), "America/Los_Angeles");
    assert_eq!(r.offset.map(|o| o.local_minus_utc()), Some(-7 * 3600));
}

#[test]
fn ambiguous_and_misspelt() {
    assert!(matches!(reading("IST").note, Some(Note::Ambiguous(_))));
    assert_eq!(reading("IST").zone.name(), "Asia/Kolkata");
    let r = reading("PTS");
    assert_eq!(r.note, Some(Note::Misspelt));
    assert_eq!(r.zone.name(), "America/Los_Angeles");
    let r = reading("Europe/Zurcih");
    assert_eq!(r.note, Some(Note::Misspelt));
    assert_eq!(r.zone.name(), "Europe/Zurich");
    assert_eq!(parse_zone("QQQQ"), Some(Found::Unknown("QQQQ".into())));
    assert_eq!(parse_zone("the table"), None);
}

#[test]
fn labels_are_strict_about_words() {
    assert_eq!(zone_prefix("DNS outage", Expect::Maybe), None);
    assert_eq!(zone_prefix("pm", Expect::Maybe), None);
    let (found, used) = zone_prefix(" PST: text", Expect::Maybe).expect("zone");
    assert_eq!(used, 4);
    assert!(matches!(found, Found::Known(r) if r.written == "PST"));
}

#[test]
fn dst_rules_apply() {
    let la = reading("PST").zone;
    let winter = la
        .local_offsets(&at(2017, 3, 6, 22))
        .single()
        .expect("single");
    assert_eq!(winter.offset.local_minus_utc(), -8 * 3600);
    assert!(!winter.dst);
    let summer = la
        .local_offsets(&at(2017, 3, 12, 19))
        .single()
        .expect("single");
    assert_eq!(summer.offset.local_minus_utc(), -7 * 3600);
    assert_eq!(summer.abbr(), "PDT");
    // 02:30 on the spring-forward day does not exist; 01:30 in November exists twice.
    assert!(matches!(
        la.local_offsets(&at(2017, 3, 12, 2)),
        LocalResult::None
    ));
    let fold = at(2017, 11, 5, 1);
    assert!(matches!(
        la.local_offsets(&fold),
        LocalResult::Ambiguous(..)
    ));
}

#[test]
fn edit_distance_counts_transpositions() {
    assert_eq!(edit_distance("PTS", "PST"), 1);
    assert_eq!(edit_distance("CET", "CEST"), 1);
    assert_eq!(edit_distance("abc", "abc"), 0);
    assert_eq!(edit_distance("", "ab"), 2);
}
