//! VPC peering pane: peering connections (requester ↔ accepter, CIDRs, expiry), VPCs, their
//! route tables and network ACLs.

use super::{AnyTable, Cx, Table, col, id_col, name_col, state_col};
use crate::model::health::Health;
use crate::model::{
    Estate, NetworkAcl, PeeringSide, PeeringState, ResourceKind, Vpc, VpcPeering, VpcRouteState,
    VpcRouteTable,
};
use crate::view::columns::Width::{Flex as Fill, Whole as Length};
use crate::view::table::{Row, TableId};

pub fn table(t: TableId) -> &'static dyn AnyTable {
    match t {
        TableId::Peerings => &PEERINGS,
        TableId::VpcRouteTables => &ROUTE_TABLES,
        TableId::NetworkAcls => &ACLS,
        _ => &VPCS,
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

/// One side of a peering as its row shows it.
fn side_cell(x: &Cx, p: &VpcPeering, s: &PeeringSide) -> String {
    side(x.e, &x.r.region, s, home(x.r, p))
}

// A peering between two accounts read here is listed once (see `Estate::is_mirror`).
static PEERINGS: Table<VpcPeering> = Table::<VpcPeering>::new(
    ResourceKind::VpcPeerings,
    |r| &r.vpc_peerings.items,
    &[
        id_col(Length(21)),
        name_col(Fill(1)),
        state_col(Length(18)),
        col("REQUESTER", Length(21), |x, p| {
            side_cell(x, p, &p.requester)
        }),
        col("ACCEPTER", Length(21), |x, p| side_cell(x, p, &p.accepter)),
        col("EXPIRES", Length(16), |_, p| {
            p.expiration_time
                .filter(|_| p.state == PeeringState::PendingAcceptance)
                .map_or_else(|| "-".into(), |t| t.format("%Y-%m-%d %H:%M").to_string())
        }),
    ],
)
.keep(|x, p| {
    !x.e.is_mirror(&x.r.scope(), ResourceKind::VpcPeerings, &p.id)
});

/// Blackhole routes in a VPC route table.
fn blackholes(t: &VpcRouteTable) -> usize {
    let routes = t.routes.iter();
    routes
        .filter(|x| x.state == VpcRouteState::Blackhole)
        .count()
}

/// Where traffic leaves the VPC for the hybrid network: TGW, VGW, peering.
fn hybrid_targets(t: &VpcRouteTable) -> String {
    let hybrid: Vec<String> = t
        .routes
        .iter()
        .filter(|x| {
            matches!(x.target_kind.as_str(), "transit-gateway" | "vpc-peering")
                || x.target_id.starts_with("vgw-")
        })
        .map(|x| format!("{} → {}", x.destination, x.target_id))
        .collect();
    if hybrid.is_empty() {
        "-".into()
    } else {
        hybrid.join(", ")
    }
}

/// A route table with a blackhole is broken (BLACKHOLES column).
fn blackholed(_: &Cx, t: &VpcRouteTable, row: &mut Row) {
    if blackholes(t) > 0 {
        row.health = Health::Bad;
        row.state_col = Some(7);
    }
}

static ROUTE_TABLES: Table<VpcRouteTable> = Table::<VpcRouteTable>::new(
    ResourceKind::VpcRouteTables,
    |r| &r.vpc_route_tables.items,
    &[
        id_col(Length(12)),
        name_col(Fill(1)),
        col("VPC", Length(21), |x, t| {
            x.e.vpc_label(&x.r.region, &t.vpc_id)
        }),
        col("MAIN", Length(4), |_, t| {
            if t.main { "yes" } else { "-" }.to_string()
        }),
        col("SUBNETS", Length(7), |_, t| t.subnet_ids.len().to_string()),
        col("ROUTES", Length(6), |_, t| t.routes.len().to_string()),
        col("BLACKHOLES", Length(10), |_, t| blackholes(t).to_string()),
        col("HYBRID TARGETS", Fill(2), |_, t| hybrid_targets(t)),
    ],
)
.mark(blackholed);

static VPCS: Table<Vpc> = Table::<Vpc>::new(
    ResourceKind::Vpcs,
    |r| &r.vpcs.items,
    &[
        id_col(Length(21)),
        name_col(Fill(1)),
        state_col(Length(10)),
        col("CIDRS", Length(11), |_, v| v.cidrs.join(",")),
        col("OWNER", Length(13), |_, v| {
            v.owner_id.clone().unwrap_or_default()
        }),
    ],
);

static ACLS: Table<NetworkAcl> = Table::<NetworkAcl>::new(
    ResourceKind::NetworkAcls,
    |r| &r.network_acls.items,
    &[
        id_col(Length(21)),
        name_col(Fill(1)),
        col("VPC", Length(21), |x, a| {
            x.e.vpc_name(&x.r.region, &a.vpc_id)
        }),
        col("DEFAULT", Length(7), |_, a| {
            if a.is_default { "yes" } else { "no" }.into()
        }),
        col("SUBNETS", Length(7), |_, a| a.subnet_ids.len().to_string()),
        col("IN", Length(3), |_, a| {
            a.entries.iter().filter(|e| !e.egress).count().to_string()
        }),
        col("OUT", Length(3), |_, a| {
            a.entries.iter().filter(|e| e.egress).count().to_string()
        }),
        col("DENY RULES", Fill(1), |_, a| {
            let mut d: Vec<String> = a
                .entries
                .iter()
                .filter(|e| !e.allow && e.rule_number < 32767)
                .map(|e| format!("{} {}", if e.egress { "out" } else { "in" }, e.rule_number))
                .collect();
            d.sort();
            if d.is_empty() {
                "-".into()
            } else {
                d.join(", ")
            }
        }),
    ],
);
