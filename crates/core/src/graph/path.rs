//! Path trace, both ways: from a VPC (or an address in one) to on-prem or to another VPC, hop
//! by hop through VPC route tables, TGW attachments and route tables, DX gateways, VGWs, VIFs,
//! connections and locations — and the return lookup from the far side back.
//!
//! Every lookup is a longest-prefix match over what was read; a missing route, a blackhole,
//! a peering not active or every VIF down is a verdict with a named problem. What was not
//! read makes the verdict `unknown`, never `reachable`.

use std::collections::BTreeSet;

use ipnet::IpNet;
use serde::Serialize;

use super::Health;
use super::index::{At, Attachment, DxPath, Index, lpm, parse_net};
use crate::model::{ResourceKind, Vpc, label};

/// The outcome of a trace or of one direction of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every hop answers and there is more than one way (more than one location).
    Reachable,
    /// It works, with less redundancy than it has or should have: a VIF of two down, every
    /// working path in one location.
    Degraded,
    /// Something the trace needed was not read.
    Unknown,
    /// A missing route, a blackhole, a peering not active, every VIF down.
    Unreachable,
}

impl Verdict {
    fn rank(self) -> u8 {
        match self {
            Verdict::Reachable => 0,
            Verdict::Degraded => 1,
            Verdict::Unknown => 2,
            Verdict::Unreachable => 3,
        }
    }

    /// The worse of two verdicts.
    pub fn worst(self, o: Verdict) -> Verdict {
        if o.rank() > self.rank() { o } else { self }
    }

    /// The health a verdict reads as.
    pub fn health(self) -> Health {
        match self {
            Verdict::Reachable => Health::Good,
            Verdict::Degraded => Health::Pending,
            Verdict::Unknown => Health::Unknown,
            Verdict::Unreachable => Health::Bad,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Reachable => "reachable",
            Verdict::Degraded => "degraded",
            Verdict::Unknown => "unknown",
            Verdict::Unreachable => "unreachable",
        }
    }
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hop {
    pub id: String,
    /// `vpc` · `vpc-route-table` · `tgw-attachment` · `transit-gateway` · `tgw-route-table` ·
    /// `dx-gateway` · `virtual-private-gateway` · `virtual-interface` · `connection` · `lag` ·
    /// `device` · `location` · `vpn-connection` · `vpc-peering`
    pub kind: &'static str,
    pub name: String,
    pub account: String,
    pub region: String,
    /// The resource's state as read (`available`, `up`, `active`, …); empty when it has none.
    pub state: String,
    /// For an attachment: `vpc`, `direct-connect-gateway`, `vpn`, `peering`, `connect`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// For a route table: the route used (`10.0.0.0/8 → tgw-… (static, active)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// What was assumed rather than read at this hop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One direction of a trace.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Leg {
    pub verdict: Verdict,
    pub hops: Vec<Hop>,
    /// The DX ways out (VIF → connection → device → location), working or not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<DxPath>,
    pub problems: Vec<String>,
    /// VPN connections on the way with a tunnel UP.
    #[serde(skip)]
    pub vpns_up: usize,
}

/// How diverse the working paths are.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Diversity {
    pub vifs: usize,
    pub connections: usize,
    pub devices: usize,
    pub locations: usize,
    /// VPN connections with a tunnel up.
    pub vpns: usize,
}

/// One end of a trace as given and as understood.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EndInfo {
    /// What was typed.
    pub input: String,
    /// `vpc` or `on-prem`.
    pub kind: &'static str,
    /// The VPC, for a VPC end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The prefix routes are looked up for.
    pub cidr: String,
}

/// A trace from SRC to DST and back.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trace {
    pub from: EndInfo,
    pub to: EndInfo,
    pub verdict: Verdict,
    /// Ways that work end to end (forward and return).
    pub working_paths: usize,
    pub diversity: Diversity,
    pub forward: Leg,
    #[serde(rename = "return")]
    pub back: Leg,
    /// Every problem, forward then return.
    pub problems: Vec<String>,
}

#[derive(Clone, Debug)]
enum End<'a> {
    Vpc { vpc: At<'a, Vpc>, net: IpNet },
    OnPrem { net: IpNet },
}

impl End<'_> {
    fn net(&self) -> IpNet {
        match self {
            End::Vpc { net, .. } | End::OnPrem { net } => *net,
        }
    }

    fn info(&self, input: &str) -> EndInfo {
        match self {
            End::Vpc { vpc, net } => EndInfo {
                input: input.into(),
                kind: "vpc",
                vpc: Some(vpc.id.clone()),
                name: vpc.name.clone(),
                cidr: net.to_string(),
            },
            End::OnPrem { net } => EndInfo {
                input: input.into(),
                kind: "on-prem",
                vpc: None,
                name: String::new(),
                cidr: net.to_string(),
            },
        }
    }
}

