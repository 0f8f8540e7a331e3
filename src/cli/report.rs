//! `coroner report [--week 2018-W04] [--format md|html|json] [--out FILE]`:
//! the weekly report, by default for the last complete week in the team's zone.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use coroner::report::{self, IsoWeek, ReportError};
use coroner::search::SearchIndex;

use super::GlobalArgs;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// ISO week such as 2018-W04 [default: the last complete week].
    #[arg(long, value_parser = parse_week)]
    week: Option<IsoWeek>,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Zone for week boundaries [default: report.timezone, else timeline.default_timezone, else UTC].
    #[arg(long, value_name = "ZONE")]
    timezone: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Markdown for a chat message or a GitHub issue.
    Md,
    /// A self-contained HTML page with charts.
    Html,
    /// The stable JSON (docs/report-json.md).
    Json,
}

fn parse_week(text: &str) -> Result<IsoWeek, String> {
    text.parse().map_err(|e: ReportError| e.to_string())
}

pub fn run(global: &GlobalArgs, args: ReportArgs) -> ExitCode {
    match super::runtime().and_then(|rt| rt.block_on(execute(global, args))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => match err.downcast_ref::<ReportError>() {
            Some(e) if e.is_user_error() => {
                eprintln!("error: {e}");
                ExitCode::from(super::EXIT_USAGE)
            }
            _ => super::fail(&err),
        },
    }
}

async fn execute(global: &GlobalArgs, args: ReportArgs) -> anyhow::Result<()> {
    let config = global.config()?;
    let tz = match &args.timezone {
        Some(name) => report::parse_zone(name)?,
        None => report::team_zone(&config)?,
    };
    let now = chrono::Utc::now();
    let week = args.week.unwrap_or_else(|| IsoWeek::last_complete(now, tz));
    let (_, store) = global.open_store().await?;
    let index = match SearchIndex::open_existing(&SearchIndex::dir_in(&config.data_dir)) {
        Ok(index) => Some(index),
        Err(err) => {
            eprintln!("note: no recurring themes: {err}");
            None
        }
    };
    let weekly = report::weekly(&store, index.as_ref(), week, tz, now).await?;
    store.close().await;
    let text = match args.format {
        Format::Md => report::markdown::render(&weekly),
        Format::Html => report::html::render(&weekly)?,
        Format::Json => serde_json::to_string_pretty(&weekly)? + "\n",
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote the report for {week} to {}", path.display());
        }
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .context("cannot write output")?,
    }
    Ok(())
}
