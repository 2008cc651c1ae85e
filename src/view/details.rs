//! The related resources a resource's details list under its own fields (a route table's
//! routes, a rule group's rules, a connection's VIFs …), as titled sections of text lines.

use crate::model::{Estate, RegionEstate, ResourceKind};

/// The sections shown under a resource's own fields: `(title, lines)`, a title with no
/// line meaning none.
pub fn related(
    estate: &Estate,
    region: &RegionEstate,
    region_name: &str,
    kind: ResourceKind,
    id: &str,
) -> Vec<(String, Vec<String>)> {
    let mut out = vec![];
    let mut section = |title: String, rows: Vec<String>| out.push((title, rows));
    match kind {
        ResourceKind::VpcRouteTables => {
            if let Some(t) = region.vpc_route_tables.items.iter().find(|t| t.id == id) {
                section(
                    "Routes (destination, target, state, origin)".into(),
                    t.routes
                        .iter()
                        .map(|r| {
                            format!(
                                "{:<20} {:<18} {:<28} {:<9} {}",
                                r.destination, r.target_kind, r.target_id, r.state, r.origin
                            )
                        })
                        .collect(),
                );
            }
        }
        ResourceKind::TgwRouteTables => out.extend(tgw_route_table(region, id)),
        ResourceKind::FirewallRuleGroups => {
            let mut rules: Vec<_> = region
                .firewall_rules
                .items
                .iter()
                .filter(|r| r.rule_group_id == id)
                .collect();
            rules.sort_by_key(|r| r.priority);
            section(
                "Rules (evaluation order)".into(),
                rules
                    .iter()
                    .map(|r| {
                        let matches = match (&r.threat, &r.confidence_threshold) {
                            (Some(t), Some(c)) => format!("{t} (confidence {c})"),
                            (Some(t), None) => t.clone(),
                            _ => r.domain_list_id.clone().unwrap_or_else(|| "-".into()),
                        };
                        format!(
                            "{:>5} {:<6} {:<24} {}",
                            r.priority, r.action, matches, r.redirection_action
                        )
                    })
                    .collect(),
            );
        }
        ResourceKind::FirewallDomainLists => {
            let rows = match estate
                .firewall_domains
                .get(&(region_name.to_string(), id.to_string()))
            {
                None => vec!["loading… (ListFirewallDomains)".to_string()],
                Some(Ok(domains)) => domains.clone(),
                Some(Err(e)) => vec![format!("✗ {e}")],
            };
            section("Domains".into(), rows);
        }
        ResourceKind::DxGateways => out.extend(dx_gateway(estate, id)),
        ResourceKind::Vpcs => out.extend(vpc_dns(region, id)),
        ResourceKind::DxConnections | ResourceKind::DxLags => {
            let vifs = region
                .dx_vifs
                .items
                .iter()
                .filter(|v| v.connection_id == id);
            section(
                "Virtual interfaces".into(),
                vifs.map(|v| {
                    format!(
                        "{} {} vlan {} {} bgp {}",
                        v.id,
                        v.name,
                        v.vlan,
                        v.state,
                        v.bgp_summary()
                    )
                })
                .collect(),
            );
        }
        ResourceKind::ResolverRules => {
            let assoc = region
                .resolver_rule_associations
                .items
                .iter()
                .filter(|a| a.resolver_rule_id == id);
            section(
                "VPC associations".into(),
                assoc
                    .map(|a| {
                        format!(
                            "{} {} {}",
                            a.id,
                            estate.vpc_label(region_name, &a.vpc_id),
                            a.state
                        )
                    })
                    .collect(),
            );
        }
        _ => {}
    }
    out
}

