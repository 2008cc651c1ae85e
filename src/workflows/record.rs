//! The journal lines of a change: its intent, its outcome (with who sent it, the created
//! resource and the call that undoes it), and how an unknown outcome was resolved.

use chrono::Utc;

use super::Outcome;
use super::Plan;
use super::journal::{self, JournalEntry};
use std::path::PathBuf;

/// Who is making changes, for the journal.
#[derive(Clone, Debug, Default)]
pub struct JournalContext {
    pub path: PathBuf,
    pub profile: Option<String>,
    pub account: Option<String>,
    /// Who sends the changes, per account id (sts GetCallerIdentity's ARN, or the role
    /// assumed in it).
    pub callers: std::collections::BTreeMap<String, String>,
    /// The machine the change was sent from.
    pub host: Option<String>,
    /// The change ticket (`--ticket`).
    pub ticket: Option<String>,
}

/// Journals how a change whose outcome was unknown turned out, as reading its target again
/// showed: outcome `success` (it was applied) or `not-applied`.
pub fn resolve(plan: &Plan, ctx: &JournalContext, applied: bool) {
    let outcome = Outcome {
        success: applied,
        message: format!(
            "outcome resolved by reading the target again: {}",
            if applied { "applied" } else { "not applied" }
        ),
        ..Default::default()
    };
    let mut line = entry(plan, ctx, journal::OUTCOME, Some(&outcome));
    if !applied {
        line.outcome = "not-applied".into();
    }
    if let Err(e) = journal::append(&ctx.path, &line) {
        tracing::error!(path = %ctx.path.display(), "cannot write the journal: {e}");
    }
}

/// One journal line of a plan: its intent (`phase` [`journal::INTENT`], outcome `pending`), or
/// its outcome.
pub(super) fn entry(
    plan: &Plan,
    ctx: &JournalContext,
    phase: &str,
    outcome: Option<&Outcome>,
) -> JournalEntry {
    let (result, code, message, request_id) = match outcome {
        None => ("pending".to_string(), None, None, None),
        Some(o) => (
            match (o.success, o.unknown) {
                (true, _) => "success",
                (false, true) => journal::UNKNOWN,
                (false, false) => "error",
            }
            .to_string(),
            o.code.clone().filter(|_| !o.success),
            (!o.success).then(|| o.message.clone()),
            o.request_id.clone(),
        ),
    };
    let target = if plan.confirm_with.is_empty() {
        plan.params().into_iter().next().map(|(_, v)| v)
    } else {
        Some(plan.confirm_with.clone())
    };
    JournalEntry {
        time: Utc::now().to_rfc3339(),
        phase: phase.into(),
        profile: ctx.profile.clone(),
        caller_arn: plan
            .account
            .as_ref()
            .or(ctx.account.as_ref())
            .and_then(|a| ctx.callers.get(a))
            .or_else(|| ctx.callers.values().next())
            .cloned(),
        host: ctx.host.clone(),
        ticket: ctx.ticket.clone(),
        // What undoes a change that was made.
        undo: outcome
            .filter(|o| o.success)
            .and_then(|o| plan.call.undo(o.created.as_deref())),
        created_id: outcome.and_then(|o| o.created.clone()),
        account: plan.account.clone().or_else(|| ctx.account.clone()),
        region: plan.region.clone(),
        operation: format!("{}:{}", plan.service(), plan.operation()),
        parameters: plan.params().into_iter().collect(),
        outcome: result,
        error_code: code,
        error_message: message,
        request_id,
        intent: plan.intent.id.clone(),
        client_token: plan.call.client_token().map(str::to_string),
        target,
    }
}

/// Appends the outcome line of a change (synced before this returns) and says in the outcome
/// whether that worked. `as_outcome` overrides the recorded outcome (`dry-run-refused`).
pub(super) fn record(
    plan: &Plan,
    ctx: &JournalContext,
    outcome: Outcome,
    as_outcome: Option<&str>,
) -> Outcome {
    let mut entry = entry(plan, ctx, journal::OUTCOME, Some(&outcome));
    if let Some(o) = as_outcome {
        entry.outcome = o.into();
    }
    if let Err(e) = journal::append(&ctx.path, &entry) {
        tracing::error!(path = %ctx.path.display(), "cannot write the journal: {e}");
        return Outcome {
            unknown: outcome.unknown,
            created: outcome.created,
            success: outcome.success,
            code: outcome.code,
            message: format!(
                "{} — BUT the journal could not be written to {}: {e}",
                outcome.message,
                ctx.path.display()
            ),
            request_id: outcome.request_id,
            journaled: false,
        };
    }
    tracing::info!(operation = plan.operation(), region = %plan.region, success = outcome.success, "workflow executed");
    Outcome {
        journaled: true,
        ..outcome
    }
}
