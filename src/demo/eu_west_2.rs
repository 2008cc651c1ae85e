//! The demo estate of eu-west-2.

use crate::model::*;

use super::build::*;
use super::us_east_1_dns::domain_lists;
use super::*;

pub(super) fn eu_west_2(tick: u64, now: Timestamp) -> Vec<Batch> {
    let _ = tick;
    let r = "eu-west-2";
    let (prod, shared) = ("vpc-0e1f2a3b4c5d60001", "vpc-0e1f2a3b4c5d60002");
    let lon1 = connection(
        "dxcon-fgld5a01",
        "lon-primary-10g",
        "available",
        r,
        "LD5",
        "10Gbps",
        "LD5-26wz6vu8mdbx3",
        now,
    );
    let lon2 = connection(
        "dxcon-fgld5b02",
        "lon-secondary-10g",
        "down",
        r,
        "LD5",
        "10Gbps",
        "LD5-26wz6vu8mdbx3",
        now,
    );
    let mut v2 = vif(
        "dxvif-fgeu3c4d",
        "prod-eu-transit-2",
        "transit",
        "down",
        r,
        &lon2,
        302,
        8500,
        vec![peer(
            "dxpeer-fgeu2b2b",
            "ipv4",
            "169.254.30.5/30",
            "169.254.30.6/30",
            "down",
        )],
    );
    v2.mtu = Some(1500);
    let vifs = vec![
        vif(
            "dxvif-fgeu1a2b",
            "prod-eu-transit-1",
            "transit",
            "available",
            r,
            &lon1,
            301,
            8500,
            vec![peer(
                "dxpeer-fgeu1a1a",
                "ipv4",
                "169.254.30.1/30",
                "169.254.30.2/30",
                "up",
            )],
        ),
        v2,
    ];
    let attachments: Vec<_> = vifs.iter().map(dx_attachment).collect();
    let tgw = "tgw-0e1f2a3b4c5d60001";
    let rtb = "tgw-rtb-0e1f2a3b4c5d60001";
    let a_prod = attachment(
        "tgw-attach-0e1f2a3b4c5d60001",
        "prod-eu",
        tgw,
        "vpc",
        prod,
        Some(rtb),
    );
    let a_shared = attachment(
        "tgw-attach-0e1f2a3b4c5d60002",
        "shared-eu",
        tgw,
        "vpc",
        shared,
        Some(rtb),
    );
    let a_peer = attachment(
        "tgw-attach-0a1b2c3d4e5f60005",
        "peer-use1",
        tgw,
        "peering",
        "tgw-0c1d2e3f4a5b60001",
        Some(rtb),
    );
    vec![
        Batch::DxLocations(vec![DxLocation {
            id: s("LD5"),
            name: s("Equinix LD5, Slough"),
            state: String::new(),
            available_port_speeds: vec![s("1G"), s("10G"), s("100G")],
            available_providers: vec![s("Colt"), s("Megaport")],
        }]),
        Batch::DxConnections(vec![lon1, lon2]),
        Batch::DxLags(vec![]),
        Batch::DxVirtualInterfaces(vifs),
        Batch::DxGateways(vec![dxgw()]),
        Batch::DxGatewayAssociations(vec![]),
        Batch::DxGatewayAttachments(attachments),
        Batch::DxVirtualGateways(vec![]),
        Batch::VpnConnections(vec![]),
        Batch::Vpcs(vec![
            vpc(prod, "prod-eu", "10.60.0.0/16"),
            vpc(shared, "shared-eu", "10.61.0.0/16"),
        ]),
        Batch::VpcRouteTables(vec![vpc_route_table(
            "rtb-0e1f2a3b4c5d60001",
            "prod-eu-main",
            prod,
            "10.60.0.0/16",
            true,
            &[],
            &[("10.0.0.0/8", "transit-gateway", tgw, "active")],
        )]),
        Batch::Subnets(vec![
            subnet(
                "subnet-0ee1111111111a001",
                shared,
                "10.61.1.0/24",
                "eu-west-2a",
                "euw2-az2",
            ),
            subnet(
                "subnet-0ee1111111111a002",
                shared,
                "10.61.3.0/24",
                "eu-west-2a",
                "euw2-az2",
            ),
            subnet(
                "subnet-0ee1111111111b001",
                shared,
                "10.61.2.0/24",
                "eu-west-2b",
                "euw2-az3",
            ),
        ]),
        Batch::SecurityGroups(vec![sg("sg-0e1f2a3b4c5d60010", "resolver-inbound", shared)]),
        Batch::VpcPeerings(vec![]),
        Batch::TransitGateways(vec![TransitGateway {
            id: s(tgw),
            name: s("core-tgw-euw2"),
            state: TgwState::Available,
            owner_id: so(ACCOUNT),
            description: so("Core hub, eu-west-2"),
            amazon_side_asn: Some(64514),
            association_default_route_table_id: so(rtb),
            propagation_default_route_table_id: so(rtb),
        }]),
        Batch::TgwAttachments(vec![a_prod.clone(), a_shared.clone(), a_peer.clone()]),
        Batch::TgwRouteTables(vec![TgwRouteTable {
            default_association_route_table: true,
            default_propagation_route_table: true,
            ..route_table(rtb, "eu-main", tgw)
        }]),
        Batch::TgwRoutes(vec![
            route(
                rtb,
                "10.20.0.0/16",
                "static",
                "active",
                Some((&a_peer.id, "tgw-0c1d2e3f4a5b60001", "peering")),
            ),
            route(
                rtb,
                "10.60.0.0/16",
                "propagated",
                "active",
                Some((&a_prod.id, prod, "vpc")),
            ),
            route(
                rtb,
                "10.61.0.0/16",
                "propagated",
                "active",
                Some((&a_shared.id, shared, "vpc")),
            ),
        ]),
        Batch::TgwAssociations(vec![
            assoc(rtb, &a_prod),
            assoc(rtb, &a_shared),
            assoc(rtb, &a_peer),
        ]),
        Batch::TgwPropagations(vec![prop(rtb, &a_prod), prop(rtb, &a_shared)]),
        Batch::ResolverEndpoints(vec![endpoint(
            "rslvr-in-9a8b7c6d5e4f3a2b1",
            "euw2-inbound",
            "INBOUND",
            shared,
            "sg-0e1f2a3b4c5d60010",
            &["Do53"],
            vec![
                endpoint_ip(
                    "rni-0e1f2a3b4c5d60001",
                    "10.61.1.10",
                    "subnet-0ee1111111111a001",
                ),
                endpoint_ip(
                    "rni-0e1f2a3b4c5d60002",
                    "10.61.3.10",
                    "subnet-0ee1111111111a002",
                ),
            ],
            now,
        )]),
        Batch::ResolverRules(vec![]),
        Batch::ResolverRuleAssociations(vec![]),
        Batch::FirewallRuleGroups(vec![FirewallRuleGroup {
            id: s("rslvr-frg-7a8b9c0d1e2f3a4b"),
            name: s("eu-baseline"),
            owner_id: so(ACCOUNT),
            share_status: so("NOT_SHARED"),
            ..Default::default()
        }]),
        Batch::FirewallRules(vec![fw_rule(
            "rslvr-frg-7a8b9c0d1e2f3a4b",
            "block-malware",
            100,
            "rslvr-fdl-4d5e6f708192a3b4",
            "BLOCK",
            "INSPECT_REDIRECTION_DOMAIN",
        )]),
        Batch::FirewallDomainLists(domain_lists()),
        Batch::FirewallAssociations(vec![]),
        Batch::FirewallConfigs(vec![]),
    ]
    .into_iter()
    .chain(dns_hygiene(
        r,
        "arn:aws:s3:::corp-dns-query-logs-eu",
        &[prod, shared],
        &[(prod, true), (shared, true)],
    ))
    // No Route 53 Profile in eu-west-2 (read, and none there).
    .chain([
        Batch::Profiles(vec![]),
        Batch::ProfileAssociations(vec![]),
        Batch::ProfileResources(vec![]),
    ])
    .collect()
}
