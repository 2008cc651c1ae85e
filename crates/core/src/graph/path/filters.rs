//! Port-aware paths: the network ACLs of the subnets at each VPC end (stateless: both
//! directions, in rule order, the ephemeral ports on the way back) and the security groups of
//! the network interface that owns an address (stateful: the way in only), each a hop naming
//! the rule that allows or drops.

use super::*;
use crate::model::{AclEntry, NetworkAcl, NetworkInterface, Subnet};

/// The ports a client picks its source port from, as AWS's guidance for network ACLs.
pub const EPHEMERAL: (u16, u16) = (1024, 65535);

/// IP protocols a port-aware path judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
    Icmp,
}

impl Protocol {
    /// The IANA number network ACL entries use.
    fn number(self) -> &'static str {
        match self {
            Protocol::Tcp => "6",
            Protocol::Udp => "17",
            Protocol::Icmp => "1",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
        }
    }

    /// `tcp`, `udp`, `icmp` (any case); errors name what is accepted.
    pub fn parse(s: &str) -> Result<Protocol, String> {
        match s.to_ascii_lowercase().as_str() {
            "tcp" | "6" => Ok(Protocol::Tcp),
            "udp" | "17" => Ok(Protocol::Udp),
            "icmp" | "1" => Ok(Protocol::Icmp),
            _ => Err(format!("{s:?} is not a protocol: use tcp, udp or icmp")),
        }
    }
}

/// What a port-aware path carries: a protocol and, for tcp and udp, the destination port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Flow {
    pub protocol: Protocol,
    pub port: Option<u16>,
}

impl Flow {
    /// A flow from `--protocol` and `--port`: a port without a protocol is tcp; tcp and udp
    /// need a port; icmp takes none.
    pub fn new(protocol: Option<&str>, port: Option<u16>) -> Result<Option<Flow>, String> {
        let protocol = match (protocol, port) {
            (None, None) => return Ok(None),
            (None, Some(_)) => Protocol::Tcp,
            (Some(p), _) => Protocol::parse(p)?,
        };
        match (protocol, port) {
            (Protocol::Icmp, Some(_)) => Err("icmp has no port: drop --port".into()),
            (Protocol::Tcp | Protocol::Udp, None) => {
                Err(format!("{} needs --port (1-65535)", protocol.name()))
            }
            (_, Some(0)) => Err("--port must be 1-65535".into()),
            _ => Ok(Some(Flow { protocol, port })),
        }
    }

    /// `tcp/443`, `icmp`.
    pub fn describe(&self) -> String {
        match self.port {
            Some(p) => format!("{}/{p}", self.protocol.name()),
            None => self.protocol.name().into(),
        }
    }
}

fn ports_text(p: Option<(u16, u16)>) -> String {
    match p {
        None => "all ports".into(),
        Some((a, b)) if a == b => format!("port {a}"),
        Some((a, b)) => format!("ports {a}-{b}"),
    }
}

fn entry_text(e: &AclEntry) -> String {
    let proto = match e.protocol.as_str() {
        "-1" => "all traffic".to_string(),
        "6" => "tcp".into(),
        "17" => "udp".into(),
        "1" => "icmp".into(),
        p => format!("protocol {p}"),
    };
    format!(
        "{} rule {}: {} {proto} {} {} {}",
        if e.egress { "outbound" } else { "inbound" },
        e.rule_number,
        if e.allow { "allow" } else { "deny" },
        ports_text(e.ports),
        if e.egress { "to" } else { "from" },
        e.cidr
    )
}

/// Whether an entry's CIDR covers the peer: all of it (`Some(true)`), part (`Some(false)`).
fn covers(cidr: &str, peer: &IpNet) -> Option<bool> {
    let c = cidr.parse::<IpNet>().ok()?;
    if c.contains(peer) {
        Some(true)
    } else if peer.contains(&c.network()) {
        Some(false)
    } else {
        None
    }
}

