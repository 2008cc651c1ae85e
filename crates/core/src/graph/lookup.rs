//! Where an address or prefix lands (`crossconnect lookup`): the VPCs, subnets and Resolver
//! endpoint IPs that own it, every VPC and TGW route table's longest-prefix match for it
//! (target, state, origin or type), and the DX gateway associations whose allowed prefixes
//! advertise it to on-prem. What was not read is listed, so an empty section is never taken
//! for "nothing routes it".

use ipnet::IpNet;
use serde::Serialize;

use super::Index;
use crate::model::health::{Health, classify};
use crate::model::{Estate, ResourceKind};

/// A resource an address belongs to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Owner {
    /// `vpc` · `subnet` · `resolver-endpoint`
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub account: String,
    pub region: String,
    /// The CIDR (or the endpoint IP) that holds it.
    pub cidr: String,
}

/// A route table's longest-prefix match.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouteMatch {
    pub table: String,
    pub name: String,
    /// The VPC or transit gateway of the table.
    pub of: String,
    pub account: String,
    pub region: String,
    pub destination: String,
    /// Where it sends the traffic (`tgw-…`, `pcx-…`, `local`, attachments, or `blackhole`).
    pub target: String,
    /// `active` · `blackhole` …
    pub state: String,
    /// VPC: `CreateRoute` · `CreateRouteTable` · `EnableVgwRoutePropagation`; TGW: `static` ·
    /// `propagated`.
    pub origin: String,
}

/// A DX gateway association whose allowed prefixes cover it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Advertised {
    pub association: String,
    pub name: String,
    pub direct_connect_gateway_id: String,
    pub gateway: String,
    pub prefix: String,
}

/// Everything an address or prefix matches.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lookup {
    pub target: String,
    pub owners: Vec<Owner>,
    pub vpc_routes: Vec<RouteMatch>,
    pub tgw_routes: Vec<RouteMatch>,
    pub advertised: Vec<Advertised>,
    /// Kinds not read in some scope (`account region kind`): the answer may miss them.
    pub not_read: Vec<String>,
}

/// `s` as a prefix: a CIDR, or an IP as a host route. `Err` says what it is not.
pub fn parse_target(s: &str) -> Result<IpNet, String> {
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{s:?} is not an IP address or a CIDR"))
}

fn covers(cidr: &str, target: &IpNet) -> bool {
    cidr.parse::<IpNet>().is_ok_and(|n| n.contains(target))
}

/// What `target` matches in what was read.
pub fn lookup(e: &Estate, ix: &Index, target: &IpNet) -> Lookup {
    let mut out = Lookup {
        target: target.to_string(),
        owners: vec![],
        vpc_routes: vec![],
        tgw_routes: vec![],
        advertised: vec![],
        not_read: vec![],
    };
    let kinds = [
        ResourceKind::Vpcs,
        ResourceKind::Subnets,
        ResourceKind::VpcRouteTables,
        ResourceKind::TgwRouteTables,
        ResourceKind::TgwRoutes,
        ResourceKind::DxGatewayAssociations,
        ResourceKind::ResolverEndpoints,
    ];
    for r in e.scopes.values() {
        let (account, region) = (r.account.clone(), r.region.clone());
        for k in kinds {
            let s = r.status(k);
            if s.error.is_some() || s.refreshed_at.is_none() {
                out.not_read.push(format!("{account} {region} {}", k.key()));
            }
        }
        let owner = |kind, id: &str, name: &str, cidr: &str| Owner {
            kind,
            id: id.into(),
            name: name.into(),
            account: account.clone(),
            region: region.clone(),
            cidr: cidr.into(),
        };
        for v in &r.vpcs.items {
            for c in v.cidrs.iter().filter(|c| covers(c, target)) {
                out.owners.push(owner("vpc", &v.id, &v.name, c));
            }
        }
        for s in r.subnets.items.iter().filter(|s| covers(&s.cidr, target)) {
            out.owners.push(owner("subnet", &s.id, &s.name, &s.cidr));
        }
        for ep in &r.resolver_endpoints.items {
            // An endpoint IP inside the prefix (the address itself for an IP).
            let ips = ep
                .ips
                .iter()
                .filter_map(|i| i.ip.as_deref().or(i.ipv6.as_deref()));
            for ip in ips {
                if ip
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|a| target.contains(&a))
                {
                    out.owners
                        .push(owner("resolver-endpoint", &ep.id, &ep.name, ip));
                }
            }
        }
        for t in &r.vpc_route_tables.items {
            let best = t
                .routes
                .iter()
                .filter(|x| covers(&x.destination, target))
                .max_by_key(|x| x.destination.parse::<IpNet>().map_or(0, |n| n.prefix_len()));
            if let Some(x) = best {
                out.vpc_routes.push(RouteMatch {
                    table: t.id.clone(),
                    name: t.name.clone(),
                    of: t.vpc_id.clone(),
                    account: account.clone(),
                    region: region.clone(),
                    destination: x.destination.clone(),
                    target: x.target_id.clone(),
                    state: x.state.to_string(),
                    origin: x.origin.clone(),
                });
            }
        }
        for a in &r.dx_gateway_associations.items {
            if let Some(p) = a.allowed_prefixes.iter().find(|p| covers(p, target)) {
                out.advertised.push(Advertised {
                    association: a.id.clone(),
                    name: a.name.clone(),
                    direct_connect_gateway_id: a.direct_connect_gateway_id.clone(),
                    gateway: a.associated_gateway_id.clone().unwrap_or_default(),
                    prefix: p.clone(),
                });
            }
        }
    }
    for t in ix.tgw_tables.values() {
        let Some(x) = ix.tgw_route(&t.id, target) else {
            continue;
        };
        let targets: Vec<String> = x
            .targets
            .iter()
            .filter_map(|t| t.attachment_id.clone())
            .collect();
        out.tgw_routes.push(RouteMatch {
            table: t.id.clone(),
            name: t.name.clone(),
            of: t.transit_gateway_id.clone(),
            account: t.scope.account.clone(),
            region: t.scope.region.clone(),
            destination: x.destination.clone(),
            target: if targets.is_empty() {
                "blackhole".into()
            } else {
                targets.join(", ")
            },
            state: x.state.to_string(),
            origin: x.route_type.clone(),
        });
    }
    out.tgw_routes
        .sort_by(|a, b| (&a.region, &a.table).cmp(&(&b.region, &b.table)));
    out.advertised
        .sort_by(|a, b| a.association.cmp(&b.association));
    out.advertised
        .dedup_by(|a, b| a.association == b.association);
    out
}

