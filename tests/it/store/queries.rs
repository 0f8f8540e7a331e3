//! Reading back: the stored document, incident and action lists with their
//! filters, dashboard counts, findings, and what changed in a time range.

use chrono::NaiveDate;
use coroner::model::{
    EntryKind, Finding, FrontMatter, Severity, TimelineEntry, TimelineSummary, TimezoneInfo,
};
use coroner::store::{
    ActionChanges, ActionFilter, ActionStatus, IncidentFilter, IncidentSort, IncidentStatus,
};

use super::{TestDb, doc_with, save};

fn rich_doc(
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

async fn incident_filters_sort_and_page(db: TestDb) {
    let store = &db.store;
    save(
        store,
        "/kb/a-2017.md",
        &rich_doc("/kb/a-2017.md", (2017, 3, 6), &["helm"], &["one"], 2),
    )
    .await;
    save(
        store,
        "/kb/b-2018.md",
        &rich_doc(
            "/kb/b-2018.md",
            (2018, 1, 25),
            &["helm", "travis"],
            &["two", "three"],
            0,
        ),
    )
    .await;
    save(
        store,
        "/kb/c-2019_100%.md",
        &rich_doc("/kb/c-2019_100%.md", (2019, 2, 25), &[], &[], 1),
    )
    .await;
    let slugs = |page: coroner::store::Page<coroner::store::IncidentSummary>| {
        page.items.into_iter().map(|i| i.slug).collect::<Vec<_>>()
    };

    let all = store
        .list_incidents(&IncidentFilter::default())
        .await
        .expect("list");
    assert_eq!(
        (all.total, slugs(all)),
        (
            3,
            vec!["c-2019-100".to_string(), "b-2018".into(), "a-2017".into()]
        )
    );
    let f = |f: IncidentFilter| async move { slugs(store.list_incidents(&f).await.expect("list")) };
    assert_eq!(
        f(IncidentFilter {
            year: Some(2018),
            ..Default::default()
        })
        .await,
        ["b-2018"]
    );
    assert_eq!(
        f(IncidentFilter {
            tag: Some("helm".into()),
            sort: IncidentSort::DateAsc,
            ..Default::default()
        })
        .await,
        ["a-2017", "b-2018"]
    );
    assert_eq!(
        f(IncidentFilter {
            has_findings: Some(false),
            ..Default::default()
        })
        .await,
        ["b-2018"]
    );
    assert_eq!(
        f(IncidentFilter {
            sort: IncidentSort::Findings,
            limit: Some(1),
            ..Default::default()
        })
        .await,
        ["a-2017"]
    );
    assert_eq!(
        f(IncidentFilter {
            limit: Some(1),
            offset: 1,
            ..Default::default()
        })
        .await,
        ["b-2018"]
    );
    assert_eq!(
        f(IncidentFilter {
            offset: 2,
            ..Default::default()
        })
        .await,
        ["a-2017"]
    );
    // LIKE wildcards in the search text are literal.
    assert_eq!(
        f(IncidentFilter {
            text: Some("100%".into()),
            ..Default::default()
        })
        .await,
        ["c-2019-100"]
    );
    assert_eq!(
        f(IncidentFilter {
            text: Some("_".into()),
            ..Default::default()
        })
        .await,
        ["c-2019-100"]
    );
    assert_eq!(
        f(IncidentFilter {
            text: Some("B-2018".into()),
            ..Default::default()
        })
        .await,
        ["b-2018"]
    );
    let page = store
        .list_incidents(&IncidentFilter {
            limit: Some(1),
            ..Default::default()
        })
        .await
        .expect("page");
    assert_eq!((page.items.len(), page.total), (1, 3));

    assert!(store.archive_incident("a-2017").await.expect("archive"));
    assert!(!store.archive_incident("a-2017").await.expect("again"));
    assert_eq!(f(IncidentFilter::default()).await, ["c-2019-100", "b-2018"]);
    assert_eq!(
        f(IncidentFilter {
            status: Some(IncidentStatus::Archived),
            ..Default::default()
        })
        .await,
        ["a-2017"]
    );
    assert_eq!(
        f(IncidentFilter {
            status: None,
            ..Default::default()
        })
        .await
        .len(),
        3
    );
    assert!(store.restore_incident("a-2017").await.expect("restore"));
}

async fn action_filters_and_counts(db: TestDb) {
    let store = &db.store;
    save(
        store,
        "/kb/a.md",
        &rich_doc(
            "/kb/a.md",
            (2017, 3, 6),
            &[],
            &["Add monitoring", "Write docs"],
            2,
        ),
    )
    .await;
    save(
        store,
        "/kb/b.md",
        &rich_doc(
            "/kb/b.md",
            (2018, 1, 25),
            &[],
            &["Block merges", "Fix CI"],
            1,
        ),
    )
    .await;
    let all = store
        .list_actions(&ActionFilter::default())
        .await
        .expect("list");
    assert_eq!(all.total, 4);
    let id = |text: &str| {
        all.items
            .iter()
            .find(|a| a.text == text)
            .map(|a| a.id)
            .expect("item")
    };
    let due = |y, m, d| ActionChanges {
        owner: Some(Some("Yuvi".into())),
        due: Some(NaiveDate::from_ymd_opt(y, m, d)),
        ..Default::default()
    };
    store
        .update_action(id("Add monitoring"), &due(2020, 1, 1), None, "t", None)
        .await
        .expect("u");
    store
        .update_action(id("Fix CI"), &due(2030, 1, 1), None, "t", None)
        .await
        .expect("u");
    let done = ActionChanges {
        status: Some(ActionStatus::Done),
        due: Some(NaiveDate::from_ymd_opt(2019, 1, 1)),
        ..Default::default()
    };
    store
        .update_action(id("Block merges"), &done, None, "t", None)
        .await
        .expect("u");

    let texts = |f: ActionFilter| async move {
        store
            .list_actions(&f)
            .await
            .expect("list")
            .items
            .into_iter()
            .map(|a| a.text)
            .collect::<Vec<_>>()
    };
    let today = NaiveDate::from_ymd_opt(2024, 6, 1);
    assert_eq!(
        texts(ActionFilter {
            overdue_on: today,
            ..Default::default()
        })
        .await,
        ["Add monitoring"]
    );
    assert_eq!(
        texts(ActionFilter {
            owner: Some("yuvi".into()),
            ..Default::default()
        })
        .await,
        ["Fix CI", "Add monitoring"]
    );
    assert_eq!(
        texts(ActionFilter {
            statuses: vec![ActionStatus::Done],
            ..Default::default()
        })
        .await,
        ["Block merges"]
    );
    assert_eq!(
        texts(ActionFilter {
            statuses: vec![ActionStatus::Open, ActionStatus::Done],
            incident: Some("a".into()),
            ..Default::default()
        })
        .await,
        ["Add monitoring", "Write docs"]
    );
    assert_eq!(
        texts(ActionFilter {
            incident: Some("zzz".into()),
            ..Default::default()
        })
        .await,
        Vec::<String>::new()
    );

    let counts = store.counts(today.expect("date")).await.expect("counts");
    assert_eq!(
        (
            counts.incidents,
            counts.actions_open,
            counts.actions_done,
            counts.actions_overdue
        ),
        (2, 3, 1, 1)
    );
    assert_eq!(
        (
            counts.findings,
            counts.findings_warning,
            counts.findings_error
        ),
        (3, 2, 1)
    );
    store.archive_incident("a").await.expect("archive");
    assert_eq!(
        texts(ActionFilter::default()).await,
        ["Block merges", "Fix CI"]
    );
    assert_eq!(
        texts(ActionFilter {
            include_archived: true,
            ..Default::default()
        })
        .await
        .len(),
        4
    );
    let counts = store.counts(today.expect("date")).await.expect("counts");
    assert_eq!(
        (
            counts.incidents,
            counts.archived_incidents,
            counts.actions_overdue,
            counts.findings
        ),
        (1, 1, 0, 1)
    );

    let findings = store.findings(None).await.expect("findings");
    assert_eq!(findings.len(), 1);
    assert_eq!(
        (findings[0].incident.as_str(), findings[0].line),
        ("b", Some(9))
    );
    assert!(
        store
            .findings(Some("structure/raw-html"))
            .await
            .expect("findings")
            .is_empty()
    );
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

on_both_backends!(
    stored_document_round_trips,
    incident_filters_sort_and_page,
    action_filters_and_counts,
    changes_by_time_range,
);
