//! DNS Firewall pane: rule groups, rules in evaluation (priority) order with action and
//! redirection action, domain lists, VPC associations, fail-open configs.

use super::{AnyTable, Cx, Table, col, id_col, name_col, or_dash, state_col};
use crate::model::health::Health;
use crate::model::{
    FailOpen, FirewallAssociation, FirewallConfig, FirewallDomainList, FirewallRule,
    FirewallRuleGroup, RegionEstate, ResourceKind,
};
use crate::view::columns::Width::{Flex as Fill, Whole as Length};
use crate::view::table::{Row, TableId};

/// The tables of the pane (the findings table never reaches here: it is the derived
/// state's).
pub fn table(t: TableId) -> &'static dyn AnyTable {
    match t {
        TableId::FirewallRuleGroups => &GROUPS,
        TableId::FirewallRules => &RULES,
        TableId::FirewallDomainLists => &LISTS,
        TableId::FirewallAssociations => &ASSOCIATIONS,
        _ => &CONFIGS,
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

// A group shared with other accounts read here is shown once, in its owner's.
static GROUPS: Table<FirewallRuleGroup> = Table::<FirewallRuleGroup>::new(
    ResourceKind::FirewallRuleGroups,
    |r| &r.firewall_rule_groups.items,
    &[
        id_col(Length(26)),
        name_col(Fill(1)),
        col("RULES", Length(5), |x, g| {
            let rules = x.r.firewall_rules.items.iter();
            rules
                .filter(|r| r.rule_group_id == g.id)
                .count()
                .to_string()
        }),
        col("VPCS", Length(4), |x, g| {
            let a = x.r.firewall_associations.items.iter();
            a.filter(|a| a.rule_group_id == g.id).count().to_string()
        }),
        col("OWNER", Length(13), |_, g| or_dash(&g.owner_id)),
        col("SHARE", Length(14), |_, g| or_dash(&g.share_status)),
    ],
)
.keep(|x, g| !crate::derived::is_shared_copy(x.e, &x.r.account, &g.id, g.owner_id.as_deref()));

/// A rule's colour is its action: ALLOW good, BLOCK bad, ALERT pending (ACTION column).
fn by_action(_: &Cx, x: &FirewallRule, row: &mut Row) {
    row.state_col = Some(4);
    row.health = match x.action.as_str() {
        "ALLOW" => Health::Good,
        "BLOCK" => Health::Bad,
        _ => Health::Pending,
    };
}

static RULES: Table<FirewallRule> = Table::<FirewallRule>::new(
    ResourceKind::FirewallRules,
    |r| &r.firewall_rules.items,
    &[
        col("RULE GROUP", Fill(1), |x, r| {
            group_name(x.r, &r.rule_group_id)
        }),
        col("PRIO", Length(5), |_, r| r.priority.to_string()),
        name_col(Fill(1)),
        col("ACTION", Length(6), |_, r| r.action.clone()),
        // A domain list, or what an Advanced rule detects and how sure it must be.
        col("MATCHES", Fill(1), |x, r| match &r.threat {
            // The detector and its confidence threshold (the details say `confidence`).
            Some(t) => match &r.confidence_threshold {
                Some(c) => format!("{t} ({c})"),
                None => t.clone(),
            },
            None => list_name(x.r, &r.domain_list_id),
        }),
        col("BLOCK RESPONSE", Length(14), |_, r| {
            or_dash(&r.block_response)
        }),
        // FirewallDomainRedirectionAction: INSPECT_/TRUST_REDIRECTION_DOMAIN, in short (the
        // details give it whole), so the MATCHES column keeps its width.
        col("REDIRECTION", Length(11), |_, r| {
            match r.redirection_action.as_str() {
                "INSPECT_REDIRECTION_DOMAIN" => "inspect".into(),
                "TRUST_REDIRECTION_DOMAIN" => "trust".into(),
                "" => "-".into(),
                other => other.to_lowercase(),
            }
        }),
    ],
)
.mark(by_action);

static LISTS: Table<FirewallDomainList> = Table::<FirewallDomainList>::new(
    ResourceKind::FirewallDomainLists,
    |r| &r.firewall_domain_lists.items,
    &[
        id_col(Length(26)),
        name_col(Fill(1)),
        col("MANAGED BY", Fill(1), |_, l| or_dash(&l.managed_owner_name)),
    ],
);

static ASSOCIATIONS: Table<FirewallAssociation> = Table::<FirewallAssociation>::new(
    ResourceKind::FirewallAssociations,
    |r| &r.firewall_associations.items,
    &[
        id_col(Length(30)),
        name_col(Fill(1)),
        state_col(Length(9)),
        col("RULE GROUP", Fill(1), |x, a| {
            group_name(x.r, &a.rule_group_id)
        }),
        col("VPC", Length(21), |x, a| {
            x.e.vpc_name(&x.r.region, &a.vpc_id)
        }),
        col("PRIO", Length(5), |_, a| a.priority.to_string()),
        col("MUTATION PROT.", Length(14), |_, a| {
            a.mutation_protection.clone()
        }),
    ],
);

/// Fail-open is a risk taken knowingly: pending when enabled (FAIL-OPEN column).
fn fail_open(_: &Cx, c: &FirewallConfig, row: &mut Row) {
    row.state_col = Some(3);
    row.health = if c.fail_open == FailOpen::Enabled {
        Health::Pending
    } else {
        Health::Neutral
    };
}

static CONFIGS: Table<FirewallConfig> = Table::<FirewallConfig>::new(
    ResourceKind::FirewallConfigs,
    |r| &r.firewall_configs.items,
    &[
        id_col(Length(26)),
        col("VPC", Length(21), |x, c| {
            x.e.vpc_name(&x.r.region, &c.vpc_id)
        }),
        col("FAIL-OPEN", Length(26), |_, c| c.fail_open.to_string()),
    ],
)
.mark(fail_open);
