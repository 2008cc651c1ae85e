//! AWS Cloud WAN (Network Manager): core networks with their segments and edge locations,
//! attachments (VPC, Connect, site-to-site VPN, TGW route table, Direct Connect gateway) and
//! each segment's routes per edge location. Global: read once per account. Read by
//! `crates/aws/src/cloudwan.rs`.

use serde::{Deserialize, Serialize};

use super::Resource;
use super::dx::simple_resource;

/// A segment of a core network (`CoreNetwork.Segments[]`): its own routing domain.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CwSegment {
    pub name: String,
    /// The edge locations (AWS Regions) it spans.
    pub edge_locations: Vec<String>,
    /// The segments it shares routes with; none: isolated.
    pub shared_segments: Vec<String>,
}

/// An edge location of a core network (`CoreNetwork.Edges[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CwEdge {
    /// An AWS Region (`us-east-1`).
    pub edge_location: String,
    pub asn: Option<i64>,
    pub inside_cidrs: Vec<String>,
}

/// A version of a core network policy (ListCoreNetworkPolicyVersions).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CwPolicyVersion {
    pub version: i32,
    /// `LIVE` or `LATEST`.
    pub alias: Option<String>,
    /// `PENDING_GENERATION` · `FAILED_GENERATION` · `READY_TO_EXECUTE` · `EXECUTING` ·
    /// `EXECUTION_SUCCEEDED` · `OUT_OF_DATE`
    pub change_set_state: Option<String>,
}

/// A Cloud WAN core network (ListCoreNetworks, GetCoreNetwork).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CoreNetwork {
    /// `core-network-…`
    pub id: String,
    /// The `Name` tag, else the description.
    pub name: String,
    /// CREATING · UPDATING · AVAILABLE · DELETING
    pub state: String,
    pub global_network_id: String,
    pub arn: Option<String>,
    pub owner_account: Option<String>,
    pub segments: Vec<CwSegment>,
    pub edges: Vec<CwEdge>,
    pub policy_versions: Vec<CwPolicyVersion>,
}

impl CoreNetwork {
    /// The policy version in force (`LIVE`).
    pub fn live_policy(&self) -> Option<i32> {
        self.policy_versions
            .iter()
            .find(|p| p.alias.as_deref() == Some("LIVE"))
            .map(|p| p.version)
    }
}

/// A Cloud WAN attachment (ListAttachments).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudWanAttachment {
    /// `attachment-…`
    pub id: String,
    /// The `Name` tag.
    pub name: String,
    /// CREATING · PENDING_ATTACHMENT_ACCEPTANCE · PENDING_NETWORK_UPDATE · PENDING_TAG_ACCEPTANCE ·
    /// AVAILABLE · UPDATING · DELETING · REJECTED · FAILED
    pub state: String,
    pub core_network_id: String,
    /// VPC · CONNECT · SITE_TO_SITE_VPN · TRANSIT_GATEWAY_ROUTE_TABLE · DIRECT_CONNECT_GATEWAY
    pub attachment_type: String,
    /// The attached resource's ARN (a VPC, VPN, TGW route table or DX gateway).
    pub resource_arn: String,
    /// The segment it is in (by the attachment policy).
    pub segment: String,
    /// Its edge location; a DX gateway attachment lists several.
    pub edge_locations: Vec<String>,
    pub owner_account: Option<String>,
}

impl CloudWanAttachment {
    /// The attached resource's id: the last part of its ARN (`vpc-…`, `vpn-…`, a DX gateway's
    /// id, `tgw-rtb-…`).
    pub fn resource_id(&self) -> &str {
        self.resource_arn
            .rsplit(['/', ':'])
            .next()
            .unwrap_or(&self.resource_arn)
    }
}

/// Where a Cloud WAN route sends traffic (`NetworkRoute.Destinations[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CwRouteTarget {
    pub attachment_id: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub segment: Option<String>,
    pub edge_location: Option<String>,
}

/// A route of one segment at one edge location (GetNetworkRoutes).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudWanRoute {
    /// `core-network-…|segment|edge|destination`
    pub id: String,
    /// The destination CIDR.
    pub name: String,
    /// ACTIVE · BLACKHOLE
    pub state: String,
    pub core_network_id: String,
    pub segment: String,
    pub edge_location: String,
    pub destination: String,
    /// PROPAGATED · STATIC
    pub route_type: String,
    pub targets: Vec<CwRouteTarget>,
}

simple_resource!(CoreNetwork, CloudWanAttachment, CloudWanRoute);
