//! Lookups over the whole estate (every account and region) that the path trace, the blast
//! radius and the topology share: resources by id, a VPC by address, the route table of a TGW
//! attachment, the VIFs behind a DX gateway, longest-prefix match.
//!
//! Ids are unique across accounts, so a resource read in two accounts (a peering seen from
//! both sides, a TGW attachment listed by the TGW owner and by the VPC owner) is indexed once,
//! by the first scope that read it.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

mod dx;
mod tgw;

use ipnet::IpNet;

use crate::model::*;

/// Something found in the estate, with the scope it was read in.
#[derive(Debug)]
pub struct At<'a, T> {
    pub scope: &'a RegionEstate,
    pub item: &'a T,
}

impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for At<'_, T> {}

impl<T> std::ops::Deref for At<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.item
    }
}

/// A TGW attachment as the trace sees it: one listed by DescribeTransitGatewayAttachments, or
/// one inferred from a DX gateway association with the TGW when the EC2 answer lists none
/// (an emulator without direct-connect-gateway attachments).
#[derive(Clone, Debug)]
pub struct Attachment {
    pub id: String,
    pub name: String,
    pub state: String,
    pub transit_gateway_id: String,
    /// `vpc` · `vpn` · `direct-connect-gateway` · `peering` · `connect` · …
    pub resource_type: String,
    pub resource_id: String,
    pub account: String,
    pub region: String,
    /// Why this attachment is assumed rather than read, when it is.
    pub inferred: Option<String>,
    /// The route table DescribeTransitGatewayAttachments says it is associated with
    /// (`Association`, when `associated`).
    pub association_table: Option<String>,
}

/// The route table an attachment is associated with, and how that is known.
#[derive(Clone, Debug)]
pub struct Association<'a> {
    pub table: At<'a, TgwRouteTable>,
    /// Set when the association was not read but assumed (why).
    pub assumed: Option<String>,
}

/// One working-or-not way from a DX gateway or VGW to a location: VIF → connection or LAG →
/// AWS device → location.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DxPath {
    pub vif: String,
    pub vif_name: String,
    /// `up` when the VIF is `available` and a BGP peer is `up`.
    pub bgp: String,
    pub vif_state: String,
    /// The connection or LAG (`dxcon-…`, `dxlag-…`).
    pub connection: String,
    pub connection_name: String,
    pub connection_state: String,
    /// The physical connections under it (the LAG's members, or the connection itself).
    pub members: Vec<String>,
    pub device: String,
    pub location: String,
    pub location_name: String,
    pub account: String,
    pub region: String,
    pub working: bool,
    /// Why it does not work, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

impl DxPath {
    /// Whether failing `id` (a VIF, connection, LAG, device or location) breaks this path.
    pub fn rides(&self, id: &str) -> bool {
        self.vif == id
            || self.connection == id
            || self.device == id
            || self.location == id
            || (self.members.len() == 1 && self.members[0] == id)
    }
}

/// The lookups; built once per estate revision.
pub struct Index<'a> {
    pub estate: &'a Estate,
    pub vpcs: HashMap<&'a str, At<'a, Vpc>>,
    pub subnets: HashMap<&'a str, At<'a, Subnet>>,
    pub vpc_tables: HashMap<&'a str, Vec<At<'a, VpcRouteTable>>>,
    pub tgws: HashMap<&'a str, At<'a, TransitGateway>>,
    pub tgw_tables: HashMap<&'a str, At<'a, TgwRouteTable>>,
    /// Routes by TGW route table id.
    pub tgw_routes: HashMap<&'a str, Vec<&'a TgwRoute>>,
    pub associations: Vec<&'a TgwAssociation>,
    pub attachments: Vec<Attachment>,
    pub peerings: HashMap<&'a str, At<'a, VpcPeering>>,
    pub vpns: HashMap<&'a str, At<'a, VpnConnection>>,
    pub vifs: HashMap<&'a str, At<'a, VirtualInterface>>,
    pub connections: HashMap<&'a str, At<'a, Connection>>,
    pub lags: HashMap<&'a str, At<'a, Lag>>,
    pub dxgws: HashMap<&'a str, At<'a, DxGateway>>,
    pub dxgw_assocs: Vec<At<'a, DxGatewayAssociation>>,
    pub dxgw_attachments: Vec<At<'a, DxGatewayAttachment>>,
    pub vgws: HashMap<&'a str, At<'a, VirtualGateway>>,
    pub locations: HashMap<&'a str, &'a DxLocation>,
    pub endpoints: HashMap<&'a str, At<'a, ResolverEndpoint>>,
    /// TGW peering attachments, Connect attachments and Connect peers by id.
    pub tgw_peerings: HashMap<&'a str, At<'a, TgwPeering>>,
    pub connects: HashMap<&'a str, At<'a, TgwConnect>>,
    pub connect_peers: Vec<At<'a, TgwConnectPeer>>,
    /// Cloud WAN: core networks by id, attachments, and routes by (core network, segment,
    /// edge location).
    pub cw_cores: HashMap<&'a str, At<'a, CoreNetwork>>,
    pub cw_attachments: Vec<At<'a, CloudWanAttachment>>,
    pub cw_routes: HashMap<(&'a str, &'a str, &'a str), Vec<&'a CloudWanRoute>>,
    /// Network ACLs, network interfaces and security groups (port-aware paths).
    pub acls: Vec<At<'a, NetworkAcl>>,
    pub enis: Vec<At<'a, NetworkInterface>>,
    pub sgs: HashMap<&'a str, At<'a, SecurityGroup>>,
    /// TGW routes by route table, parsed, most specific first (for longest-prefix match).
    pub tgw_lpm: HashMap<&'a str, Vec<(IpNet, &'a TgwRoute)>>,
    /// VPC CIDRs, parsed, most specific first.
    vpc_nets: Vec<(IpNet, &'a str)>,
    /// Attachment position by id, and by (TGW, resource).
    att_by_id: HashMap<String, usize>,
    att_by_resource: HashMap<(String, String), Vec<usize>>,
    /// Route tables listed as associated, by attachment id.
    assoc_by_att: HashMap<&'a str, Vec<&'a str>>,
    /// Sections that were never read or whose last read failed, by kind: the trace says
    /// "unknown" rather than "no route" when what it needs was not read.
    pub unread: BTreeSet<ResourceKind>,
}

