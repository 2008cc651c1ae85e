//! What filters packets on a path inside a VPC: network ACLs (stateless, per subnet, both
//! directions, rule order) and the network interfaces that own addresses, with their security
//! groups (stateful). Read by `crates/aws/src/ec2_edge.rs`.

use serde::{Deserialize, Serialize};

use super::Resource;
use super::dx::simple_resource;

/// One entry of a network ACL (`NetworkAcl.Entries[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AclEntry {
    /// 1–32766, evaluated lowest first; AWS's default deny is 32767 (`*`).
    pub rule_number: i32,
    /// Outbound (`true`) or inbound.
    pub egress: bool,
    /// IANA protocol number as AWS gives it: `-1` (all), `6` (tcp), `17` (udp), `1` (icmp).
    pub protocol: String,
    /// `allow` or `deny`.
    pub allow: bool,
    /// The IPv4 or IPv6 CIDR the rule matches (the source inbound, the destination outbound).
    pub cidr: String,
    /// Port range (tcp, udp), inclusive; `None` for every port.
    pub ports: Option<(u16, u16)>,
}

/// A network ACL (DescribeNetworkAcls) and the subnets it is associated with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkAcl {
    /// `acl-…`
    pub id: String,
    pub name: String,
    /// Network ACLs have no state; empty.
    pub state: String,
    pub vpc_id: String,
    /// The VPC's default ACL (used by subnets with no other association).
    pub is_default: bool,
    pub subnet_ids: Vec<String>,
    pub entries: Vec<AclEntry>,
}

/// One rule of a security group (`IpPermissions[]` / `IpPermissionsEgress[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SgRule {
    /// `-1` (all), `tcp`, `udp`, `icmp`, or a protocol number.
    pub protocol: String,
    /// Port range (tcp, udp), inclusive; `None` for every port.
    pub ports: Option<(u16, u16)>,
    /// IPv4 and IPv6 CIDRs the rule allows.
    pub cidrs: Vec<String>,
    /// Security groups (`sg-…`) and prefix lists (`pl-…`) the rule allows, by id: a peer
    /// judged by group membership, which an address alone does not show.
    pub peers: Vec<String>,
}

/// A network interface (DescribeNetworkInterfaces): the owner of an address in a VPC, and the
/// security groups on it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkInterface {
    /// `eni-…`
    pub id: String,
    /// The description (an ENI has no `Name` tag as a rule).
    pub name: String,
    /// available · attaching · in-use · detaching
    pub state: String,
    pub vpc_id: String,
    pub subnet_id: String,
    /// `interface`, `transit_gateway`, `vpc_endpoint`, …
    pub interface_type: String,
    pub private_ips: Vec<String>,
    /// `sg-…`
    pub security_groups: Vec<String>,
}

simple_resource!(NetworkAcl, NetworkInterface);
