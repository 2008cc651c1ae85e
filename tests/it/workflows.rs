//! Change workflows end to end: through the TUI against moto with write clients, the
//! executor against moto and wire fixtures, the journal, idempotency and validation.

use crate::common;

use common::console::*;
use common::*;
use crossconnect::action::{Action, Pane};
use crossconnect::app::{Mode, Stage, update};
use crossconnect::aws::OperationGuard;
use crossconnect::model::{Estate, Service};
use crossconnect::source::poll_service;
use crossconnect::view::table::TableId;
use crossconnect::workflows::exec::{self, JournalContext};
use crossconnect::workflows::{self, Intent, Target, WorkflowKind, journal};
use crossterm::event::KeyCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_a_pending_peering_in_the_tui_turns_it_active_and_is_journaled() {
    let Some(moto) = moto_url() else { return };
    let region = "sa-east-1";
    let admin = clients(region, &moto, &moto, &moto, &writer()).await;
    let (a, b) = (
        create_vpc(&admin.ec2, "10.110.0.0/16").await,
        create_vpc(&admin.ec2, "10.111.0.0/16").await,
    );
    let pcx = create_peering(&admin.ec2, &a, &b).await;

    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let write_guard = writer();
    let read = clients(region, &moto, &moto, &moto, &OperationGuard::read_only()).await;
    let write = clients(region, &moto, &moto, &moto, &write_guard).await;
    let mut c = Console::start(region, read, Some(write), &journal_path).await;
    c.select(Pane::Peering, TableId::Peerings, &pcx);
    c.key(KeyCode::Char('a'));
    let Some(Stage::Plan { plan, .. }) = c.stage() else {
        panic!("no plan: {:?} {:?}", c.app.mode, c.app.status)
    };
    assert_eq!(plan.operation(), "AcceptVpcPeeringConnection");
    assert!(plan.dry_run());
    assert!(
        write_guard.log.entries().is_empty(),
        "nothing is sent before confirmation"
    );
    let outcome = c.confirm().await;
    assert!(outcome.success, "{outcome:?}");
    // The success triggers a refresh; the next poll shows the peering active.
    c.pump(|a| {
        a.estate
            .region(region)
            .unwrap()
            .vpc_peerings
            .items
            .iter()
            .any(|p| p.id == pcx && p.state == "active")
    })
    .await;
    let entries = journal::read(&journal_path).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].operation, "ec2:AcceptVpcPeeringConnection");
    assert_eq!(entries[0].outcome, "success");
    assert_eq!(entries[0].parameters["VpcPeeringConnectionId"], pcx);
    assert_eq!(
        entries[0].account.as_deref(),
        Some("123456789012"),
        "the account from the model's owner ids"
    );
    assert_eq!(entries[0].profile.as_deref(), Some("test"));
    assert!(entries[0].request_id.is_some());
    // AWS answers the DryRun request with DryRunOperation and then gets the real call; moto
    // applies the DryRun request itself, which is then not sent again.
    let sent: Vec<_> = write_guard
        .log
        .entries()
        .into_iter()
        .filter(|o| o.ends_with("AcceptVpcPeeringConnection"))
        .collect();
    assert!((1..=2).contains(&sent.len()), "{sent:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_a_resolver_endpoint_in_the_tui_sends_one_create_with_a_creator_request_id() {
    let Some(moto) = moto_url() else { return };
    let region = "eu-north-1";
    let admin = clients(region, &moto, &moto, &moto, &writer()).await;
    let v = create_vpc(&admin.ec2, "10.120.0.0/16").await;
    let s1 = create_subnet(&admin.ec2, &v, "10.120.1.0/24", "eu-north-1a").await;
    let s2 = create_subnet(&admin.ec2, &v, "10.120.2.0/24", "eu-north-1b").await;
    let sg = admin
        .ec2
        .create_security_group()
        .group_name("dns")
        .description("dns")
        .vpc_id(&v)
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();

    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let write_guard = writer();
    let read = clients(region, &moto, &moto, &moto, &OperationGuard::read_only()).await;
    let write = clients(region, &moto, &moto, &moto, &write_guard).await;
    let mut c = Console::start(region, read, Some(write), &journal_path).await;
    update(&mut c.app, Action::GotoPane(Pane::Resolver));
    c.typed(":create-endpoint");
    c.key(KeyCode::Enter);
    let Mode::Workflow(w) = &mut c.app.mode else {
        panic!("no form: {:?}", c.app.status)
    };
    // Choose the VPC and its subnets (the pick lists hold every VPC/subnet of the region).
    w.form.set("vpc", &v);
    w.form.set("ip1_subnet", &s1);
    w.form.set("ip2_subnet", &s2);
    // The security group comes from the pick list (DescribeSecurityGroups).
    let Some(crossconnect::workflows::form::FieldKind::Choice(sgs)) = w
        .form
        .fields
        .iter()
        .find(|f| f.key == "security_groups")
        .map(|f| f.kind.clone())
    else {
        panic!("security groups are a pick list")
    };
    assert!(sgs.iter().any(|(id, _)| *id == sg), "{sg} offered: {sgs:?}");
    w.form.set("security_groups", &sg);
    w.form.focus = 1;
    c.typed("hub-inbound");
    c.key(KeyCode::Enter);
    let Some(Stage::Plan { plan, .. }) = c.stage() else {
        panic!("no plan: {:?}", c.app.mode)
    };
    assert_eq!(plan.operation(), "CreateResolverEndpoint");
    let crid = plan
        .params()
        .iter()
        .find(|(k, _)| k == "CreatorRequestId")
        .unwrap()
        .1
        .clone();
    assert!(crid.starts_with("crossconnect-"));
    let outcome = c.confirm().await;
    assert!(outcome.success, "{outcome:?}");
    c.pump(|a| {
        a.estate
            .region(region)
            .unwrap()
            .resolver_endpoints
            .items
            .iter()
            .any(|e| e.name == "hub-inbound")
    })
    .await;
    let creates: Vec<_> = write_guard
        .log
        .entries()
        .into_iter()
        .filter(|o| o.ends_with(":CreateResolverEndpoint"))
        .collect();
    assert_eq!(creates.len(), 1, "{creates:?}");
    let entries = journal::read(&journal_path).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].operation,
        "route53resolver:CreateResolverEndpoint"
    );
    assert_eq!(entries[0].parameters["CreatorRequestId"], crid);
    // For an auditor: what was created, by whom, from where.
    assert!(
        entries[0]
            .created_id
            .as_deref()
            .is_some_and(|id| id.starts_with("rslvr-")),
        "{:?}",
        entries[0]
    );
    assert_eq!(
        entries[0].caller_arn.as_deref(),
        Some("arn:aws:iam::123456789012:user/change-engineer")
    );
    assert_eq!(entries[0].host.as_deref(), Some("test-host"));
    assert_eq!(entries[0].ticket.as_deref(), Some("CHG-42"));
    let undo = entries[0].undo.clone().unwrap_or_default();
    assert!(
        undo.starts_with("route53resolver:DeleteResolverEndpoint")
            && undo.contains(entries[0].created_id.as_deref().unwrap()),
        "{undo}"
    );
}

