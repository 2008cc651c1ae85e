//! `what-if --terraform-plan`: the JSON of `terraform show -json PLAN` against the demo, as a
//! change engineer runs it before `terraform apply`.

use serde_json::{Value, json};

use crate::cli::{bin, run, text};

/// A plan JSON as `terraform show -json` writes it, with these resource changes.
fn plan_file(dir: &std::path::Path, name: &str, changes: Value) -> std::path::PathBuf {
    let path = dir.join(name);
    let plan =
        json!({"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": changes});
    std::fs::write(&path, plan.to_string()).unwrap();
    path
}

fn what_if(plan: &std::path::Path, format: &str) -> (Option<i32>, String, String) {
    let out = run(bin()
        .args(["what-if", "--demo", "--format", format])
        .arg("--terraform-plan")
        .arg(plan));
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// A plan that deletes the TGW route carrying prod-app's way back cuts prod-app off (exit 3)
/// and lists what it does not model; a plan that only tags a VPC changes nothing (exit 0); a
/// plan naming a route that was not read is not assessed; a file that is not a plan exits 2,
/// naming it.
#[test]
fn a_terraform_plan_is_assessed_against_the_paths() {
    let dir = tempfile::tempdir().unwrap();
    let route = |actions: &[&str], table: &str| {
        json!({"address": "aws_ec2_transit_gateway_route.back", "mode": "managed",
            "type": "aws_ec2_transit_gateway_route", "name": "back",
            "change": {"actions": actions, "before": {
                "transit_gateway_route_table_id": table, "destination_cidr_block": "10.20.0.0/16",
                "transit_gateway_attachment_id": "tgw-attach-0a1b2c3d4e5f60001", "blackhole": false},
                "after": null, "after_unknown": {}}})
    };
    let instance = json!({"address": "aws_instance.web", "mode": "managed", "type": "aws_instance",
        "name": "web", "change": {"actions": ["create"], "before": null, "after": {"ami": "ami-1"},
        "after_unknown": {"id": true}}});
    let cuts = plan_file(
        dir.path(),
        "cuts.json",
        json!([route(&["delete"], "tgw-rtb-0a1b2c3d4e5f60003"), instance]),
    );
    let (code, out, err) = what_if(&cuts, "text");
    assert_eq!(code, Some(3), "{out}{err}");
    assert!(
        out.contains("delete TGW route tgw-rtb-0a1b2c3d4e5f60003:10.20.0.0/16"),
        "{out}"
    );
    assert!(
        out.contains("prod-app (vpc-0a1b2c3d4e5f60001) loses its last working path"),
        "{out}"
    );
    assert!(
        out.contains("not assessed: aws_instance.web: create of aws_instance is not modelled"),
        "{out}"
    );
    let (code, out, _) = what_if(&cuts, "json");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, Some(3));
    assert!(
        v["lost"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == "vpc-0a1b2c3d4e5f60001"),
        "{v}"
    );
    assert_eq!(
        v["plan"]["not_assessed"][0]["address"], "aws_instance.web",
        "{v}"
    );

    let tags = plan_file(
        dir.path(),
        "tags.json",
        json!([{"address": "aws_vpc.prod", "mode": "managed", "type": "aws_vpc", "name": "prod",
            "change": {"actions": ["update"],
                "before": {"id": "vpc-0a1b2c3d4e5f60001", "cidr_block": "10.20.0.0/16", "tags": {"Name": "prod-app"}},
                "after": {"id": "vpc-0a1b2c3d4e5f60001", "cidr_block": "10.20.0.0/16", "tags": {"Name": "prod-app", "team": "net"}},
                "after_unknown": {}}}]),
    );
    let (code, out, err) = what_if(&tags, "text");
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("nothing changes"), "{out}");
    assert!(out.contains("unchanged: aws_vpc.prod (tags only)"), "{out}");
    assert!(!out.contains("breaks"), "{out}");

    // A route in a table that was not read: not assessed, and nothing is cut.
    let unread = plan_file(
        dir.path(),
        "unread.json",
        json!([route(&["delete"], "tgw-rtb-0nosuch")]),
    );
    let (code, out, _) = what_if(&unread, "text");
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("not assessed: aws_ec2_transit_gateway_route.back: no route to 10.20.0.0/16 in tgw-rtb-0nosuch"),
        "{out}"
    );

    // A change by id that cuts prod-app off: exit 3, saying so.
    let cuts = |args: &[&str], says: &str| {
        let out = run(bin().args(["what-if", "--demo"]).args(args));
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        let stdout = text(&out.stdout);
        assert!(stdout.contains(says), "{args:?}: {stdout}");
    };
    let lost = "prod-app (vpc-0a1b2c3d4e5f60001) loses its last working path";
    // The VPC route to on-prem deleted by id: the same VPC is cut off from 10.0.0.0/8 (its
    // SD-WAN branches stay reachable over the Connect attachment).
    cuts(
        &["--delete", "rtb-0a1b2c3d4e5f60001:10.0.0.0/8"],
        "prod-app (vpc-0a1b2c3d4e5f60001) no longer reaches 10.0.0.0/8",
    );
    // Its TGW attachment deleted or failed, by id and by a plan: the same VPC is cut off.
    cuts(&["--delete", "tgw-attach-0a1b2c3d4e5f60001"], lost);
    cuts(
        &["--fail", "tgw-attach-0a1b2c3d4e5f60001"],
        "attachment tgw-attach-0a1b2c3d4e5f60001 is failed",
    );
    let detach = plan_file(
        dir.path(),
        "detach.json",
        json!([{"address": "aws_ec2_transit_gateway_vpc_attachment.prod", "mode": "managed",
            "type": "aws_ec2_transit_gateway_vpc_attachment", "name": "prod",
            "change": {"actions": ["delete"], "before": {"id": "tgw-attach-0a1b2c3d4e5f60001"},
                "after": null, "after_unknown": {}}}]),
    );
    let (code, out, _) = what_if(&detach, "text");
    assert_eq!(code, Some(3), "{out}");
    assert!(
        out.contains("plan: aws_ec2_transit_gateway_vpc_attachment.prod: delete TGW attachment tgw-attach-0a1b2c3d4e5f60001"),
        "{out}"
    );

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"resource_changes\": [").unwrap();
    let (code, _, err) = what_if(&bad, "text");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--terraform-plan") && err.contains("bad.json"),
        "{err}"
    );
}

