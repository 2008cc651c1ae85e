//! The connectivity graph as a user runs it: `path`, `impact`, `topology` and the path
//! findings of `audit`, the release binary against moto (VPCs, route tables, TGW, peering)
//! and the Direct Connect / Resolver fixture server, whose DX gateway association names the
//! moto TGW (moto has no direct-connect-gateway attachments).

use aws_sdk_ec2::types::Filter;
use serde_json::Value;

use crate::cli::{bin, run, text};
use crate::common::*;

const DXGW: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

fn json(body: String) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(200).set_body_raw(body, "application/x-amz-json-1.1")
}

pub(crate) fn cli(args: &[&str], moto: &str, fixtures: &str) -> (Option<i32>, String, String) {
    cli_in(args, &[REGION], moto, fixtures)
}

/// `cli` over several regions.
pub(crate) fn cli_in(
    args: &[&str],
    regions: &[&str],
    moto: &str,
    fixtures: &str,
) -> (Option<i32>, String, String) {
    let mut c = bin();
    c.args(args);
    for r in regions {
        c.args(["--region", r]);
    }
    c.env("AWS_ENDPOINT_URL", moto)
        .env("AWS_ENDPOINT_URL_DIRECT_CONNECT", fixtures)
        .env("AWS_ENDPOINT_URL_ROUTE53RESOLVER", fixtures)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_MAX_ATTEMPTS", "1");
    let o = run(&mut c);
    (o.status.code(), text(&o.stdout), text(&o.stderr))
}

pub(crate) async fn main_table(ec2: &aws_sdk_ec2::Client, vpc: &str) -> String {
    ec2.describe_route_tables()
        .filters(Filter::builder().name("vpc-id").values(vpc).build())
        .send()
        .await
        .unwrap()
        .route_tables()[0]
        .route_table_id()
        .unwrap()
        .to_string()
}

/// A TGW route table with a `Name` tag; returns its id.
pub(crate) async fn tgw_table(ec2: &aws_sdk_ec2::Client, tgw: &str, name: &str) -> String {
    let id = ec2
        .create_transit_gateway_route_table()
        .transit_gateway_id(tgw)
        .send()
        .await
        .unwrap()
        .transit_gateway_route_table()
        .unwrap()
        .transit_gateway_route_table_id()
        .unwrap()
        .to_string();
    ec2.create_tags()
        .resources(&id)
        .tags(
            aws_sdk_ec2::types::Tag::builder()
                .key("Name")
                .value(name)
                .build(),
        )
        .send()
        .await
        .unwrap();
    id
}

