//! The AWS read path: SDK clients per region, each SDK call converted into the model.
//! Every client carries the [`guard::OperationGuard`] interceptor: it records each operation
//! and, unless the session was started with `--write`, refuses any operation that is not a
//! Describe/List/Get/Search before it is signed or sent.

/// The core crate's model, as `crate::model` inside this crate.
pub(crate) use crossconnect_core::model;

pub mod accounts;
pub mod answer;
pub mod directconnect;
pub mod ec2;
mod ec2_edge;
pub mod engine;
pub mod exec;
pub mod firewall;
pub mod guard;
pub mod iam;
pub mod identity;
pub use iam::iam_read_actions;
pub mod cloudwan;
pub mod poll;
pub mod profiles;
pub mod resolver;
pub mod session;
pub mod telemetry;

use std::future::Future;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
pub use aws_types::SdkConfig;
use aws_types::region::Region;
use chrono::Utc;

use crate::model::{ApiError, Batch, ResourceKind, Timestamp, Update};
pub use guard::{OperationGuard, OperationLog, is_read_operation};

/// How long one request may take before it is given up (a write is one request: it is never
/// retried, so this is its deadline).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);

/// How to reach AWS: the standard aws-config chain (profiles, SSO, assume-role,
/// `AWS_ENDPOINT_URL*`, `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`), with optional overrides.
#[derive(Clone, Debug, Default)]
pub struct AwsOptions {
    /// Named profile (`--profile`, or AWS_PROFILE through aws-config).
    pub profile: Option<String>,
    /// Allow mutating operations (`--write`); without it the guard refuses them.
    pub allow_writes: bool,
    /// Endpoint for every service (tests); `AWS_ENDPOINT_URL*` are honoured without it.
    pub endpoint_url: Option<String>,
    /// Per-service endpoint overrides (tests): Direct Connect, EC2, Route 53 Resolver.
    pub dx_endpoint_url: Option<String>,
    pub ec2_endpoint_url: Option<String>,
    pub resolver_endpoint_url: Option<String>,
    /// Static credentials instead of the provider chain (tests against moto or fixtures).
    pub credentials: Option<aws_sdk_ec2::config::Credentials>,
    /// A credentials provider instead of the profile's: the assume-role provider of an
    /// organisation account (`--org-role`), which refreshes its session itself.
    pub provider: Option<aws_credential_types::provider::SharedCredentialsProvider>,
}

/// The SDK clients of one region of one account, all sharing one [`OperationGuard`].
#[derive(Clone, Debug)]
pub struct RegionClients {
    /// The account the credentials belong to (GetCallerIdentity); empty when unknown.
    pub account: String,
    pub region: String,
    pub dx: aws_sdk_directconnect::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub resolver: aws_sdk_route53resolver::Client,
    /// Route 53 Profiles, read with the Resolver (its endpoint override applies to both).
    pub profiles: aws_sdk_route53profiles::Client,
    /// Cloud WAN (Network Manager), read with EC2.
    pub networkmanager: aws_sdk_networkmanager::Client,
    pub cw: aws_sdk_cloudwatch::Client,
    /// EC2 calls go to a custom endpoint ([`ec2_endpoint_overridden`]), not AWS's own.
    pub ec2_custom_endpoint: bool,
    /// What this account's regions read once between them.
    pub shared: std::sync::Arc<engine::AccountReads>,
}

