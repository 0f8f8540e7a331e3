//! Weekly reports: what happened in one ISO week, in the team's time zone —
//! incidents, post-mortem changes, action item activity, open and overdue
//! items, recurring themes and trends — as data ([`WeeklyReport`], stable
//! JSON), Markdown, a self-contained HTML page, and SVG charts.
//!
//! ```no_run
//! # async fn demo(store: coroner::store::Store) -> Result<(), coroner::report::ReportError> {
//! use coroner::report::{self, IsoWeek};
//! let tz = report::parse_zone("America/Los_Angeles")?;
//! let week: IsoWeek = "2018-W04".parse()?;
//! let weekly = report::weekly(&store, None, week, tz, chrono::Utc::now()).await?;
//! let page = report::html::render(&weekly)?;
//! let chat = report::markdown::render(&weekly);
//! # Ok(()) }
//! ```
//!
//! Everything here is free of I/O besides the store reads in [`weekly`];
//! `now` is an argument so a report is reproducible.

pub mod charts;
mod gather;
pub mod html;
mod items;
pub mod markdown;
pub mod model;
mod themes;
mod trends;
pub mod week;
mod wording;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub use gather::weekly;
pub use model::{SCHEMA_VERSION, WeeklyReport};
pub use week::IsoWeek;

use crate::config::Config;
use crate::store::StoreError;
use crate::timeline::zones::{Found, Zone, parse_zone as read_zone};

/// How many weeks the trends and charts cover, the report's week included.
pub const TREND_WEEKS: usize = 12;
/// How many weeks before the report's week make the baseline it is compared with.
pub const BASELINE_WEEKS: usize = 4;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A week that is not `YEAR-Wnn` or does not exist (HTTP 400, exit 2).
    #[error("invalid week: {0}")]
    InvalidWeek(String),
    /// A configured time zone that is not a zone (exit 2).
    #[error("invalid report time zone: {0}")]
    InvalidZone(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The HTML template failed (a bug, HTTP 500).
    #[error("cannot render the report: {0}")]
    Render(String),
}

impl ReportError {
    /// Bad input from the user (a 400, exit status 2) rather than a failure.
    pub fn is_user_error(&self) -> bool {
        match self {
            ReportError::InvalidWeek(_) | ReportError::InvalidZone(_) => true,
            ReportError::Store(e) => matches!(e, StoreError::InvalidInput(_)),
            ReportError::Render(_) => false,
        }
    }
}

/// The team's zone for week boundaries: `report.timezone`, else
/// `timeline.default_timezone`, else UTC.
pub fn team_zone(config: &Config) -> Result<Tz, ReportError> {
    config.report_timezone().map_or(Ok(Tz::UTC), parse_zone)
}

/// A zone with DST rules: an IANA name (`Europe/Berlin`), an abbreviation or
/// name people write (`PST`, `Pacific Time` → `America/Los_Angeles`), or a
/// whole-hour offset (`UTC+1` → `Etc/GMT-1`).
pub fn parse_zone(name: &str) -> Result<Tz, ReportError> {
    if let Ok(tz) = name.trim().parse::<Tz>() {
        return Ok(tz);
    }
    let bad = |why: &str| ReportError::InvalidZone(format!("`{name}` {why}"));
    match read_zone(name) {
        Some(Found::Known(reading)) => match reading.zone {
            Zone::Named(tz) => Ok(tz),
            Zone::Fixed(offset) => {
                let secs = offset.local_minus_utc();
                if secs % 3600 != 0 {
                    return Err(bad(
                        "is an offset that is not whole hours; use an IANA name",
                    ));
                }
                // POSIX-style Etc zones have the sign inverted: UTC+1 is Etc/GMT-1.
                let etc = match secs / 3600 {
                    0 => "Etc/UTC".to_string(),
                    h => format!("Etc/GMT{:+}", -h),
                };
                etc.parse::<Tz>().map_err(|_| bad("is out of range"))
            }
        },
        _ => Err(bad(
            "is not a time zone; use an IANA name such as Europe/Berlin",
        )),
    }
}

/// The report's `as_of`: the week's end, or `now` while the week is running.
fn as_of(end: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    end.min(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_from_names_abbreviations_and_offsets() {
        assert_eq!(parse_zone("Europe/Berlin").unwrap(), Tz::Europe__Berlin);
        assert_eq!(parse_zone("PST").unwrap(), Tz::America__Los_Angeles);
        assert_eq!(parse_zone("UTC+1").unwrap(), Tz::Etc__GMTMinus1);
        assert_eq!(parse_zone("UTC").unwrap(), Tz::UTC);
        let err = parse_zone("Mars/Olympus").unwrap_err();
        assert!(err.is_user_error());
        assert!(err.to_string().contains("Mars/Olympus"), "{err}");
    }

    #[test]
    fn the_team_zone_falls_back_to_the_timeline_default_then_utc() {
        let mut config = Config::default();
        assert_eq!(team_zone(&config).unwrap(), Tz::UTC);
        config.timeline.default_timezone = Some("Europe/Berlin".into());
        assert_eq!(team_zone(&config).unwrap(), Tz::Europe__Berlin);
        config.report.timezone = Some("America/Los_Angeles".into());
        assert_eq!(team_zone(&config).unwrap(), Tz::America__Los_Angeles);
    }
}
