//! Declared intent: what the network promises ("payments reaches on-prem over two
//! locations", "corp.example.com forwards through two AZs"), checked against one poll by
//! `crossconnect verify`.
//!
//! An intent file is TOML with one `[[intent]]` table per intent (see [`Intent`]); its
//! selectors are resolved against what was read, and a selector that matches nothing is an
//! error, never a pass.

mod eval;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

pub use eval::{Check, Outcome, State, change_line, changed, verify};

use crate::graph::Index;
use crate::graph::index::parse_net;

/// An intent file: `[[intent]]` tables.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IntentFile {
    #[serde(default, rename = "intent")]
    pub intents: Vec<Intent>,
}

/// What is expected between two ends.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// Traffic gets there (and back, with `both_ways`).
    #[default]
    Reachable,
    /// Isolation: no way there (or none back).
    Unreachable,
}

/// One declared intent: either a path (`from`, `to`, `expect`, the minimum diversity) or a
/// Resolver forwarding rule (`dns_rule`, `min_endpoint_azs`, `targets_reachable`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Intent {
    pub name: String,
    /// `vpc:ID|NAME|glob`, `account:ID|NAME`, `tag:Name=VALUE`.
    pub from: Option<String>,
    /// A CIDR or an IP (on-prem or in a VPC), or a selector as `from`.
    pub to: Option<String>,
    #[serde(default)]
    pub expect: Expect,
    pub min_vifs: Option<usize>,
    pub min_connections: Option<usize>,
    pub min_devices: Option<usize>,
    pub min_locations: Option<usize>,
    /// The return path must hold too (default true).
    #[serde(default = "yes")]
    pub both_ways: bool,
    /// A Resolver rule by domain (`corp.example.com`), name or id (`rslvr-rr-…`).
    pub dns_rule: Option<String>,
    /// The rule's outbound endpoint has IPs in at least this many Availability Zones.
    pub min_endpoint_azs: Option<usize>,
    /// Every target IP of the rule is reachable from its outbound endpoint.
    #[serde(default)]
    pub targets_reachable: bool,
}

impl IntentFile {
    /// Parses and checks an intent file. Errors name the intent (by number and name) and the
    /// field, or the line TOML could not read.
    pub fn parse(text: &str) -> Result<IntentFile, String> {
        let file: IntentFile = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        if file.intents.is_empty() {
            return Err("no [[intent]] in it".into());
        }
        for (n, i) in file.intents.iter().enumerate() {
            i.check()
                .map_err(|e| format!("intent {} ({:?}): {e}", n + 1, i.name))?;
        }
        Ok(file)
    }
}

/// A TOML error in one line: the intent (by number and name) and the field it is in, when the
/// error points inside an `[[intent]]`, else the line.
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let Some(at) = e.span().map(|s| s.start.min(text.len())) else {
        return e.message().to_string();
    };
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let n = before.matches("[[intent]]").count();
    let this = text[before.rfind('\n').map_or(0, |i| i + 1)..]
        .lines()
        .next()
        .unwrap_or_default();
    let field = this
        .split_once('=')
        .map(|(k, _)| k.trim())
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    let name = text[before.rfind("[[intent]]").unwrap_or(0)..]
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "name").then(|| v.trim().trim_matches('"').to_string())
        })
        .filter(|_| n > 0)
        .map(|x| format!(" ({x:?})"))
        .unwrap_or_default();
    let message = e.message().trim();
    match (n, field) {
        (0, _) => format!("line {line}: {message}"),
        (n, Some(f)) => format!("intent {n}{name}: field {f} (line {line}): {message}"),
        (n, None) => format!("intent {n}{name} (line {line}): {message}"),
    }
}

fn yes() -> bool {
    true
}

/// Which VPCs a selector picks.
#[derive(Clone, Debug, PartialEq)]
pub enum Selector {
    /// By id or name, `*` and `?` as wildcards.
    Vpc(String),
    /// Every VPC of an account, by id or name.
    Account(String),
    /// The VPCs whose tag has this value (only `Name` is read).
    Tag(String, String),
}

