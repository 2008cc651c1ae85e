//! The demo's transit edges and packet filters, laid over each region's estate: the TGW
//! peering between the two regions (London's VPCs reach on-prem through Virginia's DX
//! gateway), a Connect attachment to SD-WAN over the DX gateway with one Connect peer's BGP
//! down, a second DX gateway in London whose only VIF is down so its VPN backup carries the
//! traffic, network ACLs (one drops the replies to ephemeral ports), and network interfaces.

use crate::model::*;

use super::build::*;
use super::*;

/// The second DX gateway, London's own (its only VIF is down).
pub const EU_DXGW_ID: &str = "7c3b9d2e-4f5a-4b6c-8d7e-2f3a4b5c6d7e";
const PEERING: &str = "tgw-attach-0a1b2c3d4e5f60005";
const TGW_USE1: &str = "tgw-0c1d2e3f4a5b60001";
const TGW_EUW2: &str = "tgw-0e1f2a3b4c5d60001";

/// Both DX gateways (DescribeDirectConnectGateways answers every one, whatever the region).
pub(super) fn dx_gateways() -> Vec<DxGateway> {
    vec![
        dxgw(),
        super::cloudwan::wan_dxgw(),
        DxGateway {
            id: s(EU_DXGW_ID),
            name: s("eu-dxgw"),
            state: Lifecycle::Available,
            amazon_side_asn: Some(64520),
            owner_account: so(ACCOUNT),
            state_change_error: None,
        },
    ]
}

fn peering() -> TgwPeering {
    TgwPeering {
        id: s(PEERING),
        name: s("use1-euw2"),
        state: TgwAttachmentState::Available,
        status_message: None,
        requester: TgwPeeringSide {
            transit_gateway_id: s(TGW_USE1),
            owner_id: so(ACCOUNT),
            region: so("us-east-1"),
        },
        accepter: TgwPeeringSide {
            transit_gateway_id: s(TGW_EUW2),
            owner_id: so(ACCOUNT),
            region: so("eu-west-2"),
        },
    }
}

/// A VPC's default network ACL: everything in and out (rule 100), for its subnets.
fn default_acl(id: &str, vpc: &str, subnets: &[&str]) -> NetworkAcl {
    let all = |egress| AclEntry {
        rule_number: 100,
        egress,
        protocol: s("-1"),
        allow: true,
        cidr: s("0.0.0.0/0"),
        ports: None,
    };
    NetworkAcl {
        id: s(id),
        name: String::new(),
        state: String::new(),
        vpc_id: s(vpc),
        is_default: true,
        subnet_ids: subnets.iter().map(|x| s(x)).collect(),
        entries: vec![all(false), all(true)],
    }
}

fn eni(id: &str, name: &str, vpc: &str, subnet: &str, ip: &str, sg: &str) -> NetworkInterface {
    NetworkInterface {
        id: s(id),
        name: s(name),
        state: s("in-use"),
        vpc_id: s(vpc),
        subnet_id: s(subnet),
        interface_type: s("interface"),
        private_ips: vec![s(ip)],
        security_groups: vec![s(sg)],
    }
}

/// A route to a TGW added to a VPC route table.
fn tgw_route(batches: &mut [Batch], table: &str, dest: &str, tgw: &str) {
    for x in batches.iter_mut() {
        if let Batch::VpcRouteTables(v) = x {
            for t in v.iter_mut().filter(|t| t.id == table) {
                t.routes.push(VpcRoute {
                    destination: s(dest),
                    target_kind: s("transit-gateway"),
                    target_id: s(tgw),
                    state: VpcRouteState::Active,
                    origin: s("CreateRoute"),
                });
            }
        }
    }
}

/// Adds items to a region's batch of a kind: `add!(batches, Kind, items)`.
macro_rules! add {
    ($b:expr, $kind:ident, $items:expr $(,)?) => {
        if let Some(v) = $b.iter_mut().find_map(|x| match x {
            Batch::$kind(v) => Some(v),
            _ => None,
        }) {
            v.extend($items);
        }
    };
}

