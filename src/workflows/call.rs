//! The typed request a plan sends: its service, operation and parameters (secrets masked)
//! derive from it.

use super::*;

/// A secret entered in a form: held for the call, never displayed, formatted or written (it
/// serializes as the mask, so a plan file never holds it).
#[derive(Clone, PartialEq, serde::Deserialize)]
pub struct Secret(pub String);

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(MASK)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(MASK)
    }
}

/// The typed request a plan will send.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Call {
    DescribeLoa {
        connection_id: String,
        path: String,
    },
    CreateResolverEndpoint {
        creator_request_id: String,
        name: String,
        direction: String,
        security_group_ids: Vec<String>,
        ips: Vec<(String, Option<String>)>,
        protocols: Vec<String>,
        endpoint_type: String,
    },
    CreateResolverRule {
        creator_request_id: String,
        name: String,
        domain: String,
        targets: Vec<(String, i32)>,
        endpoint_id: String,
    },
    AssociateResolverRule {
        rule_id: String,
        vpc_id: String,
        name: String,
    },
    AcceptPeering {
        id: String,
    },
    RejectPeering {
        id: String,
    },
    DeletePeering {
        id: String,
    },
    CreateTgwRoute {
        route_table_id: String,
        cidr: String,
        attachment_id: Option<String>,
    },
    DeleteTgwRoute {
        route_table_id: String,
        cidr: String,
    },
    UpdateFirewallRule {
        rule_group_id: String,
        domain_list_id: String,
        action: String,
        priority: i32,
        redirection: String,
        block_response: Option<String>,
    },
    UpdateFirewallConfig {
        vpc_id: String,
        fail_open: String,
    },
    ConfirmConnection {
        id: String,
    },
    ConfirmPrivateVif {
        id: String,
        gateway_id: String,
    },
    ConfirmTransitVif {
        id: String,
        dxgw_id: String,
    },
    ConfirmPublicVif {
        id: String,
    },
    CreateVif {
        transit: bool,
        connection_id: String,
        name: String,
        vlan: i32,
        asn: i64,
        amazon_address: Option<String>,
        customer_address: Option<String>,
        auth_key: Option<Secret>,
        mtu: i32,
        dxgw_id: Option<String>,
        vgw_id: Option<String>,
    },
    DeleteVif {
        id: String,
    },
    StartFailoverTest {
        vif_id: String,
        minutes: i32,
    },
    StopFailoverTest {
        vif_id: String,
    },
}

