//! Change history: every poll diffed against the previous one, field by field, into
//! [`Event`]s (the binary keeps them in a SQLite database).
//!
//! A field is a dotted path into the resource as the snapshot writes it (`state`,
//! `bgp_peers[dxpeer-1].bgp_status`, `requester.owner_id`); list items with an `id` are keyed
//! by it, other lists compare whole. A resource that appears or disappears is one event with
//! the field `exists`. Secrets never reach an event: BGP keys are masked before they enter the
//! model, and a field named like a key is never recorded.

use std::collections::BTreeMap;

use chrono::SecondsFormat;
use serde::Serialize;
use serde_json::Value;

use crate::model::{Estate, ItemChange, ResourceKind, Timestamp, Update};

mod field;
pub use field::{Field, Step};

/// One observed change of one field of one resource.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// When the poll that saw it was read (UTC).
    pub at: Timestamp,
    /// Account id (empty when unknown).
    pub account: String,
    pub region: String,
    /// What it is about: a kind of resource, written as `area/kind` ([`kind_key`]), e.g.
    /// `direct_connect/virtual_interfaces`; or a declared intent, `intents/intent` (its
    /// `resource_id` the intent's name, its field `state`).
    #[serde(serialize_with = "ser_kind")]
    pub kind: EventKind,
    /// The resource's AWS id.
    pub resource_id: String,
    pub name: String,
    /// What changed: a path into the resource, or `exists` for an appearance or
    /// disappearance.
    pub field: Field,
    /// `None`: the field (or resource) did not exist.
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Event {
    /// One line for `watch` and the text formats:
    /// `2026-11-24T02:13:05Z 111122223333 us-east-1 dxvif-1 (prod) bgp_peers[p].bgp_status up → down`.
    pub fn line(&self) -> String {
        let at = self.at.to_rfc3339_opts(SecondsFormat::Secs, true);
        if self.kind == EventKind::Intent {
            // `2026-11-24T02:13:05Z intents/intent "batch reaches on-prem" state held → broken (why)`
            return format!(
                "{at} {INTENT_KEY} {:?} {} {} → {} ({})",
                self.resource_id,
                self.field,
                self.old.as_deref().unwrap_or("(none)"),
                self.new.as_deref().unwrap_or("(none)"),
                self.name
            );
        }
        let name = if self.name.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.name)
        };
        let account = if self.account.is_empty() {
            String::new()
        } else {
            format!("{} ", self.account)
        };
        let what = match (&self.old, &self.new) {
            (None, Some(n)) if self.field.is_exists() => format!("appeared ({n})"),
            (Some(o), None) if self.field.is_exists() => format!("disappeared (was {o})"),
            (o, n) => format!(
                "{} {} → {}",
                self.field,
                o.as_deref().unwrap_or("(none)"),
                n.as_deref().unwrap_or("(none)")
            ),
        };
        format!(
            "{at} {account}{} {} {}{name} {what}",
            self.region,
            kind_key(self.kind),
            self.resource_id
        )
    }
}

/// What an [`Event`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// A resource of this kind changed.
    Resource(ResourceKind),
    /// A declared intent changed state (held, broken, unknown).
    Intent,
}

impl EventKind {
    /// The resource kind, for an event about a resource.
    pub fn resource(self) -> Option<ResourceKind> {
        match self {
            EventKind::Resource(k) => Some(k),
            EventKind::Intent => None,
        }
    }

    /// The short name shown in the timeline (`virtual_interfaces`, `intent`).
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Resource(k) => k.key(),
            EventKind::Intent => "intent",
        }
    }
}

impl PartialEq<ResourceKind> for EventKind {
    fn eq(&self, other: &ResourceKind) -> bool {
        *self == EventKind::Resource(*other)
    }
}

impl From<ResourceKind> for EventKind {
    fn from(k: ResourceKind) -> Self {
        EventKind::Resource(k)
    }
}

fn ser_kind<S: serde::Serializer>(k: &EventKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&kind_key(*k))
}

/// The key of an intent's events.
pub const INTENT_KEY: &str = "intents/intent";

/// `area/kind` of a resource kind (`direct_connect/virtual_interfaces`), `intents/intent` for
/// a declared intent.
pub fn kind_key(kind: impl Into<EventKind>) -> String {
    match kind.into() {
        EventKind::Resource(k) => format!("{}/{}", k.area().key(), k.key()),
        EventKind::Intent => INTENT_KEY.to_string(),
    }
}

