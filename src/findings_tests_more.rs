//! The severities as the README gives them, the paths lost, the LOA's expiry, the rules over
//! history and the notices of contradictory answers, with the demo estate.

use crate::findings::*;
use crate::findings_tests::{demo_estate, use1};

/// Single checks of the resolver, firewall and peering rules on the demo estate.
mod single {
    use crate::findings::*;
    use crate::findings_tests::{demo_estate, euw2, has, use1};
    use crate::model::*;

    #[test]
    fn a_rule_carried_by_a_profile_is_in_effect_and_its_path_002_names_the_vpc() {
        // analytics has no rule association: the corp-dns Profile brings it lab-forward,
        // whose targets no route reaches.
        let (lab, analytics) = ("rslvr-rr-3c4d5e6f7a8b9c0d1", "vpc-0a1b2c3d4e5f60004");
        let mut e = demo_estate();
        let r = use1(&mut e);
        assert!(
            !r.resolver_rule_associations
                .items
                .iter()
                .any(|a| a.vpc_id == analytics)
        );
        let effective = r.effective_rules();
        let for_analytics: Vec<_> = effective.iter().filter(|x| x.vpc_id == analytics).collect();
        assert_eq!(for_analytics.len(), 2, "{for_analytics:?}");
        assert!(
            for_analytics
                .iter()
                .all(|x| x.source() == "via profile corp-dns (rp-useast0a1b2c3d)")
        );
        assert!(has(&e, "PATH-002", analytics), "through the Profile");
        let f = evaluate(&e);
        let path = f.iter().find(|f| f.code == "PATH-002").unwrap();
        let vpcs = &path
            .evidence
            .iter()
            .find(|(k, _)| *k == "vpcs_using_the_rule")
            .unwrap()
            .1;
        assert!(
            vpcs.contains(&format!("{analytics} (via profile corp-dns")),
            "{vpcs}"
        );
        assert!(
            path.title.ends_with("broken for 2 VPC(s), 1 via a Profile"),
            "{}",
            path.title
        );
        // Without the Profile's association, analytics is out of it.
        use1(&mut e).profile_associations.items.clear();
        let f = evaluate(&e);
        let path = f
            .iter()
            .find(|f| f.code == "PATH-002" && f.resources.iter().any(|r| r.id == lab));
        assert!(!path.unwrap().resources.iter().any(|r| r.id == analytics));
    }

    #[test]
    fn sitelink_joins_the_locations_of_a_gateway_s_sitelink_vifs_in_the_topology() {
        let sitelink = |e: &Estate| {
            let d = crate::derived::Derived::build(
                e,
                &[],
                chrono::Utc::now(),
                &Default::default(),
                &[],
                (0, 0),
            );
            let lines = crate::graph::tree_lines(&d.topology);
            lines
                .into_iter()
                .find(|l| l.contains("sitelink "))
                .unwrap_or_default()
        };
        let mut e = demo_estate();
        let line = sitelink(&e);
        assert!(
            line.contains("EqDC2 ↔ LD5 (2 of 2 VIFs working) [up]"),
            "{line}"
        );
        // One of the two VIFs loses BGP: no location-to-location path is left.
        let ash = use1(&mut e).dx_vifs.items.iter_mut();
        let ash = ash.into_iter().find(|v| v.id == "dxvif-fg7h8i9j").unwrap();
        for p in &mut ash.bgp_peers {
            p.bgp_status = BgpStatus::Down;
        }
        assert!(sitelink(&e).contains("(1 of 2 VIFs working) [down]"));
        // SiteLink off on one: nothing is claimed.
        use1(&mut e)
            .dx_vifs
            .items
            .iter_mut()
            .for_each(|v| v.site_link_enabled = None);
        assert_eq!(sitelink(&e), "");
    }

    #[test]
    fn a_delegate_rule_is_traced_like_a_forwarding_rule() {
        let id = "rslvr-rr-4d5e6f7a8b9c0d1e2";
        let mut e = demo_estate();
        assert!(!has(&e, "PATH-002", id), "its targets answer");
        let rule = use1(&mut e).resolver_rules.items.iter_mut();
        let rule = rule.into_iter().find(|r| r.id == id).unwrap();
        assert_eq!(rule.rule_type, "DELEGATE");
        // To the lab network, which no route reaches.
        rule.target_ips = vec!["172.16.8.10:53".into()];
        assert!(has(&e, "PATH-002", id));
    }

