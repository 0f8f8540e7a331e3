//! The smoke run under `cargo test`: the generator's guarantees checked on a few
//! documents, then the whole harness once at 30 post-mortems in a temp dir.
//! External tools (ripgrep, wrk) and PostgreSQL are skipped with a note when
//! missing, except PostgreSQL when CI=true and CORONER_TEST_POSTGRES_URL is set.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::corpus::generate;
use crate::harness::{self, report::Report};

const SIZE: u64 = 30;

pub fn run() -> ExitCode {
    let outcome = check_generator().and_then(|()| harness_once());
    match outcome {
        Ok(()) => {
            println!("benchmark smoke run: ok");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("benchmark smoke run failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Same seed and index, same bytes; every document analyzes without a panic
/// and yields timeline entries and action items.
fn check_generator() -> Result<(), String> {
    let opts = coroner::AnalyzeOptions::default();
    for i in 0..200 {
        let (a, b) = (generate(7, i), generate(7, i));
        if a.path != b.path || a.text != b.text {
            return Err(format!("document {i} differs between two generations"));
        }
        if generate(8, i).text == a.text {
            return Err(format!("document {i} is the same for seeds 7 and 8"));
        }
        let doc = coroner::analyze(&a.path, &a.text, &opts);
        if doc.timeline.is_empty() || doc.action_items.is_empty() {
            return Err(format!(
                "{}: {} timeline entries, {} action items:\n{}",
                a.path,
                doc.timeline.len(),
                doc.action_items.len(),
                a.text
            ));
        }
    }
    Ok(())
}

fn harness_once() -> Result<(), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let plan = harness::Plan {
        sizes: vec![SIZE],
        seed: 1,
        dir: tmp.path().to_path_buf(),
        smoke: true,
        iterations: 1,
        postgres: std::env::var("CORONER_TEST_POSTGRES_URL")
            .ok()
            .filter(|_| ci),
        skip: Vec::new(),
        server: Some(PathBuf::from(env!("CARGO_BIN_EXE_coroner"))),
    };
    let rt = crate::runtime()?;
    let mut report = Report::default();
    harness::run(&plan, &rt, &mut report)?;
    let md = report.markdown("cargo test (smoke run)");
    println!("{md}");
    for needed in [
        "coroner::analyze MB/s",
        "SQLite: ingest documents/s",
        "SQLite FTS5: build index",
    ] {
        if !md.contains(needed) {
            return Err(format!("the report lacks `{needed}`:\n{md}"));
        }
    }
    // `coroner-bench parse`, the profiler's run, on the corpus just made.
    let mut parse = Report::default();
    harness::parse_only(&plan, &mut parse)?;
    let md = parse.markdown("cargo test (smoke run, parse only)");
    if !md.contains("analyze / pulldown-cmark throughput") || md.contains("SQLite") {
        return Err(format!(
            "the parse-only report is not the parse figure:\n{md}"
        ));
    }
    Ok(())
}