/// An ACL's verdict on traffic to or from `peer` over `ports` (a range: all must pass):
/// `Ok(rule)` naming the rule that allows, `Err(rule)` the one that drops (or the default).
pub fn judge_acl(
    acl: &NetworkAcl,
    egress: bool,
    proto: Protocol,
    ports: Option<(u16, u16)>,
    peer: &IpNet,
) -> Result<String, String> {
    let mut entries: Vec<&AclEntry> = acl.entries.iter().filter(|e| e.egress == egress).collect();
    entries.sort_by_key(|e| e.rule_number);
    // The ports not yet decided; icmp (no ports) is one "port".
    let mut open: Vec<(u16, u16)> = vec![ports.unwrap_or((0, 0))];
    let mut allowed_by = Vec::new();
    for e in entries {
        if e.rule_number >= 32767 {
            break;
        }
        if e.protocol != "-1" && e.protocol != proto.number() {
            continue;
        }
        let Some(whole) = covers(&e.cidr, peer) else {
            continue;
        };
        if !whole && e.allow {
            // Part of the peer's addresses only: it does not allow all of them.
            continue;
        }
        let (lo, hi) = match (ports, e.ports) {
            (None, _) | (_, None) => (0, u16::MAX),
            (Some(_), Some(r)) => r,
        };
        let mut rest = Vec::new();
        let mut hit = None;
        for &(a, b) in &open {
            let (x, y) = (a.max(lo), b.min(hi));
            if x > y {
                rest.push((a, b));
                continue;
            }
            // The lowest ports it decides: what a message names.
            hit = hit.or(Some((x, y)));
            if a < x {
                rest.push((a, x - 1));
            }
            if y < b {
                rest.push((y + 1, b));
            }
        }
        let Some(hit) = hit else { continue };
        if !e.allow {
            let part = if ports.is_some_and(|p| p != hit) {
                format!(" ({} of them)", ports_text(Some(hit)))
            } else {
                String::new()
            };
            return Err(format!("{}{part}", entry_text(e)));
        }
        allowed_by.push(e.rule_number.to_string());
        open = rest;
        if open.is_empty() {
            return Ok(if allowed_by.len() == 1 {
                entry_text(e)
            } else {
                format!(
                    "{} rules {}",
                    if egress { "outbound" } else { "inbound" },
                    allowed_by.join(", ")
                )
            });
        }
    }
    let left = if ports.is_some() {
        format!(" for {}", ports_text(open.first().copied()))
    } else {
        String::new()
    };
    Err(format!(
        "{} rule *: deny all traffic (no rule allows {}{left} {} {peer})",
        if egress { "outbound" } else { "inbound" },
        proto.name(),
        if egress { "to" } else { "from" }
    ))
}

/// One VPC end of a port-aware trace: the subnets it stands for, and the network interface
/// that owns its address (for an address).
pub(super) struct FilterEnd<'a> {
    pub vpc: &'a str,
    pub subnets: Vec<At<'a, Subnet>>,
    pub eni: Option<At<'a, NetworkInterface>>,
    /// The whole VPC rather than one address.
    pub whole: bool,
}

impl<'a> Index<'a> {
    /// The network ACL a subnet uses: the one associated with it, else the VPC's default.
    pub fn acl_of(&self, subnet: &str, vpc: &str) -> Option<At<'a, NetworkAcl>> {
        self.acls
            .iter()
            .find(|a| a.subnet_ids.iter().any(|s| s == subnet))
            .or_else(|| self.acls.iter().find(|a| a.vpc_id == vpc && a.is_default))
            .copied()
    }

    /// The network interface that owns an address.
    pub fn eni_owning(&self, ip: &IpNet) -> Option<At<'a, NetworkInterface>> {
        let addr = ip.addr().to_string();
        self.enis
            .iter()
            .find(|e| e.private_ips.contains(&addr))
            .copied()
    }
}

pub(super) fn filter_end<'a>(ix: &Index<'a>, vpc: &'a str, net: &IpNet) -> FilterEnd<'a> {
    let whole = ix.vpcs.get(vpc).is_some_and(|v| {
        v.cidrs
            .iter()
            .any(|c| c.parse::<IpNet>().ok() == Some(*net))
    });
    let mut subnets: Vec<At<'a, Subnet>> = ix
        .subnets
        .values()
        .filter(|s| {
            s.vpc_id == vpc && (whole || s.cidr.parse::<IpNet>().is_ok_and(|c| c.contains(net)))
        })
        .copied()
        .collect();
    subnets.sort_by(|a, b| a.id.cmp(&b.id));
    let single = net.prefix_len() == net.max_prefix_len();
    FilterEnd {
        vpc,
        subnets,
        eni: if single { ix.eni_owning(net) } else { None },
        whole,
    }
}

/// What a network ACL is asked: which direction, protocol and ports, and what the traffic
/// is (for the hop's note).
pub(super) struct AclAsk<'w> {
    egress: bool,
    proto: Protocol,
    ports: Option<(u16, u16)>,
    why: &'w str,
}

impl<'i, 'a> Walk<'i, 'a> {
    fn put(&mut self, at: &mut Option<usize>, hop: Hop) {
        match at {
            Some(i) => {
                self.leg.hops.insert(*i, hop);
                *i += 1;
            }
            None => self.leg.hops.push(hop),
        }
    }

