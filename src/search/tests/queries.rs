//! The query language against the index: terms, fields, dates, operators,
//! snippets, facets and pagination.

use super::*;
use crate::search::{QueryError, SearchError, SearchSection};

const HELM: &str = "2017-03-06-helm";
const SLOW: &str = "2018-01-26-slow";
const LEAK: &str = "2019-05-01-leak";

#[test]
fn technical_terms_are_findable() {
    let (_d, idx) = fixture();
    for (q, want) in [
        ("kube-dns", SLOW),
        ("CrashLoopBackOff", HELM),
        ("crashloopbackoff", HELM),
        ("v0.6", HELM),
        ("PVC", SLOW),
        ("503", SLOW),
        ("prepuller", SLOW),
    ] {
        assert_eq!(slugs(&idx, q), [want], "{q}");
    }
    assert_eq!(slugs(&idx, "helm").len(), 2);
}

#[test]
fn english_words_are_stemmed() {
    let (_d, idx) = fixture();
    let mut found = slugs(&idx, "deploying");
    found.sort();
    assert_eq!(found, [HELM, LEAK]);
    assert_eq!(slugs(&idx, "submodule"), [HELM]);
}

#[test]
fn field_prefixes_restrict_where_words_match() {
    let (_d, idx) = fixture();
    assert_eq!(slugs(&idx, "root:submodule"), [HELM]);
    assert!(slugs(&idx, "summary:submodule").is_empty());
    assert_eq!(slugs(&idx, "title:slow"), [SLOW]);
    assert_eq!(slugs(&idx, "impact:students"), [HELM]);
    assert_eq!(slugs(&idx, "lessons:staging"), [SLOW]);
    assert_eq!(slugs(&idx, "resolution:revoked"), [LEAK]);
    assert_eq!(slugs(&idx, "tag:datahub"), [HELM]);
    assert_eq!(
        slugs(&idx, "tag:HELM").len(),
        2,
        "tags are case-insensitive"
    );
    assert_eq!(slugs(&idx, "incident:2019-05-01-leak"), [LEAK]);
    assert_eq!(slugs(&idx, "has:findings"), [HELM]);
    assert_eq!(slugs(&idx, "title:(slow OR leak)").len(), 2);
}

#[test]
fn words_only_match_their_own_kind() {
    let (_d, idx) = fixture();
    // Without a `kind` filter in the compiled query (see `Compiler::compile`).
    assert!(slugs(&idx, "checklist").is_empty(), "action item text");
    assert!(action_ids(&idx, "submodule").is_empty(), "incident text");
    assert_eq!(
        slugs(&idx, "slow"),
        [SLOW],
        "action items carry the title apart"
    );
    assert_eq!(slugs(&idx, "slow OR checklist"), [SLOW]);
    // Filters and negations alone still need it.
    assert_eq!(slugs(&idx, "incident:2018-01-26-slow"), [SLOW]);
    assert_eq!(action_ids(&idx, "incident:2018-01-26-slow"), [3]);
    assert_eq!(slugs(&idx, "-helm"), [LEAK]);
    assert_eq!(action_ids(&idx, "-checklist -monitoring").len(), 1);
}

#[test]
fn date_filters() {
    let (_d, idx) = fixture();
    assert_eq!(slugs(&idx, "date:2018"), [SLOW]);
    assert_eq!(slugs(&idx, "date:2018-01"), [SLOW]);
    assert!(slugs(&idx, "date:2018-02").is_empty());
    assert_eq!(slugs(&idx, "date:2017..2018").len(), 2);
    assert_eq!(
        slugs(&idx, "after:2018-01-01"),
        [LEAK, SLOW],
        "filters only: newest first"
    );
    assert_eq!(slugs(&idx, "before:2018 helm"), [HELM]);
    assert_eq!(slugs(&idx, "year:2019"), [LEAK]);
}

