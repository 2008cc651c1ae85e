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
                let existing = r
                    .tgw_routes
                    .items
                    .iter()
                    .find(|x| x.route_table_id == rtb && x.destination == cidr);
                // A static route over a propagated one is how AWS overrides it (static routes
                // take precedence); only a static route to the same CIDR exists already.
                let overrides = existing.filter(|x| x.route_type == "propagated");
                if let Some(existing) = existing.filter(|x| x.route_type != "propagated") {
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
                let p = plan(TgwCall::CreateTgwRoute {
                    route_table_id: rtb.clone(),
                    cidr,
                    attachment_id: (!blackhole).then_some(target),
                });
                let mut p = if blackhole { destructive(p, rtb) } else { p };
                if let Some(o) = overrides {
                    let via: Vec<&str> = o
                        .targets
                        .iter()
                        .filter_map(|t| t.attachment_id.as_deref())
                        .collect();
                    p.warnings.push(format!(
                        "overrides the propagated route to {} via {} ({}): static routes take precedence over propagated ones",
                        o.destination,
                        if via.is_empty() { "-".to_string() } else { via.join(", ") },
                        o.state
                    ));
                }
                p
            }
            DeleteRoute => {
                let id = row_id();
                let (rtb, cidr) = id
                    .split_once('|')
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .unwrap_or_default();
                // AWS refuses to delete a propagated route: the propagation is what to turn off.
                if let Some(p) = r.tgw_routes.items.iter().find(|x| {
                    x.route_table_id == rtb && x.destination == cidr && x.route_type == "propagated"
                }) {
                    let from: Vec<&str> = p
                        .targets
                        .iter()
                        .filter_map(|t| t.attachment_id.as_deref())
                        .collect();
                    return Err(FieldError {
                        field: "Route".into(),
                        message: format!(
                            "{cidr} in {rtb} is a propagated route: it cannot be deleted (nothing was sent); disable the propagation of {} into {rtb} instead (DisableTransitGatewayRouteTablePropagation), or add a static route to override it",
                            if from.is_empty() {
                                "its attachment".to_string()
                            } else {
                                from.join(", ")
                            }
                        ),
                    });
                }
                destructive(
                    plan(TgwCall::DeleteTgwRoute {
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
