//! The in-memory model of the hybrid network: one [`RegionEstate`] per region, one
//! [`Section`] per resource kind. No AWS SDK type appears here; `src/aws` converts.
//!
//! Data reaches the model only as [`Update`]s (one resource kind of one region, either a full
//! list or an [`ApiError`]). A failed update keeps the last good items and marks the section
//! errored, so one failing call never blanks another pane.

pub mod dx;
pub mod firewall;
pub mod health;
pub mod peering;
pub mod resolver;
pub mod secret;
pub mod telemetry;
pub mod tgw;
pub mod vpc;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use dx::*;

/// `name (id)`, or the id alone when the resource has no name: how messages name a resource.
pub fn label(name: &str, id: &str) -> String {
    if name.is_empty() {
        id.to_string()
    } else {
        format!("{name} ({id})")
    }
}
pub use firewall::*;
pub use peering::*;
pub use resolver::*;
pub use telemetry::*;
pub use tgw::*;
pub use vpc::*;

/// UTC wall-clock time; every timestamp in the model is one.
pub type Timestamp = DateTime<Utc>;

/// One resource as the tables and the snapshot see it: its AWS id, its display name and its
/// state or status exactly as AWS spells it.
pub trait Resource {
    /// The AWS id (`dxcon-…`, `tgw-rtb-…`), or a composite key where AWS has none
    /// (a TGW route is `<route table id>|<destination>`).
    fn id(&self) -> String;
    /// The `Name` tag or the API's own name field; may be empty.
    fn name(&self) -> &str;
    /// State or status as AWS spells it (`available`, `pending-acceptance`, `OPERATIONAL`).
    fn state(&self) -> &str;
}

/// The networking areas crossconnect covers; each has one pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    DirectConnect,
    VpcPeering,
    TransitGateway,
    Resolver,
    DnsFirewall,
}

impl Area {
    pub const ALL: [Area; 5] = [
        Area::DirectConnect,
        Area::VpcPeering,
        Area::TransitGateway,
        Area::Resolver,
        Area::DnsFirewall,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Area::DirectConnect => "Direct Connect",
            Area::VpcPeering => "VPC peering",
            Area::TransitGateway => "Transit Gateway",
            Area::Resolver => "Route 53 Resolver",
            Area::DnsFirewall => "DNS Firewall",
        }
    }

    /// Key used for the area in JSON output.
    pub fn key(self) -> &'static str {
        match self {
            Area::DirectConnect => "direct_connect",
            Area::VpcPeering => "vpc_peering",
            Area::TransitGateway => "transit_gateway",
            Area::Resolver => "resolver",
            Area::DnsFirewall => "dns_firewall",
        }
    }
}

/// The AWS service a poller talks to. One poller task runs per service and region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    DirectConnect,
    Ec2,
    Resolver,
    DnsFirewall,
    /// CloudWatch metrics and per-VIF route counts, on a slower interval.
    Telemetry,
}

impl Service {
    pub const ALL: [Service; 5] = [
        Service::DirectConnect,
        Service::Ec2,
        Service::Resolver,
        Service::DnsFirewall,
        Service::Telemetry,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Service::DirectConnect => "directconnect",
            Service::Ec2 => "ec2",
            Service::Resolver => "route53resolver",
            Service::DnsFirewall => "route53resolver (DNS Firewall)",
            Service::Telemetry => "cloudwatch + directconnect routes",
        }
    }
}

/// An AWS call that failed, as shown in the pane of the resource kind it was for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiError {
    /// The AWS operation, e.g. `DescribeVirtualInterfaces`.
    pub operation: String,
    /// The AWS error code (`AccessDeniedException`, `ThrottlingException`) or a client-side
    /// kind (`TimeoutError`, `DispatchFailure`, `ResponseError`).
    pub code: String,
    /// The message AWS (or the SDK) gave.
    pub message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.operation, self.code, self.message)
    }
}

/// The items of one resource kind in one region, with when they were last read and the
/// error of the last attempt, if it failed.
#[derive(Clone, Debug, Serialize)]
pub struct Section<T> {
    pub items: Vec<T>,
    /// When the items were last read successfully; `None` until the first success.
    pub refreshed_at: Option<Timestamp>,
    /// The error of the most recent attempt; cleared by the next success.
    pub error: Option<ApiError>,
    /// Ids of items that are new or changed in the most recent successful read
    /// (empty after the very first read).
    #[serde(skip)]
    pub changed: HashSet<String>,
}

impl<T> Default for Section<T> {
    fn default() -> Self {
        Section {
            items: Vec::new(),
            refreshed_at: None,
            error: None,
            changed: HashSet::new(),
        }
    }
}

impl<T: Resource + PartialEq + Serialize> Section<T> {
    /// Replaces the items with a fresh read, recording which ids are new or changed; with
    /// `describe`, also returns the changes as JSON, disappearances included (a first read
    /// is the baseline: no changes).
    pub fn replace(&mut self, items: Vec<T>, at: Timestamp, describe: bool) -> Vec<ItemChange> {
        self.changed.clear();
        let mut out = Vec::new();
        if self.refreshed_at.is_some() {
            let json = |i: &T| serde_json::to_value(i).ok();
            let mut before: HashMap<String, &T> = self.items.iter().map(|i| (i.id(), i)).collect();
            for item in &items {
                let id = item.id();
                let old = before.remove(&id);
                if old.is_none_or(|old| old != item) {
                    if describe {
                        out.push(ItemChange {
                            id: id.clone(),
                            name: item.name().to_string(),
                            old: old.and_then(json),
                            new: json(item),
                        });
                    }
                    self.changed.insert(id);
                }
            }
            if describe {
                out.extend(before.into_iter().map(|(id, gone)| ItemChange {
                    id,
                    name: gone.name().to_string(),
                    old: json(gone),
                    new: None,
                }));
            }
        }
        self.items = items;
        self.refreshed_at = Some(at);
        self.error = None;
        out
    }
}

