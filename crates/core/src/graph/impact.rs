//! Paths to on-prem per VPC and the blast radius of a DX resource: which VPCs and gateways
//! lose their last working path to on-prem if a VIF, connection, LAG, device or location
//! fails, and which lose redundancy.

use crate::model::{ConnectionState, TgwRouteState, VpcRouteState};
use std::collections::{BTreeMap, BTreeSet};

use ipnet::IpNet;
use serde::Serialize;

use super::Health;
use super::index::{DxPath, Index};
use super::path::{self, Trace, Verdict};

/// The prefixes that lead to on-prem: destinations of TGW routes whose target is a DX gateway
/// or VPN attachment, and of VPC routes to a VGW — one per (route table, target), since every
/// prefix a table sends to the same attachment takes the same way out (this keeps the path
/// rules linear in the number of VPCs).
pub fn on_prem_prefixes(ix: &Index) -> Vec<IpNet> {
    let mut by_way: BTreeMap<(String, String), IpNet> = BTreeMap::new();
    for (table, routes) in &ix.tgw_routes {
        let Some(t) = ix.tgw_tables.get(table) else {
            continue;
        };
        for r in routes.iter().filter(|r| r.state == TgwRouteState::Active) {
            let (targets, _) = ix.route_targets(r, &t.transit_gateway_id);
            let Ok(dest) = r.destination.parse::<IpNet>() else {
                continue;
            };
            // A peering leads on-prem when the peer TGW sends the prefix to DX or a VPN.
            let over_peering = |a: &&super::index::Attachment| {
                a.resource_type == "peering"
                    && ix
                        .peer_side(a)
                        .and_then(|far| ix.association(far))
                        .and_then(|asc| ix.tgw_route(&asc.table.id, &dest))
                        .is_some_and(|fr| {
                            let far_tgw = &a.resource_id;
                            ix.route_targets(fr, far_tgw).0.iter().any(|x| {
                                matches!(x.resource_type.as_str(), "direct-connect-gateway" | "vpn")
                            })
                        })
            };
            if targets.iter().any(|a| {
                matches!(
                    a.resource_type.as_str(),
                    "direct-connect-gateway" | "vpn" | "connect"
                ) || over_peering(a)
            }) && let Ok(n) = r.destination.parse::<IpNet>()
            {
                let way = targets
                    .iter()
                    .map(|a| a.id.as_str())
                    .collect::<Vec<_>>()
                    .join(",");
                let e = by_way.entry((table.to_string(), way)).or_insert(n.trunc());
                *e = (*e).min(n.trunc());
            }
        }
    }
    // Cloud WAN segment routes to a DX gateway attachment.
    for ((core, segment, edge), routes) in &ix.cw_routes {
        for r in routes {
            let to_dx = r.targets.iter().any(|t| {
                t.attachment_id.as_deref().is_some_and(|id| {
                    ix.cw_attachments
                        .iter()
                        .any(|a| a.id == id && a.attachment_type == "DIRECT_CONNECT_GATEWAY")
                })
            });
            if to_dx && let Ok(n) = r.destination.parse::<IpNet>() {
                let e = by_way
                    .entry((format!("{core}|{segment}|{edge}"), String::new()))
                    .or_insert(n.trunc());
                *e = (*e).min(n.trunc());
            }
        }
    }
    for tables in ix.vpc_tables.values() {
        for t in tables {
            for r in &t.routes {
                if r.target_id.starts_with("vgw-")
                    && r.state == VpcRouteState::Active
                    && let Ok(n) = r.destination.parse::<IpNet>()
                {
                    let e = by_way
                        .entry((t.id.clone(), r.target_id.clone()))
                        .or_insert(n.trunc());
                    *e = (*e).min(n.trunc());
                }
            }
        }
    }
    let out: BTreeSet<IpNet> = by_way.into_values().collect();
    out.into_iter().collect()
}

