//! DNS Firewall rules: fail-open VPCs, rule groups with no association, an ALLOW rule that
//! inspects redirection chains ahead of a block-all rule, mutation protection off, empty
//! rule groups.

use super::dx::label;
use super::{Ctx, Finding, finding};
use crate::model::FailOpen;
use crate::model::ResourceKind;

pub(crate) fn check(c: &Ctx, out: &mut Vec<Finding>) {
    let r = c.region;
    let vpc = |id: &str| c.estate.vpc_name(&r.region, id);
    for cfg in r
        .firewall_configs
        .items
        .iter()
        .filter(|x| x.fail_open == FailOpen::Enabled)
    {
        out.push(finding("DNSFW-001", None, format!("DNS Firewall fails open for VPC {}", label(&vpc(&cfg.vpc_id), &cfg.vpc_id)),
            vec![
                c.res(ResourceKind::FirewallConfigs, &cfg.id, &cfg.vpc_id, cfg.owner_id.as_ref()),
                c.res(ResourceKind::Vpcs, &cfg.vpc_id, &vpc(&cfg.vpc_id), cfg.owner_id.as_ref()),
            ],
            &[("firewallFailOpen", cfg.fail_open.to_string()), ("resourceId", cfg.vpc_id.clone())],
            "With fail-open, queries pass unfiltered when DNS Firewall is impaired. Set FirewallFailOpen to DISABLED where filtering matters more than availability."));
    }
    let effective = r.effective_firewall();
    for g in &r.firewall_rule_groups.items {
        let res = || {
            vec![c.res(
                ResourceKind::FirewallRuleGroups,
                &g.id,
                &g.name,
                g.owner_id.as_ref(),
            )]
        };
        // Associated directly or through a Profile.
        if !effective.iter().any(|a| a.rule_group_id == g.id) {
            out.push(finding(
                "DNSFW-002",
                None,
                format!(
                    "Rule group {} is associated with no VPC",
                    label(&g.name, &g.id)
                ),
                res(),
                &[("associations", "0".into())],
                "Associate the rule group with the VPCs it should protect, or delete it.",
            ));
        }
        let mut rules: Vec<_> = r
            .firewall_rules
            .items
            .iter()
            .filter(|x| x.rule_group_id == g.id)
            .collect();
        rules.sort_by_key(|x| x.priority);
        if rules.is_empty() && r.firewall_rules.refreshed_at.is_some() {
            out.push(finding(
                "DNSFW-005",
                None,
                format!("Rule group {} has no rules", label(&g.name, &g.id)),
                res(),
                &[("rules", "0".into())],
                "Add rules or remove the group; an empty group filters nothing.",
            ));
        }
        let basis = |list: &Option<String>| {
            list.as_ref()
                .and_then(|l| r.firewall_domain_lists.items.iter().find(|d| &d.id == l))
                .and_then(|d| d.block_all_basis())
        };
        let block_all = rules
            .iter()
            .find(|x| x.action == "BLOCK" && basis(&x.domain_list_id).is_some());
        if let Some(block) = block_all {
            let judged_by = basis(&block.domain_list_id).unwrap_or_default();
            for allow in rules.iter().filter(|x| {
                x.action == "ALLOW"
                    && x.priority < block.priority
                    && x.redirection_action == "INSPECT_REDIRECTION_DOMAIN"
            }) {
                let mut resources = res();
                resources.push(c.res(
                    ResourceKind::FirewallRules,
                    &format!("{}|{}", g.id, allow.priority),
                    &allow.name,
                    g.owner_id.as_ref(),
                ));
                out.push(finding("DNSFW-003", None,
                    format!("ALLOW rule '{}' (priority {}) inspects redirection domains ahead of block-all rule '{}' (priority {}) in {}", allow.name, allow.priority, block.name, block.priority, label(&g.name, &g.id)),
                    resources,
                    &[("allowRulePriority", allow.priority.to_string()), ("firewallDomainRedirectionAction", allow.redirection_action.clone()),
                      ("allowDomainListId", allow.domain_list_id.clone().unwrap_or_default()), ("blockRulePriority", block.priority.to_string()),
                      ("blockDomainListId", block.domain_list_id.clone().unwrap_or_default()), ("blockAllJudgedBy", judged_by.into())],
                    "CNAME/DNAME/alias targets of allowed names are checked again and hit the block-all rule. Set the ALLOW rule's FirewallDomainRedirectionAction to TRUST_REDIRECTION_DOMAIN."));
            }
        }
    }
    for a in r
        .firewall_associations
        .items
        .iter()
        .filter(|a| a.mutation_protection == "DISABLED")
    {
        out.push(finding(
            "DNSFW-004",
            None,
            format!(
                "Rule group association {} for VPC {} has mutation protection disabled",
                label(&a.name, &a.id),
                vpc(&a.vpc_id)
            ),
            vec![c.res(ResourceKind::FirewallAssociations, &a.id, &a.name, None)],
            &[
                ("mutationProtection", a.mutation_protection.clone()),
                ("vpcId", a.vpc_id.clone()),
                ("priority", a.priority.to_string()),
            ],
            "Enable MutationProtection so the association cannot be removed or changed by mistake.",
        ));
    }
    cross_group_allow_before_block(c, out);
    without_advanced(c, out);
}

