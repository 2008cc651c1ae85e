//! The transit edges of a walk beyond one TGW: a peering attachment to the peer TGW (another
//! region or account) and on through its route table; a Connect attachment's peers (GRE and
//! BGP) over their transport; and the site-to-site VPNs that back up a DX gateway.

use super::*;
use crate::model::BgpStatus;

/// Capacity of one VPN tunnel (AWS's published maximum per tunnel), in Gbps.
pub const VPN_TUNNEL_GBPS: f64 = 1.25;

/// One site-to-site VPN on the way: its tunnels, and whether it carries the traffic or stands
/// by as DX's backup.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VpnPath {
    pub vpn: String,
    pub name: String,
    pub tunnels_up: usize,
    pub tunnels: usize,
    /// Tunnels UP × 1.25 Gbps (both tunnels when their status was not reported).
    pub gbps: f64,
    /// Whether the tunnels' status was reported (VgwTelemetry); when not, the connection's
    /// `available` state is all that was read.
    pub tunnels_reported: bool,
    /// `backup` (on a TGW or VGW that also has DX) or `primary`.
    pub role: &'static str,
    /// Whether the traffic takes it now (a backup does when every VIF is down).
    pub carrying: bool,
}

impl VpnPath {
    /// `name (vpn-…): 2 of 2 tunnels UP, up to 2.5 Gbps`.
    pub fn describe(&self) -> String {
        format!("{}: {}", label(&self.name, &self.vpn), self.capacity())
    }

    /// `2 of 2 tunnels UP, up to 2.5 Gbps`.
    pub fn capacity(&self) -> String {
        if self.tunnels_reported {
            format!(
                "{} of {} tunnels UP, up to {} Gbps",
                self.tunnels_up, self.tunnels, self.gbps
            )
        } else {
            format!(
                "tunnel status not reported (available), up to {} Gbps over its 2 tunnels",
                self.gbps
            )
        }
    }

    /// The path through one VPN connection.
    pub fn of(v: &crate::model::VpnConnection, role: &'static str, carrying: bool) -> VpnPath {
        let reported = !v.tunnels.is_empty();
        let up = v.tunnels_up();
        VpnPath {
            vpn: v.id.clone(),
            name: v.name.clone(),
            tunnels_up: up,
            tunnels: v.tunnels.len(),
            gbps: if reported { up as f64 } else { 2.0 } * VPN_TUNNEL_GBPS,
            tunnels_reported: reported,
            role,
            carrying,
        }
    }
}

impl<'i, 'a> Walk<'i, 'a> {
    /// Across a peering attachment to the peer TGW, then its route table for `dst`.
    pub(super) fn cross_peering(
        &mut self,
        att: &Attachment,
        dst: &IpNet,
        back_to: Option<&str>,
    ) -> Exit {
        let ix = self.ix;
        if let Some(p) = ix.tgw_peering(&att.id)
            && p.state != "available"
        {
            return self.fail(
                Verdict::Unreachable,
                format!(
                    "TGW peering attachment {} is {}{}",
                    label(&p.name, &p.id),
                    p.state,
                    p.status_message
                        .as_deref()
                        .map(|m| format!(" ({m})"))
                        .unwrap_or_default()
                ),
            );
        }
        let far_tgw = att.resource_id.clone();
        let Some(far) = ix.peer_side(att).cloned() else {
            self.tgw_hop(&far_tgw);
            return self.missing(
                ResourceKind::TgwPeerings,
                format!(
                    "the far side of TGW peering attachment {} ({far_tgw}) was not read: add its region or account",
                    att.id
                ),
            );
        };
        if !ix.tgws.contains_key(far_tgw.as_str()) {
            self.tgw_hop(&far_tgw);
            return self.fail(
                Verdict::Unknown,
                format!(
                    "{far_tgw}, the peer of {} in {}, was not read: add its region or account",
                    att.id,
                    if far.region.is_empty() {
                        "another region"
                    } else {
                        far.region.as_str()
                    }
                ),
            );
        }
        self.tgw_hop(&far_tgw);
        self.tgw_lookup(&far, dst, back_to)
    }

