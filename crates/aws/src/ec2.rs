//! EC2 reads (ec2 query protocol, XML): VPC peering, VPCs, subnets, VPN connections and
//! Transit Gateway routing. Lists are paged with the SDK paginators; routes are searched
//! per route table for `active` and `blackhole` states, following `NextToken`.

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types as ec2;
use chrono::Utc;

use super::ec2_edge::{sg_rules, tag_name};
use super::{all_items, api_error, fetch_all, into_update, opt, state_str, ts};
use crate::model::*;

fn side(i: Option<&ec2::VpcPeeringConnectionVpcInfo>) -> PeeringSide {
    let Some(i) = i else {
        return PeeringSide::default();
    };
    let mut cidrs: Vec<String> = i.cidr_block().map(str::to_string).into_iter().collect();
    for c in i.cidr_block_set().iter().filter_map(|c| c.cidr_block()) {
        if !cidrs.iter().any(|x| x == c) {
            cidrs.push(c.to_string());
        }
    }
    PeeringSide {
        vpc_id: i.vpc_id().unwrap_or_default().to_string(),
        owner_id: opt(i.owner_id()),
        region: opt(i.region()),
        cidrs,
    }
}

pub fn peering(p: &ec2::VpcPeeringConnection) -> VpcPeering {
    VpcPeering {
        id: p
            .vpc_peering_connection_id()
            .unwrap_or_default()
            .to_string(),
        name: tag_name(p.tags()),
        state: state_str(p.status().and_then(|s| s.code())),
        status_message: p.status().and_then(|s| opt(s.message())),
        requester: side(p.requester_vpc_info()),
        accepter: side(p.accepter_vpc_info()),
        expiration_time: ts(p.expiration_time()),
    }
}

fn vpc(v: &ec2::Vpc) -> Vpc {
    let mut cidrs: Vec<String> = v.cidr_block().map(str::to_string).into_iter().collect();
    for c in v
        .cidr_block_association_set()
        .iter()
        .filter_map(|a| a.cidr_block())
    {
        if !cidrs.iter().any(|x| x == c) {
            cidrs.push(c.to_string());
        }
    }
    Vpc {
        id: v.vpc_id().unwrap_or_default().to_string(),
        name: tag_name(v.tags()),
        state: state_str(v.state()),
        owner_id: opt(v.owner_id()),
        cidrs,
        is_default: v.is_default().unwrap_or(false),
    }
}

fn subnet(s: &ec2::Subnet) -> Subnet {
    Subnet {
        id: s.subnet_id().unwrap_or_default().to_string(),
        name: tag_name(s.tags()),
        state: state_str(s.state()),
        vpc_id: s.vpc_id().unwrap_or_default().to_string(),
        cidr: s.cidr_block().unwrap_or_default().to_string(),
        availability_zone: s.availability_zone().unwrap_or_default().to_string(),
        availability_zone_id: opt(s.availability_zone_id()),
    }
}

/// A VPC route table and its routes; a route's target is the first target field AWS set.
fn vpc_route_table(t: &ec2::RouteTable) -> VpcRouteTable {
    let routes = t
        .routes()
        .iter()
        .map(|r| {
            let (kind, id) = if let Some(x) = r.transit_gateway_id() {
                ("transit-gateway", x)
            } else if let Some(x) = r.vpc_peering_connection_id() {
                ("vpc-peering", x)
            } else if let Some(x) = r.gateway_id() {
                if x == "local" {
                    ("local", x)
                } else {
                    ("gateway", x)
                }
            } else if let Some(x) = r.nat_gateway_id() {
                ("nat-gateway", x)
            } else if let Some(x) = r.network_interface_id() {
                ("network-interface", x)
            } else if let Some(x) = r.instance_id() {
                ("instance", x)
            } else if let Some(x) = r.egress_only_internet_gateway_id() {
                ("egress-only-gateway", x)
            } else if let Some(x) = r.carrier_gateway_id() {
                ("carrier-gateway", x)
            } else if let Some(x) = r.core_network_arn() {
                ("core-network", x)
            } else {
                ("unknown", "")
            };
            VpcRoute {
                destination: r
                    .destination_cidr_block()
                    .or(r.destination_ipv6_cidr_block())
                    .or(r.destination_prefix_list_id())
                    .unwrap_or_default()
                    .to_string(),
                target_kind: kind.to_string(),
                target_id: id.to_string(),
                state: state_str(r.state()),
                origin: r
                    .origin()
                    .map(|o| o.as_str().to_string())
                    .unwrap_or_default(),
            }
        })
        .collect();
    VpcRouteTable {
        id: t.route_table_id().unwrap_or_default().to_string(),
        name: tag_name(t.tags()),
        state: String::new(),
        vpc_id: t.vpc_id().unwrap_or_default().to_string(),
        owner_id: opt(t.owner_id()),
        main: t.associations().iter().any(|a| a.main().unwrap_or(false)),
        subnet_ids: t
            .associations()
            .iter()
            .filter_map(|a| opt(a.subnet_id()))
            .collect(),
        propagating_vgws: t
            .propagating_vgws()
            .iter()
            .filter_map(|p| opt(p.gateway_id()))
            .collect(),
        routes,
    }
}

