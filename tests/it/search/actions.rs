//! Action items: realistic questions, filters and status changes.

use super::*;

fn action_hits(index: &SearchIndex, q: &str) -> Vec<coroner::search::ActionHit> {
    index
        .search_actions(&SearchRequest::new(q))
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .hits
}

#[test]
fn deployment_checklist_finds_the_datahub_action_items() {
    let hits = action_hits(shared(), "deployment checklist");
    let versions = [SEED_000, SEED_001, "2017-03-06-helm-config-image-mismatch"];
    assert!(!hits.is_empty());
    for hit in &hits {
        assert!(is_one_of(&hit.incident_slug, &versions), "{hit:?}");
        assert!(
            hit.text.text.to_lowercase().contains("checklist"),
            "{hit:?}"
        );
    }
    assert!(
        hits[0]
            .text
            .marked()
            .iter()
            .any(|m| m.eq_ignore_ascii_case("checklist"))
    );
}

#[test]
fn open_monitoring_action_items() {
    let hits = action_hits(shared(), "status:open monitoring");
    assert!(hits.len() >= 3, "{hits:?}");
    for hit in &hits {
        let about = format!(
            "{} {}",
            hit.text.text,
            hit.group.as_deref().unwrap_or_default()
        )
        .to_lowercase();
        assert_eq!(hit.status, "open");
        assert!(about.contains("monitor"), "{hit:?}");
    }
    assert!(
        hits.iter()
            .any(|h| h.text.text.contains("Setup hub monitoring")),
        "{hits:?}"
    );
}

#[test]
fn a_status_change_is_searchable_at_once() {
    let (_dir, index) = corpus_index();
    let first = action_hits(&index, "status:open monitoring").remove(0);
    let mut doc = corpus()
        .actions
        .iter()
        .find(|a| a.id == first.id)
        .cloned()
        .expect("the item");
    doc.status = "done".into();
    index.upsert_action(&doc).unwrap();
    index.commit().unwrap();
    assert!(
        action_hits(&index, "status:open monitoring")
            .iter()
            .all(|h| h.id != first.id)
    );
    let done = action_hits(&index, "status:done monitoring");
    assert!(done.iter().any(|h| h.id == first.id && h.status == "done"));
}
