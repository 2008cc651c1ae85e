//! Direct Connect rules: connection and VIF health, BGP session health (`bgpStatus`, not
//! `bgpPeerState`), location and device redundancy, gateway resilience and MTU consistency.

use crate::model::{BgpStatus, ConnectionState, LagState, VifState};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Ctx, Finding, ResourceRef, Severity, finding};
use crate::model::{Estate, ResourceKind, VirtualInterface};

/// Whether a connection is gone for the rules (deleted, deleting or rejected).
pub(crate) fn conn_gone(s: &ConnectionState) -> bool {
    use ConnectionState::*;
    matches!(s, Deleted | Deleting | Rejected)
}

/// Whether a VIF is gone for the rules (deleted, deleting or rejected).
fn vif_gone(s: &crate::model::VifState) -> bool {
    use crate::model::VifState::*;
    matches!(s, Deleted | Deleting | Rejected)
}

/// Whether a VIF carries traffic: `available` with at least one BGP session up.
fn vif_works(v: &crate::model::VirtualInterface) -> bool {
    v.state == VifState::Available && v.bgp_peers.iter().any(|p| p.bgp_status == BgpStatus::Up)
}

/// The severity of a VIF or BGP outage: `critical` when the VIF's gateway (DXGW or VGW) has no
/// other working VIF anywhere in the estate (it has lost its last working path) and no VPN
/// backs it up, `high` when redundancy or a VPN backup is left. A VIF with no gateway is
/// `high`.
fn outage_severity(c: &Ctx, v: &crate::model::VirtualInterface) -> Severity {
    let gw = v
        .direct_connect_gateway_id
        .as_deref()
        .or(v.virtual_gateway_id.as_deref());
    let Some(gw) = gw else {
        return Severity::High;
    };
    // A VIF that does not work is not among its gateway's working ones.
    if vif_works(v) || c.working_vifs.get(gw).is_some_and(|&n| n > 0) || vpn_backed(c, gw) {
        Severity::High
    } else {
        Severity::Critical
    }
}

/// Whether a site-to-site VPN that can carry traffic backs up the gateway: on a TGW the DX
/// gateway is associated with or attached to, or on the VGW itself.
pub(crate) fn vpn_backed(c: &Ctx, gw: &str) -> bool {
    let scopes = || c.estate.scopes.values();
    let tgws: Vec<&str> = scopes()
        .flat_map(|r| &r.dx_gateway_associations.items)
        .filter(|a| a.direct_connect_gateway_id == gw)
        .filter_map(|a| a.associated_gateway_id.as_deref())
        .chain(
            scopes()
                .flat_map(|r| &r.tgw_attachments.items)
                .filter(|a| a.resource_id.as_deref() == Some(gw))
                .map(|a| a.transit_gateway_id.as_str()),
        )
        .collect();
    scopes().flat_map(|r| &r.vpn_connections.items).any(|v| {
        v.usable() != Some(false)
            && (v.vpn_gateway_id.as_deref() == Some(gw)
                || v.transit_gateway_id
                    .as_deref()
                    .is_some_and(|t| tgws.contains(&t)))
    })
}

/// The number of working VIFs of each gateway (DXGW or VGW id) in the estate, counted once
/// per evaluation (not once per VIF that is down).
pub(crate) fn working_vifs(e: &crate::model::Estate) -> HashMap<&str, usize> {
    let mut m: HashMap<&str, usize> = HashMap::new();
    for v in e.scopes.values().flat_map(|r| &r.dx_vifs.items) {
        if vif_works(v) {
            for gw in [&v.direct_connect_gateway_id, &v.virtual_gateway_id]
                .into_iter()
                .flatten()
            {
                *m.entry(gw.as_str()).or_default() += 1;
            }
        }
    }
    m
}

pub(crate) fn check(c: &Ctx, out: &mut Vec<Finding>) {
    let r = c.region;
    let conns: Vec<_> = r
        .dx_connections
        .items
        .iter()
        .filter(|x| !conn_gone(&x.state))
        .collect();
    connection_states(c, &conns, out);
    redundancy(c, &conns, out);
    vif_health(c, out);
}

