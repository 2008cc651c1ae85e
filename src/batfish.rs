//! `snapshot --format batfish --output DIR`: what was read, in the layout Batfish's AWS parser
//! reads (`aws_configs/<account>/<region>/<file>.json`, one object per file whose keys are the
//! AWS CLI's: `Vpcs`, `Subnets`, `RouteTables`, `VpcPeeringConnections`, `TransitGateways`,
//! `TransitGatewayAttachments`, `TransitGatewayRouteTables`, `TransitGatewayStaticRoutes`,
//! `DirectConnectGateways`, `VirtualInterfaces`), so on-prem router configurations and the
//! AWS side can be analysed together.
//!
//! Field names follow Batfish's `org.batfish.representation.aws` classes (their
//! `@JsonProperty` names). No secret is written: BGP authentication keys are never in the
//! model, and no `AuthKey` field is written. Security groups, network ACLs, VPN connections
//! and TGW propagations are not exported yet.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::model::{Estate, RegionEstate, ResourceKind};

/// The files of the export, by path relative to the output directory.
pub fn files(e: &Estate) -> BTreeMap<PathBuf, Value> {
    let mut out = BTreeMap::new();
    for r in e.scopes.values() {
        let scope = r.scope();
        let own = |kind: ResourceKind, id: &str| !e.is_mirror(&scope, kind, id);
        let account = if r.account.is_empty() {
            "unknown-account"
        } else {
            r.account.as_str()
        };
        let dir = PathBuf::from("aws_configs").join(account).join(&r.region);
        let vpc = json!({
            "Vpcs": r.vpcs.items.iter().map(|v| json!({
                "VpcId": v.id,
                "CidrBlock": v.cidrs.first(),
                "CidrBlockAssociationSet": v.cidrs.iter().map(|c| json!({"CidrBlock": c, "CidrBlockState": {"State": "associated"}})).collect::<Vec<_>>(),
                "State": v.state.as_str(),
                "OwnerId": v.owner_id,
                "IsDefault": v.is_default,
                "Tags": tags(&v.name),
            })).collect::<Vec<_>>(),
            "Subnets": r.subnets.items.iter().map(|s| json!({
                "SubnetId": s.id,
                "VpcId": s.vpc_id,
                "CidrBlock": s.cidr,
                "AvailabilityZone": s.availability_zone,
                "AvailabilityZoneId": s.availability_zone_id,
                "State": s.state.as_str(),
                "Tags": tags(&s.name),
            })).collect::<Vec<_>>(),
            "RouteTables": r.vpc_route_tables.items.iter().map(|t| {
                let main = t.main.then(|| json!({"Main": true, "RouteTableId": t.id}));
                let subnets = t.subnet_ids.iter().map(|s| json!({"Main": false, "RouteTableId": t.id, "SubnetId": s}));
                json!({
                    "RouteTableId": t.id,
                    "VpcId": t.vpc_id,
                    "OwnerId": t.owner_id,
                    "Associations": main.into_iter().chain(subnets).collect::<Vec<_>>(),
                    "Routes": t.routes.iter().map(vpc_route).collect::<Vec<_>>(),
                    "Tags": tags(&t.name),
                })
            }).collect::<Vec<_>>(),
            "VpcPeeringConnections": r.vpc_peerings.items.iter().filter(|p| own(ResourceKind::VpcPeerings, &p.id)).map(|p| {
                let side = |s: &crate::model::PeeringSide| json!({
                    "VpcId": s.vpc_id,
                    "OwnerId": s.owner_id,
                    "Region": s.region,
                    "CidrBlock": s.cidrs.first(),
                    "CidrBlockSet": s.cidrs.iter().map(|c| json!({"CidrBlock": c})).collect::<Vec<_>>(),
                });
                json!({
                    "VpcPeeringConnectionId": p.id,
                    "Status": {"Code": p.state.as_str(), "Message": p.status_message},
                    "RequesterVpcInfo": side(&p.requester),
                    "AccepterVpcInfo": side(&p.accepter),
                    "Tags": tags(&p.name),
                })
            }).collect::<Vec<_>>(),
        });
        out.insert(dir.join("vpcs.json"), vpc);
        out.insert(dir.join("transit_gateways.json"), tgw(r));
        out.insert(dir.join("direct_connect.json"), dx(r));
    }
    out
}

