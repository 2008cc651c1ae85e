//! EC2 reads for the edges of a path: TGW peering and Connect attachments with their Connect
//! peers (read only when DescribeTransitGatewayAttachments lists one of that type, so an
//! account without them, or an emulator without the calls, is not asked), network ACLs,
//! network interfaces, and the rules of security groups.

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types as ec2;
use chrono::Utc;

use super::{all_items, fetch_all, into_update, opt, state_str};
use crate::model::*;

/// The `Name` tag, or empty.
pub(crate) fn tag_name(tags: &[ec2::Tag]) -> String {
    tags.iter()
        .find(|t| t.key() == Some("Name"))
        .and_then(|t| t.value())
        .unwrap_or_default()
        .to_string()
}

fn peering_side(i: Option<&ec2::PeeringTgwInfo>) -> TgwPeeringSide {
    TgwPeeringSide {
        transit_gateway_id: i
            .and_then(|i| i.transit_gateway_id())
            .unwrap_or_default()
            .to_string(),
        owner_id: i.and_then(|i| opt(i.owner_id())),
        region: i.and_then(|i| opt(i.region())),
    }
}

fn tgw_attachment(a: &ec2::TransitGatewayAttachment) -> TgwAttachment {
    TgwAttachment {
        id: a
            .transit_gateway_attachment_id()
            .unwrap_or_default()
            .to_string(),
        name: tag_name(a.tags()),
        state: state_str(a.state()),
        transit_gateway_id: a.transit_gateway_id().unwrap_or_default().to_string(),
        resource_type: a
            .resource_type()
            .map(|r| r.as_str())
            .unwrap_or_default()
            .to_string(),
        resource_id: opt(a.resource_id()),
        resource_owner_id: opt(a.resource_owner_id()),
        transit_gateway_owner_id: opt(a.transit_gateway_owner_id()),
        association_route_table_id: a
            .association()
            .and_then(|x| opt(x.transit_gateway_route_table_id())),
        association_state: a
            .association()
            .and_then(|x| x.state())
            .map(|s| AssociationState::parse(s.as_str())),
    }
}

fn tgw_peering(p: &ec2::TransitGatewayPeeringAttachment) -> TgwPeering {
    TgwPeering {
        id: p
            .transit_gateway_attachment_id()
            .unwrap_or_default()
            .to_string(),
        name: tag_name(p.tags()),
        state: state_str(p.state()),
        status_message: p.status().and_then(|s| opt(s.message())),
        requester: peering_side(p.requester_tgw_info()),
        accepter: peering_side(p.accepter_tgw_info()),
    }
}

fn tgw_connect(c: &ec2::TransitGatewayConnect) -> TgwConnect {
    TgwConnect {
        id: c
            .transit_gateway_attachment_id()
            .unwrap_or_default()
            .to_string(),
        name: tag_name(c.tags()),
        state: state_str(c.state()),
        transit_gateway_id: c.transit_gateway_id().unwrap_or_default().to_string(),
        transport_attachment_id: c
            .transport_transit_gateway_attachment_id()
            .unwrap_or_default()
            .to_string(),
        protocol: c
            .options()
            .and_then(|o| o.protocol())
            .map(|p| p.as_str().to_string()),
    }
}

fn connect_peer(p: &ec2::TransitGatewayConnectPeer) -> TgwConnectPeer {
    let c = p.connect_peer_configuration();
    TgwConnectPeer {
        id: p
            .transit_gateway_connect_peer_id()
            .unwrap_or_default()
            .to_string(),
        name: tag_name(p.tags()),
        state: state_str(p.state()),
        connect_attachment_id: p
            .transit_gateway_attachment_id()
            .unwrap_or_default()
            .to_string(),
        transit_gateway_address: c.and_then(|c| opt(c.transit_gateway_address())),
        peer_address: c.and_then(|c| opt(c.peer_address())),
        inside_cidrs: c
            .map(|c| c.inside_cidr_blocks().to_vec())
            .unwrap_or_default(),
        bgp: c
            .map(|c| c.bgp_configurations())
            .unwrap_or_default()
            .iter()
            .map(|b| ConnectBgp {
                transit_gateway_address: opt(b.transit_gateway_address()),
                peer_address: opt(b.peer_address()),
                transit_gateway_asn: b.transit_gateway_asn(),
                peer_asn: b.peer_asn(),
                status: state_str(b.bgp_status()),
            })
            .collect(),
    }
}

/// A port range as AWS gives it (`-1`/absent for all); `None` for every port.
fn ports(from: Option<i32>, to: Option<i32>) -> Option<(u16, u16)> {
    match (from, to) {
        (Some(f), Some(t)) if f >= 0 && t >= 0 && !(f == 0 && t == 65535) => {
            Some((f.min(65535) as u16, t.min(65535) as u16))
        }
        _ => None,
    }
}

