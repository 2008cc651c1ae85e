//! Route 53 Resolver reads (awsJson1_1, paginated): endpoints with their IP addresses,
//! rules and rule associations.

use aws_sdk_route53resolver::Client;
use aws_sdk_route53resolver::types as r53;
use chrono::Utc;

use super::{api_error, opt, read_all, state_str, ts_str};
use crate::model::*;

fn endpoint(e: &r53::ResolverEndpoint) -> ResolverEndpoint {
    ResolverEndpoint {
        id: e.id().unwrap_or_default().to_string(),
        name: e.name().unwrap_or_default().to_string(),
        state: state_str(e.status()),
        status_message: opt(e.status_message()),
        direction: e
            .direction()
            .map(|d| d.as_str())
            .unwrap_or_default()
            .to_string(),
        vpc_id: e.host_vpc_id().unwrap_or_default().to_string(),
        security_group_ids: e.security_group_ids().to_vec(),
        ip_address_count: e.ip_address_count(),
        endpoint_type: e.resolver_endpoint_type().map(|t| t.as_str().to_string()),
        protocols: e
            .protocols()
            .iter()
            .map(|p| p.as_str().to_string())
            .collect(),
        ips: Vec::new(),
        creation_time: ts_str(e.creation_time()),
    }
}

fn rule(r: &r53::ResolverRule) -> ResolverRule {
    ResolverRule {
        id: r.id().unwrap_or_default().to_string(),
        name: r.name().unwrap_or_default().to_string(),
        state: state_str(r.status()),
        domain_name: r
            .domain_name()
            .unwrap_or_default()
            .trim_end_matches('.')
            .to_string(),
        rule_type: r
            .rule_type()
            .map(|t| t.as_str())
            .unwrap_or_default()
            .to_string(),
        resolver_endpoint_id: opt(r.resolver_endpoint_id()),
        target_ips: r
            .target_ips()
            .iter()
            .map(|t| {
                let ip = t.ip().or(t.ipv6()).unwrap_or("?");
                format!("{ip}:{}", t.port().unwrap_or(53))
            })
            .collect(),
        owner_id: opt(r.owner_id()),
        share_status: r.share_status().map(|s| s.as_str().to_string()),
    }
}

fn rule_association(a: &r53::ResolverRuleAssociation) -> ResolverRuleAssociation {
    ResolverRuleAssociation {
        id: a.id().unwrap_or_default().to_string(),
        name: a.name().unwrap_or_default().to_string(),
        state: state_str(a.status()),
        resolver_rule_id: a.resolver_rule_id().unwrap_or_default().to_string(),
        vpc_id: a.vpc_id().unwrap_or_default().to_string(),
    }
}

/// Reads Resolver endpoints (each with its IPs), rules and rule associations.
pub async fn poll(client: &Client, region: &str, emit: &mut (dyn FnMut(Update) + Send)) {
    let now = Utc::now;
    let r = client
        .list_resolver_endpoints()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await;
    match r {
        Ok(list) => {
            let mut endpoints: Vec<ResolverEndpoint> = list.iter().map(endpoint).collect();
            let mut failed = None;
            for e in &mut endpoints {
                let ips = client
                    .list_resolver_endpoint_ip_addresses()
                    .resolver_endpoint_id(&e.id)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>()
                    .await;
                match ips {
                    Ok(ips) => {
                        e.ips = ips
                            .iter()
                            .map(|i| EndpointIp {
                                ip_id: i.ip_id().unwrap_or_default().to_string(),
                                ip: opt(i.ip()),
                                ipv6: opt(i.ipv6()),
                                subnet_id: i.subnet_id().unwrap_or_default().to_string(),
                                availability_zone: None,
                                status: i
                                    .status()
                                    .map(|s| s.as_str())
                                    .unwrap_or_default()
                                    .to_string(),
                            })
                            .collect()
                    }
                    Err(err) => {
                        failed = Some(api_error("ListResolverEndpointIpAddresses", &err));
                        break;
                    }
                }
            }
            emit(match failed {
                Some(err) => Update::err(region, ResourceKind::ResolverEndpoints, now(), err),
                None => Update::ok(region, now(), Batch::ResolverEndpoints(endpoints)),
            });
        }
        Err(e) => emit(Update::err(
            region,
            ResourceKind::ResolverEndpoints,
            now(),
            api_error("ListResolverEndpoints", &e),
        )),
    }

    read_all!(
        emit,
        region,
        client.list_resolver_rules(),
        "ListResolverRules",
        rule,
        ResolverRules
    );

    read_all!(
        emit,
        region,
        client.list_resolver_rule_associations(),
        "ListResolverRuleAssociations",
        rule_association,
        ResolverRuleAssociations
    );
}
