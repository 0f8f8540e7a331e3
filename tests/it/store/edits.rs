//! Real edits of shipped post-mortems, re-ingested: every action item keeps
//! its id, status, owner, due date and history (see docs/tracking.md).

use std::path::Path;

use chrono::NaiveDate;
use coroner::store::{ActionChanges, ActionRecord, ActionStatus, Store};

use super::TestDb;

const OUTAGE: &str = "2017-02-09-datahub-db-outage";
const BACKUPS: &str = "Perform regular and tested backups of the database";
const FAQ: &str = "Start writing an operational FAQ for things to do and not do";
const MONITORING: &str = "Setup better monitoring and paging systems";
const ESCALATION: &str = "Document escalation procedures explicitly";
const CLOUD_SQL: &str =
    "Switch to using Google Cloud SQL, which provides hosted and managed MySQL database";

fn edit(path: &Path, edits: &[(&str, &str)]) {
    let mut text = std::fs::read_to_string(path).expect("read");
    for (from, to) in edits {
        assert!(
            text.contains(from),
            "{} does not contain {from:?}",
            path.display()
        );
        text = text.replacen(from, to, 1);
    }
    std::fs::write(path, text).expect("write");
}

async fn items(store: &Store, slug: &str) -> Vec<ActionRecord> {
    store.incident(slug).await.expect("incident").actions
}

fn find<'a>(items: &'a [ActionRecord], start: &str) -> &'a ActionRecord {
    items
        .iter()
        .find(|a| a.text.starts_with(start))
        .unwrap_or_else(|| panic!("no item {start:?} in {items:#?}"))
}

async fn track(
    store: &Store,
    id: i64,
    status: Option<ActionStatus>,
    owner: Option<&str>,
    due: Option<NaiveDate>,
) {
    let changes = ActionChanges {
        status,
        owner: owner.map(|o| Some(o.to_string())),
        due: due.map(Some),
    };
    store
        .update_action(id, &changes, None, "alice", Some("triage"))
        .await
        .expect("update");
}