/// DX-001 (down) and DX-002 (waiting for its cross-connect or confirmation, with the LOA's
/// age and expiry).
fn connection_states(c: &Ctx, conns: &[&crate::model::Connection], out: &mut Vec<Finding>) {
    for x in conns {
        let res = || {
            vec![c.res(
                ResourceKind::DxConnections,
                &x.id,
                &x.name,
                x.owner_account.as_ref(),
            )]
        };
        if x.state == ConnectionState::Down {
            out.push(finding("DX-001", None, format!("Direct Connect connection {} is down", label(&x.name, &x.id)), res(),
                &[("connectionState", x.state.to_string()), ("location", x.location.clone()), ("bandwidth", x.bandwidth.clone())],
                "Check the cross-connect and your router port (light levels, errors); open a case with AWS and your provider if the port stays down."));
        }
        use ConnectionState::{Ordering, Pending, Requested};
        if matches!(x.state, Requested | Pending | Ordering) {
            let waiting = match x.state {
                Requested => "waiting for the LOA-CFA to be used for a cross-connect",
                Ordering => "a hosted connection waiting for you to confirm it",
                _ => "waiting for the cross-connect to be completed",
            };
            // An LOA-CFA is valid for 90 days from its issue (AWS Direct Connect User Guide).
            let (age, loa) = match (c.as_of, x.loa_issue_time) {
                (Some(now), Some(t)) => {
                    let expires = t + chrono::Duration::days(90);
                    let loa = if now >= expires {
                        format!(
                            "LOA-CFA expired {} ago, on {}: download a new one",
                            super::human_duration((now - expires).num_seconds()),
                            expires.format("%Y-%m-%d")
                        )
                    } else {
                        format!(
                            "LOA-CFA expires in {}, on {}",
                            super::human_duration((expires - now).num_seconds()),
                            expires.format("%Y-%m-%d")
                        )
                    };
                    (super::human_duration((now - t).num_seconds()), Some(loa))
                }
                _ => ("unknown".into(), None),
            };
            let mut ev = vec![
                ("connectionState", x.state.to_string()),
                ("location", x.location.clone()),
                ("age", age.clone()),
            ];
            if let Some(p) = &x.partner_name {
                ev.push(("partnerName", p.clone()));
            }
            if let Some(t) = x.loa_issue_time {
                ev.push(("loaIssueTime", t.to_rfc3339()));
            }
            let loa_text = match (&loa, &x.state) {
                (Some(l), Requested | Pending) => {
                    ev.push(("loa", l.clone()));
                    format!("; {l}")
                }
                _ => String::new(),
            };
            out.push(finding("DX-002", None, format!("Connection {} is {} ({waiting}; age {age}{loa_text})", label(&x.name, &x.id), x.state), res(), &ev,
                "Download the LOA-CFA and order the cross-connect at the location, or confirm the hosted connection (ConfirmConnection); LOAs expire after 90 days."));
        }
    }
}

