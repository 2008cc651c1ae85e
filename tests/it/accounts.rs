//! Several accounts, as a user runs them: assume-role profiles in an `AWS_CONFIG_FILE`, an
//! organisation read through `--org-role`, a cross-account peering, and an account whose role
//! cannot be assumed. moto keeps state per account: what is created with credentials assumed
//! into account X belongs to X.

use crate::cli::{bin, run, text};
use crate::common::*;

use aws_sdk_ec2::config::Credentials;
use serde_json::Value;
use wiremock::matchers::{body_string_contains, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The account moto gives the static test keys.
const CALLER: &str = "123456789012";

/// A fresh 12-digit account id, so runs against a long-lived moto never meet each other.
pub(crate) fn fresh_account() -> String {
    let n = uuid::Uuid::new_v4().as_u128() % 900_000_000_000 + 100_000_000_000;
    n.to_string()
}

/// The SDK config of `account` at moto: credentials from sts AssumeRole into it.
pub(crate) async fn config_in(moto: &str, account: &str) -> aws_types::SdkConfig {
    let base = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_types::region::Region::new(REGION))
        .endpoint_url(moto)
        .credentials_provider(Credentials::for_tests())
        .load()
        .await;
    if account == CALLER {
        return base;
    }
    let creds = aws_sdk_sts::Client::new(&base)
        .assume_role()
        .role_arn(format!("arn:aws:iam::{account}:role/setup"))
        .role_session_name("setup")
        .send()
        .await
        .unwrap()
        .credentials()
        .cloned()
        .unwrap();
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_types::region::Region::new(REGION))
        .endpoint_url(moto)
        .credentials_provider(Credentials::new(
            creds.access_key_id(),
            creds.secret_access_key(),
            Some(creds.session_token().to_string()),
            None,
            "moto",
        ))
        .load()
        .await
}

/// An `AWS_CONFIG_FILE` / credentials file pair: profile `base` with the static test keys,
/// and one assume-role profile per `(name, account)`.
pub(crate) fn profile_files(
    dir: &std::path::Path,
    roles: &[(&str, &str)],
) -> (std::path::PathBuf, std::path::PathBuf) {
    let mut config = format!("[profile base]\nregion = {REGION}\n");
    for (name, account) in roles {
        config.push_str(&format!(
            "\n[profile {name}]\nregion = {REGION}\nrole_arn = arn:aws:iam::{account}:role/reader\nsource_profile = base\n"
        ));
    }
    let cfg = dir.join("config");
    let cred = dir.join("credentials");
    std::fs::write(&cfg, config).unwrap();
    std::fs::write(
        &cred,
        "[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n",
    )
    .unwrap();
    (cfg, cred)
}

/// `crossconnect snapshot --format json ARGS…` with these profile files, EC2 and STS at moto and
/// Direct Connect at the fixture server; its JSON (a partial read, exit 2, is still a read).
async fn snapshot_json(
    args: &[&str],
    files: (std::path::PathBuf, std::path::PathBuf),
    moto: &str,
    dx: &str,
) -> Value {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (moto, dx) = (moto.to_string(), dx.to_string());
    let out = tokio::task::spawn_blocking(move || {
        run(bin()
            .args(["snapshot", "--format", "json"])
            .args(&args)
            .env("AWS_CONFIG_FILE", &files.0)
            .env("AWS_SHARED_CREDENTIALS_FILE", &files.1)
            .env("AWS_ENDPOINT_URL", &moto)
            .env("AWS_ENDPOINT_URL_DIRECT_CONNECT", &dx)
            .env("AWS_MAX_ATTEMPTS", "1"))
    })
    .await
    .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "{}",
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The snapshot's scope entries (one per account and region) by account id.
fn entries<'a>(v: &'a Value, account: &str) -> Vec<&'a Value> {
    v["regions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["account"] == account)
        .collect()
}

