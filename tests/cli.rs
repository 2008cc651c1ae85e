//! The binary as a user runs it.

mod common;

use std::process::{Command, Output};

use common::*;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_crossconnect"));
    let home = std::env::temp_dir().join("crossconnect-cli-test-home");
    c.env("HOME", &home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true");
    c
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn run(c: &mut Command) -> Output {
    c.output().expect("runs")
}

#[test]
fn demo_snapshot_json_covers_every_area() {
    let out = run(bin().args(["snapshot", "--demo", "--format", "json"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["source"], "demo");
    let regions = v["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 2);
    for area in ["direct_connect", "vpc_peering", "transit_gateway", "resolver", "dns_firewall"] {
        let n: usize = regions.iter().map(|r| r[area].as_object().unwrap().values().map(|k| k.as_array().unwrap().len()).sum::<usize>()).sum();
        assert!(n > 0, "{area} is empty");
    }
    let all = text(&out.stdout);
    for prefix in ["dxcon-", "dxvif-", "pcx-", "tgw-", "tgw-rtb-", "rslvr-in-", "rslvr-out-", "rslvr-rr-", "rslvr-frg-"] {
        assert!(all.contains(&format!("\"{prefix}")), "no {prefix} id");
    }
    assert!(all.contains("\"pending-acceptance\"") && all.contains("\"blackhole\""));
}

#[test]
fn demo_snapshot_markdown_and_region_selection() {
    let out = run(bin().args(["snapshot", "--demo", "--format", "markdown", "--region", "eu-west-2"]));
    assert_eq!(out.status.code(), Some(0));
    let md = text(&out.stdout);
    assert!(md.contains("## Transit Gateway") && md.contains("eu-west-2"));
    assert!(!md.contains("| us-east-1 |"), "only the region asked for");
    let out = run(bin().args(["snapshot", "--demo", "--region", "mars-1"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("us-east-1, eu-west-2"));
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshot_against_endpoints_reports_partial_failure_with_exit_2_and_no_secret() {
    let server = fixture_server(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("cc.log");
    let out = tokio::task::spawn_blocking({
        let uri = server.uri();
        let log = log.clone();
        move || {
            run(bin()
                .args(["snapshot", "--format", "json", "--region", REGION, "--log-file"])
                .arg(&log)
                .env("AWS_ENDPOINT_URL", &uri)
                .env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "testing")
                .env("AWS_MAX_ATTEMPTS", "1")
                .env("CROSSCONNECT_LOG", "trace"))
        }
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "EC2 fails against the fixture server: {}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let conns = v["regions"][0]["direct_connect"]["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 3);
    assert!(conns.iter().all(|c| c["id"].is_string() && c["name"].is_string() && c["state"].is_string()));
    let errors = v["errors"].as_array().unwrap();
    assert!(errors.iter().any(|e| e["operation"] == "DescribeVpcs" && e["code"] == "UnsupportedOperation"), "{errors:?}");
    assert!(text(&out.stderr).contains("DescribeVpcs"));
    let logged = std::fs::read_to_string(&log).unwrap();
    for s in SECRETS {
        assert!(!text(&out.stdout).contains(s) && !text(&out.stderr).contains(s) && !logged.contains(s));
    }
}

#[test]
fn broken_theme_is_refused_naming_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mine.toml");
    std::fs::write(&p, "[styles.selected]\nbg = \"not-a-colour\"\n").unwrap();
    let out = run(bin().args(["--demo", "--theme"]).arg(&p));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("mine.toml") && err.contains("styles.selected.bg") && err.contains("not-a-colour"), "{err}");
}

#[test]
fn no_region_is_a_clear_error() {
    let out = run(bin().args(["snapshot"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--region"), "{}", text(&out.stderr));
}

#[test]
fn readme_iam_policy_lists_exactly_the_actions_called() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("```json\n").expect("policy block") + 8;
    let end = start + readme[start..].find("```").unwrap();
    let policy: serde_json::Value = serde_json::from_str(&readme[start..end]).unwrap();
    let mut listed: Vec<String> = policy["Statement"][0]["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect();
    listed.sort();
    assert_eq!(listed, crossconnect::aws::iam_read_actions());
}
