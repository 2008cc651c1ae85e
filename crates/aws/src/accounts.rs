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

/// Accounts whose roles are assumed at once while resolving an organisation.
const ASSUME_AT_ONCE: usize = 16;

/// The accounts to read (see the module docs), in order: the profiles, then the
/// organisation's other accounts by id.
///
/// Errors when nothing can be read: one profile (or the default chain) whose credentials fail
/// is refused in one line naming it and the fix, as before; a failed ListAccounts names the
/// call and what it needs.
pub async fn resolve(base: &AwsOptions, args: &AccountArgs, region: &str) -> Result<Vec<Reach>> {
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
    let mut out: Vec<Reach> = Vec::new();
    for (who, given, opts, r) in futures_util::future::join_all(checks).await {
        let via = match &given {
            Some(p) => format!("profile {p}"),
            None if who == "default" => "default credential chain".to_string(),
            None => format!("profile {who} (AWS_PROFILE)"),
        };
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
    if let Some(role) = &args.org_role {
        organisation(&mut out, role, &args.only, region).await?;
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

/// Adds the organisation's accounts to `out`, assuming `role` in each with the credentials of
/// the first account that can be read.
async fn organisation(
    out: &mut Vec<Reach>,
    role: &str,
    only: &[String],
    region: &str,
) -> Result<()> {
    let Some(caller) = out.iter().find(|r| r.opts.is_some()).cloned() else {
        return Err(eyre!(
            "--org-role {role}: no credentials to list the organisation with"
        ));
    };
    let caller_opts = caller.opts.clone().unwrap_or_default();
    let cfg = super::load_config(&caller_opts, Some(region)).await;
    let org = aws_sdk_organizations::Client::new(&cfg);
    let pages = org
        .list_accounts()
        .into_paginator()
        .send()
        .collect::<Vec<_>>()
        .await;
    let mut listed = Vec::new();
    for page in pages {
        let page = page.map_err(|e| {
            let err = super::api_error("ListAccounts", &e);
            eyre!(
                "--org-role {role}: organizations ListAccounts failed ({}: {}): it needs the credentials of the management account or a delegated administrator ({})",
                err.code,
                err.message,
                caller.account.via
            )
        })?;
        listed.extend(page.accounts().iter().cloned());
    }
    let active: Vec<(String, String)> = listed
        .iter()
        .filter(|a| {
            #[allow(deprecated)]
            let status = a.status().map(|s| s.as_str());
            a.state()
                .map(|s| s.as_str() == "ACTIVE")
                .unwrap_or(status == Some("ACTIVE"))
        })
        .filter_map(|a| {
            Some((
                a.id()?.to_string(),
                a.name().unwrap_or_default().to_string(),
            ))
        })
        .filter(|(id, _)| only.is_empty() || only.contains(id))
        .collect();
    for id in only {
        if !active.iter().any(|(a, _)| a == id) {
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
    let partition = partition(region);
    let mut todo = Vec::new();
    for (id, name) in active {
        if let Some(known) = out.iter_mut().find(|r| r.account.id == id) {
            // Already read through a profile: keep its credentials, take the org's name.
            if !name.is_empty() {
                known.account.name = name;
            }
            continue;
        }
        todo.push((id, name));
    }
    let assumed = futures_util::stream::iter(todo.into_iter().map(|(id, name)| {
        let arn = format!("arn:{partition}:iam::{id}:role/{role}");
        let cfg = cfg.clone();
        let caller_opts = caller_opts.clone();
        async move {
            let provider = aws_config::sts::AssumeRoleProvider::builder(&arn)
                .session_name("crossconnect")
                .configure(&cfg)
                .build()
                .await;
            let got =
                tokio::time::timeout(Duration::from_secs(10), provider.provide_credentials()).await;
            let error = match got {
                Ok(Ok(_)) => None,
                Ok(Err(e)) => Some(format!(
                    "sts AssumeRole {arn} failed: {}",
                    crate::model::secret::scrub(&error_chain(&e), 300)
                )),
                Err(_) => Some(format!("sts AssumeRole {arn}: no answer within 10 s")),
            };
            let opts = error.is_none().then(|| AwsOptions {
                provider: Some(SharedCredentialsProvider::new(provider)),
                credentials: None,
                ..caller_opts
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
    }))
    .buffered(ASSUME_AT_ONCE)
    .collect::<Vec<_>>()
    .await;
    out.extend(assumed);
    Ok(())
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

    #[test]
    fn partitions() {
        assert_eq!(partition("eu-west-2"), "aws");
        assert_eq!(partition("cn-north-1"), "aws-cn");
        assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
    }
}
