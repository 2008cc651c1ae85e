//! The Cloud WAN part of a walk: a VPC's route to its core network, the VPC's attachment and
//! segment, the segment's routes at the VPC's edge location (longest-prefix match), and where
//! the route leads — a DX gateway attachment (its VIFs), or a VPC attachment; a route into
//! another segment is shown as segment sharing, a segment with no route as isolation.

use super::*;
use crate::model::{CloudWanAttachment, CloudWanRoute};

impl<'a> Index<'a> {
    /// The Cloud WAN attachment of a resource (by the id at the end of its ARN).
    pub fn cw_attachment_of(&self, resource: &str) -> Option<At<'a, CloudWanAttachment>> {
        self.cw_attachments
            .iter()
            .filter(|a| a.resource_id() == resource)
            .min_by_key(|a| !a.state.eq_ignore_ascii_case("available"))
            .copied()
    }

    /// Longest-prefix match in a segment's routes at an edge location.
    pub fn cw_route(
        &self,
        core: &str,
        segment: &str,
        edge: &str,
        dst: &IpNet,
    ) -> Option<&'a CloudWanRoute> {
        let routes = self.cw_routes.get(&(core, segment, edge))?;
        lpm(routes.iter().copied(), dst, |r| r.destination.as_str())
    }
}

fn available(state: &str) -> bool {
    state.eq_ignore_ascii_case("available")
}

impl<'i, 'a> Walk<'i, 'a> {
    fn cw_attachment_hop(&mut self, a: &At<'a, CloudWanAttachment>) {
        let (acct, r) = (a.scope.account.clone(), a.scope.region.clone());
        let state = a.state.to_ascii_lowercase();
        let h = self.hop("cloudwan-attachment", &a.id, &a.name, (&acct, &r), &state);
        h.resource_type = Some(a.attachment_type.to_ascii_lowercase().replace('_', "-"));
        h.note = Some(format!("segment {}", a.segment));
    }

    /// From a VPC whose route points at a core network (`arn`): its attachment, its segment's
    /// route at the VPC's edge location, and where that leads.
    pub(super) fn via_core_network(&mut self, vpc: &At<'a, Vpc>, arn: &str, dst: &IpNet) -> Exit {
        let ix = self.ix;
        let Some(att) = ix.cw_attachment_of(&vpc.id) else {
            self.hop("core-network", arn, "", ("", ""), "");
            return self.missing(
                ResourceKind::CloudWanAttachments,
                format!(
                    "{} routes {dst} to core network {arn}, but has no Cloud WAN attachment",
                    label(&vpc.name, &vpc.id)
                ),
            );
        };
        self.cw_attachment_hop(&att);
        if !available(&att.state) {
            return self.fail(
                Verdict::Unreachable,
                format!("Cloud WAN attachment {} is {}", att.id, att.state),
            );
        }
        let edge = vpc.scope.region.clone();
        self.segment_lookup(&att.core_network_id, &att.segment, &edge, dst, None)
    }

