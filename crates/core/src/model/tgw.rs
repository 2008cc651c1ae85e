//! Transit Gateway routing: gateways, attachments, route tables, routes (active and
//! blackhole), associations and propagations. Read by `src/aws/ec2.rs`.

use super::state::{
    AssociationState, Lifecycle, PropagationState, TgwAttachmentState, TgwRouteState, TgwState,
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

simple_resource!(TransitGateway, TgwAttachment, TgwRouteTable);

super::keyed_resource! {
    TgwRoute: route_table_id | destination, name destination;
    TgwAssociation: route_table_id | attachment_id, name attachment_id;
    TgwPropagation: route_table_id | attachment_id, name attachment_id;
}