#[test]
fn boolean_operators() {
    let (_d, idx) = fixture();
    let mut either = slugs(&idx, "submodule OR prepuller");
    either.sort();
    assert_eq!(either, [HELM, SLOW]);
    assert_eq!(slugs(&idx, "helm -prepuller"), [HELM]);
    assert_eq!(slugs(&idx, "helm NOT submodule"), [SLOW]);
    assert_eq!(slugs(&idx, "helm AND (prepuller OR revoked)"), [SLOW]);
    assert_eq!(
        slugs(&idx, "-helm"),
        [LEAK],
        "a negation alone selects the rest"
    );
    assert_eq!(slugs(&idx, "\"hub on prod\""), [HELM]);
    assert!(
        slugs(&idx, "\"prod hub on\"").is_empty(),
        "phrases keep word order"
    );
}

#[test]
fn no_all_words_match_falls_back_to_any() {
    let (_d, idx) = fixture();
    let res = idx
        .search_incidents(&SearchRequest::new("submodule prepuller"))
        .unwrap();
    assert!(res.relaxed);
    assert_eq!(res.total, 2);
    let strict = idx
        .search_incidents(&SearchRequest::new("submodule AND prepuller"))
        .unwrap();
    assert_eq!(
        (strict.total, strict.relaxed),
        (0, false),
        "explicit AND stays strict"
    );
}

#[test]
fn malformed_and_empty_queries_are_errors() {
    let (_d, idx) = fixture();
    for q in [
        "",
        "(helm",
        "helm AND",
        "nope:x",
        "date:2018-13",
        "status:opne",
    ] {
        let err = idx.search_incidents(&SearchRequest::new(q)).unwrap_err();
        assert!(
            matches!(err, SearchError::Query(_)) && err.is_user_error(),
            "{q}: {err}"
        );
    }
    let err = idx
        .search_incidents(&SearchRequest::new("the"))
        .unwrap_err();
    assert!(matches!(
        err,
        SearchError::Query(QueryError::NothingToSearch)
    ));
    let err = idx
        .search_incidents(&SearchRequest::new("helm").page(0, 0))
        .unwrap_err();
    assert!(matches!(err, SearchError::Page(_)));
    assert!(
        idx.search_incidents(&SearchRequest::new("helm").page(20_000, 10))
            .is_err()
    );
}

#[test]
fn snippets_highlight_and_escape() {
    let (_d, idx) = fixture();
    let res = idx
        .search_incidents(&SearchRequest::new("alert helm"))
        .unwrap();
    let hit = &res.hits[0];
    assert_eq!(hit.slug, HELM);
    let snippet = hit.snippet.as_ref().expect("snippet");
    assert_eq!(snippet.section, SearchSection::FullText);
    assert!(
        snippet
            .fragment
            .html
            .contains("&lt;script&gt;<mark>alert</mark>(1)"),
        "{}",
        snippet.fragment.html
    );
    assert!(!snippet.fragment.html.contains("<script>"));
    assert!(hit.matched_sections.contains(&SearchSection::Summary));
    let res = idx.search_incidents(&SearchRequest::new("slow")).unwrap();
    assert_eq!(res.hits[0].title.marked(), ["slow"]);
    assert_eq!(
        res.hits[0].title.html,
        "Hub starts up very <mark>slow</mark>"
    );
}

#[test]
fn facets_count_every_match() {
    let (_d, idx) = fixture();
    let res = idx
        .search_incidents(&SearchRequest::new("helm").page(0, 1))
        .unwrap();
    assert_eq!((res.total, res.hits.len()), (2, 1));
    let years = pairs(&res.facets.years);
    assert_eq!(years, [("2018", 1), ("2017", 1)]);
    let sections = pairs(&res.facets.sections);
    assert!(
        sections.contains(&("summary", 2)) && sections.contains(&("full_text", 1)),
        "{sections:?}"
    );
    assert_eq!(res.facets.tags[0].value, "helm");
    let acts = idx
        .search_actions(&SearchRequest::new("group:monitoring"))
        .unwrap();
    let statuses = pairs(&acts.facets.statuses);
    assert_eq!(statuses, [("in_progress", 1), ("open", 1)]);
}

