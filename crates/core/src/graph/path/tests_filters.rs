//! Network ACL judgement: rule order, port ranges, the default deny, and what a flow is.

use super::*;
use crate::model::{AclEntry, NetworkAcl};

fn entry(
    n: i32,
    egress: bool,
    proto: &str,
    allow: bool,
    cidr: &str,
    ports: Option<(u16, u16)>,
) -> AclEntry {
    AclEntry {
        rule_number: n,
        egress,
        protocol: proto.into(),
        allow,
        cidr: cidr.into(),
        ports,
    }
}

fn acl(entries: Vec<AclEntry>) -> NetworkAcl {
    NetworkAcl {
        id: "acl-1".into(),
        entries,
        ..Default::default()
    }
}

fn net(s: &str) -> IpNet {
    crate::graph::index::parse_net(s).unwrap()
}

#[test]
fn the_lowest_matching_rule_decides_over_every_port_of_the_range() {
    // Replies to 32768-60999 allowed first, then 1024-65535 denied: the ports below 32768
    // are dropped by rule 20.
    let a = acl(vec![
        entry(20, true, "6", false, "0.0.0.0/0", Some((1024, 65535))),
        entry(10, true, "6", true, "10.0.0.0/8", Some((32768, 60999))),
        entry(100, true, "-1", true, "0.0.0.0/0", None),
    ]);
    let r = judge_acl(&a, true, Protocol::Tcp, Some(EPHEMERAL), &net("10.1.2.3"));
    let e = r.unwrap_err();
    assert!(
        e.contains("rule 20") && e.contains("ports 1024-32767 of them"),
        "{e}"
    );
    // From an address rule 10 does not cover, rule 20 drops the whole range.
    let e = judge_acl(
        &a,
        true,
        Protocol::Tcp,
        Some(EPHEMERAL),
        &net("192.168.1.1"),
    )
    .unwrap_err();
    assert!(e.contains("rule 20") && !e.contains("of them"), "{e}");
    // tcp/443 inbound is not this ACL's outbound rules' business: no inbound rule, default.
    let e = judge_acl(&a, false, Protocol::Tcp, Some((443, 443)), &net("10.1.2.3")).unwrap_err();
    assert!(e.starts_with("inbound rule *: deny all traffic"), "{e}");
}

#[test]
fn an_allow_that_covers_the_range_in_pieces_allows_it_and_icmp_has_no_ports() {
    let a = acl(vec![
        entry(10, false, "6", true, "0.0.0.0/0", Some((1024, 40000))),
        entry(20, false, "6", true, "0.0.0.0/0", Some((40001, 65535))),
        entry(30, false, "1", true, "10.0.0.0/8", None),
    ]);
    let ok = judge_acl(&a, false, Protocol::Tcp, Some(EPHEMERAL), &net("10.1.2.3")).unwrap();
    assert_eq!(ok, "inbound rules 10, 20");
    assert!(judge_acl(&a, false, Protocol::Icmp, None, &net("10.9.9.9")).is_ok());
    // icmp from outside rule 30's CIDR: the default deny.
    assert!(judge_acl(&a, false, Protocol::Icmp, None, &net("172.16.0.1")).is_err());
    // A rule covering part of a source prefix does not allow all of it.
    assert!(judge_acl(&a, false, Protocol::Icmp, None, &net("10.0.0.0/7")).is_err());
}

#[test]
fn a_flow_needs_a_port_for_tcp_and_udp_and_none_for_icmp() {
    assert_eq!(Flow::new(None, None), Ok(None));
    assert_eq!(
        Flow::new(None, Some(443)).unwrap().unwrap().protocol,
        Protocol::Tcp
    );
    assert!(
        Flow::new(Some("udp"), None)
            .unwrap_err()
            .contains("needs --port")
    );
    assert!(
        Flow::new(Some("icmp"), Some(1))
            .unwrap_err()
            .contains("icmp has no port")
    );
    assert!(
        Flow::new(Some("gre"), Some(1))
            .unwrap_err()
            .contains("tcp, udp or icmp")
    );
    assert!(Flow::new(Some("tcp"), Some(0)).is_err());
}
