//! Action items keep their identity and tracking state across edits
//! (hand-built documents; the corpus edits are in `ingest`).

use coroner::store::{ActionChanges, ActionRecord, ActionStatus, SaveOutcome, Store};

use super::{TestDb, doc_with, save};

const A: &str = "Admins should refamiliarize themselves with the deployment policy to check the staging hub before changes are merged to production.";
const B: &str =
    "Determine if there is a way to block merges to production if the staging hub is not online.";
const C: &str = "Determine if there is a way to contextualize the Travis CI interface so that it is obvious which deployment is being managed.";
const D: &str = "Write a runbook for downgrading the helm chart.";
const PATH: &str = "/kb/2018-01-25-helm-chart-upgrade.md";
const SLUG: &str = "2018-01-25-helm-chart-upgrade";

async fn actions(store: &Store) -> Vec<ActionRecord> {
    store.incident(SLUG).await.expect("incident").actions
}

fn by_text<'a>(items: &'a [ActionRecord], text: &str) -> &'a ActionRecord {
    items
        .iter()
        .find(|a| a.text == text)
        .unwrap_or_else(|| panic!("no item {text:?}"))
}

async fn set(store: &Store, id: i64, status: Option<ActionStatus>, owner: Option<&str>) {
    let changes = ActionChanges {
        status,
        owner: owner.map(|o| Some(o.to_string())),
        due: None,
    };
    store
        .update_action(id, &changes, None, "alice", None)
        .await
        .expect("update");
}

async fn reword_reorder_add_remove(db: TestDb) {
    let store = &db.store;
    let saved = save(store, PATH, &doc_with(PATH, &[A, B, C, D])).await;
    assert_eq!(
        (saved.slug.as_str(), saved.outcome),
        (SLUG, SaveOutcome::Created)
    );
    assert_eq!(saved.items.added, 4);
    let before = actions(store).await;
    let (a, b, c, d) = (
        by_text(&before, A).id,
        by_text(&before, B).id,
        by_text(&before, C).id,
        by_text(&before, D).id,
    );
    set(store, a, Some(ActionStatus::InProgress), Some("bob")).await;
    set(store, b, Some(ActionStatus::Done), None).await;
    let due = chrono::NaiveDate::from_ymd_opt(2018, 3, 1);
    store
        .update_action(
            c,
            &ActionChanges {
                due: Some(due),
                ..Default::default()
            },
            None,
            "carol",
            Some("by March"),
        )
        .await
        .expect("due");

    // Reorder (C first), reword B, add X, remove D.
    let b2 = "Determine whether there is a way to block merges to production when the staging hub is offline.";
    let x = "Page the on-call engineer when the production hub is down.";
    let saved = save(store, PATH, &doc_with(PATH, &[C, A, x, b2])).await;
    assert_eq!(saved.outcome, SaveOutcome::Updated);
    assert_eq!(
        (saved.items.added, saved.items.reworded, saved.items.removed),
        (1, 1, 1)
    );

    let after = actions(store).await;
    let a_now = by_text(&after, A);
    assert_eq!(
        (
            a_now.id,
            a_now.status,
            a_now.owner.as_deref(),
            a_now.position
        ),
        (a, ActionStatus::InProgress, Some("bob"), 1)
    );
    let b_now = by_text(&after, b2);
    assert_eq!(
        (b_now.id, b_now.status, b_now.position),
        (b, ActionStatus::Done, 3)
    );
    assert!(b_now.closed_at.is_some());
    let c_now = by_text(&after, C);
    assert_eq!((c_now.id, c_now.due, c_now.position), (c, due, 0));
    let x_now = by_text(&after, x);
    assert!(![a, b, c, d].contains(&x_now.id));
    assert_eq!(x_now.status, ActionStatus::Open);
    let d_now = by_text(&after, D);
    assert_eq!((d_now.id, d_now.status), (d, ActionStatus::Removed));
    assert_eq!(
        after.last().map(|r| r.id),
        Some(d),
        "removed items are listed last"
    );

    let b_history = store.action_history(b).await.expect("history");
    let text_change = b_history
        .iter()
        .find(|h| h.field == "text")
        .expect("text change recorded");
    assert_eq!(
        (
            text_change.old_value.as_deref(),
            text_change.new_value.as_deref()
        ),
        (Some(B), Some(b2))
    );
    assert_eq!(text_change.who, "ingest");
    let d_history = store.action_history(d).await.expect("history");
    let last = d_history.last().expect("rows");
    assert_eq!(
        (
            last.field.as_str(),
            last.old_value.as_deref(),
            last.new_value.as_deref()
        ),
        ("status", Some("open"), Some("removed"))
    );
    assert!(
        last.note.as_deref().unwrap_or("").contains(PATH),
        "{last:?}"
    );
}