    fn filter_hop(
        kind: &'static str,
        id: &str,
        name: &str,
        scope: (&str, &str),
        ok: bool,
        rule: String,
    ) -> Hop {
        Hop {
            id: id.into(),
            kind,
            name: name.into(),
            account: scope.0.into(),
            region: scope.1.into(),
            state: if ok { "allow" } else { "deny" }.into(),
            resource_type: None,
            route: Some(rule),
            note: None,
        }
    }

    /// The network ACLs of `end`'s subnets for traffic leaving it (`egress`) to `peer` or
    /// arriving from it, over `ports`; hops inserted at `at` (appended when `None`).
    pub(super) fn acl_check(
        &mut self,
        end: &FilterEnd<'a>,
        ask: AclAsk<'_>,
        peer: &IpNet,
        mut at: Option<usize>,
    ) {
        let AclAsk {
            egress,
            proto,
            ports,
            why,
        } = ask;
        let ix = self.ix;
        if end.subnets.is_empty() {
            let p = format!(
                "no subnet of {} read holds the address: its network ACL is unknown",
                end.vpc
            );
            if ix.unread.contains(&ResourceKind::Subnets) {
                self.fail(Verdict::Unknown, format!("{p} (subnets were not read)"));
            } else {
                self.fail(Verdict::Unknown, p);
            }
            return;
        }
        if ix.unread.contains(&ResourceKind::NetworkAcls) {
            self.fail(
                Verdict::Unknown,
                format!("the network ACLs of {} were not read", end.vpc),
            );
            return;
        }
        let mut drops = Vec::new();
        for s in &end.subnets {
            let Some(acl) = ix.acl_of(&s.id, &s.vpc_id) else {
                drops.push(format!("{}: no network ACL read", s.id));
                continue;
            };
            let verdict = judge_acl(&acl, egress, proto, ports, peer);
            let ok = verdict.is_ok();
            let rule = match &verdict {
                Ok(r) | Err(r) => r.clone(),
            };
            let (a, r) = (acl.scope.account.clone(), acl.scope.region.clone());
            let mut h = Self::filter_hop(
                "network-acl",
                &acl.id,
                &acl.name,
                (&a, &r),
                ok,
                rule.clone(),
            );
            h.note = Some(format!(
                "{} of {}: {why}",
                if egress { "outbound" } else { "inbound" },
                s.id
            ));
            self.put(&mut at, h);
            if !ok {
                drops.push(format!(
                    "network ACL {} of {} drops {why}: {rule}",
                    label(&acl.name, &acl.id),
                    s.id
                ));
            }
        }
        if drops.is_empty() {
            return;
        }
        if drops.len() == end.subnets.len() {
            for d in drops {
                self.fail(Verdict::Unreachable, d);
            }
        } else {
            self.leg.verdict = self.leg.verdict.worst(Verdict::Degraded);
            let n = end.subnets.len();
            for d in drops {
                self.leg.problems.push(format!(
                    "{d} (other subnets of the {n} in {} pass)",
                    end.vpc
                ));
            }
        }
    }

