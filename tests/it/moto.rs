//! EC2 (VPC peering, Transit Gateway) and Route 53 Resolver through the real SDK against a
//! moto server (`MOTO_URL`, started by `.ci/run`). Each test uses its own region so tests
//! can share one server.

use crate::common;

use aws_sdk_ec2::types as ec2;
use aws_sdk_route53resolver::types as r53;
use common::*;
use crossconnect::aws::OperationGuard;
use crossconnect::model::{Estate, Service};
use crossconnect::source::poll_service;

async fn poll(c: &crossconnect::aws::RegionClients, services: &[Service]) -> Estate {
    let mut e = Estate::with_regions(&[c.region.as_str()]);
    for &s in services {
        let mut updates = vec![];
        poll_service(c, s, &mut |u| updates.push(u)).await;
        for u in updates {
            e.apply(u);
        }
    }
    e
}

fn name_tag(resource: ec2::ResourceType, name: &str) -> ec2::TagSpecification {
    ec2::TagSpecification::builder()
        .resource_type(resource)
        .tags(ec2::Tag::builder().key("Name").value(name).build())
        .build()
}

async fn vpc(c: &aws_sdk_ec2::Client, cidr: &str, name: &str) -> String {
    c.create_vpc()
        .cidr_block(cidr)
        .tag_specifications(name_tag(ec2::ResourceType::Vpc, name))
        .send()
        .await
        .unwrap()
        .vpc()
        .unwrap()
        .vpc_id()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn peering_and_transit_gateway_with_a_blackhole_route() {
    let Some(moto) = moto_url() else { return };
    let region = "ap-southeast-2";
    // Setup writes go through an unguarded client; crossconnect's own clients stay read-only.
    let admin = moto_admin(region, &moto).await;
    let e2 = &admin.ec2;
    let (a, b, c3) = (
        vpc(e2, "10.70.0.0/16", "app").await,
        vpc(e2, "10.71.0.0/16", "shared").await,
        vpc(e2, "10.72.0.0/16", "partner").await,
    );
    let active = e2
        .create_vpc_peering_connection()
        .vpc_id(&a)
        .peer_vpc_id(&b)
        .tag_specifications(name_tag(
            ec2::ResourceType::VpcPeeringConnection,
            "app-to-shared",
        ))
        .send()
        .await
        .unwrap()
        .vpc_peering_connection()
        .unwrap()
        .vpc_peering_connection_id()
        .unwrap()
        .to_string();
    e2.accept_vpc_peering_connection()
        .vpc_peering_connection_id(&active)
        .send()
        .await
        .unwrap();
    let pending = create_peering(e2, &a, &c3).await;

    let tgw = e2
        .create_transit_gateway()
        .description("core")
        .tag_specifications(name_tag(ec2::ResourceType::TransitGateway, "core-tgw"))
        .send()
        .await
        .unwrap()
        .transit_gateway()
        .unwrap()
        .transit_gateway_id()
        .unwrap()
        .to_string();
    let sa = create_subnet(e2, &a, "10.70.1.0/24", "ap-southeast-2a").await;
    let att = vpc_attachment(e2, &tgw, &a, &sa).await;
    let rtb = e2
        .create_transit_gateway_route_table()
        .transit_gateway_id(&tgw)
        .tag_specifications(name_tag(
            ec2::ResourceType::TransitGatewayRouteTable,
            "prod",
        ))
        .send()
        .await
        .unwrap()
        .transit_gateway_route_table()
        .unwrap()
        .transit_gateway_route_table_id()
        .unwrap()
        .to_string();
    e2.create_transit_gateway_route()
        .transit_gateway_route_table_id(&rtb)
        .destination_cidr_block("10.0.0.0/8")
        .transit_gateway_attachment_id(&att)
        .send()
        .await
        .unwrap();
    e2.create_transit_gateway_route()
        .transit_gateway_route_table_id(&rtb)
        .destination_cidr_block("10.99.0.0/16")
        .blackhole(true)
        .send()
        .await
        .unwrap();
    e2.associate_transit_gateway_route_table()
        .transit_gateway_route_table_id(&rtb)
        .transit_gateway_attachment_id(&att)
        .send()
        .await
        .unwrap();
    e2.enable_transit_gateway_route_table_propagation()
        .transit_gateway_route_table_id(&rtb)
        .transit_gateway_attachment_id(&att)
        .send()
        .await
        .unwrap();

    let guard = OperationGuard::read_only();
    let ro = clients(region, &moto, &moto, &moto, &guard).await;
    let e = poll(&ro, &[Service::Ec2]).await;
    let r = &e.region(region).unwrap();
    assert!(r.vpc_peerings.error.is_none(), "{:?}", r.vpc_peerings.error);
    let state = |id: &str| {
        r.vpc_peerings
            .items
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.state.to_string())
    };
    assert_eq!(state(&active).as_deref(), Some("active"));
    assert_eq!(state(&pending).as_deref(), Some("pending-acceptance"));
    let p = r
        .vpc_peerings
        .items
        .iter()
        .find(|p| p.id == active)
        .unwrap();
    assert_eq!(p.name, "app-to-shared");
    assert_eq!(p.requester.cidrs, vec!["10.70.0.0/16"]);
    assert_eq!(p.accepter.vpc_id, b);
    assert!(r.vpcs.items.iter().any(|v| v.id == a && v.name == "app"));
    assert!(
        r.subnets
            .items
            .iter()
            .any(|s| s.id == sa && s.availability_zone == "ap-southeast-2a")
    );

    let g = r
        .transit_gateways
        .items
        .iter()
        .find(|g| g.id == tgw)
        .expect("tgw read");
    assert_eq!(
        (g.name.as_str(), g.state.as_str()),
        ("core-tgw", "available")
    );
    assert!(
        r.tgw_attachments
            .items
            .iter()
            .any(|x| x.id == att && x.resource_type == "vpc")
    );
    assert!(
        r.tgw_route_tables
            .items
            .iter()
            .any(|t| t.id == rtb && t.name == "prod")
    );
    assert!(r.tgw_routes.error.is_none(), "{:?}", r.tgw_routes.error);
    let route = |cidr: &str| {
        r.tgw_routes
            .items
            .iter()
            .find(|x| x.route_table_id == rtb && x.destination == cidr)
            .map(|x| x.state.to_string())
    };
    assert_eq!(route("10.0.0.0/8").as_deref(), Some("active"));
    assert_eq!(route("10.99.0.0/16").as_deref(), Some("blackhole"));
    assert!(
        r.tgw_associations
            .items
            .iter()
            .any(|x| x.route_table_id == rtb && x.attachment_id == att),
        "{:?}",
        r.tgw_associations
    );
    assert!(
        r.tgw_propagations
            .items
            .iter()
            .any(|x| x.route_table_id == rtb && x.attachment_id == att),
        "{:?}",
        r.tgw_propagations
    );
    assert!(
        guard
            .log
            .entries()
            .iter()
            .all(|op| crossconnect::aws::is_read_operation(op.split(':').nth(1).unwrap()))
    );
}

