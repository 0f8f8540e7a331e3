use super::*;
use crate::timeline::zones::Found;

fn d(y: i32, m: u32, day: u32) -> DatePart {
    DatePart::Full(NaiveDate::from_ymd_opt(y, m, day).expect("valid date"))
}

/// The 24-hour time a label states, as `HH:MM:SS`.
fn time_of(part: TimePart) -> String {
    match part {
        TimePart::Known(c) => c.time().format("%H:%M:%S").to_string(),
        other => format!("{other:?}"),
    }
}

fn check(label: &str, date: DatePart, time: &str) -> Label {
    let l = parse(label);
    assert_eq!(l.date, date, "date of {label:?}");
    assert_eq!(time_of(l.time), time, "time of {label:?}");
    l
}

#[test]
fn twenty_four_hour_clocks() {
    check("22:59", DatePart::None, "22:59:00");
    check("9:05", DatePart::None, "09:05:00");
    check("16:05:00", DatePart::None, "16:05:00");
    check("[08:47]", DatePart::None, "08:47:00");
    check("{{ 06:10 }}", DatePart::None, "06:10:00");
    check("14h30", DatePart::None, "14:30:00");
    check("1430Z", DatePart::None, "14:30:00");
    check("noon", DatePart::None, "12:00:00");
}

#[test]
fn twelve_hour_clocks() {
    check("1:12 AM", DatePart::None, "01:12:00");
    check("0:25:59 AM", DatePart::None, "00:25:59");
    check("10:45a", DatePart::None, "10:45:00");
    check("12:29p", DatePart::None, "12:29:00");
    check("7:01am", DatePart::None, "07:01:00");
    check("17:14pm", DatePart::None, "17:14:00");
    check("12:05 AM", DatePart::None, "00:05:00");
    check("3:18 PM", DatePart::None, "15:18:00");
    check("7pm", DatePart::None, "19:00:00");
    check("9 a.m.", DatePart::None, "09:00:00");
}

#[test]
fn dates_in_many_shapes() {
    check("2018-01-26 15:00", d(2018, 1, 26), "15:00:00");
    check("March 6 2017 22:59", d(2017, 3, 6), "22:59:00");
    let l = check(
        "Mar 23, 09:08",
        DatePart::MonthDay { month: 3, day: 23 },
        "09:08:00",
    );
    assert!(!l.approximate);
    check(
        "19. April, 11:00",
        DatePart::MonthDay { month: 4, day: 19 },
        "11:00:00",
    );
    check("May 1 2019, 3:18 PM", d(2019, 5, 1), "15:18:00");
    check(
        "[12-05 16:21]",
        DatePart::MonthDay { month: 12, day: 5 },
        "16:21:00",
    );
    check("2017-05-09 10:45a", d(2017, 5, 9), "10:45:00");
    check("2021-12-10   15:40", d(2021, 12, 10), "15:40:00");
    check("3/15/2019 10:00", d(2019, 3, 15), "10:00:00");
    check("19.04.2019 10:00", d(2019, 4, 19), "10:00:00");
    check("2019-01-23T16:08:30Z", d(2019, 1, 23), "16:08:30");
    check("Tuesday 9th of June 2020", d(2020, 6, 9), "None");
    check("2024-03-05 Data8 outage", d(2024, 3, 5), "None");
    check("2021-12-17", d(2021, 12, 17), "None");
}

#[test]
fn weekdays() {
    let l = check("2019-01-19 Saturday:", d(2019, 1, 19), "None");
    assert_eq!(l.weekday, Some(Weekday::Sat));
    let l = check("Thursday", DatePart::None, "None");
    assert_eq!(l.weekday, Some(Weekday::Thu));
    let l = check("Wednesday 2019-01-30 - 08:35", d(2019, 1, 30), "08:35:00");
    assert_eq!(l.weekday, Some(Weekday::Wed));
    assert_eq!(l.end, None, "a date followed by a dash is not a range");
}

#[test]
fn ranges_keep_their_end() {
    let l = check("12:43 - 12:49", DatePart::None, "12:43:00");
    assert_eq!(l.end.map(time_of).as_deref(), Some("12:49:00"));
    let l = check("16:05:57-58", DatePart::None, "16:05:57");
    assert_eq!(l.end.map(time_of).as_deref(), Some("16:05:58"));
    let l = check("2017-02-09 00:25 - 00:29 AM", d(2017, 2, 9), "00:25:00");
    assert_eq!(l.end.map(time_of).as_deref(), Some("00:29:00"));
    let l = check(
        "{{ 2022-01-20 Between 02:00 and 02.30 PM }}",
        d(2022, 1, 20),
        "14:00:00",
    );
    assert_eq!(l.end.map(time_of).as_deref(), Some("14:30:00"));
    assert!(l.template);
    let l = check("2022-08-03 12:26-12:??", d(2022, 8, 3), "12:26:00");
    assert_eq!(l.end, Some(TimePart::Unknown));
    let l = check("11:30 - 12:15 PM", DatePart::None, "11:30:00");
    assert_eq!(l.end.map(time_of).as_deref(), Some("12:15:00"));
}

#[test]
fn approximations_are_marked() {
    for label in [
        "~16:05:00",
        "ca. 18:30",
        "around 19:30",
        "10:45~",
        "about 9:00",
        "19:30ish",
    ] {
        let l = parse(label);
        assert!(l.approximate, "{label}");
        assert!(matches!(l.time, TimePart::Known(_)), "{label}");
    }
    let l = check(
        "March 22, around 19:30",
        DatePart::MonthDay { month: 3, day: 22 },
        "19:30:00",
    );
    assert!(l.approximate);
    let l = check("~2025-03-03 19:30", d(2025, 3, 3), "19:30:00");
    assert!(l.approximate);
    assert!(!parse("16:49:40").approximate);
}

