//! Route 53 Resolver: endpoints, forwarding rules, rule associations.

use super::form::{Field, Form};
use super::validate::{self, Checked};
use super::*;
use crate::model::{Estate, RegionEstate, ResourceKind};

/// The resolver family.
pub(super) struct Family;

impl super::Family for Family {
    fn form(&self, c: &Ctx) -> Result<Form, String> {
        use WorkflowKind::*;
        let (kind, e, t, r) = (c.kind, c.e, c.t, c.r);
        let vpcs = || c.vpcs();
        Ok(match kind {
            CreateEndpoint => {
                let subnets: Vec<(String, String)> = r
                    .subnets
                    .items
                    .iter()
                    .map(|s| {
                        (
                            s.id.clone(),
                            format!(
                                "{} {} {} ({})",
                                s.id,
                                s.availability_zone,
                                s.cidr,
                                e.vpc_name(&t.region, &s.vpc_id)
                            ),
                        )
                    })
                    .collect();
                // The first VPC that has subnets (an endpoint needs them).
                let first_vpc = r
                    .vpcs
                    .items
                    .iter()
                    .find(|v| r.subnets.items.iter().any(|s| s.vpc_id == v.id))
                    .or(r.vpcs.items.first())
                    .map(|v| v.id.clone())
                    .unwrap_or_default();
                // Pre-fill two subnets of the first VPC in different AZs where there are some.
                let picks = two_subnets(r, &first_vpc);
                let mut fields = vec![
                    Field::choice(
                        "direction",
                        "Direction",
                        vec![
                            ("INBOUND".into(), "INBOUND".into()),
                            ("OUTBOUND".into(), "OUTBOUND".into()),
                        ],
                        None,
                    ),
                    Field::text("name", "Name", "", "1–64 characters"),
                    Field::choice("vpc", "VPC", vpcs(), Some(&first_vpc)),
                    Field::choice(
                        "security_groups",
                        "Security group",
                        sg_choices(r, &first_vpc),
                        None,
                    ),
                    Field::text(
                        "more_security_groups",
                        "More security groups",
                        "",
                        "optional: more sg-… ids, comma separated",
                    ),
                    Field::choice(
                        "protocols",
                        "Protocols",
                        ["Do53", "DoH", "Do53,DoH", "DoH-FIPS", "Do53,DoH-FIPS"]
                            .iter()
                            .map(|p| (p.to_string(), p.to_string()))
                            .collect(),
                        None,
                    ),
                    Field::choice(
                        "endpoint_type",
                        "Endpoint type",
                        ["IPV4", "IPV6", "DUALSTACK"]
                            .iter()
                            .map(|p| (p.to_string(), p.to_string()))
                            .collect(),
                        None,
                    ),
                ];
                const SUBNET_KEYS: [&str; 6] = [
                    "ip1_subnet",
                    "ip2_subnet",
                    "ip3_subnet",
                    "ip4_subnet",
                    "ip5_subnet",
                    "ip6_subnet",
                ];
                const SUBNET_LABELS: [&str; 6] = [
                    "IP 1 subnet",
                    "IP 2 subnet",
                    "IP 3 subnet",
                    "IP 4 subnet",
                    "IP 5 subnet",
                    "IP 6 subnet",
                ];
                const IP_KEYS: [&str; 6] = ["ip1", "ip2", "ip3", "ip4", "ip5", "ip6"];
                const IP_LABELS: [&str; 6] = [
                    "IP 1 address",
                    "IP 2 address",
                    "IP 3 address",
                    "IP 4 address",
                    "IP 5 address",
                    "IP 6 address",
                ];
                for i in 0..6 {
                    let selected = picks.get(i).map(|s| s.as_str());
                    fields.push(Field::choice(
                        SUBNET_KEYS[i],
                        SUBNET_LABELS[i],
                        choice_list(Some("(none)"), subnets.clone()),
                        selected.or(Some("")),
                    ));
                    fields.push(Field::text(
                        IP_KEYS[i],
                        IP_LABELS[i],
                        "",
                        "optional static IP inside the subnet",
                    ));
                }
                Form::new(fields)
            }
            CreateRule => {
                let outbound: Vec<(String, String)> = r
                    .resolver_endpoints
                    .items
                    .iter()
                    .filter(|x| x.direction == "OUTBOUND")
                    .map(|x| (x.id.clone(), format!("{} {} {}", x.id, x.name, x.state)))
                    .collect();
                Form::new(vec![
                    Field::text("name", "Name", "", "1–64 characters"),
                    Field::text("domain", "Domain", "", "e.g. corp.example.com"),
                    Field::text("targets", "Target IPs", "", "ip[:port], comma separated"),
                    Field::choice("endpoint", "Outbound endpoint", outbound, None),
                ])
            }
            AssociateRule => {
                id_of(t, ResourceKind::ResolverRules)?;
                Form::new(vec![
                    Field::choice("vpc", "VPC", vpcs(), None),
                    Field::text("name", "Association name", "", "optional"),
                ])
            }
            other => unreachable!("{other:?} is not a resolver workflow"),
        })
    }