/// A search that does not ask for section counts finds the same page.
#[test]
fn section_counts_can_be_left_out() {
    let (_d, idx) = fixture();
    for q in ["helm", "\"helm chart\" OR hub", "helm -upgrade"] {
        let with = idx.search_incidents(&SearchRequest::new(q)).unwrap();
        let without = idx
            .search_incidents(&SearchRequest::new(q).without_sections())
            .unwrap();
        assert!(!with.facets.sections.is_empty(), "{q}");
        assert!(without.facets.sections.is_empty(), "{q}");
        let mut expected = with.clone();
        expected.facets.sections.clear();
        assert_eq!(without, expected, "{q}");
    }
}

/// The snippet comes from the first section with the most different query
/// terms (two forms of one word count once); a section that cannot beat it is
/// still listed as matched.
#[test]
fn snippet_section_has_the_most_query_terms() {
    let dir = tempfile::tempdir().unwrap();
    let idx = SearchIndex::open(&dir.path().join("index")).unwrap();
    let mut inc = incidents().remove(0);
    inc.summary = "Two helms and one helm went down.".into();
    inc.root_cause = "The helm release was stuck.".into();
    inc.full_text = "The helm chart was old.".into();
    idx.rebuild(vec![inc], Vec::new()).unwrap();
    let search = |q: &str| {
        idx.search_incidents(&SearchRequest::new(q))
            .unwrap()
            .hits
            .remove(0)
    };
    let hit = search("helm chart");
    let snippet = hit.snippet.expect("snippet");
    assert_eq!(snippet.section, SearchSection::FullText, "helm and chart");
    assert_eq!(snippet.fragment.marked(), ["helm", "chart"]);
    let hit = search("helm");
    let snippet = hit.snippet.expect("snippet");
    assert_eq!(
        snippet.section,
        SearchSection::Summary,
        "the first with helm"
    );
    for section in [
        SearchSection::Summary,
        SearchSection::RootCause,
        SearchSection::FullText,
    ] {
        assert!(hit.matched_sections.contains(&section), "{section:?}");
    }
    assert!(!hit.matched_sections.contains(&SearchSection::Impact));
}

/// Section counts agree with searching each section for the query's words:
/// phrases (noted while ranking), single words (walked after) and a query of
/// one word (its terms' frequencies) alike, under OR, NOT, filters and scopes.
#[test]
fn section_counts_agree_with_searching_each_section() {
    let (_d, idx) = fixture();
    let sections = [
        ("title", "title"),
        ("summary", "summary"),
        ("root", "root_cause"),
        ("impact", "impact"),
        ("lessons", "lessons"),
        ("resolution", "resolution"),
        ("text", "full_text"),
    ];
    // Each query, and the words it asks for outside NOT (`scope:` when only
    // in one section).
    let cases: &[(&str, &[&str])] = &[
        // One word: counted from its terms' frequencies (no deletes here).
        ("helm", &["helm"]),
        ("\"hub\"", &["hub"]),
        ("users", &["users"]),
        ("\"helm upgrade\"", &["\"helm upgrade\""]),
        (
            "\"helm chart\" OR \"service account\"",
            &["\"helm chart\"", "\"service account\""],
        ),
        ("\"helm chart\" prod", &["\"helm chart\"", "prod"]),
        ("kube-dns OR key OR hub", &["kube-dns", "key", "hub"]),
        ("helm -upgrade", &["helm"]),
        ("helm -\"helm chart\"", &["helm"]),
        ("\"helm chart\" OR hub -users", &["\"helm chart\"", "hub"]),
        ("tag:helm (\"on prod\" OR users)", &["\"on prod\"", "users"]),
        (
            "summary:\"service account\" key",
            &["summary:\"service account\"", "key"],
        ),
    ];
    for (query, words) in cases {
        let res = idx.search_incidents(&SearchRequest::new(*query)).unwrap();
        assert!(res.total > 0 && !res.relaxed, "{query}");
        let mut expected = Vec::new();
        for (scope, name) in sections {
            let here: Vec<&str> = words
                .iter()
                .filter_map(|w| match w.split_once(':') {
                    Some((only, word)) => (only == scope).then_some(word),
                    None => Some(*w),
                })
                .collect();
            let q = format!("({query}) {scope}:({})", here.join(" OR "));
            let total = idx.search_incidents(&SearchRequest::new(q)).unwrap().total;
            if total > 0 {
                expected.push((name, total as u64));
            }
        }
        assert_eq!(pairs(&res.facets.sections), expected, "{query}");
    }
}

