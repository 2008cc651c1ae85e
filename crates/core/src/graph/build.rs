//! The nodes and edges of the graph, by area: what [`super::Graph::build`] adds from the
//! index.

use std::collections::BTreeMap;

use super::{Builder, Index};

/// Connections, LAGs, devices, locations and VIFs with their BGP peers.
pub(super) fn dx_nodes(g: &mut Builder, ix: &Index) {
    let mut locs: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut devices: BTreeMap<String, (String, String)> = BTreeMap::new();
    for c in ix.connections.values() {
        let (a, r) = scope_of(c.scope);
        g.node(&c.id, "connection", &c.name, &a, &r, c.state.as_str());
        locs.insert(c.location.clone(), (a.clone(), r.clone()));
        if let Some(d) = &c.aws_device {
            devices.insert(d.clone(), (a.clone(), r.clone()));
            g.edge(&c.id, d, "at", "", c.state.as_str());
            g.edge(d, &c.location, "at", "", "available");
        }
        if c.aws_device.is_none() {
            g.edge(&c.id, &c.location, "at", "", c.state.as_str());
        }
        if let Some(l) = &c.lag_id {
            g.edge(&c.id, l, "member", "", c.state.as_str());
        }
    }
    for l in ix.lags.values() {
        let (a, r) = scope_of(l.scope);
        g.node(&l.id, "lag", &l.name, &a, &r, l.state.as_str());
        locs.insert(l.location.clone(), (a.clone(), r.clone()));
        if let Some(d) = &l.aws_device {
            devices.insert(d.clone(), (a.clone(), r.clone()));
            g.edge(&l.id, d, "at", "", l.state.as_str());
            g.edge(d, &l.location, "at", "", "available");
        } else {
            g.edge(&l.id, &l.location, "at", "", l.state.as_str());
        }
    }
    for (d, (a, r)) in &devices {
        g.node(d, "device", "", a, r, "");
    }
    for (l, (a, r)) in &locs {
        let name = ix
            .locations
            .get(l.as_str())
            .map(|x| x.name.clone())
            .unwrap_or_default();
        g.node(l, "location", &name, a, r, "");
    }
    for v in ix.vifs.values() {
        let (a, r) = scope_of(v.scope);
        let p = ix.dx_path(v);
        g.node(
            &v.id,
            "virtual-interface",
            &v.name,
            &a,
            &r,
            &format!("{}, BGP {}", v.state, p.bgp),
        );
        g.edge(&v.id, &v.connection_id, "on", "", v.state.as_str());
        for peer in &v.bgp_peers {
            let pid = if peer.id.is_empty() {
                format!("{}/{}", v.id, peer.address_family)
            } else {
                peer.id.clone()
            };
            g.node(
                &pid,
                "bgp-peer",
                &format!("AS{} {}", peer.asn, peer.address_family),
                &a,
                &r,
                peer.bgp_status.as_str(),
            );
            g.edge(&v.id, &pid, "peer", "", peer.bgp_status.as_str());
        }
        if let Some(gw) = &v.direct_connect_gateway_id {
            g.edge(&v.id, gw, "attached", "", v.state.as_str());
        }
        if let Some(gw) = &v.virtual_gateway_id {
            g.edge(&v.id, gw, "attached", "", v.state.as_str());
        }
    }
}

/// DX gateways, their VIF attachments, virtual private gateways and gateway associations.
pub(super) fn gateway_nodes(g: &mut Builder, ix: &Index) {
    for d in ix.dxgws.values() {
        let (a, r) = scope_of(d.scope);
        g.node(&d.id, "dx-gateway", &d.name, &a, &r, d.state.as_str());
    }
    for at in &ix.dxgw_attachments {
        g.edge(
            &at.virtual_interface_id,
            &at.direct_connect_gateway_id,
            "attached",
            "",
            at.state.as_str(),
        );
    }
    for v in ix.vgws.values() {
        let (a, r) = scope_of(v.scope);
        g.node(
            &v.id,
            "virtual-private-gateway",
            &v.name,
            &a,
            &r,
            v.state.as_str(),
        );
    }
    for asc in &ix.dxgw_assocs {
        if let Some(gw) = &asc.associated_gateway_id {
            g.edge(
                &asc.direct_connect_gateway_id,
                gw,
                "associated",
                &asc.allowed_prefixes.join(" "),
                asc.state.as_str(),
            );
        }
    }
}

/// Transit gateways, route tables, attachments and routes.
pub(super) fn tgw_nodes(g: &mut Builder, ix: &Index) {
    for t in ix.tgws.values() {
        let (a, r) = scope_of(t.scope);
        g.node(&t.id, "transit-gateway", &t.name, &a, &r, t.state.as_str());
    }
    for t in ix.tgw_tables.values() {
        let (a, r) = scope_of(t.scope);
        g.node(&t.id, "tgw-route-table", &t.name, &a, &r, t.state.as_str());
        g.edge(&t.id, &t.transit_gateway_id, "in", "", t.state.as_str());
    }
    for at in &ix.attachments {
        g.node(
            &at.id,
            "tgw-attachment",
            &at.name,
            &at.account,
            &at.region,
            &at.state,
        );
        g.edge(
            &at.resource_id,
            &at.id,
            "attached",
            &at.resource_type,
            &at.state,
        );
        g.edge(&at.id, &at.transit_gateway_id, "attached", "", &at.state);
        if let Some(asc) = ix.association(at) {
            g.edge(&at.id, &asc.table.id, "associated", "", "associated");
        }
    }
    for (table, routes) in &ix.tgw_routes {
        let Some(t) = ix.tgw_tables.get(table) else {
            continue;
        };
        for r in routes {
            let (targets, _) = ix.route_targets(r, &t.transit_gateway_id);
            for at in targets {
                g.edge(table, &at.id, "route", &r.destination, r.state.as_str());
            }
        }
    }
}

