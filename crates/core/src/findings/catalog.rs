//! Every rule's fixed facts in one table: code, default severity (as the README's table
//! gives them), area, summary and the AWS documentation it rests on. The checks that raise
//! them live by area (`dx.rs`, `peering.rs`, …).

use super::{Rule, Severity};
use crate::model::Area;
use Area::*;
use Severity::*;

const ADVANCED: &str =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/firewall-advanced.html";
const ASSOC: &str = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-vpc-associating-rule-group.html";
const ATTACH: &str =
    "https://docs.aws.amazon.com/vpc/latest/tgw/working-with-transit-gateways.html";
const BASICS: &str = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html";
const BEST: &str =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/best-practices-resolver.html";
const BGP: &str = "https://docs.aws.amazon.com/directconnect/latest/UserGuide/troubleshooting.html";
const CONNECT: &str = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-connect.html";
const CONFIG: &str = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-vpc-configuration.html";
const DNSSEC: &str =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dnssec-validation.html";
const FORWARD: &str = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries.html";
const INBOUND: &str = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-inbound-queries.html";
const INVALID: &str =
    "https://docs.aws.amazon.com/vpc/latest/peering/invalid-peering-configurations.html";
const JUMBO: &str =
    "https://docs.aws.amazon.com/directconnect/latest/UserGuide/set-jumbo-frames-vif.html";
const LOA: &str =
    "https://docs.aws.amazon.com/directconnect/latest/UserGuide/create-connection.html";
const MACSEC: &str = "https://docs.aws.amazon.com/directconnect/latest/UserGuide/MACsec.html";
const METRICS: &str =
    "https://docs.aws.amazon.com/directconnect/latest/UserGuide/monitoring-cloudwatch.html";
const PEERING_ATT: &str = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html";
const PEERING: &str = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html";
const VPN_BACKUP: &str = "https://docs.aws.amazon.com/whitepapers/latest/aws-vpc-connectivity-options/aws-direct-connect-site-to-site-vpn.html";
const QUERY_LOGS: &str =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs.html";
const QUOTAS: &str = "https://docs.aws.amazon.com/directconnect/latest/UserGuide/limits.html";
const RESILIENCY: &str =
    "https://docs.aws.amazon.com/directconnect/latest/UserGuide/resiliency_toolkit.html";
const ROUTES: &str = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html";
const SETTINGS: &str = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-rule-settings.html";
const TGW_RT: &str = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html";
const TROUBLESHOOT: &str =
    "https://docs.aws.amazon.com/directconnect/latest/UserGuide/Troubleshooting.html";

const fn rule(
    code: &'static str,
    severity: Severity,
    area: Area,
    summary: &'static str,
    reference: &'static str,
) -> Rule {
    Rule {
        code,
        severity,
        area,
        summary,
        reference,
    }
}

