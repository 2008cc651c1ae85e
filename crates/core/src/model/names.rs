//! Item changes, names by id, ARNs and Name tags.

use super::*;

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

pub(super) fn fill_azs(endpoints: &mut [ResolverEndpoint], subnets: &[Subnet]) {
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