fn hops(leg: &Value) -> Vec<(String, String)> {
    leg["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap().to_string(),
                h["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn path_impact_topology_and_the_forwarding_rule_finding_over_moto_and_dx_fixtures() {
    let Some(moto) = moto_url() else { return };
    let admin = moto_admin(REGION, &moto).await;
    let ec2 = &admin.ec2;

    // app VPC → TGW (spoke-rt) → DX gateway; dx-inbound-rt routes back (or not).
    let tgw = create_tgw(ec2).await;
    let app = create_vpc(ec2, "10.213.0.0/16").await;
    let sub = create_subnet(ec2, &app, "10.213.1.0/24", "eu-central-1a").await;
    let other = create_vpc(ec2, "10.214.0.0/16").await;
    let att = vpc_attachment(ec2, &tgw, &app, &sub).await;
    let spoke = tgw_table(ec2, &tgw, "spoke-rt").await;
    let inbound = tgw_table(ec2, &tgw, "dx-inbound-rt").await;
    ec2.associate_transit_gateway_route_table()
        .transit_gateway_route_table_id(&spoke)
        .transit_gateway_attachment_id(&att)
        .send()
        .await
        .unwrap();
    // The on-prem prefix (its target, the DXGW attachment, is one moto cannot hold) and a
    // blackholed one.
    ec2.create_transit_gateway_route()
        .transit_gateway_route_table_id(&spoke)
        .destination_cidr_block("192.168.213.0/24")
        .send()
        .await
        .unwrap();
    ec2.create_transit_gateway_route()
        .transit_gateway_route_table_id(&spoke)
        .destination_cidr_block("172.21.3.0/24")
        .blackhole(true)
        .send()
        .await
        .unwrap();
    let rtb = main_table(ec2, &app).await;
    for dest in ["192.168.213.0/24", "172.21.3.0/24"] {
        ec2.create_route()
            .route_table_id(&rtb)
            .destination_cidr_block(dest)
            .transit_gateway_id(&tgw)
            .send()
            .await
            .unwrap();
    }
    // A peering to the other VPC, routed both ways.
    let pcx = create_peering(ec2, &app, &other).await;
    ec2.accept_vpc_peering_connection()
        .vpc_peering_connection_id(&pcx)
        .send()
        .await
        .unwrap();
    ec2.create_route()
        .route_table_id(&rtb)
        .destination_cidr_block("10.214.0.0/16")
        .vpc_peering_connection_id(&pcx)
        .send()
        .await
        .unwrap();
    let other_rtb = main_table(ec2, &other).await;
    ec2.create_route()
        .route_table_id(&other_rtb)
        .destination_cidr_block("10.213.0.0/16")
        .vpc_peering_connection_id(&pcx)
        .send()
        .await
        .unwrap();

    // Direct Connect: the fixture's DXGW associated with the moto TGW; Resolver: an
    // outbound endpoint in the app VPC forwarding to a server behind the blackhole.
    let assoc = format!(
        r#"{{"directConnectGatewayAssociations": [{{"directConnectGatewayId": "{DXGW}",
        "directConnectGatewayOwnerAccount": "123456789012", "associationState": "associated",
        "associationId": "6e5d4c3b-2a19-4f8e-9d7c-6b5a4f3e2d1c",
        "associatedGateway": {{"id": "{tgw}", "type": "transitGateway", "ownerAccount": "123456789012", "region": "{REGION}"}},
        "allowedPrefixesToDirectConnectGateway": [{{"cidr": "10.213.0.0/16"}}]}}]}}"#
    );
    let endpoints = format!(
        r#"{{"ResolverEndpoints": [{{"Id": "rslvr-out-graph000000001", "Name": "app-outbound",
        "SecurityGroupIds": ["sg-0graph"], "Direction": "OUTBOUND", "IpAddressCount": 1,
        "HostVPCId": "{app}", "Status": "OPERATIONAL", "ResolverEndpointType": "IPV4"}}]}}"#
    );
    let ips = format!(
        r#"{{"IpAddresses": [{{"IpId": "rni-graph01", "SubnetId": "{sub}", "Ip": "10.213.1.53", "Status": "ATTACHED"}}]}}"#
    );
    let rules = r#"{"ResolverRules": [{"Id": "rslvr-rr-graphlab00001", "DomainName": "lab.example.com.",
        "Status": "COMPLETE", "RuleType": "FORWARD", "Name": "lab-forward",
        "TargetIps": [{"Ip": "172.21.3.53", "Port": 53}], "ResolverEndpointId": "rslvr-out-graph000000001",
        "OwnerId": "123456789012", "ShareStatus": "NOT_SHARED"}]}"#;
    let server = fixture_server(&[
        ("DescribeDirectConnectGatewayAssociations", json(assoc)),
        ("ListResolverEndpoints", json(endpoints)),
        ("ListResolverEndpointIpAddresses", json(ips)),
        ("ListResolverRules", json(rules.to_string())),
    ])
    .await;
    let fx = server.uri();
    let (m, f) = (moto.clone(), fx.clone());
    let run_cli = move |args: Vec<&'static str>| {
        let (m, f) = (m.clone(), f.clone());
        async move {
            tokio::task::spawn_blocking(move || cli(&args, &m, &f))
                .await
                .unwrap()
        }
    };
    let leak = |s: &str| Box::leak(s.to_string().into_boxed_str()) as &'static str;
    let app_s = leak(&app);

    // 1. To on-prem: the VPC's attachment, its route table, the DXGW attachment, the DXGW
    //    and the working VIF; the return route is missing, and named.
    let (code, out, err) = run_cli(vec![
        "path",
        "--from",
        app_s,
        "--to",
        "192.168.213.10",
        "--format",
        "json",
    ])
    .await;
    // The way back is missing: unreachable, exit 5.
    assert_eq!(code, Some(5), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let fwd = hops(&v["forward"]);
    for (id, kind) in [
        (att.as_str(), "tgw-attachment"),
        (spoke.as_str(), "tgw-route-table"),
        (DXGW, "dx-gateway"),
        ("dxvif-fxsecret1", "virtual-interface"),
    ] {
        assert!(
            fwd.contains(&(id.to_string(), kind.to_string())),
            "{id} {kind} in {fwd:?}"
        );
    }
    assert!(
        v["forward"]["hops"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["resource_type"] == "direct-connect-gateway"),
        "{out}"
    );
    assert_ne!(v["verdict"], "reachable", "{out}");
    assert_eq!(v["return"]["verdict"], "unreachable", "{out}");
    let back = v["return"]["problems"].to_string();
    assert!(
        back.contains("dx-inbound-rt") && back.contains("has no route to 10.213.0.0/16"),
        "{back}"
    );

    // 2. A blackholed prefix says blackhole; over the peering, the peering is named.
    let (_, out, _) = run_cli(vec!["path", "--from", app_s, "--to", "172.21.3.9"]).await;
    assert!(out.contains("blackhole"), "{out}");
    assert!(out.contains("UNREACHABLE"), "{out}");
    let (peer_code, out, _) = run_cli(vec![
        "path",
        "--from",
        app_s,
        "--to",
        "10.214.0.9",
        "--format",
        "json",
    ])
    .await;
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        hops(&v["forward"]).contains(&(pcx.clone(), "vpc-peering".into())),
        "{out}"
    );
    assert!(
        hops(&v["return"]).contains(&(pcx.clone(), "vpc-peering".into())),
        "{out}"
    );
    assert_eq!(v["verdict"], "reachable", "{out}");
    assert_eq!(peer_code, Some(0), "reachable: exit 0");

    // The return route added: the way back is found.
    ec2.create_transit_gateway_route()
        .transit_gateway_route_table_id(&inbound)
        .destination_cidr_block("10.213.0.0/16")
        .transit_gateway_attachment_id(&att)
        .send()
        .await
        .unwrap();
    let (degraded_code, out, _) = run_cli(vec![
        "path",
        "--from",
        app_s,
        "--to",
        "192.168.213.10",
        "--format",
        "json",
    ])
    .await;
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_ne!(v["return"]["verdict"], "unreachable", "{out}");
    assert!(
        hops(&v["return"]).contains(&(inbound.clone(), "tgw-route-table".into())),
        "{out}"
    );
    // One working VIF in one location: it works, without redundancy.
    assert_eq!(v["verdict"], "degraded", "{out}");
    assert_eq!(degraded_code, Some(4), "degraded: exit 4");
    assert_eq!(v["working_paths"], 1, "{out}");

    // 3. The one connection with a working VIF cuts the VPC and the DXGW off; the one that
    //    carries nothing impacts nothing.
    let (code, out, err) = run_cli(vec!["impact", "dxcon-fx0a1b2c", "--format", "json"]).await;
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let lost: Vec<&str> = v["loses_on_prem"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(lost.contains(&app_s) && lost.contains(&DXGW), "{out}");
    let (_, out, _) = run_cli(vec!["impact", "dxcon-fxhosted1", "--format", "json"]).await;
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["loses_on_prem"], serde_json::json!([]), "{out}");
    assert_eq!(v["loses_redundancy"], serde_json::json!([]), "{out}");
    let (code, _, err) = run_cli(vec!["impact", "dxcon-nosuch"]).await;
    assert_eq!(code, Some(1));
    assert!(err.contains("dxcon-nosuch"), "{err}");

    // 4. The audit names the forwarding rule whose target the endpoint's VPC cannot reach.
    let (_, out, err) = run_cli(vec!["audit", "--format", "json"]).await;
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "PATH-002")
        .unwrap_or_else(|| panic!("no PATH-002 in {out}"));
    assert!(f.to_string().contains("rslvr-rr-graphlab00001"), "{f}");
    assert!(
        f["evidence"]["unreachable_targets"]
            .as_str()
            .unwrap()
            .contains("blackhole")
    );

    // 5. The topology as DOT holds the DXGW, the VIFs, the TGW and the VPCs.
    let (code, out, _) = run_cli(vec!["topology", "--format", "dot"]).await;
    assert_eq!(code, Some(0));
    assert!(out.starts_with("digraph"), "{out}");
    for id in [
        DXGW,
        "dxvif-fxsecret1",
        "dxvif-fxpriv002",
        tgw.as_str(),
        app_s,
    ] {
        assert!(out.contains(&format!("\"{id}\"")), "{id} not in the DOT");
    }
}

