//! Rules over the change history: what one poll cannot see.

use super::{Finding, ResourceRef, Rule, Severity, finding};
use crate::config::HistorySettings;
use crate::history::Event;
use crate::model::{Area, Estate, ResourceKind, Timestamp};

const BGP: &str = "https://docs.aws.amazon.com/directconnect/latest/UserGuide/troubleshooting.html";

pub const RULES: &[Rule] = &[
    Rule {
        code: "HIST-001",
        severity: Severity::High,
        area: Area::DirectConnect,
        summary: "BGP session flapping (went down repeatedly in 24 h)",
        reference: BGP,
    },
    Rule {
        code: "HIST-002",
        severity: Severity::High,
        area: Area::DirectConnect,
        summary: "Connection down for longer than the threshold",
        reference: BGP,
    },
];

/// The history rules at `now`, over the events seen (any order).
pub fn check(e: &Estate, events: &[Event], now: Timestamp, s: &HistorySettings) -> Vec<Finding> {
    let mut out = Vec::new();
    let day_ago = now - chrono::Duration::hours(24);
    let recent: Vec<&Event> = events.iter().filter(|x| x.at >= day_ago).collect();
    let vif_kind = crate::history::kind_key(ResourceKind::DxVirtualInterfaces);
    let res = |ev: &Event, kind: ResourceKind| ResourceRef {
        account: Some(ev.account.clone()).filter(|a| !a.is_empty()),
        region: ev.region.clone(),
        resource_type: crate::history::kind_key(kind),
        kind,
        id: ev.resource_id.clone(),
        name: ev.name.clone(),
    };
    for ((vif, peer), downs) in
        crate::history::bgp_downs(recent.iter().copied().filter(|x| x.kind == vif_kind))
    {
        if downs < s.flap_threshold {
            continue;
        }
        let Some(last) = recent.iter().rev().find(|x| x.resource_id == vif) else {
            continue;
        };
        let times: Vec<String> = recent
            .iter()
            .filter(|x| {
                x.resource_id == vif
                    && x.field == format!("bgp_peers[{peer}].bgp_status")
                    && x.new.as_deref() == Some("down")
            })
            .map(|x| x.at.format("%H:%M:%S").to_string())
            .collect();
        out.push(finding(
            "HIST-001",
            None,
            format!("BGP peer {peer} of {vif} went down {downs} times in 24 h"),
            vec![res(last, ResourceKind::DxVirtualInterfaces)],
            &[
                ("downs_24h", downs.to_string()),
                ("threshold", s.flap_threshold.to_string()),
                ("down_at_utc", times.join(", ")),
            ],
            "A flapping session drops traffic each time it goes down. Check the physical layer (light levels, errors on the cross connect), BFD and hold timers, and the prefixes sent (over the quota the session is torn down).",
        ));
    }
    let conn_kind = crate::history::kind_key(ResourceKind::DxConnections);
    for r in e.scopes.values() {
        for c in r.dx_connections.items.iter().filter(|c| c.state == "down") {
            // When it went down, as recorded; no record: its duration is unknown, no claim.
            let Some(went) = events
                .iter()
                .filter(|x| {
                    x.kind == conn_kind
                        && x.resource_id == c.id
                        && x.field == "state"
                        && x.new.as_deref() == Some("down")
                })
                .max_by_key(|x| x.at)
            else {
                continue;
            };
            let minutes = (now - went.at).num_minutes();
            if minutes < s.down_minutes {
                continue;
            }
            out.push(finding(
                "HIST-002",
                None,
                format!("Connection {} down for {minutes} min", c.id),
                vec![res(went, ResourceKind::DxConnections)],
                &[
                    ("down_since_utc", went.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                    ("minutes", minutes.to_string()),
                    ("threshold_minutes", s.down_minutes.to_string()),
                ],
                "Open a case with AWS Support and the colocation provider; check the cross connect and the optics; move traffic to the redundant connection if it is not already.",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(at: Timestamp, id: &str, field: &str, old: &str, new: &str, kind: ResourceKind) -> Event {
        Event {
            at,
            account: String::new(),
            region: "us-east-1".into(),
            kind: crate::history::kind_key(kind),
            resource_id: id.into(),
            name: String::new(),
            field: field.into(),
            old: Some(old.into()),
            new: Some(new.into()),
        }
    }

    #[test]
    fn flaps_fire_at_the_threshold_and_not_below() {
        let now = chrono::Utc::now();
        let e = Estate::default();
        let s = HistorySettings::default();
        let flap = |n: usize| {
            (0..n)
                .flat_map(|i| {
                    let t = now - chrono::Duration::minutes(30 + i as i64 * 10);
                    [
                        ev(
                            t,
                            "dxvif-1",
                            "bgp_peers[p1].bgp_status",
                            "up",
                            "down",
                            ResourceKind::DxVirtualInterfaces,
                        ),
                        ev(
                            t + chrono::Duration::minutes(2),
                            "dxvif-1",
                            "bgp_peers[p1].bgp_status",
                            "down",
                            "up",
                            ResourceKind::DxVirtualInterfaces,
                        ),
                    ]
                })
                .collect::<Vec<_>>()
        };
        assert!(
            check(&e, &flap(3), now, &s)
                .iter()
                .any(|f| f.code == "HIST-001")
        );
        assert!(
            !check(&e, &flap(2), now, &s)
                .iter()
                .any(|f| f.code == "HIST-001")
        );
    }

    #[test]
    fn a_connection_down_longer_than_the_threshold_fires_and_a_short_one_does_not() {
        let now = chrono::Utc::now();
        let mut e = crate::demo::estate(0, now);
        let down = e
            .scopes
            .values()
            .flat_map(|r| &r.dx_connections.items)
            .find(|c| c.state == "down")
            .unwrap()
            .id
            .clone();
        let s = HistorySettings::default();
        let at = |m: i64| {
            vec![ev(
                now - chrono::Duration::minutes(m),
                &down,
                "state",
                "available",
                "down",
                ResourceKind::DxConnections,
            )]
        };
        assert!(
            check(&e, &at(40), now, &s)
                .iter()
                .any(|f| f.code == "HIST-002")
        );
        assert!(
            !check(&e, &at(5), now, &s)
                .iter()
                .any(|f| f.code == "HIST-002")
        );
        assert!(
            !check(&e, &[], now, &s).iter().any(|f| f.code == "HIST-002"),
            "no record, no claim"
        );
        for r in e.scopes.values_mut() {
            for c in &mut r.dx_connections.items {
                c.state = "available".into();
            }
        }
        assert!(
            !check(&e, &at(40), now, &s)
                .iter()
                .any(|f| f.code == "HIST-002"),
            "up again"
        );
    }
}