pub(crate) fn target(region: &str, kind: crossconnect::model::ResourceKind, id: &str) -> Target {
    Target {
        account: String::new(),
        region: region.into(),
        resource: Some((kind, id.into())),
        caller_account: None,
    }
}

#[tokio::test]
async fn peering_reject_and_delete_and_tgw_routes_through_the_executor() {
    let Some(moto) = moto_url() else { return };
    let region = "ap-northeast-1";
    let w = clients(region, &moto, &moto, &moto, &writer()).await;
    let ro = clients(region, &moto, &moto, &moto, &OperationGuard::read_only()).await;
    let (a, b, c3) = (
        create_vpc(&w.ec2, "10.130.0.0/16").await,
        create_vpc(&w.ec2, "10.131.0.0/16").await,
        create_vpc(&w.ec2, "10.132.0.0/16").await,
    );
    let p1 = create_peering(&w.ec2, &a, &b).await;
    let p2 = create_peering(&w.ec2, &a, &c3).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = JournalContext {
        path: dir.path().join("j.jsonl"),
        ..Default::default()
    };
    let e = poll(&ro, Service::Ec2).await;
    let form = |k| {
        workflows::form_for(
            k,
            &e,
            &target(region, crossconnect::model::ResourceKind::VpcPeerings, &p1),
        )
        .unwrap()
    };
    let reject = workflows::plan_for(
        WorkflowKind::RejectPeering,
        &e,
        &target(region, crossconnect::model::ResourceKind::VpcPeerings, &p1),
        &form(WorkflowKind::RejectPeering),
        &Intent::new(),
    )
    .unwrap();
    assert!(reject.destructive && reject.confirm_with == p1);
    assert!(exec::execute(&w, &reject, &ctx).await.success);
    let delete = workflows::plan_for(
        WorkflowKind::DeletePeering,
        &e,
        &target(region, crossconnect::model::ResourceKind::VpcPeerings, &p2),
        &workflows::form::Form::default(),
        &Intent::new(),
    )
    .unwrap();
    assert!(exec::execute(&w, &delete, &ctx).await.success);
    let after = poll(&ro, Service::Ec2).await;
    let state = |id: &str| {
        after
            .region(region)
            .unwrap()
            .vpc_peerings
            .items
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.state.to_string())
    };
    assert_eq!(state(&p1).as_deref(), Some("rejected"));
    assert!(
        matches!(state(&p2).as_deref(), Some("deleted") | None),
        "{:?}",
        state(&p2)
    );

    let s = create_subnet(&w.ec2, &a, "10.130.1.0/24", "ap-northeast-1a").await;
    let (_, att, rtb) = tgw_attached(&w.ec2, &a, &s).await;
    let e = poll(&ro, Service::Ec2).await;
    let t = target(
        region,
        crossconnect::model::ResourceKind::TgwRouteTables,
        &rtb,
    );
    let mut f = workflows::form_for(WorkflowKind::AddRoute, &e, &t).unwrap();
    f.set("cidr", "10.200.0.0/16");
    f.set("target", &att);
    let add = workflows::plan_for(WorkflowKind::AddRoute, &e, &t, &f, &Intent::new()).unwrap();
    assert!(!add.destructive);
    assert!(exec::execute(&w, &add, &ctx).await.success);
    f.set("cidr", "10.201.0.0/16");
    f.set("target", "blackhole");
    let bh = workflows::plan_for(WorkflowKind::AddRoute, &e, &t, &f, &Intent::new()).unwrap();
    assert!(bh.destructive, "a blackhole needs the route table id typed");
    assert!(exec::execute(&w, &bh, &ctx).await.success);
    let e = poll(&ro, Service::Ec2).await;
    let route = |e: &Estate, cidr: &str| {
        e.region(region)
            .unwrap()
            .tgw_routes
            .items
            .iter()
            .find(|r| r.route_table_id == rtb && r.destination == cidr)
            .map(|r| r.state.to_string())
    };
    assert_eq!(route(&e, "10.200.0.0/16").as_deref(), Some("active"));
    assert_eq!(route(&e, "10.201.0.0/16").as_deref(), Some("blackhole"));
    let del = workflows::plan_for(
        WorkflowKind::DeleteRoute,
        &e,
        &target(
            region,
            crossconnect::model::ResourceKind::TgwRoutes,
            &format!("{rtb}|10.200.0.0/16"),
        ),
        &workflows::form::Form::default(),
        &Intent::new(),
    )
    .unwrap();
    assert_eq!(del.confirm_with, "10.200.0.0/16");
    assert!(exec::execute(&w, &del, &ctx).await.success);
    assert_eq!(route(&poll(&ro, Service::Ec2).await, "10.200.0.0/16"), None);
    assert_eq!(
        journal::read(&ctx.path).unwrap().len(),
        5,
        "one line per executed change"
    );
}

