//! Route 53 Resolver: inbound/outbound endpoints with their IPs, forwarding rules and rule
//! associations. Read by `src/aws/resolver.rs`.

use super::state::{EndpointIpStatus, EndpointStatus, RuleAssociationStatus, RuleStatus};
use serde::{Deserialize, Serialize};

use super::dx::simple_resource;
use super::{Resource, Timestamp};

/// One IP address of a Resolver endpoint (ListResolverEndpointIpAddresses).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EndpointIp {
    /// `rni-…`
    pub ip_id: String,
    pub ip: Option<String>,
    pub ipv6: Option<String>,
    pub subnet_id: String,
    /// Availability Zone of the subnet, when the subnet was read (DescribeSubnets).
    pub availability_zone: Option<String>,
    /// CREATING · FAILED_CREATION · ATTACHING · ATTACHED · REMAP_DETACHING · … · DELETING
    pub status: EndpointIpStatus,
}

/// A Resolver endpoint (ListResolverEndpoints).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResolverEndpoint {
    /// `rslvr-in-…` or `rslvr-out-…`
    pub id: String,
    pub name: String,
    /// CREATING · OPERATIONAL · UPDATING · AUTO_RECOVERING · ACTION_NEEDED · DELETING
    pub state: EndpointStatus,
    pub status_message: Option<String>,
    /// Endpoint direction: `INBOUND` · `OUTBOUND`.
    pub direction: String,
    pub vpc_id: String,
    pub security_group_ids: Vec<String>,
    pub ip_address_count: Option<i32>,
    /// `IPV4` · `IPV6` · `DUALSTACK`
    pub endpoint_type: Option<String>,
    /// `Do53` · `DoH` · `DoH-FIPS`
    pub protocols: Vec<String>,
    pub ips: Vec<EndpointIp>,
    pub creation_time: Option<Timestamp>,
}

/// A forwarding, system or recursive rule (ListResolverRules).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResolverRule {
    /// `rslvr-rr-…` (or `rslvr-autodefined-rr-…`)
    pub id: String,
    pub name: String,
    /// COMPLETE · DELETING · UPDATING · FAILED
    pub state: RuleStatus,
    pub domain_name: String,
    /// `FORWARD` · `SYSTEM` · `RECURSIVE` · `DELEGATE`
    pub rule_type: String,
    pub resolver_endpoint_id: Option<String>,
    /// Target DNS servers as `ip:port`.
    pub target_ips: Vec<String>,
    pub owner_id: Option<String>,
    /// NOT_SHARED · SHARED_WITH_ME · SHARED_BY_ME
    pub share_status: Option<String>,
    /// A DELEGATE rule: queries answered with delegation records pointing to this name are
    /// forwarded to the targets (DelegationRecord).
    #[serde(default)]
    pub delegation_record: Option<String>,
}

impl ResolverRule {
    /// Whether the rule sends queries to target IPs through its outbound endpoint: a FORWARD
    /// rule, or a DELEGATE rule (traced the same way).
    pub fn forwards(&self) -> bool {
        matches!(self.rule_type.as_str(), "FORWARD" | "DELEGATE")
    }
}

/// A rule associated with a VPC (ListResolverRuleAssociations).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResolverRuleAssociation {
    /// `rslvr-rrassoc-…`
    pub id: String,
    pub name: String,
    /// CREATING · COMPLETE · DELETING · FAILED · OVERRIDDEN
    pub state: RuleAssociationStatus,
    pub resolver_rule_id: String,
    pub vpc_id: String,
}

/// A Resolver query logging configuration (ListResolverQueryLogConfigs): where the queries of
/// the VPCs associated with it are logged.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueryLogConfig {
    /// `rqlc-…`
    pub id: String,
    pub name: String,
    /// CREATING · CREATED · DELETING · FAILED
    pub state: String,
    /// The ARN logged to: an S3 bucket, a CloudWatch Logs log group or a Firehose stream.
    pub destination_arn: String,
    pub association_count: i32,
    pub owner_id: Option<String>,
    /// NOT_SHARED · SHARED_WITH_ME · SHARED_BY_ME
    pub share_status: Option<String>,
}