/// The far end of a path intent.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Net(IpNet),
    Vpcs(Selector),
}

impl Selector {
    /// Parses `vpc:…`, `account:…` or `tag:KEY=VALUE`.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let bad = || {
            format!("{s:?} is not a selector: vpc:ID|NAME|glob, account:ID|NAME or tag:Name=VALUE")
        };
        let (kind, v) = s.split_once(':').ok_or_else(bad)?;
        if v.is_empty() {
            return Err(bad());
        }
        match kind {
            "vpc" => Ok(Selector::Vpc(v.to_string())),
            "account" => Ok(Selector::Account(v.to_string())),
            "tag" => match v.split_once('=') {
                Some(("Name", value)) => Ok(Selector::Tag("Name".into(), value.into())),
                Some((key, _)) => Err(format!(
                    "{s:?}: only the Name tag is read (DescribeVpcs' Name tag); {key} is not"
                )),
                None => Err(bad()),
            },
            _ => Err(bad()),
        }
    }

    /// The ids of the VPCs it picks, sorted.
    pub fn vpcs(&self, ix: &Index) -> Vec<String> {
        let e = ix.estate;
        let mut out: Vec<String> = ix
            .vpcs
            .values()
            .filter(|v| match self {
                Selector::Vpc(p) => glob(p, &v.id) || glob(p, &v.name),
                Selector::Account(a) => {
                    v.scope.account == *a || e.account_name(&v.scope.account) == a
                }
                Selector::Tag(_, value) => v.name == *value,
            })
            .map(|v| v.id.clone())
            .collect();
        out.sort();
        out
    }
}

/// Whether `text` matches `pattern` whole (`*` any run, `?` one character).
fn glob(pattern: &str, text: &str) -> bool {
    let re: String = pattern
        .split('*')
        .map(|run| {
            run.split('?')
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect::<Vec<_>>()
        .join(".*");
    regex::Regex::new(&format!("^{re}$")).is_ok_and(|r| r.is_match(text))
}

impl Intent {
    /// Checks the intent's fields (before anything is read); the error names the field.
    pub fn check(&self) -> Result<(), String> {
        match (&self.from, &self.to, &self.dns_rule) {
            (Some(from), Some(to), None) => {
                Selector::parse(from).map_err(|e| format!("from: {e}"))?;
                Target::parse(to).map_err(|e| format!("to: {e}"))?;
                if self.min_endpoint_azs.is_some() || self.targets_reachable {
                    return Err(
                        "min_endpoint_azs and targets_reachable go with dns_rule, not from/to"
                            .into(),
                    );
                }
                Ok(())
            }
            (None, None, Some(rule)) if !rule.trim().is_empty() => {
                let path_only = [
                    self.min_vifs,
                    self.min_connections,
                    self.min_devices,
                    self.min_locations,
                ];
                if path_only.iter().any(Option::is_some) || self.expect != Expect::Reachable {
                    return Err("expect and min_vifs/connections/devices/locations go with from/to, not dns_rule".into());
                }
                Ok(())
            }
            (Some(_), None, _) => Err("to: missing (from needs a to)".into()),
            (None, Some(_), _) => Err("from: missing (to needs a from)".into()),
            _ => Err(
                "give from and to (a path) or dns_rule (a Resolver rule), not both and not neither"
                    .into(),
            ),
        }
    }
}

impl Target {
    /// A CIDR or IP, else a selector.
    pub fn parse(s: &str) -> Result<Target, String> {
        match parse_net(s) {
            Some(net) => Ok(Target::Net(net)),
            None => Selector::parse(s).map(Target::Vpcs).map_err(|_| {
                format!("{s:?} is not a CIDR, an IP or a selector (vpc:…, account:…, tag:Name=…)")
            }),
        }
    }
}

#[cfg(test)]
mod tests;
