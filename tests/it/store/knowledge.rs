//! The knowledge base (store + search index) on both backends: ingest feeds the
//! index, near-duplicates are flagged on both sides, an update is searchable at
//! once, and a lost index is rebuilt from the database.

use coroner::ingest::IngestOptions;
use coroner::kb::KnowledgeBase;
use coroner::search::{IndexStatus, SearchRequest};
use coroner::store::{ActionChanges, ActionFilter, ActionStatus};

use super::TestDb;

async fn knowledge_base_follows_the_store(db: TestDb) {
    let seeds = db.corpus("seeds");
    let index_dir = db.dir.path().join("index");
    let (kb, found) = KnowledgeBase::with_store(db.store.clone(), &index_dir)
        .await
        .expect("open");
    assert_eq!(found, IndexStatus::Missing);
    let summary = kb
        .ingest(&[seeds], &IngestOptions::default())
        .await
        .expect("ingest");
    assert_eq!(summary.created.len(), 5);

    let stored = db
        .store
        .findings(Some("duplicate/near-duplicate"))
        .await
        .expect("ok");
    let names = |slug: &str| {
        stored
            .iter()
            .filter(|f| f.incident.starts_with(slug))
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
    };
    assert!(
        names("000").iter().any(|m| m.contains("`001")),
        "{stored:?}"
    );
    assert!(
        names("001").iter().any(|m| m.contains("`000")),
        "{stored:?}"
    );
    let incident = db.store.incident(&stored[0].incident).await.expect("store");
    assert!(
        incident
            .document
            .findings
            .iter()
            .any(|f| f.rule == "duplicate/near-duplicate"),
        "the stored document carries the finding too"
    );
    assert_eq!(
        incident.summary.finding_count as usize,
        incident.document.findings.len()
    );

    let open = ActionFilter {
        statuses: vec![ActionStatus::Open],
        incident: Some(stored[0].incident.clone()),
        ..Default::default()
    };
    let item = db
        .store
        .list_actions(&open)
        .await
        .expect("store")
        .items
        .remove(0);
    let done = ActionChanges {
        status: Some(ActionStatus::Done),
        ..Default::default()
    };
    kb.update_action(item.id, &done, Some(item.version), "bob", None)
        .await
        .expect("update");
    let hits = kb
        .index()
        .search_actions(&SearchRequest::new("status:done"))
        .expect("ok");
    assert!(hits.hits.iter().any(|h| h.id == item.id));
    drop(kb);

    std::fs::remove_dir_all(&index_dir).expect("ok");
    let (kb, found) = KnowledgeBase::with_store(db.store.clone(), &index_dir)
        .await
        .expect("reopen");
    assert_eq!(found, IndexStatus::Missing);
    assert_eq!(
        kb.check().await.expect("store"),
        IndexStatus::Ready,
        "rebuilt"
    );
    let hits = kb
        .index()
        .search_actions(&SearchRequest::new("status:done"))
        .expect("ok");
    assert!(
        hits.hits.iter().any(|h| h.id == item.id),
        "state comes from the database"
    );
}

on_both_backends!(knowledge_base_follows_the_store);