/// A VPC's Resolver query logging (where its queries go) and DNSSEC validation; what was not
/// read says so.
fn vpc_dns(region: &RegionEstate, vpc: &str) -> Vec<(String, Vec<String>)> {
    let not_read = |s: Option<&crate::model::ApiError>| match s {
        Some(e) => format!("not read: {e}"),
        None => "not read yet".to_string(),
    };
    let assoc = &region.query_log_associations;
    let logging = if assoc.refreshed_at.is_none() {
        vec![not_read(assoc.error.as_ref())]
    } else {
        let rows: Vec<String> = assoc
            .items
            .iter()
            .filter(|a| a.vpc_id == vpc)
            .map(|a| {
                let config = region
                    .query_log_configs
                    .items
                    .iter()
                    .find(|c| c.id == a.config_id);
                match config {
                    Some(c) => format!(
                        "{} {} → {} {} ({})",
                        c.id,
                        c.name,
                        c.destination_kind(),
                        c.destination_arn,
                        a.state
                    ),
                    None => format!("{} ({}; configuration not read)", a.config_id, a.state),
                }
            })
            .collect();
        if rows.is_empty() {
            vec!["none: this VPC's DNS queries are not logged".into()]
        } else {
            rows
        }
    };
    let dnssec = &region.dnssec_configs;
    let validation = if dnssec.refreshed_at.is_none() {
        not_read(dnssec.error.as_ref())
    } else {
        match dnssec.items.iter().find(|d| d.vpc_id == vpc) {
            Some(d) => d.state.clone(),
            None => "DISABLED (no configuration)".into(),
        }
    };
    let rules = region
        .effective_rules()
        .into_iter()
        .filter(|x| x.vpc_id == vpc)
        .map(|x| {
            format!(
                "{:<28} {:<9} {} {}",
                x.rule.domain_name,
                x.rule.rule_type,
                crate::model::label(&x.rule.name, &x.rule.id),
                x.source()
            )
        })
        .collect();
    vec![
        (
            "Resolver rules in effect (most specific domain first; direct before a Profile's)"
                .into(),
            rules,
        ),
        ("DNS query logging".into(), logging),
        ("DNSSEC validation".into(), vec![validation]),
    ]
}

/// A TGW route table: its routes, associations and propagations.
fn tgw_route_table(region: &RegionEstate, id: &str) -> Vec<(String, Vec<String>)> {
    let mut out = vec![];
    let mut section = |title: String, rows: Vec<String>| out.push((title, rows));
    let routes = region
        .tgw_routes
        .items
        .iter()
        .filter(|r| r.route_table_id == id);
    section(
        "Routes".into(),
        routes
            .map(|r| {
                format!(
                    "{:<18} {:<10} {:<9} {}",
                    r.destination,
                    r.route_type,
                    r.state,
                    r.targets
                        .iter()
                        .filter_map(|t| t.attachment_id.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect(),
    );
    // Associations and propagations share a shape: attachment, resource, state.
    let link = |attachment: &str, resource: &Option<String>, state: &str| {
        format!(
            "{attachment} {} {state}",
            resource.as_deref().unwrap_or("-")
        )
    };
    let assoc = region
        .tgw_associations
        .items
        .iter()
        .filter(|a| a.route_table_id == id);
    section(
        "Associations".into(),
        assoc
            .map(|a| link(&a.attachment_id, &a.resource_id, a.state.as_str()))
            .collect(),
    );
    let props = region
        .tgw_propagations
        .items
        .iter()
        .filter(|a| a.route_table_id == id);
    section(
        "Propagations".into(),
        props
            .map(|a| link(&a.attachment_id, &a.resource_id, a.state.as_str()))
            .collect(),
    );
    out
}

/// A DX gateway (global): its associations and attachments, whichever region listed them, each once.
fn dx_gateway(estate: &Estate, id: &str) -> Vec<(String, Vec<String>)> {
    let mut out = vec![];
    let mut section = |title: String, rows: Vec<String>| out.push((title, rows));
    // A DX gateway is global: its associations and attachments, whichever region's
    // endpoint listed them, each once.
    let mut seen = std::collections::BTreeSet::new();
    let assoc = estate
        .scopes
        .values()
        .flat_map(|r| &r.dx_gateway_associations.items)
        .filter(|a| a.direct_connect_gateway_id == id && seen.insert(a.id.clone()));
    section(
        "Associations".into(),
        assoc
            .map(|a| {
                format!(
                    "{} {} {} {}",
                    a.name,
                    a.state,
                    a.associated_gateway_region.as_deref().unwrap_or("-"),
                    a.allowed_prefixes.join(",")
                )
            })
            .collect(),
    );
    let mut seen = std::collections::BTreeSet::new();
    let att = estate
        .scopes
        .values()
        .flat_map(|r| &r.dx_gateway_attachments.items)
        .filter(|a| {
            a.direct_connect_gateway_id == id && seen.insert(a.virtual_interface_id.clone())
        });
    section(
        "Attachments".into(),
        att.map(|a| format!("{} {}", a.virtual_interface_id, a.state))
            .collect(),
    );
    out
}