/// Loads the shared SDK configuration for one region.
///
/// - An explicit profile wins over credential environment variables, as in the AWS CLI: its
///   credentials come from the profile files only (static keys, SSO, `role_arn`, process).
/// - Retries: when the user set none (`AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`, the profile's
///   `max_attempts`/`retry_mode`), the SDK's adaptive mode with 3 attempts and back-off
///   capped at 5 s: a throttled answer also slows the sending of its retry partition (one
///   per account, region and service, see [`clients_from`]); otherwise aws-config's own
///   resolution of those settings stands.
pub async fn load_config(opts: &AwsOptions, region: Option<&str>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if !identity::user_set_retries(opts).await {
        loader = loader.retry_config(
            RetryConfig::adaptive()
                .with_max_attempts(3)
                .with_max_backoff(Duration::from_secs(5)),
        );
    }
    // A hung answer is bounded by the attempt timeout; the SDK's stalled-stream check adds
    // timers to every request, and on a process short of CPU it fails answers that were sent
    // on time but not read in time ("minimum throughput … 0 B/s").
    let mut loader = loader
        .stalled_stream_protection(
            aws_smithy_runtime_api::client::stalled_stream_protection::StalledStreamProtectionConfig::disabled(),
        )
        .timeout_config(
        TimeoutConfig::builder()
            .operation_attempt_timeout(ATTEMPT_TIMEOUT)
            .operation_timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(5))
            .build(),
    );
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
        if opts.credentials.is_none() {
            // The provider needs a region for the STS calls of role and SSO profiles: the
            // region being read, else the profile's own.
            let sts_region = match region {
                Some(r) => Some(Region::new(r.to_string())),
                None => {
                    use aws_config::meta::region::ProvideRegion;
                    aws_config::profile::ProfileFileRegionProvider::builder()
                        .profile_name(p)
                        .build()
                        .region()
                        .await
                }
            };
            let pc = aws_config::provider_config::ProviderConfig::default().with_region(sts_region);
            loader = loader.credentials_provider(
                aws_config::profile::ProfileFileCredentialsProvider::builder()
                    .configure(&pc)
                    .profile_name(p)
                    .build(),
            );
        }
    }
    loader = loader.http_client(engine::shared_http_client());
    if let Some(r) = region {
        loader = loader.region(Region::new(r.to_string()));
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(c) = &opts.credentials {
        loader = loader.credentials_provider(c.clone());
    }
    if let Some(p) = &opts.provider {
        loader = loader.credentials_provider(p.clone());
    }
    loader.load().await
}

/// Whether EC2 calls go somewhere other than AWS's own endpoints: an endpoint option,
/// `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_EC2`, or `endpoint_url` in the profile (global or in
/// its `services` section), as aws-config resolves them.
///
/// Workflows send their EC2 `DryRun` request while the plan is on screen only when this is
/// `false`: AWS honours `DryRun`, but emulators such as moto apply some of those requests.
pub fn ec2_endpoint_overridden(opts: &AwsOptions, config: &SdkConfig) -> bool {
    if opts.endpoint_url.is_some() || opts.ec2_endpoint_url.is_some() {
        return true;
    }
    if config.endpoint_url().is_some() {
        return true;
    }
    let key = aws_types::service_config::ServiceConfigKey::builder()
        .service_id("EC2")
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build();
    match (config.service_config(), key) {
        (Some(sc), Ok(key)) => sc.load_config(key).is_some(),
        _ => false,
    }
}

/// The regions to read: those given, else the one the aws-config chain resolves
/// (AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`).
///
/// Errors when none is given and none is configured.
pub async fn resolve_regions(
    opts: &AwsOptions,
    given: &[String],
) -> color_eyre::Result<Vec<String>> {
    identity::validate_regions(given)?;
    // A named profile that does not exist is the error to report, not the region it would
    // have given.
    if given.is_empty()
        && let Some(p) = &opts.profile
    {
        identity::check_profile(p).await?;
    }
    if !given.is_empty() {
        let mut v = given.to_vec();
        v.dedup();
        return Ok(v);
    }
    let cfg = load_config(opts, None).await;
    match cfg.region() {
        Some(r) => Ok(vec![r.to_string()]),
        None => Err(color_eyre::eyre::eyre!(
            "no AWS region: pass --region REGION (repeatable) or set AWS_REGION"
        )),
    }
}

