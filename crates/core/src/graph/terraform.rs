//! `what-if --terraform-plan FILE`: the resource changes of a Terraform plan (the JSON of
//! `terraform show -json PLAN`, `resource_changes[]` with `change.actions`, `before` and
//! `after`) as what-if [`Change`]s, resolved against the ids read.
//!
//! Modelled: `aws_ec2_transit_gateway_route` (create, delete, replace),
//! `aws_ec2_transit_gateway_route_table_association` and `_propagation` (create, delete,
//! replace), `aws_route` (create, delete, replace), `aws_route_table` (its inline routes
//! updated; deleted: no subnet uses it), `aws_vpc_peering_connection`, the TGW VPC, peering and
//! Connect attachments, `aws_dx_private_virtual_interface` and `aws_dx_transit_virtual_interface`
//! (delete), `aws_dx_gateway_association` (delete; allowed prefixes updated),
//! `aws_route53_resolver_rule` and `_association` (delete), and
//! `aws_vpc_peering_connection_accepter` (deleted: Terraform forgets it, the peering stays). A
//! change that only touches `tags` / `tags_all`, a no-op and a data source read change no
//! path. Everything else is listed as not assessed, with the reason, never silently passed.

use serde_json::Value;

use super::whatif::Change;

/// A plan's resource changes, sorted by what what-if makes of them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Planned {
    /// Changes to the paths, each with the resource address it comes from
    /// (`aws_ec2_transit_gateway_route.onprem`).
    pub changes: Vec<(String, Change)>,
    /// Addresses whose change cannot touch a path, with why (`tags only`, `no-op`, `read`).
    pub unchanged: Vec<(String, String)>,
    /// Addresses that what-if does not model, with why.
    pub not_assessed: Vec<(String, String)>,
}

/// Attributes that never change a path.
const TAGS: [&str; 2] = ["tags", "tags_all"];

/// Reads the JSON of `terraform show -json PLAN`.
///
/// Errors (one line) when it is not JSON or has no `resource_changes` list, or when a
/// resource change has no `address` or `change.actions`.
pub fn read_plan(text: &str) -> Result<Planned, String> {
    let plan: Value = serde_json::from_str(text)
        .map_err(|e| format!("not the JSON of `terraform show -json PLAN` ({e})"))?;
    let Some(list) = plan.get("resource_changes").and_then(Value::as_array) else {
        // A plan with nothing to do has no resource_changes at all.
        return match plan.get("format_version") {
            Some(_) => Ok(Planned::default()),
            None => Err("not the JSON of `terraform show -json PLAN`: no format_version or resource_changes".into()),
        };
    };
    let mut out = Planned::default();
    for (i, rc) in list.iter().enumerate() {
        let address = rc
            .get("address")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("resource_changes[{i}]: no address"))?
            .to_string();
        let change = &rc["change"];
        let actions: Vec<&str> = change
            .get("actions")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{address}: no change.actions"))?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let ty = rc.get("type").and_then(Value::as_str).unwrap_or_default();
        match judge(
            ty,
            &actions,
            &change["before"],
            &change["after"],
            &change["after_unknown"],
        ) {
            Judged::Changes(cs) => out
                .changes
                .extend(cs.into_iter().map(|c| (address.clone(), c))),
            Judged::Unchanged(why) => out.unchanged.push((address, why.into())),
            Judged::NotAssessed(why) => out.not_assessed.push((address, why)),
        }
    }
    Ok(out)
}

