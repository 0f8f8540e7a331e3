//! coroner's benchmarks (BENCHMARKS.md):
//!
//! ```text
//! cargo bench --bench coroner -- gen --count 1000 --seed 1 --out target/bench/1k
//! cargo bench --bench coroner -- run --sizes 1000,10000,100000
//! cargo bench --bench coroner -- parse --sizes 10000   # the parse figure alone
//! ```
//!
//! Run by `cargo test` (no `--bench` argument) it is a smoke run: 30 generated
//! post-mortems in a temp dir, every measurement once, so CI keeps it working.

mod corpus;
mod harness;
mod smoke;

// The allocator the `coroner` binary ships with (src/main.rs), so in-process
// figures measure what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "coroner-bench",
    about = "coroner's corpus generator and benchmarks"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write `count` generated post-mortems under `out`.
    Gen {
        #[arg(long)]
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Measure every figure at each size (corpora are generated once and kept).
    Run {
        #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
        sizes: Vec<u64>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where corpora, databases and report.md go.
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
        /// Samples per search query.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// Parts to leave out: parse, postgres, fts5, rg, http (SQLite ingest and search always run).
        #[arg(long, value_delimiter = ',')]
        skip: Vec<String>,
    },
    /// Measure parse + normalize against pulldown-cmark only (for profiling).
    Parse {
        #[arg(long, value_delimiter = ',', default_value = "10000")]
        sizes: Vec<u64>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        return smoke::run();
    }
    let args = args.into_iter().filter(|a| a != "--bench");
    let result = match Cli::parse_from(args).cmd {
        Cmd::Gen { count, seed, out } => corpus::write_corpus(&out, count, seed)
            .map(|w| {
                println!(
                    "wrote {} files, {:.1} MB, to {}",
                    w.files,
                    w.bytes as f64 / 1e6,
                    out.display()
                )
            })
            .map_err(|e| format!("{}: {e}", out.display())),
        Cmd::Run {
            sizes,
            seed,
            dir,
            iterations,
            skip,
        } => {
            let plan = harness::Plan {
                sizes,
                seed,
                dir,
                smoke: false,
                iterations: iterations.max(1),
                postgres: std::env::var("CORONER_BENCH_POSTGRES_URL")
                    .or_else(|_| std::env::var("CORONER_TEST_POSTGRES_URL"))
                    .ok(),
                skip,
                server: Some(PathBuf::from(env!("CARGO_BIN_EXE_coroner"))),
            };
            run(&plan)
        }
        Cmd::Parse { sizes, seed, dir } => {
            let plan = harness::Plan {
                sizes,
                seed,
                dir,
                smoke: false,
                iterations: 1,
                postgres: None,
                skip: Vec::new(),
                server: None,
            };
            let mut report = harness::report::Report::default();
            harness::parse_only(&plan, &mut report)
                .map(|()| println!("{}", report.markdown(&command_line())))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(plan: &harness::Plan) -> Result<(), String> {
    let rt = runtime()?;
    let mut report = harness::report::Report::default();
    let outcome = harness::run(plan, &rt, &mut report);
    let md = report.markdown(&command_line());
    println!("{md}");
    let path = plan.dir.join("report.md");
    std::fs::create_dir_all(&plan.dir).map_err(|e| e.to_string())?;
    std::fs::write(&path, md).map_err(|e| format!("{}: {e}", path.display()))?;
    outcome
}

/// How this run was started, as a user types it.
fn command_line() -> String {
    let args = std::env::args().filter(|a| a != "--bench").skip(1);
    format!(
        "cargo bench --bench coroner -- {}",
        args.collect::<Vec<_>>().join(" ")
    )
}

pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}
