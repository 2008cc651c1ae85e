//! `crossconnect snapshot`: one poll rendered as JSON or Markdown, from the same model and
//! the same table rows the TUI shows.

use chrono::SecondsFormat;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value, json};

use crate::model::{Area, Estate, RegionEstate, ResourceKind, Timestamp};
use crate::view::pane::Pane;
use crate::view::table::TableId;

/// Who made the report and from what.
#[derive(Clone, Debug)]
pub struct ReportMeta {
    pub generated_at: Timestamp,
    /// `demo` or `aws`.
    pub source: String,
    pub profile: Option<String>,
    /// The account the credentials belong to (sts GetCallerIdentity), when known.
    pub account: Option<String>,
}

impl ReportMeta {
    /// A report made now, from the demo estate or from AWS with this profile.
    pub fn now(demo: bool, profile: Option<String>) -> ReportMeta {
        ReportMeta {
            generated_at: chrono::Utc::now(),
            source: if demo { "demo" } else { "aws" }.into(),
            profile,
            account: None,
        }
    }
}

/// Exit status of a snapshot: 0 when every call succeeded, 2 when some failed, 1 when
/// nothing was read at all.
pub fn exit_code(e: &Estate) -> i32 {
    let sections: Vec<_> = e
        .scopes
        .values()
        .flat_map(|r| ResourceKind::ALL.iter().map(move |&k| r.status(k)))
        .collect();
    if sections.iter().all(|s| s.refreshed_at.is_none()) {
        1
    } else if sections.iter().any(|s| s.error.is_some()) {
        2
    } else {
        0
    }
}

/// The failed calls, as JSON objects.
pub fn errors_json(e: &Estate) -> Vec<Value> {
    e.errors()
        .into_iter()
        .map(|(scope, kind, err)| {
            json!({
                "account": scope.account, "region": scope.region, "area": kind.area(), "resource_kind": kind.key(),
                "operation": err.operation, "code": err.code, "message": err.message,
            })
        })
        .collect()
}

/// The snapshot as JSON: per region, per area, per resource kind, every item with its AWS
/// id, name and state; then the failed calls. The tree of [`Report`], for tests and callers
/// that look into it.
pub fn json(e: &Estate, meta: &ReportMeta) -> Value {
    serde_json::to_value(Report { estate: e, meta }).unwrap_or(Value::Null)
}

/// The snapshot document ([`json`]) as it is written: an organisation's items are serialized
/// straight to the output, with no tree of them built first.
pub struct Report<'a> {
    pub estate: &'a Estate,
    pub meta: &'a ReportMeta,
}

impl Serialize for Report<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, meta) = (self.estate, self.meta);
        let mut m = s.serialize_map(Some(10))?;
        head_entries(&mut m, e, meta)?;
        m.serialize_entry("regions", &Regions(e))?;
        m.serialize_entry("errors", &errors_json(e))?;
        m.end()
    }
}

