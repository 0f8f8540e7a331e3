use super::*;

fn finding(rule: Rule) -> Finding {
    rule.finding(Some(1), "m")
}

fn config(pairs: &[(&str, &str)]) -> Levels {
    let map = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Levels::from_config(&map).expect("valid config")
}

#[test]
fn defaults_are_the_rule_table() {
    let levels = Levels::default();
    assert_eq!(
        levels.severity(&finding(Rule::OutOfOrder)),
        Some(Severity::Warning)
    );
    assert_eq!(
        levels.severity(&finding(Rule::Approximate)),
        Some(Severity::Info)
    );
}

#[test]
fn rule_beats_family_beats_all() {
    let levels = config(&[
        ("*", "deny"),
        ("timezone/*", "allow"),
        ("timezone/dst-mismatch", "warn"),
    ]);
    assert_eq!(levels.severity(&finding(Rule::TimezoneMissing)), None);
    assert_eq!(
        levels.severity(&finding(Rule::DstMismatch)),
        Some(Severity::Warning)
    );
    assert_eq!(
        levels.severity(&finding(Rule::OutOfOrder)),
        Some(Severity::Error)
    );
}

#[test]
fn flags_beat_the_file_and_deny_warnings_applies_last() {
    let mut levels = config(&[("timeline/out-of-order", "allow")]);
    assert_eq!(levels.severity(&finding(Rule::OutOfOrder)), None);
    levels
        .set_flag("timeline/out-of-order", Level::Warn)
        .expect("known");
    levels.set_flag("warnings", Level::Deny).expect("known");
    assert_eq!(
        levels.severity(&finding(Rule::OutOfOrder)),
        Some(Severity::Error)
    );
    assert_eq!(
        levels.severity(&finding(Rule::Approximate)),
        Some(Severity::Info)
    );
    levels
        .set_flag("timeline/approximate", Level::Warn)
        .expect("known");
    assert_eq!(
        levels.severity(&finding(Rule::Approximate)),
        Some(Severity::Error)
    );
}

#[test]
fn stricter_wins_a_tie_in_one_layer() {
    let mut levels = Levels::default();
    levels.set_flag("timeline/*", Level::Allow).expect("known");
    levels.set_flag("timeline/*", Level::Deny).expect("known");
    assert_eq!(
        levels.severity(&finding(Rule::OutOfOrder)),
        Some(Severity::Error)
    );
}

#[test]
fn apply_drops_allowed_findings() {
    let levels = config(&[("timeline/approximate", "allow")]);
    let out = levels.apply(&[finding(Rule::Approximate), finding(Rule::OutOfOrder)]);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].rule, "timeline/out-of-order");
}

#[test]
fn unknown_names_are_errors_with_a_suggestion() {
    let err = Levels::default()
        .set_flag("timeline/out-of-ordr", Level::Deny)
        .expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "unknown rule `timeline/out-of-ordr`; did you mean `timeline/out-of-order`?"
    );
    assert!(Levels::default().set_flag("nope/*", Level::Deny).is_err());
    let map = [("timeline/*".to_string(), "loud".to_string())]
        .into_iter()
        .collect();
    assert!(matches!(
        Levels::from_config(&map),
        Err(LevelError::UnknownLevel { .. })
    ));
}
