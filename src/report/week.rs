//! ISO weeks (`2018-W04`) and their boundaries as UTC instants in a team's zone:
//! a week runs from local midnight on Monday to the next local midnight on
//! Monday, so a week with a DST change lasts 167 or 169 hours.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, LocalResult, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ReportError;

/// One ISO 8601 week: weeks start on Monday and week 1 holds the year's first
/// Thursday, so 2020 has a week 53 and 2021-W01 starts on 2021-01-04.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    year: i32,
    week: u32,
}

impl IsoWeek {
    /// The week `week` of ISO year `year`; an error when the year has no such week.
    pub fn new(year: i32, week: u32) -> Result<IsoWeek, ReportError> {
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .map(|_| IsoWeek { year, week })
            .ok_or_else(|| {
                ReportError::InvalidWeek(format!(
                    "{year}-W{week:02}: ISO year {year} has weeks 1 to {}",
                    weeks_in(year)
                ))
            })
    }

    /// The week a calendar day belongs to (2021-01-01 is in 2020-W53).
    pub fn containing(day: NaiveDate) -> IsoWeek {
        let w = day.iso_week();
        IsoWeek {
            year: w.year(),
            week: w.week(),
        }
    }

    /// The week an instant falls in, read on the clocks of `tz`.
    pub fn of_instant(at: DateTime<Utc>, tz: Tz) -> IsoWeek {
        IsoWeek::containing(at.with_timezone(&tz).date_naive())
    }

    /// The last week that has ended by `now` in `tz`: the week before the current one.
    pub fn last_complete(now: DateTime<Utc>, tz: Tz) -> IsoWeek {
        IsoWeek::of_instant(now, tz).previous()
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn week(self) -> u32 {
        self.week
    }

    /// The week's Monday.
    pub fn monday(self) -> NaiveDate {
        // `new` and `containing` only build weeks that exist.
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).unwrap_or(NaiveDate::MIN)
    }

    /// The week's Sunday.
    pub fn sunday(self) -> NaiveDate {
        self.monday() + Days::new(6)
    }

    pub fn previous(self) -> IsoWeek {
        IsoWeek::containing(self.monday() - Days::new(7))
    }

    pub fn next(self) -> IsoWeek {
        IsoWeek::containing(self.monday() + Days::new(7))
    }

    /// This week and the `n - 1` before it, oldest first.
    pub fn last_n(self, n: usize) -> Vec<IsoWeek> {
        let mut weeks = Vec::with_capacity(n);
        let mut w = self;
        for _ in 0..n {
            weeks.push(w);
            w = w.previous();
        }
        weeks.reverse();
        weeks
    }

    /// `[start, end)` in UTC: local midnight of this Monday and of the next one in `tz`.
    pub fn bounds(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            day_start(self.monday(), tz),
            day_start(self.next().monday(), tz),
        )
    }

    /// Whether the instant falls in this week, read on the clocks of `tz`.
    pub fn contains(self, at: DateTime<Utc>, tz: Tz) -> bool {
        IsoWeek::of_instant(at, tz) == self
    }
}

/// The first instant of a local day. Where midnight does not exist (a DST gap
/// at midnight, as in some South American zones) the day starts at the first
/// wall-clock time that does; where it happens twice, at the first one.
pub fn day_start(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    for minutes in (0..=180).step_by(15) {
        let local = midnight + chrono::Duration::minutes(minutes);
        match tz.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.with_timezone(&Utc),
            LocalResult::None => continue,
        }
    }
    midnight.and_utc()
}

