//! The demo estate of us-east-1: the network account's DX, TGW, VPCs and peerings (its DNS is
//! in `us_east_1_dns`).

use chrono::Duration;

use crate::model::*;

use super::build::*;
use super::us_east_1_dns::{dns, firewall, resolver};
use super::*;

pub(super) fn us_east_1(tick: u64, now: Timestamp) -> Vec<Batch> {
    let r = "us-east-1";
    let (prod, shared, egress, analytics) = (
        "vpc-0a1b2c3d4e5f60001",
        "vpc-0a1b2c3d4e5f60002",
        "vpc-0a1b2c3d4e5f60003",
        "vpc-0a1b2c3d4e5f60004",
    );
    // A VPC newly attached to the TGW whose CIDR nobody added to the on-prem route table:
    // the path trace's missing return route.
    let batch = "vpc-0a1b2c3d4e5f60005";
    let vpcs = vec![
        vpc(prod, "prod-app", "10.20.0.0/16"),
        vpc(shared, "shared-services", "10.30.0.0/16"),
        vpc(egress, "egress", "10.40.0.0/16"),
        vpc(analytics, "analytics", "10.50.0.0/16"),
        vpc(batch, "batch-jobs", "10.70.0.0/16"),
    ];
    let subnets = vec![
        subnet(
            "subnet-0aa1111111111a001",
            prod,
            "10.20.1.0/24",
            "us-east-1a",
            "use1-az1",
        ),
        subnet(
            "subnet-0bb1111111111b001",
            prod,
            "10.20.2.0/24",
            "us-east-1b",
            "use1-az2",
        ),
        subnet(
            "subnet-0aa2222222222a002",
            shared,
            "10.30.1.0/24",
            "us-east-1a",
            "use1-az1",
        ),
        subnet(
            "subnet-0bb2222222222b002",
            shared,
            "10.30.2.0/24",
            "us-east-1b",
            "use1-az2",
        ),
    ];

    let ash = connection(
        "dxcon-fgq1x2y3",
        "ash-primary-10g",
        "available",
        r,
        "EqDC2",
        "10Gbps",
        "EqDC2-4k2ppbtjqfm3x",
        now,
    );
    let mut rst = connection(
        "dxcon-fh2a3b4c",
        "rst-secondary-10g",
        "available",
        r,
        "CSVA1",
        "10Gbps",
        "CSVA1-2b8nx7dt4vq1a",
        now,
    );
    let mut hosted = connection(
        "dxcon-ffz9y8x7",
        "hosted-1g-megaport",
        if tick >= HOSTED_CONFIRMED_AT {
            "available"
        } else {
            "ordering"
        },
        r,
        "EqDC2",
        "1Gbps",
        "EqDC2-1c9ks3bq7x0pd",
        now,
    );
    hosted.partner_name = so("Megaport");
    hosted.vlan = Some(412);
    hosted.loa_issue_time = None;
    let mut m1 = connection(
        "dxcon-fg5l6m7n",
        "ash-lag-member-1",
        "available",
        r,
        "EqDC2",
        "10Gbps",
        "EqDC2-2zx8c7v6b5n4m",
        now,
    );
    let mut m2 = connection(
        "dxcon-fg8o9p0q",
        "ash-lag-member-2",
        "available",
        r,
        "EqDC2",
        "10Gbps",
        "EqDC2-2zx8c7v6b5n4m",
        now,
    );
    m1.lag_id = so("dxlag-fgk3m4n5");
    m2.lag_id = so("dxlag-fgk3m4n5");
    let lag = ash_lag(r, [m1.id.clone(), m2.id.clone()]);
    // The secondary port asks for MACsec, but it is not up: traffic flows in the clear.
    macsec(&mut rst, "should_encrypt", "Encryption Down", "associated");
    macsec(&mut m1, "must_encrypt", "Encryption Up", "associated");
    macsec(&mut m2, "must_encrypt", "Encryption Up", "associated");
    let flap = if flapping_peer_up(tick) { "up" } else { "down" };
    let vifs = vec![
        vif(
            "dxvif-fg7h8i9j",
            "prod-transit-ash",
            "transit",
            "available",
            r,
            &ash,
            101,
            8500,
            vec![peer(
                "dxpeer-fg1a1a1a",
                "ipv4",
                "169.254.10.1/30",
                "169.254.10.2/30",
                "up",
            )],
        ),
        vif(
            "dxvif-fgab1c2d",
            "prod-transit-rst",
            "transit",
            "available",
            r,
            &rst,
            102,
            8500,
            vec![peer(
                "dxpeer-fg2b2b2b",
                "ipv4",
                "169.254.10.5/30",
                "169.254.10.6/30",
                flap,
            )],
        ),
        {
            let mut v = vif(
                "dxvif-ffcd3e4f",
                "legacy-private-vgw",
                "private",
                "available",
                r,
                &m1,
                200,
                1500,
                vec![
                    peer(
                        "dxpeer-fg3c3c3c",
                        "ipv4",
                        "169.254.20.1/30",
                        "169.254.20.2/30",
                        "up",
                    ),
                    peer(
                        "dxpeer-fg4d4d4d",
                        "ipv6",
                        "2001:db8:1::1/125",
                        "2001:db8:1::2/125",
                        "up",
                    ),
                ],
            );
            v.connection_id = lag.id.clone();
            v.virtual_gateway_id = so("vgw-0b1c2d3e4f5a60001");
            v
        },
    ];
    let attachments: Vec<_> = vifs
        .iter()
        .filter(|v| v.direct_connect_gateway_id.is_some())
        .map(dx_attachment)
        .collect();

    let tgw = "tgw-0c1d2e3f4a5b60001";
    let (rt_prod, rt_shared, rt_onprem, rt_quar) = (
        "tgw-rtb-0a1b2c3d4e5f60001",
        "tgw-rtb-0a1b2c3d4e5f60002",
        "tgw-rtb-0a1b2c3d4e5f60003",
        "tgw-rtb-0a1b2c3d4e5f60004",
    );
    let a_prod = attachment(
        "tgw-attach-0a1b2c3d4e5f60001",
        "prod-app",
        tgw,
        "vpc",
        prod,
        Some(rt_prod),
    );
    let a_shared = attachment(
        "tgw-attach-0a1b2c3d4e5f60002",
        "shared-services",
        tgw,
        "vpc",
        shared,
        Some(rt_shared),
    );
    let a_dx = attachment(
        "tgw-attach-0a1b2c3d4e5f60003",
        "corp-dxgw",
        tgw,
        "direct-connect-gateway",
        DXGW_ID,
        Some(rt_onprem),
    );
    let a_vpn = attachment(
        "tgw-attach-0a1b2c3d4e5f60004",
        "dx-backup-vpn",
        tgw,
        "vpn",
        "vpn-0d1e2f3a4b5c60001",
        Some(rt_onprem),
    );
    let a_peer = attachment(
        "tgw-attach-0a1b2c3d4e5f60005",
        "peer-euw2",
        tgw,
        "peering",
        "tgw-0e1f2a3b4c5d60001",
        Some(rt_shared),
    );
    let a_analytics = attachment(
        "tgw-attach-0a1b2c3d4e5f60006",
        "analytics",
        tgw,
        "vpc",
        analytics,
        None,
    );
    let a_batch = attachment(
        "tgw-attach-0a1b2c3d4e5f60007",
        "batch-jobs",
        tgw,
        "vpc",
        batch,
        Some(rt_prod),
    );
    let tgw_attachments = vec![
        a_prod.clone(),
        a_shared.clone(),
        a_dx.clone(),
        a_vpn.clone(),
        a_peer.clone(),
        a_analytics.clone(),
        a_batch.clone(),
    ];
    let t = |a: &TgwAttachment| {
        (
            a.id.clone(),
            a.resource_id.clone().unwrap_or_default(),
            a.resource_type.clone(),
        )
    };
    let (dx_t, vpn_t, shared_t, prod_t, peer_t) =
        (t(&a_dx), t(&a_vpn), t(&a_shared), t(&a_prod), t(&a_peer));
    let target = |x: &(String, String, String)| Some((x.0.clone(), x.1.clone(), x.2.clone()));
    let rt = |rtb: &str, dest: &str, ty: &str, st: &str, x: Option<(String, String, String)>| {
        route(
            rtb,
            dest,
            ty,
            st,
            x.as_ref()
                .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())),
        )
    };
    let routes = vec![
        rt(rt_prod, "10.0.0.0/8", "static", "active", target(&dx_t)),
        rt(
            rt_prod,
            "10.30.0.0/16",
            "propagated",
            "active",
            target(&shared_t),
        ),
        rt(rt_prod, "10.60.0.0/16", "static", "active", target(&peer_t)),
        rt(rt_prod, "10.99.0.0/16", "static", "blackhole", None),
        rt(
            rt_prod,
            "192.168.0.0/16",
            "propagated",
            "active",
            target(&vpn_t),
        ),
        rt(rt_shared, "10.0.0.0/8", "static", "active", target(&dx_t)),
        rt(
            rt_shared,
            "10.20.0.0/16",
            "propagated",
            "active",
            target(&prod_t),
        ),
        rt(
            rt_shared,
            "10.60.0.0/16",
            "static",
            "active",
            target(&peer_t),
        ),
        rt(
            rt_onprem,
            "10.20.0.0/16",
            "propagated",
            "active",
            target(&prod_t),
        ),
        rt(
            rt_onprem,
            "10.30.0.0/16",
            "propagated",
            "active",
            target(&shared_t),
        ),
    ];

    let (in_ep, out_ep, rules, rule_assocs) = resolver(prod, shared, now);
    let (fw_groups, fw_rules, fw_lists, fw_assocs, fw_configs) = firewall(prod, shared);
    let pcx =
        |id: &str, name: &str, state: &str, req: (&str, &str, &str), acc: (&str, &str, &str)| {
            VpcPeering {
                id: s(id),
                name: s(name),
                state: PeeringState::from(state),
                status_message: None,
                requester: PeeringSide {
                    vpc_id: s(req.0),
                    owner_id: so(req.1),
                    region: so(r),
                    cidrs: vec![s(req.2)],
                },
                accepter: PeeringSide {
                    vpc_id: s(acc.0),
                    owner_id: so(acc.1),
                    region: so(r),
                    cidrs: vec![s(acc.2)],
                },
                expiration_time: None,
            }
        };
    let mut pending = pcx(
        "pcx-0b22c33d44e55f662",
        "partner-analytics",
        "pending-acceptance",
        (analytics, ACCOUNT, "10.50.0.0/16"),
        ("vpc-0f9e8d7c6b5a40001", PARTNER_ACCOUNT, "172.31.0.0/16"),
    );
    pending.status_message = so(&format!("Pending Acceptance by {PARTNER_ACCOUNT}"));
    pending.expiration_time = Some(now + Duration::days(5) + Duration::hours(3));
    let mut failed = pcx(
        "pcx-0c33d44e55f66a773",
        "old-sandbox",
        "failed",
        (egress, ACCOUNT, "10.40.0.0/16"),
        ("vpc-0a1b2c3d4e5f60099", ACCOUNT, "10.40.0.0/16"),
    );
    failed.status_message = so("Failed due to overlapping CIDR blocks");
    let peerings = vec![
        pcx(
            "pcx-0a11b22c33d44e551",
            "prod-to-shared",
            "active",
            (prod, ACCOUNT, "10.20.0.0/16"),
            (shared, ACCOUNT, "10.30.0.0/16"),
        ),
        pending,
        failed,
    ];

    vec![
        Batch::DxLocations(vec![
            DxLocation {
                id: s("EqDC2"),
                name: s("Equinix DC1-DC6, DC10-DC11, Ashburn, VA"),
                state: String::new(),
                available_port_speeds: vec![s("1G"), s("10G"), s("100G")],
                available_providers: vec![s("Megaport"), s("Equinix")],
            },
            DxLocation {
                id: s("CSVA1"),
                name: s("CoreSite VA1, Reston, VA"),
                state: String::new(),
                available_port_speeds: vec![s("1G"), s("10G")],
                available_providers: vec![s("Megaport")],
            },
        ]),
        Batch::DxConnections(vec![ash, rst, hosted, m1, m2]),
        Batch::DxLags(vec![lag]),
        Batch::DxVirtualInterfaces(vifs),
        Batch::DxGateways(vec![dxgw()]),
        Batch::DxGatewayAssociations(vec![DxGatewayAssociation {
            id: s("2d1e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6"),
            name: format!("corp-dxgw → {tgw}"),
            state: AssociationState::Associated,
            direct_connect_gateway_id: s(DXGW_ID),
            associated_gateway_id: so(tgw),
            associated_gateway_type: so("transitGateway"),
            associated_gateway_region: so(r),
            associated_gateway_owner_account: so(ACCOUNT),
            allowed_prefixes: vec![s("10.20.0.0/16"), s("10.30.0.0/16"), s("10.70.0.0/16")],
            state_change_error: None,
        }]),
        Batch::DxGatewayAttachments(attachments),
        Batch::DxVirtualGateways(vec![VirtualGateway {
            id: s("vgw-0b1c2d3e4f5a60001"),
            name: String::new(),
            state: Lifecycle::Available,
        }]),
        Batch::VpnConnections(vec![VpnConnection {
            id: s("vpn-0d1e2f3a4b5c60001"),
            name: s("dx-backup-vpn"),
            state: Lifecycle::Available,
            customer_gateway_id: so("cgw-0e1f2a3b4c5d60001"),
            vpn_gateway_id: None,
            transit_gateway_id: so(tgw),
            tunnels: vec![
                VpnTunnel {
                    outside_ip_address: s("52.1.2.3"),
                    status: TunnelStatus::Up,
                    status_message: so("2 BGP ROUTES"),
                    last_status_change: Some(now - Duration::hours(30)),
                    accepted_route_count: Some(2),
                },
                VpnTunnel {
                    outside_ip_address: s("52.1.2.4"),
                    status: TunnelStatus::Down,
                    status_message: None,
                    last_status_change: Some(now - Duration::hours(2)),
                    accepted_route_count: Some(0),
                },
            ],
        }]),
        Batch::Vpcs(vpcs),
        Batch::Subnets(subnets),
        Batch::VpcRouteTables(vec![
            vpc_route_table(
                "rtb-0a1b2c3d4e5f60001",
                "prod-app-private",
                prod,
                "10.20.0.0/16",
                true,
                &["subnet-0aa1111111111a001", "subnet-0bb1111111111b001"],
                &[
                    (
                        "10.0.0.0/8",
                        "transit-gateway",
                        "tgw-0c1d2e3f4a5b60001",
                        "active",
                    ),
                    (
                        "10.30.0.0/16",
                        "vpc-peering",
                        "pcx-0a11b22c33d44e551",
                        "active",
                    ),
                    (
                        "0.0.0.0/0",
                        "nat-gateway",
                        "nat-0a1b2c3d4e5f60001",
                        "active",
                    ),
                ],
            ),
            vpc_route_table(
                "rtb-0a1b2c3d4e5f60002",
                "shared-services-private",
                shared,
                "10.30.0.0/16",
                true,
                &["subnet-0aa2222222222a002", "subnet-0bb2222222222b002"],
                &[
                    (
                        "10.0.0.0/8",
                        "transit-gateway",
                        "tgw-0c1d2e3f4a5b60001",
                        "active",
                    ),
                    (
                        "10.20.0.0/16",
                        "vpc-peering",
                        "pcx-0a11b22c33d44e551",
                        "active",
                    ),
                ],
            ),
            vpc_route_table(
                "rtb-0a1b2c3d4e5f60005",
                "batch-jobs-main",
                batch,
                "10.70.0.0/16",
                true,
                &[],
                &[(
                    "10.0.0.0/8",
                    "transit-gateway",
                    "tgw-0c1d2e3f4a5b60001",
                    "active",
                )],
            ),
            vpc_route_table(
                "rtb-0a1b2c3d4e5f60004",
                "analytics-main",
                analytics,
                "10.50.0.0/16",
                true,
                &[],
                &[(
                    "172.31.0.0/16",
                    "vpc-peering",
                    "pcx-0b22c33d44e55f662",
                    "blackhole",
                )],
            ),
        ]),
        Batch::SecurityGroups(vec![
            sg("sg-0a1b2c3d4e5f60010", "resolver-inbound", shared),
            sg("sg-0a1b2c3d4e5f60011", "resolver-outbound", shared),
            sg("sg-0a1b2c3d4e5f60012", "app-default", prod),
        ]),
        Batch::VpcPeerings(peerings),
        Batch::TransitGateways(vec![TransitGateway {
            id: s(tgw),
            name: s("core-tgw-use1"),
            state: TgwState::Available,
            owner_id: so(ACCOUNT),
            description: so("Core hub, us-east-1"),
            amazon_side_asn: Some(64513),
            association_default_route_table_id: None,
            propagation_default_route_table_id: None,
        }]),
        Batch::TgwAttachments(tgw_attachments),
        Batch::TgwRouteTables(vec![
            route_table(rt_prod, "prod", tgw),
            route_table(rt_shared, "shared", tgw),
            route_table(rt_onprem, "on-prem", tgw),
            route_table(rt_quar, "quarantine", tgw),
        ]),
        Batch::TgwRoutes(routes),
        Batch::TgwAssociations(vec![
            assoc(rt_prod, &a_prod),
            assoc(rt_prod, &a_batch),
            assoc(rt_shared, &a_shared),
            assoc(rt_shared, &a_peer),
            assoc(rt_onprem, &a_dx),
            assoc(rt_onprem, &a_vpn),
        ]),
        Batch::TgwPropagations(vec![
            prop(rt_prod, &a_shared),
            prop(rt_prod, &a_vpn),
            prop(rt_shared, &a_prod),
            prop(rt_onprem, &a_prod),
            prop(rt_onprem, &a_shared),
        ]),
        Batch::ResolverEndpoints(vec![in_ep, out_ep]),
        Batch::ResolverRules(rules),
        Batch::ResolverRuleAssociations(rule_assocs),
        Batch::FirewallRuleGroups(fw_groups),
        Batch::FirewallRules(fw_rules),
        Batch::FirewallDomainLists(fw_lists),
        Batch::FirewallAssociations(fw_assocs),
        Batch::FirewallConfigs(fw_configs),
    ]
    .into_iter()
    .chain(dns(prod, shared, egress, analytics))
    .collect()
}
