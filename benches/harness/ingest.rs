//! End-to-end ingest of the corpus folder through `KnowledgeBase::ingest` (store
//! and search index, what `coroner ingest` and `serve` run) into SQLite and
//! PostgreSQL, then a restart with nothing changed: open (connect, check the
//! index) and ingest again (hash every file, skip them all).

use std::path::{Path, PathBuf};
use std::time::Instant;

use coroner::config::Config;
use coroner::ingest::IngestOptions;
use coroner::kb::KnowledgeBase;

use super::report::{Report, rate, secs};
use super::rss;
use super::{Ctx, FIG_INGEST};

/// Ingest into a fresh SQLite database under the work dir, then restart. The
/// knowledge base is returned open, for the search figures.
pub fn sqlite(ctx: &Ctx, corpus: &Path, report: &mut Report) -> Result<KnowledgeBase, String> {
    let data = ctx.work.join("kb-sqlite");
    let _ = std::fs::remove_dir_all(&data);
    let config = Config {
        data_dir: data,
        ..Config::default()
    };
    ingest_and_restart(ctx, &config, corpus, "SQLite", report)
}

/// The same into a fresh PostgreSQL database (created and dropped here).
pub fn postgres(ctx: &Ctx, admin: &str, corpus: &Path, report: &mut Report) -> Result<(), String> {
    let name = format!("coroner_bench_{}_{}", std::process::id(), ctx.size);
    ctx.rt
        .block_on(admin_sql(admin, &format!("CREATE DATABASE {name}")))?;
    let data = ctx.work.join("kb-postgres");
    let _ = std::fs::remove_dir_all(&data);
    let config = Config {
        data_dir: data,
        database_url: Some(with_database(admin, &name)),
        ..Config::default()
    };
    let result = ingest_and_restart(ctx, &config, corpus, "PostgreSQL", report);
    if let Ok(kb) = &result {
        ctx.rt.block_on(kb.store().close());
    }
    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    ctx.rt.block_on(admin_sql(admin, &drop))?;
    result.map(|_| ())
}

fn ingest_and_restart(
    ctx: &Ctx,
    config: &Config,
    corpus: &Path,
    backend: &str,
    report: &mut Report,
) -> Result<KnowledgeBase, String> {
    let paths = [PathBuf::from(corpus)];
    let opts = IngestOptions::for_config(config);
    rss::reset_peak();
    let (first, summary) = ctx.rt.block_on(async {
        let (kb, _) = KnowledgeBase::open(config)
            .await
            .map_err(|e| e.to_string())?;
        let start = Instant::now();
        let summary = kb.ingest(&paths, &opts).await.map_err(|e| e.to_string())?;
        let took = start.elapsed();
        kb.store().close().await;
        Ok::<_, String>((took, summary))
    })?;
    let peak = rss::peak_mib("self");
    let (restart, kb) = ctx.rt.block_on(async {
        let start = Instant::now();
        let (kb, status) = KnowledgeBase::open(config)
            .await
            .map_err(|e| e.to_string())?;
        let again = kb.ingest(&paths, &opts).await.map_err(|e| e.to_string())?;
        let took = start.elapsed();
        let changed = again.changed().count();
        if changed > 0 || status.needs_rebuild() {
            return Err(format!(
                "restart: {changed} incidents stored again, index: {}",
                status.message()
            ));
        }
        Ok((took, kb))
    })?;
    if !summary.failed.is_empty() {
        report.note(format!(
            "{backend} ingest: {} files failed",
            summary.failed.len()
        ));
    }
    if summary.duplicates_skipped > 0 {
        report.note(format!(
            "{backend} at {}: over {} new incidents, ingest leaves the near-duplicate check to `coroner reindex --duplicates` (not timed here)",
            super::report::size_label(ctx.size),
            coroner::kb::DUPLICATE_CHECK_LIMIT
        ));
    }
    let n = ctx.size as f64;
    report.record(
        FIG_INGEST,
        &format!("{backend}: ingest time"),
        ctx.size,
        secs(first),
    );
    report.record(
        FIG_INGEST,
        &format!("{backend}: ingest documents/s"),
        ctx.size,
        rate(n, first, "docs/s"),
    );
    report.record(
        FIG_INGEST,
        &format!("{backend}: restart (open + ingest), nothing changed"),
        ctx.size,
        secs(restart),
    );
    report.record(
        FIG_INGEST,
        &format!("{backend}: peak RSS of the ingest"),
        ctx.size,
        rss::mib(peak),
    );
    Ok(kb)
}

async fn admin_sql(admin: &str, statement: &str) -> Result<(), String> {
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .map_err(|e| format!("PostgreSQL {admin}: {e}"))?;
    conn.execute(sqlx::AssertSqlSafe(statement.to_string()))
        .await
        .map_err(|e| format!("PostgreSQL: {statement}: {e}"))?;
    Ok(())
}

/// The admin URL with its database replaced by `name`.
fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = admin.split_once('?').map_or((admin, ""), |(b, q)| (b, q));
    let base = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    }
}
