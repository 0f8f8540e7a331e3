//! The pure pipeline: parse → timeline → checks, reused by lint, ingest, the web
//! preview and the benchmarks.

use crate::checks;
use crate::model::Document;
use crate::parse;
use crate::timeline::{self, TimelineOptions};

/// Everything the pure stages can be configured with.
#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions {
    pub timeline: TimelineOptions,
}

/// Parse, normalize and check one post-mortem. `source` names it (path or upload name).
pub fn analyze(source: &str, text: &str, opts: &AnalyzeOptions) -> Document {
    let mut doc = parse::parse_document(source, text);
    timeline::normalize(&mut doc, text, &opts.timeline);
    checks::check(&mut doc, text);
    doc
}