/// How a walk left AWS or where it arrived.
#[derive(Clone, Debug)]
enum Exit {
    /// Arrived in this VPC.
    Vpc(String),
    /// Left through a TGW attachment of a DX gateway or a VPN.
    TgwEdge(Attachment),
    /// Left through a VGW attached to the VPC.
    Vgw(String),
    /// Stopped.
    None,
}

struct Walk<'i, 'a> {
    ix: &'i Index<'a>,
    leg: Leg,
    seen: BTreeSet<(&'static str, String)>,
}

impl<'i, 'a> Walk<'i, 'a> {
    fn new(ix: &'i Index<'a>) -> Self {
        Walk {
            ix,
            leg: Leg {
                verdict: Verdict::Reachable,
                hops: Vec::new(),
                paths: Vec::new(),
                problems: Vec::new(),
                vpns_up: 0,
            },
            seen: BTreeSet::new(),
        }
    }

    fn hop(
        &mut self,
        kind: &'static str,
        id: &str,
        name: &str,
        scope: (&str, &str),
        state: &str,
    ) -> &mut Hop {
        self.seen.insert((kind, id.to_string()));
        self.leg.hops.push(Hop {
            id: id.into(),
            kind,
            name: name.into(),
            account: scope.0.into(),
            region: scope.1.into(),
            state: state.into(),
            resource_type: None,
            route: None,
            note: None,
        });
        self.leg.hops.last_mut().unwrap()
    }

    fn fail(&mut self, v: Verdict, problem: String) -> Exit {
        self.leg.verdict = self.leg.verdict.worst(v);
        self.leg.problems.push(problem);
        Exit::None
    }

    /// `unknown` when `kind` was not read, else `unreachable`.
    fn missing(&mut self, kind: ResourceKind, problem: String) -> Exit {
        if self.ix.unread.contains(&kind) {
            self.fail(
                Verdict::Unknown,
                format!("{problem} ({} were not read)", kind.label().to_lowercase()),
            )
        } else {
            self.fail(Verdict::Unreachable, problem)
        }
    }

    fn vpc_hop(&mut self, vpc: &At<'a, Vpc>) {
        let (a, r) = (vpc.scope.account.clone(), vpc.scope.region.clone());
        self.hop("vpc", &vpc.id, &vpc.name, (&a, &r), &vpc.state);
    }

    fn attachment_hop(&mut self, att: &Attachment) {
        let h = self.hop(
            "tgw-attachment",
            &att.id,
            &att.name,
            (&att.account, &att.region),
            &att.state,
        );
        h.resource_type = Some(att.resource_type.clone());
        h.note = att.inferred.clone();
    }

    fn tgw_hop(&mut self, tgw: &str) {
        let ix = self.ix;
        match ix.tgws.get(tgw) {
            Some(t) => {
                let (a, r) = (t.scope.account.clone(), t.scope.region.clone());
                self.hop("transit-gateway", tgw, &t.name, (&a, &r), &t.state);
            }
            None => {
                self.hop("transit-gateway", tgw, "", ("", ""), "");
            }
        }
    }

    /// From a VPC towards `dst`, starting with its route table.
    fn walk_vpc(&mut self, vpc: At<'a, Vpc>, src: &IpNet, dst: &IpNet) -> Exit {
        self.vpc_hop(&vpc);
        if contains(&vpc.cidrs, dst) {
            return Exit::Vpc(vpc.id.clone());
        }
        let ix = self.ix;
        let Some(table) = ix.vpc_table(&vpc.id, Some(src)) else {
            return self.missing(
                ResourceKind::VpcRouteTables,
                format!("{} has no route table", label(&vpc.name, &vpc.id)),
            );
        };
        let tl = label(&table.name, &table.id);
        let (a, r) = (table.scope.account.clone(), table.scope.region.clone());
        self.hop("vpc-route-table", &table.id, &table.name, (&a, &r), "");
        let Some(route) = lpm(&table.routes, dst, |r| r.destination.as_str()) else {
            return self.fail(Verdict::Unreachable, format!("{tl} has no route to {dst}"));
        };
        self.leg.hops.last_mut().unwrap().route = Some(format!(
            "{} → {} ({})",
            route.destination, route.target_id, route.state
        ));
        if route.state == "blackhole" {
            return self.fail(
                Verdict::Unreachable,
                format!(
                    "blackhole: {tl} routes {} to {}, which is gone",
                    route.destination, route.target_id
                ),
            );
        }
        match route.target_kind.as_str() {
            "transit-gateway" => self.via_tgw(&vpc, &route.target_id, dst),
            "gateway" if route.target_id.starts_with("vgw-") => self.via_vgw(&route.target_id),
            "vpc-peering" => self.via_peering(&vpc, &route.target_id, dst),
            "local" => self.fail(
                Verdict::Unreachable,
                format!("{tl}: {dst} matches the local route but is outside the VPC's subnets"),
            ),
            other => self.fail(
                Verdict::Unreachable,
                format!(
                    "{tl} sends {dst} to {other} {}, which leads to neither on-prem nor a VPC",
                    route.target_id
                ),
            ),
        }
    }

