//! TGW Connect and Cloud WAN against wire answers shaped like AWS's (moto has neither): EC2
//! query-protocol XML by `Action=`, Network Manager restJson by path, Direct Connect from the
//! fixture server — a Connect peer with BGP down is read and is a finding; a Cloud WAN segment
//! route to a DX gateway attachment is traced hop by hop.

use serde_json::Value;
use wiremock::matchers::{body_string_contains, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::cli::{bin, run, text};
use crate::common::*;

const DXGW: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/// Runs the binary with `args` in `REGION` (Direct Connect and Resolver from the fixture
/// server `fx`, EC2 and Network Manager from the wire fixtures at `wire`): exit code, stdout,
/// stderr.
async fn wired(args: &[&str], fx: &str, wire: &str) -> (Option<i32>, String, String) {
    let mut c = bin();
    c.args(args)
        .args(["--region", REGION])
        .env("AWS_ENDPOINT_URL", fx)
        .env("AWS_ENDPOINT_URL_EC2", wire)
        .env("AWS_ENDPOINT_URL_NETWORKMANAGER", wire)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_MAX_ATTEMPTS", "1");
    let o = tokio::task::spawn_blocking(move || run(&mut c))
        .await
        .unwrap();
    (o.status.code(), text(&o.stdout), text(&o.stderr))
}

/// EC2 query-protocol answers (XML), by `Action=`.
async fn ec2_fixture(answers: &[(&str, String)]) -> MockServer {
    let server = MockServer::start().await;
    for (action, body) in answers {
        Mock::given(method("POST"))
            .and(body_string_contains(format!("Action={action}&")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "text/xml"))
            .mount(&server)
            .await;
    }
    server
}

fn ec2_xml(action: &str, inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><{action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>{inner}</{action}Response>"#
    )
}

#[tokio::test]
async fn a_connect_peer_with_bgp_down_is_read_and_is_a_finding() {
    let attachments = ec2_xml(
        "DescribeTransitGatewayAttachments",
        r#"<transitGatewayAttachments>
          <item><transitGatewayAttachmentId>tgw-attach-0dx00000000000001</transitGatewayAttachmentId><transitGatewayId>tgw-0c0000000000000c1</transitGatewayId><transitGatewayOwnerId>123456789012</transitGatewayOwnerId><resourceOwnerId>123456789012</resourceOwnerId><resourceType>direct-connect-gateway</resourceType><resourceId>0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d</resourceId><state>available</state><tagSet/></item>
          <item><transitGatewayAttachmentId>tgw-attach-0c000000000000001</transitGatewayAttachmentId><transitGatewayId>tgw-0c0000000000000c1</transitGatewayId><transitGatewayOwnerId>123456789012</transitGatewayOwnerId><resourceOwnerId>123456789012</resourceOwnerId><resourceType>connect</resourceType><resourceId>tgw-attach-0dx00000000000001</resourceId><state>available</state><tagSet><item><key>Name</key><value>sdwan</value></item></tagSet></item>
        </transitGatewayAttachments>"#,
    );
    let connects = ec2_xml(
        "DescribeTransitGatewayConnects",
        r#"<transitGatewayConnectSet><item><transitGatewayAttachmentId>tgw-attach-0c000000000000001</transitGatewayAttachmentId><transportTransitGatewayAttachmentId>tgw-attach-0dx00000000000001</transportTransitGatewayAttachmentId><transitGatewayId>tgw-0c0000000000000c1</transitGatewayId><state>available</state><creationTime>2026-11-01T10:00:00.000Z</creationTime><options><protocol>gre</protocol></options><tagSet/></item></transitGatewayConnectSet>"#,
    );
    let peer = |id: &str, gre: &str, inside: &str, status: &str| {
        format!(
            r#"<item><transitGatewayAttachmentId>tgw-attach-0c000000000000001</transitGatewayAttachmentId><transitGatewayConnectPeerId>{id}</transitGatewayConnectPeerId><state>available</state><creationTime>2026-11-01T10:00:00.000Z</creationTime><connectPeerConfiguration><transitGatewayAddress>10.99.0.10</transitGatewayAddress><peerAddress>{gre}</peerAddress><insideCidrBlocks><item>{inside}.0/29</item></insideCidrBlocks><protocol>gre</protocol><bgpConfigurations><item><transitGatewayAsn>64512</transitGatewayAsn><peerAsn>65100</peerAsn><transitGatewayAddress>{inside}.2</transitGatewayAddress><peerAddress>{inside}.1</peerAddress><bgpStatus>{status}</bgpStatus></item><item><transitGatewayAsn>64512</transitGatewayAsn><peerAsn>65100</peerAsn><transitGatewayAddress>{inside}.3</transitGatewayAddress><peerAddress>{inside}.1</peerAddress><bgpStatus>{status}</bgpStatus></item></bgpConfigurations></connectPeerConfiguration><tagSet/></item>"#
        )
    };
    let peers = ec2_xml(
        "DescribeTransitGatewayConnectPeers",
        &format!(
            "<transitGatewayConnectPeerSet>{}{}</transitGatewayConnectPeerSet>",
            peer(
                "tgw-connect-peer-0up000000000001",
                "192.0.2.1",
                "169.254.200",
                "up"
            ),
            peer(
                "tgw-connect-peer-0dn000000000002",
                "192.0.2.2",
                "169.254.201",
                "down"
            )
        ),
    );
    let ec2 = ec2_fixture(&[
        ("DescribeTransitGatewayAttachments", attachments),
        ("DescribeTransitGatewayConnects", connects),
        ("DescribeTransitGatewayConnectPeers", peers),
    ])
    .await;
    let fx = fixture_server(&[]).await;
    let (_, out, err) = wired(&["audit", "--format", "json"], &fx.uri(), &ec2.uri()).await;
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let f: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "TGW-007")
        .collect();
    assert_eq!(f.len(), 1, "one Connect peer is down: {out}");
    let s = f[0].to_string();
    assert!(s.contains("tgw-connect-peer-0dn000000000002"), "{s}");
    assert!(
        s.contains("169.254.201.0/29") && s.contains("192.0.2.2"),
        "{s}"
    );
    // Both were read: the snapshot holds them with their BGP.
    let (_, out, _) = wired(&["snapshot", "--format", "json"], &fx.uri(), &ec2.uri()).await;
    assert!(
        out.contains("tgw-connect-peer-0up000000000001") && out.contains("\"status\": \"down\""),
        "{out}"
    );
}