impl Lookup {
    /// The answer as text, a section per kind of match; an empty section says so.
    pub fn text(&self) -> String {
        self.lines().into_iter().map(|(l, _)| l + "\n").collect()
    }

    /// [`Lookup::text`]'s lines, each with its health: a route whose state is bad (a
    /// blackhole) is [`Health::Bad`], what was not read [`Health::Unknown`], the rest
    /// [`Health::Neutral`].
    pub fn lines(&self) -> Vec<(String, Health)> {
        let mut out = vec![(format!("lookup {}", self.target), Health::Neutral)];
        let mut section = |title: &str, lines: Vec<(String, Health)>| {
            out.push((String::new(), Health::Neutral));
            out.push((format!("{title}:"), Health::Neutral));
            if lines.is_empty() {
                out.push(("  (none)".into(), Health::Neutral));
            }
            out.extend(lines.into_iter().map(|(l, h)| (format!("  {l}"), h)));
        };
        let plain = |l: String| (l, Health::Neutral);
        section(
            "owned by",
            self.owners
                .iter()
                .map(|o| {
                    plain(format!(
                        "{} {} {} ({}, {} {})",
                        o.kind, o.id, o.name, o.cidr, o.account, o.region
                    ))
                })
                .collect(),
        );
        let routes = |v: &[RouteMatch]| -> Vec<(String, Health)> {
            v.iter()
                .map(|m| {
                    let health = match classify(&m.state) {
                        Health::Bad => Health::Bad,
                        _ => Health::Neutral,
                    };
                    let line = format!(
                        "{} {} of {} ({} {}): {} → {} [{}, {}]",
                        m.table,
                        m.name,
                        m.of,
                        m.account,
                        m.region,
                        m.destination,
                        m.target,
                        m.state,
                        m.origin
                    );
                    (line, health)
                })
                .collect()
        };
        section("VPC route tables (longest match)", routes(&self.vpc_routes));
        section("TGW route tables (longest match)", routes(&self.tgw_routes));
        section(
            "advertised to on-prem by DX gateway associations (allowed prefixes)",
            self.advertised
                .iter()
                .map(|a| {
                    plain(format!(
                        "{} {} ({} → {}): {}",
                        a.association, a.name, a.direct_connect_gateway_id, a.gateway, a.prefix
                    ))
                })
                .collect(),
        );
        if !self.not_read.is_empty() {
            section(
                "not read (the answer may miss these)",
                self.not_read
                    .iter()
                    .map(|k| (k.clone(), Health::Unknown))
                    .collect(),
            );
        }
        out
    }
}
