//! What a change would do to the paths, before it is made: the change is applied to a copy of
//! the estate and every VPC's paths to on-prem (and to the prefixes the change touches) are
//! traced before and after. The plan of every workflow shows the difference.

use std::collections::BTreeMap;

use ipnet::IpNet;

mod apply;
pub mod dns;
mod parse;

pub use apply::apply;

use super::Index;
use super::impact::{Affected, on_prem_prefixes, reaches};
use super::index::parse_net;
use super::path::{self, Verdict};
use crate::model::{Estate, label};

/// A hypothetical change.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The VIF stops carrying traffic (deleted, or its BGP session taken down).
    FailVif(String),
    /// A TGW route removed (DeleteTransitGatewayRoute).
    DeleteTgwRoute {
        route_table_id: String,
        cidr: String,
    },
    /// A static TGW route added, to an attachment or (none) a blackhole; it replaces any route
    /// to the same CIDR (a static route overrides a propagated one).
    AddTgwRoute {
        route_table_id: String,
        cidr: String,
        attachment_id: Option<String>,
    },
    /// A VPC route removed (DeleteRoute).
    DeleteVpcRoute {
        route_table_id: String,
        cidr: String,
    },
    /// A VPC peering gone (deleted or rejected).
    DeletePeering(String),
    /// A TGW attachment deleted (DeleteTransitGatewayVpcAttachment and the like): nothing
    /// crosses it.
    DeleteAttachment(String),
    /// A TGW attachment fails (`--fail tgw-attach-…`): nothing crosses it.
    FailAttachment(String),
    /// A VIF, connection, LAG, AWS device or location fails: every VIF whose way to on-prem
    /// it breaks goes down (the definition `impact` uses, LAG minimum links included).
    FailDx(String),
    /// A Site-to-Site VPN connection fails (`--fail vpn-…`): every tunnel DOWN.
    FailVpn(String),
    /// A TGW attachment's association with a route table removed
    /// (DisassociateTransitGatewayRouteTable): its traffic is looked up in no table.
    DeleteAssociation {
        route_table_id: String,
        attachment_id: String,
    },
    /// A TGW attachment's propagation into a route table removed
    /// (DisableTransitGatewayRouteTablePropagation): the routes it propagated there go.
    DeletePropagation {
        route_table_id: String,
        attachment_id: String,
    },
    /// A DX gateway's association with a transit or virtual private gateway removed
    /// (DeleteDirectConnectGatewayAssociation): nothing crosses between them.
    DeleteDxgwAssociation {
        dx_gateway_id: String,
        gateway_id: String,
    },
    /// A TGW attachment associated with a route table (AssociateTransitGatewayRouteTable),
    /// instead of any it was associated with.
    AddAssociation {
        route_table_id: String,
        attachment_id: String,
    },
    /// A TGW attachment propagating into a route table
    /// (EnableTransitGatewayRouteTablePropagation): a VPC attachment's CIDRs become
    /// propagated routes there (a static route to the same CIDR still wins).
    AddPropagation {
        route_table_id: String,
        attachment_id: String,
    },
    /// A VPC route added (CreateRoute), replacing one to the same CIDR.
    AddVpcRoute {
        route_table_id: String,
        cidr: String,
        /// `transit-gateway`, `vpc-peering`, `gateway`, `nat-gateway`, … and the target's id.
        target_kind: String,
        target_id: String,
    },
    /// The allowed prefixes of a DX gateway association set
    /// (UpdateDirectConnectGatewayAssociation): what on-prem learns through it.
    SetAllowedPrefixes {
        dx_gateway_id: String,
        gateway_id: String,
        prefixes: Vec<String>,
    },
    /// A Resolver rule deleted (DeleteResolverRule): its domain is no longer forwarded.
    DeleteResolverRule(String),
    /// A Resolver rule's association with a VPC deleted (DisassociateResolverRule).
    DeleteRuleAssociation { rule_id: String, vpc_id: String },
}

/// A VPC that reached a prefix before the change and does not after.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Cut {
    pub vpc: String,
    pub name: String,
    pub prefix: String,
    /// Why, as the trace after the change says.
    pub why: String,
}

/// The difference a change makes.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct WhatIf {
    /// VPCs and gateways left with no working path to on-prem.
    pub lost: Vec<Affected>,
    /// VPCs and gateways left with fewer working paths, but some.
    pub degraded: Vec<Affected>,
    /// VPCs that no longer reach a prefix they reached.
    pub cut: Vec<Cut>,
    /// VPCs left with more working paths to on-prem than before (none before included).
    pub gained: Vec<Affected>,
    /// Forwarding rule targets the rule's outbound endpoint would no longer reach.
    pub dns_stops: Vec<dns::DnsChange>,
    /// Forwarding rule targets it would reach again.
    pub dns_resumes: Vec<dns::DnsChange>,
}

