//! Guided change workflows: form → validation → plan → confirmation → execution → result →
//! journal → refresh. This module is the catalog: which table each workflow acts on, its
//! form pre-filled from the model, and the validated [`Plan`] (the exact AWS operation and
//! parameters, secrets masked). Nothing here sends anything; `exec` does, and only with
//! write-capable clients that exist only under `--write`.

pub mod exec;
pub mod form;
pub mod journal;
pub mod validate;

use crate::model::secret::MASK;
use crate::model::{Estate, RegionEstate, ResourceKind};
use form::{Field, Form};
use validate::{Checked, FieldError};

/// Every workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkflowKind {
    Loa,
    CreateEndpoint,
    CreateRule,
    AssociateRule,
    AcceptPeering,
    RejectPeering,
    DeletePeering,
    AddRoute,
    DeleteRoute,
    EditFirewallRule,
    FailOpen,
    Confirm,
    CreateVif,
    DeleteVif,
    FailoverTest,
}

impl WorkflowKind {
    pub const ALL: [WorkflowKind; 15] = [
        WorkflowKind::Loa,
        WorkflowKind::CreateEndpoint,
        WorkflowKind::CreateRule,
        WorkflowKind::AssociateRule,
        WorkflowKind::AcceptPeering,
        WorkflowKind::RejectPeering,
        WorkflowKind::DeletePeering,
        WorkflowKind::AddRoute,
        WorkflowKind::DeleteRoute,
        WorkflowKind::EditFirewallRule,
        WorkflowKind::FailOpen,
        WorkflowKind::Confirm,
        WorkflowKind::CreateVif,
        WorkflowKind::DeleteVif,
        WorkflowKind::FailoverTest,
    ];

    /// The `:command`.
    pub fn command(self) -> &'static str {
        use WorkflowKind::*;
        match self {
            Loa => "loa",
            CreateEndpoint => "create-endpoint",
            CreateRule => "create-rule",
            AssociateRule => "associate-rule",
            AcceptPeering => "accept-peering",
            RejectPeering => "reject-peering",
            DeletePeering => "delete-peering",
            AddRoute => "add-route",
            DeleteRoute => "delete-route",
            EditFirewallRule => "edit-rule",
            FailOpen => "fail-open",
            Confirm => "confirm",
            CreateVif => "create-vif",
            DeleteVif => "delete-vif",
            FailoverTest => "failover-test",
        }
    }

    pub fn from_command(cmd: &str) -> Option<WorkflowKind> {
        WorkflowKind::ALL.into_iter().find(|k| k.command() == cmd)
    }

    pub fn title(self) -> &'static str {
        use WorkflowKind::*;
        match self {
            Loa => "Download LOA-CFA",
            CreateEndpoint => "Create Resolver endpoint",
            CreateRule => "Create forwarding rule",
            AssociateRule => "Associate rule with a VPC",
            AcceptPeering => "Accept VPC peering",
            RejectPeering => "Reject VPC peering",
            DeletePeering => "Delete VPC peering",
            AddRoute => "Add TGW route",
            DeleteRoute => "Delete TGW route",
            EditFirewallRule => "Edit DNS Firewall rule",
            FailOpen => "Set DNS Firewall fail-open",
            Confirm => "Confirm hosted connection / VIF",
            CreateVif => "Create virtual interface",
            DeleteVif => "Delete virtual interface",
            FailoverTest => "BGP failover test",
        }
    }

    /// The key that starts it on its tables (shown in `?` help).
    pub fn key(self) -> char {
        use WorkflowKind::*;
        match self {
            Loa => 'L',
            CreateEndpoint | CreateRule | AddRoute | CreateVif => 'c',
            AssociateRule | AcceptPeering => 'a',
            RejectPeering => 'x',
            DeletePeering | DeleteRoute | DeleteVif => 'D',
            EditFirewallRule | FailOpen => 'e',
            Confirm => 'C',
            FailoverTest => 'T',
        }
    }

    /// Whether it sends a mutating call (all but the LOA download).
    pub fn mutating(self) -> bool {
        self != WorkflowKind::Loa
    }

    /// Whether it needs a selected row (creates work on an empty table).
    fn needs_row(self) -> bool {
        !matches!(
            self,
            WorkflowKind::CreateEndpoint | WorkflowKind::CreateRule
        )
    }
}