/// Every resource object of the snapshot with the scope entry it is in.
fn all_items(v: &Value) -> Vec<(&Value, &Value)> {
    let mut out = Vec::new();
    for entry in v["regions"].as_array().unwrap() {
        for (k, area) in entry.as_object().unwrap() {
            if let Some(kinds) = area.as_object().filter(|_| k != "region") {
                for items in kinds.values() {
                    for i in items.as_array().into_iter().flatten() {
                        out.push((entry, i));
                    }
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn two_profiles_one_assuming_a_role_list_both_accounts_and_a_cross_account_peering_once() {
    let Some(moto) = moto_url() else { return };
    let fixture = fixture_server(&[]).await;
    let b = fresh_account();
    // Account A is the static keys' account; B is reached by assuming a role.
    let ec2_a = aws_sdk_ec2::Client::new(&config_in(&moto, CALLER).await);
    let ec2_b = aws_sdk_ec2::Client::new(&config_in(&moto, &b).await);
    let vpc_a = create_vpc(&ec2_a, "10.61.0.0/16").await;
    let vpc_b = create_vpc(&ec2_b, "10.62.0.0/16").await;
    let pcx = create_peering_to(&ec2_a, &vpc_a, &vpc_b, Some(&b)).await;

    let dir = tempfile::tempdir().unwrap();
    let files = profile_files(dir.path(), &[("workload", &b)]);
    let v = snapshot_json(
        &["--profile", "base", "--profile", "workload"],
        files,
        &moto,
        &fixture.uri(),
    )
    .await;
    let accounts = v["scope"]["accounts"].as_array().unwrap();
    let ids: Vec<&str> = accounts.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![CALLER, b.as_str()], "{accounts:?}");
    assert!(accounts.iter().all(|a| a["read"] == true), "{accounts:?}");
    assert_eq!(accounts[1]["name"], "workload");

    // Each account's own VPC, under its own account.
    let has_vpc = |account: &str, vpc: &str| {
        entries(&v, account).iter().any(|e| {
            e["vpc_peering"]["vpcs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == vpc && x["account"] == account)
        })
    };
    assert!(has_vpc(CALLER, &vpc_a), "A's VPC in A");
    assert!(has_vpc(&b, &vpc_b), "B's VPC in B");
    assert!(!has_vpc(CALLER, &vpc_b), "B's VPC is not A's");

    // Every resource object carries the account of the scope it was read in.
    let items = all_items(&v);
    assert!(items.len() > 4);
    for (entry, item) in &items {
        assert_eq!(item["account"], entry["account"], "{item}");
    }

    // The cross-account peering: listed once, with both accounts.
    let peerings: Vec<&Value> = items
        .iter()
        .map(|(_, i)| *i)
        .filter(|i| i["id"] == pcx.as_str())
        .collect();
    assert_eq!(peerings.len(), 1, "joined, not duplicated: {peerings:?}");
    assert_eq!(peerings[0]["requester"]["owner_id"], CALLER);
    assert_eq!(peerings[0]["accepter"]["owner_id"], b.as_str());

    // `accounts` lists both as read.
    let out = tokio::task::spawn_blocking({
        let moto = moto.clone();
        let (cfg, cred) = (dir.path().join("config"), dir.path().join("credentials"));
        move || {
            run(bin()
                .args(["accounts", "--profile", "base", "--profile", "workload"])
                .env("AWS_CONFIG_FILE", &cfg)
                .env("AWS_SHARED_CREDENTIALS_FILE", &cred)
                .env("AWS_ENDPOINT_URL", &moto))
        }
    })
    .await
    .unwrap();
    let listing = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{listing}{}", text(&out.stderr));
    assert!(listing.contains(&b) && listing.contains("workload") && listing.contains("read"));
}

/// Creates an organisation managed by `management` with `n` member accounts; returns their ids.
async fn organisation(moto: &str, management: &str, n: usize) -> Vec<String> {
    let org = aws_sdk_organizations::Client::new(&config_in(moto, management).await);
    if let Err(e) = org.create_organization().send().await {
        // A long-lived moto may have it already.
        let code = aws_smithy_types::error::metadata::ProvideErrorMetadata::code(&e);
        assert_eq!(code, Some("AlreadyInOrganizationException"), "{e:?}");
    }
    let mut ids = Vec::new();
    for i in 0..n {
        let s = org
            .create_account()
            .account_name(format!("member-{i}"))
            .email(format!("member-{i}-{}@example.com", uuid::Uuid::new_v4()))
            .send()
            .await
            .unwrap();
        ids.push(
            s.create_account_status()
                .and_then(|s| s.account_id())
                .unwrap()
                .to_string(),
        );
    }
    ids
}

#[tokio::test]
async fn org_role_reads_every_member_account_with_its_own_resources() {
    let Some(moto) = moto_url() else { return };
    let fixture = fixture_server(&[]).await;
    let management = fresh_account();
    let members = organisation(&moto, &management, 2).await;
    let ec2_m0 = aws_sdk_ec2::Client::new(&config_in(&moto, &members[0]).await);
    let vpc = create_vpc(&ec2_m0, "10.71.0.0/16").await;

    let dir = tempfile::tempdir().unwrap();
    let files = profile_files(dir.path(), &[("mgmt", &management)]);
    let v = snapshot_json(
        &["--profile", "mgmt", "--org-role", "Reader"],
        files,
        &moto,
        &fixture.uri(),
    )
    .await;
    let accounts = v["scope"]["accounts"].as_array().unwrap();
    for id in std::iter::once(&management).chain(&members) {
        let a = accounts
            .iter()
            .find(|a| a["id"] == id.as_str())
            .unwrap_or_else(|| panic!("{id} missing from {accounts:?}"));
        assert_eq!(a["read"], true, "{a}");
    }
    let member = accounts
        .iter()
        .find(|a| a["id"] == members[0].as_str())
        .unwrap();
    assert_eq!(member["name"], "member-0", "the organisation's name");
    assert!(member["via"].as_str().unwrap().contains(":role/Reader"));
    let in_member = entries(&v, &members[0]);
    assert!(
        in_member.iter().any(|e| e["vpc_peering"]["vpcs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == vpc.as_str() && x["account"] == members[0].as_str())),
        "the member's VPC under the member"
    );
    assert!(
        entries(&v, &members[1])
            .iter()
            .all(|e| !e["vpc_peering"]["vpcs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == vpc.as_str())),
        "not under the other member"
    );
}

#[tokio::test]
async fn an_account_whose_role_cannot_be_assumed_is_listed_not_read_and_the_others_go_on() {
    let Some(moto) = moto_url() else { return };
    // STS answers as AWS would for a caller that may not assume the role.
    let sts = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=GetCallerIdentity"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::{CALLER}:user/oncall</Arn><UserId>AIDAEXAMPLE</UserId><Account>{CALLER}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"),
            "text/xml",
        ))
        .mount(&sts)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=AssumeRole"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/oncall is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>r2</RequestId></ErrorResponse>",
            "text/xml",
        ))
        .mount(&sts)
        .await;
    let members = organisation(&moto, CALLER, 1).await;
    let dir = tempfile::tempdir().unwrap();
    let (cfg, cred) = profile_files(dir.path(), &[]);
    let out = tokio::task::spawn_blocking({
        let (moto, sts) = (moto.clone(), sts.uri());
        move || {
            run(bin()
                .args(["accounts", "--profile", "base", "--org-role", "Reader"])
                .env("AWS_CONFIG_FILE", &cfg)
                .env("AWS_SHARED_CREDENTIALS_FILE", &cred)
                .env("AWS_ENDPOINT_URL", &moto)
                .env("AWS_ENDPOINT_URL_STS", &sts)
                .env("AWS_MAX_ATTEMPTS", "1"))
        }
    })
    .await
    .unwrap();
    let listing = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{listing}{}", text(&out.stderr));
    let line = |id: &str| {
        listing
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} not listed:\n{listing}"))
            .to_string()
    };
    assert!(
        line(CALLER).contains(" read "),
        "the caller is read: {listing}"
    );
    let member = line(&members[0]);
    assert!(
        member.contains("NOT READ") && member.contains("AccessDenied"),
        "names the reason: {member}"
    );
}