/// Builds the clients of one region of one account with the guard installed, sending through
/// the session's [`engine::Limits`] (in-flight bounds, one connection pool) with a retry
/// partition of the account's own.
pub async fn region_clients(
    opts: &AwsOptions,
    account: &str,
    region: &str,
    guard: &OperationGuard,
    limits: &engine::Limits,
) -> RegionClients {
    let cfg = load_config(opts, Some(region)).await;
    clients_from(&cfg, opts, account, region, guard, limits)
}

/// The clients of one region from an account's loaded configuration (its credentials,
/// endpoints and retry settings), so an account's configuration is loaded once, not once per
/// region.
pub fn clients_from(
    cfg: &SdkConfig,
    opts: &AwsOptions,
    account: &str,
    region: &str,
    guard: &OperationGuard,
    limits: &engine::Limits,
) -> RegionClients {
    use crate::model::Service;
    use aws_sdk_ec2::config::retry::RetryPartition;
    let cfg = cfg
        .to_builder()
        .region(Region::new(region.to_string()))
        .build();
    let partition = |service: &str| RetryPartition::new(format!("{service}-{account}-{region}"));
    // A write-capable client sends each request exactly once: a mutating call the SDK retried
    // after a 500 or a dropped connection could be applied twice. (Reads go through the
    // read-only clients, which keep the configured retries.)
    let cfg = if guard.allow_writes {
        cfg.to_builder()
            .retry_config(RetryConfig::disabled())
            .build()
    } else {
        cfg
    };
    // Every client: its service's in-flight gate, its own retry partition, the read-only
    // guard and the answer check; an endpoint override where one is set.
    macro_rules! client {
        ($sdk:ident, $service:expr, $partition:literal, $endpoint:expr) => {{
            let mut b = $sdk::config::Builder::from(&cfg)
                .http_client(limits.gate(account, region, $service))
                .retry_partition(partition($partition))
                .interceptor(guard.clone())
                .interceptor(answer::AnswerCheck);
            if let Some(u) = $endpoint {
                b = b.endpoint_url(u);
            }
            $sdk::Client::from_conf(b.build())
        }};
    }
    let none: Option<&String> = None;
    RegionClients {
        account: account.to_string(),
        region: region.to_string(),
        cw: client!(aws_sdk_cloudwatch, Service::Telemetry, "cloudwatch", none),
        dx: client!(
            aws_sdk_directconnect,
            Service::DirectConnect,
            "directconnect",
            opts.dx_endpoint_url.as_ref()
        ),
        ec2: client!(
            aws_sdk_ec2,
            Service::Ec2,
            "ec2",
            opts.ec2_endpoint_url.as_ref()
        ),
        resolver: client!(
            aws_sdk_route53resolver,
            Service::Resolver,
            "route53resolver",
            opts.resolver_endpoint_url.as_ref()
        ),
        profiles: client!(
            aws_sdk_route53profiles,
            Service::Resolver,
            "route53profiles",
            opts.resolver_endpoint_url.as_ref()
        ),
        networkmanager: client!(aws_sdk_networkmanager, Service::Ec2, "networkmanager", none),
        ec2_custom_endpoint: ec2_endpoint_overridden(opts, &cfg),
        shared: limits.account_reads(account),
    }
}

/// Converts an SDK error into the model's [`ApiError`]: the AWS error code and message for
/// service errors, a client-side kind (`TimeoutError`, `DispatchFailure`, `ResponseError`,
/// `ConstructionFailure`) otherwise. Never formats the SDK output itself.
/// Whether a failed call may still have been applied by AWS: the request may have reached it
/// and the answer was lost or was a server error (a timeout, a connection dropped, an answer
/// that could not be read, HTTP 5xx). A mutating call that fails so has an unknown outcome:
/// it must be checked by reading the target, never sent again by itself.
pub fn outcome_unknown<E>(err: &SdkError<E, HttpResponse>) -> bool
where
    E: std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(se) => se.raw().status().is_server_error(),
        SdkError::TimeoutError(_) | SdkError::ResponseError(_) => true,
        // Refused before a connection was made: nothing was sent.
        SdkError::DispatchFailure(_) => !error_chain(err)
            .to_ascii_lowercase()
            .contains("connection refused"),
        SdkError::ConstructionFailure(_) => false,
        _ => true,
    }
}

