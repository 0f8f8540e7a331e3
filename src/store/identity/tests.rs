use super::*;

fn known(texts: &[&'static str]) -> Vec<Known<'static>> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| Known {
            text: t,
            position: Some(i),
        })
        .collect()
}

const DATAHUB: [&str; 3] = [
    "Admins should refamiliarize themselves with the deployment policy to check the staging hub before changes are merged to production.",
    "Determine if there is a way to block merges to production if the staging hub is not online.",
    "Determine if there is a way to contextualize the Travis CI interface so that it is obvious which deployment is being managed.",
];

#[test]
fn unchanged_items_keep_their_identity() {
    assert_eq!(
        match_items(&known(&DATAHUB), &DATAHUB),
        vec![Some(0), Some(1), Some(2)]
    );
}

#[test]
fn reordered_items_follow_their_text() {
    let new = [DATAHUB[2], DATAHUB[0], DATAHUB[1]];
    assert_eq!(
        match_items(&known(&DATAHUB), &new),
        vec![Some(2), Some(0), Some(1)]
    );
}

#[test]
fn markup_case_and_markers_are_ignored() {
    let old = known(&[
        "Suggested: Add **monitoring** for CoreDNS.",
        "Write a runbook",
    ]);
    let new = [
        "Implemented: add monitoring for coredns (Done!)",
        "write a runbook",
    ];
    assert_eq!(match_items(&old, &new), vec![Some(0), Some(1)]);
    assert_eq!(
        normalize("**(Done as of 2021-06-30)** Rotate the keys"),
        "rotate the keys"
    );
}

#[test]
fn reworded_item_is_recognised_by_similarity() {
    let new = [
        DATAHUB[0],
        "Determine whether there is a way to block merges to production when the staging hub is offline.",
        DATAHUB[2],
    ];
    assert!(similarity(DATAHUB[1], new[1]) >= SIMILAR);
    assert_eq!(
        match_items(&known(&DATAHUB), &new),
        vec![Some(0), Some(1), Some(2)]
    );
}

#[test]
fn reworded_and_moved_item_is_still_found() {
    let new = [
        "Find a way to block merges to production if the staging hub is not online",
        DATAHUB[2],
        DATAHUB[0],
    ];
    assert_eq!(
        match_items(&known(&DATAHUB), &new),
        vec![Some(1), Some(2), Some(0)]
    );
}

#[test]
fn rewritten_in_place_item_keeps_its_slot() {
    let new = [
        DATAHUB[0],
        "Protect the prod branch behind a passing staging check",
        DATAHUB[2],
    ];
    assert!(similarity(DATAHUB[1], new[1]) < SIMILAR);
    assert_eq!(
        match_items(&known(&DATAHUB), &new),
        vec![Some(0), Some(1), Some(2)]
    );
}

#[test]
fn added_item_is_new_and_others_keep_theirs() {
    let new = [
        DATAHUB[0],
        "Page the on-call engineer when the hub is down",
        DATAHUB[1],
        DATAHUB[2],
    ];
    assert_eq!(
        match_items(&known(&DATAHUB), &new),
        vec![Some(0), None, Some(1), Some(2)]
    );
}

#[test]
fn removed_item_is_left_unmatched() {
    let new = [DATAHUB[0], DATAHUB[2]];
    assert_eq!(match_items(&known(&DATAHUB), &new), vec![Some(0), Some(2)]);
}

#[test]
fn added_at_the_end_is_new() {
    let new = [DATAHUB[0], DATAHUB[1], DATAHUB[2], "Write a checklist"];
    assert_eq!(
        match_items(&known(&DATAHUB), &new),
        vec![Some(0), Some(1), Some(2), None]
    );
}

#[test]
fn uneven_gap_is_not_paired_by_position() {
    // One old item between the anchors, two unrelated new ones: no guessing.
    let new = [
        DATAHUB[0],
        "Buy more disks",
        "Rotate the on-call schedule",
        DATAHUB[2],
    ];
    assert_eq!(
        match_items(&known(&DATAHUB), &new),
        vec![Some(0), None, None, Some(2)]
    );
}

#[test]
fn a_removed_item_that_comes_back_is_recognised() {
    let old = vec![
        Known {
            text: DATAHUB[0],
            position: Some(0),
        },
        Known {
            text: DATAHUB[1],
            position: None,
        },
    ];
    let new = [DATAHUB[0], "Write a checklist", DATAHUB[1]];
    assert_eq!(match_items(&old, &new), vec![Some(0), None, Some(1)]);
}

#[test]
fn removed_items_are_not_paired_by_position() {
    let old = vec![Known {
        text: "Old idea",
        position: None,
    }];
    assert_eq!(match_items(&old, &["Completely different"]), vec![None]);
}

#[test]
fn duplicate_texts_pair_in_order() {
    let old = known(&["Update docs", "Update docs"]);
    assert_eq!(
        match_items(&old, &["Update docs", "Update docs"]),
        vec![Some(0), Some(1)]
    );
    assert_eq!(match_items(&old, &["Update docs"]), vec![Some(0)]);
}

#[test]
fn empty_sides() {
    assert_eq!(match_items(&[], &["a"]), vec![None]);
    assert!(match_items(&known(&DATAHUB), &[]).is_empty());
}

#[test]
fn unrelated_items_are_not_similar() {
    assert!(similarity("Buy more disks", "Rotate the on-call schedule") < 0.2);
    assert!(similarity(DATAHUB[1], DATAHUB[2]) < SIMILAR);
}