    fn via_tgw(&mut self, vpc: &At<'a, Vpc>, tgw: &str, dst: &IpNet) -> Exit {
        let ix = self.ix;
        let Some(att) = ix.attachment_of(tgw, &vpc.id).cloned() else {
            self.tgw_hop(tgw);
            return self.missing(
                ResourceKind::TgwAttachments,
                format!("{} has no attachment on {tgw}", label(&vpc.name, &vpc.id)),
            );
        };
        self.attachment_hop(&att);
        if att.state != "available" {
            return self.fail(
                Verdict::Unreachable,
                format!("attachment {} is {}", att.id, att.state),
            );
        }
        self.tgw_hop(tgw);
        self.tgw_lookup(&att, dst, None)
    }

    /// The route table of `att`, then the route to `dst` in it, then where it leads. `back_to`
    /// is the VPC a return lookup must arrive in.
    fn tgw_lookup(&mut self, att: &Attachment, dst: &IpNet, back_to: Option<&str>) -> Exit {
        let ix = self.ix;
        let Some(assoc) = ix.association(att) else {
            return self.missing(
                ResourceKind::TgwAssociations,
                format!(
                    "{} is associated with no TGW route table",
                    label(&att.name, &att.id)
                ),
            );
        };
        let t = assoc.table;
        let tl = if t.name.is_empty() {
            format!("TGW route table {}", t.id)
        } else {
            format!("TGW route table {}", t.name)
        };
        let (a, r) = (t.scope.account.clone(), t.scope.region.clone());
        let h = self.hop("tgw-route-table", &t.id, &t.name, (&a, &r), &t.state);
        h.note = assoc.assumed.clone();
        let Some(route) = ix.tgw_route(&t.id, dst) else {
            let unnamed = if t.name.is_empty() {
                String::new()
            } else {
                format!(" ({})", t.id)
            };
            return self.missing(
                ResourceKind::TgwRoutes,
                format!("{tl} has no route to {dst}{unnamed}"),
            );
        };
        if route.state == "blackhole" {
            // A blackhole has no target to name (nor to infer).
            self.leg.hops.last_mut().unwrap().route = Some(format!(
                "{} → blackhole ({}, {})",
                route.destination, route.route_type, route.state
            ));
            return self.fail(
                Verdict::Unreachable,
                format!(
                    "blackhole: {tl} routes {} nowhere ({})",
                    route.destination, t.id
                ),
            );
        }
        let (targets, inferred) = ix.route_targets(route, &att.transit_gateway_id);
        let shown = if targets.is_empty() {
            "?".to_string()
        } else {
            targets
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let h = self.leg.hops.last_mut().unwrap();
        h.route = Some(format!(
            "{} → {shown} ({}, {})",
            route.destination, route.route_type, route.state
        ));
        if inferred && !targets.is_empty() {
            let n = "target not in the API answer; inferred from the destination";
            h.note = Some(match h.note.take() {
                Some(x) => format!("{x}; {n}"),
                None => n.into(),
            });
        }
        let Some(target) = targets.first().map(|a| (*a).clone()) else {
            return self.fail(
                Verdict::Unknown,
                format!("{tl}: the target of {} was not reported", route.destination),
            );
        };
        self.attachment_hop(&target);
        if target.state != "available" {
            return self.fail(
                Verdict::Unreachable,
                format!("attachment {} is {}", target.id, target.state),
            );
        }
        match target.resource_type.as_str() {
            "vpc" => {
                let Some(v) = ix.vpcs.get(target.resource_id.as_str()).copied() else {
                    return self.missing(
                        ResourceKind::Vpcs,
                        format!("VPC {} was not found", target.resource_id),
                    );
                };
                self.vpc_hop(&v);
                if let Some(want) = back_to
                    && want != v.id
                {
                    return self.fail(
                        Verdict::Unreachable,
                        format!("{tl} sends {dst} to {}, not to {want}", v.id),
                    );
                }
                if contains(&v.cidrs, dst) {
                    Exit::Vpc(v.id.clone())
                } else {
                    self.fail(
                        Verdict::Unreachable,
                        format!(
                            "{tl} sends {dst} to {}, whose CIDRs do not contain it",
                            v.id
                        ),
                    )
                }
            }
            _ if back_to.is_some() => self.fail(
                Verdict::Unreachable,
                format!(
                    "{tl} sends {dst} to {} ({}), not back to the VPC",
                    target.id, target.resource_type
                ),
            ),
            "direct-connect-gateway" => {
                let dxgw = target.resource_id.clone();
                self.dxgw_hop(&dxgw);
                let vifs = ix.dxgw_vifs(&dxgw);
                self.fan_out(&vifs, &dxgw);
                Exit::TgwEdge(target)
            }
            "vpn" => {
                self.vpn_hop(&target.resource_id);
                Exit::TgwEdge(target)
            }
            other => self.fail(
                Verdict::Unknown,
                format!(
                    "{dst} leaves {} through a {other} attachment ({}); the far side is not traced",
                    att.transit_gateway_id, target.resource_id
                ),
            ),
        }
    }

    fn dxgw_hop(&mut self, dxgw: &str) {
        let ix = self.ix;
        match ix.dxgws.get(dxgw) {
            Some(g) => {
                let (a, r) = (g.scope.account.clone(), g.scope.region.clone());
                self.hop("dx-gateway", dxgw, &g.name, (&a, &r), &g.state);
            }
            None => {
                self.hop("dx-gateway", dxgw, "", ("", ""), "");
            }
        }
    }

    fn vpn_hop(&mut self, id: &str) {
        let ix = self.ix;
        match ix.vpns.get(id) {
            Some(v) => {
                let up = v.tunnels_up();
                let (a, r) = (v.scope.account.clone(), v.scope.region.clone());
                let n = v.tunnels.len();
                let name = v.name.clone();
                let h = self.hop("vpn-connection", id, &name, (&a, &r), &v.state);
                h.route = Some(format!("{up} of {n} tunnels UP"));
                if up > 0 {
                    self.leg.vpns_up += 1;
                }
                if up == 0 {
                    self.fail(Verdict::Unreachable, format!("VPN {id} has no tunnel UP"));
                } else if up < n {
                    self.leg.verdict = self.leg.verdict.worst(Verdict::Degraded);
                    self.leg
                        .problems
                        .push(format!("VPN {id}: {up} of {n} tunnels UP"));
                }
            }
            None => {
                self.hop("vpn-connection", id, "", ("", ""), "");
                self.missing(
                    ResourceKind::VpnConnections,
                    format!("VPN {id} was not read"),
                );
            }
        }
    }

    fn via_vgw(&mut self, vgw: &str) -> Exit {
        let ix = self.ix;
        let state = ix
            .vgws
            .get(vgw)
            .map(|g| g.state.clone())
            .unwrap_or_default();
        let name = ix.vgws.get(vgw).map(|g| g.name.clone()).unwrap_or_default();
        let (a, r) = ix
            .vgws
            .get(vgw)
            .map(|g| (g.scope.account.clone(), g.scope.region.clone()))
            .unwrap_or_default();
        self.hop("virtual-private-gateway", vgw, &name, (&a, &r), &state);
        for d in ix.dxgws_of(vgw) {
            let id = d.direct_connect_gateway_id.clone();
            self.dxgw_hop(&id);
        }
        let vifs = ix.vgw_vifs(vgw);
        self.fan_out(&vifs, vgw);
        Exit::Vgw(vgw.to_string())
    }

    /// Adds every VIF behind a gateway with its connection, device and location, and judges
    /// them: none working is unreachable, some down or one location is degraded.
    fn fan_out(&mut self, vifs: &[At<'a, crate::model::VirtualInterface>], gateway: &str) {
        let ix = self.ix;
        if vifs.is_empty() {
            self.missing(
                ResourceKind::DxVirtualInterfaces,
                format!("no VIF is attached to {gateway}"),
            );
            return;
        }
        let gw_name = ix.dxgw_name(gateway);
        let gateway = &label(&gw_name, gateway);
        for v in vifs {
            let p = ix.dx_path(v);
            let sc = (p.account.clone(), p.region.clone());
            let sc = (sc.0.as_str(), sc.1.as_str());
            let state = format!("{}, BGP {}", p.vif_state, p.bgp);
            self.hop("virtual-interface", &p.vif, &p.vif_name, sc, &state);
            let kind = if p.connection.starts_with("dxlag-") {
                "lag"
            } else {
                "connection"
            };
            if !self.seen.contains(&(kind, p.connection.clone())) {
                self.hop(
                    kind,
                    &p.connection,
                    &p.connection_name,
                    sc,
                    &p.connection_state,
                );
            }
            if !p.device.is_empty() && !self.seen.contains(&("device", p.device.clone())) {
                self.hop("device", &p.device, "", sc, "");
            }
            if !self.seen.contains(&("location", p.location.clone())) {
                self.hop("location", &p.location, &p.location_name, sc, "");
            }
            self.leg.paths.push(p);
        }
        let working: Vec<&DxPath> = self.leg.paths.iter().filter(|p| p.working).collect();
        let down: Vec<String> = self
            .leg
            .paths
            .iter()
            .filter_map(|p| p.why.clone())
            .collect();
        if working.is_empty() {
            self.fail(
                Verdict::Unreachable,
                format!("every VIF behind {gateway} is down: {}", down.join("; ")),
            );
            return;
        }
        let locations: BTreeSet<&str> = working.iter().map(|p| p.location.as_str()).collect();
        let n = self.leg.paths.len();
        if !down.is_empty() {
            let w = working.len();
            self.leg.verdict = self.leg.verdict.worst(Verdict::Degraded);
            self.leg.problems.push(format!(
                "{w} working VIF of {n} behind {gateway}: {}",
                down.join("; ")
            ));
        }
        if locations.len() == 1 {
            let loc = locations.iter().next().unwrap().to_string();
            self.leg.verdict = self.leg.verdict.worst(Verdict::Degraded);
            self.leg.problems.push(format!(
                "every working path behind {gateway} is in one location ({loc})"
            ));
        }
    }

    fn via_peering(&mut self, vpc: &At<'a, Vpc>, pcx: &str, dst: &IpNet) -> Exit {
        let ix = self.ix;
        let Some(p) = ix.peerings.get(pcx).copied() else {
            self.hop("vpc-peering", pcx, "", ("", ""), "");
            return self.missing(
                ResourceKind::VpcPeerings,
                format!("peering {pcx} was not found"),
            );
        };
        let (a, r) = (p.scope.account.clone(), p.scope.region.clone());
        self.hop("vpc-peering", pcx, &p.name, (&a, &r), &p.state);
        if p.state != "active" {
            return self.fail(
                Verdict::Unreachable,
                format!("peering {} is {}", label(&p.name, pcx), p.state),
            );
        }
        let peer = if p.requester.vpc_id == vpc.id {
            &p.accepter
        } else {
            &p.requester
        };
        match ix.vpcs.get(peer.vpc_id.as_str()).copied() {
            Some(v) => {
                self.vpc_hop(&v);
                if contains(&v.cidrs, dst) {
                    return Exit::Vpc(v.id.clone());
                }
            }
            None => {
                let acct = peer.owner_id.clone().unwrap_or_default();
                let region = peer.region.clone().unwrap_or_default();
                self.hop("vpc", &peer.vpc_id, "", (&acct, &region), "");
                if contains(&peer.cidrs, dst) {
                    return Exit::Vpc(peer.vpc_id.clone());
                }
            }
        }
        self.fail(
            Verdict::Unreachable,
            format!(
                "{dst} is not in {} and a peering does not route onward (no transit)",
                peer.vpc_id
            ),
        )
    }

    /// From on-prem into AWS through a TGW attachment of a DX gateway or VPN, to `dst` in
    /// `vpc`.
    fn walk_in(&mut self, edge: &Attachment, dst: &IpNet, vpc: &str) -> Exit {
        let ix = self.ix;
        if edge.resource_type == "direct-connect-gateway" {
            self.dxgw_hop(&edge.resource_id);
            self.allowed_prefixes(edge, dst);
        } else if edge.resource_type == "vpn" {
            let (up, id) = (
                ix.vpns
                    .get(edge.resource_id.as_str())
                    .map(|v| v.tunnels_up()),
                edge.resource_id.clone(),
            );
            let name = ix
                .vpns
                .get(id.as_str())
                .map(|v| v.name.clone())
                .unwrap_or_default();
            self.hop(
                "vpn-connection",
                &id,
                &name,
                (&edge.account, &edge.region),
                "",
            )
            .route = up.map(|u| format!("{u} tunnels UP"));
        }
        self.attachment_hop(edge);
        self.tgw_lookup(edge, dst, Some(vpc))
    }

    /// On-prem learns a VPC's prefix over a DX gateway attached to a TGW only when the
    /// association's allowed prefixes cover it.
    fn allowed_prefixes(&mut self, edge: &Attachment, dst: &IpNet) {
        let ix = self.ix;
        let assoc = ix.dxgw_assocs.iter().find(|a| {
            a.direct_connect_gateway_id == edge.resource_id
                && a.associated_gateway_id.as_deref() == Some(edge.transit_gateway_id.as_str())
        });
        if let Some(a) = assoc
            && !a.allowed_prefixes.is_empty()
            && !contains(&a.allowed_prefixes, dst)
        {
            self.fail(
                Verdict::Unreachable,
                format!(
                    "the association of {} with {} does not advertise {dst} to on-prem (allowed prefixes: {})",
                    edge.resource_id,
                    edge.transit_gateway_id,
                    a.allowed_prefixes.join(", ")
                ),
            );
        }
    }
}

fn contains(cidrs: &[String], net: &IpNet) -> bool {
    cidrs
        .iter()
        .filter_map(|c| c.parse::<IpNet>().ok())
        .any(|c| c.contains(net))
}

/// Resolves SRC or DST: a VPC id, a TGW attachment id (of a VPC), a Resolver endpoint id, an
/// address or a CIDR. An address outside every VPC is on-prem.
/// Checks the form of a trace end before anything is read: a VPC id (`vpc-` and hex), a TGW
/// attachment id (`tgw-attach-…`), a Resolver endpoint id (`rslvr-…`), an IP address or a CIDR.
/// The error names the end and what is accepted.
pub fn check_end(s: &str) -> Result<(), String> {
    let s = s.trim();
    let hex_id = |prefix: &str| {
        s.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        })
    };
    let ok = hex_id("vpc-")
        || hex_id("tgw-attach-")
        || hex_id("rslvr-in-")
        || hex_id("rslvr-out-")
        || hex_id("rslvr-")
        || parse_net(s).is_some();
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{s:?} is not a VPC id (vpc-…), TGW attachment id (tgw-attach-…), Resolver endpoint id (rslvr-…), IP address or CIDR"
        ))
    }
}

