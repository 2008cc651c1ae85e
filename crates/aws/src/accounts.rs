//! Which accounts a session reads, and with which credentials.
//!
//! - Each `--profile` is one account, resolved through aws-config exactly as the AWS CLI
//!   would (static keys, SSO, `role_arn` + `source_profile`, `credential_process`); its id
//!   comes from sts GetCallerIdentity.
//! - `--org-role ROLE`: with the first profile's credentials (or the default chain), the
//!   organisation's ACTIVE accounts (organizations ListAccounts, paged), each read by assuming
//!   `arn:aws:iam::<id>:role/ROLE` through aws-config's assume-role provider, which refreshes
//!   its session itself. The caller's own account is read with the caller's credentials.
//!   `--accounts ID,…` narrows the list.
//!
//! An account that cannot be reached (a role that cannot be assumed, a profile whose
//! credentials fail when several are given) is kept, not read, with the reason; the others go
//! on.

use std::time::Duration;

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use color_eyre::eyre::{Result, eyre};
use futures_util::StreamExt;

use super::{AwsOptions, error_chain, identity};
use crate::model::Account;

/// Where the accounts of a session come from (`--profile`, `--org-role`, `--accounts`, or the
/// config file's `[scope]`).
#[derive(Clone, Debug, Default)]
pub struct AccountArgs {
    /// Named profiles, one account each; none: the default chain (AWS_PROFILE, environment).
    pub profiles: Vec<String>,
    /// Role name to assume in each organisation account.
    pub org_role: Option<String>,
    /// Only these account ids (of the organisation); empty: all.
    pub only: Vec<String>,
}

/// One account in scope and how to reach it: `opts` is `None` when it cannot be read (the
/// reason is in `account.error`).
#[derive(Clone, Debug)]
pub struct Reach {
    pub account: Account,
    pub opts: Option<AwsOptions>,
    /// Who the account is read (and changed) as: the caller's ARN (sts GetCallerIdentity) for
    /// a profile, the role assumed for an organisation's account.
    pub caller_arn: Option<String>,
}

/// Accounts whose roles are assumed at once while resolving an organisation (sts answers
/// hundreds of requests a second per account).
const ASSUME_AT_ONCE: usize = 100;

/// The accounts to read (see the module docs), in order: the profiles, then the
/// organisation's other accounts by id.
///
/// Errors when nothing can be read: one profile (or the default chain) whose credentials fail
/// is refused in one line naming it and the fix, as before; a failed ListAccounts names the
/// call and what it needs.
pub async fn resolve(base: &AwsOptions, args: &AccountArgs, region: &str) -> Result<Vec<Reach>> {
    resolve_as_ready(base, args, region, None).await
}

/// Where an account that can be read is sent as soon as it can ([`resolve_as_ready`]).
pub type Ready = tokio::sync::mpsc::UnboundedSender<Reach>;

/// [`resolve`], sending each account that can be read to `ready` as soon as it can be (a
/// profile once checked, an organisation's account once its role is assumed), so its reads
/// can start while the organisation is still being listed.
pub async fn resolve_as_ready(
    base: &AwsOptions,
    args: &AccountArgs,
    region: &str,
    ready: Option<Ready>,
) -> Result<Vec<Reach>> {
    let profiles: Vec<Option<String>> = if args.profiles.is_empty() {
        vec![base.profile.clone()]
    } else {
        args.profiles.iter().cloned().map(Some).collect()
    };
    let several = profiles.len() > 1 || args.org_role.is_some();
    let checks = profiles.iter().map(|p| {
        let opts = AwsOptions {
            profile: p.clone(),
            ..base.clone()
        };
        async move {
            let who = identity::selected_profile(&opts);
            let r = identity::preflight(&opts, region).await;
            (who, p.clone(), opts, r)
        }
    });
    // The organisation is listed with the first profile's credentials while the profiles are
    // checked (GetCallerIdentity): one round trip for both; its roles are assumed once the
    // accounts read through profiles are known.
    let (known_tx, known_rx) = tokio::sync::watch::channel(None);
    let first = AwsOptions {
        profile: profiles[0].clone(),
        ..base.clone()
    };
    let checked = async {
        let checks = futures_util::future::join_all(checks).await;
        let out = profile_reaches(checks, several);
        let ids = match &out {
            Ok(out) => out.iter().map(|r| r.account.id.clone()).collect(),
            Err(_) => Vec::new(),
        };
        let _ = known_tx.send(Some(ids));
        for r in out.iter().flatten().filter(|r| r.opts.is_some()) {
            if let Some(tx) = &ready {
                let _ = tx.send(r.clone());
            }
        }
        out
    };
    let listing = async {
        match &args.org_role {
            Some(role) => {
                let (first, role, only) = (first.clone(), role.clone(), args.only.clone());
                let (region, ready) = (region.to_string(), ready.clone());
                let org = apart(async move {
                    organisation(&first, &role, &only, &region, known_rx, ready).await
                });
                Some(org.await.and_then(|listed| listed))
            }
            None => None,
        }
    };
    let (out, listed) = futures_util::join!(checked, listing);
    let mut out = out?;
    if let (Some(role), Some(listed)) = (&args.org_role, listed) {
        // The first profile could not be read: list with the first that can.
        let listed = match (listed, out.iter().find(|r| r.opts.is_some())) {
            (Err(_), Some(caller)) if caller.account.name != identity::selected_profile(&first) => {
                let known = out.iter().map(|r| r.account.id.clone()).collect();
                let caller = caller.opts.clone().unwrap_or_default();
                let (_tx, rx) = tokio::sync::watch::channel(Some(known));
                organisation(&caller, role, &args.only, region, rx, ready).await
            }
            (Err(_), None) => Err(eyre!(
                "--org-role {role}: no credentials to list the organisation with"
            )),
            (listed, _) => listed,
        };
        join_organisation(&mut out, listed?, &args.only);
    }
    if out.iter().all(|r| r.opts.is_none()) {
        let why: Vec<String> = out
            .iter()
            .map(|r| {
                format!(
                    "{}: {}",
                    r.account.name,
                    r.account.error.as_deref().unwrap_or("?")
                )
            })
            .collect();
        return Err(eyre!("no account can be read: {}", why.join("; ")));
    }
    Ok(out)
}

