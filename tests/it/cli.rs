//! The binary as a user runs it.

use crate::common;

use std::process::{Command, Output};

use common::*;

pub(crate) fn bin() -> Command {
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

pub(crate) fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

pub(crate) fn run(c: &mut Command) -> Output {
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
    for area in [
        "direct_connect",
        "vpc_peering",
        "transit_gateway",
        "resolver",
        "dns_firewall",
    ] {
        let n: usize = regions
            .iter()
            .map(|r| {
                r[area]
                    .as_object()
                    .unwrap()
                    .values()
                    .map(|k| k.as_array().unwrap().len())
                    .sum::<usize>()
            })
            .sum();
        assert!(n > 0, "{area} is empty");
    }
    let all = text(&out.stdout);
    for prefix in [
        "dxcon-",
        "dxvif-",
        "pcx-",
        "tgw-",
        "tgw-rtb-",
        "rslvr-in-",
        "rslvr-out-",
        "rslvr-rr-",
        "rslvr-frg-",
    ] {
        assert!(all.contains(&format!("\"{prefix}")), "no {prefix} id");
    }
    assert!(all.contains("\"pending-acceptance\"") && all.contains("\"blackhole\""));
}

#[test]
fn demo_snapshot_markdown_and_region_selection() {
    let out = run(bin().args([
        "snapshot",
        "--demo",
        "--format",
        "markdown",
        "--region",
        "eu-west-2",
    ]));
    assert_eq!(out.status.code(), Some(0));
    let md = text(&out.stdout);
    assert!(md.contains("## Transit Gateway") && md.contains("eu-west-2"));
    // No row of us-east-1 (a Cloud WAN route's edge location may be us-east-1: it is global).
    assert!(
        !md.lines().any(|l| l.starts_with("| us-east-1 |")),
        "only the region asked for"
    );
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
                .args([
                    "snapshot",
                    "--format",
                    "json",
                    "--region",
                    REGION,
                    "--log-file",
                ])
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
    assert_eq!(
        out.status.code(),
        Some(2),
        "EC2 fails against the fixture server: {}",
        text(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let conns = v["regions"][0]["direct_connect"]["connections"]
        .as_array()
        .unwrap();
    assert_eq!(conns.len(), 3);
    assert!(
        conns
            .iter()
            .all(|c| c["id"].is_string() && c["name"].is_string() && c["state"].is_string())
    );
    let errors = v["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["operation"] == "DescribeVpcs" && e["code"] == "UnsupportedOperation"),
        "{errors:?}"
    );
    assert!(text(&out.stderr).contains("DescribeVpcs"));
    let logged = std::fs::read_to_string(&log).unwrap();
    for s in SECRETS {
        assert!(
            !text(&out.stdout).contains(s) && !text(&out.stderr).contains(s) && !logged.contains(s)
        );
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
    assert!(
        err.contains("mine.toml")
            && err.contains("styles.selected.bg")
            && err.contains("not-a-colour"),
        "{err}"
    );
}

#[test]
fn no_region_is_a_clear_error() {
    let out = run(bin().args(["snapshot"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--region"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn readme_iam_policy_lists_exactly_the_actions_called() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("```json\n").expect("policy block") + 8;
    let end = start + readme[start..].find("```").unwrap();
    let policy: serde_json::Value = serde_json::from_str(&readme[start..end]).unwrap();
    let mut listed: Vec<String> = policy["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    listed.sort();
    assert_eq!(listed, crossconnect::aws::iam_read_actions());
}

#[test]
fn audit_json_reports_the_expected_findings_with_resource_ids() {
    let out = run(bin().args(["audit", "--demo", "--format", "json"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["report"]["read_only"], true);
    assert!(
        v["report"]["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "111122223333")
    );
    let findings = v["findings"].as_array().unwrap();
    let has = |code: &str, id: &str| {
        findings.iter().any(|f| {
            f["code"] == code
                && f["resources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["id"] == id)
        })
    };
    for (code, id) in [
        ("DX-003", "dxcon-fgld5a01"),
        ("DX-004", "dxcon-fgld5b02"),
        ("DX-006", "dxvif-fgeu3c4d"),
        ("DX-001", "dxcon-fgld5b02"),
        ("PCX-001", "pcx-0b22c33d44e55f662"),
        ("TGW-001", "tgw-rtb-0a1b2c3d4e5f60001|10.99.0.0/16"),
        ("R53R-001", "rslvr-in-9a8b7c6d5e4f3a2b1"),
        ("DNSFW-001", "rslvr-fc-0a1b2c3d4e5f6002"),
        ("DNSFW-003", "rslvr-frg-3c4d5e6f7a8b9c0d"),
        ("DNSFW-001", "vpc-0a1b2c3d4e5f60002"),
        ("DX-006", "dxpeer-fgeu2b2b"),
    ] {
        assert!(has(code, id), "{code} on {id} missing");
    }
    let blackhole = findings.iter().find(|f| f["code"] == "TGW-001").unwrap();
    assert_eq!(
        blackhole["evidence"]["destinationCidrBlock"],
        "10.99.0.0/16"
    );
    assert!(!findings.iter().any(|f| {
        f["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "rslvr-out-7b8c9d0e1f2a3b4c5")
    }));
    assert!(!findings.iter().any(|f| {
        f["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "pcx-0a11b22c33d44e551")
    }));
    assert!(
        v["inventory"]["direct_connect/virtual_interfaces"]
            .as_u64()
            .unwrap()
            >= 5
    );
    assert_eq!(v["coverage_gaps"].as_array().unwrap().len(), 0);
    assert!(!text(&out.stdout).contains("demo-key-never-shown"));
}

#[test]
fn audit_fail_on_exit_codes_and_formats() {
    let out = run(bin().args(["audit", "--demo", "--fail-on", "high", "--format", "csv"]));
    assert_eq!(
        out.status.code(),
        Some(3),
        "high findings exist in the demo"
    );
    let csv = text(&out.stdout);
    assert!(csv.starts_with("severity,code,area,title"));
    // us-east-1 alone has only findings below critical.
    let out = run(bin().args([
        "audit",
        "--demo",
        "--region",
        "us-east-1",
        "--fail-on",
        "critical",
        "--format",
        "markdown",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("## Coverage gaps"));
    let out = run(bin().args([
        "audit",
        "--demo",
        "--region",
        "us-east-1",
        "--fail-on",
        "medium",
    ]));
    assert_eq!(out.status.code(), Some(3));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.sarif");
    let out = run(bin()
        .args(["audit", "--demo", "--format", "sarif", "--output"])
        .arg(&path));
    assert_eq!(out.status.code(), Some(0));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    let out = run(bin().args(["audit", "--demo", "--write"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("read-only"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn completions_and_man_page_are_printed() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(bin().args(["completions", shell]));
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let s = text(&out.stdout);
        assert!(
            s.contains("crossconnect") && s.contains("snapshot"),
            "{shell}: {s}"
        );
    }
    let out = run(bin().arg("man"));
    assert_eq!(out.status.code(), Some(0));
    let m = text(&out.stdout);
    assert!(
        m.contains(".TH crossconnect") && m.contains("\\-\\-write"),
        "{m}"
    );
}

#[test]
fn a_config_file_key_that_does_not_exist_is_refused_naming_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[keys]\nquit = \"ctrl-qq\"\n").unwrap();
    let out = run(bin().arg("--config").arg(&cfg).args(["snapshot", "--demo"]));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&cfg.display().to_string())
            && err.contains("keys.quit")
            && err.contains("ctrl-qq"),
        "{err}"
    );
    std::fs::write(&cfg, "[keys]\nquit = \"ctrl-q\"\nrefresh = \"ctrl-q\"\n").unwrap();
    let err = text(&run(bin().arg("--config").arg(&cfg).args(["snapshot", "--demo"])).stderr);
    assert!(err.contains("bound to both"), "{err}");
    std::fs::write(&cfg, "[ui]\nrefresh = \"often\"\n").unwrap();
    let err = text(&run(bin().arg("--config").arg(&cfg).args(["snapshot", "--demo"])).stderr);
    assert!(err.contains("ui.refresh"), "{err}");
    // A good file: its settings are resolved under the command line.
    std::fs::write(
        &cfg,
        "[scope]\nregions = [\"eu-west-2\"]\n[keys]\nquit = \"ctrl-q\"\n",
    )
    .unwrap();
    let out = run(bin().arg("--config").arg(&cfg).arg("config"));
    let s = text(&out.stdout);
    assert!(
        s.contains("regions: eu-west-2") && s.contains("Ctrl-q"),
        "{s}"
    );
    let out = run(bin().args(["config", "--default"]));
    assert!(text(&out.stdout).contains("[keys]"));
}

#[test]
fn the_journal_command_lists_changes_with_who_and_what_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let line = |phase: &str, outcome: &str, time: &str| {
        serde_json::json!({
            "time": time, "phase": phase, "profile": "network-prod", "account": "111122223333",
            "region": "us-east-1", "operation": "route53resolver:CreateResolverEndpoint",
            "parameters": {"Name": "hub-inbound"}, "outcome": outcome, "error_code": null,
            "error_message": null, "request_id": "req-1", "intent": "i-1", "client_token": null,
            "target": "hub-inbound", "caller_arn": "arn:aws:iam::111122223333:user/alice",
            "host": "bastion-1", "created_id": (outcome == "success").then_some("rslvr-in-0123")
        })
        .to_string()
    };
    std::fs::write(
        &path,
        format!(
            "{}\n{}\n",
            line("intent", "pending", "2026-12-07T08:00:00+00:00"),
            line("outcome", "success", "2026-12-07T08:00:01+00:00")
        ),
    )
    .unwrap();
    let out = run(bin()
        .arg("journal")
        .arg("--journal")
        .arg(&path)
        .args(["--format", "json"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        1,
        "one change: its outcome line"
    );
    assert_eq!(v[0]["created_id"], "rslvr-in-0123");
    assert_eq!(v[0]["caller_arn"], "arn:aws:iam::111122223333:user/alice");
    let csv = run(bin()
        .arg("journal")
        .arg("--journal")
        .arg(&path)
        .args(["--format", "csv"]));
    let csv = text(&csv.stdout);
    assert!(csv.starts_with("time,outcome,operation"), "{csv}");
    assert!(
        csv.contains("rslvr-in-0123") && csv.contains("bastion-1"),
        "{csv}"
    );
    let t = run(bin()
        .arg("journal")
        .arg("--journal")
        .arg(&path)
        .args(["--since", "2026-12-08T00:00"]));
    assert!(
        text(&t.stdout).is_empty(),
        "nothing since then: {}",
        text(&t.stdout)
    );
}

/// `audit --format summary`: at most 20 lines for an incident channel, naming what is down
/// (the connection, the BGP session, the broken path) and saying what was read.
#[test]
fn audit_summary_fits_twenty_lines_and_names_what_is_down() {
    let out = run(bin().args(["audit", "--demo", "--format", "summary"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    let lines: Vec<&str> = summary.lines().collect();
    assert!(lines.len() <= 20, "{} lines:\n{summary}", lines.len());
    let down_at = lines.iter().position(|l| l.starts_with("Down (")).unwrap();
    let redundancy_at = lines
        .iter()
        .position(|l| l.starts_with("Lost redundancy ("))
        .unwrap();
    let down = &lines[down_at..redundancy_at];
    for (what, id) in [
        ("the down connection", "dxcon-fgld5b02"),
        ("the down BGP session", "dxpeer-fgeu2b2b"),
        (
            "the VPC whose path to on-prem is broken",
            "vpc-0e1f2a3b4c5d60001",
        ),
    ] {
        assert!(
            down.iter().any(|l| l.contains(id)),
            "{what} ({id}):\n{summary}"
        );
    }
    assert!(lines.last().unwrap().contains("read"), "{summary}");
    // The JSON of the same run has the findings the summary counts.
    let json = run(bin().args(["audit", "--demo", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let n = v["findings"].as_array().unwrap().len();
    assert!(
        lines[0].contains(&format!("{n} finding(s)")),
        "{}",
        lines[0]
    );
}

/// `lookup`: who owns an address, every table's longest match for it, and whether on-prem is
/// told about it; a blackholed prefix says so; a bad address is refused before any read.
#[test]
fn lookup_names_owners_longest_matches_and_what_on_prem_learns() {
    let out = run(bin().args(["lookup", "--demo", "10.20.1.5", "--format", "json"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let has = |section: &str, key: &str, value: &str| {
        v[section]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x[key] == value)
    };
    assert!(has("owners", "id", "vpc-0a1b2c3d4e5f60001"), "{v}");
    assert!(has("owners", "kind", "subnet"), "{v}");
    let on_prem_table = v["tgw_routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["table"] == "tgw-rtb-0a1b2c3d4e5f60003")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(on_prem_table["destination"], "10.20.0.0/16");
    assert_eq!(on_prem_table["state"], "active");
    assert!(has("advertised", "prefix", "10.20.0.0/16"), "{v}");
    // A prefix that lands on a blackhole says so.
    let out = run(bin().args(["lookup", "--demo", "10.99.1.1", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["tgw_routes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["state"] == "blackhole"),
        "{v}"
    );
    assert!(v["owners"].as_array().unwrap().is_empty(), "{v}");
    // Not an address: exit 2, nothing read.
    let out = run(bin().args(["lookup", "--demo", "10.0.0.300"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not an IP address or a CIDR"));
}
