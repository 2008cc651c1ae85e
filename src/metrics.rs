//! `watch --listen`: the estate as OpenMetrics text for Prometheus (the `prometheus-client`
//! crate), made once per whole poll from the model and the judgements every view reads.
//!
//! Unknown is never up: what cannot be judged (a BGP session in AWS's own `unknown`, a state
//! this version does not know, an intent unknown, a metric series with no point) leaves its
//! sample out; pending (ordering, requested) is 0, not up.

use std::collections::BTreeMap;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::intent::State;
use crate::model::Estate;
use crate::model::health::Health;

type Labels = Vec<(String, String)>;

/// 1 for good, 0 for bad or on its way (pending is not up); `None` (no sample) for unknown.
/// A BGP session's own `unknown` reads as pending; it is left out by its caller.
fn up(h: Health) -> Option<i64> {
    match h {
        Health::Good => Some(1),
        Health::Bad | Health::Pending => Some(0),
        _ => None,
    }
}

/// What one whole poll says, and the counters kept across polls.
pub struct Poll<'a> {
    pub estate: &'a Estate,
    /// The judgement of the poll (findings, paths, intents), as every view reads it.
    pub derived: &'a crate::derived::Derived,
    /// Seconds the last poll of each (service) took, the longest over accounts and regions.
    pub durations: &'a BTreeMap<String, f64>,
    /// Failed calls since `watch` started, by (service, operation).
    pub errors: &'a BTreeMap<(String, String), u64>,
    /// Notifications that could not be delivered, by notifier (`env:VAR`, `file:PATH`).
    pub notify_failures: &'a BTreeMap<String, u64>,
}