fn resolve<'a>(ix: &Index<'a>, s: &str) -> Result<End<'a>, String> {
    let s = s.trim();
    let vpc_end = |vpc: At<'a, Vpc>| -> Result<End<'a>, String> {
        let net = vpc
            .cidrs
            .first()
            .and_then(|c| parse_net(c))
            .ok_or_else(|| format!("{} has no IPv4 CIDR that was read", vpc.id))?;
        Ok(End::Vpc { vpc, net })
    };
    if s.starts_with("vpc-") {
        let v = ix
            .vpcs
            .get(s)
            .copied()
            .ok_or_else(|| format!("no VPC {s} in what was read"))?;
        return vpc_end(v);
    }
    if s.starts_with("tgw-attach-") {
        let a = ix
            .attachment(s)
            .ok_or_else(|| format!("no TGW attachment {s} in what was read"))?;
        if a.resource_type != "vpc" {
            return Err(format!(
                "{s} is a {} attachment: trace to an on-prem address instead",
                a.resource_type
            ));
        }
        let v = ix
            .vpcs
            .get(a.resource_id.as_str())
            .copied()
            .ok_or_else(|| format!("the VPC of {s} ({}) was not read", a.resource_id))?;
        return vpc_end(v);
    }
    if s.starts_with("rslvr-") {
        let e = ix
            .endpoints
            .get(s)
            .copied()
            .ok_or_else(|| format!("no Resolver endpoint {s} in what was read"))?;
        let v = ix
            .vpcs
            .get(e.vpc_id.as_str())
            .copied()
            .ok_or_else(|| format!("the VPC of {s} ({}) was not read", e.vpc_id))?;
        return match e
            .ips
            .iter()
            .find_map(|i| i.ip.as_deref().and_then(parse_net))
        {
            Some(net) => Ok(End::Vpc { vpc: v, net }),
            None => vpc_end(v),
        };
    }
    let net = parse_net(s).ok_or_else(|| {
        format!(
            "{s:?} is not a VPC id, TGW attachment id, Resolver endpoint id, IP address or CIDR"
        )
    })?;
    Ok(match ix.vpc_containing(&net) {
        Some(vpc) => End::Vpc { vpc, net },
        None => End::OnPrem { net },
    })
}

