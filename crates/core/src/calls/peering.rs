//! VPC peering calls (EC2): accept, reject, delete.

use super::Request;
use crate::graph::whatif::Change;
use crate::model::{PeeringState, RegionEstate, ResourceKind};

/// A VPC peering call; `id` is the `pcx-…` id.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum PeeringCall {
    /// AcceptVpcPeeringConnection.
    AcceptPeering { id: String },
    /// RejectVpcPeeringConnection.
    RejectPeering { id: String },
    /// DeleteVpcPeeringConnection.
    DeletePeering { id: String },
}

impl PeeringCall {
    fn id(&self) -> &str {
        match self {
            Self::AcceptPeering { id }
            | Self::RejectPeering { id }
            | Self::DeletePeering { id } => id,
        }
    }
}

/// The peering's status code as last read (DescribeVpcPeeringConnections).
fn state<'a>(r: &'a RegionEstate, id: &str) -> Option<&'a PeeringState> {
    super::by_id(&r.vpc_peerings.items, id).map(|p| &p.state)
}

super::operations!(PeeringCall, "ec2" {
    Self::AcceptPeering { .. } => "AcceptVpcPeeringConnection",
    Self::RejectPeering { .. } => "RejectVpcPeeringConnection",
    Self::DeletePeering { .. } => "DeleteVpcPeeringConnection",
});

impl Request for PeeringCall {
    fn params(&self) -> Vec<(&'static str, String)> {
        vec![("VpcPeeringConnectionId", self.id().to_string())]
    }

    fn undo(&self, _created: Option<&str>) -> Option<String> {
        match self {
            Self::AcceptPeering { id } => Some(format!(
                "ec2:DeleteVpcPeeringConnection VpcPeeringConnectionId={id}"
            )),
            _ => None,
        }
    }

    fn verified_by(&self) -> Vec<ResourceKind> {
        vec![ResourceKind::VpcPeerings]
    }

    fn applied(&self, r: &RegionEstate) -> Option<bool> {
        Some(match self {
            Self::AcceptPeering { id } => *state(r, id)? == PeeringState::Active,
            // AWS spells no `rejecting` for a peering: rejected is the end of it.
            Self::RejectPeering { id } => *state(r, id)? == PeeringState::Rejected,
            Self::DeletePeering { id } => state(r, id)
                .is_none_or(|s| matches!(s, PeeringState::Deleted | PeeringState::Deleting)),
        })
    }

    fn settled(&self, r: &RegionEstate) -> Option<bool> {
        match self {
            Self::DeletePeering { id } => {
                Some(state(r, id).is_none_or(|s| *s == PeeringState::Deleted))
            }
            _ => self.applied(r),
        }
    }

    fn path_changes(&self) -> Vec<Change> {
        match self {
            Self::DeletePeering { id } | Self::RejectPeering { id } => {
                vec![Change::DeletePeering(id.clone())]
            }
            Self::AcceptPeering { .. } => vec![],
        }
    }
}
