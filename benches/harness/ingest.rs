//! End-to-end ingest of the corpus folder into SQLite and PostgreSQL, then a
//! restart with nothing changed (connect, hash every file, skip them all).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use coroner::ingest::{IngestOptions, ingest_paths};
use coroner::store::Store;

use super::report::{Report, rate, secs};
use super::rss;
use super::{Ctx, FIG_INGEST};

/// Ingest into a fresh SQLite database under the work dir, then restart.
pub fn sqlite(ctx: &Ctx, corpus: &Path, report: &mut Report) -> Result<(), String> {
    let url = format!("sqlite://{}", ctx.work.join("coroner.sqlite").display());
    let _ = std::fs::remove_file(ctx.work.join("coroner.sqlite"));
    ingest_and_restart(ctx, &url, corpus, "SQLite", report)
}

/// The same into a fresh PostgreSQL database (created and dropped here).
pub fn postgres(ctx: &Ctx, admin: &str, corpus: &Path, report: &mut Report) -> Result<(), String> {
    let name = format!("coroner_bench_{}_{}", std::process::id(), ctx.size);
    ctx.rt.block_on(admin_sql(admin, &format!("CREATE DATABASE {name}")))?;
    let url = with_database(admin, &name);
    let result = ingest_and_restart(ctx, &url, corpus, "PostgreSQL", report);
    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    ctx.rt.block_on(admin_sql(admin, &drop))?;
    result
}

fn ingest_and_restart(
    ctx: &Ctx,
    url: &str,
    corpus: &Path,
    backend: &str,
    report: &mut Report,
) -> Result<(), String> {
    let paths = [PathBuf::from(corpus)];
    let opts = IngestOptions::default();
    rss::reset_peak();
    let (first, summary) = ctx.rt.block_on(async {
        let store = Store::connect(url).await.map_err(|e| e.to_string())?;
        let start = Instant::now();
        let summary = ingest_paths(&store, &paths, &opts).await.map_err(|e| e.to_string())?;
        let took = start.elapsed();
        store.close().await;
        Ok::<_, String>((took, summary))
    })?;
    let peak = rss::peak_mib("self");
    let restart = ctx.rt.block_on(async {
        let start = Instant::now();
        let store = Store::connect(url).await.map_err(|e| e.to_string())?;
        let again = ingest_paths(&store, &paths, &opts).await.map_err(|e| e.to_string())?;
        let took = start.elapsed();
        store.close().await;
        let changed = again.changed().count();
        if changed > 0 {
            return Err(format!("re-ingest with nothing changed stored {changed} incidents"));
        }
        Ok::<Duration, String>(took)
    })?;
    if !summary.failed.is_empty() {
        report.note(format!("{backend} ingest: {} files failed", summary.failed.len()));
    }
    let n = ctx.size as f64;
    report.record(FIG_INGEST, &format!("{backend}: ingest time"), ctx.size, secs(first));
    report.record(FIG_INGEST, &format!("{backend}: ingest documents/s"), ctx.size, rate(n, first, "docs/s"));
    report.record(FIG_INGEST, &format!("{backend}: restart, nothing changed"), ctx.size, secs(restart));
    report.record(FIG_INGEST, &format!("{backend}: harness peak RSS during ingest"), ctx.size, rss::mib(peak));
    Ok(())
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
