//! Evaluating intents against one estate: every pair an intent names is traced (the `path`
//! engine), and the intent holds only when every pair does.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Expect, Intent, Selector, Target};
use crate::graph::Index;
use crate::graph::path::{self, Trace, Verdict};

/// Whether an intent holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Held,
    /// Something the intent needs was not read: never a pass.
    Unknown,
    Broken,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            State::Held => "held",
            State::Unknown => "unknown",
            State::Broken => "broken",
        }
    }
}

/// One intent's verdict: the worst of its pairs, the reason of the first pair with that state
/// (the hop, route or VIF that breaks it), and one line per pair.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub name: String,
    pub state: State,
    pub reason: String,
    pub checks: Vec<Check>,
}

/// One pair (a VPC to a prefix, an endpoint to a target) or one rule check.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Check {
    pub what: String,
    pub state: State,
    pub reason: String,
    /// The ends [`path::trace`] was given for this pair (a VPC id, an endpoint id; a VPC id or
    /// an address or prefix), so the whole trace can be shown again; `None` for a rule check.
    #[serde(skip)]
    pub trace: Option<(String, String)>,
}

/// Evaluates every intent against `ix`. Errors name the intent whose selector (or rule)
/// matches nothing read.
pub fn verify(ix: &Index, intents: &[Intent]) -> Result<Vec<Outcome>, String> {
    intents
        .iter()
        .map(|i| {
            let checks = match &i.dns_rule {
                Some(rule) => dns(ix, i, rule),
                None => paths(ix, i),
            }
            .map_err(|e| format!("intent {:?}: {e}", i.name))?;
            let state = checks
                .iter()
                .map(|c| c.state)
                .max()
                .unwrap_or(State::Unknown);
            let reason = checks
                .iter()
                .find(|c| c.state == state)
                .map(|c| format!("{}: {}", c.what, c.reason))
                .unwrap_or_default();
            Ok(Outcome {
                name: i.name.clone(),
                state,
                reason,
                checks,
            })
        })
        .collect()
}

/// The intents whose state a change would change: (before, after), in the file's order.
pub fn changed<'a>(before: &'a [Outcome], after: &'a [Outcome]) -> Vec<(&'a Outcome, &'a Outcome)> {
    before
        .iter()
        .zip(after)
        .filter(|(b, a)| b.state != a.state)
        .collect()
}

/// How a change moves one intent, as `what-if` and a workflow's plan say it:
/// `intent would break: NAME (held → broken): why`.
pub fn change_line(before: &Outcome, after: &Outcome) -> String {
    let verb = match after.state {
        State::Held => "would heal",
        State::Broken => "would break",
        State::Unknown => "would become unknown",
    };
    format!(
        "intent {verb}: {} ({} → {}): {}",
        after.name,
        before.state.label(),
        after.state.label(),
        after.reason
    )
}

fn paths(ix: &Index, i: &Intent) -> Result<Vec<Check>, String> {
    let (from, to) = (
        i.from.as_deref().unwrap_or_default(),
        i.to.as_deref().unwrap_or_default(),
    );
    let sources = Selector::parse(from)
        .map_err(|e| format!("from: {e}"))?
        .vpcs(ix);
    if sources.is_empty() {
        return Err(format!("from = {from:?} matches no VPC read"));
    }
    let targets = match Target::parse(to).map_err(|e| format!("to: {e}"))? {
        Target::Net(net) => vec![net.to_string()],
        Target::Vpcs(sel) => sel.vpcs(ix),
    };
    if targets.is_empty() {
        return Err(format!("to = {to:?} matches no VPC read"));
    }
    let mut out = Vec::new();
    for s in &sources {
        for t in targets.iter().filter(|t| *t != s) {
            let name = |id: &str| {
                ix.vpcs
                    .get(id)
                    .map_or(id.to_string(), |v| crate::model::label(&v.name, &v.id))
            };
            let what = format!("{} → {}", name(s), name(t));
            let (state, reason) = match path::trace(ix, s, t) {
                Ok(tr) => judge(i, &tr),
                Err(e) => (State::Unknown, e),
            };
            out.push(Check {
                what,
                state,
                reason,
                trace: Some((s.clone(), t.clone())),
            });
        }
    }
    Ok(out)
}

/// Why a trace has its verdict, said by the leg that decides it (a VIF down on the way out
/// is not why the way back fails): `return: TGW route table … has no route to …`.
fn reason(tr: &Trace, verdict: Verdict) -> String {
    let (side, leg) = if tr.forward.verdict == verdict {
        ("forward", &tr.forward)
    } else {
        ("return", &tr.back)
    };
    leg.problems
        .first()
        .map(|p| format!("{side}: {p}"))
        .unwrap_or_else(|| verdict.label().to_string())
}

