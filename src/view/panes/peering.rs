//! VPC peering pane: peering connections (requester ↔ accepter, CIDRs, expiry) and VPCs.

use crate::model::{PeeringState, VpcRouteState};
use crate::view::columns::Width;

use super::{dash, each};
use crate::model::{Estate, PeeringSide, ResourceKind};
use crate::view::table::{Row, TableId};

use Width::{Flex as Fill, Whole as Length};

pub fn columns(t: TableId) -> &'static [(&'static str, Width)] {
    match t {
        TableId::Peerings => &[
            ("ID", Length(21)),
            ("NAME", Fill(1)),
            ("STATE", Length(18)),
            ("REQUESTER", Length(21)),
            ("ACCEPTER", Length(21)),
            ("EXPIRES", Length(16)),
        ],
        TableId::VpcRouteTables => &[
            ("ID", Length(12)),
            ("NAME", Fill(1)),
            ("VPC", Length(21)),
            ("MAIN", Length(4)),
            ("SUBNETS", Length(7)),
            ("ROUTES", Length(6)),
            ("BLACKHOLES", Length(10)),
            ("HYBRID TARGETS", Fill(2)),
        ],
        _ => &[
            ("ID", Length(21)),
            ("NAME", Fill(1)),
            ("STATE", Length(10)),
            ("CIDRS", Length(11)),
            ("OWNER", Length(13)),
        ],
    }
}

/// `name cidr`, plus `acct N` when the side is in another account than `home_account`
/// and the region when it is another region.
fn side(e: &Estate, region: &str, s: &PeeringSide, home_account: Option<&str>) -> String {
    let same_region = s.region.as_deref().is_none_or(|r| r == region);
    let vpc = if same_region {
        e.vpc_name(region, &s.vpc_id)
    } else {
        s.vpc_id.clone()
    };
    let mut out = format!("{vpc} {}", s.cidrs.join(","));
    if let Some(o) = s.owner_id.as_deref().filter(|o| Some(*o) != home_account) {
        out.push_str(&format!(" acct {}", e.account_name(o)));
    }
    if !same_region {
        out.push_str(&format!(" {}", s.region.as_deref().unwrap_or_default()));
    }
    out
}

/// The account a peering row is seen from: the one it was read in (so `acct N` marks the
/// other side, never the reader's own VPC), else its requester's.
fn home<'a>(r: &'a crate::model::RegionEstate, p: &'a crate::model::VpcPeering) -> Option<&'a str> {
    Some(r.account.as_str())
        .filter(|a| !a.is_empty())
        .or(p.requester.owner_id.as_deref())
}

pub fn rows(t: TableId, e: &Estate) -> Vec<Row> {
    match t {
        TableId::Peerings => each!(e, vpc_peerings)
            .filter(|(r, p)| !e.is_mirror(&r.scope(), ResourceKind::VpcPeerings, &p.id))
            .map(|(r, p)| {
                let expires = p
                    .expiration_time
                    .filter(|_| p.state == PeeringState::PendingAcceptance)
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string());
                Row::of(
                    r,
                    ResourceKind::VpcPeerings,
                    p,
                    vec![
                        p.id.clone(),
                        dash(&p.name),
                        p.state.to_string(),
                        side(e, &r.region, &p.requester, home(r, p)),
                        side(e, &r.region, &p.accepter, home(r, p)),
                        expires.unwrap_or_else(|| "-".into()),
                    ],
                )
            })
            .collect(),
        TableId::VpcRouteTables => each!(e, vpc_route_tables)
            .map(|(r, t)| {
                let blackholes = t
                    .routes
                    .iter()
                    .filter(|x| x.state == VpcRouteState::Blackhole)
                    .count();
                // Where traffic leaves the VPC for the hybrid network: TGW, VGW, peering.
                let hybrid: Vec<String> = t
                    .routes
                    .iter()
                    .filter(|x| {
                        matches!(x.target_kind.as_str(), "transit-gateway" | "vpc-peering")
                            || x.target_id.starts_with("vgw-")
                    })
                    .map(|x| format!("{} → {}", x.destination, x.target_id))
                    .collect();
                let mut row = Row::of(
                    r,
                    ResourceKind::VpcRouteTables,
                    t,
                    vec![
                        t.id.clone(),
                        dash(&t.name),
                        e.vpc_label(&r.region, &t.vpc_id),
                        if t.main { "yes" } else { "-" }.to_string(),
                        t.subnet_ids.len().to_string(),
                        t.routes.len().to_string(),
                        blackholes.to_string(),
                        if hybrid.is_empty() {
                            "-".into()
                        } else {
                            hybrid.join(", ")
                        },
                    ],
                );
                if blackholes > 0 {
                    row.health = crate::model::health::Health::Bad;
                    row.state_col = Some(7);
                }
                row
            })
            .collect(),
        _ => each!(e, vpcs)
            .map(|(r, v)| {
                Row::of(
                    r,
                    ResourceKind::Vpcs,
                    v,
                    vec![
                        v.id.clone(),
                        dash(&v.name),
                        v.state.to_string(),
                        v.cidrs.join(","),
                        v.owner_id.clone().unwrap_or_default(),
                    ],
                )
            })
            .collect(),
    }
}
