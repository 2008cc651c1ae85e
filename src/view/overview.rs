//! The overview's numbers, free of any terminal library: the rows per pane with their counts, and the headline
//! facts an on-call engineer checks first. A fact over resource kinds that could not be read
//! says "unknown" with the reason; one over stale data says it is stale. Neither is ever shown
//! as healthy.

use crate::derived::{Derived, KindFigures, Narrow};
use crate::model::health::Health;
use crate::model::{Coverage, Estate, ResourceKind, Timestamp};
use crate::view::pane::Pane;

/// The overview rows: pane, label, the kinds counted.
pub const ROWS: &[(Pane, &str, &[ResourceKind])] = &[
    (
        Pane::Dx,
        "DX connections & LAGs",
        &[ResourceKind::DxConnections, ResourceKind::DxLags],
    ),
    (
        Pane::Vif,
        "Virtual interfaces",
        &[ResourceKind::DxVirtualInterfaces],
    ),
    (
        Pane::Dxgw,
        "DX gateways",
        &[
            ResourceKind::DxGateways,
            ResourceKind::DxGatewayAssociations,
            ResourceKind::DxGatewayAttachments,
            ResourceKind::DxVirtualGateways,
        ],
    ),
    (
        Pane::Peering,
        "VPCs & peering",
        &[ResourceKind::VpcPeerings, ResourceKind::Vpcs],
    ),
    (
        Pane::Tgw,
        "Transit Gateway",
        &[
            ResourceKind::TransitGateways,
            ResourceKind::TgwAttachments,
            ResourceKind::TgwRouteTables,
            ResourceKind::TgwRoutes,
        ],
    ),
    (
        Pane::Resolver,
        "Resolver",
        &[
            ResourceKind::ResolverEndpoints,
            ResourceKind::ResolverRules,
            ResourceKind::ResolverRuleAssociations,
            ResourceKind::QueryLogConfigs,
            ResourceKind::QueryLogAssociations,
            ResourceKind::DnssecConfigs,
        ],
    ),
    (
        Pane::Firewall,
        "DNS Firewall",
        &[
            ResourceKind::FirewallRuleGroups,
            ResourceKind::FirewallRules,
            ResourceKind::FirewallAssociations,
            ResourceKind::FirewallConfigs,
        ],
    ),
    (
        Pane::CloudWan,
        "Cloud WAN",
        &[
            ResourceKind::CoreNetworks,
            ResourceKind::CloudWanAttachments,
            ResourceKind::CloudWanRoutes,
        ],
    ),
];

/// Resources of some kinds by health in view (from the derived state: each resource once,
/// global ones under every region). `total` = healthy + pending + broken + stateless.
pub fn counts(d: &Derived, kinds: &[ResourceKind], n: &Narrow) -> KindFigures {
    d.kind_figures(kinds, n)
}

/// How far `kinds` were read in the accounts and regions in view.
pub fn coverage(e: &Estate, kinds: &[ResourceKind], n: &Narrow) -> Coverage {
    e.coverage_where(kinds, |s| {
        n.admits(&s.account, Some(&s.region))
            || kinds.iter().all(|k| k.is_global()) && n.admits(&s.account, None)
    })
}

/// One headline of the Health box.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    pub text: String,
    /// `Health::Unknown` for facts over kinds not read, or stale.
    pub health: Health,
}

