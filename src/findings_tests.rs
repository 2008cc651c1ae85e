//! Every rule fires on a broken estate and stays quiet on its healthy equivalent.

use chrono::TimeZone;

use crate::demo::{self, DXGW_ID};
use crate::findings::*;
use crate::model::*;

pub(crate) fn demo_estate() -> Estate {
    demo::estate(
        0,
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
            .unwrap(),
    )
}

fn reg<'a>(e: &'a mut Estate, r: &str) -> &'a mut RegionEstate {
    e.region_mut(r).unwrap()
}

pub(crate) fn use1(e: &mut Estate) -> &mut RegionEstate {
    reg(e, "us-east-1")
}

pub(crate) fn euw2(e: &mut Estate) -> &mut RegionEstate {
    reg(e, "eu-west-2")
}

/// The demo's secondary connection, MACsec `should_encrypt` with its port encryption down.
const RST: &str = "dxcon-fh2a3b4c";

fn rst(e: &mut Estate) -> &mut Connection {
    let c = use1(e).dx_connections.items.iter_mut();
    c.into_iter().find(|c| c.id == RST).unwrap()
}

pub(crate) fn has(e: &Estate, code: &str, id: &str) -> bool {
    evaluate(e)
        .iter()
        .any(|f| f.code == code && f.resources.iter().any(|r| r.id == id))
}

type Mutation = fn(&mut Estate);

fn nothing(_: &mut Estate) {}

