//! VPC peering pane: peering connections (requester ↔ accepter, CIDRs, expiry) and VPCs.

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
            ("REQUESTER", Fill(2)),
            ("ACCEPTER", Fill(2)),
            ("EXPIRES", Length(16)),
        ],
        _ => &[
            ("ID", Length(21)),
            ("NAME", Fill(1)),
            ("STATE", Length(10)),
            ("CIDRS", Fill(1)),
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
        out.push_str(&format!(" acct {o}"));
    }
    if !same_region {
        out.push_str(&format!(" {}", s.region.as_deref().unwrap_or_default()));
    }
    out
}

pub fn rows(t: TableId, e: &Estate) -> Vec<Row> {
    match t {
        TableId::Peerings => each!(e, vpc_peerings)
            .map(|(r, p)| {
                let expires = p
                    .expiration_time
                    .filter(|_| p.state == "pending-acceptance")
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string());
                Row::of(
                    r,
                    ResourceKind::VpcPeerings,
                    p,
                    vec![
                        p.id.clone(),
                        dash(&p.name),
                        p.state.clone(),
                        side(e, &r.region, &p.requester, p.requester.owner_id.as_deref()),
                        side(e, &r.region, &p.accepter, p.requester.owner_id.as_deref()),
                        expires.unwrap_or_else(|| "-".into()),
                    ],
                )
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
                        v.state.clone(),
                        v.cidrs.join(","),
                        v.owner_id.clone().unwrap_or_default(),
                    ],
                )
            })
            .collect(),
    }
}