/// us-east-1: the peering's routes and allowed prefix, the Connect attachment and its peers,
/// and prod-app's restricted subnet.
pub(super) fn us_east_1(b: &mut Vec<Batch>, tick: u64) {
    let _ = tick;
    let (prod, shared) = ("vpc-0a1b2c3d4e5f60001", "vpc-0a1b2c3d4e5f60002");
    let (rt_prod, rt_onprem) = ("tgw-rtb-0a1b2c3d4e5f60001", "tgw-rtb-0a1b2c3d4e5f60003");
    let a_dx = "tgw-attach-0a1b2c3d4e5f60003";
    let connect = attachment(
        "tgw-attach-0a1b2c3d4e5f60008",
        "sdwan-connect",
        TGW_USE1,
        "connect",
        a_dx,
        Some(rt_onprem),
    );
    for x in b.iter_mut() {
        match x {
            Batch::DxGateways(v) => *v = dx_gateways(),
            Batch::DxGatewayAssociations(v) => {
                for a in v.iter_mut() {
                    a.allowed_prefixes.push(s("10.60.0.0/16"));
                }
            }
            _ => {}
        }
    }
    // Cloud WAN: egress routes on-prem 10.200.0.0/16 to the core network, whose DX gateway
    // has one transit VIF at Ashburn.
    let wan = super::cloudwan::WAN_DXGW_ID;
    for x in b.iter_mut() {
        match x {
            Batch::DxVirtualInterfaces(v) => {
                if let Some(mut x) = v.iter().find(|x| x.id == "dxvif-fg7h8i9j").cloned() {
                    x.id = s("dxvif-fgwa1b2c");
                    x.name = s("wan-transit-ash");
                    x.vlan = 110;
                    x.direct_connect_gateway_id = so(wan);
                    x.customer_router_config = None;
                    x.site_link_enabled = Some(false);
                    for (i, p) in x.bgp_peers.iter_mut().enumerate() {
                        p.id = format!("dxpeer-fgwa1b2c{i}");
                    }
                    v.push(x);
                }
            }
            Batch::DxGatewayAttachments(v) => v.push(DxGatewayAttachment {
                id: format!("{wan}/dxvif-fgwa1b2c"),
                name: s("wan-dxgw ← dxvif-fgwa1b2c"),
                state: AttachmentState::Attached,
                direct_connect_gateway_id: s(wan),
                virtual_interface_id: s("dxvif-fgwa1b2c"),
                virtual_interface_region: so("us-east-1"),
                virtual_interface_owner_account: so(ACCOUNT),
                attachment_type: so("TransitVirtualInterface"),
                state_change_error: None,
            }),
            Batch::VpcRouteTables(v) => {
                let core = super::cloudwan::core_arn();
                v.push(vpc_route_table(
                    "rtb-0a1b2c3d4e5f60003",
                    "egress-main",
                    "vpc-0a1b2c3d4e5f60003",
                    "10.40.0.0/16",
                    true,
                    &[],
                    &[("10.200.0.0/16", "core-network", &core, "active")],
                ));
            }
            _ => {}
        }
    }
    // The SD-WAN branches, over the Connect attachment.
    tgw_route(b, "rtb-0a1b2c3d4e5f60001", "172.20.0.0/16", TGW_USE1);
    add!(b, TgwAttachments, vec![connect.clone()]);
    add!(b, TgwAssociations, vec![assoc(rt_onprem, &connect)]);
    add!(
        b,
        TgwRoutes,
        vec![
            route(
                rt_onprem,
                "10.60.0.0/16",
                "static",
                "active",
                Some((PEERING, TGW_EUW2, "peering")),
            ),
            route(
                rt_prod,
                "172.20.0.0/16",
                "propagated",
                "active",
                Some((&connect.id, a_dx, "connect")),
            ),
        ],
    );
    let bgp = |tgw_addr: &str, peer_addr: &str, up: bool| ConnectBgp {
        transit_gateway_address: so(tgw_addr),
        peer_address: so(peer_addr),
        transit_gateway_asn: Some(64513),
        peer_asn: Some(65020),
        status: if up { BgpStatus::Up } else { BgpStatus::Down },
    };
    let peer = |id: &str, name: &str, gre: &str, inside: &str, up: bool| TgwConnectPeer {
        id: s(id),
        name: s(name),
        state: Lifecycle::Available,
        connect_attachment_id: connect.id.clone(),
        transit_gateway_address: so("10.100.0.10"),
        peer_address: so(gre),
        inside_cidrs: vec![s(inside)],
        bgp: {
            let base = inside.trim_end_matches(".0/29");
            vec![
                bgp(&format!("{base}.2"), &format!("{base}.1"), up),
                bgp(&format!("{base}.3"), &format!("{base}.1"), up),
            ]
        },
    };
    b.extend([
        Batch::TgwPeerings(vec![peering()]),
        Batch::TgwConnects(vec![TgwConnect {
            id: connect.id.clone(),
            name: s("sdwan-connect"),
            state: TgwAttachmentState::Available,
            transit_gateway_id: s(TGW_USE1),
            transport_attachment_id: s(a_dx),
            protocol: so("gre"),
        }]),
        Batch::TgwConnectPeers(vec![
            peer(
                "tgw-connect-peer-0a1b2c3d4e5f6001",
                "sdwan-edge-a",
                "192.168.250.1",
                "169.254.100.0/29",
                true,
            ),
            peer(
                "tgw-connect-peer-0a1b2c3d4e5f6002",
                "sdwan-edge-b",
                "192.168.250.2",
                "169.254.100.8/29",
                false,
            ),
        ]),
        Batch::NetworkAcls(vec![
            default_acl("acl-0a1b2c3d4e5f60001", prod, &["subnet-0aa1111111111a001"]),
            default_acl(
                "acl-0a1b2c3d4e5f60002",
                shared,
                &["subnet-0aa2222222222a002", "subnet-0bb2222222222b002"],
            ),
            NetworkAcl {
                id: s("acl-0a1b2c3d4e5f60009"),
                name: s("prod-app-restricted"),
                state: String::new(),
                vpc_id: s(prod),
                is_default: false,
                subnet_ids: vec![s("subnet-0bb1111111111b001")],
                entries: vec![
                    AclEntry {
                        rule_number: 100,
                        egress: false,
                        protocol: s("-1"),
                        allow: true,
                        cidr: s("0.0.0.0/0"),
                        ports: None,
                    },
                    // Meant to stop prod-app opening connections to on-prem; it also drops
                    // the replies to on-prem's clients.
                    AclEntry {
                        rule_number: 90,
                        egress: true,
                        protocol: s("6"),
                        allow: false,
                        cidr: s("10.0.0.0/8"),
                        ports: Some((1024, 65535)),
                    },
                    AclEntry {
                        rule_number: 100,
                        egress: true,
                        protocol: s("-1"),
                        allow: true,
                        cidr: s("0.0.0.0/0"),
                        ports: None,
                    },
                ],
            },
        ]),
        Batch::NetworkInterfaces(vec![
            eni(
                "eni-0a1b2c3d4e5f60021",
                "prod-app web a",
                prod,
                "subnet-0aa1111111111a001",
                "10.20.1.15",
                "sg-0a1b2c3d4e5f60012",
            ),
            eni(
                "eni-0a1b2c3d4e5f60022",
                "prod-app web b",
                prod,
                "subnet-0bb1111111111b001",
                "10.20.2.15",
                "sg-0a1b2c3d4e5f60012",
            ),
        ]),
    ]);
}