#[tokio::test]
async fn resolver_endpoints_and_forwarding_rules() {
    let Some(moto) = moto_url() else { return };
    let region = "ca-central-1";
    let admin = moto_admin(region, &moto).await;
    let e2 = &admin.ec2;
    let v = vpc(e2, "10.90.0.0/16", "dns-hub").await;
    let s1 = create_subnet(e2, &v, "10.90.1.0/24", "ca-central-1a").await;
    let s2 = create_subnet(e2, &v, "10.90.2.0/24", "ca-central-1b").await;
    let sg = e2
        .create_security_group()
        .group_name("resolver")
        .description("resolver")
        .vpc_id(&v)
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();
    let ip = |s: &str, a: &str| {
        r53::IpAddressRequest::builder()
            .subnet_id(s)
            .ip(a)
            .build()
            .unwrap()
    };
    let rs = &admin.resolver;
    let endpoint = |name: &'static str, direction: r53::ResolverEndpointDirection, host: u8| {
        rs.create_resolver_endpoint()
            .creator_request_id(uuid::Uuid::new_v4().to_string())
            .name(name)
            .direction(direction)
            .security_group_ids(&sg)
            .ip_addresses(ip(&s1, &format!("10.90.1.{host}")))
            .ip_addresses(ip(&s2, &format!("10.90.2.{host}")))
            .send()
    };
    let id = |o: aws_sdk_route53resolver::operation::create_resolver_endpoint::CreateResolverEndpointOutput| {
        o.resolver_endpoint().unwrap().id().unwrap().to_string()
    };
    let inbound = id(
        endpoint("hub-inbound", r53::ResolverEndpointDirection::Inbound, 10)
            .await
            .unwrap(),
    );
    let outbound = id(
        endpoint("hub-outbound", r53::ResolverEndpointDirection::Outbound, 20)
            .await
            .unwrap(),
    );
    let rule = rs
        .create_resolver_rule()
        .creator_request_id(uuid::Uuid::new_v4().to_string())
        .name("corp")
        .rule_type(r53::RuleTypeOption::Forward)
        .domain_name("corp.example.com")
        .resolver_endpoint_id(&outbound)
        .target_ips(
            r53::TargetAddress::builder()
                .ip("10.10.0.2")
                .port(53)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .resolver_rule()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    rs.associate_resolver_rule()
        .resolver_rule_id(&rule)
        .vpc_id(&v)
        .name("corp-hub")
        .send()
        .await
        .unwrap();

    let ro = clients(region, &moto, &moto, &moto, &OperationGuard::read_only()).await;
    let e = poll(&ro, &[Service::Ec2, Service::Resolver]).await;
    let r = &e.region(region).unwrap();
    assert!(
        r.resolver_endpoints.error.is_none(),
        "{:?}",
        r.resolver_endpoints.error
    );
    let ep = r
        .resolver_endpoints
        .items
        .iter()
        .find(|x| x.id == inbound)
        .expect("inbound endpoint");
    assert_eq!(
        (ep.name.as_str(), ep.direction.as_str(), ep.vpc_id.as_str()),
        ("hub-inbound", "INBOUND", v.as_str())
    );
    let mut ips: Vec<_> = ep.ips.iter().filter_map(|i| i.ip.clone()).collect();
    ips.sort();
    assert_eq!(ips, vec!["10.90.1.10", "10.90.2.10"]);
    assert_eq!(
        ep.availability_zones(),
        vec!["ca-central-1a", "ca-central-1b"],
        "AZs joined from DescribeSubnets"
    );
    assert!(
        r.resolver_endpoints
            .items
            .iter()
            .any(|x| x.id == outbound && x.direction == "OUTBOUND")
    );
    let rr = r
        .resolver_rules
        .items
        .iter()
        .find(|x| x.id == rule)
        .expect("rule");
    assert_eq!(
        (rr.domain_name.as_str(), rr.rule_type.as_str()),
        ("corp.example.com", "FORWARD")
    );
    assert_eq!(rr.target_ips, vec!["10.10.0.2:53"]);
    assert_eq!(rr.resolver_endpoint_id.as_deref(), Some(outbound.as_str()));
    assert!(
        r.resolver_rule_associations
            .items
            .iter()
            .any(|x| x.resolver_rule_id == rule && x.vpc_id == v)
    );
}

