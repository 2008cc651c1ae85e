//! What comes back from a change, against wire-level fixtures: sent exactly once (a 500 is
//! an unknown outcome, never retried by the SDK), retries reuse their idempotency token, and
//! every executed change says whether it was journaled, and a journal that cannot be written
//! stops a change before anything is sent.

use crate::cli::{bin, run, text};
use crate::common;

use common::console::*;
use common::*;
use crossconnect::aws::OperationGuard;
use crossconnect::model::{Estate, Service};
use crossconnect::source::poll_service;
use crossconnect::workflows::exec::{self, JournalContext};
use crossconnect::workflows::{
    self, Call, Intent, PeeringCall, ResolverCall, TgwCall, WorkflowKind, journal,
};

use crate::workflows::target;

/// Write-capable clients of every service against one fixture server.
async fn wire_writer(server: &wiremock::MockServer) -> crossconnect::aws::RegionClients {
    clients(
        REGION,
        &server.uri(),
        &server.uri(),
        &server.uri(),
        &writer(),
    )
    .await
}

#[tokio::test]
async fn a_retried_create_reuses_its_creator_request_id() {
    let server = fixture_server(&[]).await;
    wiremock::Mock::given(wiremock::matchers::header(
        "x-amz-target",
        "Route53Resolver.CreateResolverEndpoint",
    ))
    .respond_with(aws_error(500, "InternalServiceErrorException", "try again"))
    .with_priority(1)
    .mount(&server)
    .await;
    let w = wire_writer(&server).await;
    let intent = Intent::new();
    let call: Call = ResolverCall::CreateResolverEndpoint {
        creator_request_id: intent.creator_request_id.clone(),
        name: "x".into(),
        direction: "INBOUND".into(),
        security_group_ids: vec!["sg-1".into()],
        ips: vec![("subnet-a".into(), None), ("subnet-b".into(), None)],
        protocols: vec!["Do53".into()],
        endpoint_type: "IPV4".into(),
    }
    .into();
    // The user retries after a failure: the same plan, so the same intent.
    assert!(!exec::run(&w, &call, false).await.success);
    assert!(!exec::run(&w, &call, false).await.success);
    let ids: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| {
            r.headers
                .get("x-amz-target")
                .is_some_and(|v| v == "Route53Resolver.CreateResolverEndpoint")
        })
        .map(|r| {
            serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["CreatorRequestId"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(ids.len() >= 2, "{ids:?}");
    assert!(
        ids.iter().all(|i| *i == intent.creator_request_id),
        "{ids:?}"
    );
}

#[tokio::test]
async fn executed_changes_say_they_were_journaled_and_refusals_do_not() {
    let server = fixture_server(&[]).await;
    let w = wire_writer(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = JournalContext {
        path: dir.path().join("j.jsonl"),
        ..Default::default()
    };
    let mut e = Estate::with_regions(&[REGION]);
    let mut v = vec![];
    poll_service(&w, Service::DirectConnect, &mut |u| v.push(u)).await;
    for u in v {
        e.apply(u);
    }
    let t = target(
        REGION,
        crossconnect::model::ResourceKind::DxVirtualInterfaces,
        "dxvif-fxsecret1",
    );
    let del = workflows::plan_for(
        WorkflowKind::DeleteVif,
        &e,
        &t,
        &workflows::form::Form::default(),
        &Intent::new(),
    )
    .unwrap();
    // The fixture server has no DeleteVirtualInterface answer: AWS-style error, journaled.
    let out = exec::execute(&w, &del, &ctx).await;
    assert!(!out.success && out.journaled, "{out:?}");
    assert_eq!(journal::read(&ctx.path).unwrap()[0].outcome, "error");
    // An EC2 call whose dry run is refused changed nothing: its intent and that outcome are
    // journaled (the DryRun request went out, so its intent was written first).
    // An EC2 call: DryRun first (the call says so).
    let p = workflows::Plan {
        call: PeeringCall::AcceptPeering { id: "pcx-0".into() }.into(),
        ..del.clone()
    };
    let out = exec::execute(&w, &p, &ctx).await;
    assert!(
        !out.success && out.message.contains("nothing was changed"),
        "{out:?}"
    );
    let changes = journal::read(&ctx.path).unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[1].outcome, "dry-run-refused");
}

/// A mutating call is sent exactly once: an EC2 endpoint that applies the change and then
/// answers 500 is not asked again, the outcome is unknown (not "failed", never "nothing was
/// changed"), and the journal says so.
#[tokio::test]
async fn a_change_answered_500_is_sent_once_and_its_outcome_is_unknown() {
    let server = fixture_server(&[]).await;
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>InternalError</Code><Message>An internal error has occurred</Message></Error></Errors><RequestID>ce1c8bb0-0000-4000-8000-000000000001</RequestID></Response>"#;
    wiremock::Mock::given(wiremock::matchers::body_string_contains(
        "Action=CreateTransitGatewayRoute",
    ))
    .respond_with(wiremock::ResponseTemplate::new(500).set_body_raw(xml, "text/xml"))
    .with_priority(1)
    .mount(&server)
    .await;
    let w = wire_writer(&server).await;
    let call: Call = TgwCall::CreateTgwRoute {
        route_table_id: "tgw-rtb-0a1b2c3d4e5f60001".into(),
        cidr: "10.77.0.0/16".into(),
        attachment_id: Some("tgw-attach-0a1b2c3d4e5f60001".into()),
    }
    .into();
    let out = exec::run(&w, &call, false).await;
    assert!(!out.success);
    assert!(out.unknown, "a 500 after the request reached AWS: {out:?}");
    let sent = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains("Action=CreateTransitGatewayRoute"))
        .count();
    assert_eq!(sent, 1, "sent exactly once, never retried by the SDK");
}

#[test]
fn write_mode_refuses_a_journal_that_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    // A directory is not a journal file.
    let out = run(bin()
        .args(["--demo", "--write", "--journal"])
        .arg(dir.path()));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("journal") && err.contains("cannot be written"),
        "{err}"
    );
}

#[tokio::test]
async fn an_unwritable_journal_sends_no_change() {
    use crossconnect::workflows::exec::{self, JournalContext};
    use crossconnect::workflows::{Intent, Plan, WorkflowKind};
    let server = fixture_server(&[]).await;
    let w = clients_at(
        &server.uri(),
        &OperationGuard {
            allow_writes: true,
            ..Default::default()
        },
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = JournalContext {
        path: dir.path().to_path_buf(),
        profile: None,
        account: None,
        ..Default::default()
    };
    let plan = Plan {
        workflow: WorkflowKind::AcceptPeering,
        region: REGION.into(),
        destructive: false,
        confirm_with: String::new(),
        call: PeeringCall::AcceptPeering { id: "pcx-0".into() }.into(),
        intent: Intent::new(),
        account: None,
        warnings: vec![],
        target: vec![],
    };
    let out = exec::execute(&w, &plan, &ctx).await;
    assert!(!out.success && !out.journaled, "{out:?}");
    assert_eq!(out.code.as_deref(), Some("JournalUnwritable"));
    assert!(out.message.contains("nothing was sent"));
    assert!(
        received_operations(&server).await.is_empty(),
        "no request at all, not even the DryRun"
    );
}
