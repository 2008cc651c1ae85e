//! Direct Connect reads (awsJson1_1, no generated paginators: pages of ≤ 100 by
//! `next_token`). Auth keys are masked here, before anything enters the model; no
//! Direct Connect output is ever formatted with `{:?}` (its derived Debug prints keys).

use aws_sdk_directconnect::Client;
use aws_sdk_directconnect::types as dx;
use chrono::Utc;

use super::{api_error, collect_pages, into_update, opt, state_str, ts};
use crate::model::secret::{self, Masked, mask_router_config};
use crate::model::*;

const PAGE: i32 = 100;

fn redundancy(v: Option<&dx::HasLogicalRedundancy>) -> Option<String> {
    v.map(|r| r.as_str().to_string())
}

pub fn connection(c: &dx::Connection) -> Connection {
    Connection {
        id: c.connection_id().unwrap_or_default().to_string(),
        name: c.connection_name().unwrap_or_default().to_string(),
        state: state_str(c.connection_state()),
        region: c.region().unwrap_or_default().to_string(),
        owner_account: opt(c.owner_account()),
        location: c.location().unwrap_or_default().to_string(),
        bandwidth: c.bandwidth().unwrap_or_default().to_string(),
        vlan: Some(c.vlan()).filter(|v| *v != 0),
        partner_name: opt(c.partner_name()),
        provider_name: opt(c.provider_name()),
        lag_id: opt(c.lag_id()),
        aws_device: opt(c.aws_device_v2()).or_else(|| opt(c.aws_device())),
        aws_logical_device_id: opt(c.aws_logical_device_id()),
        has_logical_redundancy: redundancy(c.has_logical_redundancy()),
        jumbo_frame_capable: c.jumbo_frame_capable(),
        mac_sec_capable: c.mac_sec_capable(),
        encryption_mode: opt(c.encryption_mode()),
        port_encryption_status: opt(c.port_encryption_status()),
        mac_sec_keys: c.mac_sec_keys().iter().map(mac_sec_key).collect(),
        loa_issue_time: ts(c.loa_issue_time()),
    }
}

/// A MACsec key's state; its CKN is masked here, before it enters the model.
fn mac_sec_key(k: &dx::MacSecKey) -> MacSecKey {
    if let Some(ckn) = k.ckn() {
        secret::register(ckn);
    }
    MacSecKey {
        state: k.state().unwrap_or("unknown").to_string(),
        start_on: opt(k.start_on()),
        ckn: Masked::from_option(k.ckn()),
    }
}

pub fn lag(l: &dx::Lag) -> Lag {
    Lag {
        id: l.lag_id().unwrap_or_default().to_string(),
        name: l.lag_name().unwrap_or_default().to_string(),
        state: state_str(l.lag_state()),
        region: l.region().unwrap_or_default().to_string(),
        owner_account: opt(l.owner_account()),
        location: l.location().unwrap_or_default().to_string(),
        connections_bandwidth: l.connections_bandwidth().unwrap_or_default().to_string(),
        number_of_connections: l.number_of_connections(),
        minimum_links: l.minimum_links(),
        connection_ids: l
            .connections()
            .iter()
            .filter_map(|c| c.connection_id().map(str::to_string))
            .collect(),
        aws_device: opt(l.aws_device_v2()).or_else(|| opt(l.aws_device())),
        aws_logical_device_id: opt(l.aws_logical_device_id()),
        has_logical_redundancy: redundancy(l.has_logical_redundancy()),
        jumbo_frame_capable: l.jumbo_frame_capable(),
        mac_sec_capable: l.mac_sec_capable(),
        encryption_mode: opt(l.encryption_mode()),
        mac_sec_keys: l.mac_sec_keys().iter().map(mac_sec_key).collect(),
    }
}

fn bgp_peer(p: &dx::BgpPeer) -> BgpPeer {
    BgpPeer {
        id: p.bgp_peer_id().unwrap_or_default().to_string(),
        asn: p.asn_long().unwrap_or(p.asn() as i64),
        address_family: p
            .address_family()
            .map(|a| a.as_str().to_string())
            .unwrap_or_default(),
        amazon_address: opt(p.amazon_address()),
        customer_address: opt(p.customer_address()),
        bgp_peer_state: state_str(p.bgp_peer_state()),
        bgp_status: state_str(p.bgp_status()),
        auth_key: Masked::from_option(p.auth_key()),
        aws_logical_device_id: opt(p.aws_logical_device_id()),
    }
}