impl<T> Section<T> {
    /// Records a failed read; the last good items stay.
    pub fn fail(&mut self, error: ApiError) {
        self.changed.clear();
        self.error = Some(error);
    }

    pub fn status(&self) -> SectionStatus<'_> {
        SectionStatus {
            count: self.items.len(),
            refreshed_at: self.refreshed_at,
            error: self.error.as_ref(),
        }
    }
}

/// Item count, freshness and error of one section, independent of its item type.
#[derive(Clone, Copy, Debug)]
pub struct SectionStatus<'a> {
    pub count: usize,
    pub refreshed_at: Option<Timestamp>,
    pub error: Option<&'a ApiError>,
}

macro_rules! resource_kinds {
    ($( $kind:ident { field: $field:ident, ty: $ty:ty, area: $area:ident, service: $svc:ident,
         key: $key:literal, label: $label:literal, ops: [$($op:literal),+] } )+) => {
        /// Every kind of resource crossconnect reads; one [`Section`] of each per region.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum ResourceKind { $($kind),+ }

        impl ResourceKind {
            pub const ALL: &'static [ResourceKind] = &[$(ResourceKind::$kind),+];

            pub fn area(self) -> Area { match self { $(ResourceKind::$kind => Area::$area),+ } }
            pub fn service(self) -> Service { match self { $(ResourceKind::$kind => Service::$svc),+ } }
            /// Key of the kind within its area in JSON output (`connections`, `routes`).
            pub fn key(self) -> &'static str { match self { $(ResourceKind::$kind => $key),+ } }
            /// Human label (`Virtual interfaces`).
            pub fn label(self) -> &'static str { match self { $(ResourceKind::$kind => $label),+ } }
            /// The AWS operations that read this kind (the first is the primary one).
            pub fn operations(self) -> &'static [&'static str] {
                match self { $(ResourceKind::$kind => &[$($op),+]),+ }
            }
        }

        /// A full read of one resource kind.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Batch { $($kind(Vec<$ty>)),+ }

        impl Batch {
            pub fn kind(&self) -> ResourceKind { match self { $(Batch::$kind(_) => ResourceKind::$kind),+ } }
            pub fn len(&self) -> usize { match self { $(Batch::$kind(v) => v.len()),+ } }
            pub fn is_empty(&self) -> bool { self.len() == 0 }
        }

        /// Everything read in one region of one account.
        #[derive(Clone, Debug, Default)]
        pub struct RegionEstate {
            /// The 12-digit id of the account the data was read with (sts GetCallerIdentity);
            /// empty when STS did not answer.
            pub account: String,
            pub region: String,
            $(pub $field: Section<$ty>,)+
        }

        impl RegionEstate {
            pub fn new(region: &str) -> Self {
                RegionEstate { region: region.to_string(), ..Default::default() }
            }

            /// The sections of one region of one account, none read yet.
            pub fn of(scope: &Scope) -> Self {
                RegionEstate {
                    account: scope.account.clone(),
                    region: scope.region.clone(),
                    ..Default::default()
                }
            }

            /// The account and region this data belongs to.
            pub fn scope(&self) -> Scope {
                Scope { account: self.account.clone(), region: self.region.clone() }
            }

            fn apply(
                &mut self,
                kind: ResourceKind,
                at: Timestamp,
                result: Result<Batch, ApiError>,
                describe: bool,
            ) -> Vec<ItemChange> {
                match result {
                    $(Ok(Batch::$kind(items)) => self.$field.replace(items, at, describe),)+
                    Err(e) => {
                        match kind { $(ResourceKind::$kind => self.$field.fail(e)),+ }
                        Vec::new()
                    }
                }
            }

            pub fn status(&self, kind: ResourceKind) -> SectionStatus<'_> {
                match kind { $(ResourceKind::$kind => self.$field.status()),+ }
            }

            /// Whether the item with this id changed in the last read of its kind.
            pub fn is_changed(&self, kind: ResourceKind, id: &str) -> bool {
                match kind { $(ResourceKind::$kind => self.$field.changed.contains(id)),+ }
            }

            /// The items of one kind as JSON values (used by the snapshot and details view),
            /// each carrying the `account` it was read in.
            pub fn items_json(&self, kind: ResourceKind) -> Vec<serde_json::Value> {
                match kind {
                    $(ResourceKind::$kind => self.$field.items.iter()
                        .map(|i| self.with_account(serde_json::to_value(i).unwrap_or(serde_json::Value::Null))).collect()),+
                }
            }

            /// The state of every item of one kind, as AWS spells it.
            pub fn item_states(&self, kind: ResourceKind) -> Vec<&str> {
                match kind { $(ResourceKind::$kind => self.$field.items.iter().map(|i| i.state()).collect()),+ }
            }

            /// The id and state of every item of one kind.
            pub fn item_ids_states(&self, kind: ResourceKind) -> Vec<(String, &str)> {
                match kind { $(ResourceKind::$kind => self.$field.items.iter().map(|i| (i.id(), i.state())).collect()),+ }
            }

            /// One item of one kind as JSON, by id, carrying its `account`.
            pub fn item_json(&self, kind: ResourceKind, id: &str) -> Option<serde_json::Value> {
                match kind {
                    $(ResourceKind::$kind => self.$field.items.iter().find(|i| i.id() == id)
                        .and_then(|i| serde_json::to_value(i).ok()).map(|v| self.with_account(v))),+
                }
            }

            /// Adds `"account": "<id>"` in front of an item's fields (when the account is known).
            fn with_account(&self, v: serde_json::Value) -> serde_json::Value {
                match v {
                    serde_json::Value::Object(o) if !self.account.is_empty() => {
                        let mut m = serde_json::Map::with_capacity(o.len() + 1);
                        m.insert("account".into(), serde_json::Value::String(self.account.clone()));
                        m.extend(o);
                        serde_json::Value::Object(m)
                    }
                    v => v,
                }
            }
        }
    };
}