/// With declared intents, what-if says which would break or heal: a plan that cuts prod-app
/// breaks its intent (exit 3); a plan that adds batch-jobs' missing way back heals its intent
/// (exit 0).
#[test]
fn what_if_names_the_intents_a_plan_would_break_or_heal() {
    let dir = tempfile::tempdir().unwrap();
    let intents = dir.path().join("intents.toml");
    std::fs::write(
        &intents,
        "[[intent]]\nname = \"prod reaches on-prem\"\nfrom = \"vpc:prod-app\"\nto = \"10.0.0.0/8\"\n\n\
         [[intent]]\nname = \"batch reaches on-prem\"\nfrom = \"vpc:batch-jobs\"\nto = \"10.0.0.0/8\"\n",
    )
    .unwrap();
    let route = |actions: &[&str], cidr: &str, before: Value, after: Value| {
        json!({"address": "aws_ec2_transit_gateway_route.r", "mode": "managed",
            "type": "aws_ec2_transit_gateway_route", "name": "r",
            "change": {"actions": actions, "before": before, "after": after, "after_unknown": {}},
            "cidr": cidr})
    };
    let table = "tgw-rtb-0a1b2c3d4e5f60003";
    let cut = plan_file(
        dir.path(),
        "cut.json",
        json!([route(
            &["delete"],
            "10.20.0.0/16",
            json!({"transit_gateway_route_table_id": table, "destination_cidr_block": "10.20.0.0/16"}),
            Value::Null
        )]),
    );
    let heal = plan_file(
        dir.path(),
        "heal.json",
        json!([route(
            &["create"],
            "10.70.0.0/16",
            Value::Null,
            json!({"transit_gateway_route_table_id": table, "destination_cidr_block": "10.70.0.0/16",
                "transit_gateway_attachment_id": "tgw-attach-0a1b2c3d4e5f60007", "blackhole": false})
        )]),
    );
    let run_with = |plan: &std::path::Path| {
        let out = run(bin()
            .args(["what-if", "--demo", "--intents"])
            .arg(&intents)
            .arg("--terraform-plan")
            .arg(plan));
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };
    let (code, out, err) = run_with(&cut);
    assert_eq!(code, Some(3), "{out}{err}");
    assert!(
        out.contains("intent would break: prod reaches on-prem (held → broken)"),
        "{out}"
    );
    assert!(!out.contains("batch reaches on-prem"), "unchanged: {out}");
    let (code, out, err) = run_with(&heal);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("intent would heal: batch reaches on-prem (broken → held)"),
        "{out}"
    );
    assert!(!out.contains("would break"), "{out}");
    assert!(
        out.contains("gains: batch-jobs (vpc-0a1b2c3d4e5f60005) (working paths 0 → 3)"),
        "{out}"
    );
}