/// (rule, make the demo break it, make the demo healthy for it, resource id).
fn cases() -> Vec<(&'static str, Mutation, Mutation, &'static str)> {
    vec![
        (
            "DX-001",
            nothing,
            |e| euw2(e).dx_connections.items[1].state = "available".into(),
            "dxcon-fgld5b02",
        ),
        (
            "DX-002",
            nothing,
            |e| use1(e).dx_connections.items[2].state = "available".into(),
            "dxcon-ffz9y8x7",
        ),
        (
            "DX-003",
            nothing,
            |e| euw2(e).dx_connections.items[1].location = "LON1".into(),
            "dxcon-fgld5a01",
        ),
        (
            "DX-004",
            nothing,
            |e| {
                let c = &mut euw2(e).dx_connections.items[1];
                c.aws_device = Some("LD5-2x9yzz0000001".into());
                c.aws_logical_device_id = c.aws_device.clone();
            },
            "dxcon-fgld5a01",
        ),
        (
            "DX-005",
            nothing,
            |e| euw2(e).dx_vifs.items[1].state = "available".into(),
            "dxvif-fgeu3c4d",
        ),
        // Health comes from bgpStatus: a peer whose lifecycle is still pending but whose
        // session is up is healthy.
        (
            "DX-006",
            nothing,
            |e| {
                let p = &mut euw2(e).dx_vifs.items[1].bgp_peers[0];
                p.bgp_status = "up".into();
                p.bgp_peer_state = "pending".into();
            },
            "dxvif-fgeu3c4d",
        ),
        (
            "DX-007",
            nothing,
            |e| {
                let r = use1(e);
                let mut second = r.dx_vifs.items[2].clone();
                second.id = "dxvif-ffcd9999".into();
                second.connection_id = "dxcon-fh2a3b4c".into();
                second.location = "CSVA1".into();
                r.dx_vifs.items.push(second);
            },
            "vgw-0b1c2d3e4f5a60001",
        ),
        (
            "DX-008",
            |e| {
                for r in e.scopes.values_mut().map(std::sync::Arc::make_mut) {
                    for v in r
                        .dx_vifs
                        .items
                        .iter_mut()
                        .filter(|v| v.direct_connect_gateway_id.is_some())
                    {
                        v.location = "EqDC2".into();
                    }
                }
            },
            nothing,
            DXGW_ID,
        ),
        (
            "DX-009",
            nothing,
            |e| euw2(e).dx_vifs.items[1].mtu = Some(8500),
            DXGW_ID,
        ),
        (
            "DX-010",
            nothing,
            |e| euw2(e).dx_connections.items[1].state = "available".into(),
            "dxvif-fgeu3c4d",
        ),
        (
            "DNSFW-006",
            nothing,
            |e| use1(e).firewall_rules.items[0].threat = Some("DGA".into()),
            "vpc-0a1b2c3d4e5f60001",
        ),
        (
            "R53R-005",
            nothing,
            |e| {
                let mut a = use1(e).query_log_associations.items[0].clone();
                a.vpc_id = "vpc-0a1b2c3d4e5f60004".into();
                use1(e).query_log_associations.items.push(a);
            },
            "vpc-0a1b2c3d4e5f60004",
        ),
        (
            "R53R-006",
            nothing,
            |e| use1(e).dnssec_configs.items[4].state = "ENABLED".into(),
            "vpc-0a1b2c3d4e5f60004",
        ),
        (
            "DX-011",
            |e| rst(e).encryption_mode = None,
            |e| rst(e).port_encryption_status = Some("Encryption Up".into()),
            RST,
        ),
        (
            "DX-012",
            nothing,
            |e| rst(e).port_encryption_status = Some("Encryption Up".into()),
            RST,
        ),
        (
            "DX-013",
            |e| use1(e).dx_lags.items[0].mac_sec_keys[0].state = "disassociated".into(),
            nothing,
            "dxlag-fgk3m4n5",
        ),
        (
            "PCX-001",
            nothing,
            |e| use1(e).vpc_peerings.items[1].state = "active".into(),
            "pcx-0b22c33d44e55f662",
        ),
        (
            "PCX-002",
            nothing,
            |e| use1(e).vpc_peerings.items[2].state = "deleted".into(),
            "pcx-0c33d44e55f66a773",
        ),
        (
            "PCX-003",
            |e| use1(e).vpc_peerings.items[2].state = "active".into(),
            |e| {
                let p = &mut use1(e).vpc_peerings.items[2];
                p.state = "active".into();
                p.accepter.cidrs = vec!["10.41.0.0/16".into()];
            },
            "pcx-0c33d44e55f66a773",
        ),
        (
            "TGW-001",
            nothing,
            |e| {
                for r in use1(e).tgw_routes.items.iter_mut() {
                    r.state = "active".into();
                }
            },
            "tgw-rtb-0a1b2c3d4e5f60001|10.99.0.0/16",
        ),
        (
            "TGW-002",
            nothing,
            |e| {
                use1(e).tgw_attachments.items[5].association_route_table_id =
                    Some("tgw-rtb-0a1b2c3d4e5f60004".into())
            },
            "tgw-attach-0a1b2c3d4e5f60006",
        ),
        (
            "TGW-003",
            |e| use1(e).tgw_attachments.items[5].state = "pendingAcceptance".into(),
            nothing,
            "tgw-attach-0a1b2c3d4e5f60006",
        ),
        (
            "TGW-004",
            nothing,
            |e| {
                let r = use1(e);
                let mut a = r.tgw_associations.items[0].clone();
                a.route_table_id = "tgw-rtb-0a1b2c3d4e5f60004".into();
                r.tgw_associations.items.push(a);
            },
            "tgw-rtb-0a1b2c3d4e5f60004",
        ),
        (
            "TGW-005",
            |e| add_propagated(e, "10.30.5.0/24"),
            |e| add_propagated(e, "10.31.5.0/24"),
            "tgw-rtb-0a1b2c3d4e5f60001",
        ),
        (
            "TGW-006",
            |e| {
                use1(e).tgw_peerings.items[0].state = "pendingAcceptance".into();
                euw2(e).tgw_peerings.items[0].state = "pendingAcceptance".into();
            },
            nothing,
            "tgw-attach-0a1b2c3d4e5f60005",
        ),
        (
            "TGW-007",
            nothing,
            |e| {
                for p in use1(e).tgw_connect_peers.items.iter_mut() {
                    for b in p.bgp.iter_mut() {
                        b.status = "up".into();
                    }
                }
            },
            "tgw-connect-peer-0a1b2c3d4e5f6002",
        ),
        (
            "TGW-008",
            // London's table loses prod-eu's route: Virginia still sends it into the peering.
            |e| {
                euw2(e)
                    .tgw_routes
                    .items
                    .retain(|r| r.destination != "10.60.0.0/16")
            },
            nothing,
            "tgw-rtb-0a1b2c3d4e5f60003",
        ),
        (
            "VPN-001",
            nothing,
            |e| {
                for t in use1(e).vpn_connections.items[0].tunnels.iter_mut() {
                    t.status = "UP".into();
                    t.accepted_route_count = Some(100);
                }
            },
            "vpn-0d1e2f3a4b5c60001",
        ),
        (
            "R53R-001",
            nothing,
            |e| {
                euw2(e).resolver_endpoints.items[0].ips[1].availability_zone =
                    Some("eu-west-2b".into())
            },
            "rslvr-in-9a8b7c6d5e4f3a2b1",
        ),
        (
            "R53R-002",
            |e| use1(e).resolver_endpoints.items[1].state = "ACTION_NEEDED".into(),
            nothing,
            "rslvr-out-7b8c9d0e1f2a3b4c5",
        ),
        (
            "R53R-003",
            |e| {
                use1(e)
                    .resolver_rule_associations
                    .items
                    .retain(|a| a.resolver_rule_id != "rslvr-rr-2b3c4d5e6f7a8b9c0")
            },
            nothing,
            "rslvr-rr-2b3c4d5e6f7a8b9c0",
        ),
        (
            "R53R-004",
            |e| use1(e).resolver_endpoints.items[1].state = "ACTION_NEEDED".into(),
            nothing,
            "rslvr-rr-1a2b3c4d5e6f7a8b9",
        ),
        // Paths: by working paths, not by counting connections.
        (
            "PATH-001",
            |e| {
                for v in use1(e)
                    .dx_vifs
                    .items
                    .iter_mut()
                    .filter(|v| v.id == "dxvif-fgab1c2d")
                {
                    v.bgp_peers[0].bgp_status = "down".into();
                }
                for v in euw2(e)
                    .dx_vifs
                    .items
                    .iter_mut()
                    .filter(|v| v.id == "dxvif-fgeu1a2b")
                {
                    v.bgp_peers[0].bgp_status = "down".into();
                }
            },
            nothing,
            "vpc-0a1b2c3d4e5f60001",
        ),
        (
            "PATH-002",
            nothing,
            |e| use1(e).resolver_rules.items[2].target_ips = vec!["10.10.2.2:53".into()],
            "rslvr-rr-3c4d5e6f7a8b9c0d1",
        ),
        (
            "PATH-003",
            |e| {
                use1(e).tgw_routes.items.retain(|r| {
                    !(r.route_table_id == "tgw-rtb-0a1b2c3d4e5f60003"
                        && r.destination == "10.30.0.0/16")
                })
            },
            nothing,
            "rslvr-in-5f1a2b3c4d5e6f7a8",
        ),
        (
            "PATH-004",
            nothing,
            |e| {
                use1(e).tgw_routes.items.push(TgwRoute {
                    route_table_id: "tgw-rtb-0a1b2c3d4e5f60003".into(),
                    destination: "10.70.0.0/16".into(),
                    route_type: "propagated".into(),
                    state: "active".into(),
                    targets: vec![RouteTarget {
                        attachment_id: Some("tgw-attach-0a1b2c3d4e5f60007".into()),
                        ..Default::default()
                    }],
                })
            },
            "vpc-0a1b2c3d4e5f60005",
        ),
        (
            "PATH-005",
            // The demo's prod-eu routes 10.0.0.0/8 to its TGW, whose table has no route out.
            nothing,
            |e| {
                euw2(e).vpc_route_tables.items[0]
                    .routes
                    .retain(|r| r.destination != "10.0.0.0/8")
            },
            "vpc-0e1f2a3b4c5d60001",
        ),
        (
            "PATH-006",
            // shared-services loses its route back to prod-app over the peering.
            |e| {
                for t in &mut use1(e).vpc_route_tables.items {
                    if t.id == "rtb-0a1b2c3d4e5f60002" {
                        t.routes.retain(|r| r.target_id != "pcx-0a11b22c33d44e551");
                    }
                }
            },
            nothing,
            "pcx-0a11b22c33d44e551",
        ),
        (
            "PATH-007",
            // prod-app rides four VIFs, one of which (on the London connection) is down.
            nothing,
            |e| {
                let r = euw2(e);
                r.dx_connections.items[1].state = "available".into();
                for v in &mut r.dx_vifs.items {
                    v.state = "available".into();
                    for p in &mut v.bgp_peers {
                        p.bgp_status = "up".into();
                    }
                }
            },
            "vpc-0a1b2c3d4e5f60001",
        ),
        (
            "DNSFW-001",
            nothing,
            |e| {
                let c = &mut use1(e).firewall_configs.items[1];
                c.fail_open = "DISABLED".into();
                c.state = "DISABLED".into();
            },
            "rslvr-fc-0a1b2c3d4e5f6002",
        ),
        (
            "DNSFW-002",
            nothing,
            |e| {
                let a = FirewallAssociation {
                    rule_group_id: "rslvr-frg-7a8b9c0d1e2f3a4b".into(),
                    vpc_id: "vpc-0e1f2a3b4c5d60001".into(),
                    mutation_protection: "ENABLED".into(),
                    ..Default::default()
                };
                euw2(e).firewall_associations.items.push(a);
            },
            "rslvr-frg-7a8b9c0d1e2f3a4b",
        ),
        (
            "DNSFW-003",
            nothing,
            |e| {
                use1(e).firewall_rules.items[0].redirection_action =
                    "TRUST_REDIRECTION_DOMAIN".into()
            },
            "rslvr-frg-3c4d5e6f7a8b9c0d",
        ),
        (
            "DNSFW-004",
            nothing,
            |e| use1(e).firewall_associations.items[1].mutation_protection = "ENABLED".into(),
            "rslvr-frgassoc-6f7a8b9c0d1e2f3a",
        ),
        (
            "DNSFW-005",
            |e| euw2(e).firewall_rules.items.clear(),
            nothing,
            "rslvr-frg-7a8b9c0d1e2f3a4b",
        ),
    ]
}