/// What one resource change is to the paths.
enum Judged {
    Changes(Vec<Change>),
    Unchanged(&'static str),
    NotAssessed(String),
}

fn judge(ty: &str, actions: &[&str], before: &Value, after: &Value, unknown: &Value) -> Judged {
    match actions {
        ["no-op"] => return Judged::Unchanged("no-op"),
        ["read"] => return Judged::Unchanged("read"),
        ["update"] if tags_only(before, after) => return Judged::Unchanged("tags only"),
        _ => {}
    }
    let deletes = actions.contains(&"delete");
    let creates = actions.contains(&"create");
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let mut out = Vec::new();
    match ty {
        "aws_ec2_transit_gateway_route" if deletes || creates => {
            if deletes {
                match (
                    s(before, "transit_gateway_route_table_id"),
                    s(before, "destination_cidr_block"),
                ) {
                    (Some(t), Some(c)) => out.push(Change::DeleteTgwRoute {
                        route_table_id: t,
                        cidr: c,
                    }),
                    _ => {
                        return not_assessed(
                            "the route deleted has no route table or CIDR in `before`",
                        );
                    }
                }
            }
            if creates {
                let (Some(t), Some(c)) = (
                    s(after, "transit_gateway_route_table_id"),
                    s(after, "destination_cidr_block"),
                ) else {
                    return not_assessed("the route table or CIDR is known only after apply");
                };
                let blackhole = after.get("blackhole").and_then(Value::as_bool) == Some(true);
                let attachment = s(after, "transit_gateway_attachment_id");
                if !blackhole && attachment.is_none() {
                    let why = if unknown.get("transit_gateway_attachment_id")
                        == Some(&Value::Bool(true))
                    {
                        "its attachment is known only after apply"
                    } else {
                        "neither an attachment nor a blackhole"
                    };
                    return not_assessed(why);
                }
                out.push(Change::AddTgwRoute {
                    route_table_id: t,
                    cidr: c,
                    attachment_id: attachment.filter(|_| !blackhole),
                });
            }
        }
        "aws_route" if deletes && !creates => {
            let cidr = s(before, "destination_cidr_block")
                .or_else(|| s(before, "destination_ipv6_cidr_block"));
            match (s(before, "route_table_id"), cidr) {
                (Some(t), Some(c)) => out.push(Change::DeleteVpcRoute {
                    route_table_id: t,
                    cidr: c,
                }),
                _ => return not_assessed("a route to a prefix list is not modelled"),
            }
        }
        "aws_ec2_transit_gateway_vpc_attachment"
        | "aws_ec2_transit_gateway_peering_attachment"
        | "aws_ec2_transit_gateway_connect"
            if deletes && !creates =>
        {
            match s(before, "id") {
                Some(id) => out.push(Change::DeleteAttachment(id)),
                None => return not_assessed("the attachment deleted has no id in `before`"),
            }
        }
        "aws_vpc_peering_connection" if deletes && !creates => match s(before, "id") {
            Some(id) => out.push(Change::DeletePeering(id)),
            None => return not_assessed("the peering deleted has no id in `before`"),
        },
        "aws_ec2_transit_gateway_route_table_association"
        | "aws_ec2_transit_gateway_route_table_propagation" => {
            let assoc = ty.ends_with("_association");
            let pair = |v: &Value| {
                Some((
                    s(v, "transit_gateway_route_table_id")?,
                    s(v, "transit_gateway_attachment_id")?,
                ))
            };
            if deletes {
                let Some((route_table_id, attachment_id)) = pair(before) else {
                    return not_assessed("no route table or attachment in `before`");
                };
                out.push(match assoc {
                    true => Change::DeleteAssociation {
                        route_table_id,
                        attachment_id,
                    },
                    false => Change::DeletePropagation {
                        route_table_id,
                        attachment_id,
                    },
                });
            }
            if creates {
                let Some((route_table_id, attachment_id)) = pair(after) else {
                    return not_assessed("the route table or attachment is known only after apply");
                };
                out.push(match assoc {
                    true => Change::AddAssociation {
                        route_table_id,
                        attachment_id,
                    },
                    false => Change::AddPropagation {
                        route_table_id,
                        attachment_id,
                    },
                });
            }
            if !deletes && !creates {
                return not_assessed(&format!("{} of {ty} is not modelled", actions.join("+")));
            }
        }
        "aws_route" if creates => {
            if deletes {
                match route_of(before) {
                    Some((t, c, _, _)) => out.push(Change::DeleteVpcRoute {
                        route_table_id: t,
                        cidr: c,
                    }),
                    None => return not_assessed("a route to a prefix list is not modelled"),
                }
            }
            match route_of(after) {
                Some((route_table_id, cidr, target_kind, target_id)) => {
                    out.push(Change::AddVpcRoute {
                        route_table_id,
                        cidr,
                        target_kind,
                        target_id,
                    })
                }
                None => {
                    return not_assessed(
                        "its route table, prefix or target is known only after apply, or is a prefix list",
                    );
                }
            }
        }
        "aws_route_table" if deletes && !creates => {
            return Judged::Unchanged("a route table is deleted only once no subnet uses it");
        }
        "aws_route_table" if !deletes && !creates => {
            let Some(table) = s(before, "id") else {
                return not_assessed("the route table has no id in `before`");
            };
            let inline = |v: &Value| -> Option<Vec<(String, String, String)>> {
                let routes = v.get("route")?.as_array()?;
                routes
                    .iter()
                    .map(|r| {
                        let (kind, id) = target_of(r)?;
                        Some((
                            s(r, "cidr_block").or_else(|| s(r, "ipv6_cidr_block"))?,
                            kind,
                            id,
                        ))
                    })
                    .collect()
            };
            let (Some(b), Some(a)) = (inline(before), inline(after)) else {
                return not_assessed(
                    "its routes are known only after apply, or name a prefix list",
                );
            };
            for (cidr, _, _) in b.iter().filter(|r| !a.iter().any(|x| x.0 == r.0)) {
                out.push(Change::DeleteVpcRoute {
                    route_table_id: table.clone(),
                    cidr: cidr.clone(),
                });
            }
            for (cidr, kind, id) in a.iter().filter(|r| !b.contains(r)) {
                out.push(Change::AddVpcRoute {
                    route_table_id: table.clone(),
                    cidr: cidr.clone(),
                    target_kind: kind.clone(),
                    target_id: id.clone(),
                });
            }
        }
        "aws_vpc_peering_connection_accepter" if deletes && !creates => {
            return Judged::Unchanged(
                "destroying the accepter only removes it from Terraform's state; the peering stays",
            );
        }
        "aws_dx_gateway_association" if !creates => {
            let pair = |v: &Value| Some((s(v, "dx_gateway_id")?, s(v, "associated_gateway_id")?));
            let Some((dx_gateway_id, gateway_id)) = pair(before) else {
                return not_assessed("no DX gateway or associated gateway in `before`");
            };
            if deletes {
                out.push(Change::DeleteDxgwAssociation {
                    dx_gateway_id,
                    gateway_id,
                });
            } else {
                let Some(prefixes) = after.get("allowed_prefixes").and_then(Value::as_array) else {
                    return not_assessed("its allowed prefixes are known only after apply");
                };
                let prefixes = prefixes
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string);
                out.push(Change::SetAllowedPrefixes {
                    dx_gateway_id,
                    gateway_id,
                    prefixes: prefixes.collect(),
                });
            }
        }
        "aws_route53_resolver_rule" if deletes && !creates => match s(before, "id") {
            Some(id) => out.push(Change::DeleteResolverRule(id)),
            None => return not_assessed("the rule deleted has no id in `before`"),
        },
        "aws_route53_resolver_rule_association" if deletes && !creates => {
            match (s(before, "resolver_rule_id"), s(before, "vpc_id")) {
                (Some(rule_id), Some(vpc_id)) => {
                    out.push(Change::DeleteRuleAssociation { rule_id, vpc_id })
                }
                _ => return not_assessed("no rule or VPC in `before`"),
            }
        }
        "aws_dx_private_virtual_interface" | "aws_dx_transit_virtual_interface"
            if deletes && !creates =>
        {
            match s(before, "id") {
                Some(id) => out.push(Change::FailVif(id)),
                None => return not_assessed("the VIF deleted has no id in `before`"),
            }
        }
        _ => {
            return not_assessed(&format!("{} of {ty} is not modelled", actions.join("+")));
        }
    }
    Judged::Changes(out)
}

