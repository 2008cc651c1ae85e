//! What the routers and the optics say, read on a slower interval than the inventory:
//! Direct Connect CloudWatch metrics (namespace `AWS/DX`, GetMetricData) and the number of
//! BGP routes per VIF (ListVirtualInterfaceRoutes).

use serde::{Deserialize, Serialize};

use super::dx::simple_resource;
use super::{Resource, Timestamp};

/// The CloudWatch metrics read per connection (dimension `ConnectionId`).
pub const CONNECTION_METRICS: &[&str] = &[
    "ConnectionState",
    "ConnectionBpsEgress",
    "ConnectionBpsIngress",
    "ConnectionPpsEgress",
    "ConnectionPpsIngress",
    "ConnectionLightLevelTx",
    "ConnectionLightLevelRx",
    "ConnectionErrorCount",
];

/// The CloudWatch metrics read per VIF (dimension `VirtualInterfaceId`).
pub const VIF_METRICS: &[&str] = &[
    "VirtualInterfaceBpsEgress",
    "VirtualInterfaceBpsIngress",
    "VirtualInterfaceBgpStatus",
    "VirtualInterfaceBgpPrefixesAccepted",
    "VirtualInterfaceBgpPrefixesAdvertised",
];

/// One metric of one connection or VIF over the last hour (GetMetricData, 5-minute periods,
/// `Average`). No points means CloudWatch had no data (a hosted connection has no light
/// levels): "no data", never zero.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricSeries {
    /// `<resource id>|<metric name>`.
    pub id: String,
    /// The metric name, e.g. `ConnectionLightLevelRx`.
    pub name: String,
    pub state: String,
    /// `dxcon-…`, `dxlag-…` or `dxvif-…`.
    pub resource_id: String,
    /// `(time, value)`, oldest first; dBm for light levels, bits/s, packets/s, counts.
    pub points: Vec<(Timestamp, f64)>,
}

impl MetricSeries {
    /// The newest value, if any.
    pub fn latest(&self) -> Option<f64> {
        self.points.last().map(|p| p.1)
    }
}

/// The BGP routes of one VIF, counted (ListVirtualInterfaceRoutes).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VifRouteCount {
    /// The VIF id.
    pub id: String,
    /// The VIF name.
    pub name: String,
    pub state: String,
    /// `private`, `transit` or `public`.
    pub vif_type: String,
    /// Prefixes received from on-prem.
    pub accepted: usize,
    /// Prefixes AWS advertises.
    pub advertised: usize,
}

simple_resource!(MetricSeries, VifRouteCount);

/// The most prefixes a VIF's BGP session accepts from on-prem before it goes idle: 100 for a
/// private or transit VIF, 1 000 for a public one (Direct Connect quotas).
pub fn prefix_quota(vif_type: &str) -> usize {
    if vif_type.eq_ignore_ascii_case("public") {
        1000
    } else {
        100
    }
}

/// A port speed (`1Gbps`, `10Gbps`, `100Gbps`, `500Mbps`) in bits per second.
pub fn port_bps(bandwidth: &str) -> Option<f64> {
    let b = bandwidth.trim();
    let (n, mult) = if let Some(n) = b.strip_suffix("Gbps") {
        (n, 1e9)
    } else if let Some(n) = b.strip_suffix("Mbps") {
        (n, 1e6)
    } else {
        return None;
    };
    n.trim().parse::<f64>().ok().map(|x| x * mult)
}

/// The receive sensitivity of the optic a dedicated port of this speed uses, in dBm, and
/// where that figure comes from: 1G 1000BASE-LX −19 dBm (IEEE 802.3 clause 38), 10G 10GBASE-LR
/// −14.4 dBm (clause 52), 100G 100GBASE-LR4 −10.6 dBm per lane (clause 88). Other speeds:
/// `None` (no claim).
pub fn rx_sensitivity(bandwidth: &str) -> Option<(f64, &'static str, &'static str)> {
    match bandwidth.trim() {
        "1Gbps" => Some((
            -19.0,
            "1000BASE-LX",
            "IEEE 802.3 clause 38 (1000BASE-LX receive sensitivity)",
        )),
        "10Gbps" => Some((
            -14.4,
            "10GBASE-LR",
            "IEEE 802.3 clause 52 (10GBASE-LR receive sensitivity)",
        )),
        "100Gbps" => Some((
            -10.6,
            "100GBASE-LR4",
            "IEEE 802.3 clause 88 (100GBASE-LR4 receive sensitivity, per lane)",
        )),
        _ => None,
    }
}
