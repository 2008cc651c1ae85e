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

simple_resource!(ResolverEndpoint, ResolverRule, ResolverRuleAssociation);

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