/// Writes the snapshot document byte for byte as `serde_json::to_writer_pretty` writes
/// [`Report`], its scopes serialized on every core: a batch of scopes at a time, each thread a
/// run of them into a buffer, the buffers written in order (an organisation's report is tens of
/// megabytes; only a batch of it is held at once).
pub fn write_json(
    out: &mut impl std::io::Write,
    e: &Estate,
    meta: &ReportMeta,
) -> std::io::Result<()> {
    let head = serde_json::to_vec_pretty(&Head { e, meta })?;
    // `{\n  …\n}` without its closing line: the regions and the errors follow.
    out.write_all(head.strip_suffix(b"\n}").unwrap_or(&head))?;
    out.write_all(b",\n  \"regions\": ")?;
    let scopes: Vec<&RegionEstate> = e.scopes.values().map(|r| &**r).collect();
    if scopes.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[\n")?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let run = 32;
        for (b, batch) in scopes.chunks(threads * run).enumerate() {
            let bufs: Vec<std::io::Result<Vec<u8>>> = std::thread::scope(|s| {
                let runs: Vec<_> = batch
                    .chunks(run)
                    .map(|run| s.spawn(move || pretty_scopes(e, run)))
                    .collect();
                let joined = runs.into_iter().map(|h| h.join());
                joined
                    .map(|r| r.unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            });
            for (i, buf) in bufs.into_iter().enumerate() {
                if b > 0 || i > 0 {
                    out.write_all(b",\n")?;
                }
                out.write_all(&buf?)?;
            }
        }
        out.write_all(b"\n  ]")?;
    }
    out.write_all(b",\n  \"errors\": ")?;
    let errors = serde_json::to_vec_pretty(&errors_json(e))?;
    out.write_all(&indented(&errors, 2, false))?;
    out.write_all(b"\n}")
}

/// A run of scopes as elements of the pretty `regions` list: each indented by four spaces,
/// joined by `,\n`.
fn pretty_scopes(e: &Estate, run: &[&RegionEstate]) -> std::io::Result<Vec<u8>> {
    let mut all = Vec::new();
    for (i, r) in run.iter().enumerate() {
        if i > 0 {
            all.extend_from_slice(b",\n");
        }
        let one = serde_json::to_vec_pretty(&ScopeReport { e, r })?;
        all.extend_from_slice(&indented(&one, 4, true));
    }
    Ok(all)
}

/// `text` with `n` spaces after each newline (and before its first line when `first`). A
/// pretty JSON document has newlines only between its tokens (a string's are escaped).
fn indented(text: &[u8], n: usize, first: bool) -> Vec<u8> {
    let pad = " ".repeat(n);
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    if first {
        out.extend_from_slice(pad.as_bytes());
    }
    for (i, line) in text.split(|&c| c == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend_from_slice(pad.as_bytes());
        }
        out.extend_from_slice(line);
    }
    out
}

/// The entries of [`Report`] before its regions.
struct Head<'a> {
    e: &'a Estate,
    meta: &'a ReportMeta,
}

impl Serialize for Head<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(8))?;
        head_entries(&mut m, self.e, self.meta)?;
        m.end()
    }
}

fn head_entries<M: SerializeMap>(m: &mut M, e: &Estate, meta: &ReportMeta) -> Result<(), M::Error> {
    m.serialize_entry("tool", "crossconnect")?;
    m.serialize_entry("version", env!("CARGO_PKG_VERSION"))?;
    let at = meta.generated_at.to_rfc3339_opts(SecondsFormat::Secs, true);
    m.serialize_entry("generated_at", &at)?;
    m.serialize_entry("source", &meta.source)?;
    m.serialize_entry("profile", &meta.profile)?;
    m.serialize_entry("account", &meta.account)?;
    m.serialize_entry("accounts", &e.account_ids())?;
    m.serialize_entry("scope", &scope_json(e))
}

/// Every account and region of the estate, in the model's order.
struct Regions<'a>(&'a Estate);

impl Serialize for Regions<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        s.collect_seq(e.scopes.values().map(|r| ScopeReport { e, r }))
    }
}

/// One account and region: every area's items (a link between accounts in its owner's scope
/// only).
struct ScopeReport<'a> {
    e: &'a Estate,
    r: &'a RegionEstate,
}

impl Serialize for ScopeReport<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, r) = (self.e, self.r);
        let mut m = s.serialize_map(Some(4 + Area::ALL.len()))?;
        m.serialize_entry("region", &r.region)?;
        m.serialize_entry("account", &r.account)?;
        m.serialize_entry("account_name", e.account_name(&r.account))?;
        for area in Area::ALL {
            m.serialize_entry(area.key(), &AreaReport { e, r, area })?;
        }
        m.serialize_entry("read_at", &ReadAt(r))?;
        m.end()
    }
}

/// When each kind of one scope was last read (RFC 3339, by area, then kind); a kind that was
/// not read (or whose read failed, see `errors`) is absent. A saved snapshot is read back
/// ([`crate::model::snapshot`]) knowing what it did not read.
struct ReadAt<'a>(&'a RegionEstate);