/// Network Manager answers (restJson1) for one core network: segment `prod` (the VPC) shares
/// with `hybrid` (the fixture's DX gateway); `routes_prod` are prod's routes at `REGION`.
async fn mount_cloud_wan(server: &MockServer, vpc: &str, routes_prod: &str) {
    use wiremock::matchers::{path, path_regex};
    let core = "core-network-0f1e2d3c4b5a69788";
    let answers = [
        (
            "GET",
            "^/core-networks$".to_string(),
            format!(
                r#"{{"CoreNetworks": [{{"CoreNetworkId": "{core}", "CoreNetworkArn": "arn:aws:networkmanager::123456789012:core-network/{core}",
                "GlobalNetworkId": "global-network-01231231231231231", "OwnerAccountId": "123456789012", "State": "AVAILABLE",
                "Description": "wire WAN", "Tags": [{{"Key": "Name", "Value": "wire-wan"}}]}}]}}"#
            ),
        ),
        (
            "GET",
            format!("^/core-networks/{core}$"),
            format!(
                r#"{{"CoreNetwork": {{"GlobalNetworkId": "global-network-01231231231231231", "CoreNetworkId": "{core}",
                "CoreNetworkArn": "arn:aws:networkmanager::123456789012:core-network/{core}", "State": "AVAILABLE",
                "Segments": [{{"Name": "prod", "EdgeLocations": ["{REGION}"], "SharedSegments": ["hybrid"]}},
                             {{"Name": "hybrid", "EdgeLocations": ["{REGION}"], "SharedSegments": ["prod"]}}],
                "Edges": [{{"EdgeLocation": "{REGION}", "Asn": 64555, "InsideCidrBlocks": []}}]}}}}"#
            ),
        ),
        (
            "GET",
            format!("^/core-networks/{core}/core-network-policy-versions$"),
            format!(
                r#"{{"CoreNetworkPolicyVersions": [{{"CoreNetworkId": "{core}", "PolicyVersionId": 2, "Alias": "LIVE", "ChangeSetState": "EXECUTION_SUCCEEDED"}}]}}"#
            ),
        ),
        (
            "GET",
            "^/attachments$".to_string(),
            format!(
                r#"{{"Attachments": [
                {{"CoreNetworkId": "{core}", "AttachmentId": "attachment-0aaa0000000000001", "OwnerAccountId": "123456789012",
                  "AttachmentType": "VPC", "State": "AVAILABLE", "EdgeLocation": "{REGION}",
                  "ResourceArn": "arn:aws:ec2:{REGION}:123456789012:vpc/{vpc}", "SegmentName": "prod"}},
                {{"CoreNetworkId": "{core}", "AttachmentId": "attachment-0ddd0000000000002", "OwnerAccountId": "123456789012",
                  "AttachmentType": "DIRECT_CONNECT_GATEWAY", "State": "AVAILABLE", "EdgeLocations": ["{REGION}"],
                  "ResourceArn": "arn:aws:directconnect::123456789012:dx-gateway/{DXGW}", "SegmentName": "hybrid"}}]}}"#
            ),
        ),
    ];
    for (m, p, body) in answers {
        Mock::given(method(m))
            .and(path_regex(p))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(server)
            .await;
    }
    let route = |dest: &str, att: &str, ty: &str, id: &str, seg: &str| {
        format!(
            r#"{{"DestinationCidrBlock": "{dest}", "State": "ACTIVE", "Type": "PROPAGATED",
            "Destinations": [{{"CoreNetworkAttachmentId": "{att}", "SegmentName": "{seg}", "EdgeLocation": "{REGION}",
            "ResourceType": "{ty}", "ResourceId": "{id}"}}]}}"#
        )
    };
    let hybrid = route(
        "10.233.0.0/16",
        "attachment-0aaa0000000000001",
        "vpc",
        vpc,
        "prod",
    );
    for (segment, routes) in [("prod", routes_prod.to_string()), ("hybrid", hybrid)] {
        Mock::given(method("POST"))
            .and(path(
                "/global-networks/global-network-01231231231231231/network-routes",
            ))
            .and(body_string_contains(format!(
                "\"SegmentName\":\"{segment}\""
            )))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                format!(
                    r#"{{"RouteTableType": "CORE_NETWORK_SEGMENT", "NetworkRoutes": [{routes}]}}"#
                ),
                "application/json",
            ))
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn a_cloud_wan_segment_route_to_a_dx_gateway_attachment_is_traced_hop_by_hop() {
    let vpc = "vpc-0c1a0d00000000ca1";
    let core_arn =
        "arn:aws:networkmanager::123456789012:core-network/core-network-0f1e2d3c4b5a69788";
    let vpcs = ec2_xml(
        "DescribeVpcs",
        &format!(
            r#"<vpcSet><item><vpcId>{vpc}</vpcId><state>available</state><cidrBlock>10.233.0.0/16</cidrBlock><ownerId>123456789012</ownerId><isDefault>false</isDefault><tagSet><item><key>Name</key><value>wan-app</value></item></tagSet></item></vpcSet>"#
        ),
    );
    let tables = ec2_xml(
        "DescribeRouteTables",
        &format!(
            r#"<routeTableSet><item><routeTableId>rtb-0c1a0d00000000001</routeTableId><vpcId>{vpc}</vpcId><ownerId>123456789012</ownerId>
            <associationSet><item><routeTableAssociationId>rtbassoc-0c1a0d0000000001</routeTableAssociationId><routeTableId>rtb-0c1a0d00000000001</routeTableId><main>true</main></item></associationSet>
            <routeSet>
              <item><destinationCidrBlock>10.233.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item>
              <item><destinationCidrBlock>192.168.233.0/24</destinationCidrBlock><coreNetworkArn>{core_arn}</coreNetworkArn><state>active</state><origin>CreateRoute</origin></item>
            </routeSet><tagSet/></item></routeTableSet>"#
        ),
    );
    let ec2 = ec2_fixture(&[("DescribeVpcs", vpcs), ("DescribeRouteTables", tables)]).await;
    let to_dx = r#"{"DestinationCidrBlock": "192.168.233.0/24", "State": "ACTIVE", "Type": "PROPAGATED",
        "Destinations": [{"CoreNetworkAttachmentId": "attachment-0ddd0000000000002", "SegmentName": "hybrid",
        "EdgeLocation": "REGION", "ResourceType": "direct-connect-gateway", "ResourceId": "DXGW"}]}"#
        .replace("REGION", REGION)
        .replace("DXGW", DXGW);
    mount_cloud_wan(&ec2, vpc, &to_dx).await;
    let fx = fixture_server(&[]).await;
    let path = [
        "path",
        "--from",
        vpc,
        "--to",
        "192.168.233.9",
        "--format",
        "json",
    ];
    let (_, out, err) = wired(&path, &fx.uri(), &ec2.uri()).await;
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let kinds: Vec<(String, String)> = v["forward"]["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["kind"].as_str().unwrap().to_string(),
                h["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("vpc", vpc),
        ("vpc-route-table", "rtb-0c1a0d00000000001"),
        ("cloudwan-attachment", "attachment-0aaa0000000000001"),
        ("core-network", "core-network-0f1e2d3c4b5a69788"),
        ("cloudwan-segment", &format!("segment:prod@{REGION}")),
        ("cloudwan-attachment", "attachment-0ddd0000000000002"),
        ("dx-gateway", DXGW),
        ("virtual-interface", "dxvif-fxsecret1"),
    ];
    let got: Vec<(&str, &str)> = kinds
        .iter()
        .map(|(k, i)| (k.as_str(), i.as_str()))
        .collect();
    assert_eq!(&got[..want.len()], &want[..], "hop by hop: {out}");
    let segment = &v["forward"]["hops"][4];
    assert!(
        segment["route"]
            .as_str()
            .unwrap()
            .contains("192.168.233.0/24 → attachment-0ddd0000000000002"),
        "{segment}"
    );
    assert!(
        segment["note"]
            .as_str()
            .unwrap()
            .contains("shared from segment hybrid"),
        "{segment}"
    );
    assert_ne!(v["verdict"], "unreachable", "{out}");
    assert_ne!(v["verdict"], "unknown", "{out}");
    let back: Vec<&str> = v["return"]["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(
        back.contains(&"segment:hybrid@eu-central-1") && back.last() == Some(&vpc),
        "{back:?}"
    );

    // The prod segment without the route (isolated from hybrid's): unreachable, naming the
    // segment and its edge location.
    let isolated = MockServer::start().await;
    let vpcs = ec2_xml(
        "DescribeVpcs",
        &format!(
            r#"<vpcSet><item><vpcId>{vpc}</vpcId><state>available</state><cidrBlock>10.233.0.0/16</cidrBlock><isDefault>false</isDefault><tagSet/></item></vpcSet>"#
        ),
    );
    for (action, body) in [("DescribeVpcs", vpcs)] {
        Mock::given(method("POST"))
            .and(body_string_contains(format!("Action={action}&")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/xml"))
            .mount(&isolated)
            .await;
    }
    let rt = ec2_xml(
        "DescribeRouteTables",
        &format!(
            r#"<routeTableSet><item><routeTableId>rtb-0c1a0d00000000001</routeTableId><vpcId>{vpc}</vpcId>
            <associationSet><item><main>true</main></item></associationSet>
            <routeSet><item><destinationCidrBlock>192.168.233.0/24</destinationCidrBlock><coreNetworkArn>{core_arn}</coreNetworkArn><state>active</state><origin>CreateRoute</origin></item></routeSet><tagSet/></item></routeTableSet>"#
        ),
    );
    Mock::given(method("POST"))
        .and(body_string_contains("Action=DescribeRouteTables&"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(rt, "text/xml"))
        .mount(&isolated)
        .await;
    mount_cloud_wan(&isolated, vpc, "").await;
    let (code, out, _) = wired(&path, &fx.uri(), &isolated.uri()).await;
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, Some(5), "{out}");
    let problems = v["problems"].to_string();
    assert!(
        problems.contains(&format!(
            "segment prod at {REGION} has no route to 192.168.233.9/32"
        )),
        "{problems}"
    );
}
