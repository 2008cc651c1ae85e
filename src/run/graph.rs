//! `path`, `impact` and `topology`: one poll, then the connectivity graph.

use color_eyre::eyre::{Result, eyre};

use crate::cli::GlobalArgs;
use crate::cli::{AccountsFormat, PathFormat, TopologyFormat, WhatIfArgs};
use crate::graph::{self, Graph, Index};

/// The exit status of `path` for a verdict: 0 reachable, 4 degraded, 5 unreachable, 6 unknown
/// (2 is bad input: an end that is not an id, IP or CIDR, or not in what was read).
pub fn path_exit(v: graph::path::Verdict) -> i32 {
    use graph::path::Verdict;
    match v {
        Verdict::Reachable => 0,
        Verdict::Degraded => 4,
        Verdict::Unreachable => 5,
        Verdict::Unknown => 6,
    }
}

/// `crossconnect lookup IP|CIDR`: the address is checked before anything is read.
pub async fn lookup(g: &GlobalArgs, target: &str, format: AccountsFormat) -> Result<i32> {
    let net = match graph::lookup::parse_target(target) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("crossconnect: lookup: {e}");
            return Ok(2);
        }
    };
    let estate = super::read(g).await?;
    let ix = Index::new(&estate);
    let found = graph::lookup::lookup(&estate, &ix, &net);
    match format {
        AccountsFormat::Text => print!("{}", found.text()),
        AccountsFormat::Json => println!("{}", serde_json::to_string_pretty(&found)?),
    }
    Ok(0)
}

/// What `path` was asked: the ends, and the protocol and port when given.
pub struct PathEnds<'s> {
    pub from: &'s str,
    pub to: &'s str,
    pub protocol: Option<&'s str>,
    pub port: Option<u16>,
}

/// `crossconnect path --from SRC --to DST [--protocol P --port N]`: the ends, protocol and
/// port are checked before anything is read.
pub async fn path(g: &GlobalArgs, ends: PathEnds<'_>, format: PathFormat) -> Result<i32> {
    let (from, to) = (ends.from, ends.to);
    for (flag, end) in [("--from", from), ("--to", to)] {
        if let Err(e) = graph::path::check_end(end) {
            eprintln!("crossconnect: path {flag}: {e}");
            return Ok(2);
        }
    }
    let flow = match graph::path::Flow::new(ends.protocol, ends.port) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("crossconnect: path: {e}");
            return Ok(2);
        }
    };
    let estate = super::read(g).await?;
    let ix = Index::new(&estate);
    let t = match graph::path::trace_flow(&ix, from, to, flow) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("crossconnect: path: {e}");
            return Ok(2);
        }
    };
    match format {
        PathFormat::Text => print!("{}", t.text()),
        PathFormat::Json => println!("{}", serde_json::to_string_pretty(&t)?),
        PathFormat::Dot => print!("{}", t.dot()),
    }
    // AWS's answers about a hop disagree: say which one the trace used.
    let hops: Vec<&str> = t
        .forward
        .hops
        .iter()
        .chain(&t.back.hops)
        .map(|h| h.id.as_str())
        .collect();
    for n in crate::derived::notices::notices(&estate, &ix) {
        if hops.contains(&n.id.as_str()) {
            eprintln!("crossconnect: note: {}", n.text);
        }
    }
    Ok(path_exit(t.verdict))
}

/// `crossconnect impact ID`.
pub async fn impact(g: &GlobalArgs, id: &str, format: AccountsFormat) -> Result<i32> {
    let estate = super::read(g).await?;
    let ix = Index::new(&estate);
    let i = graph::impact::impact(&ix, id).map_err(|e| eyre!(e))?;
    match format {
        AccountsFormat::Text => print!("{}", i.text()),
        AccountsFormat::Json => println!("{}", serde_json::to_string_pretty(&i)?),
    }
    Ok(0)
}

/// `crossconnect topology`.
pub async fn topology(g: &GlobalArgs, format: TopologyFormat) -> Result<i32> {
    let estate = super::read(g).await?;
    let ix = Index::new(&estate);
    let gr = Graph::build(&ix);
    match format {
        TopologyFormat::Dot => print!("{}", gr.dot()),
        TopologyFormat::Mermaid => print!("{}", gr.mermaid()),
        TopologyFormat::Json => println!("{}", serde_json::to_string_pretty(&gr)?),
        TopologyFormat::Text => {
            for line in graph::tree_lines(&graph::topology(&ix, &gr)) {
                println!("{line}");
            }
        }
    }
    Ok(0)
}