/// A change that cuts the VPC of a Resolver outbound endpoint off from on-prem stops the DNS
/// forwarding of every rule that leaves through it (each target named, with why); one that
/// leaves it a way out stops none.
#[test]
fn what_if_names_the_dns_forwarding_a_change_would_stop() {
    let json = |args: &[&str]| -> Value {
        let out = run(bin().args(args).args(["--demo", "--format", "json"]));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", text(&out.stderr)))
    };
    let w = json(&["what-if", "--fail", "tgw-attach-0a1b2c3d4e5f60002"]);
    let stops = w["dns_stops"].as_array().unwrap();
    let corp: Vec<(&str, bool)> = stops
        .iter()
        .filter(|d| d["rule"] == "rslvr-rr-1a2b3c4d5e6f7a8b9")
        .map(|d| {
            (
                d["target"].as_str().unwrap(),
                d["all_targets"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        corp,
        [("10.10.0.2:53", true), ("10.10.0.3:53", true)],
        "{w}"
    );
    assert!(
        stops
            .iter()
            .all(|d| d["endpoint"] == "rslvr-out-7b8c9d0e1f2a3b4c5"
                && d["why"]
                    .as_str()
                    .unwrap()
                    .contains("tgw-attach-0a1b2c3d4e5f60002")),
        "{w}"
    );
    let out = run(bin().args([
        "what-if",
        "--demo",
        "--fail",
        "tgw-attach-0a1b2c3d4e5f60002",
    ]));
    let said = text(&out.stdout);
    assert!(
        said.contains("breaks: DNS forwarding of corp.example.com by corp-example-forward (rslvr-rr-1a2b3c4d5e6f7a8b9) stops: target 10.10.0.2:53 unreachable from rslvr-out-7b8c9d0e1f2a3b4c5"),
        "{said}"
    );
    // One VIF of several: the endpoint's VPC keeps a way out, DNS goes on.
    let w = json(&["what-if", "--fail", "dxvif-fg7h8i9j"]);
    assert_eq!(w["dns_stops"], json!([]), "{w}");
}

/// `--delete` of a TGW association, a propagation and a DX gateway association, and `--fail`
/// of a VPN: each is made in the copy and traced — a VPC whose attachment is associated with
/// no table, whose prefix is no longer propagated into the on-prem table, or whose TGW loses
/// the DX gateway loses its paths; a prefix routed over a VPN whose tunnels are all down is
/// cut; what was not read exits 2.
#[test]
fn what_if_deletes_associations_propagations_dxgw_associations_and_fails_vpns() {
    let what_if = |arg: &str, id: &str| {
        let out = run(bin().args(["what-if", "--demo", arg, id, "--format", "json"]));
        let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (out.status.code(), v, text(&out.stderr))
    };
    let lost = |v: &Value| -> Vec<String> {
        v["lost"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    for pair in [
        "association:tgw-rtb-0a1b2c3d4e5f60001:tgw-attach-0a1b2c3d4e5f60001",
        "propagation:tgw-rtb-0a1b2c3d4e5f60003:tgw-attach-0a1b2c3d4e5f60001",
    ] {
        let (code, v, err) = what_if("--delete", pair);
        let prod = vec!["vpc-0a1b2c3d4e5f60001".to_string()];
        assert_eq!((code, lost(&v)), (Some(3), prod), "{pair}: {err}");
    }
    let (code, v, err) = what_if(
        "--delete",
        "5f2a7c1e-3b4d-4e8f-9a6b-1c2d3e4f5a6b:tgw-0c1d2e3f4a5b60001",
    );
    assert_eq!(code, Some(3), "{err}");
    // prod-eu reaches on-prem through the TGW peering and this TGW's DX gateway too.
    assert_eq!(
        lost(&v),
        [
            "vpc-0a1b2c3d4e5f60001",
            "vpc-0a1b2c3d4e5f60002",
            "vpc-0e1f2a3b4c5d60001"
        ],
        "{v}"
    );
    for (arg, id, says) in [
        (
            "--delete",
            "association:tgw-rtb-0a1b2c3d4e5f60001:tgw-attach-0a1b2c3d4e5f60002",
            "is not associated with",
        ),
        (
            "--delete",
            "propagation:tgw-rtb-0a1b2c3d4e5f60003:tgw-attach-0a1b2c3d4e5f60007",
            "does not propagate into",
        ),
        (
            "--delete",
            "tgw-rtb-0a1b2c3d4e5f60001:tgw-attach-0a1b2c3d4e5f60001",
            "association:tgw-rtb-",
        ),
        (
            "--delete",
            "5f2a7c1e-3b4d-4e8f-9a6b-1c2d3e4f5a6b:vgw-nosuch",
            "no association of DX gateway",
        ),
        ("--fail", "vpn-nosuch", "no VPN connection vpn-nosuch"),
    ] {
        let (code, _, err) = what_if(arg, id);
        assert_eq!(code, Some(2), "{id}: {err}");
        assert!(err.contains(says), "{id}: {err}");
    }

    // The demo routes no VPC over its VPN; make prod-app send 192.168.0.0/16 to the TGW, whose
    // prod table has it propagated from the VPN attachment.
    use crossconnect::graph::whatif::{Change, what_if as assess};
    let mut e = crossconnect::demo::estate(0, chrono::Utc::now());
    for r in e.scopes.values_mut() {
        let r = std::sync::Arc::make_mut(r);
        for t in r.vpc_route_tables.items.iter_mut() {
            if t.id == "rtb-0a1b2c3d4e5f60001" {
                t.routes.push(crossconnect::model::VpcRoute {
                    destination: "192.168.0.0/16".into(),
                    target_kind: "transit-gateway".into(),
                    target_id: "tgw-0c1d2e3f4a5b60001".into(),
                    state: "active".into(),
                    origin: "CreateRoute".into(),
                });
            }
        }
    }
    let w = assess(&e, &[Change::FailVpn("vpn-0d1e2f3a4b5c60001".into())]);
    let cut: Vec<(&str, &str)> = w
        .cut
        .iter()
        .map(|c| (c.vpc.as_str(), c.prefix.as_str()))
        .collect();
    assert!(
        cut.contains(&("vpc-0a1b2c3d4e5f60001", "192.168.0.0/16")),
        "{w:?}"
    );
    let why = &w
        .cut
        .iter()
        .find(|c| c.prefix == "192.168.0.0/16")
        .unwrap()
        .why;
    assert!(why.contains("vpn-0d1e2f3a4b5c60001"), "{why}");
}
