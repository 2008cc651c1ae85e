//! A change made to a copy of the estate: what [`super::compare`] traces after it.

use super::Change;
use crate::graph::Index;
use crate::model::{Estate, RouteTarget, TgwRoute};

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
                    if !r
                        .tgw_route_tables
                        .items
                        .iter()
                        .any(|t| &t.id == route_table_id)
                    {
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
                Change::DeleteDxgwAssociation {
                    dx_gateway_id,
                    gateway_id,
                } => {
                    let this = |a: &crate::model::DxGatewayAssociation| {
                        &a.direct_connect_gateway_id == dx_gateway_id
                            && a.associated_gateway_id.as_deref() == Some(gateway_id.as_str())
                    };
                    for a in r
                        .dx_gateway_associations
                        .items
                        .iter_mut()
                        .filter(|a| this(a))
                    {
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
