//! `coroner serve`: ingest the incidents folder, then serve the web app and the
//! API until Ctrl-C; with `--watch`, re-ingest files that change on disk.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use coroner::AnalyzeOptions;
use coroner::ingest::IngestOptions;
use coroner::kb::KnowledgeBase;
use coroner::web::{self, AppState, auth::WritePolicy};

use super::GlobalArgs;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: server.addr in coroner.toml, else 127.0.0.1:3000].
    #[arg(long, value_name = "HOST:PORT")]
    addr: Option<String>,
    /// Re-ingest post-mortems that change in the incidents folder while serving.
    #[arg(long)]
    watch: bool,
    /// Serve what the database holds without ingesting the incidents folder first.
    #[arg(long)]
    no_ingest: bool,
    /// Benchmarks only: serve this file at `/static/{file name}` (read on first request).
    #[arg(long, hide = true, value_name = "FILE")]
    bench_static_file: Option<std::path::PathBuf>,
}

pub fn run(global: &GlobalArgs, args: ServeArgs) -> ExitCode {
    let result = super::runtime().and_then(|rt| rt.block_on(serve(global, args)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => super::fail(&err),
    }
}

async fn serve(global: &GlobalArgs, args: ServeArgs) -> anyhow::Result<()> {
    init_logging();
    let config = global.config()?;
    let (kb, status) = KnowledgeBase::open(&config).await?;
    eprintln!("{}", status.message());
    let mut analyze = AnalyzeOptions::default();
    analyze.timeline.default_zone = config.timeline.default_timezone.clone();
    let opts = IngestOptions {
        analyze: analyze.clone(),
        ..IngestOptions::default()
    };
    let dir = config.incidents_dir.clone();
    if !args.no_ingest {
        if dir.is_dir() {
            eprintln!("ingesting {} …", dir.display());
            let summary = kb.ingest(std::slice::from_ref(&dir), &opts).await?;
            eprintln!("{summary}");
        } else {
            eprintln!(
                "note: the incidents folder {} does not exist; serving what the database holds",
                dir.display()
            );
        }
    }
    let policy = WritePolicy::from_token(config.server.token.as_deref());
    let addr = args.addr.unwrap_or(config.server.addr.clone());
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    println!("listening on http://{local}");
    eprintln!("{}", policy.describe());
    let zone = coroner::report::team_zone(&config)?;
    let mut state = AppState::new(kb, policy, dir.clone(), analyze).with_report_zone(zone);
    if let Some(file) = args.bench_static_file {
        state = state.with_floor_file(file);
    }
    let _watcher = if args.watch {
        let w = web::watch::spawn(state.clone(), dir.clone(), opts)
            .with_context(|| format!("cannot watch {}", dir.display()))?;
        eprintln!("watching {} for changes", dir.display());
        Some(w)
    } else {
        None
    };
    web::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("shutting down");
    })
    .await?;
    Ok(())
}

/// Request and error logs on stderr; `RUST_LOG` overrides the level.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tantivy=warn,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
