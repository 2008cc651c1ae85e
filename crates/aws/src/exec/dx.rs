//! Direct Connect calls (no `DryRun` in this API): the LOA read, confirmations, VIF create and
//! delete, BGP failover tests.

use aws_sdk_directconnect::types as dxt;
use crossconnect_core::calls::{DxCall, NewVif, Outcome};

use super::{answered, done, full_path};
use crate::RegionClients;

pub(super) async fn send(c: &RegionClients, op: &str, call: &DxCall) -> Outcome {
    let dx = &c.dx;
    match call {
        DxCall::DescribeLoa {
            connection_id,
            path,
        } => match crate::directconnect::describe_loa(dx, connection_id).await {
            Ok(bytes) => match std::fs::write(path, &bytes) {
                Ok(()) => {
                    let wrote = format!("wrote {} bytes to {}", bytes.len(), full_path(path));
                    Outcome::ok(wrote, None)
                }
                Err(e) => Outcome::failed("WriteFailed", format!("cannot write {path}: {e}")),
            },
            Err(e) => Outcome::failed(&e.code, e.message),
        },
        DxCall::ConfirmConnection { id } => {
            let r = dx.confirm_connection().connection_id(id).send().await;
            done(op, r, |o| {
                let state = o.connection_state().map(|s| s.as_str());
                format!("{id} is now {}", state.unwrap_or("?"))
            })
        }
        DxCall::ConfirmPrivateVif { id, gateway_id } => {
            let (param, g) = DxCall::gateway_param(gateway_id);
            let dxgw = (param == "directConnectGatewayId").then(|| g.clone());
            let vgw = (param == "virtualGatewayId" && gateway_id.contains(':')).then_some(g);
            let r = dx
                .confirm_private_virtual_interface()
                .virtual_interface_id(id)
                .set_direct_connect_gateway_id(dxgw)
                .set_virtual_gateway_id(vgw)
                .send()
                .await;
            done(op, r, |_| format!("{id} confirmed"))
        }
        DxCall::ConfirmTransitVif { id, dxgw_id } => {
            let r = dx
                .confirm_transit_virtual_interface()
                .virtual_interface_id(id);
            let r = r.direct_connect_gateway_id(dxgw_id).send().await;
            done(op, r, |_| format!("{id} confirmed"))
        }
        DxCall::ConfirmPublicVif { id } => {
            let r = dx
                .confirm_public_virtual_interface()
                .virtual_interface_id(id);
            done(op, r.send().await, |_| format!("{id} confirmed"))
        }
        DxCall::CreateVif { transit: true, vif } => create_transit(c, op, vif).await,
        DxCall::CreateVif { vif, .. } => create_private(c, op, vif).await,
        DxCall::DeleteVif { id } => {
            let r = dx.delete_virtual_interface().virtual_interface_id(id);
            done(op, r.send().await, |_| format!("{id} deleting"))
        }
        DxCall::StartFailoverTest { vif_id, minutes } => {
            let r = dx.start_bgp_failover_test().virtual_interface_id(vif_id);
            let r = r.test_duration_in_minutes(*minutes).send().await;
            done(op, r, |_| {
                format!("failover test started on {vif_id} for {minutes} min")
            })
        }
        DxCall::StopFailoverTest { vif_id } => {
            let r = dx.stop_bgp_failover_test().virtual_interface_id(vif_id);
            done(op, r.send().await, |_| {
                format!("failover test stopped on {vif_id}")
            })
        }
    }
}

/// The settings both VIF builders take (the SDK has a builder type per VIF type).
macro_rules! vif_builder {
    ($ty:ty, $v:expr) => {{
        let v: &NewVif = $v;
        <$ty>::builder()
            .virtual_interface_name(&v.name)
            .vlan(v.vlan)
            .asn(v.asn as i32)
            .set_asn_long((v.asn > i32::MAX as i64).then_some(v.asn))
            .mtu(v.mtu)
            .set_auth_key(v.auth_key.as_ref().map(|k| k.0.clone()))
            .set_amazon_address(v.amazon_address.clone())
            .set_customer_address(v.customer_address.clone())
            .address_family(dxt::AddressFamily::IPv4)
            .set_direct_connect_gateway_id(v.dxgw_id.clone())
    }};
}

/// CreateTransitVirtualInterface to a DXGW.
async fn create_transit(c: &RegionClients, op: &str, v: &NewVif) -> Outcome {
    let vif = vif_builder!(dxt::NewTransitVirtualInterface, v).build();
    let r =
        c.dx.create_transit_virtual_interface()
            .connection_id(&v.connection_id);
    let r = r.new_transit_virtual_interface(vif).send().await;
    let id = |o: &aws_sdk_directconnect::operation::create_transit_virtual_interface::CreateTransitVirtualInterfaceOutput| {
        o.virtual_interface().and_then(|v| v.virtual_interface_id()).map(str::to_string)
    };
    let ok = |o: &_| format!("created {}", id(o).as_deref().unwrap_or("VIF"));
    answered(op, r, ok, id)
}

/// CreatePrivateVirtualInterface to a DXGW or a virtual private gateway.
async fn create_private(c: &RegionClients, op: &str, v: &NewVif) -> Outcome {
    let vif = vif_builder!(dxt::NewPrivateVirtualInterface, v)
        .set_virtual_gateway_id(v.vgw_id.clone())
        .build();
    let vif = match vif {
        Ok(vif) => vif,
        Err(e) => return Outcome::invalid(e),
    };
    let r =
        c.dx.create_private_virtual_interface()
            .connection_id(&v.connection_id);
    let r = r.new_private_virtual_interface(vif).send().await;
    let id = |o: &aws_sdk_directconnect::operation::create_private_virtual_interface::CreatePrivateVirtualInterfaceOutput| {
        o.virtual_interface_id().map(str::to_string)
    };
    let ok = |o: &_| format!("created {}", id(o).as_deref().unwrap_or("VIF"));
    answered(op, r, ok, id)
}
