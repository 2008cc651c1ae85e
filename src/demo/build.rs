//! Builders of demo resources with AWS-shaped ids and fields.

use chrono::Duration;

use crate::model::secret::{Masked, mask_router_config};
use crate::model::*;

use super::{ACCOUNT, DXGW_ID};

pub(super) fn s(v: &str) -> String {
    v.to_string()
}

pub(super) fn so(v: &str) -> Option<String> {
    Some(v.to_string())
}

pub(super) fn vpc(id: &str, name: &str, cidr: &str) -> Vpc {
    Vpc {
        id: s(id),
        name: s(name),
        state: VpcState::Available,
        owner_id: so(ACCOUNT),
        cidrs: vec![s(cidr)],
        is_default: false,
    }
}

pub(super) fn sg(id: &str, name: &str, vpc_id: &str) -> SecurityGroup {
    SecurityGroup {
        id: s(id),
        name: s(name),
        state: String::new(),
        vpc_id: s(vpc_id),
        description: so(&format!("{name} security group")),
        // What a private estate allows: anything from the corporate ranges; anything out.
        ingress: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
            .iter()
            .map(|c| SgRule {
                protocol: s("-1"),
                ports: None,
                cidrs: vec![s(c)],
                peers: Vec::new(),
            })
            .collect(),
        egress: vec![SgRule {
            protocol: s("-1"),
            ports: None,
            cidrs: vec![s("0.0.0.0/0")],
            peers: Vec::new(),
        }],
    }
}

