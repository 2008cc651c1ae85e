//! Path trace, both ways: from a VPC (or an address in one) to on-prem or to another VPC, hop
//! by hop through VPC route tables, TGW attachments and route tables, DX gateways, VGWs, VIFs,
//! connections and locations — and the return lookup from the far side back.
//!
//! Every lookup is a longest-prefix match over what was read; a missing route, a blackhole,
//! a peering not active or every VIF down is a verdict with a named problem. What was not
//! read makes the verdict `unknown`, never `reachable`.

use crate::model::VpcRouteState;
use std::collections::BTreeSet;

use ipnet::IpNet;
use serde::Serialize;

mod cloudwan;
mod edge;
mod ends;
mod filters;
#[cfg(test)]
mod tests_filters;
mod text;
mod tgw;
mod transit;

pub use ends::check_end;
use ends::resolve;
pub use filters::{EPHEMERAL, Flow, Protocol, judge_acl};
pub use transit::{VPN_TUNNEL_GBPS, VpnPath};

pub(crate) use text::esc;

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
    /// `device` · `location` · `vpn-connection` · `vpn-tunnel` · `vpc-peering` ·
    /// `tgw-connect-peer` ·
    /// `core-network` · `cloudwan-segment` · `cloudwan-attachment` · `network-acl` ·
    /// `security-group` (a network interface's groups)
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
    /// The site-to-site VPNs on the way: DX's backups (standing by, or carrying the traffic
    /// while every VIF is down) and VPN-only ways out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vpn_paths: Vec<VpnPath>,
    /// Every VIF is down and a backup VPN carries the traffic.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub on_vpn_backup: bool,
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
    /// Ways that work end to end (forward and return): the DX ones (VIF → connection → device
    /// → location), or the VPNs that carry the traffic when no DX way works.
    pub working_paths: usize,
    pub diversity: Diversity,
    pub forward: Leg,
    #[serde(rename = "return")]
    pub back: Leg,
    /// Every problem, forward then return.
    pub problems: Vec<String>,
    /// Every VIF is down and a backup VPN carries the traffic (the verdict is `degraded`).
    pub on_vpn_backup: bool,
    /// The protocol and port judged, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<Flow>,
    /// What the verdict judged: `routing` (route tables, attachments, gateways, VIFs), or
    /// `routing, network ACLs and security groups` when a protocol and port were given.
    pub judged: String,
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
    /// Left a Cloud WAN core network through a DX gateway attachment, at an edge location.
    CoreEdge(crate::model::CloudWanAttachment, String),
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
                vpn_paths: Vec::new(),
                on_vpn_backup: false,
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
        self.hop("vpc", &vpc.id, &vpc.name, (&a, &r), vpc.state.as_str());
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
        if route.state == VpcRouteState::Blackhole {
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
            "core-network" => self.via_core_network(&vpc, &route.target_id, dst),
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
}

fn contains(cidrs: &[String], net: &IpNet) -> bool {
    cidrs
        .iter()
        .filter_map(|c| c.parse::<IpNet>().ok())
        .any(|c| c.contains(net))
}

/// Traces from `from` to `to` and back, over routing only. Errors name an end that cannot be
/// resolved.
pub fn trace(ix: &Index, from: &str, to: &str) -> Result<Trace, String> {
    trace_flow(ix, from, to, None)
}

/// Traces from `from` to `to` and back; with a flow, also through the network ACLs of the
/// subnets at each VPC end and the security groups of the interface owning an address.
pub fn trace_flow<'a>(
    ix: &Index<'a>,
    from: &str,
    to: &str,
    flow: Option<Flow>,
) -> Result<Trace, String> {
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
    let (mut forward, mut back) = (forward, back);
    if let Some(flow) = flow {
        let end = |e: &End<'a>| match e {
            End::Vpc { vpc, net } => Some(filters::filter_end(ix, vpc.item.id.as_str(), net)),
            End::OnPrem { .. } => None,
        };
        let (s, d) = (end(&src), end(&dst));
        // Nothing routed, nothing to filter; a return leg not traced is left as it is.
        let mut untraced = back.clone();
        let back = if back.hops.is_empty() {
            &mut untraced
        } else {
            &mut back
        };
        if !forward.hops.is_empty() {
            let (src, dst) = ((&s, src.net()), (&d, dst.net()));
            filters::judge_filters(ix, flow, src, dst, &mut forward, back);
        }
    }
    let mut t = finish(src.info(from), dst.info(to), forward, back);
    if let Some(flow) = flow {
        t.judged = format!(
            "{}: routing, the network ACLs of the subnets at each VPC end (the replies to ephemeral ports {}-{}) and the security groups of an address's network interface",
            flow.describe(),
            EPHEMERAL.0,
            EPHEMERAL.1
        );
        t.flow = Some(flow);
    }
    Ok(t)
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
        Exit::CoreEdge(att, edge) => {
            b.walk_in_core(&att, &edge, src, &src_vpc.id);
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
    // The ways out are met on the leg that leaves a VPC: the forward one, or the return one
    // of a trace from on-prem.
    let out = if forward.paths.is_empty() && forward.vpn_paths.is_empty() {
        &back
    } else {
        &forward
    };
    let working: Vec<&DxPath> = out.paths.iter().filter(|p| p.working).collect();
    let vpn = out.vpns_up;
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
    // Working paths are the DX ones (as `impact` counts them); VPNs count when they carry
    // the traffic (on VPN backup, or a VPN-only way out), else they are `diversity.vpns`.
    let working_paths = match verdict {
        Verdict::Unreachable | Verdict::Unknown => 0,
        _ if out.paths.is_empty() && vpn == 0 => 1,
        _ if working.is_empty() => vpn,
        _ => working.len(),
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
        on_vpn_backup: forward.on_vpn_backup || back.on_vpn_backup,
        forward,
        back,
        problems,
        flow: None,
        judged:
            "routing only: network ACLs and security groups are judged with --protocol and --port"
                .into(),
    }
}
