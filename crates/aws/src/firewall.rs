//! Route 53 Resolver DNS Firewall reads: rule groups, each group's rules, domain lists,
//! rule group associations and fail-open configs; a domain list's domains on demand.

use aws_sdk_route53resolver::Client;
use aws_sdk_route53resolver::types as r53;
use chrono::Utc;

use super::{all_items, api_error, fetch_all, opt, state_str};
use crate::model::*;

fn rule(r: &r53::FirewallRule) -> FirewallRule {
    FirewallRule {
        rule_group_id: r.firewall_rule_group_id().unwrap_or_default().to_string(),
        name: r.name().unwrap_or_default().to_string(),
        state: r.status().unwrap_or_default().to_string(),
        priority: r.priority().unwrap_or_default(),
        domain_list_id: opt(r.firewall_domain_list_id()),
        action: r
            .action()
            .map(|a| a.as_str())
            .unwrap_or_default()
            .to_string(),
        block_response: r.block_response().map(|b| b.as_str().to_string()),
        block_override_domain: opt(r.block_override_domain()),
        redirection_action: r
            .firewall_domain_redirection_action()
            .map(|a| a.as_str())
            .unwrap_or("INSPECT_REDIRECTION_DOMAIN")
            .to_string(),
        qtype: opt(r.qtype()),
        threat: threat(r),
        confidence_threshold: r
            .confidence_threshold()
            .map(|c| c.as_str().to_string())
            .or_else(|| {
                let t = r.firewall_rule_type()?.dns_threat_protection()?;
                Some(t.confidence_threshold().as_str().to_string())
            }),
    }
}

/// What an Advanced rule detects: DnsThreatProtection, or the FirewallRuleType member set.
fn threat(r: &r53::FirewallRule) -> Option<String> {
    if let Some(t) = r.dns_threat_protection() {
        return Some(t.as_str().to_string());
    }
    let t = r.firewall_rule_type()?;
    if let Some(d) = t.dns_threat_protection() {
        Some(d.value().to_string())
    } else if let Some(c) = t.firewall_advanced_threat_category() {
        Some(format!("threat category {}", c.category()))
    } else if let Some(c) = t.firewall_advanced_content_category() {
        Some(format!("content category {}", c.category()))
    } else {
        t.partner_threat_protection()
            .map(|p| format!("partner {}", p.partner()))
    }
}

/// Reads every DNS Firewall resource kind of the client's region.
pub async fn poll(client: &Client, region: &str, emit: &mut (dyn FnMut(Update) + Send)) {
    let reads: Vec<super::Reads<'_>> = vec![
        Box::pin(groups_rules_and_lists(client, region)),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.list_firewall_rule_group_associations(),
                "ListFirewallRuleGroupAssociations",
                association,
                FirewallAssociations
            )]
        }),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.list_firewall_configs(),
                "ListFirewallConfigs",
                config,
                FirewallConfigs
            )]
        }),
    ];
    super::run_reads(reads, emit).await;
}

/// The rule groups and their rules (a bounded number of groups at once) while the domain lists
/// are read, then the domains of the lists a BLOCK-after-ALLOW rule uses, all at once: three
/// round trips.
async fn groups_rules_and_lists(client: &Client, region: &str) -> Vec<Update> {
    let now = Utc::now;
    let ((mut out, blocked_after_allow), lists) =
        futures_util::join!(groups_and_rules(client, region), async {
            all_items!(client.list_firewall_domain_lists())
        });
    match lists {
        Ok(v) => {
            let mut lists: Vec<FirewallDomainList> = v
                .iter()
                .map(|d| FirewallDomainList {
                    id: d.id().unwrap_or_default().to_string(),
                    name: d.name().unwrap_or_default().to_string(),
                    state: String::new(),
                    managed_owner_name: opt(d.managed_owner_name()),
                    domains: None,
                })
                .collect();
            let wanted: Vec<&mut FirewallDomainList> = lists
                .iter_mut()
                .filter(|l| blocked_after_allow.contains(&l.id) && l.managed_owner_name.is_none())
                .collect();
            let read = futures_util::future::join_all(wanted.into_iter().map(|list| async move {
                match client
                    .list_firewall_domains()
                    .firewall_domain_list_id(&list.id)
                    .max_results(1000)
                    .send()
                    .await
                {
                    Ok(o) => list.domains = Some(o.domains().to_vec()),
                    // The list's name is then the only hint whether it blocks everything.
                    Err(e) => tracing::warn!(
                        region,
                        list = %list.id,
                        "{}",
                        api_error("ListFirewallDomains", &e)
                    ),
                }
            }));
            read.await;
            out.push(Update::ok(region, now(), Batch::FirewallDomainLists(lists)));
        }
        Err(e) => out.push(Update::err(
            region,
            ResourceKind::FirewallDomainLists,
            now(),
            api_error("ListFirewallDomainLists", &e),
        )),
    }
    out
}