pub(super) fn subnet(id: &str, vpc_id: &str, cidr: &str, az: &str, az_id: &str) -> Subnet {
    Subnet {
        id: s(id),
        name: format!("{vpc_id}-{az}"),
        state: SubnetState::Available,
        vpc_id: s(vpc_id),
        cidr: s(cidr),
        availability_zone: s(az),
        availability_zone_id: so(az_id),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn connection(
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
        state: ConnectionState::from(state),
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

pub(super) fn peer(id: &str, family: &str, amazon: &str, customer: &str, status: &str) -> BgpPeer {
    BgpPeer {
        id: s(id),
        asn: 65010,
        address_family: s(family),
        amazon_address: so(amazon),
        customer_address: so(customer),
        bgp_peer_state: BgpPeerState::Available,
        bgp_status: BgpStatus::from(status),
        auth_key: Some(Masked),
        aws_logical_device_id: None,
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn vif(
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
        state: VifState::from(state),
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
        // SiteLink joins the Ashburn and London transit VIFs' locations over the backbone.
        site_link_enabled: Some(matches!(id, "dxvif-fg7h8i9j" | "dxvif-fgeu1a2b")),
        ..Default::default()
    }
}

pub(super) fn attachment(
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
        state: TgwAttachmentState::Available,
        transit_gateway_id: s(tgw),
        resource_type: s(rtype),
        resource_id: so(resource),
        resource_owner_id: so(ACCOUNT),
        transit_gateway_owner_id: so(ACCOUNT),
        association_route_table_id: rtb.map(str::to_string),
        association_state: rtb.map(|_| AssociationState::Associated),
    }
}

pub(super) fn route_table(id: &str, name: &str, tgw: &str) -> TgwRouteTable {
    TgwRouteTable {
        id: s(id),
        name: s(name),
        state: Lifecycle::Available,
        transit_gateway_id: s(tgw),
        ..Default::default()
    }
}

pub(super) fn route(
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
        state: TgwRouteState::from(state),
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

pub(super) fn assoc(rtb: &str, a: &TgwAttachment) -> TgwAssociation {
    TgwAssociation {
        route_table_id: s(rtb),
        attachment_id: a.id.clone(),
        resource_id: a.resource_id.clone(),
        resource_type: Some(a.resource_type.clone()),
        state: AssociationState::Associated,
    }
}

pub(super) fn prop(rtb: &str, a: &TgwAttachment) -> TgwPropagation {
    TgwPropagation {
        route_table_id: s(rtb),
        attachment_id: a.id.clone(),
        resource_id: a.resource_id.clone(),
        resource_type: Some(a.resource_type.clone()),
        state: PropagationState::Enabled,
    }
}

pub(super) fn endpoint_ip(id: &str, ip: &str, subnet: &str) -> EndpointIp {
    EndpointIp {
        ip_id: s(id),
        ip: so(ip),
        ipv6: None,
        subnet_id: s(subnet),
        availability_zone: None,
        status: EndpointIpStatus::Attached,
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn endpoint(
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
        state: EndpointStatus::Operational,
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

pub(super) fn fw_rule(
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
        threat: None,
        confidence_threshold: None,
    }
}

pub(super) fn dxgw() -> DxGateway {
    DxGateway {
        id: s(DXGW_ID),
        name: s("corp-dxgw"),
        state: Lifecycle::Available,
        amazon_side_asn: Some(64512),
        owner_account: so(ACCOUNT),
        state_change_error: None,
    }
}

pub(super) fn dx_attachment(vif: &VirtualInterface) -> DxGatewayAttachment {
    DxGatewayAttachment {
        id: format!("{DXGW_ID}/{}", vif.id),
        name: format!("corp-dxgw ← {}", vif.id),
        state: AttachmentState::Attached,
        direct_connect_gateway_id: s(DXGW_ID),
        virtual_interface_id: vif.id.clone(),
        virtual_interface_region: so(&vif.region),
        virtual_interface_owner_account: so(ACCOUNT),
        attachment_type: so("TransitVirtualInterface"),
        state_change_error: None,
    }
}

/// A VPC route table with `(destination, target kind, target id, state)` routes; a `local`
/// route for `vpc_cidr` comes first.
pub(super) fn vpc_route_table(
    id: &str,
    name: &str,
    vpc_id: &str,
    vpc_cidr: &str,
    main: bool,
    subnet_ids: &[&str],
    routes: &[(&str, &str, &str, &str)],
) -> VpcRouteTable {
    let local = VpcRoute {
        destination: s(vpc_cidr),
        target_kind: s("local"),
        target_id: s("local"),
        state: VpcRouteState::Active,
        origin: s("CreateRouteTable"),
    };
    VpcRouteTable {
        id: s(id),
        name: s(name),
        state: String::new(),
        vpc_id: s(vpc_id),
        owner_id: so(ACCOUNT),
        main,
        subnet_ids: subnet_ids.iter().map(|x| s(x)).collect(),
        propagating_vgws: vec![],
        routes: std::iter::once(local)
            .chain(routes.iter().map(|(d, k, t, st)| VpcRoute {
                destination: s(d),
                target_kind: s(k),
                target_id: s(t),
                state: VpcRouteState::from(*st),
                origin: s("CreateRoute"),
            }))
            .collect(),
    }
}

/// The demo's LAG of two 10G ports at EqDC2, encrypted with MACsec (`must_encrypt`).
pub(super) fn ash_lag(region: &str, members: [String; 2]) -> Lag {
    Lag {
        id: s("dxlag-fgk3m4n5"),
        name: s("ash-lag-2x10g"),
        state: LagState::Available,
        region: s(region),
        owner_account: so(super::ACCOUNT),
        location: s("EqDC2"),
        connections_bandwidth: s("10Gbps"),
        number_of_connections: 2,
        minimum_links: 1,
        connection_ids: members.to_vec(),
        aws_device: so("EqDC2-2zx8c7v6b5n4m"),
        aws_logical_device_id: so("EqDC2-2zx8c7v6b5n4m"),
        has_logical_redundancy: so("no"),
        jumbo_frame_capable: Some(true),
        mac_sec_capable: Some(true),
        encryption_mode: so("must_encrypt"),
        mac_sec_keys: vec![mac_sec_key("associated")],
    }
}

fn mac_sec_key(state: &str) -> MacSecKey {
    MacSecKey {
        state: s(state),
        start_on: so("2026-06-01T00:00:00Z"),
        ckn: Some(crate::model::secret::Masked),
    }
}

/// A MACsec-capable port in `mode` whose port encryption is `status`, with one key in
/// `key_state`.
pub(super) fn macsec(c: &mut Connection, mode: &str, status: &str, key_state: &str) {
    c.mac_sec_capable = Some(true);
    c.encryption_mode = so(mode);
    c.port_encryption_status = so(status);
    c.mac_sec_keys = vec![mac_sec_key(key_state)];
}

/// Resolver query logging (one configuration, to `destination`, for the `logged` VPCs) and
/// each VPC's DNSSEC validation (`ENABLED` or `DISABLED`), as three batches.
pub(super) fn dns_hygiene(
    region: &str,
    destination: &str,
    logged: &[&str],
    dnssec: &[(&str, bool)],
) -> [Batch; 3] {
    let config = QueryLogConfig {
        id: format!("rqlc-{}", &region.replace('-', "")[..6]),
        name: s("corp-dns-query-logs"),
        state: s("CREATED"),
        destination_arn: s(destination),
        association_count: logged.len() as i32,
        owner_id: so(super::ACCOUNT),
        share_status: so("NOT_SHARED"),
    };
    let associations = logged
        .iter()
        .enumerate()
        .map(|(n, vpc)| QueryLogAssociation {
            id: format!("rqlca-{}{n:02}", &config.id[5..]),
            name: String::new(),
            state: s("ACTIVE"),
            config_id: config.id.clone(),
            vpc_id: s(vpc),
            error: None,
        })
        .collect();
    let dnssec = dnssec
        .iter()
        .map(|(vpc, on)| DnssecConfig {
            id: format!("rdsc-{}", &vpc[4..]),
            name: s(vpc),
            state: s(if *on { "ENABLED" } else { "DISABLED" }),
            vpc_id: s(vpc),
            owner_id: so(super::ACCOUNT),
        })
        .collect();
    [
        Batch::QueryLogConfigs(vec![config]),
        Batch::QueryLogAssociations(associations),
        Batch::DnssecConfigs(dnssec),
    ]
}

/// A Route 53 Profile carrying `rules` (Resolver rule ids) to `vpcs`, as three batches.
pub(super) fn profile(region: &str, name: &str, rules: &[&str], vpcs: &[&str]) -> [Batch; 3] {
    let id = format!("rp-{}0a1b2c3d", &region.replace('-', "")[..6]);
    let p = Profile {
        id: id.clone(),
        name: s(name),
        state: String::new(),
        arn: Some(format!(
            "arn:aws:route53profiles:{region}:{}:profile/{id}",
            super::ACCOUNT
        )),
        share_status: so("NOT_SHARED"),
    };
    let associations = vpcs
        .iter()
        .enumerate()
        .map(|(n, vpc)| ProfileAssociation {
            id: format!("rpassoc-{}{n:02}", &id[3..]),
            name: format!("{name}-{n}"),
            state: s("COMPLETE"),
            profile_id: id.clone(),
            vpc_id: s(vpc),
            owner_id: so(super::ACCOUNT),
            status_message: None,
        })
        .collect();
    let resources = rules
        .iter()
        .enumerate()
        .map(|(n, rule)| ProfileResource {
            id: format!("rpr-{}{n:02}", &id[3..]),
            name: s(rule),
            state: s("COMPLETE"),
            profile_id: id.clone(),
            resource_arn: format!(
                "arn:aws:route53resolver:{region}:{}:resolver-rule/{rule}",
                super::ACCOUNT
            ),
            resource_type: s("RESOLVER_RULE"),
            resource_id: s(rule),
            properties: None,
        })
        .collect();
    [
        Batch::Profiles(vec![p]),
        Batch::ProfileAssociations(associations),
        Batch::ProfileResources(resources),
    ]
}