/// Traces from `from` to `to` and back. Errors name an end that cannot be resolved.
pub fn trace(ix: &Index, from: &str, to: &str) -> Result<Trace, String> {
    let src = resolve(ix, from)?;
    let dst = resolve(ix, to)?;
    let (forward, back) = match (&src, &dst) {
        (End::OnPrem { .. }, End::OnPrem { .. }) => {
            return Err(format!(
                "both {from} and {to} are outside every VPC read: one end must be in AWS"
            ));
        }
        (End::Vpc { vpc, net }, _) => {
            let mut f = Walk::new(ix);
            let exit = f.walk_vpc(*vpc, net, &dst.net());
            let b = back_leg(ix, exit, &dst, vpc, net);
            (f.leg, b)
        }
        (End::OnPrem { net }, End::Vpc { vpc, net: dnet }) => {
            // Trace the VPC's way out first to learn the edge, then read the way in.
            let mut out = Walk::new(ix);
            let exit = out.walk_vpc(*vpc, dnet, net);
            let f = back_leg(ix, exit, &src, vpc, dnet);
            (f, out.leg)
        }
    };
    Ok(finish(src.info(from), dst.info(to), forward, back))
}

/// The return direction, given how the forward walk left.
fn back_leg<'a>(
    ix: &Index<'a>,
    exit: Exit,
    dst: &End<'a>,
    src_vpc: &At<'a, Vpc>,
    src: &IpNet,
) -> Leg {
    let mut b = Walk::new(ix);
    match exit {
        Exit::None => {
            b.leg.verdict = Verdict::Unknown;
            b.leg
                .problems
                .push("not traced: the forward direction did not get through".into());
        }
        Exit::Vpc(id) => {
            if id == src_vpc.id {
                // Same VPC: the local route.
                b.vpc_hop(src_vpc);
            } else {
                match (ix.vpcs.get(id.as_str()).copied(), dst) {
                    (Some(v), End::Vpc { net, .. }) => {
                        let exit = b.walk_vpc(v, net, src);
                        if let Exit::Vpc(back) = &exit
                            && *back != src_vpc.id
                        {
                            b.fail(
                                Verdict::Unreachable,
                                format!(
                                    "the way back from {id} ends in {back}, not {}",
                                    src_vpc.id
                                ),
                            );
                        } else if !matches!(exit, Exit::Vpc(_) | Exit::None) {
                            b.fail(
                                Verdict::Unreachable,
                                format!("{id} sends {src} towards on-prem, not back"),
                            );
                        }
                    }
                    _ => {
                        b.leg.verdict = Verdict::Unknown;
                        b.leg.problems.push(format!(
                            "the route tables of {id} were not read: the way back is unknown"
                        ));
                    }
                }
            }
        }
        Exit::TgwEdge(edge) => {
            b.walk_in(&edge, src, &src_vpc.id);
        }
        Exit::Vgw(vgw) => {
            let (a, r) = ix
                .vgws
                .get(vgw.as_str())
                .map(|g| (g.scope.account.clone(), g.scope.region.clone()))
                .unwrap_or_default();
            b.hop("virtual-private-gateway", &vgw, "", (&a, &r), "");
            b.vpc_hop(src_vpc);
        }
    }
    b.leg
}

