//! Documents, sections, timeline entries and action items.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::Finding;

/// One post-mortem after parsing (and, once the later stages ran, normalizing
/// and checking). Narrative order everywhere: items appear as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The path (or name) the text came from, as given.
    pub source: String,
    pub title: Option<String>,
    /// The incident date, from the first place that states it (see `date_source`).
    pub date: Option<NaiveDate>,
    pub date_source: Option<DateSource>,
    /// The document-level time zone, filled in by the timeline stage.
    pub timezone: Option<TimezoneInfo>,
    pub timeline: Vec<TimelineEntry>,
    pub action_items: Vec<ActionItem>,
    pub findings: Vec<Finding>,
    pub format: SourceFormat,
    pub front_matter: FrontMatter,
    pub sections: Vec<Section>,
    /// Start, end, duration and chronological order; filled in by the timeline stage.
    pub summary: Option<TimelineSummary>,
}

/// Where the incident date was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    FrontMatter,
    Title,
    FileName,
    Timeline,
}

/// Markdown, or a plain-text report with no markdown structure at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    #[default]
    Markdown,
    PlainText,
}

/// YAML front matter, kept whole (as JSON values) plus the keys we use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FrontMatter {
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub tags: Vec<String>,
    /// Last line of the front matter block (0 when there is none).
    pub end_line: usize,
}

/// What a section is about, recognised from its heading by alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Summary,
    Timeline,
    Impact,
    RootCause,
    ContributingFactors,
    Detection,
    Resolution,
    Conclusion,
    LessonsLearned,
    WhatWentWell,
    WhatWentWrong,
    ActionItems,
    Other,
}

impl SectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Summary => "summary",
            SectionKind::Timeline => "timeline",
            SectionKind::Impact => "impact",
            SectionKind::RootCause => "root_cause",
            SectionKind::ContributingFactors => "contributing_factors",
            SectionKind::Detection => "detection",
            SectionKind::Resolution => "resolution",
            SectionKind::Conclusion => "conclusion",
            SectionKind::LessonsLearned => "lessons_learned",
            SectionKind::WhatWentWell => "what_went_well",
            SectionKind::WhatWentWrong => "what_went_wrong",
            SectionKind::ActionItems => "action_items",
            SectionKind::Other => "other",
        }
    }
}

/// A section: a heading (or a plain-text heading line) and the text under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub kind: SectionKind,
    pub heading: String,
    /// Heading level 1-6 (plain-text headings count as 2).
    pub level: u8,
    /// 1-based line of the heading.
    pub line: usize,
    /// 1-based last line of the section's body (inclusive).
    pub end_line: usize,
    /// The body as plain text (markup stripped), for search and reports.
    pub text: String,
}

/// How a timeline entry was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// `### 22:59 ###`
    Heading,
    /// `| 2019-11-29 12:00 | … |`
    TableRow,
    /// `* [08:47] …`, `- 2:54 PM PST: …`
    ListItem,
    /// A time at the start of a paragraph line (`14:10 - text`, `15:30` alone).
    Line,
}

/// One timeline entry: the raw label as written, the text it introduces, its line,
/// and (after the timeline stage) the instant it resolves to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub line: usize,
    /// The time/date label exactly as written (trimmed), e.g. `March 6 2017 22:59`.
    pub label: String,
    /// The wall-clock date-time as the author meant it.
    pub local: Option<NaiveDateTime>,
    /// The instant, RFC 3339 in UTC.
    pub utc: Option<String>,
    /// The entry's text (markup stripped, paragraphs joined by newlines).
    pub text: String,
    pub kind: EntryKind,
    /// IANA zone or fixed offset used to resolve this entry (timeline stage).
    pub zone: Option<String>,
    /// `~16:05`, `around 19:30`: the author marked the time as approximate.
    pub approximate: bool,
    /// End of a range label (`12:43 - 12:49`), as a wall-clock date-time.
    pub end_local: Option<NaiveDateTime>,
    /// A date written on its own line above a run of timed entries (`2019-01-22`
    /// before `- 2:54 PM PST: …`), as written; it dates this entry when the label
    /// has no date of its own.
    pub context: Option<String>,
}

impl TimelineEntry {
    pub fn new(
        line: usize,
        label: impl Into<String>,
        text: impl Into<String>,
        kind: EntryKind,
    ) -> Self {
        TimelineEntry {
            line,
            label: label.into(),
            local: None,
            utc: None,
            text: text.into(),
            kind,
            zone: None,
            approximate: false,
            end_local: None,
            context: None,
        }
    }
}

/// The document's time zone: the label as written and the zone it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimezoneInfo {
    /// As written (`PST`, `UTC+1`, `US/Pacific`) or `default` when configured.
    pub label: String,
    /// IANA name (`America/Los_Angeles`) or fixed offset (`+01:00`).
    pub zone: String,
    /// 1-based line of the declaration, when it was declared in the text.
    pub line: Option<usize>,
}

/// The normalized view of a timeline: chronological order, start, end, duration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineSummary {
    /// Indices into `Document::timeline`, ordered by instant (unresolved last, in narrative order).
    pub chronological: Vec<usize>,
    /// RFC 3339 UTC instants of the first and last resolved entries.
    pub start: Option<String>,
    pub end: Option<String>,
    pub duration_minutes: Option<i64>,
}

/// An action item: a top-level item of an action section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    pub line: usize,
    /// The item's own text (markup stripped; nested items are in `children`).
    pub text: String,
    /// Read from an explicit marker in the text (`[x]`, `Implemented:`, `(Done!)`, strike-through).
    pub done: bool,
    /// The sub-heading it sits under (`Process`, `Technical`, …), if any.
    pub group: Option<String>,
    /// Links to issues and tickets (GitHub URLs, `#123`, `JIRA-123`).
    pub refs: Vec<String>,
    /// Nested items, kept under their parent, as text.
    pub children: Vec<String>,
    /// The heading of the action section the item came from.
    pub section: String,
    /// An owner named in the markdown (an `Owner` table column, `(owner: @kat)`).
    pub owner: Option<String>,
    /// A due date named in the markdown (a `Due` table column), as written.
    pub due: Option<String>,
}
