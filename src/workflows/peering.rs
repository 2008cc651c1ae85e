//! VPC peering: accept, reject, delete.

use super::form::Form;
use super::validate::{Checked, FieldError};
use super::*;
use crate::model::PeeringState;
use crate::model::ResourceKind;

/// The peering family.
pub(super) struct Family;

impl super::Family for Family {
    fn form(&self, c: &Ctx) -> Result<Form, String> {
        use WorkflowKind::*;
        let (kind, t, r) = (c.kind, c.t, c.r);
        Ok(match kind {
            AcceptPeering | RejectPeering | DeletePeering => {
                let id = id_of(t, ResourceKind::VpcPeerings)?;
                let p = r
                    .vpc_peerings
                    .items
                    .iter()
                    .find(|p| p.id == id)
                    .ok_or("peering not found")?;
                if matches!(kind, AcceptPeering | RejectPeering)
                    && p.state != PeeringState::PendingAcceptance
                {
                    return Err(format!(
                        "{id} is {}, only a pending-acceptance peering can be accepted or rejected",
                        p.state
                    ));
                }
                Form::new(vec![])
            }
            other => unreachable!("{other:?} is not a peering workflow"),
        })
    }

    fn plan(&self, c: &PlanCtx) -> Checked<Plan> {
        use WorkflowKind::*;
        let (kind, t, r) = (c.kind, c.t, c.r);
        let row_id = || c.row_id();
        let plan = |call| c.plan(call);
        Ok(match kind {
            AcceptPeering => {
                let id = row_id();
                let pcx = r.vpc_peerings.items.iter().find(|p| p.id == id);
                let mut warnings = Vec::new();
                if let Some(p) = pcx {
                    if p.state != PeeringState::PendingAcceptance {
                        return Err(FieldError {
                            field: "Peering".into(),
                            message: format!(
                                "{id} is {}: only a pending-acceptance request can be accepted",
                                p.state
                            ),
                        });
                    }
                    let (req, acc) = (
                        p.requester.owner_id.as_deref(),
                        p.accepter.owner_id.as_deref(),
                    );
                    match (t.caller_account.as_deref(), req, acc) {
                    (Some(me), Some(req), Some(acc)) if me == req && me != acc => {
                        return Err(FieldError {
                            field: "Peering".into(),
                            message: format!(
                                "you are the requester ({req}) of {id}; only the accepter account {acc} can accept it"
                            ),
                        });
                    }
                    (None, Some(req), Some(acc)) if req != acc => warnings.push(format!(
                        "cross-account request from {req} to {acc}: only the accepter account can accept it (the caller's account is unknown)"
                    )),
                    _ => {}
                }
                }
                let mut p = plan(PeeringCall::AcceptPeering { id });
                p.warnings.extend(warnings);
                p
            }
            RejectPeering => {
                let id = row_id();
                // The requester cannot reject its own request (AWS: OperationNotPermitted); it
                // deletes it instead.
                if let Some(p) = r.vpc_peerings.items.iter().find(|p| p.id == id)
                    && let (Some(me), Some(req), Some(acc)) = (
                        t.caller_account.as_deref(),
                        p.requester.owner_id.as_deref(),
                        p.accepter.owner_id.as_deref(),
                    )
                    && me == req
                    && me != acc
                {
                    return Err(FieldError {
                        field: "Peering".into(),
                        message: format!(
                            "you are the requester ({req}) of {id}: only the accepter account {acc} can reject it; delete the request instead (D) — nothing was sent"
                        ),
                    });
                }
                destructive(plan(PeeringCall::RejectPeering { id: id.clone() }), id)
            }
            DeletePeering => {
                let id = row_id();
                destructive(plan(PeeringCall::DeletePeering { id: id.clone() }), id)
            }
            other => unreachable!("{other:?} is not a peering workflow"),
        })
    }
}