impl Call {
    /// The service the call goes to: `ec2`, `route53resolver`, `directconnect`.
    pub fn service(&self) -> &'static str {
        use Call::*;
        match self {
            AcceptPeering { .. }
            | RejectPeering { .. }
            | DeletePeering { .. }
            | CreateTgwRoute { .. }
            | DeleteTgwRoute { .. } => "ec2",
            CreateResolverEndpoint { .. }
            | CreateResolverRule { .. }
            | AssociateResolverRule { .. }
            | UpdateFirewallRule { .. }
            | UpdateFirewallConfig { .. } => "route53resolver",
            _ => "directconnect",
        }
    }

    /// The AWS operation sent.
    pub fn operation(&self) -> &'static str {
        use Call::*;
        match self {
            DescribeLoa { .. } => "DescribeLoa",
            CreateResolverEndpoint { .. } => "CreateResolverEndpoint",
            CreateResolverRule { .. } => "CreateResolverRule",
            AssociateResolverRule { .. } => "AssociateResolverRule",
            AcceptPeering { .. } => "AcceptVpcPeeringConnection",
            RejectPeering { .. } => "RejectVpcPeeringConnection",
            DeletePeering { .. } => "DeleteVpcPeeringConnection",
            CreateTgwRoute { .. } => "CreateTransitGatewayRoute",
            DeleteTgwRoute { .. } => "DeleteTransitGatewayRoute",
            UpdateFirewallRule { .. } => "UpdateFirewallRule",
            UpdateFirewallConfig { .. } => "UpdateFirewallConfig",
            ConfirmConnection { .. } => "ConfirmConnection",
            ConfirmPrivateVif { .. } => "ConfirmPrivateVirtualInterface",
            ConfirmTransitVif { .. } => "ConfirmTransitVirtualInterface",
            ConfirmPublicVif { .. } => "ConfirmPublicVirtualInterface",
            CreateVif { transit: true, .. } => "CreateTransitVirtualInterface",
            CreateVif { .. } => "CreatePrivateVirtualInterface",
            DeleteVif { .. } => "DeleteVirtualInterface",
            StartFailoverTest { .. } => "StartBgpFailoverTest",
            StopFailoverTest { .. } => "StopBgpFailoverTest",
        }
    }

    /// The parameters sent, named as AWS names them, secrets masked: derived from the call
    /// itself, so the plan shows exactly what is sent and the journal records it.
    pub fn params(&self) -> Vec<(String, String)> {
        use Call::*;
        let v = |pairs: Vec<(&str, String)>| {
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<Vec<_>>()
        };
        match self {
            DescribeLoa {
                connection_id,
                path,
            } => v(vec![
                ("connectionId", connection_id.clone()),
                ("loaContentType", "application/pdf".into()),
                ("saveTo", path.clone()),
            ]),
            CreateResolverEndpoint {
                creator_request_id,
                name,
                direction,
                security_group_ids,
                ips,
                protocols,
                endpoint_type,
            } => v(vec![
                ("CreatorRequestId", creator_request_id.clone()),
                ("Name", name.clone()),
                ("Direction", direction.clone()),
                ("SecurityGroupIds", security_group_ids.join(",")),
                (
                    "IpAddresses",
                    ips.iter()
                        .map(|(s, ip)| {
                            format!(
                                "{s}{}",
                                ip.as_ref().map(|i| format!("={i}")).unwrap_or_default()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                ("Protocols", protocols.join(",")),
                ("ResolverEndpointType", endpoint_type.clone()),
            ]),
            CreateResolverRule {
                creator_request_id,
                name,
                domain,
                targets,
                endpoint_id,
            } => v(vec![
                ("CreatorRequestId", creator_request_id.clone()),
                ("Name", name.clone()),
                ("RuleType", "FORWARD".into()),
                ("DomainName", domain.clone()),
                (
                    "TargetIps",
                    targets
                        .iter()
                        .map(|(i, p)| format!("{i}:{p}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                ("ResolverEndpointId", endpoint_id.clone()),
            ]),
            AssociateResolverRule {
                rule_id,
                vpc_id,
                name,
            } => v(vec![
                ("ResolverRuleId", rule_id.clone()),
                ("VPCId", vpc_id.clone()),
                ("Name", name.clone()),
            ]),
            AcceptPeering { id } | RejectPeering { id } | DeletePeering { id } => {
                v(vec![("VpcPeeringConnectionId", id.clone())])
            }
            CreateTgwRoute {
                route_table_id,
                cidr,
                attachment_id,
            } => {
                let mut p = vec![
                    ("TransitGatewayRouteTableId", route_table_id.clone()),
                    ("DestinationCidrBlock", cidr.clone()),
                ];
                match attachment_id {
                    Some(a) => p.push(("TransitGatewayAttachmentId", a.clone())),
                    None => p.push(("Blackhole", "true".into())),
                }
                v(p)
            }
            DeleteTgwRoute {
                route_table_id,
                cidr,
            } => v(vec![
                ("TransitGatewayRouteTableId", route_table_id.clone()),
                ("DestinationCidrBlock", cidr.clone()),
            ]),
            UpdateFirewallRule {
                rule_group_id,
                domain_list_id,
                action,
                priority,
                redirection,
                block_response,
            } => {
                let mut p = vec![
                    ("FirewallRuleGroupId", rule_group_id.clone()),
                    ("FirewallDomainListId", domain_list_id.clone()),
                    ("Action", action.clone()),
                    ("Priority", priority.to_string()),
                    ("FirewallDomainRedirectionAction", redirection.clone()),
                ];
                if let Some(b) = block_response {
                    p.push(("BlockResponse", b.clone()));
                }
                v(p)
            }
            UpdateFirewallConfig { vpc_id, fail_open } => v(vec![
                ("ResourceId", vpc_id.clone()),
                ("FirewallFailOpen", fail_open.clone()),
            ]),
            ConfirmConnection { id } => v(vec![("connectionId", id.clone())]),
            ConfirmPrivateVif { id, gateway_id } => {
                let (param, gid) = match gateway_id.split_once(':') {
                    Some(("dxgw", g)) => ("directConnectGatewayId", g.to_string()),
                    Some((_, g)) => ("virtualGatewayId", g.to_string()),
                    None => ("virtualGatewayId", gateway_id.clone()),
                };
                v(vec![("virtualInterfaceId", id.clone()), (param, gid)])
            }
            ConfirmTransitVif { id, dxgw_id } => v(vec![
                ("virtualInterfaceId", id.clone()),
                ("directConnectGatewayId", dxgw_id.clone()),
            ]),
            ConfirmPublicVif { id } | DeleteVif { id } => {
                v(vec![("virtualInterfaceId", id.clone())])
            }
            CreateVif {
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
                ..
            } => {
                let mut p = vec![
                    ("connectionId", connection_id.clone()),
                    ("virtualInterfaceName", name.clone()),
                    ("vlan", vlan.to_string()),
                    ("asn", asn.to_string()),
                    ("mtu", mtu.to_string()),
                    ("addressFamily", "ipv4".into()),
                ];
                if let (Some(a), Some(c)) = (amazon_address, customer_address) {
                    p.push(("amazonAddress", a.clone()));
                    p.push(("customerAddress", c.clone()));
                }
                p.push((
                    "authKey",
                    match auth_key {
                        None => "(generated by AWS)".into(),
                        Some(_) => MASK.into(),
                    },
                ));
                match (dxgw_id, vgw_id) {
                    (Some(g), _) => p.push(("directConnectGatewayId", g.clone())),
                    (_, Some(g)) => p.push(("virtualGatewayId", g.clone())),
                    _ => {}
                }
                v(p)
            }
            StartFailoverTest { vif_id, minutes } => v(vec![
                ("virtualInterfaceId", vif_id.clone()),
                ("testDurationInMinutes", minutes.to_string()),
            ]),
            StopFailoverTest { vif_id } => v(vec![("virtualInterfaceId", vif_id.clone())]),
        }
    }
}
