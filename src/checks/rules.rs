//! The table of rule codes: every finding any stage emits is one of these.
//! Codes are stable (tools and `coroner.toml` refer to them); add, never rename.

use crate::model::{Finding, Severity};

macro_rules! rules {
    ($( $variant:ident => ($code:literal, $sev:ident, $summary:literal), )*) => {
        /// A rule: one kind of finding, with a stable code and a default severity.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule { $( $variant, )* }

        impl Rule {
            /// Every rule, in table order.
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )* ];

            pub fn code(self) -> &'static str {
                match self { $( Rule::$variant => $code, )* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Rule::$variant => Severity::$sev, )* }
            }

            /// One line saying what the rule catches.
            pub fn summary(self) -> &'static str {
                match self { $( Rule::$variant => $summary, )* }
            }

            pub fn from_code(code: &str) -> Option<Rule> {
                match code { $( $code => Some(Rule::$variant), )* _ => None }
            }
        }
    };
}

rules! {
    UnclosedFence => ("structure/unclosed-fence", Warning,
        "a code fence is never closed; parsing resumed at the next heading-like line"),
    StrayFence => ("structure/stray-fence", Warning,
        "a fence line that opens an empty or accidental code block"),
    HeadingHashes => ("structure/heading-hashes", Info,
        "a closed ATX heading whose closing hashes do not match its opening hashes"),
    RawHtml => ("structure/raw-html", Info,
        "raw HTML in the markdown (rendered sanitized)"),
    HtmlComment => ("structure/html-comment", Info,
        "an HTML comment, often left over from a template"),
    TemplatePlaceholder => ("structure/template-placeholder", Warning,
        "a template placeholder such as `{{ … }}` left in the text"),
    NoTimeline => ("structure/no-timeline", Info,
        "the post-mortem has no timeline entries"),
    NoActionItems => ("structure/no-action-items", Info,
        "the post-mortem has no action items"),
    FrontMatterInvalid => ("metadata/front-matter-invalid", Error,
        "the YAML front matter could not be read"),
    MissingTitle => ("metadata/missing-title", Warning,
        "no title in front matter, first heading or first line"),
    MissingDate => ("metadata/missing-date", Warning,
        "no incident date anywhere: front matter, title, file name or timeline"),
    DateMismatch => ("metadata/date-mismatch", Warning,
        "the front matter or title date disagrees with the timeline"),
    Mojibake => ("text/mojibake", Warning,
        "text decoded with the wrong encoding, such as `donâ€™t`"),
    OutOfOrder => ("timeline/out-of-order", Warning,
        "an entry is earlier than the entry before it"),
    WeekdayMismatch => ("timeline/weekday-mismatch", Warning,
        "a weekday name that is not the weekday of the date it accompanies"),
    UnknownTime => ("timeline/unknown-time", Info,
        "a time label with unknown parts (`2X:XX`, `??:??`)"),
    Approximate => ("timeline/approximate", Info,
        "an approximate time (`~16:05`, `around 19:30`)"),
    RolloverInferred => ("timeline/rollover-inferred", Info,
        "the clock wrapped past midnight; the next day was assumed"),
    UnresolvedLabel => ("timeline/unresolved", Warning,
        "a timeline label that could not be resolved to an instant"),
    NoDate => ("timeline/no-date", Info,
        "timeline times have no date to anchor them"),
    InvalidDate => ("timeline/invalid-date", Warning,
        "a date or time that cannot exist as written (`20202-01-16`, `2019-02-30`, `25:10`)"),
    TimezoneMissing => ("timezone/missing", Info,
        "no time zone declared; the configured default was used"),
    DstMismatch => ("timezone/dst-mismatch", Warning,
        "a zone label that contradicts daylight saving time on that date (PST in July)"),
    TimezoneAmbiguous => ("timezone/ambiguous", Warning,
        "an ambiguous zone abbreviation (IST, CST); the reading chosen is stated"),
    TimezoneUnknown => ("timezone/unknown", Warning,
        "an unknown or misspelt time zone"),
    TimezoneContradictory => ("timezone/contradictory", Warning,
        "the document declares different time zones"),
    TimezoneInferred => ("timezone/inferred", Info,
        "no time zone declared; the zone the text's times are given in was used"),
    NearDuplicate => ("duplicate/near-duplicate", Info,
        "this post-mortem is very similar to another one in the knowledge base"),
}

impl Rule {
    /// A finding of this rule at its default severity.
    pub fn finding(self, line: Option<usize>, message: impl Into<String>) -> Finding {
        Finding {
            rule: self.code().to_string(),
            severity: self.default_severity(),
            line,
            message: message.into(),
            suggestion: None,
        }
    }

    /// A finding with a suggested fix.
    pub fn finding_with(
        self,
        line: Option<usize>,
        message: impl Into<String>,
        suggestion: impl Into<String>,
    ) -> Finding {
        Finding {
            suggestion: Some(suggestion.into()),
            ..self.finding(line, message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for rule in Rule::ALL {
            assert!(seen.insert(rule.code()), "duplicate code {}", rule.code());
            assert_eq!(Rule::from_code(rule.code()), Some(*rule));
            assert!(rule.code().contains('/'));
        }
    }
}
