//! Direct Connect: confirm, create and delete VIFs, BGP failover tests.

use super::form::{Field, Form};
use super::validate::{self, Checked, FieldError};
use super::*;
use crate::model::{BgpStatus, ConnectionState, VifState};
use crate::model::{Estate, RegionEstate, ResourceKind};

/// The dx family.
pub(super) struct Family;

impl super::Family for Family {
    fn form(&self, c: &Ctx) -> Result<Form, String> {
        use WorkflowKind::*;
        let (kind, e, t, r) = (c.kind, c.e, c.t, c.r);
        Ok(match kind {
            Confirm => match &t.resource {
                Some((ResourceKind::DxConnections, id)) => {
                    let c = r
                        .dx_connections
                        .items
                        .iter()
                        .find(|c| &c.id == id)
                        .ok_or("connection not found")?;
                    if c.state != ConnectionState::Ordering {
                        return Err(format!(
                            "{id} is {}; only a hosted connection in state ordering can be confirmed",
                            c.state
                        ));
                    }
                    Form::new(vec![])
                }
                Some((ResourceKind::DxVirtualInterfaces, id)) => {
                    let v = r
                        .dx_vifs
                        .items
                        .iter()
                        .find(|v| &v.id == id)
                        .ok_or("VIF not found")?;
                    if v.state != VifState::Confirming {
                        return Err(format!(
                            "{id} is {}; only a hosted VIF in state confirming can be confirmed",
                            v.state
                        ));
                    }
                    let gws = gateway_choices(e, r, v.vif_type == "private");
                    if v.vif_type == "public" {
                        Form::new(vec![])
                    } else {
                        Form::new(vec![Field::choice("gateway", "Gateway", gws, None)])
                    }
                }
                _ => return Err("select a connection or VIF".into()),
            },
            CreateVif => {
                let conns: Vec<(String, String)> = r
                    .dx_connections
                    .items
                    .iter()
                    .filter(|c| c.lag_id.is_none())
                    .map(|c| {
                        (
                            c.id.clone(),
                            format!("{} {} {} {}", c.id, c.name, c.location, c.state),
                        )
                    })
                    .chain(r.dx_lags.items.iter().map(|l| {
                        (
                            l.id.clone(),
                            format!("{} {} {} {}", l.id, l.name, l.location, l.state),
                        )
                    }))
                    .collect();
                let selected = match &t.resource {
                    Some((ResourceKind::DxVirtualInterfaces, id)) => r
                        .dx_vifs
                        .items
                        .iter()
                        .find(|v| &v.id == id)
                        .map(|v| v.connection_id.clone()),
                    Some((_, id)) => Some(id.clone()),
                    None => None,
                };
                Form::new(vec![
                    Field::choice(
                        "type",
                        "VIF type",
                        vec![
                            ("transit".into(), "transit".into()),
                            ("private".into(), "private".into()),
                        ],
                        None,
                    ),
                    Field::text("name", "Name", "", "1–64 characters"),
                    Field::choice("connection", "Connection", conns, selected.as_deref()),
                    Field::text("vlan", "VLAN", "", "1–4094"),
                    Field::text("asn", "Customer ASN", "", "e.g. 65010"),
                    Field::text(
                        "amazon_address",
                        "Amazon address",
                        "",
                        "169.254.x.y/30 or /31; empty: AWS assigns",
                    ),
                    Field::text(
                        "customer_address",
                        "Customer address",
                        "",
                        "same subnet as the Amazon address",
                    ),
                    Field::secret(
                        "auth_key",
                        "BGP auth key",
                        "optional; empty: AWS generates one",
                    ),
                    Field::text("mtu", "MTU", "1500", "transit 1500/8500, private 1500/9001"),
                    Field::choice("gateway", "Gateway", gateway_choices(e, r, true), None),
                ])
            }
            DeleteVif => {
                id_of(t, ResourceKind::DxVirtualInterfaces)?;
                Form::new(vec![])
            }
            FailoverTest => {
                id_of(t, ResourceKind::DxVirtualInterfaces)?;
                Form::new(vec![
                    Field::choice(
                        "mode",
                        "Test",
                        vec![
                            ("start".into(), "start (BGP sessions go down)".into()),
                            ("stop".into(), "stop".into()),
                        ],
                        None,
                    ),
                    Field::text("minutes", "Duration (minutes)", "180", "1–4320"),
                ])
            }
            other => unreachable!("{other:?} is not a dx workflow"),
        })
    }

