//! The demo's Cloud WAN: core network `global-wan` with a `prod` segment (the egress VPC)
//! and a `hybrid` segment that shares with it and holds a DX gateway attachment
//! (`wan-dxgw`, one transit VIF at Ashburn), so egress reaches on-prem 10.200.0.0/16 over
//! Cloud WAN. Global: every region's batches carry it, as every region's endpoint would.

use crate::model::*;

use super::build::*;
use super::*;

pub const WAN_DXGW_ID: &str = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
pub const CORE: &str = "core-network-0a1b2c3d4e5f60001";
const EGRESS: &str = "vpc-0a1b2c3d4e5f60003";
const ATT_VPC: &str = "attachment-0a1b2c3d4e5f60001";
const ATT_DX: &str = "attachment-0a1b2c3d4e5f60002";

/// The core network's ARN, as a VPC route names it.
pub fn core_arn() -> String {
    format!("arn:aws:networkmanager::{ACCOUNT}:core-network/{CORE}")
}

pub(super) fn wan_dxgw() -> DxGateway {
    DxGateway {
        id: s(WAN_DXGW_ID),
        name: s("wan-dxgw"),
        state: Lifecycle::Available,
        amazon_side_asn: Some(64530),
        owner_account: so(ACCOUNT),
        state_change_error: None,
    }
}

fn route(segment: &str, dest: &str, att: &str, rtype: &str, target_segment: &str) -> CloudWanRoute {
    let (rt, rid) = if att == ATT_DX {
        ("DIRECT_CONNECT_GATEWAY", WAN_DXGW_ID)
    } else {
        ("VPC", EGRESS)
    };
    CloudWanRoute {
        id: format!("{CORE}|{segment}|us-east-1|{dest}"),
        name: s(dest),
        state: s("ACTIVE"),
        core_network_id: s(CORE),
        segment: s(segment),
        edge_location: s("us-east-1"),
        destination: s(dest),
        route_type: s(rtype),
        targets: vec![CwRouteTarget {
            attachment_id: so(att),
            resource_type: so(rt),
            resource_id: so(rid),
            segment: so(target_segment),
            edge_location: so("us-east-1"),
        }],
    }
}

/// The core network, its attachments and its routes.
pub(super) fn batches() -> [Batch; 3] {
    let segment = |name: &str, edges: &[&str], shared: &[&str]| CwSegment {
        name: s(name),
        edge_locations: edges.iter().map(|e| s(e)).collect(),
        shared_segments: shared.iter().map(|e| s(e)).collect(),
    };
    let core = CoreNetwork {
        id: s(CORE),
        name: s("global-wan"),
        state: s("AVAILABLE"),
        global_network_id: s("global-network-0a1b2c3d4e5f6000a"),
        arn: Some(core_arn()),
        owner_account: so(ACCOUNT),
        segments: vec![
            segment("prod", &["us-east-1", "eu-west-2"], &["hybrid"]),
            segment("hybrid", &["us-east-1"], &["prod"]),
        ],
        edges: vec![
            CwEdge {
                edge_location: s("us-east-1"),
                asn: Some(64600),
                inside_cidrs: vec![s("169.254.250.0/24")],
            },
            CwEdge {
                edge_location: s("eu-west-2"),
                asn: Some(64601),
                inside_cidrs: vec![s("169.254.251.0/24")],
            },
        ],
        policy_versions: vec![
            CwPolicyVersion {
                version: 3,
                alias: so("LIVE"),
                change_set_state: so("EXECUTION_SUCCEEDED"),
            },
            CwPolicyVersion {
                version: 4,
                alias: so("LATEST"),
                change_set_state: so("READY_TO_EXECUTE"),
            },
        ],
    };
    let attachment =
        |id: &str, name: &str, ty: &str, arn: String, segment: &str| CloudWanAttachment {
            id: s(id),
            name: s(name),
            state: s("AVAILABLE"),
            core_network_id: s(CORE),
            attachment_type: s(ty),
            resource_arn: arn,
            segment: s(segment),
            edge_locations: vec![s("us-east-1")],
            owner_account: so(ACCOUNT),
        };
    [
        Batch::CoreNetworks(vec![core]),
        Batch::CloudWanAttachments(vec![
            attachment(
                ATT_VPC,
                "egress-vpc",
                "VPC",
                format!("arn:aws:ec2:us-east-1:{ACCOUNT}:vpc/{EGRESS}"),
                "prod",
            ),
            attachment(
                ATT_DX,
                "wan-dxgw",
                "DIRECT_CONNECT_GATEWAY",
                format!("arn:aws:directconnect::{ACCOUNT}:dx-gateway/{WAN_DXGW_ID}"),
                "hybrid",
            ),
        ]),
        Batch::CloudWanRoutes(vec![
            route("prod", "10.40.0.0/16", ATT_VPC, "PROPAGATED", "prod"),
            route("prod", "10.200.0.0/16", ATT_DX, "PROPAGATED", "hybrid"),
            route("hybrid", "10.40.0.0/16", ATT_VPC, "PROPAGATED", "prod"),
            route("hybrid", "10.200.0.0/16", ATT_DX, "PROPAGATED", "hybrid"),
        ]),
    ]
}
