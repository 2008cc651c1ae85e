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

mod edge;
mod text;
mod tgw;

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