/// What one VPC has towards on-prem.
#[derive(Clone, Debug, Serialize)]
pub struct VpcReach {
    pub vpc: String,
    pub name: String,
    pub account: String,
    pub region: String,
    /// Every DX way out found (deduplicated by VIF), working or not (VIF available, BGP up,
    /// connection or LAG available, and the VPC's routes lead to its gateway).
    pub paths: Vec<DxPath>,
    /// Whether the way back from on-prem into the VPC was found for some prefix.
    pub return_ok: bool,
    /// The gateways the paths leave through (DXGW, VGW).
    pub gateways: Vec<String>,
    /// The site-to-site VPNs that back up its DX paths and can carry traffic (a tunnel UP,
    /// or no tunnel status reported for an available connection).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vpn_backup: Vec<path::VpnPath>,
    /// The worst trace per on-prem prefix, for findings.
    #[serde(skip)]
    pub traces: Vec<Trace>,
}

impl VpcReach {
    pub fn working(&self) -> impl Iterator<Item = &DxPath> {
        self.paths.iter().filter(|p| p.working)
    }
}

/// Every VPC that routes towards on-prem, with its ways out.
pub fn reaches(ix: &Index) -> Vec<VpcReach> {
    let prefixes = on_prem_prefixes(ix);
    let mut vpcs: Vec<_> = ix.vpcs.values().collect();
    vpcs.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out = Vec::new();
    for v in vpcs {
        let own: Vec<IpNet> = v.cidrs.iter().filter_map(|c| c.parse().ok()).collect();
        let mut paths: BTreeMap<String, DxPath> = BTreeMap::new();
        let mut gateways = BTreeSet::new();
        let mut traces = Vec::new();
        let mut return_ok = false;
        let mut vpn_backup: BTreeMap<String, path::VpnPath> = BTreeMap::new();
        for p in &prefixes {
            if own.iter().any(|c| c.contains(p)) {
                continue;
            }
            let Ok(t) = path::trace(ix, &v.id, &p.to_string()) else {
                continue;
            };
            if t.forward.paths.is_empty() {
                continue;
            }
            let forward_ok = !matches!(t.forward.verdict, Verdict::Unknown)
                && !t
                    .forward
                    .problems
                    .iter()
                    .any(|p| p.starts_with("blackhole"));
            // A working path works both ways: the way back must be found too.
            let back_ok = !matches!(t.back.verdict, Verdict::Unreachable | Verdict::Unknown);
            return_ok |= back_ok;
            for v in t
                .forward
                .vpn_paths
                .iter()
                .filter(|v| v.role == "backup" && (v.tunnels_up > 0 || !v.tunnels_reported))
            {
                vpn_backup.entry(v.vpn.clone()).or_insert_with(|| v.clone());
            }
            for h in &t.forward.hops {
                if matches!(h.kind, "dx-gateway" | "virtual-private-gateway") {
                    gateways.insert(h.id.clone());
                }
            }
            for dp in &t.forward.paths {
                let mut dp = dp.clone();
                if dp.working && !back_ok {
                    dp.why = Some(format!(
                        "the way back fails: {}",
                        t.back.problems.first().cloned().unwrap_or_default()
                    ));
                }
                dp.working &= forward_ok && back_ok;
                paths
                    .entry(dp.vif.clone())
                    .and_modify(|e| e.working |= dp.working)
                    .or_insert(dp);
            }
            traces.push(t);
        }
        if paths.is_empty() {
            continue;
        }
        out.push(VpcReach {
            vpc: v.id.clone(),
            name: v.name.clone(),
            account: v.scope.account.clone(),
            region: v.scope.region.clone(),
            paths: paths.into_values().collect(),
            gateways: gateways.into_iter().collect(),
            return_ok,
            vpn_backup: vpn_backup.into_values().collect(),
            traces,
        });
    }
    out
}

