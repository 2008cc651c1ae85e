//! Broken paths as findings: a VPC that routes on-prem traffic toward a TGW or VGW that has no
//! way onward (a forward gap), a VPC peering routed over from one side only (no return route),
//! and a VPC whose ways to on-prem over Direct Connect are all down, or some of them.

use crate::model::{PeeringState, VpcRouteState};
use std::collections::BTreeMap;

use ipnet::IpNet;

use super::paths::{res, resource};
use super::{Finding, Severity, finding};
use crate::graph::Index;
use crate::graph::impact::{VpcReach, on_prem_prefixes};
use crate::graph::index::{lpm, parse_net};
use crate::graph::path::{self, Verdict};
use crate::model::{ResourceKind, label};

/// Runs the three rules.
pub(crate) fn check(ix: &Index, reach: &[VpcReach], out: &mut Vec<Finding>) {
    forward_gaps(ix, out);
    peering_returns(ix, out);
    dx_down(reach, out);
}

/// Per VPC, the on-prem prefixes its route table sends to a TGW or VGW from where the trace
/// finds no way out.
fn forward_gaps(ix: &Index, out: &mut Vec<Finding>) {
    let prefixes = on_prem_prefixes(ix);
    if prefixes.is_empty() {
        return;
    }
    let mut vpcs: Vec<_> = ix.vpcs.values().collect();
    vpcs.sort_by(|a, b| a.id.cmp(&b.id));
    for v in vpcs {
        let own: Vec<IpNet> = v.cidrs.iter().filter_map(|c| parse_net(c)).collect();
        let Some(table) = ix.vpc_table(&v.id, None) else {
            continue;
        };
        // gap prefix → (the VPC route used, the first problem)
        let mut gaps: BTreeMap<String, (String, String)> = BTreeMap::new();
        for p in &prefixes {
            if own.iter().any(|c| c.contains(p)) {
                continue;
            }
            let Some(route) = lpm(&table.routes, p, |r| r.destination.as_str()) else {
                continue;
            };
            let toward = route.target_id.starts_with("tgw-") || route.target_id.starts_with("vgw-");
            if !toward || route.state != VpcRouteState::Active {
                continue;
            }
            let Ok(t) = path::trace(ix, &v.id, &p.to_string()) else {
                continue;
            };
            if t.forward.verdict == Verdict::Unreachable {
                gaps.insert(
                    p.to_string(),
                    (
                        format!("{} → {}", route.destination, route.target_id),
                        t.forward.problems.first().cloned().unwrap_or_default(),
                    ),
                );
            }
        }
        let Some((first, (route, why))) = gaps.iter().next() else {
            continue;
        };
        out.push(finding(
            "PATH-005",
            None,
            format!(
                "{} routes on-prem ({first}{}) to {} but it has no way onward: {why}",
                label(&v.name, &v.id),
                if gaps.len() > 1 {
                    format!(" and {} more", gaps.len() - 1)
                } else {
                    String::new()
                },
                route.split(" → ").nth(1).unwrap_or_default(),
            ),
            vec![
                resource(ResourceKind::Vpcs, &v.scope.account, &v.scope.region, &v.id, &v.name),
                resource(
                    ResourceKind::VpcRouteTables,
                    &table.scope.account,
                    &table.scope.region,
                    &table.id,
                    &table.name,
                ),
            ],
            &[
                ("vpc_route", route.clone()),
                ("unreachable_prefixes", gaps.keys().cloned().collect::<Vec<_>>().join(", ")),
                ("problem", why.clone()),
            ],
            "Add a route to the on-prem prefix in the TGW route table associated with the VPC's attachment (a static route to the DX gateway or VPN attachment, or a propagation from it), or route the VPC elsewhere.",
        ));
    }
}

