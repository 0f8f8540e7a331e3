//! Search over the shipped incidents: realistic questions find the right
//! incident first, action items track status changes, similar incidents are
//! found, and the CLI works against a real index.

mod actions;
mod cli;
mod similar;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use coroner::ingest::slug_for_path;
use coroner::input::{collect_files, read_text};
use coroner::search::{ActionDoc, IncidentDoc, IndexStatus, SearchIndex, SearchRequest};
use coroner::{AnalyzeOptions, analyze};

/// The slug of a shipped post-mortem, derived by ingest from its file name.
pub(super) fn slug_of(file_name: &str) -> String {
    slug_for_path(Path::new(file_name))
}

/// Whether `slug` is the slug of one of these files.
pub(super) fn is_one_of(slug: &str, file_names: &[&str]) -> bool {
    file_names.iter().any(|f| slug_of(f) == slug)
}

pub(super) struct Corpus {
    pub incidents: Vec<IncidentDoc>,
    pub actions: Vec<ActionDoc>,
}

pub(super) fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("incidents");
        let files = collect_files(&[root]).expect("incidents/ is readable");
        let (mut incidents, mut actions) = (Vec::new(), Vec::new());
        for path in files {
            let text = read_text(&path).expect("corpus file reads");
            let doc = analyze(
                &path.display().to_string(),
                &text,
                &AnalyzeOptions::default(),
            );
            let incident = IncidentDoc::from_document(&slug_for_path(&path), &doc, &text);
            for item in &doc.action_items {
                let id = actions.len() as i64 + 1;
                actions.push(ActionDoc::from_item(id, &incident, item));
            }
            incidents.push(incident);
        }
        Corpus { incidents, actions }
    })
}

/// A fresh index over the whole corpus in its own temporary directory.
pub(super) fn corpus_index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = SearchIndex::open(&SearchIndex::dir_in(dir.path())).expect("index opens");
    let c = corpus();
    index
        .rebuild(c.incidents.clone(), c.actions.clone())
        .expect("rebuild");
    (dir, index)
}

/// One index shared by the read-only tests.
pub(super) fn shared() -> &'static SearchIndex {
    static SHARED: OnceLock<(tempfile::TempDir, SearchIndex)> = OnceLock::new();
    &SHARED.get_or_init(corpus_index).1
}

pub(super) fn incident_slugs(index: &SearchIndex, q: &str) -> Vec<String> {
    let res = index
        .search_incidents(&SearchRequest::new(q))
        .unwrap_or_else(|e| panic!("{q}: {e}"));
    res.hits.into_iter().map(|h| h.slug).collect()
}

pub(super) const HELM_SUBMODULE: &[&str] = &[
    "2017-03-06-helm-config-image-mismatch",
    "001_0023c0146dd77070.txt",
];
pub(super) const SLOW_STARTUP: &[&str] =
    &["2018-01-26-hub-slow-startup", "004_f2771ccd2a125e0d.txt"];

pub(super) const SEED_000: &str = "000_954bac17e647708a.txt";
pub(super) const SEED_001: &str = "001_0023c0146dd77070.txt";
pub(super) const SEED_002: &str = "002_ac7656323abe273b.txt";
pub(super) const SEED_004: &str = "004_f2771ccd2a125e0d.txt";
pub(super) const HELM_UPGRADE: &str = "2018-01-25-helm-chart-upgrade";

#[test]
fn seeds_have_slugs() {
    assert!(slug_of(SEED_000).starts_with("000"));
    assert_ne!(slug_of(SEED_000), slug_of(SEED_001));
}

#[test]
fn submodule_finds_the_helm_submodule_incident() {
    let hits = incident_slugs(shared(), "submodule");
    assert!(is_one_of(&hits[0], HELM_SUBMODULE), "{hits:?}");
}

#[test]
fn root_cause_questions_search_the_causes() {
    let hits = incident_slugs(shared(), "root:submodule");
    assert!(is_one_of(&hits[0], HELM_SUBMODULE), "{hits:?}");
    let hits = incident_slugs(shared(), "root:dns");
    assert!(
        hits.iter()
            .any(|h| h == "2019-01-30-certificate-requests-failing"),
        "{hits:?}"
    );
}

#[test]
fn prepuller_finds_the_slow_hub_startup() {
    let hits = incident_slugs(shared(), "prepuller");
    assert!(is_one_of(&hits[0], SLOW_STARTUP), "{hits:?}");
}

#[test]
fn the_index_matches_the_corpus() {
    let c = corpus();
    assert_eq!(c.incidents.len(), 72, "67 public post-mortems and 5 seeds");
    let (i, a) = (c.incidents.len() as u64, c.actions.len() as u64);
    assert_eq!(shared().check(i, a), IndexStatus::Ready);
    assert!(matches!(
        shared().check(i + 1, a),
        IndexStatus::Stale { .. }
    ));
}

#[test]
fn technical_terms_in_the_corpus() {
    for (q, want) in [
        ("external-dns", "2018-12-04-cluster-post-mortem"),
        (
            "node-role.kubernetes.io/master",
            "2018-01-26-hub-slow-startup",
        ),
        (
            "\"503\" title:503",
            "pm2021-005-all-services-returning-503-in-kubernetes",
        ),
    ] {
        let hits = incident_slugs(shared(), q);
        assert!(hits.iter().any(|h| *h == slug_of(want)), "{q}: {hits:?}");
    }
    let v06 = incident_slugs(shared(), "v0.6");
    for want in [SEED_002, SEED_004, HELM_UPGRADE] {
        assert!(v06.iter().any(|h| *h == slug_of(want)), "v0.6: {v06:?}");
    }
    assert!(
        incident_slugs(shared(), "CrashLoopBackOff")
            .iter()
            .any(|h| *h == slug_of(SEED_000))
    );
}

#[test]
fn snippets_show_where_words_matched() {
    let res = shared()
        .search_incidents(&SearchRequest::new("prepuller"))
        .unwrap();
    let snippet = res.hits[0].snippet.as_ref().expect("a snippet");
    assert!(
        snippet
            .fragment
            .marked()
            .iter()
            .all(|m| m.to_lowercase().starts_with("prepull"))
    );
    assert!(
        snippet.fragment.html.contains("<mark>prepuller</mark>"),
        "{}",
        snippet.fragment.html
    );
    assert!(res.facets.sections.iter().any(|f| f.value == "full_text"));
}
