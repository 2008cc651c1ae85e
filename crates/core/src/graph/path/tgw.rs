//! The Transit Gateway part of a walk: the attachment, the route table associated with it and
//! the longest-prefix match in it, and where the route leads.

use super::*;
use crate::model::TgwRouteState;

impl<'i, 'a> Walk<'i, 'a> {
    pub(super) fn attachment_hop(&mut self, att: &Attachment) {
        let h = self.hop(
            "tgw-attachment",
            &att.id,
            &att.name,
            (&att.account, &att.region),
            &att.state,
        );
        h.resource_type = Some(att.resource_type.clone());
        h.note = att.inferred.clone();
    }

    pub(super) fn tgw_hop(&mut self, tgw: &str) {
        let ix = self.ix;
        match ix.tgws.get(tgw) {
            Some(t) => {
                let (a, r) = (t.scope.account.clone(), t.scope.region.clone());
                self.hop("transit-gateway", tgw, &t.name, (&a, &r), t.state.as_str());
            }
            None => {
                self.hop("transit-gateway", tgw, "", ("", ""), "");
            }
        }
    }

    pub(super) fn via_tgw(&mut self, vpc: &At<'a, Vpc>, tgw: &str, dst: &IpNet) -> Exit {
        let ix = self.ix;
        let Some(att) = ix.attachment_of(tgw, &vpc.id).cloned() else {
            self.tgw_hop(tgw);
            return self.missing(
                ResourceKind::TgwAttachments,
                format!("{} has no attachment on {tgw}", label(&vpc.name, &vpc.id)),
            );
        };
        self.attachment_hop(&att);
        if att.state != "available" {
            return self.fail(
                Verdict::Unreachable,
                format!("attachment {} is {}", att.id, att.state),
            );
        }
        self.tgw_hop(tgw);
        self.tgw_lookup(&att, dst, None)
    }

    /// The route table of `att`, then the route to `dst` in it, then where it leads. `back_to`
    /// is the VPC a return lookup must arrive in.
    pub(super) fn tgw_lookup(
        &mut self,
        att: &Attachment,
        dst: &IpNet,
        back_to: Option<&str>,
    ) -> Exit {
        let ix = self.ix;
        let Some(assoc) = ix.association(att) else {
            return self.missing(
                ResourceKind::TgwAssociations,
                format!(
                    "{} is associated with no TGW route table",
                    label(&att.name, &att.id)
                ),
            );
        };
        let t = assoc.table;
        let tl = if t.name.is_empty() {
            format!("TGW route table {}", t.id)
        } else {
            format!("TGW route table {}", t.name)
        };
        if self.seen.contains(&("tgw-route-table", t.id.clone())) {
            return self.fail(
                Verdict::Unreachable,
                format!("routing loop: {tl} is reached again for {dst}"),
            );
        }
        let (a, r) = (t.scope.account.clone(), t.scope.region.clone());
        let h = self.hop(
            "tgw-route-table",
            &t.id,
            &t.name,
            (&a, &r),
            t.state.as_str(),
        );
        h.note = assoc.assumed.clone();
        let Some(route) = ix.tgw_route(&t.id, dst) else {
            let unnamed = if t.name.is_empty() {
                String::new()
            } else {
                format!(" ({})", t.id)
            };
            return self.missing(
                ResourceKind::TgwRoutes,
                format!("{tl} has no route to {dst}{unnamed}"),
            );
        };
        if route.state == TgwRouteState::Blackhole {
            // A blackhole has no target to name (nor to infer).
            self.leg.hops.last_mut().unwrap().route = Some(format!(
                "{} → blackhole ({}, {})",
                route.destination, route.route_type, route.state
            ));
            return self.fail(
                Verdict::Unreachable,
                format!(
                    "blackhole: {tl} routes {} nowhere ({})",
                    route.destination, t.id
                ),
            );
        }
        let (targets, inferred) = ix.route_targets(route, &att.transit_gateway_id);
        let shown = if targets.is_empty() {
            "?".to_string()
        } else {
            targets
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let h = self.leg.hops.last_mut().unwrap();
        h.route = Some(format!(
            "{} → {shown} ({}, {})",
            route.destination, route.route_type, route.state
        ));
        if inferred && !targets.is_empty() {
            let n = "target not in the API answer; inferred from the destination";
            h.note = Some(match h.note.take() {
                Some(x) => format!("{x}; {n}"),
                None => n.into(),
            });
        }
        let Some(target) = targets.first().map(|a| (*a).clone()) else {
            return self.fail(
                Verdict::Unknown,
                format!("{tl}: the target of {} was not reported", route.destination),
            );
        };
        self.attachment_hop(&target);
        if target.state != "available" {
            return self.fail(
                Verdict::Unreachable,
                format!("attachment {} is {}", target.id, target.state),
            );
        }
        match target.resource_type.as_str() {
            "vpc" => {
                let Some(v) = ix.vpcs.get(target.resource_id.as_str()).copied() else {
                    return self.missing(
                        ResourceKind::Vpcs,
                        format!("VPC {} was not found", target.resource_id),
                    );
                };
                self.vpc_hop(&v);
                if let Some(want) = back_to
                    && want != v.id
                {
                    return self.fail(
                        Verdict::Unreachable,
                        format!("{tl} sends {dst} to {}, not to {want}", v.id),
                    );
                }
                if contains(&v.cidrs, dst) {
                    Exit::Vpc(v.id.clone())
                } else {
                    self.fail(
                        Verdict::Unreachable,
                        format!(
                            "{tl} sends {dst} to {}, whose CIDRs do not contain it",
                            v.id
                        ),
                    )
                }
            }
            "peering" => self.cross_peering(&target, dst, back_to),
            _ if back_to.is_some() => self.fail(
                Verdict::Unreachable,
                format!(
                    "{tl} sends {dst} to {} ({}), not back to the VPC",
                    target.id, target.resource_type
                ),
            ),
            "direct-connect-gateway" => {
                let dxgw = target.resource_id.clone();
                self.dxgw_hop(&dxgw);
                let vifs = ix.dxgw_vifs(&dxgw);
                let tgw = target.transit_gateway_id.clone();
                let backup = !ix.vpn_backups(&tgw).is_empty();
                let dx_works = self.fan_out(&vifs, &dxgw, backup);
                match self.vpn_backup(&tgw, &dxgw, !dx_works) {
                    Some(vpn) if !dx_works => {
                        let v = self.leg.vpn_paths.iter().find(|p| p.carrying).cloned();
                        self.leg.on_vpn_backup = true;
                        self.leg.verdict = self.leg.verdict.worst(Verdict::Degraded);
                        self.leg.problems.push(format!(
                            "degraded: on VPN backup: every VIF behind {} is down; {}",
                            label(&ix.dxgw_name(&dxgw), &dxgw),
                            v.map(|v| format!(
                                "{} carries it ({})",
                                label(&v.name, &v.vpn),
                                v.capacity()
                            ))
                            .unwrap_or_else(|| format!("{} carries it", vpn.resource_id))
                        ));
                        Exit::TgwEdge(vpn)
                    }
                    _ => Exit::TgwEdge(target),
                }
            }
            "connect" => self.via_connect(&target),
            "vpn" => {
                self.vpn_hop(&target.resource_id);
                self.dx_withdrawn(&target);
                Exit::TgwEdge(target)
            }
            other => self.fail(
                Verdict::Unknown,
                format!(
                    "{dst} leaves {} through a {other} attachment ({}); the far side is not traced",
                    att.transit_gateway_id, target.resource_id
                ),
            ),
        }
    }
}