/// Converts a VIF, masking its auth keys (VIF, every BGP peer, router config).
///
/// The key values of the VIF and of each BGP peer are known here: every occurrence of them in
/// the VIF's text fields (name, router configuration, whatever the format) is replaced by
/// value first, then the patterns of [`mask_router_config`] catch anything else. The values
/// are also registered for the log writer and error messages ([`secret::register`]).
pub fn virtual_interface(v: &dx::VirtualInterface) -> VirtualInterface {
    let keys: Vec<&str> = v
        .auth_key()
        .into_iter()
        .chain(v.bgp_peers().iter().filter_map(|p| p.auth_key()))
        .collect();
    for k in &keys {
        secret::register(k);
    }
    let text = |s: &str| secret::mask_values(s, keys.iter().copied());
    VirtualInterface {
        id: v.virtual_interface_id().unwrap_or_default().to_string(),
        name: text(v.virtual_interface_name().unwrap_or_default()),
        state: state_str(v.virtual_interface_state()),
        vif_type: v.virtual_interface_type().unwrap_or_default().to_string(),
        region: v.region().unwrap_or_default().to_string(),
        owner_account: opt(v.owner_account()),
        location: v.location().unwrap_or_default().to_string(),
        connection_id: v.connection_id().unwrap_or_default().to_string(),
        vlan: v.vlan(),
        asn: v.asn_long().unwrap_or(v.asn() as i64),
        amazon_side_asn: v.amazon_side_asn(),
        address_family: v.address_family().map(|a| a.as_str().to_string()),
        amazon_address: opt(v.amazon_address()),
        customer_address: opt(v.customer_address()),
        mtu: v.mtu(),
        jumbo_frame_capable: v.jumbo_frame_capable(),
        virtual_gateway_id: opt(v.virtual_gateway_id()),
        direct_connect_gateway_id: opt(v.direct_connect_gateway_id()),
        aws_device: opt(v.aws_device_v2()),
        aws_logical_device_id: opt(v.aws_logical_device_id()),
        auth_key: Masked::from_option(v.auth_key()),
        bgp_peers: v.bgp_peers().iter().map(bgp_peer).collect(),
        route_filter_prefixes: v
            .route_filter_prefixes()
            .iter()
            .filter_map(|p| p.cidr().map(str::to_string))
            .collect(),
        customer_router_config: v
            .customer_router_config()
            .map(|c| mask_router_config(&text(c))),
        site_link_enabled: v.site_link_enabled(),
    }
}

fn dx_gateway(g: &dx::DirectConnectGateway) -> DxGateway {
    DxGateway {
        id: g
            .direct_connect_gateway_id()
            .unwrap_or_default()
            .to_string(),
        name: g
            .direct_connect_gateway_name()
            .unwrap_or_default()
            .to_string(),
        state: state_str(g.direct_connect_gateway_state()),
        amazon_side_asn: g.amazon_side_asn(),
        owner_account: opt(g.owner_account()),
        state_change_error: opt(g.state_change_error()),
    }
}

