//! The read-only guarantee: every operation sent during a full poll and a scripted UI
//! session is a Describe/List/Get/Search, as recorded by the SDK interceptor and as seen by
//! the server; a mutating call is refused before it leaves the process.

use crate::common;

use std::time::Duration;

use common::*;
use crossconnect::action::Pane;
use crossconnect::app::{App, Mode, Session, key_action, update};
use crossconnect::aws::{OperationGuard, is_read_operation};
use crossconnect::event::{Runner, execute};
use crossconnect::source::{SourceMsg, poll_once, spawn_aws};
use crossconnect::view::table::TableId;
use crossconnect::view::table::WorkflowTables;
use crossconnect::workflows::exec::JournalContext;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::UnboundedReceiver;

struct Rt {
    handle: crossconnect::source::SourceHandle,
    runner: Runner,
}

fn press(app: &mut App, code: KeyCode, rt: &Rt) {
    if let Some(a) = key_action(app, KeyEvent::new(code, KeyModifiers::NONE)) {
        let effects = update(app, a);
        execute(effects, &rt.handle, &rt.runner);
    }
}

async fn pump(app: &mut App, rx: &mut UnboundedReceiver<SourceMsg>, until: impl Fn(&App) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !until(app) {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(m)) => {
                update(app, crossconnect::action::Action::Source(m));
            }
            _ => panic!("timed out waiting for the sources"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_poll_and_a_scripted_ui_session_send_only_reads() {
    let server = fixture_server(&[]).await;
    let moto = moto_url();
    let ec2 = moto.clone().unwrap_or_else(|| server.uri());
    if moto.is_some() {
        // Seed a transit gateway with a route table so routes, associations and
        // propagations are read too.
        let admin = clients(
            REGION,
            &ec2,
            &ec2,
            &ec2,
            &OperationGuard {
                allow_writes: true,
                ..Default::default()
            },
        )
        .await;
        let tgw = admin
            .ec2
            .create_transit_gateway()
            .send()
            .await
            .unwrap()
            .transit_gateway()
            .unwrap()
            .transit_gateway_id()
            .unwrap()
            .to_string();
        admin
            .ec2
            .create_transit_gateway_route_table()
            .transit_gateway_id(tgw)
            .send()
            .await
            .unwrap();
    }
    let guard = OperationGuard::read_only();
    let c = clients(REGION, &server.uri(), &ec2, &server.uri(), &guard).await;

    let updates = poll_once(std::slice::from_ref(&c)).await;
    assert!(
        updates.len() >= 25,
        "a full poll covers every kind: {}",
        updates.len()
    );

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let journal_dir = tempfile::tempdir().unwrap();
    let journal = JournalContext {
        path: journal_dir.path().join("journal.jsonl"),
        ..Default::default()
    };
    // Read-only session: the runner has no write-capable clients at all.
    let runner = Runner {
        read: vec![c.clone()],
        write: None,
        journal,
        demo: false,
        tx: tx.clone(),
    };
    let handle = spawn_aws(vec![c.clone()], Duration::from_secs(3600), tx);
    let rt = Rt { handle, runner };
    let session = Session {
        regions: vec![REGION.into()],
        refresh: Duration::from_secs(3600),
        ..Default::default()
    };
    let mut app = App::new(session, chrono::Utc::now());
    pump(&mut app, &mut rx, |a| {
        a.estate.regions[REGION]
            .firewall_configs
            .refreshed_at
            .is_some()
            && a.estate.regions[REGION].dx_locations.refreshed_at.is_some()
    })
    .await;

    // Walk every pane and table: move, open details, go back, filter, help, and every
    // workflow key (each followed by Enter, y and Esc, as an impatient user would).
    let mut refusals = 0;
    for (i, pane) in Pane::ALL.iter().enumerate() {
        press(&mut app, KeyCode::Char(char::from(b'1' + i as u8)), &rt);
        assert_eq!(app.pane, *pane);
        for _ in 0..TableId::of(*pane).len().max(1) {
            for code in [
                KeyCode::Char('j'),
                KeyCode::Char('G'),
                KeyCode::Char('g'),
                KeyCode::Enter,
                KeyCode::Esc,
                KeyCode::Char('/'),
                KeyCode::Char('a'),
                KeyCode::Enter,
                KeyCode::Esc,
                KeyCode::Char('?'),
                KeyCode::Esc,
            ] {
                press(&mut app, code, &rt);
            }
            for k in crossconnect::workflows::WorkflowKind::ALL
                .into_iter()
                .filter(|k| k.mutating())
            {
                app.status = None;
                press(&mut app, KeyCode::Char(k.key()), &rt);
                if k.mutating() && app.current_table().is_some_and(|t| k.tables().contains(&t)) {
                    let s = app.status.clone().unwrap_or_else(|| {
                        panic!(
                            "{k:?} on {:?}: no refusal, mode {:?}",
                            app.current_table(),
                            app.mode
                        )
                    });
                    assert!(s.error && s.text.contains("--write"), "{k:?}: {}", s.text);
                    assert_eq!(app.mode, Mode::Normal, "{k:?} opened no form");
                    refusals += 1;
                }
                for code in [KeyCode::Enter, KeyCode::Char('y'), KeyCode::Esc] {
                    press(&mut app, code, &rt);
                }
            }
            press(&mut app, KeyCode::Tab, &rt);
        }
    }
    assert!(
        refusals >= 10,
        "every mutating workflow was tried on its table: {refusals}"
    );
    for k in crossconnect::workflows::WorkflowKind::ALL
        .iter()
        .filter(|k| k.mutating())
    {
        for c in format!(":{}", k.command()).chars() {
            press(&mut app, KeyCode::Char(c), &rt);
        }
        press(&mut app, KeyCode::Enter, &rt);
        press(&mut app, KeyCode::Char('y'), &rt);
        press(&mut app, KeyCode::Esc, &rt);
    }
    for c in ":firewall".chars() {
        press(&mut app, KeyCode::Char(c), &rt);
    }
    press(&mut app, KeyCode::Enter, &rt);
    while app.current_table() != Some(TableId::FirewallDomainLists) {
        press(&mut app, KeyCode::Tab, &rt);
    }
    press(&mut app, KeyCode::Enter, &rt);
    assert!(matches!(app.mode, Mode::Details(_)));
    pump(&mut app, &mut rx, |a| !a.estate.firewall_domains.is_empty()).await;
    press(&mut app, KeyCode::Char('r'), &rt);
    pump(&mut app, &mut rx, |a| !a.polling.is_empty()).await;
    pump(&mut app, &mut rx, |a| a.polling.is_empty()).await;
    drop(rt);

    let ops = guard.log.entries();
    let mut needed = vec![
        "DescribeVirtualInterfaces",
        "DescribeDirectConnectGatewayAttachments",
        "ListResolverEndpointIpAddresses",
        "ListFirewallRules",
        "ListFirewallDomains",
        "DescribeVpcPeeringConnections",
        "DescribeTransitGatewayRouteTables",
    ];
    if moto.is_some() {
        // Route tables exist only on moto (the fixture server answers EC2 with errors).
        needed.extend([
            "SearchTransitGatewayRoutes",
            "GetTransitGatewayRouteTableAssociations",
        ]);
    }
    for needed in needed {
        assert!(
            ops.iter().any(|o| o.ends_with(&format!(":{needed}"))),
            "{needed} was not called: {ops:?}"
        );
    }
    for op in &ops {
        let name = op.rsplit(':').next().unwrap();
        assert!(is_read_operation(name), "{op} is not a read");
    }
    for op in received_operations(&server).await {
        let name = op.rsplit('.').next().unwrap();
        assert!(is_read_operation(name), "the server received {op}");
    }
}

#[tokio::test]
async fn a_mutating_call_is_refused_before_it_is_sent() {
    let server = fixture_server(&[]).await;
    let guard = OperationGuard::read_only();
    let c = clients(REGION, &server.uri(), &server.uri(), &server.uri(), &guard).await;
    let err = c
        .ec2
        .accept_vpc_peering_connection()
        .vpc_peering_connection_id("pcx-0123")
        .send()
        .await
        .unwrap_err();
    let api = crossconnect::aws::api_error("AcceptVpcPeeringConnection", &err);
    assert_eq!(api.code, "RefusedReadOnly", "{api:?}");
    assert!(api.message.contains("--write"));
    let err =
        c.dx.delete_virtual_interface()
            .virtual_interface_id("dxvif-fxsecret1")
            .send()
            .await
            .unwrap_err();
    assert_eq!(
        crossconnect::aws::api_error("DeleteVirtualInterface", &err).code,
        "RefusedReadOnly"
    );
    let err = c
        .resolver
        .create_resolver_endpoint()
        .creator_request_id("x")
        .security_group_ids("sg-1")
        .direction(aws_sdk_route53resolver::types::ResolverEndpointDirection::Inbound)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        crossconnect::aws::api_error("CreateResolverEndpoint", &err).code,
        "RefusedReadOnly"
    );
    assert!(
        received_operations(&server).await.is_empty(),
        "nothing reached the server"
    );
    // The same client reads fine.
    assert!(
        crossconnect::aws::firewall::list_domains(&c.resolver, "rslvr-fdl-fxallowed0001")
            .await
            .is_ok()
    );
}
