//! The configuration file, `$XDG_CONFIG_HOME/crossconnect/config.toml` (or `--config PATH`):
//! parsed once into all-`Option` file types ([`ConfigFile`]), then resolved with the command
//! line (which wins) into the runtime settings. A broken file is refused naming the file, the
//! field and the reason; `crossconnect config --default` prints a commented default file.

pub mod changes;
pub mod keymap;
pub mod notify;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::GlobalArgs;
use crate::findings::Severity;

/// The whole file; every field optional.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub scope: Option<ScopeFile>,
    pub ui: Option<UiFile>,
    pub paths: Option<PathsFile>,
    pub history: Option<HistoryFile>,
    pub dns: Option<DnsFile>,
    pub changes: Option<changes::ChangesFile>,
    pub watch: Option<WatchFile>,
    pub notify: Option<Vec<notify::NotifyFile>>,
    /// Action name (the `:` command name) → key or keys.
    pub keys: Option<BTreeMap<String, OneOrMany>>,
}

/// `[scope]`: what a plain `crossconnect` reads.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScopeFile {
    /// Named AWS profiles, one account each (`--profile` repeated).
    pub profiles: Option<Vec<String>>,
    pub regions: Option<Vec<String>>,
    /// Role to assume in each organisation account (`--org-role`).
    pub org_role: Option<String>,
}

/// `[ui]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UiFile {
    /// Poll interval in seconds (1–86 400).
    pub refresh: Option<u64>,
    /// `dark`, `light` or a theme file path.
    pub theme: Option<String>,
    /// Mouse: click selects, wheel scrolls (default on).
    pub mouse: Option<bool>,
    /// Log level directives when `CROSSCONNECT_LOG` is not set (default `info`).
    pub log_level: Option<String>,
    /// Seconds between the slow reads: CloudWatch metrics and VIF route counts (default 300).
    pub telemetry_refresh: Option<u64>,
}

/// `[watch]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WatchFile {
    /// `ADDR:PORT` where `watch` serves `/metrics` and `/healthz` (as `watch --listen`).
    pub listen: Option<std::net::SocketAddr>,
}

/// `[paths]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PathsFile {
    pub journal: Option<PathBuf>,
    pub log: Option<PathBuf>,
    pub history: Option<PathBuf>,
    /// Declared intents (`crossconnect verify`).
    pub intents: Option<PathBuf>,
}

/// `[history]`: the change history and the rules over it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HistoryFile {
    /// Days of events kept (default 30).
    pub retention_days: Option<i64>,
    /// A BGP session that went down this many times in 24 h is a finding (default 3).
    pub flap_threshold: Option<usize>,
    /// A connection down longer than this many minutes is a finding (default 15).
    pub down_minutes: Option<i64>,
}

/// `[dns]`: the severity of the DNS hygiene rules, or `off`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DnsFile {
    /// A VPC whose DNS queries are not logged, R53R-005 (default `low`).
    pub query_logging: Option<String>,
    /// A VPC without DNSSEC validation, R53R-006 (default `info`).
    pub dnssec_validation: Option<String>,
}

/// The history settings resolved ([`HistoryFile`] with defaults): the core crate's.
pub use crossconnect_core::findings::history::HistorySettings;

/// A key or a list of keys.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// What the file resolves to beyond the command line's own options.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The file read, if any.
    pub path: Option<PathBuf>,
    pub keymap: keymap::Keymap,
    pub mouse: bool,
    pub log_level: Option<String>,
    pub history: HistorySettings,
    /// Between the slow reads (CloudWatch metrics, VIF route counts).
    pub telemetry_every: std::time::Duration,
    /// `[changes]`: the change window and whether a ticket is required.
    pub changes: changes::ChangePolicy,
    /// `[watch] listen`: where `watch` serves its metrics (`--listen` wins).
    pub watch_listen: Option<std::net::SocketAddr>,
    /// `[[notify]]`: where `watch` sends transitions.
    pub notify: Vec<notify::Notifier>,
}

/// `[ui] telemetry_refresh` (60–86 400 s, default 300).
fn telemetry_every(file: &ConfigFile, name: &str) -> Result<std::time::Duration, String> {
    match file.ui.as_ref().and_then(|u| u.telemetry_refresh) {
        None => Ok(crate::aws::poll::TELEMETRY_EVERY),
        Some(s) if (60..=86_400).contains(&s) => Ok(std::time::Duration::from_secs(s)),
        Some(s) => Err(format!(
            "config {name}: field `ui.telemetry_refresh`: {s} is not 60–86400 seconds"
        )),
    }
}

