//! Every kind of resource crossconnect reads, as one table: its field in [`RegionEstate`], its
//! item type, pane, service, JSON key, label and the AWS operations that read it.

use super::*;

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

            pub(super) fn apply(
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
    NetworkAcls { field: network_acls, ty: NetworkAcl, area: VpcPeering, service: Ec2,
        key: "network_acls", label: "Network ACLs", ops: ["DescribeNetworkAcls"] }
    NetworkInterfaces { field: network_interfaces, ty: NetworkInterface, area: VpcPeering, service: Ec2,
        key: "network_interfaces", label: "Network interfaces", ops: ["DescribeNetworkInterfaces"] }
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
    TgwPeerings { field: tgw_peerings, ty: TgwPeering, area: TransitGateway, service: Ec2,
        key: "peering_attachments", label: "Peering attachments",
        ops: ["DescribeTransitGatewayPeeringAttachments", "DescribeTransitGatewayAttachments"] }
    TgwConnects { field: tgw_connects, ty: TgwConnect, area: TransitGateway, service: Ec2,
        key: "connects", label: "Connect attachments",
        ops: ["DescribeTransitGatewayConnects", "DescribeTransitGatewayAttachments"] }
    TgwConnectPeers { field: tgw_connect_peers, ty: TgwConnectPeer, area: TransitGateway, service: Ec2,
        key: "connect_peers", label: "Connect peers",
        ops: ["DescribeTransitGatewayConnectPeers", "DescribeTransitGatewayAttachments"] }
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
    CoreNetworks { field: core_networks, ty: CoreNetwork, area: CloudWan, service: Ec2,
        key: "core_networks", label: "Core networks",
        ops: ["ListCoreNetworks", "GetCoreNetwork", "ListCoreNetworkPolicyVersions"] }
    CloudWanAttachments { field: cloudwan_attachments, ty: CloudWanAttachment, area: CloudWan, service: Ec2,
        key: "attachments", label: "Cloud WAN attachments", ops: ["ListAttachments", "ListCoreNetworks"] }
    CloudWanRoutes { field: cloudwan_routes, ty: CloudWanRoute, area: CloudWan, service: Ec2,
        key: "routes", label: "Segment routes", ops: ["GetNetworkRoutes", "GetCoreNetwork"] }
    DxMetrics { field: dx_metrics, ty: MetricSeries, area: DirectConnect, service: Telemetry,
        key: "metrics", label: "DX metrics", ops: ["GetMetricData"] }
    DxVifRoutes { field: dx_vif_routes, ty: VifRouteCount, area: DirectConnect, service: Telemetry,
        key: "vif_route_counts", label: "VIF route counts", ops: ["ListVirtualInterfaceRoutes"] }
}