    fn plan(&self, c: &PlanCtx) -> Checked<Plan> {
        use WorkflowKind::*;
        let (kind, e, t, r, form) = (c.kind, c.e, c.t, c.r, c.form);
        let row_id = || c.row_id();
        let plan = |call| c.plan(call);
        Ok(match kind {
            Confirm => match &t.resource {
                Some((ResourceKind::DxConnections, id)) => {
                    plan(DxCall::ConfirmConnection { id: id.clone() })
                }
                Some((_, id)) => {
                    let v = r
                        .dx_vifs
                        .items
                        .iter()
                        .find(|v| &v.id == id)
                        .ok_or_else(|| FieldError {
                            field: "VIF".into(),
                            message: "the VIF is no longer in the latest poll".into(),
                        })?;
                    let gw = form.get("gateway").to_string();
                    match v.vif_type.as_str() {
                        "public" => plan(DxCall::ConfirmPublicVif { id: id.clone() }),
                        "transit" => {
                            let Some(dxgw) = gw.strip_prefix("dxgw:") else {
                                return field_err(
                                    form,
                                    "gateway",
                                    "a transit VIF needs a DX gateway",
                                );
                            };
                            plan(DxCall::ConfirmTransitVif {
                                id: id.clone(),
                                dxgw_id: dxgw.into(),
                            })
                        }
                        _ => {
                            if !matches!(gw.split_once(':'), Some(("dxgw" | "vgw", _))) {
                                return field_err(
                                    form,
                                    "gateway",
                                    "choose a DX gateway or virtual private gateway",
                                );
                            }
                            plan(DxCall::ConfirmPrivateVif {
                                id: id.clone(),
                                gateway_id: gw.clone(),
                            })
                        }
                    }
                }
                None => {
                    return Err(FieldError {
                        field: "Target".into(),
                        message: "select a connection or VIF".into(),
                    });
                }
            },
            CreateVif => plan_create_vif(c)?,
            DeleteVif => {
                let id = row_id();
                destructive(plan(DxCall::DeleteVif { id: id.clone() }), id)
            }
            FailoverTest => {
                let id = row_id();
                if form.get("mode") == "stop" {
                    plan(DxCall::StopFailoverTest { vif_id: id })
                } else {
                    let minutes =
                        validate::number(form.label("minutes"), form.get("minutes"), 1, 4320)?
                            as i32;
                    let warnings = failover_warnings(e, &id, minutes);
                    let mut p = destructive(
                        plan(DxCall::StartFailoverTest {
                            vif_id: id.clone(),
                            minutes,
                        }),
                        id,
                    );
                    p.warnings.extend(warnings);
                    p
                }
            }
            other => unreachable!("{other:?} is not a dx workflow"),
        })
    }
}

fn gateway_choices(e: &Estate, r: &RegionEstate, with_vgws: bool) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    let mut v: Vec<(String, String)> = e
        .scopes
        .values()
        .flat_map(|x| &x.dx_gateways.items)
        .filter(|g| seen.insert(g.id.clone()))
        .map(|g| {
            (
                format!("dxgw:{}", g.id),
                format!("DXGW {} {}", g.id, g.name),
            )
        })
        .collect();
    if with_vgws {
        v.extend(
            r.dx_virtual_gateways
                .items
                .iter()
                .map(|g| (format!("vgw:{}", g.id), format!("VGW {}", g.id))),
        );
    }
    v
}

/// Validates a filled form and builds its plan; the error names the field.
/// What a BGP failover test of a VIF takes down: when its gateway (DXGW or VGW) has no other
/// VIF with a BGP session up, the test cuts the gateway's last working path for its duration.
fn failover_warnings(e: &Estate, vif_id: &str, minutes: i32) -> Vec<String> {
    let all: Vec<&crate::model::VirtualInterface> =
        e.scopes.values().flat_map(|r| &r.dx_vifs.items).collect();
    let Some(v) = all.iter().find(|v| v.id == vif_id) else {
        return vec![];
    };
    let up = |x: &crate::model::VirtualInterface| {
        x.state == VifState::Available && x.bgp_peers.iter().any(|p| p.bgp_status == BgpStatus::Up)
    };
    let gw = v
        .direct_connect_gateway_id
        .as_deref()
        .or(v.virtual_gateway_id.as_deref());
    let mut out = vec![format!(
        "the BGP sessions of {vif_id} go down for {minutes} minute(s) (default 180 if AWS is not told), or until StopBgpFailoverTest"
    )];
    if let Some(gw) = gw
        && up(v)
        && !all.iter().any(|o| {
            o.id != v.id
                && (o.direct_connect_gateway_id.as_deref() == Some(gw)
                    || o.virtual_gateway_id.as_deref() == Some(gw))
                && up(o)
        })
    {
        let names = crate::model::NameIndex::new(e);
        let gname = names
            .name(gw)
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        out.push(format!(
            "{vif_id} carries the last BGP session up of gateway {gw}{gname}: everything behind it (its VPCs, TGW attachments) loses its path to on-prem for the test"
        ));
    }
    out
}

