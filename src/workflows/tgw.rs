//! Transit Gateway routes: add (static or blackhole), delete.

use super::form::{Field, Form};
use super::validate::{self, Checked, FieldError};
use super::*;
use crate::model::ResourceKind;

/// The tgw family.
pub(super) struct Family;

impl super::Family for Family {
    fn form(&self, c: &Ctx) -> Result<Form, String> {
        use WorkflowKind::*;
        let (kind, t, r) = (c.kind, c.t, c.r);
        Ok(match kind {
            AddRoute => {
                let rtb = route_table_of(t)?;
                let tgw = r
                    .tgw_route_tables
                    .items
                    .iter()
                    .find(|x| x.id == rtb)
                    .map(|x| x.transit_gateway_id.clone())
                    .unwrap_or_default();
                let targets: Vec<(String, String)> = r
                    .tgw_attachments
                    .items
                    .iter()
                    .filter(|a| a.transit_gateway_id == tgw)
                    .map(|a| {
                        (
                            a.id.clone(),
                            format!(
                                "{} {} {} {}",
                                a.id,
                                a.resource_type,
                                a.resource_id.as_deref().unwrap_or("-"),
                                a.name
                            ),
                        )
                    })
                    .chain([(
                        "blackhole".to_string(),
                        "blackhole (drop traffic)".to_string(),
                    )])
                    .collect();
                Form::new(vec![
                    Field::text("cidr", "Destination CIDR", "", "e.g. 10.50.0.0/16"),
                    Field::choice("target", "Target", targets, None),
                ])
            }
            DeleteRoute => {
                id_of(t, ResourceKind::TgwRoutes)?;
                Form::new(vec![])
            }
            other => unreachable!("{other:?} is not a tgw workflow"),
        })
    }

    fn plan(&self, c: &PlanCtx) -> Checked<Plan> {
        use WorkflowKind::*;
        let (kind, t, r, form) = (c.kind, c.t, c.r, c.form);
        let row_id = || c.row_id();
        let plan = |call| c.plan(call);
        Ok(match kind {
            AddRoute => {
                let rtb = route_table_of(t).map_err(|m| FieldError {
                    field: "Route table".into(),
                    message: m,
                })?;
                let cidr = validate::cidr(form.label("cidr"), form.get("cidr"))?.to_string();
                if let Some(existing) = r
                    .tgw_routes
                    .items
                    .iter()
                    .find(|x| x.route_table_id == rtb && x.destination == cidr)
                {
                    return field_err(
                        form,
                        "cidr",
                        format!(
                            "{rtb} already has a {} {} route to {cidr}: delete it first or choose another CIDR",
                            existing.route_type, existing.state
                        ),
                    );
                }
                let target = form.get("target").to_string();
                let blackhole = target == "blackhole";
                let p = plan(Call::CreateTgwRoute {
                    route_table_id: rtb.clone(),
                    cidr,
                    attachment_id: (!blackhole).then_some(target),
                });
                if blackhole { destructive(p, rtb) } else { p }
            }
            DeleteRoute => {
                let id = row_id();
                let (rtb, cidr) = id
                    .split_once('|')
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .unwrap_or_default();
                destructive(
                    plan(Call::DeleteTgwRoute {
                        route_table_id: rtb,
                        cidr: cidr.clone(),
                    }),
                    cidr,
                )
            }
            other => unreachable!("{other:?} is not a tgw workflow"),
        })
    }
}

fn route_table_of(t: &Target) -> Result<String, String> {
    match &t.resource {
        Some((ResourceKind::TgwRouteTables, id)) => Ok(id.clone()),
        Some((ResourceKind::TgwRoutes, id)) => {
            Ok(id.split('|').next().unwrap_or_default().to_string())
        }
        _ => Err("select a route table or route".into()),
    }
}
