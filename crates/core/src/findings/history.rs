//! Rules over the change history: what one poll cannot see.

use super::{Finding, ResourceRef, finding};
use crate::history::Event;
use crate::model::ConnectionState;
use crate::model::{Estate, ResourceKind, Timestamp};

/// Events older than this many days are deleted (`[history] retention_days`).
pub const RETENTION_DAYS: i64 = 30;

/// The history settings resolved (the config file's `[history]` with defaults).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HistorySettings {
    /// Days events are kept.
    pub retention_days: i64,
    /// A BGP session that went down this many times in 24 h is flapping (HIST-001).
    pub flap_threshold: usize,
    /// A connection down longer than this many minutes is a finding (HIST-002).
    pub down_minutes: i64,
    /// The severity of a VPC whose DNS queries are not logged (R53R-005, `[dns]
    /// query_logging`); `None`: not judged.
    pub query_logging: Option<super::Severity>,
    /// The severity of a VPC without DNSSEC validation (R53R-006, `[dns]
    /// dnssec_validation`); `None`: not judged.
    pub dnssec_validation: Option<super::Severity>,
}

impl Default for HistorySettings {
    fn default() -> Self {
        HistorySettings {
            retention_days: RETENTION_DAYS,
            flap_threshold: 3,
            down_minutes: 15,
            query_logging: Some(super::Severity::Low),
            dnssec_validation: Some(super::Severity::Info),
        }
    }
}

/// The history rules at `now`, over the events seen (any order).
pub fn check(e: &Estate, events: &[Event], now: Timestamp, s: &HistorySettings) -> Vec<Finding> {
    let mut out = Vec::new();
    let day_ago = now - chrono::Duration::hours(24);
    let recent: Vec<&Event> = events.iter().filter(|x| x.at >= day_ago).collect();
    let res = |ev: &Event, kind: ResourceKind| ResourceRef {
        account: Some(ev.account.clone()).filter(|a| !a.is_empty()),
        region: ev.region.clone(),
        resource_type: crate::history::kind_key(kind),
        kind,
        id: ev.resource_id.clone(),
        name: ev.name.clone(),
    };
    for ((vif, peer), downs) in crate::history::bgp_downs(
        recent
            .iter()
            .copied()
            .filter(|x| x.kind == ResourceKind::DxVirtualInterfaces),
    ) {
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
                    && x.field.bgp_peer() == Some(peer.as_str())
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
    for r in e.scopes.values() {
        for c in r
            .dx_connections
            .items
            .iter()
            .filter(|c| c.state == ConnectionState::Down)
        {
            // When it went down, as recorded; no record: its duration is unknown, no claim.
            let Some(went) = events
                .iter()
                .filter(|x| {
                    x.kind == ResourceKind::DxConnections
                        && x.resource_id == c.id
                        && x.field.is("state")
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
