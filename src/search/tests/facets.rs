//! Facet counts from the decoded tables agree with tantivy's `FacetCollector`
//! over several segments, deleted documents, repeated and missing facets; the
//! tables of segments a reload dropped are forgotten.

use std::collections::BTreeMap;

use tantivy::collector::FacetCollector;
use tantivy::query::{AllQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::*;
use crate::search::facets::{FacetCounter, FacetTally};

const ROOTS: &[&str] = &["year", "tag", "status", "group"];

/// Incident `i` of a generated set: a year (none for every seventh), one to
/// three of five tags, one of them twice in another case.
fn generated(i: usize) -> IncidentDoc {
    let tags = ["helm", "dns", "Quota", "node pool", "auth"];
    let mut chosen: Vec<String> = (0..1 + i % 3)
        .map(|k| tags[(i + 2 * k) % tags.len()].to_string())
        .collect();
    if i % 4 == 0 {
        chosen.push(chosen[0].to_uppercase());
    }
    IncidentDoc {
        slug: format!("gen-{i}"),
        title: format!("Generated incident {i}"),
        date: (i % 7 != 0)
            .then(|| day(2015 + (i % 6) as i32, 1 + (i % 12) as u32, 3))
            .flatten(),
        summary: if i % 2 == 0 {
            "helm upgrade failed"
        } else {
            "dns lookups slow"
        }
        .into(),
        tags: chosen,
        source: format!("incidents/gen-{i}.md"),
        ..IncidentDoc::default()
    }
}

fn generated_action(i: usize) -> ActionDoc {
    let statuses = ["open", "done", "in_progress", "wont_do"];
    let groups = [None, Some("Process"), Some("Monitoring")];
    ActionDoc {
        id: 1000 + i as i64,
        incident_slug: format!("gen-{i}"),
        incident_title: format!("Generated incident {i}"),
        incident_date: generated(i).date,
        text: format!("Fix helm step {i}"),
        group: groups[i % groups.len()].map(str::to_string),
        status: statuses[i % statuses.len()].into(),
        owner: None,
        due: None,
    }
}

/// tantivy's own counts under `ROOTS`, as (root, value) → count.
fn oracle(searcher: &Searcher, query: &dyn Query) -> BTreeMap<(String, String), u64> {
    let mut collector = FacetCollector::for_field("facets");
    for root in ROOTS {
        collector.add_facet(format!("/{root}").as_str());
    }
    let counts = searcher.search(query, &collector).unwrap();
    let mut out = BTreeMap::new();
    for root in ROOTS {
        for (facet, count) in counts.get(&format!("/{root}")) {
            let path = facet.to_path();
            out.insert((path[0].to_string(), path[1].to_string()), count);
        }
    }
    out
}

fn tally(
    idx: &SearchIndex,
    searcher: &Searcher,
    query: &dyn Query,
) -> BTreeMap<(String, String), u64> {
    let counts: FacetTally = searcher
        .search(query, &FacetCounter::new(&idx.facet_tables, ROOTS))
        .unwrap();
    let mut out = BTreeMap::new();
    for root in ROOTS {
        for (value, count) in counts.get(root) {
            out.insert((root.to_string(), value.to_string()), count);
        }
    }
    out
}

/// An index of several segments, some documents replaced (deleted copies left
/// in the older segments).
fn segmented() -> (tempfile::TempDir, SearchIndex) {
    let (dir, idx) = fixture();
    for batch in 0..4 {
        for i in batch * 15..(batch + 1) * 15 {
            idx.add_incident(&generated(i), &[generated_action(i)])
                .unwrap();
        }
        idx.commit().unwrap();
    }
    for i in (0..60).step_by(9) {
        let mut doc = generated(i);
        doc.tags = vec!["replaced".into()];
        idx.replace_incident(&doc, &[]).unwrap();
    }
    idx.commit().unwrap();
    (dir, idx)
}

#[test]
fn counts_agree_with_tantivys_facet_collector() {
    let (_d, idx) = segmented();
    let searcher = idx.searcher();
    assert!(searcher.segment_readers().len() > 1, "several segments");
    let f = &idx.fields;
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    let queries: Vec<(&str, Box<dyn Query>)> = vec![
        ("everything", Box::new(AllQuery)),
        ("incidents", term(f.kind, "incident")),
        ("actions", term(f.kind, "action")),
        ("a word", term(f.summary, "helm")),
        ("nothing", term(f.summary, "zebrafish")),
    ];
    for (name, query) in &queries {
        let expected = oracle(&searcher, query.as_ref());
        assert_eq!(tally(&idx, &searcher, query.as_ref()), expected, "{name}");
    }
    let all = tally(&idx, &searcher, &AllQuery);
    let replaced = ("tag".to_string(), "replaced".to_string());
    assert_eq!(all.get(&replaced), Some(&7), "replaced copies counted once");
    assert!(all.contains_key(&("status".to_string(), "wont_do".to_string())));
}

#[test]
fn a_search_reports_the_same_facets_as_tantivy() {
    let (_d, idx) = segmented();
    let res = idx.search_incidents(&SearchRequest::new("helm")).unwrap();
    let searcher = idx.searcher();
    let query = TermQuery::new(
        Term::from_field_text(idx.fields.kind, "incident"),
        IndexRecordOption::Basic,
    );
    let everything = oracle(&searcher, &query);
    // Every year and tag counted is one tantivy finds among all incidents, at most as often.
    for (root, list) in [("year", &res.facets.years), ("tag", &res.facets.tags)] {
        assert!(!list.is_empty(), "{root}");
        for c in list {
            let all = everything[&(root.to_string(), c.value.clone())];
            assert!(c.count <= all, "{root} {}: {} > {all}", c.value, c.count);
        }
    }
}

#[test]
fn tables_of_merged_away_segments_are_forgotten() {
    let (_d, idx) = segmented();
    idx.search_incidents(&SearchRequest::new("helm")).unwrap();
    let before = idx.searcher().segment_readers().len();
    assert_eq!(
        idx.facet_tables.len(),
        before,
        "one table per segment searched"
    );
    assert!(idx.facet_tables.size() > 0);
    idx.rebuild(incidents(), actions()).unwrap();
    assert!(idx.facet_tables.len() <= idx.searcher().segment_readers().len());
    idx.search_incidents(&SearchRequest::new("helm")).unwrap();
    assert_eq!(
        idx.facet_tables.len(),
        idx.searcher().segment_readers().len(),
        "only the new segments' tables"
    );
}
