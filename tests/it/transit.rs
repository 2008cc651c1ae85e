//! Paths beyond one TGW, the release binary against moto (EC2: TGW peering attachments, VPN
//! connections, network ACLs) and the Direct Connect fixture server (the DX gateway and its
//! VIFs): a VPC in a region without Direct Connect reaches on-prem over a TGW peering; every VIF
//! down puts it on its VPN backup; a network ACL that drops the replies to ephemeral ports
//! drops tcp/443. TGW Connect and Cloud WAN: `transit_wire.rs`.

use aws_sdk_ec2::types::{Filter, RuleAction};
use serde_json::Value;
use wiremock::ResponseTemplate;

use crate::common::*;
use crate::graph::tgw_table as table;

const DXGW: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
/// The region without Direct Connect.
const FAR: &str = "ap-southeast-2";

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/x-amz-json-1.1")
}

async fn blocking(
    args: Vec<String>,
    regions: Vec<&'static str>,
    moto: String,
    fx: String,
) -> (Option<i32>, String, String) {
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        crate::graph::cli_in(&a, &regions, &moto, &fx)
    })
    .await
    .unwrap()
}

async fn associate(ec2: &aws_sdk_ec2::Client, rtb: &str, att: &str) {
    ec2.associate_transit_gateway_route_table()
        .transit_gateway_route_table_id(rtb)
        .transit_gateway_attachment_id(att)
        .send()
        .await
        .unwrap();
}

async fn tgw_route(ec2: &aws_sdk_ec2::Client, rtb: &str, cidr: &str) {
    ec2.create_transit_gateway_route()
        .transit_gateway_route_table_id(rtb)
        .destination_cidr_block(cidr)
        .send()
        .await
        .unwrap();
}

async fn route_to_tgw(ec2: &aws_sdk_ec2::Client, vpc: &str, cidr: &str, tgw: &str) {
    ec2.create_route()
        .route_table_id(crate::graph::main_table(ec2, vpc).await)
        .destination_cidr_block(cidr)
        .transit_gateway_id(tgw)
        .send()
        .await
        .unwrap();
}

/// The DX gateway associated with `tgw`, advertising `prefixes` to on-prem.
fn association(tgw: &str, prefixes: &[&str]) -> ResponseTemplate {
    let allowed: Vec<String> = prefixes
        .iter()
        .map(|p| format!(r#"{{"cidr": "{p}"}}"#))
        .collect();
    json(format!(
        r#"{{"directConnectGatewayAssociations": [{{"directConnectGatewayId": "{DXGW}",
        "directConnectGatewayOwnerAccount": "123456789012", "associationState": "associated",
        "associationId": "7f6e5d4c-3b2a-4190-8e7d-6c5b4a3f2e1d",
        "associatedGateway": {{"id": "{tgw}", "type": "transitGateway", "ownerAccount": "123456789012", "region": "{REGION}"}},
        "allowedPrefixesToDirectConnectGateway": [{}]}}]}}"#,
        allowed.join(", ")
    ))
}

/// The fixture's VIFs with every one down (state and BGP).
fn vifs_down() -> ResponseTemplate {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/directconnect/DescribeVirtualInterfaces.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for vif in v["virtualInterfaces"].as_array_mut().unwrap() {
        vif["virtualInterfaceState"] = "down".into();
        for p in vif["bgpPeers"].as_array_mut().unwrap() {
            p["bgpStatus"] = "down".into();
            p["bgpPeerState"] = "down".into();
        }
    }
    json(v.to_string())
}

