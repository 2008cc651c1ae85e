//! A change made to a copy of the estate: what [`super::compare`] traces after it.

use super::Change;
use crate::graph::Index;
use crate::model::{DxGatewayAssociation, Estate, RouteTarget, TgwRoute};

/// The estate with the changes made.
pub fn apply(e: &Estate, changes: &[Change]) -> Estate {
    // A DX failure is the VIFs whose way out it breaks, worked out on the estate as read.
    let (mut deleted, mut failed) = (Vec::new(), Vec::new());
    for c in changes {
        match c {
            Change::FailVif(id) => deleted.push(id.as_str()),
            Change::FailDx(id) => failed.push(id.as_str()),
            _ => {}
        }
    }
    let broken: Vec<String> = if failed.is_empty() {
        Vec::new()
    } else {
        let ix = Index::new(e);
        ix.vifs
            .values()
            .map(|v| ix.dx_path(v))
            .filter(|p| {
                failed
                    .iter()
                    .any(|id| crate::graph::impact::breaks(&ix, p, id))
            })
            .map(|p| p.vif)
            .collect()
    };
    // A VIF deleted is gone; one whose connection, device or location failed is down (and
    // says so in the findings).
    let state_of = |id: &str| {
        if deleted.contains(&id) {
            Some("deleted")
        } else {
            broken.iter().any(|b| b == id).then_some("down")
        }
    };
    // The CIDRs a VPC attachment would propagate (its VPC's), by attachment.
    let mut propagated: std::collections::HashMap<&str, Vec<String>> = Default::default();
    for c in changes {
        if let Change::AddPropagation { attachment_id, .. } = c {
            let rs = e.scopes.values();
            let vpc = rs
                .clone()
                .flat_map(|r| &r.tgw_attachments.items)
                .find(|a| &a.id == attachment_id && a.resource_type == "vpc")
                .and_then(|a| a.resource_id.as_deref());
            let cidrs = rs
                .flat_map(|r| &r.vpcs.items)
                .filter(|v| Some(v.id.as_str()) == vpc)
                .flat_map(|v| v.cidrs.clone())
                .collect();
            propagated.insert(attachment_id, cidrs);
        }
    }
    let mut after = e.clone();
    for r in after.scopes.values_mut() {
        if r.dx_vifs.items.iter().all(|v| state_of(&v.id).is_none()) {
            continue;
        }
        for v in std::sync::Arc::make_mut(r).dx_vifs.items.iter_mut() {
            if let Some(state) = state_of(&v.id) {
                v.state = state.into();
                for p in &mut v.bgp_peers {
                    p.bgp_status = "down".into();
                }
            }
        }
    }
    for c in changes {
        for r in after.scopes.values_mut() {
            let r = std::sync::Arc::make_mut(r);
            match c {
                Change::FailVif(_) => {}
                // The failed connections and LAGs themselves go down too (named, or on the
                // failed device or at the failed location); a LAG whose member fails keeps
                // its own state, as `impact` judges it by its minimum links.
                Change::FailDx(id) => {
                    let hit = |cid: &str, device: &Option<String>, location: &str| {
                        cid == id || device.as_deref() == Some(id.as_str()) || location == id
                    };
                    for x in r.dx_connections.items.iter_mut() {
                        if hit(&x.id, &x.aws_device, &x.location) {
                            x.state = "down".into();
                        }
                    }
                    for x in r.dx_lags.items.iter_mut() {
                        if hit(&x.id, &x.aws_device, &x.location) {
                            x.state = "down".into();
                        }
                    }
                }
                Change::DeleteTgwRoute {
                    route_table_id,
                    cidr,
                } => r
                    .tgw_routes
                    .items
                    .retain(|x| !(&x.route_table_id == route_table_id && &x.destination == cidr)),
                Change::AddTgwRoute {
                    route_table_id,
                    cidr,
                    attachment_id,
                } => {
                    if !has_table(r, route_table_id) {
                        continue;
                    }
                    r.tgw_routes.items.retain(|x| {
                        !(&x.route_table_id == route_table_id && &x.destination == cidr)
                    });
                    r.tgw_routes.items.insert(
                        0,
                        TgwRoute {
                            route_table_id: route_table_id.clone(),
                            destination: cidr.clone(),
                            route_type: "static".into(),
                            state: if attachment_id.is_some() {
                                "active"
                            } else {
                                "blackhole"
                            }
                            .into(),
                            targets: attachment_id
                                .iter()
                                .map(|a| RouteTarget {
                                    attachment_id: Some(a.clone()),
                                    ..Default::default()
                                })
                                .collect(),
                        },
                    );
                }
                Change::DeleteVpcRoute {
                    route_table_id,
                    cidr,
                } => {
                    for t in r.vpc_route_tables.items.iter_mut() {
                        if &t.id == route_table_id {
                            t.routes.retain(|x| &x.destination != cidr);
                        }
                    }
                }
                Change::DeleteAttachment(id) | Change::FailAttachment(id) => {
                    let state = if matches!(c, Change::DeleteAttachment(_)) {
                        "deleted"
                    } else {
                        "failed"
                    };
                    for a in r.tgw_attachments.items.iter_mut().filter(|a| &a.id == id) {
                        a.state = state.into();
                    }
                }
                Change::DeletePeering(id) => {
                    for p in r.vpc_peerings.items.iter_mut().filter(|p| &p.id == id) {
                        p.state = "deleted".into();
                    }
                }
                Change::FailVpn(id) => {
                    for v in r.vpn_connections.items.iter_mut().filter(|v| &v.id == id) {
                        for t in &mut v.tunnels {
                            t.status = "DOWN".into();
                        }
                    }
                }
                Change::DeleteAssociation {
                    route_table_id,
                    attachment_id,
                } => {
                    let this = |a: &crate::model::TgwAssociation| {
                        &a.route_table_id == route_table_id && &a.attachment_id == attachment_id
                    };
                    for a in r.tgw_associations.items.iter_mut().filter(|a| this(a)) {
                        a.state = "disassociated".into();
                    }
                    // The attachment's own `Association` says so too.
                    for a in r.tgw_attachments.items.iter_mut().filter(|a| {
                        &a.id == attachment_id
                            && a.association_route_table_id.as_ref() == Some(route_table_id)
                    }) {
                        a.association_state = Some("disassociated".into());
                    }
                }
                Change::DeletePropagation {
                    route_table_id,
                    attachment_id,
                } => {
                    r.tgw_propagations.items.retain(|p| {
                        !(&p.route_table_id == route_table_id && &p.attachment_id == attachment_id)
                    });
                    // The routes it propagated into that table go with it.
                    r.tgw_routes.items.retain(|x| {
                        !(&x.route_table_id == route_table_id
                            && x.route_type == "propagated"
                            && x.targets.iter().any(|t| {
                                t.attachment_id.as_deref() == Some(attachment_id.as_str())
                            }))
                    });
                }
                Change::AddAssociation {
                    route_table_id,
                    attachment_id,
                } => {
                    if !has_table(r, route_table_id) {
                        continue;
                    }
                    // An attachment is associated with one table: the new one replaces any.
                    let all = std::mem::take(&mut r.tgw_associations.items);
                    r.tgw_associations.items = all
                        .into_iter()
                        .filter(|a| &a.attachment_id != attachment_id)
                        .collect();
                    r.tgw_associations.items.push(crate::model::TgwAssociation {
                        route_table_id: route_table_id.clone(),
                        attachment_id: attachment_id.clone(),
                        state: "associated".into(),
                        ..Default::default()
                    });
                    for a in r
                        .tgw_attachments
                        .items
                        .iter_mut()
                        .filter(|a| &a.id == attachment_id)
                    {
                        a.association_route_table_id = Some(route_table_id.clone());
                        a.association_state = Some("associated".into());
                    }
                }
                Change::AddPropagation {
                    route_table_id,
                    attachment_id,
                } => {
                    if !has_table(r, route_table_id) {
                        continue;
                    }
                    for cidr in &propagated[attachment_id.as_str()] {
                        let taken =
                            r.tgw_routes.items.iter().any(|x| {
                                &x.route_table_id == route_table_id && &x.destination == cidr
                            });
                        if !taken {
                            r.tgw_routes.items.push(TgwRoute {
                                route_table_id: route_table_id.clone(),
                                destination: cidr.clone(),
                                route_type: "propagated".into(),
                                state: "active".into(),
                                targets: vec![RouteTarget {
                                    attachment_id: Some(attachment_id.clone()),
                                    ..Default::default()
                                }],
                            });
                        }
                    }
                }
                Change::AddVpcRoute {
                    route_table_id,
                    cidr,
                    target_kind,
                    target_id,
                } => {
                    for t in r
                        .vpc_route_tables
                        .items
                        .iter_mut()
                        .filter(|t| &t.id == route_table_id)
                    {
                        t.routes.retain(|x| &x.destination != cidr);
                        t.routes.push(crate::model::VpcRoute {
                            destination: cidr.clone(),
                            target_kind: target_kind.clone(),
                            target_id: target_id.clone(),
                            state: "active".into(),
                            origin: "CreateRoute".into(),
                        });
                    }
                }
                Change::SetAllowedPrefixes {
                    dx_gateway_id,
                    gateway_id,
                    prefixes,
                } => {
                    for a in pair_of(r, dx_gateway_id, gateway_id) {
                        a.allowed_prefixes = prefixes.clone();
                    }
                }
                Change::DeleteResolverRule(id) => {
                    r.resolver_rules.items.retain(|x| &x.id != id);
                    r.resolver_rule_associations
                        .items
                        .retain(|x| &x.resolver_rule_id != id);
                }
                Change::DeleteRuleAssociation { rule_id, vpc_id } => r
                    .resolver_rule_associations
                    .items
                    .retain(|x| !(&x.resolver_rule_id == rule_id && &x.vpc_id == vpc_id)),
                Change::DeleteDxgwAssociation {
                    dx_gateway_id,
                    gateway_id,
                } => {
                    for a in pair_of(r, dx_gateway_id, gateway_id) {
                        a.state = "disassociated".into();
                    }
                    // AWS deletes the transit gateway's attachment of the DX gateway with it.
                    let of_it = |a: &crate::model::TgwAttachment| {
                        a.resource_type == "direct-connect-gateway"
                            && a.resource_id.as_deref() == Some(dx_gateway_id.as_str())
                            && &a.transit_gateway_id == gateway_id
                    };
                    for a in r.tgw_attachments.items.iter_mut().filter(|a| of_it(a)) {
                        a.state = "deleted".into();
                    }
                }
            }
        }
    }
    after
}

/// The association of DX gateway `dxgw` with (transit or virtual private) gateway `gw`, as
/// this scope read it.
fn pair_of<'a>(
    r: &'a mut crate::model::RegionEstate,
    dxgw: &'a str,
    gw: &'a str,
) -> impl Iterator<Item = &'a mut DxGatewayAssociation> {
    let items = r.dx_gateway_associations.items.iter_mut();
    items.filter(move |a| {
        a.direct_connect_gateway_id == dxgw && a.associated_gateway_id.as_deref() == Some(gw)
    })
}

/// Whether TGW route table `id` was read in this scope (a change to it is made there).
fn has_table(r: &crate::model::RegionEstate, id: &str) -> bool {
    r.tgw_route_tables.items.iter().any(|t| t.id == id)
}
