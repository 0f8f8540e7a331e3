//! The index's life: updates visible after commit, removals, health checks
//! (missing, corrupt, stale), read-only opening and use from several threads.

use std::sync::Arc;

use super::*;
use crate::search::{IndexStatus, SearchError, VERSION_FILE};

#[test]
fn status_change_is_visible_right_after_commit() {
    let (_d, idx) = fixture();
    assert_eq!(action_ids(&idx, "status:open checklist"), [1]);
    let mut item = actions().remove(0);
    item.status = "done".into();
    item.owner = Some("Ada Lovelace".into());
    idx.upsert_action(&item).unwrap();
    assert_eq!(
        action_ids(&idx, "status:open checklist"),
        [1],
        "not before commit"
    );
    idx.commit().unwrap();
    assert!(action_ids(&idx, "status:open checklist").is_empty());
    assert_eq!(action_ids(&idx, "status:done checklist"), [1]);
    assert_eq!(action_ids(&idx, "owner:ada"), [1]);
    assert_eq!(action_ids(&idx, "owner:\"ada lovelace\""), [1]);
    assert_eq!(
        idx.counts().unwrap(),
        (3, 4),
        "an upsert replaces, never duplicates"
    );
}

#[test]
fn removing_an_incident_removes_its_action_items() {
    let (_d, idx) = fixture();
    idx.remove_incident("2017-03-06-helm").unwrap();
    idx.commit().unwrap();
    assert!(slugs(&idx, "submodule").is_empty());
    assert!(action_ids(&idx, "checklist").is_empty());
    assert_eq!(idx.counts().unwrap(), (2, 2));
}

#[test]
fn replacing_an_incident_replaces_its_action_items() {
    let (_d, idx) = fixture();
    let mut inc = incidents().remove(0);
    inc.root_cause = "A stale image tag.".into();
    let kept = action(
        2,
        "2017-03-06-helm",
        "Assert helm config matches the image",
        None,
        "done",
    );
    idx.replace_incident(&inc, &[kept]).unwrap();
    idx.remove_action(4).unwrap();
    idx.commit().unwrap();
    assert!(slugs(&idx, "root:submodule").is_empty());
    assert_eq!(slugs(&idx, "root:stale"), ["2017-03-06-helm"]);
    assert!(action_ids(&idx, "checklist").is_empty());
    assert_eq!(idx.counts().unwrap(), (3, 2));
}

#[test]
fn a_new_incident_is_added_without_deletes_and_replaced_later() {
    let (_d, idx) = fixture();
    let mut inc = incidents().remove(0);
    inc.slug = "2024-01-01-new".into();
    inc.root_cause = "A zebrafish in the pipeline.".into();
    let item = action(
        9,
        "2024-01-01-new",
        "Fence the zebrafish pond",
        None,
        "open",
    );
    idx.add_incident(&inc, std::slice::from_ref(&item)).unwrap();
    idx.commit().unwrap();
    assert_eq!(slugs(&idx, "root:zebrafish"), ["2024-01-01-new"]);
    assert_eq!(action_ids(&idx, "pond"), [9]);
    assert_eq!(idx.counts().unwrap(), (4, 5));
    // Replacing it afterwards leaves one copy of each, not two.
    inc.root_cause = "A heron in the pipeline.".into();
    idx.replace_incident(&inc, &[item]).unwrap();
    idx.commit().unwrap();
    assert!(slugs(&idx, "root:zebrafish").is_empty());
    assert_eq!(slugs(&idx, "root:heron"), ["2024-01-01-new"]);
    assert_eq!(idx.counts().unwrap(), (4, 5));
}

#[test]
fn check_reports_counts_out_of_step_with_the_database() {
    let (_d, idx) = fixture();
    assert_eq!(idx.check(3, 4), IndexStatus::Ready);
    let stale = idx.check(4, 4);
    assert!(
        matches!(&stale, IndexStatus::Stale { reason } if reason.contains("3 incidents")),
        "{stale:?}"
    );
}

#[test]
fn another_schema_version_is_stale_and_replaced() {
    let (dir, idx) = fixture();
    let path = idx.dir().to_path_buf();
    drop(idx);
    std::fs::write(
        path.join(VERSION_FILE),
        r#"{"schema_version":0,"coroner_version":"0.0.0"}"#,
    )
    .unwrap();
    assert!(matches!(
        SearchIndex::open_existing(&path),
        Err(SearchError::Corrupt { .. })
    ));
    let idx = SearchIndex::open(&path).unwrap();
    let status = idx.check(3, 4);
    assert!(
        matches!(&status, IndexStatus::Stale { reason } if reason.contains("schema version 0")),
        "{status:?}"
    );
    assert_eq!(idx.counts().unwrap(), (0, 0), "replaced by an empty index");
    idx.rebuild(incidents(), actions()).unwrap();
    assert_eq!(idx.check(3, 4), IndexStatus::Ready);
    drop(dir);
}

