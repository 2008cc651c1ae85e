//! `snapshot --format batfish`: the demo exported in Batfish's AWS snapshot layout, checked by
//! a reader written from Batfish's `org.batfish.representation.aws` classes: the top-level keys
//! `Region.getChildConsumer` accepts, and the fields `DirectConnectVirtualInterface.create` and
//! `DirectConnectGateway.create` refuse to be without.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::cli::{bin, run, text};

/// The keys Batfish's AWS parser reads that the export writes (others would be warned about).
const BATFISH_KEYS: [&str; 11] = [
    "Vpcs",
    "Subnets",
    "RouteTables",
    "VpcPeeringConnections",
    "TransitGateways",
    "TransitGatewayAttachments",
    "TransitGatewayRouteTables",
    "TransitGatewayStaticRoutes",
    "TransitGatewayPropagations",
    "DirectConnectGateways",
    "VirtualInterfaces",
];

/// Every element of every file under `aws_configs/<account>/<region>/`, by key, as Batfish's
/// parser walks them; panics where Batfish would refuse an element.
fn read_batfish(dir: &Path) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let configs = dir.join("aws_configs");
    for account in std::fs::read_dir(&configs).unwrap() {
        for region in std::fs::read_dir(account.unwrap().path()).unwrap() {
            for file in std::fs::read_dir(region.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                let v: Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                for (key, list) in v.as_object().unwrap() {
                    assert!(
                        BATFISH_KEYS.contains(&key.as_str()),
                        "{path:?}: {key} is not read by Batfish"
                    );
                    for item in list
                        .as_array()
                        .unwrap_or_else(|| panic!("{key}: not a list"))
                    {
                        check(key, item);
                        out.push((key.clone(), item.clone()));
                    }
                }
            }
        }
    }
    out
}

/// The checkArgument()s of Batfish's `@JsonCreator`s for the DX classes.
fn check(key: &str, v: &Value) {
    let s = |k: &str| {
        v[k].as_str()
            .unwrap_or_else(|| panic!("{key}: {k} missing in {v}"))
    };
    let n = |item: &Value, k: &str| {
        item[k]
            .as_i64()
            .unwrap_or_else(|| panic!("{key}: {k} not a number in {v}"))
    };
    let cidr = |item: &Value, k: &str| {
        let a = item[k]
            .as_str()
            .unwrap_or_else(|| panic!("{key}: {k} missing in {v}"));
        assert!(
            a.parse::<ipnet::IpNet>().is_ok(),
            "{key}: {k} {a} is not an interface address"
        );
    };
    match key {
        "VirtualInterfaces" => {
            for k in [
                "VirtualInterfaceId",
                "VirtualInterfaceName",
                "VirtualInterfaceType",
                "ConnectionId",
            ] {
                s(k);
            }
            n(v, "Vlan");
            n(v, "Asn");
            cidr(v, "AmazonAddress");
            cidr(v, "CustomerAddress");
            for p in v["BgpPeers"].as_array().unwrap() {
                n(p, "Asn");
                cidr(p, "AmazonAddress");
                cidr(p, "CustomerAddress");
            }
        }
        // TransitGatewayPropagations.create and Propagation.create: a route table, and for
        // each propagation its attachment, resource, a resource type of the enum and a state.
        "TransitGatewayPropagations" => {
            s("TransitGatewayRouteTableId");
            for p in v["TransitGatewayRouteTablePropagations"]
                .as_array()
                .unwrap()
            {
                for k in ["TransitGatewayAttachmentId", "ResourceId", "State"] {
                    assert!(p[k].is_string(), "{key}: {k} missing in {p}");
                }
                let ty = p["ResourceType"]
                    .as_str()
                    .unwrap()
                    .to_uppercase()
                    .replace('-', "_");
                assert!(
                    [
                        "VPC",
                        "VPN",
                        "DIRECT_CONNECT_GATEWAY",
                        "PEERING",
                        "CONNECT",
                        "TGW_PEERING"
                    ]
                    .contains(&ty.as_str()),
                    "{key}: resource type {ty}"
                );
            }
        }
        "DirectConnectGateways" => {
            s("DirectConnectGatewayId");
            s("DirectConnectGatewayName");
            n(v, "AmazonSideAsn");
        }
        _ => {}
    }
}