/// What a workflow acts on: the region and, when a row was selected, the resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub region: String,
    pub resource: Option<(ResourceKind, String)>,
    /// The account the session's credentials belong to (sts GetCallerIdentity), when known:
    /// accepting a peering is refused from the requester's side.
    pub caller_account: Option<String>,
}

/// One user intent: ids generated once and reused on every retry, so a retry after a
/// timeout never creates a duplicate.
#[derive(Clone, Debug, PartialEq)]
pub struct Intent {
    pub id: String,
    /// `CreatorRequestId` for Resolver creates.
    pub creator_request_id: String,
}

impl Intent {
    pub fn new() -> Intent {
        let id = uuid::Uuid::new_v4().to_string();
        Intent {
            creator_request_id: format!("crossconnect-{id}"),
            id,
        }
    }
}

impl Default for Intent {
    fn default() -> Self {
        Intent::new()
    }
}

/// A secret entered in a form: held for the call, never displayed or formatted.
#[derive(Clone, PartialEq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(MASK)
    }
}

/// The typed request a plan will send.
#[derive(Clone, Debug, PartialEq)]
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

/// What will be sent: operation, parameters (masked), and how to confirm it.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub workflow: WorkflowKind,
    pub region: String,
    /// `ec2`, `route53resolver`, `directconnect`.
    pub service: &'static str,
    /// The AWS operation, e.g. `AcceptVpcPeeringConnection`.
    pub operation: &'static str,
    /// Parameters as shown and journaled; secrets masked.
    pub params: Vec<(String, String)>,
    /// Deletes, rejects, blackholes and failover tests need the id typed to confirm.
    pub destructive: bool,
    /// What to type for a destructive plan.
    pub confirm_with: String,
    /// EC2 calls are first sent with `DryRun`.
    pub dry_run: bool,
    pub call: Call,
    pub intent: Intent,
    /// The account the change is made in, when the model knows it (owner ids).
    pub account: Option<String>,
    /// Heads-ups that do not block (e.g. all endpoint IPs in one AZ).
    pub warnings: Vec<String>,
}

fn choice_list<I: IntoIterator<Item = (String, String)>>(
    none: Option<&str>,
    items: I,
) -> Vec<(String, String)> {
    none.map(|n| (String::new(), n.to_string()))
        .into_iter()
        .chain(items)
        .collect()
}

fn region<'a>(e: &'a Estate, t: &Target) -> Result<&'a RegionEstate, String> {
    e.regions
        .get(&t.region)
        .ok_or_else(|| format!("region {} is not loaded", t.region))
}

fn id_of(t: &Target, kind: ResourceKind) -> Result<String, String> {
    match &t.resource {
        Some((k, id)) if *k == kind => Ok(id.clone()),
        _ => Err(format!("select a {} first", kind.label().to_lowercase())),
    }
}