    fn plan(&self, c: &PlanCtx) -> Checked<Plan> {
        use WorkflowKind::*;
        let (kind, r, form, intent) = (c.kind, c.r, c.form, c.intent);
        let row_id = || c.row_id();
        let plan = |call| c.plan(call);
        Ok(match kind {
            CreateEndpoint => plan_create_endpoint(c)?,
            CreateRule => {
                let name = validate::name(form.label("name"), form.get("name"))?;
                let domain = validate::domain(form.label("domain"), form.get("domain"))?;
                let targets = validate::targets(form.label("targets"), form.get("targets"))?;
                let endpoint = form.get("endpoint").to_string();
                if endpoint.is_empty() {
                    return field_err(
                        form,
                        "endpoint",
                        "there is no outbound endpoint in this region: create one first",
                    );
                }
                let targets: Vec<(String, i32)> = targets
                    .into_iter()
                    .map(|(ip, port)| (ip.to_string(), port))
                    .collect();
                // The tool's own PATH-002: targets the endpoint's VPC cannot reach.
                let ix = crate::graph::Index::new(c.e);
                let unreachable: Vec<String> = targets
                    .iter()
                    .filter_map(|(ip, _)| {
                        let t = crate::graph::path::trace(&ix, &endpoint, ip).ok()?;
                        (t.forward.verdict == crate::graph::path::Verdict::Unreachable).then(|| {
                            format!(
                                "{ip} ({})",
                                t.forward.problems.first().cloned().unwrap_or_default()
                            )
                        })
                    })
                    .collect();
                let mut p = plan(ResolverCall::CreateResolverRule {
                    creator_request_id: intent.creator_request_id.clone(),
                    name,
                    domain,
                    targets,
                    endpoint_id: endpoint.clone(),
                });
                if !unreachable.is_empty() {
                    p.warnings.push(format!(
                        "PATH-002: the endpoint's VPC cannot reach these targets, so queries forwarded to them fail: {}",
                        unreachable.join("; ")
                    ));
                }
                p
            }
            AssociateRule => {
                let vpc = form.get("vpc").to_string();
                if vpc.is_empty() {
                    return field_err(form, "vpc", "choose the VPC");
                }
                // An association name is optional for AWS; give one anyway (emulators need it).
                let rule = row_id();
                if let Some(a) = r
                    .resolver_rule_associations
                    .items
                    .iter()
                    .find(|a| a.resolver_rule_id == rule && a.vpc_id == vpc)
                {
                    return field_err(
                        form,
                        "vpc",
                        format!(
                            "{rule} is already associated with {vpc} ({}, {})",
                            a.id, a.state
                        ),
                    );
                }
                let name = match form.get("name").trim() {
                    "" => format!("{rule}-{vpc}"),
                    n => validate::name(form.label("name"), n)?,
                };
                plan(ResolverCall::AssociateResolverRule {
                    rule_id: rule,
                    vpc_id: vpc,
                    name,
                })
            }
            other => unreachable!("{other:?} is not a resolver workflow"),
        })
    }

    fn on_change(&self, c: &Ctx, form: &mut Form, key: &str) {
        on_change(c.kind, c.e, c.t, form, key)
    }
}

/// The security groups of a region, those of `vpc` first: `(id, "id name (vpc)")`.
fn sg_choices(r: &RegionEstate, vpc: &str) -> Vec<(String, String)> {
    let mut groups: Vec<&crate::model::SecurityGroup> = r.security_groups.items.iter().collect();
    groups.sort_by_key(|g| g.vpc_id != vpc);
    groups
        .into_iter()
        .map(|g| (g.id.clone(), format!("{} {} ({})", g.id, g.name, g.vpc_id)))
        .collect()
}

/// Two subnets of a VPC in different Availability Zones (fewer when it has fewer AZs).
fn two_subnets(r: &RegionEstate, vpc: &str) -> Vec<String> {
    let mut picks: Vec<&crate::model::Subnet> = Vec::new();
    for s in r.subnets.items.iter().filter(|s| s.vpc_id == vpc) {
        if picks.len() < 2
            && !picks
                .iter()
                .any(|p| p.availability_zone == s.availability_zone)
        {
            picks.push(s);
        }
    }
    picks.into_iter().map(|s| s.id.clone()).collect()
}

