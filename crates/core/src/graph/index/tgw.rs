//! Transit Gateway lookups: the route table of an attachment, the targets of a route, the
//! far side of a peering attachment, Connect peers and the VPNs that back up a DX gateway.

use super::*;

impl<'a> Index<'a> {
    /// The route tables listed (GetTransitGatewayRouteTableAssociations) as associated with an
    /// attachment, in the order read.
    pub fn associated_tables(&self, att: &str) -> Vec<&'a str> {
        self.assoc_by_att.get(att).cloned().unwrap_or_default()
    }

    /// The route table an attachment is associated with. An association listed by
    /// GetTransitGatewayRouteTableAssociations wins (a non-default table over the default one,
    /// when an emulator lists both); for an attachment inferred from a DX gateway association,
    /// the one table of its TGW that no attachment is associated with, else the TGW's default
    /// association route table.
    ///
    /// A peering attachment has one id on both TGWs: only the tables of `att`'s TGW count.
    pub fn association(&self, att: &Attachment) -> Option<Association<'a>> {
        let listed: Vec<At<'a, TgwRouteTable>> = self
            .assoc_by_att
            .get(att.id.as_str())
            .into_iter()
            .flatten()
            .filter_map(|t| self.tgw_tables.get(t).copied())
            .filter(|t| t.transit_gateway_id == att.transit_gateway_id)
            .collect();
        if let Some(t) = listed
            .iter()
            .find(|t| !t.default_association_route_table)
            .or(listed.first())
        {
            return Some(Association {
                table: *t,
                assumed: None,
            });
        }
        // The attachment's own `Association` (an emulator may list it only there).
        if let Some(t) = att
            .association_table
            .as_deref()
            .and_then(|t| self.tgw_tables.get(t))
            .filter(|t| t.transit_gateway_id == att.transit_gateway_id)
        {
            return Some(Association {
                table: *t,
                assumed: None,
            });
        }
        att.inferred.as_ref()?;
        let tables: Vec<At<'a, TgwRouteTable>> = self
            .tgw_tables
            .values()
            .filter(|t| t.transit_gateway_id == att.transit_gateway_id)
            .copied()
            .collect();
        let unassociated: Vec<&At<'a, TgwRouteTable>> = tables
            .iter()
            .filter(|t| !self.associations.iter().any(|a| a.route_table_id == t.id))
            .collect();
        // Several tables with nothing associated: the one named for on-prem or the DX
        // gateway, else the one routing the most of the TGW's VPCs.
        let unassociated: Vec<&At<'a, TgwRouteTable>> = if unassociated.len() > 1 {
            let named: Vec<&At<'a, TgwRouteTable>> = unassociated
                .iter()
                .copied()
                .filter(|t| {
                    let n = t.name.to_ascii_lowercase();
                    ["dx", "prem", "inbound", "hybrid", "edge"]
                        .iter()
                        .any(|k| n.contains(k))
                        || n.contains(&att.resource_id.to_ascii_lowercase())
                })
                .collect();
            if named.len() == 1 {
                named
            } else {
                let vpc_routes = |t: &At<'a, TgwRouteTable>| {
                    self.tgw_routes.get(t.id.as_str()).map_or(0, |rs| {
                        rs.iter()
                            .filter(|r| {
                                r.destination
                                    .parse::<IpNet>()
                                    .is_ok_and(|d| self.vpc_containing(&d).is_some())
                            })
                            .count()
                    })
                };
                let best = unassociated
                    .iter()
                    .map(|t| vpc_routes(t))
                    .max()
                    .unwrap_or(0);
                let top: Vec<_> = unassociated
                    .iter()
                    .copied()
                    .filter(|t| vpc_routes(t) == best)
                    .collect();
                if best > 0 && top.len() == 1 {
                    top
                } else {
                    unassociated
                }
            }
        } else {
            unassociated
        };
        if unassociated.len() == 1 {
            return Some(Association {
                table: *unassociated[0],
                assumed: Some(format!(
                    "assumed: {} is the one route table of {} with no attachment associated",
                    unassociated[0].id, att.transit_gateway_id
                )),
            });
        }
        let default = self
            .tgws
            .get(att.transit_gateway_id.as_str())
            .and_then(|t| t.association_default_route_table_id.as_deref())
            .and_then(|id| self.tgw_tables.get(id))
            .or_else(|| tables.iter().find(|t| t.default_association_route_table))?;
        Some(Association {
            table: *default,
            assumed: Some(format!(
                "assumed: the default association route table of {}",
                att.transit_gateway_id
            )),
        })
    }

    /// The attachments a TGW route points at: the ones the API lists, or, when it lists none
    /// (an emulator), the attachment whose VPC overlaps the destination, else the TGW's DX
    /// gateway attachments, else its VPN attachments, else its peerings. The flag says whether it
    /// was inferred.
    pub fn route_targets(&self, route: &TgwRoute, tgw: &str) -> (Vec<&Attachment>, bool) {
        let listed: Vec<&Attachment> = route
            .targets
            .iter()
            .filter_map(|t| t.attachment_id.as_deref())
            .filter_map(|id| self.attachment_on(id, tgw).or_else(|| self.attachment(id)))
            .collect();
        if !listed.is_empty() || route.targets.iter().any(|t| t.attachment_id.is_some()) {
            return (listed, false);
        }
        let Ok(dest) = route.destination.parse::<IpNet>() else {
            return (Vec::new(), true);
        };
        let on_tgw = || {
            self.attachments
                .iter()
                .filter(move |a| a.transit_gateway_id == tgw)
        };
        let vpc = on_tgw().find(|a| {
            a.resource_type == "vpc"
                && self.vpcs.get(a.resource_id.as_str()).is_some_and(|v| {
                    // The VPC holds the destination; a supernet (10.0.0.0/8, a default
                    // route) says nothing about which attachment it points at.
                    v.cidrs
                        .iter()
                        .any(|c| c.parse::<IpNet>().is_ok_and(|c| c.contains(&dest)))
                })
        });
        if let Some(v) = vpc {
            return (vec![v], true);
        }
        // A VPC attached to the TGW at the far side of a peering.
        let over_peering = on_tgw().find(|a| {
            a.resource_type == "peering"
                && self.attachments.iter().any(|far| {
                    far.transit_gateway_id == a.resource_id
                        && far.resource_type == "vpc"
                        && self.vpcs.get(far.resource_id.as_str()).is_some_and(|v| {
                            v.cidrs
                                .iter()
                                .any(|c| c.parse::<IpNet>().is_ok_and(|c| c.contains(&dest)))
                        })
                })
        });
        if let Some(p) = over_peering {
            return (vec![p], true);
        }
        for ty in ["direct-connect-gateway", "vpn", "peering"] {
            let v: Vec<&Attachment> = on_tgw().filter(|a| a.resource_type == ty).collect();
            if !v.is_empty() {
                return (v, true);
            }
        }
        (Vec::new(), true)
    }

    /// The attachment `id` as seen from `tgw`: a peering attachment has the same id on both
    /// transit gateways.
    pub fn attachment_on(&self, id: &str, tgw: &str) -> Option<&Attachment> {
        self.attachments
            .iter()
            .find(|a| a.id == id && a.transit_gateway_id == tgw)
    }

    /// The far side of a peering attachment: the same attachment on the peer TGW (another
    /// region or account), when that TGW's side was read or can be told from the peering.
    pub fn peer_side(&self, att: &Attachment) -> Option<&Attachment> {
        (att.resource_type == "peering")
            .then(|| self.attachment_on(&att.id, &att.resource_id))
            .flatten()
    }

    /// The peering attachment (DescribeTransitGatewayPeeringAttachments) by id.
    pub fn tgw_peering(&self, id: &str) -> Option<At<'a, TgwPeering>> {
        self.tgw_peerings.get(id).copied()
    }

    /// The Connect peers of a Connect attachment.
    pub fn connect_peers(&self, att: &str) -> Vec<At<'a, TgwConnectPeer>> {
        self.connect_peers
            .iter()
            .filter(|p| p.connect_attachment_id == att)
            .copied()
            .collect()
    }

    /// The VPN attachments on `tgw`: what takes over when its DX gateway's VIFs are down.
    pub fn vpn_attachments(&self, tgw: &str) -> Vec<&Attachment> {
        self.attachments
            .iter()
            .filter(|a| a.transit_gateway_id == tgw && a.resource_type == "vpn")
            .collect()
    }

    /// The VPNs on `tgw` that can carry traffic as its DX gateway's backup: the attachment
    /// `available`, and a tunnel UP (or no tunnel status reported for an available
    /// connection, see [`VpnConnection::usable`]).
    pub fn vpn_backups(&self, tgw: &str) -> Vec<(&Attachment, At<'a, VpnConnection>)> {
        self.vpn_attachments(tgw)
            .into_iter()
            .filter(|a| a.state == "available")
            .filter_map(|a| Some((a, *self.vpns.get(a.resource_id.as_str())?)))
            .filter(|(_, v)| v.usable() != Some(false))
            .collect()
    }

    /// The attachments of peerings and Connects, added to what DescribeTransitGatewayAttachments
    /// listed: each side of a peering on its own TGW (an emulator lists one side in both
    /// regions), and a Connect attachment not listed.
    pub(super) fn add_edge_attachments(&mut self) {
        let mut extra = Vec::new();
        for p in self.tgw_peerings.values() {
            for (side, far) in [(&p.requester, &p.accepter), (&p.accepter, &p.requester)] {
                if side.transit_gateway_id.is_empty()
                    || self
                        .attachment_on(&p.id, &side.transit_gateway_id)
                        .is_some()
                {
                    continue;
                }
                let scope_of = self.tgws.get(side.transit_gateway_id.as_str());
                extra.push(Attachment {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    state: p.state.to_string(),
                    transit_gateway_id: side.transit_gateway_id.clone(),
                    resource_type: "peering".into(),
                    resource_id: far.transit_gateway_id.clone(),
                    account: side
                        .owner_id
                        .clone()
                        .or_else(|| scope_of.map(|t| t.scope.account.clone()))
                        .unwrap_or_default(),
                    region: side
                        .region
                        .clone()
                        .or_else(|| scope_of.map(|t| t.scope.region.clone()))
                        .unwrap_or_default(),
                    inferred: None,
                    association_table: None,
                });
            }
        }
        // An emulator lists the requester's side in the accepter's region too: drop a
        // listed side whose TGW is neither end of its peering.
        let peerings = &self.tgw_peerings;
        self.attachments.retain(|a| {
            a.resource_type != "peering"
                || peerings
                    .get(a.id.as_str())
                    .is_none_or(|p| p.far_side(&a.transit_gateway_id).is_some())
        });
        self.attachments.extend(extra);
    }
}