fn hop_ids(leg: &Value) -> Vec<String> {
    leg["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_vpc_reaches_on_prem_over_a_tgw_peering_and_a_vpn_backup_over_moto() {
    let Some(moto) = moto_url() else { return };
    let near = moto_admin(REGION, &moto).await;
    let far = moto_admin(FAR, &moto).await;
    let (a, b) = (&near.ec2, &far.ec2);

    // The DX region: its TGW first (moto shares a peering with a region it already knows).
    let tgw_a = create_tgw(a).await;
    let tgw_b = create_tgw(b).await;
    let vpc_b = create_vpc(b, "10.231.0.0/16").await;
    let sub_b = create_subnet(b, &vpc_b, "10.231.1.0/24", &format!("{FAR}a")).await;
    let att_b = vpc_attachment(b, &tgw_b, &vpc_b, &sub_b).await;
    let peering = b
        .create_transit_gateway_peering_attachment()
        .transit_gateway_id(&tgw_b)
        .peer_transit_gateway_id(&tgw_a)
        .peer_account_id("123456789012")
        .peer_region(REGION)
        .send()
        .await
        .unwrap()
        .transit_gateway_peering_attachment()
        .unwrap()
        .transit_gateway_attachment_id()
        .unwrap()
        .to_string();
    a.accept_transit_gateway_peering_attachment()
        .transit_gateway_attachment_id(&peering)
        .send()
        .await
        .unwrap();
    // The far region: the VPC's table sends on-prem into the peering (a static route), the
    // peering's table sends the VPC's CIDR to it.
    let spoke_b = table(b, &tgw_b, "spoke-rt-far").await;
    let peer_b = table(b, &tgw_b, "peer-rt-far").await;
    associate(b, &spoke_b, &att_b).await;
    associate(b, &peer_b, &peering).await;
    tgw_route(b, &spoke_b, "192.168.231.0/24").await;
    tgw_route(b, &peer_b, "10.231.0.0/16").await;
    route_to_tgw(b, &vpc_b, "192.168.231.0/24", &tgw_b).await;
    // The DX region: the peering's table sends on-prem to the DX gateway; the DX gateway's
    // table (no attachment associated: moto has no DX gateway attachments) sends the far
    // VPC's CIDR into the peering.
    let peer_a = table(a, &tgw_a, "peer-rt-near").await;
    let inbound_a = table(a, &tgw_a, "dx-inbound-rt-near").await;
    associate(a, &peer_a, &peering).await;
    tgw_route(a, &peer_a, "192.168.231.0/24").await;
    tgw_route(a, &inbound_a, "10.231.0.0/16").await;

    let fx = fixture_server(&[(
        "DescribeDirectConnectGatewayAssociations",
        association(&tgw_a, &["10.231.0.0/16"]),
    )])
    .await;
    let f = fx.uri();
    let regions = vec![REGION, FAR];
    let path = |to: &str| {
        vec![
            "path".to_string(),
            "--from".into(),
            vpc_b.clone(),
            "--to".into(),
            to.into(),
            "--format".into(),
            "json".into(),
        ]
    };

    // 1. Over the peering to the DX gateway, and back: both TGWs, the peering, the VIF.
    let (code, out, err) = blocking(
        path("192.168.231.10"),
        regions.clone(),
        moto.clone(),
        f.clone(),
    )
    .await;
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    assert_ne!(v["verdict"], "unreachable", "{out}");
    assert_ne!(v["verdict"], "unknown", "{out}");
    assert!(matches!(code, Some(0) | Some(4)), "{code:?} {out}");
    let fwd = hop_ids(&v["forward"]);
    for id in [
        &peering,
        &tgw_b,
        &tgw_a,
        &peer_a,
        &DXGW.to_string(),
        &"dxvif-fxsecret1".to_string(),
    ] {
        assert!(fwd.contains(id), "{id} not on the way out: {fwd:?}");
    }
    let back = hop_ids(&v["return"]);
    for id in [&inbound_a, &peering, &peer_b, &vpc_b] {
        assert!(back.contains(id), "{id} not on the way back: {back:?}");
    }

    // 2. The peer TGW's static route back to the far VPC gone: unreachable, naming the table
    //    and the prefix.
    a.delete_transit_gateway_route()
        .transit_gateway_route_table_id(&inbound_a)
        .destination_cidr_block("10.231.0.0/16")
        .send()
        .await
        .unwrap();
    let (code, out, _) = blocking(
        path("192.168.231.10"),
        regions.clone(),
        moto.clone(),
        f.clone(),
    )
    .await;
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, Some(5), "{out}");
    let problems = v["problems"].to_string();
    assert!(
        problems.contains("dx-inbound-rt-near")
            && problems.contains("has no route to 10.231.0.0/16"),
        "{problems}"
    );
    tgw_route(a, &inbound_a, "10.231.0.0/16").await;

    // 3. The peer TGW no longer routes on-prem onward: the far route table's route into the
    //    peering is a finding (TGW-008).
    a.delete_transit_gateway_route()
        .transit_gateway_route_table_id(&peer_a)
        .destination_cidr_block("192.168.231.0/24")
        .send()
        .await
        .unwrap();
    let audit = vec!["audit".to_string(), "--format".into(), "json".into()];
    let (_, out, err) = blocking(audit, regions.clone(), moto.clone(), f.clone()).await;
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let tgw8 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "TGW-008" && f.to_string().contains(&spoke_b))
        .unwrap_or_else(|| panic!("no TGW-008 for {spoke_b}: {out}"));
    assert!(tgw8.to_string().contains(&peering), "{tgw8}");
    tgw_route(a, &peer_a, "192.168.231.0/24").await;

    // 4. A site-to-site VPN on the DX region's TGW, and every VIF down: on VPN backup.
    let cgw = a
        .create_customer_gateway()
        .r#type(aws_sdk_ec2::types::GatewayType::Ipsec1)
        .bgp_asn(65231)
        .ip_address("203.0.113.231")
        .send()
        .await
        .unwrap()
        .customer_gateway()
        .unwrap()
        .customer_gateway_id()
        .unwrap()
        .to_string();
    let vpn = a
        .create_vpn_connection()
        .r#type("ipsec.1")
        .customer_gateway_id(&cgw)
        .transit_gateway_id(&tgw_a)
        .send()
        .await
        .unwrap()
        .vpn_connection()
        .unwrap()
        .vpn_connection_id()
        .unwrap()
        .to_string();
    // The VPN's attachment is associated with the TGW's default association route table
    // (moto says so only in the attachment's own `Association`): it routes the far VPC into
    // the peering too.
    let default_rt = a
        .describe_transit_gateways()
        .transit_gateway_ids(&tgw_a)
        .send()
        .await
        .unwrap()
        .transit_gateways()[0]
        .options()
        .and_then(|o| o.association_default_route_table_id())
        .unwrap()
        .to_string();
    tgw_route(a, &default_rt, "10.231.0.0/16").await;
    let down = fixture_server(&[
        (
            "DescribeDirectConnectGatewayAssociations",
            association(&tgw_a, &["10.231.0.0/16"]),
        ),
        ("DescribeVirtualInterfaces", vifs_down()),
    ])
    .await;
    let (code, out, err) = blocking(
        path("192.168.231.10"),
        regions.clone(),
        moto.clone(),
        down.uri(),
    )
    .await;
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    assert_eq!(code, Some(4), "degraded: exit 4: {out}");
    assert_eq!(v["on_vpn_backup"], true, "{out}");
    assert!(
        v["problems"]
            .to_string()
            .contains("degraded: on VPN backup"),
        "{out}"
    );
    assert!(hop_ids(&v["forward"]).contains(&vpn), "{out}");
    let text_args = vec![
        "path".to_string(),
        "--from".into(),
        vpc_b.clone(),
        "--to".into(),
        "192.168.231.10".into(),
    ];
    let (_, out, _) = blocking(text_args, regions.clone(), moto.clone(), down.uri()).await;
    assert!(out.contains("DEGRADED: on VPN backup"), "{out}");

    // 5. With the VIF up, failing its connection (the last one) fails over to the VPN.
    let impact = vec![
        "impact".to_string(),
        "dxcon-fx0a1b2c".into(),
        "--format".into(),
        "json".into(),
    ];
    let (code, out, err) = blocking(impact.clone(), regions.clone(), moto.clone(), f.clone()).await;
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let far_vpc = v["loses_on_prem"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == vpc_b.as_str())
        .unwrap_or_else(|| panic!("{vpc_b} does not lose DX: {out}"));
    assert!(
        far_vpc["fails_over_to"].to_string().contains(&vpn),
        "{far_vpc}"
    );
    let (_, out, _) = blocking(
        impact[..2].to_vec(),
        regions.clone(),
        moto.clone(),
        f.clone(),
    )
    .await;
    assert!(
        out.contains("fails over to VPN") && out.contains(&vpn),
        "{out}"
    );
}