pub fn api_error<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> ApiError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let (code, message) = match err {
        SdkError::ServiceError(se) => {
            let status = se.raw().status();
            let code = match se.err().code() {
                Some(c) => c.to_string(),
                // A 2xx the SDK could not parse, or an error without an AWS error code
                // (a proxy's or emulator's HTML page).
                None if status.is_success() => "ResponseError".to_string(),
                None => format!("HTTP{}", status.as_u16()),
            };
            let message = se
                .err()
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| format!("unparsable answer: {}", error_chain(se.err())));
            (code, message)
        }
        SdkError::TimeoutError(_) => ("TimeoutError".into(), error_chain(err)),
        SdkError::DispatchFailure(_) => ("DispatchFailure".into(), error_chain(err)),
        SdkError::ResponseError(r) => (
            if error_chain(err).contains("truncated answer") {
                "TruncatedAnswer".into()
            } else {
                "ResponseError".into()
            },
            format!(
                "unparsable answer (HTTP {}){}",
                r.raw().status().as_u16(),
                std::error::Error::source(err)
                    .map(|s| format!(": {s}"))
                    .unwrap_or_default()
            ),
        ),
        SdkError::ConstructionFailure(_) => {
            let msg = error_chain(err);
            let code = if msg.contains(guard::REFUSED_MARKER) {
                "RefusedReadOnly"
            } else {
                "ConstructionFailure"
            };
            (code.into(), msg)
        }
        _ => ("UnknownError".into(), error_chain(err)),
    };
    // Error contexts can quote the raw response (which may hold BGP keys): scrub and bound.
    ApiError {
        operation: operation.to_string(),
        code,
        message: crate::model::secret::scrub(&message, 600),
    }
}

/// The `Display` of an error and of each of its sources, joined with `: ` — readable in a pane,
/// unlike `DisplayErrorContext`, which appends the whole `Debug` form. A source whose text the
/// message so far already contains is skipped.
pub(crate) fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !text.is_empty() && !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// Follows `next_token` pages (for the Direct Connect calls, which have no paginators).
///
/// `fetch(token)` returns one page and the next token. Stops at the last page, or when a
/// token repeats (a broken server), or after 10 000 pages.
pub async fn collect_pages<T, E, F, Fut>(mut fetch: F) -> Result<Vec<T>, E>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), E>>,
{
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..10_000 {
        let (page, next) = fetch(token.clone()).await?;
        items.extend(page);
        match next.filter(|t| !t.is_empty()) {
            Some(n) if Some(&n) != token.as_ref() => token = Some(n),
            _ => break,
        }
    }
    Ok(items)
}

/// Turns one call's result into an update for its kind.
pub(crate) fn into_update<T, E>(
    region: &str,
    at: Timestamp,
    operation: &str,
    result: Result<Vec<T>, SdkError<E, HttpResponse>>,
    wrap: fn(Vec<T>) -> Batch,
    kind: ResourceKind,
) -> Update
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match result {
        Ok(items) => Update::ok(region, at, wrap(items)),
        Err(e) => {
            let err = api_error(operation, &e);
            tracing::warn!(region, operation, code = %err.code, "AWS call failed");
            Update::err(region, kind, at, err)
        }
    }
}

/// Every item of a paginated request, all its pages, or the first error (an async
/// expression's value).
macro_rules! all_items {
    ($req:expr) => {
        $req.into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
    };
}
pub(crate) use all_items;

/// Reads every page of a paginated list call into one [`crate::model::Update`] of a kind:
/// `fetch_all!(region, request, "Operation", convert_fn, Kind)` (an async expression's value).
macro_rules! fetch_all {
    ($region:expr, $req:expr, $op:literal, $convert:expr, $kind:ident) => {{
        let r = crate::all_items!($req);
        crate::into_update(
            $region,
            chrono::Utc::now(),
            $op,
            r.map(|v| v.iter().map($convert).collect()),
            crate::model::Batch::$kind,
            crate::model::ResourceKind::$kind,
        )
    }};
}
pub(crate) use fetch_all;

