//! `coroner lint` end to end: output formats, rule levels from flags and `coroner.toml`,
//! the default zone, and exit statuses (0 clean, 1 errors, 2 usage or unreadable input).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents/seeds")
}

fn seed(name: &str) -> PathBuf {
    seeds().join(name)
}

/// Run `coroner lint` in an empty directory (so no stray `coroner.toml` applies).
fn lint(args: &[&str], paths: &[PathBuf]) -> (Output, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    lint_in(dir.path(), args, paths)
}

fn lint_in(dir: &Path, args: &[&str], paths: &[PathBuf]) -> (Output, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_coroner"))
        .current_dir(dir)
        .env_remove("CORONER_TIMEZONE")
        .env("NO_COLOR", "1")
        .arg("lint")
        .args(args)
        .args(paths)
        .output()
        .expect("coroner runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

#[test]
fn text_output_is_rustc_style() {
    let (out, stdout, stderr) = lint(&[], &[seed("000_954bac17e647708a.txt")]);
    assert_eq!(out.status.code(), Some(0), "warnings do not fail: {stderr}");
    let expected = "warning[timeline/out-of-order]: `21:31` is earlier than `23:21` on line 21, the entry before it, and so are the 4 entries after it (lines 25–41)\n";
    assert!(stdout.contains(expected), "{stdout}");
    assert!(stdout.contains("000_954bac17e647708a.txt:25\n"), "{stdout}");
    assert!(stdout.contains("25 | ### 21:31 ###\n"), "{stdout}");
    assert!(stdout.contains("= help: a consistent hour slip: lines 25–41 probably read 23:31, 23:41, 23:45, 23:46, 23:50"));
    assert!(
        !stdout.contains("info["),
        "info findings are hidden by default"
    );
    assert!(
        stderr.contains("coroner lint: 0 errors, 4 warnings in 1 of 1 file; 1 info finding hidden"),
        "{stderr}"
    );
    let (_, verbose, _) = lint(&["-v"], &[seed("000_954bac17e647708a.txt")]);
    assert!(verbose.contains("info[timeline/no-date]"), "{verbose}");
}

#[test]
fn deny_warnings_fails_and_allow_silences() {
    let files = [seed("004_f2771ccd2a125e0d.txt")];
    let (out, stdout, _) = lint(&["--deny", "warnings"], &files);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("error[timeline/out-of-order]"), "{stdout}");
    let (out, stdout, _) = lint(
        &[
            "--deny",
            "warnings",
            "--allow",
            "timeline/*",
            "-A",
            "structure/*",
            "-A",
            "metadata/*",
        ],
        &files,
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("out-of-order"));
    let (out, stdout, _) = lint(&["--deny", "timeline/out-of-order"], &files);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains("warning[structure/unclosed-fence]"),
        "other rules keep their level"
    );
}

#[test]
fn config_file_levels_and_flags_on_top() {
    let dir = tempfile::tempdir().expect("temp dir");
    let toml = "[lint.rules]\n\"timeline/out-of-order\" = \"deny\"\n\"structure/*\" = \"allow\"\n";
    std::fs::write(dir.path().join("coroner.toml"), toml).expect("write config");
    let files = [seed("004_f2771ccd2a125e0d.txt")];
    let (out, stdout, _) = lint_in(dir.path(), &[], &files);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("error[timeline/out-of-order]"));
    assert!(!stdout.contains("structure/unclosed-fence"));
    let (out, _, _) = lint_in(dir.path(), &["--warn", "timeline/out-of-order"], &files);
    assert_eq!(out.status.code(), Some(0), "flags beat the file");
    std::fs::write(
        dir.path().join("coroner.toml"),
        "[lint.rules]\n\"timeline/nope\" = \"deny\"\n",
    )
    .expect("write");
    let (out, _, stderr) = lint_in(dir.path(), &[], &files);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("unknown rule `timeline/nope`"), "{stderr}");
}

#[test]
fn json_output_lists_every_finding() {
    let (out, stdout, _) = lint(&["--format", "json"], &[seeds()]);
    assert_eq!(out.status.code(), Some(0));
    let diags: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let diags = diags.as_array().expect("array");
    let ooo: Vec<_> = diags
        .iter()
        .filter(|d| d["rule"] == "timeline/out-of-order")
        .map(|d| {
            (
                d["file"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string(),
                d["line"].as_u64(),
            )
        })
        .collect();
    assert_eq!(
        ooo,
        [
            ("000_954bac17e647708a.txt".to_string(), Some(25)),
            ("001_0023c0146dd77070.txt".to_string(), Some(29)),
            ("004_f2771ccd2a125e0d.txt".to_string(), Some(29)),
        ]
    );
    assert!(
        diags.iter().any(|d| d["severity"] == "info"),
        "JSON keeps info findings"
    );
    let first = &diags[0];
    for key in ["file", "line", "rule", "severity", "message", "suggestion"] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
}

#[test]
fn github_annotations() {
    let (out, stdout, _) = lint(&["--format", "github"], &[seed("001_0023c0146dd77070.txt")]);
    assert_eq!(out.status.code(), Some(0));
    let line = stdout
        .lines()
        .find(|l| l.contains("title=timeline/out-of-order"))
        .expect("annotation");
    assert!(line.starts_with("::warning file="), "{line}");
    assert!(
        line.contains(
            "001_0023c0146dd77070.txt,line=29,title=timeline/out-of-order::`21:31` is earlier"
        ),
        "{line}"
    );
    assert!(line.contains("%0Ahelp: a consistent hour slip"), "{line}");
    assert!(stdout.lines().all(|l| l.starts_with("::")), "{stdout}");
}

#[test]
fn default_zone_from_the_flag() {
    let files = [seed("002_ac7656323abe273b.txt")];
    let (_, stdout, _) = lint(&["-v", "--timezone", "Europe/Oslo"], &files);
    assert!(
        stdout.contains("its times are read as Europe/Oslo, the default"),
        "{stdout}"
    );
    let (out, _, stderr) = lint(&["--timezone", "Mars/Olympus"], &files);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("unknown time zone `Mars/Olympus`"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_and_unreadable_files_exit_2() {
    let (out, _, stderr) = lint(&["--deny", "timeline/out-of-ordr"], &[seeds()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("did you mean `timeline/out-of-order`?"),
        "{stderr}"
    );
    let missing = seeds().join("no-such-file.md");
    let (out, stdout, stderr) = lint(&[], &[missing, seed("004_f2771ccd2a125e0d.txt")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("no-such-file.md: cannot read"), "{stderr}");
    assert!(
        stdout.contains("timeline/out-of-order"),
        "the readable file is still checked"
    );
    let (out, _, _) = lint(&[], &[]);
    assert_eq!(out.status.code(), Some(2), "a path is required");
}

#[test]
fn list_rules() {
    let (out, stdout, _) = lint(&["--list-rules"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("timeline/out-of-order") && l.contains("warning"))
    );
    assert!(stdout.contains("timezone/inferred"));
}
