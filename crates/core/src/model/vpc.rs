//! VPCs and subnets (context: names, CIDRs, Availability Zones) and Site-to-Site VPN
//! connections (tunnel status, as DX backup). Read by `src/aws/ec2.rs`.

use super::state::{Lifecycle, SubnetState, TunnelStatus, VpcRouteState, VpcState};
use serde::{Deserialize, Serialize};

use super::dx::simple_resource;
use super::{Resource, Timestamp};

/// A VPC (DescribeVpcs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    /// `vpc-…`
    pub id: String,
    pub name: String,
    /// pending · available
    pub state: VpcState,
    pub owner_id: Option<String>,
    /// IPv4 CIDRs, primary first.
    pub cidrs: Vec<String>,
    pub is_default: bool,
}

/// A subnet (DescribeSubnets), read for its Availability Zone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    /// `subnet-…`
    pub id: String,
    pub name: String,
    /// pending · available · unavailable
    pub state: SubnetState,
    pub vpc_id: String,
    pub cidr: String,
    /// e.g. `us-east-1a`
    pub availability_zone: String,
    /// e.g. `use1-az1`
    pub availability_zone_id: Option<String>,
}

/// One route of a VPC route table (DescribeRouteTables).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VpcRoute {
    /// Destination CIDR (IPv4 or IPv6) or prefix list id (`pl-…`).
    pub destination: String,
    /// What the route points at, by kind: `transit-gateway`, `gateway` (IGW or VGW),
    /// `vpc-peering`, `nat-gateway`, `network-interface`, `instance`, `local`, `vpc-endpoint`,
    /// `carrier-gateway`, `egress-only-gateway`, `core-network`, or `unknown`.
    pub target_kind: String,
    /// The target's id (`tgw-…`, `vgw-…`, `pcx-…`, `local`, …).
    pub target_id: String,
    /// `active` · `blackhole`
    pub state: VpcRouteState,
    /// `CreateRouteTable` · `CreateRoute` · `EnableVgwRoutePropagation`
    pub origin: String,
}

/// A VPC route table (DescribeRouteTables): its VPC, the subnets associated with it (or the
/// VPC's main table), and its routes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VpcRouteTable {
    /// `rtb-…`
    pub id: String,
    pub name: String,
    /// Route tables have no state of their own; empty.
    pub state: String,
    pub vpc_id: String,
    pub owner_id: Option<String>,
    /// The VPC's main route table (used by subnets with no explicit association).
    pub main: bool,
    /// Subnets explicitly associated.
    pub subnet_ids: Vec<String>,
    /// Virtual private gateways that propagate routes into it.
    pub propagating_vgws: Vec<String>,
    pub routes: Vec<VpcRoute>,
}

/// A security group (DescribeSecurityGroups): the pick lists of change workflows, and the
/// rules a port-aware path judges.
/// Security groups have no state; `state` is empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    /// `sg-…`
    pub id: String,
    /// The `Name` tag, else the group name.
    pub name: String,
    pub state: String,
    pub vpc_id: String,
    pub description: Option<String>,
    /// Inbound rules (stateful: what they allow in may answer).
    #[serde(default)]
    pub ingress: Vec<super::SgRule>,
    /// Outbound rules.
    #[serde(default)]
    pub egress: Vec<super::SgRule>,
}

/// One tunnel of a VPN connection (VgwTelemetry).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VpnTunnel {
    pub outside_ip_address: String,
    /// `UP` · `DOWN`
    pub status: TunnelStatus,
    pub status_message: Option<String>,
    pub last_status_change: Option<Timestamp>,
    pub accepted_route_count: Option<i32>,
}

/// A Site-to-Site VPN connection (DescribeVpnConnections). Pre-shared keys and the
/// customer gateway configuration are never read into the model.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VpnConnection {
    /// `vpn-…`
    pub id: String,
    pub name: String,
    /// pending · available · deleting · deleted
    pub state: Lifecycle,
    pub customer_gateway_id: Option<String>,
    pub vpn_gateway_id: Option<String>,
    pub transit_gateway_id: Option<String>,
    pub tunnels: Vec<VpnTunnel>,
}

simple_resource!(Vpc, Subnet, SecurityGroup, VpnConnection, VpcRouteTable);

impl VpnConnection {
    /// Whether it can carry traffic: a tunnel `UP` (`Some(true)`), none (`Some(false)`), or
    /// `None` when AWS (or an emulator) gave no tunnel status for an `available` connection.
    pub fn usable(&self) -> Option<bool> {
        if self.tunnels.is_empty() && self.state == super::Lifecycle::Available {
            None
        } else {
            Some(self.tunnels_up() > 0 && self.state == super::Lifecycle::Available)
        }
    }

    /// Number of tunnels whose status is `UP`.
    pub fn tunnels_up(&self) -> usize {
        self.tunnels
            .iter()
            .filter(|t| t.status == TunnelStatus::Up)
            .count()
    }
}
