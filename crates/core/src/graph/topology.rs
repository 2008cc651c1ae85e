//! The topology tree from the on-prem side: location → device → connection/LAG → VIF →
//! DXGW/VGW → TGW → attachments → VPCs, and its text.

use super::*;

/// One line of the topology tree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TreeNode {
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    pub state: String,
    #[serde(serialize_with = "ser_health")]
    pub health: Health,
    /// Where it was read (for jumping to its row).
    #[serde(skip)]
    pub account: String,
    #[serde(skip)]
    pub region: String,
    /// Set on a gateway shown again under another VIF: its subtree is the first one's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub repeat: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<TreeNode>,
}

/// The topology from the on-prem side: location → device → connection/LAG → VIF → DXGW/VGW
/// → TGW → attachment (with its route table) → VPC.
pub fn topology(ix: &Index, g: &Graph) -> Vec<TreeNode> {
    let leaf = |id: &str| -> TreeNode {
        match g.node(id) {
            Some(n) => TreeNode {
                id: n.id.clone(),
                kind: n.kind,
                name: n.name.clone(),
                state: n.state.clone(),
                health: n.health,
                account: n.account.clone(),
                region: n.region.clone(),
                repeat: false,
                children: Vec::new(),
            },
            None => TreeNode {
                id: id.into(),
                kind: "unknown",
                name: String::new(),
                state: String::new(),
                health: Health::Unknown,
                account: String::new(),
                region: String::new(),
                repeat: false,
                children: Vec::new(),
            },
        }
    };
    let mut shown: BTreeSet<String> = BTreeSet::new();
    let gateway = |id: &str, shown: &mut BTreeSet<String>| -> TreeNode {
        let mut n = leaf(id);
        if !shown.insert(id.to_string()) {
            n.repeat = true;
            return n;
        }
        for t in g.outgoing(id, "associated") {
            let mut tn = leaf(t);
            if tn.kind == "transit-gateway" {
                for att in ix
                    .attachments
                    .iter()
                    .filter(|a| a.transit_gateway_id == *t && a.resource_type == "vpc")
                {
                    let mut an = leaf(&att.id);
                    if let Some(asc) = ix.association(att) {
                        let t = &asc.table;
                        an.name = format!(
                            "{} · rt {}",
                            an.name,
                            if t.name.is_empty() {
                                t.id.clone()
                            } else {
                                t.name.clone()
                            }
                        );
                    }
                    an.children.push(leaf(&att.resource_id));
                    tn.children.push(an);
                }
            }
            if tn.kind == "core-network" {
                // Its VPCs, by segment.
                for att in ix
                    .cw_attachments
                    .iter()
                    .filter(|a| a.core_network_id == *t && a.attachment_type == "VPC")
                {
                    let mut an = leaf(&att.id);
                    an.name = format!("{} · segment {}", an.name, att.segment);
                    an.children.push(leaf(att.resource_id()));
                    tn.children.push(an);
                }
            }
            if tn.kind == "transit-gateway" {
                // Over a TGW peering: the peer TGW and the VPCs attached to it.
                for att in ix
                    .attachments
                    .iter()
                    .filter(|a| a.transit_gateway_id == *t && a.resource_type == "peering")
                {
                    let mut an = leaf(&att.id);
                    // One id on both TGWs: the name this side gives it.
                    an.name = format!("{} · peering", att.name);
                    let mut peer = leaf(&att.resource_id);
                    for v in ix.attachments.iter().filter(|a| {
                        a.transit_gateway_id == att.resource_id && a.resource_type == "vpc"
                    }) {
                        let mut vn = leaf(&v.id);
                        vn.children.push(leaf(&v.resource_id));
                        peer.children.push(vn);
                    }
                    an.children.push(peer);
                    tn.children.push(an);
                }
            }
            n.children.push(tn);
        }
        if n.kind == "dx-gateway"
            && let Some(sl) = sitelink(ix, id)
        {
            n.children.push(sl);
        }
        if n.kind == "virtual-private-gateway" {
            let mut vpcs: Vec<String> = ix
                .vpc_tables
                .values()
                .flatten()
                .filter(|t| {
                    t.routes.iter().any(|r| r.target_id == id)
                        || t.propagating_vgws.iter().any(|v| v == id)
                })
                .map(|t| t.vpc_id.clone())
                .collect();
            vpcs.sort();
            vpcs.dedup();
            n.children.extend(vpcs.iter().map(|v| leaf(v)));
        }
        n
    };
    let mut roots = Vec::new();
    let conn = |c: &str, shown: &mut BTreeSet<String>| -> Option<TreeNode> {
        let mut cn = leaf(c);
        if cn.kind == "connection" && !g.outgoing(c, "member").is_empty() {
            // A LAG member: its VIFs sit on the LAG.
            return None;
        }
        if cn.kind == "lag" {
            for m in g.incoming(c, "member") {
                cn.children.push(leaf(m));
            }
        }
        for v in g.incoming(c, "on") {
            let mut vn = leaf(v);
            for gw in g.outgoing(v, "attached") {
                vn.children.push(gateway(gw, shown));
            }
            cn.children.push(vn);
        }
        Some(cn)
    };
    let locations: Vec<&Node> = g.nodes.iter().filter(|n| n.kind == "location").collect();
    for l in locations {
        let mut ln = leaf(&l.id);
        for x in g.incoming(&l.id, "at") {
            if g.node(x).is_some_and(|n| n.kind == "device") {
                let mut dn = leaf(x);
                for c in g.incoming(x, "at") {
                    dn.children.extend(conn(c, &mut shown));
                }
                ln.children.push(dn);
            } else {
                ln.children.extend(conn(x, &mut shown));
            }
        }
        roots.push(ln);
    }
    // DX gateways no VIF reaches (all VIFs gone): still shown, so a gateway is never hidden.
    let orphans: Vec<String> = g
        .nodes
        .iter()
        .filter(|n| n.kind == "dx-gateway" && !shown.contains(&n.id))
        .map(|n| n.id.clone())
        .collect();
    for o in orphans {
        roots.push(gateway(&o, &mut shown));
    }
    roots
}