/// What an `area/kind` key ([`kind_key`]) is about; `None` for a key this version does not
/// know.
pub fn kind_of_key(key: &str) -> Option<EventKind> {
    if key == INTENT_KEY {
        return Some(EventKind::Intent);
    }
    ResourceKind::ALL
        .iter()
        .copied()
        .find(|k| kind_key(*k) == key)
        .map(EventKind::Resource)
}

/// The events of the intents whose state differs between two evaluations of them (an intent
/// new to `after` is compared with nothing and brings none; one gone from it neither): field
/// `state`, old → new, the reason in `name`.
pub fn intent_events(
    at: Timestamp,
    before: &[crate::intent::Outcome],
    after: &[crate::intent::Outcome],
) -> Vec<Event> {
    after
        .iter()
        .filter_map(|o| {
            let was = before.iter().find(|b| b.name == o.name)?;
            (was.state != o.state).then(|| Event {
                at,
                account: String::new(),
                region: String::new(),
                kind: EventKind::Intent,
                resource_id: o.name.clone(),
                name: o.reason.clone(),
                field: Field::parse("state"),
                old: Some(was.state.label().to_string()),
                new: Some(o.state.label().to_string()),
            })
        })
        .collect()
}

/// Applies an update to the estate and returns the events it brings. A failed read, the
/// first read of a section, and metrics and route counts (measurements, not changes) bring
/// none.
pub fn apply(e: &mut Estate, u: Update) -> Vec<Event> {
    if u.kind.service() == crate::model::Service::Telemetry {
        e.apply(u);
        return Vec::new();
    }
    let (at, account, region) = (u.at, u.account.clone(), u.region.clone());
    let kind = u.kind;
    e.apply_describing(u)
        .iter()
        .flat_map(|c| events_of_change(at, &account, &region, kind, c))
        .collect()
}

/// The field-level events of one changed resource.
pub fn events_of_change(
    at: Timestamp,
    account: &str,
    region: &str,
    kind: ResourceKind,
    c: &ItemChange,
) -> Vec<Event> {
    let ev = |field: Field, old: Option<String>, new: Option<String>| Event {
        at,
        account: account.to_string(),
        region: region.to_string(),
        kind: kind.into(),
        resource_id: c.id.clone(),
        name: c.name.clone(),
        field,
        old,
        new,
    };
    let state = |v: &Value| {
        v.get("state")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("present")
            .to_string()
    };
    match (&c.old, &c.new) {
        (None, Some(n)) => vec![ev(Field::Exists, None, Some(state(n)))],
        (Some(o), None) => vec![ev(Field::Exists, Some(state(o)), None)],
        (Some(o), Some(n)) => {
            let (a, b) = (flatten(o), flatten(n));
            let mut out = Vec::new();
            for (k, old) in &a {
                match b.get(k) {
                    Some(new) if new == old => {}
                    new => out.push(ev(Field::parse(k), Some(old.clone()), new.cloned())),
                }
            }
            for (k, new) in &b {
                if !a.contains_key(k) {
                    out.push(ev(Field::parse(k), None, Some(new.clone())));
                }
            }
            out
        }
        (None, None) => Vec::new(),
    }
}

/// Whether a field holds a secret (never recorded, even masked).
fn secret_field(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("auth_key") || n.contains("authkey") || n.contains("router_config")
}

/// A resource's JSON as `path → value` (scalars as text; lists of objects with an `id` keyed
/// by it; other lists whole, as JSON).
pub fn flatten(v: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk("", v, &mut out);
    out
}

fn walk(path: &str, v: &Value, out: &mut BTreeMap<String, String>) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if !secret_field(k) {
                    walk(&join(k), x, out);
                }
            }
        }
        Value::Array(items)
            if !items.is_empty()
                && items
                    .iter()
                    .all(|i| i.get("id").and_then(Value::as_str).is_some()) =>
        {
            for i in items {
                let id = i.get("id").and_then(Value::as_str).unwrap_or_default();
                walk(&format!("{path}[{id}]"), i, out);
            }
        }
        Value::Null => {}
        Value::String(s) => {
            out.insert(path.to_string(), s.clone());
        }
        other => {
            out.insert(path.to_string(), other.to_string());
        }
    }
}

/// `(account, region, kind, id)` of a resource in a snapshot.
type ItemKey = (String, String, ResourceKind, String);

