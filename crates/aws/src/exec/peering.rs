//! VPC peering calls (EC2, with `DryRun`).

use crossconnect_core::calls::{Outcome, PeeringCall};

use super::done;
use crate::RegionClients;

pub(super) async fn send(c: &RegionClients, op: &str, call: &PeeringCall, dry: bool) -> Outcome {
    match call {
        PeeringCall::AcceptPeering { id } => {
            let r = c.ec2.accept_vpc_peering_connection();
            let r = r.vpc_peering_connection_id(id).dry_run(dry).send().await;
            done(op, r, |_| format!("accepted {id}"))
        }
        PeeringCall::RejectPeering { id } => {
            let r = c.ec2.reject_vpc_peering_connection();
            let r = r.vpc_peering_connection_id(id).dry_run(dry).send().await;
            done(op, r, |_| format!("rejected {id}"))
        }
        PeeringCall::DeletePeering { id } => {
            let r = c.ec2.delete_vpc_peering_connection();
            let r = r.vpc_peering_connection_id(id).dry_run(dry).send().await;
            done(op, r, |_| format!("deleted {id}"))
        }
    }
}
