//! The table of zone names people write in post-mortems: abbreviations and spelled-out
//! names, each mapped to a real IANA zone (so DST rules apply) and to the season the
//! name pins, if any (`PST` says standard time, `PDT` daylight time, `PT` neither).

/// Which half of the year a zone name claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    Standard,
    Daylight,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Abbrev {
    /// Upper-case for abbreviations, lower-case words for spelled-out names.
    pub name: &'static str,
    pub iana: &'static str,
    pub season: Option<Season>,
    /// Other common readings of the same abbreviation, for `timezone/ambiguous`.
    pub also: Option<&'static str>,
}

const fn row(name: &'static str, iana: &'static str, season: Option<Season>) -> Abbrev {
    Abbrev {
        name,
        iana,
        season,
        also: None,
    }
}

const fn amb(
    name: &'static str,
    iana: &'static str,
    season: Option<Season>,
    also: &'static str,
) -> Abbrev {
    Abbrev {
        name,
        iana,
        season,
        also: Some(also),
    }
}

const STD: Option<Season> = Some(Season::Standard);
const DST: Option<Season> = Some(Season::Daylight);
const ANY: Option<Season> = None;

/// Abbreviations, upper-case. The first reading of an ambiguous one is the most common
/// in English-language incident reports; the finding names the others.
pub const ABBREVIATIONS: &[Abbrev] = &[
    row("UTC", "UTC", ANY),
    row("UT", "UTC", ANY),
    row("GMT", "UTC", ANY),
    row("Z", "UTC", ANY),
    row("ZULU", "UTC", ANY),
    row("PST", "America/Los_Angeles", STD),
    row("PDT", "America/Los_Angeles", DST),
    row("PT", "America/Los_Angeles", ANY),
    row("MST", "America/Denver", STD),
    row("MDT", "America/Denver", DST),
    row("MT", "America/Denver", ANY),
    amb(
        "CST",
        "America/Chicago",
        STD,
        "China Standard Time (Asia/Shanghai, UTC+8) or Cuba Standard Time",
    ),
    row("CDT", "America/Chicago", DST),
    row("CT", "America/Chicago", ANY),
    row("EST", "America/New_York", STD),
    row("EDT", "America/New_York", DST),
    row("ET", "America/New_York", ANY),
    row("AKST", "America/Anchorage", STD),
    row("AKDT", "America/Anchorage", DST),
    row("HST", "Pacific/Honolulu", ANY),
    amb(
        "AST",
        "America/Halifax",
        STD,
        "Arabia Standard Time (Asia/Riyadh, UTC+3)",
    ),
    row("ADT", "America/Halifax", DST),
    row("NST", "America/St_Johns", STD),
    row("NDT", "America/St_Johns", DST),
    row("BRT", "America/Sao_Paulo", ANY),
    row("ART", "America/Argentina/Buenos_Aires", ANY),
    row("WET", "Europe/Lisbon", STD),
    row("WEST", "Europe/Lisbon", DST),
    // British Summer Time: Bangladesh Standard Time is too rare in incident reports to
    // make every British timeline ambiguous.
    row("BST", "Europe/London", DST),
    amb(
        "IST",
        "Asia/Kolkata",
        ANY,
        "Irish Standard Time (Europe/Dublin) or Israel Standard Time (Asia/Jerusalem)",
    ),
    row("CET", "Europe/Berlin", STD),
    row("CEST", "Europe/Berlin", DST),
    row("MET", "Europe/Berlin", STD),
    row("MEST", "Europe/Berlin", DST),
    row("MEZ", "Europe/Berlin", STD),
    row("MESZ", "Europe/Berlin", DST),
    row("EET", "Europe/Helsinki", STD),
    row("EEST", "Europe/Helsinki", DST),
    row("MSK", "Europe/Moscow", ANY),
    row("TRT", "Europe/Istanbul", ANY),
    row("SAST", "Africa/Johannesburg", ANY),
    row("CAT", "Africa/Maputo", ANY),
    row("EAT", "Africa/Nairobi", ANY),
    row("WAT", "Africa/Lagos", ANY),
    row("GST", "Asia/Dubai", ANY),
    row("PKT", "Asia/Karachi", ANY),
    row("NPT", "Asia/Kathmandu", ANY),
    row("ICT", "Asia/Bangkok", ANY),
    row("WIB", "Asia/Jakarta", ANY),
    row("SGT", "Asia/Singapore", ANY),
    row("HKT", "Asia/Hong_Kong", ANY),
    row("PHT", "Asia/Manila", ANY),
    row("KST", "Asia/Seoul", ANY),
    row("JST", "Asia/Tokyo", ANY),
    row("AWST", "Australia/Perth", ANY),
    row("ACST", "Australia/Adelaide", STD),
    row("ACDT", "Australia/Adelaide", DST),
    row("AEST", "Australia/Sydney", STD),
    row("AEDT", "Australia/Sydney", DST),
    row("NZST", "Pacific/Auckland", STD),
    row("NZDT", "Pacific/Auckland", DST),
];

