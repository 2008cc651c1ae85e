//! The in-memory model of the hybrid network: one [`RegionEstate`] per region, one
//! [`Section`] per resource kind. No AWS SDK type appears here; `src/aws` converts.
//!
//! Data reaches the model only as [`Update`]s (one resource kind of one region, either a full
//! list or an [`ApiError`]). A failed update keeps the last good items and marks the section
//! errored, so one failing call never blanks another pane.

mod estate;
mod names;
mod section;

mod service;
pub use service::{ApiError, Service};
pub mod dx;
pub mod firewall;
pub mod health;
pub mod peering;
pub mod resolver;
pub mod secret;
pub mod snapshot;
pub mod state;
pub mod telemetry;
pub mod tgw;
pub mod vpc;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use dx::*;
pub use estate::*;
pub use names::*;
pub use section::*;
pub use state::*;

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
    /// How an operator reads the state: from its typed value where AWS defines one.
    fn health(&self) -> health::Health;
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

            /// The items of one kind from their JSON (a saved snapshot's list of them).
            ///
            /// Errors when an item does not have the kind's shape.
            pub fn from_json(kind: ResourceKind, items: serde_json::Value) -> Result<Batch, serde_json::Error> {
                match kind { $(ResourceKind::$kind => serde_json::from_value(items).map(Batch::$kind)),+ }
            }
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

            /// The items of one kind whose id `keep` accepts, each carrying its `account` in
            /// front as [`Self::items_json`] does, written straight to `s` (the JSON snapshot
            /// streams an organisation's items this way instead of building a tree of them).
            pub fn serialize_items<S: serde::Serializer>(
                &self,
                kind: ResourceKind,
                keep: &dyn Fn(&str) -> bool,
                s: S,
            ) -> Result<S::Ok, S::Error> {
                let account = self.account.as_str();
                match kind {
                    $(ResourceKind::$kind => s.collect_seq(
                        self.$field.items.iter().filter(|i| keep(&i.id())).map(|item| WithAccount { account, item }),
                    )),+
                }
            }

            /// The health of every item of one kind.
            pub fn item_health(&self, kind: ResourceKind) -> Vec<health::Health> {
                match kind { $(ResourceKind::$kind => self.$field.items.iter().map(|i| i.health()).collect()),+ }
            }

            /// The id and state of every item of one kind.
            pub fn item_ids_health(&self, kind: ResourceKind) -> Vec<(String, health::Health)> {
                match kind { $(ResourceKind::$kind => self.$field.items.iter().map(|i| (i.id(), i.health())).collect()),+ }
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
    QueryLogConfigs { field: query_log_configs, ty: QueryLogConfig, area: Resolver, service: Resolver,
        key: "query_log_configs", label: "Query logging", ops: ["ListResolverQueryLogConfigs"] }
    QueryLogAssociations { field: query_log_associations, ty: QueryLogAssociation, area: Resolver,
        service: Resolver, key: "query_log_associations", label: "Query logging VPCs",
        ops: ["ListResolverQueryLogConfigAssociations"] }
    DnssecConfigs { field: dnssec_configs, ty: DnssecConfig, area: Resolver, service: Resolver,
        key: "dnssec_configs", label: "DNSSEC validation", ops: ["ListResolverDnssecConfigs"] }
    Profiles { field: profiles, ty: Profile, area: Resolver, service: Resolver,
        key: "profiles", label: "Route 53 Profiles", ops: ["ListProfiles"] }
    ProfileAssociations { field: profile_associations, ty: ProfileAssociation, area: Resolver,
        service: Resolver, key: "profile_associations", label: "Profile VPCs", ops: ["ListProfileAssociations"] }
    ProfileResources { field: profile_resources, ty: ProfileResource, area: Resolver, service: Resolver,
        key: "profile_resources", label: "Profile resources",
        ops: ["ListProfileResourceAssociations", "ListProfiles"] }
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

/// An item with `"account": "<id>"` in front of its fields (none when the account is unknown).
#[derive(Serialize)]
struct WithAccount<'a, T> {
    #[serde(skip_serializing_if = "str::is_empty")]
    account: &'a str,
    #[serde(flatten)]
    item: &'a T,
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
    /// Whether nothing is held for these kinds: never read, or failed with no data from
    /// before (counts are `?`, not numbers).
    pub fn never_read(&self) -> bool {
        matches!(
            self,
            Coverage::NotRead
                | Coverage::Failed {
                    last_good: None,
                    ..
                }
        )
    }

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