/// Runs `work` on a thread of its own, with a runtime and an HTTP connection pool of its own.
///
/// The organisation's listing paces when its accounts become readable: each page of
/// ListAccounts, then each AssumeRole. On the process's runtime its answers would wait behind
/// the tasks of the accounts already being polled (hundreds, on two cores), and every page
/// after the first would come later; on its own thread it runs as soon as an answer is in.
async fn apart<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("organisation".into())
        .spawn(move || {
            match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => {
                    let _ = tx.send(Ok(rt.block_on(work)));
                }
                Err(e) => {
                    let _ = tx.send(Err(eyre!("cannot start the organisation's listing: {e}")));
                }
            }
        })
        .map_err(|e| eyre!("cannot start the organisation's listing: {e}"))?;
    rx.await
        .map_err(|_| eyre!("the organisation's listing stopped"))?
}

/// One start-up check per profile (or the default chain): who it is, the profile given, its
/// options and GetCallerIdentity's answer.
type Check = (
    String,
    Option<String>,
    AwsOptions,
    Result<identity::Identity>,
);

/// The accounts the profiles reach, in order, one per account; with `several` (more than one
/// profile, or an organisation), a profile that fails is kept with its reason, else its error
/// is the answer.
fn profile_reaches(checks: Vec<Check>, several: bool) -> Result<Vec<Reach>> {
    let mut out: Vec<Reach> = Vec::new();
    for (who, given, opts, r) in checks {
        let via = via_of(&given, &who);
        match r {
            Ok(id) => {
                let caller_arn = id.arn.clone();
                let id = id.account.unwrap_or_default();
                if !id.is_empty() && out.iter().any(|x| x.account.id == id) {
                    tracing::warn!(profile = %who, account = %id, "two profiles reach one account: read once");
                    continue;
                }
                out.push(Reach {
                    account: Account {
                        id,
                        name: who,
                        via,
                        error: None,
                    },
                    opts: Some(opts),
                    caller_arn,
                });
            }
            Err(e) if !several => return Err(e),
            Err(e) => out.push(Reach {
                account: Account {
                    id: String::new(),
                    name: who,
                    via,
                    error: Some(e.to_string()),
                },
                opts: None,
                caller_arn: None,
            }),
        }
    }
    Ok(out)
}

/// How an account given by a profile (`given`, or the default chain resolving to `who`) is
/// reached, as the accounts table says it.
fn via_of(given: &Option<String>, who: &str) -> String {
    match given {
        Some(p) => format!("profile {p}"),
        None if who == "default" => "default credential chain".to_string(),
        None => format!("profile {who} (AWS_PROFILE)"),
    }
}

/// What listing an organisation gave: its ACTIVE accounts (id, name) in listing order, and
/// the accounts whose role was assumed (or could not be), by id.
struct Listed {
    active: Vec<(String, String)>,
    assumed: Vec<Reach>,
}