    #[test]
    fn single_az_is_judged_by_subnet_when_azs_are_unknown() {
        let mut e = demo_estate();
        for ip in &mut euw2(&mut e).resolver_endpoints.items[0].ips {
            ip.availability_zone = None;
            ip.subnet_id = "subnet-0same".into();
        }
        assert!(has(&e, "R53R-001", "rslvr-in-9a8b7c6d5e4f3a2b1"));
        euw2(&mut e).resolver_endpoints.items[0].ips[1].subnet_id = "subnet-0other".into();
        assert!(
            !has(&e, "R53R-001", "rslvr-in-9a8b7c6d5e4f3a2b1"),
            "two subnets, AZs unknown: no claim"
        );
    }

    #[test]
    fn allow_before_block_needs_a_block_that_covers_everything() {
        let mut e = demo_estate();
        use1(&mut e).firewall_domain_lists.items[1].domains = Some(vec!["bad.example.".into()]);
        assert!(!has(&e, "DNSFW-003", "rslvr-frg-3c4d5e6f7a8b9c0d"));
        use1(&mut e).firewall_domain_lists.items[1].domains = None;
        use1(&mut e).firewall_domain_lists.items[1].name = "regulated-egress".into();
        assert!(
            !has(&e, "DNSFW-003", "rslvr-frg-3c4d5e6f7a8b9c0d"),
            "unknown domains, neutral name: no claim"
        );
    }

    #[test]
    fn unreadable_domains_fall_back_to_a_list_name_that_says_everything() {
        let mut e = demo_estate();
        use1(&mut e).firewall_domain_lists.items[1].domains = None;
        for name in [
            "all-domains",
            "block-all",
            "BlockAll_List",
            "catch-all",
            "*",
            "wildcard-deny",
        ] {
            use1(&mut e).firewall_domain_lists.items[1].name = name.into();
            let f = evaluate(&e)
                .into_iter()
                .find(|f| f.code == "DNSFW-003")
                .unwrap_or_else(|| panic!("{name}: no DNSFW-003"));
            assert!(
                f.evidence
                    .iter()
                    .any(|(k, v)| k == "blockAllJudgedBy" && v == "name"),
                "{name}: {:?}",
                f.evidence
            );
        }
        for name in ["blocklist-malware", "known-bad", "small-domains-list"] {
            use1(&mut e).firewall_domain_lists.items[1].name = name.into();
            assert!(
                !has(&e, "DNSFW-003", "rslvr-frg-3c4d5e6f7a8b9c0d"),
                "{name} says nothing about covering everything"
            );
        }
        // Read domains decide over the name.
        use1(&mut e).firewall_domain_lists.items[1].name = "block-all".into();
        use1(&mut e).firewall_domain_lists.items[1].domains = Some(vec!["bad.example.".into()]);
        assert!(!has(&e, "DNSFW-003", "rslvr-frg-3c4d5e6f7a8b9c0d"));
    }

    #[test]
    fn pending_peering_reports_time_left_and_turns_high_in_the_last_day() {
        let mut e = demo_estate();
        let f = evaluate(&e)
            .into_iter()
            .find(|f| f.code == "PCX-001")
            .unwrap();
        assert_eq!(f.evidence["timeLeft"], "5d 3h");
        assert_eq!(f.severity, Severity::Medium);
        let as_of = e.as_of().unwrap();
        use1(&mut e).vpc_peerings.items[1].expiration_time =
            Some(as_of + chrono::Duration::hours(5));
        let f = evaluate(&e)
            .into_iter()
            .find(|f| f.code == "PCX-001")
            .unwrap();
        assert_eq!(
            (f.severity, f.evidence["timeLeft"].as_str()),
            (Severity::High, "5h")
        );
    }

