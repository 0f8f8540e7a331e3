//! Date values of the query language: `2018`, `2018-01`, `2018-01-26`, ranges
//! `2018-01..2018-03`, comparisons `>2018`, `<=2019-06`, and `after:` / `before:`.

use chrono::{Datelike, NaiveDate};

/// An inclusive range of days; an open side is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// What a date value must look like, for error messages.
pub(crate) const DATE_EXPECTED: &str = "a year, month or day (2018, 2018-01, 2018-01-26), a range (2018-01..2018-03) \
     or a comparison (>2018, <=2019-06)";

/// A calendar period: a year, a month or a day, as its first and last day.
fn period(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let parts: Vec<&str> = text.split(['-', '/']).collect();
    let num = |s: &str, len: usize| -> Option<u32> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let year = i32::try_from(num(parts.first()?, 4)?).ok()?;
    match parts.len() {
        1 => Some((
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, 31)?,
        )),
        2 => {
            let first = NaiveDate::from_ymd_opt(year, num(parts[1], 2)?, 1)?;
            let next = first.checked_add_months(chrono::Months::new(1))?;
            Some((first, next.pred_opt()?))
        }
        3 => {
            let day = NaiveDate::from_ymd_opt(year, num(parts[1], 2)?, num(parts[2], 2)?)?;
            Some((day, day))
        }
        _ => None,
    }
}

/// Parse the value of `date:` / `due:`.
pub(crate) fn parse_range(value: &str) -> Option<DayRange> {
    let value = value.trim();
    for (op, f) in [
        (">=", Cmp::AtOrAfter),
        ("<=", Cmp::AtOrBefore),
        (">", Cmp::After),
        ("<", Cmp::Before),
    ] {
        if let Some(rest) = value.strip_prefix(op) {
            return compare(f, rest);
        }
    }
    if let Some((a, b)) = value.split_once("..") {
        let from = if a.is_empty() {
            None
        } else {
            Some(period(a)?.0)
        };
        let to = if b.is_empty() {
            None
        } else {
            Some(period(b)?.1)
        };
        if from.is_none() && to.is_none() || from.zip(to).is_some_and(|(f, t)| f > t) {
            return None;
        }
        return Some(DayRange { from, to });
    }
    let (from, to) = period(value)?;
    Some(DayRange {
        from: Some(from),
        to: Some(to),
    })
}

/// How a comparison relates to a period: `after:2018` starts in 2019.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cmp {
    After,
    AtOrAfter,
    Before,
    AtOrBefore,
}

/// `after:P` (strictly after the whole period), `before:P` (strictly before it), …
pub(crate) fn compare(cmp: Cmp, value: &str) -> Option<DayRange> {
    let (first, last) = period(value.trim())?;
    let range = match cmp {
        Cmp::After => DayRange {
            from: Some(last.succ_opt()?),
            to: None,
        },
        Cmp::AtOrAfter => DayRange {
            from: Some(first),
            to: None,
        },
        Cmp::Before => DayRange {
            from: None,
            to: Some(first.pred_opt()?),
        },
        Cmp::AtOrBefore => DayRange {
            from: None,
            to: Some(last),
        },
    };
    Some(range)
}

impl DayRange {
    /// Whether `day` falls in the range (used by tests and callers filtering in memory).
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }

    /// The year of a range that lies within a single year, for display.
    pub fn single_year(&self) -> Option<i32> {
        let (f, t) = (self.from?, self.to?);
        (f.year() == t.year()).then_some(f.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn periods() {
        assert_eq!(
            parse_range("2018"),
            Some(DayRange {
                from: d(2018, 1, 1),
                to: d(2018, 12, 31)
            })
        );
        assert_eq!(
            parse_range("2018-02"),
            Some(DayRange {
                from: d(2018, 2, 1),
                to: d(2018, 2, 28)
            })
        );
        assert_eq!(
            parse_range("2018/01/26"),
            Some(DayRange {
                from: d(2018, 1, 26),
                to: d(2018, 1, 26)
            })
        );
    }

    #[test]
    fn ranges_and_comparisons() {
        assert_eq!(
            parse_range("2018-01..2018-03"),
            Some(DayRange {
                from: d(2018, 1, 1),
                to: d(2018, 3, 31)
            })
        );
        assert_eq!(
            parse_range("..2017"),
            Some(DayRange {
                from: None,
                to: d(2017, 12, 31)
            })
        );
        assert_eq!(
            parse_range(">2018"),
            Some(DayRange {
                from: d(2019, 1, 1),
                to: None
            })
        );
        assert_eq!(
            parse_range("<=2018-01"),
            Some(DayRange {
                from: None,
                to: d(2018, 1, 31)
            })
        );
        assert_eq!(
            compare(Cmp::After, "2018-01-01"),
            Some(DayRange {
                from: d(2018, 1, 2),
                to: None
            })
        );
        assert_eq!(
            compare(Cmp::Before, "2018"),
            Some(DayRange {
                from: None,
                to: d(2017, 12, 31)
            })
        );
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "18",
            "2018-13",
            "2018-02-30",
            "2018-1",
            "..",
            "2019..2018",
            "yesterday",
            "2018-01-01-01",
        ] {
            assert_eq!(parse_range(bad), None, "{bad}");
        }
    }

    #[test]
    fn contains_is_inclusive() {
        let r = parse_range("2018-01").unwrap();
        assert!(r.contains(NaiveDate::from_ymd_opt(2018, 1, 31).unwrap()));
        assert!(!r.contains(NaiveDate::from_ymd_opt(2018, 2, 1).unwrap()));
        assert_eq!(r.single_year(), Some(2018));
    }
}