/// VPC route tables (DescribeRouteTables): the main table, an explicit subnet association, a
/// route to a transit gateway and one over a peering, read with their targets.
#[tokio::test]
async fn vpc_route_tables_with_their_routes_and_targets() {
    let Some(moto) = moto_url() else { return };
    let region = "ap-northeast-2";
    let admin = clients(
        region,
        &moto,
        &moto,
        &moto,
        &OperationGuard {
            allow_writes: true,
            ..Default::default()
        },
    )
    .await;
    let c = &admin.ec2;
    let a = vpc(c, "10.71.0.0/16", "rt-app").await;
    let b = vpc(c, "10.72.0.0/16", "rt-peer").await;
    let sa = create_subnet(c, &a, "10.71.1.0/24", "ap-northeast-2a").await;
    let tgw = create_tgw(c).await;
    let pcx = create_peering(c, &a, &b).await;
    let rtb = c
        .create_route_table()
        .vpc_id(&a)
        .tag_specifications(name_tag(ec2::ResourceType::RouteTable, "app-private"))
        .send()
        .await
        .unwrap()
        .route_table()
        .unwrap()
        .route_table_id()
        .unwrap()
        .to_string();
    c.associate_route_table()
        .route_table_id(&rtb)
        .subnet_id(&sa)
        .send()
        .await
        .unwrap();
    c.create_route()
        .route_table_id(&rtb)
        .destination_cidr_block("10.0.0.0/8")
        .transit_gateway_id(&tgw)
        .send()
        .await
        .unwrap();
    c.create_route()
        .route_table_id(&rtb)
        .destination_cidr_block("10.72.0.0/16")
        .vpc_peering_connection_id(&pcx)
        .send()
        .await
        .unwrap();
    let read = clients(region, &moto, &moto, &moto, &OperationGuard::read_only()).await;
    let e = poll(&read, &[Service::Ec2]).await;
    let r = &e.region(region).unwrap();
    assert!(
        r.vpc_route_tables.error.is_none(),
        "{:?}",
        r.vpc_route_tables.error
    );
    let t = r
        .vpc_route_tables
        .items
        .iter()
        .find(|t| t.id == rtb)
        .expect("the route table is read");
    assert_eq!(
        (t.name.as_str(), t.vpc_id.as_str()),
        ("app-private", a.as_str())
    );
    assert!(!t.main && t.subnet_ids == vec![sa.clone()]);
    let to = |d: &str| t.routes.iter().find(|x| x.destination == d).unwrap();
    assert_eq!(to("10.71.0.0/16").target_kind, "local");
    assert_eq!(
        (
            to("10.0.0.0/8").target_kind.as_str(),
            to("10.0.0.0/8").target_id.as_str()
        ),
        ("transit-gateway", tgw.as_str())
    );
    assert_eq!(
        (
            to("10.72.0.0/16").target_kind.as_str(),
            to("10.72.0.0/16").target_id.as_str()
        ),
        ("vpc-peering", pcx.as_str())
    );
    assert!(
        r.vpc_route_tables
            .items
            .iter()
            .any(|t| t.vpc_id == a && t.main),
        "the VPC's main table is read too"
    );
}