    #[test]
    fn blackhole_finding_carries_its_cidr() {
        let f = evaluate(&demo_estate())
            .into_iter()
            .find(|f| f.code == "TGW-001")
            .unwrap();
        assert_eq!(f.evidence["destinationCidrBlock"], "10.99.0.0/16");
        assert!(f.title.contains("10.99.0.0/16"));
    }

    #[test]
    fn allow_before_block_across_rule_groups_of_one_vpc() {
        // Move the block-all rule into its own group, associated with the same VPC at a later
        // priority than the allow-list group.
        let mut e = demo_estate();
        let r = use1(&mut e);
        r.firewall_rules.items[1].rule_group_id = "rslvr-frg-blockall000000".into();
        r.firewall_rule_groups.items.push(FirewallRuleGroup {
            id: "rslvr-frg-blockall000000".into(),
            name: "block-all".into(),
            ..Default::default()
        });
        let mut later = r.firewall_associations.items[0].clone();
        later.id = "rslvr-frgassoc-later".into();
        later.rule_group_id = "rslvr-frg-blockall000000".into();
        later.priority = 300;
        r.firewall_associations.items.push(later.clone());
        let found = evaluate(&e)
            .into_iter()
            .find(|f| f.code == "DNSFW-003" && f.evidence.contains_key("vpcId"))
            .expect("cross-group finding");
        assert_eq!(found.evidence["vpcId"], "vpc-0a1b2c3d4e5f60001");
        assert!(
            found
                .resources
                .iter()
                .any(|x| x.id == "rslvr-frg-3c4d5e6f7a8b9c0d|100")
        );
        // Evaluated the other way round (block-all group first), the ALLOW rule never matters.
        let mut e2 = e.clone();
        use1(&mut e2)
            .firewall_associations
            .items
            .last_mut()
            .unwrap()
            .priority = 100;
        use1(&mut e2).firewall_associations.items[0].priority = 101;
        assert!(
            !evaluate(&e2)
                .iter()
                .any(|f| f.code == "DNSFW-003" && f.evidence.contains_key("vpcId"))
        );
        // Trusting redirection domains silences it.
        use1(&mut e).firewall_rules.items[0].redirection_action = "TRUST_REDIRECTION_DOMAIN".into();
        assert!(!evaluate(&e).iter().any(|f| f.code == "DNSFW-003"));
    }
}

/// The rules over history (HIST-*), with the demo estate.
mod history {
    use crate::findings::history::*;
    use crate::history::Event;
    use crate::model::{Estate, ResourceKind, Timestamp};

