//! One file per subcommand. `anyhow` lives here and in `main.rs` only.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod lint;
mod parse;

/// coroner: post-mortem knowledge base and incident timeline tool.
#[derive(Debug, Parser)]
#[command(name = "coroner", version, about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse post-mortems and print their document model (timeline, action items, findings).
    Parse(parse::ParseArgs),
    /// Check post-mortems for inconsistencies (out-of-order times, zones, dates) like a compiler.
    Lint(lint::LintArgs),
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
        Command::Lint(args) => lint::run(args),
    }
}
