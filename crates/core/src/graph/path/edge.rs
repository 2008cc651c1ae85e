//! The edges of a walk: DX gateways and their VIFs, VGWs, VPNs, peerings, the way in from
//! on-prem, and the DX gateway association's allowed prefixes.

use super::*;
use crate::model::PeeringState;

impl<'i, 'a> Walk<'i, 'a> {
    pub(super) fn dxgw_hop(&mut self, dxgw: &str) {
        let ix = self.ix;
        match ix.dxgws.get(dxgw) {
            Some(g) => {
                let (a, r) = (g.scope.account.clone(), g.scope.region.clone());
                self.hop("dx-gateway", dxgw, &g.name, (&a, &r), g.state.as_str());
            }
            None => {
                self.hop("dx-gateway", dxgw, "", ("", ""), "");
            }
        }
    }

    pub(super) fn vpn_hop(&mut self, id: &str) {
        let ix = self.ix;
        match ix.vpns.get(id) {
            Some(v) => {
                let up = v.tunnels_up();
                let (a, r) = (v.scope.account.clone(), v.scope.region.clone());
                let n = v.tunnels.len();
                let name = v.name.clone();
                let h = self.hop("vpn-connection", id, &name, (&a, &r), v.state.as_str());
                h.route = Some(format!("{up} of {n} tunnels UP"));
                self.tunnel_hops(v);
                let usable = v.usable();
                self.leg
                    .vpn_paths
                    .push(VpnPath::of(v.item, "primary", usable != Some(false)));
                if usable.is_none() {
                    let h = self.leg.hops.last_mut().unwrap();
                    h.route = Some("tunnel status not reported".into());
                    h.note = Some("no VgwTelemetry: judged by the connection's state".into());
                    self.leg.vpns_up += 1;
                    return;
                }
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

    pub(super) fn via_vgw(&mut self, vgw: &str) -> Exit {
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
        self.hop(
            "virtual-private-gateway",
            vgw,
            &name,
            (&a, &r),
            state.as_str(),
        );
        for d in ix.dxgws_of(vgw) {
            let id = d.direct_connect_gateway_id.clone();
            self.dxgw_hop(&id);
        }
        let vifs = ix.vgw_vifs(vgw);
        self.fan_out(&vifs, vgw, false);
        Exit::Vgw(vgw.to_string())
    }

    /// Adds every VIF behind a gateway with its connection, device and location, and judges
    /// them: none working is unreachable (with `backup`, a VPN takes over: the caller says so),
    /// some down or one location is degraded. Whether a VIF works.
    pub(super) fn fan_out(
        &mut self,
        vifs: &[At<'a, crate::model::VirtualInterface>],
        gateway: &str,
        backup: bool,
    ) -> bool {
        let ix = self.ix;
        if vifs.is_empty() {
            if backup && !self.ix.unread.contains(&ResourceKind::DxVirtualInterfaces) {
                self.leg
                    .problems
                    .push(format!("no VIF is attached to {gateway}"));
            } else {
                self.missing(
                    ResourceKind::DxVirtualInterfaces,
                    format!("no VIF is attached to {gateway}"),
                );
            }
            return false;
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
            // With a VPN to take over, the caller says so (`degraded: on VPN backup`); the
            // VIFs that are down are hops of their own.
            if !backup {
                self.fail(
                    Verdict::Unreachable,
                    format!("every VIF behind {gateway} is down: {}", down.join("; ")),
                );
            }
            return false;
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
        true
    }

    pub(super) fn via_peering(&mut self, vpc: &At<'a, Vpc>, pcx: &str, dst: &IpNet) -> Exit {
        let ix = self.ix;
        let Some(p) = ix.peerings.get(pcx).copied() else {
            self.hop("vpc-peering", pcx, "", ("", ""), "");
            return self.missing(
                ResourceKind::VpcPeerings,
                format!("peering {pcx} was not found"),
            );
        };
        let (a, r) = (p.scope.account.clone(), p.scope.region.clone());
        self.hop("vpc-peering", pcx, &p.name, (&a, &r), p.state.as_str());
        if p.state != PeeringState::Active {
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
    pub(super) fn walk_in(&mut self, edge: &Attachment, dst: &IpNet, vpc: &str) -> Exit {
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
        } else if edge.resource_type == "connect" && self.connect_peer_hops(edge).is_none() {
            return Exit::None;
        }
        self.attachment_hop(edge);
        self.tgw_lookup(edge, dst, Some(vpc))
    }

    /// On-prem learns a VPC's prefix over a DX gateway attached to a TGW only when the
    /// association's allowed prefixes cover it.
    pub(super) fn allowed_prefixes(&mut self, edge: &Attachment, dst: &IpNet) {
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
