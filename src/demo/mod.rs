//! The embedded demo estate: a realistic hybrid network in two regions, with AWS-shaped ids,
//! that changes over time (a BGP session flaps, a hosted connection moves from `ordering`
//! to `available`). No AWS, no network: [`updates`] builds the same [`Update`]s a poll would.

mod build;
mod cloudwan;
mod edges;
mod eu_west_2;
mod source;
mod us_east_1;
mod us_east_1_dns;
pub use source::{DemoSource, spawn_demo};

use crate::model::*;

/// The account that owns the demo estate.
pub const ACCOUNT: &str = "111122223333";
/// A partner account on the other side of a pending peering.
pub const PARTNER_ACCOUNT: &str = "444455556666";
/// The demo regions.
pub const REGIONS: [&str; 2] = ["us-east-1", "eu-west-2"];
/// The global Direct Connect gateway of the demo.
pub const DXGW_ID: &str = "5f2a7c1e-3b4d-4e8f-9a6b-1c2d3e4f5a6b";

/// Poll number at which the hosted connection has been confirmed by the partner.
pub const HOSTED_CONFIRMED_AT: u64 = 3;

/// Whether the flapping BGP session (`dxvif-fgab1c2d`) is up at poll `tick`:
/// up for two polls, down for two.
pub fn flapping_peer_up(tick: u64) -> bool {
    (tick / 2).is_multiple_of(2)
}

/// The demo's scopes: its one account in each demo region.
pub fn scopes() -> Vec<Scope> {
    REGIONS.iter().map(|r| Scope::new(ACCOUNT, r)).collect()
}

/// An estate of the demo's account in the selected demo regions, nothing read yet.
pub fn empty_estate(regions: &[String]) -> Estate {
    let scopes: Vec<Scope> = scopes()
        .into_iter()
        .filter(|s| regions.contains(&s.region))
        .collect();
    let mut e = Estate::with_scopes(&scopes);
    e.accounts = accounts();
    e
}

/// The demo's one account.
pub fn accounts() -> Vec<Account> {
    vec![Account {
        id: ACCOUNT.into(),
        name: "demo-network".into(),
        via: "demo".into(),
        error: None,
    }]
}

/// Every update of poll number `tick` (0, 1, 2 …) taken at `now`, for the demo regions
/// selected by `regions` (all when empty).
pub fn updates(tick: u64, now: Timestamp, regions: &[String]) -> Vec<Update> {
    updates_at(tick, now, now, regions)
}

/// Like [`updates`], with the resources' own timestamps (LOA issue times, expiries) relative to
/// `base`, the start of the session, and the reads made at `now`: a live demo keeps `base`
/// fixed so that only real changes are highlighted.
pub fn updates_at(tick: u64, base: Timestamp, now: Timestamp, regions: &[String]) -> Vec<Update> {
    REGIONS
        .iter()
        .filter(|r| regions.is_empty() || regions.iter().any(|x| x == *r))
        .flat_map(|r| {
            region_batches(r, tick, base)
                .into_iter()
                .map(move |b| Update::ok(r, now, b).in_account(ACCOUNT))
        })
        .collect()
}

/// The demo estate after poll number `tick`, as a ready model.
pub fn estate(tick: u64, now: Timestamp) -> Estate {
    let mut e = Estate::with_scopes(&scopes());
    e.accounts = accounts();
    for t in 0..=tick {
        for u in updates(t, now, &[]) {
            e.apply(u);
        }
    }
    e
}

