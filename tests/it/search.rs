//! Search over the shipped incidents: realistic questions find the right
//! incident first, action items track status changes, similar incidents.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use coroner::input::{collect_files, read_text};
use coroner::search::{ActionDoc, IncidentDoc, IndexStatus, SearchIndex, SearchRequest};
use coroner::{AnalyzeOptions, analyze};

/// A slug as the store derives it: the file name without a known extension,
/// lowercased, other characters than letters, digits and `_` collapsed to `-`.
fn slug(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if coroner::input::EXTENSIONS.contains(&ext.to_lowercase().as_str()) => {
            stem
        }
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
            let doc = analyze(
                &path.display().to_string(),
                &text,
                &AnalyzeOptions::default(),
            );
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
    index
        .rebuild(c.incidents.clone(), c.actions.clone())
        .expect("rebuild");
    (dir, index)
}

/// One index shared by the read-only tests.
fn shared() -> &'static SearchIndex {
    static SHARED: OnceLock<(tempfile::TempDir, SearchIndex)> = OnceLock::new();
    &SHARED.get_or_init(corpus_index).1
}

fn incident_slugs(index: &SearchIndex, q: &str) -> Vec<String> {
    let res = index
        .search_incidents(&SearchRequest::new(q))
        .unwrap_or_else(|e| panic!("{q}: {e}"));
    res.hits.into_iter().map(|h| h.slug).collect()
}

const HELM_SUBMODULE: &[&str] = &[
    "2017-03-06-helm-config-image-mismatch",
    "001_0023c0146dd77070",
];
const SLOW_STARTUP: &[&str] = &["2018-01-26-hub-slow-startup", "004_f2771ccd2a125e0d"];

#[test]
fn slugs_follow_file_names() {
    assert_eq!(
        slug(Path::new("a/000_954bac17e647708a.txt")),
        "000_954bac17e647708a"
    );
    assert_eq!(
        slug(Path::new(
            "PM2022-009 - Bad AWS EKS AMI causing Kubernetes issues"
        )),
        "pm2022-009-bad-aws-eks-ami-causing-kubernetes-issues"
    );
    assert_eq!(
        slug(Path::new("x/2017-03-06-helm-config-image-mismatch.qmd")),
        "2017-03-06-helm-config-image-mismatch"
    );
}

#[test]
fn submodule_finds_the_helm_submodule_incident() {
    let hits = incident_slugs(shared(), "submodule");
    assert!(HELM_SUBMODULE.contains(&hits[0].as_str()), "{hits:?}");
}

#[test]
fn root_cause_questions_search_the_causes() {
    let hits = incident_slugs(shared(), "root:submodule");
    assert!(HELM_SUBMODULE.contains(&hits[0].as_str()), "{hits:?}");
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
    assert!(SLOW_STARTUP.contains(&hits[0].as_str()), "{hits:?}");
}

const SEED_000: &str = "000_954bac17e647708a";
const SEED_001: &str = "001_0023c0146dd77070";
const SEED_002: &str = "002_ac7656323abe273b";
const SEED_004: &str = "004_f2771ccd2a125e0d";
const HELM_UPGRADE: &str = "2018-01-25-helm-chart-upgrade";

fn similar(slug: &str, n: usize) -> Vec<String> {
    shared()
        .similar(slug, n)
        .expect("similar")
        .into_iter()
        .map(|s| s.slug)
        .collect()
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
        assert!(hits.iter().any(|h| h == want), "{q}: {hits:?}");
    }
    let v06 = incident_slugs(shared(), "v0.6");
    for want in [SEED_002, SEED_004, HELM_UPGRADE] {
        assert!(v06.iter().any(|h| h == want), "v0.6: {v06:?}");
    }
    assert!(
        incident_slugs(shared(), "CrashLoopBackOff")
            .iter()
            .any(|h| h == SEED_000)
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

#[test]
fn similar_incidents_find_other_versions_of_the_same_report() {
    let versions = [SEED_000, SEED_001, "2017-03-06-helm-config-image-mismatch"];
    for seed in [SEED_000, SEED_001] {
        let top = similar(seed, 2);
        assert!(
            top.iter().all(|s| versions.contains(&s.as_str())),
            "{seed}: {top:?}"
        );
    }
    let near: Vec<String> = shared()
        .near_duplicates(SEED_000)
        .unwrap()
        .into_iter()
        .map(|s| s.slug)
        .collect();
    assert!(near.iter().any(|s| s == SEED_001), "{near:?}");
}

#[test]
fn similar_incidents_relate_the_two_helm_v06_incidents() {
    let slow = [SEED_004, "2018-01-26-hub-slow-startup"];
    let merge = [SEED_002, HELM_UPGRADE];
    let from_002 = similar(SEED_002, 3);
    assert_eq!(from_002[0], HELM_UPGRADE);
    assert!(
        from_002.iter().any(|s| slow.contains(&s.as_str())),
        "{from_002:?}"
    );
    let from_004 = similar(SEED_004, 3);
    assert!(
        from_004.iter().any(|s| merge.contains(&s.as_str())),
        "{from_004:?}"
    );
    // Related, not duplicates.
    let near = shared().near_duplicates(SEED_002).unwrap();
    assert!(
        near.iter().all(|s| !slow.contains(&s.slug.as_str())),
        "{near:?}"
    );
    assert!(near.iter().any(|s| s.slug == HELM_UPGRADE));
}

#[test]
fn near_duplicates_become_findings() {
    let findings = shared().near_duplicate_findings(SEED_001).unwrap();
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
        assert!(versions.contains(&hit.incident_slug.as_str()), "{hit:?}");
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

/// Run the `coroner` binary in `dir` (so no coroner.toml of the repo applies).
fn coroner(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_coroner"))
        .args(args)
        .current_dir(dir)
        .env_remove("CORONER_DATA_DIR")
        .env("NO_COLOR", "1")
        .output()
        .expect("coroner runs");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("utf-8 output");
    (
        out.status.code().unwrap_or(-1),
        text(out.stdout),
        text(out.stderr),
    )
}

#[test]
fn cli_searches_and_explains_problems() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = coroner(dir.path(), &["search", "submodule"]);
    assert_eq!(code, 1);
    assert!(err.contains("coroner ingest"), "{err}");

    let index = SearchIndex::open(&SearchIndex::dir_in(&dir.path().join("data"))).unwrap();
    index
        .rebuild(corpus().incidents.clone(), corpus().actions.clone())
        .unwrap();
    drop(index);

    let (code, out, _) = coroner(dir.path(), &["search", "submodule", "--limit", "3"]);
    assert_eq!(code, 0);
    assert!(
        HELM_SUBMODULE
            .iter()
            .any(|s| out.lines().nth(2).is_some_and(|l| l.contains(s))),
        "{out}"
    );

    let (code, out, _) = coroner(dir.path(), &["search", "--format", "json", "prepuller"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(
        SLOW_STARTUP.contains(&json["hits"][0]["slug"].as_str().unwrap_or_default()),
        "{out}"
    );

    let (code, out, err) = coroner(dir.path(), &["search", "status:open", "monitoring"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("action items") && out.contains("[open]"),
        "{out}{err}"
    );

    let (code, out, _) = coroner(
        dir.path(),
        &["search", "--similar", SEED_002, "--format", "json"],
    );
    assert_eq!(code, 0);
    assert!(out.contains(HELM_UPGRADE));

    let (code, _, err) = coroner(dir.path(), &["search", "title:(helm"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid query") && err.contains("never closed"),
        "{err}"
    );
}