#[tokio::test]
async fn a_nacl_dropping_the_replies_to_ephemeral_ports_drops_tcp_443_over_moto() {
    let Some(moto) = moto_url() else { return };
    let near = moto_admin(REGION, &moto).await;
    let a = &near.ec2;
    let tgw = create_tgw(a).await;
    let vpc = create_vpc(a, "10.232.0.0/16").await;
    let sub = create_subnet(a, &vpc, "10.232.1.0/24", "eu-central-1a").await;
    let att = vpc_attachment(a, &tgw, &vpc, &sub).await;
    let spoke = table(a, &tgw, "spoke-rt-acl").await;
    let inbound = table(a, &tgw, "dx-inbound-rt-acl").await;
    associate(a, &spoke, &att).await;
    tgw_route(a, &spoke, "192.168.232.0/24").await;
    tgw_route(a, &inbound, "10.232.0.0/16").await;
    route_to_tgw(a, &vpc, "192.168.232.0/24", &tgw).await;
    // The subnet's own ACL: everything in; out, the replies to on-prem's ephemeral ports
    // dropped ahead of the allow.
    let acl = a
        .create_network_acl()
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap()
        .network_acl()
        .unwrap()
        .network_acl_id()
        .unwrap()
        .to_string();
    for (n, egress, action, ports) in [
        (100, false, RuleAction::Allow, None),
        (50, true, RuleAction::Deny, Some((1024, 65535))),
        (100, true, RuleAction::Allow, None),
    ] {
        let mut e = a
            .create_network_acl_entry()
            .network_acl_id(&acl)
            .rule_number(n)
            .egress(egress)
            .rule_action(action)
            .cidr_block("0.0.0.0/0");
        e = match ports {
            Some((from, to)) => e.protocol("6").port_range(
                aws_sdk_ec2::types::PortRange::builder()
                    .from(from)
                    .to(to)
                    .build(),
            ),
            None => e.protocol("-1"),
        };
        e.send().await.unwrap();
    }
    let current = a
        .describe_network_acls()
        .filters(
            Filter::builder()
                .name("association.subnet-id")
                .values(&sub)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let assoc = current.network_acls()[0]
        .associations()
        .iter()
        .find(|x| x.subnet_id() == Some(sub.as_str()))
        .and_then(|x| x.network_acl_association_id())
        .unwrap()
        .to_string();
    a.replace_network_acl_association()
        .association_id(assoc)
        .network_acl_id(&acl)
        .send()
        .await
        .unwrap();
    let fx = fixture_server(&[(
        "DescribeDirectConnectGatewayAssociations",
        association(&tgw, &["10.232.0.0/16"]),
    )])
    .await;
    let f = fx.uri();
    let args = |port: bool| {
        let mut v = vec![
            "path".to_string(),
            "--from".into(),
            "192.168.232.7".into(),
            "--to".into(),
            "10.232.1.20".into(),
            "--format".into(),
            "json".into(),
        ];
        if port {
            v.extend([
                "--protocol".into(),
                "tcp".into(),
                "--port".into(),
                "443".into(),
            ]);
        }
        v
    };
    // Without a port: routing only, and it says so.
    let (code, out, err) = blocking(args(false), vec![REGION], moto.clone(), f.clone()).await;
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    assert_ne!(v["verdict"], "unreachable", "{out}");
    assert!(matches!(code, Some(0) | Some(4)), "{out}");
    assert!(
        v["judged"].as_str().unwrap().starts_with("routing only"),
        "{out}"
    );
    // tcp/443: the replies are dropped, by the ACL and its rule number.
    let (code, out, _) = blocking(args(true), vec![REGION], moto.clone(), f.clone()).await;
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, Some(5), "{out}");
    assert_eq!(v["verdict"], "unreachable", "{out}");
    let problems = v["problems"].to_string();
    assert!(
        problems.contains(&acl) && problems.contains("rule 50"),
        "{problems}"
    );
    assert!(
        problems.contains("ephemeral ports 1024-65535"),
        "{problems}"
    );
    // The deny rule gone: tcp/443 passes.
    a.delete_network_acl_entry()
        .network_acl_id(&acl)
        .rule_number(50)
        .egress(true)
        .send()
        .await
        .unwrap();
    let (_, out, _) = blocking(args(true), vec![REGION], moto.clone(), f.clone()).await;
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_ne!(v["verdict"], "unreachable", "{out}");
}
