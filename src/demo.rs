//! The embedded demo estate: a realistic hybrid network in two regions, with AWS-shaped ids,
//! that changes over time (a BGP session flaps, a hosted connection moves from `ordering`
//! to `available`). No AWS, no network: [`updates`] builds the same [`Update`]s a poll would.

use chrono::Duration;

use crate::model::secret::{Masked, mask_router_config};
use crate::model::*;

/// The account that owns the demo estate.
pub const ACCOUNT: &str = "111122223333";
/// A partner account on the other side of a pending peering.
pub const PARTNER_ACCOUNT: &str = "444455556666";
/// The demo regions.
pub const REGIONS: [&str; 2] = ["us-east-1", "eu-west-2"];
/// The global Direct Connect gateway of the demo.
pub const DXGW_ID: &str = "5f2a7c1e-3b4d-4e8f-9a6b-1c2d3e4f5a6b";

/// Poll number at which the hosted connection has been confirmed by the partner.
pub const HOSTED_CONFIRMED_AT: u64 = 3;

/// Whether the flapping BGP session (`dxvif-fgab1c2d`) is up at poll `tick`:
/// up for two polls, down for two.
pub fn flapping_peer_up(tick: u64) -> bool {
    (tick / 2).is_multiple_of(2)
}

/// Every update of poll number `tick` (0, 1, 2 …) taken at `now`, for the demo regions
/// selected by `regions` (all when empty).
pub fn updates(tick: u64, now: Timestamp, regions: &[String]) -> Vec<Update> {
    updates_at(tick, now, now, regions)
}

/// Like [`updates`], with the resources' own timestamps (LOA issue times, expiries) relative to
/// `base`, the start of the session, and the reads made at `now`: a live demo keeps `base`
/// fixed so that only real changes are highlighted.
pub fn updates_at(tick: u64, base: Timestamp, now: Timestamp, regions: &[String]) -> Vec<Update> {
    REGIONS
        .iter()
        .filter(|r| regions.is_empty() || regions.iter().any(|x| x == *r))
        .flat_map(|r| {
            region_batches(r, tick, base)
                .into_iter()
                .map(move |b| Update::ok(r, now, b))
        })
        .collect()
}

/// The demo estate after poll number `tick`, as a ready model.
pub fn estate(tick: u64, now: Timestamp) -> Estate {
    let mut e = Estate::with_regions(&REGIONS);
    for t in 0..=tick {
        for u in updates(t, now, &[]) {
            e.apply(u);
        }
    }
    e
}