/// An active peering whose one side routes to the other over it while the other side has no
/// route back to it over the peering.
fn peering_returns(ix: &Index, out: &mut Vec<Finding>) {
    let mut peerings: Vec<_> = ix.peerings.values().collect();
    peerings.sort_by(|a, b| a.id.cmp(&b.id));
    for p in peerings
        .into_iter()
        .filter(|p| p.state == PeeringState::Active)
    {
        for (from, to) in [(&p.requester, &p.accepter), (&p.accepter, &p.requester)] {
            // Both sides' route tables must have been read to judge.
            let (Some(there), Some(back)) = (
                ix.vpc_tables.get(from.vpc_id.as_str()),
                ix.vpc_tables.get(to.vpc_id.as_str()),
            ) else {
                continue;
            };
            let Some(used) = there
                .iter()
                .flat_map(|t| t.routes.iter().map(move |r| (t, r)))
                .find(|(_, r)| r.target_id == p.id && r.state == VpcRouteState::Active)
            else {
                continue;
            };
            let from_cidrs: Vec<IpNet> = if from.cidrs.is_empty() {
                ix.vpcs
                    .get(from.vpc_id.as_str())
                    .map(|v| v.cidrs.iter().filter_map(|c| parse_net(c)).collect())
                    .unwrap_or_default()
            } else {
                from.cidrs.iter().filter_map(|c| parse_net(c)).collect()
            };
            let Some(src) = from_cidrs.first() else {
                continue;
            };
            let returns = back.iter().any(|t| {
                lpm(&t.routes, src, |r| r.destination.as_str())
                    .is_some_and(|r| r.target_id == p.id && r.state == VpcRouteState::Active)
            });
            if returns {
                continue;
            }
            let main = back.iter().find(|t| t.main).or(back.first()).unwrap();
            out.push(finding(
                "PATH-006",
                None,
                format!(
                    "Peering {}: {} routes {} over it, but {} has no route back to {src} over it",
                    label(&p.name, &p.id),
                    label(&used.0.name, &used.0.id),
                    used.1.destination,
                    to.vpc_id,
                ),
                vec![
                    resource(ResourceKind::VpcPeerings, &p.scope.account, &p.scope.region, &p.id, &p.name),
                    resource(
                        ResourceKind::VpcRouteTables,
                        &main.scope.account,
                        &main.scope.region,
                        &main.id,
                        &main.name,
                    ),
                ],
                &[
                    ("routed_by", format!("{} {} → {}", used.0.id, used.1.destination, p.id)),
                    ("missing_in", back.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", ")),
                    ("missing_route", format!("{src} → {}", p.id)),
                ],
                "Add a route to the other VPC's CIDR through the peering in the route tables of the side that lacks it (traffic over a peering needs a route on both sides).",
            ));
        }
    }
}

/// A VPC whose DX paths are all down (it lost its last working path: critical; a VPN backup
/// carries it: high) or some of them (degraded: medium, a redundancy risk; the VIF's own
/// finding is the live outage).
fn dx_down(reach: &[VpcReach], out: &mut Vec<Finding>) {
    for r in reach {
        // No way back at all is PATH-004's finding (the route to add), not a DX outage.
        if !r.return_ok {
            continue;
        }
        let down: Vec<&str> = r
            .paths
            .iter()
            .filter(|p| !p.working)
            .map(|p| p.vif.as_str())
            .collect();
        if down.is_empty() {
            continue;
        }
        let working = r.paths.len() - down.len();
        let backup: Vec<String> = r.vpn_backup.iter().map(|v| v.describe()).collect();
        let (severity, what) = if working == 0 && !backup.is_empty() {
            // Down on Direct Connect, carried by its VPN backup: a live outage, not a cut.
            (
                Severity::High,
                format!(
                    "has no working DX path left: on VPN backup ({})",
                    backup.join("; ")
                ),
            )
        } else if working == 0 {
            (
                Severity::Critical,
                "has no working path to on-prem left".to_string(),
            )
        } else {
            // It runs on what is left: a redundancy risk (the VIF's own finding is the
            // live outage).
            (
                Severity::Medium,
                format!(
                    "is degraded: {} of {} DX path(s) down",
                    down.len(),
                    r.paths.len()
                ),
            )
        };
        let why: Vec<String> = r
            .paths
            .iter()
            .filter(|p| !p.working)
            .map(|p| format!("{}: {}", p.vif, p.why.as_deref().unwrap_or("down")))
            .collect();
        out.push(finding(
            "PATH-007",
            Some(severity),
            format!("{} {what}", label(&r.name, &r.vpc)),
            vec![res(r)],
            &[
                ("working_paths", format!("{working}")),
                ("paths", r.paths.len().to_string()),
                ("down", why.join("; ")),
                ("gateways", r.gateways.join(", ")),
            ],
            "Restore the VIFs that are down (BGP, the connection, the cross connect); until then the VPC's traffic rides what is left.",
        ));
    }
}