impl Serialize for ReadAt<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let at = |k: ResourceKind| r.status(k).refreshed_at;
        let when = |t: Timestamp| t.to_rfc3339_opts(SecondsFormat::Millis, true);
        let areas = Area::ALL.iter().map(|&area| {
            let kinds: Map<String, Value> = ResourceKind::ALL
                .iter()
                .filter(|k| k.area() == area)
                .filter_map(|&k| Some((k.key().to_string(), Value::String(when(at(k)?)))))
                .collect();
            (area.key(), kinds)
        });
        s.collect_map(areas.filter(|(_, kinds)| !kinds.is_empty()))
    }
}

/// One area of one scope: its kinds, each a list of items.
struct AreaReport<'a> {
    e: &'a Estate,
    r: &'a RegionEstate,
    area: Area,
}

impl Serialize for AreaReport<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, r) = (self.e, self.r);
        let kinds = ResourceKind::ALL.iter().filter(|k| k.area() == self.area);
        s.collect_map(kinds.map(|&kind| (kind.key(), Items { e, r, kind })))
    }
}

/// The items of one kind of one scope, a link between accounts only in its owner's scope.
struct Items<'a> {
    e: &'a Estate,
    r: &'a RegionEstate,
    kind: ResourceKind,
}

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let scope = self.r.scope();
        let keep = |id: &str| !self.e.is_mirror(&scope, self.kind, id);
        self.r.serialize_items(self.kind, &keep, s)
    }
}

/// The accounts in scope (how each is reached, whether it was read, why not) and the
/// regions, as JSON.
pub fn scope_json(e: &Estate) -> Value {
    let accounts: Vec<Value> = e
        .accounts
        .iter()
        .map(|a| {
            json!({ "id": a.id, "name": a.name, "via": a.via, "read": a.error.is_none(), "error": a.error })
        })
        .collect();
    json!({ "accounts": accounts, "regions": e.region_names() })
}

