//! The pure pipeline: parse → timeline → checks, reused by lint, ingest, the web
//! preview and the benchmarks.

use crate::checks;
use crate::model::Document;
use crate::parse;
use crate::timeline::{self, TimelineOptions};

/// Bumped whenever what [`analyze`] returns for the same text changes (a parser,
/// timeline or rule change): stored documents analyzed by an older version are
/// analyzed again on the next ingest, even when their file did not change. The
/// test `analysis_version_follows_output` fails until it is bumped.
pub const ANALYSIS_VERSION: u32 = 2;

/// Everything the pure stages can be configured with.
#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions {
    pub timeline: TimelineOptions,
}

/// Parse, normalize and check one post-mortem. `source` names it (path or upload name).
pub fn analyze(source: &str, text: &str, opts: &AnalyzeOptions) -> Document {
    parse::parse_then(source, text, |mut doc, body| {
        timeline::normalize_body(&mut doc, text, body, &opts.timeline);
        checks::check(&mut doc, text);
        doc
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// The analysis of every shipped post-mortem, hashed, for [`ANALYSIS_VERSION`].
    const FINGERPRINT: (u32, &str) = (
        2,
        "b86f398b7cd18a913301ffe59d835b7b910bcf7fa56b50c78062bcd2e0a727c6",
    );

    #[test]
    fn analysis_version_follows_output() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents");
        let mut files = crate::input::collect_files(&[root]).unwrap();
        files.sort();
        let mut hash = Sha256::new();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let doc = analyze(&name, &text, &AnalyzeOptions::default());
            hash.update(serde_json::to_vec(&doc).unwrap());
        }
        let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            FINGERPRINT,
            (ANALYSIS_VERSION, digest.as_str()),
            "analyze() output over incidents/ changed: bump ANALYSIS_VERSION and set \
             FINGERPRINT to the new pair"
        );
    }
}