/// Builds the form of a workflow for a target, pre-filled from the model; `Err` says why
/// the workflow does not apply.
pub fn form_for(kind: WorkflowKind, e: &Estate, t: &Target) -> Result<Form, String> {
    use WorkflowKind::*;
    if kind.needs_row() && t.resource.is_none() {
        return Err("select a row first".into());
    }
    let r = region(e, t)?;
    let vpcs = || {
        r.vpcs
            .items
            .iter()
            .map(|v| {
                (
                    v.id.clone(),
                    format!("{} {} {}", v.id, v.name, v.cidrs.join(",")),
                )
            })
            .collect::<Vec<_>>()
    };
    Ok(match kind {
        Loa => {
            let id = t.resource.as_ref().map(|x| x.1.clone()).unwrap_or_default();
            Form::new(vec![Field::text(
                "path",
                "Save to",
                format!("{id}-loa.pdf"),
                "PDF file to write",
            )])
        }
        CreateEndpoint => {
            let subnets: Vec<(String, String)> = r
                .subnets
                .items
                .iter()
                .map(|s| {
                    (
                        s.id.clone(),
                        format!(
                            "{} {} {} ({})",
                            s.id,
                            s.availability_zone,
                            s.cidr,
                            e.vpc_name(&t.region, &s.vpc_id)
                        ),
                    )
                })
                .collect();
            // The first VPC that has subnets (an endpoint needs them).
            let first_vpc = r
                .vpcs
                .items
                .iter()
                .find(|v| r.subnets.items.iter().any(|s| s.vpc_id == v.id))
                .or(r.vpcs.items.first())
                .map(|v| v.id.clone())
                .unwrap_or_default();
            // Pre-fill two subnets of the first VPC in different AZs where there are some.
            let picks = two_subnets(r, &first_vpc);
            let mut fields = vec![
                Field::choice(
                    "direction",
                    "Direction",
                    vec![
                        ("INBOUND".into(), "INBOUND".into()),
                        ("OUTBOUND".into(), "OUTBOUND".into()),
                    ],
                    None,
                ),
                Field::text("name", "Name", "", "1–64 characters"),
                Field::choice("vpc", "VPC", vpcs(), Some(&first_vpc)),
                Field::choice(
                    "security_groups",
                    "Security group",
                    sg_choices(r, &first_vpc),
                    None,
                ),
                Field::text(
                    "more_security_groups",
                    "More security groups",
                    "",
                    "optional: more sg-… ids, comma separated",
                ),
                Field::choice(
                    "protocols",
                    "Protocols",
                    ["Do53", "DoH", "Do53,DoH", "DoH-FIPS", "Do53,DoH-FIPS"]
                        .iter()
                        .map(|p| (p.to_string(), p.to_string()))
                        .collect(),
                    None,
                ),
                Field::choice(
                    "endpoint_type",
                    "Endpoint type",
                    ["IPV4", "IPV6", "DUALSTACK"]
                        .iter()
                        .map(|p| (p.to_string(), p.to_string()))
                        .collect(),
                    None,
                ),
            ];
            const SUBNET_KEYS: [&str; 6] = [
                "ip1_subnet",
                "ip2_subnet",
                "ip3_subnet",
                "ip4_subnet",
                "ip5_subnet",
                "ip6_subnet",
            ];
            const SUBNET_LABELS: [&str; 6] = [
                "IP 1 subnet",
                "IP 2 subnet",
                "IP 3 subnet",
                "IP 4 subnet",
                "IP 5 subnet",
                "IP 6 subnet",
            ];
            const IP_KEYS: [&str; 6] = ["ip1", "ip2", "ip3", "ip4", "ip5", "ip6"];
            const IP_LABELS: [&str; 6] = [
                "IP 1 address",
                "IP 2 address",
                "IP 3 address",
                "IP 4 address",
                "IP 5 address",
                "IP 6 address",
            ];
            for i in 0..6 {
                let selected = picks.get(i).map(|s| s.as_str());
                fields.push(Field::choice(
                    SUBNET_KEYS[i],
                    SUBNET_LABELS[i],
                    choice_list(Some("(none)"), subnets.clone()),
                    selected.or(Some("")),
                ));
                fields.push(Field::text(
                    IP_KEYS[i],
                    IP_LABELS[i],
                    "",
                    "optional static IP inside the subnet",
                ));
            }
            Form::new(fields)
        }
        CreateRule => {
            let outbound: Vec<(String, String)> = r
                .resolver_endpoints
                .items
                .iter()
                .filter(|x| x.direction == "OUTBOUND")
                .map(|x| (x.id.clone(), format!("{} {} {}", x.id, x.name, x.state)))
                .collect();
            Form::new(vec![
                Field::text("name", "Name", "", "1–64 characters"),
                Field::text("domain", "Domain", "", "e.g. corp.example.com"),
                Field::text("targets", "Target IPs", "", "ip[:port], comma separated"),
                Field::choice("endpoint", "Outbound endpoint", outbound, None),
            ])
        }
        AssociateRule => {
            id_of(t, ResourceKind::ResolverRules)?;
            Form::new(vec![
                Field::choice("vpc", "VPC", vpcs(), None),
                Field::text("name", "Association name", "", "optional"),
            ])
        }
        AcceptPeering | RejectPeering | DeletePeering => {
            let id = id_of(t, ResourceKind::VpcPeerings)?;
            let p = r
                .vpc_peerings
                .items
                .iter()
                .find(|p| p.id == id)
                .ok_or("peering not found")?;
            if matches!(kind, AcceptPeering | RejectPeering) && p.state != "pending-acceptance" {
                return Err(format!(
                    "{id} is {}, only a pending-acceptance peering can be accepted or rejected",
                    p.state
                ));
            }
            Form::new(vec![])
        }
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
        EditFirewallRule => {
            let id = id_of(t, ResourceKind::FirewallRules)?;
            let rule = r
                .firewall_rules
                .items
                .iter()
                .find(|x| crate::model::Resource::id(*x) == id)
                .ok_or("rule not found")?;
            let opts = |v: &[&str]| {
                v.iter()
                    .map(|x| (x.to_string(), x.to_string()))
                    .collect::<Vec<_>>()
            };
            Form::new(vec![
                Field::choice(
                    "action",
                    "Action",
                    opts(&["ALLOW", "BLOCK", "ALERT"]),
                    Some(&rule.action),
                ),
                Field::text(
                    "priority",
                    "Priority",
                    rule.priority.to_string(),
                    "rules run lowest first",
                ),
                Field::choice(
                    "redirection",
                    "Redirection action",
                    opts(&["INSPECT_REDIRECTION_DOMAIN", "TRUST_REDIRECTION_DOMAIN"]),
                    Some(&rule.redirection_action),
                ),
                Field::choice(
                    "block_response",
                    "Block response",
                    opts(&["NODATA", "NXDOMAIN"]),
                    rule.block_response.as_deref(),
                ),
            ])
        }
        FailOpen => {
            let id = id_of(t, ResourceKind::FirewallConfigs)?;
            let c = r
                .firewall_configs
                .items
                .iter()
                .find(|c| c.id == id)
                .ok_or("config not found")?;
            Form::new(vec![Field::choice(
                "fail_open",
                "Fail open",
                ["DISABLED", "ENABLED", "USE_LOCAL_RESOURCE_SETTING"]
                    .iter()
                    .map(|x| (x.to_string(), x.to_string()))
                    .collect(),
                Some(&c.fail_open),
            )])
        }
        Confirm => match &t.resource {
            Some((ResourceKind::DxConnections, id)) => {
                let c = r
                    .dx_connections
                    .items
                    .iter()
                    .find(|c| &c.id == id)
                    .ok_or("connection not found")?;
                if c.state != "ordering" {
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
                if v.state != "confirming" {
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
    })
}

/// The security groups of a region, those of `vpc` first: `(id, "id name (vpc)")`.
fn sg_choices(r: &RegionEstate, vpc: &str) -> Vec<(String, String)> {
    let mut groups: Vec<&crate::model::SecurityGroup> = r.security_groups.items.iter().collect();
    groups.sort_by_key(|g| g.vpc_id != vpc);
    groups
        .into_iter()
        .map(|g| (g.id.clone(), format!("{} {} ({})", g.id, g.name, g.vpc_id)))
        .collect()
}

/// Two subnets of a VPC in different Availability Zones (fewer when it has fewer AZs).
fn two_subnets(r: &RegionEstate, vpc: &str) -> Vec<String> {
    let mut picks: Vec<&crate::model::Subnet> = Vec::new();
    for s in r.subnets.items.iter().filter(|s| s.vpc_id == vpc) {
        if picks.len() < 2
            && !picks
                .iter()
                .any(|p| p.availability_zone == s.availability_zone)
        {
            picks.push(s);
        }
    }
    picks.into_iter().map(|s| s.id.clone()).collect()
}

/// Keeps a form consistent after a field changed: choosing another VPC for a Resolver
/// endpoint re-fills the IP subnets with two of its subnets in different AZs.
pub fn on_change(kind: WorkflowKind, e: &Estate, t: &Target, form: &mut Form, key: &str) {
    if kind == WorkflowKind::CreateEndpoint
        && key == "vpc"
        && let Some(r) = e.regions.get(&t.region)
    {
        let vpc = form.get("vpc").to_string();
        if let Some(f) = form.fields.iter_mut().find(|f| f.key == "security_groups") {
            let options = sg_choices(r, &vpc);
            f.value = options.first().map(|o| o.0.clone()).unwrap_or_default();
            f.kind = form::FieldKind::Choice(options);
        }
        let picks = two_subnets(r, &vpc);
        for i in 1..=6 {
            form.set(
                &format!("ip{i}_subnet"),
                picks.get(i - 1).map(String::as_str).unwrap_or(""),
            );
            form.set(&format!("ip{i}"), "");
        }
    }
}

fn gateway_choices(e: &Estate, r: &RegionEstate, with_vgws: bool) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    let mut v: Vec<(String, String)> = e
        .regions
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

fn route_table_of(t: &Target) -> Result<String, String> {
    match &t.resource {
        Some((ResourceKind::TgwRouteTables, id)) => Ok(id.clone()),
        Some((ResourceKind::TgwRoutes, id)) => {
            Ok(id.split('|').next().unwrap_or_default().to_string())
        }
        _ => Err("select a route table or route".into()),
    }
}

fn field_err<T>(form: &Form, key: &str, message: impl Into<String>) -> Checked<T> {
    Err(FieldError {
        field: form.label(key).to_string(),
        message: message.into(),
    })
}

/// Validates a filled form and builds its plan; the error names the field.
/// What a BGP failover test of a VIF takes down: when its gateway (DXGW or VGW) has no other
/// VIF with a BGP session up, the test cuts the gateway's last working path for its duration.
fn failover_warnings(e: &Estate, vif_id: &str, minutes: i32) -> Vec<String> {
    let all: Vec<&crate::model::VirtualInterface> =
        e.regions.values().flat_map(|r| &r.dx_vifs.items).collect();
    let Some(v) = all.iter().find(|v| v.id == vif_id) else {
        return vec![];
    };
    let up = |x: &crate::model::VirtualInterface| {
        x.state == "available" && x.bgp_peers.iter().any(|p| p.bgp_status == "up")
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

pub fn plan_for(
    kind: WorkflowKind,
    e: &Estate,
    t: &Target,
    form: &Form,
    intent: &Intent,
) -> Checked<Plan> {
    use WorkflowKind::*;
    let r = region(e, t).map_err(|m| FieldError {
        field: "Region".into(),
        message: m,
    })?;
    let row_id = || t.resource.as_ref().map(|x| x.1.clone()).unwrap_or_default();
    let accounts = e.accounts();
    let account = (accounts.len() == 1).then(|| accounts[0].clone());
    let plan = |service: &'static str,
                operation: &'static str,
                params: Vec<(&str, String)>,
                call: Call| Plan {
        workflow: kind,
        region: t.region.clone(),
        service,
        operation,
        params: params
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        destructive: false,
        confirm_with: String::new(),
        dry_run: service == "ec2",
        call,
        intent: intent.clone(),
        account: account.clone(),
        warnings: vec![],
    };
    let destructive = |mut p: Plan, confirm: String| {
        p.destructive = true;
        p.confirm_with = confirm;
        p
    };
    Ok(match kind {
        Loa => {
            let path = form.get("path").trim().to_string();
            if path.is_empty() {
                return field_err(form, "path", "a file path is required");
            }
            let id = row_id();
            plan(
                "directconnect",
                "DescribeLoa",
                vec![
                    ("connectionId", id.clone()),
                    ("loaContentType", "application/pdf".into()),
                    ("saveTo", path.clone()),
                ],
                Call::DescribeLoa {
                    connection_id: id,
                    path,
                },
            )
        }
        CreateEndpoint => {
            let name = validate::resolver_name(form.label("name"), form.get("name"))?;
            let vpc = form.get("vpc").to_string();
            if vpc.is_empty() {
                return field_err(form, "vpc", "choose the VPC");
            }
            // The chosen group plus any typed ones; each must be an sg- id, and a group the
            // model knows must be in the endpoint's VPC.
            let chosen = form.get("security_groups");
            let typed = form.get("more_security_groups");
            let all = [chosen, typed]
                .iter()
                .filter(|x| !x.trim().is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(",");
            let sgs = validate::security_groups(form.label("security_groups"), &all)?;
            if let Some(g) = sgs.iter().find_map(|id| {
                r.security_groups
                    .items
                    .iter()
                    .find(|g| &g.id == id && g.vpc_id != vpc)
            }) {
                return field_err(
                    form,
                    "security_groups",
                    format!("{} is in {}, not in {vpc}", g.id, g.vpc_id),
                );
            }
            let direction = form.get("direction").to_string();
            let protocols: Vec<String> = form
                .get("protocols")
                .split(',')
                .map(str::to_string)
                .collect();
            if direction == "OUTBOUND" && protocols.iter().any(|p| p == "DoH-FIPS") {
                return field_err(form, "protocols", "DoH-FIPS is only for INBOUND endpoints");
            }
            let mut ips = Vec::new();
            let mut azs = std::collections::BTreeSet::new();
            for i in 1..=6 {
                let (sk, ik) = (format!("ip{i}_subnet"), format!("ip{i}"));
                let subnet_id = form.get(&sk).to_string();
                let ip = form.get(&ik).trim().to_string();
                if subnet_id.is_empty() {
                    if !ip.is_empty() {
                        return field_err(form, &ik, "choose the subnet of this IP first");
                    }
                    continue;
                }
                let Some(s) = r.subnets.items.iter().find(|s| s.id == subnet_id) else {
                    return field_err(form, &sk, format!("{subnet_id} is not a known subnet"));
                };
                if s.vpc_id != vpc {
                    return field_err(
                        form,
                        &sk,
                        format!("{} is in {}, not in {vpc}", s.id, s.vpc_id),
                    );
                }
                if !ip.is_empty() {
                    validate::ip_in_subnet(form.label(&ik), &ip, &s.id, &s.cidr)?;
                }
                azs.insert(s.availability_zone.clone());
                ips.push((subnet_id, (!ip.is_empty()).then_some(ip)));
            }
            validate::endpoint_ip_count("IP addresses", ips.len())?;
            let mut p = plan(
                "route53resolver",
                "CreateResolverEndpoint",
                vec![
                    ("CreatorRequestId", intent.creator_request_id.clone()),
                    ("Name", name.clone()),
                    ("Direction", direction.clone()),
                    ("SecurityGroupIds", sgs.join(",")),
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
                    (
                        "ResolverEndpointType",
                        form.get("endpoint_type").to_string(),
                    ),
                ],
                Call::CreateResolverEndpoint {
                    creator_request_id: intent.creator_request_id.clone(),
                    name,
                    direction,
                    security_group_ids: sgs,
                    ips,
                    protocols,
                    endpoint_type: form.get("endpoint_type").to_string(),
                },
            );
            if azs.len() == 1 {
                p.warnings.push(format!(
                    "all IPs are in one Availability Zone ({}); AWS recommends at least two",
                    azs.iter().next().unwrap()
                ));
            }
            p
        }
        CreateRule => {
            let name = validate::name(form.label("name"), form.get("name"))?;
            let domain = validate::domain(form.label("domain"), form.get("domain"))?;
            let targets = validate::targets(form.label("targets"), form.get("targets"))?;
            let endpoint = form.get("endpoint").to_string();
            if endpoint.is_empty() {
                return field_err(
                    form,
                    "endpoint",
                    "there is no outbound endpoint in this region: create one first",
                );
            }
            let targets: Vec<(String, i32)> = targets
                .into_iter()
                .map(|(ip, port)| (ip.to_string(), port))
                .collect();
            plan(
                "route53resolver",
                "CreateResolverRule",
                vec![
                    ("CreatorRequestId", intent.creator_request_id.clone()),
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
                    ("ResolverEndpointId", endpoint.clone()),
                ],
                Call::CreateResolverRule {
                    creator_request_id: intent.creator_request_id.clone(),
                    name,
                    domain,
                    targets,
                    endpoint_id: endpoint,
                },
            )
        }
        AssociateRule => {
            let vpc = form.get("vpc").to_string();
            if vpc.is_empty() {
                return field_err(form, "vpc", "choose the VPC");
            }
            // An association name is optional for AWS; give one anyway (emulators need it).
            let rule = row_id();
            let name = match form.get("name").trim() {
                "" => format!("{rule}-{vpc}"),
                n => validate::name(form.label("name"), n)?,
            };
            plan(
                "route53resolver",
                "AssociateResolverRule",
                vec![
                    ("ResolverRuleId", rule.clone()),
                    ("VPCId", vpc.clone()),
                    ("Name", name.clone()),
                ],
                Call::AssociateResolverRule {
                    rule_id: rule,
                    vpc_id: vpc,
                    name,
                },
            )
        }
        AcceptPeering => {
            let id = row_id();
            let pcx = r.vpc_peerings.items.iter().find(|p| p.id == id);
            let mut warnings = Vec::new();
            if let Some(p) = pcx {
                if p.state != "pending-acceptance" {
                    return Err(FieldError {
                        field: "Peering".into(),
                        message: format!(
                            "{id} is {}: only a pending-acceptance request can be accepted",
                            p.state
                        ),
                    });
                }
                let (req, acc) = (
                    p.requester.owner_id.as_deref(),
                    p.accepter.owner_id.as_deref(),
                );
                match (t.caller_account.as_deref(), req, acc) {
                    (Some(me), Some(req), Some(acc)) if me == req && me != acc => {
                        return Err(FieldError {
                            field: "Peering".into(),
                            message: format!(
                                "you are the requester ({req}) of {id}; only the accepter account {acc} can accept it"
                            ),
                        });
                    }
                    (None, Some(req), Some(acc)) if req != acc => warnings.push(format!(
                        "cross-account request from {req} to {acc}: only the accepter account can accept it (the caller's account is unknown)"
                    )),
                    _ => {}
                }
            }
            let mut p = plan(
                "ec2",
                "AcceptVpcPeeringConnection",
                vec![("VpcPeeringConnectionId", id.clone())],
                Call::AcceptPeering { id },
            );
            p.warnings.extend(warnings);
            p
        }
        RejectPeering => {
            let id = row_id();
            destructive(
                plan(
                    "ec2",
                    "RejectVpcPeeringConnection",
                    vec![("VpcPeeringConnectionId", id.clone())],
                    Call::RejectPeering { id: id.clone() },
                ),
                id,
            )
        }
        DeletePeering => {
            let id = row_id();
            destructive(
                plan(
                    "ec2",
                    "DeleteVpcPeeringConnection",
                    vec![("VpcPeeringConnectionId", id.clone())],
                    Call::DeletePeering { id: id.clone() },
                ),
                id,
            )
        }
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
            let mut params = vec![
                ("TransitGatewayRouteTableId", rtb.clone()),
                ("DestinationCidrBlock", cidr.clone()),
            ];
            if blackhole {
                params.push(("Blackhole", "true".into()));
            } else {
                params.push(("TransitGatewayAttachmentId", target.clone()));
            }
            let p = plan(
                "ec2",
                "CreateTransitGatewayRoute",
                params,
                Call::CreateTgwRoute {
                    route_table_id: rtb.clone(),
                    cidr,
                    attachment_id: (!blackhole).then_some(target),
                },
            );
            if blackhole { destructive(p, rtb) } else { p }
        }
        DeleteRoute => {
            let id = row_id();
            let (rtb, cidr) = id
                .split_once('|')
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .unwrap_or_default();
            destructive(
                plan(
                    "ec2",
                    "DeleteTransitGatewayRoute",
                    vec![
                        ("TransitGatewayRouteTableId", rtb.clone()),
                        ("DestinationCidrBlock", cidr.clone()),
                    ],
                    Call::DeleteTgwRoute {
                        route_table_id: rtb,
                        cidr: cidr.clone(),
                    },
                ),
                cidr,
            )
        }
        EditFirewallRule => {
            let id = row_id();
            let rule = r
                .firewall_rules
                .items
                .iter()
                .find(|x| crate::model::Resource::id(*x) == id)
                .ok_or_else(|| FieldError {
                    field: "Rule".into(),
                    message: "the rule is no longer in the latest poll".into(),
                })?;
            let priority =
                validate::number(form.label("priority"), form.get("priority"), 1, 1_000_000)?
                    as i32;
            let action = form.get("action").to_string();
            let block_response =
                (action == "BLOCK").then(|| form.get("block_response").to_string());
            let list = rule.domain_list_id.clone().unwrap_or_default();
            let mut params = vec![
                ("FirewallRuleGroupId", rule.rule_group_id.clone()),
                ("FirewallDomainListId", list.clone()),
                ("Action", action.clone()),
                ("Priority", priority.to_string()),
                (
                    "FirewallDomainRedirectionAction",
                    form.get("redirection").to_string(),
                ),
            ];
            if let Some(b) = &block_response {
                params.push(("BlockResponse", b.clone()));
            }
            plan(
                "route53resolver",
                "UpdateFirewallRule",
                params,
                Call::UpdateFirewallRule {
                    rule_group_id: rule.rule_group_id.clone(),
                    domain_list_id: list,
                    action,
                    priority,
                    redirection: form.get("redirection").to_string(),
                    block_response,
                },
            )
        }
        FailOpen => {
            let id = row_id();
            let c = r
                .firewall_configs
                .items
                .iter()
                .find(|c| c.id == id)
                .ok_or_else(|| FieldError {
                    field: "Config".into(),
                    message: "the config is no longer in the latest poll".into(),
                })?;
            let fail_open = form.get("fail_open").to_string();
            plan(
                "route53resolver",
                "UpdateFirewallConfig",
                vec![
                    ("ResourceId", c.vpc_id.clone()),
                    ("FirewallFailOpen", fail_open.clone()),
                ],
                Call::UpdateFirewallConfig {
                    vpc_id: c.vpc_id.clone(),
                    fail_open,
                },
            )
        }
        Confirm => match &t.resource {
            Some((ResourceKind::DxConnections, id)) => plan(
                "directconnect",
                "ConfirmConnection",
                vec![("connectionId", id.clone())],
                Call::ConfirmConnection { id: id.clone() },
            ),
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
                    "public" => plan(
                        "directconnect",
                        "ConfirmPublicVirtualInterface",
                        vec![("virtualInterfaceId", id.clone())],
                        Call::ConfirmPublicVif { id: id.clone() },
                    ),
                    "transit" => {
                        let Some(dxgw) = gw.strip_prefix("dxgw:") else {
                            return field_err(form, "gateway", "a transit VIF needs a DX gateway");
                        };
                        plan(
                            "directconnect",
                            "ConfirmTransitVirtualInterface",
                            vec![
                                ("virtualInterfaceId", id.clone()),
                                ("directConnectGatewayId", dxgw.into()),
                            ],
                            Call::ConfirmTransitVif {
                                id: id.clone(),
                                dxgw_id: dxgw.into(),
                            },
                        )
                    }
                    _ => {
                        let (param, gid) = match gw.split_once(':') {
                            Some(("dxgw", g)) => ("directConnectGatewayId", g.to_string()),
                            Some(("vgw", g)) => ("virtualGatewayId", g.to_string()),
                            _ => {
                                return field_err(
                                    form,
                                    "gateway",
                                    "choose a DX gateway or virtual private gateway",
                                );
                            }
                        };
                        plan(
                            "directconnect",
                            "ConfirmPrivateVirtualInterface",
                            vec![("virtualInterfaceId", id.clone()), (param, gid.clone())],
                            Call::ConfirmPrivateVif {
                                id: id.clone(),
                                gateway_id: gw.clone(),
                            },
                        )
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
        CreateVif => {
            let vif_type = form.get("type").to_string();
            let name = validate::name(form.label("name"), form.get("name"))?;
            let connection = form.get("connection").to_string();
            if connection.is_empty() {
                return field_err(form, "connection", "choose the connection or LAG");
            }
            let vlan = validate::vlan(form.label("vlan"), form.get("vlan"))?;
            if let Some(other) =
                e.regions.values().flat_map(|x| &x.dx_vifs.items).find(|v| {
                    v.connection_id == connection && v.vlan == vlan && v.state != "deleted"
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
            let op = if vif_type == "transit" {
                "CreateTransitVirtualInterface"
            } else {
                "CreatePrivateVirtualInterface"
            };
            let mut params = vec![
                ("connectionId", connection.clone()),
                ("virtualInterfaceName", name.clone()),
                ("vlan", vlan.to_string()),
                ("asn", asn.to_string()),
                ("mtu", mtu.to_string()),
                ("addressFamily", "ipv4".into()),
            ];
            if let Some((a, c)) = &pair {
                params.push(("amazonAddress", a.to_string()));
                params.push(("customerAddress", c.to_string()));
            }
            params.push((
                "authKey",
                if key.is_empty() {
                    "(generated by AWS)".into()
                } else {
                    MASK.into()
                },
            ));
            match (&dxgw, &vgw) {
                (Some(g), _) => params.push(("directConnectGatewayId", g.clone())),
                (_, Some(g)) => params.push(("virtualGatewayId", g.clone())),
                _ => {}
            }
            plan(
                "directconnect",
                op,
                params,
                Call::CreateVif {
                    transit: vif_type == "transit",
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
            )
        }
        DeleteVif => {
            let id = row_id();
            destructive(
                plan(
                    "directconnect",
                    "DeleteVirtualInterface",
                    vec![("virtualInterfaceId", id.clone())],
                    Call::DeleteVif { id: id.clone() },
                ),
                id,
            )
        }
        FailoverTest => {
            let id = row_id();
            if form.get("mode") == "stop" {
                plan(
                    "directconnect",
                    "StopBgpFailoverTest",
                    vec![("virtualInterfaceId", id.clone())],
                    Call::StopFailoverTest { vif_id: id },
                )
            } else {
                let minutes =
                    validate::number(form.label("minutes"), form.get("minutes"), 1, 4320)? as i32;
                let warnings = failover_warnings(e, &id, minutes);
                let mut p = destructive(
                    plan(
                        "directconnect",
                        "StartBgpFailoverTest",
                        vec![
                            ("virtualInterfaceId", id.clone()),
                            ("testDurationInMinutes", minutes.to_string()),
                        ],
                        Call::StartFailoverTest {
                            vif_id: id.clone(),
                            minutes,
                        },
                    ),
                    id,
                );
                p.warnings.extend(warnings);
                p
            }
        }
    })
}
