//! `coroner parse`: print the document model of each file, in input order.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use coroner::model::Document;
use coroner::{AnalyzeOptions, analyze, input};

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Post-mortem files (markdown or plain text).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

pub fn run(args: ParseArgs) -> ExitCode {
    let opts = AnalyzeOptions::default();
    let mut docs = Vec::new();
    let mut failed = false;
    for path in &args.files {
        match input::read_text(path) {
            Ok(text) => docs.push(analyze(&path.display().to_string(), &text, &opts)),
            Err(err) => {
                eprintln!("error: {err}");
                failed = true;
            }
        }
    }
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&docs).map(|s| s + "\n"),
        Format::Text => Ok(docs.iter().map(render_text).collect()),
    };
    let result = out
        .map_err(std::io::Error::other)
        .and_then(|s| std::io::stdout().lock().write_all(s.as_bytes()));
    if let Err(err) = result {
        eprintln!("error: cannot write output: {err}");
        return ExitCode::from(super::EXIT_USAGE);
    }
    if failed {
        ExitCode::from(super::EXIT_USAGE)
    } else {
        ExitCode::SUCCESS
    }
}

fn render_text(doc: &Document) -> String {
    let mut s = format!("{}\n", doc.source);
    s += &format!("  title: {}\n", doc.title.as_deref().unwrap_or("-"));
    s += &format!(
        "  date:  {}\n",
        doc.date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into())
    );
    if let Some(tz) = &doc.timezone {
        s += &format!("  zone:  {} ({})\n", tz.label, tz.zone);
    }
    s += &format!("  timeline ({} entries):\n", doc.timeline.len());
    for e in &doc.timeline {
        let when = e.utc.as_deref().unwrap_or("?");
        s += &format!(
            "    {:>4}  {:<24} {:<26} {}\n",
            e.line,
            e.label,
            when,
            first_line(&e.text)
        );
    }
    s += &format!("  action items ({}):\n", doc.action_items.len());
    for a in &doc.action_items {
        let mark = if a.done { "x" } else { " " };
        let group = a
            .group
            .as_deref()
            .map(|g| format!("[{g}] "))
            .unwrap_or_default();
        s += &format!(
            "    {:>4}  [{mark}] {group}{}\n",
            a.line,
            first_line(&a.text)
        );
    }
    s += &format!("  findings ({}):\n", doc.findings.len());
    for f in &doc.findings {
        let line = f.line.map(|l| l.to_string()).unwrap_or_else(|| "-".into());
        s += &format!(
            "    {:>4}  {}[{}] {}\n",
            line, f.severity, f.rule, f.message
        );
    }
    s
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let mut out: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        out.push('…');
    }
    out
}
