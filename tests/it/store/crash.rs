//! Kill `coroner ingest` in the middle of a large run: the database stays
//! consistent (every file stored whole or not at all) and the next run
//! finishes the job.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use coroner::store::IncidentFilter;

use super::TestDb;

const FILES: usize = 1500;

fn generate(dir: &Path) {
    std::fs::create_dir_all(dir).expect("dir");
    for n in 0..FILES {
        let day = n % 28 + 1;
        let text = format!(
            "---\ntitle: Disk full on node {n}\ndate: 2020-02-{day:02}\ntags: [generated]\n---\n\n\
             ## Summary\n\nNode {n} ran out of disk.\n\n## Timeline\n\nAll times in UTC.\n\n\
             ### 2020-02-{day:02} 10:00\n\nAlert fired for node {n}.\n\n### 10:30\n\nLogs rotated.\n\n\
             ### 11:05\n\nResolved.\n\n## Action items\n\n\
             1. Add disk alerts for node {n}\n2. Rotate logs daily on node {n}\n\
             3. Implemented: increase the volume of node {n}\n"
        );
        std::fs::write(
            dir.join(format!("2020-02-{day:02}-disk-full-{n:04}.md")),
            text,
        )
        .expect("write");
    }
}

fn ingest_command(db: &TestDb, dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_coroner"));
    cmd.arg("--database-url")
        .arg(&db.url)
        .args(["ingest", "--quiet", "--format", "json"])
        .arg(dir);
    cmd.env_remove("DATABASE_URL")
        .env_remove("CORONER_DATABASE_URL")
        .current_dir(db.dir.path());
    cmd
}

async fn stored(db: &TestDb) -> i64 {
    let filter = IncidentFilter {
        status: None,
        limit: Some(0),
        ..Default::default()
    };
    db.store
        .list_incidents(&filter)
        .await
        .map(|p| p.total)
        .unwrap_or(0)
}

async fn killed_ingest_leaves_a_consistent_database(db: TestDb) {
    let dir = db.dir.path().join("many");
    generate(&dir);
    let mut child = ingest_command(&db, &dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn coroner");
    let started = Instant::now();
    loop {
        let n = stored(&db).await;
        if n >= 20 {
            break;
        }
        assert!(
            child.try_wait().expect("wait").is_none(),
            "ingest ended before it could be killed"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "ingest made no progress"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().expect("kill");
    child.wait().expect("reap");
    let partial = stored(&db).await as usize;
    assert!(
        partial < FILES,
        "ingest finished before the kill ({partial} stored): raise FILES"
    );

    check_consistency(&db).await;

    // The next run completes the job: only the missing files are new.
    let out = ingest_command(&db, &dir).output().expect("run coroner");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json summary");
    let created = summary["created"].as_array().map_or(0, Vec::len);
    let unchanged = summary["unchanged"].as_u64().unwrap_or(0) as usize;
    assert_eq!(
        (
            created + unchanged,
            summary["failed"].as_array().map_or(0, Vec::len)
        ),
        (FILES, 0),
        "{summary}"
    );
    assert!(unchanged >= partial, "{summary}");
    assert_eq!(stored(&db).await as usize, FILES);
    check_consistency(&db).await;

    let out = ingest_command(&db, &dir).output().expect("run coroner");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json summary");
    assert_eq!(
        summary["unchanged"].as_u64(),
        Some(FILES as u64),
        "{summary}"
    );
}

/// Every stored incident is whole: its timeline, findings and action items
/// match its document, it has its creation event, each item its creation row.
async fn check_consistency(db: &TestDb) {
    let filter = IncidentFilter {
        status: None,
        ..Default::default()
    };
    let incidents = db.store.list_incidents(&filter).await.expect("list").items;
    let counts = super::count_rows(
        &db.url,
        "SELECT i.slug, \
           (SELECT COUNT(*) FROM timeline_entries t WHERE t.incident_id = i.id) * 1000000 \
         + (SELECT COUNT(*) FROM findings f WHERE f.incident_id = i.id) * 1000 \
         + (SELECT COUNT(*) FROM incident_events e WHERE e.incident_id = i.id AND e.kind = 'created') \
         FROM incidents i",
    )
    .await;
    assert_eq!(counts.len(), incidents.len());
    for summary in incidents {
        let incident = db.store.incident(&summary.slug).await.expect("incident");
        let doc = &incident.document;
        let expected = doc.timeline.len() as i64 * 1_000_000 + doc.findings.len() as i64 * 1000 + 1;
        assert_eq!(
            counts.get(&summary.slug),
            Some(&expected),
            "{} is incomplete",
            summary.slug
        );
        assert_eq!(
            incident.actions.len(),
            doc.action_items.len(),
            "{}",
            summary.slug
        );
        for item in &incident.actions {
            let history = db.store.action_history(item.id).await.expect("history");
            assert_eq!(history.len(), 1, "item {} of {}", item.id, summary.slug);
        }
    }
}

on_both_backends!(killed_ingest_leaves_a_consistent_database);