#[tokio::test]
async fn query_logging_and_dnssec_validation_per_vpc_at_moto() {
    let Some(moto) = moto_url() else { return };
    let region = "ap-south-1";
    let admin = moto_admin(region, &moto).await;
    let logged = vpc(&admin.ec2, "10.93.0.0/16", "logged").await;
    let dark = vpc(&admin.ec2, "10.94.0.0/16", "dark").await;
    let rs = &admin.resolver;
    let destination = format!("arn:aws:logs:{region}:123456789012:log-group:/dns/queries");
    let config = rs
        .create_resolver_query_log_config()
        .name("dns-logs")
        .destination_arn(&destination)
        .creator_request_id(uuid::Uuid::new_v4().to_string())
        .send()
        .await
        .unwrap()
        .resolver_query_log_config()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    rs.associate_resolver_query_log_config()
        .resolver_query_log_config_id(&config)
        .resource_id(&logged)
        .send()
        .await
        .unwrap();
    rs.update_resolver_dnssec_config()
        .resource_id(&logged)
        .validation(r53::Validation::Enable)
        .send()
        .await
        .unwrap();

    let c = clients(region, &moto, &moto, &moto, &OperationGuard::read_only()).await;
    let e = poll(&c, &[Service::Ec2, Service::Resolver]).await;
    let r = e.region(region).unwrap();
    assert!(
        r.query_log_configs.error.is_none(),
        "{:?}",
        r.query_log_configs.error
    );
    let cfg = r
        .query_log_configs
        .items
        .iter()
        .find(|x| x.id == config)
        .unwrap();
    assert_eq!(cfg.destination_kind(), "CloudWatch Logs");
    assert!(
        r.query_log_associations
            .items
            .iter()
            .any(|a| a.vpc_id == logged && a.config_id == config)
    );
    let validation = |v: &str| {
        r.dnssec_configs
            .items
            .iter()
            .find(|d| d.vpc_id == v)
            .map(|d| d.state.clone())
    };
    assert_eq!(validation(&logged).as_deref(), Some("ENABLED"));
    assert_ne!(validation(&dark).as_deref(), Some("ENABLED"));

    // The unlogged, unvalidated VPC is a finding of each rule; the other of neither.
    let found = crossconnect::findings::evaluate(&e);
    let on = |code: &str, v: &str| {
        found
            .iter()
            .any(|f| f.code == code && f.resources.iter().any(|x| x.id == v))
    };
    assert!(on("R53R-005", &dark) && on("R53R-006", &dark), "{found:#?}");
    assert!(!on("R53R-005", &logged) && !on("R53R-006", &logged));

    // The logged VPC's details say where its queries go.
    let details = crossconnect::view::details::related(
        &e,
        r,
        region,
        crossconnect::model::ResourceKind::Vpcs,
        &logged,
    );
    let text = format!("{details:?}");
    assert!(
        text.contains(&destination) && text.contains("CloudWatch Logs"),
        "{text}"
    );
    assert!(text.contains("ENABLED"), "{text}");
}
