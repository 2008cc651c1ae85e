//! Transit Gateway route calls (EC2, with `DryRun`).

use crossconnect_core::calls::{Outcome, TgwCall};

use super::done;
use crate::RegionClients;

pub(super) async fn send(c: &RegionClients, op: &str, call: &TgwCall, dry: bool) -> Outcome {
    match call {
        TgwCall::CreateTgwRoute {
            route_table_id,
            cidr,
            attachment_id,
        } => {
            let r = c
                .ec2
                .create_transit_gateway_route()
                .transit_gateway_route_table_id(route_table_id)
                .destination_cidr_block(cidr)
                .set_transit_gateway_attachment_id(attachment_id.clone())
                .set_blackhole(attachment_id.is_none().then_some(true))
                .dry_run(dry)
                .send()
                .await;
            done(op, r, |_| format!("route {cidr} added to {route_table_id}"))
        }
        TgwCall::DeleteTgwRoute {
            route_table_id,
            cidr,
        } => {
            let r = c
                .ec2
                .delete_transit_gateway_route()
                .transit_gateway_route_table_id(route_table_id)
                .destination_cidr_block(cidr)
                .dry_run(dry)
                .send()
                .await;
            done(op, r, |_| {
                format!("route {cidr} deleted from {route_table_id}")
            })
        }
    }
}