    /// The peers of a Connect attachment, each a hop with its GRE and BGP, then the transport
    /// it rides: a DX gateway (its VIFs) or a VPC (the appliance carries it on).
    pub(super) fn via_connect(&mut self, att: &Attachment) -> Exit {
        let ix = self.ix;
        let up = self.connect_peer_hops(att);
        if up.is_none() {
            return Exit::None;
        }
        let Some(c) = ix.connects.get(att.id.as_str()) else {
            return self.missing(
                ResourceKind::TgwConnects,
                format!("Connect attachment {} was not read", att.id),
            );
        };
        let Some(transport) = ix
            .attachment_on(&c.transport_attachment_id, &att.transit_gateway_id)
            .cloned()
        else {
            return self.missing(
                ResourceKind::TgwAttachments,
                format!(
                    "the transport {} of Connect attachment {} was not read",
                    c.transport_attachment_id, att.id
                ),
            );
        };
        self.attachment_hop(&transport);
        if let Some(h) = self.leg.hops.last_mut() {
            h.note = Some(format!("transport of Connect attachment {}", att.id));
        }
        if transport.state != "available" {
            return self.fail(
                Verdict::Unreachable,
                format!(
                    "the transport {} of Connect attachment {} is {}",
                    transport.id, att.id, transport.state
                ),
            );
        }
        match transport.resource_type.as_str() {
            "direct-connect-gateway" => {
                let dxgw = transport.resource_id.clone();
                self.dxgw_hop(&dxgw);
                let vifs = ix.dxgw_vifs(&dxgw);
                self.fan_out(&vifs, &dxgw, false);
            }
            _ => {
                if let Some(v) = ix.vpcs.get(transport.resource_id.as_str()).copied() {
                    self.vpc_hop(&v);
                    if let Some(h) = self.leg.hops.last_mut() {
                        h.note = Some(
                            "the Connect peer's appliance in this VPC carries it on (not traced beyond)"
                                .into(),
                        );
                    }
                }
            }
        }
        Exit::TgwEdge(att.clone())
    }

    /// A hop per Connect peer of `att` with its BGP state; `None` (and the verdict set) when
    /// no peer has BGP up.
    pub(super) fn connect_peer_hops(&mut self, att: &Attachment) -> Option<usize> {
        let ix = self.ix;
        let peers = ix.connect_peers(&att.id);
        if peers.is_empty() {
            self.missing(
                ResourceKind::TgwConnectPeers,
                format!("Connect attachment {} has no Connect peer", att.id),
            );
            return None;
        }
        let mut up = 0;
        let mut down = Vec::new();
        for p in &peers {
            let bgp = p.bgp_status();
            let (a, r) = (p.scope.account.clone(), p.scope.region.clone());
            let state = format!("{}, BGP {}", p.state, bgp);
            let h = self.hop("tgw-connect-peer", &p.id, &p.name, (&a, &r), &state);
            h.route = Some(format!(
                "GRE {} ↔ {}, inside {}",
                p.transit_gateway_address.as_deref().unwrap_or("?"),
                p.peer_address.as_deref().unwrap_or("?"),
                if p.inside_cidrs.is_empty() {
                    "-".to_string()
                } else {
                    p.inside_cidrs.join(", ")
                }
            ));
            if bgp == BgpStatus::Up && p.state == crate::model::Lifecycle::Available {
                up += 1;
            } else {
                down.push(format!("{} BGP {bgp}", label(&p.name, &p.id)));
            }
        }
        if up == 0 {
            self.fail(
                Verdict::Unreachable,
                format!(
                    "no Connect peer of {} has BGP up: {}",
                    att.id,
                    down.join("; ")
                ),
            );
            return None;
        }
        if !down.is_empty() {
            self.leg.verdict = self.leg.verdict.worst(Verdict::Degraded);
            self.leg.problems.push(format!(
                "{up} of {} Connect peers of {} up: {}",
                peers.len(),
                att.id,
                down.join("; ")
            ));
        }
        Some(up)
    }

