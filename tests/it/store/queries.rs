//! Reading back: the stored document, incident and action lists with their
//! filters, dashboard counts, findings, and what changed in a time range.

use chrono::NaiveDate;
use coroner::model::{
    EntryKind, Finding, FrontMatter, Severity, TimelineEntry, TimelineSummary, TimezoneInfo,
};
use coroner::store::{ActionChanges, ActionFilter, ActionStatus, IncidentStatus};

use super::{TestDb, doc_with, save};

pub(super) fn rich_doc(
    path: &str,
    date: (i32, u32, u32),
    tags: &[&str],
    items: &[&str],
    findings: usize,
) -> coroner::model::Document {
    let mut doc = doc_with(path, items);
    doc.date = NaiveDate::from_ymd_opt(date.0, date.1, date.2);
    doc.front_matter = FrontMatter {
        fields: serde_json::json!({"title": "x", "tags": tags})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        end_line: 4,
    };
    let mut entry = TimelineEntry::new(7, "22:59", "helm upgrade", EntryKind::Heading);
    entry.local = doc.date.and_then(|d| d.and_hms_opt(22, 59, 0));
    entry.utc = Some(format!(
        "{}-{:02}-{:02}T06:59:00Z",
        date.0,
        date.1,
        date.2 + 1
    ));
    entry.zone = Some("America/Los_Angeles".into());
    doc.timeline = vec![
        entry,
        TimelineEntry::new(9, "23:27", "rollback", EntryKind::Heading),
    ];
    doc.timezone = Some(TimezoneInfo {
        label: "PST".into(),
        zone: "America/Los_Angeles".into(),
        line: Some(3),
    });
    doc.summary = Some(TimelineSummary {
        chronological: vec![0, 1],
        start: Some(format!(
            "{}-{:02}-{:02}T06:59:00Z",
            date.0,
            date.1,
            date.2 + 1
        )),
        end: Some(format!(
            "{}-{:02}-{:02}T07:27:00Z",
            date.0,
            date.1,
            date.2 + 1
        )),
        duration_minutes: Some(28),
    });
    doc.findings = (0..findings)
        .map(|n| Finding {
            rule: "timeline/out-of-order".into(),
            severity: if n == 0 {
                Severity::Warning
            } else {
                Severity::Error
            },
            line: Some(9),
            message: "23:21 is earlier than 21:31".into(),
            suggestion: Some("21:31 → 23:31?".into()),
        })
        .collect();
    doc
}

async fn stored_document_round_trips(db: TestDb) {
    let path = "/kb/2017-03-06-helm-config-image-mismatch.qmd";
    let doc = rich_doc(
        path,
        (2017, 3, 6),
        &["helm", "k8s"],
        &["Fix the helm config"],
        1,
    );
    save(&db.store, path, &doc).await;
    let incident = db
        .store
        .incident("2017-03-06-helm-config-image-mismatch")
        .await
        .expect("incident");
    assert_eq!(incident.document, doc);
    let s = &incident.summary;
    assert_eq!(
        (s.date, s.tags.clone(), s.finding_count, s.duration_minutes),
        (
            doc.date,
            vec!["helm".to_string(), "k8s".into()],
            1,
            Some(28)
        )
    );
    assert_eq!(
        s.started_at.map(|t| t.to_rfc3339()),
        Some("2017-03-07T06:59:00+00:00".into())
    );
    assert_eq!(
        (s.open_actions, s.total_actions, s.status),
        (1, 1, IncidentStatus::Active)
    );
    assert!(incident.raw_markdown.contains("Fix the helm config"));
    assert!(matches!(
        db.store.incident("nope").await,
        Err(coroner::store::StoreError::NotFound(_))
    ));
}

async fn changes_by_time_range(db: TestDb) {
    let store = &db.store;
    let t0 = chrono::Utc::now() - chrono::Duration::seconds(1);
    save(
        store,
        "/kb/a.md",
        &doc_with("/kb/a.md", &["Add monitoring"]),
    )
    .await;
    let t1 = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let id = store
        .list_actions(&ActionFilter::default())
        .await
        .expect("list")
        .items[0]
        .id;
    let close = ActionChanges {
        status: Some(ActionStatus::Done),
        ..Default::default()
    };
    store
        .update_action(id, &close, None, "ann", None)
        .await
        .expect("close");
    save(
        store,
        "/kb/a.md",
        &doc_with("/kb/a.md", &["Add monitoring", "More"]),
    )
    .await;
    let t2 = chrono::Utc::now() + chrono::Duration::seconds(1);

    let first = store.history_between(t0, t1).await.expect("history");
    assert_eq!(
        first
            .iter()
            .map(|h| h.new_value.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["open"]
    );
    let second = store.history_between(t1, t2).await.expect("history");
    let fields: Vec<_> = second
        .iter()
        .map(|h| (h.who.as_str(), h.new_value.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(fields, [("ann", "done"), ("ingest", "open")]);
    assert!(second.iter().all(|h| h.incident == "a"));

    let kinds = |events: Vec<coroner::store::IncidentEvent>| {
        events.into_iter().map(|e| e.kind).collect::<Vec<_>>()
    };
    assert_eq!(
        kinds(store.incident_events(t0, t1).await.expect("events")),
        ["created"]
    );
    assert_eq!(
        kinds(store.incident_events(t1, t2).await.expect("events")),
        ["updated"]
    );
}

on_both_backends!(stored_document_round_trips, changes_by_time_range);

/// `sqlite::memory:` works too (handy for handler tests): one connection, kept.
#[tokio::test]
async fn in_memory_sqlite() {
    let store = coroner::store::Store::connect("sqlite::memory:")
        .await
        .expect("connect");
    assert_eq!(store.backend(), coroner::store::BackendKind::Sqlite);
    save(&store, "/kb/a.md", &doc_with("/kb/a.md", &["one", "two"])).await;
    let all = ActionFilter::default();
    let (a, b) = tokio::join!(store.incident("a"), store.list_actions(&all));
    assert_eq!(
        (a.expect("incident").actions.len(), b.expect("list").total),
        (2, 2)
    );
}
