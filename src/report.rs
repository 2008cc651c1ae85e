//! `crossconnect snapshot`: one poll rendered as JSON or Markdown, from the same model and
//! the same table rows the TUI shows.

use chrono::SecondsFormat;
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
/// id, name and state; then the failed calls.
pub fn json(e: &Estate, meta: &ReportMeta) -> Value {
    let scopes: Vec<&RegionEstate> = e.scopes.values().map(|r| &**r).collect();
    // An organisation's scopes are built on every core, each thread a run of them in order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let run = scopes.len().div_ceil(threads).max(64);
    let regions: Vec<Value> = std::thread::scope(|s| {
        let runs: Vec<_> = scopes
            .chunks(run)
            .map(|run| s.spawn(move || run.iter().map(|r| scope_report(e, r)).collect::<Vec<_>>()))
            .collect();
        runs.into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut report = json!({
        "tool": "crossconnect",
        "version": env!("CARGO_PKG_VERSION"),
        "generated_at": meta.generated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "source": meta.source,
        "profile": meta.profile,
        "account": meta.account,
        "accounts": e.account_ids(),
        "scope": scope_json(e),
        "regions": Value::Null,
        "errors": errors_json(e),
    });
    // Moved in, in its place: `json!` would copy the whole tree by serializing it again.
    report["regions"] = Value::Array(regions);
    report
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

/// One account and region of [`json`]: every area's items (a link between accounts in its
/// owner's scope only).
fn scope_report(e: &Estate, r: &RegionEstate) -> Value {
    let mut obj = Map::new();
    obj.insert("region".into(), Value::String(r.region.clone()));
    obj.insert("account".into(), Value::String(r.account.clone()));
    obj.insert(
        "account_name".into(),
        Value::String(e.account_name(&r.account).to_string()),
    );
    for area in Area::ALL {
        let mut kinds = Map::new();
        for &k in ResourceKind::ALL.iter().filter(|k| k.area() == area) {
            // A link between accounts is listed once, in its owner's scope.
            let scope = r.scope();
            let items = r
                .items_json(k)
                .into_iter()
                .filter(|v| {
                    !v["id"]
                        .as_str()
                        .is_some_and(|id| e.is_mirror(&scope, k, id))
                })
                .collect();
            kinds.insert(k.key().into(), Value::Array(items));
        }
        obj.insert(area.key().into(), Value::Object(kinds));
    }
    Value::Object(obj)
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
}
