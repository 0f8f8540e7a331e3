//! The parser over the real corpus: exact assertions for the five seeds, a snapshot
//! of every shipped post-mortem, and the `coroner parse` command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use coroner::model::{Document, EntryKind, SourceFormat};
use coroner::parse::parse_document;

fn incidents() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents")
}

fn parse_file(rel: &str) -> Document {
    let path = incidents().join(rel);
    let text = coroner::input::read_text(&path).expect("corpus file is readable");
    parse_document(rel, &text)
}

fn labels(doc: &Document) -> Vec<(usize, &str)> {
    doc.timeline
        .iter()
        .map(|e| (e.line, e.label.as_str()))
        .collect()
}

fn rules(doc: &Document) -> Vec<(&str, Option<usize>)> {
    doc.findings
        .iter()
        .map(|f| (f.rule.as_str(), f.line))
        .collect()
}

#[test]
fn seed_000_heading_times_and_mojibake() {
    let doc = parse_file("seeds/000_954bac17e647708a.txt");
    assert_eq!(doc.title, None);
    assert_eq!(
        labels(&doc),
        [
            (9, "22:59"),
            (17, "23:11"),
            (21, "23:21"),
            (25, "21:31"),
            (29, "21:41"),
            (33, "21:45"),
            (37, "21:46"),
            (41, "21:50")
        ]
    );
    assert!(doc.timeline[0].text.contains("CrashLoopBackOff"));
    assert!(
        doc.timeline[0]
            .text
            .ends_with("helm chart for -dev is deleted and reinstalled.")
    );
    assert_eq!(doc.action_items.len(), 3);
    assert_eq!([51, 53, 55], [0, 1, 2].map(|i| doc.action_items[i].line));
    assert!(
        doc.action_items
            .iter()
            .all(|a| !a.done && a.group.is_none())
    );
    let moji = doc
        .findings
        .iter()
        .find(|f| f.rule == "text/mojibake")
        .expect("mojibake found");
    assert_eq!(moji.line, Some(55));
    assert!(moji.suggestion.as_deref().unwrap_or("").contains("don’t"));
}

#[test]
fn seed_001_timeline_continues_through_level_two_time_heading() {
    let doc = parse_file("seeds/001_0023c0146dd77070.txt");
    assert_eq!(
        doc.title.as_deref(),
        Some("2017-03-06 - Non-matching hub image tags cause downtime")
    );
    assert_eq!(
        doc.date.map(|d| d.to_string()).as_deref(),
        Some("2017-03-06")
    );
    let l = labels(&doc);
    assert_eq!(l.len(), 11);
    assert_eq!(l[0], (13, "March 6 2017 22:59"));
    assert_eq!(l[8], (49, "March 12 19:57"));
    assert_eq!(
        l[10],
        (82, "23:27"),
        "`## 23:27 ##` inside the timeline is an entry"
    );
    // The diff in the 23:21 entry's code block holds no entries but stays in its text.
    assert!(doc.timeline[9].text.contains("Subproject commit"));
    let groups: Vec<_> = doc
        .action_items
        .iter()
        .map(|a| a.group.as_deref())
        .collect();
    assert_eq!(groups, [Some("Process"); 3]);
    assert_eq!(
        rules(&doc),
        [
            ("structure/heading-hashes", Some(49)),
            ("structure/heading-hashes", Some(53))
        ]
    );
}

#[test]
fn seed_002_plain_text_report() {
    let doc = parse_file("seeds/002_ac7656323abe273b.txt");
    assert_eq!(doc.format, SourceFormat::PlainText);
    assert_eq!(
        doc.title.as_deref(),
        Some("Accidental merge to prod brings things down")
    );
    assert_eq!(
        labels(&doc),
        [
            (5, "2018-01-25 14:30"),
            (8, "15:30"),
            (10, "16:11"),
            (12, "16:35")
        ]
    );
    assert!(
        doc.timeline[0].text.ends_with("until after 7p."),
        "both lines of the first entry: {}",
        doc.timeline[0].text
    );
    let headings: Vec<_> = doc
        .sections
        .iter()
        .map(|s| (s.line, s.heading.as_str()))
        .collect();
    assert_eq!(
        headings,
        [
            (1, "Accidental merge to prod brings things down"),
            (2, "Summary"),
            (4, "Timeline"),
            (14, "Conclusion"),
            (16, "Action items"),
            (17, "Process")
        ]
    );
    assert_eq!(doc.action_items.len(), 3);
    assert_eq!(doc.action_items[2].line, 20);
    assert_eq!(doc.action_items[0].group.as_deref(), Some("Process"));
    assert!(doc.findings.is_empty(), "{:?}", doc.findings);
}

