//! The query set's latency in process on the index that ingest built: the
//! first page of 20 hits with snippets and facets, as the web shows.

use std::path::Path;
use std::time::Instant;

use coroner::search::{Kind, ParsedQuery, SearchIndex, SearchRequest};

use super::queries::{QUERIES, percentiles};
use super::report::{Report, ms};
use super::{Ctx, FIG_SEARCH};

/// The index's size on disk.
pub fn size(ctx: &Ctx, dir: &Path, report: &mut Report) {
    report.record(
        FIG_SEARCH,
        "index size on disk",
        ctx.size,
        format!("{:.0} MB", dir_mb(dir)),
    );
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
        report.record(
            FIG_SEARCH,
            &row,
            ctx.size,
            format!("{} / {} ({hits})", ms(p50), ms(p99)),
        );
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
