//! What-if's DNS section: the Resolver forwarding rules a change would stop (a target the
//! rule's outbound endpoint reached before and no longer reaches: queries for the rule's domain
//! sent there go unanswered) or resume.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::graph::Index;
use crate::graph::path::{self, Verdict};
use crate::model::Estate;

/// One target of one forwarding rule whose reachability from the rule's outbound endpoint a
/// change flips.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DnsChange {
    /// The rule's id (`rslvr-rr-…`) and name.
    pub rule: String,
    pub name: String,
    /// The domain the rule forwards (`corp.example.com.`).
    pub domain: String,
    /// The outbound endpoint (`rslvr-out-…`) the queries leave from.
    pub endpoint: String,
    /// The target, `IP` or `IP:port` as the rule names it.
    pub target: String,
    /// After the change, none of the rule's targets is reached: the domain stops resolving,
    /// not only loses a target.
    pub all_targets: bool,
    /// Why, as the trace after the change (stopping) or before it (resuming) says.
    pub why: String,
}

/// `(stops, resumes)`: every forwarding rule target (of the rules read in `e`) the endpoint
/// reaches with `before` and not with `after` (the index of `changed`, `e` with the changes
/// made), and the other way round; a rule `changed` no longer has stops whole, and a VPC whose
/// association with it `changed` no longer has stops forwarding its domain. A target either
/// trace cannot judge (something not read) is in neither.
pub fn forwarding(
    e: &Estate,
    changed: &Estate,
    before: &Index,
    after: &Index,
) -> (Vec<DnsChange>, Vec<DnsChange>) {
    let (mut stops, mut resumes) = (Vec::new(), Vec::new());
    let mut seen = BTreeSet::new();
    let rules = e
        .scopes
        .values()
        .flat_map(|r| r.resolver_rules.items.iter());
    let kept = |id: &str| {
        let mut rules = changed
            .scopes
            .values()
            .flat_map(|r| &r.resolver_rules.items);
        rules.any(|x| x.id == id)
    };
    // The VPCs a rule is in effect for: associated directly or through a Profile.
    let associations = |e: &Estate, id: &str| -> BTreeSet<String> {
        e.scopes
            .values()
            .flat_map(|r| r.effective_rules())
            .filter(|x| x.rule.id == id)
            .map(|x| x.vpc_id)
            .collect()
    };
    for rule in rules {
        if !rule.forwards() || !seen.insert(rule.id.clone()) {
            continue;
        }
        let Some(ep) = rule.resolver_endpoint_id.as_deref() else {
            continue;
        };
        let stop = |target: String, why: String| DnsChange {
            rule: rule.id.clone(),
            name: rule.name.clone(),
            domain: rule.domain_name.clone(),
            endpoint: ep.to_string(),
            target,
            all_targets: true,
            why,
        };
        // A rule deleted forwards nothing; a VPC whose association goes no longer uses it.
        if !kept(&rule.id) {
            stops.push(stop("every target".into(), "the rule is deleted".into()));
            continue;
        }
        let now = associations(changed, &rule.id);
        for vpc in associations(e, &rule.id).difference(&now) {
            let why = format!(
                "its association with {vpc} is deleted: {vpc} no longer forwards the domain"
            );
            stops.push(stop(format!("every target, from {vpc}"), why));
        }
        // Some(true): reached; Some(false): unreachable; None: not judged.
        // Both ways: a query whose answer cannot come back is not answered either.
        let reach = |ix: &Index, ip: &str| match path::trace(ix, ep, ip) {
            Ok(t) => match t.verdict {
                Verdict::Unknown => (None, String::new()),
                Verdict::Unreachable => {
                    let leg = match t.forward.verdict {
                        Verdict::Unreachable => ("forward", &t.forward.problems),
                        _ => ("return", &t.back.problems),
                    };
                    (Some(false), format!("{}: {}", leg.0, leg.1.join("; ")))
                }
                _ => (Some(true), String::new()),
            },
            Err(_) => (None, String::new()),
        };
        let targets: Vec<_> = rule
            .target_ips
            .iter()
            .map(|t| {
                let ip = crate::findings::paths::target_ip(t);
                (t, reach(before, ip), reach(after, ip))
            })
            .collect();
        let none_after = targets.iter().all(|(_, _, a)| a.0 != Some(true));
        for (t, (b, why_b), (a, why_a)) in &targets {
            let change = |why: &String| DnsChange {
                rule: rule.id.clone(),
                name: rule.name.clone(),
                domain: rule.domain_name.clone(),
                endpoint: ep.to_string(),
                target: t.to_string(),
                all_targets: none_after,
                why: why.clone(),
            };
            match (b, a) {
                (Some(true), Some(false)) => stops.push(change(why_a)),
                (Some(false), Some(true)) => resumes.push(change(why_b)),
                _ => {}
            }
        }
    }
    (stops, resumes)
}

impl DnsChange {
    /// `breaks: DNS forwarding of corp.example.com by corp-forward (rslvr-rr-…) stops: target
    /// 10.10.0.2:53 unreachable from rslvr-out-…: why`
    pub fn line(&self, stops: bool) -> String {
        let rule = crate::model::label(&self.name, &self.rule);
        let domain = self.domain.trim_end_matches('.');
        // A rule deleted, or a VPC's association with it: every target, `, from vpc-…`.
        if let Some(from) = self.target.strip_prefix("every target") {
            return format!(
                "breaks: DNS forwarding of {domain} by {rule} stops{from}: {}",
                self.why
            );
        }
        if stops {
            let how = if self.all_targets {
                "stops"
            } else {
                "loses a target"
            };
            format!(
                "breaks: DNS forwarding of {domain} by {rule} {how}: target {} unreachable from {}: {}",
                self.target, self.endpoint, self.why
            )
        } else {
            format!(
                "resumes: DNS forwarding of {domain} by {rule} reaches target {} from {} again",
                self.target, self.endpoint
            )
        }
    }
}
