//! Weekly reports over the shipped incidents: the 2018-W04 report in its three
//! formats (snapshots), an empty week, activity from the history, and the CLI.

use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use coroner::report::{self, IsoWeek, WeeklyReport};
use coroner::store::{ActionChanges, ActionStatus};

use crate::store::TestDb;

const LA: Tz = Tz::America__Los_Angeles;

/// A fixed `now` so reports are reproducible: a few weeks after 2018-W04.
fn now() -> DateTime<Utc> {
    "2018-02-20T18:00:00Z".parse().expect("instant")
}

fn week(s: &str) -> IsoWeek {
    s.parse().expect("week")
}

async fn corpus_db() -> TestDb {
    let db = TestDb::sqlite().await;
    let incidents = db.corpus("");
    let summary = db.ingest(&[incidents]).await;
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    db
}

/// The JSON with ids blanked: they depend on the order files were stored in.
fn stable_json(report: &WeeklyReport) -> serde_json::Value {
    fn blank(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if k == "id" {
                        *v = serde_json::Value::String("[id]".into());
                    } else {
                        blank(v);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(blank),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(report).expect("serializes");
    blank(&mut value);
    value
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn week_2018_w04_in_three_formats() {
    let db = corpus_db().await;
    let (_dir, index) = crate::search::corpus_index();
    let r = report::weekly(&db.store, Some(&index), week("2018-W04"), LA, now())
        .await
        .expect("report");

    let slugs: Vec<&str> = r.incidents.iter().map(|i| i.slug.as_str()).collect();
    for slug in [
        "2018-01-25-helm-chart-upgrade",
        "2018-01-26-hub-slow-startup",
    ] {
        let incident = r
            .incidents
            .iter()
            .find(|i| i.slug == slug)
            .unwrap_or_else(|| panic!("{slug} not in {slugs:?}"));
        assert_eq!(incident.action_items.len(), 3, "{slug}");
        assert!(
            incident
                .action_items
                .iter()
                .all(|a| r.actions.opened.contains(a)),
            "{slug}'s items were opened in the week"
        );
    }
    assert!(!r.empty);
    assert!(r.themes.available);
    // The second helm chart v0.6 outage recurs the first one's theme.
    let theme = r
        .themes
        .recurring
        .iter()
        .find(|t| t.incident == "2018-01-26-hub-slow-startup")
        .expect("a recurring theme");
    assert!(
        theme
            .similar
            .iter()
            .any(|s| s.slug == "2018-01-25-helm-chart-upgrade")
    );
    let md = report::markdown::render(&r);
    assert!(md.contains("Accidental merge to prod brings things down"));
    assert!(md.contains("Hub starts up very slow, causing outage for users"));
    assert!(md.contains("Determine if there is a way to block merges to production"));
    assert!(md.contains("The prepuller should be fixed so that helm does not time out."));
    let html = report::html::render(&r).expect("html");
    assert!(html.contains("The hub route checking should be parallelized"));
    assert!(html.contains("<svg") && html.contains("prefers-color-scheme: dark"));

    insta::assert_snapshot!("report_2018_w04_md", md);
    insta::assert_snapshot!("report_2018_w04_html", html);
    insta::assert_json_snapshot!("report_2018_w04_json", stable_json(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_week_says_so_plainly() {
    let db = corpus_db().await;
    let r = report::weekly(&db.store, None, week("2019-W30"), LA, now())
        .await
        .expect("report");
    assert!(r.empty);
    assert!(r.incidents.is_empty() && r.actions.opened.is_empty());
    let plainly = "Nothing happened in 2019-W30: no incidents";
    assert!(report::markdown::render(&r).contains(plainly));
    assert!(report::html::render(&r).expect("html").contains(plainly));
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(json["empty"], true);
    assert_eq!(json["incidents"], serde_json::json!([]));
    assert_eq!(json["themes"]["available"], false);
    assert!(report::markdown::render(&r).contains("Recurring themes are unavailable"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_and_reassigning_show_in_the_current_week_sqlite() {
    closing_and_reassigning(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_and_reassigning_show_in_the_current_week_postgres() {
    if let Some(db) = TestDb::postgres("report closing_and_reassigning").await {
        closing_and_reassigning(db).await;
    }
}

async fn closing_and_reassigning(db: TestDb) {
    let seeds = db.corpus("seeds");
    db.ingest(&[seeds]).await;
    let page = db
        .store
        .list_actions(&Default::default())
        .await
        .expect("items");
    let open: Vec<_> = page
        .items
        .iter()
        .filter(|i| i.status == ActionStatus::Open)
        .collect();
    let (first, second) = (open[0], open[1]);
    let close = ActionChanges {
        status: Some(ActionStatus::Done),
        ..Default::default()
    };
    let assign = ActionChanges {
        owner: Some(Some("alice".into())),
        ..Default::default()
    };
    db.store
        .update_action(first.id, &close, None, "bob", Some("shipped"))
        .await
        .expect("close");
    db.store
        .update_action(second.id, &assign, None, "bob", None)
        .await
        .expect("assign");

    let now = Utc::now();
    let this_week = IsoWeek::of_instant(now, Tz::UTC);
    let r = report::weekly(&db.store, None, this_week, Tz::UTC, now)
        .await
        .expect("report");
    assert!(!r.complete && r.next_week.is_none());
    assert_eq!(r.actions.closed.len(), 1);
    assert_eq!(r.actions.closed[0].item.id, first.id);
    assert_eq!(r.actions.closed[0].to.as_deref(), Some("done"));
    assert_eq!(r.actions.reassigned.len(), 1);
    assert_eq!(r.actions.reassigned[0].item.owner.as_deref(), Some("alice"));
    assert!(!r.empty);
    assert!(r.postmortems.len() == 5, "the seeds were added this week");
    // A week before the change, the item was still open and unassigned.
    let before = report::weekly(&db.store, None, this_week.previous(), Tz::UTC, now)
        .await
        .expect("report");
    assert!(before.actions.closed.is_empty() && before.actions.reassigned.is_empty());
    let md = report::markdown::render(&r);
    assert!(
        md.contains("**Closed (1)**") && md.contains("open → done by bob"),
        "{md}"
    );
}

fn coroner(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coroner"))
        .arg("--database-url")
        .arg(&db.url)
        .arg("--data-dir")
        .arg(db.dir.path().join("data"))
        .args(args)
        .current_dir(db.dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("CORONER_DATABASE_URL")
        .env_remove("CORONER_TIMEZONE")
        .output()
        .expect("run coroner")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_prints_writes_and_rejects_bad_weeks() {
    let db = TestDb::sqlite().await;
    let datahub = db.corpus("berkeley-dsep-infra__datahub");
    db.ingest(&[datahub]).await;
    let tz = ["--week", "2018-W04", "--timezone", "America/Los_Angeles"];

    let out = coroner(&db, &[&["report"], &tz[..], &["--format", "md"]].concat());
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(md.starts_with("## Weekly incident report 2018-W04"), "{md}");
    assert!(md.contains("Accidental merge to prod brings things down"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("note: no recurring themes"));

    let out = coroner(&db, &[&["report"], &tz[..], &["--format", "json"]].concat());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["week"], "2018-W04");
    assert_eq!(json["timezone"], "America/Los_Angeles");

    let file = db.dir.path().join("w04.html");
    let path = file.to_str().expect("path");
    let out = coroner(
        &db,
        &[&["report"], &tz[..], &["--format", "html", "--out", path]].concat(),
    );
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let html = std::fs::read_to_string(&file).expect("written");
    assert!(html.starts_with("<!doctype html>") && html.contains("Hub starts up very slow"));

    let out = coroner(&db, &["report", "--week", "2018-W99"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2018-W99") && err.contains("weeks 1 to 52"),
        "{err}"
    );
    let out = coroner(&db, &["report", "--timezone", "Mars/Base"]);
    assert_eq!(out.status.code(), Some(2));

    // Without --week: the last complete week, which is not the current one.
    let out = coroner(&db, &["report", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["complete"], true);
}
