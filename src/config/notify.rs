//! `[[notify]]`: where `watch` sends each transition (a webhook), in which format, and which
//! kinds. The URL is a secret (a Slack webhook carries its token in the path): it is read from
//! an environment variable or a file named in the config, never written in it, and never logged
//! — a notifier is named by where its URL comes from.

use std::path::PathBuf;

use serde::Deserialize;

/// One `[[notify]]` table as written.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NotifyFile {
    /// The environment variable holding the webhook URL.
    pub url_env: Option<String>,
    /// A file holding the webhook URL (its first line), e.g. a systemd credential.
    pub url_file: Option<PathBuf>,
    /// `slack` (`{"text": …}`) or `json` (one object per transition).
    pub format: Option<Format>,
    /// Which transitions: `bgp`, `connection`, `path`, `intent`, `finding` (default: all).
    pub events: Option<Vec<Kind>>,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Slack,
    Json,
}

/// A kind of transition a notifier can be sent.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A BGP session of a VIF went down or up.
    Bgp,
    /// A DX connection changed state.
    Connection,
    /// A VPC lost its last working path to on-prem, or got one back.
    Path,
    /// A declared intent broke or healed.
    Intent,
    /// A new critical or high finding.
    Finding,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Bgp,
        Kind::Connection,
        Kind::Path,
        Kind::Intent,
        Kind::Finding,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Bgp => "bgp",
            Kind::Connection => "connection",
            Kind::Path => "path",
            Kind::Intent => "intent",
            Kind::Finding => "finding",
        }
    }
}

/// A notifier ready to send to.
#[derive(Clone, PartialEq)]
pub struct Notifier {
    /// How it is named in messages, logs and metrics: `env:VAR` or `file:PATH`.
    pub name: String,
    /// The webhook URL (a secret: not in `Debug`).
    pub url: String,
    pub format: Format,
    pub kinds: Vec<Kind>,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifier")
            .field("name", &self.name)
            .field("url", &"********")
            .field("format", &self.format)
            .field("kinds", &self.kinds)
            .finish()
    }
}

/// The notifiers of the config file `file_name`.
///
/// Errors (one line, naming the table and the field, never the URL): neither or both of
/// `url_env` and `url_file`, a variable that is not set, a file that cannot be read, a value
/// that is not an http(s) URL.
pub fn resolve(tables: &[NotifyFile], file_name: &str) -> Result<Vec<Notifier>, String> {
    tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let at = format!("config {file_name}: notify {}", i + 1);
            let (name, url) = match (&t.url_env, &t.url_file) {
                (Some(var), None) => {
                    let url = std::env::var(var)
                        .map_err(|_| format!("{at}: field `url_env`: {var} is not set"))?;
                    (format!("env:{var}"), url)
                }
                (None, Some(path)) => {
                    let text = std::fs::read_to_string(path)
                        .map_err(|e| format!("{at}: field `url_file`: {}: {e}", path.display()))?;
                    let url = text.lines().next().unwrap_or_default().to_string();
                    (format!("file:{}", path.display()), url)
                }
                _ => return Err(format!("{at}: give one of `url_env` or `url_file`")),
            };
            let url = url.trim().to_string();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(format!("{at}: the URL from {name} is not an http(s) URL"));
            }
            Ok(Notifier {
                name,
                url,
                format: t.format.unwrap_or_default(),
                kinds: t.events.clone().unwrap_or_else(|| Kind::ALL.to_vec()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each mistake is one line naming the table and the field; the URL itself is never said.
    #[test]
    fn a_notifier_is_resolved_or_refused_without_its_url() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hook");
        std::fs::write(
            &file,
            "https://hooks.example.com/services/T0/B0/s3cr3t-token\n",
        )
        .unwrap();
        let table = |env: Option<&str>, path: Option<&std::path::Path>| NotifyFile {
            url_env: env.map(str::to_string),
            url_file: path.map(|p| p.to_path_buf()),
            ..Default::default()
        };
        let ok = resolve(&[table(None, Some(&file))], "c.toml").unwrap();
        assert_eq!(
            ok[0].url,
            "https://hooks.example.com/services/T0/B0/s3cr3t-token"
        );
        assert_eq!(ok[0].kinds, Kind::ALL.to_vec());
        assert!(!format!("{ok:?}").contains("s3cr3t"), "{ok:?}");
        let unset = "CROSSCONNECT_TEST_HOOK_NEVER_SET";
        let err = resolve(&[table(Some(unset), None)], "c.toml").unwrap_err();
        assert_eq!(
            err,
            format!("config c.toml: notify 1: field `url_env`: {unset} is not set")
        );
        let err = resolve(&[table(Some(unset), Some(&file))], "c.toml").unwrap_err();
        assert!(err.contains("give one of `url_env` or `url_file`"), "{err}");
        std::fs::write(&file, "hooks.example.com/s3cr3t-token").unwrap();
        let err = resolve(&[table(None, Some(&file))], "c.toml").unwrap_err();
        assert!(
            err.contains("is not an http(s) URL") && !err.contains("s3cr3t"),
            "{err}"
        );
    }
}
