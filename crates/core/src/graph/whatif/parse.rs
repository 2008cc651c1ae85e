//! A change as it is asked for (`--fail ID`, `--delete ID`) and whether what it names was
//! read.

use super::Change;
use crate::graph::Index;
use crate::graph::index::parse_net;
use crate::model::{Estate, ResourceKind};

impl Change {
    /// `--fail ID`: a VIF, connection, LAG, AWS device, location or TGW attachment read in
    /// `ix`.
    pub fn fail(ix: &Index, id: &str) -> Result<Change, String> {
        if id.starts_with("vpn-") {
            return match ix.vpns.contains_key(id) {
                true => Ok(Change::FailVpn(id.to_string())),
                false => Err(format!(
                    "--fail {id}: no VPN connection {id} in what was read"
                )),
            };
        }
        if id.starts_with("tgw-attach-") {
            return match ix.attachment(id) {
                Some(a) if a.inferred.is_none() => Ok(Change::FailAttachment(id.to_string())),
                Some(_) => Err(format!(
                    "--fail {id}: that attachment was not read, only inferred from a DX gateway association"
                )),
                None => Err(format!(
                    "--fail {id}: no TGW attachment {id} in what was read"
                )),
            };
        }
        crate::graph::impact::kind_of(ix, id)
            .map(|_| Change::FailDx(id.to_string()))
            .ok_or_else(|| {
                format!("--fail {id}: no VIF, connection, LAG, AWS device or location {id} in what was read")
            })
    }

    /// `--delete ID`: a TGW route (`tgw-rtb-…:CIDR`), a VPC route (`rtb-…:CIDR`), a VPC
    /// peering (`pcx-…`), a TGW attachment (`tgw-attach-…`), a VIF (`dxvif-…`), a TGW
    /// association or propagation (`association:tgw-rtb-…:tgw-attach-…`,
    /// `propagation:tgw-rtb-…:tgw-attach-…`) or a DX gateway association (`DXGW_ID:tgw-…` or
    /// `DXGW_ID:vgw-…`). Other kinds are refused by name, never ignored.
    pub fn delete(id: &str) -> Result<Change, String> {
        for (prefix, is_assoc) in [("association:", true), ("propagation:", false)] {
            let Some(rest) = id.strip_prefix(prefix) else {
                continue;
            };
            let Some((table, att)) = rest
                .split_once(':')
                .filter(|(t, a)| t.starts_with("tgw-rtb-") && a.starts_with("tgw-attach-"))
            else {
                return Err(format!(
                    "--delete {id}: give {prefix}tgw-rtb-…:tgw-attach-…"
                ));
            };
            let (route_table_id, attachment_id) = (table.to_string(), att.to_string());
            return Ok(if is_assoc {
                Change::DeleteAssociation {
                    route_table_id,
                    attachment_id,
                }
            } else {
                Change::DeletePropagation {
                    route_table_id,
                    attachment_id,
                }
            });
        }
        if let Some((dxgw, gw)) = id.split_once(':')
            && !dxgw.is_empty()
            && (gw.starts_with("tgw-") || gw.starts_with("vgw-"))
            && !gw.starts_with("tgw-attach-")
            && !dxgw.starts_with("tgw-rtb-")
        {
            return Ok(Change::DeleteDxgwAssociation {
                dx_gateway_id: dxgw.to_string(),
                gateway_id: gw.to_string(),
            });
        }
        if let Some((table, cidr)) = id.split_once(':')
            && (table.starts_with("tgw-rtb-") || table.starts_with("rtb-"))
        {
            let (route_table_id, cidr) = (table.to_string(), cidr.to_string());
            if cidr.starts_with("tgw-attach-") {
                return Err(format!(
                    "--delete {id}: a TGW association or propagation: give association:{id} or propagation:{id}"
                ));
            }
            if parse_net(&cidr).is_none() {
                return Err(format!("--delete {id}: {cidr:?} is not a CIDR"));
            }
            return Ok(if table.starts_with("rtb-") {
                Change::DeleteVpcRoute {
                    route_table_id,
                    cidr,
                }
            } else {
                Change::DeleteTgwRoute {
                    route_table_id,
                    cidr,
                }
            });
        }
        if id.starts_with("pcx-") {
            return Ok(Change::DeletePeering(id.to_string()));
        }
        if id.starts_with("tgw-attach-") {
            return Ok(Change::DeleteAttachment(id.to_string()));
        }
        if id.starts_with("dxvif-") {
            return Ok(Change::FailVif(id.to_string()));
        }
        Err(format!(
            "--delete {id}: what-if deletes a TGW route (tgw-rtb-…:CIDR), a VPC route (rtb-…:CIDR), a VPC peering (pcx-…), a TGW attachment (tgw-attach-…), a VIF (dxvif-…), a TGW association or propagation (association:tgw-rtb-…:tgw-attach-…, propagation:…) or a DX gateway association (DXGW_ID:tgw-… or DXGW_ID:vgw-…)"
        ))
    }