resource_kinds! {
    DxConnections { field: dx_connections, ty: Connection, area: DirectConnect, service: DirectConnect,
        key: "connections", label: "Connections", ops: ["DescribeConnections"] }
    DxLags { field: dx_lags, ty: Lag, area: DirectConnect, service: DirectConnect,
        key: "lags", label: "LAGs", ops: ["DescribeLags"] }
    DxVirtualInterfaces { field: dx_vifs, ty: VirtualInterface, area: DirectConnect, service: DirectConnect,
        key: "virtual_interfaces", label: "Virtual interfaces", ops: ["DescribeVirtualInterfaces"] }
    DxGateways { field: dx_gateways, ty: DxGateway, area: DirectConnect, service: DirectConnect,
        key: "gateways", label: "DX gateways", ops: ["DescribeDirectConnectGateways"] }
    DxGatewayAssociations { field: dx_gateway_associations, ty: DxGatewayAssociation, area: DirectConnect,
        service: DirectConnect, key: "gateway_associations", label: "DXGW associations",
        ops: ["DescribeDirectConnectGatewayAssociations", "DescribeDirectConnectGateways"] }
    DxGatewayAttachments { field: dx_gateway_attachments, ty: DxGatewayAttachment, area: DirectConnect,
        service: DirectConnect, key: "gateway_attachments", label: "DXGW attachments",
        ops: ["DescribeDirectConnectGatewayAttachments", "DescribeDirectConnectGateways"] }
    DxVirtualGateways { field: dx_virtual_gateways, ty: VirtualGateway, area: DirectConnect, service: DirectConnect,
        key: "virtual_gateways", label: "Virtual private gateways", ops: ["DescribeVirtualGateways"] }
    DxLocations { field: dx_locations, ty: DxLocation, area: DirectConnect, service: DirectConnect,
        key: "locations", label: "Locations", ops: ["DescribeLocations"] }
    VpnConnections { field: vpn_connections, ty: VpnConnection, area: DirectConnect, service: Ec2,
        key: "vpn_connections", label: "VPN backup", ops: ["DescribeVpnConnections"] }
    VpcPeerings { field: vpc_peerings, ty: VpcPeering, area: VpcPeering, service: Ec2,
        key: "peering_connections", label: "Peering connections", ops: ["DescribeVpcPeeringConnections"] }
    Vpcs { field: vpcs, ty: Vpc, area: VpcPeering, service: Ec2,
        key: "vpcs", label: "VPCs", ops: ["DescribeVpcs"] }
    Subnets { field: subnets, ty: Subnet, area: VpcPeering, service: Ec2,
        key: "subnets", label: "Subnets", ops: ["DescribeSubnets"] }
    SecurityGroups { field: security_groups, ty: SecurityGroup, area: VpcPeering, service: Ec2,
        key: "security_groups", label: "Security groups", ops: ["DescribeSecurityGroups"] }
    VpcRouteTables { field: vpc_route_tables, ty: VpcRouteTable, area: VpcPeering, service: Ec2,
        key: "route_tables", label: "VPC route tables", ops: ["DescribeRouteTables"] }
    TransitGateways { field: transit_gateways, ty: TransitGateway, area: TransitGateway, service: Ec2,
        key: "transit_gateways", label: "Gateways", ops: ["DescribeTransitGateways"] }
    TgwAttachments { field: tgw_attachments, ty: TgwAttachment, area: TransitGateway, service: Ec2,
        key: "attachments", label: "Attachments", ops: ["DescribeTransitGatewayAttachments"] }
    TgwRouteTables { field: tgw_route_tables, ty: TgwRouteTable, area: TransitGateway, service: Ec2,
        key: "route_tables", label: "Route tables", ops: ["DescribeTransitGatewayRouteTables"] }
    TgwRoutes { field: tgw_routes, ty: TgwRoute, area: TransitGateway, service: Ec2,
        key: "routes", label: "Routes", ops: ["SearchTransitGatewayRoutes", "DescribeTransitGatewayRouteTables"] }
    TgwAssociations { field: tgw_associations, ty: TgwAssociation, area: TransitGateway, service: Ec2,
        key: "associations", label: "Associations",
        ops: ["GetTransitGatewayRouteTableAssociations", "DescribeTransitGatewayRouteTables"] }
    TgwPropagations { field: tgw_propagations, ty: TgwPropagation, area: TransitGateway, service: Ec2,
        key: "propagations", label: "Propagations",
        ops: ["GetTransitGatewayRouteTablePropagations", "DescribeTransitGatewayRouteTables"] }
    ResolverEndpoints { field: resolver_endpoints, ty: ResolverEndpoint, area: Resolver, service: Resolver,
        key: "endpoints", label: "Endpoints", ops: ["ListResolverEndpoints", "ListResolverEndpointIpAddresses"] }
    ResolverRules { field: resolver_rules, ty: ResolverRule, area: Resolver, service: Resolver,
        key: "rules", label: "Rules", ops: ["ListResolverRules"] }
    ResolverRuleAssociations { field: resolver_rule_associations, ty: ResolverRuleAssociation, area: Resolver,
        service: Resolver, key: "rule_associations", label: "Rule associations", ops: ["ListResolverRuleAssociations"] }
    FirewallRuleGroups { field: firewall_rule_groups, ty: FirewallRuleGroup, area: DnsFirewall, service: DnsFirewall,
        key: "rule_groups", label: "Rule groups", ops: ["ListFirewallRuleGroups"] }
    FirewallRules { field: firewall_rules, ty: FirewallRule, area: DnsFirewall, service: DnsFirewall,
        key: "rules", label: "Rules", ops: ["ListFirewallRules", "ListFirewallRuleGroups"] }
    FirewallDomainLists { field: firewall_domain_lists, ty: FirewallDomainList, area: DnsFirewall, service: DnsFirewall,
        key: "domain_lists", label: "Domain lists", ops: ["ListFirewallDomainLists"] }
    FirewallAssociations { field: firewall_associations, ty: FirewallAssociation, area: DnsFirewall,
        service: DnsFirewall, key: "associations", label: "VPC associations", ops: ["ListFirewallRuleGroupAssociations"] }
    FirewallConfigs { field: firewall_configs, ty: FirewallConfig, area: DnsFirewall, service: DnsFirewall,
        key: "configs", label: "Fail-open configs", ops: ["ListFirewallConfigs"] }
    DxMetrics { field: dx_metrics, ty: MetricSeries, area: DirectConnect, service: Telemetry,
        key: "metrics", label: "DX metrics", ops: ["GetMetricData"] }
    DxVifRoutes { field: dx_vif_routes, ty: VifRouteCount, area: DirectConnect, service: Telemetry,
        key: "vif_route_counts", label: "VIF route counts", ops: ["ListVirtualInterfaceRoutes"] }
}