/// Every rule, in code order.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    rule("CW-001", High, DirectConnect, "Receive light level below the optic's sensitivity", METRICS),
    rule("CW-002", Medium, DirectConnect, "Connection above 80 % of its port speed", METRICS),
    rule("CW-003", Medium, DirectConnect, "Accepted BGP prefixes at or above 80 % of the VIF's quota", QUOTAS),
    rule("DNSFW-001", Medium, DnsFirewall, "VPC set to fail open", CONFIG),
    rule("DNSFW-002", Low, DnsFirewall, "Rule group associated with no VPC", ASSOC),
    rule("DNSFW-003", Medium, DnsFirewall, "ALLOW rule inspecting redirection chains ahead of a block-all rule", SETTINGS),
    rule("DNSFW-004", Low, DnsFirewall, "Rule group association without mutation protection", ASSOC),
    rule("DNSFW-005", Low, DnsFirewall, "Rule group has no rules", SETTINGS),
    rule("DNSFW-006", Info, DnsFirewall, "VPC with DNS Firewall but no Advanced rule", ADVANCED),
    rule("DX-001", High, DirectConnect, "Connection is down", TROUBLESHOOT),
    rule("DX-002", Medium, DirectConnect, "Connection awaiting LOA, cross-connect or partner confirmation", LOA),
    rule("DX-003", Medium, DirectConnect, "No location redundancy: every connection of the region is at one location", RESILIENCY),
    rule("DX-004", Medium, DirectConnect, "No device redundancy: every connection of the region is on one AWS device", RESILIENCY),
    rule("DX-005", High, DirectConnect, "Virtual interface is down", TROUBLESHOOT),
    rule("DX-006", High, DirectConnect, "BGP session down (bgpStatus)", TROUBLESHOOT),
    rule("DX-007", Medium, DirectConnect, "Gateway served by a single VIF", RESILIENCY),
    rule("DX-008", Medium, DirectConnect, "Gateway's VIFs all on one connection or one location", RESILIENCY),
    rule("DX-009", Medium, DirectConnect, "MTU differs between VIFs of one gateway", JUMBO),
    rule("DX-010", High, DirectConnect, "VIF on a connection or LAG that is down", TROUBLESHOOT),
    rule("DX-011", Medium, DirectConnect, "MACsec-capable port not encrypted", MACSEC),
    rule("DX-012", High, DirectConnect, "MACsec set to encrypt but the port is not encrypted", MACSEC),
    rule("DX-013", Medium, DirectConnect, "MACsec key not associated", MACSEC),
    rule("HIST-001", High, DirectConnect, "BGP session flapping (went down repeatedly in 24 h)", BGP),
    rule("HIST-002", High, DirectConnect, "Connection down for longer than the threshold", BGP),
    rule("PATH-001", Medium, DirectConnect, "Every working path from a VPC to on-prem rides one VIF, connection, device or location", RESILIENCY),
    rule("PATH-002", High, Resolver, "Forwarding rule's target IPs unreachable from its outbound endpoint's VPC", FORWARD),
    rule("PATH-003", Medium, Resolver, "Inbound Resolver endpoint that on-prem cannot reach", INBOUND),
    rule("PATH-004", High, TransitGateway, "Return-path gap: on-prem is routed to, but the way back has no route", TGW_RT),
    rule("PATH-005", High, TransitGateway, "Forward gap: a VPC routes on-prem traffic to a TGW or VGW that has no route onward", TGW_RT),
    rule("PATH-006", High, VpcPeering, "VPC peering routed over from one side only: the other side has no return route", PEERING),
    rule("PATH-007", Medium, DirectConnect, "A VPC's paths to on-prem over Direct Connect are down (all: critical; some: medium)", RESILIENCY),
    rule("PCX-001", Medium, VpcPeering, "Peering connection pending acceptance", BASICS),
    rule("PCX-002", Low, VpcPeering, "Peering connection failed, rejected or expired", BASICS),
    rule("PCX-003", Medium, VpcPeering, "Peered VPCs have overlapping CIDRs", INVALID),
    rule("R53R-001", Medium, Resolver, "Resolver endpoint IPs all in one Availability Zone", BEST),
    rule("R53R-002", Medium, Resolver, "Resolver endpoint not OPERATIONAL", BEST),
    rule("R53R-003", Low, Resolver, "Forwarding rule associated with no VPC", FORWARD),
    rule("R53R-004", High, Resolver, "Forwarding rule's outbound endpoint not operational", FORWARD),
    rule("R53R-005", Low, Resolver, "VPC without Resolver query logging", QUERY_LOGS),
    rule("R53R-006", Info, Resolver, "VPC without DNSSEC validation", DNSSEC),
    rule("TGW-001", Medium, TransitGateway, "Blackhole route", ROUTES),
    rule("TGW-002", Medium, TransitGateway, "Attachment not associated with any route table", ROUTES),
    rule("TGW-003", Medium, TransitGateway, "Attachment pending acceptance, failed or rejected", ATTACH),
    rule("TGW-004", Low, TransitGateway, "Route table with no associations", ROUTES),
    rule("TGW-005", Medium, TransitGateway, "Overlapping CIDRs propagated into one route table", ROUTES),
    rule("TGW-006", Medium, TransitGateway, "TGW peering attachment not available", PEERING_ATT),
    rule("TGW-007", High, TransitGateway, "TGW Connect peer with BGP down", CONNECT),
    rule("TGW-008", High, TransitGateway, "Route into a TGW peering that the peer TGW does not route onward", PEERING_ATT),
    rule("VPN-001", Medium, DirectConnect, "DX backup VPN with a tunnel down, or fewer BGP routes than the DX side (all tunnels down: high)", VPN_BACKUP),
];
