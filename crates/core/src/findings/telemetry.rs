//! Rules over what the routers and optics say (CloudWatch `AWS/DX` metrics and per-VIF route
//! counts). A metric without data is no evidence: no finding is made from it.

use super::{Ctx, Finding, Severity, finding};
use crate::model::{ResourceKind, port_bps, prefix_quota, rx_sensitivity};

/// The latest value of `<resource>|<metric>`, if CloudWatch had data.
fn latest(c: &Ctx, id: &str, metric: &str) -> Option<f64> {
    let key = format!("{id}|{metric}");
    c.region
        .dx_metrics
        .items
        .iter()
        .find(|s| s.id == key)
        .and_then(|s| s.latest())
}

pub(crate) fn check(c: &Ctx, out: &mut Vec<Finding>) {
    let r = c.region;
    for conn in &r.dx_connections.items {
        let res = || {
            vec![c.res(
                ResourceKind::DxConnections,
                &conn.id,
                &conn.name,
                conn.owner_account.as_ref(),
            )]
        };
        if let (Some((min, optic, source)), Some(rx)) = (
            rx_sensitivity(&conn.bandwidth),
            latest(c, &conn.id, "ConnectionLightLevelRx"),
        ) && rx < min
        {
            out.push(finding(
                "CW-001",
                None,
                format!(
                    "{} receives at {rx:.1} dBm, below the {optic} sensitivity of {min} dBm",
                    conn.id
                ),
                res(),
                &[
                    ("ConnectionLightLevelRx_dBm", format!("{rx:.2}")),
                    ("bandwidth", conn.bandwidth.clone()),
                    ("optic", optic.to_string()),
                    ("sensitivity_dBm", min.to_string()),
                    ("source", source.to_string()),
                ],
                "The link is at or past the point of errors and flaps. Have the colocation provider clean or replace the cross connect and patch panel, check the optic on your router, and compare with ConnectionLightLevelTx.",
            ));
        }
        if let Some(speed) = port_bps(&conn.bandwidth) {
            let peak = ["ConnectionBpsEgress", "ConnectionBpsIngress"]
                .iter()
                .filter_map(|m| latest(c, &conn.id, m))
                .fold(None::<f64>, |a, v| Some(a.map_or(v, |a| a.max(v))));
            if let Some(bps) = peak
                && bps / speed > 0.8
            {
                out.push(finding(
                    "CW-002",
                    None,
                    format!(
                        "{} runs at {:.0} % of its {} port",
                        conn.id,
                        bps / speed * 100.0,
                        conn.bandwidth
                    ),
                    res(),
                    &[
                        ("bps_latest_max", format!("{bps:.0}")),
                        ("port_bps", format!("{speed:.0}")),
                    ],
                    "Near line rate, bursts drop. Add capacity (a LAG member or a second connection) or move traffic to another path before it saturates.",
                ));
            }
        }
    }
    for v in &r.dx_vifs.items {
        let quota = prefix_quota(&v.vif_type);
        // The larger of the two readings: either one near the quota is a warning.
        let counted = r
            .dx_vif_routes
            .items
            .iter()
            .find(|x| x.id == v.id)
            .map(|x| (x.accepted as f64, "ListVirtualInterfaceRoutes"));
        let metric = latest(c, &v.id, "VirtualInterfaceBgpPrefixesAccepted")
            .map(|n| (n, "CloudWatch VirtualInterfaceBgpPrefixesAccepted"));
        let best = match (counted, metric) {
            (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        let (accepted, from) = match best {
            Some((n, f)) => (Some(n), f),
            None => (None, ""),
        };
        let Some(accepted) = accepted else { continue };
        if accepted >= 0.8 * quota as f64 {
            let severity = (accepted >= quota as f64).then_some(Severity::Critical);
            out.push(finding(
                "CW-003",
                severity,
                format!(
                    "{} accepts {accepted:.0} prefixes of its quota of {quota}",
                    v.id
                ),
                vec![c.res(
                    ResourceKind::DxVirtualInterfaces,
                    &v.id,
                    &v.name,
                    v.owner_account.as_ref(),
                )],
                &[
                    ("accepted_prefixes", format!("{accepted:.0}")),
                    ("quota", quota.to_string()),
                    ("vif_type", v.vif_type.clone()),
                    ("read_from", from.to_string()),
                ],
                "Past the quota the BGP session goes idle and every route over this VIF is lost. Summarise the on-prem prefixes you advertise (or filter them) well below the quota.",
            ));
        }
    }
}
