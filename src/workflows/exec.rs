//! Execution: the only place a mutating AWS call is sent. It needs write-capable clients,
//! which `run` builds only under `--write`; the read-only guard on every client refuses
//! mutating operations in any case.

use std::path::PathBuf;

use aws_sdk_route53resolver::types as r53;
use aws_types::request_id::RequestId;

use super::journal;
use super::record::{entry, record};
pub use super::record::{resolve, undo_of};
use super::{Call, Plan};
use crate::aws::{RegionClients, api_error};

/// What came back.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub success: bool,
    /// The call failed in a way that may still have been applied (HTTP 5xx, a timeout, a
    /// dropped connection): the outcome is unknown until the target is read again.
    pub unknown: bool,
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    /// Whether a journal line was written for it.
    pub journaled: bool,
    /// The id of the resource the call created, when it created one.
    pub created: Option<String>,
}

impl Outcome {
    /// A request that could not be built from the plan (nothing was sent).
    fn invalid(e: impl std::fmt::Display) -> Outcome {
        Outcome {
            code: Some("InvalidParameter".into()),
            message: e.to_string(),
            ..Default::default()
        }
    }

    fn ok(message: impl Into<String>, request_id: Option<&str>) -> Outcome {
        Outcome {
            unknown: false,
            created: None,
            success: true,
            code: None,
            message: message.into(),
            request_id: request_id.map(str::to_string),
            journaled: false,
        }
    }
}

/// The outcome of a call that failed: its AWS error code and message, and whether it may
/// still have been applied ([`crate::aws::outcome_unknown`]).
fn failed<E>(
    op: &str,
    e: &aws_smithy_runtime_api::client::result::SdkError<
        E,
        aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    >,
) -> Outcome
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    let a = api_error(op, e);
    Outcome {
        success: false,
        unknown: crate::aws::outcome_unknown(e),
        created: None,
        code: Some(a.code),
        message: a.message,
        request_id: e.request_id().map(str::to_string),
        journaled: false,
    }
}

/// Sends a request once: `$ok` says what was done; `created:` names the resource a create
/// call made (journaled with it).
macro_rules! send {
    ($op:literal, $req:expr, $ok:expr) => {
        match $req.send().await {
            Ok(out) => Outcome::ok($ok(&out), out.request_id()),
            Err(e) => failed($op, &e),
        }
    };
    ($op:literal, $req:expr, $ok:expr, created: $id:expr) => {
        match $req.send().await {
            Ok(out) => Outcome {
                created: $id(&out),
                ..Outcome::ok($ok(&out), out.request_id())
            },
            Err(e) => failed($op, &e),
        }
    };
}

/// The absolute path of a file just written (as given when it cannot be resolved).
pub fn full_path(path: &str) -> String {
    std::fs::canonicalize(path)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.to_string())
}

