//! What a user would use instead, on the same files and queries: a SQLite FTS5
//! table over the text (sqlx's bundled SQLite) and ripgrep over the folder.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

use super::queries::{QUERIES, percentiles};
use super::report::{Report, ms, rate, secs};
use super::{Ctx, FIG_BASELINES};

/// Build an FTS5 index of path + text, then time the query set (top 20 by rank
/// with a snippet, as coroner returns).
pub fn fts5(ctx: &Ctx, files: &[PathBuf], report: &mut Report) -> Result<(), String> {
    let db = ctx.work.join("fts5.sqlite");
    let _ = std::fs::remove_file(&db);
    ctx.rt.block_on(async {
        let opts = SqliteConnectOptions::new()
            .filename(&db)
            .create_if_missing(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
            .map_err(err)?;
        sqlx::query("CREATE VIRTUAL TABLE docs USING fts5(path, body)")
            .execute(&pool)
            .await
            .map_err(err)?;
        let start = Instant::now();
        let mut tx = pool.begin().await.map_err(err)?;
        for path in files {
            let body = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
            sqlx::query("INSERT INTO docs (path, body) VALUES (?, ?)")
                .bind(path.display().to_string())
                .bind(body)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
        let built = start.elapsed();
        report.record(
            FIG_BASELINES,
            "SQLite FTS5: build index",
            ctx.size,
            secs(built),
        );
        report.record(
            FIG_BASELINES,
            "SQLite FTS5: documents/s",
            ctx.size,
            rate(files.len() as f64, built, "docs/s"),
        );
        for q in QUERIES {
            let (p50, p99, hits) = fts5_query(&pool, q.fts5, ctx.iterations).await?;
            let row = format!("SQLite FTS5: {} — p50 / p99 (hits)", q.name);
            report.record(
                FIG_BASELINES,
                &row,
                ctx.size,
                format!("{} / {} ({hits})", ms(p50), ms(p99)),
            );
        }
        pool.close().await;
        Ok(())
    })
}

async fn fts5_query(
    pool: &SqlitePool,
    q: &str,
    iterations: usize,
) -> Result<(Duration, Duration, i64), String> {
    const TOP: &str = "SELECT path, snippet(docs, 1, '<mark>', '</mark>', '…', 12) FROM docs \
                       WHERE docs MATCH ? ORDER BY rank LIMIT 20";
    const COUNT: &str = "SELECT count(*) FROM docs WHERE docs MATCH ?";
    let hits: i64 = sqlx::query_scalar(COUNT)
        .bind(q)
        .fetch_one(pool)
        .await
        .map_err(err)?;
    let mut samples = Vec::new();
    for _ in 0..iterations {
        let start = Instant::now();
        let rows: Vec<(String, String)> = sqlx::query_as(TOP)
            .bind(q)
            .fetch_all(pool)
            .await
            .map_err(err)?;
        std::hint::black_box(rows);
        samples.push(start.elapsed());
    }
    let (p50, p99) = percentiles(&mut samples);
    Ok((p50, p99, hits))
}

/// `rg -l -i -F TEXT DIR` per query (files in the page cache after the first run).
pub fn ripgrep(ctx: &Ctx, corpus: &Path, report: &mut Report) -> Result<(), String> {
    if Command::new("rg").arg("--version").output().is_err() {
        report.note("ripgrep not measured: `rg` is not installed (apt-get install ripgrep)");
        return Ok(());
    }
    let runs = ctx.iterations.clamp(1, 10);
    for q in QUERIES {
        let run = || {
            Command::new("rg")
                .args(["-l", "-i", "-F", q.rg])
                .arg(corpus)
                .output()
                .map_err(|e| e.to_string())
        };
        let hits = run()?
            .stdout
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
        let mut samples = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            run()?;
            samples.push(start.elapsed());
        }
        let (p50, _) = percentiles(&mut samples);
        let row = format!("ripgrep: {} — median of {runs} (files)", q.name);
        report.record(
            FIG_BASELINES,
            &row,
            ctx.size,
            format!("{} ({hits})", ms(p50)),
        );
    }
    Ok(())
}

fn err(e: sqlx::Error) -> String {
    format!("SQLite FTS5: {e}")
}