fn security_group(g: &ec2::SecurityGroup) -> SecurityGroup {
    let tag = tag_name(g.tags());
    SecurityGroup {
        id: g.group_id().unwrap_or_default().to_string(),
        name: if tag.is_empty() {
            g.group_name().unwrap_or_default().to_string()
        } else {
            tag
        },
        state: String::new(),
        vpc_id: g.vpc_id().unwrap_or_default().to_string(),
        description: opt(g.description()),
        ingress: sg_rules(g.ip_permissions()),
        egress: sg_rules(g.ip_permissions_egress()),
    }
}

fn vpn(v: &ec2::VpnConnection) -> VpnConnection {
    VpnConnection {
        id: v.vpn_connection_id().unwrap_or_default().to_string(),
        name: tag_name(v.tags()),
        state: state_str(v.state()),
        customer_gateway_id: opt(v.customer_gateway_id()),
        vpn_gateway_id: opt(v.vpn_gateway_id()),
        transit_gateway_id: opt(v.transit_gateway_id()),
        tunnels: v
            .vgw_telemetry()
            .iter()
            .map(|t| VpnTunnel {
                outside_ip_address: t.outside_ip_address().unwrap_or_default().to_string(),
                status: state_str(t.status()),
                status_message: opt(t.status_message()),
                last_status_change: ts(t.last_status_change()),
                accepted_route_count: t.accepted_route_count(),
            })
            .collect(),
    }
}

fn transit_gateway(t: &ec2::TransitGateway) -> TransitGateway {
    let o = t.options();
    TransitGateway {
        id: t.transit_gateway_id().unwrap_or_default().to_string(),
        name: tag_name(t.tags()),
        state: state_str(t.state()),
        owner_id: opt(t.owner_id()),
        description: opt(t.description()),
        amazon_side_asn: o.and_then(|o| o.amazon_side_asn()),
        association_default_route_table_id: o
            .and_then(|o| opt(o.association_default_route_table_id())),
        propagation_default_route_table_id: o
            .and_then(|o| opt(o.propagation_default_route_table_id())),
    }
}

fn route_table(r: &ec2::TransitGatewayRouteTable) -> TgwRouteTable {
    TgwRouteTable {
        id: r
            .transit_gateway_route_table_id()
            .unwrap_or_default()
            .to_string(),
        name: tag_name(r.tags()),
        state: state_str(r.state()),
        transit_gateway_id: r.transit_gateway_id().unwrap_or_default().to_string(),
        default_association_route_table: r.default_association_route_table().unwrap_or(false),
        default_propagation_route_table: r.default_propagation_route_table().unwrap_or(false),
    }
}

fn route(rtb: &str, r: &ec2::TransitGatewayRoute) -> TgwRoute {
    TgwRoute {
        route_table_id: rtb.to_string(),
        destination: r
            .destination_cidr_block()
            .or(r.prefix_list_id())
            .unwrap_or_default()
            .to_string(),
        route_type: r
            .r#type()
            .map(|t| t.as_str())
            .unwrap_or_default()
            .to_string(),
        state: state_str(r.state()),
        targets: r
            .transit_gateway_attachments()
            .iter()
            .map(|a| RouteTarget {
                attachment_id: opt(a.transit_gateway_attachment_id()),
                resource_id: opt(a.resource_id()),
                resource_type: a.resource_type().map(|t| t.as_str().to_string()),
            })
            .collect(),
    }
}

/// Reads every EC2 resource kind of the client's region, one [`Update`] per kind, with the
/// reads in `also` (Cloud WAN) at the same time.
///
/// The lists are independent and read at once; the TGW routes, associations and propagations
/// need the route tables first, then fan out per table (a bounded number at once). The longest
/// chain is two round trips plus paging.
pub async fn poll<'a>(
    client: &'a Client,
    region: &'a str,
    also: Vec<super::Reads<'a>>,
    emit: &mut (dyn FnMut(Update) + Send),
) {
    let mut reads: Vec<super::Reads<'_>> = vec![
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.describe_vpcs(),
                "DescribeVpcs",
                vpc,
                Vpcs
            )]
        }),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.describe_subnets(),
                "DescribeSubnets",
                subnet,
                Subnets
            )]
        }),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.describe_security_groups(),
                "DescribeSecurityGroups",
                security_group,
                SecurityGroups
            )]
        }),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.describe_route_tables(),
                "DescribeRouteTables",
                vpc_route_table,
                VpcRouteTables
            )]
        }),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.describe_vpc_peering_connections(),
                "DescribeVpcPeeringConnections",
                peering,
                VpcPeerings
            )]
        }),
        Box::pin(async move {
            let r = client
                .describe_vpn_connections()
                .send()
                .await
                .map(|o| o.vpn_connections().iter().map(vpn).collect());
            vec![into_update(
                region,
                Utc::now(),
                "DescribeVpnConnections",
                r,
                Batch::VpnConnections,
                ResourceKind::VpnConnections,
            )]
        }),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.describe_transit_gateways(),
                "DescribeTransitGateways",
                transit_gateway,
                TransitGateways
            )]
        }),
        Box::pin(super::ec2_edge::attachments(client, region)),
        Box::pin(super::ec2_edge::filters(client, region)),
        Box::pin(tgw_route_tables(client, region)),
    ];
    reads.extend(also);
    super::run_reads(reads, emit).await;
}

