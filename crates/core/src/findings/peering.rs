//! VPC peering rules: pending acceptance (with time to expiry), failed/rejected/expired,
//! overlapping CIDRs between peered VPCs.

use super::dx::label;
use super::{Ctx, Finding, Severity, cidrs_overlap, finding};
use crate::model::PeeringState;
use crate::model::ResourceKind;

pub(crate) fn check(c: &Ctx, out: &mut Vec<Finding>) {
    let scope = c.region.scope();
    for p in c.region.vpc_peerings.items.iter().filter(|p| {
        // A peering between two accounts in scope is judged once, in its requester's.
        !c.estate
            .is_mirror(&scope, crate::model::ResourceKind::VpcPeerings, &p.id)
    }) {
        let res = || {
            vec![c.res(
                ResourceKind::VpcPeerings,
                &p.id,
                &p.name,
                p.requester.owner_id.as_ref(),
            )]
        };
        let sides = format!("{} ↔ {}", p.requester.vpc_id, p.accepter.vpc_id);
        use PeeringState::*;
        match p.state {
            PendingAcceptance => {
                let left = match (p.expiration_time, c.as_of) {
                    (Some(exp), Some(now)) => Some((exp - now).num_seconds()),
                    _ => None,
                };
                let left_s = left
                    .map(super::human_duration)
                    .unwrap_or_else(|| "not reported".into());
                let sev = left.filter(|s| *s < 86_400).map(|_| Severity::High);
                let mut ev = vec![
                    ("status", p.state.to_string()),
                    ("vpcs", sides.clone()),
                    ("timeLeft", left_s.clone()),
                    (
                        "accepterOwnerId",
                        p.accepter.owner_id.clone().unwrap_or_default(),
                    ),
                ];
                if let Some(t) = p.expiration_time {
                    ev.push(("expirationTime", t.to_rfc3339()));
                }
                out.push(finding("PCX-001", sev, match left {
                    Some(_) => format!("Peering {} is pending acceptance ({left_s} left before it expires)", label(&p.name, &p.id)),
                    None => format!("Peering {} is pending acceptance (expiry time not reported; requests expire 7 days after they are made)", label(&p.name, &p.id)),
                },
                    res(), &ev, "Have the accepter account accept the request (AcceptVpcPeeringConnection) or delete it; requests expire after 7 days."));
            }
            Failed | Rejected | Expired => {
                let sev = (p.state == PeeringState::Failed).then_some(Severity::Medium);
                out.push(finding("PCX-002", sev, format!("Peering {} is {}", label(&p.name, &p.id), p.state), res(),
                    &[("status", p.state.to_string()), ("statusMessage", p.status_message.clone().unwrap_or_default()), ("vpcs", sides.clone())],
                    "Read the status message, fix the cause (overlapping CIDRs, wrong account or region) and request a new peering; clean up routes pointing at it."));
            }
            _ => {}
        }
        if matches!(
            p.state,
            Active | PendingAcceptance | Provisioning | InitiatingRequest
        ) {
            let overlaps: Vec<String> = p
                .requester
                .cidrs
                .iter()
                .flat_map(|a| {
                    p.accepter
                        .cidrs
                        .iter()
                        .filter(move |b| cidrs_overlap(a, b))
                        .map(move |b| format!("{a} ∩ {b}"))
                })
                .collect();
            if !overlaps.is_empty() {
                out.push(finding("PCX-003", None, format!("Peering {} joins VPCs with overlapping CIDRs ({})", label(&p.name, &p.id), overlaps.join(", ")),
                    res(), &[("overlaps", overlaps.join(", ")), ("vpcs", sides)],
                    "Peered VPCs must not overlap: re-address one VPC, or connect through a Transit Gateway with non-overlapping routes."));
            }
        }
    }
}
