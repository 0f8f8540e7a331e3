//! `coroner ingest`, `coroner actions` and `coroner action` as a user runs them.

use std::process::{Command, Output};

use super::TestDb;

fn coroner(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coroner"))
        .arg("--database-url")
        .arg(&db.url)
        .args(args)
        .current_dir(db.dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("CORONER_DATABASE_URL")
        .output()
        .expect("run coroner")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("json")
}

async fn ingest_then_list_and_update(db: TestDb) {
    let seeds = db.corpus("seeds");
    let out = coroner(&db, &["ingest", seeds.to_str().expect("path")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("5 new, 0 updated, 0 unchanged, 0 failed"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("new       000-954bac17e647708a ("),
        "plain progress lines: {}",
        stderr(&out)
    );

    let all = json(&coroner(&db, &["actions", "--format", "json"]));
    let items = all.as_array().expect("array");
    assert!(!items.is_empty());
    let open = items
        .iter()
        .find(|i| i["status"] == "open")
        .expect("an open item");
    let id = open["id"].as_i64().expect("id");
    let slug = open["incident"].as_str().expect("slug").to_string();
    let of_incident = json(&coroner(
        &db,
        &[
            "actions",
            "--incident",
            &slug,
            "--status",
            "open,in_progress",
            "--format",
            "json",
        ],
    ));
    assert!(
        of_incident
            .as_array()
            .expect("array")
            .iter()
            .all(|a| a["incident"] == slug.as_str())
    );

    let out = coroner(
        &db,
        &[
            "action",
            &id.to_string(),
            "--status",
            "in-progress",
            "--owner",
            "Ann",
            "--due",
            "2020-01-31",
            "--note",
            "on it",
            "--by",
            "bob",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("status: open → in_progress — on it"),
        "{}",
        stdout(&out)
    );
    let shown = json(&coroner(
        &db,
        &["action", &id.to_string(), "--format", "json"],
    ));
    assert_eq!(shown["item"]["owner"], "Ann");
    assert_eq!(shown["item"]["version"], 2);
    assert_eq!(shown["history"].as_array().map(Vec::len), Some(4));

    let overdue = json(&coroner(
        &db,
        &["actions", "--overdue", "--owner", "ann", "--format", "json"],
    ));
    assert_eq!(
        overdue
            .as_array()
            .map(|a| a.iter().map(|i| i["id"].as_i64()).collect::<Vec<_>>()),
        Some(vec![Some(id)])
    );
    let table = stdout(&coroner(&db, &["actions", "--owner", "ANN"]));
    assert!(
        table.contains("2020-01-31!") && table.contains("in_progress"),
        "{table}"
    );
    let csv = stdout(&coroner(
        &db,
        &["actions", "--format", "csv", "--status", "in_progress"],
    ));
    assert!(csv.starts_with("id,incident,status,owner,due,"), "{csv}");
    assert_eq!(csv.lines().count(), 2, "{csv}");
}

async fn bad_values_are_refused_and_change_nothing(db: TestDb) {
    let seeds = db.corpus("seeds");
    assert!(
        coroner(&db, &["ingest", "-q", seeds.to_str().expect("path")])
            .status
            .success()
    );
    let all = json(&coroner(
        &db,
        &["actions", "--status", "open", "--format", "json"],
    ));
    let id = all[0]["id"].as_i64().expect("id").to_string();
    let before = json(&coroner(&db, &["action", &id, "--format", "json"]));

    for (args, message) in [
        (
            vec!["action", &id, "--status", "finished"],
            "unknown status `finished`",
        ),
        (
            vec!["action", &id, "--status", "done", "--due", "2024-13-40"],
            "invalid due date `2024-13-40`",
        ),
        (
            vec!["action", &id, "--status", "removed"],
            "status `removed` is set by ingest",
        ),
        (
            vec!["action", "99999", "--status", "done"],
            "action item 99999 not found",
        ),
        (
            vec!["action", &id, "--status", "done", "--if-version", "7"],
            "you had version 7, it is now at version 1",
        ),
        (
            vec!["actions", "--status", "bogus"],
            "unknown status `bogus`",
        ),
    ] {
        let out = coroner(&db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(
        json(&coroner(&db, &["action", &id, "--format", "json"])),
        before
    );
}

on_both_backends!(
    ingest_then_list_and_update,
    bad_values_are_refused_and_change_nothing
);

#[test]
fn unsupported_database_url_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_coroner"))
        .args([
            "--database-url",
            "mysql://root:hunter2@localhost/db",
            "actions",
        ])
        .output()
        .expect("run coroner");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("unsupported database URL `mysql://root:***@localhost/db`"),
        "{err}"
    );
}
