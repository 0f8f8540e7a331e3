//! `coroner search` end to end, against an index built from the corpus.

use super::*;

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
            .any(|s| out.lines().nth(2).is_some_and(|l| l.contains(&slug_of(s)))),
        "{out}"
    );

    let (code, out, _) = coroner(dir.path(), &["search", "--format", "json", "prepuller"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(
        is_one_of(
            json["hits"][0]["slug"].as_str().unwrap_or_default(),
            SLOW_STARTUP
        ),
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
        &[
            "search",
            "--similar",
            &slug_of(SEED_002),
            "--format",
            "json",
        ],
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