/// `[{"Key": "Name", "Value": name}]`, or none.
fn tags(name: &str) -> Value {
    if name.is_empty() {
        json!([])
    } else {
        json!([{"Key": "Name", "Value": name}])
    }
}

/// A VPC route as DescribeRouteTables gives it: the destination and its target's key.
fn vpc_route(x: &crate::model::VpcRoute) -> Value {
    let mut route = serde_json::Map::new();
    let dest = if x.destination.starts_with("pl-") {
        "DestinationPrefixListId"
    } else if x.destination.contains(':') {
        "DestinationIpv6CidrBlock"
    } else {
        "DestinationCidrBlock"
    };
    route.insert(dest.into(), json!(x.destination));
    let target = match x.target_kind.as_str() {
        "transit-gateway" => Some("TransitGatewayId"),
        "gateway" | "local" | "vpc-endpoint" => Some("GatewayId"),
        "vpc-peering" => Some("VpcPeeringConnectionId"),
        "nat-gateway" => Some("NatGatewayId"),
        "network-interface" => Some("NetworkInterfaceId"),
        "instance" => Some("InstanceId"),
        "carrier-gateway" => Some("CarrierGatewayId"),
        "egress-only-gateway" => Some("EgressOnlyInternetGatewayId"),
        "core-network" => Some("CoreNetworkArn"),
        _ => None,
    };
    if let Some(k) = target {
        route.insert(k.into(), json!(x.target_id));
    }
    route.insert("State".into(), json!(x.state.as_str()));
    Value::Object(route)
}

fn tgw(r: &RegionEstate) -> Value {
    let enable = |on: bool| if on { "enable" } else { "disable" };
    let static_routes: BTreeMap<&str, Vec<Value>> = r
        .tgw_routes
        .items
        .iter()
        .filter(|x| x.route_type == "static")
        .fold(BTreeMap::new(), |mut m, x| {
            m.entry(x.route_table_id.as_str()).or_default().push(json!({
                "DestinationCidrBlock": x.destination,
                "TransitGatewayAttachments": x.targets.iter().map(|t| json!({
                    "TransitGatewayAttachmentId": t.attachment_id,
                    "ResourceId": t.resource_id,
                    "ResourceType": t.resource_type,
                })).collect::<Vec<_>>(),
                "Type": x.route_type,
                "State": x.state.as_str(),
            }));
            m
        });
    json!({
        "TransitGateways": r.transit_gateways.items.iter().map(|t| json!({
            "TransitGatewayId": t.id,
            "OwnerId": t.owner_id,
            "State": t.state.as_str(),
            "Description": t.description,
            "Options": {
                "AmazonSideAsn": t.amazon_side_asn,
                "AssociationDefaultRouteTableId": t.association_default_route_table_id,
                "PropagationDefaultRouteTableId": t.propagation_default_route_table_id,
                "DefaultRouteTableAssociation": enable(t.association_default_route_table_id.is_some()),
                "DefaultRouteTablePropagation": enable(t.propagation_default_route_table_id.is_some()),
                "VpnEcmpSupport": "enable",
            },
            "Tags": tags(&t.name),
        })).collect::<Vec<_>>(),
        "TransitGatewayAttachments": r.tgw_attachments.items.iter().map(|a| json!({
            "TransitGatewayAttachmentId": a.id,
            "TransitGatewayId": a.transit_gateway_id,
            "TransitGatewayOwnerId": a.transit_gateway_owner_id,
            "ResourceOwnerId": a.resource_owner_id,
            "ResourceType": a.resource_type,
            "ResourceId": a.resource_id,
            "State": a.state.as_str(),
            "Association": a.association_route_table_id.as_ref().map(|t| json!({
                "TransitGatewayRouteTableId": t,
                "State": a.association_state.as_ref().map(|s| s.as_str()),
            })),
            "Tags": tags(&a.name),
        })).collect::<Vec<_>>(),
        "TransitGatewayRouteTables": r.tgw_route_tables.items.iter().map(|t| json!({
            "TransitGatewayRouteTableId": t.id,
            "TransitGatewayId": t.transit_gateway_id,
            "State": t.state.as_str(),
            "DefaultAssociationRouteTable": t.default_association_route_table,
            "DefaultPropagationRouteTable": t.default_propagation_route_table,
            "Tags": tags(&t.name),
        })).collect::<Vec<_>>(),
        "TransitGatewayStaticRoutes": static_routes.into_iter().map(|(table, routes)| json!({
            "TransitGatewayRouteTableId": table,
            "Routes": routes,
        })).collect::<Vec<_>>(),
        "TransitGatewayPropagations": propagations(r),
    })
}