/// A VPC or gateway the failure touches.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Affected {
    pub id: String,
    /// `vpc` · `dx-gateway` · `virtual-private-gateway`
    pub kind: &'static str,
    pub name: String,
    pub account: String,
    pub region: String,
    /// Working paths to on-prem before and after the failure (VIF → connection → location,
    /// by the forward way; a broken return is said in `return_path_ok`).
    pub paths_before: usize,
    pub paths_after: usize,
    /// For a VPC: whether on-prem's way back into it was found (false: a return-path gap,
    /// see `path`); always true for a gateway.
    pub return_path_ok: bool,
    /// The VPNs it fails over to when it loses its DX paths (each `name (vpn-…) (2 of 2
    /// tunnels UP, up to 2.5 Gbps)`); empty: no backup.
    pub fails_over_to: Vec<String>,
    /// Their capacity together, in Gbps (1.25 per tunnel UP).
    pub backup_gbps: f64,
}

fn backup_of(vpns: &[path::VpnPath]) -> (Vec<String>, f64) {
    (
        vpns.iter().map(|v| v.describe()).collect(),
        vpns.iter().fold(0.0, |t, v| t + v.gbps),
    )
}

/// The VPNs that back up a DX gateway (on the TGWs it is associated with) or a VGW.
fn gateway_backup(ix: &Index, gateway: &str) -> Vec<path::VpnPath> {
    let mut tgws: Vec<&str> = ix
        .dxgw_assocs
        .iter()
        .filter(|a| a.direct_connect_gateway_id == gateway)
        .filter_map(|a| a.associated_gateway_id.as_deref())
        .filter(|g| g.starts_with("tgw-"))
        .collect();
    tgws.extend(
        ix.attachments
            .iter()
            .filter(|a| a.resource_type == "direct-connect-gateway" && a.resource_id == gateway)
            .map(|a| a.transit_gateway_id.as_str()),
    );
    tgws.sort();
    tgws.dedup();
    let mut out: Vec<path::VpnPath> =
        tgws.iter()
            .flat_map(|t| ix.vpn_backups(t))
            .map(|(_, v)| v)
            .chain(ix.vpns.values().copied().filter(|v| {
                v.vpn_gateway_id.as_deref() == Some(gateway) && v.usable() != Some(false)
            }))
            .map(|v| path::VpnPath::of(v.item, "backup", true))
            .collect();
    out.sort_by(|a, b| a.vpn.cmp(&b.vpn));
    out.dedup_by(|a, b| a.vpn == b.vpn);
    out
}

/// The blast radius of one resource.
#[derive(Clone, Debug, Serialize)]
pub struct Impact {
    pub id: String,
    /// `virtual-interface` · `connection` · `lag` · `device` · `location`
    pub kind: &'static str,
    pub name: String,
    /// Distinct working paths (VIF → connection → device → location) that ride it.
    pub carries: usize,
    /// VPCs and gateways left with no working path to on-prem.
    pub loses_on_prem: Vec<Affected>,
    /// VPCs and gateways left with fewer working paths, but some.
    pub loses_redundancy: Vec<Affected>,
    /// TGW Connect peers whose transport (a DX gateway attachment) loses every VIF.
    pub connect_peers: Vec<String>,
}

pub(crate) fn kind_of(ix: &Index, id: &str) -> Option<(&'static str, String)> {
    if let Some(v) = ix.vifs.get(id) {
        return Some(("virtual-interface", v.name.clone()));
    }
    if let Some(c) = ix.connections.get(id) {
        return Some(("connection", c.name.clone()));
    }
    if let Some(l) = ix.lags.get(id) {
        return Some(("lag", l.name.clone()));
    }
    if let Some(l) = ix.locations.get(id) {
        return Some(("location", l.name.clone()));
    }
    let devices = ix
        .connections
        .values()
        .filter_map(|c| c.aws_device.as_deref())
        .chain(ix.lags.values().filter_map(|l| l.aws_device.as_deref()))
        .chain(ix.vifs.values().filter_map(|v| v.aws_device.as_deref()));
    if devices.into_iter().any(|d| d == id) {
        return Some(("device", String::new()));
    }
    let located = ix
        .connections
        .values()
        .map(|c| c.location.as_str())
        .chain(ix.vifs.values().map(|v| v.location.as_str()))
        .any(|l| l == id);
    located.then(|| ("location", String::new()))
}