/// Adds the organisation's accounts to `out` (those read through a profile keep their
/// credentials and take the organisation's name), and an unreadable entry for each `--accounts`
/// id that is not an ACTIVE account of it.
fn join_organisation(out: &mut Vec<Reach>, listed: Listed, only: &[String]) {
    for id in only {
        if !listed.active.iter().any(|(a, _)| a == id) {
            out.push(Reach {
                account: Account {
                    id: id.clone(),
                    name: id.clone(),
                    via: format!("--accounts {id}"),
                    error: Some("not an ACTIVE account of the organisation (ListAccounts)".into()),
                },
                opts: None,
                caller_arn: None,
            });
        }
    }
    for (id, name) in &listed.active {
        if let Some(known) = out.iter_mut().find(|r| r.account.id == *id)
            && !name.is_empty()
        {
            known.account.name = name.clone();
        }
    }
    let mut assumed = listed.assumed;
    assumed.retain(|a| !out.iter().any(|r| r.account.id == a.account.id));
    assumed.sort_by(|a, b| a.account.id.cmp(&b.account.id));
    out.extend(assumed);
}

/// Lists the organisation (organizations ListAccounts, paged) with `caller`'s credentials and
/// assumes `role` in each ACTIVE account as its page arrives, once `known` says which accounts
/// are read through profiles already (those are not assumed).
///
/// Errors when ListAccounts fails, naming the call and what it needs.
async fn organisation(
    caller: &AwsOptions,
    role: &str,
    only: &[String],
    region: &str,
    mut known: tokio::sync::watch::Receiver<Option<Vec<String>>>,
    ready: Option<Ready>,
) -> Result<Listed> {
    // Its own connection pool: a connection of the shared pool is driven by a task of the
    // runtime that opened it, and this listing runs on a thread of its own ([`apart`]).
    let cfg = super::load_config(caller, Some(region))
        .await
        .into_builder()
        .http_client(super::engine::http_client(ASSUME_AT_ONCE))
        .build();
    let org = aws_sdk_organizations::Client::new(&cfg);
    let via = via_of(&caller.profile, &identity::selected_profile(caller));
    let mut pages = org.list_accounts().into_paginator().send();
    let mut listed = Listed {
        active: Vec::new(),
        assumed: Vec::new(),
    };
    let mut waiting: Vec<(String, String)> = Vec::new();
    let mut assuming = futures_util::stream::FuturesUnordered::new();
    let at_once = std::sync::Arc::new(tokio::sync::Semaphore::new(ASSUME_AT_ONCE));
    let mut known_ids: Option<Vec<String>> = None;
    let mut listing = true;
    while listing || !assuming.is_empty() || !waiting.is_empty() {
        if let Some(ids) = &known_ids {
            for (id, name) in waiting.drain(..).filter(|(id, _)| !ids.contains(id)) {
                let at_once = at_once.clone();
                let (cfg, caller) = (cfg.clone(), caller.clone());
                let arn = format!("arn:{}:iam::{id}:role/{role}", partition(region));
                assuming.push(async move {
                    let _permit = at_once.acquire_owned().await;
                    assume(&cfg, caller, arn, id, name).await
                });
            }
        }
        tokio::select! {
            page = pages.next(), if listing => match page {
                None => listing = false,
                Some(Err(e)) => {
                    let err = super::api_error("ListAccounts", &e);
                    return Err(eyre!(
                        "--org-role {role}: organizations ListAccounts failed ({}: {}): it needs the credentials of the management account or a delegated administrator ({via})",
                        err.code,
                        err.message,
                    ));
                }
                Some(Ok(page)) => {
                    let active = page.accounts().iter().filter(|a| {
                        #[allow(deprecated)]
                        let status = a.status().map(|s| s.as_str());
                        a.state()
                            .map(|s| s.as_str() == "ACTIVE")
                            .unwrap_or(status == Some("ACTIVE"))
                    });
                    let active = active.filter_map(|a| {
                        Some((a.id()?.to_string(), a.name().unwrap_or_default().to_string()))
                    });
                    for (id, name) in active.filter(|(id, _)| only.is_empty() || only.contains(id)) {
                        listed.active.push((id.clone(), name.clone()));
                        waiting.push((id, name));
                    }
                }
            },
            ids = known.wait_for(|k| k.is_some()), if known_ids.is_none() => {
                known_ids = Some(match ids {
                    Ok(ids) => ids.clone().unwrap_or_default(),
                    Err(_) => Vec::new(),
                });
            }
            Some(reach) = assuming.next(), if !assuming.is_empty() => {
                if let (Some(tx), Some(_)) = (&ready, &reach.opts) {
                    let _ = tx.send(reach.clone());
                }
                listed.assumed.push(reach);
            }
            // Nothing left to list and the profiles are not checked yet: wait for them.
            else => {}
        }
    }
    Ok(listed)
}