    /// The VPNs on `tgw` as DX's backup, each a hop; `carrying` when every VIF is down.
    /// Returns the first one with a tunnel UP, when traffic fails over to it.
    pub(super) fn vpn_backup(
        &mut self,
        tgw: &str,
        dxgw: &str,
        carrying: bool,
    ) -> Option<Attachment> {
        let ix = self.ix;
        let mut takes = None;
        for att in ix.vpn_attachments(tgw) {
            let Some(v) = ix.vpns.get(att.resource_id.as_str()).copied() else {
                continue;
            };
            let (up, n) = (v.tunnels_up(), v.tunnels.len());
            let usable = v.usable() != Some(false);
            let carries = carrying && usable && att.state == "available" && takes.is_none();
            let (a, r) = (v.scope.account.clone(), v.scope.region.clone());
            let state = if n == 0 {
                format!("{}, tunnel status not reported", v.state)
            } else {
                format!("{}, {up} of {n} tunnels UP", v.state)
            };
            let h = self.hop("vpn-connection", &v.id, &v.name, (&a, &r), &state);
            h.resource_type = Some("vpn".into());
            h.note = Some(if carries {
                format!("backup of {dxgw}: carries the traffic while every VIF is down")
            } else {
                format!("backup of {dxgw}: takes over if every VIF is down")
            });
            self.tunnel_hops(&v);
            self.leg
                .vpn_paths
                .push(VpnPath::of(v.item, "backup", carries));
            if usable {
                self.leg.vpns_up += 1;
            }
            if carries {
                takes = Some(att.clone());
            }
        }
        takes
    }

    /// A route that reaches a VPN on a TGW that also has a DX gateway whose every VIF is down:
    /// the DX routes were withdrawn and the VPN is the backup now carrying the traffic.
    pub(super) fn dx_withdrawn(&mut self, vpn: &Attachment) {
        let ix = self.ix;
        let dx: Vec<String> = ix
            .attachments
            .iter()
            .filter(|a| {
                a.transit_gateway_id == vpn.transit_gateway_id
                    && a.resource_type == "direct-connect-gateway"
            })
            .map(|a| a.resource_id.clone())
            .collect();
        let all_down = !dx.is_empty()
            && dx.iter().all(|g| {
                let vifs = ix.dxgw_vifs(g);
                !vifs.is_empty() && vifs.iter().all(|v| !ix.dx_path(v).working)
            });
        let Some(p) = self.leg.vpn_paths.last_mut() else {
            return;
        };
        if dx.is_empty() || p.vpn != vpn.resource_id {
            return;
        }
        if all_down && p.carrying {
            p.role = "backup";
            let v = format!("{} carries it ({})", label(&p.name, &p.vpn), p.capacity());
            self.leg.on_vpn_backup = true;
            self.leg.verdict = self.leg.verdict.worst(Verdict::Degraded);
            let names: Vec<String> = dx.iter().map(|g| label(&ix.dxgw_name(g), g)).collect();
            self.leg.problems.push(format!(
                "degraded: on VPN backup: every VIF behind {} is down; {v}",
                names.join(", ")
            ));
            // The DX way it fails over from, down, for the reader.
            for g in &dx {
                self.dxgw_hop(g);
                let vifs = ix.dxgw_vifs(g);
                self.fan_out(&vifs, g, true);
            }
        }
    }

    /// A hop per tunnel of a VPN (VgwTelemetry): its outside address, status, status message,
    /// last change and accepted BGP routes.
    pub(super) fn tunnel_hops(&mut self, v: &At<'a, crate::model::VpnConnection>) {
        let (a, r) = (v.scope.account.clone(), v.scope.region.clone());
        for t in &v.tunnels {
            let id = format!("{}/{}", v.id, t.outside_ip_address);
            let name = t.status_message.clone().unwrap_or_default();
            let h = self.hop("vpn-tunnel", &id, &name, (&a, &r), t.status.as_str());
            let routes = t
                .accepted_route_count
                .map(|n| format!("{n} BGP route(s) accepted"))
                .unwrap_or_else(|| "accepted routes not reported".into());
            let since = t
                .last_status_change
                .map(|c| format!(", {} since {}", t.status, c.format("%Y-%m-%d %H:%MZ")))
                .unwrap_or_default();
            h.route = Some(format!("{routes}{since}"));
        }
    }
}
