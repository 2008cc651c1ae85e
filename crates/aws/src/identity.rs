//! Start-up checks, done once before any poll: the regions are real region names, the named
//! profile exists, its credentials resolve, and whose account they are (sts
//! GetCallerIdentity, which needs no IAM permission). A broken profile is refused in one line
//! that names it and what to do, instead of thirty per-call credential errors.

use std::time::Duration;

use aws_credential_types::provider::ProvideCredentials;
use aws_runtime::env_config::file::EnvConfigFiles as ProfileFiles;
use aws_types::os_shim_internal::{Env, Fs};
use color_eyre::eyre::{Result, eyre};

use super::AwsOptions;

/// Who the session reads as.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// The 12-digit account id (GetCallerIdentity), when STS answered.
    pub account: Option<String>,
    /// The caller's ARN (GetCallerIdentity).
    pub arn: Option<String>,
}

/// Whether a string is shaped like an AWS region name (`us-east-1`, `us-gov-west-1`,
/// `eu-isoe-west-1`, `ap-southeast-2`).
pub fn is_region_name(s: &str) -> bool {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$").expect("static regex")
    });
    RE.is_match(s)
}

/// The AWS regions (commercial, GovCloud, China, European Sovereign Cloud) as of this release.
/// A newer one can be allowed with `CROSSCONNECT_EXTRA_REGIONS=name,name`.
pub const KNOWN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eusc-de-east-1",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// Whether a region name is one AWS has (or one the user allowed).
pub fn is_known_region(s: &str) -> bool {
    KNOWN_REGIONS.contains(&s)
        || std::env::var("CROSSCONNECT_EXTRA_REGIONS")
            .is_ok_and(|v| v.split(',').any(|x| x.trim() == s))
}

/// Refuses region values that are not region names or not regions AWS has, and an
/// `AWS_REGION` set but empty — in one line naming the value.
pub fn validate_regions(given: &[String]) -> Result<()> {
    for r in given {
        if !is_region_name(r) {
            return Err(eyre!(
                "--region {r:?} is not a region (expected a name like us-east-1 or eu-west-2)"
            ));
        }
        if !is_known_region(r) {
            return Err(eyre!(
                "--region {r:?}: no such AWS region (a region newer than this crossconnect can be allowed with CROSSCONNECT_EXTRA_REGIONS={r})"
            ));
        }
    }
    if given.is_empty() {
        for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let Ok(v) = std::env::var(var) {
                if v.trim().is_empty() {
                    return Err(eyre!(
                        "{var} is set but empty: set it to a region (e.g. us-east-1) or pass --region"
                    ));
                }
                if !is_region_name(v.trim()) {
                    return Err(eyre!(
                        "{var}={v:?} is not a region (expected e.g. us-east-1)"
                    ));
                }
                break;
            }
        }
    }
    Ok(())
}

/// The profile files as aws-config reads them (`AWS_CONFIG_FILE`,
/// `AWS_SHARED_CREDENTIALS_FILE`, `~/.aws/config`, `~/.aws/credentials`).
///
/// Read once per file location: start-up asks several questions of them (does the profile
/// exist, does it set retries, is it SSO) for every region.
async fn profile_set() -> Option<aws_config::profile::ProfileSet> {
    // (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, HOME) → what they hold.
    type Key = (Option<String>, Option<String>, Option<String>);
    type Cache = Option<(Key, Option<aws_config::profile::ProfileSet>)>;
    static CACHE: std::sync::Mutex<Cache> = std::sync::Mutex::new(None);
    let key = (
        std::env::var("AWS_CONFIG_FILE").ok(),
        std::env::var("AWS_SHARED_CREDENTIALS_FILE").ok(),
        std::env::var("HOME").ok(),
    );
    if let Ok(c) = CACHE.lock()
        && let Some((k, set)) = c.as_ref()
        && *k == key
    {
        return set.clone();
    }
    let set = aws_config::profile::load(&Fs::real(), &Env::real(), &ProfileFiles::default(), None)
        .await
        .ok();
    if let Ok(mut c) = CACHE.lock() {
        *c = Some((key, set.clone()));
    }
    set
}

/// The profile aws-config would use: `--profile`, else `AWS_PROFILE`, else `default`.
pub fn selected_profile(opts: &AwsOptions) -> String {
    opts.profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
        .unwrap_or_else(|| "default".into())
}