async fn removed_item_comes_back_with_its_status(db: TestDb) {
    let store = &db.store;
    save(store, PATH, &doc_with(PATH, &[A, B])).await;
    let b = by_text(&actions(store).await, B).id;
    set(store, b, Some(ActionStatus::WontDo), Some("dana")).await;
    let saved = save(store, PATH, &doc_with(PATH, &[A])).await;
    assert_eq!(saved.items.removed, 1);
    assert_eq!(
        store.action(b).await.expect("b").status,
        ActionStatus::Removed
    );
    // The removed item is not listed among the incident's live items.
    let listed = store.list_actions(&Default::default()).await.expect("list");
    assert!(listed.items.iter().all(|r| r.id != b));

    let saved = save(store, PATH, &doc_with(PATH, &[A, C, B])).await;
    assert_eq!((saved.items.restored, saved.items.added), (1, 1));
    let back = store.action(b).await.expect("b");
    assert_eq!(
        (back.status, back.owner.as_deref(), back.position),
        (ActionStatus::WontDo, Some("dana"), 2)
    );
    let history: Vec<_> = store
        .action_history(b)
        .await
        .expect("history")
        .into_iter()
        .map(|h| (h.field, h.new_value))
        .collect();
    let statuses: Vec<_> = history
        .iter()
        .filter(|(f, _)| f == "status")
        .map(|(_, v)| v.clone().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["open", "wont_do", "removed", "wont_do"]);
}

async fn rewritten_in_place_keeps_identity(db: TestDb) {
    let store = &db.store;
    save(store, PATH, &doc_with(PATH, &[A, B, C])).await;
    let b = by_text(&actions(store).await, B).id;
    set(store, b, None, Some("erin")).await;
    let rewritten = "Protect the prod branch behind a passing staging check";
    save(store, PATH, &doc_with(PATH, &[A, rewritten, C])).await;
    let now = by_text(&actions(store).await, rewritten).clone();
    assert_eq!((now.id, now.owner.as_deref()), (b, Some("erin")));
}

async fn done_marker_counts_when_first_seen(db: TestDb) {
    let store = &db.store;
    let mut doc = doc_with(PATH, &[A, B, C]);
    doc.action_items[0].done = true;
    let saved = save(store, PATH, &doc).await;
    assert_eq!(saved.items.added, 3);
    let items = actions(store).await;
    let a = by_text(&items, A);
    assert_eq!(a.status, ActionStatus::Done);
    assert!(a.done_marker && a.closed_at.is_some());
    assert_eq!(by_text(&items, B).status, ActionStatus::Open);

    // The database is the source of truth: someone reopens A; the marker stays.
    set(store, a.id, Some(ActionStatus::Open), None).await;
    doc.action_items[2].done = true; // C newly marked done in the markdown
    doc.title = Some("edited".into());
    let saved = save(store, PATH, &doc).await;
    assert_eq!(saved.items.marked_done, 1);
    let items = actions(store).await;
    assert_eq!(by_text(&items, A).status, ActionStatus::Open);
    assert_eq!(by_text(&items, C).status, ActionStatus::Done);

    // Dropping the marker does not reopen what was closed.
    doc.action_items[2].done = false;
    save(store, PATH, &doc).await;
    assert_eq!(by_text(&actions(store).await, C).status, ActionStatus::Done);
}

async fn saving_the_same_document_changes_nothing(db: TestDb) {
    let store = &db.store;
    let doc = doc_with(PATH, &[A, B]);
    save(store, PATH, &doc).await;
    let before = actions(store).await;
    let (from, to) = super::all_time();
    let history_before = store.history_between(from, to).await.expect("history");
    let saved = save(store, PATH, &doc).await;
    assert_eq!(saved.outcome, SaveOutcome::Unchanged);
    assert_eq!(actions(store).await, before);
    assert_eq!(
        store.history_between(from, to).await.expect("history"),
        history_before
    );
    assert_eq!(history_before.len(), 2, "one creation row per item");
    let first = &history_before[0];
    assert_eq!(
        (
            first.field.as_str(),
            first.old_value.as_deref(),
            first.new_value.as_deref()
        ),
        ("status", None, Some("open"))
    );
    assert_eq!(
        first.note.as_deref(),
        Some(format!("first seen at {PATH}:10").as_str())
    );
}

on_both_backends!(
    reword_reorder_add_remove,
    removed_item_comes_back_with_its_status,
    rewritten_in_place_keeps_identity,
    done_marker_counts_when_first_seen,
    saving_the_same_document_changes_nothing,
);
