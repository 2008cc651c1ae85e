//! The last hour of a connection's or VIF's CloudWatch metrics, ready for sparklines
//! (ratatui-free): a label with min, max and latest, and the points scaled to whole numbers.

use crate::model::{RegionEstate, ResourceKind};

/// The top of the sparkline scale: points run from 1 (the hour's minimum) to this (its
/// maximum); a flat hour sits in the middle.
pub const SCALE_MAX: u64 = 101;

/// One metric's line: `label` and `points` (1..=[`SCALE_MAX`]; empty when CloudWatch had no
/// data).
#[derive(Clone, Debug, PartialEq)]
pub struct Spark {
    pub label: String,
    pub points: Vec<u64>,
}

/// The metrics shown for a kind, with their unit.
fn shown(kind: ResourceKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        ResourceKind::DxConnections => &[
            ("ConnectionLightLevelRx", "dBm"),
            ("ConnectionBpsIngress", "bit/s"),
            ("ConnectionBpsEgress", "bit/s"),
        ],
        ResourceKind::DxVirtualInterfaces => &[
            ("VirtualInterfaceBgpPrefixesAccepted", "prefixes"),
            ("VirtualInterfaceBpsIngress", "bit/s"),
            ("VirtualInterfaceBpsEgress", "bit/s"),
        ],
        _ => &[],
    }
}

fn human(v: f64, unit: &str) -> String {
    if unit == "bit/s" {
        let (d, u) = if v >= 1e9 {
            (1e9, "Gbit/s")
        } else if v >= 1e6 {
            (1e6, "Mbit/s")
        } else if v >= 1e3 {
            (1e3, "kbit/s")
        } else {
            (1.0, "bit/s")
        };
        format!("{:.1} {u}", v / d)
    } else {
        format!("{v:.1} {unit}")
    }
}

/// The sparklines of a resource; none for kinds without metrics or when metrics were never
/// read.
pub fn sparks(r: &RegionEstate, kind: ResourceKind, id: &str) -> Vec<Spark> {
    if r.dx_metrics.refreshed_at.is_none() {
        return Vec::new();
    }
    shown(kind)
        .iter()
        .map(|(metric, unit)| {
            let key = format!("{id}|{metric}");
            let pts: Vec<f64> = r
                .dx_metrics
                .items
                .iter()
                .find(|s| s.id == key)
                .map(|s| s.points.iter().map(|p| p.1).collect())
                .unwrap_or_default();
            if pts.is_empty() {
                return Spark {
                    label: format!("{metric}: no data"),
                    points: Vec::new(),
                };
            }
            let min = pts.iter().cloned().fold(f64::INFINITY, f64::min);
            let max = pts.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let last = pts[pts.len() - 1];
            // Shifted so the lowest point is 1 (dBm are negative), scaled to keep decimals; a
            // flat hour is drawn half-high, not as a wall at the top.
            let points = pts
                .iter()
                .map(|v| {
                    if max - min < 1e-9 {
                        SCALE_MAX / 2
                    } else {
                        ((v - min) * 100.0 / (max - min)).round() as u64 + 1
                    }
                })
                .collect();
            Spark {
                label: format!(
                    "{metric} last hour: min {} · max {} · last {}",
                    human(min, unit),
                    human(max, unit),
                    human(last, unit)
                ),
                points,
            }
        })
        .collect()
}
