//! Settings from `coroner.toml`, the environment (`CORONER_*`, `DATABASE_URL`) and
//! flags, in that order of increasing precedence. Flags are applied by `cli/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The name of the configuration file looked for in the working directory.
pub const CONFIG_FILE: &str = "coroner.toml";

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// All of coroner's settings. Every field has a working default: no file is needed.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the embedded database and the search index live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; defaults to a SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// The post-mortems folder ingested by `serve`.
    pub incidents_dir: PathBuf,
    pub timeline: TimelineConfig,
    pub lint: LintConfig,
    pub server: ServerConfig,
    pub report: ReportConfig,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TimelineConfig {
    /// Zone for documents that declare none (IANA name such as `America/Los_Angeles`,
    /// an abbreviation such as `PST`, or an offset such as `UTC+1`). UTC when unset.
    pub default_timezone: Option<String>,
}

/// Rule levels for `coroner lint`: `allow`, `warn` or `deny`, by rule code or by
/// family (`timeline/*`), plus `warnings = "deny"` to fail on every warning.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LintConfig {
    pub rules: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub addr: String,
    /// Token required for writes; when unset, writes are accepted from loopback only.
    pub token: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportConfig {
    /// The team's zone for week boundaries; falls back to the timeline default, then UTC.
    pub timezone: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("data"),
            database_url: None,
            incidents_dir: PathBuf::from("incidents"),
            timeline: TimelineConfig::default(),
            lint: LintConfig::default(),
            server: ServerConfig::default(),
            report: ReportConfig::default(),
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            addr: "127.0.0.1:3000".into(),
            token: None,
        }
    }
}

impl Config {
    /// Load `path`, or `./coroner.toml` when it exists, then apply the environment.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let mut config = match path {
            Some(p) => Self::from_file(p)?,
            None if Path::new(CONFIG_FILE).is_file() => Self::from_file(Path::new(CONFIG_FILE))?,
            None => Config::default(),
        };
        config.apply_env(|key| std::env::var(key).ok());
        Ok(config)
    }

    /// Parse a configuration file.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: name.clone(),
            source,
        })?;
        Self::from_toml(&name, &text)
    }

    pub fn from_toml(name: &str, text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: name.to_string(),
            message: e.to_string().trim_end().to_string(),
        })
    }

    /// Environment overrides; `get` is injected so tests need not touch the process env.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) {
        if let Some(v) = get("CORONER_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = get("CORONER_DATABASE_URL").or_else(|| get("DATABASE_URL")) {
            self.database_url = Some(v);
        }
        if let Some(v) = get("CORONER_INCIDENTS_DIR") {
            self.incidents_dir = v.into();
        }
        if let Some(v) = get("CORONER_TIMEZONE") {
            self.timeline.default_timezone = Some(v);
        }
        if let Some(v) = get("CORONER_TOKEN").filter(|v| !v.is_empty()) {
            self.server.token = Some(v);
        }
    }

    /// The database URL in force: configured, else a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}",
                self.data_dir.join("coroner.sqlite").display()
            ),
        }
    }

    /// The zone used for week boundaries in reports.
    pub fn report_timezone(&self) -> Option<&str> {
        self.report
            .timezone
            .as_deref()
            .or(self.timeline.default_timezone.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_file() {
        let c = Config::default();
        assert_eq!(c.database_url(), "sqlite://data/coroner.sqlite");
        assert_eq!(c.server.addr, "127.0.0.1:3000");
    }

    #[test]
    fn env_overrides_file() {
        let mut c = Config::from_toml(
            "t",
            "database_url = \"sqlite://x.db\"\n[timeline]\ndefault_timezone = \"PST\"\n",
        )
        .unwrap();
        c.apply_env(|k| (k == "DATABASE_URL").then(|| "postgres://h/db".to_string()));
        assert_eq!(c.database_url(), "postgres://h/db");
        assert_eq!(c.timeline.default_timezone.as_deref(), Some("PST"));
    }

    #[test]
    fn unknown_keys_are_errors_that_name_the_file() {
        let err = Config::from_toml("coroner.toml", "databse_url = 1").unwrap_err();
        assert!(err.to_string().starts_with("coroner.toml:"), "{err}");
    }
}