/// The default config path: `$XDG_CONFIG_HOME/crossconnect/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("crossconnect").join("config.toml"))
}

/// Reads and parses a config file; the error names the file, the field and the reason.
pub fn parse_file(path: &Path) -> Result<ConfigFile, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("config {}: cannot read: {e}", path.display()))?;
    parse_str(&text).map_err(|e| format!("config {}: {e}", path.display()))
}

/// Parses config text; the error names the field (`ui.refresh: invalid type …`).
pub fn parse_str(text: &str) -> Result<ConfigFile, String> {
    let de = toml::Deserializer::parse(text).map_err(|e| e.to_string().trim().to_string())?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner().message().to_string();
        if field == "." || field.is_empty() {
            inner
        } else {
            format!("field `{field}`: {inner}")
        }
    })
}

/// Loads the config (`--config PATH`, else the default path when it exists), applies it under
/// the command line (a flag given wins) and resolves the keymap. `workflows` as for
/// [`keymap::Keymap::resolve`].
pub fn load(g: &mut GlobalArgs, workflows: &[(&str, char, Vec<&str>)]) -> Result<Settings, String> {
    let path = match &g.config {
        Some(p) => Some(p.clone()),
        None => default_path().filter(|p| p.exists()),
    };
    let file = match &path {
        Some(p) => parse_file(p)?,
        None => ConfigFile::default(),
    };
    let name = path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "the defaults".into());
    if let Some(scope) = &file.scope {
        if g.profiles.is_empty() {
            g.profiles = scope.profiles.clone().unwrap_or_default();
        }
        if g.org_role.is_none() {
            g.org_role = scope.org_role.clone();
        }
        if g.regions.is_empty() {
            g.regions = scope.regions.clone().unwrap_or_default();
        }
    }
    if let Some(ui) = &file.ui {
        if let Some(r) = ui.refresh {
            if !(1..=86_400).contains(&r) {
                return Err(format!(
                    "config {name}: field `ui.refresh`: {r} is not 1–86400 seconds"
                ));
            }
            g.refresh = g.refresh.or(Some(r));
        }
        g.theme = g.theme.clone().or(ui.theme.clone());
    }
    if let Some(p) = &file.paths {
        g.journal = g.journal.clone().or(p.journal.clone());
        g.log_file = g.log_file.clone().or(p.log.clone());
        g.history = g.history.clone().or(p.history.clone());
        g.intents = g.intents.clone().or(p.intents.clone());
    }
    let mut history = HistorySettings::default();
    if let Some(h) = &file.history {
        if let Some(d) = h.retention_days {
            if !(1..=3650).contains(&d) {
                return Err(format!(
                    "config {name}: field `history.retention_days`: {d} is not 1–3650 days"
                ));
            }
            history.retention_days = d;
        }
        if let Some(n) = h.flap_threshold {
            if n == 0 {
                return Err(format!(
                    "config {name}: field `history.flap_threshold`: must be at least 1"
                ));
            }
            history.flap_threshold = n;
        }
        if let Some(m) = h.down_minutes {
            if m < 1 {
                return Err(format!(
                    "config {name}: field `history.down_minutes`: must be at least 1"
                ));
            }
            history.down_minutes = m;
        }
    }
    if let Some(d) = &file.dns {
        let level = |field: &str, v: &Option<String>, now: Option<Severity>| {
            match v.as_deref() {
            None => Ok(now),
            Some("off") => Ok(None),
            Some(v) => <Severity as clap::ValueEnum>::from_str(v, true).map(Some).map_err(|_| {
                format!("config {name}: field `dns.{field}`: {v:?} is not off, info, low, medium, high or critical")
            }),
        }
        };
        history.query_logging = level("query_logging", &d.query_logging, history.query_logging)?;
        history.dnssec_validation = level(
            "dnssec_validation",
            &d.dnssec_validation,
            history.dnssec_validation,
        )?;
    }
    let overrides: BTreeMap<String, Vec<String>> = file
        .keys
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.into_vec()))
        .collect();
    let keymap = keymap::Keymap::resolve(&overrides, workflows).map_err(|e| {
        let (field, why) = e.split_once(": ").unwrap_or(("keys", e.as_str()));
        format!("config {name}: field `{field}`: {why}")
    })?;
    Ok(Settings {
        path,
        keymap,
        mouse: file.ui.as_ref().and_then(|u| u.mouse).unwrap_or(true),
        log_level: file.ui.as_ref().and_then(|u| u.log_level.clone()),
        history,
        telemetry_every: telemetry_every(&file, &name)?,
        changes: match &file.changes {
            Some(c) => changes::ChangePolicy::from_file(c, &name)?,
            None => changes::ChangePolicy::default(),
        },
        watch_listen: file.watch.as_ref().and_then(|w| w.listen),
        notify: notify::resolve(file.notify.as_deref().unwrap_or_default(), &name)?,
    })
}