fn finish(from: EndInfo, to: EndInfo, forward: Leg, back: Leg) -> Trace {
    let verdict = forward.verdict.worst(back.verdict);
    let working: Vec<&DxPath> = forward.paths.iter().filter(|p| p.working).collect();
    let vpn = forward.vpns_up;
    let working: Vec<&DxPath> = if matches!(verdict, Verdict::Unreachable | Verdict::Unknown) {
        Vec::new()
    } else {
        working
    };
    let uniq = |f: fn(&DxPath) -> &str| working.iter().map(|p| f(p)).collect::<BTreeSet<_>>().len();
    let diversity = Diversity {
        vifs: working.len(),
        connections: uniq(|p| p.connection.as_str()),
        devices: uniq(|p| p.device.as_str()),
        locations: uniq(|p| p.location.as_str()),
        vpns: vpn,
    };
    let working_paths = match verdict {
        Verdict::Unreachable | Verdict::Unknown => 0,
        _ if forward.paths.is_empty() && vpn == 0 => 1,
        _ => working.len() + vpn,
    };
    let problems = forward
        .problems
        .iter()
        .map(|p| format!("forward: {p}"))
        .chain(back.problems.iter().map(|p| format!("return: {p}")))
        .collect();
    Trace {
        from,
        to,
        verdict,
        working_paths,
        diversity,
        forward,
        back,
        problems,
    }
}

