//! DNS Firewall calls (Route 53 Resolver API): a rule's action changed, a VPC's fail-open set.

use super::Request;
use crate::model::{RegionEstate, ResourceKind};

/// A DNS Firewall call.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum FirewallCall {
    /// UpdateFirewallRule: the rule of `rule_group_id` on `domain_list_id`; `action` ALLOW ·
    /// BLOCK · ALERT, `redirection` INSPECT_REDIRECTION_DOMAIN · TRUST_REDIRECTION_DOMAIN,
    /// `block_response` NODATA · NXDOMAIN · OVERRIDE for BLOCK.
    UpdateFirewallRule {
        rule_group_id: String,
        domain_list_id: String,
        action: String,
        priority: i32,
        redirection: String,
        block_response: Option<String>,
    },
    /// UpdateFirewallConfig: `fail_open` ENABLED · DISABLED for a VPC.
    UpdateFirewallConfig { vpc_id: String, fail_open: String },
}

super::operations!(FirewallCall, "route53resolver" {
    Self::UpdateFirewallRule { .. } => "UpdateFirewallRule",
    Self::UpdateFirewallConfig { .. } => "UpdateFirewallConfig",
});

impl Request for FirewallCall {
    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::UpdateFirewallRule {
                rule_group_id,
                domain_list_id,
                action,
                priority,
                redirection,
                block_response,
            } => {
                let mut p = vec![
                    ("FirewallRuleGroupId", rule_group_id.clone()),
                    ("FirewallDomainListId", domain_list_id.clone()),
                    ("Action", action.clone()),
                    ("Priority", priority.to_string()),
                    ("FirewallDomainRedirectionAction", redirection.clone()),
                ];
                p.extend(block_response.iter().map(|b| ("BlockResponse", b.clone())));
                p
            }
            Self::UpdateFirewallConfig { vpc_id, fail_open } => vec![
                ("ResourceId", vpc_id.clone()),
                ("FirewallFailOpen", fail_open.clone()),
            ],
        }
    }

    fn undo(&self, _created: Option<&str>) -> Option<String> {
        let Self::UpdateFirewallConfig { vpc_id, fail_open } = self else {
            return None;
        };
        let back = if fail_open == "ENABLED" {
            "DISABLED"
        } else {
            "ENABLED"
        };
        Some(format!(
            "route53resolver:UpdateFirewallConfig ResourceId={vpc_id} FirewallFailOpen={back}"
        ))
    }

    fn verified_by(&self) -> Vec<ResourceKind> {
        vec![match self {
            Self::UpdateFirewallRule { .. } => ResourceKind::FirewallRules,
            Self::UpdateFirewallConfig { .. } => ResourceKind::FirewallConfigs,
        }]
    }

    fn settled(&self, r: &RegionEstate) -> Option<bool> {
        let Self::UpdateFirewallConfig { vpc_id, fail_open } = self else {
            return None;
        };
        Some(
            r.firewall_configs
                .items
                .iter()
                .any(|c| &c.vpc_id == vpc_id && c.fail_open.as_str() == fail_open),
        )
    }
}
