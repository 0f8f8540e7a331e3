//! The knowledge base over real corpus files: ingest feeds the index, updates
//! reach it at once, a stale or missing index is rebuilt, duplicates are flagged.

use std::path::{Path, PathBuf};

use super::*;
use crate::search::SearchRequest;
use crate::store::ActionStatus;

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents/seeds")
}

async fn open(dir: &Path) -> (KnowledgeBase, IndexStatus) {
    let url = format!("sqlite://{}", dir.join("kb.sqlite").display());
    let store = Store::connect(&url).await.unwrap();
    KnowledgeBase::with_store(store, &dir.join("index"))
        .await
        .unwrap()
}

fn slugs(kb: &KnowledgeBase, query: &str) -> Vec<String> {
    let res = kb
        .index()
        .search_incidents(&SearchRequest::new(query))
        .unwrap();
    res.hits.into_iter().map(|h| h.slug).collect()
}

#[tokio::test]
async fn ingest_feeds_the_index_and_flags_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let (kb, found) = open(dir.path()).await;
    assert_eq!(found, IndexStatus::Missing);
    let summary = kb
        .ingest(&[seeds()], &IngestOptions::default())
        .await
        .unwrap();
    assert_eq!(summary.created.len(), 5, "{summary}");
    assert!(kb.check().await.unwrap() == IndexStatus::Ready);
    let hits = slugs(&kb, "submodule");
    assert!(
        hits.first()
            .is_some_and(|s| s.starts_with("000") || s.starts_with("001")),
        "{hits:?}"
    );

    // Seeds 000 and 001 are two versions of one report: each names the other.
    let mut flagged = summary.duplicates_flagged.clone();
    flagged.sort();
    assert!(flagged.len() >= 2, "{flagged:?}");
    let findings = kb
        .store()
        .findings(Some("duplicate/near-duplicate"))
        .await
        .unwrap();
    let first = findings
        .iter()
        .find(|f| f.incident.starts_with("000"))
        .expect("000 flagged");
    assert!(first.message.contains("`001"), "{}", first.message);
    assert!(
        findings
            .iter()
            .any(|f| f.incident.starts_with("001") && f.message.contains("`000"))
    );

    // The check run apart (after a bulk import) restores a lost finding.
    let rule = "duplicate/near-duplicate";
    assert!(
        kb.store()
            .set_derived_findings(&first.incident, rule, &[])
            .await
            .unwrap()
    );
    assert_eq!(
        kb.refresh_duplicates().await.unwrap(),
        vec![first.incident.clone()]
    );

    // A second ingest changes nothing, in the store or the index.
    let again = kb
        .ingest(&[seeds()], &IngestOptions::default())
        .await
        .unwrap();
    assert_eq!((again.files(), again.unchanged), (5, 5));
    assert!(again.duplicates_flagged.is_empty());
    assert_eq!(kb.check().await.unwrap(), IndexStatus::Ready);
}

#[tokio::test]
async fn updates_reach_the_index_and_archived_incidents_leave_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("pm");
    std::fs::create_dir(&folder).unwrap();
    let mut copied = Vec::new();
    for prefix in ["002", "003"] {
        let from = std::fs::read_dir(seeds())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap();
        let to = folder.join(from.file_name().unwrap());
        std::fs::copy(&from, &to).unwrap();
        copied.push(to);
    }
    let (kb, _) = open(dir.path()).await;
    kb.ingest(std::slice::from_ref(&folder), &IngestOptions::default())
        .await
        .unwrap();

    let open_items = crate::store::ActionFilter {
        statuses: vec![ActionStatus::Open],
        ..Default::default()
    };
    let items = kb.store().list_actions(&open_items).await.unwrap().items;
    let item = items.first().expect("an action item");
    let done = |kb: &KnowledgeBase| {
        kb.index()
            .search_actions(&SearchRequest::new("status:done"))
            .unwrap()
            .hits
            .iter()
            .map(|h| h.id)
            .collect::<Vec<_>>()
    };
    assert!(!done(&kb).contains(&item.id));
    let changes = ActionChanges {
        status: Some(ActionStatus::Done),
        ..Default::default()
    };
    kb.update_action(item.id, &changes, Some(item.version), "alice", None)
        .await
        .unwrap();
    assert!(done(&kb).contains(&item.id), "status:done finds it at once");

    std::fs::remove_file(&copied[1]).unwrap();
    let summary = kb
        .ingest(&[folder], &IngestOptions::default())
        .await
        .unwrap();
    assert_eq!(summary.archived.len(), 1);
    assert_eq!(kb.check().await.unwrap(), IndexStatus::Ready);
    assert!(
        kb.index().similar(&summary.archived[0], 3).is_err(),
        "gone from the index"
    );
}

