//! After a change whose outcome is unknown (a 500 or a dropped connection after the request
//! reached AWS): read the target again and say whether the change is there. What each call
//! leads to is the call's own ([`crate::calls::Request`]).

use super::Call;
use crate::model::{RegionEstate, ResourceKind};

/// The resource kinds to read again to judge `call`.
pub fn kinds(call: &Call) -> Vec<ResourceKind> {
    call.verified_by()
}

/// Whether what was read shows the change made: `Some(true)` applied, `Some(false)` not,
/// `None` when the read cannot tell.
pub fn applied(call: &Call, r: &RegionEstate) -> Option<bool> {
    call.applied(r)
}

/// Whether the target has reached the state the change leads to (a route `active`, an endpoint
/// `OPERATIONAL`, a peering `active`, a VIF `available`): `Some(true)` settled, `Some(false)`
/// not yet, `None` when the read cannot tell.
pub fn settled(call: &Call, r: &RegionEstate) -> Option<bool> {
    call.settled(r)
}
