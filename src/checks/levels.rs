//! Rule levels: `allow`, `warn`, `deny` (and `info`) per rule code, per family
//! (`timezone/*`), for every rule (`*`), and for every warning (`warnings`), from
//! `coroner.toml`'s `[lint.rules]` and from flags. Flags beat the file; a rule code beats
//! a family, which beats `*`; `warnings` applies last, like `rustc -D warnings`.

use std::collections::BTreeMap;

use super::rules::Rule;
use crate::model::{Finding, Severity};

/// What to do with a rule's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Allow,
    Info,
    Warn,
    Deny,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_ascii_lowercase().as_str() {
            "allow" | "off" => Some(Level::Allow),
            "info" | "note" => Some(Level::Info),
            "warn" | "warning" => Some(Level::Warn),
            "deny" | "error" | "forbid" => Some(Level::Deny),
            _ => None,
        }
    }

    fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Info => Some(Severity::Info),
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }
}

/// What a level applies to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    /// Every finding left at warning level.
    Warnings,
    All,
    Family(String),
    /// A rule, by its code.
    Rule(&'static str),
}

/// Why a level could not be set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LevelError {
    #[error("unknown rule `{0}`{1}")]
    UnknownRule(String, String),
    #[error("unknown level `{level}` for `{rule}`: use allow, warn or deny")]
    UnknownLevel { rule: String, level: String },
}

/// Levels from one source (the configuration file, or the command line).
#[derive(Debug, Clone, Default)]
struct Layer {
    levels: BTreeMap<Target, Level>,
}

impl Layer {
    fn set(&mut self, pattern: &str, level: Level) -> Result<(), LevelError> {
        let target = parse_target(pattern)?;
        // Within one layer the stricter level wins a tie (`--allow x --deny x` denies).
        let slot = self.levels.entry(target).or_insert(level);
        *slot = (*slot).max(level);
        Ok(())
    }

    /// The most specific level set for `rule`.
    fn for_rule(&self, rule: Rule) -> Option<Level> {
        let family = rule.code().split('/').next().unwrap_or("");
        self.levels
            .get(&Target::Rule(rule.code()))
            .or_else(|| self.levels.get(&Target::Family(family.to_string())))
            .or_else(|| self.levels.get(&Target::All))
            .copied()
    }
}

/// The levels in force: configuration file first, flags on top.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    config: Layer,
    flags: Layer,
}

impl Levels {
    /// Levels from `[lint.rules]` (`"timeline/out-of-order" = "deny"`, `"timezone/*" =
    /// "allow"`, `warnings = "deny"`).
    pub fn from_config(rules: &BTreeMap<String, String>) -> Result<Levels, LevelError> {
        let mut levels = Levels::default();
        for (pattern, level) in rules {
            let parsed = Level::parse(level).ok_or_else(|| LevelError::UnknownLevel {
                rule: pattern.clone(),
                level: level.clone(),
            })?;
            levels.config.set(pattern, parsed)?;
        }
        Ok(levels)
    }

    /// A level from the command line (`--deny warnings`, `--allow timezone/*`).
    pub fn set_flag(&mut self, pattern: &str, level: Level) -> Result<(), LevelError> {
        self.flags.set(pattern, level)
    }

    /// The severity a finding is reported at, or `None` when its rule is allowed.
    /// Findings with codes outside the table keep their severity.
    pub fn severity(&self, finding: &Finding) -> Option<Severity> {
        let Some(rule) = Rule::from_code(&finding.rule) else {
            return Some(finding.severity);
        };
        let level = self
            .flags
            .for_rule(rule)
            .or_else(|| self.config.for_rule(rule));
        let severity = match level {
            Some(level) => level.severity()?,
            None => finding.severity,
        };
        let warnings = self
            .flags
            .levels
            .get(&Target::Warnings)
            .or(self.config.levels.get(&Target::Warnings));
        match (severity, warnings) {
            (Severity::Warning, Some(level)) => level.severity(),
            _ => Some(severity),
        }
    }

    /// Apply the levels: allowed findings dropped, the rest at their level.
    pub fn apply(&self, findings: &[Finding]) -> Vec<Finding> {
        findings
            .iter()
            .filter_map(|f| {
                self.severity(f).map(|severity| Finding {
                    severity,
                    ..f.clone()
                })
            })
            .collect()
    }
}

fn parse_target(pattern: &str) -> Result<Target, LevelError> {
    let p = pattern.trim();
    match p {
        "warnings" => return Ok(Target::Warnings),
        "*" | "all" => return Ok(Target::All),
        _ => {}
    }
    if let Some(family) = p.strip_suffix("/*") {
        if Rule::ALL
            .iter()
            .any(|r| r.code().starts_with(&format!("{family}/")))
        {
            return Ok(Target::Family(family.to_string()));
        }
    }
    if let Some(rule) = Rule::from_code(p) {
        return Ok(Target::Rule(rule.code()));
    }
    Err(LevelError::UnknownRule(p.to_string(), did_you_mean(p)))
}

fn did_you_mean(pattern: &str) -> String {
    let nearest = Rule::ALL
        .iter()
        .map(|r| {
            (
                crate::timeline::zones::edit_distance(pattern, r.code()),
                r.code(),
            )
        })
        .min_by_key(|(d, _)| *d);
    match nearest {
        Some((d, code)) if d <= 3 => format!("; did you mean `{code}`?"),
        _ => "; `coroner lint --list-rules` lists them".to_string(),
    }
}

#[cfg(test)]
#[path = "levels_tests.rs"]
mod tests;
