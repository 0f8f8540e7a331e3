//! Every shipped post-mortem through the pipeline, and one snapshot of all their
//! resolved timelines with the timeline, timezone and date findings.

use std::fmt::Write;

use coroner::model::Document;
use coroner::{AnalyzeOptions, analyze};

/// Every corpus file, analyzed, with its path relative to `incidents/`.
pub fn documents() -> Vec<(String, Document)> {
    let root = super::incidents();
    let files =
        coroner::input::collect_files(std::slice::from_ref(&root)).expect("incidents folder");
    files
        .iter()
        .map(|path| {
            let rel = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = coroner::input::read_text(path).expect("readable");
            let doc = analyze(&rel, &text, &AnalyzeOptions::default());
            (rel, doc)
        })
        .collect()
}

fn is_timeline_rule(rule: &str) -> bool {
    rule.starts_with("timeline/")
        || rule.starts_with("timezone/")
        || rule == "metadata/date-mismatch"
}

fn render(rel: &str, doc: &Document) -> String {
    let mut out = format!("== {rel}\n");
    if let Some(tz) = &doc.timezone {
        let line = tz.line.map_or("-".to_string(), |l| l.to_string());
        let _ = writeln!(out, "zone: {} = {} (line {line})", tz.label, tz.zone);
    }
    for e in &doc.timeline {
        let local = e.local.map_or("-".to_string(), |l| {
            l.format("%Y-%m-%d %H:%M:%S").to_string()
        });
        let end = e
            .end_local
            .map(|l| format!(" until {}", l.format("%H:%M:%S")))
            .unwrap_or_default();
        let approx = if e.approximate { " ~" } else { "" };
        let _ = writeln!(
            out,
            "{:>5}  {:<36} {:<19} {:<20} {}{end}{approx}",
            e.line,
            e.label,
            local,
            e.utc.as_deref().unwrap_or("-"),
            e.zone.as_deref().unwrap_or("-"),
        );
    }
    for f in doc.findings.iter().filter(|f| is_timeline_rule(&f.rule)) {
        let line = f.line.map_or("-".to_string(), |l| l.to_string());
        let _ = writeln!(out, "  {line:>5} {}[{}] {}", f.severity, f.rule, f.message);
        if let Some(help) = &f.suggestion {
            let _ = writeln!(out, "        help: {help}");
        }
    }
    if let Some(s) = &doc.summary {
        let _ = writeln!(
            out,
            "  summary: {} → {} ({} min); chronological {:?}",
            s.start.as_deref().unwrap_or("-"),
            s.end.as_deref().unwrap_or("-"),
            s.duration_minutes
                .map_or("-".to_string(), |d| d.to_string()),
            s.chronological
        );
    }
    out
}

#[test]
fn corpus_timelines_snapshot() {
    let docs = documents();
    assert_eq!(docs.len(), 72);
    let all: String = docs
        .iter()
        .map(|(rel, doc)| render(rel, doc) + "\n")
        .collect();
    insta::assert_snapshot!("timeline__corpus", all);
}

/// No entry the parser found is silently dropped: each is resolved or explained.
#[test]
fn every_unresolved_entry_has_a_finding() {
    for (rel, doc) in documents() {
        for e in doc.timeline.iter().filter(|e| e.utc.is_none()) {
            let explained = doc.findings.iter().any(|f| {
                is_timeline_rule(&f.rule)
                    && (f.line == Some(e.line) || f.rule == "timeline/no-date")
            });
            assert!(
                explained,
                "{rel}:{} `{}` unresolved without a finding",
                e.line, e.label
            );
        }
    }
}