/// How many ISO weeks a year has: 53 when it starts or (in a leap year) ends on Thursday.
pub fn weeks_in(year: i32) -> u32 {
    NaiveDate::from_ymd_opt(year, 12, 28).map_or(52, |d| d.iso_week().week())
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

impl FromStr for IsoWeek {
    type Err = ReportError;

    /// `2018-W04`; `2018-w4` and `2018W04` are accepted too.
    fn from_str(s: &str) -> Result<IsoWeek, ReportError> {
        let text = s.trim();
        let bad = || {
            ReportError::InvalidWeek(format!(
                "`{s}` is not an ISO week: expected YEAR-Wnn, such as 2018-W04"
            ))
        };
        let (year, week) = text.split_once(['W', 'w']).ok_or_else(bad)?;
        let year = year.strip_suffix('-').unwrap_or(year);
        let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !all_digits(year) || week.len() > 2 || !all_digits(week) {
            return Err(bad());
        }
        let (year, week) = (
            year.parse().map_err(|_| bad())?,
            week.parse().map_err(|_| bad())?,
        );
        IsoWeek::new(year, week)
    }
}

impl Serialize for IsoWeek {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoWeek {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<IsoWeek, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn week(s: &str) -> IsoWeek {
        s.parse().unwrap()
    }

    fn hours(w: &str, tz: Tz) -> i64 {
        let (start, end) = week(w).bounds(tz);
        (end - start).num_hours()
    }

    #[test]
    fn parses_and_formats() {
        assert_eq!(week("2018-W04").to_string(), "2018-W04");
        assert_eq!(week("2018-w4"), week("2018-W04"));
        assert_eq!(week(" 2018W04 "), week("2018-W04"));
        assert_eq!(
            week("2018-W04").monday(),
            NaiveDate::from_ymd_opt(2018, 1, 22).unwrap()
        );
        assert_eq!(
            week("2018-W04").sunday(),
            NaiveDate::from_ymd_opt(2018, 1, 28).unwrap()
        );
    }

    #[test]
    fn rejects_invalid_weeks_with_a_clear_message() {
        for bad in [
            "",
            "2018",
            "2018-04",
            "2018-W",
            "2018-W123",
            "18-W04",
            "2018-Wx1",
            "2018-W-1",
        ] {
            let err = bad.parse::<IsoWeek>().unwrap_err().to_string();
            assert!(err.contains("expected YEAR-Wnn"), "{bad}: {err}");
        }
        let err = "2021-W53".parse::<IsoWeek>().unwrap_err().to_string();
        assert!(err.contains("weeks 1 to 52"), "{err}");
        assert!("2018-W00".parse::<IsoWeek>().is_err());
    }

    #[test]
    fn year_ends() {
        assert_eq!(weeks_in(2020), 53);
        assert_eq!(weeks_in(2021), 52);
        assert_eq!(
            week("2018-W01").monday(),
            NaiveDate::from_ymd_opt(2018, 1, 1).unwrap()
        );
        assert_eq!(
            week("2020-W53").monday(),
            NaiveDate::from_ymd_opt(2020, 12, 28).unwrap()
        );
        assert_eq!(week("2020-W53").next(), week("2021-W01"));
        assert_eq!(week("2021-W01").previous(), week("2020-W53"));
        assert_eq!(
            week("2021-W01").monday(),
            NaiveDate::from_ymd_opt(2021, 1, 4).unwrap()
        );
        assert_eq!(week("2019-W52").next(), week("2020-W01"));
        assert_eq!(
            week("2020-W01").monday(),
            NaiveDate::from_ymd_opt(2019, 12, 30).unwrap()
        );
        let new_year = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        assert_eq!(IsoWeek::containing(new_year), week("2020-W53"));
        assert_eq!(
            week("2018-W02").last_n(3),
            vec![week("2017-W52"), week("2018-W01"), week("2018-W02")]
        );
    }

    #[test]
    fn bounds_are_local_midnights() {
        let (start, end) = week("2018-W04").bounds(Tz::America__Los_Angeles);
        assert_eq!(start.to_rfc3339(), "2018-01-22T08:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2018-01-29T08:00:00+00:00");
        let (start, _) = week("2021-W01").bounds(Tz::Europe__Berlin);
        assert_eq!(start.to_rfc3339(), "2021-01-03T23:00:00+00:00");
        assert_eq!(hours("2020-W53", Tz::UTC), 168);
    }

    #[test]
    fn dst_weeks_are_167_or_169_hours() {
        // Europe: last Sunday of March and of October.
        assert_eq!(hours("2018-W12", Tz::Europe__Berlin), 167);
        assert_eq!(hours("2018-W43", Tz::Europe__Berlin), 169);
        assert_eq!(hours("2018-W13", Tz::Europe__Berlin), 168);
        // US: second Sunday of March, first Sunday of November.
        assert_eq!(hours("2018-W10", Tz::America__Los_Angeles), 167);
        assert_eq!(hours("2018-W44", Tz::America__Los_Angeles), 169);
        let (_, end) = week("2018-W10").bounds(Tz::America__Los_Angeles);
        assert_eq!(end.to_rfc3339(), "2018-03-12T07:00:00+00:00");
    }

    #[test]
    fn weeks_of_instants_follow_the_zone() {
        // Sunday 2018-01-28 23:30 in Los Angeles is Monday 07:30 UTC.
        let at = "2018-01-29T07:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            IsoWeek::of_instant(at, Tz::America__Los_Angeles),
            week("2018-W04")
        );
        assert_eq!(IsoWeek::of_instant(at, Tz::UTC), week("2018-W05"));
        assert!(week("2018-W04").contains(at, Tz::America__Los_Angeles));
        assert_eq!(IsoWeek::last_complete(at, Tz::UTC), week("2018-W04"));
        assert_eq!(
            IsoWeek::last_complete(at + Duration::days(7), Tz::UTC),
            week("2018-W05")
        );
    }

    #[test]
    fn midnight_in_a_dst_gap_starts_the_day_at_one() {
        // Santiago's clocks jumped from 00:00 to 01:00 (UTC-3) on 2018-08-12.
        let gap = NaiveDate::from_ymd_opt(2018, 8, 12).unwrap();
        let t = day_start(gap, Tz::America__Santiago);
        assert_eq!(t.to_rfc3339(), "2018-08-12T04:00:00+00:00");
    }

    #[test]
    fn serializes_as_its_name() {
        let json = serde_json::to_string(&week("2020-W53")).unwrap();
        assert_eq!(json, "\"2020-W53\"");
        let back: IsoWeek = serde_json::from_str(&json).unwrap();
        assert_eq!(back, week("2020-W53"));
    }
}