/// Sends the plan's call. With `dry_run` (EC2 only) the call carries `DryRun=true`, and the
/// error code `DryRunOperation` means it would succeed.
pub async fn run(c: &RegionClients, call: &Call, dry_run: bool) -> Outcome {
    match call {
        Call::DescribeLoa {
            connection_id,
            path,
        } => match crate::aws::directconnect::describe_loa(&c.dx, connection_id).await {
            Ok(bytes) => match std::fs::write(path, &bytes) {
                Ok(()) => Outcome::ok(
                    format!("wrote {} bytes to {}", bytes.len(), full_path(path)),
                    None,
                ),
                Err(e) => Outcome {
                    unknown: false,
                    created: None,
                    success: false,
                    code: Some("WriteFailed".into()),
                    message: format!("cannot write {path}: {e}"),
                    request_id: None,
                    journaled: false,
                },
            },
            Err(e) => Outcome {
                unknown: false,
                created: None,
                success: false,
                code: Some(e.code),
                message: e.message,
                request_id: None,
                journaled: false,
            },
        },
        Call::AcceptPeering { id } => send!(
            "AcceptVpcPeeringConnection",
            c.ec2
                .accept_vpc_peering_connection()
                .vpc_peering_connection_id(id)
                .dry_run(dry_run),
            |_o: &_| format!("accepted {id}")
        ),
        Call::RejectPeering { id } => send!(
            "RejectVpcPeeringConnection",
            c.ec2
                .reject_vpc_peering_connection()
                .vpc_peering_connection_id(id)
                .dry_run(dry_run),
            |_o: &_| format!("rejected {id}")
        ),
        Call::DeletePeering { id } => send!(
            "DeleteVpcPeeringConnection",
            c.ec2
                .delete_vpc_peering_connection()
                .vpc_peering_connection_id(id)
                .dry_run(dry_run),
            |_o: &_| format!("deleted {id}")
        ),
        Call::CreateTgwRoute {
            route_table_id,
            cidr,
            attachment_id,
        } => send!(
            "CreateTransitGatewayRoute",
            c.ec2
                .create_transit_gateway_route()
                .transit_gateway_route_table_id(route_table_id)
                .destination_cidr_block(cidr)
                .set_transit_gateway_attachment_id(attachment_id.clone())
                .set_blackhole(attachment_id.is_none().then_some(true))
                .dry_run(dry_run),
            |_o: &_| format!("route {cidr} added to {route_table_id}")
        ),
        Call::DeleteTgwRoute {
            route_table_id,
            cidr,
        } => send!(
            "DeleteTransitGatewayRoute",
            c.ec2
                .delete_transit_gateway_route()
                .transit_gateway_route_table_id(route_table_id)
                .destination_cidr_block(cidr)
                .dry_run(dry_run),
            |_o: &_| format!("route {cidr} deleted from {route_table_id}")
        ),
        Call::CreateResolverEndpoint {
            creator_request_id,
            name,
            direction,
            security_group_ids,
            ips,
            protocols,
            endpoint_type,
        } => {
            let mut req = c
                .resolver
                .create_resolver_endpoint()
                .creator_request_id(creator_request_id)
                .name(name)
                .direction(r53::ResolverEndpointDirection::from(direction.as_str()))
                .set_security_group_ids(Some(security_group_ids.clone()))
                .resolver_endpoint_type(r53::ResolverEndpointType::from(endpoint_type.as_str()));
            for p in protocols {
                req = req.protocols(r53::Protocol::from(p.as_str()));
            }
            for (subnet, ip) in ips {
                match r53::IpAddressRequest::builder()
                    .subnet_id(subnet)
                    .set_ip(ip.clone())
                    .build()
                {
                    Ok(a) => req = req.ip_addresses(a),
                    Err(e) => {
                        return Outcome::invalid(e);
                    }
                }
            }
            send!("CreateResolverEndpoint", req, |o: &aws_sdk_route53resolver::operation::create_resolver_endpoint::CreateResolverEndpointOutput| {
                format!("created {}", o.resolver_endpoint().and_then(|e| e.id()).unwrap_or("endpoint"))
            }, created: |o: &aws_sdk_route53resolver::operation::create_resolver_endpoint::CreateResolverEndpointOutput| {
                o.resolver_endpoint().and_then(|e| e.id()).map(str::to_string)
            })
        }
        Call::CreateResolverRule {
            creator_request_id,
            name,
            domain,
            targets,
            endpoint_id,
        } => {
            let mut req = c
                .resolver
                .create_resolver_rule()
                .creator_request_id(creator_request_id)
                .name(name)
                .rule_type(r53::RuleTypeOption::Forward)
                .domain_name(domain)
                .resolver_endpoint_id(endpoint_id);
            for (ip, port) in targets {
                req = req.target_ips(r53::TargetAddress::builder().ip(ip).port(*port).build());
            }
            send!("CreateResolverRule", req, |o: &aws_sdk_route53resolver::operation::create_resolver_rule::CreateResolverRuleOutput| {
                format!("created {}", o.resolver_rule().and_then(|r| r.id()).unwrap_or("rule"))
            }, created: |o: &aws_sdk_route53resolver::operation::create_resolver_rule::CreateResolverRuleOutput| {
                o.resolver_rule().and_then(|r| r.id()).map(str::to_string)
            })
        }
        Call::AssociateResolverRule {
            rule_id,
            vpc_id,
            name,
        } => send!(
            "AssociateResolverRule",
            c.resolver
                .associate_resolver_rule()
                .resolver_rule_id(rule_id)
                .vpc_id(vpc_id)
                .set_name((!name.is_empty()).then(|| name.clone())),
            |_o: &_| format!("associated {rule_id} with {vpc_id}")
        ),
        Call::UpdateFirewallRule {
            rule_group_id,
            domain_list_id,
            action,
            priority,
            redirection,
            block_response,
        } => send!(
            "UpdateFirewallRule",
            c.resolver
                .update_firewall_rule()
                .firewall_rule_group_id(rule_group_id)
                .firewall_domain_list_id(domain_list_id)
                .action(r53::Action::from(action.as_str()))
                .priority(*priority)
                .firewall_domain_redirection_action(r53::FirewallDomainRedirectionAction::from(
                    redirection.as_str()
                ))
                .set_block_response(block_response.as_deref().map(r53::BlockResponse::from)),
            |_o: &_| format!("rule {priority} of {rule_group_id} updated")
        ),
        Call::UpdateFirewallConfig { vpc_id, fail_open } => send!(
            "UpdateFirewallConfig",
            c.resolver
                .update_firewall_config()
                .resource_id(vpc_id)
                .firewall_fail_open(r53::FirewallFailOpenStatus::from(fail_open.as_str())),
            |_o: &_| format!("fail-open of {vpc_id} set to {fail_open}")
        ),
        Call::ConfirmConnection { id } => {
            send!("ConfirmConnection", c.dx.confirm_connection().connection_id(id),
            |o: &aws_sdk_directconnect::operation::confirm_connection::ConfirmConnectionOutput| {
                format!("{id} is now {}", o.connection_state().map(|s| s.as_str()).unwrap_or("?"))
            })
        }
        Call::ConfirmPrivateVif { id, gateway_id } => {
            let (dxgw, vgw) = match gateway_id.split_once(':') {
                Some(("dxgw", g)) => (Some(g.to_string()), None),
                Some((_, g)) => (None, Some(g.to_string())),
                None => (None, None),
            };
            send!(
                "ConfirmPrivateVirtualInterface",
                c.dx.confirm_private_virtual_interface()
                    .virtual_interface_id(id)
                    .set_direct_connect_gateway_id(dxgw)
                    .set_virtual_gateway_id(vgw),
                |_o: &_| format!("{id} confirmed")
            )
        }
        Call::ConfirmTransitVif { id, dxgw_id } => send!(
            "ConfirmTransitVirtualInterface",
            c.dx.confirm_transit_virtual_interface()
                .virtual_interface_id(id)
                .direct_connect_gateway_id(dxgw_id),
            |_o: &_| format!("{id} confirmed")
        ),
        Call::ConfirmPublicVif { id } => send!(
            "ConfirmPublicVirtualInterface",
            c.dx.confirm_public_virtual_interface()
                .virtual_interface_id(id),
            |_o: &_| format!("{id} confirmed")
        ),
        Call::CreateVif {
            transit,
            connection_id,
            name,
            vlan,
            asn,
            amazon_address,
            customer_address,
            auth_key,
            mtu,
            dxgw_id,
            vgw_id,
        } => {
            use aws_sdk_directconnect::types as dx;
            let key = auth_key.as_ref().map(|k| k.0.clone());
            if *transit {
                let vif = dx::NewTransitVirtualInterface::builder()
                    .virtual_interface_name(name)
                    .vlan(*vlan)
                    .asn(*asn as i32)
                    .set_asn_long((*asn > i32::MAX as i64).then_some(*asn))
                    .mtu(*mtu)
                    .set_auth_key(key)
                    .set_amazon_address(amazon_address.clone())
                    .set_customer_address(customer_address.clone())
                    .address_family(dx::AddressFamily::IPv4)
                    .set_direct_connect_gateway_id(dxgw_id.clone())
                    .build();
                send!("CreateTransitVirtualInterface",
                c.dx.create_transit_virtual_interface().connection_id(connection_id).new_transit_virtual_interface(vif),
                |o: &aws_sdk_directconnect::operation::create_transit_virtual_interface::CreateTransitVirtualInterfaceOutput| {
                    format!("created {}", o.virtual_interface().and_then(|v| v.virtual_interface_id()).unwrap_or("VIF"))
                },
                created: |o: &aws_sdk_directconnect::operation::create_transit_virtual_interface::CreateTransitVirtualInterfaceOutput| {
                    o.virtual_interface().and_then(|v| v.virtual_interface_id()).map(str::to_string)
                })
            } else {
                let vif = dx::NewPrivateVirtualInterface::builder()
                    .virtual_interface_name(name)
                    .vlan(*vlan)
                    .asn(*asn as i32)
                    .set_asn_long((*asn > i32::MAX as i64).then_some(*asn))
                    .mtu(*mtu)
                    .set_auth_key(key)
                    .set_amazon_address(amazon_address.clone())
                    .set_customer_address(customer_address.clone())
                    .address_family(dx::AddressFamily::IPv4)
                    .set_direct_connect_gateway_id(dxgw_id.clone())
                    .set_virtual_gateway_id(vgw_id.clone())
                    .build();
                match vif {
                    Ok(vif) => send!("CreatePrivateVirtualInterface",
                    c.dx.create_private_virtual_interface().connection_id(connection_id).new_private_virtual_interface(vif),
                    |o: &aws_sdk_directconnect::operation::create_private_virtual_interface::CreatePrivateVirtualInterfaceOutput| {
                        format!("created {}", o.virtual_interface_id().unwrap_or("VIF"))
                    },
                    created: |o: &aws_sdk_directconnect::operation::create_private_virtual_interface::CreatePrivateVirtualInterfaceOutput| {
                        o.virtual_interface_id().map(str::to_string)
                    }),
                    Err(e) => Outcome::invalid(e),
                }
            }
        }
        Call::DeleteVif { id } => send!(
            "DeleteVirtualInterface",
            c.dx.delete_virtual_interface().virtual_interface_id(id),
            |_o: &_| format!("{id} deleting")
        ),
        Call::StartFailoverTest { vif_id, minutes } => send!(
            "StartBgpFailoverTest",
            c.dx.start_bgp_failover_test()
                .virtual_interface_id(vif_id)
                .test_duration_in_minutes(*minutes),
            |_o: &_| format!("failover test started on {vif_id} for {minutes} min")
        ),
        Call::StopFailoverTest { vif_id } => send!(
            "StopBgpFailoverTest",
            c.dx.stop_bgp_failover_test().virtual_interface_id(vif_id),
            |_o: &_| format!("failover test stopped on {vif_id}")
        ),
    }
}

