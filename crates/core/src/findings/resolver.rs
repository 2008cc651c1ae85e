//! Route 53 Resolver rules: single-AZ endpoints, endpoints not operational, forwarding rules
//! with no VPC association, rules whose outbound endpoint is not operational; a VPC whose
//! queries are not logged and one without DNSSEC validation (severities from `[dns]`).

use crate::model::EndpointStatus;
use std::collections::BTreeSet;

use super::dx::label;
use super::{Ctx, Finding, Severity, finding};
use crate::model::ResourceKind;

pub(crate) fn check(c: &Ctx, out: &mut Vec<Finding>) {
    let r = c.region;
    hygiene(c, out);
    for ep in &r.resolver_endpoints.items {
        let res = || vec![c.res(ResourceKind::ResolverEndpoints, &ep.id, &ep.name, None)];
        // The AZ of each IP (from its subnet); a subnet lives in one AZ, so IPs sharing one
        // subnet are single-AZ even when the subnet was not read.
        let azs: Option<BTreeSet<&str>> = ep
            .ips
            .iter()
            .map(|i| i.availability_zone.as_deref())
            .collect();
        let subnets: BTreeSet<&str> = ep.ips.iter().map(|i| i.subnet_id.as_str()).collect();
        let single = match &azs {
            Some(a) => (a.len() == 1).then(|| a.iter().next().unwrap().to_string()),
            None => (subnets.len() == 1)
                .then(|| format!("the AZ of {}", subnets.iter().next().unwrap())),
        };
        if let (false, Some(az)) = (ep.ips.is_empty(), single) {
            let ips = ep
                .ips
                .iter()
                .map(|i| {
                    format!(
                        "{} ({})",
                        i.ip.as_deref().or(i.ipv6.as_deref()).unwrap_or("?"),
                        i.subnet_id
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            out.push(finding("R53R-001", None, format!("{} Resolver endpoint {} has all {} IPs in {az}", ep.direction.to_lowercase(), label(&ep.name, &ep.id), ep.ips.len()),
                res(), &[("direction", ep.direction.clone()), ("availabilityZones", az.clone()), ("ipAddresses", ips)],
                "Add an IP address in a subnet of another Availability Zone (AssociateResolverEndpointIpAddress); AWS recommends at least two AZs."));
        }
        if ep.state != EndpointStatus::Operational {
            let sev = match ep.state {
                EndpointStatus::ActionNeeded => Severity::High,
                EndpointStatus::Creating | EndpointStatus::Updating => Severity::Low,
                _ => Severity::Medium,
            };
            out.push(finding("R53R-002", Some(sev), format!("Resolver endpoint {} is {}", label(&ep.name, &ep.id), ep.state), res(),
                &[("status", ep.state.to_string()), ("statusMessage", ep.status_message.clone().unwrap_or_default())],
                "Read the status message; ACTION_NEEDED usually means an ENI or security group problem in the endpoint's subnets."));
        }
    }
    let effective = r.effective_rules();
    for rule in r.resolver_rules.items.iter().filter(|x| x.forwards()) {
        let res = || {
            vec![c.res(
                ResourceKind::ResolverRules,
                &rule.id,
                &rule.name,
                rule.owner_id.as_ref(),
            )]
        };
        // Associated directly or through a Profile.
        if !effective.iter().any(|x| x.rule.id == rule.id) {
            out.push(finding("R53R-003", None, format!("Forwarding rule {} for {} is associated with no VPC", label(&rule.name, &rule.id), rule.domain_name),
                res(), &[("domainName", rule.domain_name.clone()), ("associations", "0".into())],
                "Associate the rule with the VPCs that must resolve the domain (AssociateResolverRule), or delete it."));
        }
        if let Some(ep_id) = &rule.resolver_endpoint_id
            && let Some(ep) = r.resolver_endpoints.items.iter().find(|e| &e.id == ep_id)
            && ep.state != EndpointStatus::Operational
        {
            let mut resources = res();
            resources.push(c.res(ResourceKind::ResolverEndpoints, &ep.id, &ep.name, None));
            out.push(finding("R53R-004", None, format!("Forwarding rule {} for {} uses outbound endpoint {} which is {}", label(&rule.name, &rule.id), rule.domain_name, ep.id, ep.state),
                resources, &[("domainName", rule.domain_name.clone()), ("resolverEndpointId", ep.id.clone()), ("endpointStatus", ep.state.to_string())],
                "Queries for this domain fail while the endpoint is not operational: fix the endpoint or point the rule at a healthy one."));
        }
    }
}

/// R53R-005 (a VPC whose DNS queries are not logged) and R53R-006 (a VPC without DNSSEC
/// validation), each at the severity `[dns]` gives it, or not at all. A VPC is judged only
/// when the VPCs and the setting were both read: unread is not unlogged.
fn hygiene(c: &Ctx, out: &mut Vec<Finding>) {
    let r = c.region;
    let read = |s: &Option<crate::model::Timestamp>, e: &Option<crate::model::ApiError>| {
        s.is_some() && e.is_none()
    };
    if !read(&r.vpcs.refreshed_at, &r.vpcs.error) {
        return;
    }
    let logs = &r.query_log_associations;
    let dnssec = &r.dnssec_configs;
    for v in &r.vpcs.items {
        let name = c.estate.vpc_name(&r.region, &v.id);
        let res = || vec![c.res(ResourceKind::Vpcs, &v.id, &name, v.owner_id.as_ref())];
        let logged = logs
            .items
            .iter()
            .any(|a| a.vpc_id == v.id && matches!(a.state.as_str(), "ACTIVE" | "CREATING"));
        if let (Some(sev), true, false) = (
            c.settings.query_logging,
            read(&logs.refreshed_at, &logs.error),
            logged,
        ) {
            out.push(finding("R53R-005", Some(sev),
                format!("VPC {} has no Resolver query logging", label(&name, &v.id)),
                res(),
                &[("queryLogConfigAssociations", "0".into())],
                "Associate the VPC with a Resolver query logging configuration (S3, CloudWatch Logs or Firehose), so the DNS queries of its workloads can be audited."));
        }
        let status = dnssec
            .items
            .iter()
            .find(|d| d.vpc_id == v.id)
            .map_or("DISABLED", |d| d.state.as_str());
        if let (Some(sev), true, false) = (
            c.settings.dnssec_validation,
            read(&dnssec.refreshed_at, &dnssec.error),
            status == "ENABLED",
        ) {
            out.push(finding("R53R-006", Some(sev),
                format!("VPC {} does not validate DNSSEC ({status})", label(&name, &v.id)),
                res(),
                &[("validationStatus", status.into())],
                "Enable DNSSEC validation for the VPC (UpdateResolverDnssecConfig): signed answers that fail validation are then refused instead of used."));
        }
    }
}
