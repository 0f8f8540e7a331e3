//! Telling the user how an ingest goes: a progress bar on a terminal, one line
//! per event otherwise (logs, CI), or nothing (tests, the web server's own logs).

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};

use super::{IngestFailure, IngestSummary};

/// What happened to one file.
#[derive(Debug, Clone, Copy)]
pub enum FileEvent<'a> {
    Created(&'a str),
    Updated(&'a str),
    Restored(&'a str),
    Unchanged,
    Failed(&'a IngestFailure),
}

/// Receives ingest events; every method has a do-nothing default.
pub trait Progress: Send + Sync {
    fn start(&self, _files: usize) {}
    fn file(&self, _path: &Path, _event: FileEvent<'_>) {}
    fn archived(&self, _slug: &str) {}
    fn finish(&self, _summary: &IngestSummary) {}
}

/// Reports nothing.
#[derive(Debug, Default)]
pub struct Silent;
impl Progress for Silent {}

/// A bar on a terminal, plain lines otherwise; both on stderr.
pub fn for_terminal() -> Arc<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Arc::new(Bar::new())
    } else {
        Arc::new(Plain)
    }
}

/// One line per created, updated, restored, archived or failed file on stderr.
#[derive(Debug, Default)]
pub struct Plain;

impl Progress for Plain {
    fn start(&self, files: usize) {
        eprintln!("ingesting {files} file(s)");
    }

    fn file(&self, path: &Path, event: FileEvent<'_>) {
        if let Some(line) = describe(path, event) {
            eprintln!("{line}");
        }
    }

    fn archived(&self, slug: &str) {
        eprintln!("archived  {slug} (file gone)");
    }
}

/// An indicatif bar; notable events are printed above it.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{spinner} {bar:30} {pos}/{len} {wide_msg}")
        {
            bar.set_style(style);
        }
        Bar { bar }
    }
}

impl Progress for Bar {
    fn start(&self, files: usize) {
        self.bar.set_length(files as u64);
    }

    fn file(&self, path: &Path, event: FileEvent<'_>) {
        self.bar.inc(1);
        self.bar.set_message(path.display().to_string());
        if let Some(line) = describe(path, event) {
            self.bar.println(line);
        }
    }

    fn archived(&self, slug: &str) {
        self.bar.println(format!("archived  {slug} (file gone)"));
    }

    fn finish(&self, _summary: &IngestSummary) {
        self.bar.finish_and_clear();
    }
}

fn describe(path: &Path, event: FileEvent<'_>) -> Option<String> {
    let path = path.display();
    match event {
        FileEvent::Created(slug) => Some(format!("new       {slug} ({path})")),
        FileEvent::Updated(slug) => Some(format!("updated   {slug} ({path})")),
        FileEvent::Restored(slug) => Some(format!("restored  {slug} ({path})")),
        FileEvent::Unchanged => None,
        FileEvent::Failed(failure) => Some(format!("failed    {failure}")),
    }
}