fn first<'a, T>(
    m: &mut HashMap<&'a str, At<'a, T>>,
    scope: &'a RegionEstate,
    items: &'a [T],
    id: impl Fn(&'a T) -> &'a str,
) {
    for item in items {
        m.entry(id(item)).or_insert(At { scope, item });
    }
}

impl<'a> Index<'a> {
    pub fn new(estate: &'a Estate) -> Self {
        let mut ix = Index {
            estate,
            vpcs: HashMap::new(),
            subnets: HashMap::new(),
            vpc_tables: HashMap::new(),
            tgws: HashMap::new(),
            tgw_tables: HashMap::new(),
            tgw_routes: HashMap::new(),
            associations: Vec::new(),
            attachments: Vec::new(),
            peerings: HashMap::new(),
            vpns: HashMap::new(),
            vifs: HashMap::new(),
            connections: HashMap::new(),
            lags: HashMap::new(),
            dxgws: HashMap::new(),
            dxgw_assocs: Vec::new(),
            dxgw_attachments: Vec::new(),
            vgws: HashMap::new(),
            locations: HashMap::new(),
            endpoints: HashMap::new(),
            tgw_peerings: HashMap::new(),
            cw_cores: HashMap::new(),
            cw_attachments: Vec::new(),
            cw_routes: HashMap::new(),
            connects: HashMap::new(),
            connect_peers: Vec::new(),
            acls: Vec::new(),
            enis: Vec::new(),
            sgs: HashMap::new(),
            tgw_lpm: HashMap::new(),
            vpc_nets: Vec::new(),
            att_by_id: HashMap::new(),
            att_by_resource: HashMap::new(),
            assoc_by_att: HashMap::new(),
            unread: BTreeSet::new(),
        };
        let mut seen_tables = BTreeSet::new();
        let mut seen_routes = BTreeSet::new();
        let mut seen_assoc = BTreeSet::new();
        let mut seen_att = BTreeSet::new();
        let mut seen_dx = BTreeSet::new();
        for r in estate.scopes.values() {
            for &k in [
                ResourceKind::Vpcs,
                ResourceKind::VpcRouteTables,
                ResourceKind::TgwAttachments,
                ResourceKind::TgwRouteTables,
                ResourceKind::TgwRoutes,
                ResourceKind::TgwAssociations,
                ResourceKind::DxVirtualInterfaces,
                ResourceKind::DxGatewayAssociations,
                ResourceKind::TgwPeerings,
                ResourceKind::TgwConnectPeers,
                ResourceKind::NetworkAcls,
                ResourceKind::NetworkInterfaces,
                ResourceKind::SecurityGroups,
                ResourceKind::VpnConnections,
                ResourceKind::CoreNetworks,
                ResourceKind::CloudWanAttachments,
                ResourceKind::CloudWanRoutes,
            ]
            .iter()
            {
                let s = r.status(k);
                if s.error.is_some() || s.refreshed_at.is_none() {
                    ix.unread.insert(k);
                }
            }
            first(&mut ix.vpcs, r, &r.vpcs.items, |v| &v.id);
            first(&mut ix.subnets, r, &r.subnets.items, |v| &v.id);
            for t in &r.vpc_route_tables.items {
                if seen_tables.insert(t.id.as_str()) {
                    ix.vpc_tables
                        .entry(t.vpc_id.as_str())
                        .or_default()
                        .push(At { scope: r, item: t });
                }
            }
            first(&mut ix.tgws, r, &r.transit_gateways.items, |v| &v.id);
            first(&mut ix.tgw_tables, r, &r.tgw_route_tables.items, |v| &v.id);
            for rt in &r.tgw_routes.items {
                if seen_routes.insert((rt.route_table_id.as_str(), rt.destination.as_str())) {
                    ix.tgw_routes
                        .entry(rt.route_table_id.as_str())
                        .or_default()
                        .push(rt);
                }
            }
            for a in &r.tgw_associations.items {
                if seen_assoc.insert((a.route_table_id.as_str(), a.attachment_id.as_str())) {
                    ix.associations.push(a);
                }
            }
            for a in &r.tgw_attachments.items {
                if seen_att.insert((a.id.as_str(), a.transit_gateway_id.as_str())) {
                    ix.attachments.push(Attachment {
                        id: a.id.clone(),
                        name: a.name.clone(),
                        state: a.state.to_string(),
                        transit_gateway_id: a.transit_gateway_id.clone(),
                        resource_type: a.resource_type.clone(),
                        resource_id: a.resource_id.clone().unwrap_or_default(),
                        account: r.account.clone(),
                        region: r.region.clone(),
                        inferred: None,
                        association_table: a
                            .association_route_table_id
                            .clone()
                            .filter(|_| a.association_state == Some(AssociationState::Associated)),
                    });
                }
            }
            first(&mut ix.peerings, r, &r.vpc_peerings.items, |v| &v.id);
            first(&mut ix.vpns, r, &r.vpn_connections.items, |v| &v.id);
            first(&mut ix.vifs, r, &r.dx_vifs.items, |v| &v.id);
            first(&mut ix.connections, r, &r.dx_connections.items, |v| &v.id);
            first(&mut ix.lags, r, &r.dx_lags.items, |v| &v.id);
            first(&mut ix.dxgws, r, &r.dx_gateways.items, |v| &v.id);
            first(&mut ix.vgws, r, &r.dx_virtual_gateways.items, |v| &v.id);
            first(&mut ix.endpoints, r, &r.resolver_endpoints.items, |v| &v.id);
            first(&mut ix.tgw_peerings, r, &r.tgw_peerings.items, |v| &v.id);
            first(&mut ix.cw_cores, r, &r.core_networks.items, |v| &v.id);
            for a in &r.cloudwan_attachments.items {
                if seen_dx.insert(("cw-att", a.id.as_str())) {
                    ix.cw_attachments.push(At { scope: r, item: a });
                }
            }
            for rt in &r.cloudwan_routes.items {
                if seen_dx.insert(("cw-route", rt.id.as_str())) {
                    let key = (
                        rt.core_network_id.as_str(),
                        rt.segment.as_str(),
                        rt.edge_location.as_str(),
                    );
                    ix.cw_routes.entry(key).or_default().push(rt);
                }
            }
            first(&mut ix.connects, r, &r.tgw_connects.items, |v| &v.id);
            first(&mut ix.sgs, r, &r.security_groups.items, |v| &v.id);
            let peers = r.tgw_connect_peers.items.iter();
            ix.connect_peers
                .extend(peers.map(|item| At { scope: r, item }));
            let acls = r.network_acls.items.iter();
            ix.acls.extend(acls.map(|item| At { scope: r, item }));
            let enis = r.network_interfaces.items.iter();
            ix.enis.extend(enis.map(|item| At { scope: r, item }));
            for l in &r.dx_locations.items {
                ix.locations.entry(l.id.as_str()).or_insert(l);
            }
            for a in &r.dx_gateway_associations.items {
                if seen_dx.insert(("assoc", a.id.as_str())) {
                    ix.dxgw_assocs.push(At { scope: r, item: a });
                }
            }
            for a in &r.dx_gateway_attachments.items {
                if seen_dx.insert(("att", a.id.as_str())) {
                    ix.dxgw_attachments.push(At { scope: r, item: a });
                }
            }
        }
        ix.infer_dxgw_attachments();
        ix.add_edge_attachments();
        ix.build_lookups();
        ix
    }

