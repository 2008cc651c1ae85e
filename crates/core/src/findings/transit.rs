//! Rules for the edges beyond one TGW: peering attachments that are not available, routes
//! into a peering that the peer TGW does not route onward, Connect peers with BGP down, and
//! VPNs meant as DX's backup that could not carry it.

use super::dx::label;
use super::paths::resource;
use super::{Ctx, Finding, Severity, finding};
use crate::graph::Index;
use crate::model::{BgpStatus, ResourceKind, TgwAttachmentState, TgwRouteState, TunnelStatus};

pub(crate) fn check(c: &Ctx, out: &mut Vec<Finding>) {
    let r = c.region;
    let scope = r.scope();
    for p in r.tgw_peerings.items.iter().filter(|p| {
        p.state != TgwAttachmentState::Available
            && !c.estate.is_mirror(&scope, ResourceKind::TgwPeerings, &p.id)
    }) {
        let sev = match p.state {
            TgwAttachmentState::Failed | TgwAttachmentState::Failing => Some(Severity::High),
            TgwAttachmentState::Deleted | TgwAttachmentState::Rejected => Some(Severity::Low),
            _ => None,
        };
        let side = |s: &crate::model::TgwPeeringSide| {
            format!(
                "{} ({}, {})",
                s.transit_gateway_id,
                s.owner_id.as_deref().unwrap_or("?"),
                s.region.as_deref().unwrap_or("?")
            )
        };
        out.push(finding("TGW-006", sev, format!("TGW peering attachment {} is {}", label(&p.name, &p.id), p.state),
            vec![c.res(ResourceKind::TgwPeerings, &p.id, &p.name, p.requester.owner_id.as_ref())],
            &[("state", p.state.to_string()), ("statusMessage", p.status_message.clone().unwrap_or_default()),
              ("requester", side(&p.requester)), ("accepter", side(&p.accepter))],
            "A peering carries nothing until it is available: accept it in the accepter's account and region (AcceptTransitGatewayPeeringAttachment), or recreate a failed one."));
    }
    for p in &r.tgw_connect_peers.items {
        if p.bgp_status() != BgpStatus::Down {
            continue;
        }
        let sessions = p
            .bgp
            .iter()
            .map(|b| {
                format!(
                    "{} ↔ {} (ASN {}) {}",
                    b.transit_gateway_address.as_deref().unwrap_or("?"),
                    b.peer_address.as_deref().unwrap_or("?"),
                    b.peer_asn
                        .map(|a| a.to_string())
                        .unwrap_or_else(|| "?".into()),
                    b.status
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        out.push(finding("TGW-007", None, format!("Connect peer {} of {} has BGP down", label(&p.name, &p.id), p.connect_attachment_id),
            vec![c.res(ResourceKind::TgwConnectPeers, &p.id, &p.name, None),
                 c.res(ResourceKind::TgwConnects, &p.connect_attachment_id, "", None)],
            &[("greTunnel", format!("{} ↔ {}", p.transit_gateway_address.as_deref().unwrap_or("?"), p.peer_address.as_deref().unwrap_or("?"))),
              ("insideCidrBlocks", p.inside_cidrs.join(", ")), ("bgpSessions", sessions)],
            "The SD-WAN or appliance behind this GRE tunnel learns and sends no routes: check the appliance's BGP (peer address and ASN, the inside CIDR), and that GRE reaches the TGW address over the transport attachment."));
    }
    for v in &r.vpn_connections.items {
        // Meant as DX's backup: on a TGW with a DX gateway attachment, or a VGW with VIFs.
        let dx_vifs: Vec<&str> = match (&v.transit_gateway_id, &v.vpn_gateway_id) {
            (Some(tgw), _) => {
                let gws: Vec<&str> = r
                    .tgw_attachments
                    .items
                    .iter()
                    .filter(|a| {
                        &a.transit_gateway_id == tgw && a.resource_type == "direct-connect-gateway"
                    })
                    .filter_map(|a| a.resource_id.as_deref())
                    .collect();
                r.dx_vifs
                    .items
                    .iter()
                    .filter(|x| {
                        x.direct_connect_gateway_id
                            .as_deref()
                            .is_some_and(|g| gws.contains(&g))
                    })
                    .map(|x| x.id.as_str())
                    .collect()
            }
            (None, Some(vgw)) => r
                .dx_vifs
                .items
                .iter()
                .filter(|x| x.virtual_gateway_id.as_deref() == Some(vgw.as_str()))
                .map(|x| x.id.as_str())
                .collect(),
            _ => Vec::new(),
        };
        let has_dx = !dx_vifs.is_empty()
            || v.transit_gateway_id.as_ref().is_some_and(|t| {
                r.tgw_attachments.items.iter().any(|a| {
                    &a.transit_gateway_id == t && a.resource_type == "direct-connect-gateway"
                })
            });
        if !has_dx || v.tunnels.is_empty() {
            continue;
        }
        let down = v
            .tunnels
            .iter()
            .filter(|t| t.status != TunnelStatus::Up)
            .count();
        let vpn_routes = v
            .tunnels
            .iter()
            .filter_map(|t| t.accepted_route_count)
            .max();
        let dx_routes = r
            .dx_vif_routes
            .items
            .iter()
            .filter(|x| dx_vifs.contains(&x.id.as_str()))
            .map(|x| x.accepted)
            .max();
        let fewer = matches!((vpn_routes, dx_routes), (Some(a), Some(b)) if b > 0 && (a.max(0) as usize) < b);
        if down == 0 && !fewer {
            continue;
        }
        let mut why = Vec::new();
        if down > 0 {
            why.push(format!("{down} of {} tunnels down", v.tunnels.len()));
        }
        if fewer {
            why.push(format!(
                "{} BGP routes against {} on the DX side",
                vpn_routes.unwrap_or(0),
                dx_routes.unwrap_or(0)
            ));
        }
        let sev = (down == v.tunnels.len()).then_some(Severity::High);
        out.push(finding("VPN-001", sev, format!("DX backup VPN {}: {}", label(&v.name, &v.id), why.join(", ")),
            vec![c.res(ResourceKind::VpnConnections, &v.id, &v.name, None)],
            &[("tunnelsUp", format!("{}/{}", v.tunnels_up(), v.tunnels.len())),
              ("acceptedRouteCount", vpn_routes.map(|n| n.to_string()).unwrap_or_default()),
              ("dxAcceptedPrefixes", dx_routes.map(|n| n.to_string()).unwrap_or_default()),
              ("gateway", v.transit_gateway_id.clone().or_else(|| v.vpn_gateway_id.clone()).unwrap_or_default())],
            "When Direct Connect fails this VPN carries the traffic at up to 1.25 Gbps per tunnel: bring both tunnels up and advertise the same prefixes over it as over DX, or the failover is partial."));
    }
}

/// TGW-008: a route into a TGW peering whose far side has no route onward for it.
pub(crate) fn check_ix(ix: &Index, out: &mut Vec<Finding>) {
    let mut seen = std::collections::BTreeSet::new();
    for (table, routes) in &ix.tgw_routes {
        let Some(t) = ix.tgw_tables.get(table) else {
            continue;
        };
        for r in routes.iter().filter(|r| r.state == TgwRouteState::Active) {
            let (targets, _) = ix.route_targets(r, &t.transit_gateway_id);
            let Some(att) = targets.first().filter(|a| a.resource_type == "peering") else {
                continue;
            };
            let Some(far) = ix.peer_side(att) else {
                continue;
            };
            let Some(assoc) = ix.association(far) else {
                continue;
            };
            let Ok(dest) = r.destination.parse::<ipnet::IpNet>() else {
                continue;
            };
            if ix.tgw_route(&assoc.table.id, &dest).is_some()
                || !seen.insert((table.to_string(), r.destination.clone()))
            {
                continue;
            }
            out.push(finding("TGW-008", None,
                format!("Route table {} sends {} into TGW peering {}, but {} (route table {}) has no route onward",
                    label(&t.name, &t.id), r.destination, att.id, far.transit_gateway_id, label(&assoc.table.name, &assoc.table.id)),
                vec![resource(ResourceKind::TgwRouteTables, &t.scope.account, &t.scope.region, &t.id, &t.name),
                     resource(ResourceKind::TgwRouteTables, &assoc.table.scope.account, &assoc.table.scope.region, &assoc.table.id, &assoc.table.name)],
                &[("destinationCidrBlock", r.destination.clone()), ("peeringAttachment", att.id.clone()),
                  ("peerTransitGateway", far.transit_gateway_id.clone()), ("peerRouteTable", assoc.table.id.clone())],
                "TGW peering carries static routes only: add a static route for this prefix to the peer TGW's route table associated with the peering (towards its DX gateway, VPN or VPC attachment), or traffic is dropped at the peer."));
        }
    }
}