async fn edited_corpus_file_keeps_tracking_state(db: TestDb) {
    let folder = db.corpus("berkeley-dsep-infra__datahub");
    let file = folder.join(format!("{OUTAGE}.qmd"));
    db.ingest(std::slice::from_ref(&folder)).await;
    let store = &db.store;
    let before = items(store, OUTAGE).await;
    assert_eq!(before.len(), 9, "{before:#?}");
    let due = NaiveDate::from_ymd_opt(2017, 3, 1);
    let (backups, faq, monitoring, escalation, cloud_sql) = (
        find(&before, BACKUPS).id,
        find(&before, FAQ).id,
        find(&before, MONITORING).id,
        find(&before, ESCALATION).id,
        find(&before, CLOUD_SQL).id,
    );
    track(
        store,
        backups,
        Some(ActionStatus::InProgress),
        Some("yuvi"),
        due,
    )
    .await;
    track(store, faq, None, Some("felder"), None).await;
    track(store, monitoring, None, Some("ryan"), None).await;
    track(store, escalation, Some(ActionStatus::Done), None, None).await;
    track(store, cloud_sql, Some(ActionStatus::WontDo), None, None).await;

    // Reword one item, rewrite one in place, swap two, remove one, add one.
    edit(
        &file,
        &[
            (&format!("1. {CLOUD_SQL}\n"), ""),
            (
                &format!("2. {BACKUPS}"),
                "1. Perform regular, tested backups of the hub database",
            ),
            (
                &format!("3. {FAQ}"),
                "2. Keep a runbook of dos and don'ts for operators",
            ),
            (
                &format!("4. {MONITORING}\n5. {ESCALATION}"),
                &format!(
                    "3. {ESCALATION}\n4. {MONITORING}\n5. Add an alert when the hub database is unreachable"
                ),
            ),
        ],
    );
    let summary = db.ingest(std::slice::from_ref(&folder)).await;
    assert_eq!(summary.updated, [OUTAGE], "{summary}");
    assert_eq!(
        (
            summary.items.added,
            summary.items.removed,
            summary.items.reworded
        ),
        (1, 1, 2),
        "{summary:?}"
    );

    let after = items(store, OUTAGE).await;
    let b = find(&after, "Perform regular, tested backups");
    assert_eq!(
        (b.id, b.status, b.owner.as_deref(), b.due),
        (backups, ActionStatus::InProgress, Some("yuvi"), due)
    );
    let f = find(&after, "Keep a runbook");
    assert_eq!((f.id, f.owner.as_deref()), (faq, Some("felder")));
    let m = find(&after, MONITORING);
    assert_eq!((m.id, m.owner.as_deref()), (monitoring, Some("ryan")));
    let e = find(&after, ESCALATION);
    assert_eq!((e.id, e.status), (escalation, ActionStatus::Done));
    assert!(
        e.position < m.position,
        "the swap is reflected in the order"
    );
    let new = find(&after, "Add an alert");
    assert!(before.iter().all(|a| a.id != new.id) && new.status == ActionStatus::Open);
    let gone = find(&after, CLOUD_SQL);
    assert_eq!((gone.id, gone.status), (cloud_sql, ActionStatus::Removed));
    let history = store.action_history(backups).await.expect("history");
    let fields: Vec<_> = history.iter().map(|h| h.field.as_str()).collect();
    assert_eq!(fields, ["status", "status", "owner", "due", "text"]);

    // The removed item comes back: it regains its status.
    edit(
        &file,
        &[(
            "### DataHub deployment changes ###\n",
            &format!("### DataHub deployment changes ###\n1. {CLOUD_SQL}\n"),
        )],
    );
    let summary = db.ingest(std::slice::from_ref(&folder)).await;
    assert_eq!(summary.items.restored, 1, "{summary:?}");
    let back = items(store, OUTAGE).await;
    assert_eq!(find(&back, CLOUD_SQL).status, ActionStatus::WontDo);
    assert_eq!(
        back.iter()
            .filter(|a| a.status != ActionStatus::Removed)
            .count(),
        10
    );

    // And ingesting again is a no-op.
    let again = db.ingest(&[folder]).await;
    assert!(again.changed().next().is_none(), "{again}");
}

async fn reordered_bullets_keep_their_ids(db: TestDb) {
    let folder = db.corpus("dfds__postmortems");
    let file = folder.join("PM2021-011 - Log4Shell.md");
    let slug = "pm2021-011-log4shell";
    db.ingest(std::slice::from_ref(&file)).await;
    let before = items(&db.store, slug).await;
    assert_eq!(before.len(), 6, "{before:#?}");
    for (n, item) in before.iter().enumerate() {
        track(&db.store, item.id, None, Some(&format!("owner{n}")), None).await;
    }
    // Reverse the list and reword its first item.
    let text = std::fs::read_to_string(&file).expect("read");
    let start = text.find("## Action Items\n\n").expect("section") + "## Action Items\n\n".len();
    let end = start + text[start..].find("\n\n").expect("end of list");
    let mut lines: Vec<&str> = text[start..end].lines().collect();
    lines.reverse();
    let list = lines.join("\n").replace(
        "Teach the teams how to scan",
        "Teach every team how to scan",
    );
    std::fs::write(&file, format!("{}{list}{}", &text[..start], &text[end..])).expect("write");

    let summary = db.ingest(std::slice::from_ref(&file)).await;
    assert_eq!(
        (
            summary.updated.len(),
            summary.items.added,
            summary.items.removed,
            summary.items.reworded
        ),
        (1, 0, 0, 1)
    );
    let after = items(&db.store, slug).await;
    for (n, old) in before.iter().enumerate() {
        let now = after.iter().find(|a| a.id == old.id).expect("same id");
        assert_eq!(now.owner, Some(format!("owner{n}")));
        assert_eq!(now.position, 5 - old.position, "{}", now.text);
    }
}

on_both_backends!(
    edited_corpus_file_keeps_tracking_state,
    reordered_bullets_keep_their_ids
);
