//! `journal` and `apply`: the change journal for auditors, and sending a plan written with
//! `--plan-out` once its target is checked again.

use chrono::Utc;
use color_eyre::eyre::{Result, eyre};

use super::{aws_scope, clients, poll_estate};
use crate::aws::OperationGuard;
use crate::cli::GlobalArgs;
use crate::workflows::exec::JournalContext;

/// `crossconnect journal`: the change journal as text, JSON or CSV.
pub fn journal(
    g: &GlobalArgs,
    since: Option<&str>,
    format: crate::cli::EventsFormat,
) -> Result<i32> {
    use crate::cli::EventsFormat;
    let path = g
        .journal
        .clone()
        .unwrap_or_else(crate::workflows::journal::default_path);
    let j = crate::workflows::journal::read_journal(&path).map_err(|e| eyre!(e))?;
    let since = since
        .map(|s| crate::history::store::parse_since(s, Utc::now()))
        .transpose()
        .map_err(|e| eyre!(e))?;
    let changes: Vec<_> = j
        .changes
        .iter()
        .filter(|c| {
            since.is_none_or(|t| {
                chrono::DateTime::parse_from_rfc3339(&c.time).is_ok_and(|at| at >= t)
            })
        })
        .collect();
    for s in &j.skipped {
        eprintln!("crossconnect: journal {}: {s}", path.display());
    }
    match format {
        EventsFormat::Json => println!("{}", serde_json::to_string_pretty(&changes)?),
        EventsFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                "time",
                "outcome",
                "operation",
                "account",
                "region",
                "target",
                "created_id",
                "profile",
                "caller_arn",
                "host",
                "request_id",
                "error_code",
                "error_message",
            ])?;
            for c in &changes {
                let o = |v: &Option<String>| v.clone().unwrap_or_default();
                w.write_record([
                    c.time.clone(),
                    c.outcome.clone(),
                    c.operation.clone(),
                    o(&c.account),
                    c.region.clone(),
                    o(&c.target),
                    o(&c.created_id),
                    o(&c.profile),
                    o(&c.caller_arn),
                    o(&c.host),
                    o(&c.request_id),
                    o(&c.error_code),
                    o(&c.error_message),
                ])?;
            }
            w.flush()?;
        }
        EventsFormat::Text => {
            if changes.is_empty() {
                eprintln!("crossconnect: no change in {}", path.display());
            }
            for c in &changes {
                let mut line = format!(
                    "{} {:<15} {} {} {}",
                    c.time,
                    c.outcome,
                    c.operation,
                    c.region,
                    c.target.as_deref().unwrap_or("-")
                );
                if let Some(id) = &c.created_id {
                    line.push_str(&format!(" created {id}"));
                }
                if let Some(who) = c.caller_arn.as_deref().or(c.profile.as_deref()) {
                    line.push_str(&format!(" by {who}"));
                }
                if let Some(h) = &c.host {
                    line.push_str(&format!(" on {h}"));
                }
                if let Some(m) = &c.error_message {
                    line.push_str(&format!(" — {}", c.error_code.as_deref().unwrap_or("")));
                    line.push_str(&format!(" {m}"));
                }
                println!("{line}");
            }
        }
    }
    Ok(0)
}

/// `crossconnect apply FILE`: sends a plan written with `--plan-out`, once, if its target is
/// still as it was read when the plan was made.
pub async fn apply(
    g: &GlobalArgs,
    settings: &crate::config::Settings,
    file: &std::path::Path,
) -> Result<i32> {
    use crate::workflows::planfile;
    let pf = planfile::read(file).map_err(|e| eyre!(e))?;
    if let Some(why) = settings.changes.refuses(Utc::now(), g.ticket.as_deref()) {
        return Err(eyre!("apply {}: {why}", file.display()));
    }
    if !g.write {
        return Err(eyre!(
            "apply sends a change: start it with --write (the plan {} was read; nothing was sent)",
            file.display()
        ));
    }
    if g.demo {
        return Err(eyre!("the demo estate cannot be changed: nothing was sent"));
    }
    let journal_path = super::writable_journal(g)?;
    let g = GlobalArgs {
        regions: vec![pf.region.clone()],
        ..g.clone()
    };
    // The target read again, with the read-only clients.
    let (estate, _) = poll_estate(&g).await?;
    let scope = aws_scope(&g).await?;
    let changed = pf.changed(&estate);
    if !changed.is_empty() {
        eprintln!(
            "crossconnect: apply {}: the target changed since the plan was made — nothing was sent:",
            file.display()
        );
        for c in &changed {
            eprintln!("  {c}");
        }
        return Ok(1);
    }
    let plan = crate::workflows::impact::annotate(pf.plan(&estate).map_err(|e| eyre!(e))?, &estate);
    let declared = super::verify::optional(&g).map_err(|e| eyre!("intents: {e}"))?;
    let plan = crate::workflows::impact::annotate_intents(plan, &estate, &declared);
    println!(
        "{} in {} ({})",
        pf.operation,
        pf.region,
        pf.account.as_deref().unwrap_or("?")
    );
    for (k, v) in &plan.params() {
        println!("  {k}  {v}");
    }
    for w in &plan.warnings {
        println!("  ⚠ {w}");
    }
    let write = clients(
        &scope,
        &OperationGuard {
            allow_writes: true,
            ..Default::default()
        },
    )
    .await;
    let Some(c) = write
        .iter()
        .find(|c| c.region == pf.region && pf.account.as_ref().is_none_or(|a| *a == c.account))
    else {
        return Err(eyre!(
            "no credentials reach account {} in {}: nothing was sent",
            pf.account.as_deref().unwrap_or("?"),
            pf.region
        ));
    };
    let ctx = JournalContext {
        path: journal_path,
        profile: Some(super::journal_profile(&g)),
        account: pf.account.clone(),
        callers: scope.callers(),
        host: hostname(),
        ticket: g.ticket.clone(),
    };
    let outcome = crate::workflows::exec::execute(c, &plan, &ctx).await;
    if outcome.success {
        println!("✓ {}", outcome.message);
        Ok(0)
    } else if outcome.unknown {
        eprintln!("crossconnect: ? {}", outcome.message);
        Ok(8)
    } else {
        eprintln!(
            "crossconnect: ✗ {}: {}",
            outcome.code.as_deref().unwrap_or("error"),
            outcome.message
        );
        Ok(1)
    }
}

/// This machine's name (for the journal), when the system says it.
pub(crate) fn hostname() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
}
