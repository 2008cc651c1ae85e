//! VPC peering connections (DescribeVpcPeeringConnections). Read by `src/aws/ec2.rs`.

use super::state::PeeringState;
use serde::{Deserialize, Serialize};

use super::dx::simple_resource;
use super::{Resource, Timestamp};

/// One side of a peering connection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PeeringSide {
    pub vpc_id: String,
    pub owner_id: Option<String>,
    pub region: Option<String>,
    /// IPv4 CIDRs of the VPC known to the peering (primary first).
    pub cidrs: Vec<String>,
}

/// A VPC peering connection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VpcPeering {
    /// `pcx-…`
    pub id: String,
    pub name: String,
    /// initiating-request · pending-acceptance · active · deleted · rejected · failed ·
    /// expired · provisioning · deleting
    pub state: PeeringState,
    pub status_message: Option<String>,
    pub requester: PeeringSide,
    pub accepter: PeeringSide,
    /// When a pending request expires (7 days after it was made).
    pub expiration_time: Option<Timestamp>,
}

simple_resource!(VpcPeering);
