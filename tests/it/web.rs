//! Web app handler tests: every route through `tower::ServiceExt::oneshot` on
//! the router over a temporary SQLite knowledge base holding a few shipped
//! post-mortems and a hostile one.

#![allow(clippy::unwrap_used)] // test helpers: a failure here is a broken fixture

mod api;
mod caches;
mod pages;
mod reports;
mod writes;
mod xss;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use coroner::AnalyzeOptions;
use coroner::config::Config;
use coroner::ingest::IngestOptions;
use coroner::kb::KnowledgeBase;
use coroner::web::auth::WritePolicy;
use coroner::web::{AppState, router};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The shipped post-mortems the tests run on (out-of-order timeline, action items, tags).
const FILES: &[&str] = &[
    "berkeley-dsep-infra__datahub/2017-03-06-helm-config-image-mismatch.qmd",
    "berkeley-dsep-infra__datahub/2018-01-26-hub-slow-startup.qmd",
    "dfds__postmortems/PM2022-001 - Prometheus is down with connection refused errors.md",
    "kubernetes__test-infra/2019-01-23.md",
];

pub const HELM: &str = "2017-03-06-helm-config-image-mismatch";
pub const XSS: &str = "2021-06-01-hostile";
pub const CSRF: &str = "0123456789abcdef0123456789abcdef";

/// A post-mortem pasted from chat with every trick in it.
pub const HOSTILE: &str = r#"# 2021-06-01 <script>alert('title')</script> Zebrafish outage <img src=x onerror=alert(1)>

Timezone: UTC

## Summary

Zebrafish queue stalled. <script>alert('body')</script>
<iframe src="https://evil.example/"></iframe>
[harmless looking](javascript:alert('link')) and <a href="JAVASCRIPT:alert(2)">caps</a>
<div onclick="steal()">click</div> <svg onload="alert(3)"></svg>

## Timeline

- 10:00 zebrafish alert <img src=x onerror=alert('timeline')>
- 10:20 rollback

## Action items

- [ ] Fix zebrafish <img src=x onerror=alert('action')> <script>alert('action')</script>
- [ ] Add zebrafish alerting [docs](javascript:alert('ref'))
"#;

pub struct App {
    pub router: Router,
    pub dir: tempfile::TempDir,
}

impl App {
    pub fn incidents_dir(&self) -> PathBuf {
        self.dir.path().join("incidents")
    }
}

/// A fresh app; `peer` is the client address the loopback rule sees.
pub async fn app_with(token: Option<&str>, peer: &str) -> App {
    let dir = tempfile::tempdir().unwrap();
    let incidents = dir.path().join("incidents");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents");
    for f in FILES {
        let to = incidents.join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(f), to).unwrap();
    }
    std::fs::write(incidents.join(format!("{XSS}.md")), HOSTILE).unwrap();
    let config = Config {
        data_dir: dir.path().join("data"),
        incidents_dir: incidents.clone(),
        ..Config::default()
    };
    let (kb, _) = KnowledgeBase::open(&config).await.unwrap();
    let summary = kb
        .ingest(std::slice::from_ref(&incidents), &IngestOptions::default())
        .await
        .unwrap();
    assert!(summary.failed.is_empty(), "{summary}");
    let state = AppState::new(
        kb,
        WritePolicy::from_token(token),
        incidents,
        AnalyzeOptions::default(),
    );
    let addr: SocketAddr = peer.parse().unwrap();
    let router = router(state).layer(MockConnectInfo(addr));
    App { router, dir }
}

/// No token, client on loopback: writes allowed.
pub async fn app() -> App {
    app_with(None, "127.0.0.1:50000").await
}

pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Res {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub async fn send(app: &App, req: Request<Body>) -> Res {
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Res {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(app: &App, uri: &str) -> Res {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// A form post carrying the CSRF cookie (and `extra_cookie`, e.g. a session).
pub async fn post_form(app: &App, uri: &str, body: &str, extra_cookie: &str) -> Res {
    let req = Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("coroner_csrf={CSRF}; {extra_cookie}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    send(app, req).await
}

pub async fn json_req(app: &App, method: &str, uri: &str, body: &str, bearer: Option<&str>) -> Res {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(t) = bearer {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    send(app, req.body(Body::from(body.to_string())).unwrap()).await
}

/// The id and version of an action item of `slug`.
pub async fn first_action(app: &App, slug: &str) -> (i64, i64) {
    let res = get(app, &format!("/api/v1/actions?incident={slug}")).await;
    let v = res.json();
    let item = &v["items"][0];
    (
        item["id"].as_i64().unwrap(),
        item["version"].as_i64().unwrap(),
    )
}
