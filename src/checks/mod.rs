//! Rules → findings: the inconsistencies coroner flags, each with a stable code (the
//! table in [`rules`]), the document-level checks that run after the timeline stage,
//! and the levels (`allow`/`warn`/`deny`) a team sets for them.

mod levels;
mod metadata;
pub mod rules;

pub use levels::{Level, LevelError, Levels};
pub use rules::Rule;

use crate::model::Document;

/// Run the checks that need the whole normalized document, then order all findings by
/// line (document-wide findings first; stable, so each stage's order is kept).
pub fn check(doc: &mut Document, text: &str) {
    if let Some(f) = metadata::date_mismatch(doc, text) {
        doc.findings.push(f);
    }
    doc.findings.sort_by_key(|f| f.line.unwrap_or(0));
}