#[tokio::test]
async fn a_missing_or_stale_index_is_rebuilt_on_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (kb, _) = open(dir.path()).await;
        kb.ingest(&[seeds()], &IngestOptions::default())
            .await
            .unwrap();
        kb.store().close().await;
    }
    // Missing: the folder is deleted.
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let (kb, found) = open(dir.path()).await;
    assert_eq!(found, IndexStatus::Missing);
    assert_eq!(kb.check().await.unwrap(), IndexStatus::Ready);
    assert!(!slugs(&kb, "prepuller").is_empty());
    kb.store().close().await;
    drop(kb);

    // Stale: the schema version file says another version built it.
    let version = dir.path().join("index").join(crate::search::VERSION_FILE);
    std::fs::write(&version, r#"{"schema_version": 0, "coroner_version": "0"}"#).unwrap();
    let (kb, found) = open(dir.path()).await;
    assert!(matches!(found, IndexStatus::Stale { .. }), "{found:?}");
    assert_eq!(kb.check().await.unwrap(), IndexStatus::Ready);
    assert!(!slugs(&kb, "submodule").is_empty());
}

/// What ingest hands the index (documents in hand, items' tracking state from
/// the save) is what a rebuild reads back from the database — also after an
/// edit that carries items over with their tracking state changed meanwhile.
#[tokio::test]
async fn stored_documents_index_like_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("pm");
    std::fs::create_dir(&folder).unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents");
    let files = crate::input::collect_files(&[corpus]).unwrap();
    for (n, from) in files.iter().enumerate() {
        let name = from.file_name().unwrap().to_string_lossy().to_string();
        std::fs::copy(from, folder.join(format!("{n:03}-{name}"))).unwrap();
    }
    let (kb, _) = open(dir.path()).await;
    let store = kb.store();

    async fn compare(store: &Store, folder: &Path) -> usize {
        let (tx, mut rx) = tokio::sync::mpsc::channel(1000);
        let paths = [folder.to_path_buf()];
        let summary = ingest::ingest_paths_to(store, &paths, &IngestOptions::default(), Some(&tx))
            .await
            .unwrap();
        drop(tx);
        let mut stored = Vec::new();
        while let Some(batch) = rx.recv().await {
            stored.extend(batch);
        }
        let slugs: Vec<&str> = stored.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(slugs, summary.changed().collect::<Vec<_>>());
        let sources = store.index_sources_for(&slugs).await.unwrap();
        assert_eq!(sources.len(), stored.len());
        for doc in &stored {
            let source = sources.iter().find(|s| s.summary.slug == doc.slug).unwrap();
            assert_eq!(
                docs::stored_docs(doc),
                docs::index_docs(source),
                "{}",
                doc.slug
            );
        }
        stored.len()
    }

    assert_eq!(compare(store, &folder).await, files.len());
    let first = store.list_actions(&Default::default()).await.unwrap().items;
    let item = first.iter().find(|i| i.owner.is_none()).unwrap();
    let changes = crate::store::ActionChanges {
        status: Some(ActionStatus::InProgress),
        owner: Some(Some("alice".into())),
        ..Default::default()
    };
    store
        .update_action(item.id, &changes, Some(item.version), "alice", None)
        .await
        .unwrap();
    let incident = store.incident(&item.incident).await.unwrap();
    let path = Path::new(&incident.summary.source_path);
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, format!("{text}\n\nOne more line.\n")).unwrap();
    assert_eq!(compare(store, &folder).await, 1);
}
