//! Direct Connect and DNS Firewall through the real SDK against wire-level fixtures.

use crate::common;

use common::*;
use crossconnect::aws::OperationGuard;
use crossconnect::model::{Estate, ResourceKind, Service};
use crossconnect::source::poll_service;

async fn poll(
    service: Service,
    overrides: &[(&str, wiremock::ResponseTemplate)],
) -> (Estate, wiremock::MockServer) {
    let server = fixture_server(overrides).await;
    let c = clients(
        REGION,
        &server.uri(),
        &server.uri(),
        &server.uri(),
        &OperationGuard::read_only(),
    )
    .await;
    let mut e = Estate::with_regions(&[REGION]);
    let mut updates = vec![];
    poll_service(&c, service, &mut |u| updates.push(u)).await;
    for u in updates {
        e.apply(u);
    }
    (e, server)
}

#[tokio::test]
async fn direct_connect_reads_every_kind_and_follows_pages() {
    let (e, server) = poll(Service::DirectConnect, &[]).await;
    let r = &e.region(REGION).unwrap();
    let ids: Vec<_> = r
        .dx_connections
        .items
        .iter()
        .map(|c| (c.id.as_str(), c.state.as_str()))
        .collect();
    assert_eq!(
        ids,
        vec![
            ("dxcon-fx0a1b2c", "available"),
            ("dxcon-fx9z8y7x", "down"),
            ("dxcon-fxhosted1", "ordering")
        ]
    );
    let c0 = &r.dx_connections.items[0];
    assert_eq!(c0.location, "EqFA5");
    assert_eq!(c0.has_logical_redundancy.as_deref(), Some("no"));
    assert_eq!(c0.loa_issue_time.unwrap().timestamp(), 1_735_689_600);
    assert_eq!(r.dx_connections.items[2].vlan, Some(311));
    assert_eq!(
        r.dx_lags.items[0].connection_ids,
        vec!["dxcon-fxlag001", "dxcon-fxlag002"]
    );

    let vif = &r.dx_vifs.items[0];
    assert_eq!(
        (vif.id.as_str(), vif.vlan, vif.asn, vif.mtu),
        ("dxvif-fxsecret1", 410, 4_200_000_100, Some(8500))
    );
    assert_eq!(vif.vif_type, "transit");
    assert_eq!(vif.name, "fra-transit-1", "the API's name field wins");
    assert_eq!(vif.bgp_peers.len(), 2);
    assert_eq!(
        (
            vif.bgp_peers[0].bgp_peer_state.as_str(),
            vif.bgp_peers[0].bgp_status.as_str()
        ),
        ("available", "down")
    );
    assert_eq!(vif.bgp_summary(), "down");
    assert_eq!(
        r.dx_vifs.items[1].virtual_gateway_id.as_deref(),
        Some("vgw-0fx1234567890abcd")
    );

    assert_eq!(r.dx_gateways.items[0].name, "fixture-dxgw");
    let a = &r.dx_gateway_associations.items[0];
    assert_eq!(
        a.associated_gateway_id.as_deref(),
        Some("tgw-0fx11112222333344")
    );
    assert_eq!(a.allowed_prefixes, vec!["10.80.0.0/16", "10.81.0.0/16"]);
    assert_eq!(r.dx_gateway_attachments.items[0].state, "attached");
    assert_eq!(r.dx_virtual_gateways.items[0].state, "available");
    assert_eq!(r.dx_locations.items.len(), 2);
    assert!(e.errors().is_empty(), "{:?}", e.errors());

    let ops = received_operations(&server).await;
    assert_eq!(
        ops.iter()
            .filter(|o| *o == "OvertureService.DescribeConnections")
            .count(),
        2,
        "two pages"
    );
}

#[tokio::test]
async fn a_failing_call_marks_only_its_own_kind() {
    let denied = aws_error(
        400,
        "AccessDeniedException",
        "User is not authorized to perform directconnect:DescribeLags",
    );
    let (e, _server) = poll(Service::DirectConnect, &[("DescribeLags", denied)]).await;
    let r = &e.region(REGION).unwrap();
    let err = r.dx_lags.error.as_ref().expect("lags errored");
    assert_eq!(err.code, "AccessDeniedException");
    assert_eq!(err.operation, "DescribeLags");
    assert!(err.message.contains("not authorized"));
    assert_eq!(e.errors().len(), 1);
    assert_eq!(r.dx_vifs.items.len(), 2);
    assert_eq!(r.dx_connections.items.len(), 3);
}

