//! Route 53 Resolver reads (awsJson1_1, paginated): endpoints with their IP addresses,
//! rules and rule associations.

use aws_sdk_route53resolver::Client;
use aws_sdk_route53resolver::types as r53;
use chrono::Utc;

use super::{all_items, api_error, fetch_all, opt, state_str, ts_str};
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
        delegation_record: opt(r.delegation_record()).map(|d| d.trim_end_matches('.').to_string()),
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

fn query_log_config(c: &r53::ResolverQueryLogConfig) -> QueryLogConfig {
    QueryLogConfig {
        id: c.id().unwrap_or_default().to_string(),
        name: c.name().unwrap_or_default().to_string(),
        state: state_str(c.status()),
        destination_arn: c.destination_arn().unwrap_or_default().to_string(),
        association_count: c.association_count(),
        owner_id: opt(c.owner_id()),
        share_status: c.share_status().map(|s| s.as_str().to_string()),
    }
}

fn query_log_association(a: &r53::ResolverQueryLogConfigAssociation) -> QueryLogAssociation {
    QueryLogAssociation {
        id: a.id().unwrap_or_default().to_string(),
        name: String::new(),
        state: state_str(a.status()),
        config_id: a
            .resolver_query_log_config_id()
            .unwrap_or_default()
            .to_string(),
        vpc_id: a.resource_id().unwrap_or_default().to_string(),
        error: opt(a.error_message()),
    }
}

fn dnssec_config(c: &r53::ResolverDnssecConfig) -> DnssecConfig {
    let vpc = c.resource_id().unwrap_or_default().to_string();
    DnssecConfig {
        id: c.id().unwrap_or_default().to_string(),
        name: vpc.clone(),
        state: state_str(c.validation_status()),
        vpc_id: vpc,
        owner_id: opt(c.owner_id()),
    }
}

/// Reads Resolver endpoints (each with its IPs), rules and rule associations, query logging
/// configurations and their VPCs, and each VPC's DNSSEC validation.
pub async fn poll(
    client: &Client,
    profiles: &aws_sdk_route53profiles::Client,
    region: &str,
    emit: &mut (dyn FnMut(Update) + Send),
) {
    let reads: Vec<super::Reads<'_>> = vec![
        Box::pin(endpoints(client, region)),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.list_resolver_rules(),
                "ListResolverRules",
                rule,
                ResolverRules
            )]
        }),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.list_resolver_rule_associations(),
                "ListResolverRuleAssociations",
                rule_association,
                ResolverRuleAssociations
            )]
        }),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.list_resolver_query_log_configs(),
                "ListResolverQueryLogConfigs",
                query_log_config,
                QueryLogConfigs
            )]
        }),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.list_resolver_query_log_config_associations(),
                "ListResolverQueryLogConfigAssociations",
                query_log_association,
                QueryLogAssociations
            )]
        }),
        Box::pin(crate::profiles::read(profiles, region)),
        Box::pin(async move {
            vec![fetch_all!(
                region,
                client.list_resolver_dnssec_configs(),
                "ListResolverDnssecConfigs",
                dnssec_config,
                DnssecConfigs
            )]
        }),
    ];
    super::run_reads(reads, emit).await;
}

/// The endpoints, then the IP addresses of each (a bounded number of endpoints at once).
async fn endpoints(client: &Client, region: &str) -> Vec<Update> {
    let now = Utc::now;
    let r = all_items!(client.list_resolver_endpoints());
    let list = match r {
        Ok(list) => list,
        Err(e) => {
            return vec![Update::err(
                region,
                ResourceKind::ResolverEndpoints,
                now(),
                api_error("ListResolverEndpoints", &e),
            )];
        }
    };
    let mut endpoints: Vec<ResolverEndpoint> = list.iter().map(endpoint).collect();
    let ips = super::fan_out(&endpoints, |e| {
        let id = e.id.clone();
        async move {
            let ips = all_items!(
                client
                    .list_resolver_endpoint_ip_addresses()
                    .resolver_endpoint_id(&id)
            )?;
            let ips: Vec<EndpointIp> = ips
                .iter()
                .map(|i| EndpointIp {
                    ip_id: i.ip_id().unwrap_or_default().to_string(),
                    ip: opt(i.ip()),
                    ipv6: opt(i.ipv6()),
                    subnet_id: i.subnet_id().unwrap_or_default().to_string(),
                    availability_zone: None,
                    status: EndpointIpStatus::parse(
                        i.status().map(|s| s.as_str()).unwrap_or_default(),
                    ),
                })
                .collect();
            Ok(vec![ips])
        }
    })
    .await;
    vec![match ips {
        Ok(per_endpoint) => {
            for (e, ips) in endpoints.iter_mut().zip(per_endpoint) {
                e.ips = ips;
            }
            Update::ok(region, now(), Batch::ResolverEndpoints(endpoints))
        }
        Err(err) => Update::err(
            region,
            ResourceKind::ResolverEndpoints,
            now(),
            api_error("ListResolverEndpointIpAddresses", &err),
        ),
    }]
}
