//! Route 53 Resolver DNS Firewall: rule groups, ordered rules, domain lists, VPC
//! associations and fail-open configs. Read by `src/aws/firewall.rs`.

use super::state::{FailOpen, FirewallAssociationStatus};
use serde::{Deserialize, Serialize};

use super::Resource;
use super::dx::simple_resource;

/// A DNS Firewall rule group (ListFirewallRuleGroups).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FirewallRuleGroup {
    /// `rslvr-frg-…`
    pub id: String,
    pub name: String,
    /// The list call reports no status; empty.
    pub state: String,
    pub owner_id: Option<String>,
    /// NOT_SHARED · SHARED_WITH_ME · SHARED_BY_ME
    pub share_status: Option<String>,
}

/// One rule of a rule group (ListFirewallRules), evaluated lowest priority first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FirewallRule {
    pub rule_group_id: String,
    pub name: String,
    /// The list call reports no status for rules; empty unless AWS sends one.
    pub state: String,
    pub priority: i32,
    /// `rslvr-fdl-…`, absent for DNS threat protection rules.
    pub domain_list_id: Option<String>,
    /// `ALLOW` · `BLOCK` · `ALERT`
    pub action: String,
    /// `NODATA` · `NXDOMAIN` · `OVERRIDE` (BLOCK rules)
    pub block_response: Option<String>,
    pub block_override_domain: Option<String>,
    /// `INSPECT_REDIRECTION_DOMAIN` (default) · `TRUST_REDIRECTION_DOMAIN`
    pub redirection_action: String,
    /// DNS query type filter, e.g. `A`.
    pub qtype: Option<String>,
    /// What a DNS Firewall Advanced rule detects instead of a domain list: `DGA`,
    /// `DNS_TUNNELING`, `DICTIONARY_DGA` (DnsThreatProtection), or from FirewallRuleType
    /// `threat category …`, `content category …`, `partner …`; none for a domain-list rule.
    #[serde(default)]
    pub threat: Option<String>,
    /// `LOW` · `MEDIUM` · `HIGH`: how sure the detector must be (ConfidenceThreshold).
    #[serde(default)]
    pub confidence_threshold: Option<String>,
}

impl FirewallRule {
    /// A DNS Firewall Advanced rule (it matches a detector or category, not a domain list).
    pub fn is_advanced(&self) -> bool {
        self.threat.is_some()
    }
}

/// A domain list (ListFirewallDomainLists). Its domains are read on demand
/// (ListFirewallDomains) and kept in [`crate::model::Estate::firewall_domains`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FirewallDomainList {
    /// `rslvr-fdl-…`
    pub id: String,
    pub name: String,
    /// The list call reports no status; empty.
    pub state: String,
    /// Set for AWS managed lists, e.g. `Route 53 Resolver DNS Firewall`.
    pub managed_owner_name: Option<String>,
    /// The first page (≤ 1000) of the list's domains, read during the poll only for custom
    /// lists a BLOCK rule uses when an ALLOW rule may run before it (ListFirewallDomains);
    /// `None` when not read.
    pub domains: Option<Vec<String>>,
}

impl FirewallDomainList {
    /// Whether the list is known to cover every domain (`*`).
    pub fn covers_everything(&self) -> Option<bool> {
        self.domains
            .as_ref()
            .map(|d| d.iter().any(|x| x == "*" || x == "*."))
    }

    /// Whether the list's name says it covers every domain (`block-all`, `all-domains`,
    /// `catch-all`, `wildcard`, `*`): the fallback when ListFirewallDomains could not be read.
    pub fn name_says_everything(&self) -> bool {
        if self.name.trim() == "*" {
            return true;
        }
        let lower = self.name.to_ascii_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let single = [
            "wildcard",
            "catchall",
            "blockall",
            "denyall",
            "alldomains",
            "everything",
        ];
        let pairs = [
            ("all", "domains"),
            ("block", "all"),
            ("deny", "all"),
            ("catch", "all"),
        ];
        words.iter().any(|w| single.contains(w))
            || words.windows(2).any(|p| pairs.contains(&(p[0], p[1])))
    }