#[tokio::test]
async fn an_unparsable_answer_is_an_error_of_that_kind() {
    let garbage = wiremock::ResponseTemplate::new(200).set_body_raw(
        "{\"connections\": [{\"hasLogicalRedundancy\": true}]}",
        "application/x-amz-json-1.1",
    );
    let (e, _server) = poll(Service::DirectConnect, &[("DescribeConnections", garbage)]).await;
    let err = e
        .region(REGION)
        .unwrap()
        .dx_connections
        .error
        .as_ref()
        .expect("errored");
    assert_eq!(err.code, "ResponseError");
    assert_eq!(e.region(REGION).unwrap().dx_vifs.items.len(), 2);
}

/// An emulator's or proxy's HTML error page: the pane gets the HTTP status as the code and a
/// readable reason, not the SDK's `Debug` dump.
#[tokio::test]
async fn an_html_error_page_is_reported_as_its_http_status_in_plain_words() {
    let html = wiremock::ResponseTemplate::new(500).set_body_raw(
        "<html><body>Internal Server Error</body></html>",
        "text/html",
    );
    let (e, _server) = poll(
        Service::DirectConnect,
        &[("DescribeVirtualInterfaces", html)],
    )
    .await;
    let err = e
        .region(REGION)
        .unwrap()
        .dx_vifs
        .error
        .as_ref()
        .expect("errored");
    assert_eq!(err.code, "HTTP500");
    assert!(
        err.message.starts_with("unparsable answer: "),
        "{}",
        err.message
    );
    for debug_form in ["Unhandled(", "ErrorMetadata", "DeserializeError {"] {
        assert!(!err.message.contains(debug_form), "{}", err.message);
    }
    assert_eq!(e.region(REGION).unwrap().dx_connections.items.len(), 3);
}

#[tokio::test]
async fn dns_firewall_reads_groups_rules_in_priority_order_lists_and_configs() {
    let (e, _server) = poll(Service::DnsFirewall, &[]).await;
    let r = &e.region(REGION).unwrap();
    assert_eq!(r.firewall_rule_groups.items[0].name, "fixture-allowlist");
    let rules: Vec<_> = r
        .firewall_rules
        .items
        .iter()
        .map(|x| (x.priority, x.action.as_str()))
        .collect();
    assert_eq!(
        rules,
        vec![(100, "ALLOW"), (150, "BLOCK"), (200, "BLOCK")],
        "evaluation order"
    );
    assert_eq!(
        r.firewall_rules.items[0].redirection_action,
        "INSPECT_REDIRECTION_DOMAIN"
    );
    // The Advanced rule: its detector and confidence threshold, no domain list.
    let dga = &r.firewall_rules.items[1];
    assert_eq!(
        (dga.threat.as_deref(), dga.confidence_threshold.as_deref()),
        (Some("DGA"), Some("MEDIUM"))
    );
    assert!(dga.domain_list_id.is_none() && dga.is_advanced());
    assert_eq!(
        r.firewall_rules.items[2].block_response.as_deref(),
        Some("NODATA")
    );
    assert_eq!(r.firewall_domain_lists.items.len(), 3);
    assert_eq!(
        r.firewall_associations.items[0].mutation_protection,
        "DISABLED"
    );
    assert_eq!(
        r.firewall_associations.items[0].vpc_id,
        "vpc-0fx0000000000bbbb"
    );
    assert_eq!(r.firewall_configs.items[0].fail_open, "ENABLED");
    assert!(e.errors().is_empty(), "{:?}", e.errors());
}

#[tokio::test]
async fn resolver_endpoints_carry_their_ips_and_rules_their_targets() {
    let (e, _server) = poll(Service::Resolver, &[]).await;
    let r = &e.region(REGION).unwrap();
    let ep = &r.resolver_endpoints.items[0];
    assert_eq!(
        (ep.direction.as_str(), ep.vpc_id.as_str()),
        ("INBOUND", "vpc-0fx0000000000aaaa")
    );
    assert_eq!(ep.protocols, vec!["Do53", "DoH"]);
    assert_eq!(ep.ips.len(), 2);
    assert_eq!(r.resolver_endpoints.items[1].state, "ACTION_NEEDED");
    assert_eq!(
        r.resolver_rules.items[0].target_ips,
        vec!["10.10.0.2:53", "10.10.0.3:53"]
    );
    assert_eq!(r.resolver_rules.items[0].domain_name, "corp.example.com");
    assert_eq!(
        r.resolver_rule_associations.items[0].vpc_id,
        "vpc-0fx0000000000bbbb"
    );
}

#[tokio::test]
async fn firewall_domains_on_demand_and_loa_bytes() {
    let server = fixture_server(&[]).await;
    let c = clients(
        REGION,
        &server.uri(),
        &server.uri(),
        &server.uri(),
        &OperationGuard::read_only(),
    )
    .await;
    let domains = crossconnect::aws::firewall::list_domains(&c.resolver, "rslvr-fdl-fxallowed0001")
        .await
        .unwrap();
    assert_eq!(domains, vec!["*.corp.example.com.", "login.example.net."]);
    let pdf = crossconnect::aws::directconnect::describe_loa(&c.dx, "dxcon-fx0a1b2c")
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));
    assert_eq!(
        ResourceKind::DxConnections.operations()[0],
        "DescribeConnections"
    );
}

