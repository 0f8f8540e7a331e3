//! The real `coroner serve` binary on a loopback port, over a temp data dir and a
//! temp copy of the shipped incidents plus one hostile post-mortem.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};

/// The token writes need; the test signs in with it through the login form.
pub const TOKEN: &str = "e2e-token-7f3a9c";

/// File name of the hostile post-mortem (its slug comes from it).
pub const HOSTILE_FILE: &str = "2024-02-03-hostile-html.md";

/// HTML a post-mortem author might paste, in the title, the body, the timeline
/// and an action item. Rendered anywhere, none of it may run or frame anything.
const HOSTILE: &str = r#"---
title: 'Hostile <script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> outage'
date: 2024-02-03
---

## Summary

The author pasted HTML. <script>window.__pwned=1</script>

<img src=x onerror="window.__pwned=1">

<iframe src="https://example.com/"></iframe>

[click me](javascript:window.__pwned=1) and <a href="javascript:window.__pwned=1">a raw link</a>.

## Timeline

All times in UTC

- 10:00 alert fired <img src=x onerror="window.__pwned=1">
- 10:30 resolved <script>window.__pwned=1</script>

## Action items

- [ ] Escape <script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=1"> in [reports](javascript:window.__pwned=1) <iframe src="https://example.com/"></iframe>
- [ ] Add a content security policy
"#;

/// A running server, killed on drop.
pub struct Server {
    child: Child,
    pub base: String,
    log: PathBuf,
}

impl Server {
    /// Copy the incidents, add the hostile file, start `coroner serve --addr 127.0.0.1:0`
    /// and wait (up to 5 minutes: it ingests everything first) for its address.
    pub fn start(scratch: &Path) -> Result<Server> {
        let incidents = scratch.join("incidents");
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents");
        copy_dir(&shipped, &incidents)?;
        std::fs::create_dir_all(incidents.join("hostile"))?;
        std::fs::write(incidents.join("hostile").join(HOSTILE_FILE), HOSTILE)?;
        let log = scratch.join("server.log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_coroner"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .current_dir(scratch)
            .env("CORONER_DATA_DIR", scratch.join("data"))
            .env("CORONER_INCIDENTS_DIR", &incidents)
            .env("CORONER_TOKEN", TOKEN)
            .env("RUST_LOG", "warn")
            .env_remove("CORONER_DATABASE_URL")
            .env_remove("DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log)?)
            .spawn()
            .context("cannot start `coroner serve`")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("listening on ") {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let mut server = Server {
            child,
            base: String::new(),
            log,
        };
        match rx.recv_timeout(Duration::from_secs(300)) {
            Ok(base) => {
                server.base = base;
                Ok(server)
            }
            Err(_) => Err(anyhow!(
                "`coroner serve` printed no `listening on` line:\n{}",
                server.log_text()
            )),
        }
    }

    /// An absolute URL on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// What the server wrote to stderr (for failure messages).
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
