//! Findings from the connectivity graph: redundancy by working paths (not by counting
//! connections), Resolver forwarding targets the endpoint's VPC cannot reach, inbound
//! endpoints on-prem cannot reach, and return-path gaps.

use std::collections::BTreeSet;

use super::{Finding, ResourceRef, Severity, finding};
use crate::graph::Index;
use crate::graph::impact::VpcReach;
use crate::graph::path::{self, Verdict};
use crate::model::{Estate, ResourceKind};

pub(super) fn res(r: &VpcReach) -> ResourceRef {
    ResourceRef {
        account: Some(r.account.clone()).filter(|a| !a.is_empty()),
        region: r.region.clone(),
        resource_type: format!(
            "{}/{}",
            ResourceKind::Vpcs.area().key(),
            ResourceKind::Vpcs.key()
        ),
        kind: ResourceKind::Vpcs,
        id: r.vpc.clone(),
        name: r.name.clone(),
    }
}

pub(super) fn resource(
    kind: ResourceKind,
    account: &str,
    region: &str,
    id: &str,
    name: &str,
) -> ResourceRef {
    ResourceRef {
        account: Some(account.to_string()).filter(|a| !a.is_empty()),
        region: region.to_string(),
        resource_type: format!("{}/{}", kind.area().key(), kind.key()),
        kind,
        id: id.to_string(),
        name: name.to_string(),
    }
}

/// Runs the path rules over the whole estate (paths cross accounts and regions).
pub(crate) fn check(e: &Estate, ix: &Index, reach: &[VpcReach], out: &mut Vec<Finding>) {
    redundancy(reach, out);
    return_gaps(reach, out);
    forwarding(ix, e, out);
    inbound(ix, reach, out);
}

