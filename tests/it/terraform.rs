//! `what-if --terraform-plan` with the resource types beyond routes: TGW associations and
//! propagations, `aws_route` created, `aws_route_table`'s inline routes, DX gateway
//! associations' allowed prefixes, Resolver rules and their associations, and the peering
//! accepter — each against the demo.

use serde_json::{Value, json};

use crate::cli::{bin, run, text};

fn rc(address: &str, actions: &[&str], before: Value, after: Value) -> Value {
    let (ty, name) = address.split_once('.').unwrap();
    json!({"address": address, "mode": "managed", "type": ty, "name": name,
        "change": {"actions": actions, "before": before, "after": after, "after_unknown": {}}})
}

/// `what-if --terraform-plan` of these resource changes, as JSON, and its exit code.
fn assess(changes: Value) -> (Option<i32>, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let plan = json!({"format_version": "1.2", "resource_changes": changes});
    std::fs::write(&path, plan.to_string()).unwrap();
    let out = run(bin()
        .args(["what-if", "--demo", "--format", "json", "--terraform-plan"])
        .arg(&path));
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", text(&out.stderr)));
    (out.status.code(), v)
}

fn ids(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

const PROD_TABLE: &str = "tgw-rtb-0a1b2c3d4e5f60001";
const ON_PREM_TABLE: &str = "tgw-rtb-0a1b2c3d4e5f60003";
const PROD_ATTACHMENT: &str = "tgw-attach-0a1b2c3d4e5f60001";
const DXGW: &str = "5f2a7c1e-3b4d-4e8f-9a6b-1c2d3e4f5a6b";
const TGW: &str = "tgw-0c1d2e3f4a5b60001";

#[test]
fn associations_and_propagations_deleted_cut_prod_app_off() {
    let pair = |t: &str| json!({"transit_gateway_route_table_id": t, "transit_gateway_attachment_id": PROD_ATTACHMENT});
    for (address, table) in [
        (
            "aws_ec2_transit_gateway_route_table_association.prod",
            PROD_TABLE,
        ),
        (
            "aws_ec2_transit_gateway_route_table_propagation.onprem",
            ON_PREM_TABLE,
        ),
    ] {
        let (code, v) = assess(json!([rc(address, &["delete"], pair(table), Value::Null)]));
        assert_eq!(code, Some(3), "{address}: {v}");
        assert_eq!(ids(&v, "lost"), ["vpc-0a1b2c3d4e5f60001"], "{address}: {v}");
        assert_eq!(v["plan"]["changes"][0]["address"], address, "{v}");
    }
    // Associated back with the table it had: nothing changes.
    let (code, v) = assess(json!([rc(
        "aws_ec2_transit_gateway_route_table_association.prod",
        &["delete", "create"],
        pair(PROD_TABLE),
        pair(PROD_TABLE)
    )]));
    assert_eq!((code, ids(&v, "lost")), (Some(0), vec![]), "{v}");
}

#[test]
fn routes_created_heal_the_lab_forwarding_and_its_intent() {
    let (code, v) = assess(json!([
        rc(
            "aws_route.lab",
            &["create"],
            Value::Null,
            json!({"route_table_id": "rtb-0a1b2c3d4e5f60002", "destination_cidr_block": "172.16.8.0/24", "transit_gateway_id": TGW})
        ),
        rc(
            "aws_ec2_transit_gateway_route.lab",
            &["create"],
            Value::Null,
            json!({"transit_gateway_route_table_id": "tgw-rtb-0a1b2c3d4e5f60002", "destination_cidr_block": "172.16.8.0/24", "transit_gateway_attachment_id": "tgw-attach-0a1b2c3d4e5f60003"})
        ),
    ]));
    assert_eq!(code, Some(0), "{v}");
    let resumed: Vec<&str> = v["dns_resumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["target"].as_str().unwrap())
        .collect();
    assert_eq!(resumed, ["172.16.8.10:53", "172.16.8.11:53"], "{v}");
    let healed = v["intents"].as_array().unwrap();
    assert!(
        healed
            .iter()
            .any(|i| i["name"] == "lab forwarding works" && i["after"] == "held"),
        "{v}"
    );
    // The same route as an inline route of aws_route_table, updated in place.
    let table = |routes: Value| json!({"id": "rtb-0a1b2c3d4e5f60002", "route": routes});
    let (_, v) = assess(json!([
        rc(
            "aws_route_table.shared",
            &["update"],
            table(json!([])),
            table(json!([{"cidr_block": "172.16.8.0/24", "transit_gateway_id": TGW}]))
        ),
        rc(
            "aws_ec2_transit_gateway_route.lab",
            &["create"],
            Value::Null,
            json!({"transit_gateway_route_table_id": "tgw-rtb-0a1b2c3d4e5f60002", "destination_cidr_block": "172.16.8.0/24", "transit_gateway_attachment_id": "tgw-attach-0a1b2c3d4e5f60003"})
        ),
    ]));
    assert_eq!(v["dns_resumes"].as_array().unwrap().len(), 2, "{v}");
}

#[test]
fn a_dx_gateway_association_narrowed_or_deleted_cuts_the_vpcs_it_no_longer_carries() {
    let assoc = |prefixes: Value| json!({"dx_gateway_id": DXGW, "associated_gateway_id": TGW, "allowed_prefixes": prefixes});
    let (code, v) = assess(json!([rc(
        "aws_dx_gateway_association.tgw",
        &["update"],
        assoc(json!(["10.20.0.0/16", "10.30.0.0/16", "10.70.0.0/16"])),
        assoc(json!(["10.20.0.0/16", "10.70.0.0/16"]))
    )]));
    assert_eq!(code, Some(3), "{v}");
    // shared-services (10.30.0.0/16) and prod-eu (10.60.0.0/16, behind the TGW peering) are
    // no longer advertised to on-prem.
    assert_eq!(
        ids(&v, "lost"),
        ["vpc-0a1b2c3d4e5f60002", "vpc-0e1f2a3b4c5d60001"],
        "{v}"
    );
    assert!(
        v["dns_stops"][0]["why"]
            .as_str()
            .unwrap()
            .contains("does not advertise 10.30.1.20/32 to on-prem"),
        "{v}"
    );
    let (code, v) = assess(json!([rc(
        "aws_dx_gateway_association.tgw",
        &["delete"],
        assoc(json!(["10.20.0.0/16"])),
        Value::Null
    )]));
    assert_eq!(code, Some(3), "{v}");
    assert_eq!(
        ids(&v, "lost"),
        [
            "vpc-0a1b2c3d4e5f60001",
            "vpc-0a1b2c3d4e5f60002",
            "vpc-0e1f2a3b4c5d60001"
        ],
        "{v}"
    );
}

#[test]
fn resolver_rules_deleted_stop_their_forwarding_and_the_accepter_is_only_forgotten() {
    let (code, v) = assess(json!([
        rc(
            "aws_route53_resolver_rule.corp",
            &["delete"],
            json!({"id": "rslvr-rr-1a2b3c4d5e6f7a8b9"}),
            Value::Null
        ),
        rc(
            "aws_route53_resolver_rule_association.ad",
            &["delete"],
            json!({"resolver_rule_id": "rslvr-rr-2b3c4d5e6f7a8b9c0", "vpc_id": "vpc-0a1b2c3d4e5f60002"}),
            Value::Null
        ),
        rc(
            "aws_vpc_peering_connection_accepter.peer",
            &["delete"],
            json!({"id": "pcx-1"}),
            Value::Null
        ),
    ]));
    assert_eq!(code, Some(3), "{v}");
    let stops: Vec<(&str, &str)> = v["dns_stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["target"].as_str().unwrap()))
        .collect();
    assert_eq!(
        stops,
        [
            ("rslvr-rr-1a2b3c4d5e6f7a8b9", "every target"),
            (
                "rslvr-rr-2b3c4d5e6f7a8b9c0",
                "every target, from vpc-0a1b2c3d4e5f60002"
            )
        ],
        "{v}"
    );
    let broken = v["intents"].as_array().unwrap();
    assert!(
        broken.iter().any(|i| i["after"] == "broken"
            && i["reason"]
                .as_str()
                .unwrap()
                .contains("matches no Resolver rule")),
        "{v}"
    );
    assert_eq!(
        v["plan"]["unchanged"][0]["address"], "aws_vpc_peering_connection_accepter.peer",
        "{v}"
    );
    // A rule that was not read is not assessed, by name.
    let (_, v) = assess(json!([rc(
        "aws_route53_resolver_rule.x",
        &["delete"],
        json!({"id": "rslvr-rr-nosuch"}),
        Value::Null
    )]));
    assert!(
        v["plan"]["not_assessed"][0]["why"]
            .as_str()
            .unwrap()
            .contains("no Resolver rule rslvr-rr-nosuch"),
        "{v}"
    );
}
