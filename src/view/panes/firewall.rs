//! DNS Firewall pane: rule groups, rules in evaluation (priority) order with action and
//! redirection action, domain lists, VPC associations, fail-open configs.

use crate::model::FailOpen;
use crate::view::columns::Width;

use super::{dash, each, or_dash};
use crate::model::health::Health;
use crate::model::{Estate, RegionEstate, ResourceKind};
use crate::view::table::{Row, TableId};

use Width::{Flex as Fill, Whole as Length};

pub fn columns(t: TableId) -> &'static [(&'static str, Width)] {
    match t {
        TableId::FirewallRuleGroups => &[
            ("ID", Length(26)),
            ("NAME", Fill(1)),
            ("RULES", Length(5)),
            ("VPCS", Length(4)),
            ("OWNER", Length(13)),
            ("SHARE", Length(14)),
        ],
        TableId::FirewallRules => &[
            ("RULE GROUP", Fill(1)),
            ("PRIO", Length(5)),
            ("NAME", Fill(1)),
            ("ACTION", Length(6)),
            ("DOMAIN LIST", Fill(1)),
            ("BLOCK RESPONSE", Length(14)),
            ("REDIRECTION", Length(26)),
        ],
        TableId::FirewallDomainLists => &[
            ("ID", Length(26)),
            ("NAME", Fill(1)),
            ("MANAGED BY", Fill(1)),
        ],
        TableId::FirewallAssociations => &[
            ("ID", Length(30)),
            ("NAME", Fill(1)),
            ("STATE", Length(9)),
            ("RULE GROUP", Fill(1)),
            ("VPC", Length(21)),
            ("PRIO", Length(5)),
            ("MUTATION PROT.", Length(14)),
        ],
        _ => &[
            ("ID", Length(26)),
            ("VPC", Length(21)),
            ("FAIL-OPEN", Length(26)),
        ],
    }
}

fn group_name(r: &RegionEstate, id: &str) -> String {
    r.firewall_rule_groups
        .items
        .iter()
        .find(|g| g.id == id)
        .filter(|g| !g.name.is_empty())
        .map(|g| g.name.clone())
        .unwrap_or_else(|| id.to_string())
}

fn list_name(r: &RegionEstate, id: &Option<String>) -> String {
    let Some(id) = id else { return "-".into() };
    r.firewall_domain_lists
        .items
        .iter()
        .find(|l| &l.id == id)
        .filter(|l| !l.name.is_empty())
        .map(|l| l.name.clone())
        .unwrap_or_else(|| id.clone())
}

pub fn rows(t: TableId, e: &Estate) -> Vec<Row> {
    match t {
        TableId::FirewallRuleGroups => each!(e, firewall_rule_groups)
            // A group shared with other accounts read here is shown once, in its owner's.
            .filter(|(r, g)| {
                !crate::derived::is_shared_copy(e, &r.account, &g.id, g.owner_id.as_deref())
            })
            .map(|(r, g)| {
                let rules = r
                    .firewall_rules
                    .items
                    .iter()
                    .filter(|x| x.rule_group_id == g.id)
                    .count();
                let vpcs = r
                    .firewall_associations
                    .items
                    .iter()
                    .filter(|a| a.rule_group_id == g.id)
                    .count();
                Row::of(
                    r,
                    ResourceKind::FirewallRuleGroups,
                    g,
                    vec![
                        g.id.clone(),
                        dash(&g.name),
                        rules.to_string(),
                        vpcs.to_string(),
                        or_dash(&g.owner_id),
                        or_dash(&g.share_status),
                    ],
                )
            })
            .collect(),
        TableId::FirewallRules => each!(e, firewall_rules)
            .map(|(r, x)| {
                let mut row = Row::of(
                    r,
                    ResourceKind::FirewallRules,
                    x,
                    vec![
                        group_name(r, &x.rule_group_id),
                        x.priority.to_string(),
                        dash(&x.name),
                        x.action.clone(),
                        list_name(r, &x.domain_list_id),
                        or_dash(&x.block_response),
                        x.redirection_action.clone(),
                    ],
                );
                row.state_col = Some(4);
                row.health = match x.action.as_str() {
                    "ALLOW" => Health::Good,
                    "BLOCK" => Health::Bad,
                    _ => Health::Pending,
                };
                row
            })
            .collect(),
        TableId::FirewallDomainLists => each!(e, firewall_domain_lists)
            .map(|(r, l)| {
                Row::of(
                    r,
                    ResourceKind::FirewallDomainLists,
                    l,
                    vec![l.id.clone(), dash(&l.name), or_dash(&l.managed_owner_name)],
                )
            })
            .collect(),
        TableId::FirewallAssociations => each!(e, firewall_associations)
            .map(|(r, a)| {
                Row::of(
                    r,
                    ResourceKind::FirewallAssociations,
                    a,
                    vec![
                        a.id.clone(),
                        dash(&a.name),
                        a.state.to_string(),
                        group_name(r, &a.rule_group_id),
                        e.vpc_name(&r.region, &a.vpc_id),
                        a.priority.to_string(),
                        a.mutation_protection.clone(),
                    ],
                )
            })
            .collect(),
        _ => each!(e, firewall_configs)
            .map(|(r, c)| {
                let mut row = Row::of(
                    r,
                    ResourceKind::FirewallConfigs,
                    c,
                    vec![
                        c.id.clone(),
                        e.vpc_name(&r.region, &c.vpc_id),
                        c.fail_open.to_string(),
                    ],
                );
                row.state_col = Some(3);
                row.health = if c.fail_open == FailOpen::Enabled {
                    Health::Pending
                } else {
                    Health::Neutral
                };
                row
            })
            .collect(),
    }
}
