//! The HTTP figures against the release binary: `coroner serve` on loopback over
//! the corpus, `wrk` for throughput and latency, /proc for the server's RSS.
//!
//! The floor: the incident page as it was just served, saved as a file and
//! served by the same server (`--bench-static-file`, a hidden flag) at
//! `/static/{name}` — the same router, middleware (CSRF cookie, security
//! headers, metrics) and response size, from memory like the compiled-in
//! assets, with none of the page's work. What the page costs above it is ours.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::queries::QUERIES;
use super::report::Report;
use super::{Ctx, FIG_HTTP, rss};

pub fn run(
    ctx: &Ctx,
    server: Option<&Path>,
    corpus: &Path,
    files: &[PathBuf],
    report: &mut Report,
) -> Result<(), String> {
    let Some(bin) = server.filter(|b| serves(b)) else {
        report.note("HTTP figures not measured: this coroner binary has no `serve` subcommand yet");
        return Ok(());
    };
    if Command::new("wrk").arg("--version").output().is_err() {
        report.note("HTTP figures not measured: `wrk` is not installed (apt-get install wrk)");
        return Ok(());
    }
    // A port free right now (not a fixed one: other runs may hold it).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))?;
    let data = ctx.work.join("http-data");
    let floor = ctx.work.join(FLOOR_FILE);
    let _ = std::fs::remove_file(&floor);
    let mut child = Server::start(bin, port, &data, corpus, &floor)?;
    let result = measure(ctx, &mut child, port, files, &floor, report);
    child.stop();
    result
}

/// The floor's file name (served at `/static/{FLOOR_FILE}`).
const FLOOR_FILE: &str = "bench-floor.html";

fn measure(
    ctx: &Ctx,
    server: &mut Server,
    port: u16,
    files: &[PathBuf],
    floor: &Path,
    report: &mut Report,
) -> Result<(), String> {
    server.wait_ready(port, Duration::from_secs(if ctx.smoke { 60 } else { 900 }))?;
    let slug = files
        .first()
        .map(|p| coroner::ingest::slug_for_path(p))
        .unwrap_or_default();
    let secs = if ctx.smoke { 1 } else { 10 };
    let incident = format!("/incidents/{slug}");
    // The floor file: the incident page's own bytes (written before its first request).
    let (_, page) = get(port, &incident)?;
    std::fs::write(floor, &page).map_err(|e| format!("{}: {e}", floor.display()))?;
    report.record(
        FIG_HTTP,
        "incident page size",
        ctx.size,
        format!("{:.1} KB", page.len() as f64 / 1e3),
    );
    let mut pages = vec![
        ("incident page".to_string(), incident),
        (
            "static file of the same size (floor)".to_string(),
            format!("/static/{FLOOR_FILE}"),
        ),
        ("dashboard".to_string(), "/".to_string()),
    ];
    for q in QUERIES {
        pages.push((
            format!("search {}", q.name),
            format!("/search?q={}", encode(q.coroner)),
        ));
    }
    for (name, path) in pages {
        let url = format!("http://127.0.0.1:{port}{path}");
        let (status, _) = get(port, &path)?;
        if status != 200 {
            report.note(format!(
                "HTTP {name}: GET {path} answered {status}, not measured"
            ));
            continue;
        }
        let out = wrk(&url, secs, LOAD_CONNECTIONS)?;
        report.record(FIG_HTTP, &format!("{name} — requests/s"), ctx.size, out.rps);
        report.record(
            FIG_HTTP,
            &format!("{name} — p50 / p99"),
            ctx.size,
            format!("{} / {}", out.p50, out.p99),
        );
        if path.starts_with("/search") {
            // Under load the latency is mostly queueing (16 clients, 2 cores); one
            // client at a time shows what one search costs end to end.
            let one = wrk(&url, secs, 1)?;
            report.record(
                FIG_HTTP,
                &format!("{name} — p50 / p99, one client"),
                ctx.size,
                format!("{} / {}", one.p50, one.p99),
            );
        }
    }
    report.record(
        FIG_HTTP,
        "server peak RSS",
        ctx.size,
        rss::mib(rss::peak_mib(&server.0.id().to_string())),
    );
    Ok(())
}

/// Does the binary have a `serve` subcommand?
fn serves(bin: &Path) -> bool {
    Command::new(bin)
        .args(["serve", "--help"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The server process; stopped (by its own pid) when done.
struct Server(Child);

impl Server {
    fn start(
        bin: &Path,
        port: u16,
        data: &Path,
        corpus: &Path,
        floor: &Path,
    ) -> Result<Server, String> {
        let _ = std::fs::remove_dir_all(data);
        let child = Command::new(bin)
            .args([
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(data)
            .arg("--bench-static-file")
            .arg(floor)
            .env("CORONER_INCIDENTS_DIR", corpus)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", bin.display()))?;
        Ok(Server(child))
    }

    fn wait_ready(&mut self, port: u16, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.0.try_wait() {
                return Err(format!("coroner serve exited: {status}"));
            }
            if get(port, "/").is_ok_and(|(s, _)| s == 200) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err("coroner serve did not answer in time".into())
    }

    fn stop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A minimal HTTP/1.1 GET: (status, body). The server sends a `Content-Length`
/// (never chunked) for these pages, so the body is what follows the headers.
fn get(port: u16, path: &str) -> Result<(u16, Vec<u8>), String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(buf.len(), |p| p + 4);
    let head = String::from_utf8_lossy(&buf[..split]);
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((status, buf[split..].to_vec()))
}

struct WrkOut {
    rps: String,
    p50: String,
    p99: String,
}

/// Concurrent connections for the throughput figures.
const LOAD_CONNECTIONS: u32 = 16;

fn wrk(url: &str, secs: u64, connections: u32) -> Result<WrkOut, String> {
    let threads = connections.min(2);
    let out = Command::new("wrk")
        .args([
            &format!("-t{threads}"),
            &format!("-c{connections}"),
            &format!("-d{secs}s"),
            "--latency",
            url,
        ])
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_string()))
            .unwrap_or_else(|| "?".into())
    };
    Ok(WrkOut {
        rps: format!("{} req/s", field("Requests/sec:")),
        p50: field("50%"),
        p99: field("99%"),
    })
}

/// Percent-encode a query for a URL.
fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