/// An `aws_route`'s table, prefix and target (what-if's target kind and id); `None` for a
/// prefix list or what is known only after apply.
fn route_of(v: &Value) -> Option<(String, String, String, String)> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let cidr = s("destination_cidr_block").or_else(|| s("destination_ipv6_cidr_block"))?;
    let (kind, id) = target_of(v)?;
    Some((s("route_table_id")?, cidr, kind, id))
}

/// The target of a route (an `aws_route` or an `aws_route_table`'s inline `route`), as the
/// model spells its kind.
fn target_of(v: &Value) -> Option<(String, String)> {
    const TARGETS: [(&str, &str); 7] = [
        ("transit_gateway_id", "transit-gateway"),
        ("vpc_peering_connection_id", "vpc-peering"),
        ("gateway_id", "gateway"),
        ("nat_gateway_id", "nat-gateway"),
        ("network_interface_id", "network-interface"),
        ("vpc_endpoint_id", "vpc-endpoint"),
        ("egress_only_gateway_id", "egress-only-gateway"),
    ];
    TARGETS.iter().find_map(|(k, kind)| {
        let id = v
            .get(*k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())?;
        Some((kind.to_string(), id.to_string()))
    })
}

fn not_assessed(why: &str) -> Judged {
    Judged::NotAssessed(why.to_string())
}

