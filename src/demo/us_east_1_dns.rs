//! The demo estate of us-east-1, DNS: the Resolver endpoints, forwarding rules and their
//! associations; the DNS Firewall's rule groups, rules in evaluation order, domain lists,
//! associations and fail-open configs.

use crate::model::*;

use super::build::*;
use super::*;

/// The Resolver endpoints (inbound, outbound) of shared-services, its forwarding rules and
/// their associations.
pub(super) fn resolver(
    prod: &str,
    shared: &str,
    now: Timestamp,
) -> (
    ResolverEndpoint,
    ResolverEndpoint,
    Vec<ResolverRule>,
    Vec<ResolverRuleAssociation>,
) {
    let in_ep = endpoint(
        "rslvr-in-5f1a2b3c4d5e6f7a8",
        "onprem-to-aws-inbound",
        "INBOUND",
        shared,
        "sg-0a1b2c3d4e5f60010",
        &["Do53", "DoH"],
        vec![
            endpoint_ip(
                "rni-0a1b2c3d4e5f60001",
                "10.30.1.10",
                "subnet-0aa2222222222a002",
            ),
            endpoint_ip(
                "rni-0a1b2c3d4e5f60002",
                "10.30.2.10",
                "subnet-0bb2222222222b002",
            ),
        ],
        now,
    );
    let out_ep = endpoint(
        "rslvr-out-7b8c9d0e1f2a3b4c5",
        "aws-to-onprem-outbound",
        "OUTBOUND",
        shared,
        "sg-0a1b2c3d4e5f60011",
        &["Do53"],
        vec![
            endpoint_ip(
                "rni-0a1b2c3d4e5f60003",
                "10.30.1.20",
                "subnet-0aa2222222222a002",
            ),
            endpoint_ip(
                "rni-0a1b2c3d4e5f60004",
                "10.30.2.20",
                "subnet-0bb2222222222b002",
            ),
        ],
        now,
    );
    let fwd = |id: &str, name: &str, domain: &str, targets: &[&str]| ResolverRule {
        id: s(id),
        name: s(name),
        state: RuleStatus::Complete,
        domain_name: s(domain),
        rule_type: s("FORWARD"),
        resolver_endpoint_id: so(&out_ep.id),
        target_ips: targets.iter().map(|t| s(t)).collect(),
        owner_id: so(ACCOUNT),
        share_status: so("NOT_SHARED"),
        delegation_record: None,
    };
    let rules = vec![
        fwd(
            "rslvr-rr-1a2b3c4d5e6f7a8b9",
            "corp-example-forward",
            "corp.example.com",
            &["10.10.0.2:53", "10.10.0.3:53"],
        ),
        fwd(
            "rslvr-rr-2b3c4d5e6f7a8b9c0",
            "ad-forward",
            "ad.corp.example.com",
            &["10.10.1.2:53", "10.10.1.3:53"],
        ),
        // Forwards to DNS servers in a lab network no route leads to: every resource looks
        // healthy, yet lookups of lab.corp.example.com time out.
        fwd(
            "rslvr-rr-3c4d5e6f7a8b9c0d1",
            "lab-forward",
            "lab.corp.example.com",
            &["172.16.8.10:53", "172.16.8.11:53"],
        ),
        // Queries whose answers delegate svc.corp.example.com go to the on-prem servers.
        {
            let mut r = fwd(
                "rslvr-rr-4d5e6f7a8b9c0d1e2",
                "svc-delegate",
                "svc.corp.example.com",
                &["10.10.0.2:53", "10.10.0.3:53"],
            );
            r.rule_type = s("DELEGATE");
            r.delegation_record = so("svc.corp.example.com");
            r
        },
        ResolverRule {
            id: s("rslvr-autodefined-rr-internet-resolver"),
            name: s("Internet Resolver"),
            state: RuleStatus::Complete,
            domain_name: s("."),
            rule_type: s("RECURSIVE"),
            owner_id: so("Route 53 Resolver"),
            share_status: so("NOT_SHARED"),
            ..Default::default()
        },
    ];
    let rassoc = |id: &str, name: &str, rule: &str, vpc_id: &str| ResolverRuleAssociation {
        id: s(id),
        name: s(name),
        state: RuleAssociationStatus::Complete,
        resolver_rule_id: s(rule),
        vpc_id: s(vpc_id),
    };
    let rule_assocs = vec![
        rassoc(
            "rslvr-rrassoc-0a1b2c3d4e5f60001",
            "corp-prod",
            "rslvr-rr-1a2b3c4d5e6f7a8b9",
            prod,
        ),
        rassoc(
            "rslvr-rrassoc-0a1b2c3d4e5f60002",
            "corp-shared",
            "rslvr-rr-1a2b3c4d5e6f7a8b9",
            shared,
        ),
        rassoc(
            "rslvr-rrassoc-0a1b2c3d4e5f60003",
            "ad-shared",
            "rslvr-rr-2b3c4d5e6f7a8b9c0",
            shared,
        ),
        rassoc(
            "rslvr-rrassoc-0a1b2c3d4e5f60004",
            "lab-shared",
            "rslvr-rr-3c4d5e6f7a8b9c0d1",
            shared,
        ),
        rassoc(
            "rslvr-rrassoc-0a1b2c3d4e5f60005",
            "svc-prod",
            "rslvr-rr-4d5e6f7a8b9c0d1e2",
            prod,
        ),
    ];
    (in_ep, out_ep, rules, rule_assocs)
}

