//! The overview's numbers, free of any terminal library: the rows per pane with their counts, and the headline
//! facts an on-call engineer checks first. A fact over resource kinds that could not be read
//! says "unknown" with the reason; one over stale data says it is stale. Neither is ever shown
//! as healthy.

use crate::action::Pane;
use crate::model::health::{Health, classify};
use crate::model::{Coverage, Estate, ResourceKind, Timestamp};

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
    (Pane::Peering, "VPC peering", &[ResourceKind::VpcPeerings]),
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
];

/// (total, healthy, pending, broken, errored sections) over some kinds.
pub fn counts(e: &Estate, kinds: &[ResourceKind]) -> (usize, usize, usize, usize, usize) {
    let (mut total, mut good, mut pending, mut bad, mut errors) = (0, 0, 0, 0, 0);
    for (scope, r) in &e.scopes {
        for &k in kinds {
            errors += usize::from(r.status(k).error.is_some());
            // A link between two accounts in scope counts once.
            let states = e.joined_states(scope, r, k);
            for s in states {
                total += 1;
                match classify(s) {
                    Health::Good => good += 1,
                    Health::Pending => pending += 1,
                    Health::Bad => bad += 1,
                    Health::Neutral | Health::Unknown => {}
                }
            }
        }
    }
    (total, good, pending, bad, errors)
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
pub fn account_lines(e: &Estate, findings: &[crate::findings::Finding]) -> Vec<Headline> {
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
            let failing = e
                .errors()
                .iter()
                .filter(|(s, _, _)| &s.account == id)
                .count();
            // Kinds neither read nor failed: still waiting for their first answer.
            let waiting = e
                .not_assessed()
                .iter()
                .filter(|(s, _, _)| &s.account == id)
                .count()
                - failing;
            let mine: Vec<Severity> = findings
                .iter()
                .filter(|f| {
                    f.resources
                        .first()
                        .is_some_and(|r| r.account.as_deref() == Some(id.as_str()))
                })
                .map(|f| f.severity)
                .collect();
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
pub fn headlines(e: &Estate, now: Timestamp, stale_after: i64) -> Vec<Headline> {
    let peers: Vec<_> = e
        .scopes
        .values()
        .flat_map(|r| &r.dx_vifs.items)
        .flat_map(|v| &v.bgp_peers)
        .collect();
    let up = peers.iter().filter(|p| p.bgp_status == "up").count();
    let blackholes = e
        .scopes
        .values()
        .flat_map(|r| &r.tgw_routes.items)
        .filter(|r| r.state == "blackhole")
        .count();
    let pending = e
        .scopes
        .iter()
        .flat_map(|(s, r)| r.vpc_peerings.items.iter().map(move |p| (s, p)))
        .filter(|(s, p)| {
            p.state == "pending-acceptance" && !e.is_mirror(s, ResourceKind::VpcPeerings, &p.id)
        })
        .count();
    let tunnels: Vec<_> = e
        .scopes
        .values()
        .flat_map(|r| &r.vpn_connections.items)
        .flat_map(|v| &v.tunnels)
        .collect();
    let tunnels_up = tunnels.iter().filter(|t| t.status == "UP").count();
    let conns_down = e
        .scopes
        .values()
        .flat_map(|r| &r.dx_connections.items)
        .filter(|c| c.state == "down")
        .count();
    let fail_open = e
        .scopes
        .values()
        .flat_map(|r| &r.firewall_configs.items)
        .filter(|c| c.fail_open == "ENABLED")
        .count();
    let h = |bad: bool| if bad { Health::Bad } else { Health::Good };
    let p = |n: usize| if n > 0 { Health::Pending } else { Health::Good };
    let facts: [(&str, String, Health, &[ResourceKind]); 6] = [
        (
            "BGP sessions",
            format!("BGP sessions up {up}/{}", peers.len()),
            h(up < peers.len()),
            &[ResourceKind::DxVirtualInterfaces],
        ),
        (
            "DX connections",
            format!("DX connections down {conns_down}"),
            h(conns_down > 0),
            &[ResourceKind::DxConnections],
        ),
        (
            "Blackhole routes",
            format!("Blackhole routes {blackholes}"),
            h(blackholes > 0),
            &[ResourceKind::TgwRoutes],
        ),
        (
            "Peerings pending acceptance",
            format!("Peerings pending acceptance {pending}"),
            p(pending),
            &[ResourceKind::VpcPeerings],
        ),
        (
            "VPN tunnels",
            format!("VPN tunnels up {tunnels_up}/{}", tunnels.len()),
            h(tunnels_up < tunnels.len()),
            &[ResourceKind::VpnConnections],
        ),
        (
            "VPCs with DNS Firewall fail-open",
            format!("VPCs with DNS Firewall fail-open {fail_open}"),
            p(fail_open),
            &[ResourceKind::FirewallConfigs],
        ),
    ];
    facts
        .into_iter()
        .map(|(label, text, health, kinds)| match e.coverage(kinds) {
            Coverage::Read { oldest } => {
                let age = (now - oldest).num_seconds();
                if age > stale_after {
                    Headline {
                        text: format!(
                            "{text} — STALE, read {} ago",
                            crate::app::human_age(age.max(0) as u64)
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
        .collect()
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
        let h = headlines(&e, now, 60);
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
        let h = headlines(&e, later, 60);
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
        let lines = account_lines(&e, &[]);
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
