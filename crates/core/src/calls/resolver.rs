//! Route 53 Resolver calls: an endpoint or a forwarding rule created (each with its
//! `CreatorRequestId`), a rule associated with a VPC.

use super::{Request, created_or};
use crate::model::health::Health;
use crate::model::{RegionEstate, ResourceKind};

/// A Resolver call.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ResolverCall {
    /// CreateResolverEndpoint: `direction` INBOUND · OUTBOUND, `ips` (subnet, optional IP),
    /// `protocols` Do53 · DoH · DoH-FIPS, `endpoint_type` IPV4 · IPV6 · DUALSTACK.
    CreateResolverEndpoint {
        creator_request_id: String,
        name: String,
        direction: String,
        security_group_ids: Vec<String>,
        ips: Vec<(String, Option<String>)>,
        protocols: Vec<String>,
        endpoint_type: String,
    },
    /// CreateResolverRule: a FORWARD rule for `domain` to `targets` (IP, port) through the
    /// outbound endpoint `endpoint_id`.
    CreateResolverRule {
        creator_request_id: String,
        name: String,
        domain: String,
        targets: Vec<(String, i32)>,
        endpoint_id: String,
    },
    /// AssociateResolverRule.
    AssociateResolverRule {
        rule_id: String,
        vpc_id: String,
        name: String,
    },
}

fn joined<T>(items: &[T], f: impl Fn(&T) -> String, sep: &str) -> String {
    items.iter().map(f).collect::<Vec<_>>().join(sep)
}

super::operations!(ResolverCall, "route53resolver" {
    Self::CreateResolverEndpoint { .. } => "CreateResolverEndpoint",
    Self::CreateResolverRule { .. } => "CreateResolverRule",
    Self::AssociateResolverRule { .. } => "AssociateResolverRule",
});

impl Request for ResolverCall {
    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::CreateResolverEndpoint {
                creator_request_id,
                name,
                direction,
                security_group_ids,
                ips,
                protocols,
                endpoint_type,
            } => vec![
                ("CreatorRequestId", creator_request_id.clone()),
                ("Name", name.clone()),
                ("Direction", direction.clone()),
                ("SecurityGroupIds", security_group_ids.join(",")),
                (
                    "IpAddresses",
                    joined(
                        ips,
                        |(s, ip)| match ip {
                            Some(i) => format!("{s}={i}"),
                            None => s.clone(),
                        },
                        ", ",
                    ),
                ),
                ("Protocols", protocols.join(",")),
                ("ResolverEndpointType", endpoint_type.clone()),
            ],
            Self::CreateResolverRule {
                creator_request_id,
                name,
                domain,
                targets,
                endpoint_id,
            } => vec![
                ("CreatorRequestId", creator_request_id.clone()),
                ("Name", name.clone()),
                ("RuleType", "FORWARD".into()),
                ("DomainName", domain.clone()),
                (
                    "TargetIps",
                    joined(targets, |(i, p)| format!("{i}:{p}"), ", "),
                ),
                ("ResolverEndpointId", endpoint_id.clone()),
            ],
            Self::AssociateResolverRule {
                rule_id,
                vpc_id,
                name,
            } => vec![
                ("ResolverRuleId", rule_id.clone()),
                ("VPCId", vpc_id.clone()),
                ("Name", name.clone()),
            ],
        }
    }

    fn client_token(&self) -> Option<&str> {
        match self {
            Self::CreateResolverEndpoint {
                creator_request_id, ..
            }
            | Self::CreateResolverRule {
                creator_request_id, ..
            } => Some(creator_request_id),
            Self::AssociateResolverRule { .. } => None,
        }
    }

    fn undo(&self, created: Option<&str>) -> Option<String> {
        Some(match self {
            Self::CreateResolverEndpoint { .. } => format!(
                "route53resolver:DeleteResolverEndpoint ResolverEndpointId={}",
                created_or(created)
            ),
            Self::CreateResolverRule { .. } => format!(
                "route53resolver:DeleteResolverRule ResolverRuleId={}",
                created_or(created)
            ),
            Self::AssociateResolverRule {
                rule_id, vpc_id, ..
            } => format!(
                "route53resolver:DisassociateResolverRule ResolverRuleId={rule_id} VPCId={vpc_id}"
            ),
        })
    }

    fn verified_by(&self) -> Vec<ResourceKind> {
        vec![match self {
            Self::CreateResolverEndpoint { .. } => ResourceKind::ResolverEndpoints,
            Self::CreateResolverRule { .. } => ResourceKind::ResolverRules,
            Self::AssociateResolverRule { .. } => ResourceKind::ResolverRuleAssociations,
        }]
    }

    fn applied(&self, r: &RegionEstate) -> Option<bool> {
        self.found(r, |_| true)
    }

    fn settled(&self, r: &RegionEstate) -> Option<bool> {
        // OPERATIONAL for an endpoint, COMPLETE for a rule or an association.
        self.found(r, |health| health == Health::Good)
    }
}

impl ResolverCall {
    /// Whether what the call makes is in the tables read, in a state `ok` accepts.
    fn found(&self, r: &RegionEstate, ok: impl Fn(Health) -> bool) -> Option<bool> {
        Some(match self {
            Self::CreateResolverEndpoint { name, .. } => r
                .resolver_endpoints
                .items
                .iter()
                .any(|e| &e.name == name && ok(e.state.health())),
            Self::CreateResolverRule { name, .. } => r
                .resolver_rules
                .items
                .iter()
                .any(|x| &x.name == name && ok(x.state.health())),
            Self::AssociateResolverRule {
                rule_id, vpc_id, ..
            } => r.resolver_rule_associations.items.iter().any(|a| {
                &a.resolver_rule_id == rule_id && &a.vpc_id == vpc_id && ok(a.state.health())
            }),
        })
    }
}
