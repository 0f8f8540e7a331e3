//! `/metrics` in the Prometheus text format: requests by route and status,
//! time spent, and the knowledge base's counts read at scrape time.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::WebError;
use super::state::AppState;

/// (method, route, status).
type Key = (String, String, u16);

/// Request counters: (method, route, status) → (count, seconds).
#[derive(Debug, Default)]
pub struct Metrics(Mutex<BTreeMap<Key, (u64, f64)>>);

/// A gauge: name, help, label name and values.
type Gauge<'a> = (&'a str, &'a str, &'a str, Vec<(&'a str, i64)>);

impl Metrics {
    fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut m) = self.0.lock() {
            let e = m
                .entry((method.to_string(), route.to_string(), status))
                .or_default();
            e.0 += 1;
            e.1 += seconds;
        }
    }

    fn render(&self, out: &mut String) {
        let Ok(m) = self.0.lock() else { return };
        out.push_str("# HELP coroner_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE coroner_http_requests_total counter\n");
        for ((method, route, status), (n, _)) in m.iter() {
            let _ = writeln!(
                out,
                "coroner_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                label(route)
            );
        }
        out.push_str("# HELP coroner_http_request_seconds_total Time spent answering, by route.\n");
        out.push_str("# TYPE coroner_http_request_seconds_total counter\n");
        for ((method, route, status), (_, s)) in m.iter() {
            let _ = writeln!(
                out,
                "coroner_http_request_seconds_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {s:.6}",
                label(route)
            );
        }
    }
}

/// Escape a label value.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: count each request under its route pattern (unmatched ones as `other`).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "other".into());
    let method = req.method().to_string();
    let started = Instant::now();
    let res = next.run(req).await;
    let secs = started.elapsed().as_secs_f64();
    state
        .metrics
        .record(&method, &route, res.status().as_u16(), secs);
    res
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> Result<Response, WebError> {
    let today = chrono::Utc::now().date_naive();
    let c = state.kb.store().counts(today).await?;
    let mut out = String::new();
    let gauges: [Gauge; 3] = [
        (
            "coroner_incidents",
            "Incidents in the knowledge base, by status.",
            "status",
            vec![("active", c.incidents), ("archived", c.archived_incidents)],
        ),
        (
            "coroner_action_items",
            "Tracked action items of active incidents, by status (overdue: pending and past due).",
            "status",
            vec![
                ("open", c.actions_open),
                ("in_progress", c.actions_in_progress),
                ("done", c.actions_done),
                ("wont_do", c.actions_wont_do),
                ("overdue", c.actions_overdue),
            ],
        ),
        (
            "coroner_findings",
            "Findings of active incidents, by severity.",
            "severity",
            vec![
                ("error", c.findings_error),
                ("warning", c.findings_warning),
                ("info", c.findings_info),
            ],
        ),
    ];
    for (name, help, key, values) in gauges {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for (v, n) in values {
            let _ = writeln!(out, "{name}{{{key}=\"{v}\"}} {n}");
        }
    }
    state.metrics.render(&mut out);
    Ok((
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        out,
    )
        .into_response())
}