/// `crossconnect what-if --fail ID --delete ID --terraform-plan FILE`: deletions and the plan
/// are checked before anything is read, failures and the plan's ids against what was read
/// (a plan's change to something not read is listed as not assessed); the declared intents
/// (`--intents`, or the default file when it exists) are judged before and after. Exit 3 when
/// a VPC would lose its last working path to on-prem or an intent would break, 2 for a change
/// that cannot be made, a plan or intent file that cannot be read.
pub async fn what_if(g: &GlobalArgs, args: &WhatIfArgs) -> Result<i32> {
    use graph::whatif::{self, Change};
    let refuse = |e: String| {
        eprintln!("crossconnect: what-if: {e}");
        Ok(2)
    };
    if args.fail.is_empty() && args.delete.is_empty() && args.terraform_plan.is_none() {
        return refuse("name a change: --fail ID, --delete ID or --terraform-plan FILE".into());
    }
    let mut changes = Vec::new();
    for d in &args.delete {
        match Change::delete(d) {
            Ok(c) => changes.push(c),
            Err(e) => return refuse(e),
        }
    }
    let mut planned = graph::terraform::Planned::default();
    if let Some(path) = &args.terraform_plan {
        let read = std::fs::read_to_string(path).map_err(|e| e.to_string());
        match read.and_then(|t| graph::terraform::read_plan(&t)) {
            Ok(p) => planned = p,
            Err(e) => return refuse(format!("--terraform-plan {}: {e}", path.display())),
        }
    }
    let intents = match super::verify::optional(g) {
        Ok(i) => i,
        Err(e) => return refuse(e),
    };
    let estate = match super::read_or_load(g, args.snapshot.as_deref()).await {
        Ok(e) => e,
        Err(Ok(bad)) => return refuse(bad),
        Err(Err(e)) => return Err(e),
    };
    if let Some(e) = changes.iter().find_map(|c| c.check(&estate).err()) {
        return refuse(e);
    }
    let ix = Index::new(&estate);
    for f in &args.fail {
        match Change::fail(&ix, f) {
            Ok(c) => changes.push(c),
            Err(e) => return refuse(e),
        }
    }
    drop(ix);
    let mut from_plan = Vec::new();
    for (address, c) in std::mem::take(&mut planned.changes) {
        match c.check(&estate) {
            Ok(()) => {
                from_plan.push((address, change_text(&c)));
                changes.push(c);
            }
            // Said of the plan's resource, not of a --delete argument.
            Err(e) => {
                let why = match e.split_once(": ") {
                    Some((arg, why)) if arg.starts_with("--delete ") => why.to_string(),
                    _ => e,
                };
                planned.not_assessed.push((address, why))
            }
        }
    }
    let changed = whatif::apply(&estate, &changes);
    let w = whatif::compare(&estate, &changed, &changes);
    let before = crate::findings::evaluate(&estate);
    let after = crate::findings::evaluate(&changed);
    let (appear, clear) = whatif::findings_diff(&before, &after);
    // The declared intents, judged before and after.
    let intents_before = match crate::intent::verify(&Index::new(&estate), &intents) {
        Ok(b) => b,
        Err(e) => return refuse(e),
    };
    // After the change, an intent whose selector matches nothing any more (its rule deleted)
    // is broken, with why.
    let ix = Index::new(&changed);
    let intents_after: Vec<crate::intent::Outcome> = intents
        .iter()
        .map(
            |i| match crate::intent::verify(&ix, std::slice::from_ref(i)) {
                Ok(mut o) if !o.is_empty() => o.remove(0),
                Ok(_) | Err(_) => crate::intent::Outcome {
                    name: i.name.clone(),
                    state: crate::intent::State::Broken,
                    reason: crate::intent::verify(&ix, std::slice::from_ref(i))
                        .err()
                        .map(|e| format!("after the change, {e}"))
                        .unwrap_or_default(),
                    checks: Vec::new(),
                },
            },
        )
        .collect();
    drop(ix);
    let moved = crate::intent::changed(&intents_before, &intents_after);
    let breaks = moved
        .iter()
        .any(|(_, a)| a.state == crate::intent::State::Broken);
    let intent_json: Vec<serde_json::Value> = moved
        .iter()
        .map(|(b, a)| serde_json::json!({"name": a.name, "before": b.state, "after": a.state, "reason": a.reason}))
        .collect();
    let finding = |f: &&crate::findings::Finding| serde_json::json!({"code": f.code, "severity": f.severity, "title": f.title});
    let pairs = |v: &[(String, String)], k: &str| -> Vec<serde_json::Value> {
        v.iter()
            .map(|(a, why)| serde_json::json!({"address": a, k: why}))
            .collect()
    };
    match args.format {
        AccountsFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "lost": w.lost, "degraded": w.degraded, "cut": w.cut, "gained": w.gained,
                "dns_stops": w.dns_stops, "dns_resumes": w.dns_resumes,
                "findings_appear": appear.iter().map(finding).collect::<Vec<_>>(),
                "findings_clear": clear.iter().map(finding).collect::<Vec<_>>(),
                "intents": intent_json,
                "plan": {
                    "changes": pairs(&from_plan, "change"),
                    "unchanged": pairs(&planned.unchanged, "why"),
                    "not_assessed": pairs(&planned.not_assessed, "why"),
                },
            }))?
        ),
        AccountsFormat::Text => {
            let mut asked: Vec<String> = args
                .fail
                .iter()
                .map(|f| format!("--fail {f}"))
                .chain(args.delete.iter().map(|d| format!("--delete {d}")))
                .collect();
            if let Some(p) = &args.terraform_plan {
                asked.push(format!("--terraform-plan {}", p.display()));
            }
            println!("what-if {}", asked.join(" "));
            for (address, c) in &from_plan {
                println!("  plan: {address}: {c}");
            }
            if changes.is_empty() && planned.not_assessed.is_empty() {
                println!("  nothing changes: no change of the plan touches a path");
            } else if changes.is_empty() {
                println!(
                    "  paths: nothing assessed changes; {} change(s) not assessed (below)",
                    planned.not_assessed.len()
                );
            } else {
                let paths = w.lines();
                if paths.is_empty() {
                    println!("  paths: no VPC loses a working path or a prefix");
                }
                for l in paths {
                    println!("  {l}");
                }
                for l in whatif::finding_lines(&appear, &clear) {
                    println!("  {l}");
                }
                if appear.is_empty() && clear.is_empty() {
                    println!("  findings: none would appear or clear");
                }
                for (b, a) in &moved {
                    println!("  {}", crate::intent::change_line(b, a));
                }
            }
            for (address, why) in &planned.unchanged {
                println!("  unchanged: {address} ({why})");
            }
            for (address, why) in &planned.not_assessed {
                println!("  not assessed: {address}: {why}");
            }
        }
    }
    Ok(if breaks || w.lost.iter().any(|a| a.kind == "vpc") {
        3
    } else {
        0
    })
}