#[tokio::test]
async fn forwarding_rule_creation_and_association_through_the_executor() {
    let Some(moto) = moto_url() else { return };
    let region = "eu-west-3";
    let w = clients(region, &moto, &moto, &moto, &writer()).await;
    let ro = clients(region, &moto, &moto, &moto, &OperationGuard::read_only()).await;
    let v = create_vpc(&w.ec2, "10.140.0.0/16").await;
    let s1 = create_subnet(&w.ec2, &v, "10.140.1.0/24", "eu-west-3a").await;
    let s2 = create_subnet(&w.ec2, &v, "10.140.2.0/24", "eu-west-3b").await;
    let sg = w
        .ec2
        .create_security_group()
        .group_name("r")
        .description("r")
        .vpc_id(&v)
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();
    let ctx = JournalContext {
        path: tempfile::tempdir().unwrap().keep().join("j.jsonl"),
        ..Default::default()
    };
    let mut e = poll(&ro, Service::Ec2).await;
    let t = Target {
        account: String::new(),
        region: region.into(),
        resource: None,
        caller_account: None,
    };
    let mut f = workflows::form_for(WorkflowKind::CreateEndpoint, &e, &t).unwrap();
    for (k, val) in [
        ("direction", "OUTBOUND"),
        ("name", "out"),
        ("vpc", v.as_str()),
        ("security_groups", sg.as_str()),
        ("ip1_subnet", s1.as_str()),
        ("ip2_subnet", s2.as_str()),
    ] {
        f.set(k, val);
    }
    let ep = workflows::plan_for(WorkflowKind::CreateEndpoint, &e, &t, &f, &Intent::new()).unwrap();
    let out = exec::execute(&w, &ep, &ctx).await;
    assert!(out.success, "{out:?}");
    for u in {
        let mut v = vec![];
        poll_service(&ro, Service::Resolver, &mut |u| v.push(u)).await;
        v
    } {
        e.apply(u);
    }
    let rule_name = format!("corp-{}", &uuid::Uuid::new_v4().to_string()[..8]);
    let mut f = workflows::form_for(WorkflowKind::CreateRule, &e, &t).unwrap();
    f.set("name", &rule_name);
    f.set("domain", "corp.example.com");
    f.set("targets", "10.10.0.2, 10.10.0.3:5353");
    let rule = workflows::plan_for(WorkflowKind::CreateRule, &e, &t, &f, &Intent::new()).unwrap();
    assert!(exec::execute(&w, &rule, &ctx).await.success);
    let e = poll(&ro, Service::Resolver).await;
    let r = e
        .region(region)
        .unwrap()
        .resolver_rules
        .items
        .iter()
        .find(|r| r.name == rule_name)
        .expect("rule created");
    assert_eq!(r.target_ips, vec!["10.10.0.2:53", "10.10.0.3:5353"]);
    let mut e2 = poll(&ro, Service::Ec2).await;
    for u in {
        let mut v = vec![];
        poll_service(&ro, Service::Resolver, &mut |u| v.push(u)).await;
        v
    } {
        e2.apply(u);
    }
    let t = target(
        region,
        crossconnect::model::ResourceKind::ResolverRules,
        &r.id,
    );
    let mut f = workflows::form_for(WorkflowKind::AssociateRule, &e2, &t).unwrap();
    f.set("vpc", &v);
    let assoc =
        workflows::plan_for(WorkflowKind::AssociateRule, &e2, &t, &f, &Intent::new()).unwrap();
    assert!(exec::execute(&w, &assoc, &ctx).await.success);
    let e = poll(&ro, Service::Resolver).await;
    let assocs = &e.region(region).unwrap().resolver_rule_associations;
    assert!(
        assocs
            .items
            .iter()
            .any(|a| a.resolver_rule_id == r.id && a.vpc_id == v),
        "{assocs:?} rule {} vpc {v}",
        r.id
    );
}