#[test]
fn damaged_files_are_detected_and_replaced() {
    let (_dir, idx) = fixture();
    let path = idx.dir().to_path_buf();
    drop(idx);
    std::fs::write(path.join("meta.json"), "{ not json").unwrap();
    let err = SearchIndex::open_existing(&path).unwrap_err();
    assert!(err.to_string().contains("coroner reindex"), "{err}");
    let idx = SearchIndex::open(&path).unwrap();
    assert!(matches!(idx.check(3, 4), IndexStatus::Corrupt { .. }));
    idx.rebuild(incidents(), actions()).unwrap();
    assert_eq!(slugs(&idx, "prepuller"), ["2018-01-26-slow"]);
}

#[test]
fn damaged_segment_files_fail_the_check() {
    let (_dir, idx) = fixture();
    let store = std::fs::read_dir(idx.dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .expect("a doc store file");
    let mut bytes = std::fs::read(&store).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&store, bytes).unwrap();
    assert_eq!(
        idx.check(3, 4),
        IndexStatus::Ready,
        "not read at every start"
    );
    assert!(matches!(idx.verify(3, 4), IndexStatus::Corrupt { .. }));
}

#[test]
fn missing_or_truncated_segment_files_are_found_at_open_and_replaced() {
    for damage in ["remove", "truncate"] {
        let (_dir, idx) = fixture();
        let path = idx.dir().to_path_buf();
        drop(idx);
        let postings = std::fs::read_dir(&path)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == "idx"))
            .expect("a postings file");
        match damage {
            "remove" => std::fs::remove_file(&postings).unwrap(),
            _ => std::fs::write(&postings, b"cut").unwrap(),
        }
        assert!(
            matches!(
                SearchIndex::open_existing(&path),
                Err(SearchError::Corrupt { .. })
            ),
            "{damage}"
        );
        let idx = SearchIndex::open(&path).unwrap();
        assert!(
            matches!(idx.check(3, 4), IndexStatus::Corrupt { .. }),
            "{damage}"
        );
        idx.rebuild(incidents(), actions()).unwrap();
        assert_eq!(idx.check(3, 4), IndexStatus::Ready);
        assert_eq!(slugs(&idx, "prepuller"), ["2018-01-26-slow"]);
    }
}

#[test]
fn missing_index_is_reported_not_created_by_open_existing() {
    let dir = tempfile::tempdir().unwrap();
    let path = SearchIndex::dir_in(dir.path());
    let err = SearchIndex::open_existing(&path).unwrap_err();
    assert!(err.to_string().contains("coroner ingest"), "{err}");
    assert!(!path.exists());
    let idx = SearchIndex::open(&path).unwrap();
    assert_eq!(idx.check(0, 0), IndexStatus::Missing);
}

#[test]
fn foreign_directories_are_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("thesis.tex"), "precious").unwrap();
    let err = SearchIndex::open(dir.path()).unwrap_err();
    assert!(matches!(err, SearchError::NotAnIndex { .. }));
    assert!(dir.path().join("thesis.tex").exists());
}

#[test]
fn searches_and_writes_from_several_threads() {
    let (_d, idx) = fixture();
    let idx = Arc::new(idx);
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let idx = Arc::clone(&idx);
            std::thread::spawn(move || {
                for _ in 0..20 {
                    assert_eq!(slugs(&idx, "prepuller"), ["2018-01-26-slow"]);
                }
            })
        })
        .collect();
    for id in 10..30 {
        idx.upsert_action(&action(id, "2019-05-01-leak", "Rotate keys", None, "open"))
            .unwrap();
        idx.commit().unwrap();
    }
    for r in readers {
        r.join().unwrap();
    }
    assert_eq!(action_ids(&idx, "rotate").len(), 20);
}

#[test]
fn slugs_are_keys_whatever_their_case() {
    let (_d, idx) = fixture();
    let mut inc = incidents().remove(2);
    inc.slug = "2019-05-01-LEAK".into();
    idx.upsert_incident(&inc).unwrap();
    idx.commit().unwrap();
    assert_eq!(idx.counts().unwrap(), (3, 4), "replaced, not duplicated");
    assert!(idx.similar("2019-05-01-Leak", 5).is_ok());
    idx.remove_incident("2019-05-01-LEAK").unwrap();
    idx.commit().unwrap();
    assert_eq!(idx.counts().unwrap(), (2, 3));
}

