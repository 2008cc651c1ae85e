//! Sending a planned call: the only place a mutating AWS request is built. It needs
//! write-capable clients, which exist only under `--write` (their retries are off: a change is
//! sent exactly once); the read-only guard on every client refuses mutating operations in any
//! case. One sender per family of [`Call`]; the operation named in an error is the call's own.

mod dx;
mod firewall;
mod peering;
mod resolver;
mod tgw;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_types::request_id::RequestId;
use crossconnect_core::calls::{Call, Outcome};

use crate::RegionClients;

/// Sends `call` once. With `dry_run` (EC2 calls only, see [`Call::dry_run`]) it carries
/// `DryRun=true`, and the error code `DryRunOperation` means it would succeed.
pub async fn send(c: &RegionClients, call: &Call, dry_run: bool) -> Outcome {
    let op = call.operation();
    match call {
        Call::Dx(x) => dx::send(c, op, x).await,
        Call::Peering(x) => peering::send(c, op, x, dry_run).await,
        Call::Tgw(x) => tgw::send(c, op, x, dry_run).await,
        Call::Resolver(x) => resolver::send(c, op, x).await,
        Call::Firewall(x) => firewall::send(c, op, x).await,
    }
}

/// The outcome of a call that failed: its AWS error code and message, and whether it may
/// still have been applied ([`crate::outcome_unknown`]).
fn failed<E>(op: &str, e: &SdkError<E, HttpResponse>) -> Outcome
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    let a = crate::api_error(op, e);
    Outcome {
        unknown: crate::outcome_unknown(e),
        request_id: e.request_id().map(str::to_string),
        ..Outcome::failed(&a.code, a.message)
    }
}

/// The outcome of a sent request: `ok` says what was done, `created` names the resource a
/// create call made (journaled with it).
fn answered<O: RequestId, E>(
    op: &str,
    r: Result<O, SdkError<E, HttpResponse>>,
    ok: impl FnOnce(&O) -> String,
    created: impl FnOnce(&O) -> Option<String>,
) -> Outcome
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    match r {
        Ok(out) => Outcome {
            created: created(&out),
            ..Outcome::ok(ok(&out), out.request_id())
        },
        Err(e) => failed(op, &e),
    }
}

/// [`answered`] for a call that creates nothing.
fn done<O: RequestId, E>(
    op: &str,
    r: Result<O, SdkError<E, HttpResponse>>,
    ok: impl FnOnce(&O) -> String,
) -> Outcome
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    answered(op, r, ok, |_| None)
}

/// The absolute path of a file just written (as given when it cannot be resolved).
pub fn full_path(path: &str) -> String {
    std::fs::canonicalize(path)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.to_string())
}