#[tokio::test]
async fn an_account_s_regions_read_its_global_dx_gateways_once_between_them() {
    let server = fixture_server(&[]).await;
    let uri = server.uri();
    let limits = crossconnect::aws::engine::Limits::default();
    let opts = options(&uri, &uri, &uri);
    let guard = OperationGuard::read_only();
    let region = |account: &'static str, r: &'static str| {
        let (opts, guard, limits) = (opts.clone(), guard.clone(), limits.clone());
        async move { crossconnect::aws::region_clients(&opts, account, r, &guard, &limits).await }
    };
    // Two regions of one account, one region of another, polled at once.
    let clients = [
        region("111122223333", "us-east-1").await,
        region("111122223333", "eu-west-1").await,
        region("444455556666", "us-east-1").await,
    ];
    let mut updates: Vec<Vec<crossconnect::model::Update>> = vec![vec![], vec![], vec![]];
    let [a, b, c] = &mut updates[..] else {
        unreachable!()
    };
    let (mut ea, mut eb, mut ec) = (|u| a.push(u), |u| b.push(u), |u| c.push(u));
    futures_util::join!(
        poll_service(&clients[0], Service::DirectConnect, &mut ea),
        poll_service(&clients[1], Service::DirectConnect, &mut eb),
        poll_service(&clients[2], Service::DirectConnect, &mut ec),
    );
    let ops = received_operations(&server).await;
    let sent = |op: &str| ops.iter().filter(|o| o.ends_with(op)).count();
    // Once per account; the regional lists once per region.
    assert_eq!(sent(".DescribeDirectConnectGateways"), 2, "{ops:?}");
    assert_eq!(
        sent(".DescribeDirectConnectGatewayAssociations"),
        2,
        "{ops:?}"
    );
    assert_eq!(
        sent(".DescribeDirectConnectGatewayAttachments"),
        2,
        "{ops:?}"
    );
    assert_eq!(sent(".DescribeVirtualGateways"), 3, "{ops:?}");
    // Every region still has the gateways, under its own region, read at the one read's time.
    let gateways = |us: &[crossconnect::model::Update], region: &str| {
        let u = us
            .iter()
            .find(|u| u.kind == ResourceKind::DxGateways)
            .expect("a gateways update");
        assert_eq!(u.region, region);
        match &u.result {
            Ok(crossconnect::model::Batch::DxGateways(g)) => (g.len(), u.at),
            other => panic!("{other:?}"),
        }
    };
    let (n_east, at_east) = gateways(&updates[0], "us-east-1");
    let (n_west, at_west) = gateways(&updates[1], "eu-west-1");
    assert!(n_east > 0);
    assert_eq!((n_east, at_east), (n_west, at_west));
    assert_eq!(gateways(&updates[2], "us-east-1").0, n_east);
}

#[tokio::test]
async fn macsec_as_direct_connect_answers_it_raises_its_findings_and_keeps_no_key() {
    let (e, _server) = poll(Service::DirectConnect, &[]).await;
    let r = e.region(REGION).unwrap();
    let c = r
        .dx_connections
        .items
        .iter()
        .find(|c| c.id == "dxcon-fx0a1b2c")
        .unwrap();
    assert_eq!(c.mac_sec_capable, Some(true));
    assert_eq!(c.encryption_mode.as_deref(), Some("should_encrypt"));
    assert_eq!(c.port_encryption_status.as_deref(), Some("Encryption Down"));
    assert_eq!(c.mac_sec_keys[0].state, "associated");
    let lag = &r.dx_lags.items[0];
    assert_eq!(lag.encryption_mode.as_deref(), Some("must_encrypt"));
    // SiteLink as the VIF answer gives it; a VIF that does not say is not claimed off.
    let sitelink: Vec<_> = r
        .dx_vifs
        .items
        .iter()
        .map(|v| (v.id.as_str(), v.site_link_enabled))
        .collect();
    assert!(
        sitelink.contains(&("dxvif-fxsecret1", Some(true))),
        "{sitelink:?}"
    );
    assert!(
        sitelink.contains(&("dxvif-fxpriv002", None)),
        "{sitelink:?}"
    );
    assert_eq!(lag.mac_sec_keys[0].state, "disassociated");
    let found = crossconnect::findings::evaluate(&e);
    let on = |code: &str, id: &str| {
        found
            .iter()
            .filter(|f| f.code == code && f.resources.iter().any(|x| x.id == id))
            .count()
    };
    assert_eq!(on("DX-012", "dxcon-fx0a1b2c"), 1, "{found:#?}");
    assert_eq!(on("DX-011", "dxcon-fx0a1b2c"), 0, "one judgement per port");
    assert_eq!(on("DX-013", "dxlag-fxabcdef"), 1);
    assert_eq!(on("DX-013", "dxcon-fx0a1b2c"), 0);
    // Connections whose encryption status AWS did not give are not judged.
    assert_eq!(
        found.iter().filter(|f| f.code == "DX-011").count(),
        0,
        "{found:#?}"
    );
    let json = serde_json::to_string(&found).unwrap();
    for s in SECRETS {
        assert!(!json.contains(s), "the findings carry {s}");
    }
}