/// The TGW route tables, then their routes, associations and propagations at once.
async fn tgw_route_tables(client: &Client, region: &str) -> Vec<Update> {
    let now = Utc::now;
    let tables = all_items!(client.describe_transit_gateway_route_tables())
        .map(|v| v.iter().map(route_table).collect::<Vec<_>>())
        .map_err(|e| api_error("DescribeTransitGatewayRouteTables", &e));
    let tables = match tables {
        Ok(t) => t,
        Err(e) => {
            return [
                ResourceKind::TgwRouteTables,
                ResourceKind::TgwRoutes,
                ResourceKind::TgwAssociations,
                ResourceKind::TgwPropagations,
            ]
            .into_iter()
            .map(|k| Update::err(region, k, now(), e.clone()))
            .collect();
        }
    };
    let (routes, assocs, props) = futures_util::join!(
        routes(client, region, &tables),
        associations(client, region, &tables),
        propagations(client, region, &tables)
    );
    vec![
        Update::ok(region, now(), Batch::TgwRouteTables(tables)),
        routes,
        assocs,
        props,
    ]
}

async fn routes(client: &Client, region: &str, tables: &[TgwRouteTable]) -> Update {
    let filter = ec2::Filter::builder()
        .name("state")
        .values("active")
        .values("blackhole")
        .build();
    let r = super::fan_out(tables, |t| {
        let rtb = t.id.clone();
        let filter = filter.clone();
        async move {
            let rtb = rtb.as_str();
            super::collect_pages(|token| {
                let filter = filter.clone();
                async move {
                    let o = client
                        .search_transit_gateway_routes()
                        .transit_gateway_route_table_id(rtb)
                        .filters(filter)
                        .set_next_token(token)
                        .send()
                        .await?;
                    Ok((
                        o.routes().iter().map(|r| route(rtb, r)).collect::<Vec<_>>(),
                        opt(o.next_token()),
                    ))
                }
            })
            .await
        }
    })
    .await;
    match r {
        Ok(all) => Update::ok(region, Utc::now(), Batch::TgwRoutes(all)),
        Err(e) => Update::err(
            region,
            ResourceKind::TgwRoutes,
            Utc::now(),
            api_error("SearchTransitGatewayRoutes", &e),
        ),
    }
}

/// Reads the associations or propagations of every route table (same shape, one call per
/// table, paged, a bounded number at once): `$call` is the SDK method, `$op` its AWS name.
macro_rules! route_table_links {
    ($name:ident, $call:ident, $op:literal, $ty:ident, $kind:ident) => {
        async fn $name(client: &Client, region: &str, tables: &[TgwRouteTable]) -> Update {
            let r = super::fan_out(tables, |t| {
                let id = t.id.clone();
                async move {
                    let links = client
                        .$call()
                        .transit_gateway_route_table_id(&id)
                        .into_paginator()
                        .items()
                        .send()
                        .collect::<Result<Vec<_>, _>>()
                        .await?;
                    Ok::<_, _>(
                        links
                            .iter()
                            .map(|a| $ty {
                                route_table_id: id.clone(),
                                attachment_id: a
                                    .transit_gateway_attachment_id()
                                    .unwrap_or_default()
                                    .to_string(),
                                resource_id: opt(a.resource_id()),
                                resource_type: a.resource_type().map(|r| r.as_str().to_string()),
                                state: state_str(a.state()),
                            })
                            .collect::<Vec<_>>(),
                    )
                }
            })
            .await;
            match r {
                Ok(all) => Update::ok(region, Utc::now(), Batch::$kind(all)),
                Err(e) => Update::err(region, ResourceKind::$kind, Utc::now(), api_error($op, &e)),
            }
        }
    };
}

route_table_links!(
    associations,
    get_transit_gateway_route_table_associations,
    "GetTransitGatewayRouteTableAssociations",
    TgwAssociation,
    TgwAssociations
);
route_table_links!(
    propagations,
    get_transit_gateway_route_table_propagations,
    "GetTransitGatewayRouteTablePropagations",
    TgwPropagation,
    TgwPropagations
);