/// A change as the plan lines say it.
fn change_text(c: &graph::whatif::Change) -> String {
    use graph::whatif::Change;
    match c {
        Change::FailVif(id) => format!("delete VIF {id}"),
        Change::FailDx(id) => format!("fail {id}"),
        Change::DeleteTgwRoute {
            route_table_id,
            cidr,
        } => format!("delete TGW route {route_table_id}:{cidr}"),
        Change::DeleteVpcRoute {
            route_table_id,
            cidr,
        } => format!("delete route {route_table_id}:{cidr}"),
        Change::AddTgwRoute {
            route_table_id,
            cidr,
            attachment_id,
        } => format!(
            "add TGW route {route_table_id}:{cidr} → {}",
            attachment_id.as_deref().unwrap_or("blackhole")
        ),
        Change::DeletePeering(id) => format!("delete VPC peering {id}"),
        Change::DeleteAttachment(id) => format!("delete TGW attachment {id}"),
        Change::FailAttachment(id) => format!("fail TGW attachment {id}"),
        Change::FailVpn(id) => format!("fail VPN {id} (every tunnel DOWN)"),
        Change::DeleteAssociation {
            route_table_id,
            attachment_id,
        } => format!("disassociate {attachment_id} from {route_table_id}"),
        Change::DeletePropagation {
            route_table_id,
            attachment_id,
        } => format!("stop {attachment_id} propagating into {route_table_id}"),
        Change::DeleteDxgwAssociation {
            dx_gateway_id,
            gateway_id,
        } => format!("delete the association of DX gateway {dx_gateway_id} with {gateway_id}"),
        Change::AddAssociation {
            route_table_id,
            attachment_id,
        } => format!("associate {attachment_id} with {route_table_id}"),
        Change::AddPropagation {
            route_table_id,
            attachment_id,
        } => format!("propagate {attachment_id} into {route_table_id}"),
        Change::AddVpcRoute {
            route_table_id,
            cidr,
            target_id,
            ..
        } => format!("add route {route_table_id}:{cidr} → {target_id}"),
        Change::SetAllowedPrefixes {
            dx_gateway_id,
            gateway_id,
            prefixes,
        } => format!(
            "allowed prefixes of DX gateway {dx_gateway_id} with {gateway_id}: {}",
            prefixes.join(", ")
        ),
        Change::DeleteResolverRule(id) => format!("delete Resolver rule {id}"),
        Change::DeleteRuleAssociation { rule_id, vpc_id } => {
            format!("disassociate Resolver rule {rule_id} from {vpc_id}")
        }
    }
}