/// Where data was read: one account, one region. The model keeps one [`RegionEstate`] per
/// scope; an empty `account` means STS did not say whose credentials they were.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Scope {
    /// The 12-digit account id (sts GetCallerIdentity), or empty when unknown.
    pub account: String,
    pub region: String,
}

impl Scope {
    pub fn new(account: &str, region: &str) -> Scope {
        Scope {
            account: account.to_string(),
            region: region.to_string(),
        }
    }
}

impl std::fmt::Display for Scope {
    /// `eu-west-2`, or `111122223333/eu-west-2` when the account is known.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.account.is_empty() {
            f.write_str(&self.region)
        } else {
            write!(f, "{}/{}", self.account, self.region)
        }
    }
}

/// One account in scope: where its credentials came from and whether it could be read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Account {
    /// The 12-digit id (sts GetCallerIdentity, or organizations ListAccounts); empty when
    /// neither answered.
    pub id: String,
    /// The account's name in the organisation (ListAccounts), else the profile name.
    pub name: String,
    /// How it is reached: `profile NAME`, `role arn:aws:iam::ID:role/ROLE`, `default chain`.
    pub via: String,
    /// Why it could not be read (its role could not be assumed, its credentials failed);
    /// `None` when it is read.
    pub error: Option<String>,
}

/// How far some resource kinds were read, over every region: whether a summary of them can be
/// trusted. "Unknown" is never "healthy": a count over kinds that were not read says so.
#[derive(Clone, Debug, PartialEq)]
pub enum Coverage {
    /// Every region's sections of these kinds were read and the last read succeeded;
    /// `oldest` is the oldest successful read among them.
    Read { oldest: Timestamp },
    /// The last read failed in at least one region (the first such region and its error);
    /// any items held are the last good data, `last_good` old. `region` names the account
    /// too when several are in scope.
    Failed {
        region: String,
        error: ApiError,
        last_good: Option<Timestamp>,
    },
    /// Not read yet in at least one region (and nothing failed).
    NotRead,
}

impl Coverage {
    /// Whether the numbers over these kinds cannot be trusted (failed or never read).
    pub fn is_unknown(&self) -> bool {
        !matches!(self, Coverage::Read { .. })
    }

    /// Why the numbers are unknown, e.g. `DescribeVirtualInterfaces failed in eu-west-2:
    /// ThrottlingException: Rate exceeded`, or `not read yet`; `None` when read.
    pub fn reason(&self) -> Option<String> {
        match self {
            Coverage::Read { .. } => None,
            Coverage::NotRead => Some("not read yet".into()),
            Coverage::Failed { region, error, .. } => Some(format!(
                "{} failed in {region}: {}: {}",
                error.operation, error.code, error.message
            )),
        }
    }
}