#[test]
fn seed_003_front_matter_days_and_implemented_markers() {
    let doc = parse_file("seeds/003_844c2ec2064c4421.txt");
    assert_eq!(
        doc.title.as_deref(),
        Some("Post-mortem for cluster \"weekly-51\" in DEV environment 2019-01-19")
    );
    assert_eq!(doc.front_matter.fields["layout"], "document");
    assert_eq!(
        labels(&doc),
        [
            (11, "2019-01-19 Saturday"),
            (21, "2019-01-21 Monday"),
            (32, "2019-01-25 Friday")
        ]
    );
    assert!(
        doc.timeline[1]
            .text
            .contains("We start on the \"refactor DEV infrastructure\" story")
    );
    let items: Vec<_> = doc.action_items.iter().map(|a| (a.line, a.done)).collect();
    assert_eq!(items, [(55, true), (56, true), (57, false), (58, false)]);
    assert_eq!(doc.action_items[0].section, "Mitigations");
}

#[test]
fn seed_004_unclosed_fence_does_not_swallow_the_rest() {
    let doc = parse_file("seeds/004_f2771ccd2a125e0d.txt");
    assert_eq!(
        labels(&doc),
        [
            (7, "2018-01-26 15:00"),
            (11, "15:15"),
            (25, "15:33"),
            (29, "13:40"),
            (33, "13:50")
        ]
    );
    assert!(
        doc.timeline[1]
            .text
            .contains("The master is cordoned on prod")
    );
    assert_eq!(
        doc.action_items.len(),
        3,
        "action items after the broken fence survive"
    );
    assert_eq!(
        rules(&doc),
        [
            ("metadata/missing-title", None),
            ("structure/unclosed-fence", Some(15))
        ]
    );
    assert!(doc.findings[1].message.contains("line 21"));
}

#[test]
fn datahub_process_checklist_is_not_action_items() {
    let doc = parse_file("berkeley-dsep-infra__datahub/2024-core-node-incidents.qmd");
    assert_eq!(doc.timeline.len(), 21);
    assert_eq!(
        doc.action_items.len(),
        5,
        "`None.` and the `## Actions` checklist are not items"
    );
    let doc = parse_file(
        "berkeley-dsep-infra__datahub/2022-01-20-package-dependency-upgrade-incident.qmd",
    );
    assert_eq!(doc.action_items.len(), 8);
    assert_eq!(doc.timeline[1].label, "{{ 06:10 }}");
    assert!(
        doc.findings
            .iter()
            .any(|f| f.rule == "structure/template-placeholder")
    );
}

#[test]
fn done_markers_and_refs() {
    let doc = parse_file("berkeley-dsep-infra__datahub/2017-03-20-too-many-volumes.qmd");
    let done: Vec<_> = doc
        .action_items
        .iter()
        .filter(|a| a.done)
        .map(|a| a.line)
        .collect();
    assert_eq!(done, [66]);
    assert_eq!(
        doc.action_items[1].refs,
        ["https://github.com/data-8/infrastructure/issues/17"]
    );
    let md = "## Action items\n\n- [x] task done\n- ~~struck out~~\n- Fix it (DONE)\n- **(Done as of 2021-06-30)** thing\n- Open item JIRA-123, see #42\n  - nested detail\n";
    let doc = parse_document("x.md", md);
    let done: Vec<_> = doc.action_items.iter().map(|a| a.done).collect();
    assert_eq!(done, [true, true, true, true, false]);
    assert_eq!(doc.action_items[4].refs, ["#42", "JIRA-123"]);
    assert_eq!(doc.action_items[4].children, ["nested detail"]);
}

#[test]
fn table_bullet_and_line_timelines() {
    let doc = parse_file(
        "dfds__postmortems/PM2019-009 - Kubernetes network infrastructure IP starvation.md",
    );
    assert_eq!(doc.timeline.len(), 14);
    assert!(doc.timeline.iter().all(|e| e.kind == EntryKind::TableRow));
    assert_eq!(doc.timeline[5].label, "2019-12-03 --:--");
    let doc = parse_file("kubernetes__test-infra/2019-01-23.md");
    assert_eq!(doc.timeline.len(), 11);
    assert_eq!(
        (
            doc.timeline[0].label.as_str(),
            doc.timeline[0].context.as_deref()
        ),
        ("2:54 PM PST", Some("2019-01-22"))
    );
    assert_eq!(doc.timeline[2].context.as_deref(), Some("2019-01-23"));
    let doc = parse_document(
        "t.md",
        "## Timeline\n\n14:10 - alert fires\n14:12 - paged\nstill paging\n\n> [14:13] chat log\n",
    );
    assert_eq!(labels(&doc), [(3, "14:10"), (4, "14:12")]);
    assert_eq!(doc.timeline[1].text, "paged\nstill paging");
}

