//! Transit Gateway pane: gateways, attachments, route tables, routes (active and blackhole),
//! associations and propagations.

use crate::model::TgwRouteState;
use crate::view::columns::Width;

use super::{dash, each, or_dash};
use crate::model::{Estate, ResourceKind, RouteTarget};
use crate::view::table::{Row, TableId};

use Width::{Flex as Fill, Whole as Length};

pub fn columns(t: TableId) -> &'static [(&'static str, Width)] {
    match t {
        TableId::TransitGateways => &[
            ("ID", Length(21)),
            ("NAME", Fill(1)),
            ("STATE", Length(10)),
            ("ASN", Length(7)),
            ("OWNER", Length(13)),
            ("DESCRIPTION", Fill(1)),
        ],
        TableId::TgwAttachments => &[
            ("ID", Length(28)),
            ("NAME", Fill(1)),
            ("STATE", Length(17)),
            ("TYPE", Length(22)),
            ("RESOURCE", Length(21)),
            ("ROUTE TABLE", Length(26)),
        ],
        TableId::TgwRouteTables => &[
            ("ID", Length(26)),
            ("NAME", Fill(1)),
            ("STATE", Length(10)),
            ("TGW", Length(21)),
            ("ASSOC", Length(5)),
            ("ROUTES", Length(6)),
            ("BLACKHOLES", Length(10)),
        ],
        TableId::TgwRoutes => &[
            ("ROUTE TABLE", Length(26)),
            ("DESTINATION", Length(18)),
            ("TYPE", Length(10)),
            ("STATE", Length(9)),
            ("TARGET", Fill(1)),
        ],
        _ => &[
            ("ROUTE TABLE", Length(26)),
            ("ATTACHMENT", Length(28)),
            ("TYPE", Length(22)),
            ("RESOURCE", Length(21)),
            ("STATE", Length(13)),
        ],
    }
}

/// Each target as `attachment-id name (type resource)`.
fn targets(ts: &[RouteTarget], names: &crate::model::NameIndex) -> String {
    if ts.is_empty() {
        return "-".into();
    }
    ts.iter()
        .map(|t| {
            let name = t
                .attachment_id
                .as_deref()
                .and_then(|a| names.name(a))
                .map(|n| format!(" {n}"))
                .unwrap_or_default();
            format!(
                "{}{name} ({} {})",
                t.attachment_id.as_deref().unwrap_or("?"),
                t.resource_type.as_deref().unwrap_or("?"),
                t.resource_id.as_deref().unwrap_or("?")
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn rows(t: TableId, e: &Estate) -> Vec<Row> {
    match t {
        TableId::TransitGateways => each!(e, transit_gateways)
            .map(|(r, g)| {
                Row::of(
                    r,
                    ResourceKind::TransitGateways,
                    g,
                    vec![
                        g.id.clone(),
                        dash(&g.name),
                        g.state.to_string(),
                        g.amazon_side_asn.map(|a| a.to_string()).unwrap_or_default(),
                        or_dash(&g.owner_id),
                        or_dash(&g.description),
                    ],
                )
            })
            .collect(),
        TableId::TgwAttachments => each!(e, tgw_attachments)
            .filter(|(r, a)| !e.is_mirror(&r.scope(), ResourceKind::TgwAttachments, &a.id))
            .map(|(r, a)| {
                Row::of(
                    r,
                    ResourceKind::TgwAttachments,
                    a,
                    vec![
                        a.id.clone(),
                        dash(&a.name),
                        a.state.to_string(),
                        a.resource_type.clone(),
                        or_dash(&a.resource_id),
                        or_dash(&a.association_route_table_id),
                    ],
                )
            })
            .collect(),
        TableId::TgwRouteTables => each!(e, tgw_route_tables)
            .map(|(r, t)| {
                let assoc = r
                    .tgw_associations
                    .items
                    .iter()
                    .filter(|a| a.route_table_id == t.id)
                    .count();
                let routes: Vec<_> = r
                    .tgw_routes
                    .items
                    .iter()
                    .filter(|x| x.route_table_id == t.id)
                    .collect();
                let bh = routes
                    .iter()
                    .filter(|x| x.state == TgwRouteState::Blackhole)
                    .count();
                Row::of(
                    r,
                    ResourceKind::TgwRouteTables,
                    t,
                    vec![
                        t.id.clone(),
                        dash(&t.name),
                        t.state.to_string(),
                        t.transit_gateway_id.clone(),
                        assoc.to_string(),
                        routes.len().to_string(),
                        bh.to_string(),
                    ],
                )
            })
            .collect(),
        TableId::TgwRoutes => {
            let names = crate::model::NameIndex::new(e);
            each!(e, tgw_routes)
                .map(|(r, x)| {
                    Row::of(
                        r,
                        ResourceKind::TgwRoutes,
                        x,
                        vec![
                            x.route_table_id.clone(),
                            x.destination.clone(),
                            x.route_type.clone(),
                            x.state.to_string(),
                            targets(&x.targets, &names),
                        ],
                    )
                })
                .collect()
        }
        TableId::TgwAssociations => each!(e, tgw_associations)
            .map(|(r, a)| {
                Row::of(
                    r,
                    ResourceKind::TgwAssociations,
                    a,
                    vec![
                        a.route_table_id.clone(),
                        a.attachment_id.clone(),
                        or_dash(&a.resource_type),
                        or_dash(&a.resource_id),
                        a.state.to_string(),
                    ],
                )
            })
            .collect(),
        _ => each!(e, tgw_propagations)
            .map(|(r, p)| {
                Row::of(
                    r,
                    ResourceKind::TgwPropagations,
                    p,
                    vec![
                        p.route_table_id.clone(),
                        p.attachment_id.clone(),
                        or_dash(&p.resource_type),
                        or_dash(&p.resource_id),
                        p.state.to_string(),
                    ],
                )
            })
            .collect(),
    }
}