/// Whether the user set retry behaviour themselves (`AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`, or
/// the profile's `max_attempts` / `retry_mode`): then aws-config's resolution stands and
/// crossconnect's default retry settings do not apply.
pub async fn user_set_retries(opts: &AwsOptions) -> bool {
    let env = ["AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()));
    if env {
        return true;
    }
    let name = selected_profile(opts);
    profile_set().await.is_some_and(|set| {
        set.get_profile(&name)
            .is_some_and(|p| p.get("max_attempts").is_some() || p.get("retry_mode").is_some())
    })
}

/// Checks that a named profile exists in the profile files; the error names the profile, the
/// files and the profiles that do exist.
pub async fn check_profile(name: &str) -> Result<()> {
    let files = || {
        let cfg = std::env::var("AWS_CONFIG_FILE").unwrap_or_else(|_| "~/.aws/config".into());
        let cred = std::env::var("AWS_SHARED_CREDENTIALS_FILE")
            .unwrap_or_else(|_| "~/.aws/credentials".into());
        format!("{cfg} or {cred}")
    };
    let Some(set) = profile_set().await else {
        return Err(eyre!(
            "profile {name:?}: the AWS profile files cannot be read ({}): run `aws configure --profile {name}`",
            files()
        ));
    };
    if set.get_profile(name).is_some() {
        return Ok(());
    }
    let mut known: Vec<&str> = set.profiles().collect();
    known.sort();
    let known = if known.is_empty() {
        "there are none".to_string()
    } else {
        format!("known: {}", known.join(", "))
    };
    Err(eyre!(
        "profile {name:?} is not in {} ({known}): run `aws configure --profile {name}` or pick another --profile",
        files()
    ))
}

/// Whether a profile signs in through IAM Identity Center (SSO).
async fn is_sso(name: &str) -> bool {
    profile_set().await.is_some_and(|set| {
        set.get_profile(name)
            .is_some_and(|p| p.get("sso_session").is_some() || p.get("sso_start_url").is_some())
    })
}

/// Resolves the credentials once and asks STS whose they are. Fails, in one line naming the
/// profile and the fix, when the profile is missing or its credentials cannot be had. An STS
/// endpoint that does not answer (an emulator without STS) leaves the account unknown rather
/// than failing.
pub async fn preflight(opts: &AwsOptions, region: &str) -> Result<Identity> {
    if opts.credentials.is_none()
        && let Some(p) = &opts.profile
    {
        check_profile(p).await?;
    }
    let cfg = super::load_config(opts, Some(region)).await;
    let who = match &opts.profile {
        Some(p) => format!("profile {p:?}"),
        None => match std::env::var("AWS_PROFILE") {
            Ok(p) if !p.is_empty() => format!("profile {p:?} (AWS_PROFILE)"),
            _ => "the default credential chain".to_string(),
        },
    };
    let fix = |name: &str, sso: bool| {
        if sso {
            format!("run `aws sso login --profile {name}`")
        } else {
            format!("check the profile's keys or role (`aws configure --profile {name}`)")
        }
    };
    let name = selected_profile(opts);
    let sso = is_sso(&name).await;
    let Some(provider) = cfg.credentials_provider() else {
        return Err(eyre!("{who}: no credentials provider: {}", fix(&name, sso)));
    };
    match tokio::time::timeout(Duration::from_secs(8), provider.provide_credentials()).await {
        Err(_) => {
            return Err(eyre!(
                "{who}: credentials did not resolve within 8 s: {}",
                fix(&name, sso)
            ));
        }
        Ok(Err(e)) => {
            let why = super::error_chain(&e);
            let expired = why.to_lowercase().contains("expired") || why.contains("token");
            return Err(eyre!(
                "{who}: no usable credentials ({}): {}",
                crate::model::secret::scrub(&why, 200),
                fix(&name, sso || expired)
            ));
        }
        Ok(Ok(_)) => {}
    }
    let sts = aws_sdk_sts::Client::new(&cfg);
    match tokio::time::timeout(Duration::from_secs(5), sts.get_caller_identity().send()).await {
        Ok(Ok(out)) => Ok(Identity {
            account: out.account().map(str::to_string),
            arn: out.arn().map(str::to_string),
        }),
        Ok(Err(e)) => {
            let err = super::api_error("GetCallerIdentity", &e);
            let auth = [
                "InvalidClientTokenId",
                "ExpiredToken",
                "SignatureDoesNotMatch",
                "UnrecognizedClientException",
                "AccessDenied",
            ];
            if auth.contains(&err.code.as_str()) {
                return Err(eyre!(
                    "{who}: AWS refused the credentials ({}: {}): {}",
                    err.code,
                    err.message,
                    fix(&name, sso || err.code == "ExpiredToken")
                ));
            }
            tracing::warn!(code = %err.code, "GetCallerIdentity failed; account unknown");
            Ok(Identity::default())
        }
        Err(_) => {
            tracing::warn!("GetCallerIdentity did not answer within 5 s; account unknown");
            Ok(Identity::default())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for ok in [
            "us-east-1",
            "eu-central-1",
            "ap-southeast-2",
            "us-gov-west-1",
            "eu-isoe-west-1",
        ] {
            assert!(is_region_name(ok), "{ok}");
        }
        for bad in [
            "",
            "not a region",
            "us-east",
            "US-EAST-1",
            "us_east_1",
            "useast1",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
        assert!(validate_regions(&["nope".into()]).is_err());
    }
}
