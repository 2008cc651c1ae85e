//! Transit Gateway rules: blackhole routes, unassociated attachments, attachments pending
//! acceptance or failed, route tables without associations, overlapping propagated CIDRs.

use crate::model::{
    AssociationState, Lifecycle, PropagationState, TgwAttachmentState, TgwRouteState,
};
use std::collections::BTreeMap;

use super::dx::label;
use super::{Ctx, Finding, Severity, cidrs_overlap, finding};
use crate::model::ResourceKind;

pub(crate) fn check(c: &Ctx, out: &mut Vec<Finding>) {
    let r = c.region;
    let owner = |tgw: &str| {
        r.transit_gateways
            .items
            .iter()
            .find(|t| t.id == tgw)
            .and_then(|t| t.owner_id.clone())
    };
    for x in r
        .tgw_routes
        .items
        .iter()
        .filter(|x| x.state == TgwRouteState::Blackhole)
    {
        let tgw = r
            .tgw_route_tables
            .items
            .iter()
            .find(|t| t.id == x.route_table_id)
            .map(|t| t.transit_gateway_id.clone())
            .unwrap_or_default();
        out.push(finding("TGW-001", None, format!("Blackhole route {} in route table {}", x.destination, x.route_table_id),
            vec![c.res(ResourceKind::TgwRoutes, &format!("{}|{}", x.route_table_id, x.destination), &x.destination, owner(&tgw).as_ref()),
                 c.res(ResourceKind::TgwRouteTables, &x.route_table_id, &table_name(c, &x.route_table_id), owner(&tgw).as_ref())],
            &[("destinationCidrBlock", x.destination.clone()), ("type", x.route_type.clone()), ("state", x.state.to_string()),
              ("transitGatewayRouteTableId", x.route_table_id.clone())],
            "Traffic to this CIDR is dropped. If the target attachment was deleted, point the route at a live attachment or delete it; keep intentional blackholes documented."));
    }
    let scope = r.scope();
    for a in r.tgw_attachments.items.iter().filter(|a| {
        !c.estate
            .is_mirror(&scope, ResourceKind::TgwAttachments, &a.id)
    }) {
        let res = || {
            vec![c.res(
                ResourceKind::TgwAttachments,
                &a.id,
                &a.name,
                owner(&a.transit_gateway_id).as_ref(),
            )]
        };
        let associated = a.association_route_table_id.is_some()
            || r.tgw_associations
                .items
                .iter()
                .any(|x| x.attachment_id == a.id && x.state != AssociationState::Disassociated);
        if a.state == TgwAttachmentState::Available && !associated {
            out.push(finding("TGW-002", None, format!("TGW attachment {} ({} {}) is not associated with any route table", label(&a.name, &a.id),
                a.resource_type, a.resource_id.as_deref().unwrap_or("-")), res(),
                &[("state", a.state.to_string()), ("resourceType", a.resource_type.clone()), ("resourceId", a.resource_id.clone().unwrap_or_default())],
                "Associate the attachment with a route table (AssociateTransitGatewayRouteTable); without one, traffic from it is not routed."));
        }
        use TgwAttachmentState::{Failed, Failing, PendingAcceptance, Rejected, Rejecting};
        let sev = match a.state {
            PendingAcceptance => Some(Severity::Medium),
            Failed | Failing => Some(Severity::High),
            Rejected | Rejecting => Some(Severity::Low),
            _ => None,
        };
        // A peering read by DescribeTransitGatewayPeeringAttachments is TGW-006's.
        let peering =
            a.resource_type == "peering" && r.tgw_peerings.items.iter().any(|p| p.id == a.id);
        if let Some(sev) = sev.filter(|_| !peering) {
            out.push(finding("TGW-003", Some(sev), format!("TGW attachment {} is {}", label(&a.name, &a.id), a.state), res(),
                &[("state", a.state.to_string()), ("resourceType", a.resource_type.clone()), ("resourceOwnerId", a.resource_owner_id.clone().unwrap_or_default())],
                "Accept the attachment in the transit gateway owner's account, or find out why it failed and recreate it."));
        }
    }
    for t in r
        .tgw_route_tables
        .items
        .iter()
        .filter(|t| t.state == Lifecycle::Available)
    {
        if !r
            .tgw_associations
            .items
            .iter()
            .any(|a| a.route_table_id == t.id)
        {
            out.push(finding("TGW-004", None, format!("Route table {} has no associations", label(&t.name, &t.id)),
                vec![c.res(ResourceKind::TgwRouteTables, &t.id, &t.name, owner(&t.transit_gateway_id).as_ref())],
                &[("transitGatewayRouteTableId", t.id.clone()), ("associations", "0".into())],
                "Associate attachments with it or delete it; an unused route table is easy to misread during an incident."));
        }
        // CIDRs each propagating attachment brings into this table.
        let mut by_att: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for p in r
            .tgw_propagations
            .items
            .iter()
            .filter(|p| p.route_table_id == t.id && p.state == PropagationState::Enabled)
        {
            let cidrs = by_att.entry(p.attachment_id.as_str()).or_default();
            if let Some(vpc) = r
                .tgw_attachments
                .items
                .iter()
                .find(|a| a.id == p.attachment_id && a.resource_type == "vpc")
                .and_then(|a| a.resource_id.as_ref())
                && let Some(v) = r.vpcs.items.iter().find(|v| &v.id == vpc)
            {
                cidrs.extend(v.cidrs.iter().cloned());
            }
        }
        for x in r
            .tgw_routes
            .items
            .iter()
            .filter(|x| x.route_table_id == t.id && x.route_type == "propagated")
        {
            for target in x.targets.iter().filter_map(|g| g.attachment_id.as_deref()) {
                let cidrs = by_att.entry(target).or_default();
                if !cidrs.contains(&x.destination) {
                    cidrs.push(x.destination.clone());
                }
            }
        }
        let atts: Vec<(&str, &Vec<String>)> = by_att.iter().map(|(a, c)| (*a, c)).collect();
        let mut overlaps = Vec::new();
        for (i, (a, ca)) in atts.iter().enumerate() {
            for (b, cb) in &atts[i + 1..] {
                for x in ca.iter() {
                    for y in cb.iter().filter(|y| cidrs_overlap(x, y)) {
                        overlaps.push(format!("{a} {x} ∩ {b} {y}"));
                    }
                }
            }
        }
        if !overlaps.is_empty() {
            out.push(finding("TGW-005", None, format!("Overlapping CIDRs propagate into route table {}", label(&t.name, &t.id)),
                vec![c.res(ResourceKind::TgwRouteTables, &t.id, &t.name, owner(&t.transit_gateway_id).as_ref())],
                &[("overlaps", overlaps.join("; "))],
                "Only one of the overlapping routes wins; re-address, or stop propagating one attachment and use static routes."));
        }
    }
}

fn table_name(c: &Ctx, id: &str) -> String {
    c.region
        .tgw_route_tables
        .items
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.name.clone())
        .unwrap_or_default()
}
