//! The benchmark harness: for each corpus size, every figure of BENCHMARKS.md in
//! one run — parse vs pulldown-cmark, ingest (SQLite, PostgreSQL), restart,
//! search latency, the FTS5 and ripgrep baselines, and the HTTP figures.

mod baselines;
mod files;
mod http;
mod ingest;
mod parse;
mod queries;
pub mod report;
mod rss;
mod search;

use std::path::{Path, PathBuf};
use std::time::Instant;

use report::{Report, rate, secs};

pub const FIG_GEN: &str = "Corpus";
pub const FIG_PARSE: &str = "Parse + normalize vs raw pulldown-cmark (one thread, files in memory)";
pub const FIG_INGEST: &str = "Ingest (KnowledgeBase::ingest: store + search index, in process) and restart with nothing changed";
pub const FIG_SEARCH: &str = "Search latency in process (first page of 20, snippets, facets)";
pub const FIG_BASELINES: &str = "What a user would use instead: SQLite FTS5 and ripgrep";
pub const FIG_HTTP: &str = "HTTP (coroner serve on loopback, wrk)";

/// What one size's measurements share.
pub struct Ctx<'a> {
    pub rt: &'a tokio::runtime::Runtime,
    /// Scratch space for databases and indexes of this size.
    pub work: PathBuf,
    pub size: u64,
    /// A smoke run: each measurement once, at a tiny size.
    pub smoke: bool,
    /// Samples per search query.
    pub iterations: usize,
}

/// Which parts to run and where.
pub struct Plan {
    pub sizes: Vec<u64>,
    pub seed: u64,
    pub dir: PathBuf,
    pub smoke: bool,
    pub iterations: usize,
    pub postgres: Option<String>,
    pub skip: Vec<String>,
    /// The release `coroner` binary for the HTTP figures.
    pub server: Option<PathBuf>,
}

impl Plan {
    /// What the measurements of one size share.
    fn ctx<'a>(&self, rt: &'a tokio::runtime::Runtime, size: u64) -> Ctx<'a> {
        Ctx {
            rt,
            work: self.dir.join(format!("work-{size}")),
            size,
            smoke: self.smoke,
            iterations: self.iterations,
        }
    }
}

pub fn run(plan: &Plan, rt: &tokio::runtime::Runtime, report: &mut Report) -> Result<(), String> {
    for &size in &plan.sizes {
        let corpus = ensure_corpus(plan, size, report)?;
        let ctx = plan.ctx(rt, size);
        std::fs::create_dir_all(&ctx.work).map_err(|e| e.to_string())?;
        run_size(plan, &ctx, &corpus, report)?;
        if !plan.smoke {
            let _ = std::fs::remove_dir_all(&ctx.work);
        }
    }
    Ok(())
}

/// The parse figure alone, at each size (`coroner-bench parse`): what a
/// profiler of the parser runs.
pub fn parse_only(plan: &Plan, report: &mut Report) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    for &size in &plan.sizes {
        let corpus = ensure_corpus(plan, size, report)?;
        let ctx = plan.ctx(&rt, size);
        let docs = files::load(&corpus).map_err(|e| e.to_string())?;
        parse::run(&ctx, &docs, report);
    }
    Ok(())
}

fn run_size(plan: &Plan, ctx: &Ctx, corpus: &Path, report: &mut Report) -> Result<(), String> {
    let wants = |part: &str| !plan.skip.iter().any(|s| s == part);
    eprintln!("== {} post-mortems", ctx.size);
    let list = files::list(corpus).map_err(|e| e.to_string())?;
    // The SQLite knowledge base is what the search figures query.
    let kb = ingest::sqlite(ctx, corpus, report)?;
    match (&plan.postgres, wants("postgres")) {
        (Some(url), true) => ingest::postgres(ctx, url, corpus, report)?,
        (None, true) => report.note(
            "PostgreSQL not measured: no CORONER_BENCH_POSTGRES_URL / CORONER_TEST_POSTGRES_URL",
        ),
        _ => {}
    }
    search::size(ctx, kb.index().dir(), report);
    search::latency(ctx, kb.index(), report)?;
    ctx.rt.block_on(kb.store().close());
    drop(kb);
    if wants("fts5") {
        baselines::fts5(ctx, &list, report)?;
    }
    if wants("rg") {
        baselines::ripgrep(ctx, corpus, report)?;
    }
    if wants("http") {
        http::run(ctx, plan.server.as_deref(), corpus, &list, report)?;
    }
    // Last: the corpus held in memory for it (362 MB at 100k) stays resident
    // for a while after it is freed, and would count in the ingest's peak RSS.
    if wants("parse") {
        let docs = files::load(corpus).map_err(|e| e.to_string())?;
        parse::run(ctx, &docs, report);
    }
    Ok(())
}

/// The corpus of this size: reused when a previous run completed it.
fn ensure_corpus(plan: &Plan, size: u64, report: &mut Report) -> Result<PathBuf, String> {
    let dir = plan.dir.join(format!("corpus-{size}-seed{}", plan.seed));
    let done = plan
        .dir
        .join(format!("corpus-{size}-seed{}.done", plan.seed));
    let bytes = if done.is_file() {
        std::fs::read_to_string(&done)
            .map_err(|e| e.to_string())?
            .trim()
            .parse()
            .unwrap_or(0)
    } else {
        let _ = std::fs::remove_dir_all(&dir);
        let start = Instant::now();
        let w = crate::corpus::write_corpus(&dir, size, plan.seed)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        report.record(FIG_GEN, "generation time", size, secs(start.elapsed()));
        report.record(
            FIG_GEN,
            "generation rate",
            size,
            rate(w.bytes as f64 / 1e6, start.elapsed(), "MB/s"),
        );
        std::fs::write(&done, w.bytes.to_string()).map_err(|e| e.to_string())?;
        w.bytes
    };
    report.record(FIG_GEN, "files", size, size.to_string());
    report.record(
        FIG_GEN,
        "total size",
        size,
        format!("{:.1} MB", bytes as f64 / 1e6),
    );
    report.record(
        FIG_GEN,
        "average file",
        size,
        format!("{:.1} KB", bytes as f64 / size as f64 / 1e3),
    );
    Ok(dir)
}
