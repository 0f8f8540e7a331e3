//! Results as markdown tables: one table per figure, one row per measurement,
//! one column per corpus size, plus the machine and the command that ran.

use std::collections::BTreeMap;
use std::fmt::Write;

/// A figure's rows, in insertion order: name → size → value.
type Rows = Vec<(String, BTreeMap<u64, String>)>;

/// Everything measured in one run.
#[derive(Default)]
pub struct Report {
    sizes: Vec<u64>,
    figures: Vec<(String, Rows)>,
    notes: Vec<String>,
}

impl Report {
    pub fn record(&mut self, figure: &str, row: &str, size: u64, value: impl Into<String>) {
        if !self.sizes.contains(&size) {
            self.sizes.push(size);
        }
        let fig = match self.figures.iter().position(|(f, _)| f == figure) {
            Some(i) => &mut self.figures[i].1,
            None => {
                self.figures.push((figure.to_string(), Vec::new()));
                &mut self.figures.last_mut().expect("just pushed").1
            }
        };
        let rows = match fig.iter().position(|(r, _)| r == row) {
            Some(i) => &mut fig[i].1,
            None => {
                fig.push((row.to_string(), BTreeMap::new()));
                &mut fig.last_mut().expect("just pushed").1
            }
        };
        rows.insert(size, value.into());
    }

    /// A remark printed under the tables (skipped parts, their reasons).
    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        eprintln!("note: {note}");
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    pub fn markdown(&self, command: &str) -> String {
        let mut out = format!("Command: `{command}`\n\nMachine: {}\n\n", machine());
        for (figure, rows) in &self.figures {
            let _ = writeln!(out, "#### {figure}\n");
            let head: Vec<String> = self.sizes.iter().map(|s| size_label(*s)).collect();
            let _ = writeln!(out, "| | {} |", head.join(" | "));
            let _ = writeln!(out, "|---|{}", "---:|".repeat(self.sizes.len()));
            for (row, values) in rows {
                let cells: Vec<&str> = self
                    .sizes
                    .iter()
                    .map(|s| values.get(s).map_or("–", String::as_str))
                    .collect();
                let _ = writeln!(out, "| {row} | {} |", cells.join(" | "));
            }
            out.push('\n');
        }
        for note in &self.notes {
            let _ = writeln!(out, "- {note}");
        }
        out
    }
}

pub fn size_label(n: u64) -> String {
    if n >= 1000 && n % 1000 == 0 {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    }
}

/// nproc, CPU model and RAM, from /proc.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let ram = super::rss::field_kib(&meminfo, "MemTotal:").map_or("? GB".into(), |k| {
        format!("{:.0} GB RAM", k as f64 / 1024.0 / 1024.0)
    });
    format!("{cpus} CPUs ({model}), {ram}, {}", std::env::consts::OS)
}

pub fn ms(d: std::time::Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

pub fn secs(d: std::time::Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

pub fn rate(n: f64, d: std::time::Duration, unit: &str) -> String {
    let r = n / d.as_secs_f64().max(1e-9);
    if r >= 100.0 {
        format!("{r:.0} {unit}")
    } else {
        format!("{r:.1} {unit}")
    }
}