#[tokio::test]
async fn a_peering_routed_from_one_side_only_is_a_finding_and_path_exits_5() {
    let Some(moto) = moto_url() else { return };
    let admin = moto_admin(REGION, &moto).await;
    let ec2 = &admin.ec2;
    let (a, b, pcx) = peered_vpcs(ec2, 215, 216).await;
    // A routes to B over the peering; B has no route back.
    ec2.create_route()
        .route_table_id(main_table(ec2, &a).await)
        .destination_cidr_block("10.216.0.0/16")
        .vpc_peering_connection_id(&pcx)
        .send()
        .await
        .unwrap();
    let server = fixture_server(&[]).await;
    let fx = server.uri();
    let (m, f) = (moto.clone(), fx.clone());
    let (a2, pcx2) = (a.clone(), pcx.clone());
    let (audit, path) = tokio::task::spawn_blocking(move || {
        (
            cli(&["audit", "--format", "json"], &m, &f),
            cli(&["path", "--from", &a2, "--to", "10.216.1.9"], &m, &f),
        )
    })
    .await
    .unwrap();
    let v: Value = serde_json::from_str(&audit.1).unwrap_or_else(|e| panic!("{e}: {}", audit.2));
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "PATH-006" && f["resources"][0]["id"] == pcx2.as_str())
        .unwrap_or_else(|| panic!("no PATH-006 for {pcx2}: {}", audit.1));
    assert!(
        f["title"].as_str().unwrap().contains("no route back"),
        "{f}"
    );
    assert_eq!(path.0, Some(5), "{} {}", path.1, path.2);
    assert!(path.1.contains("UNREACHABLE"), "{}", path.1);
    // With the route back, the peering is quiet and the path is reachable.
    ec2.create_route()
        .route_table_id(main_table(ec2, &b).await)
        .destination_cidr_block("10.215.0.0/16")
        .vpc_peering_connection_id(&pcx)
        .send()
        .await
        .unwrap();
    let (m, f) = (moto.clone(), fx.clone());
    let (audit, path) = tokio::task::spawn_blocking(move || {
        (
            cli(&["audit", "--format", "json"], &m, &f),
            cli(&["path", "--from", &a, "--to", "10.216.1.9"], &m, &f),
        )
    })
    .await
    .unwrap();
    let v: Value = serde_json::from_str(&audit.1).unwrap();
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "PATH-006" && f["resources"][0]["id"] == pcx.as_str()),
        "{}",
        audit.1
    );
    assert_eq!(path.0, Some(0), "{}", path.1);
}

