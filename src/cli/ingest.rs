//! `coroner ingest [PATH]...`: store post-mortems, skip unchanged ones, archive
//! the incidents whose file is gone, keep the search index in step, and end
//! with a summary.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use coroner::ingest::{self, IngestOptions};

use super::GlobalArgs;

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Post-mortem files or folders [default: the configured incidents folder].
    paths: Vec<PathBuf>,
    /// Analyze and store every file, even unchanged ones (after upgrading coroner).
    #[arg(long)]
    force: bool,
    /// Keep incidents whose file disappeared from an ingested folder active.
    #[arg(long)]
    no_archive: bool,
    /// Summary format on stdout (progress goes to stderr).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Don't report progress.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Exit status: 0 when every file was stored, 1 when some failed (the others
/// are stored), 2 when nothing could run (bad configuration or database URL).
pub fn run(global: &GlobalArgs, args: IngestArgs) -> ExitCode {
    let result = super::runtime().and_then(|rt| rt.block_on(ingest(global, args)));
    match result {
        Ok(code) => code,
        Err(err) => super::fail(&err),
    }
}

async fn ingest(global: &GlobalArgs, args: IngestArgs) -> anyhow::Result<ExitCode> {
    let (config, kb) = global.open_kb().await?;
    let paths = if args.paths.is_empty() {
        vec![config.incidents_dir.clone()]
    } else {
        args.paths
    };
    let opts = IngestOptions {
        force: args.force,
        archive_missing: !args.no_archive,
        progress: if args.quiet {
            std::sync::Arc::new(ingest::progress::Silent)
        } else {
            ingest::progress::for_terminal()
        },
        ..IngestOptions::for_config(&config)
    };
    let summary = kb.ingest(&paths, &opts).await?;
    kb.store().close().await;
    match args.format {
        Format::Text => println!("{summary}"),
        Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
    }
    Ok(if summary.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