/// The OpenMetrics text of one poll.
pub fn text(p: &Poll) -> String {
    let mut reg = Registry::default();
    let gauge = |reg: &mut Registry, name: &str, help: &str| {
        let f = Family::<Labels, Gauge>::default();
        reg.register(name, help, f.clone());
        f
    };
    let scope = |account: &str, region: &str| -> Labels {
        vec![
            ("account".into(), account.to_string()),
            ("region".into(), region.to_string()),
        ]
    };
    let bgp = gauge(
        &mut reg,
        "crossconnect_bgp_session_up",
        "BGP session of a VIF peer up (1) or down (0) (DescribeVirtualInterfaces bgpStatus)",
    );
    let vif = gauge(
        &mut reg,
        "crossconnect_vif_up",
        "VIF available (1) or not (0) (DescribeVirtualInterfaces virtualInterfaceState)",
    );
    let conn = gauge(
        &mut reg,
        "crossconnect_connection_up",
        "DX connection available (1) or not (0) (DescribeConnections connectionState)",
    );
    for r in p.estate.scopes.values() {
        for c in &r.dx_connections.items {
            if let Some(v) = up(c.state.health()) {
                let mut l = scope(&r.account, &r.region);
                l.extend([
                    ("connection".into(), c.id.clone()),
                    ("name".into(), c.name.clone()),
                ]);
                conn.get_or_create(&l).set(v);
            }
        }
        for v in &r.dx_vifs.items {
            let mut l = scope(&r.account, &r.region);
            l.extend([
                ("vif".into(), v.id.clone()),
                ("name".into(), v.name.clone()),
            ]);
            if let Some(x) = up(v.state.health()) {
                vif.get_or_create(&l).set(x);
            }
            // A session's own `unknown` (AWS's third bgpStatus) is no sample, not 0.
            for peer in &v.bgp_peers {
                let known = |h| (h != Health::Pending).then(|| up(h)).flatten();
                if let Some(x) = known(peer.bgp_status.health()) {
                    let mut l = l.clone();
                    l.push(("peer".into(), peer.id.clone()));
                    bgp.get_or_create(&l).set(x);
                }
            }
        }
    }
    // CloudWatch's newest reading; a series with no point (a hosted connection has no light
    // levels) is no sample, never zero.
    let light = Family::<Labels, Gauge<f64, std::sync::atomic::AtomicU64>>::default();
    reg.register("crossconnect_light_level_rx_dbm", "Received optical power of a DX connection, dBm (CloudWatch AWS/DX ConnectionLightLevelRx, newest 5-minute average)", light.clone());
    let accepted = gauge(
        &mut reg,
        "crossconnect_bgp_prefixes_accepted",
        "Prefixes a VIF accepts from on-prem (ListVirtualInterfaceRoutes)",
    );
    let quota = gauge(
        &mut reg,
        "crossconnect_bgp_prefixes_accepted_quota",
        "The VIF type's quota of accepted prefixes (over it the session is torn down)",
    );
    for r in p.estate.scopes.values() {
        for m in r
            .dx_metrics
            .items
            .iter()
            .filter(|m| m.name == "ConnectionLightLevelRx")
        {
            if let Some(v) = m.latest() {
                let mut l = scope(&r.account, &r.region);
                l.push(("connection".into(), m.resource_id.clone()));
                light.get_or_create(&l).set(v);
            }
        }
        for v in &r.dx_vif_routes.items {
            let mut l = scope(&r.account, &r.region);
            l.extend([
                ("vif".into(), v.id.clone()),
                ("name".into(), v.name.clone()),
            ]);
            accepted.get_or_create(&l).set(v.accepted as i64);
            quota
                .get_or_create(&l)
                .set(crate::model::prefix_quota(&v.vif_type) as i64);
        }
    }
    let findings = gauge(
        &mut reg,
        "crossconnect_findings",
        "Findings by rule and severity",
    );
    let mut counts: BTreeMap<(String, String), i64> = BTreeMap::new();
    for f in &p.derived.findings {
        *counts
            .entry((
                f.code.to_string(),
                format!("{:?}", f.severity).to_lowercase(),
            ))
            .or_default() += 1;
    }
    for ((rule, severity), n) in counts {
        let l = vec![("rule".into(), rule), ("severity".into(), severity)];
        findings.get_or_create(&l).set(n);
    }
    let working = gauge(
        &mut reg,
        "crossconnect_path_working_paths",
        "Working DX paths from a VPC to on-prem, both ways",
    );
    let reachable = gauge(
        &mut reg,
        "crossconnect_path_reachable",
        "A VPC reaches on-prem (1) or not (0)",
    );
    for r in &p.derived.reach {
        let mut l = scope(&r.account, &r.region);
        l.extend([
            ("vpc".into(), r.vpc.clone()),
            ("name".into(), r.name.clone()),
        ]);
        let n = r.working().count() as i64;
        working.get_or_create(&l).set(n);
        reachable
            .get_or_create(&l)
            .set(i64::from(n > 0 && r.return_ok));
    }
    let intent = gauge(
        &mut reg,
        "crossconnect_intent_held",
        "A declared intent holds (1) or is broken (0); unknown is left out",
    );
    for o in &p.derived.intents {
        let v = match o.state {
            State::Held => 1,
            State::Broken => 0,
            State::Unknown => continue,
        };
        intent
            .get_or_create(&vec![("intent".into(), o.name.clone())])
            .set(v);
    }
    let took = Family::<Labels, Gauge<f64, std::sync::atomic::AtomicU64>>::default();
    reg.register(
        "crossconnect_poll_duration_seconds",
        "How long the last poll of a service took (the longest over accounts and regions)",
        took.clone(),
    );
    for (service, s) in p.durations {
        took.get_or_create(&vec![("service".into(), service.clone())])
            .set(*s);
    }
    let errors = Family::<Labels, Counter>::default();
    reg.register(
        "crossconnect_api_errors",
        "Failed AWS calls since watch started",
        errors.clone(),
    );
    for ((service, operation), n) in p.errors {
        let l = vec![
            ("service".into(), service.clone()),
            ("operation".into(), operation.clone()),
        ];
        errors.get_or_create(&l).inc_by(*n);
    }
    let undelivered = Family::<Labels, Counter>::default();
    reg.register(
        "crossconnect_notify_failures",
        "Notifications not delivered after their retries, by notifier",
        undelivered.clone(),
    );
    for (notifier, n) in p.notify_failures {
        undelivered
            .get_or_create(&vec![("notifier".into(), notifier.clone())])
            .inc_by(*n);
    }
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = encode(&mut out, &reg);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Failed calls are a counter (`_total`); a BGP session whose status is unknown has no
    /// sample (never 1); a session down is 0.
    #[test]
    fn errors_count_and_unknown_is_no_sample() {
        let mut e = crate::demo::estate(0, chrono::Utc::now());
        for r in e.scopes.values_mut() {
            let r = std::sync::Arc::make_mut(r);
            for v in r.dx_vifs.items.iter_mut() {
                for p in &mut v.bgp_peers {
                    p.bgp_status = match p.id.as_str() {
                        "dxpeer-fg1a1a1a" => "unknown".into(),
                        "dxpeer-fg3c3c3c" => "down".into(),
                        _ => p.bgp_status.clone(),
                    };
                }
            }
        }
        let errors = BTreeMap::from([(("ec2".to_string(), "DescribeVpcs".to_string()), 3)]);
        let d = crate::derived::Derived::build(
            &e,
            &[],
            chrono::Utc::now(),
            &Default::default(),
            &[],
            (0, 0),
        );
        let t = text(&Poll {
            estate: &e,
            derived: &d,
            durations: &BTreeMap::new(),
            errors: &errors,
            notify_failures: &BTreeMap::new(),
        });
        assert!(
            t.contains(
                "crossconnect_api_errors_total{service=\"ec2\",operation=\"DescribeVpcs\"} 3"
            ),
            "{t}"
        );
        assert!(!t.contains("dxpeer-fg1a1a1a"), "{t}");
        let down = t.lines().find(|l| l.contains("dxpeer-fg3c3c3c")).unwrap();
        assert!(down.ends_with(" 0"), "{down}");
    }
}
