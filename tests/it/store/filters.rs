//! Incident and action-item lists: filters, sorting, paging, dashboard counts.

use chrono::NaiveDate;
use coroner::store::{
    ActionChanges, ActionFilter, ActionStatus, IncidentFilter, IncidentSort, IncidentStatus,
};

use super::TestDb;
use super::queries::rich_doc;
use super::save;

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

on_both_backends!(incident_filters_sort_and_page, action_filters_and_counts);
