//! Search over the shipped incidents: realistic questions find the right
//! incident first, action items track status changes, similar incidents.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use coroner::input::{collect_files, read_text};
use coroner::search::{
    ActionDoc, IncidentDoc, IndexStatus, Kind, QueryError, SearchError, SearchIndex,
    SearchRequest, VERSION_FILE,
};
use coroner::{analyze, AnalyzeOptions};

/// A slug as the store derives it: the file name without a known extension,
/// lowercased, other characters than letters, digits and `_` collapsed to `-`.
fn slug(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if coroner::input::EXTENSIONS.contains(&ext.to_lowercase().as_str()) => stem,
        _ => name.as_str(),
    };
    let mut out = String::new();
    for c in stem.to_lowercase().chars() {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

struct Corpus {
    incidents: Vec<IncidentDoc>,
    actions: Vec<ActionDoc>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("incidents");
        let files = collect_files(&[root]).expect("incidents/ is readable");
        let (mut incidents, mut actions) = (Vec::new(), Vec::new());
        for path in files {
            let text = read_text(&path).expect("corpus file reads");
            let doc = analyze(&path.display().to_string(), &text, &AnalyzeOptions::default());
            let incident = IncidentDoc::from_document(&slug(&path), &doc, &text);
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
fn corpus_index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = SearchIndex::open(&SearchIndex::dir_in(dir.path())).expect("index opens");
    let c = corpus();
    index.rebuild(c.incidents.clone(), c.actions.clone()).expect("rebuild");
    (dir, index)
}

/// One index shared by the read-only tests.
fn shared() -> &'static SearchIndex {
    static SHARED: OnceLock<(tempfile::TempDir, SearchIndex)> = OnceLock::new();
    &SHARED.get_or_init(corpus_index).1
}

fn incident_slugs(index: &SearchIndex, q: &str) -> Vec<String> {
    let res = index.search_incidents(&SearchRequest::new(q)).unwrap_or_else(|e| panic!("{q}: {e}"));
    res.hits.into_iter().map(|h| h.slug).collect()
}

const HELM_SUBMODULE: &[&str] = &["2017-03-06-helm-config-image-mismatch", "001_0023c0146dd77070"];
const SLOW_STARTUP: &[&str] = &["2018-01-26-hub-slow-startup", "004_f2771ccd2a125e0d"];

#[test]
fn slugs_follow_file_names() {
    assert_eq!(slug(Path::new("a/000_954bac17e647708a.txt")), "000_954bac17e647708a");
    assert_eq!(
        slug(Path::new("PM2022-009 - Bad AWS EKS AMI causing Kubernetes issues")),
        "pm2022-009-bad-aws-eks-ami-causing-kubernetes-issues"
    );
    assert_eq!(slug(Path::new("x/2017-03-06-helm-config-image-mismatch.qmd")), "2017-03-06-helm-config-image-mismatch");
}

#[test]
fn submodule_finds_the_helm_submodule_incident() {
    let hits = incident_slugs(shared(), "submodule");
    assert!(HELM_SUBMODULE.contains(&hits[0].as_str()), "{hits:?}");
}

#[test]
fn prepuller_finds_the_slow_hub_startup() {
    let hits = incident_slugs(shared(), "prepuller");
    assert!(SLOW_STARTUP.contains(&hits[0].as_str()), "{hits:?}");
}
