//! Timeline labels → instants: grammar, zones, carry-forward, rollover, ordering.

pub mod grammar;
mod zone_table;
pub mod zones;

use crate::model::Document;

/// Settings for resolving timeline labels.
#[derive(Debug, Clone, Default)]
pub struct TimelineOptions {
    /// Zone used when the document declares none (IANA name or offset); UTC when unset.
    pub default_zone: Option<String>,
}

/// Resolve every entry of `doc.timeline` to an instant, fill `doc.timezone` and
/// `doc.summary`, and add timeline/timezone findings. `text` is the raw source.
pub fn normalize(_doc: &mut Document, _text: &str, _opts: &TimelineOptions) {}
