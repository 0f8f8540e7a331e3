//! The document model shared by every stage: what a post-mortem is once parsed,
//! normalized and checked. Pure data, serializable; no behaviour beyond helpers.

mod document;
mod finding;

pub use document::{
    ActionItem, DateSource, Document, EntryKind, FrontMatter, Section, SectionKind, SourceFormat,
    TimelineEntry, TimelineSummary, TimezoneInfo,
};
pub use finding::{Finding, Severity};
