//! Cloud WAN reads (Network Manager, restJson1, a global service): the core networks with
//! their segments, edge locations and policy versions, their attachments, and each segment's
//! routes at each of its edge locations. Read once per account ([`crate::engine::AccountReads`]),
//! and only as far as there is something: no core network, no further call.

use aws_sdk_networkmanager::Client;
use aws_sdk_networkmanager::types as nm;
use chrono::Utc;

use super::{api_error, collect_pages, fan_out, opt};
use crate::model::*;

fn tag_name(tags: &[nm::Tag]) -> Option<String> {
    tags.iter()
        .find(|t| t.key() == Some("Name"))
        .and_then(|t| opt(t.value()))
}

fn core_network(s: &nm::CoreNetworkSummary, full: Option<&nm::CoreNetwork>) -> CoreNetwork {
    let name = tag_name(s.tags())
        .or_else(|| opt(s.description()))
        .unwrap_or_default();
    CoreNetwork {
        id: s.core_network_id().unwrap_or_default().to_string(),
        name,
        state: s
            .state()
            .map(|x| x.as_str().to_string())
            .unwrap_or_else(|| "unknown".into()),
        global_network_id: s.global_network_id().unwrap_or_default().to_string(),
        arn: opt(s.core_network_arn()),
        owner_account: opt(s.owner_account_id()),
        segments: full
            .map(|c| c.segments())
            .unwrap_or_default()
            .iter()
            .map(|g| CwSegment {
                name: g.name().unwrap_or_default().to_string(),
                edge_locations: g.edge_locations().to_vec(),
                shared_segments: g.shared_segments().to_vec(),
            })
            .collect(),
        edges: full
            .map(|c| c.edges())
            .unwrap_or_default()
            .iter()
            .map(|e| CwEdge {
                edge_location: e.edge_location().unwrap_or_default().to_string(),
                asn: e.asn(),
                inside_cidrs: e.inside_cidr_blocks().to_vec(),
            })
            .collect(),
        policy_versions: Vec::new(),
    }
}

fn attachment(a: &nm::Attachment) -> CloudWanAttachment {
    let mut edges: Vec<String> = a.edge_locations().to_vec();
    if let Some(e) = opt(a.edge_location())
        && !edges.contains(&e)
    {
        edges.insert(0, e);
    }
    CloudWanAttachment {
        id: a.attachment_id().unwrap_or_default().to_string(),
        name: tag_name(a.tags()).unwrap_or_default(),
        state: a
            .state()
            .map(|x| x.as_str().to_string())
            .unwrap_or_else(|| "unknown".into()),
        core_network_id: a.core_network_id().unwrap_or_default().to_string(),
        attachment_type: a
            .attachment_type()
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        resource_arn: a.resource_arn().unwrap_or_default().to_string(),
        segment: a.segment_name().unwrap_or_default().to_string(),
        edge_locations: edges,
        owner_account: opt(a.owner_account_id()),
    }
}

fn route(core: &str, segment: &str, edge: &str, r: &nm::NetworkRoute) -> CloudWanRoute {
    let destination = r
        .destination_cidr_block()
        .or(r.prefix_list_id())
        .unwrap_or_default()
        .to_string();
    CloudWanRoute {
        id: format!("{core}|{segment}|{edge}|{destination}"),
        name: destination.clone(),
        state: r
            .state()
            .map(|x| x.as_str().to_string())
            .unwrap_or_else(|| "unknown".into()),
        core_network_id: core.to_string(),
        segment: segment.to_string(),
        edge_location: edge.to_string(),
        destination,
        route_type: r
            .r#type()
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        targets: r
            .destinations()
            .iter()
            .map(|d| CwRouteTarget {
                attachment_id: opt(d.core_network_attachment_id())
                    .or_else(|| opt(d.transit_gateway_attachment_id())),
                resource_type: opt(d.resource_type()),
                resource_id: opt(d.resource_id()),
                segment: opt(d.segment_name()),
                edge_location: opt(d.edge_location()),
            })
            .collect(),
    }
}

/// The core networks, read once for the account's regions: a read of another region that
/// ended within [`crate::engine::SHARED_FRESH`] is taken as this region's.
pub async fn poll_once(
    client: &Client,
    region: &str,
    shared: &crate::engine::AccountReads,
) -> Vec<Update> {
    crate::engine::read_once(&shared.cloud_wan, region, poll(client, region)).await
}

