//! Transit Gateway pane: gateways, attachments, route tables, routes (active and blackhole),
//! associations, propagations, peering attachments and Connect peers.

use super::{AnyTable, Cx, Table, col, id_col, name_col, or_dash, state_col};
use crate::model::{
    ResourceKind, RouteTarget, TgwAssociation, TgwAttachment, TgwConnectPeer, TgwPeering,
    TgwPeeringSide, TgwPropagation, TgwRoute, TgwRouteState, TgwRouteTable, TransitGateway,
};
use crate::view::columns::Width::{Flex as Fill, Whole as Length};
use crate::view::table::TableId;

pub fn table(t: TableId) -> &'static dyn AnyTable {
    match t {
        TableId::TransitGateways => &GATEWAYS,
        TableId::TgwAttachments => &ATTACHMENTS,
        TableId::TgwRouteTables => &ROUTE_TABLES,
        TableId::TgwRoutes => &ROUTES,
        TableId::TgwAssociations => &ASSOCIATIONS,
        TableId::TgwPeerings => &PEERINGS,
        TableId::TgwConnectPeers => &CONNECT_PEERS,
        _ => &PROPAGATIONS,
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

static GATEWAYS: Table<TransitGateway> = Table::<TransitGateway>::new(
    ResourceKind::TransitGateways,
    |r| &r.transit_gateways.items,
    &[
        id_col(Length(21)),
        name_col(Fill(1)),
        state_col(Length(10)),
        col("ASN", Length(7), |_, g| {
            g.amazon_side_asn.map(|a| a.to_string()).unwrap_or_default()
        }),
        col("OWNER", Length(13), |_, g| or_dash(&g.owner_id)),
        col("DESCRIPTION", Fill(1), |_, g| or_dash(&g.description)),
    ],
);

// An attachment between two accounts read here is listed once (`Estate::is_mirror`).
static ATTACHMENTS: Table<TgwAttachment> = Table::<TgwAttachment>::new(
    ResourceKind::TgwAttachments,
    |r| &r.tgw_attachments.items,
    &[
        id_col(Length(28)),
        name_col(Fill(1)),
        state_col(Length(17)),
        col("TYPE", Length(22), |_, a| a.resource_type.clone()),
        col("RESOURCE", Length(21), |_, a| or_dash(&a.resource_id)),
        col("ROUTE TABLE", Length(26), |_, a| {
            or_dash(&a.association_route_table_id)
        }),
    ],
)
.keep(|x, a| {
    !x.e.is_mirror(&x.r.scope(), ResourceKind::TgwAttachments, &a.id)
});

/// The routes of a TGW route table.
fn routes_of<'a>(x: &Cx<'a>, t: &TgwRouteTable) -> Vec<&'a TgwRoute> {
    let routes = x.r.tgw_routes.items.iter();
    routes.filter(|r| r.route_table_id == t.id).collect()
}

static ROUTE_TABLES: Table<TgwRouteTable> = Table::<TgwRouteTable>::new(
    ResourceKind::TgwRouteTables,
    |r| &r.tgw_route_tables.items,
    &[
        id_col(Length(26)),
        name_col(Fill(1)),
        state_col(Length(10)),
        col("TGW", Length(21), |_, t| t.transit_gateway_id.clone()),
        col("ASSOC", Length(5), |x, t| {
            let a = x.r.tgw_associations.items.iter();
            a.filter(|a| a.route_table_id == t.id).count().to_string()
        }),
        col("ROUTES", Length(6), |x, t| {
            routes_of(x, t).len().to_string()
        }),
        col("BLACKHOLES", Length(10), |x, t| {
            let routes = routes_of(x, t).into_iter();
            routes
                .filter(|r| r.state == TgwRouteState::Blackhole)
                .count()
                .to_string()
        }),
    ],
);

