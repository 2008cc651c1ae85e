//! Change workflows end to end: through the TUI against moto with write clients, the
//! executor against moto and wire fixtures, the journal, idempotency and validation.

use crate::common;

use std::time::Duration;

use common::*;
use crossconnect::action::{Action, Pane};
use crossconnect::app::{App, DryRunVerdict, Effect, Mode, Session, Stage, key_action, update};
use crossconnect::aws::{OperationGuard, RegionClients};
use crossconnect::event::{Runner, execute};
use crossconnect::model::{Estate, Service};
use crossconnect::source::{SourceHandle, SourceMsg, poll_service, spawn_aws};
use crossconnect::ui::theme::Theme;
use crossconnect::view::table::TableId;
use crossconnect::workflows::exec::{self, JournalContext};
use crossconnect::workflows::{self, Call, Intent, Target, WorkflowKind, journal};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::UnboundedReceiver;

fn writer() -> OperationGuard {
    OperationGuard {
        allow_writes: true,
        ..Default::default()
    }
}

async fn poll(c: &RegionClients, service: Service) -> Estate {
    let mut e = Estate::with_regions(&[c.region.as_str()]);
    let mut v = vec![];
    poll_service(c, service, &mut |u| v.push(u)).await;
    for u in v {
        e.apply(u);
    }
    e
}

struct Console {
    app: App,
    rx: UnboundedReceiver<SourceMsg>,
    handle: SourceHandle,
    runner: Runner,
}

impl Console {
    async fn start(
        region: &str,
        read: RegionClients,
        write: RegionClients,
        journal: &std::path::Path,
    ) -> Console {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let runner = Runner {
            read: vec![read.clone()],
            write: Some(vec![write]),
            journal: JournalContext {
                path: journal.to_path_buf(),
                profile: Some("test".into()),
                account: None,
            },
            demo: false,
            tx: tx.clone(),
        };
        let handle = spawn_aws(vec![read], Duration::from_secs(3600), tx);
        let session = Session {
            write: true,
            regions: vec![region.into()],
            refresh: Duration::from_secs(3600),
            journal: journal.to_path_buf(),
            ..Default::default()
        };
        let mut c = Console {
            app: App::new(session, chrono::Utc::now()),
            rx,
            handle,
            runner,
        };
        c.pump(|a| {
            a.estate.regions.values().all(|r| {
                r.resolver_rule_associations.refreshed_at.is_some()
                    && r.tgw_propagations.refreshed_at.is_some()
            })
        })
        .await;
        c
    }

    fn key(&mut self, code: KeyCode) {
        if let Some(a) = key_action(&self.app, KeyEvent::new(code, KeyModifiers::NONE)) {
            let effects = update(&mut self.app, a);
            execute(effects, &self.handle, &self.runner);
        }
    }