impl QueryLogConfig {
    /// `S3`, `CloudWatch Logs` or `Firehose`, from the destination ARN's service.
    pub fn destination_kind(&self) -> &'static str {
        match self.destination_arn.split(':').nth(2) {
            Some("s3") => "S3",
            Some("logs") => "CloudWatch Logs",
            Some("firehose") => "Firehose",
            _ => "unknown destination",
        }
    }
}

/// A VPC's association with a query logging configuration
/// (ListResolverQueryLogConfigAssociations).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueryLogAssociation {
    /// `rqlca-…`
    pub id: String,
    /// Empty: AWS gives associations no name.
    pub name: String,
    /// CREATING · ACTIVE · ACTION_NEEDED · DELETING · FAILED
    pub state: String,
    pub config_id: String,
    pub vpc_id: String,
    /// Why it is ACTION_NEEDED or FAILED (ErrorMessage).
    pub error: Option<String>,
}

/// A VPC's DNSSEC validation setting (ListResolverDnssecConfigs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DnssecConfig {
    /// `rdsc-…`
    pub id: String,
    /// The VPC (ResourceId).
    pub name: String,
    /// ENABLING · ENABLED · DISABLING · DISABLED · UPDATING_TO_USE_LOCAL_RESOURCE_SETTING ·
    /// USE_LOCAL_RESOURCE_SETTING (ValidationStatus)
    pub state: String,
    pub vpc_id: String,
    pub owner_id: Option<String>,
}

impl DnssecConfig {
    /// Whether the Resolver validates DNSSEC for the VPC (`ENABLED`).
    pub fn validating(&self) -> bool {
        self.state == "ENABLED"
    }
}

/// A Route 53 Profile (route53profiles ListProfiles): Resolver rules, DNS Firewall rule groups
/// and private hosted zones carried to every VPC associated with it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// `rp-…`
    pub id: String,
    pub name: String,
    /// The list call gives no status; empty.
    pub state: String,
    pub arn: Option<String>,
    /// NOT_SHARED · SHARED_WITH_ME · SHARED_BY_ME
    pub share_status: Option<String>,
}

/// A Profile associated with a VPC (ListProfileAssociations).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileAssociation {
    /// `rpassoc-…`
    pub id: String,
    pub name: String,
    /// COMPLETE · DELETING · UPDATING · CREATING · DELETED · FAILED
    pub state: String,
    pub profile_id: String,
    pub vpc_id: String,
    pub owner_id: Option<String>,
    pub status_message: Option<String>,
}

/// A resource a Profile carries (ListProfileResourceAssociations): a Resolver rule, a DNS
/// Firewall rule group (with its priority), a private hosted zone, an endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileResource {
    /// `rpr-…`
    pub id: String,
    pub name: String,
    /// COMPLETE · DELETING · UPDATING · CREATING · DELETED · FAILED
    pub state: String,
    pub profile_id: String,
    pub resource_arn: String,
    /// e.g. `RESOLVER_RULE`, `FIREWALL_RULE_GROUP`, `PRIVATE_HOSTED_ZONE` (ResourceType).
    pub resource_type: String,
    /// The resource's id: the last part of its ARN (`rslvr-rr-…`, `rslvr-frg-…`, a zone id).
    pub resource_id: String,
    /// ResourceProperties as AWS gives them, e.g. `{"priority": 102}` for a rule group.
    pub properties: Option<String>,
}

impl ProfileResource {
    /// Whether AWS has finished attaching it (`COMPLETE`).
    pub fn in_effect(&self) -> bool {
        self.state == "COMPLETE"
    }
}

simple_resource!(Profile, ProfileAssociation, ProfileResource);

simple_resource!(
    ResolverEndpoint,
    ResolverRule,
    ResolverRuleAssociation,
    QueryLogConfig,
    QueryLogAssociation,
    DnssecConfig
);

