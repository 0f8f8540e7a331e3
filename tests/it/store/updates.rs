//! Changing action items: history, stale updates, bad values, and concurrent writers.

use chrono::NaiveDate;
use coroner::store::{ActionChanges, ActionStatus, StoreError};

use super::{TestDb, doc_with, save};

const PATH: &str = "/kb/2019-02-25-k8s-api-server-down.md";

async fn first_item(db: &TestDb) -> i64 {
    save(
        &db.store,
        PATH,
        &doc_with(
            PATH,
            &["Add monitoring for the API server", "Write a runbook"],
        ),
    )
    .await;
    let page = db
        .store
        .list_actions(&Default::default())
        .await
        .expect("list");
    page.items[0].id
}

async fn changes_are_recorded_field_by_field(db: TestDb) {
    let id = first_item(&db).await;
    let store = &db.store;
    let v1 = store.action(id).await.expect("item");
    assert_eq!((v1.status, v1.version), (ActionStatus::Open, 1));
    let due = NaiveDate::from_ymd_opt(2019, 3, 15);
    let changes = ActionChanges {
        status: Some(ActionStatus::InProgress),
        owner: Some(Some("yuvi".into())),
        due: Some(due),
    };
    let v2 = store
        .update_action(id, &changes, Some(1), "alice", Some("picked up"))
        .await
        .expect("update");
    assert_eq!(
        (v2.status, v2.owner.as_deref(), v2.due, v2.version),
        (ActionStatus::InProgress, Some("yuvi"), due, 2)
    );
    assert!(v2.updated_at >= v1.updated_at && v2.closed_at.is_none());

    let history = store.action_history(id).await.expect("history");
    let rows: Vec<_> = history
        .iter()
        .skip(1)
        .map(|h| {
            (
                h.field.as_str(),
                h.old_value.as_deref(),
                h.new_value.as_deref(),
                h.who.as_str(),
                h.note.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "status",
                Some("open"),
                Some("in_progress"),
                "alice",
                Some("picked up")
            ),
            ("owner", None, Some("yuvi"), "alice", Some("picked up")),
            ("due", None, Some("2019-03-15"), "alice", Some("picked up")),
        ]
    );

    // Closing sets closed_at; a note alone is a history row and no new version.
    let done = ActionChanges {
        status: Some(ActionStatus::Done),
        owner: Some(None),
        ..Default::default()
    };
    let v3 = store
        .update_action(id, &done, Some(2), "bob", None)
        .await
        .expect("close");
    assert!(v3.closed_at.is_some() && v3.owner.is_none());
    let v3b = store
        .update_action(
            id,
            &ActionChanges::default(),
            None,
            "bob",
            Some("verified in prod"),
        )
        .await
        .expect("note");
    assert_eq!(v3b.version, v3.version);
    let last = store
        .action_history(id)
        .await
        .expect("history")
        .pop()
        .expect("row");
    assert_eq!(
        (last.field.as_str(), last.note.as_deref()),
        ("note", Some("verified in prod"))
    );
    // Setting the same values again changes nothing.
    let same = store
        .update_action(id, &done, None, "bob", None)
        .await
        .expect("same");
    assert_eq!(same, v3b);
}

async fn bad_updates_change_nothing(db: TestDb) {
    let id = first_item(&db).await;
    let store = &db.store;
    let before = store.action(id).await.expect("item");
    let history = store.action_history(id).await.expect("history");

    let stale = ActionChanges {
        status: Some(ActionStatus::Done),
        ..Default::default()
    };
    store
        .update_action(id, &stale, Some(1), "a", None)
        .await
        .expect("first writer");
    let after_first = store.action(id).await.expect("item");
    let err = store
        .update_action(
            id,
            &ActionChanges {
                owner: Some(Some("x".into())),
                ..Default::default()
            },
            Some(1),
            "b",
            None,
        )
        .await
        .expect_err("an error");
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                actual: 2
            }
        ),
        "{err:?}"
    );
    assert_eq!(store.action(id).await.expect("item"), after_first);

    let removed = ActionChanges {
        status: Some(ActionStatus::Removed),
        ..Default::default()
    };
    assert!(matches!(
        store.update_action(id, &removed, None, "a", None).await,
        Err(StoreError::InvalidInput(_))
    ));
    assert!(matches!(
        store
            .update_action(id, &ActionChanges::default(), None, "a", None)
            .await,
        Err(StoreError::InvalidInput(_))
    ));
    let long_owner = ActionChanges {
        owner: Some(Some("x".repeat(500))),
        ..Default::default()
    };
    assert!(matches!(
        store.update_action(id, &long_owner, None, "a", None).await,
        Err(StoreError::InvalidInput(_))
    ));
    assert!(matches!(
        store.update_action(999_999, &stale, None, "a", None).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.action_history(999_999).await,
        Err(StoreError::NotFound(_))
    ));
    assert!("finished".parse::<ActionStatus>().is_err());

    assert_eq!(store.action(id).await.expect("item"), after_first);
    assert_eq!(
        store.action_history(id).await.expect("history").len(),
        history.len() + 1
    );
    assert_ne!(before, after_first);
}

