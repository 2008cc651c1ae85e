//! Virtual interfaces pane: VIFs with a BGP summary, and one row per BGP peer showing both
//! the peer lifecycle (`bgpPeerState`) and session health (`bgpStatus`).

use crate::view::columns::Width;

use super::{dash, each, or_dash};
use crate::model::health::Health;
use crate::model::{Estate, ResourceKind};
use crate::view::table::{Row, TableId};

use Width::{Flex as Fill, Whole as Length};

pub fn columns(t: TableId) -> &'static [(&'static str, Width)] {
    match t {
        TableId::Vifs => &[
            ("ID", Length(15)),
            ("NAME", Fill(2)),
            ("STATE", Length(10)),
            ("TYPE", Length(8)),
            ("VLAN", Length(5)),
            ("ASN", Length(7)),
            ("MTU", Length(5)),
            ("BGP", Length(7)),
            ("PREFIXES", Length(8)),
            ("CONNECTION", Length(15)),
            ("GATEWAY", Length(7)),
            ("GATEWAY NAME", Fill(1)),
        ],
        _ => &[
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
        ],
    }
}

/// Accepted prefixes against the quota (`85/100`): from the route counts, else CloudWatch.
fn prefixes(r: &crate::model::RegionEstate, v: &crate::model::VirtualInterface) -> String {
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

pub fn rows(t: TableId, e: &Estate, since: &crate::derived::Since) -> Vec<Row> {
    match t {
        TableId::Vifs => {
            let names = crate::model::NameIndex::new(e);
            each!(e, dx_vifs)
                .map(|(r, v)| {
                    let gw = v
                        .direct_connect_gateway_id
                        .clone()
                        .or(v.virtual_gateway_id.clone());
                    let mut row = Row::of(
                        r,
                        ResourceKind::DxVirtualInterfaces,
                        v,
                        vec![
                            v.id.clone(),
                            dash(&v.name),
                            v.state.to_string(),
                            v.vif_type.clone(),
                            v.vlan.to_string(),
                            v.asn.to_string(),
                            v.mtu.map(|m| m.to_string()).unwrap_or_else(|| "-".into()),
                            v.bgp_summary().to_string(),
                            prefixes(r, v),
                            v.connection_id.clone(),
                            or_dash(&gw),
                            names.name_or_dash(gw.as_deref()),
                        ],
                    );
                    if v.bgp_summary() == "down" {
                        row.health = Health::Bad;
                        row.state_col = Some(8);
                    }
                    row
                })
                .collect()
        }
        _ => each!(e, dx_vifs)
            .flat_map(|(r, v)| {
                v.bgp_peers.iter().map(move |p| {
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
                        since.cell(
                            &v.id,
                            &format!("bgp_peers[{}].bgp_status", p.id),
                            p.bgp_status.as_str(),
                            // The VIF's metric speaks for its peer only when it has one.
                            (v.bgp_peers.len() == 1)
                                .then(|| super::series(r, &v.id, "VirtualInterfaceBgpStatus"))
                                .flatten(),
                        ),
                        p.auth_key
                            .map(|k| k.to_string())
                            .unwrap_or_else(|| "-".into()),
                    ];
                    let mut row = Row::new(
                        &r.region,
                        ResourceKind::DxVirtualInterfaces,
                        v.id.clone(),
                        cells,
                        Some(9),
                        p.bgp_status.health(),
                        r.is_changed(ResourceKind::DxVirtualInterfaces, &v.id),
                    );
                    row.account = r.account.clone();
                    row
                })
            })
            .collect(),
    }
}