fn association(a: &dx::DirectConnectGatewayAssociation, gw_name: &str) -> DxGatewayAssociation {
    let gw = a.associated_gateway();
    let gw_id = gw
        .and_then(|g| opt(g.id()))
        .or_else(|| opt(a.virtual_gateway_id()));
    DxGatewayAssociation {
        id: a.association_id().unwrap_or_default().to_string(),
        name: format!("{gw_name} → {}", gw_id.as_deref().unwrap_or("?")),
        state: state_str(a.association_state()),
        direct_connect_gateway_id: a
            .direct_connect_gateway_id()
            .unwrap_or_default()
            .to_string(),
        associated_gateway_id: gw_id,
        associated_gateway_type: gw.and_then(|g| g.r#type()).map(|t| t.as_str().to_string()),
        associated_gateway_region: gw
            .and_then(|g| opt(g.region()))
            .or_else(|| opt(a.virtual_gateway_region())),
        associated_gateway_owner_account: gw.and_then(|g| opt(g.owner_account())),
        allowed_prefixes: a
            .allowed_prefixes_to_direct_connect_gateway()
            .iter()
            .filter_map(|p| p.cidr().map(str::to_string))
            .collect(),
        state_change_error: opt(a.state_change_error()),
    }
}

fn attachment(a: &dx::DirectConnectGatewayAttachment, gw_name: &str) -> DxGatewayAttachment {
    let gw = a.direct_connect_gateway_id().unwrap_or_default();
    let vif = a.virtual_interface_id().unwrap_or_default();
    DxGatewayAttachment {
        id: format!("{gw}/{vif}"),
        name: format!("{gw_name} ← {vif}"),
        state: state_str(a.attachment_state()),
        direct_connect_gateway_id: gw.to_string(),
        virtual_interface_id: vif.to_string(),
        virtual_interface_region: opt(a.virtual_interface_region()),
        virtual_interface_owner_account: opt(a.virtual_interface_owner_account()),
        attachment_type: a.attachment_type().map(|t| t.as_str().to_string()),
        state_change_error: opt(a.state_change_error()),
    }
}

/// Every page of a Direct Connect list call (`maxResults`/`nextToken`) as one [`Update`]:
/// `dx_pages!(region, || request, list accessor, convert fn, Kind)`; the operation named in
/// an error is the kind's first ([`ResourceKind::operations`]).
macro_rules! dx_pages {
    ($region:expr, $req:expr, $list:ident, $convert:expr, $kind:ident) => {{
        let r = collect_pages(|t| async move {
            let o = $req().max_results(PAGE).set_next_token(t).send().await?;
            Ok((
                o.$list().iter().map($convert).collect(),
                opt(o.next_token()),
            ))
        })
        .await;
        vec![into_update(
            $region,
            Utc::now(),
            crate::model::ResourceKind::$kind.operations()[0],
            r,
            Batch::$kind,
            ResourceKind::$kind,
        )]
    }};
}

fn virtual_gateway(g: &dx::VirtualGateway) -> VirtualGateway {
    VirtualGateway {
        id: g.virtual_gateway_id().unwrap_or_default().to_string(),
        name: String::new(),
        state: Lifecycle::parse(g.virtual_gateway_state().unwrap_or("unknown")),
    }
}

fn location(l: &dx::Location) -> DxLocation {
    DxLocation {
        id: l.location_code().unwrap_or_default().to_string(),
        name: l.location_name().unwrap_or_default().to_string(),
        state: String::new(),
        available_port_speeds: l.available_port_speeds().to_vec(),
        available_providers: l.available_providers().to_vec(),
    }
}

/// Reads every Direct Connect resource kind of the client's region, emitting one
/// [`Update`] per kind as soon as it is read. The lists are read at once; a gateway's
/// associations and attachments follow the gateways, a bounded number of gateways at once.
pub async fn poll(
    client: &Client,
    region: &str,
    shared: &crate::engine::AccountReads,
    emit: &mut (dyn FnMut(Update) + Send),
) {
    let reads: Vec<super::Reads<'_>> = vec![
        Box::pin(async move {
            let req = || client.describe_connections();
            dx_pages!(region, req, connections, connection, DxConnections)
        }),
        Box::pin(async move {
            let req = || client.describe_lags();
            dx_pages!(region, req, lags, lag, DxLags)
        }),
        Box::pin(async move {
            let req = || client.describe_virtual_interfaces();
            dx_pages!(
                region,
                req,
                virtual_interfaces,
                virtual_interface,
                DxVirtualInterfaces
            )
        }),
        Box::pin(gateways_once(client, region, shared)),
        Box::pin(async move {
            let r = client.describe_virtual_gateways().send().await;
            let r = r.map(|o| o.virtual_gateways().iter().map(virtual_gateway).collect());
            vec![into_update(
                region,
                Utc::now(),
                "DescribeVirtualGateways",
                r,
                Batch::DxVirtualGateways,
                ResourceKind::DxVirtualGateways,
            )]
        }),
        Box::pin(async move {
            let r = client.describe_locations().send().await;
            let r = r.map(|o| o.locations().iter().map(location).collect());
            vec![into_update(
                region,
                Utc::now(),
                "DescribeLocations",
                r,
                Batch::DxLocations,
                ResourceKind::DxLocations,
            )]
        }),
    ];
    super::run_reads(reads, emit).await;
}

/// The DX gateways with their associations and attachments, read once for the account's
/// regions ([`crate::engine::AccountReads`]): a read of another region that ended within
/// [`crate::engine::SHARED_FRESH`] is taken as this region's, with its time of reading.
async fn gateways_once(
    client: &Client,
    region: &str,
    shared: &crate::engine::AccountReads,
) -> Vec<Update> {
    crate::engine::read_once(&shared.dx_gateways, region, gateways(client, region)).await
}

/// The DX gateways, then the associations and the attachments of all of them at once.
async fn gateways(client: &Client, region: &str) -> Vec<Update> {
    let now = Utc::now;
    let gateways = collect_pages(|t| async move {
        let o = client
            .describe_direct_connect_gateways()
            .max_results(PAGE)
            .set_next_token(t)
            .send()
            .await?;
        Ok((
            o.direct_connect_gateways()
                .iter()
                .map(dx_gateway)
                .collect::<Vec<_>>(),
            opt(o.next_token()),
        ))
    })
    .await
    .map_err(|e| api_error("DescribeDirectConnectGateways", &e));
    match gateways {
        Ok(gws) => {
            let (assoc, attach) = futures_util::join!(
                gateway_associations(client, region, &gws),
                gateway_attachments(client, region, &gws)
            );
            vec![
                Update::ok(region, now(), Batch::DxGateways(gws)),
                assoc,
                attach,
            ]
        }
        Err(e) => [
            ResourceKind::DxGateways,
            ResourceKind::DxGatewayAssociations,
            ResourceKind::DxGatewayAttachments,
        ]
        .into_iter()
        .map(|k| Update::err(region, k, now(), e.clone()))
        .collect(),
    }
}