/// `crossconnect config --default`.
pub const DEFAULT_FILE: &str = r#"# crossconnect configuration: $XDG_CONFIG_HOME/crossconnect/config.toml (or --config PATH).
# Every setting is optional; a command-line flag given wins over the file.

[scope]
# profiles = ["network-prod"]        # AWS profiles (SSO and assume-role work as in the AWS CLI)
# regions = ["us-east-1", "eu-west-2"]
# org_role = "CrossconnectReadOnly"  # role to assume in each organisation account

[ui]
# refresh = 30                       # seconds between polls
# theme = "dark"                     # dark, light, or a theme file path
# mouse = true                       # click selects, wheel scrolls
# log_level = "info"                 # when CROSSCONNECT_LOG is not set
# telemetry_refresh = 300            # seconds between CloudWatch metric and VIF route reads

[paths]
# journal = "~/.local/state/crossconnect/journal.jsonl"
# log = "~/.local/state/crossconnect/crossconnect.log"
# history = "~/.local/state/crossconnect/history.sqlite"
# intents = "~/.config/crossconnect/intents.toml"   # crossconnect verify

[history]
# retention_days = 30                # events older than this are deleted
# flap_threshold = 3                 # BGP downs in 24 h that make a finding
# down_minutes = 15                  # a connection down longer than this is a finding

[dns]
# query_logging = "low"              # a VPC whose DNS queries are not logged (R53R-005); off, info … critical
# dnssec_validation = "info"         # a VPC without DNSSEC validation (R53R-006); off, info … critical

[watch]
# listen = "127.0.0.1:9730"          # serve /metrics (OpenMetrics) and /healthz (as watch --listen)

# [[notify]]                         # watch sends each transition (repeatable)
# url_env = "CROSSCONNECT_SLACK_URL" # the webhook URL from this variable (or url_file = PATH)
# format = "slack"                   # slack | json
# events = ["bgp", "connection", "path", "intent", "finding"]

[changes]
# window = "22:00-04:00"             # UTC; changes sent outside it are refused (may wrap midnight)
# days = ["sat", "sun"]              # the days the window opens on (default: every day)
# require_ticket = false             # true: --ticket ID is needed to send, and is journaled

[keys]
# Action names are the : command names; keys as crokey writes them (q, ctrl-q, F5, shift-g).
# quit = "ctrl-q"
# refresh = ["r", "F5"]
# copy-id = "y"
# accept-peering = "a"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_parses_and_broken_ones_name_the_field() {
        let d = parse_str(DEFAULT_FILE).unwrap();
        assert!(d.keys.unwrap_or_default().is_empty() && d.scope.unwrap().regions.is_none());
        let e = parse_str("[ui]\nrefresh = \"soon\"\n").unwrap_err();
        assert!(e.contains("ui.refresh"), "{e}");
        let e = parse_str("[ui]\ncolour = 1\n").unwrap_err();
        assert!(e.contains("colour"), "{e}");
        let f = parse_str("[keys]\nquit = \"ctrl-q\"\nrefresh = [\"r\", \"F5\"]\n").unwrap();
        assert_eq!(
            f.keys.unwrap()["refresh"],
            OneOrMany::Many(vec!["r".into(), "F5".into()])
        );
    }

    #[test]
    fn dns_severities_are_set_turned_off_or_refused_by_field() {
        let dir = tempfile::tempdir().unwrap();
        let load_with = |text: &str| {
            let path = dir.path().join("config.toml");
            std::fs::write(&path, text).unwrap();
            let mut g = GlobalArgs {
                config: Some(path),
                ..Default::default()
            };
            load(&mut g, &[])
        };
        let s = load_with("").unwrap();
        assert_eq!(
            (s.history.query_logging, s.history.dnssec_validation),
            (Some(Severity::Low), Some(Severity::Info)),
            "the defaults"
        );
        let s =
            load_with("[dns]\nquery_logging = \"medium\"\ndnssec_validation = \"off\"\n").unwrap();
        assert_eq!(
            (s.history.query_logging, s.history.dnssec_validation),
            (Some(Severity::Medium), None)
        );
        let e = load_with("[dns]\ndnssec_validation = \"loud\"\n").unwrap_err();
        assert!(
            e.contains("dns.dnssec_validation") && e.contains("loud"),
            "{e}"
        );
    }
}
