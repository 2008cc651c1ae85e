//! The connectivity graph's cost (run with `cargo bench --bench graph`): the path findings run
//! on every model revision before a frame is drawn, so an organisation-sized estate must stay
//! well under a poll interval. Goal: 500 VPCs × 50 on-prem prefixes evaluated in ≤ 250 ms.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use crossconnect::graph::{Index, path};
use crossconnect::model::*;

/// `vpcs` VPCs on one TGW whose route table sends `prefixes` on-prem /24s to a DX gateway
/// with two VIFs in two locations, and routes every VPC back.
fn estate(vpcs: usize, prefixes: usize) -> Estate {
    let mut e = Estate::with_regions(&["us-east-1"]);
    let now = chrono::Utc::now();
    let tgw = "tgw-0000000000000001";
    let rt = "tgw-rtb-000000000001";
    let dx_att = "tgw-attach-dxgw0000001";
    let dxgw = "dxgw-bench";
    let vpc_id = |i: usize| format!("vpc-{i:017x}");
    let att_id = |i: usize| format!("tgw-attach-{i:017x}");
    let cidr = |i: usize| format!("10.{}.{}.0/24", 100 + i / 256, i % 256);
    let mut batches = vec![
        Batch::Vpcs(
            (0..vpcs)
                .map(|i| Vpc {
                    id: vpc_id(i),
                    state: "available".into(),
                    cidrs: vec![cidr(i)],
                    ..Default::default()
                })
                .collect(),
        ),
        Batch::VpcRouteTables(
            (0..vpcs)
                .map(|i| VpcRouteTable {
                    id: format!("rtb-{i:017x}"),
                    vpc_id: vpc_id(i),
                    main: true,
                    routes: vec![VpcRoute {
                        destination: "0.0.0.0/0".into(),
                        target_kind: "transit-gateway".into(),
                        target_id: tgw.into(),
                        state: "active".into(),
                        origin: "CreateRoute".into(),
                    }],
                    ..Default::default()
                })
                .collect(),
        ),
        Batch::TransitGateways(vec![TransitGateway {
            id: tgw.into(),
            state: "available".into(),
            ..Default::default()
        }]),
        Batch::TgwRouteTables(vec![TgwRouteTable {
            id: rt.into(),
            state: "available".into(),
            transit_gateway_id: tgw.into(),
            ..Default::default()
        }]),
    ];
    let mut atts: Vec<TgwAttachment> = (0..vpcs)
        .map(|i| TgwAttachment {
            id: att_id(i),
            state: "available".into(),
            transit_gateway_id: tgw.into(),
            resource_type: "vpc".into(),
            resource_id: Some(vpc_id(i)),
            association_route_table_id: Some(rt.into()),
            ..Default::default()
        })
        .collect();
    atts.push(TgwAttachment {
        id: dx_att.into(),
        state: "available".into(),
        transit_gateway_id: tgw.into(),
        resource_type: "direct-connect-gateway".into(),
        resource_id: Some(dxgw.into()),
        association_route_table_id: Some(rt.into()),
        ..Default::default()
    });
    let assoc = |a: &TgwAttachment| TgwAssociation {
        route_table_id: rt.into(),
        attachment_id: a.id.clone(),
        resource_id: a.resource_id.clone(),
        resource_type: Some(a.resource_type.clone()),
        state: "associated".into(),
    };
    batches.push(Batch::TgwAssociations(atts.iter().map(assoc).collect()));
    let target = |a: &str| {
        vec![RouteTarget {
            attachment_id: Some(a.into()),
            ..Default::default()
        }]
    };
    let mut routes: Vec<TgwRoute> = (0..prefixes)
        .map(|i| TgwRoute {
            route_table_id: rt.into(),
            destination: format!("192.168.{i}.0/24"),
            route_type: "static".into(),
            state: "active".into(),
            targets: target(dx_att),
        })
        .collect();
    routes.extend((0..vpcs).map(|i| TgwRoute {
        route_table_id: rt.into(),
        destination: cidr(i),
        route_type: "propagated".into(),
        state: "active".into(),
        targets: target(&att_id(i)),
    }));
    batches.push(Batch::TgwRoutes(routes));
    batches.push(Batch::TgwAttachments(atts));
    let vif = |id: &str, conn: &str, loc: &str| VirtualInterface {
        id: id.into(),
        state: "available".into(),
        connection_id: conn.into(),
        location: loc.into(),
        direct_connect_gateway_id: Some(dxgw.into()),
        bgp_peers: vec![BgpPeer {
            bgp_status: "up".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    batches.push(Batch::DxVirtualInterfaces(vec![
        vif("dxvif-a", "dxcon-a", "LOC1"),
        vif("dxvif-b", "dxcon-b", "LOC2"),
    ]));
    batches.push(Batch::DxGateways(vec![DxGateway {
        id: dxgw.into(),
        state: "available".into(),
        ..Default::default()
    }]));
    for b in batches {
        e.apply(Update::ok("us-east-1", now, b));
    }
    e
}

fn benches(c: &mut Criterion) {
    let e = estate(500, 50);
    c.bench_function(
        "findings (path rules included) over 500 VPCs x 50 on-prem prefixes",
        |b| b.iter(|| black_box(crossconnect::findings::evaluate(&e).len())),
    );
    c.bench_function(
        "derived state (index, paths, every finding, figures, topology) of a 500-VPC estate, once per revision",
        |b| {
            b.iter(|| {
                let d = crossconnect::derived::Derived::build(
                    &e,
                    &[],
                    chrono::Utc::now(),
                    &Default::default(),
                    &[],
                    (1, 0),
                );
                black_box(d.findings.len())
            })
        },
    );
    c.bench_function("one path trace in a 500-VPC estate (index built)", |b| {
        b.iter(|| {
            let ix = Index::new(&e);
            black_box(
                path::trace(&ix, "vpc-00000000000000007", "192.168.3.9").map(|t| t.working_paths),
            )
        })
    });
}

criterion_group!(name = graph; config = Criterion::default().sample_size(10); targets = benches);
criterion_main!(graph);