#[test]
fn similar_incidents_are_remembered_until_the_next_commit() {
    let (_dir, idx) = fixture();
    let slug = incidents()[0].slug.clone();
    let first = idx.similar(&slug, 3).unwrap();
    assert_eq!(idx.similar(&slug, 3).unwrap(), first, "the same answer");
    assert_eq!(idx.similar_cache.lock().unwrap().len(), 1, "computed once");

    // A near copy of the incident arrives: the next answer must include it.
    let mut copy = incidents()[0].clone();
    copy.slug = "copy-of-first".into();
    idx.upsert_incident(&copy).unwrap();
    idx.commit().unwrap();
    assert!(
        idx.similar_cache.lock().unwrap().is_empty(),
        "a commit forgets"
    );
    let after = idx.similar(&slug, 3).unwrap();
    assert_eq!(
        after.first().map(|s| s.slug.as_str()),
        Some("copy-of-first")
    );
}

/// A batch's memory of texts read gives each check the answer a check of its
/// own gives, also after a commit replaced a text it remembers (the new copy
/// is another document of another segment).
#[test]
fn near_duplicates_in_a_batch_match_those_checked_alone() {
    let (_dir, idx) = fixture();
    let mut copy = incidents()[0].clone();
    copy.slug = "copy-of-first".into();
    idx.upsert_incident(&copy).unwrap();
    idx.commit().unwrap();
    let slugs: Vec<String> = incidents().into_iter().map(|i| i.slug).collect();
    let mut memo = crate::search::DuplicateMemo::default();
    for slug in &slugs {
        let alone = idx.near_duplicates(slug).unwrap();
        assert_eq!(idx.near_duplicates_with(slug, &mut memo).unwrap(), alone);
    }
    let first = idx.near_duplicates_with(&slugs[0], &mut memo).unwrap();
    assert_eq!(
        first.iter().map(|d| d.slug.as_str()).collect::<Vec<_>>(),
        ["copy-of-first"]
    );
    // The copy is rewritten with other words: the memory must not answer for it.
    copy.full_text = "Nothing of the first incident's words are left in this text now.".into();
    copy.summary = "Another summary entirely, with no shared sequences.".into();
    copy.root_cause = String::new();
    copy.impact = String::new();
    idx.upsert_incident(&copy).unwrap();
    idx.commit().unwrap();
    let after = idx.near_duplicates_with(&slugs[0], &mut memo).unwrap();
    assert_eq!(after, idx.near_duplicates(&slugs[0]).unwrap());
    assert!(after.iter().all(|d| d.slug != "copy-of-first"), "{after:?}");
}

#[test]
fn section_counts_leave_replaced_copies_out() {
    let (_d, idx) = fixture();
    let inc = incidents().remove(0);
    // Replaced twice: two deleted copies of the document stay in the segments
    // until a merge, with the same words in the same sections.
    for _ in 0..2 {
        idx.upsert_incident(&inc).unwrap();
        idx.commit().unwrap();
    }
    let res = idx.search_incidents(&SearchRequest::new("helm")).unwrap();
    let sections = pairs(&res.facets.sections);
    assert_eq!(res.total, 2);
    assert!(
        sections.contains(&("summary", 2)) && sections.contains(&("full_text", 1)),
        "{sections:?}"
    );
    // A phrase's sections come from the ranking's own matches, segment by segment.
    let res = idx
        .search_incidents(&SearchRequest::new("\"helm upgrade\" OR \"helm chart\""))
        .unwrap();
    assert_eq!(res.total, 1);
    assert_eq!(
        pairs(&res.facets.sections),
        [("summary", 1), ("full_text", 1)]
    );
}

#[test]
fn incident_scores_do_not_depend_on_action_items() {
    let (_d, idx) = fixture();
    let score = |idx: &SearchIndex| {
        idx.search_incidents(&SearchRequest::new("hub slow"))
            .unwrap()
            .hits[0]
            .score
    };
    let before = score(&idx);
    for id in 10..40 {
        let item = action(id, "2019-05-01-leak", "Rotate the hub keys", None, "open");
        idx.upsert_action(&item).unwrap();
    }
    idx.commit().unwrap();
    assert_eq!(
        score(&idx),
        before,
        "BM25 statistics are the incidents' (see `statistics`)"
    );
}
