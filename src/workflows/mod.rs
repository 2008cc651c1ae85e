//! Guided change workflows: form → validation → plan → confirmation → execution → result →
//! journal → refresh. This module is the catalog: which table each workflow acts on, its
//! form pre-filled from the model, and the validated [`Plan`] (the exact AWS operation and
//! parameters, secrets masked). Nothing here sends anything; `exec` does, and only with
//! write-capable clients that exist only under `--write`.

mod dx;
pub mod exec;
mod firewall;
pub mod form;
pub mod impact;
pub mod journal;
mod loa;
mod peering;
pub mod planfile;
mod record;
mod resolver;
mod tgw;
pub mod validate;

pub use crate::calls::{
    Call, DxCall, FirewallCall, NewVif, Outcome, PeeringCall, ResolverCall, Secret, TgwCall,
};

use crate::model::secret::MASK;
use crate::model::{Estate, RegionEstate, ResourceKind};
use form::Form;
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
    /// The account the change is made in: the one the selected resource was read in, whose
    /// credentials send it (empty: unknown, one-account session).
    pub account: String,
    pub region: String,
    pub resource: Option<(ResourceKind, String)>,
    /// The account the session's credentials belong to (sts GetCallerIdentity), when known:
    /// accepting a peering is refused from the requester's side.
    pub caller_account: Option<String>,
}

/// One user intent: ids generated once and reused on every retry, so a retry after a
/// timeout never creates a duplicate.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
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

/// What will be sent: operation, parameters (masked), and how to confirm it.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub workflow: WorkflowKind,
    pub region: String,
    /// Deletes, rejects, blackholes and failover tests need the id typed to confirm.
    pub destructive: bool,
    /// What to type for a destructive plan.
    pub confirm_with: String,
    /// What is sent: the service, operation, parameters (as shown and journaled, secrets
    /// masked), client token and `DryRun` support all derive from it.
    pub call: Call,
    pub intent: Intent,
    /// The account the change is made in, when the model knows it (owner ids).
    pub account: Option<String>,
    /// Heads-ups that do not block (e.g. all endpoint IPs in one AZ).
    pub warnings: Vec<String>,
    /// What the change acts on, in words: id and name, and for a peering its VPCs and CIDRs,
    /// for a route its table, for a VIF its VLAN, connection and gateway.
    pub target: Vec<String>,
}

impl Plan {
    /// The AWS service: `ec2`, `route53resolver`, `directconnect`.
    pub fn service(&self) -> &'static str {
        self.call.service()
    }
    /// The AWS operation, e.g. `AcceptVpcPeeringConnection`.
    pub fn operation(&self) -> &'static str {
        self.call.operation()
    }
    /// The parameters as shown and journaled; secrets masked.
    pub fn params(&self) -> Vec<(String, String)> {
        self.call.params()
    }
    /// Whether the call goes first with `DryRun` (EC2 calls).
    pub fn dry_run(&self) -> bool {
        self.call.dry_run()
    }
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
    e.region_of(&t.account, &t.region)
        .ok_or_else(|| format!("region {} is not loaded", t.region))
}

fn id_of(t: &Target, kind: ResourceKind) -> Result<String, String> {
    match &t.resource {
        Some((k, id)) if *k == kind => Ok(id.clone()),
        _ => Err(format!("select a {} first", kind.label().to_lowercase())),
    }
}

fn field_err<T>(form: &Form, key: &str, message: impl Into<String>) -> Checked<T> {
    Err(FieldError {
        field: form.label(key).to_string(),
        message: message.into(),
    })
}

/// What a family's form builder gets: the workflow, the model, the target and its region.
pub(crate) struct Ctx<'a> {
    pub kind: WorkflowKind,
    pub e: &'a Estate,
    pub t: &'a Target,
    pub r: &'a RegionEstate,
}

impl Ctx<'_> {
    /// The region's VPCs as choices: `(id, "id name cidrs")`.
    pub fn vpcs(&self) -> Vec<(String, String)> {
        self.r
            .vpcs
            .items
            .iter()
            .map(|v| {
                (
                    v.id.clone(),
                    format!("{} {} {}", v.id, v.name, v.cidrs.join(",")),
                )
            })
            .collect()
    }
}

/// What a family's plan builder gets: the form as filled in, the intent, and the account the
/// change is made in (when the model knows it).
pub(crate) struct PlanCtx<'a> {
    pub kind: WorkflowKind,
    pub e: &'a Estate,
    pub t: &'a Target,
    pub r: &'a RegionEstate,
    pub form: &'a Form,
    pub intent: &'a Intent,
    pub account: Option<String>,
}

impl PlanCtx<'_> {
    pub fn row_id(&self) -> String {
        self.t
            .resource
            .as_ref()
            .map(|x| x.1.clone())
            .unwrap_or_default()
    }

    /// The plan of a call: what is shown and journaled is derived from the call, so it is
    /// what is sent.
    pub fn plan(&self, call: impl Into<Call>) -> Plan {
        Plan {
            workflow: self.kind,
            region: self.t.region.clone(),
            destructive: false,
            confirm_with: String::new(),
            call: call.into(),
            intent: self.intent.clone(),
            account: self.account.clone(),
            warnings: vec![],
            target: describe_target(self.e, self.t),
        }
    }
}