impl Trace {
    /// A screenful of plain text: the verdict, each direction hop by hop, the problems.
    pub fn text(&self) -> String {
        super::join_lines(&self.lines())
    }

    /// The text's lines, each with the health it reports (the verdicts', a hop's state,
    /// problems as broken), for a screen to colour without reading the words.
    pub fn lines(&self) -> Vec<(String, Health)> {
        let mut out = Vec::new();
        let end = |e: &EndInfo| match &e.vpc {
            Some(v) if e.name.is_empty() => format!("{v} ({})", e.cidr),
            Some(v) => format!("{v} {} ({})", e.name, e.cidr),
            None => format!("{} (on-prem)", e.cidr),
        };
        out.push((
            format!("path {} → {}", end(&self.from), end(&self.to)),
            Health::Neutral,
        ));
        let mut v = format!(
            "verdict: {} · {} working path(s)",
            self.verdict.label().to_uppercase(),
            self.working_paths
        );
        let d = &self.diversity;
        if d.vifs > 0 {
            v.push_str(&format!(
                " · {} VIF(s), {} connection(s), {} device(s), {} location(s)",
                d.vifs, d.connections, d.devices, d.locations
            ));
        }
        if d.vpns > 0 {
            v.push_str(&format!(" · {} VPN(s)", d.vpns));
        }
        out.push((v, self.verdict.health()));
        if !self.problems.is_empty() {
            out.push((String::new(), Health::Neutral));
            out.push(("problems:".into(), Health::Neutral));
            for p in &self.problems {
                out.push((format!("  ! {p}"), Health::Bad));
            }
        }
        let w = self
            .forward
            .hops
            .iter()
            .chain(&self.back.hops)
            .map(|h| h.id.chars().count())
            .max()
            .unwrap_or(0);
        for (title, leg) in [("forward", &self.forward), ("return", &self.back)] {
            out.push((String::new(), Health::Neutral));
            out.push((
                format!("{title}: {}", leg.verdict.label().to_uppercase()),
                leg.verdict.health(),
            ));
            for h in &leg.hops {
                let mut l = format!("  {:<w$}  {:<17}  {}", h.id, h.kind, h.name);
                if !h.state.is_empty() {
                    l.push_str(&format!("  [{}]", h.state));
                }
                if let Some(rt) = &h.resource_type {
                    l.push_str(&format!("  ({rt})"));
                }
                if let Some(r) = &h.route {
                    l.push_str(&format!("  {r}"));
                }
                let tone = if h.state.is_empty() {
                    Health::Neutral
                } else {
                    super::health(&h.state)
                };
                out.push((l, tone));
                if let Some(n) = &h.note {
                    out.push((format!("  {:<w$}  note: {n}", ""), Health::Neutral));
                }
            }
        }
        out
    }