/// Location and device redundancy over the connections that carry traffic.
fn redundancy(c: &Ctx, conns: &[&crate::model::Connection], out: &mut Vec<Finding>) {
    let r = c.region;
    // Redundancy, over connections that carry traffic (not hosted connections still ordering).
    let physical: Vec<_> = conns
        .iter()
        .filter(|x| {
            !matches!(
                x.state,
                ConnectionState::Ordering | ConnectionState::Requested
            )
        })
        .collect();
    if !physical.is_empty() {
        let locations: BTreeSet<&str> = physical.iter().map(|x| x.location.as_str()).collect();
        let devices: BTreeSet<&str> = physical
            .iter()
            .filter_map(|x| {
                x.aws_device
                    .as_deref()
                    .or(x.aws_logical_device_id.as_deref())
            })
            .collect();
        let res: Vec<ResourceRef> = physical
            .iter()
            .map(|x| {
                c.res(
                    ResourceKind::DxConnections,
                    &x.id,
                    &x.name,
                    x.owner_account.as_ref(),
                )
            })
            .collect();
        let ids = physical
            .iter()
            .map(|x| x.id.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        if locations.len() == 1 {
            let loc = locations.iter().next().copied().unwrap_or_default();
            out.push(finding("DX-003", None, format!("All {} Direct Connect connection(s) in {} terminate at one location ({loc})", physical.len(), r.region),
                res.clone(), &[("location", loc.to_string()), ("connections", ids.clone())],
                "Add a connection at a second Direct Connect location (high or maximum resiliency model) so a location failure does not cut you off."));
        }
        if devices.len() == 1
            && physical.len()
                == physical
                    .iter()
                    .filter(|x| x.aws_device.is_some() || x.aws_logical_device_id.is_some())
                    .count()
        {
            let dev = devices.iter().next().copied().unwrap_or_default();
            out.push(finding("DX-004", None, format!("All {} Direct Connect connection(s) in {} are on one AWS device ({dev})", physical.len(), r.region),
                res, &[("awsDeviceV2", dev.to_string()), ("connections", ids)],
                "Request connections on different AWS devices (and locations); one device's maintenance or failure otherwise takes every connection down."));
        }
    }
}

/// The VIF rules: state, BGP sessions, MTU, the connection under it.
fn vif_health(c: &Ctx, out: &mut Vec<Finding>) {
    let r = c.region;
    for v in r.dx_vifs.items.iter().filter(|v| !vif_gone(&v.state)) {
        let res = || {
            vec![c.res(
                ResourceKind::DxVirtualInterfaces,
                &v.id,
                &v.name,
                v.owner_account.as_ref(),
            )]
        };
        let outage = outage_severity(c, v);
        let gw_lost = |mut ev: Vec<(&'static str, String)>| {
            if outage == Severity::Critical {
                ev.push((
                    "gatewayLostLastPath",
                    v.direct_connect_gateway_id
                        .clone()
                        .or(v.virtual_gateway_id.clone())
                        .unwrap_or_default(),
                ));
            }
            ev
        };
        if v.state == VifState::Down {
            out.push(finding("DX-005", Some(outage), format!("Virtual interface {} (VLAN {}) is down", label(&v.name, &v.id), v.vlan), res(),
                &gw_lost(vec![("virtualInterfaceState", v.state.to_string()), ("connectionId", v.connection_id.clone()), ("vlan", v.vlan.to_string())]),
                "Check the VLAN, addressing and BGP configuration on your router against the VIF, and the state of its connection."));
        }
        for p in v
            .bgp_peers
            .iter()
            .filter(|p| p.bgp_status == BgpStatus::Down)
        {
            // The VIF (what the console jumps to), then the BGP peer itself.
            let mut resources = res();
            let mut peer = c.res(
                ResourceKind::DxVirtualInterfaces,
                &p.id,
                &format!("{} peer of {}", p.address_family, v.id),
                v.owner_account.as_ref(),
            );
            peer.resource_type = "direct_connect/bgp_peers".into();
            resources.push(peer);
            out.push(finding("DX-006", Some(outage), format!("BGP session of {} peer {} on VIF {} is down", p.address_family, p.id, label(&v.name, &v.id)), resources,
                &gw_lost(vec![("bgpPeerId", p.id.clone()), ("bgpStatus", p.bgp_status.to_string()), ("bgpPeerState", p.bgp_peer_state.to_string()),
                  ("customerAddress", p.customer_address.clone().unwrap_or_default()), ("amazonAddress", p.amazon_address.clone().unwrap_or_default()),
                  ("asn", p.asn.to_string())]),
                "Check the BGP neighbour on your router: peer addresses, ASN, MD5 key, and that TCP 179 is reachable over the VLAN; bgpPeerState 'available' only means the peer is provisioned."));
        }
        let parent_down = r
            .dx_connections
            .items
            .iter()
            .find(|x| x.id == v.connection_id)
            .map(|x| x.state == ConnectionState::Down)
            .or_else(|| {
                r.dx_lags
                    .items
                    .iter()
                    .find(|l| l.id == v.connection_id)
                    .map(|l| l.state == LagState::Down)
            })
            .unwrap_or(false);
        if parent_down {
            out.push(finding("DX-010", None, format!("VIF {} runs on {} which is down", label(&v.name, &v.id), v.connection_id), res(),
                &[("connectionId", v.connection_id.clone()), ("connectionState", "down".into())],
                "Restore the connection or LAG; move critical traffic to VIFs on other connections meanwhile."));
        }
    }
}

/// A gateway and the VIFs that serve it: (kind, name, region, VIFs by id).
type Gateway<'a> = (
    ResourceKind,
    String,
    String,
    BTreeMap<String, &'a VirtualInterface>,
);