/// The whole result of one read of one resource kind in one region of one account.
#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    /// The account read (empty: unknown); set by the source that polled it.
    pub account: String,
    pub region: String,
    pub kind: ResourceKind,
    pub at: Timestamp,
    pub result: Result<Batch, ApiError>,
}

impl Update {
    pub fn ok(region: &str, at: Timestamp, batch: Batch) -> Self {
        Update {
            account: String::new(),
            region: region.to_string(),
            kind: batch.kind(),
            at,
            result: Ok(batch),
        }
    }

    pub fn err(region: &str, kind: ResourceKind, at: Timestamp, error: ApiError) -> Self {
        Update {
            account: String::new(),
            region: region.to_string(),
            kind,
            at,
            result: Err(error),
        }
    }

    /// The same update, for account `account`.
    pub fn in_account(mut self, account: &str) -> Self {
        self.account = account.to_string();
        self
    }

    pub fn scope(&self) -> Scope {
        Scope::new(&self.account, &self.region)
    }
}

/// Every account's and region's data. `revision` grows with each applied update so views can
/// cache.
#[derive(Clone, Debug, Default)]
pub struct Estate {
    pub scopes: BTreeMap<Scope, RegionEstate>,
    /// The accounts in scope, in the order given (profiles, then the organisation's), with
    /// those that could not be read.
    pub accounts: Vec<Account>,
    pub revision: u64,
    /// The revision at which each resource kind last changed (in any region).
    pub kind_revision: HashMap<ResourceKind, u64>,
    /// Domains of a DNS Firewall domain list, fetched on demand (ListFirewallDomains),
    /// keyed by `(region, domain list id)`.
    pub firewall_domains: HashMap<(String, String), Result<Vec<String>, ApiError>>,
    /// The other side's copies of links between accounts in scope (see [`Estate::is_mirror`]),
    /// worked out when peerings or TGW attachments are read, so drawing never searches.
    mirrors: HashSet<(Scope, ResourceKind, String)>,
}

impl Estate {
    /// An empty estate with a (not yet read) section set for each region of one unknown
    /// account.
    pub fn with_regions<S: AsRef<str>>(regions: &[S]) -> Self {
        let scopes: Vec<Scope> = regions.iter().map(|r| Scope::new("", r.as_ref())).collect();
        Estate::with_scopes(&scopes)
    }

    /// An empty estate with a (not yet read) section set for each scope.
    pub fn with_scopes(scopes: &[Scope]) -> Self {
        let mut e = Estate::default();
        for s in scopes {
            e.scopes.insert(s.clone(), RegionEstate::of(s));
        }
        e
    }

    /// The data of a region: of `account` when given, else of the first account that has the
    /// region (one-account sessions and tests).
    pub fn region_of(&self, account: &str, region: &str) -> Option<&RegionEstate> {
        self.scopes
            .get(&Scope::new(account, region))
            .or_else(|| self.region(region).filter(|_| account.is_empty()))
    }

    /// The data of a region in the first account that has it.
    pub fn region(&self, region: &str) -> Option<&RegionEstate> {
        self.scopes.values().find(|r| r.region == region)
    }

    /// Mutable [`Estate::region`].
    pub fn region_mut(&mut self, region: &str) -> Option<&mut RegionEstate> {
        self.scopes.values_mut().find(|r| r.region == region)
    }

