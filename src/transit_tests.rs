//! The demo's paths beyond one TGW, judged over the core's index: the last DX connection of a
//! gateway fails over to its VPN and cuts the Connect peers riding it; a peer TGW not read is
//! `unknown`, never `reachable`; a VPC whose DX is down and whose VPN carries it is `high`.

use crate::findings::{Severity, evaluate};
use crate::findings_tests::{demo_estate, euw2, use1};
use crate::graph::{Index, impact, path};
use crate::model::*;

/// Every corp-dxgw VIF but Ashburn's down: dxcon-fgq1x2y3 is the last connection.
fn ashburn_last(e: &mut Estate) {
    for region in ["us-east-1", "eu-west-2"] {
        for v in e.region_mut(region).unwrap().dx_vifs.items.iter_mut() {
            if v.direct_connect_gateway_id.as_deref() == Some(crate::demo::DXGW_ID)
                && v.id != "dxvif-fg7h8i9j"
            {
                v.state = VifState::Down;
            }
        }
    }
}

#[test]
fn the_last_connection_fails_over_to_the_vpn_and_cuts_the_connect_peers_over_it() {
    let mut e = demo_estate();
    ashburn_last(&mut e);
    let ix = Index::new(&e);
    let i = impact::impact(&ix, "dxcon-fgq1x2y3").unwrap();
    let prod = i
        .loses_on_prem
        .iter()
        .find(|a| a.id == "vpc-0a1b2c3d4e5f60001")
        .unwrap_or_else(|| panic!("prod-app loses DX: {:?}", i.loses_on_prem));
    assert_eq!(prod.fails_over_to.len(), 1, "{prod:?}");
    assert!(
        prod.fails_over_to[0].contains("vpn-0d1e2f3a4b5c60001"),
        "{prod:?}"
    );
    assert_eq!(prod.backup_gbps, 1.25, "one tunnel UP");
    assert!(
        i.connect_peers
            .iter()
            .any(|p| p.contains("tgw-connect-peer-0a1b2c3d4e5f6001")),
        "{:?}",
        i.connect_peers
    );
    let text = i.text();
    assert!(text.contains("fails over to VPN dx-backup-vpn"), "{text}");
    // With that connection down as well, prod-app is on its VPN backup.
    for c in use1(&mut e).dx_connections.items.iter_mut() {
        if c.id == "dxcon-fgq1x2y3" {
            c.state = ConnectionState::Down;
        }
    }
    let ix = Index::new(&e);
    let t = path::trace(&ix, "vpc-0a1b2c3d4e5f60001", "10.1.2.3").unwrap();
    assert_eq!(t.verdict, path::Verdict::Degraded, "{}", t.text());
    assert!(t.on_vpn_backup, "{}", t.text());
    let f = evaluate(&e);
    let p7 = f
        .iter()
        .find(|f| f.code == "PATH-007" && f.resources[0].id == "vpc-0a1b2c3d4e5f60001")
        .unwrap();
    assert_eq!(p7.severity, Severity::High, "{}", p7.title);
    assert!(p7.title.contains("on VPN backup"), "{}", p7.title);
}

#[test]
fn a_peer_tgw_not_read_makes_the_path_unknown_never_reachable() {
    let mut e = demo_estate();
    euw2(&mut e).transit_gateways.items.clear();
    let ix = Index::new(&e);
    let t = path::trace(&ix, "vpc-0a1b2c3d4e5f60001", "10.60.1.1").unwrap();
    assert_eq!(t.verdict, path::Verdict::Unknown, "{}", t.text());
    assert!(
        t.problems
            .iter()
            .any(|p| p.contains("tgw-0e1f2a3b4c5d60001") && p.contains("was not read")),
        "{:?}",
        t.problems
    );
}