/// VPCs, subnets, route tables, peerings and VPN connections.
pub(super) fn vpc_nodes(g: &mut Builder, ix: &Index) {
    for v in ix.vpcs.values() {
        let (a, r) = scope_of(v.scope);
        g.node(&v.id, "vpc", &v.name, &a, &r, v.state.as_str());
    }
    for s in ix.subnets.values() {
        let (a, r) = scope_of(s.scope);
        g.node(&s.id, "subnet", &s.name, &a, &r, s.state.as_str());
        g.edge(&s.id, &s.vpc_id, "in", "", s.state.as_str());
    }
    for tables in ix.vpc_tables.values() {
        for t in tables {
            let (a, r) = scope_of(t.scope);
            g.node(&t.id, "vpc-route-table", &t.name, &a, &r, "");
            g.edge(&t.id, &t.vpc_id, "in", "", "available");
            for rt in &t.routes {
                if rt.target_kind != "local" {
                    g.edge(
                        &t.id,
                        &rt.target_id,
                        "route",
                        &rt.destination,
                        rt.state.as_str(),
                    );
                }
            }
        }
    }
    for p in ix.peerings.values() {
        let (a, r) = scope_of(p.scope);
        g.node(&p.id, "vpc-peering", &p.name, &a, &r, p.state.as_str());
        g.edge(&p.requester.vpc_id, &p.id, "peer", "", p.state.as_str());
        g.edge(&p.id, &p.accepter.vpc_id, "peer", "", p.state.as_str());
    }
    for v in ix.vpns.values() {
        let (a, r) = scope_of(v.scope);
        let st = format!(
            "{}, {} of {} tunnels UP",
            v.state,
            v.tunnels_up(),
            v.tunnels.len()
        );
        g.node(&v.id, "vpn-connection", &v.name, &a, &r, &st);
        for gw in v.transit_gateway_id.iter().chain(v.vpn_gateway_id.iter()) {
            g.edge(&v.id, gw, "attached", "", v.state.as_str());
        }
    }
}

/// Resolver endpoints, rules and DNS Firewall associations.
pub(super) fn dns_nodes(g: &mut Builder, ix: &Index) {
    for e in ix.endpoints.values() {
        let (a, r) = scope_of(e.scope);
        g.node(
            &e.id,
            "resolver-endpoint",
            &e.name,
            &a,
            &r,
            e.state.as_str(),
        );
        for ip in &e.ips {
            g.edge(
                &e.id,
                &ip.subnet_id,
                "in",
                ip.ip.as_deref().unwrap_or(""),
                ip.status.as_str(),
            );
        }
    }
    for r in ix.estate.scopes.values() {
        for rule in &r.resolver_rules.items {
            if !rule.forwards() {
                continue;
            }
            g.node(
                &rule.id,
                "resolver-rule",
                &rule.name,
                &r.account,
                &r.region,
                rule.state.as_str(),
            );
            if let Some(ep) = &rule.resolver_endpoint_id {
                g.edge(&rule.id, ep, "uses", &rule.domain_name, rule.state.as_str());
            }
        }
        for fa in &r.firewall_associations.items {
            g.node(
                &fa.id,
                "firewall-association",
                &fa.name,
                &r.account,
                &r.region,
                fa.state.as_str(),
            );
            g.edge(&fa.id, &fa.vpc_id, "in", "", fa.state.as_str());
        }
    }
}

/// `(account, region)` of the data a node was read in.
/// Cloud WAN: core networks and their attachments; a DX gateway attached to a core network is
/// associated with it (as with a TGW).
pub(super) fn cloudwan_nodes(g: &mut Builder, ix: &Index) {
    for c in ix.cw_cores.values() {
        let (a, _) = scope_of(c.scope);
        let state = c.state.to_ascii_lowercase();
        g.node(&c.id, "core-network", &c.name, &a, "", &state);
    }
    for at in &ix.cw_attachments {
        let (a, _) = scope_of(at.scope);
        let state = at.state.to_ascii_lowercase();
        let edge = at.edge_locations.first().cloned().unwrap_or_default();
        g.node(&at.id, "cloudwan-attachment", &at.name, &a, &edge, &state);
        g.edge(
            at.resource_id(),
            &at.id,
            "attached",
            &at.attachment_type,
            &state,
        );
        g.edge(&at.id, &at.core_network_id, "attached", &at.segment, &state);
        if at.attachment_type == "DIRECT_CONNECT_GATEWAY" {
            g.edge(
                at.resource_id(),
                &at.core_network_id,
                "associated",
                "",
                &state,
            );
        }
    }
}

pub(super) fn scope_of(s: &crate::model::RegionEstate) -> (String, String) {
    (s.account.clone(), s.region.clone())
}