/// Escapes a value for a Markdown table cell (pipes, newlines).
pub(crate) fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The snapshot as Markdown: a table per pane table, with the TUI's columns.
pub fn markdown(e: &Estate, meta: &ReportMeta) -> String {
    let mut out = format!(
        "# crossconnect snapshot\n\n- generated: {}\n- source: {}\n- regions: {}\n- accounts: {}\n- tool: crossconnect {}\n",
        meta.generated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        meta.source,
        e.region_names().join(", "),
        e.account_ids().join(", "),
        env!("CARGO_PKG_VERSION"),
    );
    let errors = e.errors();
    if !errors.is_empty() {
        out.push_str("\n## Failed calls\n\n| region | resource | operation | code | message |\n|---|---|---|---|---|\n");
        for (region, kind, err) in errors {
            out.push_str(&format!(
                "| {region} | {} | {} | {} | {} |\n",
                kind.label(),
                err.operation,
                md_cell(&err.code),
                md_cell(&err.message)
            ));
        }
    }
    for pane in Pane::ALL
        .iter()
        .filter(|p| !matches!(p, Pane::Overview | Pane::Findings))
    {
        out.push_str(&format!("\n## {}\n", pane.title()));
        for &t in TableId::of(*pane) {
            let rows = t.rows(e);
            out.push_str(&format!("\n### {} ({})\n\n", t.title(), rows.len()));
            if rows.is_empty() {
                out.push_str("_none_\n");
                continue;
            }
            let heads: Vec<&str> = crate::view::table::scope_columns(e)
                .iter()
                .map(|c| c.0)
                .chain(t.columns().iter().map(|c| c.0))
                .collect();
            out.push_str(&format!(
                "| {} |\n|{}\n",
                heads.join(" | "),
                "---|".repeat(heads.len())
            ));
            for r in rows {
                out.push_str(&format!(
                    "| {} |\n",
                    r.cells
                        .iter()
                        .map(|c| md_cell(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_snapshot_covers_every_area_with_ids_names_states() {
        let now = chrono::Utc::now();
        let e = crate::demo::estate(0, now);
        let meta = ReportMeta {
            generated_at: now,
            ..ReportMeta::now(true, None)
        };
        let v = json(&e, &meta);
        let regions = v["regions"].as_array().unwrap();
        assert_eq!(regions.len(), 2);
        for area in Area::ALL {
            let n: usize = regions
                .iter()
                .map(|r| {
                    r[area.key()]
                        .as_object()
                        .unwrap()
                        .values()
                        .map(|k| k.as_array().unwrap().len())
                        .sum::<usize>()
                })
                .sum();
            assert!(n > 0, "{area:?} empty");
        }
        let vif = &regions[1]["direct_connect"]["virtual_interfaces"][0];
        assert!(vif["id"].as_str().unwrap().starts_with("dxvif-"));
        assert!(vif["name"].is_string() && vif["state"].is_string());
        assert_eq!(vif["auth_key"], "********");
        assert_eq!(exit_code(&e), 0);
        let md = markdown(&e, &meta);
        assert!(md.contains("10.99.0.0/16") && md.contains("blackhole"));
    }

    #[test]
    fn exit_codes() {
        let mut e = Estate::with_regions(&["r1"]);
        assert_eq!(exit_code(&e), 1);
        let err = crate::model::ApiError {
            operation: "X".into(),
            code: "C".into(),
            message: "m".into(),
        };
        e.apply(crate::model::Update::err(
            "r1",
            ResourceKind::Vpcs,
            chrono::Utc::now(),
            err.clone(),
        ));
        assert_eq!(exit_code(&e), 1);
        e.apply(crate::model::Update::ok(
            "r1",
            chrono::Utc::now(),
            crate::model::Batch::VpcPeerings(vec![]),
        ));
        assert_eq!(exit_code(&e), 2);
    }

    /// The streamed items are the items the details view shows, field for field and in the
    /// same order, the account in front; and a mirror of a link between accounts is left out.
    #[test]
    fn streamed_items_are_the_items_json_of_every_kind() {
        let e = crate::demo::estate(0, chrono::Utc::now());
        let mut seen = 0;
        for r in e.scopes.values() {
            for &kind in ResourceKind::ALL {
                let all = r
                    .serialize_items(kind, &|_| true, serde_json::value::Serializer)
                    .unwrap();
                let want = Value::Array(r.items_json(kind));
                assert_eq!(all.to_string(), want.to_string(), "{kind:?}");
                seen += want.as_array().unwrap().len();
                let first = r.item_ids_health(kind).into_iter().next();
                if let Some((id, _)) = first {
                    let some = r
                        .serialize_items(kind, &|i| i != id, serde_json::value::Serializer)
                        .unwrap();
                    let left = some.as_array().unwrap();
                    assert_eq!(left.len() + 1, want.as_array().unwrap().len());
                    assert!(left.iter().all(|v| v["id"] != id.as_str()), "{kind:?}");
                }
            }
        }
        assert!(seen > 50, "{seen}");
    }

    /// The report written a batch of scopes at a time on every core is the one serde_json
    /// writes whole: with several scopes and failed calls, with one batch and several, and
    /// with none.
    #[test]
    fn write_json_is_the_pretty_report_byte_for_byte() {
        let now = chrono::Utc::now();
        let meta = ReportMeta {
            generated_at: now,
            ..ReportMeta::now(true, None)
        };
        let mut e = crate::demo::estate(0, now);
        let first = e.scopes.keys().next().unwrap().clone();
        let err = crate::model::ApiError {
            operation: "DescribeLags".into(),
            code: "Throttling".into(),
            message: "Rate exceeded".into(),
        };
        let mut u = crate::model::Update::err(&first.region, ResourceKind::DxLags, now, err);
        u.account = first.account.clone();
        e.apply(u);
        let scopes: Vec<crate::model::Scope> = (0..150)
            .map(|i| crate::model::Scope::new(&format!("{:012}", i), "r1"))
            .collect();
        for e in [
            e,
            Estate::with_scopes(&scopes),
            Estate::with_regions(&[] as &[&str]),
        ] {
            let mut got = Vec::new();
            write_json(&mut got, &e, &meta).unwrap();
            let want = serde_json::to_string_pretty(&Report {
                estate: &e,
                meta: &meta,
            })
            .unwrap();
            assert_eq!(String::from_utf8(got).unwrap(), want);
        }
    }
}