/// `what-if --fail` on each DX connection, LAG, AWS device and location of the demo loses and
/// degrades the same VPCs as `impact` on it; losing a VPC's last path exits 3; a deleted TGW
/// route carrying a VPC's way back cuts it off; a change that cannot be made exits 2.
#[test]
fn what_if_fail_agrees_with_impact_and_a_lost_path_exits_3() {
    let json = |args: &[&str]| -> (Option<i32>, Value) {
        let out = run(bin().args(args));
        let v = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{args:?}: {}", text(&out.stderr)));
        (out.status.code(), v)
    };
    let vpcs = |v: &Value| -> Vec<(String, u64, u64)> {
        let mut out: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == "vpc")
            .map(|a| {
                (
                    a["id"].as_str().unwrap().to_string(),
                    a["paths_before"].as_u64().unwrap(),
                    a["paths_after"].as_u64().unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let (_, snap) = json(&["snapshot", "--demo", "--format", "json"]);
    let mut ids = std::collections::BTreeSet::new();
    for r in snap["regions"].as_array().unwrap() {
        for kind in ["connections", "lags"] {
            for c in r["direct_connect"][kind].as_array().unwrap() {
                for k in ["id", "aws_device", "location"] {
                    if let Some(s) = c[k].as_str() {
                        ids.insert(s.to_string());
                    }
                }
            }
        }
    }
    assert!(ids.len() >= 8, "{ids:?}");
    let mut any_degraded = false;
    for id in &ids {
        let (code, w) = json(&["what-if", "--demo", "--fail", id, "--format", "json"]);
        let (_, i) = json(&["impact", "--demo", id, "--format", "json"]);
        assert_eq!(vpcs(&w["lost"]), vpcs(&i["loses_on_prem"]), "{id}: lost");
        assert_eq!(
            vpcs(&w["degraded"]),
            vpcs(&i["loses_redundancy"]),
            "{id}: degraded"
        );
        let lost = !vpcs(&w["lost"]).is_empty();
        any_degraded |= !vpcs(&w["degraded"]).is_empty();
        assert_eq!(code, Some(if lost { 3 } else { 0 }), "{id}");
    }
    assert!(
        any_degraded,
        "a failure in the demo costs some VPC redundancy"
    );
    // A failed connection's VIF goes down: its findings appear, none clears.
    let (_, w) = json(&[
        "what-if",
        "--demo",
        "--fail",
        "dxcon-fgq1x2y3",
        "--format",
        "json",
    ]);
    let codes = |k: &str| -> Vec<String> {
        w[k].as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    for code in ["DX-001", "DX-005"] {
        assert!(
            codes("findings_appear").contains(&code.to_string()),
            "{code}: {w}"
        );
    }
    // Only a single-path warning clears: egress (Cloud WAN) loses its one path, so "every
    // path rides one connection" (PATH-001) gives way to "no path left" (PATH-007).
    assert!(
        codes("findings_clear").iter().all(|c| c == "PATH-001"),
        "{w}"
    );
    assert!(
        codes("findings_appear").contains(&"PATH-007".to_string()),
        "{w}"
    );
    // The route that carries prod-app's way back from on-prem.
    let (code, w) = json(&[
        "what-if",
        "--demo",
        "--delete",
        "tgw-rtb-0a1b2c3d4e5f60003:10.20.0.0/16",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(3), "{w}");
    assert!(
        vpcs(&w["lost"])
            .iter()
            .any(|(v, ..)| v == "vpc-0a1b2c3d4e5f60001"),
        "{w}"
    );
    // Its broken way back is a new finding, though another VPC's PATH-004 names the same
    // route table first.
    assert!(
        w["findings_appear"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "PATH-004"
                && f["title"].as_str().unwrap().starts_with("prod-app:")),
        "{w}"
    );
    for bad in [
        &["what-if", "--demo"][..],
        &[
            "what-if",
            "--demo",
            "--delete",
            "rtb-0a1b2c3d4e5f60001:10.99.0.0/16",
        ],
        &[
            "what-if",
            "--demo",
            "--delete",
            "tgw-rtb-0a1b2c3d4e5f60003:10.20.0.300/16",
        ],
        &["what-if", "--demo", "--fail", "dxcon-nosuch"],
        &["what-if", "--demo", "--delete", "pcx-0nosuch"],
        &[
            "what-if",
            "--demo",
            "--delete",
            "tgw-rtb-0a1b2c3d4e5f60003:10.21.0.0/16",
        ],
    ] {
        let out = run(bin().args(bad));
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(text(&out.stderr).contains("what-if"), "{bad:?}");
    }
}