/// The firewall of the prod and shared-services VPCs.
#[allow(clippy::type_complexity)]
pub(super) fn firewall(
    prod: &str,
    shared: &str,
) -> (
    Vec<FirewallRuleGroup>,
    Vec<FirewallRule>,
    Vec<FirewallDomainList>,
    Vec<FirewallAssociation>,
    Vec<FirewallConfig>,
) {
    let (g_egress, g_threat) = ("rslvr-frg-3c4d5e6f7a8b9c0d", "rslvr-frg-4d5e6f7a8b9c0d1e");
    let fw_groups = vec![
        FirewallRuleGroup {
            id: s(g_egress),
            name: s("egress-allowlist"),
            owner_id: so(ACCOUNT),
            share_status: so("NOT_SHARED"),
            ..Default::default()
        },
        FirewallRuleGroup {
            id: s(g_threat),
            name: s("threat-block"),
            owner_id: so(ACCOUNT),
            share_status: so("NOT_SHARED"),
            ..Default::default()
        },
    ];
    let fw_rules = vec![
        fw_rule(
            g_egress,
            "allow-saas",
            100,
            "rslvr-fdl-1a2b3c4d5e6f7081",
            "ALLOW",
            "INSPECT_REDIRECTION_DOMAIN",
        ),
        fw_rule(
            g_egress,
            "block-everything-else",
            200,
            "rslvr-fdl-2b3c4d5e6f708192",
            "BLOCK",
            "INSPECT_REDIRECTION_DOMAIN",
        ),
        fw_rule(
            g_threat,
            "block-malware",
            100,
            "rslvr-fdl-4d5e6f708192a3b4",
            "BLOCK",
            "INSPECT_REDIRECTION_DOMAIN",
        ),
        {
            // DNS Firewall Advanced: tunnelling detection instead of a domain list.
            let mut r = fw_rule(g_threat, "block-dns-tunnelling", 150, "", "BLOCK", "");
            (r.domain_list_id, r.redirection_action) = (None, String::new());
            r.threat = so("DNS_TUNNELING");
            r.confidence_threshold = so("HIGH");
            r
        },
        {
            let mut r = fw_rule(
                g_threat,
                "alert-known-bad",
                200,
                "rslvr-fdl-3c4d5e6f708192a3",
                "ALERT",
                "INSPECT_REDIRECTION_DOMAIN",
            );
            r.block_response = None;
            r
        },
    ];
    let fw_lists = domain_lists();
    let fw_assocs = vec![
        FirewallAssociation {
            id: s("rslvr-frgassoc-5e6f7a8b9c0d1e2f"),
            name: s("prod-egress"),
            state: FirewallAssociationStatus::Complete,
            rule_group_id: s(g_egress),
            vpc_id: s(prod),
            priority: 101,
            mutation_protection: s("ENABLED"),
        },
        FirewallAssociation {
            id: s("rslvr-frgassoc-6f7a8b9c0d1e2f3a"),
            name: s("shared-threat"),
            state: FirewallAssociationStatus::Complete,
            rule_group_id: s(g_threat),
            vpc_id: s(shared),
            priority: 200,
            mutation_protection: s("DISABLED"),
        },
    ];
    let fc = |id: &str, vpc_id: &str, fail_open: &str| FirewallConfig {
        id: s(id),
        name: s(vpc_id),
        state: FailOpen::from(fail_open),
        vpc_id: s(vpc_id),
        fail_open: FailOpen::from(fail_open),
        owner_id: so(ACCOUNT),
    };
    let fw_configs = vec![
        fc("rslvr-fc-0a1b2c3d4e5f6001", prod, "DISABLED"),
        fc("rslvr-fc-0a1b2c3d4e5f6002", shared, "ENABLED"),
    ];
    (fw_groups, fw_rules, fw_lists, fw_assocs, fw_configs)
}

pub(super) fn domain_lists() -> Vec<FirewallDomainList> {
    let l = |id: &str, name: &str, managed: Option<&str>| FirewallDomainList {
        id: s(id),
        name: s(name),
        state: String::new(),
        managed_owner_name: managed.map(str::to_string),
        domains: (id == "rslvr-fdl-2b3c4d5e6f708192").then(|| domains(id).unwrap_or_default()),
    };
    vec![
        l("rslvr-fdl-1a2b3c4d5e6f7081", "allowed-saas-domains", None),
        l("rslvr-fdl-2b3c4d5e6f708192", "all-domains", None),
        l("rslvr-fdl-3c4d5e6f708192a3", "known-bad", None),
        l(
            "rslvr-fdl-4d5e6f708192a3b4",
            "AWSManagedDomainsMalwareDomainList",
            Some("Route 53 Resolver DNS Firewall"),
        ),
    ]
}

/// Query logging to CloudWatch Logs for prod, shared-services, egress and batch-jobs, and
/// DNSSEC validation on them: analytics is neither logged nor validated; and the Profile
/// that carries forwarding rules to analytics.
pub(super) fn dns(prod: &str, shared: &str, egress: &str, analytics: &str) -> [Batch; 6] {
    let batch = "vpc-0a1b2c3d4e5f60005";
    // The corp-dns Profile carries the corp and lab forwarding rules to analytics, which has
    // no rule association of its own.
    let [p, pa, pr] = profile(
        "us-east-1",
        "corp-dns",
        &["rslvr-rr-1a2b3c4d5e6f7a8b9", "rslvr-rr-3c4d5e6f7a8b9c0d1"],
        &[analytics],
    );
    let [l, la, d] = dns_hygiene(
        "us-east-1",
        "arn:aws:logs:us-east-1:111122223333:log-group:/corp/dns-queries",
        &[prod, shared, egress, batch],
        &[
            (prod, true),
            (shared, true),
            (egress, true),
            (batch, true),
            (analytics, false),
        ],
    );
    [l, la, d, p, pa, pr]
}
