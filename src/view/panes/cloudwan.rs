//! Cloud WAN pane: core networks (segments, edge locations, the live policy), attachments
//! (type, segment, edge locations) and each segment's routes per edge location.

use super::{AnyTable, Table, col, id_col, name_col, or_dash, state_col};
use crate::model::{CloudWanAttachment, CloudWanRoute, CoreNetwork, ResourceKind};
use crate::view::columns::Width::{Flex as Fill, Whole as Length};
use crate::view::table::TableId;

pub fn table(t: TableId) -> &'static dyn AnyTable {
    match t {
        TableId::CoreNetworks => &CORE_NETWORKS,
        TableId::CloudWanAttachments => &ATTACHMENTS,
        _ => &ROUTES,
    }
}

static CORE_NETWORKS: Table<CoreNetwork> = Table::<CoreNetwork>::new(
    ResourceKind::CoreNetworks,
    |r| &r.core_networks.items,
    &[
        id_col(Length(30)),
        name_col(Fill(1)),
        state_col(Length(10)),
        col("SEGMENTS", Fill(2), |_, c| {
            let s: Vec<String> = c
                .segments
                .iter()
                .map(|s| {
                    if s.shared_segments.is_empty() {
                        format!("{} (isolated)", s.name)
                    } else {
                        format!("{} ↔ {}", s.name, s.shared_segments.join("+"))
                    }
                })
                .collect();
            if s.is_empty() {
                "-".into()
            } else {
                s.join(", ")
            }
        }),
        col("EDGES", Fill(1), |_, c| {
            let e: Vec<&str> = c.edges.iter().map(|e| e.edge_location.as_str()).collect();
            if e.is_empty() {
                "-".into()
            } else {
                e.join(", ")
            }
        }),
        col("POLICY", Length(7), |_, c| {
            c.live_policy()
                .map(|v| format!("v{v}"))
                .unwrap_or_else(|| "-".into())
        }),
    ],
);

static ATTACHMENTS: Table<CloudWanAttachment> = Table::<CloudWanAttachment>::new(
    ResourceKind::CloudWanAttachments,
    |r| &r.cloudwan_attachments.items,
    &[
        id_col(Length(28)),
        name_col(Fill(1)),
        state_col(Length(10)),
        col("TYPE", Length(22), |_, a| a.attachment_type.clone()),
        col("SEGMENT", Length(10), |_, a| a.segment.clone()),
        col("RESOURCE", Fill(1), |_, a| a.resource_id().to_string()),
        col("EDGES", Length(20), |_, a| a.edge_locations.join(", ")),
        col("OWNER", Length(13), |_, a| or_dash(&a.owner_account)),
    ],
);

static ROUTES: Table<CloudWanRoute> = Table::<CloudWanRoute>::new(
    ResourceKind::CloudWanRoutes,
    |r| &r.cloudwan_routes.items,
    &[
        col("SEGMENT", Length(10), |_, r| r.segment.clone()),
        col("EDGE", Length(14), |_, r| r.edge_location.clone()),
        col("DESTINATION", Length(18), |_, r| r.destination.clone()),
        col("TYPE", Length(11), |_, r| r.route_type.clone()),
        state_col(Length(9)),
        col("TARGET", Fill(1), |_, r| {
            let t: Vec<String> = r
                .targets
                .iter()
                .map(|t| {
                    format!(
                        "{} ({} {}{})",
                        t.attachment_id.as_deref().unwrap_or("?"),
                        t.resource_type.as_deref().unwrap_or("?"),
                        t.resource_id.as_deref().unwrap_or("?"),
                        t.segment
                            .as_deref()
                            .filter(|s| *s != r.segment)
                            .map(|s| format!(", segment {s}"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            if t.is_empty() {
                "-".into()
            } else {
                t.join(", ")
            }
        }),
    ],
);