/// A read that yields some updates.
pub(crate) type Reads<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Vec<Update>> + Send + 'a>>;

/// Runs independent reads of one service at once and emits each one's updates as soon as it
/// is done, so the first answers reach the screen while slower calls are still out.
pub(crate) async fn run_reads(reads: Vec<Reads<'_>>, emit: &mut (dyn FnMut(Update) + Send)) {
    use futures_util::StreamExt;
    let mut pending: futures_util::stream::FuturesUnordered<_> = reads.into_iter().collect();
    while let Some(updates) = pending.next().await {
        for u in updates {
            emit(u);
        }
    }
}

/// Runs `fetch` for each parent, at most [`engine::FAN_OUT`] at once, keeping the parents'
/// order; the first error ends the fan-out.
pub(crate) async fn fan_out<P, T, E, F, Fut>(parents: &[P], fetch: F) -> Result<Vec<T>, E>
where
    F: Fn(&P) -> Fut,
    Fut: Future<Output = Result<Vec<T>, E>>,
{
    use futures_util::StreamExt;
    let results: Vec<Result<Vec<T>, E>> = futures_util::stream::iter(parents.iter().map(fetch))
        .buffered(engine::FAN_OUT)
        .collect()
        .await;
    let mut out = Vec::new();
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

/// SDK timestamp → model timestamp.
pub fn ts(dt: Option<&aws_smithy_types::DateTime>) -> Option<Timestamp> {
    dt.and_then(|d| chrono::DateTime::from_timestamp(d.secs(), d.subsec_nanos()))
}

/// RFC 3339 string (Resolver) → model timestamp.
pub fn ts_str(s: Option<&str>) -> Option<Timestamp> {
    s.and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.with_timezone(&Utc))
}

/// `Some(String)` for a non-empty optional str.
/// An SDK enum's value as AWS spells it (`available`, `OPERATIONAL`, …), or `unknown` when
/// the answer had none.
pub fn state_str<S: From<String>, T: AsRef<str>>(v: Option<&T>) -> S {
    S::from(v.map_or("unknown", |s| s.as_ref()).to_string())
}

pub fn opt(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_override_is_detected_from_options_and_config() {
        let plain = SdkConfig::builder().build();
        assert!(!ec2_endpoint_overridden(&AwsOptions::default(), &plain));
        let global = SdkConfig::builder()
            .endpoint_url("http://127.0.0.1:5000")
            .build();
        assert!(ec2_endpoint_overridden(&AwsOptions::default(), &global));
        let ec2_only = AwsOptions {
            ec2_endpoint_url: Some("http://127.0.0.1:5000".into()),
            ..Default::default()
        };
        assert!(ec2_endpoint_overridden(&ec2_only, &plain));
        let dx_only = AwsOptions {
            dx_endpoint_url: Some("http://127.0.0.1:5000".into()),
            ..Default::default()
        };
        assert!(
            !ec2_endpoint_overridden(&dx_only, &plain),
            "EC2 still goes to AWS"
        );
    }

    #[tokio::test]
    async fn collect_pages_follows_tokens_and_stops_on_repeat() {
        let pages = collect_pages(|t: Option<String>| async move {
            Ok::<_, ()>(match t.as_deref() {
                None => (vec![1, 2], Some("a".to_string())),
                Some("a") => (vec![3], Some("b".to_string())),
                _ => (vec![4], None),
            })
        })
        .await
        .unwrap();
        assert_eq!(pages, vec![1, 2, 3, 4]);
        let looping = collect_pages(|_t: Option<String>| async move {
            Ok::<_, ()>((vec![1], Some("same".to_string())))
        })
        .await
        .unwrap();
        assert_eq!(looping, vec![1, 1]);
    }
}
