//! One file per subcommand. `anyhow` lives here and in `main.rs` only.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod action;
mod actions;
mod ingest;
mod lint;
mod parse;
mod reindex;
mod report;
mod search;
mod serve;

/// coroner: post-mortem knowledge base and incident timeline tool.
#[derive(Debug, Parser)]
#[command(name = "coroner", version, about)]
pub(crate) struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Settings every command accepts; they override `coroner.toml` and the environment.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct GlobalArgs {
    /// Configuration file [default: ./coroner.toml when present].
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// sqlite://PATH or postgres://USER@HOST/DB [env: CORONER_DATABASE_URL, DATABASE_URL;
    /// default: a SQLite file in the data directory].
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    /// Where the embedded database and the search index live [env: CORONER_DATA_DIR; default: data].
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

impl GlobalArgs {
    /// The configuration: file, then environment, then these flags.
    pub(crate) fn config(&self) -> anyhow::Result<coroner::config::Config> {
        let mut config = coroner::config::Config::load(self.config.as_deref())?;
        if let Some(dir) = &self.data_dir {
            config.data_dir = dir.clone();
        }
        if let Some(url) = &self.database_url {
            config.database_url = Some(url.clone());
        }
        Ok(config)
    }

    /// The configuration and the store it names (created and migrated as needed).
    pub(crate) async fn open_store(
        &self,
    ) -> anyhow::Result<(coroner::config::Config, coroner::store::Store)> {
        let config = self.config()?;
        let store = coroner::store::Store::connect(&config.database_url()).await?;
        Ok((config, store))
    }

    /// The configuration and the knowledge base (store + search index); an index
    /// that is missing, damaged or stale is rebuilt, with a message on stderr.
    pub(crate) async fn open_kb(
        &self,
    ) -> anyhow::Result<(coroner::config::Config, coroner::kb::KnowledgeBase)> {
        let config = self.config()?;
        let (kb, found) = coroner::kb::KnowledgeBase::open(&config).await?;
        if found.needs_rebuild() {
            eprintln!("note: {}", found.message());
        }
        Ok((config, kb))
    }
}

/// Print an error and choose the exit status: 2 for bad input (unknown id,
/// bad value, stale version, unreadable configuration), 1 for anything else.
pub(crate) fn fail(err: &anyhow::Error) -> ExitCode {
    use coroner::store::StoreError;
    eprintln!("error: {err:#}");
    let bad_input = if let Some(e) = err.downcast_ref::<StoreError>() {
        matches!(
            e,
            StoreError::NotFound(_) | StoreError::InvalidInput(_) | StoreError::Conflict { .. }
        )
    } else if let Some(e) = err.downcast_ref::<coroner::kb::KbError>() {
        e.is_user_error()
    } else {
        err.downcast_ref::<coroner::config::ConfigError>().is_some()
    };
    ExitCode::from(if bad_input { EXIT_USAGE } else { 1 })
}

/// A runtime for commands that talk to the database.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse post-mortems and print their document model (timeline, action items, findings).
    Parse(parse::ParseArgs),
    /// Search incidents and action items (full text, fields, dates, boolean operators).
    Search(search::SearchArgs),
    /// Store post-mortems (files or folders) in the database; unchanged files are skipped.
    Ingest(ingest::IngestArgs),
    /// Rebuild the search index from the database (it is derived data).
    Reindex(reindex::ReindexArgs),
    /// List tracked action items.
    Actions(actions::ActionsArgs),
    /// Show an action item and its history, or change its status, owner or due date.
    Action(action::ActionArgs),
    /// Check post-mortems for inconsistencies (out-of-order times, zones, dates) like a compiler.
    Lint(lint::LintArgs),
    /// Weekly report: incidents, action items, open and overdue items, themes and trends.
    Report(report::ReportArgs),
    /// Serve the web app and JSON API: ingests the incidents folder, then listens on 127.0.0.1:3000.
    Serve(serve::ServeArgs),
}

/// Exit status for usage errors and unreadable input.
pub const EXIT_USAGE: u8 = 2;

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Search(args) => search::run(&cli.global, args),
        Command::Ingest(args) => ingest::run(&cli.global, args),
        Command::Reindex(args) => reindex::run(&cli.global, args),
        Command::Actions(args) => actions::run(&cli.global, args),
        Command::Action(args) => action::run(&cli.global, args),
        Command::Lint(args) => lint::run(&cli.global, args),
        Command::Report(args) => report::run(&cli.global, args),
        Command::Serve(args) => serve::run(&cli.global, args),
    }
}