/// The rule groups and their rules; and the domain lists used by a BLOCK rule that an ALLOW
/// rule may precede (earlier in the same group, or in another group): their domains tell
/// whether the BLOCK covers everything (a block-all after an allow-list).
async fn groups_and_rules(client: &Client, region: &str) -> (Vec<Update>, Vec<String>) {
    let mut out = Vec::new();
    let now = Utc::now;
    let groups = all_items!(client.list_firewall_rule_groups())
        .map(|v| {
            v.iter()
                .map(|g| FirewallRuleGroup {
                    id: g.id().unwrap_or_default().to_string(),
                    name: g.name().unwrap_or_default().to_string(),
                    state: String::new(),
                    owner_id: opt(g.owner_id()),
                    share_status: g.share_status().map(|s| s.as_str().to_string()),
                })
                .collect::<Vec<_>>()
        })
        .map_err(|e| api_error("ListFirewallRuleGroups", &e));
    let mut blocked_after_allow: Vec<String> = Vec::new();
    match groups {
        Ok(groups) => {
            out.push(Update::ok(
                region,
                now(),
                Batch::FirewallRuleGroups(groups.clone()),
            ));
            let read = super::fan_out(&groups, |g| {
                let id = g.id.clone();
                async move {
                    all_items!(client.list_firewall_rules().firewall_rule_group_id(&id))
                        .map(|v| v.iter().map(rule).collect::<Vec<_>>())
                }
            })
            .await;
            let (mut rules, failed) = match read {
                Ok(r) => (r, None),
                Err(e) => (Vec::new(), Some(api_error("ListFirewallRules", &e))),
            };
            rules.sort_by(|a, b| {
                a.rule_group_id
                    .cmp(&b.rule_group_id)
                    .then(a.priority.cmp(&b.priority))
            });
            for b in rules.iter().filter(|r| r.action == "BLOCK") {
                // An ALLOW rule earlier in the same group, or in another group (which may run
                // first on some VPC: association priorities are read later).
                let allowed_before = rules.iter().any(|a| {
                    a.action == "ALLOW"
                        && (a.rule_group_id != b.rule_group_id || a.priority < b.priority)
                });
                if let (true, Some(list)) = (allowed_before, &b.domain_list_id) {
                    blocked_after_allow.push(list.clone());
                }
            }
            out.push(match failed {
                Some(e) => Update::err(region, ResourceKind::FirewallRules, now(), e),
                None => Update::ok(region, now(), Batch::FirewallRules(rules)),
            });
        }
        Err(e) => {
            out.push(Update::err(
                region,
                ResourceKind::FirewallRuleGroups,
                now(),
                e.clone(),
            ));
            out.push(Update::err(region, ResourceKind::FirewallRules, now(), e));
        }
    }
    (out, blocked_after_allow)
}

fn association(a: &r53::FirewallRuleGroupAssociation) -> FirewallAssociation {
    FirewallAssociation {
        id: a.id().unwrap_or_default().to_string(),
        name: a.name().unwrap_or_default().to_string(),
        state: state_str(a.status()),
        rule_group_id: a.firewall_rule_group_id().unwrap_or_default().to_string(),
        vpc_id: a.vpc_id().unwrap_or_default().to_string(),
        priority: a.priority().unwrap_or_default(),
        mutation_protection: a
            .mutation_protection()
            .map(|m| m.as_str())
            .unwrap_or_default()
            .to_string(),
    }
}

fn config(c: &r53::FirewallConfig) -> FirewallConfig {
    let fail_open: FailOpen = state_str(c.firewall_fail_open());
    let vpc = c.resource_id().unwrap_or_default().to_string();
    FirewallConfig {
        id: c.id().unwrap_or_default().to_string(),
        name: vpc.clone(),
        state: fail_open.clone(),
        vpc_id: vpc,
        fail_open,
        owner_id: opt(c.owner_id()),
    }
}

/// The domains of one domain list (ListFirewallDomains, paged).
pub async fn list_domains(client: &Client, domain_list_id: &str) -> Result<Vec<String>, ApiError> {
    all_items!(
        client
            .list_firewall_domains()
            .firewall_domain_list_id(domain_list_id)
    )
    .map_err(|e| api_error("ListFirewallDomains", &e))
}