    /// The lookups the traces use: attachments by id and by resource, route tables by
    /// attachment, each table's routes by prefix length, VPC CIDRs by prefix length.
    fn build_lookups(&mut self) {
        for (i, a) in self.attachments.iter().enumerate() {
            self.att_by_id.entry(a.id.clone()).or_insert(i);
            self.att_by_resource
                .entry((a.transit_gateway_id.clone(), a.resource_id.clone()))
                .or_default()
                .push(i);
        }
        for a in &self.associations {
            if a.state != AssociationState::Disassociated {
                self.assoc_by_att
                    .entry(a.attachment_id.as_str())
                    .or_default()
                    .push(a.route_table_id.as_str());
            }
        }
        for (table, routes) in &self.tgw_routes {
            let mut v: Vec<(IpNet, &TgwRoute)> = routes
                .iter()
                .filter(|r| r.state == TgwRouteState::Active || r.state == TgwRouteState::Blackhole)
                .filter_map(|r| r.destination.parse::<IpNet>().ok().map(|n| (n, *r)))
                .collect();
            v.sort_by_key(|(n, _)| std::cmp::Reverse(n.prefix_len()));
            self.tgw_lpm.insert(table, v);
        }
        let mut nets: Vec<(IpNet, &str)> = self
            .vpcs
            .values()
            .flat_map(|v| {
                let item: &'a Vpc = v.item;
                item.cidrs
                    .iter()
                    .filter_map(|c| c.parse::<IpNet>().ok())
                    .map(move |n| (n, item.id.as_str()))
            })
            .collect();
        nets.sort_by(|a, b| b.0.prefix_len().cmp(&a.0.prefix_len()).then(a.1.cmp(b.1)));
        self.vpc_nets = nets;
    }