    fn ev(at: Timestamp, id: &str, field: &str, old: &str, new: &str, kind: ResourceKind) -> Event {
        Event {
            at,
            account: String::new(),
            region: "us-east-1".into(),
            kind: kind.into(),
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
        for r in e.scopes.values_mut().map(std::sync::Arc::make_mut) {
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

/// Contradictions in AWS's answers, named.
mod notices {
    use crate::derived::notices::*;
    use crate::graph::Index;
    use crate::model::TgwAssociation;

    #[test]
    fn an_attachment_listed_in_two_route_tables_is_named_with_the_one_used() {
        let now = chrono::Utc::now();
        let mut e = crate::demo::estate(0, now);
        let quiet = notices(&e, &Index::new(&e));
        assert!(quiet.is_empty(), "{quiet:?}");
        e.region_mut("us-east-1")
            .unwrap()
            .tgw_associations
            .items
            .push(TgwAssociation {
                route_table_id: "tgw-rtb-0a1b2c3d4e5f60004".into(),
                attachment_id: "tgw-attach-0a1b2c3d4e5f60001".into(),
                resource_id: None,
                resource_type: None,
                state: "associated".into(),
            });
        let n = notices(&e, &Index::new(&e));
        let two = n
            .iter()
            .find(|x| x.id == "tgw-attach-0a1b2c3d4e5f60001" && x.text.contains("2 route tables"))
            .unwrap_or_else(|| panic!("{n:?}"));
        assert!(
            two.text.contains("the path trace uses tgw-rtb-"),
            "{}",
            two.text
        );
    }
}

#[test]
fn every_rule_has_the_severity_the_readme_gives_it() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("Each rule's default severity")
        .expect("the README's severity table");
    let mut listed = std::collections::BTreeMap::new();
    for line in readme[start..].lines().skip(4) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        for pair in cells.chunks(2) {
            if let [code, sev] = pair
                && !code.is_empty()
            {
                listed.insert(
                    code.to_string(),
                    sev.split_whitespace().next().unwrap_or(""),
                );
            }
        }
    }
    for r in rules() {
        assert_eq!(
            listed.get(r.code).copied(),
            Some(r.severity.label()),
            "{}: the README's severity table and the rule disagree",
            r.code
        );
    }
    assert_eq!(
        listed.len(),
        rules().len(),
        "no rule listed twice or unknown"
    );
}

#[test]
fn a_vpc_with_every_dx_path_down_has_lost_its_last_path() {
    let mut e = demo_estate();
    for r in e.scopes.values_mut().map(std::sync::Arc::make_mut) {
        for v in &mut r.dx_vifs.items {
            for p in &mut v.bgp_peers {
                p.bgp_status = "down".into();
            }
        }
        // No VPN backup to carry it either (with one, it is high: see transit_tests).
        for v in &mut r.vpn_connections.items {
            for t in &mut v.tunnels {
                t.status = "DOWN".into();
            }
        }
    }
    let f = evaluate(&e);
    let lost = f
        .iter()
        .find(|x| x.code == "PATH-007" && x.resources[0].id == "vpc-0a1b2c3d4e5f60001")
        .expect("PATH-007 on prod-app");
    assert_eq!(lost.severity, Severity::Critical, "{}", lost.title);
    assert!(
        lost.title.contains("no working path to on-prem left"),
        "{}",
        lost.title
    );
}

#[test]
fn an_loa_older_than_90_days_is_said_to_have_expired() {
    let mut e = demo_estate();
    let now = e.as_of().unwrap();
    let c = &mut use1(&mut e).dx_connections.items[2];
    c.state = "requested".into();
    c.loa_issue_time = Some(now - chrono::Duration::days(100));
    let id = c.id.clone();
    let f = evaluate(&e);
    let loa = f
        .iter()
        .find(|x| x.code == "DX-002" && x.resources[0].id == id)
        .unwrap();
    assert!(loa.title.contains("LOA-CFA expired 10d"), "{}", loa.title);
    use1(&mut e).dx_connections.items[2].loa_issue_time = Some(now - chrono::Duration::days(30));
    let f = evaluate(&e);
    let loa = f
        .iter()
        .find(|x| x.code == "DX-002" && x.resources[0].id == id)
        .unwrap();
    assert!(
        loa.title.contains("LOA-CFA expires in 60d"),
        "{}",
        loa.title
    );
}

/// #21 item 4: a VPC behind a DX gateway whose CIDR the association's allowed prefixes leave
/// out is never learnt on-prem: a finding (PATH-004) whose return-path cause is the
/// association, and `path` names the association too.
#[test]
fn a_vpc_left_out_of_the_dxgw_allowed_prefixes_is_a_finding_and_the_return_cause() {
    let prod = "vpc-0a1b2c3d4e5f60001";
    let about_prod = |e: &crate::model::Estate| {
        evaluate(e)
            .into_iter()
            .filter(|f| f.code == "PATH-004" && f.resources.iter().any(|r| r.id == prod))
            .collect::<Vec<_>>()
    };
    let mut e = demo_estate();
    assert!(about_prod(&e).is_empty(), "the demo advertises prod-app");
    for a in &mut use1(&mut e).dx_gateway_associations.items {
        a.allowed_prefixes.retain(|p| p != "10.20.0.0/16");
    }
    let found = about_prod(&e);
    assert_eq!(found.len(), 1, "{found:#?}");
    let why = &found[0].evidence["return_problems"];
    assert!(
        why.contains("does not advertise 10.20.") && why.contains("allowed prefixes"),
        "{why}"
    );
    let ix = crate::graph::Index::new(&e);
    let t = crate::graph::path::trace(&ix, prod, "10.0.0.1").unwrap();
    assert!(
        t.back
            .problems
            .iter()
            .any(|p| p.contains("does not advertise 10.20.0.0/16")
                && p.contains("tgw-0c1d2e3f4a5b60001")),
        "{:?}",
        t.back.problems
    );
}