impl WhatIf {
    /// Whether the change cuts a VPC (or gateway) off, or DNS forwarding: it needs the typed
    /// confirmation.
    pub fn cuts(&self) -> bool {
        !self.lost.is_empty() || !self.cut.is_empty() || !self.dns_stops.is_empty()
    }

    /// One line per effect, for the plan.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for a in &self.lost {
            out.push(format!(
                "breaks: {} loses its last working path to on-prem over Direct Connect ({} → 0){}",
                label(&a.name, &a.id),
                a.paths_before,
                if a.fails_over_to.is_empty() {
                    ", with no VPN backup".to_string()
                } else {
                    format!("; fails over to VPN {}", a.fails_over_to.join("; "))
                }
            ));
        }
        for c in &self.cut {
            out.push(format!(
                "breaks: {} no longer reaches {}: {}",
                label(&c.name, &c.vpc),
                c.prefix,
                c.why
            ));
        }
        out.extend(self.dns_stops.iter().map(|d| d.line(true)));
        out.extend(self.dns_resumes.iter().map(|d| d.line(false)));
        for (verb, list) in [
            ("loses redundancy", &self.degraded),
            ("gains", &self.gained),
        ] {
            for a in list {
                out.push(format!(
                    "{verb}: {} (working paths {} → {})",
                    label(&a.name, &a.id),
                    a.paths_before,
                    a.paths_after
                ));
            }
        }
        out
    }
}

/// The prefixes a change touches (traced besides the on-prem prefixes).
fn touched(e: &Estate, changes: &[Change]) -> Vec<IpNet> {
    let mut out = Vec::new();
    for c in changes {
        match c {
            Change::DeleteTgwRoute { cidr, .. }
            | Change::AddTgwRoute { cidr, .. }
            | Change::DeleteVpcRoute { cidr, .. } => {
                out.extend(parse_net(cidr));
            }
            Change::DeletePeering(id) => {
                for p in e.scopes.values().flat_map(|r| &r.vpc_peerings.items) {
                    if &p.id == id {
                        for c in p.requester.cidrs.iter().chain(&p.accepter.cidrs) {
                            out.extend(parse_net(c));
                        }
                    }
                }
            }
            // The prefixes routed over the VPN's TGW attachment (its branch offices).
            Change::FailVpn(id) => {
                let rs = e.scopes.values();
                let atts: Vec<&str> = rs
                    .clone()
                    .flat_map(|r| &r.tgw_attachments.items)
                    .filter(|a| a.resource_type == "vpn" && a.resource_id.as_deref() == Some(id))
                    .map(|a| a.id.as_str())
                    .collect();
                let over = |x: &&crate::model::TgwRoute| {
                    x.targets.iter().any(|t| {
                        t.attachment_id
                            .as_deref()
                            .is_some_and(|a| atts.contains(&a))
                    })
                };
                for x in rs.flat_map(|r| &r.tgw_routes.items).filter(over) {
                    out.extend(parse_net(&x.destination));
                }
            }
            Change::FailVif(_)
            | Change::FailDx(_)
            | Change::DeleteAttachment(_)
            | Change::FailAttachment(_)
            | Change::DeleteAssociation { .. }
            | Change::DeletePropagation { .. }
            | Change::DeleteDxgwAssociation { .. }
            | Change::AddAssociation { .. }
            | Change::SetAllowedPrefixes { .. }
            | Change::DeleteResolverRule(_)
            | Change::DeleteRuleAssociation { .. } => {}
            Change::AddVpcRoute { cidr, .. } => out.extend(parse_net(cidr)),
            Change::AddPropagation { attachment_id, .. } => {
                let rs = e.scopes.values();
                let vpcs: Vec<&str> = rs
                    .clone()
                    .flat_map(|r| &r.tgw_attachments.items)
                    .filter(|a| &a.id == attachment_id && a.resource_type == "vpc")
                    .filter_map(|a| a.resource_id.as_deref())
                    .collect();
                for v in rs
                    .flat_map(|r| &r.vpcs.items)
                    .filter(|v| vpcs.contains(&v.id.as_str()))
                {
                    out.extend(v.cidrs.iter().filter_map(|c| parse_net(c)));
                }
            }
        }
    }
    out
}

/// What `changes` would do to the paths of `e`.
pub fn what_if(e: &Estate, changes: &[Change]) -> WhatIf {
    compare(e, &apply(e, changes), changes)
}