    /// Longest-prefix match in a TGW route table over its active and blackhole routes.
    pub fn tgw_route(&self, table: &str, dest: &IpNet) -> Option<&'a TgwRoute> {
        self.tgw_lpm
            .get(table)?
            .iter()
            .find(|(n, _)| n.contains(dest))
            .map(|(_, r)| *r)
    }

    pub fn dxgw_name(&self, id: &str) -> String {
        self.dxgws
            .get(id)
            .map(|g| g.name.clone())
            .unwrap_or_default()
    }

    /// The VPC whose CIDRs contain `net` (an address or a prefix), most specific first.
    pub fn vpc_containing(&self, net: &IpNet) -> Option<At<'a, Vpc>> {
        self.vpc_nets
            .iter()
            .find(|(n, _)| n.contains(net))
            .and_then(|(_, id)| self.vpcs.get(id).copied())
    }

    /// The VPC route table a source in `vpc` uses: the subnet's table when the source address
    /// is in a subnet with an explicit association, else the main table, else the only one.
    pub fn vpc_table(&self, vpc: &str, src: Option<&IpNet>) -> Option<At<'a, VpcRouteTable>> {
        let tables = self.vpc_tables.get(vpc)?;
        if let Some(src) = src {
            let subnet = self.subnets.values().find(|s| {
                s.vpc_id == vpc
                    && s.cidr
                        .parse::<IpNet>()
                        .is_ok_and(|c| c.contains(src) && c != *src)
            });
            if let Some(s) = subnet
                && let Some(t) = tables.iter().find(|t| t.subnet_ids.contains(&s.id))
            {
                return Some(*t);
            }
        }
        tables
            .iter()
            .find(|t| t.main)
            .or_else(|| (tables.len() == 1).then(|| &tables[0]))
            .or_else(|| tables.first())
            .copied()
    }

    pub fn attachment(&self, id: &str) -> Option<&Attachment> {
        self.att_by_id.get(id).map(|&i| &self.attachments[i])
    }

    /// The attachment of `resource` (a VPC, DXGW, VPN) on `tgw`.
    pub fn attachment_of(&self, tgw: &str, resource: &str) -> Option<&Attachment> {
        self.att_by_resource
            .get(&(tgw.to_string(), resource.to_string()))?
            .iter()
            .map(|&i| &self.attachments[i])
            .min_by_key(|a| a.state != "available")
    }
}

/// Longest-prefix match: the most specific of `routes` (by their destination) that contains
/// all of `dest`. Destinations that are not CIDRs (prefix lists) are skipped.
pub fn lpm<'r, R>(
    routes: impl IntoIterator<Item = &'r R>,
    dest: &IpNet,
    cidr: impl Fn(&R) -> &str,
) -> Option<&'r R>
where
    R: 'r,
{
    routes
        .into_iter()
        .filter_map(|r| cidr(r).parse::<IpNet>().ok().map(|n| (n, r)))
        .filter(|(n, _)| n.contains(dest))
        .max_by_key(|(n, _)| n.prefix_len())
        .map(|(_, r)| r)
}

/// `10.1.2.3` → `10.1.2.3/32`; `10.0.0.0/8` as is.
pub fn parse_net(s: &str) -> Option<IpNet> {
    let s = s.trim();
    s.parse::<IpNet>()
        .ok()
        .map(|n| n.trunc())
        .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}