/// Gateway rules (DXGWs are global, so they are checked once over every region's VIFs).
pub(crate) fn check_gateways(e: &Estate, account: Option<String>, out: &mut Vec<Finding>) {
    // gateway id → (kind, name, region, VIFs by id)
    let mut gws: BTreeMap<String, Gateway> = BTreeMap::new();
    for r in e.scopes.values() {
        for g in &r.dx_gateways.items {
            gws.entry(g.id.clone()).or_insert((
                ResourceKind::DxGateways,
                g.name.clone(),
                r.region.clone(),
                BTreeMap::new(),
            ));
        }
        for g in &r.dx_virtual_gateways.items {
            gws.entry(g.id.clone()).or_insert((
                ResourceKind::DxVirtualGateways,
                g.name.clone(),
                r.region.clone(),
                BTreeMap::new(),
            ));
        }
    }
    for r in e.scopes.values() {
        for v in r.dx_vifs.items.iter().filter(|v| !vif_gone(&v.state)) {
            for gw in [&v.direct_connect_gateway_id, &v.virtual_gateway_id]
                .into_iter()
                .flatten()
            {
                if let Some(entry) = gws.get_mut(gw) {
                    entry.3.insert(v.id.clone(), v);
                }
            }
        }
    }
    for (id, (kind, name, region, vifs)) in gws {
        if vifs.is_empty() {
            continue;
        }
        let res = |extra: &[&&VirtualInterface]| {
            let mut v = vec![ResourceRef {
                account: account.clone(),
                region: region.clone(),
                resource_type: format!("{}/{}", kind.area().key(), kind.key()),
                kind,
                id: id.clone(),
                name: name.clone(),
            }];
            v.extend(extra.iter().map(|x| ResourceRef {
                account: x.owner_account.clone().or_else(|| account.clone()),
                region: if x.region.is_empty() {
                    region.clone()
                } else {
                    x.region.clone()
                },
                resource_type: "direct_connect/virtual_interfaces".into(),
                kind: ResourceKind::DxVirtualInterfaces,
                id: x.id.clone(),
                name: x.name.clone(),
            }));
            v
        };
        let list: Vec<&&VirtualInterface> = vifs.values().collect();
        let vif_ids = vifs.keys().cloned().collect::<Vec<_>>().join(", ");
        let gw_label = label(&name, &id);
        if vifs.len() == 1 {
            out.push(finding("DX-007", None, format!("Gateway {gw_label} is served by one VIF only ({vif_ids})"), res(&list),
                &[("virtualInterfaces", vif_ids.clone())],
                "Attach a second VIF on another connection, ideally at another location, so one VIF or connection failure does not isolate the gateway."));
        } else {
            let conns: BTreeSet<&str> = vifs.values().map(|v| v.connection_id.as_str()).collect();
            let locs: BTreeSet<&str> = vifs.values().map(|v| v.location.as_str()).collect();
            if conns.len() == 1 || locs.len() == 1 {
                let what = if conns.len() == 1 {
                    format!("connection {}", conns.iter().next().unwrap())
                } else {
                    format!("location {}", locs.iter().next().unwrap())
                };
                out.push(finding(
                    "DX-008",
                    None,
                    format!(
                        "All {} VIFs of gateway {gw_label} are on one {what}",
                        vifs.len()
                    ),
                    res(&list),
                    &[
                        ("virtualInterfaces", vif_ids.clone()),
                        (
                            "connections",
                            conns.iter().cloned().collect::<Vec<_>>().join(", "),
                        ),
                        (
                            "locations",
                            locs.iter().cloned().collect::<Vec<_>>().join(", "),
                        ),
                    ],
                    "Spread the gateway's VIFs over connections at different locations.",
                ));
            }
        }
        let mtus: BTreeSet<i32> = vifs.values().filter_map(|v| v.mtu).collect();
        if mtus.len() > 1 {
            let by = vifs
                .values()
                .map(|v| {
                    format!(
                        "{}={}",
                        v.id,
                        v.mtu.map(|m| m.to_string()).unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            out.push(finding("DX-009", None, format!("VIFs of gateway {gw_label} use different MTUs ({})", mtus.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(" vs ")),
                res(&list), &[("mtu", by)],
                "Use the same MTU on every VIF of a gateway (8500 for transit VIFs, 9001 for private VIFs with jumbo frames), or traffic failing over will hit a different MTU."));
        }
    }
}

pub(crate) use crate::model::label;