/// A small, valid one-page PDF standing in for a demo LOA-CFA.
pub fn loa_pdf(connection_id: &str) -> Vec<u8> {
    let text = format!("BT /F1 18 Tf 72 720 Td (LOA-CFA demo for {connection_id}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        pdf.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// Writes the demo LOA of a demo connection or LAG to `path`.
pub fn write_loa(connection_id: &str, path: &str) -> crate::workflows::exec::Outcome {
    use crate::workflows::exec::Outcome;
    let known = estate(0, chrono::Utc::now()).regions.values().any(|r| {
        r.dx_connections.items.iter().any(|c| c.id == connection_id)
            || r.dx_lags.items.iter().any(|l| l.id == connection_id)
    });
    if !known {
        return Outcome {
            success: false,
            code: Some("DirectConnectClientException".into()),
            message: format!("Connection {connection_id} not found"),
            request_id: None,
            journaled: false,
        };
    }
    let pdf = loa_pdf(connection_id);
    match std::fs::write(path, &pdf) {
        Ok(()) => Outcome {
            success: true,
            code: None,
            message: format!("wrote {} bytes to {path}", pdf.len()),
            request_id: None,
            journaled: false,
        },
        Err(e) => Outcome {
            success: false,
            code: Some("WriteFailed".into()),
            message: format!("cannot write {path}: {e}"),
            request_id: None,
            journaled: false,
        },
    }
}

/// Domains of a demo domain list (the answer ListFirewallDomains would give).
pub fn domains(list_id: &str) -> Result<Vec<String>, ApiError> {
    let d: &[&str] = match list_id {
        "rslvr-fdl-1a2b3c4d5e6f7081" => &[
            "*.github.com.",
            "*.slack.com.",
            "*.okta.com.",
            "*.amazonaws.com.",
            "*.pypi.org.",
        ],
        "rslvr-fdl-2b3c4d5e6f708192" => &["*."],
        "rslvr-fdl-3c4d5e6f708192a3" => &["malware-c2.example.net.", "bad-actor.example.org."],
        _ => {
            return Err(ApiError {
                operation: "ListFirewallDomains".into(),
                code: "ResourceNotFoundException".into(),
                message: format!("domain list {list_id} not found"),
            });
        }
    };
    Ok(d.iter().map(|s| s.to_string()).collect())
}

fn s(v: &str) -> String {
    v.to_string()
}

fn so(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn vpc(id: &str, name: &str, cidr: &str) -> Vpc {
    Vpc {
        id: s(id),
        name: s(name),
        state: s("available"),
        owner_id: so(ACCOUNT),
        cidrs: vec![s(cidr)],
        is_default: false,
    }
}

fn sg(id: &str, name: &str, vpc_id: &str) -> SecurityGroup {
    SecurityGroup {
        id: s(id),
        name: s(name),
        state: String::new(),
        vpc_id: s(vpc_id),
        description: so(&format!("{name} security group")),
    }
}

fn subnet(id: &str, vpc_id: &str, cidr: &str, az: &str, az_id: &str) -> Subnet {
    Subnet {
        id: s(id),
        name: format!("{vpc_id}-{az}"),
        state: s("available"),
        vpc_id: s(vpc_id),
        cidr: s(cidr),
        availability_zone: s(az),
        availability_zone_id: so(az_id),
    }
}

#[allow(clippy::too_many_arguments)]
fn connection(
    id: &str,
    name: &str,
    state: &str,
    region: &str,
    location: &str,
    bandwidth: &str,
    device: &str,
    now: Timestamp,
) -> Connection {
    Connection {
        id: s(id),
        name: s(name),
        state: s(state),
        region: s(region),
        owner_account: so(ACCOUNT),
        location: s(location),
        bandwidth: s(bandwidth),
        aws_device: so(device),
        aws_logical_device_id: so(device),
        has_logical_redundancy: so("no"),
        jumbo_frame_capable: Some(true),
        mac_sec_capable: Some(false),
        loa_issue_time: Some(now - Duration::days(120)),
        ..Default::default()
    }
}

fn peer(id: &str, family: &str, amazon: &str, customer: &str, status: &str) -> BgpPeer {
    BgpPeer {
        id: s(id),
        asn: 65010,
        address_family: s(family),
        amazon_address: so(amazon),
        customer_address: so(customer),
        bgp_peer_state: s("available"),
        bgp_status: s(status),
        auth_key: Some(Masked),
        aws_logical_device_id: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn vif(
    id: &str,
    name: &str,
    vif_type: &str,
    state: &str,
    region: &str,
    con: &Connection,
    vlan: i32,
    mtu: i32,
    peers: Vec<BgpPeer>,
) -> VirtualInterface {
    let (amazon, customer) = peers
        .first()
        .map(|p| (p.amazon_address.clone(), p.customer_address.clone()))
        .unwrap_or_default();
    VirtualInterface {
        id: s(id),
        name: s(name),
        state: s(state),
        vif_type: s(vif_type),
        region: s(region),
        owner_account: so(ACCOUNT),
        location: con.location.clone(),
        connection_id: con.id.clone(),
        vlan,
        asn: 65010,
        amazon_side_asn: Some(64512),
        address_family: so("ipv4"),
        amazon_address: amazon,
        customer_address: customer,
        mtu: Some(mtu),
        jumbo_frame_capable: Some(mtu > 1500),
        direct_connect_gateway_id: if vif_type == "private" {
            None
        } else {
            so(DXGW_ID)
        },
        aws_device: con.aws_device.clone(),
        aws_logical_device_id: con.aws_logical_device_id.clone(),
        auth_key: Some(Masked),
        bgp_peers: peers,
        customer_router_config: Some(mask_router_config(&format!(
            "<?xml version=\"1.0\"?><customer_router_config><logical_connection id=\"{id}\"><vlan>{vlan}</vlan>\
             <bgp_auth_key>demo-key-never-shown</bgp_auth_key></logical_connection></customer_router_config>"
        ))),
        ..Default::default()
    }
}

fn attachment(
    id: &str,
    name: &str,
    tgw: &str,
    rtype: &str,
    resource: &str,
    rtb: Option<&str>,
) -> TgwAttachment {
    TgwAttachment {
        id: s(id),
        name: s(name),
        state: s("available"),
        transit_gateway_id: s(tgw),
        resource_type: s(rtype),
        resource_id: so(resource),
        resource_owner_id: so(ACCOUNT),
        association_route_table_id: rtb.map(str::to_string),
        association_state: rtb.map(|_| s("associated")),
    }
}

fn route_table(id: &str, name: &str, tgw: &str) -> TgwRouteTable {
    TgwRouteTable {
        id: s(id),
        name: s(name),
        state: s("available"),
        transit_gateway_id: s(tgw),
        ..Default::default()
    }
}

fn route(
    rtb: &str,
    dest: &str,
    rtype: &str,
    state: &str,
    target: Option<(&str, &str, &str)>,
) -> TgwRoute {
    TgwRoute {
        route_table_id: s(rtb),
        destination: s(dest),
        route_type: s(rtype),
        state: s(state),
        targets: target
            .map(|(a, r, t)| RouteTarget {
                attachment_id: so(a),
                resource_id: so(r),
                resource_type: so(t),
            })
            .into_iter()
            .collect(),
    }
}

fn assoc(rtb: &str, a: &TgwAttachment) -> TgwAssociation {
    TgwAssociation {
        route_table_id: s(rtb),
        attachment_id: a.id.clone(),
        resource_id: a.resource_id.clone(),
        resource_type: Some(a.resource_type.clone()),
        state: s("associated"),
    }
}

fn prop(rtb: &str, a: &TgwAttachment) -> TgwPropagation {
    TgwPropagation {
        route_table_id: s(rtb),
        attachment_id: a.id.clone(),
        resource_id: a.resource_id.clone(),
        resource_type: Some(a.resource_type.clone()),
        state: s("enabled"),
    }
}

fn endpoint_ip(id: &str, ip: &str, subnet: &str) -> EndpointIp {
    EndpointIp {
        ip_id: s(id),
        ip: so(ip),
        ipv6: None,
        subnet_id: s(subnet),
        availability_zone: None,
        status: s("ATTACHED"),
    }
}

#[allow(clippy::too_many_arguments)]
fn endpoint(
    id: &str,
    name: &str,
    direction: &str,
    vpc: &str,
    sg: &str,
    protocols: &[&str],
    ips: Vec<EndpointIp>,
    now: Timestamp,
) -> ResolverEndpoint {
    ResolverEndpoint {
        id: s(id),
        name: s(name),
        state: s("OPERATIONAL"),
        status_message: so("This Resolver Endpoint is operational."),
        direction: s(direction),
        vpc_id: s(vpc),
        security_group_ids: vec![s(sg)],
        ip_address_count: Some(ips.len() as i32),
        endpoint_type: so("IPV4"),
        protocols: protocols.iter().map(|p| s(p)).collect(),
        ips,
        creation_time: Some(now - Duration::days(400)),
    }
}

fn fw_rule(
    group: &str,
    name: &str,
    priority: i32,
    list: &str,
    action: &str,
    redirection: &str,
) -> FirewallRule {
    FirewallRule {
        rule_group_id: s(group),
        name: s(name),
        state: String::new(),
        priority,
        domain_list_id: so(list),
        action: s(action),
        block_response: (action == "BLOCK").then(|| s("NXDOMAIN")),
        block_override_domain: None,
        redirection_action: s(redirection),
        qtype: None,
    }
}

fn dxgw() -> DxGateway {
    DxGateway {
        id: s(DXGW_ID),
        name: s("corp-dxgw"),
        state: s("available"),
        amazon_side_asn: Some(64512),
        owner_account: so(ACCOUNT),
        state_change_error: None,
    }
}

fn dx_attachment(vif: &VirtualInterface) -> DxGatewayAttachment {
    DxGatewayAttachment {
        id: format!("{DXGW_ID}/{}", vif.id),
        name: format!("corp-dxgw ← {}", vif.id),
        state: s("attached"),
        direct_connect_gateway_id: s(DXGW_ID),
        virtual_interface_id: vif.id.clone(),
        virtual_interface_region: so(&vif.region),
        virtual_interface_owner_account: so(ACCOUNT),
        attachment_type: so("TransitVirtualInterface"),
        state_change_error: None,
    }
}

fn region_batches(region: &str, tick: u64, now: Timestamp) -> Vec<Batch> {
    match region {
        "us-east-1" => us_east_1(tick, now),
        _ => eu_west_2(tick, now),
    }
}

fn us_east_1(tick: u64, now: Timestamp) -> Vec<Batch> {
    let r = "us-east-1";
    let (prod, shared, egress, analytics) = (
        "vpc-0a1b2c3d4e5f60001",
        "vpc-0a1b2c3d4e5f60002",
        "vpc-0a1b2c3d4e5f60003",
        "vpc-0a1b2c3d4e5f60004",
    );
    let vpcs = vec![
        vpc(prod, "prod-app", "10.20.0.0/16"),
        vpc(shared, "shared-services", "10.30.0.0/16"),
        vpc(egress, "egress", "10.40.0.0/16"),
        vpc(analytics, "analytics", "10.50.0.0/16"),
    ];
    let subnets = vec![
        subnet(
            "subnet-0aa1111111111a001",
            prod,
            "10.20.1.0/24",
            "us-east-1a",
            "use1-az1",
        ),
        subnet(
            "subnet-0bb1111111111b001",
            prod,
            "10.20.2.0/24",
            "us-east-1b",
            "use1-az2",
        ),
        subnet(
            "subnet-0aa2222222222a002",
            shared,
            "10.30.1.0/24",
            "us-east-1a",
            "use1-az1",
        ),
        subnet(
            "subnet-0bb2222222222b002",
            shared,
            "10.30.2.0/24",
            "us-east-1b",
            "use1-az2",
        ),
    ];

    let ash = connection(
        "dxcon-fgq1x2y3",
        "ash-primary-10g",
        "available",
        r,
        "EqDC2",
        "10Gbps",
        "EqDC2-4k2ppbtjqfm3x",
        now,
    );
    let rst = connection(
        "dxcon-fh2a3b4c",
        "rst-secondary-10g",
        "available",
        r,
        "CSVA1",
        "10Gbps",
        "CSVA1-2b8nx7dt4vq1a",
        now,
    );
    let mut hosted = connection(
        "dxcon-ffz9y8x7",
        "hosted-1g-megaport",
        if tick >= HOSTED_CONFIRMED_AT {
            "available"
        } else {
            "ordering"
        },
        r,
        "EqDC2",
        "1Gbps",
        "EqDC2-1c9ks3bq7x0pd",
        now,
    );
    hosted.partner_name = so("Megaport");
    hosted.vlan = Some(412);
    hosted.loa_issue_time = None;
    let mut m1 = connection(
        "dxcon-fg5l6m7n",
        "ash-lag-member-1",
        "available",
        r,
        "EqDC2",
        "10Gbps",
        "EqDC2-2zx8c7v6b5n4m",
        now,
    );
    let mut m2 = connection(
        "dxcon-fg8o9p0q",
        "ash-lag-member-2",
        "available",
        r,
        "EqDC2",
        "10Gbps",
        "EqDC2-2zx8c7v6b5n4m",
        now,
    );
    m1.lag_id = so("dxlag-fgk3m4n5");
    m2.lag_id = so("dxlag-fgk3m4n5");
    let lag = Lag {
        id: s("dxlag-fgk3m4n5"),
        name: s("ash-lag-2x10g"),
        state: s("available"),
        region: s(r),
        owner_account: so(ACCOUNT),
        location: s("EqDC2"),
        connections_bandwidth: s("10Gbps"),
        number_of_connections: 2,
        minimum_links: 1,
        connection_ids: vec![m1.id.clone(), m2.id.clone()],
        aws_device: so("EqDC2-2zx8c7v6b5n4m"),
        aws_logical_device_id: so("EqDC2-2zx8c7v6b5n4m"),
        has_logical_redundancy: so("no"),
        jumbo_frame_capable: Some(true),
    };
    let flap = if flapping_peer_up(tick) { "up" } else { "down" };
    let vifs = vec![
        vif(
            "dxvif-fg7h8i9j",
            "prod-transit-ash",
            "transit",
            "available",
            r,
            &ash,
            101,
            8500,
            vec![peer(
                "dxpeer-fg1a1a1a",
                "ipv4",
                "169.254.10.1/30",
                "169.254.10.2/30",
                "up",
            )],
        ),
        vif(
            "dxvif-fgab1c2d",
            "prod-transit-rst",
            "transit",
            "available",
            r,
            &rst,
            102,
            8500,
            vec![peer(
                "dxpeer-fg2b2b2b",
                "ipv4",
                "169.254.10.5/30",
                "169.254.10.6/30",
                flap,
            )],
        ),
        {
            let mut v = vif(
                "dxvif-ffcd3e4f",
                "legacy-private-vgw",
                "private",
                "available",
                r,
                &m1,
                200,
                1500,
                vec![
                    peer(
                        "dxpeer-fg3c3c3c",
                        "ipv4",
                        "169.254.20.1/30",
                        "169.254.20.2/30",
                        "up",
                    ),
                    peer(
                        "dxpeer-fg4d4d4d",
                        "ipv6",
                        "2001:db8:1::1/125",
                        "2001:db8:1::2/125",
                        "up",
                    ),
                ],
            );
            v.connection_id = lag.id.clone();
            v.virtual_gateway_id = so("vgw-0b1c2d3e4f5a60001");
            v
        },
    ];
    let attachments: Vec<_> = vifs
        .iter()
        .filter(|v| v.direct_connect_gateway_id.is_some())
        .map(dx_attachment)
        .collect();

    let tgw = "tgw-0c1d2e3f4a5b60001";
    let (rt_prod, rt_shared, rt_onprem, rt_quar) = (
        "tgw-rtb-0a1b2c3d4e5f60001",
        "tgw-rtb-0a1b2c3d4e5f60002",
        "tgw-rtb-0a1b2c3d4e5f60003",
        "tgw-rtb-0a1b2c3d4e5f60004",
    );
    let a_prod = attachment(
        "tgw-attach-0a1b2c3d4e5f60001",
        "prod-app",
        tgw,
        "vpc",
        prod,
        Some(rt_prod),
    );
    let a_shared = attachment(
        "tgw-attach-0a1b2c3d4e5f60002",
        "shared-services",
        tgw,
        "vpc",
        shared,
        Some(rt_shared),
    );
    let a_dx = attachment(
        "tgw-attach-0a1b2c3d4e5f60003",
        "corp-dxgw",
        tgw,
        "direct-connect-gateway",
        DXGW_ID,
        Some(rt_onprem),
    );
    let a_vpn = attachment(
        "tgw-attach-0a1b2c3d4e5f60004",
        "dx-backup-vpn",
        tgw,
        "vpn",
        "vpn-0d1e2f3a4b5c60001",
        Some(rt_onprem),
    );
    let a_peer = attachment(
        "tgw-attach-0a1b2c3d4e5f60005",
        "peer-euw2",
        tgw,
        "peering",
        "tgw-0e1f2a3b4c5d60001",
        Some(rt_shared),
    );
    let a_analytics = attachment(
        "tgw-attach-0a1b2c3d4e5f60006",
        "analytics",
        tgw,
        "vpc",
        analytics,
        None,
    );
    let tgw_attachments = vec![
        a_prod.clone(),
        a_shared.clone(),
        a_dx.clone(),
        a_vpn.clone(),
        a_peer.clone(),
        a_analytics.clone(),
    ];
    let t = |a: &TgwAttachment| {
        (
            a.id.clone(),
            a.resource_id.clone().unwrap_or_default(),
            a.resource_type.clone(),
        )
    };
    let tg = |a: &TgwAttachment| t(a);
    let (dx_t, vpn_t, shared_t, prod_t, peer_t) = (
        tg(&a_dx),
        tg(&a_vpn),
        tg(&a_shared),
        tg(&a_prod),
        tg(&a_peer),
    );
    let target = |x: &(String, String, String)| Some((x.0.clone(), x.1.clone(), x.2.clone()));
    let rt = |rtb: &str, dest: &str, ty: &str, st: &str, x: Option<(String, String, String)>| {
        route(
            rtb,
            dest,
            ty,
            st,
            x.as_ref()
                .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())),
        )
    };
    let routes = vec![
        rt(rt_prod, "10.0.0.0/8", "static", "active", target(&dx_t)),
        rt(
            rt_prod,
            "10.30.0.0/16",
            "propagated",
            "active",
            target(&shared_t),
        ),
        rt(rt_prod, "10.60.0.0/16", "static", "active", target(&peer_t)),
        rt(rt_prod, "10.99.0.0/16", "static", "blackhole", None),
        rt(
            rt_prod,
            "192.168.0.0/16",
            "propagated",
            "active",
            target(&vpn_t),
        ),
        rt(rt_shared, "10.0.0.0/8", "static", "active", target(&dx_t)),
        rt(
            rt_shared,
            "10.20.0.0/16",
            "propagated",
            "active",
            target(&prod_t),
        ),
        rt(
            rt_shared,
            "10.60.0.0/16",
            "static",
            "active",
            target(&peer_t),
        ),
        rt(
            rt_onprem,
            "10.20.0.0/16",
            "propagated",
            "active",
            target(&prod_t),
        ),
        rt(
            rt_onprem,
            "10.30.0.0/16",
            "propagated",
            "active",
            target(&shared_t),
        ),
    ];

    let in_ep = endpoint(
        "rslvr-in-5f1a2b3c4d5e6f7a8",
        "onprem-to-aws-inbound",
        "INBOUND",
        shared,
        "sg-0a1b2c3d4e5f60010",
        &["Do53", "DoH"],
        vec![
            endpoint_ip(
                "rni-0a1b2c3d4e5f60001",
                "10.30.1.10",
                "subnet-0aa2222222222a002",
            ),
            endpoint_ip(
                "rni-0a1b2c3d4e5f60002",
                "10.30.2.10",
                "subnet-0bb2222222222b002",
            ),
        ],
        now,
    );
    let out_ep = endpoint(
        "rslvr-out-7b8c9d0e1f2a3b4c5",
        "aws-to-onprem-outbound",
        "OUTBOUND",
        shared,
        "sg-0a1b2c3d4e5f60011",
        &["Do53"],
        vec![
            endpoint_ip(
                "rni-0a1b2c3d4e5f60003",
                "10.30.1.20",
                "subnet-0aa2222222222a002",
            ),
            endpoint_ip(
                "rni-0a1b2c3d4e5f60004",
                "10.30.2.20",
                "subnet-0bb2222222222b002",
            ),
        ],
        now,
    );
    let fwd = |id: &str, name: &str, domain: &str, targets: &[&str]| ResolverRule {
        id: s(id),
        name: s(name),
        state: s("COMPLETE"),
        domain_name: s(domain),
        rule_type: s("FORWARD"),
        resolver_endpoint_id: so(&out_ep.id),
        target_ips: targets.iter().map(|t| s(t)).collect(),
        owner_id: so(ACCOUNT),
        share_status: so("NOT_SHARED"),
    };
    let rules = vec![
        fwd(
            "rslvr-rr-1a2b3c4d5e6f7a8b9",
            "corp-example-forward",
            "corp.example.com",
            &["10.10.0.2:53", "10.10.0.3:53"],
        ),
        fwd(
            "rslvr-rr-2b3c4d5e6f7a8b9c0",
            "ad-forward",
            "ad.corp.example.com",
            &["10.10.1.2:53", "10.10.1.3:53"],
        ),
        ResolverRule {
            id: s("rslvr-autodefined-rr-internet-resolver"),
            name: s("Internet Resolver"),
            state: s("COMPLETE"),
            domain_name: s("."),
            rule_type: s("RECURSIVE"),
            owner_id: so("Route 53 Resolver"),
            share_status: so("NOT_SHARED"),
            ..Default::default()
        },
    ];
    let rassoc = |id: &str, name: &str, rule: &str, vpc_id: &str| ResolverRuleAssociation {
        id: s(id),
        name: s(name),
        state: s("COMPLETE"),
        resolver_rule_id: s(rule),
        vpc_id: s(vpc_id),
    };
    let rule_assocs = vec![
        rassoc(
            "rslvr-rrassoc-0a1b2c3d4e5f60001",
            "corp-prod",
            "rslvr-rr-1a2b3c4d5e6f7a8b9",
            prod,
        ),
        rassoc(
            "rslvr-rrassoc-0a1b2c3d4e5f60002",
            "corp-shared",
            "rslvr-rr-1a2b3c4d5e6f7a8b9",
            shared,
        ),
        rassoc(
            "rslvr-rrassoc-0a1b2c3d4e5f60003",
            "ad-shared",
            "rslvr-rr-2b3c4d5e6f7a8b9c0",
            shared,
        ),
    ];

    let (g_egress, g_threat) = ("rslvr-frg-3c4d5e6f7a8b9c0d", "rslvr-frg-4d5e6f7a8b9c0d1e");
    let fw_groups = vec![
        FirewallRuleGroup {
            id: s(g_egress),
            name: s("egress-allowlist"),
            owner_id: so(ACCOUNT),
            share_status: so("NOT_SHARED"),
            ..Default::default()
        },
        FirewallRuleGroup {
            id: s(g_threat),
            name: s("threat-block"),
            owner_id: so(ACCOUNT),
            share_status: so("NOT_SHARED"),
            ..Default::default()
        },
    ];
    let fw_rules = vec![
        fw_rule(
            g_egress,
            "allow-saas",
            100,
            "rslvr-fdl-1a2b3c4d5e6f7081",
            "ALLOW",
            "INSPECT_REDIRECTION_DOMAIN",
        ),
        fw_rule(
            g_egress,
            "block-everything-else",
            200,
            "rslvr-fdl-2b3c4d5e6f708192",
            "BLOCK",
            "INSPECT_REDIRECTION_DOMAIN",
        ),
        fw_rule(
            g_threat,
            "block-malware",
            100,
            "rslvr-fdl-4d5e6f708192a3b4",
            "BLOCK",
            "INSPECT_REDIRECTION_DOMAIN",
        ),
        {
            let mut r = fw_rule(
                g_threat,
                "alert-known-bad",
                200,
                "rslvr-fdl-3c4d5e6f708192a3",
                "ALERT",
                "INSPECT_REDIRECTION_DOMAIN",
            );
            r.block_response = None;
            r
        },
    ];
    let fw_lists = domain_lists();
    let fw_assocs = vec![
        FirewallAssociation {
            id: s("rslvr-frgassoc-5e6f7a8b9c0d1e2f"),
            name: s("prod-egress"),
            state: s("COMPLETE"),
            rule_group_id: s(g_egress),
            vpc_id: s(prod),
            priority: 101,
            mutation_protection: s("ENABLED"),
        },
        FirewallAssociation {
            id: s("rslvr-frgassoc-6f7a8b9c0d1e2f3a"),
            name: s("shared-threat"),
            state: s("COMPLETE"),
            rule_group_id: s(g_threat),
            vpc_id: s(shared),
            priority: 200,
            mutation_protection: s("DISABLED"),
        },
    ];
    let fc = |id: &str, vpc_id: &str, fail_open: &str| FirewallConfig {
        id: s(id),
        name: s(vpc_id),
        state: s(fail_open),
        vpc_id: s(vpc_id),
        fail_open: s(fail_open),
        owner_id: so(ACCOUNT),
    };
    let fw_configs = vec![
        fc("rslvr-fc-0a1b2c3d4e5f6001", prod, "DISABLED"),
        fc("rslvr-fc-0a1b2c3d4e5f6002", shared, "ENABLED"),
    ];

    let pcx =
        |id: &str, name: &str, state: &str, req: (&str, &str, &str), acc: (&str, &str, &str)| {
            VpcPeering {
                id: s(id),
                name: s(name),
                state: s(state),
                status_message: None,
                requester: PeeringSide {
                    vpc_id: s(req.0),
                    owner_id: so(req.1),
                    region: so(r),
                    cidrs: vec![s(req.2)],
                },
                accepter: PeeringSide {
                    vpc_id: s(acc.0),
                    owner_id: so(acc.1),
                    region: so(r),
                    cidrs: vec![s(acc.2)],
                },
                expiration_time: None,
            }
        };
    let mut pending = pcx(
        "pcx-0b22c33d44e55f662",
        "partner-analytics",
        "pending-acceptance",
        (analytics, ACCOUNT, "10.50.0.0/16"),
        ("vpc-0f9e8d7c6b5a40001", PARTNER_ACCOUNT, "172.31.0.0/16"),
    );
    pending.status_message = so(&format!("Pending Acceptance by {PARTNER_ACCOUNT}"));
    pending.expiration_time = Some(now + Duration::days(5) + Duration::hours(3));
    let mut failed = pcx(
        "pcx-0c33d44e55f66a773",
        "old-sandbox",
        "failed",
        (egress, ACCOUNT, "10.40.0.0/16"),
        ("vpc-0a1b2c3d4e5f60099", ACCOUNT, "10.40.0.0/16"),
    );
    failed.status_message = so("Failed due to overlapping CIDR blocks");
    let peerings = vec![
        pcx(
            "pcx-0a11b22c33d44e551",
            "prod-to-shared",
            "active",
            (prod, ACCOUNT, "10.20.0.0/16"),
            (shared, ACCOUNT, "10.30.0.0/16"),
        ),
        pending,
        failed,
    ];

    vec![
        Batch::DxLocations(vec![
            DxLocation {
                id: s("EqDC2"),
                name: s("Equinix DC1-DC6, DC10-DC11, Ashburn, VA"),
                state: String::new(),
                available_port_speeds: vec![s("1G"), s("10G"), s("100G")],
                available_providers: vec![s("Megaport"), s("Equinix")],
            },
            DxLocation {
                id: s("CSVA1"),
                name: s("CoreSite VA1, Reston, VA"),
                state: String::new(),
                available_port_speeds: vec![s("1G"), s("10G")],
                available_providers: vec![s("Megaport")],
            },
        ]),
        Batch::DxConnections(vec![ash, rst, hosted, m1, m2]),
        Batch::DxLags(vec![lag]),
        Batch::DxVirtualInterfaces(vifs),
        Batch::DxGateways(vec![dxgw()]),
        Batch::DxGatewayAssociations(vec![DxGatewayAssociation {
            id: s("2d1e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6"),
            name: format!("corp-dxgw → {tgw}"),
            state: s("associated"),
            direct_connect_gateway_id: s(DXGW_ID),
            associated_gateway_id: so(tgw),
            associated_gateway_type: so("transitGateway"),
            associated_gateway_region: so(r),
            associated_gateway_owner_account: so(ACCOUNT),
            allowed_prefixes: vec![s("10.20.0.0/16"), s("10.30.0.0/16")],
            state_change_error: None,
        }]),
        Batch::DxGatewayAttachments(attachments),
        Batch::DxVirtualGateways(vec![VirtualGateway {
            id: s("vgw-0b1c2d3e4f5a60001"),
            name: String::new(),
            state: s("available"),
        }]),
        Batch::VpnConnections(vec![VpnConnection {
            id: s("vpn-0d1e2f3a4b5c60001"),
            name: s("dx-backup-vpn"),
            state: s("available"),
            customer_gateway_id: so("cgw-0e1f2a3b4c5d60001"),
            vpn_gateway_id: None,
            transit_gateway_id: so(tgw),
            tunnels: vec![
                VpnTunnel {
                    outside_ip_address: s("52.1.2.3"),
                    status: s("UP"),
                    status_message: so("2 BGP ROUTES"),
                    last_status_change: Some(now - Duration::hours(30)),
                    accepted_route_count: Some(2),
                },
                VpnTunnel {
                    outside_ip_address: s("52.1.2.4"),
                    status: s("DOWN"),
                    status_message: None,
                    last_status_change: Some(now - Duration::hours(2)),
                    accepted_route_count: Some(0),
                },
            ],
        }]),
        Batch::Vpcs(vpcs),
        Batch::Subnets(subnets),
        Batch::SecurityGroups(vec![
            sg("sg-0a1b2c3d4e5f60010", "resolver-inbound", shared),
            sg("sg-0a1b2c3d4e5f60011", "resolver-outbound", shared),
            sg("sg-0a1b2c3d4e5f60012", "app-default", prod),
        ]),
        Batch::VpcPeerings(peerings),
        Batch::TransitGateways(vec![TransitGateway {
            id: s(tgw),
            name: s("core-tgw-use1"),
            state: s("available"),
            owner_id: so(ACCOUNT),
            description: so("Core hub, us-east-1"),
            amazon_side_asn: Some(64513),
            association_default_route_table_id: None,
            propagation_default_route_table_id: None,
        }]),
        Batch::TgwAttachments(tgw_attachments),
        Batch::TgwRouteTables(vec![
            route_table(rt_prod, "prod", tgw),
            route_table(rt_shared, "shared", tgw),
            route_table(rt_onprem, "on-prem", tgw),
            route_table(rt_quar, "quarantine", tgw),
        ]),
        Batch::TgwRoutes(routes),
        Batch::TgwAssociations(vec![
            assoc(rt_prod, &a_prod),
            assoc(rt_shared, &a_shared),
            assoc(rt_shared, &a_peer),
            assoc(rt_onprem, &a_dx),
            assoc(rt_onprem, &a_vpn),
        ]),
        Batch::TgwPropagations(vec![
            prop(rt_prod, &a_shared),
            prop(rt_prod, &a_vpn),
            prop(rt_shared, &a_prod),
            prop(rt_onprem, &a_prod),
            prop(rt_onprem, &a_shared),
        ]),
        Batch::ResolverEndpoints(vec![in_ep, out_ep]),
        Batch::ResolverRules(rules),
        Batch::ResolverRuleAssociations(rule_assocs),
        Batch::FirewallRuleGroups(fw_groups),
        Batch::FirewallRules(fw_rules),
        Batch::FirewallDomainLists(fw_lists),
        Batch::FirewallAssociations(fw_assocs),
        Batch::FirewallConfigs(fw_configs),
    ]
}

fn domain_lists() -> Vec<FirewallDomainList> {
    let l = |id: &str, name: &str, managed: Option<&str>| FirewallDomainList {
        id: s(id),
        name: s(name),
        state: String::new(),
        managed_owner_name: managed.map(str::to_string),
        domains: (id == "rslvr-fdl-2b3c4d5e6f708192").then(|| domains(id).unwrap_or_default()),
    };
    vec![
        l("rslvr-fdl-1a2b3c4d5e6f7081", "allowed-saas-domains", None),
        l("rslvr-fdl-2b3c4d5e6f708192", "all-domains", None),
        l("rslvr-fdl-3c4d5e6f708192a3", "known-bad", None),
        l(
            "rslvr-fdl-4d5e6f708192a3b4",
            "AWSManagedDomainsMalwareDomainList",
            Some("Route 53 Resolver DNS Firewall"),
        ),
    ]
}

fn eu_west_2(tick: u64, now: Timestamp) -> Vec<Batch> {
    let _ = tick;
    let r = "eu-west-2";
    let (prod, shared) = ("vpc-0e1f2a3b4c5d60001", "vpc-0e1f2a3b4c5d60002");
    let lon1 = connection(
        "dxcon-fgld5a01",
        "lon-primary-10g",
        "available",
        r,
        "LD5",
        "10Gbps",
        "LD5-26wz6vu8mdbx3",
        now,
    );
    let lon2 = connection(
        "dxcon-fgld5b02",
        "lon-secondary-10g",
        "down",
        r,
        "LD5",
        "10Gbps",
        "LD5-26wz6vu8mdbx3",
        now,
    );
    let mut v2 = vif(
        "dxvif-fgeu3c4d",
        "prod-eu-transit-2",
        "transit",
        "down",
        r,
        &lon2,
        302,
        8500,
        vec![peer(
            "dxpeer-fgeu2b2b",
            "ipv4",
            "169.254.30.5/30",
            "169.254.30.6/30",
            "down",
        )],
    );
    v2.mtu = Some(1500);
    let vifs = vec![
        vif(
            "dxvif-fgeu1a2b",
            "prod-eu-transit-1",
            "transit",
            "available",
            r,
            &lon1,
            301,
            8500,
            vec![peer(
                "dxpeer-fgeu1a1a",
                "ipv4",
                "169.254.30.1/30",
                "169.254.30.2/30",
                "up",
            )],
        ),
        v2,
    ];
    let attachments: Vec<_> = vifs.iter().map(dx_attachment).collect();
    let tgw = "tgw-0e1f2a3b4c5d60001";
    let rtb = "tgw-rtb-0e1f2a3b4c5d60001";
    let a_prod = attachment(
        "tgw-attach-0e1f2a3b4c5d60001",
        "prod-eu",
        tgw,
        "vpc",
        prod,
        Some(rtb),
    );
    let a_shared = attachment(
        "tgw-attach-0e1f2a3b4c5d60002",
        "shared-eu",
        tgw,
        "vpc",
        shared,
        Some(rtb),
    );
    let a_peer = attachment(
        "tgw-attach-0a1b2c3d4e5f60005",
        "peer-use1",
        tgw,
        "peering",
        "tgw-0c1d2e3f4a5b60001",
        Some(rtb),
    );
    vec![
        Batch::DxLocations(vec![DxLocation {
            id: s("LD5"),
            name: s("Equinix LD5, Slough"),
            state: String::new(),
            available_port_speeds: vec![s("1G"), s("10G"), s("100G")],
            available_providers: vec![s("Colt"), s("Megaport")],
        }]),
        Batch::DxConnections(vec![lon1, lon2]),
        Batch::DxLags(vec![]),
        Batch::DxVirtualInterfaces(vifs),
        Batch::DxGateways(vec![dxgw()]),
        Batch::DxGatewayAssociations(vec![]),
        Batch::DxGatewayAttachments(attachments),
        Batch::DxVirtualGateways(vec![]),
        Batch::VpnConnections(vec![]),
        Batch::Vpcs(vec![
            vpc(prod, "prod-eu", "10.60.0.0/16"),
            vpc(shared, "shared-eu", "10.61.0.0/16"),
        ]),
        Batch::Subnets(vec![
            subnet(
                "subnet-0ee1111111111a001",
                shared,
                "10.61.1.0/24",
                "eu-west-2a",
                "euw2-az2",
            ),
            subnet(
                "subnet-0ee1111111111a002",
                shared,
                "10.61.3.0/24",
                "eu-west-2a",
                "euw2-az2",
            ),
            subnet(
                "subnet-0ee1111111111b001",
                shared,
                "10.61.2.0/24",
                "eu-west-2b",
                "euw2-az3",
            ),
        ]),
        Batch::SecurityGroups(vec![sg("sg-0e1f2a3b4c5d60010", "resolver-inbound", shared)]),
        Batch::VpcPeerings(vec![]),
        Batch::TransitGateways(vec![TransitGateway {
            id: s(tgw),
            name: s("core-tgw-euw2"),
            state: s("available"),
            owner_id: so(ACCOUNT),
            description: so("Core hub, eu-west-2"),
            amazon_side_asn: Some(64514),
            association_default_route_table_id: so(rtb),
            propagation_default_route_table_id: so(rtb),
        }]),
        Batch::TgwAttachments(vec![a_prod.clone(), a_shared.clone(), a_peer.clone()]),
        Batch::TgwRouteTables(vec![TgwRouteTable {
            default_association_route_table: true,
            default_propagation_route_table: true,
            ..route_table(rtb, "eu-main", tgw)
        }]),
        Batch::TgwRoutes(vec![
            route(
                rtb,
                "10.20.0.0/16",
                "static",
                "active",
                Some((&a_peer.id, "tgw-0c1d2e3f4a5b60001", "peering")),
            ),
            route(
                rtb,
                "10.60.0.0/16",
                "propagated",
                "active",
                Some((&a_prod.id, prod, "vpc")),
            ),
            route(
                rtb,
                "10.61.0.0/16",
                "propagated",
                "active",
                Some((&a_shared.id, shared, "vpc")),
            ),
        ]),
        Batch::TgwAssociations(vec![
            assoc(rtb, &a_prod),
            assoc(rtb, &a_shared),
            assoc(rtb, &a_peer),
        ]),
        Batch::TgwPropagations(vec![prop(rtb, &a_prod), prop(rtb, &a_shared)]),
        Batch::ResolverEndpoints(vec![endpoint(
            "rslvr-in-9a8b7c6d5e4f3a2b1",
            "euw2-inbound",
            "INBOUND",
            shared,
            "sg-0e1f2a3b4c5d60010",
            &["Do53"],
            vec![
                endpoint_ip(
                    "rni-0e1f2a3b4c5d60001",
                    "10.61.1.10",
                    "subnet-0ee1111111111a001",
                ),
                endpoint_ip(
                    "rni-0e1f2a3b4c5d60002",
                    "10.61.3.10",
                    "subnet-0ee1111111111a002",
                ),
            ],
            now,
        )]),
        Batch::ResolverRules(vec![]),
        Batch::ResolverRuleAssociations(vec![]),
        Batch::FirewallRuleGroups(vec![FirewallRuleGroup {
            id: s("rslvr-frg-7a8b9c0d1e2f3a4b"),
            name: s("eu-baseline"),
            owner_id: so(ACCOUNT),
            share_status: so("NOT_SHARED"),
            ..Default::default()
        }]),
        Batch::FirewallRules(vec![fw_rule(
            "rslvr-frg-7a8b9c0d1e2f3a4b",
            "block-malware",
            100,
            "rslvr-fdl-4d5e6f708192a3b4",
            "BLOCK",
            "INSPECT_REDIRECTION_DOMAIN",
        )]),
        Batch::FirewallDomainLists(domain_lists()),
        Batch::FirewallAssociations(vec![]),
        Batch::FirewallConfigs(vec![]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_covers_every_kind_in_both_regions_and_changes_over_time() {
        let now = chrono::Utc::now();
        let e0 = estate(0, now);
        assert_eq!(e0.regions.len(), 2);
        let use1 = &e0.regions["us-east-1"];
        for &k in ResourceKind::ALL {
            assert!(use1.status(k).refreshed_at.is_some(), "{k:?} never read");
        }
        assert!(e0.resource_count() > 80);
        let hosted = |e: &Estate| {
            e.regions["us-east-1"]
                .dx_connections
                .items
                .iter()
                .find(|c| c.id == "dxcon-ffz9y8x7")
                .unwrap()
                .state
                .clone()
        };
        assert_eq!(hosted(&e0), "ordering");
        assert_eq!(hosted(&estate(HOSTED_CONFIRMED_AT, now)), "available");
        let flap = |e: &Estate| {
            e.regions["us-east-1"]
                .dx_vifs
                .items
                .iter()
                .find(|v| v.id == "dxvif-fgab1c2d")
                .unwrap()
                .bgp_peers[0]
                .bgp_status
                .clone()
        };
        assert_eq!(flap(&estate(0, now)), "up");
        assert_eq!(flap(&estate(2, now)), "down");
        let e2 = estate(2, now);
        assert!(
            e2.regions["us-east-1"]
                .dx_vifs
                .changed
                .contains("dxvif-fgab1c2d")
        );
    }
}
