//! DNS Firewall: rule action/priority/redirection, fail-open.

use super::form::{Field, Form};
use super::validate::{self, Checked, FieldError};
use super::*;
use crate::model::ResourceKind;

/// The firewall family.
pub(super) struct Family;

impl super::Family for Family {
    fn form(&self, c: &Ctx) -> Result<Form, String> {
        use WorkflowKind::*;
        let (kind, t, r) = (c.kind, c.t, c.r);
        Ok(match kind {
            EditFirewallRule => {
                let id = id_of(t, ResourceKind::FirewallRules)?;
                let rule = r
                    .firewall_rules
                    .items
                    .iter()
                    .find(|x| crate::model::Resource::id(*x) == id)
                    .ok_or("rule not found")?;
                let opts = |v: &[&str]| {
                    v.iter()
                        .map(|x| (x.to_string(), x.to_string()))
                        .collect::<Vec<_>>()
                };
                Form::new(vec![
                    Field::choice(
                        "action",
                        "Action",
                        opts(&["ALLOW", "BLOCK", "ALERT"]),
                        Some(&rule.action),
                    ),
                    Field::text(
                        "priority",
                        "Priority",
                        rule.priority.to_string(),
                        "rules run lowest first",
                    ),
                    Field::choice(
                        "redirection",
                        "Redirection action",
                        opts(&["INSPECT_REDIRECTION_DOMAIN", "TRUST_REDIRECTION_DOMAIN"]),
                        Some(&rule.redirection_action),
                    ),
                    Field::choice(
                        "block_response",
                        "Block response",
                        opts(&["NODATA", "NXDOMAIN"]),
                        rule.block_response.as_deref(),
                    ),
                ])
            }
            FailOpen => {
                let id = id_of(t, ResourceKind::FirewallConfigs)?;
                let c = r
                    .firewall_configs
                    .items
                    .iter()
                    .find(|c| c.id == id)
                    .ok_or("config not found")?;
                Form::new(vec![Field::choice(
                    "fail_open",
                    "Fail open",
                    ["DISABLED", "ENABLED", "USE_LOCAL_RESOURCE_SETTING"]
                        .iter()
                        .map(|x| (x.to_string(), x.to_string()))
                        .collect(),
                    Some(c.fail_open.as_str()),
                )])
            }
            other => unreachable!("{other:?} is not a firewall workflow"),
        })
    }

    fn plan(&self, c: &PlanCtx) -> Checked<Plan> {
        use WorkflowKind::*;
        let (kind, r, form) = (c.kind, c.r, c.form);
        let row_id = || c.row_id();
        let plan = |call| c.plan(call);
        Ok(match kind {
            EditFirewallRule => {
                let id = row_id();
                let rule = r
                    .firewall_rules
                    .items
                    .iter()
                    .find(|x| crate::model::Resource::id(*x) == id)
                    .ok_or_else(|| FieldError {
                        field: "Rule".into(),
                        message: "the rule is no longer in the latest poll".into(),
                    })?;
                let priority =
                    validate::number(form.label("priority"), form.get("priority"), 1, 1_000_000)?
                        as i32;
                let action = form.get("action").to_string();
                let block_response =
                    (action == "BLOCK").then(|| form.get("block_response").to_string());
                let list = rule.domain_list_id.clone().unwrap_or_default();
                let redirection = form.get("redirection").to_string();
                // Old → new for every field the edit changes, and what the new order does.
                let mut warnings = Vec::new();
                let mut change = |field: &str, old: String, new: String| {
                    if old != new {
                        warnings.push(format!("{field}: {old} → {new}"));
                    }
                };
                change("Priority", rule.priority.to_string(), priority.to_string());
                change("Action", rule.action.clone(), action.clone());
                change(
                    "Redirection",
                    rule.redirection_action.clone(),
                    redirection.clone(),
                );
                change(
                    "Block response",
                    rule.block_response.clone().unwrap_or_else(|| "-".into()),
                    block_response.clone().unwrap_or_else(|| "-".into()),
                );
                if action == "ALLOW"
                    && let Some(block) = r.firewall_rules.items.iter().find(|x| {
                        x.rule_group_id == rule.rule_group_id
                            && x.action == "BLOCK"
                            && x.priority < priority
                            && x.domain_list_id.as_ref().is_some_and(|l| {
                                r.firewall_domain_lists
                                    .items
                                    .iter()
                                    .any(|d| &d.id == l && d.block_all_basis().is_some())
                            })
                    })
                {
                    warnings.push(format!(
                        "changes DNS Firewall verdicts: at priority {priority} this ALLOW rule runs after the block-all rule '{}' (priority {}), so the domains it allows are blocked",
                        block.name, block.priority
                    ));
                }
                let mut p = plan(FirewallCall::UpdateFirewallRule {
                    rule_group_id: rule.rule_group_id.clone(),
                    domain_list_id: list,
                    action,
                    priority,
                    redirection,
                    block_response,
                });
                p.warnings.extend(warnings);
                p
            }
            FailOpen => {
                let id = row_id();
                let c = r
                    .firewall_configs
                    .items
                    .iter()
                    .find(|c| c.id == id)
                    .ok_or_else(|| FieldError {
                        field: "Config".into(),
                        message: "the config is no longer in the latest poll".into(),
                    })?;
                let fail_open = form.get("fail_open").to_string();
                plan(FirewallCall::UpdateFirewallConfig {
                    vpc_id: c.vpc_id.clone(),
                    fail_open,
                })
            }
            other => unreachable!("{other:?} is not a firewall workflow"),
        })
    }
}
