//! `:topology`: the tree from the on-prem side as rows (ratatui-free), with collapsed
//! subtrees folded and findings markers.

use std::collections::BTreeSet;

use crate::derived::Derived;
use crate::findings::Severity;
use crate::graph::{Health, TreeNode};

/// One visible line of the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct TopoRow {
    /// Ancestors' ids and this one's, joined by `/`: what collapsing remembers.
    pub key: String,
    pub depth: usize,
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    pub state: String,
    pub health: Health,
    pub has_children: bool,
    pub collapsed: bool,
    /// A gateway shown again: its subtree is under its first appearance.
    pub repeat: bool,
    /// The worst finding about the resource.
    pub finding: Option<Severity>,
    pub account: String,
    pub region: String,
}

/// The visible rows of a built tree, depth first, without the children of `collapsed` keys.
pub fn rows_of(
    roots: &[TreeNode],
    collapsed: &BTreeSet<String>,
    derived: &Derived,
) -> Vec<TopoRow> {
    let mut out = Vec::new();
    fn walk(
        n: &TreeNode,
        parent: &str,
        depth: usize,
        collapsed: &BTreeSet<String>,
        derived: &Derived,
        out: &mut Vec<TopoRow>,
    ) {
        let key = if parent.is_empty() {
            n.id.clone()
        } else {
            format!("{parent}/{}", n.id)
        };
        let finding =
            crate::graph::listing_kind(n.kind).and_then(|k| derived.worst(&n.region, k, &n.id));
        let is_collapsed = collapsed.contains(&key);
        out.push(TopoRow {
            key: key.clone(),
            depth,
            id: n.id.clone(),
            kind: n.kind,
            name: n.name.clone(),
            state: n.state.clone(),
            health: n.health,
            has_children: !n.children.is_empty(),
            collapsed: is_collapsed,
            repeat: n.repeat,
            finding,
            account: n.account.clone(),
            region: n.region.clone(),
        });
        if !is_collapsed {
            for c in &n.children {
                walk(c, &key, depth + 1, collapsed, derived, out);
            }
        }
    }
    for r in roots {
        walk(r, "", 0, collapsed, derived, &mut out);
    }
    out
}

/// The text of a row: fold marker, kind, name and id, state.
pub fn label(r: &TopoRow) -> String {
    let fold = match (r.has_children, r.collapsed) {
        (false, _) => "  ",
        (true, true) => "▸ ",
        (true, false) => "▾ ",
    };
    let mut s = format!("{}{fold}{} ", "  ".repeat(r.depth), short_kind(r.kind));
    if r.name.is_empty() {
        s.push_str(&r.id);
    } else {
        s.push_str(&format!("{} ({})", r.name, r.id));
    }
    if !r.state.is_empty() {
        s.push_str(&format!(" · {}", r.state));
    }
    if r.repeat {
        s.push_str(" · see above");
    }
    s
}

/// The field's short names: `LOC`, `DEV`, `CONN`, `LAG`, `VIF`, `DXGW`, `VGW`, `TGW`,
/// `ATT`, `VPC`, `SITELINK`, `CORE` (a Cloud WAN core network), `WAN-ATT`.
pub fn short_kind(kind: &str) -> &'static str {
    match kind {
        "location" => "LOC",
        "device" => "DEV",
        "connection" => "CONN",
        "lag" => "LAG",
        "virtual-interface" => "VIF",
        "dx-gateway" => "DXGW",
        "virtual-private-gateway" => "VGW",
        "transit-gateway" => "TGW",
        "tgw-attachment" => "ATT",
        "vpc" => "VPC",
        "sitelink" => "SITELINK",
        "core-network" => "CORE",
        "cloudwan-attachment" => "WAN-ATT",
        _ => "·",
    }
}