/// [`what_if`] with the changes already applied (`after` = [`apply`]`(e, changes)`).
pub fn compare(e: &Estate, after: &Estate, changes: &[Change]) -> WhatIf {
    let (ix_b, ix_a) = (Index::new(e), Index::new(after));
    let mut out = WhatIf::default();
    // Working paths per VPC (the one definition: both ways), before and after.
    type Count = (
        usize,
        String,
        String,
        String,
        Vec<crate::graph::path::VpnPath>,
    );
    let count = |ix: &Index| -> BTreeMap<String, Count> {
        reaches(ix)
            .into_iter()
            .map(|r| {
                let n = r.working().count();
                (
                    r.vpc.clone(),
                    (n, r.name, r.account, r.region, r.vpn_backup),
                )
            })
            .collect()
    };
    let (before, now) = (count(&ix_b), count(&ix_a));
    for (vpc, (b, name, account, region, _)) in &before {
        let a = now.get(vpc).map(|x| x.0).unwrap_or(0);
        let backup = now.get(vpc).map(|x| x.4.as_slice()).unwrap_or_default();
        let affected = Affected {
            fails_over_to: backup.iter().map(|v| v.describe()).collect(),
            backup_gbps: backup.iter().fold(0.0, |t, v| t + v.gbps),
            id: vpc.clone(),
            kind: "vpc",
            name: name.clone(),
            account: account.clone(),
            region: region.clone(),
            paths_before: *b,
            paths_after: a,
            return_path_ok: true,
        };
        if *b > 0 && a == 0 {
            out.lost.push(affected);
        } else if a < *b {
            out.degraded.push(affected);
        } else if a > *b {
            out.gained.push(affected);
        }
    }
    // A VPC that routes towards on-prem only after the change.
    for (vpc, (a, name, account, region, _)) in &now {
        if !before.contains_key(vpc) && *a > 0 {
            out.gained.push(Affected {
                fails_over_to: Vec::new(),
                backup_gbps: 0.0,
                id: vpc.clone(),
                kind: "vpc",
                name: name.clone(),
                account: account.clone(),
                region: region.clone(),
                paths_before: 0,
                paths_after: *a,
                return_path_ok: true,
            });
        }
    }
    // Reachability of the on-prem prefixes and of what the change touches, per VPC.
    let mut probes = on_prem_prefixes(&ix_b);
    probes.extend(touched(e, changes));
    probes.sort();
    probes.dedup();
    let mut vpcs: Vec<_> = ix_b.vpcs.values().collect();
    vpcs.sort_by(|a, b| a.id.cmp(&b.id));
    for v in vpcs {
        if out.lost.iter().any(|l| l.id == v.id) {
            continue;
        }
        let own: Vec<IpNet> = v.cidrs.iter().filter_map(|c| parse_net(c)).collect();
        for p in &probes {
            if own.iter().any(|c| c.contains(p)) {
                continue;
            }
            let dst = p.to_string();
            let reached = |ix: &Index| {
                path::trace(ix, &v.id, &dst).map(|t| {
                    (
                        !matches!(t.forward.verdict, Verdict::Unreachable | Verdict::Unknown),
                        t,
                    )
                })
            };
            let (Ok((true, _)), Ok((false, t))) = (reached(&ix_b), reached(&ix_a)) else {
                continue;
            };
            out.cut.push(Cut {
                vpc: v.id.clone(),
                name: v.name.clone(),
                prefix: dst,
                why: t.forward.problems.first().cloned().unwrap_or_default(),
            });
        }
    }
    (out.dns_stops, out.dns_resumes) = dns::forwarding(e, after, &ix_b, &ix_a);
    out
}

/// The findings a change would raise and those it would clear, keyed by rule and every
/// resource they are about (two VPCs' findings that name the same route table first are two
/// findings) — `(appear, clear)`, each most severe first.
pub fn findings_diff<'a>(
    before: &'a [crate::findings::Finding],
    after: &'a [crate::findings::Finding],
) -> (
    Vec<&'a crate::findings::Finding>,
    Vec<&'a crate::findings::Finding>,
) {
    use std::collections::BTreeSet;
    let key = |f: &crate::findings::Finding| {
        let about: Vec<(String, String)> = f
            .resources
            .iter()
            .map(|r| (r.region.clone(), r.id.clone()))
            .collect();
        (f.code, about)
    };
    let (b, a): (BTreeSet<_>, BTreeSet<_>) = (
        before.iter().map(key).collect(),
        after.iter().map(key).collect(),
    );
    (
        after.iter().filter(|f| !b.contains(&key(f))).collect(),
        before.iter().filter(|f| !a.contains(&key(f))).collect(),
    )
}

/// One line per finding a change would raise or clear (`finding would appear: high PATH-004
/// …`), for the CLI and the plans.
pub fn finding_lines(
    appear: &[&crate::findings::Finding],
    clear: &[&crate::findings::Finding],
) -> Vec<String> {
    [("would appear", appear), ("would clear", clear)]
        .into_iter()
        .flat_map(|(verb, list)| {
            list.iter().map(move |f| {
                format!(
                    "finding {verb}: {} {} {}",
                    f.severity.label(),
                    f.code,
                    f.title
                )
            })
        })
        .collect()
}