/// Keeps a form consistent after a field changed: choosing another VPC for a Resolver
/// endpoint re-fills the IP subnets with two of its subnets in different AZs.
fn on_change(kind: WorkflowKind, e: &Estate, t: &Target, form: &mut Form, key: &str) {
    if kind == WorkflowKind::CreateEndpoint
        && key == "vpc"
        && let Some(r) = e.region_of(&t.account, &t.region)
    {
        let vpc = form.get("vpc").to_string();
        if let Some(f) = form.fields.iter_mut().find(|f| f.key == "security_groups") {
            let options = sg_choices(r, &vpc);
            f.value = options.first().map(|o| o.0.clone()).unwrap_or_default();
            f.kind = form::FieldKind::Choice(options);
        }
        let picks = two_subnets(r, &vpc);
        for i in 1..=6 {
            form.set(
                &format!("ip{i}_subnet"),
                picks.get(i - 1).map(String::as_str).unwrap_or(""),
            );
            form.set(&format!("ip{i}"), "");
        }
    }
}

/// The plan of a new Resolver endpoint: subnets, IPs, security groups and protocols checked against what is read.
fn plan_create_endpoint(c: &PlanCtx) -> Checked<Plan> {
    let (r, form, intent) = (c.r, c.form, c.intent);
    let plan = |call| c.plan(call);
    let name = validate::resolver_name(form.label("name"), form.get("name"))?;
    let vpc = form.get("vpc").to_string();
    if vpc.is_empty() {
        return field_err(form, "vpc", "choose the VPC");
    }
    // The chosen group plus any typed ones; each must be an sg- id, and a group the
    // model knows must be in the endpoint's VPC.
    let chosen = form.get("security_groups");
    let typed = form.get("more_security_groups");
    let all = [chosen, typed]
        .iter()
        .filter(|x| !x.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(",");
    let sgs = validate::security_groups(form.label("security_groups"), &all)?;
    if let Some(g) = sgs.iter().find_map(|id| {
        r.security_groups
            .items
            .iter()
            .find(|g| &g.id == id && g.vpc_id != vpc)
    }) {
        return field_err(
            form,
            "security_groups",
            format!("{} is in {}, not in {vpc}", g.id, g.vpc_id),
        );
    }
    let direction = form.get("direction").to_string();
    let protocols: Vec<String> = form
        .get("protocols")
        .split(',')
        .map(str::to_string)
        .collect();
    if direction == "OUTBOUND" && protocols.iter().any(|p| p == "DoH-FIPS") {
        return field_err(form, "protocols", "DoH-FIPS is only for INBOUND endpoints");
    }
    let mut ips = Vec::new();
    let mut azs = std::collections::BTreeSet::new();
    for i in 1..=6 {
        let (sk, ik) = (format!("ip{i}_subnet"), format!("ip{i}"));
        let subnet_id = form.get(&sk).to_string();
        let ip = form.get(&ik).trim().to_string();
        if subnet_id.is_empty() {
            if !ip.is_empty() {
                return field_err(form, &ik, "choose the subnet of this IP first");
            }
            continue;
        }
        let Some(s) = r.subnets.items.iter().find(|s| s.id == subnet_id) else {
            return field_err(form, &sk, format!("{subnet_id} is not a known subnet"));
        };
        if s.vpc_id != vpc {
            return field_err(
                form,
                &sk,
                format!("{} is in {}, not in {vpc}", s.id, s.vpc_id),
            );
        }
        if !ip.is_empty() {
            validate::ip_in_subnet(form.label(&ik), &ip, &s.id, &s.cidr)?;
            if ips
                .iter()
                .any(|(_, x): &(String, Option<String>)| x.as_deref() == Some(ip.as_str()))
            {
                return field_err(form, &ik, format!("{ip} is given twice"));
            }
            // An address another Resolver endpoint already holds.
            if let Some(other) = r
                .resolver_endpoints
                .items
                .iter()
                .find(|e| e.ips.iter().any(|x| x.ip.as_deref() == Some(ip.as_str())))
            {
                return field_err(
                    form,
                    &ik,
                    format!("{ip} is already used by endpoint {}", other.id),
                );
            }
        }
        azs.insert(s.availability_zone.clone());
        ips.push((subnet_id, (!ip.is_empty()).then_some(ip)));
    }
    validate::endpoint_ip_count("IP addresses", ips.len())?;
    let mut p = plan(ResolverCall::CreateResolverEndpoint {
        creator_request_id: intent.creator_request_id.clone(),
        name,
        direction,
        security_group_ids: sgs,
        ips,
        protocols,
        endpoint_type: form.get("endpoint_type").to_string(),
    });
    if azs.len() == 1 {
        p.warnings.push(format!(
            "all IPs are in one Availability Zone ({}); AWS recommends at least two",
            azs.iter().next().unwrap()
        ));
    }
    Ok(p)
}
