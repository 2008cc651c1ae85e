//! Direct Connect pane: connections, LAGs, VPN backup tunnels, locations.

use super::{AnyTable, Cx, Table, col, id_col, name_col, or_dash, state_col};
use crate::history::Field;
use crate::model::health::Health;
use crate::model::{Connection, DxLocation, Lag, RegionEstate, ResourceKind, VpnConnection};
use crate::view::columns::Width::{Flex as Fill, Whole as Length};
use crate::view::table::{Row, TableId};

pub fn table(t: TableId) -> &'static dyn AnyTable {
    match t {
        TableId::DxConnections => &CONNECTIONS,
        TableId::DxLags => &LAGS,
        TableId::VpnConnections => &VPN,
        _ => &LOCATIONS,
    }
}

/// The latest of ConnectionBpsEgress/Ingress as a percentage of the port speed.
fn utilisation(r: &RegionEstate, c: &Connection) -> String {
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

static CONNECTIONS: Table<Connection> = Table::<Connection>::new(
    ResourceKind::DxConnections,
    |r| &r.dx_connections.items,
    &[
        id_col(Length(15)),
        name_col(Fill(2)),
        state_col(Length(10)),
        col("LOCATION", Length(9), |_, c| c.location.clone()),
        col("BANDWIDTH", Length(9), |_, c| c.bandwidth.clone()),
        col("UTIL", Length(7), |x, c| utilisation(x.r, c)),
        col("RX DBM", Length(7), |x, c| {
            super::metric_cell(x.r, &c.id, "ConnectionLightLevelRx", |v| format!("{v:.1}"))
        }),
        col("SINCE", Length(13), |x, c| {
            let series = super::series(x.r, &c.id, "ConnectionState");
            x.since
                .cell(&c.id, Field::key("state"), c.state.as_str(), series)
        }),
        col("MACSEC", Length(7), |_, c| macsec(c)),
        col("LAG", Length(14), |_, c| or_dash(&c.lag_id)),
        col("DEVICE", Fill(1), |_, c| or_dash(&c.aws_device)),
        col("PARTNER", Length(10), |_, c| or_dash(&c.partner_name)),
    ],
);

static LAGS: Table<Lag> = Table::<Lag>::new(
    ResourceKind::DxLags,
    |r| &r.dx_lags.items,
    &[
        id_col(Length(15)),
        name_col(Fill(2)),
        state_col(Length(10)),
        col("LOCATION", Length(9), |_, l| l.location.clone()),
        col("LINKS", Length(7), |_, l| {
            format!("{}/{}", l.minimum_links, l.number_of_connections)
        }),
        col("MACSEC", Length(7), |_, l| {
            l.encryption_mode.as_deref().map_or("-".into(), mode_short)
        }),
        col("MEMBERS", Fill(2), |_, l| l.connection_ids.join(",")),
        col("DEVICE", Fill(1), |_, l| or_dash(&l.aws_device)),
    ],
);

/// A VPN with a tunnel down is degraded, whatever its own state says.
fn vpn_degraded(_: &Cx, v: &VpnConnection, row: &mut Row) {
    if v.tunnels_up() < v.tunnels.len() && row.health == Health::Good {
        row.health = Health::Pending;
    }
}

static VPN: Table<VpnConnection> = Table::<VpnConnection>::new(
    ResourceKind::VpnConnections,
    |r| &r.vpn_connections.items,
    &[
        id_col(Length(22)),
        name_col(Fill(1)),
        state_col(Length(10)),
        col("GATEWAY", Length(22), |_, v| {
            or_dash(&v.transit_gateway_id.clone().or(v.vpn_gateway_id.clone()))
        }),
        col("TUNNELS UP", Length(10), |_, v| {
            format!("{}/{}", v.tunnels_up(), v.tunnels.len())
        }),
        col("TUNNELS", Fill(2), |_, v| {
            let t = v.tunnels.iter();
            let t = t.map(|t| format!("{} {}", t.outside_ip_address, t.status));
            t.collect::<Vec<_>>().join(", ")
        }),
    ],
)
.mark(vpn_degraded);

static LOCATIONS: Table<DxLocation> = Table::<DxLocation>::new(
    ResourceKind::DxLocations,
    |r| &r.dx_locations.items,
    &[
        col("CODE", Length(10), |_, l| l.id.clone()),
        col("NAME", Fill(2), |_, l| l.name.clone()),
        col("PORT SPEEDS", Fill(1), |_, l| {
            l.available_port_speeds.join(",")
        }),
        col("PROVIDERS", Fill(1), |_, l| l.available_providers.join(",")),
    ],
);

/// A connection's MACsec as a column: `up` / `down` (portEncryptionStatus), `-` when AWS gave
/// no status (not capable, or not said).
fn macsec(c: &crate::model::Connection) -> String {
    match c.port_encryption_status.as_deref() {
        Some("Encryption Up") => "up".into(),
        Some("Encryption Down") => "down".into(),
        Some(other) => other.to_lowercase(),
        None => "-".into(),
    }
}

/// `must_encrypt` → `must`, `should_encrypt` → `should`, `no_encrypt` → `no`.
fn mode_short(mode: &str) -> String {
    mode.trim_end_matches("_encrypt").to_string()
}