    /// Graphviz DOT: the forward hops as solid edges, the return as dashed ones; red for a
    /// hop that is down.
    pub fn dot(&self) -> String {
        let mut s = String::from(
            "digraph path {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n",
        );
        let mut nodes = BTreeSet::new();
        for (leg, style) in [(&self.forward, "solid"), (&self.back, "dashed")] {
            for h in &leg.hops {
                if nodes.insert(h.id.clone()) {
                    s.push_str(&format!(
                        "  \"{}\" [label=\"{}\\n{}\\n{}\", color={}];\n",
                        esc(&h.id),
                        h.kind,
                        esc(&h.name),
                        esc(&h.id),
                        super::state_colour(&h.state)
                    ));
                }
            }
            let mut prev: Option<&Hop> = None;
            for h in &leg.hops {
                if let Some(p) = prev {
                    // DX fan-out: each VIF hangs off the gateway, its connection off it.
                    let from = match h.kind {
                        "virtual-interface" => leg
                            .hops
                            .iter()
                            .rev()
                            .find(|x| matches!(x.kind, "dx-gateway" | "virtual-private-gateway"))
                            .unwrap_or(p),
                        _ => p,
                    };
                    s.push_str(&format!(
                        "  \"{}\" -> \"{}\" [style={style}];\n",
                        esc(&from.id),
                        esc(&h.id)
                    ));
                }
                prev = Some(h);
            }
        }
        s.push_str(&format!(
            "  label=\"{} → {}: {}\";\n}}\n",
            esc(&self.from.input),
            esc(&self.to.input),
            self.verdict.label()
        ));
        s
    }
}

pub(super) fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}