/// A path intent's verdict on one trace.
fn judge(i: &Intent, tr: &Trace) -> (State, String) {
    let verdict = if i.both_ways {
        tr.verdict
    } else {
        tr.forward.verdict
    };
    let first = || reason(tr, verdict);
    match (i.expect, verdict) {
        (_, Verdict::Unknown) => (State::Unknown, first()),
        (Expect::Reachable, Verdict::Unreachable) => (State::Broken, first()),
        (Expect::Unreachable, Verdict::Unreachable) => {
            (State::Held, format!("isolated: {}", first()))
        }
        (Expect::Unreachable, _) => (
            State::Broken,
            format!("reachable over {} working path(s)", tr.working_paths),
        ),
        (Expect::Reachable, _) => {
            let d = &tr.diversity;
            let short = [
                ("VIFs", i.min_vifs, d.vifs),
                ("connections", i.min_connections, d.connections),
                ("devices", i.min_devices, d.devices),
                ("locations", i.min_locations, d.locations),
            ]
            .into_iter()
            .find_map(|(what, min, have)| {
                min.filter(|m| have < *m)
                    .map(|m| format!("{have} working {what}, {m} required"))
            });
            match short {
                Some(why) => (State::Broken, why),
                None => (
                    State::Held,
                    format!(
                        "{} working path(s) over {} location(s)",
                        tr.working_paths, d.locations
                    ),
                ),
            }
        }
    }
}

fn dns(ix: &Index, i: &Intent, rule: &str) -> Result<Vec<Check>, String> {
    let trim = |d: &str| d.trim_end_matches('.').to_ascii_lowercase();
    let rules: Vec<_> = ix
        .estate
        .scopes
        .values()
        .flat_map(|r| &r.resolver_rules.items)
        .filter(|r| r.id == rule || r.name == rule || trim(&r.domain_name) == trim(rule))
        .collect();
    if rules.is_empty() {
        return Err(format!("dns_rule = {rule:?} matches no Resolver rule read"));
    }
    let mut out = Vec::new();
    for r in rules {
        let what = crate::model::label(&r.name, &r.id);
        let Some(ep) = r.resolver_endpoint_id.as_deref() else {
            out.push(Check {
                what,
                state: State::Broken,
                reason: format!("{} rule with no outbound endpoint", r.rule_type),
                trace: None,
            });
            continue;
        };
        let Some(endpoint) = ix.endpoints.get(ep) else {
            out.push(Check {
                what,
                state: State::Unknown,
                reason: format!("its endpoint {ep} was not read"),
                trace: None,
            });
            continue;
        };
        if let Some(min) = i.min_endpoint_azs {
            let azs: BTreeSet<String> = endpoint
                .ips
                .iter()
                .filter_map(|ip| {
                    ip.availability_zone.clone().or_else(|| {
                        ix.subnets
                            .get(ip.subnet_id.as_str())
                            .map(|s| s.availability_zone.clone())
                    })
                })
                .collect();
            let (state, reason) = if azs.len() < min {
                (
                    State::Broken,
                    format!(
                        "endpoint {ep} has IPs in {} AZ(s) ({}), {min} required",
                        azs.len(),
                        azs.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                )
            } else {
                (
                    State::Held,
                    format!("endpoint {ep} has IPs in {} AZs", azs.len()),
                )
            };
            out.push(Check {
                what: what.clone(),
                state,
                reason,
                trace: None,
            });
        }
        if i.targets_reachable {
            if r.target_ips.is_empty() {
                out.push(Check {
                    what: what.clone(),
                    state: State::Broken,
                    reason: "no target IPs".into(),
                    trace: None,
                });
            }
            for t in &r.target_ips {
                let ip = crate::findings::paths::target_ip(t);
                let (state, reason) = match path::trace(ix, ep, ip) {
                    Ok(tr) if matches!(tr.verdict, Verdict::Unreachable | Verdict::Unknown) => {
                        let state = if tr.verdict == Verdict::Unknown {
                            State::Unknown
                        } else {
                            State::Broken
                        };
                        (state, reason(&tr, tr.verdict))
                    }
                    Ok(tr) => (State::Held, format!("{} working path(s)", tr.working_paths)),
                    Err(e) => (State::Unknown, e),
                };
                out.push(Check {
                    what: format!("{what} → target {ip}"),
                    state,
                    reason,
                    trace: Some((ep.to_string(), ip.to_string())),
                });
            }
        }
        if i.min_endpoint_azs.is_none() && !i.targets_reachable {
            out.push(Check {
                what,
                state: State::Held,
                reason: "rule read".into(),
                trace: None,
            });
        }
    }
    Ok(out)
}
