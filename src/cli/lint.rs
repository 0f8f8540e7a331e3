//! `coroner lint PATH...`: check post-mortems the way a compiler checks code, for a
//! post-mortem repository's CI. Rule levels come from `coroner.toml` (`[lint.rules]`)
//! and flags (`--deny warnings`, `--allow timezone/*`); output is rustc-style text,
//! JSON or GitHub Actions annotations. Exit 1 when an error remains, 2 for usage errors
//! or unreadable files, 0 otherwise.

mod render;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use coroner::checks::{Level, Levels, Rule};
use coroner::model::Severity;
use coroner::timeline::{TimelineOptions, zones};
use coroner::{AnalyzeOptions, analyze, input};

pub use render::Diagnostic;

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Post-mortem files or folders (folders are searched for .md, .markdown, .qmd, .txt).
    #[arg(required_unless_present = "list_rules", value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Allow a rule: a code, a family (`timezone/*`) or `*`.
    #[arg(long, short = 'A', value_name = "RULE")]
    allow: Vec<String>,
    /// Report a rule as a warning.
    #[arg(long, short = 'W', value_name = "RULE")]
    warn: Vec<String>,
    /// Report a rule as an error; `--deny warnings` turns every warning into an error.
    #[arg(long, short = 'D', value_name = "RULE")]
    deny: Vec<String>,
    /// Zone for timelines that declare none (IANA name, abbreviation or UTC offset).
    #[arg(long, value_name = "ZONE")]
    timezone: Option<String>,
    /// Also show info-level findings in text and GitHub output.
    #[arg(long, short = 'v')]
    verbose: bool,
    /// Colour text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// List the rules with their default levels, and exit.
    #[arg(long)]
    list_rules: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

pub fn run(global: &super::GlobalArgs, args: LintArgs) -> ExitCode {
    if args.list_rules {
        return emit(&render::rule_list(Rule::ALL));
    }
    let setup = match setup(global, &args) {
        Ok(setup) => setup,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::from(super::EXIT_USAGE);
        }
    };
    let mut unreadable = 0;
    let mut diagnostics = Vec::new();
    for path in &setup.files {
        let name = path.display().to_string();
        match input::read_text(path) {
            Ok(text) => {
                let doc = analyze(&name, &text, &setup.options);
                let findings = setup.levels.apply(&doc.findings);
                diagnostics.extend(
                    findings
                        .into_iter()
                        .map(|f| Diagnostic::new(&name, f, &text)),
                );
            }
            Err(err) => {
                eprintln!("error: {err}");
                unreadable += 1;
            }
        }
    }
    let shown = |d: &&Diagnostic| args.verbose || d.severity > Severity::Info;
    let out = match args.format {
        Format::Json => render::json(&diagnostics),
        Format::Github => render::github(diagnostics.iter().filter(shown)),
        Format::Text => render::text(diagnostics.iter().filter(shown), use_color(args.color)),
    };
    let status = emit(&out);
    if args.format == Format::Text {
        eprint!(
            "{}",
            render::summary(&diagnostics, setup.files.len(), args.verbose)
        );
    }
    if unreadable > 0 || status != ExitCode::SUCCESS {
        ExitCode::from(super::EXIT_USAGE)
    } else if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What a run needs once the arguments and configuration are checked.
struct Setup {
    files: Vec<PathBuf>,
    levels: Levels,
    options: AnalyzeOptions,
}

fn setup(global: &super::GlobalArgs, args: &LintArgs) -> anyhow::Result<Setup> {
    let config = global.config()?;
    let mut levels = Levels::from_config(&config.lint.rules).context("[lint.rules]")?;
    for (flag, level, patterns) in [
        ("--allow", Level::Allow, &args.allow),
        ("--warn", Level::Warn, &args.warn),
        ("--deny", Level::Deny, &args.deny),
    ] {
        for pattern in patterns {
            levels.set_flag(pattern, level).context(flag)?;
        }
    }
    let zone = args.timezone.clone().or(config.timeline.default_timezone);
    if let Some(z) = &zone {
        if !matches!(zones::parse_zone(z), Some(zones::Found::Known(_))) {
            bail!(
                "unknown time zone `{z}`: use an IANA name (`Europe/Oslo`), an abbreviation (`PST`) or an offset (`UTC+1`)"
            );
        }
    }
    let files = input::collect_files(&args.paths)?;
    if files.is_empty() {
        bail!("no post-mortem files (.md, .markdown, .qmd, .txt) found in the given paths");
    }
    let options = AnalyzeOptions {
        timeline: TimelineOptions { default_zone: zone },
    };
    Ok(Setup {
        files,
        levels,
        options,
    })
}

fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
    }
}

/// Write to stdout; a closed pipe is not an error worth more than exit status 2.
fn emit(out: &str) -> ExitCode {
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: cannot write output: {err}");
            ExitCode::from(super::EXIT_USAGE)
        }
    }
}
