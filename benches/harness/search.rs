//! The search index (tantivy) built from the corpus, and the query set's latency
//! in process: first page of 20 hits with snippets and facets, as the web shows.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use coroner::AnalyzeOptions;
use coroner::ingest::slug_for_path;
use coroner::search::{ActionDoc, IncidentDoc, Kind, ParsedQuery, SearchIndex, SearchRequest};

use super::queries::{QUERIES, percentiles};
use super::report::{Report, ms, rate, secs};
use super::{Ctx, FIG_INDEX, FIG_SEARCH, rss};

/// Build the index from the files (each analyzed once, read one at a time).
pub fn build(ctx: &Ctx, files: &[PathBuf], report: &mut Report) -> Result<SearchIndex, String> {
    let dir = ctx.work.join("index");
    let _ = std::fs::remove_dir_all(&dir);
    let index = SearchIndex::open(&dir).map_err(|e| e.to_string())?;
    let actions = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&actions);
    let opts = AnalyzeOptions::default();
    let incidents = files.iter().filter_map(move |path| {
        let text = std::fs::read_to_string(path).ok()?;
        let doc = coroner::analyze(&path.display().to_string(), &text, &opts);
        let incident = IncidentDoc::from_document(&slug_for_path(path), &doc, &text);
        let mut sink = sink.borrow_mut();
        for item in &doc.action_items {
            let id = sink.len() as i64 + 1;
            sink.push(ActionDoc::from_item(id, &incident, item));
        }
        Some(incident)
    });
    rss::reset_peak();
    let start = Instant::now();
    let (n, _) = index
        .rebuild(incidents, Drain(actions))
        .map_err(|e| e.to_string())?;
    let took = start.elapsed();
    let size = ctx.size;
    report.record(FIG_INDEX, "analyze + tantivy index build", size, secs(took));
    report.record(FIG_INDEX, "documents/s", size, rate(n as f64, took, "docs/s"));
    report.record(FIG_INDEX, "index size on disk", size, format!("{:.0} MB", dir_mb(&dir)));
    report.record(FIG_INDEX, "harness peak RSS during build", size, rss::mib(rss::peak_mib("self")));
    Ok(index)
}

/// Hands over the action items once the incidents have all been read.
struct Drain(Rc<RefCell<Vec<ActionDoc>>>);

impl Iterator for Drain {
    type Item = ActionDoc;
    fn next(&mut self) -> Option<ActionDoc> {
        self.0.borrow_mut().pop()
    }
}

/// p50/p99 of every query of the set, in process.
pub fn latency(ctx: &Ctx, index: &SearchIndex, report: &mut Report) -> Result<(), String> {
    for q in QUERIES {
        let parsed = ParsedQuery::parse(q.coroner).map_err(|e| format!("{}: {e}", q.coroner))?;
        let kind = parsed.preferred_kind().unwrap_or(Kind::Incident);
        let req = SearchRequest::new(q.coroner);
        let run = || -> Result<usize, String> {
            let total = match kind {
                Kind::Incident => index.search_incidents(&req).map(|r| r.total),
                Kind::Action => index.search_actions(&req).map(|r| r.total),
            };
            total.map_err(|e| format!("{}: {e}", q.coroner))
        };
        let hits = run()?;
        let mut samples = Vec::new();
        for _ in 0..ctx.iterations {
            let start = Instant::now();
            run()?;
            samples.push(start.elapsed());
        }
        let (p50, p99) = percentiles(&mut samples);
        let row = format!("{} — p50 / p99 (hits)", q.name);
        report.record(FIG_SEARCH, &row, ctx.size, format!("{} / {} ({hits})", ms(p50), ms(p99)));
    }
    Ok(())
}

fn dir_mb(dir: &Path) -> f64 {
    let bytes: u64 = super::files::list(dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.metadata().ok())
        .map(|m| m.len())
        .sum();
    bytes as f64 / 1e6
}