/// GetTransitGatewayRouteTablePropagations per route table, as Batfish's collector wraps it
/// (`TransitGatewayRouteTableId` and its `TransitGatewayRouteTablePropagations`). Batfish
/// refuses a propagation without its resource, so one whose answer had none takes its
/// attachment's, and one whose attachment was not read either is left out.
fn propagations(r: &RegionEstate) -> Vec<Value> {
    let mut by_table: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for p in &r.tgw_propagations.items {
        let att = r
            .tgw_attachments
            .items
            .iter()
            .find(|a| a.id == p.attachment_id);
        let resource_id = p.resource_id.clone().or_else(|| att?.resource_id.clone());
        let resource_type = p
            .resource_type
            .clone()
            .or_else(|| att.map(|a| a.resource_type.clone()));
        let (Some(id), Some(ty)) = (resource_id, resource_type) else {
            continue;
        };
        by_table.entry(&p.route_table_id).or_default().push(json!({
            "TransitGatewayAttachmentId": p.attachment_id,
            "ResourceId": id,
            "ResourceType": ty,
            "State": p.state.as_str(),
        }));
    }
    let tables = by_table.into_iter();
    tables
        .map(|(t, ps)| json!({"TransitGatewayRouteTableId": t, "TransitGatewayRouteTablePropagations": ps}))
        .collect()
}

fn dx(r: &RegionEstate) -> Value {
    json!({
        "DirectConnectGateways": r.dx_gateways.items.iter().map(|g| json!({
            "DirectConnectGatewayId": g.id,
            "DirectConnectGatewayName": g.name,
            "AmazonSideAsn": g.amazon_side_asn,
            "OwnerAccount": g.owner_account,
            "DirectConnectGatewayState": g.state.as_str(),
        })).collect::<Vec<_>>(),
        // Every field but the BGP authentication key (never read into the model either).
        "VirtualInterfaces": r.dx_vifs.items.iter().map(|v| json!({
            "VirtualInterfaceId": v.id,
            "VirtualInterfaceName": v.name,
            "VirtualInterfaceType": v.vif_type,
            "VirtualInterfaceState": v.state.as_str(),
            "OwnerAccount": v.owner_account,
            "Location": v.location,
            "ConnectionId": v.connection_id,
            "Vlan": v.vlan,
            "Asn": v.asn,
            "AmazonSideAsn": v.amazon_side_asn,
            "AddressFamily": v.address_family,
            "AmazonAddress": v.amazon_address,
            "CustomerAddress": v.customer_address,
            "Mtu": v.mtu,
            "VirtualGatewayId": v.virtual_gateway_id,
            "DirectConnectGatewayId": v.direct_connect_gateway_id,
            "AwsDeviceV2": v.aws_device,
            "BgpPeers": v.bgp_peers.iter().map(|p| json!({
                "BgpPeerId": p.id,
                "Asn": p.asn,
                "AddressFamily": p.address_family,
                "AmazonAddress": p.amazon_address,
                "CustomerAddress": p.customer_address,
                "BgpPeerState": p.bgp_peer_state.as_str(),
                "BgpStatus": p.bgp_status.as_str(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