    /// The regions read, each once, sorted.
    pub fn region_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.scopes.keys().map(|s| s.region.clone()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// The ids of the accounts data was read in (scopes), each once, sorted.
    pub fn scope_accounts(&self) -> Vec<String> {
        let mut v: Vec<String> = self.scopes.keys().map(|s| s.account.clone()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// Whether more than one account is in scope (tables then show an ACCOUNT column).
    pub fn multi_account(&self) -> bool {
        self.accounts.len() > 1 || self.scope_accounts().len() > 1
    }

    /// An account's display name: its organisation or profile name, else its id.
    pub fn account_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.accounts
            .iter()
            .find(|a| a.id == id && !a.name.is_empty())
            .map_or(id, |a| a.name.as_str())
    }

    /// Where a scope is, for messages: the region alone with one account, else
    /// `account-name/region`.
    pub fn scope_label(&self, s: &Scope) -> String {
        if self.multi_account() && !s.account.is_empty() {
            format!("{}/{}", self.account_name(&s.account), s.region)
        } else {
            s.region.clone()
        }
    }

    /// Applies one update; endpoint IPs get their Availability Zone from the region's
    /// subnets (DescribeSubnets) whichever of the two arrives first.
    pub fn apply(&mut self, update: Update) {
        self.apply_changes(update, false);
    }

    /// [`Estate::apply`], returning what the update changed (see [`Section::replace`]): the
    /// resources added, removed or different, compared in the same pass that marks the
    /// changed rows.
    pub fn apply_describing(&mut self, update: Update) -> Vec<ItemChange> {
        self.apply_changes(update, true)
    }

    fn apply_changes(&mut self, mut update: Update, describe: bool) -> Vec<ItemChange> {
        let scope = update.scope();
        let region = self
            .scopes
            .entry(scope)
            .or_insert_with_key(RegionEstate::of);
        if let Ok(Batch::ResolverEndpoints(eps)) = &mut update.result {
            fill_azs(eps, &region.subnets.items);
        }
        let kind = update.kind;
        let subnets_ok = kind == ResourceKind::Subnets && update.result.is_ok();
        let changes = region.apply(kind, update.at, update.result, describe);
        if subnets_ok {
            let subnets = std::mem::take(&mut region.subnets.items);
            fill_azs(&mut region.resolver_endpoints.items, &subnets);
            region.subnets.items = subnets;
            self.kind_revision
                .insert(ResourceKind::ResolverEndpoints, self.revision + 1);
        }
        if matches!(
            kind,
            ResourceKind::VpcPeerings | ResourceKind::TgwAttachments
        ) {
            self.mirrors = self.find_mirrors();
        }
        self.revision += 1;
        self.kind_revision.insert(kind, self.revision);
        changes
    }

    /// The time of the most recent successful read: the "as of" of the data.
    pub fn as_of(&self) -> Option<Timestamp> {
        self.scopes
            .values()
            .flat_map(|r| {
                ResourceKind::ALL
                    .iter()
                    .filter_map(move |&k| r.status(k).refreshed_at)
            })
            .max()
    }

    /// How far `kinds` were read over every region (see [`Coverage`]).
    pub fn coverage(&self, kinds: &[ResourceKind]) -> Coverage {
        self.coverage_where(kinds, |_| true)
    }

    /// [`Estate::coverage`] over the scopes `keep` admits (what `:account`/`:region` show).
    pub fn coverage_where(
        &self,
        kinds: &[ResourceKind],
        keep: impl Fn(&Scope) -> bool,
    ) -> Coverage {
        let mut oldest: Option<Timestamp> = None;
        let mut not_read = false;
        let mut any = false;
        for (scope, r) in self.scopes.iter().filter(|(s, _)| keep(s)) {
            any = true;
            for &k in kinds {
                let s = r.status(k);
                if let Some(e) = s.error {
                    return Coverage::Failed {
                        region: self.scope_label(scope),
                        error: e.clone(),
                        last_good: s.refreshed_at,
                    };
                }
                match s.refreshed_at {
                    None => not_read = true,
                    Some(t) => oldest = Some(oldest.map_or(t, |o| o.min(t))),
                }
            }
        }
        match (not_read || !any, oldest) {
            (false, Some(oldest)) => Coverage::Read { oldest },
            _ => Coverage::NotRead,
        }
    }

    /// Every section that was not read successfully: `(scope, kind, reason)`; an audit lists
    /// these as not assessed.
    pub fn not_assessed(&self) -> Vec<(&Scope, ResourceKind, String)> {
        let mut out = Vec::new();
        for (scope, r) in &self.scopes {
            for &k in ResourceKind::ALL {
                let s = r.status(k);
                if let Some(e) = s.error {
                    out.push((scope, k, format!("{e}")));
                } else if s.refreshed_at.is_none() {
                    out.push((scope, k, "not read".to_string()));
                }
            }
        }
        out
    }

    /// Every failed section: `(scope, kind, error)`.
    pub fn errors(&self) -> Vec<(&Scope, ResourceKind, &ApiError)> {
        let mut out = Vec::new();
        for (scope, r) in &self.scopes {
            for &k in ResourceKind::ALL {
                if let Some(e) = r.status(k).error {
                    out.push((scope, k, e));
                }
            }
        }
        out
    }

    /// Total number of resources held.
    pub fn resource_count(&self) -> usize {
        self.scopes
            .values()
            .map(|r| {
                ResourceKind::ALL
                    .iter()
                    .map(|&k| r.status(k).count)
                    .sum::<usize>()
            })
            .sum()
    }

    /// The account ids in the estate: those read, and those that own resources (from owner
    /// fields), sorted. (The accounts in scope, with how each is reached, are
    /// [`Estate::accounts`].)
    pub fn account_ids(&self) -> Vec<String> {
        let mut set = std::collections::BTreeSet::new();
        set.extend(self.accounts.iter().map(|a| a.id.clone()));
        for (scope, r) in &self.scopes {
            set.insert(scope.account.clone());
            let owners = r
                .dx_connections
                .items
                .iter()
                .filter_map(|c| c.owner_account.clone())
                .chain(r.vpcs.items.iter().filter_map(|v| v.owner_id.clone()))
                .chain(
                    r.transit_gateways
                        .items
                        .iter()
                        .filter_map(|t| t.owner_id.clone()),
                );
            set.extend(owners);
        }
        set.remove("");
        set.into_iter().collect()
    }

    /// A VPC's `Name` tag if known, else its id (looked up in every account of the region:
    /// VPC ids are unique).
    pub fn vpc_name(&self, region: &str, vpc_id: &str) -> String {
        self.find_vpc(region, vpc_id)
            .filter(|v| !v.name.is_empty())
            .map(|v| v.name.clone())
            .unwrap_or_else(|| vpc_id.to_string())
    }

    /// A VPC's display name (`name (vpc-id)`) if known, else the id.
    pub fn vpc_label(&self, region: &str, vpc_id: &str) -> String {
        self.find_vpc(region, vpc_id)
            .filter(|v| !v.name.is_empty())
            .map(|v| format!("{} ({})", v.name, v.id))
            .unwrap_or_else(|| vpc_id.to_string())
    }

    fn find_vpc(&self, region: &str, vpc_id: &str) -> Option<&Vpc> {
        self.scopes
            .values()
            .filter(|r| r.region == region)
            .find_map(|r| r.vpcs.items.iter().find(|v| v.id == vpc_id))
    }

    /// The Availability Zone of a subnet, if the subnet was read (DescribeSubnets).
    pub fn subnet_az(&self, region: &str, subnet_id: &str) -> Option<&str> {
        self.scopes
            .values()
            .filter(|r| r.region == region)
            .find_map(|r| r.subnets.items.iter().find(|s| s.id == subnet_id))
            .map(|s| s.availability_zone.as_str())
    }

    /// The number of resources of a kind over every scope, a link between two accounts in
    /// scope counted once (see [`Estate::is_mirror`]).
    pub fn count(&self, kind: ResourceKind) -> usize {
        let listed: usize = self.scopes.values().map(|r| r.status(kind).count).sum();
        listed - self.mirrors.iter().filter(|m| m.1 == kind).count()
    }

    /// The states of one kind's items in one scope, the other side's copies of links between
    /// accounts left out (see [`Estate::is_mirror`]).
    pub fn joined_states<'a>(
        &self,
        scope: &Scope,
        r: &'a RegionEstate,
        kind: ResourceKind,
    ) -> Vec<&'a str> {
        match kind {
            ResourceKind::VpcPeerings => r
                .vpc_peerings
                .items
                .iter()
                .filter(|p| !self.is_mirror(scope, kind, &p.id))
                .map(|p| p.state.as_str())
                .collect(),
            ResourceKind::TgwAttachments => r
                .tgw_attachments
                .items
                .iter()
                .filter(|a| !self.is_mirror(scope, kind, &a.id))
                .map(|a| a.state.as_str())
                .collect(),
            _ => r.item_states(kind),
        }
    }