/// Whether `before` and `after` differ only in their tags (both known objects).
fn tags_only(before: &Value, after: &Value) -> bool {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return false;
    };
    let keys = b
        .keys()
        .chain(a.keys())
        .filter(|k| !TAGS.contains(&k.as_str()));
    keys.into_iter().all(|k| b.get(k) == a.get(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(changes: Value) -> String {
        serde_json::json!({"format_version": "1.2", "resource_changes": changes}).to_string()
    }

    #[test]
    fn a_plan_s_changes_are_sorted_into_changes_unchanged_and_not_assessed() {
        let text = plan(serde_json::json!([
            {"address": "aws_ec2_transit_gateway_route.onprem", "type": "aws_ec2_transit_gateway_route",
             "change": {"actions": ["delete"], "before": {"transit_gateway_route_table_id": "tgw-rtb-1", "destination_cidr_block": "10.0.0.0/8"}, "after": null}},
            {"address": "aws_vpc.main", "type": "aws_vpc",
             "change": {"actions": ["update"], "before": {"id": "vpc-1", "tags": {}}, "after": {"id": "vpc-1", "tags": {"team": "net"}}}},
            {"address": "aws_vpc.other", "type": "aws_vpc",
             "change": {"actions": ["update"], "before": {"id": "vpc-2", "cidr_block": "10.1.0.0/16"}, "after": {"id": "vpc-2", "cidr_block": "10.2.0.0/16"}}},
            {"address": "aws_route.back", "type": "aws_route",
             "change": {"actions": ["delete"], "before": {"route_table_id": "rtb-1", "destination_cidr_block": "10.0.0.0/8"}, "after": null}},
            {"address": "aws_ec2_transit_gateway_route.new", "type": "aws_ec2_transit_gateway_route",
             "change": {"actions": ["create"], "before": null, "after": {"transit_gateway_route_table_id": "tgw-rtb-1", "destination_cidr_block": "10.9.0.0/16", "blackhole": false}, "after_unknown": {"transit_gateway_attachment_id": true}}},
        ]));
        let p = read_plan(&text).unwrap();
        assert_eq!(
            p.changes,
            vec![
                (
                    "aws_ec2_transit_gateway_route.onprem".to_string(),
                    Change::DeleteTgwRoute {
                        route_table_id: "tgw-rtb-1".into(),
                        cidr: "10.0.0.0/8".into()
                    }
                ),
                (
                    "aws_route.back".to_string(),
                    Change::DeleteVpcRoute {
                        route_table_id: "rtb-1".into(),
                        cidr: "10.0.0.0/8".into()
                    }
                ),
            ]
        );
        assert_eq!(
            p.unchanged,
            vec![("aws_vpc.main".to_string(), "tags only".to_string())]
        );
        let na: Vec<&str> = p.not_assessed.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(na, ["aws_vpc.other", "aws_ec2_transit_gateway_route.new"]);
        assert!(
            p.not_assessed[1].1.contains("after apply"),
            "{:?}",
            p.not_assessed
        );
    }

    #[test]
    fn what_is_not_a_plan_is_refused() {
        assert!(read_plan("{").is_err());
        assert!(read_plan("{\"a\": 1}").is_err());
        assert!(
            read_plan(&plan(serde_json::json!([{"type": "aws_route"}])))
                .unwrap_err()
                .contains("no address")
        );
        assert_eq!(
            read_plan("{\"format_version\": \"1.2\"}"),
            Ok(Planned::default())
        );
    }
}
