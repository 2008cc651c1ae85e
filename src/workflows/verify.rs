//! After a change whose outcome is unknown (a 500 or a dropped connection after the request
//! reached AWS): read the target again and say whether the change is there.

use super::Call;
use crate::model::{RegionEstate, ResourceKind};

/// The resource kinds to read again to judge `call`.
pub fn kinds(call: &Call) -> Vec<ResourceKind> {
    use ResourceKind::*;
    match call {
        Call::CreateTgwRoute { .. } | Call::DeleteTgwRoute { .. } => vec![TgwRoutes],
        Call::AcceptPeering { .. } | Call::RejectPeering { .. } | Call::DeletePeering { .. } => {
            vec![VpcPeerings]
        }
        Call::CreateResolverEndpoint { .. } => vec![ResolverEndpoints],
        Call::CreateResolverRule { .. } => vec![ResolverRules],
        Call::AssociateResolverRule { .. } => vec![ResolverRuleAssociations],
        Call::UpdateFirewallRule { .. } => vec![FirewallRules],
        Call::UpdateFirewallConfig { .. } => vec![FirewallConfigs],
        Call::CreateVif { .. } | Call::DeleteVif { .. } => vec![DxVirtualInterfaces],
        Call::ConfirmConnection { .. } => vec![DxConnections],
        Call::ConfirmPrivateVif { .. }
        | Call::ConfirmTransitVif { .. }
        | Call::ConfirmPublicVif { .. } => {
            vec![DxVirtualInterfaces]
        }
        _ => vec![],
    }
}

/// Whether what was read shows the change made: `Some(true)` applied, `Some(false)` not,
/// `None` when the read cannot tell.
pub fn applied(call: &Call, r: &RegionEstate) -> Option<bool> {
    Some(match call {
        Call::CreateTgwRoute {
            route_table_id,
            cidr,
            attachment_id,
        } => r.tgw_routes.items.iter().any(|x| {
            &x.route_table_id == route_table_id
                && &x.destination == cidr
                && x.route_type == "static"
                && match attachment_id {
                    None => x.state == "blackhole",
                    Some(a) => x
                        .targets
                        .iter()
                        .any(|t| t.attachment_id.as_ref() == Some(a)),
                }
        }),
        Call::DeleteTgwRoute {
            route_table_id,
            cidr,
        } => !r
            .tgw_routes
            .items
            .iter()
            .any(|x| &x.route_table_id == route_table_id && &x.destination == cidr),
        Call::AcceptPeering { id } => peering_state(r, id)? == "active",
        Call::RejectPeering { id } => matches!(peering_state(r, id)?, "rejected" | "rejecting"),
        Call::DeletePeering { id } => {
            matches!(
                peering_state(r, id).unwrap_or("deleted"),
                "deleted" | "deleting"
            )
        }
        Call::CreateResolverEndpoint { name, .. } => {
            r.resolver_endpoints.items.iter().any(|e| &e.name == name)
        }
        Call::CreateResolverRule { name, .. } => {
            r.resolver_rules.items.iter().any(|x| &x.name == name)
        }
        Call::AssociateResolverRule {
            rule_id, vpc_id, ..
        } => r
            .resolver_rule_associations
            .items
            .iter()
            .any(|a| &a.resolver_rule_id == rule_id && &a.vpc_id == vpc_id),
        Call::CreateVif {
            connection_id,
            vlan,
            ..
        } => {
            r.dx_vifs.items.iter().any(|v| {
                &v.connection_id == connection_id && v.vlan == *vlan && v.state != "deleted"
            })
        }
        Call::DeleteVif { id } => r
            .dx_vifs
            .items
            .iter()
            .find(|v| &v.id == id)
            .is_none_or(|v| matches!(v.state.as_str(), "deleting" | "deleted")),
        _ => return None,
    })
}

fn peering_state<'a>(r: &'a RegionEstate, id: &str) -> Option<&'a str> {
    r.vpc_peerings
        .items
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.state.as_str())
}

/// Whether the target has reached the state the change leads to (a route `active`, an endpoint
/// `OPERATIONAL`, a peering `active`, a VIF `available`): `Some(true)` settled, `Some(false)`
/// not yet, `None` when the read cannot tell.
pub fn settled(call: &Call, r: &RegionEstate) -> Option<bool> {
    Some(match call {
        Call::CreateResolverEndpoint { name, .. } => r
            .resolver_endpoints
            .items
            .iter()
            .any(|e| &e.name == name && e.state.eq_ignore_ascii_case("OPERATIONAL")),
        Call::CreateResolverRule { name, .. } => r
            .resolver_rules
            .items
            .iter()
            .any(|x| &x.name == name && x.state.eq_ignore_ascii_case("COMPLETE")),
        Call::AssociateResolverRule {
            rule_id, vpc_id, ..
        } => r.resolver_rule_associations.items.iter().any(|a| {
            &a.resolver_rule_id == rule_id
                && &a.vpc_id == vpc_id
                && a.state.eq_ignore_ascii_case("COMPLETE")
        }),
        Call::CreateVif {
            connection_id,
            vlan,
            ..
        } => r.dx_vifs.items.iter().any(|v| {
            &v.connection_id == connection_id && v.vlan == *vlan && v.state == "available"
        }),
        Call::DeleteVif { id } => r
            .dx_vifs
            .items
            .iter()
            .find(|v| &v.id == id)
            .is_none_or(|v| v.state == "deleted"),
        Call::DeletePeering { id } => {
            matches!(peering_state(r, id).unwrap_or("deleted"), "deleted")
        }
        Call::UpdateFirewallConfig { vpc_id, fail_open } => r
            .firewall_configs
            .items
            .iter()
            .any(|c| &c.vpc_id == vpc_id && &c.fail_open == fail_open),
        other => return applied(other, r),
    })
}