    /// Whether a resource listed in `scope` is the other side's copy of a link between
    /// accounts that another scope in the estate also lists: a VPC peering is shown in its
    /// requester's account, a TGW attachment in the transit gateway owner's. Tables and the
    /// snapshot skip such copies, so a cross-account link appears once, with both accounts.
    pub fn is_mirror(&self, scope: &Scope, kind: ResourceKind, id: &str) -> bool {
        !self.mirrors.is_empty()
            && self
                .mirrors
                .contains(&(scope.clone(), kind, id.to_string()))
    }

    /// Every `(scope, kind, id)` that is a mirror: the link's owner (a peering's requester, an
    /// attachment's TGW owner) is another account, and a scope of that account lists it too.
    fn find_mirrors(&self) -> HashSet<(Scope, ResourceKind, String)> {
        let links = |r: &RegionEstate| -> Vec<(ResourceKind, String, Option<String>)> {
            let peerings = r.vpc_peerings.items.iter().map(|p| {
                (
                    ResourceKind::VpcPeerings,
                    p.id.clone(),
                    p.requester.owner_id.clone(),
                )
            });
            let attachments = r.tgw_attachments.items.iter().map(|a| {
                (
                    ResourceKind::TgwAttachments,
                    a.id.clone(),
                    a.transit_gateway_owner_id.clone(),
                )
            });
            peerings.chain(attachments).collect()
        };
        let listed: HashSet<(String, ResourceKind, String)> = self
            .scopes
            .iter()
            .flat_map(|(s, r)| {
                links(r)
                    .into_iter()
                    .map(|(k, id, _)| (s.account.clone(), k, id))
            })
            .collect();
        let mut out = HashSet::new();
        for (s, r) in &self.scopes {
            for (k, id, owner) in links(r) {
                if let Some(o) = owner
                    && !s.account.is_empty()
                    && o != s.account
                    && listed.contains(&(o, k, id.clone()))
                {
                    out.insert((s.clone(), k, id));
                }
            }
        }
        out
    }
}

/// One resource whose read changed: `old` is `None` when it appeared, `new` when it
/// disappeared. JSON as the snapshot writes it (secrets already masked).
#[derive(Clone, Debug, PartialEq)]
pub struct ItemChange {
    pub id: String,
    pub name: String,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// Names of the resources other tables refer to by id (DX gateways, virtual private gateways,
/// VIFs, TGW attachments and route tables, Resolver endpoints and rules, VPCs), built once per
/// table rebuild so a table of 100 000 routes looks each target up in constant time.
#[derive(Clone, Debug, Default)]
pub struct NameIndex {
    names: HashMap<String, String>,
}

impl NameIndex {
    pub fn new(e: &Estate) -> NameIndex {
        let mut names = HashMap::new();
        let mut add = |id: &str, name: &str| {
            if !id.is_empty() && !name.is_empty() {
                names
                    .entry(id.to_string())
                    .or_insert_with(|| name.to_string());
            }
        };
        for r in e.scopes.values() {
            r.dx_gateways.items.iter().for_each(|g| add(&g.id, &g.name));
            r.dx_virtual_gateways
                .items
                .iter()
                .for_each(|g| add(&g.id, &g.name));
            r.dx_vifs.items.iter().for_each(|v| add(&v.id, &v.name));
            r.tgw_attachments
                .items
                .iter()
                .for_each(|a| add(&a.id, &a.name));
            r.tgw_route_tables
                .items
                .iter()
                .for_each(|t| add(&t.id, &t.name));
            r.transit_gateways
                .items
                .iter()
                .for_each(|t| add(&t.id, &t.name));
            r.resolver_endpoints
                .items
                .iter()
                .for_each(|x| add(&x.id, &x.name));
            r.resolver_rules
                .items
                .iter()
                .for_each(|x| add(&x.id, &x.name));
            r.vpcs.items.iter().for_each(|x| add(&x.id, &x.name));
        }
        NameIndex { names }
    }

