//! Virtual interfaces pane: VIFs with a BGP summary, and one row per BGP peer showing both
//! the peer lifecycle (`bgpPeerState`) and session health (`bgpStatus`).

use super::{AnyTable, Cx, Table, col, dash, id_col, name_col, or_dash, state_col};
use crate::derived::Since;
use crate::model::health::Health;
use crate::model::{Estate, RegionEstate, ResourceKind, VirtualInterface};
use crate::view::columns::Width::{self, Flex as Fill, Whole as Length};
use crate::view::table::{Row, TableId};

pub fn table(t: TableId) -> &'static dyn AnyTable {
    match t {
        TableId::Vifs => &VIFS,
        _ => &PEERS,
    }
}

/// Accepted prefixes against the quota (`85/100`): from the route counts, else CloudWatch.
fn prefixes(r: &RegionEstate, v: &VirtualInterface) -> String {
    let quota = crate::model::prefix_quota(&v.vif_type);
    if let Some(c) = r.dx_vif_routes.items.iter().find(|c| c.id == v.id) {
        return format!("{}/{quota}", c.accepted);
    }
    // The route counts failed and nothing is held from before: unknown, not "no data".
    if r.dx_vif_routes.error.is_some() && r.dx_vif_routes.refreshed_at.is_none() {
        return "?".into();
    }
    super::metric_cell(r, &v.id, "VirtualInterfaceBgpPrefixesAccepted", |n| {
        format!("{n:.0}/{quota}")
    })
}

/// The DXGW or virtual private gateway a VIF is attached to.
fn gateway(v: &VirtualInterface) -> Option<String> {
    (v.direct_connect_gateway_id.clone()).or(v.virtual_gateway_id.clone())
}

/// A VIF with no BGP session up is down, whatever its own state says (BGP column).
fn bgp_down(_: &Cx, v: &VirtualInterface, row: &mut Row) {
    if v.bgp_summary() == "down" {
        row.health = Health::Bad;
        row.state_col = Some(8);
    }
}

static VIFS: Table<VirtualInterface> = Table::<VirtualInterface>::new(
    ResourceKind::DxVirtualInterfaces,
    |r| &r.dx_vifs.items,
    &[
        id_col(Length(15)),
        name_col(Fill(2)),
        state_col(Length(10)),
        col("TYPE", Length(8), |_, v| v.vif_type.clone()),
        col("VLAN", Length(5), |_, v| v.vlan.to_string()),
        col("ASN", Length(7), |_, v| v.asn.to_string()),
        col("MTU", Length(5), |_, v| {
            v.mtu.map(|m| m.to_string()).unwrap_or_else(|| "-".into())
        }),
        col("BGP", Length(7), |_, v| v.bgp_summary().to_string()),
        col("PREFIXES", Length(8), |x, v| prefixes(x.r, v)),
        col("SITELINK", Length(8), |_, v| match v.site_link_enabled {
            Some(true) => "on".into(),
            Some(false) => "off".into(),
            None => "-".into(),
        }),
        col("CONNECTION", Length(15), |_, v| v.connection_id.clone()),
        col("GATEWAY", Length(7), |_, v| or_dash(&gateway(v))),
        col("GATEWAY NAME", Fill(1), |x, v| {
            x.names().name_or_dash(gateway(v).as_deref())
        }),
    ],
)
.mark(bgp_down);

/// The BGP peers table: a row per peer of every VIF, keyed by its VIF.
struct Peers;
static PEERS: Peers = Peers;

const PEER_COLUMNS: &[(&str, Width)] = &[
    ("VIF", Length(15)),
    ("VIF NAME", Fill(1)),
    ("PEER", Length(16)),
    ("FAMILY", Length(6)),
    ("ASN", Length(7)),
    ("AMAZON ADDR", Length(11)),
    ("CUSTOMER ADDR", Length(13)),
    ("PEER STATE", Length(10)),
    ("BGP STATUS", Length(10)),
    ("SINCE", Length(13)),
    ("AUTH KEY", Length(8)),
];

impl AnyTable for Peers {
    fn heads(&self) -> &[(&'static str, Width)] {
        PEER_COLUMNS
    }

    fn rows(&self, e: &Estate, since: &Since) -> Vec<Row> {
        let vifs = e
            .scopes
            .values()
            .flat_map(|r| r.dx_vifs.items.iter().map(move |v| (r, v)));
        vifs.flat_map(|(r, v)| {
            v.bgp_peers.iter().map(move |p| {
                // The VIF's metric speaks for its peer only when it has one.
                let series = (v.bgp_peers.len() == 1)
                    .then(|| super::series(r, &v.id, "VirtualInterfaceBgpStatus"))
                    .flatten();
                let field = crate::history::Field::bgp_status(&p.id);
                let cells = vec![
                    r.region.clone(),
                    v.id.clone(),
                    dash(&v.name),
                    dash(&p.id),
                    p.address_family.clone(),
                    p.asn.to_string(),
                    or_dash(&p.amazon_address),
                    or_dash(&p.customer_address),
                    p.bgp_peer_state.to_string(),
                    p.bgp_status.to_string(),
                    since.cell(&v.id, &field, p.bgp_status.as_str(), series),
                    (p.auth_key.map(|k| k.to_string())).unwrap_or_else(|| "-".into()),
                ];
                let kind = ResourceKind::DxVirtualInterfaces;
                let changed = r.is_changed(kind, &v.id);
                let health = p.bgp_status.health();
                let mut row = Row::new(
                    &r.region,
                    kind,
                    v.id.clone(),
                    cells,
                    Some(9),
                    health,
                    changed,
                );
                row.account = r.account.clone();
                row
            })
        })
        .collect()
    }
}