/// Every shipped post-mortem, parsed: a change in behaviour shows up in review.
#[test]
fn corpus_snapshots() {
    let files = coroner::input::collect_files(&[incidents()]).expect("incidents folder");
    assert_eq!(files.len(), 72, "{files:?}");
    for path in files {
        let rel = path
            .strip_prefix(incidents())
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let text = coroner::input::read_text(&path).expect("readable");
        let doc = parse_document(&rel, &text);
        let name = rel.replace(['/', ' '], "_");
        insta::assert_json_snapshot!(format!("parse__{name}"), summary(&doc));
    }
}

/// A compact view of a document for snapshots (texts cut to keep reviews readable).
fn summary(doc: &Document) -> serde_json::Value {
    let cut = |s: &str| -> String { s.chars().take(90).collect() };
    serde_json::json!({
        "title": doc.title, "date": doc.date, "date_source": doc.date_source, "format": doc.format,
        "sections": doc.sections.iter().map(|s| format!("{} {:?} {}", s.line, s.kind, s.heading)).collect::<Vec<_>>(),
        "timeline": doc.timeline.iter().map(|e| serde_json::json!({
            "line": e.line, "label": e.label, "kind": e.kind, "context": e.context, "text": cut(&e.text)
        })).collect::<Vec<_>>(),
        "action_items": doc.action_items.iter().map(|a| serde_json::json!({
            "line": a.line, "done": a.done, "group": a.group, "refs": a.refs, "children": a.children.len(), "text": cut(&a.text)
        })).collect::<Vec<_>>(),
        "findings": doc.findings.iter().map(|f| format!("{}:{} {} {}", f.line.unwrap_or(0), f.severity, f.rule, f.message)).collect::<Vec<_>>(),
    })
}

fn coroner() -> Command {
    Command::new(env!("CARGO_BIN_EXE_coroner"))
}

#[test]
fn cli_parse_json_keys_and_order() {
    let a = incidents().join("seeds/002_ac7656323abe273b.txt");
    let b = incidents().join("seeds/000_954bac17e647708a.txt");
    let out = coroner()
        .args(["parse", "--format", "json"])
        .arg(&a)
        .arg(&b)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json array");
    let docs = v.as_array().expect("array");
    assert_eq!(docs.len(), 2);
    assert!(
        docs[0]["source"]
            .as_str()
            .unwrap_or("")
            .ends_with("002_ac7656323abe273b.txt")
    );
    for key in [
        "source",
        "title",
        "date",
        "timezone",
        "timeline",
        "action_items",
        "findings",
    ] {
        assert!(docs[1].get(key).is_some(), "missing key {key}");
    }
    for key in ["line", "label", "local", "utc", "text"] {
        assert!(
            docs[0]["timeline"][0].get(key).is_some(),
            "missing entry key {key}"
        );
    }
    for key in ["line", "text", "done", "group"] {
        assert!(
            docs[0]["action_items"][0].get(key).is_some(),
            "missing item key {key}"
        );
    }
    for key in ["rule", "severity", "line", "message", "suggestion"] {
        assert!(
            docs[1]["findings"][0].get(key).is_some(),
            "missing finding key {key}"
        );
    }
}

#[test]
fn cli_parse_unreadable_files_are_named_and_others_still_parsed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = dir.path().join("blob.md");
    std::fs::write(&bin, b"\x00\x01binary").expect("write");
    let latin1 = dir.path().join("latin1.md");
    std::fs::write(&latin1, b"# Title\n\ncaf\xe9\n").expect("write");
    let good = incidents().join("seeds/003_844c2ec2064c4421.txt");
    let out = coroner()
        .arg("parse")
        .arg(&bin)
        .arg(dir.path().join("missing.md"))
        .arg(&latin1)
        .arg(&good)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("blob.md") && err.contains("binary"), "{err}");
    assert!(err.contains("missing.md"), "{err}");
    assert!(err.contains("latin1.md:3: not valid UTF-8"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(1));
}

#[test]
fn cli_usage_errors_exit_2() {
    let out = coroner()
        .args(["parse", "--format", "yaml", "x.md"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = coroner().arg("parse").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
}