/// eu-west-2: on-prem over the peering, London's own DX gateway (VIF down) with its VPN
/// backup, and default network ACLs.
pub(super) fn eu_west_2(b: &mut Vec<Batch>, now: Timestamp) {
    let (prod, shared) = ("vpc-0e1f2a3b4c5d60001", "vpc-0e1f2a3b4c5d60002");
    let rtb = "tgw-rtb-0e1f2a3b4c5d60001";
    let a_eudx = attachment(
        "tgw-attach-0e1f2a3b4c5d60003",
        "eu-dxgw",
        TGW_EUW2,
        "direct-connect-gateway",
        EU_DXGW_ID,
        Some(rtb),
    );
    let a_vpn = attachment(
        "tgw-attach-0e1f2a3b4c5d60004",
        "eu-backup-vpn",
        TGW_EUW2,
        "vpn",
        "vpn-0e1f2a3b4c5d60001",
        Some(rtb),
    );
    for x in b.iter_mut() {
        match x {
            Batch::DxGateways(v) => *v = dx_gateways(),
            // eu-dxgw's one VIF, on the London connection that is down.
            Batch::DxVirtualInterfaces(v) => {
                if let Some(mut x) = v.iter().find(|x| x.id == "dxvif-fgeu3c4d").cloned() {
                    x.id = s("dxvif-fgeu5e6f");
                    x.name = s("eu-sites-transit");
                    x.vlan = 303;
                    x.direct_connect_gateway_id = so(EU_DXGW_ID);
                    x.customer_router_config = None;
                    for (i, p) in x.bgp_peers.iter_mut().enumerate() {
                        p.id = format!("dxpeer-fgeu3c3c{i}");
                    }
                    v.push(x);
                }
            }
            Batch::DxGatewayAttachments(v) => v.push(DxGatewayAttachment {
                id: format!("{EU_DXGW_ID}/dxvif-fgeu5e6f"),
                name: s("eu-dxgw ← dxvif-fgeu5e6f"),
                state: AttachmentState::Attached,
                direct_connect_gateway_id: s(EU_DXGW_ID),
                virtual_interface_id: s("dxvif-fgeu5e6f"),
                virtual_interface_region: so("eu-west-2"),
                virtual_interface_owner_account: so(ACCOUNT),
                attachment_type: so("TransitVirtualInterface"),
                state_change_error: None,
            }),
            Batch::DxGatewayAssociations(v) => v.push(DxGatewayAssociation {
                id: s("8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968"),
                name: format!("eu-dxgw → {TGW_EUW2}"),
                state: AssociationState::Associated,
                direct_connect_gateway_id: s(EU_DXGW_ID),
                associated_gateway_id: so(TGW_EUW2),
                associated_gateway_type: so("transitGateway"),
                associated_gateway_region: so("eu-west-2"),
                associated_gateway_owner_account: so(ACCOUNT),
                allowed_prefixes: vec![s("10.60.0.0/16"), s("10.61.0.0/16")],
                state_change_error: None,
            }),
            Batch::VpnConnections(v) => v.push(VpnConnection {
                id: s("vpn-0e1f2a3b4c5d60001"),
                name: s("eu-backup-vpn"),
                state: Lifecycle::Available,
                customer_gateway_id: so("cgw-0e1f2a3b4c5d60002"),
                vpn_gateway_id: None,
                transit_gateway_id: so(TGW_EUW2),
                tunnels: ["35.176.1.10", "35.176.1.11"]
                    .iter()
                    .map(|ip| VpnTunnel {
                        outside_ip_address: s(ip),
                        status: TunnelStatus::Up,
                        status_message: so("1 BGP ROUTES"),
                        last_status_change: Some(now - chrono::Duration::days(3)),
                        accepted_route_count: Some(1),
                    })
                    .collect(),
            }),
            _ => {}
        }
    }
    tgw_route(b, "rtb-0e1f2a3b4c5d60001", "192.168.128.0/17", TGW_EUW2);
    add!(b, TgwAttachments, vec![a_eudx.clone(), a_vpn.clone()]);
    add!(
        b,
        TgwAssociations,
        vec![assoc(rtb, &a_eudx), assoc(rtb, &a_vpn)],
    );
    add!(
        b,
        TgwPropagations,
        vec![prop(rtb, &a_eudx), prop(rtb, &a_vpn)],
    );
    add!(
        b,
        TgwRoutes,
        vec![
            // Virginia's on-prem data centres over the peering (the rest of 10.0.0.0/8 is
            // not routed: prod-eu's forward gap stays).
            route(
                rtb,
                "10.128.0.0/9",
                "static",
                "active",
                Some((PEERING, TGW_USE1, "peering")),
            ),
            // London's own on-prem sites: over eu-dxgw, whose VIF is down, so over the VPN.
            route(
                rtb,
                "192.168.128.0/17",
                "propagated",
                "active",
                Some((&a_vpn.id, "vpn-0e1f2a3b4c5d60001", "vpn")),
            ),
        ],
    );
    b.extend([
        Batch::TgwPeerings(vec![peering()]),
        Batch::TgwConnects(vec![]),
        Batch::TgwConnectPeers(vec![]),
        Batch::NetworkAcls(vec![
            default_acl("acl-0e1f2a3b4c5d60001", prod, &[]),
            default_acl(
                "acl-0e1f2a3b4c5d60002",
                shared,
                &[
                    "subnet-0ee1111111111a001",
                    "subnet-0ee1111111111a002",
                    "subnet-0ee1111111111b001",
                ],
            ),
        ]),
        Batch::NetworkInterfaces(vec![]),
    ]);
}