fn redundancy(reach: &[VpcReach], out: &mut Vec<Finding>) {
    for r in reach {
        let working: Vec<_> = r.working().collect();
        if working.is_empty() {
            continue;
        }
        let one = |f: fn(&crate::graph::index::DxPath) -> &str| -> Option<String> {
            let s: BTreeSet<&str> = working.iter().map(|p| f(p)).collect();
            (s.len() == 1).then(|| s.into_iter().next().unwrap().to_string())
        };
        let single: Vec<(&str, String)> = [
            ("VIF", one(|p| p.vif.as_str())),
            ("connection", one(|p| p.connection.as_str())),
            ("device", one(|p| p.device.as_str())),
            ("location", one(|p| p.location.as_str())),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        if single.is_empty() {
            continue;
        }
        let what = single
            .iter()
            .map(|(k, v)| format!("one {k} ({v})"))
            .collect::<Vec<_>>()
            .join(", ");
        let down: Vec<String> = r
            .paths
            .iter()
            .filter(|p| !p.working)
            .map(|p| p.vif.clone())
            .collect();
        out.push(finding(
            "PATH-001",
            None,
            format!(
                "{}: every working path to on-prem rides {what}",
                if r.name.is_empty() { &r.vpc } else { &r.name }
            ),
            {
                // The one VIF it hangs on when it is one (the single point), then the VPC.
                let mut v = vec![res(r)];
                if let [p] = working.as_slice() {
                    v.insert(0, resource(ResourceKind::DxVirtualInterfaces, &p.account, &p.region, &p.vif, &p.vif_name));
                }
                v
            },
            &[
                ("working_paths", working.len().to_string()),
                (
                    "working_vifs",
                    working.iter().map(|p| p.vif.as_str()).collect::<Vec<_>>().join(", "),
                ),
                ("not_working_vifs", if down.is_empty() { "none".into() } else { down.join(", ") }),
                ("gateways", r.gateways.join(", ")),
            ],
            "Add or repair a VIF on a second connection at a second Direct Connect location, attached to the same gateway, so that one failure does not cut the VPC off from on-prem.",
        ));
    }
}

fn return_gaps(reach: &[VpcReach], out: &mut Vec<Finding>) {
    for r in reach {
        // The forward way gets to on-prem, the way back does not.
        let gap = r.traces.iter().find(|t| {
            t.forward.verdict != Verdict::Unreachable
                && t.forward.verdict != Verdict::Unknown
                && t.back.verdict == Verdict::Unreachable
        });
        let Some(t) = gap else {
            continue;
        };
        out.push(finding(
            "PATH-004",
            None,
            format!(
                "{}: on-prem ({}) is routed to, but the way back to {} fails: {}",
                if r.name.is_empty() { &r.vpc } else { &r.name },
                t.to.cidr,
                t.from.cidr,
                t.back.problems.first().cloned().unwrap_or_default()
            ),
            {
                // The route table that lacks the way back (what to fix), then the VPC.
                let mut v = vec![res(r)];
                if let Some(h) = t.back.hops.iter().rev().find(|h| h.kind == "tgw-route-table") {
                    v.insert(0, resource(ResourceKind::TgwRouteTables, &h.account, &h.region, &h.id, &h.name));
                }
                v
            },
            &[
                ("destination", t.to.cidr.clone()),
                ("return_problems", t.back.problems.join("; ")),
                (
                    "return_hops",
                    t.back.hops.iter().map(|h| h.id.as_str()).collect::<Vec<_>>().join(" → "),
                ),
            ],
            "Add the VPC's CIDR to the route table associated with the DX gateway (or VPN) attachment — a static route or a propagation from the VPC attachment — and to the DX gateway association's allowed prefixes.",
        ));
    }
}

fn forwarding(ix: &Index, e: &Estate, out: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    for r in e.scopes.values() {
        for rule in &r.resolver_rules.items {
            if !rule.forwards() || !seen.insert(rule.id.clone()) {
                continue;
            }
            let Some(ep) = rule.resolver_endpoint_id.as_deref() else {
                continue;
            };
            if !ix.endpoints.contains_key(ep) {
                continue;
            }
            let mut broken = Vec::new();
            let mut unknown = 0;
            for target in &rule.target_ips {
                let ip = target_ip(target);
                match path::trace(ix, ep, ip) {
                    Ok(t) if t.forward.verdict == Verdict::Unreachable => {
                        broken.push(format!("{target}: {}", t.forward.problems.join("; ")));
                    }
                    Ok(t) if t.forward.verdict == Verdict::Unknown => unknown += 1,
                    Ok(_) => {}
                    Err(_) => unknown += 1,
                }
            }
            if broken.is_empty() {
                continue;
            }
            let all = broken.len() == rule.target_ips.len();
            let endpoint = ix.endpoints.get(ep).unwrap();
            // The VPCs whose lookups of the domain break: direct or through a Profile.
            let using: Vec<_> = r
                .effective_rules()
                .into_iter()
                .filter(|x| x.rule.id == rule.id)
                .collect();
            let vpcs: Vec<String> = using
                .iter()
                .map(|x| match &x.via_profile {
                    Some(_) => format!("{} ({})", x.vpc_id, x.source()),
                    None => x.vpc_id.clone(),
                })
                .collect();
            let mut resources = vec![resource(
                ResourceKind::ResolverRules,
                &r.account,
                &r.region,
                &rule.id,
                &rule.name,
            )];
            resources.extend(using.iter().map(|x| {
                let name = e.vpc_name(&r.region, &x.vpc_id);
                resource(ResourceKind::Vpcs, &r.account, &r.region, &x.vpc_id, &name)
            }));
            out.push(finding(
                "PATH-002",
                Some(if all { Severity::High } else { Severity::Medium }),
                format!(
                    "Forwarding rule {} ({}): {} of {} target(s) unreachable from {}'s VPC {} — DNS to on-prem is broken{}{}",
                    if rule.name.is_empty() { &rule.id } else { &rule.name },
                    rule.domain_name,
                    broken.len(),
                    rule.target_ips.len(),
                    ep,
                    endpoint.vpc_id,
                    if all { "" } else { " for part of the targets" },
                    in_effect_for(&using),
                ),
                resources,
                &[
                    ("unreachable_targets", broken.join(" | ")),
                    ("targets_not_assessed", unknown.to_string()),
                    ("endpoint", endpoint.id.clone()),
                    ("endpoint_vpc", endpoint.vpc_id.clone()),
                    ("vpcs_using_the_rule", vpcs.join(", ")),
                ],
                "Route the target DNS servers' prefix from the endpoint's subnets to on-prem (VPC route table → TGW → DX gateway attachment) and make sure a VIF behind it has BGP up; or change the rule's targets.",
            ));
        }
    }
}

/// ` for 2 VPC(s), 1 via a Profile`: who a rule's breakage reaches (nothing when no VPC uses
/// it).
fn in_effect_for(using: &[crate::model::EffectiveRule<'_>]) -> String {
    let via = using.iter().filter(|x| x.via_profile.is_some()).count();
    match (using.len(), via) {
        (0, _) => String::new(),
        (n, 0) => format!(" for {n} VPC(s)"),
        (n, v) => format!(" for {n} VPC(s), {v} via a Profile"),
    }
}

/// `10.0.0.2:53` → `10.0.0.2`; `[2001:db8::1]:53` → `2001:db8::1`.
pub(crate) fn target_ip(t: &str) -> &str {
    if let Some(rest) = t.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match t.rsplit_once(':') {
        Some((ip, port)) if !ip.contains(':') && port.chars().all(|c| c.is_ascii_digit()) => ip,
        _ => t,
    }
}

fn inbound(ix: &Index, reach: &[VpcReach], out: &mut Vec<Finding>) {
    let mut eps: Vec<_> = ix.endpoints.values().collect();
    eps.sort_by(|a, b| a.id.cmp(&b.id));
    for ep in eps {
        if !ep.direction.eq_ignore_ascii_case("INBOUND") {
            continue;
        }
        let Some(r) = reach.iter().find(|r| r.vpc == ep.vpc_id) else {
            // The VPC does not route to on-prem at all: nothing to judge by.
            continue;
        };
        // On-prem reaches the endpoint when some way back into its VPC works.
        let ok = r.traces.iter().any(|t| {
            !matches!(t.back.verdict, Verdict::Unreachable | Verdict::Unknown)
                && t.forward.paths.iter().any(|p| p.working)
        });
        if ok {
            continue;
        }
        let why = r
            .traces
            .iter()
            .flat_map(|t| t.problems.iter().cloned())
            .next()
            .unwrap_or_else(|| "no working VIF".into());
        out.push(finding(
            "PATH-003",
            None,
            format!(
                "Inbound endpoint {} in {}: on-prem cannot reach it: {why}",
                if ep.name.is_empty() { &ep.id } else { &ep.name },
                ep.vpc_id
            ),
            vec![resource(
                ResourceKind::ResolverEndpoints,
                &ep.scope.account,
                &ep.scope.region,
                &ep.id,
                &ep.name,
            )],
            &[
                ("vpc", ep.vpc_id.clone()),
                (
                    "endpoint_ips",
                    ep.ips.iter().filter_map(|i| i.ip.clone()).collect::<Vec<_>>().join(", "),
                ),
            ],
            "Route the endpoint's VPC CIDR back from the DX gateway attachment's route table and advertise it in the DX gateway association's allowed prefixes; check that a VIF behind it has BGP up.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_ip_strips_the_port() {
        assert_eq!(target_ip("10.0.0.2:53"), "10.0.0.2");
        assert_eq!(target_ip("10.0.0.2"), "10.0.0.2");
        assert_eq!(target_ip("[2001:db8::1]:53"), "2001:db8::1");
    }
}
