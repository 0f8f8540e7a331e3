//! Rendering lint diagnostics: rustc-style text (with the offending source line),
//! a JSON array, GitHub Actions workflow commands, the closing summary and the rule list.

use coroner::checks::Rule;
use coroner::model::{Finding, Severity};
use serde::Serialize;

/// One finding in one file, at the level it is reported at.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: Option<usize>,
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub suggestion: Option<String>,
    /// The source line, shown under the message in text output.
    #[serde(skip)]
    pub source: Option<String>,
}

impl Diagnostic {
    pub fn new(file: &str, f: Finding, text: &str) -> Diagnostic {
        let source = f
            .line
            .and_then(|l| text.lines().nth(l.checked_sub(1)?))
            .map(|s| s.trim_end().to_string());
        Diagnostic {
            file: file.to_string(),
            line: f.line,
            rule: f.rule,
            severity: f.severity,
            message: f.message,
            suggestion: f.suggestion,
            source,
        }
    }
}

/// ANSI styles, or none.
struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn level(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, severity.as_str())
    }
}

/// rustc-style text: `warning[rule]: message`, ` --> file:line`, the line, `= help:`.
pub fn text<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>, color: bool) -> String {
    let style = Style { on: color };
    let mut out = String::new();
    for d in diagnostics {
        let gutter = d.line.map_or(1, |l| l.to_string().len());
        let pad = " ".repeat(gutter);
        let bar = style.paint("1;34", "|");
        out += &format!(
            "{}{}: {}\n",
            style.level(d.severity),
            style.paint("1", &format!("[{}]", d.rule)),
            style.paint("1", &d.message)
        );
        let place = d.line.map_or(d.file.clone(), |l| format!("{}:{l}", d.file));
        out += &format!("{pad}{} {place}\n", style.paint("1;34", "-->"));
        if let (Some(line), Some(source)) = (d.line, &d.source) {
            out += &format!("{pad} {bar}\n");
            out += &format!(
                "{} {bar} {source}\n",
                style.paint("1;34", &line.to_string())
            );
            out += &format!("{pad} {bar}\n");
        }
        if let Some(help) = &d.suggestion {
            out += &format!(
                "{pad} {} {}: {help}\n",
                style.paint("1;34", "="),
                style.paint("1", "help")
            );
        }
        out.push('\n');
    }
    out
}

/// A JSON array of diagnostics, every level included.
pub fn json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).map_or_else(|_| "[]\n".to_string(), |s| s + "\n")
}

/// GitHub Actions workflow commands (`::warning file=…,line=…,title=…::…`).
pub fn github<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = format!("file={}", escape_property(&d.file));
        if let Some(line) = d.line {
            props += &format!(",line={line}");
        }
        props += &format!(",title={}", escape_property(&d.rule));
        let mut message = d.message.clone();
        if let Some(help) = &d.suggestion {
            message += &format!("\nhelp: {help}");
        }
        out += &format!("::{command} {props}::{}\n", escape_data(&message));
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The closing line: counts per level, files checked, hidden info findings.
pub fn summary(diagnostics: &[Diagnostic], files: usize, verbose: bool) -> String {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let with_findings = {
        let mut names: Vec<&str> = diagnostics
            .iter()
            .filter(|d| verbose || d.severity > Severity::Info)
            .map(|d| d.file.as_str())
            .collect();
        names.dedup();
        names.len()
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!(
        "{}, {} in {} of {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        with_findings,
        plural(files, "file"),
    );
    if infos > 0 {
        line += &if verbose {
            format!("; {}", plural(infos, "info finding"))
        } else {
            format!("; {} hidden (-v shows them)", plural(infos, "info finding"))
        };
    }
    format!("coroner lint: {line}\n")
}

/// `--list-rules`: code, default level, what it catches.
pub fn rule_list(rules: &[Rule]) -> String {
    let width = rules.iter().map(|r| r.code().len()).max().unwrap_or(0);
    rules
        .iter()
        .map(|r| {
            format!(
                "{:<width$}  {:<7}  {}\n",
                r.code(),
                r.default_severity().as_str(),
                r.summary()
            )
        })
        .collect()
}