/// DNSFW-006: a VPC whose DNS Firewall has no Advanced rule (DGA or tunnelling detection, a
/// threat category) in any rule group associated with it. Judged only when every one of
/// those groups' rules was read.
fn without_advanced(c: &Ctx, out: &mut Vec<Finding>) {
    let r = c.region;
    if r.firewall_rules.refreshed_at.is_none() || r.firewall_rules.error.is_some() {
        return;
    }
    let effective = r.effective_firewall();
    let mut vpcs: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for a in &effective {
        vpcs.entry(&a.vpc_id).or_default().push(&a.rule_group_id);
    }
    for (vpc_id, groups) in vpcs {
        let known = groups
            .iter()
            .all(|g| r.firewall_rule_groups.items.iter().any(|x| x.id == *g));
        let advanced = r
            .firewall_rules
            .items
            .iter()
            .any(|x| groups.contains(&x.rule_group_id.as_str()) && x.is_advanced());
        if !known || advanced {
            continue;
        }
        let name = c.estate.vpc_name(&r.region, vpc_id);
        out.push(finding("DNSFW-006", None,
            format!("VPC {} has DNS Firewall but no Advanced rule (DGA, DNS tunnelling)", label(&name, vpc_id)),
            vec![c.res(ResourceKind::Vpcs, vpc_id, &name, None)],
            &[("ruleGroups", groups.join(",")), ("advancedRules", "0".into())],
            "Add a DNS Firewall Advanced rule (DnsThreatProtection DGA, DICTIONARY_DGA or DNS_TUNNELING, with a ConfidenceThreshold) to a rule group associated with the VPC: domain lists do not catch generated domains or data tunnelled in queries."));
    }
}

/// DNSFW-003 across rule groups: on one VPC, groups run in association priority order, so an
/// ALLOW rule inspecting redirection chains in an earlier group still runs into a block-all
/// rule of a later group.
fn cross_group_allow_before_block(c: &Ctx, out: &mut Vec<Finding>) {
    let r = c.region;
    let covers_all = |list: &Option<String>| {
        list.as_ref()
            .and_then(|l| r.firewall_domain_lists.items.iter().find(|d| &d.id == l))
            .and_then(|d| d.block_all_basis())
            .is_some()
    };
    // Direct associations and Profiles' rule groups alike, by priority.
    let effective = r.effective_firewall();
    let mut vpcs: Vec<&str> = effective.iter().map(|a| a.vpc_id.as_str()).collect();
    vpcs.sort_unstable();
    vpcs.dedup();
    for vpc in vpcs {
        let assocs: Vec<_> = effective.iter().filter(|a| a.vpc_id == vpc).collect();
        for (i, first) in assocs.iter().enumerate() {
            let Some(block_assoc) = assocs[i + 1..].iter().find(|later| {
                r.firewall_rules.items.iter().any(|x| {
                    x.rule_group_id == later.rule_group_id
                        && x.action == "BLOCK"
                        && covers_all(&x.domain_list_id)
                })
            }) else {
                continue;
            };
            let block = r
                .firewall_rules
                .items
                .iter()
                .filter(|x| {
                    x.rule_group_id == block_assoc.rule_group_id
                        && x.action == "BLOCK"
                        && covers_all(&x.domain_list_id)
                })
                .min_by_key(|x| x.priority);
            let Some(block) = block else { continue };
            for allow in r.firewall_rules.items.iter().filter(|x| {
                x.rule_group_id == first.rule_group_id
                    && x.action == "ALLOW"
                    && x.redirection_action == "INSPECT_REDIRECTION_DOMAIN"
            }) {
                let group_name = |id: &str| {
                    r.firewall_rule_groups
                        .items
                        .iter()
                        .find(|g| g.id == id)
                        .map(|g| g.name.clone())
                        .unwrap_or_default()
                };
                let resources = vec![
                    c.res(
                        ResourceKind::FirewallRuleGroups,
                        &first.rule_group_id,
                        &group_name(&first.rule_group_id),
                        None,
                    ),
                    c.res(
                        ResourceKind::FirewallRules,
                        &format!("{}|{}", allow.rule_group_id, allow.priority),
                        &allow.name,
                        None,
                    ),
                    c.res(
                        ResourceKind::FirewallRuleGroups,
                        &block_assoc.rule_group_id,
                        &group_name(&block_assoc.rule_group_id),
                        None,
                    ),
                ];
                out.push(finding(
                    "DNSFW-003",
                    None,
                    format!(
                        "ALLOW rule '{}' of {} inspects redirection domains ahead of block-all rule '{}' of {} on VPC {vpc}",
                        allow.name,
                        label(&group_name(&first.rule_group_id), &first.rule_group_id),
                        block.name,
                        label(&group_name(&block_assoc.rule_group_id), &block_assoc.rule_group_id)
                    ),
                    resources,
                    &[
                        ("vpcId", vpc.to_string()),
                        ("allowAssociationPriority", first.priority.to_string()),
                        ("allowRulePriority", allow.priority.to_string()),
                        ("firewallDomainRedirectionAction", allow.redirection_action.clone()),
                        ("blockAssociationPriority", block_assoc.priority.to_string()),
                        ("blockRulePriority", block.priority.to_string()),
                        ("blockDomainListId", block.domain_list_id.clone().unwrap_or_default()),
                        (
                            "blockAllJudgedBy",
                            block
                                .domain_list_id
                                .as_ref()
                                .and_then(|l| r.firewall_domain_lists.items.iter().find(|d| &d.id == l))
                                .and_then(|d| d.block_all_basis())
                                .unwrap_or_default()
                                .to_string(),
                        ),
                    ],
                    "CNAME/DNAME/alias targets of allowed names are checked again and hit the block-all rule of the later rule group. Set the ALLOW rule's FirewallDomainRedirectionAction to TRUST_REDIRECTION_DOMAIN.",
                ));
            }
        }
    }
}
