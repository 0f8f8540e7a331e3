//! Parse + normalize (`coroner::analyze`) against the floor: pulldown-cmark alone
//! over the same bytes with the same options, one thread each, files in memory.

use std::hint::black_box;
use std::time::{Duration, Instant};

use coroner::AnalyzeOptions;
use pulldown_cmark::Parser;

use super::report::{Report, rate};
use super::{Ctx, FIG_PARSE};

pub fn run(ctx: &Ctx, docs: &[(String, String)], report: &mut Report) {
    let bytes = super::files::total_bytes(docs) as f64;
    let opts = AnalyzeOptions::default();
    let (rounds, analyze) = repeat(ctx, || {
        for (path, text) in docs {
            black_box(coroner::analyze(path, text, &opts));
        }
    });
    let (raw_rounds, raw) = repeat(ctx, || {
        for (_, text) in docs {
            let parser = Parser::new_ext(text, coroner::parse::blocks::options());
            black_box(parser.into_offset_iter().count());
        }
    });
    let per = |d: Duration, n: u32| d / n.max(1);
    let (a, p) = (per(analyze, rounds), per(raw, raw_rounds));
    let n = docs.len() as f64;
    let size = ctx.size;
    report.record(
        FIG_PARSE,
        "coroner::analyze MB/s",
        size,
        rate(bytes / 1e6, a, "MB/s"),
    );
    report.record(
        FIG_PARSE,
        "coroner::analyze documents/s",
        size,
        rate(n, a, "docs/s"),
    );
    report.record(
        FIG_PARSE,
        "pulldown-cmark alone MB/s (floor)",
        size,
        rate(bytes / 1e6, p, "MB/s"),
    );
    report.record(
        FIG_PARSE,
        "pulldown-cmark alone documents/s",
        size,
        rate(n, p, "docs/s"),
    );
    let ratio = p.as_secs_f64() / a.as_secs_f64().max(1e-9);
    report.record(
        FIG_PARSE,
        "analyze / pulldown-cmark throughput (target ≥ 0.33)",
        size,
        format!("{ratio:.2}"),
    );
}

/// Run `f` until at least the minimum time has passed (once in a smoke run).
fn repeat(ctx: &Ctx, mut f: impl FnMut()) -> (u32, Duration) {
    let start = Instant::now();
    let mut rounds = 0;
    loop {
        f();
        rounds += 1;
        if ctx.smoke || start.elapsed() >= Duration::from_secs(2) {
            return (rounds, start.elapsed());
        }
    }
}