static ROUTES: Table<TgwRoute> = Table::<TgwRoute>::new(
    ResourceKind::TgwRoutes,
    |r| &r.tgw_routes.items,
    &[
        col("ROUTE TABLE", Length(26), |_, r| r.route_table_id.clone()),
        col("DESTINATION", Length(18), |_, r| r.destination.clone()),
        col("TYPE", Length(10), |_, r| r.route_type.clone()),
        state_col(Length(9)),
        col("TARGET", Fill(1), |x, r| targets(&r.targets, x.names())),
    ],
);

static ASSOCIATIONS: Table<TgwAssociation> = Table::<TgwAssociation>::new(
    ResourceKind::TgwAssociations,
    |r| &r.tgw_associations.items,
    &[
        col("ROUTE TABLE", Length(26), |_, a| a.route_table_id.clone()),
        col("ATTACHMENT", Length(28), |_, a| a.attachment_id.clone()),
        col("TYPE", Length(22), |_, a| or_dash(&a.resource_type)),
        col("RESOURCE", Length(21), |_, a| or_dash(&a.resource_id)),
        state_col(Length(13)),
    ],
);

static PROPAGATIONS: Table<TgwPropagation> = Table::<TgwPropagation>::new(
    ResourceKind::TgwPropagations,
    |r| &r.tgw_propagations.items,
    &[
        col("ROUTE TABLE", Length(26), |_, p| p.route_table_id.clone()),
        col("ATTACHMENT", Length(28), |_, p| p.attachment_id.clone()),
        col("TYPE", Length(22), |_, p| or_dash(&p.resource_type)),
        col("RESOURCE", Length(21), |_, p| or_dash(&p.resource_id)),
        state_col(Length(13)),
    ],
);

/// `tgw-… region` (and the account when it is another one).
fn peer_side(x: &Cx, s: &TgwPeeringSide) -> String {
    let mut out = format!(
        "{} {}",
        s.transit_gateway_id,
        s.region.as_deref().unwrap_or("?")
    );
    if let Some(o) = s.owner_id.as_deref().filter(|o| *o != x.r.account) {
        out.push_str(&format!(" acct {}", x.e.account_name(o)));
    }
    out
}

// A peering read in both regions is listed once (`Estate::is_mirror`).
static PEERINGS: Table<TgwPeering> = Table::<TgwPeering>::new(
    ResourceKind::TgwPeerings,
    |r| &r.tgw_peerings.items,
    &[
        id_col(Length(28)),
        name_col(Fill(1)),
        state_col(Length(17)),
        col("REQUESTER", Length(34), |x, p| peer_side(x, &p.requester)),
        col("ACCEPTER", Length(34), |x, p| peer_side(x, &p.accepter)),
        col("MESSAGE", Fill(1), |_, p| or_dash(&p.status_message)),
    ],
)
.keep(|x, p| {
    !x.e.is_mirror(&x.r.scope(), ResourceKind::TgwPeerings, &p.id)
});

/// A Connect peer with every BGP session down is down, whatever its own state says (as a VIF).
fn connect_bgp_down(_: &Cx, p: &TgwConnectPeer, row: &mut crate::view::table::Row) {
    if p.bgp_status() == crate::model::BgpStatus::Down {
        row.health = crate::model::health::Health::Bad;
        row.state_col = Some(4);
    }
}

static CONNECT_PEERS: Table<TgwConnectPeer> = Table::<TgwConnectPeer>::new(
    ResourceKind::TgwConnectPeers,
    |r| &r.tgw_connect_peers.items,
    &[
        id_col(Length(33)),
        name_col(Fill(1)),
        state_col(Length(10)),
        col("BGP", Length(7), |_, p| p.bgp_status().to_string()),
        col("CONNECT", Length(28), |_, p| {
            p.connect_attachment_id.clone()
        }),
        col("GRE", Length(31), |_, p| {
            format!(
                "{} ↔ {}",
                p.transit_gateway_address.as_deref().unwrap_or("?"),
                p.peer_address.as_deref().unwrap_or("?")
            )
        }),
        col("INSIDE", Fill(1), |_, p| p.inside_cidrs.join(", ")),
    ],
)
.mark(connect_bgp_down);