/// The plan of a new VIF: its VLAN, ASN, peer addresses, key and gateway checked against what is read (VLANs in use, MTU of the gateway's other VIFs).
fn plan_create_vif(c: &PlanCtx) -> Checked<Plan> {
    let (e, form) = (c.e, c.form);
    let plan = |call| c.plan(call);
    let vif_type = form.get("type").to_string();
    let name = validate::name(form.label("name"), form.get("name"))?;
    let connection = form.get("connection").to_string();
    if connection.is_empty() {
        return field_err(form, "connection", "choose the connection or LAG");
    }
    let vlan = validate::vlan(form.label("vlan"), form.get("vlan"))?;
    if let Some(other) =
        e.scopes.values().flat_map(|x| &x.dx_vifs.items).find(|v| {
            v.connection_id == connection && v.vlan == vlan && v.state != VifState::Deleted
        })
    {
        return field_err(
            form,
            "vlan",
            format!(
                "VLAN {vlan} is already used on {connection} by {} ({})",
                other.id, other.name
            ),
        );
    }
    let asn = validate::asn(form.label("asn"), form.get("asn"))?;
    let pair = validate::bgp_peer_pair(
        form.label("amazon_address"),
        form.get("amazon_address"),
        form.label("customer_address"),
        form.get("customer_address"),
    )?;
    let mtu = validate::mtu(form.label("mtu"), &vif_type, form.get("mtu"))?;
    let gw = form.get("gateway").to_string();
    let (dxgw, vgw) = match gw.split_once(':') {
        Some(("dxgw", g)) => (Some(g.to_string()), None),
        Some(("vgw", g)) if vif_type == "private" => (None, Some(g.to_string())),
        Some(("vgw", _)) => {
            return field_err(
                form,
                "gateway",
                "a transit VIF attaches to a DX gateway, not a virtual private gateway",
            );
        }
        _ => return field_err(form, "gateway", "choose the gateway"),
    };
    let key = form.get("auth_key").to_string();
    validate::bgp_auth_key(form.label("auth_key"), &key)?;
    let mut warnings = Vec::new();
    // The tool's own rules, as warnings: DX-010 and DX-009.
    let conn_state = e
        .scopes
        .values()
        .flat_map(|x| {
            x.dx_connections
                .items
                .iter()
                .map(|c| (c.id.as_str(), c.state.as_str()))
        })
        .chain(e.scopes.values().flat_map(|x| {
            x.dx_lags
                .items
                .iter()
                .map(|l| (l.id.as_str(), l.state.as_str()))
        }))
        .find(|(id, _)| *id == connection)
        .map(|(_, st)| st.to_string());
    if let Some(st) = conn_state.filter(|st| st == "down") {
        warnings.push(format!(
            "DX-010: {connection} is {st}: the VIF will not come up until it is available"
        ));
    }
    let gw_id = dxgw.clone().or(vgw.clone()).unwrap_or_default();
    let others: std::collections::BTreeSet<i32> = e
        .scopes
        .values()
        .flat_map(|x| &x.dx_vifs.items)
        .filter(|v| {
            v.state != VifState::Deleted
                && (v.direct_connect_gateway_id.as_deref() == Some(gw_id.as_str())
                    || v.virtual_gateway_id.as_deref() == Some(gw_id.as_str()))
        })
        .filter_map(|v| v.mtu)
        .collect();
    if !others.is_empty() && !others.contains(&mtu) {
        warnings.push(format!(
            "DX-009: the gateway's other VIFs use MTU {}, this one {mtu}: a failover between them changes the packet size",
            others.iter().map(|m| m.to_string()).collect::<Vec<_>>().join("/")
        ));
    }
    let mut p = plan(DxCall::CreateVif {
        transit: vif_type == "transit",
        vif: NewVif {
            connection_id: connection,
            name,
            vlan,
            asn,
            amazon_address: pair.map(|p| p.0.to_string()),
            customer_address: pair.map(|p| p.1.to_string()),
            auth_key: (!key.is_empty()).then_some(Secret(key)),
            mtu,
            dxgw_id: dxgw,
            vgw_id: vgw,
        },
    });
    p.warnings.extend(warnings);
    Ok(p)
}