    /// The core network and segment hops, the route to `dst` at `edge`, and where it leads.
    /// `back_to` is the VPC a return lookup must arrive in.
    pub(super) fn segment_lookup(
        &mut self,
        core: &str,
        segment: &str,
        edge: &str,
        dst: &IpNet,
        back_to: Option<&str>,
    ) -> Exit {
        let ix = self.ix;
        let Some(cn) = ix.cw_cores.get(core).copied() else {
            self.hop("core-network", core, "", ("", ""), "");
            return self.missing(
                ResourceKind::CoreNetworks,
                format!("core network {core} was not read"),
            );
        };
        let state = cn.state.to_ascii_lowercase();
        let (a, r) = (cn.scope.account.clone(), cn.scope.region.clone());
        self.hop("core-network", &cn.id, &cn.name, (&a, &r), &state);
        let seg = cn.segments.iter().find(|s| s.name == segment);
        let shares = seg.map(|s| s.shared_segments.clone()).unwrap_or_default();
        let id = format!("segment:{segment}@{edge}");
        let h = self.hop("cloudwan-segment", &id, segment, (&a, edge), "");
        h.note = Some(if shares.is_empty() {
            format!("segment {segment} at edge {edge}: isolated (shares with no segment)")
        } else {
            format!(
                "segment {segment} at edge {edge}: shares with {}",
                shares.join(", ")
            )
        });
        if seg.is_some_and(|s| !s.edge_locations.iter().any(|e| e == edge)) {
            return self.fail(
                Verdict::Unreachable,
                format!(
                    "segment {segment} of {} does not reach edge location {edge}",
                    cn.id
                ),
            );
        }
        let Some(route) = ix.cw_route(&cn.id, segment, edge, dst) else {
            return self.missing(
                ResourceKind::CloudWanRoutes,
                format!(
                    "segment {segment} at {edge} has no route to {dst}{}",
                    if shares.is_empty() {
                        " (it is isolated: it shares with no segment)".to_string()
                    } else {
                        String::new()
                    }
                ),
            );
        };
        let target = route.targets.first();
        self.leg.hops.last_mut().unwrap().route = Some(format!(
            "{} → {} ({}, {})",
            route.destination,
            target
                .and_then(|t| t.attachment_id.clone())
                .unwrap_or_else(|| "?".into()),
            route.route_type.to_ascii_lowercase(),
            route.state.to_ascii_lowercase()
        ));
        if route.state.eq_ignore_ascii_case("blackhole") {
            return self.fail(
                Verdict::Unreachable,
                format!(
                    "blackhole: segment {segment} at {edge} routes {} nowhere",
                    route.destination
                ),
            );
        }
        let Some(att) = target
            .and_then(|t| t.attachment_id.as_deref())
            .and_then(|id| ix.cw_attachments.iter().find(|a| a.id == id).copied())
        else {
            return self.fail(
                Verdict::Unknown,
                format!(
                    "segment {segment} at {edge}: the attachment {} routes to was not read",
                    route.destination
                ),
            );
        };
        if att.segment != segment {
            let h = self.leg.hops.last_mut().unwrap();
            let n = format!("the route is shared from segment {}", att.segment);
            h.note = Some(match h.note.take() {
                Some(x) => format!("{x}; {n}"),
                None => n,
            });
        }
        self.cw_attachment_hop(&att);
        if !available(&att.state) {
            return self.fail(
                Verdict::Unreachable,
                format!("Cloud WAN attachment {} is {}", att.id, att.state),
            );
        }
        match att.attachment_type.as_str() {
            "VPC" => {
                let vpc_id = att.resource_id().to_string();
                if let Some(want) = back_to
                    && want != vpc_id
                {
                    return self.fail(
                        Verdict::Unreachable,
                        format!("segment {segment} sends {dst} to {vpc_id}, not to {want}"),
                    );
                }
                match ix.vpcs.get(vpc_id.as_str()).copied() {
                    Some(v) => {
                        self.vpc_hop(&v);
                        if contains(&v.cidrs, dst) {
                            Exit::Vpc(v.id.clone())
                        } else {
                            self.fail(
                                Verdict::Unreachable,
                                format!("segment {segment} sends {dst} to {vpc_id}, whose CIDRs do not contain it"),
                            )
                        }
                    }
                    None => self.missing(ResourceKind::Vpcs, format!("VPC {vpc_id} was not found")),
                }
            }
            _ if back_to.is_some() => self.fail(
                Verdict::Unreachable,
                format!("segment {segment} sends {dst} to {} ({}), not back to the VPC", att.id, att.attachment_type),
            ),
            "DIRECT_CONNECT_GATEWAY" => {
                let dxgw = att.resource_id().to_string();
                self.dxgw_hop(&dxgw);
                let vifs = ix.dxgw_vifs(&dxgw);
                self.fan_out(&vifs, &dxgw, false);
                Exit::CoreEdge(att.item.clone(), edge.to_string())
            }
            other => self.fail(
                Verdict::Unknown,
                format!(
                    "{dst} leaves core network {} through a {other} attachment ({}); the far side is not traced",
                    cn.id, att.id
                ),
            ),
        }
    }

    /// From on-prem into Cloud WAN through a DX gateway attachment, to `dst` in `vpc`.
    pub(super) fn walk_in_core(
        &mut self,
        att: &CloudWanAttachment,
        edge: &str,
        dst: &IpNet,
        vpc: &str,
    ) -> Exit {
        let ix = self.ix;
        let dxgw = att.resource_id().to_string();
        self.dxgw_hop(&dxgw);
        if let Some(a) = ix.cw_attachments.iter().find(|a| a.id == att.id).copied() {
            self.cw_attachment_hop(&a);
        }
        self.segment_lookup(&att.core_network_id, &att.segment, edge, dst, Some(vpc))
    }
}
