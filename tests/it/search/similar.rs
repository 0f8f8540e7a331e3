//! Similar incidents and near-duplicates over the shipped corpus.

use super::*;

fn similar(slug: &str, n: usize) -> Vec<String> {
    shared()
        .similar(&slug_of(slug), n)
        .expect("similar")
        .into_iter()
        .map(|s| s.slug)
        .collect()
}

#[test]
fn similar_incidents_find_other_versions_of_the_same_report() {
    let versions = [SEED_000, SEED_001, "2017-03-06-helm-config-image-mismatch"];
    for seed in [SEED_000, SEED_001] {
        let top = similar(seed, 2);
        assert!(
            top.iter().all(|s| is_one_of(s, &versions)),
            "{seed}: {top:?}"
        );
    }
    let near: Vec<String> = shared()
        .near_duplicates(&slug_of(SEED_000))
        .unwrap()
        .into_iter()
        .map(|s| s.slug)
        .collect();
    assert!(near.iter().any(|s| *s == slug_of(SEED_001)), "{near:?}");
}

#[test]
fn similar_incidents_relate_the_two_helm_v06_incidents() {
    let slow = [SEED_004, "2018-01-26-hub-slow-startup"];
    let merge = [SEED_002, HELM_UPGRADE];
    let from_002 = similar(SEED_002, 3);
    assert_eq!(from_002[0], slug_of(HELM_UPGRADE));
    assert!(from_002.iter().any(|s| is_one_of(s, &slow)), "{from_002:?}");
    let from_004 = similar(SEED_004, 3);
    assert!(
        from_004.iter().any(|s| is_one_of(s, &merge)),
        "{from_004:?}"
    );
    // Related, not duplicates.
    let near = shared().near_duplicates(&slug_of(SEED_002)).unwrap();
    assert!(near.iter().all(|s| !is_one_of(&s.slug, &slow)), "{near:?}");
    assert!(near.iter().any(|s| s.slug == slug_of(HELM_UPGRADE)));
}

#[test]
fn near_duplicates_become_findings() {
    let findings = shared()
        .near_duplicate_findings(&slug_of(SEED_001))
        .unwrap();
    assert!(!findings.is_empty());
    assert!(
        findings
            .iter()
            .all(|f| f.rule == "duplicate/near-duplicate")
    );
    assert!(
        findings
            .iter()
            .any(|f| f.message.contains("2017-03-06-helm-config-image-mismatch"))
    );
    let lone = shared()
        .near_duplicate_findings("2019-05-01-service-account-leak")
        .unwrap();
    assert!(lone.is_empty(), "{lone:?}");
    assert!(shared().similar("no-such-incident", 5).is_err());
}