/// Whether failing `id` breaks `p`: its VIF, connection or LAG, device or location; a LAG
/// member only when the LAG would fall below its minimum links.
pub(crate) fn breaks(ix: &Index, p: &DxPath, id: &str) -> bool {
    if p.rides(id) {
        return true;
    }
    if p.members.len() > 1 && p.members.iter().any(|m| m == id) {
        let min = ix
            .lags
            .get(p.connection.as_str())
            .map(|l| l.minimum_links.max(1) as usize)
            .unwrap_or(1);
        let up = p
            .members
            .iter()
            .filter(|m| {
                *m != id
                    && ix
                        .connections
                        .get(m.as_str())
                        .is_none_or(|c| c.state == ConnectionState::Available)
            })
            .count();
        return up < min;
    }
    false
}

/// The blast radius of `id`. Errors when no VIF, connection, LAG, device or location has it.
pub fn impact(ix: &Index, id: &str) -> Result<Impact, String> {
    let (kind, name) = kind_of(ix, id).ok_or_else(|| {
        format!("no VIF, connection, LAG, AWS device or location {id} in what was read")
    })?;
    let reaches = reaches(ix);
    let mut loses = Vec::new();
    let mut fewer = Vec::new();
    // The distinct working paths (VIF → connection → device → location) that ride it, once
    // each however many VPCs use them.
    let mut carried = std::collections::BTreeSet::new();
    for r in &reaches {
        let before = r.working().count();
        let after = r.working().filter(|p| !breaks(ix, p, id)).count();
        carried.extend(
            r.working()
                .filter(|p| breaks(ix, p, id))
                .map(|p| p.vif.clone()),
        );
        let (fails_over_to, backup_gbps) = backup_of(&r.vpn_backup);
        let a = Affected {
            id: r.vpc.clone(),
            kind: "vpc",
            name: r.name.clone(),
            account: r.account.clone(),
            region: r.region.clone(),
            paths_before: before,
            paths_after: after,
            return_path_ok: r.return_ok,
            fails_over_to,
            backup_gbps,
        };
        if before > 0 && after == 0 {
            loses.push(a);
        } else if after < before {
            fewer.push(a);
        }
    }
    // Gateways: their working VIFs before and after.
    let mut gateways: Vec<(&'static str, String)> = ix
        .dxgws
        .keys()
        .map(|g| ("dx-gateway", g.to_string()))
        .collect();
    gateways.extend(
        ix.vgws
            .keys()
            .map(|g| ("virtual-private-gateway", g.to_string())),
    );
    gateways.sort();
    let mut connect_peers = Vec::new();
    for (gk, g) in gateways {
        let vifs = if gk == "dx-gateway" {
            ix.dxgw_vifs(&g)
        } else {
            ix.vgw_vifs(&g)
        };
        let paths: Vec<DxPath> = vifs
            .iter()
            .map(|v| ix.dx_path(v))
            .filter(|p| p.working)
            .collect();
        let before = paths.len();
        let after = paths.iter().filter(|p| !breaks(ix, p, id)).count();
        carried.extend(
            paths
                .iter()
                .filter(|p| breaks(ix, p, id))
                .map(|p| p.vif.clone()),
        );
        let (name, account, region) = match gk {
            "dx-gateway" => ix.dxgws.get(g.as_str()).map(|x| {
                (
                    x.name.clone(),
                    x.scope.account.clone(),
                    x.scope.region.clone(),
                )
            }),
            _ => ix.vgws.get(g.as_str()).map(|x| {
                (
                    x.name.clone(),
                    x.scope.account.clone(),
                    x.scope.region.clone(),
                )
            }),
        }
        .unwrap_or_default();
        let (fails_over_to, backup_gbps) = backup_of(&gateway_backup(ix, &g));
        if gk == "dx-gateway" && before > 0 && after == 0 {
            connect_peers.extend(connect_peers_over(ix, &g));
        }
        let a = Affected {
            id: g,
            kind: gk,
            name,
            account,
            region,
            paths_before: before,
            paths_after: after,
            return_path_ok: true,
            fails_over_to,
            backup_gbps,
        };
        if before > 0 && after == 0 {
            loses.push(a);
        } else if after < before {
            fewer.push(a);
        }
    }
    Ok(Impact {
        id: id.to_string(),
        kind,
        name,
        carries: carried.len(),
        loses_on_prem: loses,
        loses_redundancy: fewer,
        connect_peers,
    })
}

/// The Connect peers whose Connect attachment rides a DX gateway's attachment.
fn connect_peers_over(ix: &Index, dxgw: &str) -> Vec<String> {
    let mut out: Vec<String> = ix
        .connects
        .values()
        .filter(|c| {
            ix.attachment_on(&c.transport_attachment_id, &c.transit_gateway_id)
                .is_some_and(|t| {
                    t.resource_type == "direct-connect-gateway" && t.resource_id == dxgw
                })
        })
        .flat_map(|c| ix.connect_peers(&c.id))
        .map(|p| crate::model::label(&p.name, &p.id))
        .collect();
    out.sort();
    out
}

impl Impact {
    pub fn text(&self) -> String {
        super::join_lines(&self.lines())
    }

    /// The text's lines with the health each reports (losses as broken, fewer paths as
    /// pending), for a screen to colour without reading the words.
    pub fn lines(&self) -> Vec<(String, Health)> {
        let mut out = vec![(
            format!(
                "impact of {} {}{}",
                self.kind,
                self.id,
                if self.name.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", self.name)
                }
            ),
            Health::Neutral,
        )];
        if self.loses_on_prem.is_empty() && self.loses_redundancy.is_empty() {
            out.push((
                "it carries no working path to on-prem: failing it impacts nothing".into(),
                Health::Neutral,
            ));
            return out;
        }
        out.push((
            format!("working paths that ride it: {}", self.carries),
            Health::Neutral,
        ));
        let lost = &self.loses_on_prem;
        let over: Vec<&Affected> = lost
            .iter()
            .filter(|a| !a.fails_over_to.is_empty())
            .collect();
        if !lost.is_empty() {
            out.push((
                format!(
                    "fails over to VPN: {} of {} · no backup: {}",
                    over.len(),
                    lost.len(),
                    lost.len() - over.len()
                ),
                if over.len() == lost.len() {
                    Health::Pending
                } else {
                    Health::Bad
                },
            ));
        }
        if !self.connect_peers.is_empty() {
            out.push((
                format!(
                    "Connect peers over it that lose their transport: {}",
                    self.connect_peers.join(", ")
                ),
                Health::Bad,
            ));
        }
        for (title, list, tone) in [
            (
                "loses its last working path to on-prem",
                &self.loses_on_prem,
                Health::Bad,
            ),
            ("loses redundancy", &self.loses_redundancy, Health::Pending),
        ] {
            out.push((String::new(), Health::Neutral));
            let t = if list.is_empty() {
                Health::Neutral
            } else {
                tone
            };
            out.push((format!("{title}: {}", list.len()), t));
            // Before → after ahead of the name: what matters survives a narrow screen.
            let w = list.iter().map(|a| a.id.chars().count()).max().unwrap_or(0);
            let wk = list.iter().map(|a| a.kind.len()).max().unwrap_or(0);
            for a in list {
                let backup = if std::ptr::eq(list, &self.loses_on_prem) {
                    if a.fails_over_to.is_empty() {
                        "  · no VPN backup".to_string()
                    } else {
                        format!("  · fails over to VPN {}", a.fails_over_to.join("; "))
                    }
                } else {
                    String::new()
                };
                out.push((
                    format!(
                        "  {:<w$}  {:<wk$}  working paths {} → {}  {}{}",
                        a.id,
                        a.kind,
                        a.paths_before,
                        a.paths_after,
                        a.name,
                        if a.return_path_ok {
                            ""
                        } else {
                            "  (its return path is already broken)"
                        }
                    ) + &backup,
                    tone,
                ));
            }
        }
        out
    }
}
