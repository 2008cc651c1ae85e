//! DX gateways pane: Direct Connect gateways, their associations (TGW/VGW) and VIF
//! attachments, and virtual private gateways. DXGWs are global: every region reads the
//! same ones, so rows are shown once, under the first region that read them.

use std::collections::HashSet;

use crate::view::columns::Width;

use super::{dash, each, or_dash};
use crate::model::{Estate, Resource, ResourceKind};
use crate::view::table::{Row, TableId};

use Width::{Flex as Fill, Whole as Length};

pub fn columns(t: TableId) -> &'static [(&'static str, Width)] {
    match t {
        TableId::DxGateways => &[
            ("ID", Length(37)),
            ("NAME", Fill(1)),
            ("STATE", Length(10)),
            ("AMAZON ASN", Length(10)),
            ("OWNER", Length(13)),
        ],
        TableId::DxgwAssociations => &[
            ("ASSOCIATION", Length(37)),
            ("NAME", Fill(1)),
            ("STATE", Length(12)),
            ("GATEWAY TYPE", Length(21)),
            ("GW REGION", Length(14)),
            ("ALLOWED PREFIXES", Length(16)),
        ],
        TableId::DxgwAttachments => &[
            ("DXGW", Length(37)),
            ("VIF", Length(15)),
            ("VIF NAME", Fill(1)),
            ("STATE", Length(10)),
            ("TYPE", Length(24)),
            ("VIF REGION", Length(14)),
        ],
        _ => &[("ID", Length(22)), ("STATE", Length(10))],
    }
}

pub fn rows(t: TableId, e: &Estate) -> Vec<Row> {
    let mut seen = HashSet::new();
    match t {
        TableId::DxGateways => each!(e, dx_gateways)
            .filter(|(_, g)| seen.insert(g.id()))
            .map(|(r, g)| {
                Row::of(
                    r,
                    ResourceKind::DxGateways,
                    g,
                    vec![
                        g.id.clone(),
                        dash(&g.name),
                        g.state.to_string(),
                        g.amazon_side_asn
                            .map(|a| a.to_string())
                            .unwrap_or_else(|| "-".into()),
                        or_dash(&g.owner_account),
                    ],
                )
            })
            .collect(),
        TableId::DxgwAssociations => each!(e, dx_gateway_associations)
            .filter(|(_, a)| seen.insert(a.id()))
            .map(|(r, a)| {
                Row::of(
                    r,
                    ResourceKind::DxGatewayAssociations,
                    a,
                    vec![
                        a.id.clone(),
                        a.name.clone(),
                        a.state.to_string(),
                        or_dash(&a.associated_gateway_type),
                        or_dash(&a.associated_gateway_region),
                        a.allowed_prefixes.join(","),
                    ],
                )
            })
            .collect(),
        TableId::DxgwAttachments => {
            let names = crate::model::NameIndex::new(e);
            each!(e, dx_gateway_attachments)
                .filter(|(_, a)| seen.insert(a.id()))
                .map(|(r, a)| {
                    Row::of(
                        r,
                        ResourceKind::DxGatewayAttachments,
                        a,
                        vec![
                            a.direct_connect_gateway_id.clone(),
                            a.virtual_interface_id.clone(),
                            names.name_or_dash(Some(&a.virtual_interface_id)),
                            a.state.to_string(),
                            or_dash(&a.attachment_type),
                            or_dash(&a.virtual_interface_region),
                        ],
                    )
                })
                .collect()
        }
        _ => each!(e, dx_virtual_gateways)
            .map(|(r, g)| {
                Row::of(
                    r,
                    ResourceKind::DxVirtualGateways,
                    g,
                    vec![g.id.clone(), g.state.to_string()],
                )
            })
            .collect(),
    }
}
