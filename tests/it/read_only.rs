//! The read-only guarantee: every operation sent during a full poll and a scripted UI
//! session is a Describe/List/Get/Search, as recorded by the SDK interceptor and as seen by
//! the server; a mutating call is refused before it leaves the process.

use crate::common;

use common::console::Console;
use common::*;
use crossconnect::action::Pane;
use crossconnect::app::Mode;
use crossconnect::aws::{OperationGuard, is_read_operation};
use crossconnect::source::poll_once;
use crossconnect::view::table::TableId;
use crossconnect::view::table::WorkflowTables;
use crossterm::event::KeyCode;

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
        let tgw = create_tgw(&admin.ec2).await;
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

    // Read-only session: the runner has no write-capable clients at all.
    let journal_dir = tempfile::tempdir().unwrap();
    let mut c = Console::start(
        REGION,
        c.clone(),
        None,
        &journal_dir.path().join("journal.jsonl"),
    )
    .await;

    // Walk every pane and table: move, open details, go back, filter, help, and every
    // workflow key (each followed by Enter, y and Esc, as an impatient user would).
    let mut refusals = 0;
    for pane in Pane::ALL.iter() {
        c.key(KeyCode::Char(
            char::from_digit(pane.digit() as u32, 10).unwrap(),
        ));
        assert_eq!(c.app.pane, *pane);
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
                c.key(code);
            }
            for k in crossconnect::workflows::WorkflowKind::ALL
                .into_iter()
                .filter(|k| k.mutating())
            {
                c.app.status = None;
                c.key(KeyCode::Char(k.key()));
                if k.mutating()
                    && c.app
                        .current_table()
                        .is_some_and(|t| k.tables().contains(&t))
                {
                    let s = c.app.status.clone().unwrap_or_else(|| {
                        panic!(
                            "{k:?} on {:?}: no refusal, mode {:?}",
                            c.app.current_table(),
                            c.app.mode
                        )
                    });
                    assert!(s.error && s.text.contains("--write"), "{k:?}: {}", s.text);
                    assert_eq!(c.app.mode, Mode::Normal, "{k:?} opened no form");
                    refusals += 1;
                }
                for code in [KeyCode::Enter, KeyCode::Char('y'), KeyCode::Esc] {
                    c.key(code);
                }
            }
            c.key(KeyCode::Tab);
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
        c.typed(&format!(":{}", k.command()));
        c.key(KeyCode::Enter);
        c.key(KeyCode::Char('y'));
        c.key(KeyCode::Esc);
    }
    c.typed(":firewall");
    c.key(KeyCode::Enter);
    while c.app.current_table() != Some(TableId::FirewallDomainLists) {
        c.key(KeyCode::Tab);
    }
    c.key(KeyCode::Enter);
    assert!(matches!(c.app.mode, Mode::Details(_)));
    c.pump(|a| !a.estate.firewall_domains.is_empty()).await;
    c.key(KeyCode::Char('r'));
    c.pump(|a| !a.polling.is_empty()).await;
    c.pump(|a| a.polling.is_empty()).await;
    drop(c);

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