/// Two clients change the same item at once, many times over: no write is
/// lost (both are in the history, in a consistent chain) and the final state
/// is one of the two changes, whole.
async fn concurrent_updates_lose_nothing(db: TestDb) {
    let id = first_item(&db).await;
    let store = &db.store;
    for round in 0..10 {
        let one = ActionChanges {
            status: Some(ActionStatus::InProgress),
            owner: Some(Some(format!("ann{round}"))),
            ..Default::default()
        };
        let two = ActionChanges {
            status: Some(ActionStatus::Done),
            owner: Some(Some(format!("ben{round}"))),
            ..Default::default()
        };
        let (s1, s2) = (store.clone(), store.clone());
        let (c1, c2) = (one.clone(), two.clone());
        let t1 = tokio::spawn(async move { s1.update_action(id, &c1, None, "ann", None).await });
        let t2 = tokio::spawn(async move { s2.update_action(id, &c2, None, "ben", None).await });
        let (r1, r2) = (
            t1.await.expect("task").expect("ann"),
            t2.await.expect("task").expect("ben"),
        );
        assert_ne!(r1.version, r2.version, "each write got its own version");
        let now = store.action(id).await.expect("item");
        let state = (now.status, now.owner.clone().unwrap_or_default());
        assert!(
            state == (ActionStatus::InProgress, format!("ann{round}"))
                || state == (ActionStatus::Done, format!("ben{round}")),
            "round {round}: final state is a mix: {state:?}"
        );
    }
    // The owner chain in the history links up: every change starts from the previous one.
    let history = store.action_history(id).await.expect("history");
    let owners: Vec<_> = history.iter().filter(|h| h.field == "owner").collect();
    assert_eq!(owners.len(), 20, "both writers of every round are recorded");
    for pair in owners.windows(2) {
        assert_eq!(
            pair[1].old_value, pair[0].new_value,
            "history chain is broken: {pair:?}"
        );
    }
    assert_eq!(
        store.action(id).await.expect("item").owner,
        owners.last().and_then(|h| h.new_value.clone())
    );
}

/// With a version, of two concurrent writers exactly one wins; the other gets a conflict.
async fn concurrent_stale_updates_conflict(db: TestDb) {
    let id = first_item(&db).await;
    let store = &db.store;
    let v = store.action(id).await.expect("item").version;
    let (s1, s2) = (store.clone(), store.clone());
    let t1 = tokio::spawn(async move {
        let c = ActionChanges {
            owner: Some(Some("ann".into())),
            ..Default::default()
        };
        s1.update_action(id, &c, Some(v), "ann", None).await
    });
    let t2 = tokio::spawn(async move {
        let c = ActionChanges {
            owner: Some(Some("ben".into())),
            ..Default::default()
        };
        s2.update_action(id, &c, Some(v), "ben", None).await
    });
    let results = [t1.await.expect("task"), t2.await.expect("task")];
    let wins = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::Conflict { .. })))
        .count();
    assert_eq!((wins, conflicts), (1, 1), "{results:?}");
    assert_eq!(store.action(id).await.expect("item").version, v + 1);
}

async fn history_is_append_only(db: TestDb) {
    use sqlx::Connection;
    let id = first_item(&db).await;
    let url = db.url.clone();
    let refused = |sql: &'static str| {
        let url = url.clone();
        async move {
            match db_kind(&url) {
                Kind::Sqlite => {
                    let mut c = sqlx::SqliteConnection::connect(&url)
                        .await
                        .expect("connect");
                    sqlx::query(sql).execute(&mut c).await.is_err()
                }
                Kind::Postgres => {
                    let mut c = sqlx::PgConnection::connect(&url).await.expect("connect");
                    sqlx::query(sql).execute(&mut c).await.is_err()
                }
            }
        }
    };
    assert!(refused("DELETE FROM action_item_history").await);
    assert!(refused("UPDATE action_item_history SET who = 'mallory'").await);
    assert!(refused("DELETE FROM action_items").await);
    assert!(db.store.action(id).await.is_ok());
    assert_eq!(
        db.store.action_history(id).await.expect("history")[0].who,
        "ingest"
    );
}

enum Kind {
    Sqlite,
    Postgres,
}

fn db_kind(url: &str) -> Kind {
    if url.starts_with("sqlite:") {
        Kind::Sqlite
    } else {
        Kind::Postgres
    }
}

on_both_backends!(
    changes_are_recorded_field_by_field,
    bad_updates_change_nothing,
    concurrent_updates_lose_nothing,
    concurrent_stale_updates_conflict,
    history_is_append_only,
);
