//! Resolver pane: endpoints (direction, IPs by AZ, protocols), rules (domain, target IPs,
//! the VPCs they are in effect for), rule associations and Route 53 Profiles.

use std::collections::BTreeMap;

use super::{AnyTable, Table, col, id_col, name_col, or_dash, state_col};
use crate::model::{
    Profile, ResolverEndpoint, ResolverRule, ResolverRuleAssociation, ResourceKind,
};
use crate::view::columns::Width::{Flex as Fill, Whole as Length};
use crate::view::table::TableId;

pub fn table(t: TableId) -> &'static dyn AnyTable {
    match t {
        TableId::ResolverEndpoints => &ENDPOINTS,
        TableId::ResolverRules => &RULES,
        TableId::Profiles => &PROFILES,
        _ => &ASSOCIATIONS,
    }
}

/// The items joined by `sep`, `-` when there are none.
fn list_or_dash(items: &[String], sep: &str) -> String {
    if items.is_empty() {
        "-".into()
    } else {
        items.join(sep)
    }
}

/// `us-east-1a: 10.0.1.10, 10.0.1.11 │ us-east-1b: 10.0.2.10`.
pub fn ips_by_az(ep: &ResolverEndpoint) -> String {
    let mut by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for ip in &ep.ips {
        by.entry(
            ip.availability_zone
                .as_deref()
                .unwrap_or(ip.subnet_id.as_str()),
        )
        .or_default()
        .push(ip.ip.as_deref().or(ip.ipv6.as_deref()).unwrap_or("?"));
    }
    by.iter()
        .map(|(az, ips)| format!("{az}: {}", ips.join(", ")))
        .collect::<Vec<_>>()
        .join(" │ ")
}

static ENDPOINTS: Table<ResolverEndpoint> = Table::<ResolverEndpoint>::new(
    ResourceKind::ResolverEndpoints,
    |r| &r.resolver_endpoints.items,
    &[
        id_col(Length(27)),
        name_col(Fill(1)),
        state_col(Length(12)),
        col("DIRECTION", Length(9), |_, ep| ep.direction.clone()),
        col("VPC", Length(16), |x, ep| {
            x.e.vpc_name(&x.r.region, &ep.vpc_id)
        }),
        col("IPS BY AZ", Fill(3), |_, ep| ips_by_az(ep)),
        col("PROTOCOLS", Length(10), |_, ep| {
            list_or_dash(&ep.protocols, ",")
        }),
    ],
);

static RULES: Table<ResolverRule> = Table::<ResolverRule>::new(
    ResourceKind::ResolverRules,
    |r| &r.resolver_rules.items,
    &[
        id_col(Length(27)),
        name_col(Fill(1)),
        state_col(Length(9)),
        col("TYPE", Length(9), |_, rule| rule.rule_type.clone()),
        col("DOMAIN", Fill(1), |_, rule| match &rule.delegation_record {
            Some(d) if rule.rule_type == "DELEGATE" => {
                format!("{} (delegation {d})", rule.domain_name)
            }
            _ => rule.domain_name.clone(),
        }),
        col("TARGET IPS", Length(12), |_, rule| {
            list_or_dash(&rule.target_ips, ", ")
        }),
        col("VIA ENDPOINT", Length(27), |_, rule| {
            or_dash(&rule.resolver_endpoint_id)
        }),
        col("ENDPOINT NAME", Fill(1), |x, rule| {
            x.names().name_or_dash(rule.resolver_endpoint_id.as_deref())
        }),
        // In effect: associated directly or through a Profile.
        col("VPCS", Length(4), |x, rule| {
            let a = x.r.effective_rules();
            a.iter()
                .filter(|a| a.rule.id == rule.id)
                .count()
                .to_string()
        }),
    ],
);

static ASSOCIATIONS: Table<ResolverRuleAssociation> = Table::<ResolverRuleAssociation>::new(
    ResourceKind::ResolverRuleAssociations,
    |r| &r.resolver_rule_associations.items,
    &[
        id_col(Length(31)),
        name_col(Fill(1)),
        state_col(Length(9)),
        col("RULE", Length(27), |_, a| a.resolver_rule_id.clone()),
        col("RULE NAME", Fill(1), |x, a| {
            x.names().name_or_dash(Some(&a.resolver_rule_id))
        }),
        col("VPC", Length(21), |x, a| {
            x.e.vpc_name(&x.r.region, &a.vpc_id)
        }),
    ],
);

static PROFILES: Table<Profile> = Table::<Profile>::new(
    ResourceKind::Profiles,
    |r| &r.profiles.items,
    &[
        id_col(Length(22)),
        name_col(Fill(1)),
        col("VPCS", Fill(2), |x, p| {
            let vpcs: Vec<String> =
                x.r.profile_associations
                    .items
                    .iter()
                    .filter(|a| a.profile_id == p.id)
                    .map(|a| x.e.vpc_name(&x.r.region, &a.vpc_id))
                    .collect();
            list_or_dash(&vpcs, ", ")
        }),
        col("CARRIES", Fill(2), |x, p| {
            let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
            for r in
                x.r.profile_resources
                    .items
                    .iter()
                    .filter(|r| r.profile_id == p.id)
            {
                *kinds.entry(r.resource_type.as_str()).or_default() += 1;
            }
            let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
            list_or_dash(&parts, ", ")
        }),
        col("SHARE", Length(14), |_, p| or_dash(&p.share_status)),
    ],
);