fn add_propagated(e: &mut Estate, cidr: &str) {
    let r = use1(e);
    r.tgw_routes.items.push(TgwRoute {
        route_table_id: "tgw-rtb-0a1b2c3d4e5f60001".into(),
        destination: cidr.into(),
        route_type: "propagated".into(),
        state: "active".into(),
        targets: vec![RouteTarget {
            attachment_id: Some("tgw-attach-0a1b2c3d4e5f60004".into()),
            ..Default::default()
        }],
    });
}

#[test]
fn every_rule_fires_and_stays_quiet_on_its_healthy_equivalent() {
    // Rules over history or metrics have their own tests (findings::history, …).
    let all: Vec<&str> = rules()
        .iter()
        .map(|r| r.code)
        .filter(|c| !c.starts_with("HIST-") && !c.starts_with("CW-"))
        .collect();
    let mut covered: Vec<&str> = cases().iter().map(|c| c.0).collect();
    covered.sort();
    assert_eq!(all, covered, "every rule has a case");
    for (code, fire, heal, id) in cases() {
        let mut broken = demo_estate();
        fire(&mut broken);
        assert!(has(&broken, code, id), "{code} did not fire on {id}");
        // The healthy equivalent: the demo with the healing step (for rules the demo does
        // not break, the demo as it is).
        let mut healthy = demo_estate();
        heal(&mut healthy);
        assert!(
            !has(&healthy, code, id),
            "{code} fired on the healthy equivalent of {id}"
        );
    }
}

#[test]
fn the_demo_reports_no_healthy_thing() {
    let e = demo_estate();
    let f = evaluate(&e);
    let about = |id: &str| {
        f.iter()
            .filter(|x| x.resources.iter().any(|r| r.id == id))
            .map(|x| x.code)
            .collect::<Vec<_>>()
    };
    assert!(
        about("rslvr-out-7b8c9d0e1f2a3b4c5").is_empty(),
        "outbound endpoint over two AZs: {:?}",
        about("rslvr-out-7b8c9d0e1f2a3b4c5")
    );
    assert!(about("rslvr-in-5f1a2b3c4d5e6f7a8").is_empty());
    assert!(about("pcx-0a11b22c33d44e551").is_empty(), "active peering");
    let vif = about("dxvif-fg7h8i9j");
    assert!(
        !vif.iter()
            .any(|c| ["DX-005", "DX-006", "DX-010"].contains(c)),
        "VIF whose BGP peer is up: {vif:?}"
    );
    assert!(
        about("tgw-rtb-0a1b2c3d4e5f60001|10.0.0.0/8").is_empty(),
        "active route"
    );
    assert!(
        f.windows(2).all(|w| w[0].severity >= w[1].severity),
        "sorted by severity"
    );
}