/// ListCoreNetworks; then per core network GetCoreNetwork, ListCoreNetworkPolicyVersions and
/// ListAttachments at once; then GetNetworkRoutes per segment and edge location.
pub async fn poll(client: &Client, region: &str) -> Vec<Update> {
    let now = Utc::now;
    let fail = |e: ApiError, kinds: &[ResourceKind]| -> Vec<Update> {
        kinds
            .iter()
            .map(|k| Update::err(region, *k, now(), e.clone()))
            .collect()
    };
    let all = [
        ResourceKind::CoreNetworks,
        ResourceKind::CloudWanAttachments,
        ResourceKind::CloudWanRoutes,
    ];
    let summaries = collect_pages(|token| async move {
        let o = client
            .list_core_networks()
            .set_next_token(token)
            .send()
            .await?;
        Ok((o.core_networks().to_vec(), opt(o.next_token())))
    })
    .await;
    let summaries = match summaries {
        Ok(s) => s,
        Err(e) => return fail(api_error("ListCoreNetworks", &e), &all),
    };
    // Each core network whole, with its policy versions.
    let cores = fan_out(&summaries, |s| {
        let s = s.clone();
        async move {
            let id = s.core_network_id().unwrap_or_default().to_string();
            let full = client
                .get_core_network()
                .core_network_id(&id)
                .send()
                .await
                .map_err(|e| api_error("GetCoreNetwork", &e))?;
            let versions = collect_pages(|token| {
                let id = id.clone();
                async move {
                    let o = client
                        .list_core_network_policy_versions()
                        .core_network_id(id)
                        .set_next_token(token)
                        .send()
                        .await?;
                    Ok((
                        o.core_network_policy_versions().to_vec(),
                        opt(o.next_token()),
                    ))
                }
            })
            .await
            .map_err(|e| api_error("ListCoreNetworkPolicyVersions", &e))?;
            let mut c = core_network(&s, full.core_network());
            c.policy_versions = versions
                .iter()
                .map(|v| CwPolicyVersion {
                    version: v.policy_version_id().unwrap_or_default(),
                    alias: v.alias().map(|a| a.as_str().to_string()),
                    change_set_state: v.change_set_state().map(|x| x.as_str().to_string()),
                })
                .collect();
            Ok::<_, ApiError>(vec![c])
        }
    })
    .await;
    let cores = match cores {
        Ok(c) => c,
        Err(e) => return fail(e, &all),
    };
    let attachments = fan_out(&cores, |c| {
        let id = c.id.clone();
        async move {
            collect_pages(|token| {
                let id = id.clone();
                async move {
                    let o = client
                        .list_attachments()
                        .core_network_id(id)
                        .set_next_token(token)
                        .send()
                        .await?;
                    Ok((
                        o.attachments().iter().map(attachment).collect::<Vec<_>>(),
                        opt(o.next_token()),
                    ))
                }
            })
            .await
        }
    })
    .await
    .map_err(|e| api_error("ListAttachments", &e));
    // One route table per segment and edge location.
    // (core network, global network, segment, edge location), owned: one route table each.
    let tables: Vec<[String; 4]> = cores
        .iter()
        .flat_map(|c| {
            c.segments.iter().flat_map(move |s| {
                s.edge_locations.iter().map(move |e| {
                    [
                        c.id.clone(),
                        c.global_network_id.clone(),
                        s.name.clone(),
                        e.clone(),
                    ]
                })
            })
        })
        .collect();
    let routes = fan_out(&tables, |t| {
        let [core, global, segment, edge] = t.clone();
        async move {
            let id = nm::CoreNetworkSegmentEdgeIdentifier::builder()
                .core_network_id(&core)
                .segment_name(&segment)
                .edge_location(&edge)
                .build();
            let table = nm::RouteTableIdentifier::builder()
                .core_network_segment_edge(id)
                .build();
            let routes = client
                .get_network_routes()
                .global_network_id(&global)
                .route_table_identifier(table)
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await?;
            Ok(routes
                .iter()
                .map(|r| route(&core, &segment, &edge, r))
                .collect::<Vec<_>>())
        }
    })
    .await
    .map_err(|e| api_error("GetNetworkRoutes", &e));
    let at = now();
    vec![
        Update::ok(region, at, Batch::CoreNetworks(cores.clone())),
        match attachments {
            Ok(a) => Update::ok(region, at, Batch::CloudWanAttachments(a)),
            Err(e) => Update::err(region, ResourceKind::CloudWanAttachments, at, e),
        },
        match routes {
            Ok(r) => Update::ok(region, at, Batch::CloudWanRoutes(r)),
            Err(e) => Update::err(region, ResourceKind::CloudWanRoutes, at, e),
        },
    ]
}