/// Reads the associations or attachments of every gateway (same shape: one paged call per
/// gateway, a bounded number at once) into one update: `$call` is the SDK method, `$list` the
/// output's list, `$convert` the model conversion, `$op` the AWS name.
macro_rules! gateway_links {
    ($name:ident, $call:ident, $list:ident, $convert:ident, $op:literal, $kind:ident) => {
        async fn $name(client: &Client, region: &str, gateways: &[DxGateway]) -> Update {
            let r = super::fan_out(gateways, |g| {
                let id = g.id.clone();
                let label = if g.name.is_empty() {
                    g.id.clone()
                } else {
                    g.name.clone()
                };
                async move {
                    let (id, label) = (id.as_str(), label.as_str());
                    collect_pages(|t| async move {
                        let o = client
                            .$call()
                            .direct_connect_gateway_id(id)
                            .max_results(PAGE)
                            .set_next_token(t)
                            .send()
                            .await?;
                        let items: Vec<_> = o.$list().iter().map(|a| $convert(a, label)).collect();
                        Ok((items, opt(o.next_token())))
                    })
                    .await
                }
            })
            .await;
            match r {
                Ok(v) => Update::ok(region, Utc::now(), Batch::$kind(v)),
                Err(e) => Update::err(region, ResourceKind::$kind, Utc::now(), api_error($op, &e)),
            }
        }
    };
}

gateway_links!(
    gateway_associations,
    describe_direct_connect_gateway_associations,
    direct_connect_gateway_associations,
    association,
    "DescribeDirectConnectGatewayAssociations",
    DxGatewayAssociations
);
gateway_links!(
    gateway_attachments,
    describe_direct_connect_gateway_attachments,
    direct_connect_gateway_attachments,
    attachment,
    "DescribeDirectConnectGatewayAttachments",
    DxGatewayAttachments
);

/// The BGP routes of a VIF (ListVirtualInterfaceRoutes, pages of 100 by `nextToken`):
/// accepted and advertised, or one direction only.
pub async fn list_routes(
    client: &Client,
    vif_id: &str,
    direction: Option<&str>,
) -> Result<Vec<VifRoute>, ApiError> {
    let filters = direction.map(|d| {
        dx::RouteFilters::builder()
            .route_direction(dx::RouteDirection::from(d))
            .build()
    });
    collect_pages(|t| {
        let filters = filters.clone();
        async move {
            let o = client
                .list_virtual_interface_routes()
                .virtual_interface_id(vif_id)
                .set_filters(filters)
                .max_results(PAGE)
                .set_next_token(t)
                .send()
                .await?;
            Ok((
                o.routes().iter().map(vif_route).collect(),
                opt(o.next_token()),
            ))
        }
    })
    .await
    .map_err(|e| api_error("ListVirtualInterfaceRoutes", &e))
}

fn vif_route(r: &dx::Route) -> VifRoute {
    let as_path = r
        .as_path()
        .iter()
        .map(|seg| {
            let asns: Vec<String> = seg.path().iter().map(|a| a.to_string()).collect();
            match seg.path_type().map(|t| t.as_str()) {
                Some("set") => format!("{{{}}}", asns.join(",")),
                _ => asns.join(" "),
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    VifRoute {
        cidr: r.cidr().unwrap_or_default().to_string(),
        direction: r
            .route_direction()
            .map(|d| d.as_str().to_string())
            .unwrap_or_default(),
        address_family: r
            .address_family()
            .map(|a| a.as_str().to_string())
            .unwrap_or_default(),
        as_path,
        communities: r.communities().to_vec(),
        aws_logical_device_id: opt(r.aws_logical_device_id()),
        installed_at: ts(r.route_installed_at()),
    }
}

/// Downloads the LOA-CFA of a connection, LAG or interconnect (DescribeLoa): the raw PDF bytes.
pub async fn describe_loa(client: &Client, connection_id: &str) -> Result<Vec<u8>, ApiError> {
    let out = client
        .describe_loa()
        .connection_id(connection_id)
        .loa_content_type(dx::LoaContentType::Pdf)
        .send()
        .await
        .map_err(|e| api_error("DescribeLoa", &e))?;
    Ok(out
        .loa_content()
        .map(|b| b.as_ref().to_vec())
        .unwrap_or_default())
}
