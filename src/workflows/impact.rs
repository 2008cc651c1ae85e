//! What a planned call would break, shown in its plan before confirmation: the call as a
//! hypothetical change to the model, traced by the core's what-if engine. A change that cuts a
//! VPC off needs the typed confirmation even when it only adds something.

use super::{Call, Plan, destructive};
use crate::graph::whatif::{Change, what_if};
use crate::model::Estate;

/// The changes a call makes to the paths (none for calls that do not touch them).
pub fn changes_of(call: &Call) -> Vec<Change> {
    match call {
        Call::DeleteVif { id } => vec![Change::FailVif(id.clone())],
        Call::StartFailoverTest { vif_id, .. } => vec![Change::FailVif(vif_id.clone())],
        Call::DeleteTgwRoute {
            route_table_id,
            cidr,
        } => vec![Change::DeleteTgwRoute {
            route_table_id: route_table_id.clone(),
            cidr: cidr.clone(),
        }],
        Call::CreateTgwRoute {
            route_table_id,
            cidr,
            attachment_id,
        } => vec![Change::AddTgwRoute {
            route_table_id: route_table_id.clone(),
            cidr: cidr.clone(),
            attachment_id: attachment_id.clone(),
        }],
        Call::DeletePeering { id } | Call::RejectPeering { id } => {
            vec![Change::DeletePeering(id.clone())]
        }
        _ => vec![],
    }
}

/// Adds what the plan's call would break (or degrade) to its warnings, and requires the typed
/// confirmation when it cuts a VPC off.
pub fn annotate(plan: Plan, e: &Estate) -> Plan {
    let changes = changes_of(&plan.call);
    if changes.is_empty() {
        return plan;
    }
    let w = what_if(e, &changes);
    let mut plan = if w.cuts() && !plan.destructive {
        let confirm = match &plan.call {
            Call::CreateTgwRoute { cidr, .. } => cidr.clone(),
            _ => plan
                .target
                .first()
                .cloned()
                .unwrap_or_else(|| plan.operation.to_string()),
        };
        destructive(plan, confirm)
    } else {
        plan
    };
    let lines = w.lines();
    if lines.is_empty() {
        plan.warnings.push(
            "paths: no VPC loses or narrows a way to on-prem or to what this changes (traced before and after)".into(),
        );
    } else {
        plan.warnings.extend(lines);
    }
    plan
}
