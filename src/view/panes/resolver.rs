//! Resolver pane: endpoints (direction, IPs by AZ, protocols), rules (domain, target IPs,
//! associations) and rule associations.

use std::collections::BTreeMap;

use crate::view::columns::Width;

use super::{dash, each, or_dash};
use crate::model::{Estate, ResolverEndpoint, ResourceKind};
use crate::view::table::{Row, TableId};

use Width::{Flex as Fill, Whole as Length};

pub fn columns(t: TableId) -> &'static [(&'static str, Width)] {
    match t {
        TableId::ResolverEndpoints => &[
            ("ID", Length(27)),
            ("NAME", Fill(1)),
            ("STATE", Length(12)),
            ("DIRECTION", Length(9)),
            ("VPC", Length(16)),
            ("IPS BY AZ", Fill(3)),
            ("PROTOCOLS", Length(10)),
        ],
        TableId::ResolverRules => &[
            ("ID", Length(27)),
            ("NAME", Fill(1)),
            ("STATE", Length(9)),
            ("TYPE", Length(9)),
            ("DOMAIN", Fill(1)),
            ("TARGET IPS", Length(12)),
            ("VIA ENDPOINT", Length(27)),
            ("ENDPOINT NAME", Fill(1)),
            ("VPCS", Length(4)),
        ],
        _ => &[
            ("ID", Length(31)),
            ("NAME", Fill(1)),
            ("STATE", Length(9)),
            ("RULE", Length(27)),
            ("RULE NAME", Fill(1)),
            ("VPC", Length(21)),
        ],
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

pub fn rows(t: TableId, e: &Estate) -> Vec<Row> {
    let names = crate::model::NameIndex::new(e);
    match t {
        TableId::ResolverEndpoints => each!(e, resolver_endpoints)
            .map(|(r, ep)| {
                Row::of(
                    r,
                    ResourceKind::ResolverEndpoints,
                    ep,
                    vec![
                        ep.id.clone(),
                        dash(&ep.name),
                        ep.state.to_string(),
                        ep.direction.clone(),
                        e.vpc_name(&r.region, &ep.vpc_id),
                        ips_by_az(ep),
                        if ep.protocols.is_empty() {
                            "-".into()
                        } else {
                            ep.protocols.join(",")
                        },
                    ],
                )
            })
            .collect(),
        TableId::ResolverRules => each!(e, resolver_rules)
            .map(|(r, rule)| {
                let vpcs = r
                    .resolver_rule_associations
                    .items
                    .iter()
                    .filter(|a| a.resolver_rule_id == rule.id)
                    .count();
                Row::of(
                    r,
                    ResourceKind::ResolverRules,
                    rule,
                    vec![
                        rule.id.clone(),
                        dash(&rule.name),
                        rule.state.to_string(),
                        rule.rule_type.clone(),
                        rule.domain_name.clone(),
                        if rule.target_ips.is_empty() {
                            "-".into()
                        } else {
                            rule.target_ips.join(", ")
                        },
                        or_dash(&rule.resolver_endpoint_id),
                        names.name_or_dash(rule.resolver_endpoint_id.as_deref()),
                        vpcs.to_string(),
                    ],
                )
            })
            .collect(),
        _ => each!(e, resolver_rule_associations)
            .map(|(r, a)| {
                Row::of(
                    r,
                    ResourceKind::ResolverRuleAssociations,
                    a,
                    vec![
                        a.id.clone(),
                        dash(&a.name),
                        a.state.to_string(),
                        a.resolver_rule_id.clone(),
                        names.name_or_dash(Some(&a.resolver_rule_id)),
                        e.vpc_name(&r.region, &a.vpc_id),
                    ],
                )
            })
            .collect(),
    }
}