impl ResolverEndpoint {
    /// Distinct Availability Zones of the endpoint's IPs, sorted (unknown AZs are skipped).
    pub fn availability_zones(&self) -> Vec<&str> {
        let mut azs: Vec<&str> = self
            .ips
            .iter()
            .filter_map(|i| i.availability_zone.as_deref())
            .collect();
        azs.sort_unstable();
        azs.dedup();
        azs
    }
}

/// A Resolver rule in effect for a VPC: associated with it directly, or carried by a Profile
/// associated with it.
#[derive(Clone, Debug, PartialEq)]
pub struct EffectiveRule<'a> {
    pub rule: &'a ResolverRule,
    pub vpc_id: String,
    /// The Profile it comes through (`name (rp-…)`); none for a direct association.
    pub via_profile: Option<String>,
}

impl EffectiveRule<'_> {
    /// `direct` or `via profile NAME`.
    pub fn source(&self) -> String {
        match &self.via_profile {
            Some(p) => format!("via profile {p}"),
            None => "direct".into(),
        }
    }
}

/// Whether an association still applies: not DELETING, DELETED or FAILED.
pub(crate) fn live(state: &str) -> bool {
    !matches!(state, "DELETING" | "DELETED" | "FAILED")
}

impl super::RegionEstate {
    /// The Profile associations that apply, each with its Profile's `name (rp-…)` (the id
    /// alone when the Profile was not read), and the resources that Profile carries which
    /// apply.
    pub(crate) fn profiles_in_effect(
        &self,
    ) -> Vec<(&ProfileAssociation, String, Vec<&ProfileResource>)> {
        let profile = |id: &str| {
            let p = self.profiles.items.iter().find(|p| p.id == id);
            p.map_or_else(|| id.to_string(), |p| format!("{} ({})", p.name, p.id))
        };
        let resources = |id: &str| {
            let all = self.profile_resources.items.iter();
            all.filter(|r| r.profile_id == id && live(&r.state))
                .collect()
        };
        let assocs = self.profile_associations.items.iter();
        assocs
            .filter(|a| live(&a.state))
            .map(|a| (a, profile(&a.profile_id), resources(&a.profile_id)))
            .collect()
    }

    /// The Resolver rules in effect for the VPCs of this scope: the rule associations that are
    /// not DELETING or FAILED, and the rules of each Profile associated with a VPC (both the
    /// Profile's VPC association and its rule association not DELETING, DELETED or FAILED).
    /// In the order the Resolver applies them to one VPC: the most specific domain first, a
    /// direct association before a Profile's for the same domain. A rule not read in this
    /// scope is left out.
    pub fn effective_rules(&self) -> Vec<EffectiveRule<'_>> {
        let rule = |id: &str| self.resolver_rules.items.iter().find(|r| r.id == id);
        let mut out: Vec<EffectiveRule<'_>> = self
            .resolver_rule_associations
            .items
            .iter()
            .filter(|a| live(a.state.as_str()))
            .filter_map(|a| {
                Some(EffectiveRule {
                    rule: rule(&a.resolver_rule_id)?,
                    vpc_id: a.vpc_id.clone(),
                    via_profile: None,
                })
            })
            .collect();
        for (pa, name, resources) in self.profiles_in_effect() {
            for res in resources {
                let Some(rule) = rule(&res.resource_id) else {
                    continue;
                };
                let direct = out.iter().any(|e| {
                    e.rule.id == rule.id && e.vpc_id == pa.vpc_id && e.via_profile.is_none()
                });
                if !direct {
                    out.push(EffectiveRule {
                        rule,
                        vpc_id: pa.vpc_id.clone(),
                        via_profile: Some(name.clone()),
                    });
                }
            }
        }
        let labels = |d: &str| d.split('.').filter(|l| !l.is_empty()).count();
        out.sort_by(|a, b| {
            (
                a.vpc_id.as_str(),
                std::cmp::Reverse(labels(&a.rule.domain_name)),
            )
                .cmp(&(
                    b.vpc_id.as_str(),
                    std::cmp::Reverse(labels(&b.rule.domain_name)),
                ))
                .then(a.rule.domain_name.cmp(&b.rule.domain_name))
                .then(a.via_profile.is_some().cmp(&b.via_profile.is_some()))
        });
        out
    }
}