/// A page of many hits is built on two threads: in ranking order, the same
/// hits as small pages (built on one) give.
#[test]
fn large_pages_keep_the_ranking_order() {
    let dir = tempfile::tempdir().unwrap();
    let idx = SearchIndex::open(&dir.path().join("index")).unwrap();
    let many: Vec<IncidentDoc> = (0..13)
        .map(|i| {
            let mut inc = incidents().remove(0);
            inc.slug = format!("helm-{i:02}");
            // More helms, higher scores: a ranking that is not the index order.
            inc.summary = format!("{} upgrade.", "helm ".repeat(1 + (i * 7) % 13));
            inc
        })
        .collect();
    idx.rebuild(many, Vec::new()).unwrap();
    let page = |offset, limit| {
        idx.search_incidents(&SearchRequest::new("helm").page(offset, limit))
            .unwrap()
            .hits
            .into_iter()
            .map(|h| (h.slug, h.snippet.map(|s| s.fragment.html)))
            .collect::<Vec<_>>()
    };
    let whole = page(0, 13);
    let small: Vec<_> = (0..13).step_by(3).flat_map(|at| page(at, 3)).collect();
    assert_eq!(whole.len(), 13);
    assert_eq!(whole, small);
    assert_ne!(whole[0].0, "helm-00");
}

#[test]
fn pagination_walks_through_results() {
    let (_d, idx) = fixture();
    let all = slugs(&idx, "hub OR key");
    assert_eq!(all.len(), 3);
    let page = idx
        .search_incidents(&SearchRequest::new("hub OR key").page(1, 1))
        .unwrap();
    assert_eq!((page.total, page.offset), (3, 1));
    assert_eq!(page.hits[0].slug, all[1]);
}

#[test]
fn action_items_by_text_status_group_and_incident() {
    let (_d, idx) = fixture();
    assert_eq!(action_ids(&idx, "deployment checklist"), [1]);
    assert_eq!(action_ids(&idx, "status:open monitoring"), [3]);
    let mut monitoring = action_ids(&idx, "group:monitoring");
    monitoring.sort();
    assert_eq!(monitoring, [3, 4]);
    assert_eq!(action_ids(&idx, "status:in-progress"), [4]);
    assert_eq!(
        action_ids(&idx, "incident:2017-03-06-helm -status:done"),
        [1]
    );
    assert_eq!(
        action_ids(&idx, "title:slow"),
        [3],
        "title: is the incident's title"
    );
    assert_eq!(action_ids(&idx, "date:2019"), [4]);
    assert!(
        slugs(&idx, "status:open").is_empty(),
        "status: never matches incidents"
    );
    assert!(action_ids(&idx, "root:submodule").is_empty());
}

#[test]
fn both_kinds_at_once_match_each_alone() {
    let (_d, idx) = fixture();
    for q in ["helm", "monitoring", "title:slow", "status:open"] {
        let req = SearchRequest::new(q);
        let (incidents, actions) = idx.search_both(&req, &req).unwrap();
        assert_eq!(incidents, idx.search_incidents(&req).unwrap(), "{q}");
        assert_eq!(actions, idx.search_actions(&req).unwrap(), "{q}");
    }
    let bad = SearchRequest::new("title:(helm");
    assert!(matches!(
        idx.search_both(&bad, &bad),
        Err(SearchError::Query(QueryError::UnclosedParen { .. }))
    ));
}