#[test]
fn unknown_parts() {
    for label in ["2X:XX", "??:??", "HH:mm", "--:--", "[???]", "14:??", "TBD"] {
        assert_eq!(parse(label).time, TimePart::Unknown, "{label}");
    }
    let l = check("2019-12-03 --:--", d(2019, 12, 3), "Unknown");
    assert_eq!(l.end, None);
    check("2022-02-?? ??:??", DatePart::Unknown, "Unknown");
    check("2021/22-??-?? HH:mm", DatePart::Unknown, "Unknown");
    check("2024-03-13 HH:mm", d(2024, 3, 13), "Unknown");
}

#[test]
fn impossible_dates_and_times() {
    let l = parse("20202-01-16 12:00");
    match l.date {
        DatePart::Invalid {
            years, month, day, ..
        } => {
            assert_eq!(years.first(), Some(&2020));
            assert_eq!((month, day), (1, 16));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse("2019-02-30 10:00").date,
        DatePart::Invalid { .. }
    ));
    assert_eq!(parse("25:10").time, TimePart::Invalid);
    assert_eq!(parse("12:61").time, TimePart::Invalid);
}

#[test]
fn zones_on_labels() {
    let l = check("2:54 PM PST", DatePart::None, "14:54:00");
    assert!(matches!(&l.zone, Some(Found::Known(r)) if r.written == "PST"));
    let l = check("16:22 UTC+1", DatePart::None, "16:22:00");
    assert!(matches!(&l.zone, Some(Found::Known(r)) if r.zone.name() == "+01:00"));
    let l = check("2019-01-23T16:08:30Z", d(2019, 1, 23), "16:08:30");
    assert!(matches!(&l.zone, Some(Found::Known(r)) if r.zone.name() == "UTC"));
    assert_eq!(parse("14:00 DNS outage").zone, None);
}

#[test]
fn relative_days_and_nonsense() {
    assert_eq!(parse("Day 2 10:00").date, DatePart::DayNumber(2));
    assert_eq!(parse("Next day 09:00").date, DatePart::NextDay);
    let l = parse("Over spring break week");
    assert_eq!((l.date, l.time), (DatePart::None, TimePart::None));
    let l = parse("T+5");
    assert_eq!(l.time, TimePart::None);
}

#[test]
fn zone_in_brackets_after_the_time() {
    let l = check("14:00 (UTC)", DatePart::None, "14:00:00");
    assert!(matches!(&l.zone, Some(Found::Known(r)) if r.zone.name() == "UTC"));
    let l = check("2017-01-31 14:00:00 +0000", d(2017, 1, 31), "14:00:00");
    assert!(matches!(&l.zone, Some(Found::Known(r)) if r.zone.name() == "UTC"));
    assert_eq!(parse("14:00 (see below)").zone, None);
}

#[test]
fn bare_clocks_read_as_any_label() {
    for s in [
        "21:42", "9:05", "00:00", "24:00", "24:01", "23:60", "99:99", "0:00", "07:5",
    ] {
        assert_eq!(parse(s), parse_any(s), "{s:?}");
    }
}

#[test]
fn iso_dates_with_clocks_read_as_any_label() {
    for s in [
        "2019-01-22 14:30",
        "2019-01-22 9:05",
        "2019-02-30 10:00",
        "1969-01-01 00:00",
        "2101-12-31 24:00",
        "0000-00-00 00:00",
        "2019-13-01 25:61",
        "2019-01-22  14:30",
        "2019-01-22T14:30",
        "2019/01/22 14:30",
        "2019-01-2214:30",
        "2019-01-22 14:30 ",
    ] {
        assert_eq!(parse(s), parse_any(s), "{s:?}");
    }
}

proptest::proptest! {
    #[test]
    fn bare_clocks_read_as_any_label_always(s in "[0-9]{1,3}:[0-9]{1,3}") {
        proptest::prop_assert_eq!(parse(&s), parse_any(&s));
    }

    #[test]
    fn iso_dates_with_clocks_read_as_any_label_always(
        s in "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{1,2}:[0-9]{2}",
    ) {
        proptest::prop_assert_eq!(parse(&s), parse_any(&s));
    }

    #[test]
    fn near_iso_labels_read_as_any_label(s in "[0-9 :T/-]{14,18}") {
        proptest::prop_assert_eq!(parse(&s), parse_any(&s));
    }

    /// The approximation guard lets through every label the pattern matches.
    #[test]
    fn approx_guard_passes_every_match(
        s in "(~|≈|ca|\\.|circa|around|ABOUT|approx|imately|roughly|some|time|ish|ſ|K|[a-z0-9 ():]){0,8}",
    ) {
        proptest::prop_assert!(!APPROX.is_match(&s) || Words::of(&s).may(Words::APPROX));
    }

    #[test]
    fn twelve_hour_clocks_with_zones_read_as_any_label(
        s in "[0-9]{1,2}:[0-9]{2} (AM|PM|am|pm|Am|a\\.m\\.)( ([A-Z]{1,6}|UTC|PST|PDT|CET|CEST|EST|TBD|TBA|NOON|SAT|MAR|CAT|Z|utc|X))?",
    ) {
        proptest::prop_assert_eq!(parse(&s), parse_any(&s));
    }

    #[test]
    fn month_day_year_clocks_read_as_any_label(
        s in "(January|Jan|JULY|july|Sept|sep|May|Mayx|Jul|Julyy|Nov|November|Mon|Marc) [0-9]{1,3} [0-9]{3,5} [0-9]{1,3}:[0-9]{2}",
    ) {
        proptest::prop_assert_eq!(parse(&s), parse_any(&s));
    }
}