/// The changes between two saved snapshots (`crossconnect snapshot --format json`), as if the
/// second were a poll after the first; each event carries the second snapshot's time.
pub fn diff_snapshots(a: &Value, b: &Value) -> Result<Vec<Event>, String> {
    let at = b["generated_at"]
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.with_timezone(&chrono::Utc))
        .ok_or("the second file has no generated_at: is it a crossconnect snapshot?")?;
    let index = |v: &Value, which: &str| -> Result<BTreeMap<ItemKey, Value>, String> {
        let regions = v["regions"].as_array().ok_or(format!(
            "the {which} file has no regions: is it a crossconnect snapshot (--format json)?"
        ))?;
        let mut m = BTreeMap::new();
        for r in regions {
            let account = r["account"].as_str().unwrap_or_default().to_string();
            let region = r["region"].as_str().unwrap_or_default().to_string();
            for (area, kinds) in r.as_object().into_iter().flatten() {
                let Some(kinds) = kinds.as_object() else {
                    continue;
                };
                for (kind, items) in kinds {
                    // What this version does not know is not compared.
                    let key = format!("{area}/{kind}");
                    let Some(kind) = kind_of_key(&key).and_then(EventKind::resource) else {
                        continue;
                    };
                    for i in items.as_array().into_iter().flatten() {
                        let id = i["id"].as_str().unwrap_or_default().to_string();
                        m.insert((account.clone(), region.clone(), kind, id), i.clone());
                    }
                }
            }
        }
        Ok(m)
    };
    let (old, new) = (index(a, "first")?, index(b, "second")?);
    let mut out = Vec::new();
    let name = |v: &Value| v["name"].as_str().unwrap_or_default().to_string();
    for (k, o) in &old {
        let n = new.get(k);
        if n == Some(o) {
            continue;
        }
        let c = ItemChange {
            id: k.3.clone(),
            name: n.map_or_else(|| name(o), name),
            old: Some(o.clone()),
            new: n.cloned(),
        };
        out.extend(events_of_change(at, &k.0, &k.1, k.2, &c));
    }
    for (k, n) in &new {
        if !old.contains_key(k) {
            let c = ItemChange {
                id: k.3.clone(),
                name: name(n),
                old: None,
                new: Some(n.clone()),
            };
            out.extend(events_of_change(at, &k.0, &k.1, k.2, &c));
        }
    }
    Ok(out)
}

/// How many times a BGP peer's session went down in `events` (status `up` → `down`), per
/// `(VIF id, peer id)`: the flaps.
pub fn bgp_downs<'a>(
    events: impl IntoIterator<Item = &'a Event>,
) -> BTreeMap<(String, String), usize> {
    let mut m = BTreeMap::new();
    for e in events {
        if let Some(peer) = e.field.bgp_peer()
            && e.new.as_deref() == Some("down")
        {
            *m.entry((e.resource_id.clone(), peer.to_string()))
                .or_insert(0) += 1;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn vif(status: &str) -> VirtualInterface {
        VirtualInterface {
            id: "dxvif-1".into(),
            name: "prod".into(),
            state: "available".into(),
            bgp_peers: vec![BgpPeer {
                id: "dxpeer-1".into(),
                bgp_status: status.into(),
                auth_key: crate::model::secret::Masked::from_option(Some("s3cr3t-key")),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_flap_between_three_polls_is_exactly_two_events_and_no_secret() {
        let t = chrono::Utc::now();
        let mut e = Estate::with_regions(&["r1"]);
        let mut got = Vec::new();
        for status in ["up", "down", "up"] {
            let u = Update::ok("r1", t, Batch::DxVirtualInterfaces(vec![vif(status)]));
            got.extend(apply(&mut e, u));
        }
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].field, "bgp_peers[dxpeer-1].bgp_status");
        assert_eq!(
            (got[0].old.as_deref(), got[0].new.as_deref()),
            (Some("up"), Some("down"))
        );
        assert_eq!(
            (got[1].old.as_deref(), got[1].new.as_deref()),
            (Some("down"), Some("up"))
        );
        assert!(!format!("{got:?}").contains("s3cr3t"));
        assert_eq!(bgp_downs(&got).values().sum::<usize>(), 1);
    }

    #[test]
    fn appearances_and_disappearances_are_events() {
        let t = chrono::Utc::now();
        let mut e = Estate::with_regions(&["r1"]);
        let p = |id: &str| VpcPeering {
            id: id.into(),
            state: "active".into(),
            ..Default::default()
        };
        e.apply(Update::ok("r1", t, Batch::VpcPeerings(vec![p("pcx-1")])));
        let u = Update::ok("r1", t, Batch::VpcPeerings(vec![p("pcx-2")]));
        let got = apply(&mut e, u);
        assert_eq!(got.len(), 2);
        assert!(
            got.iter()
                .any(|x| x.resource_id == "pcx-2" && x.field == "exists" && x.old.is_none())
        );
        assert!(
            got.iter()
                .any(|x| x.resource_id == "pcx-1" && x.field == "exists" && x.new.is_none())
        );
    }
}