/// Every VPC, route table, TGW, attachment, DX gateway and VIF of the demo is in the export,
/// each under the key Batfish reads it from, and no piece of a BGP key is.
#[test]
fn the_batfish_export_of_the_demo_holds_every_resource_and_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(bin()
        .args(["snapshot", "--demo", "--format", "batfish", "--output"])
        .arg(dir.path()));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let items = read_batfish(dir.path());
    let exported = |key: &str, id: &str| -> BTreeSet<String> {
        items
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v[id].as_str().unwrap().to_string())
            .collect()
    };
    let snap: Value =
        serde_json::from_slice(&run(bin().args(["snapshot", "--demo"])).stdout).unwrap();
    let read = |area: &str, kind: &str| -> BTreeSet<String> {
        snap["regions"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r[area][kind].as_array().unwrap().clone())
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    let read_pairs = |area: &str, kind: &str| -> BTreeSet<(String, String)> {
        snap["regions"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r[area][kind].as_array().unwrap().clone())
            .map(|i| {
                let s = |k: &str| i[k].as_str().unwrap().to_string();
                (s("route_table_id"), s("attachment_id"))
            })
            .collect()
    };
    for (area, kind, key, id) in [
        ("vpc_peering", "vpcs", "Vpcs", "VpcId"),
        ("vpc_peering", "subnets", "Subnets", "SubnetId"),
        ("vpc_peering", "route_tables", "RouteTables", "RouteTableId"),
        (
            "vpc_peering",
            "peering_connections",
            "VpcPeeringConnections",
            "VpcPeeringConnectionId",
        ),
        (
            "transit_gateway",
            "transit_gateways",
            "TransitGateways",
            "TransitGatewayId",
        ),
        (
            "transit_gateway",
            "attachments",
            "TransitGatewayAttachments",
            "TransitGatewayAttachmentId",
        ),
        (
            "transit_gateway",
            "route_tables",
            "TransitGatewayRouteTables",
            "TransitGatewayRouteTableId",
        ),
        (
            "direct_connect",
            "gateways",
            "DirectConnectGateways",
            "DirectConnectGatewayId",
        ),
        (
            "direct_connect",
            "virtual_interfaces",
            "VirtualInterfaces",
            "VirtualInterfaceId",
        ),
    ] {
        let want = read(area, kind);
        assert!(!want.is_empty(), "{area}.{kind}: the demo has some");
        assert_eq!(exported(key, id), want, "{key}");
    }
    // A static route of a TGW route table is exported with its attachment.
    assert!(
        items.iter().any(|(k, v)| k == "TransitGatewayStaticRoutes"
            && v["Routes"].as_array().unwrap().iter().any(|r| {
                r["TransitGatewayAttachments"][0]["TransitGatewayAttachmentId"].is_string()
            })),
        "static routes"
    );
    // Every propagation of the demo, by route table and attachment.
    let mut propagated = BTreeSet::new();
    for (k, v) in items
        .iter()
        .filter(|(k, _)| k == "TransitGatewayPropagations")
    {
        for p in v["TransitGatewayRouteTablePropagations"]
            .as_array()
            .unwrap()
        {
            let table = v["TransitGatewayRouteTableId"].as_str().unwrap();
            propagated.insert((
                table.to_string(),
                p["TransitGatewayAttachmentId"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            ));
            assert_eq!(p["State"], "enabled", "{k}: {p}");
        }
    }
    assert_eq!(
        propagated,
        read_pairs("transit_gateway", "propagations"),
        "propagations"
    );
    // No secret: neither the demo's router-config key nor any authentication field.
    for (key, v) in &items {
        let t = v.to_string();
        assert!(!t.contains("demo-key-never-shown"), "{key}: {t}");
        assert!(!t.to_ascii_lowercase().contains("authkey"), "{key}: {t}");
    }
    // Without --output nothing is written: exit 2.
    let out = run(bin().args(["snapshot", "--demo", "--format", "batfish"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--output DIR"));
}