fn network_acl(a: &ec2::NetworkAcl) -> NetworkAcl {
    NetworkAcl {
        id: a.network_acl_id().unwrap_or_default().to_string(),
        name: tag_name(a.tags()),
        state: String::new(),
        vpc_id: a.vpc_id().unwrap_or_default().to_string(),
        is_default: a.is_default().unwrap_or(false),
        subnet_ids: a
            .associations()
            .iter()
            .filter_map(|s| opt(s.subnet_id()))
            .collect(),
        entries: a
            .entries()
            .iter()
            .map(|e| {
                let protocol = e.protocol().unwrap_or("-1").to_string();
                let portful = protocol == "6" || protocol == "17";
                AclEntry {
                    rule_number: e.rule_number().unwrap_or(32767),
                    egress: e.egress().unwrap_or(false),
                    allow: e.rule_action().map(|r| r.as_str()) == Some("allow"),
                    cidr: e
                        .cidr_block()
                        .or(e.ipv6_cidr_block())
                        .unwrap_or_default()
                        .to_string(),
                    ports: if portful {
                        e.port_range().and_then(|p| ports(p.from(), p.to()))
                    } else {
                        None
                    },
                    protocol,
                }
            })
            .collect(),
    }
}

fn network_interface(n: &ec2::NetworkInterface) -> NetworkInterface {
    NetworkInterface {
        id: n.network_interface_id().unwrap_or_default().to_string(),
        name: n.description().unwrap_or_default().to_string(),
        state: n
            .status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        vpc_id: n.vpc_id().unwrap_or_default().to_string(),
        subnet_id: n.subnet_id().unwrap_or_default().to_string(),
        interface_type: n
            .interface_type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        private_ips: n
            .private_ip_addresses()
            .iter()
            .filter_map(|a| opt(a.private_ip_address()))
            .collect(),
        security_groups: n
            .groups()
            .iter()
            .filter_map(|g| opt(g.group_id()))
            .collect(),
    }
}

/// The rules of a security group, one per permission.
pub(crate) fn sg_rules(ps: &[ec2::IpPermission]) -> Vec<SgRule> {
    ps.iter()
        .map(|p| {
            let protocol = p.ip_protocol().unwrap_or("-1").to_string();
            let portful = matches!(protocol.as_str(), "tcp" | "udp" | "6" | "17");
            SgRule {
                ports: if portful {
                    ports(p.from_port(), p.to_port())
                } else {
                    None
                },
                protocol,
                cidrs: p
                    .ip_ranges()
                    .iter()
                    .filter_map(|r| opt(r.cidr_ip()))
                    .chain(p.ipv6_ranges().iter().filter_map(|r| opt(r.cidr_ipv6())))
                    .collect(),
                peers: p
                    .user_id_group_pairs()
                    .iter()
                    .filter_map(|g| opt(g.group_id()))
                    .chain(
                        p.prefix_list_ids()
                            .iter()
                            .filter_map(|l| opt(l.prefix_list_id())),
                    )
                    .collect(),
            }
        })
        .collect()
}

/// DescribeNetworkAcls and DescribeNetworkInterfaces, at once.
pub(crate) async fn filters(client: &Client, region: &str) -> Vec<Update> {
    let (acls, enis) = futures_util::join!(
        async {
            fetch_all!(
                region,
                client.describe_network_acls(),
                "DescribeNetworkAcls",
                network_acl,
                NetworkAcls
            )
        },
        async {
            fetch_all!(
                region,
                client.describe_network_interfaces(),
                "DescribeNetworkInterfaces",
                network_interface,
                NetworkInterfaces
            )
        }
    );
    vec![acls, enis]
}

/// DescribeTransitGatewayAttachments, then the peering and Connect details of the types it
/// lists (an empty read, and no call, for a type it does not list).
pub(crate) async fn attachments(client: &Client, region: &str) -> Vec<Update> {
    let all = all_items!(client.describe_transit_gateway_attachments());
    let has = |ty: &str| {
        all.as_ref().ok().is_some_and(|v| {
            v.iter()
                .any(|a| a.resource_type().map(|r| r.as_str()) == Some(ty))
        })
    };
    let (peering, connect) = (has("peering"), has("connect"));
    let first = into_update(
        region,
        Utc::now(),
        "DescribeTransitGatewayAttachments",
        all.map(|v| v.iter().map(tgw_attachment).collect()),
        Batch::TgwAttachments,
        ResourceKind::TgwAttachments,
    );
    if let Err(e) = first.result.clone() {
        // Without the list nothing says whether there are peerings or Connects to read.
        let mut out = vec![first];
        for k in [
            ResourceKind::TgwPeerings,
            ResourceKind::TgwConnects,
            ResourceKind::TgwConnectPeers,
        ] {
            out.push(Update::err(region, k, Utc::now(), e.clone()));
        }
        return out;
    }
    let empty = |b: Batch| Update::ok(region, Utc::now(), b);
    let (p, c, cp) = futures_util::join!(
        async {
            if !peering {
                return empty(Batch::TgwPeerings(Vec::new()));
            }
            fetch_all!(
                region,
                client.describe_transit_gateway_peering_attachments(),
                "DescribeTransitGatewayPeeringAttachments",
                tgw_peering,
                TgwPeerings
            )
        },
        async {
            if !connect {
                return empty(Batch::TgwConnects(Vec::new()));
            }
            fetch_all!(
                region,
                client.describe_transit_gateway_connects(),
                "DescribeTransitGatewayConnects",
                tgw_connect,
                TgwConnects
            )
        },
        async {
            if !connect {
                return empty(Batch::TgwConnectPeers(Vec::new()));
            }
            fetch_all!(
                region,
                client.describe_transit_gateway_connect_peers(),
                "DescribeTransitGatewayConnectPeers",
                connect_peer,
                TgwConnectPeers
            )
        }
    );
    vec![first, p, c, cp]
}