/// A small, valid one-page PDF standing in for a demo LOA-CFA.
pub fn loa_pdf(connection_id: &str) -> Vec<u8> {
    let text = format!("BT /F1 18 Tf 72 720 Td (LOA-CFA demo for {connection_id}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        pdf.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// Writes the demo LOA of a demo connection or LAG to `path`.
pub fn write_loa(connection_id: &str, path: &str) -> crate::calls::Outcome {
    use crate::calls::Outcome;
    let known = estate(0, chrono::Utc::now()).scopes.values().any(|r| {
        r.dx_connections.items.iter().any(|c| c.id == connection_id)
            || r.dx_lags.items.iter().any(|l| l.id == connection_id)
    });
    if !known {
        let missing = format!("Connection {connection_id} not found");
        return Outcome::failed("DirectConnectClientException", missing);
    }
    let pdf = loa_pdf(connection_id);
    match std::fs::write(path, &pdf) {
        Ok(()) => {
            let full = crate::aws::exec::full_path(path);
            Outcome::ok(format!("wrote {} bytes to {full}", pdf.len()), None)
        }
        Err(e) => Outcome::failed("WriteFailed", format!("cannot write {path}: {e}")),
    }
}

/// Domains of a demo domain list (the answer ListFirewallDomains would give).
/// The BGP routes of a demo VIF (ListVirtualInterfaceRoutes): what on-prem sends and what AWS
/// advertises; `None` for an id the demo does not have. `dxvif-fg7h8i9j` accepts 85 prefixes,
/// near the 100-prefix quota of a private VIF.
pub fn vif_routes(vif_id: &str) -> Option<Vec<VifRoute>> {
    let now = chrono::Utc::now();
    let known = REGIONS.iter().any(|r| {
        let b = match *r {
            "us-east-1" => us_east_1::us_east_1(0, now),
            _ => eu_west_2::eu_west_2(0, now),
        };
        b.iter().any(
            |b| matches!(b, Batch::DxVirtualInterfaces(vs) if vs.iter().any(|v| v.id == vif_id)),
        )
    });
    if !known {
        return None;
    }
    // A VIF whose BGP session is not up accepts nothing.
    let up = REGIONS.iter().all(|r| {
        let b = match *r {
            "us-east-1" => us_east_1::us_east_1(0, now),
            _ => eu_west_2::eu_west_2(0, now),
        };
        b.iter().all(|b| match b {
            Batch::DxVirtualInterfaces(vs) => vs
                .iter()
                .filter(|v| v.id == vif_id)
                .all(|v| v.state == VifState::Available && v.bgp_summary() == "up"),
            _ => true,
        })
    });
    let accepted = match (up, vif_id) {
        (false, _) => 0,
        (true, "dxvif-fg7h8i9j") => 85,
        _ => 6,
    };
    let installed = chrono::Utc::now() - chrono::Duration::days(3);
    let mut v: Vec<VifRoute> = (0..accepted)
        .map(|i| VifRoute {
            cidr: format!("10.{}.{}.0/24", 200 + i / 250, i % 250),
            direction: "accepted".into(),
            address_family: "ipv4".into(),
            as_path: "65010".into(),
            communities: vec!["7224:9100".into()],
            aws_logical_device_id: Some("EqDC2-2bd1b5plp8fk6".into()),
            installed_at: Some(installed),
        })
        .collect();
    v.extend(["10.20.0.0/16", "10.30.0.0/16"].iter().map(|c| VifRoute {
        cidr: c.to_string(),
        direction: "advertised".into(),
        address_family: "ipv4".into(),
        as_path: "64512".into(),
        communities: vec![],
        aws_logical_device_id: Some("EqDC2-2bd1b5plp8fk6".into()),
        installed_at: Some(installed),
    }));
    Some(v)
}

pub fn domains(list_id: &str) -> Result<Vec<String>, ApiError> {
    let d: &[&str] = match list_id {
        "rslvr-fdl-1a2b3c4d5e6f7081" => &[
            "*.github.com.",
            "*.slack.com.",
            "*.okta.com.",
            "*.amazonaws.com.",
            "*.pypi.org.",
        ],
        "rslvr-fdl-2b3c4d5e6f708192" => &["*."],
        "rslvr-fdl-3c4d5e6f708192a3" => &["malware-c2.example.net.", "bad-actor.example.org."],
        _ => {
            return Err(ApiError {
                operation: "ListFirewallDomains".into(),
                code: "ResourceNotFoundException".into(),
                message: format!("domain list {list_id} not found"),
            });
        }
    };
    Ok(d.iter().map(|s| s.to_string()).collect())
}

fn region_batches(region: &str, tick: u64, now: Timestamp) -> Vec<Batch> {
    let mut v = match region {
        "us-east-1" => us_east_1::us_east_1(tick, now),
        _ => eu_west_2::eu_west_2(tick, now),
    };
    match region {
        "us-east-1" => edges::us_east_1(&mut v, tick),
        _ => edges::eu_west_2(&mut v, now),
    }
    v.extend(cloudwan::batches());
    v.extend(telemetry(&v, now));
    v
}

/// The demo's CloudWatch metrics and route counts, from its connections and VIFs: the last
/// hour at 5-minute periods. `rst-secondary-10g` receives at −16.2 dBm (below a 10GBASE-LR's
/// −14.4 dBm); hosted connections have no light levels (no data, not zero); route counts come
/// from [`vif_routes`].
fn telemetry(batches: &[Batch], now: Timestamp) -> Vec<Batch> {
    let mut series = Vec::new();
    let times: Vec<Timestamp> = (0..12)
        .map(|i| now - chrono::Duration::minutes(55 - i * 5))
        .collect();
    let mut add = |id: &str, metric: &str, f: &dyn Fn(usize) -> Option<f64>| {
        series.push(MetricSeries {
            id: format!("{id}|{metric}"),
            name: metric.into(),
            state: String::new(),
            resource_id: id.into(),
            points: times
                .iter()
                .enumerate()
                .filter_map(|(i, t)| f(i).map(|v| (*t, v)))
                .collect(),
        });
    };
    let mut counts = Vec::new();
    for b in batches {
        match b {
            Batch::DxConnections(cs) => {
                for c in cs {
                    let up = c.state == ConnectionState::Available;
                    let speed = telemetry::port_bps(&c.bandwidth).unwrap_or(1e9);
                    let hosted = c.partner_name.is_some();
                    let rx = if c.id == "dxcon-fh2a3b4c" {
                        -16.2
                    } else {
                        -5.8
                    };
                    add(&c.id, "ConnectionState", &|_| {
                        Some(if up { 1.0 } else { 0.0 })
                    });
                    add(&c.id, "ConnectionBpsEgress", &|i| {
                        Some(if up {
                            speed * (0.22 + 0.01 * i as f64)
                        } else {
                            0.0
                        })
                    });
                    add(&c.id, "ConnectionBpsIngress", &|i| {
                        Some(if up {
                            speed * (0.31 + 0.005 * i as f64)
                        } else {
                            0.0
                        })
                    });
                    add(&c.id, "ConnectionPpsEgress", &|_| {
                        Some(if up { speed / 8000.0 } else { 0.0 })
                    });
                    add(&c.id, "ConnectionPpsIngress", &|_| {
                        Some(if up { speed / 7000.0 } else { 0.0 })
                    });
                    add(&c.id, "ConnectionLightLevelTx", &|_| {
                        (!hosted).then_some(-2.1)
                    });
                    add(&c.id, "ConnectionLightLevelRx", &|i| {
                        (!hosted).then_some(rx + 0.1 * (i % 3) as f64)
                    });
                    add(&c.id, "ConnectionErrorCount", &|_| Some(0.0));
                }
            }
            Batch::DxVirtualInterfaces(vs) => {
                for v in vs {
                    // BGP down: no prefixes accepted and no traffic (what AWS would report).
                    let up = v.state == VifState::Available && v.bgp_summary() == "up";
                    let routes = vif_routes(&v.id).unwrap_or_default();
                    let acc = if up {
                        routes.iter().filter(|r| r.direction == "accepted").count()
                    } else {
                        0
                    };
                    let adv = routes.iter().filter(|r| r.direction != "accepted").count();
                    add(&v.id, "VirtualInterfaceBgpStatus", &|_| {
                        Some(if v.bgp_summary() == "up" { 1.0 } else { 0.0 })
                    });
                    add(&v.id, "VirtualInterfaceBgpPrefixesAccepted", &|_| {
                        Some(acc as f64)
                    });
                    add(&v.id, "VirtualInterfaceBgpPrefixesAdvertised", &|_| {
                        Some(adv as f64)
                    });
                    add(&v.id, "VirtualInterfaceBpsEgress", &|_| {
                        Some(if up { 2.5e8 } else { 0.0 })
                    });
                    add(&v.id, "VirtualInterfaceBpsIngress", &|_| {
                        Some(if up { 3.1e8 } else { 0.0 })
                    });
                    counts.push(VifRouteCount {
                        id: v.id.clone(),
                        name: v.name.clone(),
                        state: String::new(),
                        vif_type: v.vif_type.clone(),
                        accepted: acc,
                        advertised: adv,
                    });
                }
            }
            _ => {}
        }
    }
    vec![Batch::DxMetrics(series), Batch::DxVifRoutes(counts)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_covers_every_kind_in_both_regions_and_changes_over_time() {
        let now = chrono::Utc::now();
        let e0 = estate(0, now);
        assert_eq!(e0.scopes.len(), 2);
        let use1 = &e0.region("us-east-1").unwrap();
        for &k in ResourceKind::ALL {
            assert!(use1.status(k).refreshed_at.is_some(), "{k:?} never read");
        }
        assert!(e0.resource_count() > 80);
        let hosted = |e: &Estate| {
            e.region("us-east-1")
                .unwrap()
                .dx_connections
                .items
                .iter()
                .find(|c| c.id == "dxcon-ffz9y8x7")
                .unwrap()
                .state
                .clone()
        };
        assert_eq!(hosted(&e0), ConnectionState::Ordering);
        assert_eq!(
            hosted(&estate(HOSTED_CONFIRMED_AT, now)),
            ConnectionState::Available
        );
        let flap = |e: &Estate| {
            e.region("us-east-1")
                .unwrap()
                .dx_vifs
                .items
                .iter()
                .find(|v| v.id == "dxvif-fgab1c2d")
                .unwrap()
                .bgp_peers[0]
                .bgp_status
                .clone()
        };
        assert_eq!(flap(&estate(0, now)), BgpStatus::Up);
        assert_eq!(flap(&estate(2, now)), BgpStatus::Down);
        let e2 = estate(2, now);
        assert!(
            e2.region("us-east-1")
                .unwrap()
                .dx_vifs
                .changed
                .contains("dxvif-fgab1c2d")
        );
    }
}