/// `--plan-out` then `apply`: the plan file sends the same call once; a plan whose target
/// changed meanwhile is refused, naming the change.
#[tokio::test]
async fn a_written_plan_is_applied_once_and_refused_when_its_target_changed() {
    let Some(moto) = moto_url() else { return };
    let region = "ap-northeast-2";
    let w = clients(region, &moto, &moto, &moto, &writer()).await;
    let ro = clients(region, &moto, &moto, &moto, &OperationGuard::read_only()).await;
    let vpc = create_vpc(&w.ec2, "10.140.0.0/16").await;
    let s = create_subnet(&w.ec2, &vpc, "10.140.1.0/24", "ap-northeast-2a").await;
    let (_, att, rtb) = tgw_attached(&w.ec2, &vpc, &s).await;
    let dir = tempfile::tempdir().unwrap();
    let write_plan = |cidr: &str, e: &Estate, file: &std::path::Path| {
        let t = target(
            region,
            crossconnect::model::ResourceKind::TgwRouteTables,
            &rtb,
        );
        let mut f = workflows::form_for(WorkflowKind::AddRoute, e, &t).unwrap();
        f.set("cidr", cidr);
        f.set("target", &att);
        let plan = workflows::plan_for(WorkflowKind::AddRoute, e, &t, &f, &Intent::new()).unwrap();
        workflows::planfile::write(
            file,
            &plan,
            &t,
            workflows::planfile::target_state(e, &t),
            e.revision,
        )
        .unwrap();
    };
    let apply = |file: std::path::PathBuf| {
        let (moto, state) = (moto.clone(), dir.path().join("state"));
        async move {
            tokio::task::spawn_blocking(move || {
                let o = crate::cli::run(
                    crate::cli::bin()
                        .args(["apply", "--write", "--region", region])
                        .arg(&file)
                        .env("XDG_STATE_HOME", state)
                        .env("AWS_ENDPOINT_URL", &moto)
                        .env("AWS_ACCESS_KEY_ID", "testing")
                        .env("AWS_SECRET_ACCESS_KEY", "testing"),
                );
                (
                    o.status.code(),
                    crate::cli::text(&o.stdout),
                    crate::cli::text(&o.stderr),
                )
            })
            .await
            .unwrap()
        }
    };
    let e = poll(&ro, Service::Ec2).await;
    let one = dir.path().join("one.json");
    write_plan("10.210.0.0/16", &e, &one);
    let file = std::fs::read_to_string(&one).unwrap();
    assert!(file.contains("CreateTransitGatewayRoute") && file.contains("10.210.0.0/16"));
    let (code, out, err) = apply(one).await;
    assert_eq!(code, Some(0), "{out} {err}");
    let after = poll(&ro, Service::Ec2).await;
    let routes: Vec<_> = after
        .region(region)
        .unwrap()
        .tgw_routes
        .items
        .iter()
        .filter(|r| r.route_table_id == rtb && r.destination == "10.210.0.0/16")
        .collect();
    assert_eq!(routes.len(), 1, "the plan's call, sent once");
    // A second plan; the route table is renamed before it is applied: refused, named.
    let two = dir.path().join("two.json");
    write_plan("10.211.0.0/16", &after, &two);
    w.ec2
        .create_tags()
        .resources(&rtb)
        .tags(
            aws_sdk_ec2::types::Tag::builder()
                .key("Name")
                .value("renamed-meanwhile")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let (code, out, err) = apply(two).await;
    assert_eq!(code, Some(1), "{out} {err}");
    assert!(
        err.contains("the target changed") && err.contains("renamed-meanwhile"),
        "{err}"
    );
    let last = poll(&ro, Service::Ec2).await;
    assert!(
        !last
            .region(region)
            .unwrap()
            .tgw_routes
            .items
            .iter()
            .any(|r| r.destination == "10.211.0.0/16"),
        "nothing was sent"
    );
}

/// A transit gateway with `vpc` attached (through `subnet`) and one route table: `(tgw,
/// attachment, route table)`.
async fn tgw_attached(
    ec2: &aws_sdk_ec2::Client,
    vpc: &str,
    subnet: &str,
) -> (String, String, String) {
    let tgw = create_tgw(ec2).await;
    let att = vpc_attachment(ec2, &tgw, vpc, subnet).await;
    let rtb = ec2
        .create_transit_gateway_route_table()
        .transit_gateway_id(&tgw)
        .send()
        .await
        .unwrap()
        .transit_gateway_route_table()
        .unwrap()
        .transit_gateway_route_table_id()
        .unwrap()
        .to_string();
    (tgw, att, rtb)
}