/// Who is making changes, for the journal.
#[derive(Clone, Debug, Default)]
pub struct JournalContext {
    pub path: PathBuf,
    pub profile: Option<String>,
    pub account: Option<String>,
    /// Who sends the changes, per account id (sts GetCallerIdentity's ARN, or the role
    /// assumed in it).
    pub callers: std::collections::BTreeMap<String, String>,
    /// The machine the change was sent from.
    pub host: Option<String>,
    /// The change ticket (`--ticket`).
    pub ticket: Option<String>,
}

/// Executes a confirmed plan and journals it (flushed to disk before this returns), unless
/// it is the LOA download (a read).
///
/// EC2 calls go first with `DryRun`; the real call follows only the `DryRunOperation`
/// verdict. An endpoint that ignores `DryRun` (some emulators) applies that first request:
/// it is then the change, reported and journaled as such, and nothing is sent again.
pub async fn execute(c: &RegionClients, plan: &Plan, ctx: &JournalContext) -> Outcome {
    // Written ahead: no mutating request (not even its DryRun, which an emulator may apply)
    // goes before its intent is on disk.
    if plan.workflow.mutating()
        && let Err(e) = journal::append(&ctx.path, &entry(plan, ctx, journal::INTENT, None))
    {
        tracing::error!(path = %ctx.path.display(), "cannot write the journal: {e}");
        return Outcome {
            unknown: false,
            created: None,
            success: false,
            code: Some("JournalUnwritable".into()),
            message: format!(
                "the change journal {} cannot be written ({e}): nothing was sent",
                ctx.path.display()
            ),
            request_id: None,
            journaled: false,
        };
    }
    let outcome = if plan.dry_run {
        let verdict = run(c, &plan.call, true).await;
        match verdict.code.as_deref() {
            Some("DryRunOperation") => run(c, &plan.call, false).await,
            None if verdict.success => Outcome {
                message: format!(
                    "{} (the endpoint ignored DryRun and applied the request; it was not sent again)",
                    verdict.message
                ),
                ..verdict
            },
            // The dry run itself failed after reaching the endpoint (a 500, a dropped
            // connection): an endpoint that ignores DryRun may have applied it. Nothing more
            // is sent; the outcome is unknown until the target is read again.
            _ if verdict.unknown => {
                let unknown = Outcome {
                    message: format!(
                        "outcome unknown — the DryRun request failed after it reached the endpoint ({}: {}); nothing else was sent: check the target before trying again",
                        verdict.code.as_deref().unwrap_or("?"),
                        verdict.message
                    ),
                    ..verdict
                };
                return record(plan, ctx, unknown, None);
            }
            _ => {
                let refused = Outcome {
                    unknown: false,
                    created: None,
                    success: false,
                    code: verdict.code,
                    message: format!("dry run refused, nothing was changed: {}", verdict.message),
                    request_id: verdict.request_id,
                    journaled: false,
                };
                return record(plan, ctx, refused, Some("dry-run-refused"));
            }
        }
    } else {
        run(c, &plan.call, false).await
    };
    let outcome = if outcome.unknown && plan.workflow.mutating() {
        Outcome {
            message: format!(
                "outcome unknown — {} failed after the request reached AWS ({}: {}); it was sent once and NOT retried: the tables are read again now, check the target before trying again",
                plan.operation,
                outcome.code.as_deref().unwrap_or("?"),
                outcome.message
            ),
            ..outcome
        }
    } else {
        outcome
    };
    if plan.workflow.mutating() {
        return record(plan, ctx, outcome, None);
    }
    outcome
}

/// The plan-time dry run of an EC2 call, sent while the plan is on screen (only against AWS's
/// own endpoints; see [`crate::app::Session::dry_run_in_plan`]). AWS answers
/// `DryRunOperation` when the call would succeed, or the error it would fail with. Should the
/// endpoint apply the request anyway, that is a change: it is journaled and reported so.
pub async fn dry_run(c: &RegionClients, plan: &Plan, ctx: &JournalContext) -> Outcome {
    let verdict = run(c, &plan.call, true).await;
    if verdict.success {
        let applied = Outcome {
            message: format!(
                "{} (the endpoint ignored DryRun and applied the request)",
                verdict.message
            ),
            ..verdict
        };
        if let Err(e) = journal::append(&ctx.path, &entry(plan, ctx, journal::INTENT, None)) {
            tracing::error!(path = %ctx.path.display(), "cannot write the journal: {e}");
        }
        return record(plan, ctx, applied, None);
    }
    verdict
}
