//! Route 53 Resolver calls: creates carry their `CreatorRequestId`, so AWS applies a create
//! at most once per intent.

use aws_sdk_route53resolver::types as r53;
use crossconnect_core::calls::{Outcome, ResolverCall};

use super::{answered, done};
use crate::RegionClients;

pub(super) async fn send(c: &RegionClients, op: &str, call: &ResolverCall) -> Outcome {
    match call {
        ResolverCall::CreateResolverEndpoint {
            creator_request_id,
            name,
            direction,
            security_group_ids,
            ips,
            protocols,
            endpoint_type,
        } => {
            let mut req = c
                .resolver
                .create_resolver_endpoint()
                .creator_request_id(creator_request_id)
                .name(name)
                .direction(r53::ResolverEndpointDirection::from(direction.as_str()))
                .set_security_group_ids(Some(security_group_ids.clone()))
                .resolver_endpoint_type(r53::ResolverEndpointType::from(endpoint_type.as_str()));
            for p in protocols {
                req = req.protocols(r53::Protocol::from(p.as_str()));
            }
            for (subnet, ip) in ips {
                let a = r53::IpAddressRequest::builder().subnet_id(subnet);
                match a.set_ip(ip.clone()).build() {
                    Ok(a) => req = req.ip_addresses(a),
                    Err(e) => return Outcome::invalid(e),
                }
            }
            let id = |o: &aws_sdk_route53resolver::operation::create_resolver_endpoint::CreateResolverEndpointOutput| {
                o.resolver_endpoint().and_then(|e| e.id()).map(str::to_string)
            };
            let r = req.send().await;
            let ok = |o: &_| format!("created {}", id(o).as_deref().unwrap_or("endpoint"));
            answered(op, r, ok, id)
        }
        ResolverCall::CreateResolverRule {
            creator_request_id,
            name,
            domain,
            targets,
            endpoint_id,
        } => {
            let mut req = c
                .resolver
                .create_resolver_rule()
                .creator_request_id(creator_request_id)
                .name(name)
                .rule_type(r53::RuleTypeOption::Forward)
                .domain_name(domain)
                .resolver_endpoint_id(endpoint_id);
            for (ip, port) in targets {
                req = req.target_ips(r53::TargetAddress::builder().ip(ip).port(*port).build());
            }
            let id = |o: &aws_sdk_route53resolver::operation::create_resolver_rule::CreateResolverRuleOutput| {
                o.resolver_rule().and_then(|r| r.id()).map(str::to_string)
            };
            let r = req.send().await;
            let ok = |o: &_| format!("created {}", id(o).as_deref().unwrap_or("rule"));
            answered(op, r, ok, id)
        }
        ResolverCall::AssociateResolverRule {
            rule_id,
            vpc_id,
            name,
        } => {
            let r = c
                .resolver
                .associate_resolver_rule()
                .resolver_rule_id(rule_id)
                .vpc_id(vpc_id)
                .set_name((!name.is_empty()).then(|| name.clone()))
                .send()
                .await;
            done(op, r, |_| format!("associated {rule_id} with {vpc_id}"))
        }
    }
}
