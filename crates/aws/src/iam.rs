//! The IAM actions the read path needs, for the README's policy and its test.

/// Every IAM action the read path needs (`service:Operation`), sorted: the operations of
/// every resource kind plus ListFirewallDomains (on demand). The README's policy lists these.
pub fn iam_read_actions() -> Vec<String> {
    use crate::model::{ResourceKind, Service};
    let mut v: Vec<String> = ResourceKind::ALL
        .iter()
        .flat_map(|k| {
            let prefix = match k.service() {
                Service::DirectConnect => "directconnect",
                Service::Ec2 => "ec2",
                Service::Resolver | Service::DnsFirewall => "route53resolver",
                Service::Telemetry => "",
            };
            k.operations().iter().map(move |op| {
                let prefix = match (prefix, *op) {
                    // Route 53 Profiles are read with the Resolver, through their own service.
                    (_, op) if op.starts_with("ListProfile") => "route53profiles",
                    // Cloud WAN is Network Manager's, read with EC2.
                    (
                        _,
                        "ListCoreNetworks"
                        | "GetCoreNetwork"
                        | "ListCoreNetworkPolicyVersions"
                        | "ListAttachments"
                        | "GetNetworkRoutes",
                    ) => "networkmanager",
                    ("", "GetMetricData") => "cloudwatch",
                    ("", _) => "directconnect",
                    (p, _) => p,
                };
                format!("{prefix}:{op}")
            })
        })
        // Read on demand: domain lists' domains, and the LOA-CFA (`loa`, `L`, read-only too).
        .chain([
            "route53resolver:ListFirewallDomains".to_string(),
            "directconnect:DescribeLoa".to_string(),
        ])
        .collect();
    v.sort();
    v.dedup();
    v
}
