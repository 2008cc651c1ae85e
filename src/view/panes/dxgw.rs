//! DX gateways pane: Direct Connect gateways, their associations (TGW/VGW) and VIF
//! attachments, and virtual private gateways. DXGWs are global: every region reads the
//! same ones, so rows are shown once, under the first region that read them.

use super::{AnyTable, Table, col, id_col, name_col, or_dash, state_col};
use crate::model::{
    DxGateway, DxGatewayAssociation, DxGatewayAttachment, ResourceKind, VirtualGateway,
};
use crate::view::columns::Width::{Flex as Fill, Whole as Length};
use crate::view::table::TableId;

pub fn table(t: TableId) -> &'static dyn AnyTable {
    match t {
        TableId::DxGateways => &GATEWAYS,
        TableId::DxgwAssociations => &ASSOCIATIONS,
        TableId::DxgwAttachments => &ATTACHMENTS,
        _ => &VGWS,
    }
}

static GATEWAYS: Table<DxGateway> = Table::<DxGateway>::new(
    ResourceKind::DxGateways,
    |r| &r.dx_gateways.items,
    &[
        id_col(Length(37)),
        name_col(Fill(1)),
        state_col(Length(10)),
        col("AMAZON ASN", Length(10), |_, g| {
            g.amazon_side_asn
                .map(|a| a.to_string())
                .unwrap_or_else(|| "-".into())
        }),
        col("OWNER", Length(13), |_, g| or_dash(&g.owner_account)),
    ],
);

static ASSOCIATIONS: Table<DxGatewayAssociation> = Table::<DxGatewayAssociation>::new(
    ResourceKind::DxGatewayAssociations,
    |r| &r.dx_gateway_associations.items,
    &[
        col("ASSOCIATION", Length(37), |_, a| a.id.clone()),
        col("NAME", Fill(1), |_, a| a.name.clone()),
        state_col(Length(12)),
        col("GATEWAY TYPE", Length(21), |_, a| {
            or_dash(&a.associated_gateway_type)
        }),
        col("GW REGION", Length(14), |_, a| {
            or_dash(&a.associated_gateway_region)
        }),
        col("ALLOWED PREFIXES", Length(16), |_, a| {
            a.allowed_prefixes.join(",")
        }),
    ],
);

static ATTACHMENTS: Table<DxGatewayAttachment> = Table::<DxGatewayAttachment>::new(
    ResourceKind::DxGatewayAttachments,
    |r| &r.dx_gateway_attachments.items,
    &[
        col("DXGW", Length(37), |_, a| {
            a.direct_connect_gateway_id.clone()
        }),
        col("VIF", Length(15), |_, a| a.virtual_interface_id.clone()),
        col("VIF NAME", Fill(1), |x, a| {
            x.names().name_or_dash(Some(&a.virtual_interface_id))
        }),
        state_col(Length(10)),
        col("TYPE", Length(24), |_, a| or_dash(&a.attachment_type)),
        col("VIF REGION", Length(14), |_, a| {
            or_dash(&a.virtual_interface_region)
        }),
    ],
);

static VGWS: Table<VirtualGateway> = Table::<VirtualGateway>::new(
    ResourceKind::DxVirtualGateways,
    |r| &r.dx_virtual_gateways.items,
    &[id_col(Length(22)), state_col(Length(10))],
);