#[tokio::test]
async fn resolver_query_logging_and_dnssec_read_as_aws_answers_them() {
    let (e, _server) = poll(Service::Resolver, &[]).await;
    let r = e.region(REGION).unwrap();
    let cfg = &r.query_log_configs.items[0];
    assert_eq!(
        (
            cfg.id.as_str(),
            cfg.destination_kind(),
            cfg.association_count
        ),
        ("rqlc-fx0123456789abcd", "CloudWatch Logs", 1)
    );
    let a = &r.query_log_associations.items[0];
    assert_eq!(
        (
            a.config_id.as_str(),
            a.vpc_id.as_str(),
            a.state.as_str(),
            a.error.as_deref()
        ),
        (
            "rqlc-fx0123456789abcd",
            "vpc-0fx0000000000aaaa",
            "ACTIVE",
            None
        )
    );
    let dnssec: Vec<_> = r
        .dnssec_configs
        .items
        .iter()
        .map(|d| (d.vpc_id.as_str(), d.validating()))
        .collect();
    assert_eq!(
        dnssec,
        vec![
            ("vpc-0fx0000000000aaaa", true),
            ("vpc-0fx0000000000bbbb", false)
        ]
    );
}

#[tokio::test]
async fn a_rule_that_reaches_a_vpc_only_through_a_profile_is_in_effect_there_marked_with_it() {
    let (e, server) = poll(Service::Resolver, &[]).await;
    let r = e.region(REGION).unwrap();
    assert!(r.profiles.error.is_none(), "{:?}", r.profiles.error);
    assert_eq!(r.profiles.items[0].name, "corp-dns");
    assert_eq!(
        r.profile_associations.items[0].vpc_id,
        "vpc-0fx0000000000aaaa"
    );
    let kinds: Vec<_> = r
        .profile_resources
        .items
        .iter()
        .map(|x| (x.resource_type.as_str(), x.resource_id.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("RESOLVER_RULE", "rslvr-rr-fx0123456789abcd"),
            ("FIREWALL_RULE_GROUP", "rslvr-frg-fx0123456789ab")
        ]
    );
    // The rule is associated directly with vpc-…bbbb, and reaches vpc-…aaaa only through
    // the Profile.
    let effective: Vec<_> = r
        .effective_rules()
        .iter()
        .map(|x| (x.vpc_id.clone(), x.rule.id.clone(), x.source()))
        .collect();
    let rule = "rslvr-rr-fx0123456789abcd".to_string();
    assert_eq!(
        effective,
        vec![
            (
                "vpc-0fx0000000000aaaa".to_string(),
                rule.clone(),
                "via profile corp-dns (rp-fx0123456789ab)".to_string()
            ),
            (
                "vpc-0fx0000000000bbbb".to_string(),
                rule,
                "direct".to_string()
            ),
        ]
    );
    // The Profile's rule group is in effect for vpc-…aaaa too, at the priority it gives.
    let (firewall, _fw) = poll(Service::DnsFirewall, &[]).await;
    let mut r = firewall.region(REGION).unwrap().clone();
    let p = e.region(REGION).unwrap();
    r.profiles = p.profiles.clone();
    r.profile_associations = p.profile_associations.clone();
    r.profile_resources = p.profile_resources.clone();
    let fw: Vec<_> = r
        .effective_firewall()
        .into_iter()
        .filter(|g| g.via_profile.is_some())
        .map(|g| (g.rule_group_id, g.vpc_id, g.priority))
        .collect();
    assert_eq!(
        fw,
        vec![(
            "rslvr-frg-fx0123456789ab".to_string(),
            "vpc-0fx0000000000aaaa".to_string(),
            102
        )]
    );
    let ops = received_operations(&server).await;
    for op in [
        "ListProfiles",
        "ListProfileAssociations",
        "ListProfileResourceAssociations",
    ] {
        let sent = ops
            .iter()
            .filter(|o| **o == format!("Route53Profiles.{op}"));
        assert_eq!(sent.count(), 1, "{op}: {ops:?}");
    }
}
