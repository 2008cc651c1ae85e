//! Transit Gateway routing: gateways, attachments, route tables, routes (active and
//! blackhole), associations and propagations. Read by `src/aws/ec2.rs`.

use super::state::{
    AssociationState, BgpStatus, Lifecycle, PropagationState, TgwAttachmentState, TgwRouteState,
    TgwState,
};
use serde::{Deserialize, Serialize};

use super::Resource;
use super::dx::simple_resource;

/// A transit gateway (DescribeTransitGateways).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TransitGateway {
    /// `tgw-…`
    pub id: String,
    pub name: String,
    /// pending · available · modifying · deleting · deleted
    pub state: TgwState,
    pub owner_id: Option<String>,
    pub description: Option<String>,
    pub amazon_side_asn: Option<i64>,
    pub association_default_route_table_id: Option<String>,
    pub propagation_default_route_table_id: Option<String>,
}

/// A TGW attachment (DescribeTransitGatewayAttachments).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TgwAttachment {
    /// `tgw-attach-…`
    pub id: String,
    pub name: String,
    /// initiating · initiatingRequest · pendingAcceptance · rollingBack · pending · available ·
    /// modifying · deleting · deleted · failed · rejected · rejecting · failing
    pub state: TgwAttachmentState,
    pub transit_gateway_id: String,
    /// vpc · vpn · direct-connect-gateway · peering · connect · tgw-peering
    pub resource_type: String,
    pub resource_id: Option<String>,
    /// The account that owns the attached resource (`ResourceOwnerId`).
    pub resource_owner_id: Option<String>,
    /// The account that owns the transit gateway (`TransitGatewayOwnerId`).
    pub transit_gateway_owner_id: Option<String>,
    /// The route table the attachment is associated with, if any.
    pub association_route_table_id: Option<String>,
    pub association_state: Option<AssociationState>,
}

/// A TGW route table (DescribeTransitGatewayRouteTables).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TgwRouteTable {
    /// `tgw-rtb-…`
    pub id: String,
    pub name: String,
    /// pending · available · deleting · deleted
    pub state: Lifecycle,
    pub transit_gateway_id: String,
    pub default_association_route_table: bool,
    pub default_propagation_route_table: bool,
}

/// Where a TGW route sends traffic.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RouteTarget {
    pub attachment_id: Option<String>,
    pub resource_id: Option<String>,
    pub resource_type: Option<String>,
}

/// A route in a TGW route table (SearchTransitGatewayRoutes).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TgwRoute {
    pub route_table_id: String,
    /// Destination CIDR, or prefix list id.
    pub destination: String,
    /// `static` · `propagated`
    pub route_type: String,
    /// pending · active · blackhole · deleting · deleted
    pub state: TgwRouteState,
    pub targets: Vec<RouteTarget>,
}

/// An attachment associated with a route table (GetTransitGatewayRouteTableAssociations).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TgwAssociation {
    pub route_table_id: String,
    pub attachment_id: String,
    pub resource_id: Option<String>,
    pub resource_type: Option<String>,
    /// associating · associated · disassociating · disassociated
    pub state: AssociationState,
}

/// An attachment propagating into a route table (GetTransitGatewayRouteTablePropagations).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TgwPropagation {
    pub route_table_id: String,
    pub attachment_id: String,
    pub resource_id: Option<String>,
    pub resource_type: Option<String>,
    /// enabling · enabled · disabling · disabled
    pub state: PropagationState,
}

/// One side of a TGW peering attachment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TgwPeeringSide {
    /// `tgw-…`
    pub transit_gateway_id: String,
    pub owner_id: Option<String>,
    pub region: Option<String>,
}

/// A TGW peering attachment (DescribeTransitGatewayPeeringAttachments). AWS gives it one
/// attachment id on both transit gateways; each side's route tables route into it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TgwPeering {
    /// `tgw-attach-…`, the same on both sides.
    pub id: String,
    pub name: String,
    /// initiatingRequest · pendingAcceptance · available · rejected · deleted · failed · …
    pub state: TgwAttachmentState,
    /// `Status.Message`, when AWS gives one.
    pub status_message: Option<String>,
    pub requester: TgwPeeringSide,
    pub accepter: TgwPeeringSide,
}

impl TgwPeering {
    /// The side that is not `tgw`; `None` when `tgw` is neither.
    pub fn far_side(&self, tgw: &str) -> Option<&TgwPeeringSide> {
        if self.requester.transit_gateway_id == tgw {
            Some(&self.accepter)
        } else if self.accepter.transit_gateway_id == tgw {
            Some(&self.requester)
        } else {
            None
        }
    }
}

/// A TGW Connect attachment (DescribeTransitGatewayConnects): GRE tunnels to SD-WAN or
/// third-party appliances over a transport attachment (a VPC or a DX gateway attachment).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TgwConnect {
    /// `tgw-attach-…`
    pub id: String,
    pub name: String,
    pub state: TgwAttachmentState,
    pub transit_gateway_id: String,
    /// The attachment the GRE tunnels ride (`tgw-attach-…` of a VPC or DX gateway).
    pub transport_attachment_id: String,
    /// `gre`
    pub protocol: Option<String>,
}

/// One BGP session of a Connect peer (`ConnectPeerConfiguration.BgpConfigurations[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectBgp {
    pub transit_gateway_address: Option<String>,
    pub peer_address: Option<String>,
    pub transit_gateway_asn: Option<i64>,
    pub peer_asn: Option<i64>,
    /// `up` · `down`
    pub status: BgpStatus,
}

/// A TGW Connect peer (DescribeTransitGatewayConnectPeers): one GRE tunnel and its BGP
/// sessions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TgwConnectPeer {
    /// `tgw-connect-peer-…`
    pub id: String,
    pub name: String,
    /// pending · available · deleting · deleted
    pub state: Lifecycle,
    /// The Connect attachment (`tgw-attach-…`).
    pub connect_attachment_id: String,
    /// GRE outer addresses.
    pub transit_gateway_address: Option<String>,
    pub peer_address: Option<String>,
    /// BGP inside CIDRs (`169.254.x.x/29`, an IPv6 /125).
    pub inside_cidrs: Vec<String>,
    pub bgp: Vec<ConnectBgp>,
}

impl TgwConnectPeer {
    /// `up` when a BGP session is up, `down` when every one read is down, else unknown.
    pub fn bgp_status(&self) -> BgpStatus {
        if self.bgp.iter().any(|b| b.status == BgpStatus::Up) {
            BgpStatus::Up
        } else if !self.bgp.is_empty() && self.bgp.iter().all(|b| b.status == BgpStatus::Down) {
            BgpStatus::Down
        } else {
            BgpStatus::StateUnknown
        }
    }
}

simple_resource!(
    TransitGateway,
    TgwAttachment,
    TgwRouteTable,
    TgwPeering,
    TgwConnect,
    TgwConnectPeer
);

super::keyed_resource! {
    TgwRoute: route_table_id | destination, name destination;
    TgwAssociation: route_table_id | attachment_id, name attachment_id;
    TgwPropagation: route_table_id | attachment_id, name attachment_id;
}
