//! The Direct Connect lookups of the index: the VIFs behind a DX gateway or VGW, a VIF's way
//! to its location, and the DX gateway attachments inferred when EC2 lists none.

use super::*;

impl<'a> Index<'a> {
    /// A DX gateway associated with a TGW has a `direct-connect-gateway` attachment on it. When
    /// the EC2 answers list none for that pair, one is assumed from the association.
    pub(super) fn infer_dxgw_attachments(&mut self) {
        let mut extra = Vec::new();
        for a in &self.dxgw_assocs {
            if a.associated_gateway_type.as_deref() != Some("transitGateway") {
                continue;
            }
            let Some(tgw) = a.associated_gateway_id.as_deref() else {
                continue;
            };
            let dxgw = a.direct_connect_gateway_id.as_str();
            let listed = self.attachments.iter().any(|t| {
                t.transit_gateway_id == tgw
                    && t.resource_type == "direct-connect-gateway"
                    && t.resource_id == dxgw
            });
            if listed {
                continue;
            }
            let (account, region) = match self.tgws.get(tgw) {
                Some(t) => (t.scope.account.clone(), t.scope.region.clone()),
                None => (
                    a.associated_gateway_owner_account
                        .clone()
                        .unwrap_or_else(|| a.scope.account.clone()),
                    a.associated_gateway_region
                        .clone()
                        .unwrap_or_else(|| a.scope.region.clone()),
                ),
            };
            let state = match a.state {
                AssociationState::Associated => "available",
                AssociationState::Associating => "pending",
                _ => "deleted",
            };
            extra.push(Attachment {
                id: a.id.clone(),
                name: self.dxgw_name(dxgw),
                state: state.to_string(),
                transit_gateway_id: tgw.to_string(),
                resource_type: "direct-connect-gateway".into(),
                resource_id: dxgw.to_string(),
                account,
                region,
                inferred: Some(format!(
                    "EC2 lists no attachment of {dxgw} on {tgw}; this one stands for DX gateway association {} ({})",
                    a.id, a.state
                )),
                association_table: None,
            });
        }
        self.attachments.extend(extra);
    }

    /// The VIFs attached to a DX gateway (attachments, else the VIFs' own gateway id).
    pub fn dxgw_vifs(&self, dxgw: &str) -> Vec<At<'a, VirtualInterface>> {
        let mut ids: BTreeSet<&str> = self
            .dxgw_attachments
            .iter()
            .filter(|a| a.direct_connect_gateway_id == dxgw && a.state != AttachmentState::Detached)
            .map(|a| a.virtual_interface_id.as_str())
            .collect();
        for v in self.vifs.values() {
            if v.direct_connect_gateway_id.as_deref() == Some(dxgw) {
                ids.insert(v.id.as_str());
            }
        }
        ids.into_iter()
            .filter_map(|id| self.vifs.get(id).copied())
            .collect()
    }

    /// The VIFs behind a VGW: attached directly, or through a DX gateway associated with it.
    pub fn vgw_vifs(&self, vgw: &str) -> Vec<At<'a, VirtualInterface>> {
        let mut v: Vec<At<'a, VirtualInterface>> = self
            .vifs
            .values()
            .filter(|v| v.virtual_gateway_id.as_deref() == Some(vgw))
            .copied()
            .collect();
        for a in &self.dxgw_assocs {
            if a.associated_gateway_id.as_deref() == Some(vgw)
                && a.state == AssociationState::Associated
            {
                v.extend(self.dxgw_vifs(&a.direct_connect_gateway_id));
            }
        }
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v.dedup_by(|a, b| a.id == b.id);
        v
    }

    /// The DX gateways associated with a TGW or VGW.
    pub fn dxgws_of(&self, gateway: &str) -> Vec<&At<'a, DxGatewayAssociation>> {
        self.dxgw_assocs
            .iter()
            .filter(|a| a.associated_gateway_id.as_deref() == Some(gateway))
            .collect()
    }

    /// The way from a VIF to its location, and whether it works.
    pub fn dx_path(&self, vif: &At<'a, VirtualInterface>) -> DxPath {
        let bgp_up = vif.bgp_peers.iter().any(|p| p.bgp_status == BgpStatus::Up);
        let bgp = if vif.bgp_peers.is_empty() {
            "unknown"
        } else if bgp_up {
            "up"
        } else {
            "down"
        };
        let (cname, cstate, members, device) =
            if let Some(l) = self.lags.get(vif.connection_id.as_str()) {
                (
                    l.name.clone(),
                    l.state.to_string(),
                    l.connection_ids.clone(),
                    l.aws_device.clone().or(l.aws_logical_device_id.clone()),
                )
            } else if let Some(c) = self.connections.get(vif.connection_id.as_str()) {
                (
                    c.name.clone(),
                    c.state.to_string(),
                    vec![c.id.clone()],
                    c.aws_device.clone().or(c.aws_logical_device_id.clone()),
                )
            } else {
                (
                    String::new(),
                    "unknown".into(),
                    vec![vif.connection_id.clone()],
                    None,
                )
            };
        let device = device
            .or(vif.aws_device.clone())
            .or(vif.aws_logical_device_id.clone())
            .unwrap_or_default();
        let why = if vif.state != VifState::Available {
            Some(format!("VIF {} is {}", vif.id, vif.state))
        } else if bgp != "up" {
            Some(format!("VIF {} has no BGP peer up", vif.id))
        } else if cstate != "available" {
            Some(format!("{} is {}", vif.connection_id, cstate))
        } else {
            None
        };
        DxPath {
            vif: vif.id.clone(),
            vif_name: vif.name.clone(),
            bgp: bgp.into(),
            vif_state: vif.state.to_string(),
            connection: vif.connection_id.clone(),
            connection_name: cname,
            connection_state: cstate,
            members,
            device,
            location: vif.location.clone(),
            location_name: self
                .locations
                .get(vif.location.as_str())
                .map(|l| l.name.clone())
                .unwrap_or_default(),
            account: vif.scope.account.clone(),
            region: vif.scope.region.clone(),
            working: why.is_none(),
            why,
        }
    }
}
