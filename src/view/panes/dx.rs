//! Direct Connect pane: connections, LAGs, VPN backup tunnels, locations.

use crate::view::columns::Width;

use super::{dash, each, or_dash};
use crate::model::health::Health;
use crate::model::{Estate, ResourceKind};
use crate::view::table::{Row, TableId};

use Width::{Flex as Fill, Whole as Length};

pub fn columns(t: TableId) -> &'static [(&'static str, Width)] {
    match t {
        TableId::DxConnections => &[
            ("ID", Length(15)),
            ("NAME", Fill(2)),
            ("STATE", Length(10)),
            ("LOCATION", Length(9)),
            ("BANDWIDTH", Length(9)),
            ("UTIL", Length(7)),
            ("RX DBM", Length(7)),
            ("SINCE", Length(13)),
            ("LAG", Length(14)),
            ("DEVICE", Fill(1)),
            ("PARTNER", Length(10)),
        ],
        TableId::DxLags => &[
            ("ID", Length(15)),
            ("NAME", Fill(2)),
            ("STATE", Length(10)),
            ("LOCATION", Length(9)),
            ("LINKS", Length(7)),
            ("MEMBERS", Fill(2)),
            ("DEVICE", Fill(1)),
        ],
        TableId::VpnConnections => &[
            ("ID", Length(22)),
            ("NAME", Fill(1)),
            ("STATE", Length(10)),
            ("GATEWAY", Length(22)),
            ("TUNNELS UP", Length(10)),
            ("TUNNELS", Fill(2)),
        ],
        _ => &[
            ("CODE", Length(10)),
            ("NAME", Fill(2)),
            ("PORT SPEEDS", Fill(1)),
            ("PROVIDERS", Fill(1)),
        ],
    }
}

/// The latest of ConnectionBpsEgress/Ingress as a percentage of the port speed.
fn utilisation(r: &crate::model::RegionEstate, c: &crate::model::Connection) -> String {
    let Some(speed) = crate::model::port_bps(&c.bandwidth) else {
        return "-".into();
    };
    let egress = super::metric_cell(r, &c.id, "ConnectionBpsEgress", |v| v.to_string());
    let ingress = super::metric_cell(r, &c.id, "ConnectionBpsIngress", |v| v.to_string());
    match (egress.parse::<f64>(), ingress.parse::<f64>()) {
        (Ok(a), Ok(b)) => format!("{:.0}%", a.max(b) / speed * 100.0),
        (Ok(a), Err(_)) | (Err(_), Ok(a)) => format!("{:.0}%", a / speed * 100.0),
        _ => egress,
    }
}

pub fn rows(t: TableId, e: &Estate, since: &crate::derived::Since) -> Vec<Row> {
    match t {
        TableId::DxConnections => each!(e, dx_connections)
            .map(|(r, c)| {
                Row::of(
                    r,
                    ResourceKind::DxConnections,
                    c,
                    vec![
                        c.id.clone(),
                        dash(&c.name),
                        c.state.to_string(),
                        c.location.clone(),
                        c.bandwidth.clone(),
                        utilisation(r, c),
                        super::metric_cell(r, &c.id, "ConnectionLightLevelRx", |v| {
                            format!("{v:.1}")
                        }),
                        since.cell(
                            &c.id,
                            "state",
                            c.state.as_str(),
                            super::series(r, &c.id, "ConnectionState"),
                        ),
                        or_dash(&c.lag_id),
                        or_dash(&c.aws_device),
                        or_dash(&c.partner_name),
                    ],
                )
            })
            .collect(),
        TableId::DxLags => each!(e, dx_lags)
            .map(|(r, l)| {
                Row::of(
                    r,
                    ResourceKind::DxLags,
                    l,
                    vec![
                        l.id.clone(),
                        dash(&l.name),
                        l.state.to_string(),
                        l.location.clone(),
                        format!("{}/{}", l.minimum_links, l.number_of_connections),
                        l.connection_ids.join(","),
                        or_dash(&l.aws_device),
                    ],
                )
            })
            .collect(),
        TableId::VpnConnections => each!(e, vpn_connections)
            .map(|(r, v)| {
                let tunnels = v
                    .tunnels
                    .iter()
                    .map(|t| format!("{} {}", t.outside_ip_address, t.status))
                    .collect::<Vec<_>>()
                    .join(", ");
                let gw = v.transit_gateway_id.clone().or(v.vpn_gateway_id.clone());
                let mut row = Row::of(
                    r,
                    ResourceKind::VpnConnections,
                    v,
                    vec![
                        v.id.clone(),
                        dash(&v.name),
                        v.state.to_string(),
                        or_dash(&gw),
                        format!("{}/{}", v.tunnels_up(), v.tunnels.len()),
                        tunnels,
                    ],
                );
                if v.tunnels_up() < v.tunnels.len()
                    && row.health == crate::model::health::Health::Good
                {
                    row.health = Health::Pending;
                }
                row
            })
            .collect(),
        _ => each!(e, dx_locations)
            .map(|(r, l)| {
                Row::of(
                    r,
                    ResourceKind::DxLocations,
                    l,
                    vec![
                        l.id.clone(),
                        l.name.clone(),
                        l.available_port_speeds.join(","),
                        l.available_providers.join(","),
                    ],
                )
            })
            .collect(),
    }
}