    /// The name of the resource with this id, if it was read and has one.
    pub fn name(&self, id: &str) -> Option<&str> {
        self.names.get(id).map(String::as_str)
    }

    /// The name, or `-` when unknown (for a NAME column next to an id column).
    pub fn name_or_dash(&self, id: Option<&str>) -> String {
        id.and_then(|i| self.name(i)).unwrap_or("-").to_string()
    }
}

fn fill_azs(endpoints: &mut [ResolverEndpoint], subnets: &[Subnet]) {
    for ip in endpoints.iter_mut().flat_map(|e| e.ips.iter_mut()) {
        if let Some(s) = subnets.iter().find(|s| s.id == ip.subnet_id) {
            ip.availability_zone = Some(s.availability_zone.clone());
        }
    }
}

/// The ARN of a resource, from its kind, region, owning account and id (`None` for kinds
/// without an ARN of their own: routes, associations, propagations, locations, BGP peers).
pub fn arn(kind: ResourceKind, region: &str, account: &str, id: &str) -> Option<String> {
    use ResourceKind::*;
    let (service, regional, path) = match kind {
        DxConnections => ("directconnect", true, format!("dxcon/{id}")),
        DxLags => ("directconnect", true, format!("dxlag/{id}")),
        DxVirtualInterfaces => ("directconnect", true, format!("dxvif/{id}")),
        DxGateways => ("directconnect", false, format!("dx-gateway/{id}")),
        DxVirtualGateways => ("ec2", true, format!("vpn-gateway/{id}")),
        VpnConnections => ("ec2", true, format!("vpn-connection/{id}")),
        VpcRouteTables => ("ec2", true, format!("route-table/{id}")),
        VpcPeerings => ("ec2", true, format!("vpc-peering-connection/{id}")),
        Vpcs => ("ec2", true, format!("vpc/{id}")),
        Subnets => ("ec2", true, format!("subnet/{id}")),
        SecurityGroups => ("ec2", true, format!("security-group/{id}")),
        TransitGateways => ("ec2", true, format!("transit-gateway/{id}")),
        TgwAttachments => ("ec2", true, format!("transit-gateway-attachment/{id}")),
        TgwRouteTables => ("ec2", true, format!("transit-gateway-route-table/{id}")),
        ResolverEndpoints => ("route53resolver", true, format!("resolver-endpoint/{id}")),
        ResolverRules => ("route53resolver", true, format!("resolver-rule/{id}")),
        FirewallRuleGroups => ("route53resolver", true, format!("firewall-rule-group/{id}")),
        FirewallDomainLists => (
            "route53resolver",
            true,
            format!("firewall-domain-list/{id}"),
        ),
        FirewallAssociations => (
            "route53resolver",
            true,
            format!("firewall-rule-group-association/{id}"),
        ),
        FirewallConfigs => ("route53resolver", true, format!("firewall-config/{id}")),
        _ => return None,
    };
    let partition = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    };
    let region = if regional { region } else { "" };
    Some(format!(
        "arn:{partition}:{service}:{region}:{account}:{path}"
    ))
}

/// The value of the `Name` tag among `(key, value)` pairs.
pub fn name_tag<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<String> {
    tags.into_iter()
        .find(|(k, _)| *k == "Name")
        .map(|(_, v)| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peering(id: &str, state: &str) -> VpcPeering {
        VpcPeering {
            id: id.into(),
            name: String::new(),
            state: state.into(),
            ..Default::default()
        }
    }

    #[test]
    fn failed_read_keeps_last_good_items() {
        let mut e = Estate::with_regions(&["r1"]);
        let t = Utc::now();
        e.apply(Update::ok(
            "r1",
            t,
            Batch::VpcPeerings(vec![peering("pcx-1", "active")]),
        ));
        e.apply(Update::err(
            "r1",
            ResourceKind::VpcPeerings,
            t,
            ApiError {
                operation: "DescribeVpcPeeringConnections".into(),
                code: "Throttling".into(),
                message: "Rate exceeded".into(),
            },
        ));
        let r = e.region("r1").unwrap();
        assert_eq!(r.vpc_peerings.items.len(), 1);
        assert_eq!(r.vpc_peerings.error.as_ref().unwrap().code, "Throttling");
        assert!(r.transit_gateways.error.is_none());
    }

    #[test]
    fn changed_rows_are_those_new_or_different_and_last_one_cycle() {
        let mut e = Estate::with_regions(&["r1"]);
        let t = Utc::now();
        let first = vec![
            peering("pcx-1", "active"),
            peering("pcx-2", "pending-acceptance"),
        ];
        e.apply(Update::ok("r1", t, Batch::VpcPeerings(first.clone())));
        assert!(
            e.region("r1").unwrap().vpc_peerings.changed.is_empty(),
            "first read marks nothing"
        );
        let second = vec![
            peering("pcx-1", "active"),
            peering("pcx-2", "active"),
            peering("pcx-3", "active"),
        ];
        e.apply(Update::ok("r1", t, Batch::VpcPeerings(second.clone())));
        let changed = &e.region("r1").unwrap().vpc_peerings.changed;
        assert!(changed.contains("pcx-2") && changed.contains("pcx-3"));
        assert!(!changed.contains("pcx-1"));
        e.apply(Update::ok("r1", t, Batch::VpcPeerings(second)));
        assert!(e.region("r1").unwrap().vpc_peerings.changed.is_empty());
    }
}