/// SiteLink under a DX gateway: with two or more of its VIFs SiteLink-enabled, their locations
/// reach each other over the AWS backbone, without a region. Healthy when every one of those
/// VIFs is `available` with BGP up; down when fewer than two of them are.
fn sitelink(ix: &Index, gw: &str) -> Option<TreeNode> {
    use crate::model::VifState;
    let vifs: Vec<_> = ix
        .estate
        .scopes
        .values()
        .flat_map(|r| &r.dx_vifs.items)
        .filter(|v| {
            v.direct_connect_gateway_id.as_deref() == Some(gw) && v.site_link_enabled == Some(true)
        })
        .collect();
    if vifs.len() < 2 {
        return None;
    }
    let up = vifs
        .iter()
        .filter(|v| v.state == VifState::Available && v.bgp_summary() == "up")
        .count();
    let mut locations: Vec<&str> = vifs.iter().map(|v| v.location.as_str()).collect();
    locations.sort_unstable();
    locations.dedup();
    let (state, health) = match up {
        n if n == vifs.len() => ("up", Health::Good),
        n if n >= 2 => ("degraded", Health::Pending),
        _ => ("down", Health::Bad),
    };
    Some(TreeNode {
        id: format!("sitelink:{gw}"),
        kind: "sitelink",
        name: format!(
            "{} ({} of {} VIFs working)",
            locations.join(" ↔ "),
            up,
            vifs.len()
        ),
        state: state.into(),
        health,
        account: String::new(),
        region: String::new(),
        repeat: false,
        children: Vec::new(),
    })
}

/// Text lines (from a `lines()` with their health) as one text, each line ended.
pub fn join_lines(lines: &[(String, Health)]) -> String {
    lines.iter().map(|(l, _)| format!("{l}\n")).collect()
}

/// The tree as indented text lines (`├─`, `└─`), for `topology --format text`.
pub fn tree_lines(roots: &[TreeNode]) -> Vec<String> {
    fn walk(n: &TreeNode, prefix: &str, last: bool, top: bool, out: &mut Vec<String>) {
        let branch = if top {
            ""
        } else if last {
            "└─ "
        } else {
            "├─ "
        };
        out.push(format!("{prefix}{branch}{}", describe(n)));
        let next = if top {
            String::new()
        } else {
            format!("{prefix}{}", if last { "   " } else { "│  " })
        };
        for (i, c) in n.children.iter().enumerate() {
            walk(c, &next, i + 1 == n.children.len(), false, out);
        }
    }
    let mut out = Vec::new();
    for r in roots {
        walk(r, "", true, true, &mut out);
    }
    out
}

/// `kind id name [state]`, `(see above)` for a repeated gateway.
pub fn describe(n: &TreeNode) -> String {
    let mut s = format!("{} {}", n.kind, n.id);
    if !n.name.is_empty() {
        s.push_str(&format!(" {}", n.name));
    }
    if !n.state.is_empty() {
        s.push_str(&format!(" [{}]", n.state));
    }
    if n.repeat {
        s.push_str(" (see above)");
    }
    s
}