/// Assumes `arn` in account `id` once (the start-up check); the account's reads use those
/// credentials first ([`Primed`]).
async fn assume(
    cfg: &aws_types::SdkConfig,
    caller: AwsOptions,
    arn: String,
    id: String,
    name: String,
) -> Reach {
    let provider = aws_config::sts::AssumeRoleProvider::builder(&arn)
        .session_name("crossconnect")
        .configure(cfg)
        .build()
        .await;
    let got = tokio::time::timeout(Duration::from_secs(10), provider.provide_credentials()).await;
    let (error, first) = match got {
        Ok(Ok(c)) => (None, Some(c)),
        Ok(Err(e)) => (
            Some(format!(
                "sts AssumeRole {arn} failed: {}",
                crate::model::secret::scrub(&error_chain(&e), 300)
            )),
            None,
        ),
        Err(_) => (
            Some(format!("sts AssumeRole {arn}: no answer within 10 s")),
            None,
        ),
    };
    let opts = error.is_none().then(|| AwsOptions {
        provider: Some(SharedCredentialsProvider::new(Primed {
            held: tokio::sync::Mutex::new(first),
            inner: provider,
        })),
        credentials: None,
        ..caller
    });
    Reach {
        account: Account {
            id: id.clone(),
            name: if name.is_empty() { id } else { name },
            via: format!("role {arn}"),
            error,
        },
        opts,
        caller_arn: Some(arn),
    }
}

/// An assume-role provider that keeps the credentials it got (first those of the start-up
/// check) until five minutes before they expire, and assumes the role again only then, once
/// for every client and request of the account that asks at the same time.
#[derive(Debug)]
struct Primed<P = aws_config::sts::AssumeRoleProvider> {
    held: tokio::sync::Mutex<Option<aws_credential_types::Credentials>>,
    inner: P,
}

impl<P: ProvideCredentials> ProvideCredentials for Primed<P> {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::new(async move {
            let mut held = self.held.lock().await;
            let soon = std::time::SystemTime::now() + Duration::from_secs(300);
            if let Some(c) = held
                .as_ref()
                .filter(|c| c.expiry().is_none_or(|e| e > soon))
            {
                return Ok(c.clone());
            }
            let fresh = self.inner.provide_credentials().await?;
            *held = Some(fresh.clone());
            Ok(fresh)
        })
    }
}

/// The partition of a region (`aws`, `aws-cn`, `aws-us-gov`).
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A role that counts how often it is assumed; its credentials expire after `lasts`.
    #[derive(Debug)]
    struct Counting {
        calls: std::sync::atomic::AtomicUsize,
        lasts: Duration,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials<'a>(
            &'a self,
        ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            aws_credential_types::provider::future::ProvideCredentials::new(async move {
                self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::task::yield_now().await;
                Ok(creds(self.lasts))
            })
        }
    }

    fn creds(lasts: Duration) -> aws_credential_types::Credentials {
        let expiry = std::time::SystemTime::now() + lasts;
        aws_credential_types::Credentials::new("AKID", "secret", None, Some(expiry), "test")
    }

    async fn assumed(first: Option<Duration>, lasts: Duration, asks: usize) -> usize {
        let p = std::sync::Arc::new(Primed {
            held: tokio::sync::Mutex::new(first.map(creds)),
            inner: Counting {
                calls: Default::default(),
                lasts,
            },
        });
        let asks = (0..asks).map(|_| {
            let p = p.clone();
            tokio::spawn(async move { p.provide_credentials().await.is_ok() })
        });
        for ok in futures_util::future::join_all(asks).await {
            assert!(ok.unwrap());
        }
        p.inner.calls.load(std::sync::atomic::Ordering::SeqCst)
    }

    #[tokio::test]
    async fn a_role_is_assumed_once_for_every_client_that_asks() {
        let hour = Duration::from_secs(3600);
        // The start-up check's credentials serve every client: no second AssumeRole.
        assert_eq!(assumed(Some(hour), hour, 20).await, 0);
        // Without them, twenty clients asking at once assume the role once.
        assert_eq!(assumed(None, hour, 20).await, 1);
        // Credentials about to expire are not handed out: the role is assumed again, once.
        assert_eq!(assumed(Some(Duration::from_secs(60)), hour, 20).await, 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_listing_goes_on_while_the_callers_runtime_is_busy() {
        // The work signals when it has run; the caller's one thread is then blocked, as a
        // runtime full of polls keeps it busy. On the caller's runtime the work would never
        // run and the wait would time out.
        let (tx, rx) = std::sync::mpsc::channel();
        let work = apart(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let _ = tx.send(());
            std::thread::current().name().map(str::to_string)
        });
        let mut work = Box::pin(work);
        // Start it (the thread is spawned on the first poll).
        assert!(futures_util::poll!(&mut work).is_pending());
        assert!(rx.recv_timeout(Duration::from_secs(10)).is_ok());
        assert_eq!(work.await.unwrap().as_deref(), Some("organisation"));
    }

    #[test]
    fn partitions() {
        assert_eq!(partition("eu-west-2"), "aws");
        assert_eq!(partition("cn-north-1"), "aws-cn");
        assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
    }
}