    /// The security groups of the interface that owns `end`'s address: what they let in from
    /// `peer` (`inbound`), or out to it. Stateful: the answer is not judged again.
    pub(super) fn sg_check(
        &mut self,
        end: &FilterEnd<'a>,
        inbound: bool,
        flow: Flow,
        peer: &IpNet,
        mut at: Option<usize>,
    ) {
        let ix = self.ix;
        let Some(eni) = end.eni else {
            if !end.whole && ix.unread.contains(&ResourceKind::NetworkInterfaces) {
                self.fail(
                    Verdict::Unknown,
                    format!("the network interfaces of {} were not read: its security groups are unknown", end.vpc),
                );
            }
            return;
        };
        if ix.unread.contains(&ResourceKind::SecurityGroups) {
            self.fail(
                Verdict::Unknown,
                format!("the security groups of {} were not read", eni.id),
            );
            return;
        }
        let mut by_group = Vec::new();
        let mut allowed = None;
        for g in &eni.security_groups {
            let Some(sg) = ix.sgs.get(g.as_str()) else {
                by_group.push(format!("{g} (not read)"));
                continue;
            };
            let rules = if inbound { &sg.ingress } else { &sg.egress };
            for r in rules {
                let proto_ok = match r.protocol.as_str() {
                    "-1" | "all" => true,
                    p => Protocol::parse(p).is_ok_and(|p| p == flow.protocol),
                };
                let port_ok = match (flow.port, r.ports) {
                    (Some(p), Some((a, b))) => a <= p && p <= b,
                    _ => true,
                };
                if !(proto_ok && port_ok) {
                    continue;
                }
                if let Some(c) = r.cidrs.iter().find(|c| covers(c, peer) == Some(true)) {
                    allowed = Some(format!(
                        "{} {}: allow {} {} {c}",
                        label(&sg.name, &sg.id),
                        if inbound { "inbound" } else { "outbound" },
                        if r.protocol == "-1" {
                            "all traffic".to_string()
                        } else {
                            format!("{} {}", r.protocol, ports_text(r.ports))
                        },
                        if inbound { "from" } else { "to" },
                    ));
                    break;
                }
                if !r.peers.is_empty() {
                    by_group.push(format!(
                        "{} allows it from {} only",
                        sg.id,
                        r.peers.join(", ")
                    ));
                }
            }
            if allowed.is_some() {
                break;
            }
        }
        let (a, r) = (eni.scope.account.clone(), eni.scope.region.clone());
        let groups = eni.security_groups.join(", ");
        let dir = if inbound { "in from" } else { "out to" };
        match allowed {
            Some(rule) => {
                let h =
                    Self::filter_hop("security-group", &eni.id, &eni.name, (&a, &r), true, rule);
                self.put(&mut at, h);
            }
            None => {
                let why = format!(
                    "no rule of {groups} on {} lets {} {dir} {peer}",
                    eni.id,
                    flow.describe()
                );
                let h = Self::filter_hop(
                    "security-group",
                    &eni.id,
                    &eni.name,
                    (&a, &r),
                    false,
                    why.clone(),
                );
                self.put(&mut at, h);
                if by_group.is_empty() {
                    self.fail(
                        Verdict::Unreachable,
                        format!("security groups drop it: {why}"),
                    );
                } else {
                    self.fail(
                        Verdict::Unknown,
                        format!("security groups: {why} by address; {}", by_group.join("; ")),
                    );
                }
            }
        }
    }
}

/// Judges the network ACLs and security groups at both ends of a routed trace: forward from
/// `src` to `dst` on the flow's port, and the answers back to the ephemeral ports.
pub(super) fn judge_filters<'a>(
    ix: &Index<'a>,
    flow: Flow,
    src: (&Option<FilterEnd<'a>>, IpNet),
    dst: (&Option<FilterEnd<'a>>, IpNet),
    forward: &mut Leg,
    back: &mut Leg,
) {
    let ports = flow.port.map(|p| (p, p));
    let eph = flow.port.map(|_| EPHEMERAL);
    let what = flow.describe();
    let reply = match flow.port {
        Some(_) => format!(
            "the replies to {} ephemeral ports {}-{}",
            flow.protocol.name(),
            EPHEMERAL.0,
            EPHEMERAL.1
        ),
        None => format!("the {} replies", flow.protocol.name()),
    };
    let ask = |egress, ports, why| AclAsk {
        egress,
        proto: flow.protocol,
        ports,
        why,
    };
    let run = |leg: &mut Leg, f: &dyn Fn(&mut Walk<'_, 'a>)| {
        let mut w = Walk::new(ix);
        w.leg = std::mem::replace(leg, w.leg.clone());
        f(&mut w);
        *leg = w.leg;
    };
    // Forward: out of the source, into the destination.
    if let Some(s) = src.0 {
        let at = Some(
            forward
                .hops
                .iter()
                .position(|h| h.id == s.vpc)
                .map_or(0, |i| i + 1),
        );
        run(forward, &|w| {
            w.acl_check(s, ask(true, ports, &what), &dst.1, at);
        });
        let at = Some(
            forward
                .hops
                .iter()
                .position(|h| h.id == s.vpc)
                .map_or(0, |i| i + 1),
        );
        run(forward, &|w| w.sg_check(s, false, flow, &dst.1, at));
    }
    if let Some(d) = dst.0 {
        run(forward, &|w| {
            w.acl_check(d, ask(false, ports, &what), &src.1, None);
        });
        run(forward, &|w| w.sg_check(d, true, flow, &src.1, None));
    }
    // Return: out of the destination to the source's ephemeral ports, into the source.
    if let Some(d) = dst.0 {
        let at = Some(
            back.hops
                .iter()
                .position(|h| h.id == d.vpc)
                .map_or(0, |i| i + 1),
        );
        run(back, &|w| {
            w.acl_check(d, ask(true, eph, &reply), &src.1, at);
        });
    }
    if let Some(s) = src.0 {
        run(back, &|w| {
            w.acl_check(s, ask(false, eph, &reply), &dst.1, None);
        });
    }
}