    /// How the list is known to cover every domain: `"domains"` (a `*` among its domains),
    /// `"name"` (its domains could not be read, and its name says so), or `None`.
    pub fn block_all_basis(&self) -> Option<&'static str> {
        match self.covers_everything() {
            Some(true) => Some("domains"),
            Some(false) => None,
            None => self.name_says_everything().then_some("name"),
        }
    }
}

/// A rule group associated with a VPC (ListFirewallRuleGroupAssociations).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FirewallAssociation {
    /// `rslvr-frgassoc-…`
    pub id: String,
    pub name: String,
    /// COMPLETE · DELETING · UPDATING
    pub state: FirewallAssociationStatus,
    pub rule_group_id: String,
    pub vpc_id: String,
    /// 100–9900, lowest evaluated first.
    pub priority: i32,
    /// `ENABLED` · `DISABLED`
    pub mutation_protection: String,
}

/// A VPC's DNS Firewall config (ListFirewallConfigs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FirewallConfig {
    /// `rslvr-fc-…`
    pub id: String,
    /// The VPC id (the config has no name of its own).
    pub name: String,
    /// The fail-open setting: `ENABLED` · `DISABLED` · `USE_LOCAL_RESOURCE_SETTING`.
    pub state: FailOpen,
    /// The VPC the config applies to.
    pub vpc_id: String,
    /// `ENABLED` · `DISABLED` · `USE_LOCAL_RESOURCE_SETTING` (same as `state`).
    pub fail_open: FailOpen,
    pub owner_id: Option<String>,
}

simple_resource!(
    FirewallRuleGroup,
    FirewallDomainList,
    FirewallAssociation,
    FirewallConfig
);

// `<rule group id>|<priority>`: priorities are unique within a group.
super::keyed_resource! {
    FirewallRule: rule_group_id | priority, name name;
}

/// A DNS Firewall rule group in effect for a VPC: associated with it directly, or carried by
/// a Route 53 Profile associated with it (at the priority the Profile gives it).
#[derive(Clone, Debug, PartialEq)]
pub struct EffectiveFirewallGroup {
    pub rule_group_id: String,
    pub vpc_id: String,
    /// 100–9900, lowest evaluated first; a Profile's group without a priority sorts last.
    pub priority: i32,
    /// The Profile it comes through; none for a direct association.
    pub via_profile: Option<String>,
}

impl super::RegionEstate {
    /// The rule groups in effect for the VPCs of this scope: the associations that are not
    /// DELETING, and each Profile's rule groups for the VPCs the Profile is associated with
    /// (ResourceProperties `{"priority": N}`), by VPC and priority.
    pub fn effective_firewall(&self) -> Vec<EffectiveFirewallGroup> {
        use super::resolver::live;
        let mut out: Vec<EffectiveFirewallGroup> = self
            .firewall_associations
            .items
            .iter()
            .filter(|a| live(a.state.as_str()))
            .map(|a| EffectiveFirewallGroup {
                rule_group_id: a.rule_group_id.clone(),
                vpc_id: a.vpc_id.clone(),
                priority: a.priority,
                via_profile: None,
            })
            .collect();
        for (pa, name, resources) in self.profiles_in_effect() {
            let groups = resources.into_iter();
            for res in groups.filter(|r| r.resource_type == "FIREWALL_RULE_GROUP") {
                let priority = res
                    .properties
                    .as_deref()
                    .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
                    .and_then(|v| v.get("priority").and_then(|p| p.as_i64()))
                    .map_or(i32::MAX, |p| p as i32);
                out.push(EffectiveFirewallGroup {
                    rule_group_id: res.resource_id.clone(),
                    vpc_id: pa.vpc_id.clone(),
                    priority,
                    via_profile: Some(name.clone()),
                });
            }
        }
        out.sort_by(|a, b| (&a.vpc_id, a.priority).cmp(&(&b.vpc_id, b.priority)));
        out
    }
}