/// One line per account when more than one is in scope: its name and id, then `not read`
/// with the reason, or its failing calls and findings by severity. Bad when not read or a
/// critical/high finding holds, unknown when a call failed or was not answered yet, good
/// otherwise.
pub fn account_lines(e: &Estate, d: &Derived, n: &Narrow) -> Vec<Headline> {
    use crate::findings::Severity;
    if !e.multi_account() {
        return vec![];
    }
    let mut ids: Vec<String> = e.accounts.iter().map(|a| a.id.clone()).collect();
    for id in e.scope_accounts() {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids.retain(|id| n.account.as_ref().is_none_or(|a| a == id));
    // Failing and unanswered reads per account, counted once (not once per account).
    let mut failing_by: std::collections::HashMap<&str, usize> = Default::default();
    let mut unassessed_by: std::collections::HashMap<&str, usize> = Default::default();
    for (s, _, _) in e.errors() {
        if n.admits(&s.account, Some(&s.region)) {
            *failing_by.entry(s.account.as_str()).or_default() += 1;
        }
    }
    for (s, _, _) in e.not_assessed() {
        if n.admits(&s.account, Some(&s.region)) {
            *unassessed_by.entry(s.account.as_str()).or_default() += 1;
        }
    }
    let mut severities: std::collections::HashMap<&str, Vec<Severity>> = Default::default();
    for f in d.findings_in(n) {
        if let Some(a) = f.resources.first().and_then(|r| r.account.as_deref()) {
            severities.entry(a).or_default().push(f.severity);
        }
    }
    ids.iter()
        .map(|id| {
            let name = e.account_name(id);
            let who = if name == id || id.is_empty() {
                name.to_string()
            } else {
                format!("{name} ({id})")
            };
            if let Some(a) = e.accounts.iter().find(|a| &a.id == id && a.error.is_some()) {
                return Headline {
                    text: format!(
                        "{who}: NOT READ — {}",
                        a.error.as_deref().unwrap_or_default()
                    ),
                    health: Health::Bad,
                };
            }
            let failing = failing_by.get(id.as_str()).copied().unwrap_or(0);
            // Kinds neither read nor failed: still waiting for their first answer.
            let waiting = unassessed_by.get(id.as_str()).copied().unwrap_or(0) - failing;
            let mine: &[Severity] = severities
                .get(id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let count = |s: Severity| mine.iter().filter(|x| **x == s).count();
            let (crit, high) = (count(Severity::Critical), count(Severity::High));
            let mut text = format!(
                "{who}: {} finding(s), {crit} critical, {high} high",
                mine.len()
            );
            if failing > 0 {
                text.push_str(&format!(" · {failing} call(s) failing: not fully assessed"));
            } else if waiting > 0 {
                text.push_str(&format!(
                    " · {waiting} read(s) not answered yet: not fully assessed"
                ));
            }
            let health = if crit + high > 0 {
                Health::Bad
            } else if failing > 0 || waiting > 0 {
                Health::Unknown
            } else {
                Health::Good
            };
            Headline { text, health }
        })
        .collect()
}

/// Headline facts: BGP sessions, DX connections down, blackholes, pending peerings, VPN tunnels,
/// fail-open VPCs. `stale_after` is in seconds (two poll intervals and a margin).
pub fn headlines(
    e: &Estate,
    d: &Derived,
    n: &Narrow,
    now: Timestamp,
    stale_after: i64,
) -> Vec<Headline> {
    let f = d.facts(n);
    // Good or bad when there is something to judge; nothing of the kind is neutral, not green.
    let h = |bad: bool, any: usize| match (any, bad) {
        (0, _) => Health::Neutral,
        (_, true) => Health::Bad,
        _ => Health::Good,
    };
    let p = |n: usize| if n > 0 { Health::Pending } else { Health::Good };
    let facts: [(&str, String, Health, &[ResourceKind]); 6] = [
        (
            "BGP sessions",
            if f.bgp_peers == 0 {
                "BGP sessions: none".to_string()
            } else {
                format!("BGP sessions up {}/{}", f.bgp_up, f.bgp_peers)
            },
            h(f.bgp_up < f.bgp_peers, f.bgp_peers),
            &[ResourceKind::DxVirtualInterfaces],
        ),
        (
            "DX connections",
            format!("DX connections down {}", f.connections_down),
            h(f.connections_down > 0, 1),
            &[ResourceKind::DxConnections],
        ),
        (
            "Blackhole routes",
            format!("Blackhole routes {}", f.blackholes),
            h(f.blackholes > 0, 1),
            &[ResourceKind::TgwRoutes],
        ),
        (
            "Peerings pending acceptance",
            format!("Peerings pending acceptance {}", f.pending_peerings),
            p(f.pending_peerings),
            &[ResourceKind::VpcPeerings],
        ),
        (
            "VPN tunnels",
            if f.tunnels == 0 {
                "VPN tunnels: no VPN".to_string()
            } else {
                format!("VPN tunnels up {}/{}", f.tunnels_up, f.tunnels)
            },
            h(f.tunnels_up < f.tunnels, f.tunnels),
            &[ResourceKind::VpnConnections],
        ),
        (
            "VPCs with DNS Firewall fail-open",
            format!("VPCs with DNS Firewall fail-open {}", f.fail_open),
            p(f.fail_open),
            &[ResourceKind::FirewallConfigs],
        ),
    ];
    let mut out: Vec<Headline> = facts
        .into_iter()
        .map(|(label, text, health, kinds)| match coverage(e, kinds, n) {
            Coverage::Read { oldest } => {
                let age = (now - oldest).num_seconds();
                if age > stale_after {
                    Headline {
                        text: format!(
                            "{text} — STALE, read {} ago",
                            crate::view::human_age(age.max(0) as u64)
                        ),
                        health: Health::Unknown,
                    }
                } else {
                    Headline { text, health }
                }
            }
            c => Headline {
                text: format!("? {label}: unknown ({})", c.reason().unwrap_or_default()),
                health: Health::Unknown,
            },
        })
        .collect();
    out.extend(intents_line(d));
    out
}

/// The declared intents over the whole estate (`:intents` lists them), when there are any.
pub fn intents_line(d: &Derived) -> Option<Headline> {
    use crate::intent::State;
    if let Some(e) = &d.intents_error {
        return Some(Headline {
            text: format!("? Intents: unknown ({e})"),
            health: Health::Unknown,
        });
    }
    if d.intents.is_empty() {
        return None;
    }
    let count = |s: State| d.intents.iter().filter(|o| o.state == s).count();
    let (held, broken, unknown) = (
        count(State::Held),
        count(State::Broken),
        count(State::Unknown),
    );
    let health = match (broken, unknown) {
        (0, 0) => Health::Good,
        (0, _) => Health::Unknown,
        _ => Health::Bad,
    };
    Some(Headline {
        text: format!("Intents held {held} / broken {broken} / unknown {unknown}"),
        health,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ApiError, Update};

    #[test]
    fn with_direct_connect_unreachable_its_health_is_unknown_never_green_zeros() {
        let now = chrono::Utc::now();
        let acct = crate::demo::ACCOUNT;
        let mut e = Estate::with_scopes(&[crate::model::Scope::new(acct, "us-east-1")]);
        for u in crate::demo::updates(0, now, &["us-east-1".to_string()]) {
            if u.kind.service() != crate::model::Service::DirectConnect {
                e.apply(u);
            }
        }
        for &k in ResourceKind::ALL
            .iter()
            .filter(|k| k.service() == crate::model::Service::DirectConnect)
        {
            e.apply(
                Update::err(
                    "us-east-1",
                    k,
                    now,
                    ApiError {
                        operation: k.operations()[0].into(),
                        code: "DispatchFailure".into(),
                        message: "connection refused".into(),
                    },
                )
                .in_account(acct),
            );
        }
        let d = Derived::build(&e, &[], now, &Default::default(), &[], (e.revision, 0));
        let h = headlines(&e, &d, &Narrow::default(), now, 60);
        let bgp = &h[0];
        assert_eq!(bgp.health, Health::Unknown);
        assert!(
            bgp.text
                .starts_with("? BGP sessions: unknown (DescribeVirtualInterfaces failed"),
            "{}",
            bgp.text
        );
        assert!(
            h[1].text.starts_with("? DX connections: unknown"),
            "{}",
            h[1].text
        );
        assert!(
            !h.iter()
                .any(|x| x.text.contains("up 0/0") || x.text.contains("down 0"))
        );
        // What was read is known; stale data says so.
        assert_eq!(
            h[2].health,
            Health::Bad,
            "a blackhole route in the demo: {}",
            h[2].text
        );
        let later = now + chrono::Duration::seconds(600);
        let h = headlines(&e, &d, &Narrow::default(), later, 60);
        assert!(h[2].text.contains("STALE") && h[2].health == Health::Unknown);
    }

    #[test]
    fn an_account_not_answered_yet_is_unknown_never_green() {
        use crate::model::Scope;
        let now = chrono::Utc::now();
        let acct = crate::demo::ACCOUNT;
        let mut e = Estate::with_scopes(&[
            Scope::new(acct, "us-east-1"),
            Scope::new("222233334444", "us-east-1"),
        ]);
        for u in crate::demo::updates(0, now, &["us-east-1".to_string()]) {
            e.apply(u.in_account(acct));
        }
        let lines = account_lines(&e, &Derived::default(), &Narrow::default());
        let waiting = lines
            .iter()
            .find(|l| l.text.starts_with("222233334444"))
            .unwrap();
        assert_eq!(waiting.health, Health::Unknown);
        assert!(
            waiting.text.contains("not answered yet"),
            "{}",
            waiting.text
        );
        let read = lines.iter().find(|l| l.text.starts_with(acct)).unwrap();
        assert_eq!(read.health, Health::Good, "{}", read.text);
    }
}