/// Spelled-out names, lower-case, longest first so `pacific standard time` wins over
/// `pacific time`. City names (`Zurich time`) are looked up in the IANA list instead.
pub const NAMES: &[Abbrev] = &[
    row("coordinated universal time", "UTC", ANY),
    row("greenwich mean time", "UTC", ANY),
    row("pacific standard time", "America/Los_Angeles", STD),
    row("pacific daylight time", "America/Los_Angeles", DST),
    row("mountain standard time", "America/Denver", STD),
    row("mountain daylight time", "America/Denver", DST),
    row("central standard time", "America/Chicago", STD),
    row("central daylight time", "America/Chicago", DST),
    row("eastern standard time", "America/New_York", STD),
    row("eastern daylight time", "America/New_York", DST),
    row("central european summer time", "Europe/Berlin", DST),
    row("central european standard time", "Europe/Berlin", STD),
    row("central european time", "Europe/Berlin", STD),
    row("eastern european summer time", "Europe/Helsinki", DST),
    row("eastern european time", "Europe/Helsinki", STD),
    row("western european summer time", "Europe/Lisbon", DST),
    row("western european time", "Europe/Lisbon", STD),
    row("british summer time", "Europe/London", DST),
    row("indian standard time", "Asia/Kolkata", ANY),
    row("japan standard time", "Asia/Tokyo", ANY),
    row("pacific time", "America/Los_Angeles", ANY),
    row("mountain time", "America/Denver", ANY),
    row("central time", "America/Chicago", ANY),
    row("eastern time", "America/New_York", ANY),
    row("us pacific", "America/Los_Angeles", ANY),
    row("us mountain", "America/Denver", ANY),
    row("us central", "America/Chicago", ANY),
    row("us eastern", "America/New_York", ANY),
    row("pacific", "America/Los_Angeles", ANY),
    row("eastern", "America/New_York", ANY),
];

/// Look an abbreviation up, case-insensitively.
pub fn abbreviation(token: &str) -> Option<&'static Abbrev> {
    ABBREVIATIONS
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(token))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn every_row_names_a_real_zone() {
        for row in ABBREVIATIONS.iter().chain(NAMES) {
            assert!(chrono_tz::Tz::from_str(row.iana).is_ok(), "{}", row.iana);
        }
    }

    #[test]
    fn abbreviations_are_unique_and_upper_case() {
        let mut seen = std::collections::HashSet::new();
        for row in ABBREVIATIONS {
            assert!(seen.insert(row.name), "duplicate {}", row.name);
            assert_eq!(row.name, row.name.to_ascii_uppercase());
        }
    }

    #[test]
    fn case_insensitive_lookup() {
        assert_eq!(
            abbreviation("pst").map(|a| a.iana),
            Some("America/Los_Angeles")
        );
        assert!(abbreviation("XYZ").is_none());
    }
}