/// The target of a change in words (see [`Plan::target`]).
pub fn describe_target(e: &Estate, t: &Target) -> Vec<String> {
    let Some((kind, id)) = &t.resource else {
        return vec![format!("new resource in {}", t.region)];
    };
    let Some(r) = e.region_of(&t.account, &t.region) else {
        return vec![id.clone()];
    };
    let names = crate::model::NameIndex::new(e);
    let named = |id: &str| match names.name(id) {
        Some(n) => format!("{id} ({n})"),
        None => id.to_string(),
    };
    let mut out = vec![format!("{} {}", kind.label(), named(id))];
    match kind {
        ResourceKind::VpcPeerings => {
            if let Some(p) = r.vpc_peerings.items.iter().find(|p| &p.id == id) {
                let side = |s: &crate::model::PeeringSide| {
                    format!(
                        "{} {} [{}] account {}",
                        named(&s.vpc_id),
                        s.region.as_deref().unwrap_or(&t.region),
                        s.cidrs.join(", "),
                        s.owner_id.as_deref().unwrap_or("?")
                    )
                };
                out.push(format!("requester {}", side(&p.requester)));
                out.push(format!("accepter  {}", side(&p.accepter)));
                out.push(format!("state {}", p.state));
            }
        }
        ResourceKind::TgwRoutes => {
            if let Some((rtb, cidr)) = id.split_once('|') {
                out = vec![format!("route {cidr} in {}", named(rtb))];
            }
        }
        ResourceKind::TgwRouteTables => {
            if let Some(x) = r.tgw_route_tables.items.iter().find(|x| &x.id == id) {
                out.push(format!("on {}", named(&x.transit_gateway_id)));
            }
        }
        ResourceKind::DxVirtualInterfaces => {
            if let Some(v) = r.dx_vifs.items.iter().find(|v| &v.id == id) {
                let gw = v
                    .direct_connect_gateway_id
                    .as_deref()
                    .or(v.virtual_gateway_id.as_deref())
                    .map(named)
                    .unwrap_or_else(|| "-".into());
                out.push(format!(
                    "{} VIF, VLAN {}, on {}, gateway {gw}, state {}",
                    v.vif_type,
                    v.vlan,
                    named(&v.connection_id),
                    v.state
                ));
            }
        }
        ResourceKind::DxConnections => {
            if let Some(c) = r.dx_connections.items.iter().find(|c| &c.id == id) {
                out.push(format!(
                    "{} at {}, {}, state {}",
                    c.name, c.location, c.bandwidth, c.state
                ));
            }
        }
        _ => {}
    }
    out
}

/// A plan that needs `confirm` typed to be sent (deletes, rejects, blackholes, failover tests).
pub(crate) fn destructive(mut p: Plan, confirm: String) -> Plan {
    p.destructive = true;
    p.confirm_with = confirm;
    p
}

/// One family of workflows (Direct Connect, VPC peering, Transit Gateway, Resolver, DNS
/// Firewall, LOA): its forms (pre-filled from the model), its validation and plans (the
/// exact call and what it would break), and how a field change refills others.
pub(crate) trait Family {
    fn form(&self, c: &Ctx) -> Result<Form, String>;
    fn plan(&self, c: &PlanCtx) -> Checked<Plan>;
    fn on_change(&self, _c: &Ctx, _form: &mut Form, _key: &str) {}
}

/// The family a workflow belongs to.
fn family(kind: WorkflowKind) -> &'static dyn Family {
    use WorkflowKind::*;
    match kind {
        Loa => &loa::Family,
        CreateEndpoint | CreateRule | AssociateRule => &resolver::Family,
        AcceptPeering | RejectPeering | DeletePeering => &peering::Family,
        AddRoute | DeleteRoute => &tgw::Family,
        EditFirewallRule | FailOpen => &firewall::Family,
        Confirm | CreateVif | DeleteVif | FailoverTest => &dx::Family,
    }
}

/// Builds the form of a workflow for a target, pre-filled from the model; `Err` says why
/// the workflow does not apply.
pub fn form_for(kind: WorkflowKind, e: &Estate, t: &Target) -> Result<Form, String> {
    if kind.needs_row() && t.resource.is_none() {
        return Err("select a row first".into());
    }
    let r = region(e, t)?;
    family(kind).form(&Ctx { kind, e, t, r })
}

/// Validates a filled-in form and builds the plan: the exact call, its parameters (secrets
/// masked), what it would break (warnings), and how to confirm it.
pub fn plan_for(
    kind: WorkflowKind,
    e: &Estate,
    t: &Target,
    form: &Form,
    intent: &Intent,
) -> Checked<Plan> {
    let r = region(e, t).map_err(|m| FieldError {
        field: "Region".into(),
        message: m,
    })?;
    let accounts = e.account_ids();
    let account = Some(t.account.clone())
        .filter(|a| !a.is_empty())
        .or_else(|| (accounts.len() == 1).then(|| accounts[0].clone()));
    family(kind)
        .plan(&PlanCtx {
            kind,
            e,
            t,
            r,
            form,
            intent,
            account,
        })
        .map(|p| impact::annotate(p, e))
}

/// A field of a form changed (a choice moved): refill what depends on it.
pub fn on_change(kind: WorkflowKind, e: &Estate, t: &Target, form: &mut Form, key: &str) {
    if let Some(r) = e.region_of(&t.account, &t.region) {
        family(kind).on_change(&Ctx { kind, e, t, r }, form, key);
    }
}