    /// Whether what a deletion names was read (a change to nothing is an error, not "no
    /// difference").
    pub fn check(&self, e: &Estate) -> Result<(), String> {
        // Whether an item of this kind and id was read in any account and region.
        let read = |kind: ResourceKind, id: &str| {
            e.scopes
                .values()
                .any(|r| r.item_ids_health(kind).iter().any(|(x, _)| x == id))
        };
        match self {
            Change::DeleteTgwRoute {
                route_table_id,
                cidr,
            } if !e.scopes.values().any(|r| {
                r.tgw_routes
                    .items
                    .iter()
                    .any(|x| &x.route_table_id == route_table_id && &x.destination == cidr)
            }) =>
            {
                Err(format!(
                    "--delete {route_table_id}:{cidr}: no route to {cidr} in {route_table_id} in what was read"
                ))
            }
            Change::DeleteVpcRoute {
                route_table_id,
                cidr,
            } if !e.scopes.values().any(|r| {
                r.vpc_route_tables.items.iter().any(|t| {
                    &t.id == route_table_id && t.routes.iter().any(|x| &x.destination == cidr)
                })
            }) =>
            {
                Err(format!(
                    "--delete {route_table_id}:{cidr}: no route to {cidr} in {route_table_id} in what was read"
                ))
            }
            Change::AddTgwRoute { route_table_id, .. }
                if !read(ResourceKind::TgwRouteTables, route_table_id) =>
            {
                Err(format!(
                    "no TGW route table {route_table_id} in what was read"
                ))
            }
            Change::DeleteAttachment(id) if !read(ResourceKind::TgwAttachments, id) => Err(
                format!("--delete {id}: no TGW attachment {id} in what was read"),
            ),
            Change::FailVif(id) if !read(ResourceKind::DxVirtualInterfaces, id) => {
                Err(format!("no VIF {id} in what was read"))
            }
            Change::DeletePeering(id) if !read(ResourceKind::VpcPeerings, id) => Err(format!(
                "--delete {id}: no VPC peering {id} in what was read"
            )),
            Change::DeleteAssociation {
                route_table_id,
                attachment_id,
            } if !e.scopes.values().any(|r| {
                r.tgw_associations.items.iter().any(|a| {
                    &a.route_table_id == route_table_id && &a.attachment_id == attachment_id
                })
            }) =>
            {
                Err(format!(
                    "--delete association:{route_table_id}:{attachment_id}: {attachment_id} is not associated with {route_table_id} in what was read"
                ))
            }
            Change::DeletePropagation {
                route_table_id,
                attachment_id,
            } if !e.scopes.values().any(|r| {
                r.tgw_propagations.items.iter().any(|a| {
                    &a.route_table_id == route_table_id && &a.attachment_id == attachment_id
                })
            }) =>
            {
                Err(format!(
                    "--delete propagation:{route_table_id}:{attachment_id}: {attachment_id} does not propagate into {route_table_id} in what was read"
                ))
            }
            Change::AddAssociation {
                route_table_id,
                attachment_id,
            }
            | Change::AddPropagation {
                route_table_id,
                attachment_id,
            } if !read(ResourceKind::TgwRouteTables, route_table_id)
                || !read(ResourceKind::TgwAttachments, attachment_id) =>
            {
                Err(format!(
                    "no TGW route table {route_table_id} or attachment {attachment_id} in what was read"
                ))
            }
            Change::AddVpcRoute { route_table_id, .. }
                if !read(ResourceKind::VpcRouteTables, route_table_id) =>
            {
                Err(format!("no route table {route_table_id} in what was read"))
            }
            Change::DeleteResolverRule(id) if !read(ResourceKind::ResolverRules, id) => {
                Err(format!("no Resolver rule {id} in what was read"))
            }
            Change::DeleteRuleAssociation { rule_id, vpc_id }
                if !e.scopes.values().any(|r| {
                    r.resolver_rule_associations
                        .items
                        .iter()
                        .any(|a| &a.resolver_rule_id == rule_id && &a.vpc_id == vpc_id)
                }) =>
            {
                Err(format!(
                    "Resolver rule {rule_id} is not associated with {vpc_id} in what was read"
                ))
            }
            Change::SetAllowedPrefixes {
                dx_gateway_id,
                gateway_id,
                ..
            }
            | Change::DeleteDxgwAssociation {
                dx_gateway_id,
                gateway_id,
            } if !e.scopes.values().any(|r| {
                r.dx_gateway_associations.items.iter().any(|a| {
                    &a.direct_connect_gateway_id == dx_gateway_id
                        && a.associated_gateway_id.as_deref() == Some(gateway_id.as_str())
                })
            }) =>
            {
                Err(format!(
                    "--delete {dx_gateway_id}:{gateway_id}: no association of DX gateway {dx_gateway_id} with {gateway_id} in what was read"
                ))
            }
            _ => Ok(()),
        }
    }
}