    fn typed(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    async fn pump(&mut self, until: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while !until(&self.app) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(m)) => {
                    let effects = update(&mut self.app, Action::Source(m));
                    execute(effects, &self.handle, &self.runner);
                }
                _ => panic!(
                    "timed out; mode {:?}; status {:?}",
                    self.app.mode, self.app.status
                ),
            }
        }
    }

    fn select(&mut self, pane: Pane, table: TableId, id: &str) {
        update(&mut self.app, Action::GotoPane(pane));
        while self.app.current_table() != Some(table) {
            update(&mut self.app, Action::NextTab);
        }
        self.app.sync();
        let v = self.app.view_mut(table);
        v.selected = v
            .visible
            .iter()
            .position(|&i| v.rows[i].id == id)
            .unwrap_or_else(|| panic!("{id} not listed"));
    }

    /// Presses `y` on the plan and waits for the result.
    async fn confirm(&mut self) -> exec::Outcome {
        self.key(KeyCode::Char('y'));
        self.pump(
            |a| matches!(&a.mode, Mode::Workflow(w) if matches!(w.stage, Stage::Done { .. })),
        )
        .await;
        match self.stage() {
            Some(Stage::Done { outcome, .. }) => outcome.clone(),
            s => unreachable!("{s:?}"),
        }
    }

    fn stage(&self) -> Option<&Stage> {
        match &self.app.mode {
            Mode::Workflow(w) => Some(&w.stage),
            _ => None,
        }
    }
}

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
    let mut c = Console::start(region, read, write, &journal_path).await;
    c.select(Pane::Peering, TableId::Peerings, &pcx);
    c.key(KeyCode::Char('a'));
    let Some(Stage::Plan { plan, .. }) = c.stage() else {
        panic!("no plan: {:?} {:?}", c.app.mode, c.app.status)
    };
    assert_eq!(plan.operation, "AcceptVpcPeeringConnection");
    assert!(plan.dry_run);
    assert!(
        write_guard.log.entries().is_empty(),
        "nothing is sent before confirmation"
    );
    let outcome = c.confirm().await;
    assert!(outcome.success, "{outcome:?}");
    // The success triggers a refresh; the next poll shows the peering active.
    c.pump(|a| {
        a.estate.regions[region]
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
    let mut c = Console::start(region, read, write, &journal_path).await;
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
    assert_eq!(plan.operation, "CreateResolverEndpoint");
    let crid = plan
        .params
        .iter()
        .find(|(k, _)| k == "CreatorRequestId")
        .unwrap()
        .1
        .clone();
    assert!(crid.starts_with("crossconnect-"));
    let outcome = c.confirm().await;
    assert!(outcome.success, "{outcome:?}");
    c.pump(|a| {
        a.estate.regions[region]
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
}

fn target(region: &str, kind: crossconnect::model::ResourceKind, id: &str) -> Target {
    Target {
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
        after.regions[region]
            .vpc_peerings
            .items
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.state.clone())
    };
    assert_eq!(state(&p1).as_deref(), Some("rejected"));
    assert!(
        matches!(state(&p2).as_deref(), Some("deleted") | None),
        "{:?}",
        state(&p2)
    );

    let tgw = w
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
    let s = create_subnet(&w.ec2, &a, "10.130.1.0/24", "ap-northeast-1a").await;
    let att = w
        .ec2
        .create_transit_gateway_vpc_attachment()
        .transit_gateway_id(&tgw)
        .vpc_id(&a)
        .subnet_ids(s)
        .send()
        .await
        .unwrap()
        .transit_gateway_vpc_attachment()
        .unwrap()
        .transit_gateway_attachment_id()
        .unwrap()
        .to_string();
    let rtb = w
        .ec2
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
        e.regions[region]
            .tgw_routes
            .items
            .iter()
            .find(|r| r.route_table_id == rtb && r.destination == cidr)
            .map(|r| r.state.clone())
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
    let r = e.regions[region]
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
    let assocs = &e.regions[region].resolver_rule_associations;
    assert!(
        assocs
            .items
            .iter()
            .any(|a| a.resolver_rule_id == r.id && a.vpc_id == v),
        "{assocs:?} rule {} vpc {v}",
        r.id
    );
}

#[tokio::test]
async fn direct_connect_and_dns_firewall_changes_against_wire_fixtures() {
    let created = r#"{"ownerAccount":"123456789012","virtualInterfaceId":"dxvif-fxnew001","virtualInterfaceState":"pending","vlan":420}"#;
    let server = fixture_server(&[]).await;
    for (op, body) in [
        (
            "CreateTransitVirtualInterface",
            format!(r#"{{"virtualInterface":{created}}}"#),
        ),
        (
            "DeleteVirtualInterface",
            r#"{"virtualInterfaceState":"deleting"}"#.to_string(),
        ),
        (
            "ConfirmConnection",
            r#"{"connectionState":"pending"}"#.to_string(),
        ),
        (
            "StartBgpFailoverTest",
            r#"{"virtualInterfaceTest":{"testId":"t-1","status":"in_progress"}}"#.to_string(),
        ),
    ] {
        mount(&server, &format!("OvertureService.{op}"), body).await;
    }
    for (op, body) in [
        (
            "UpdateFirewallRule",
            r#"{"FirewallRule":{"FirewallRuleGroupId":"rslvr-frg-fx0123456789ab","Priority":100}}"#,
        ),
        (
            "UpdateFirewallConfig",
            r#"{"FirewallConfig":{"Id":"rslvr-fc-fx0123456789ab","FirewallFailOpen":"DISABLED"}}"#,
        ),
    ] {
        mount(&server, &format!("Route53Resolver.{op}"), body.to_string()).await;
    }
    let w = clients(
        REGION,
        &server.uri(),
        &server.uri(),
        &server.uri(),
        &writer(),
    )
    .await;
    let mut e = Estate::with_regions(&[REGION]);
    for s in [Service::DirectConnect, Service::DnsFirewall] {
        let mut v = vec![];
        poll_service(&w, s, &mut |u| v.push(u)).await;
        for u in v {
            e.apply(u);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let ctx = JournalContext {
        path: dir.path().join("journal.jsonl"),
        ..Default::default()
    };

    let t = target(
        REGION,
        crossconnect::model::ResourceKind::DxConnections,
        "dxcon-fx0a1b2c",
    );
    let mut f = workflows::form_for(WorkflowKind::CreateVif, &e, &t).unwrap();
    for (k, v) in [
        ("type", "transit"),
        ("name", "fra-transit-2"),
        ("vlan", "420"),
        ("asn", "65100"),
        ("amazon_address", "169.254.120.1/30"),
        ("customer_address", "169.254.120.2/30"),
        ("auth_key", "JOURNAL-SECRET-7"),
        ("mtu", "8500"),
        ("gateway", "dxgw:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
    ] {
        f.set(k, v);
    }
    let vif = workflows::plan_for(WorkflowKind::CreateVif, &e, &t, &f, &Intent::new()).unwrap();
    assert!(
        !format!("{vif:?}").contains("JOURNAL-SECRET-7"),
        "the plan's Debug masks the key"
    );
    assert!(exec::execute(&w, &vif, &ctx).await.success);
    let confirm = workflows::plan_for(
        WorkflowKind::Confirm,
        &e,
        &target(
            REGION,
            crossconnect::model::ResourceKind::DxConnections,
            "dxcon-fxhosted1",
        ),
        &workflows::form_for(
            WorkflowKind::Confirm,
            &e,
            &target(
                REGION,
                crossconnect::model::ResourceKind::DxConnections,
                "dxcon-fxhosted1",
            ),
        )
        .unwrap(),
        &Intent::new(),
    )
    .unwrap();
    assert!(exec::execute(&w, &confirm, &ctx).await.success);
    let vt = target(
        REGION,
        crossconnect::model::ResourceKind::DxVirtualInterfaces,
        "dxvif-fxsecret1",
    );
    let test = workflows::plan_for(
        WorkflowKind::FailoverTest,
        &e,
        &vt,
        &workflows::form_for(WorkflowKind::FailoverTest, &e, &vt).unwrap(),
        &Intent::new(),
    )
    .unwrap();
    assert!(test.destructive);
    assert!(exec::execute(&w, &test, &ctx).await.success);
    let del = workflows::plan_for(
        WorkflowKind::DeleteVif,
        &e,
        &vt,
        &workflows::form::Form::default(),
        &Intent::new(),
    )
    .unwrap();
    assert!(exec::execute(&w, &del, &ctx).await.success);
    let rt = target(
        REGION,
        crossconnect::model::ResourceKind::FirewallRules,
        "rslvr-frg-fx0123456789ab|100",
    );
    let mut f = workflows::form_for(WorkflowKind::EditFirewallRule, &e, &rt).unwrap();
    f.set("redirection", "TRUST_REDIRECTION_DOMAIN");
    let edit =
        workflows::plan_for(WorkflowKind::EditFirewallRule, &e, &rt, &f, &Intent::new()).unwrap();
    assert!(exec::execute(&w, &edit, &ctx).await.success);
    let ct = target(
        REGION,
        crossconnect::model::ResourceKind::FirewallConfigs,
        "rslvr-fc-fx0123456789ab",
    );
    let mut f = workflows::form_for(WorkflowKind::FailOpen, &e, &ct).unwrap();
    f.set("fail_open", "DISABLED");
    let fo = workflows::plan_for(WorkflowKind::FailOpen, &e, &ct, &f, &Intent::new()).unwrap();
    assert!(exec::execute(&w, &fo, &ctx).await.success);

    // What reached AWS: the key went to AWS (that is its purpose), the redirection action too.
    let bodies: Vec<(String, String)> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.headers
                    .get("x-amz-target")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string(),
                String::from_utf8_lossy(&r.body).into_owned(),
            )
        })
        .collect();
    let body = |op: &str| {
        bodies
            .iter()
            .find(|(t, _)| t.ends_with(op))
            .map(|(_, b)| b.clone())
            .unwrap_or_default()
    };
    assert!(
        body("CreateTransitVirtualInterface").contains("\"vlan\":420")
            && body("CreateTransitVirtualInterface").contains("JOURNAL-SECRET-7")
    );
    assert!(body("UpdateFirewallRule").contains("TRUST_REDIRECTION_DOMAIN"));
    assert!(body("StartBgpFailoverTest").contains("\"testDurationInMinutes\":180"));
    // The journal, written ahead: an intent line before each call and its outcome after it,
    // no secret.
    let text = std::fs::read_to_string(&ctx.path).unwrap();
    let phases: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<journal::JournalEntry>(l)
                .unwrap()
                .phase
        })
        .collect();
    assert_eq!(phases.len(), 12);
    assert!(
        phases
            .chunks(2)
            .all(|p| p[0] == journal::INTENT && p[1] == journal::OUTCOME),
        "{phases:?}"
    );
    assert!(!text.contains("JOURNAL-SECRET-7"));
    let entries = journal::read(&ctx.path).unwrap();
    assert_eq!(entries.len(), 6);
    assert_eq!(entries[0].parameters["authKey"], "********");
    assert!(entries.iter().all(|e| e.outcome == "success"));
}

async fn mount(server: &wiremock::MockServer, target: &str, body: String) {
    wiremock::Mock::given(wiremock::matchers::header("x-amz-target", target))
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_raw(body, "application/x-amz-json-1.1"),
        )
        .with_priority(1)
        .mount(server)
        .await;
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
    let w = clients(
        REGION,
        &server.uri(),
        &server.uri(),
        &server.uri(),
        &writer(),
    )
    .await;
    let intent = Intent::new();
    let call = Call::CreateResolverEndpoint {
        creator_request_id: intent.creator_request_id.clone(),
        name: "x".into(),
        direction: "INBOUND".into(),
        security_group_ids: vec!["sg-1".into()],
        ips: vec![("subnet-a".into(), None), ("subnet-b".into(), None)],
        protocols: vec!["Do53".into()],
        endpoint_type: "IPV4".into(),
    };
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
async fn loa_writes_exactly_the_bytes_aws_returned_from_the_cli_and_the_tui() {
    use base64::Engine as _;
    let server = fixture_server(&[]).await;
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/directconnect/DescribeLoa.json")).unwrap();
    let expected = base64::engine::general_purpose::STANDARD
        .decode(fixture["loaContent"].as_str().unwrap())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.pdf");
    let status = tokio::process::Command::new(env!("CARGO_BIN_EXE_crossconnect"))
        .args(["loa", "dxcon-fx0a1b2c", "--region", REGION, "--output"])
        .arg(&out)
        .env("AWS_ENDPOINT_URL", server.uri())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("HOME", dir.path())
        .env("XDG_STATE_HOME", dir.path())
        .status()
        .await
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read(&out).unwrap(), expected);

    // The TUI key: L on the selected connection, Enter to review, y to save.
    let read = clients(
        REGION,
        &server.uri(),
        &server.uri(),
        &server.uri(),
        &OperationGuard::read_only(),
    )
    .await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner {
        read: vec![read.clone()],
        write: None,
        journal: JournalContext::default(),
        demo: false,
        tx: tx.clone(),
    };
    let handle = spawn_aws(vec![read], Duration::from_secs(3600), tx);
    let session = Session {
        regions: vec![REGION.into()],
        refresh: Duration::from_secs(3600),
        ..Default::default()
    };
    let mut app = App::new(session, chrono::Utc::now());
    while app.estate.regions[REGION].dx_connections.items.is_empty() {
        let m = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .unwrap()
            .unwrap();
        update(&mut app, Action::Source(m));
    }
    update(&mut app, Action::GotoPane(Pane::Dx));
    let press = |app: &mut App, c: KeyCode| {
        let a = key_action(app, KeyEvent::new(c, KeyModifiers::NONE)).unwrap();
        let effects = update(app, a);
        execute(effects, &handle, &runner);
    };
    press(&mut app, KeyCode::Char('L'));
    let tui_out = dir.path().join("tui.pdf");
    if let Mode::Workflow(w) = &mut app.mode {
        w.form.set("path", tui_out.to_str().unwrap());
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    loop {
        let m = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .unwrap()
            .unwrap();
        let done = matches!(m, SourceMsg::WorkflowDone { .. });
        update(&mut app, Action::Source(m));
        if done {
            break;
        }
    }
    assert_eq!(std::fs::read(&tui_out).unwrap(), expected);
}

#[test]
fn invalid_input_is_refused_with_the_field_named_and_nothing_is_sent() {
    let now = chrono::Utc::now();
    let session = Session {
        write: true,
        regions: vec!["us-east-1".into(), "eu-west-2".into()],
        refresh: Duration::from_secs(30),
        ..Default::default()
    };
    let mut app = App::new(session, now);
    for u in crossconnect::demo::updates(0, now, &[]) {
        update(&mut app, Action::Source(SourceMsg::Update(u)));
    }
    let submit =
        |app: &mut App, fill: &dyn Fn(&mut workflows::form::Form)| -> (Vec<Effect>, String) {
            if let Mode::Workflow(w) = &mut app.mode {
                fill(&mut w.form);
            }
            let effects = update(app, Action::Submit);
            let Mode::Workflow(w) = &app.mode else {
                panic!("form closed")
            };
            (effects, w.error.clone().unwrap_or_default())
        };
    // VLAN 5000 on a new VIF.
    update(&mut app, Action::GotoPane(Pane::Dx));
    update(&mut app, Action::StartWorkflow(WorkflowKind::CreateVif));
    let (effects, err) = submit(&mut app, &|f| {
        for (k, v) in [("name", "x"), ("vlan", "5000"), ("asn", "65000")] {
            f.set(k, v);
        }
    });
    assert!(effects.is_empty() && err.starts_with("VLAN:"), "{err}");
    update(&mut app, Action::Back);
    // An IP outside its subnet, then a single IP, on a new Resolver endpoint.
    update(&mut app, Action::GotoPane(Pane::Resolver));
    update(
        &mut app,
        Action::StartWorkflow(WorkflowKind::CreateEndpoint),
    );
    let (effects, err) = submit(&mut app, &|f| {
        for (k, v) in [
            ("name", "x"),
            ("security_groups", "sg-0123"),
            ("vpc", "vpc-0e1f2a3b4c5d60002"),
            ("ip1_subnet", "subnet-0ee1111111111a001"),
            ("ip1", "10.99.9.9"),
            ("ip2_subnet", "subnet-0ee1111111111b001"),
        ] {
            f.set(k, v);
        }
    });
    assert!(
        effects.is_empty() && err.starts_with("IP 1 address:") && err.contains("outside subnet"),
        "{err}"
    );
    let (effects, err) = submit(&mut app, &|f| {
        f.set("ip1", "");
        f.set("ip2_subnet", "");
    });
    assert!(
        effects.is_empty() && err.starts_with("IP addresses:") && err.contains("2 to 6"),
        "{err}"
    );
    assert!(matches!(&app.mode, Mode::Workflow(w) if w.stage == Stage::Form));
}

#[tokio::test]
async fn executed_changes_say_they_were_journaled_and_refusals_do_not() {
    let server = fixture_server(&[]).await;
    let w = clients(
        REGION,
        &server.uri(),
        &server.uri(),
        &server.uri(),
        &writer(),
    )
    .await;
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
    let p = workflows::Plan {
        dry_run: true,
        ..del.clone()
    };
    let p = workflows::Plan {
        call: Call::AcceptPeering { id: "pcx-0".into() },
        service: "ec2",
        operation: "AcceptVpcPeeringConnection",
        ..p
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

/// Against AWS's own endpoints (`dry_run_in_plan`), the plan screen sends the EC2 call with
/// `DryRun` and shows the verdict before anything is confirmed; confirming sends the DryRun
/// again and then the change. The EC2 endpoint here answers the way AWS documents: HTTP 412
/// with the `DryRunOperation` error for a DryRun request.
#[tokio::test]
async fn on_aws_endpoints_the_plan_shows_the_dry_run_verdict_before_confirmation() {
    use wiremock::matchers::{body_string_contains, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let pcx = "pcx-0b22c33d44e55f662";
    let ec2 = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("DryRun=true"))
        .respond_with(ResponseTemplate::new(412).set_body_string(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>DryRunOperation</Code><Message>Request would have succeeded, but DryRun flag is set.</Message></Error></Errors><RequestID>5ec0-dry</RequestID></Response>",
        ))
        .with_priority(1)
        .mount(&ec2)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            "<AcceptVpcPeeringConnectionResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>5ec0-real</requestId><vpcPeeringConnection><vpcPeeringConnectionId>{pcx}</vpcPeeringConnectionId><status><code>active</code><message>Active</message></status></vpcPeeringConnection></AcceptVpcPeeringConnectionResponse>"
        )))
        .with_priority(2)
        .mount(&ec2)
        .await;

    // The demo estate as the model (no polling); its pending peering is the target.
    let now = chrono::Utc::now();
    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let session = Session {
        write: true,
        dry_run_in_plan: true,
        regions: crossconnect::demo::REGIONS.map(String::from).to_vec(),
        refresh: Duration::from_secs(3600),
        journal: journal_path.clone(),
        ..Default::default()
    };
    let mut app = App::new(session, now);
    for u in crossconnect::demo::updates(0, now, &[]) {
        update(&mut app, Action::Source(SourceMsg::Update(u)));
    }
    let region = app
        .estate
        .regions
        .iter()
        .find(|(_, r)| r.vpc_peerings.items.iter().any(|p| p.id == pcx))
        .map(|(r, _)| r.clone())
        .expect("demo pending peering");
    let guard = writer();
    let write = clients(&region, &ec2.uri(), &ec2.uri(), &ec2.uri(), &guard).await;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner {
        read: vec![],
        write: Some(vec![write]),
        journal: JournalContext {
            path: journal_path.clone(),
            profile: None,
            account: None,
        },
        demo: false,
        tx: tx.clone(),
    };
    let handle = spawn_aws(vec![], Duration::from_secs(3600), tx);
    let mut c = Console {
        app,
        rx,
        handle,
        runner,
    };
    c.select(Pane::Peering, TableId::Peerings, pcx);
    c.key(KeyCode::Char('a'));
    assert!(
        matches!(
            c.stage(),
            Some(Stage::Plan {
                dry_run: DryRunVerdict::Waiting,
                ..
            })
        ),
        "{:?}",
        c.stage()
    );
    c.pump(|a| {
        matches!(&a.mode, Mode::Workflow(w)
            if matches!(&w.stage, Stage::Plan { dry_run, .. } if *dry_run != DryRunVerdict::Waiting))
    })
    .await;
    assert!(
        matches!(
            c.stage(),
            Some(Stage::Plan {
                dry_run: DryRunVerdict::WouldSucceed,
                ..
            })
        ),
        "{:?}",
        c.stage()
    );
    let screen = {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(140, 30)).unwrap();
        t.draw(|f| crossconnect::ui::draw(f, &mut c.app, &Theme::load(None, false).unwrap()))
            .unwrap();
        format!("{:?}", t.backend())
    };
    assert!(screen.contains("Dry run: would succeed"), "{screen}");
    let bodies = |reqs: Vec<wiremock::Request>| -> Vec<String> {
        reqs.iter()
            .map(|r| String::from_utf8_lossy(&r.body).to_string())
            .collect()
    };
    let sent = bodies(ec2.received_requests().await.unwrap());
    assert_eq!(sent.len(), 1, "one dry run before confirmation: {sent:?}");
    assert!(
        sent[0].contains("Action=AcceptVpcPeeringConnection") && sent[0].contains("DryRun=true")
    );
    assert!(!journal_path.exists(), "a dry run is not a change");

    let outcome = c.confirm().await;
    assert!(outcome.success, "{outcome:?}");
    let sent = bodies(ec2.received_requests().await.unwrap());
    let dry: Vec<bool> = sent.iter().map(|b| b.contains("DryRun=true")).collect();
    assert_eq!(
        dry,
        vec![true, true, false],
        "dry run, dry run again, then the change"
    );
    assert_eq!(journal::read(&journal_path).unwrap().len(), 1);
}
