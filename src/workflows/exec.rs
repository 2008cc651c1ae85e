//! Execution of a confirmed plan: the intent journaled first, the EC2 `DryRun` verdict, the
//! call sent once by the AWS layer ([`crate::aws::exec::send`]), and its outcome journaled.
//! It needs write-capable clients, which `run` builds only under `--write`.

use super::Plan;
use super::journal;
pub use super::record::{JournalContext, resolve};
use super::record::{entry, record};
use crate::aws::RegionClients;
pub use crate::aws::exec::full_path;
/// Sends a call once (the AWS crate's sender).
pub use crate::aws::exec::send as run;
pub use crate::calls::Outcome;

/// Executes a confirmed plan and journals it (flushed to disk before this returns), unless
/// it is the LOA download (a read).
///
/// EC2 calls go first with `DryRun`; the real call follows only the `DryRunOperation`
/// verdict. An endpoint that ignores `DryRun` (some emulators) applies that first request:
/// it is then the change, reported and journaled as such, and nothing is sent again.
pub async fn execute(c: &RegionClients, plan: &Plan, ctx: &JournalContext) -> Outcome {
    // Written ahead: no mutating request (not even its DryRun, which an emulator may apply)
    // goes before its intent is on disk.
    if plan.call.mutating()
        && let Err(e) = journal::append(&ctx.path, &entry(plan, ctx, journal::INTENT, None))
    {
        tracing::error!(path = %ctx.path.display(), "cannot write the journal: {e}");
        return Outcome::failed(
            "JournalUnwritable",
            format!(
                "the change journal {} cannot be written ({e}): nothing was sent",
                ctx.path.display()
            ),
        );
    }
    let outcome = if plan.dry_run() {
        let verdict = run(c, &plan.call, true).await;
        match verdict.code.as_deref() {
            Some("DryRunOperation") => run(c, &plan.call, false).await,
            None if verdict.success => Outcome {
                message: format!(
                    "{} (the endpoint ignored DryRun and applied the request; it was not sent again)",
                    verdict.message
                ),
                ..verdict
            },
            // The dry run itself failed after reaching the endpoint (a 500, a dropped
            // connection): an endpoint that ignores DryRun may have applied it. Nothing more
            // is sent; the outcome is unknown until the target is read again.
            _ if verdict.unknown => {
                let unknown = Outcome {
                    message: format!(
                        "outcome unknown — the DryRun request failed after it reached the endpoint ({}: {}); nothing else was sent: check the target before trying again",
                        verdict.code.as_deref().unwrap_or("?"),
                        verdict.message
                    ),
                    ..verdict
                };
                return record(plan, ctx, unknown, None);
            }
            _ => {
                let refused = Outcome {
                    request_id: verdict.request_id,
                    code: verdict.code,
                    ..Outcome::failed(
                        "",
                        format!("dry run refused, nothing was changed: {}", verdict.message),
                    )
                };
                return record(plan, ctx, refused, Some("dry-run-refused"));
            }
        }
    } else {
        run(c, &plan.call, false).await
    };
    let outcome = if outcome.unknown && plan.call.mutating() {
        Outcome {
            message: format!(
                "outcome unknown — {} failed after the request reached AWS ({}: {}); it was sent once and NOT retried: the tables are read again now, check the target before trying again",
                plan.operation(),
                outcome.code.as_deref().unwrap_or("?"),
                outcome.message
            ),
            ..outcome
        }
    } else {
        outcome
    };
    if plan.call.mutating() {
        return record(plan, ctx, outcome, None);
    }
    outcome
}

/// The plan-time dry run of an EC2 call, sent while the plan is on screen (only against AWS's
/// own endpoints; see [`crate::app::Session::dry_run_in_plan`]). AWS answers
/// `DryRunOperation` when the call would succeed, or the error it would fail with. Should the
/// endpoint apply the request anyway, that is a change: it is journaled and reported so.
pub async fn dry_run(c: &RegionClients, plan: &Plan, ctx: &JournalContext) -> Outcome {
    let verdict = run(c, &plan.call, true).await;
    if verdict.success {
        let applied = Outcome {
            message: format!(
                "{} (the endpoint ignored DryRun and applied the request)",
                verdict.message
            ),
            ..verdict
        };
        if let Err(e) = journal::append(&ctx.path, &entry(plan, ctx, journal::INTENT, None)) {
            tracing::error!(path = %ctx.path.display(), "cannot write the journal: {e}");
        }
        return record(plan, ctx, applied, None);
    }
    verdict
}
