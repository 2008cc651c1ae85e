//! The change workflows' safety: AWS's routing rules, what a plan breaks, small screens,
//! outcome unknown, plan files, the change window, settling after a change.

use super::tests::{add_route_form, demo_app, keys};
use super::*;
use crate::action::{Action, Pane};
use crate::model::ResourceKind;
use crate::source::SourceMsg;
use crate::view::table::TableId;

#[test]
fn a_static_route_over_a_propagated_one_is_an_override_and_a_propagated_route_is_never_deleted() {
    let mut app = add_route_form();
    // The eu-west-2 table has 10.60.0.0/16 propagated: a static route overrides it.
    keys(&mut app, "10.60.0.0/16\n");
    let Mode::Workflow(w) = &app.mode else {
        panic!()
    };
    let Stage::Plan { plan, .. } = &w.stage else {
        panic!("an override is accepted: {:?}", w.error)
    };
    assert!(
        plan.warnings
            .iter()
            .any(|x| x.contains("overrides the propagated route to 10.60.0.0/16")),
        "{:?}",
        plan.warnings
    );
    // D on a propagated route: refused with the way to do it, nothing to send.
    update(&mut app, Action::Back);
    update(&mut app, Action::Back);
    while app.current_table() != Some(TableId::TgwRoutes) {
        update(&mut app, Action::NextTab);
    }
    app.sync();
    let v = app.view(TableId::TgwRoutes);
    let pos = v
        .visible
        .iter()
        .position(|&i| v.rows[i].id == "tgw-rtb-0e1f2a3b4c5d60001|10.60.0.0/16")
        .unwrap();
    update(&mut app, Action::Top);
    for _ in 0..pos {
        update(&mut app, Action::Down);
    }
    let effects = keys(&mut app, "D");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::Execute(_) | Effect::DryRun(_))),
        "{effects:?}"
    );
    let said = match &app.mode {
        Mode::Workflow(w) => w.error.clone().unwrap_or_default(),
        _ => app
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default(),
    };
    assert!(
        said.contains("propagated route: it cannot be deleted"),
        "{said} {:?}",
        app.mode
    );
    assert!(!app.in_plan(), "no plan to confirm");
}

/// On a small screen (60×12) a destructive plan does not fit: it says `more ↓`, and nothing
/// confirms it until its last line (the typed-id prompt) has been on screen.
#[test]
fn a_plan_that_does_not_fit_cannot_be_confirmed_before_its_prompt_was_shown() {
    use ratatui::{Terminal, backend::TestBackend};
    let theme = crate::ui::theme::Theme::load(None, false).unwrap();
    let mut term = Terminal::new(TestBackend::new(60, 12)).unwrap();
    let mut app = demo_app();
    app.session.demo = false;
    app.session.write = true;
    update(&mut app, Action::GotoPane(Pane::Vif));
    app.sync();
    keys(&mut app, "D");
    assert!(app.in_plan(), "{:?} {:?}", app.mode, app.status);
    term.draw(|f| crate::ui::draw(f, &mut app, &theme)).unwrap();
    let screen = format!("{:?}", term.backend());
    assert!(screen.contains("more ↓"), "{screen}");
    let Mode::Workflow(w) = &app.mode else {
        panic!()
    };
    let Stage::Plan { plan, .. } = &w.stage else {
        panic!()
    };
    let id = plan.confirm_with.clone();
    let effects = keys(&mut app, &format!("{id}\n"));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Execute(_))),
        "confirmed blind: {effects:?}"
    );
    let Mode::Workflow(w) = &app.mode else {
        panic!()
    };
    assert!(
        w.error.as_deref().unwrap_or("").contains("scroll down"),
        "{:?}",
        w.error
    );
    // Scrolled to the end, the prompt is read: the typed id confirms.
    for _ in 0..10 {
        update(&mut app, Action::PageDown);
        term.draw(|f| crate::ui::draw(f, &mut app, &theme)).unwrap();
    }
    let screen = format!("{:?}", term.backend());
    assert!(!screen.contains("more ↓"), "{screen}");
    let effects = keys(&mut app, "\n");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Execute(_))),
        "{effects:?} {:?}",
        app.mode
    );
}

fn plan_of(
    e: &crate::model::Estate,
    kind: crate::workflows::WorkflowKind,
    region: &str,
    resource: (ResourceKind, &str),
    values: &[(&str, &str)],
) -> crate::workflows::Plan {
    let t = crate::workflows::Target {
        account: crate::demo::ACCOUNT.into(),
        region: region.into(),
        resource: Some((resource.0, resource.1.into())),
        caller_account: None,
    };
    let mut form = crate::workflows::form_for(kind, e, &t).unwrap();
    for (k, v) in values {
        form.set(k, v);
    }
    crate::workflows::plan_for(kind, e, &t, &form, &crate::workflows::Intent::new())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn the_plan_names_what_the_change_breaks() {
    use crate::workflows::WorkflowKind;
    let app = demo_app();
    // A blackhole more specific than the static 10.0.0.0/8 prod-app uses to reach on-prem.
    let p = plan_of(
        &app.estate,
        WorkflowKind::AddRoute,
        "us-east-1",
        (ResourceKind::TgwRouteTables, "tgw-rtb-0a1b2c3d4e5f60001"),
        &[("cidr", "10.10.0.0/16"), ("target", "blackhole")],
    );
    assert!(p.destructive);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("prod-app") && w.contains("no longer reaches 10.10.0.0/16")),
        "{:?}",
        p.warnings
    );
    // Deleting the one VIF still up leaves prod-app without a working path.
    let mut e = app.estate.clone();
    for r in e.scopes.values_mut().map(std::sync::Arc::make_mut) {
        for v in &mut r.dx_vifs.items {
            if v.id != "dxvif-fg7h8i9j" {
                for peer in &mut v.bgp_peers {
                    peer.bgp_status = "down".into();
                }
            }
        }
    }
    let p = plan_of(
        &e,
        WorkflowKind::DeleteVif,
        "us-east-1",
        (ResourceKind::DxVirtualInterfaces, "dxvif-fg7h8i9j"),
        &[],
    );
    assert!(p.destructive);
    assert!(
        p.warnings.iter().any(|w| w.contains("prod-app")
            && w.contains("loses its last working path to on-prem")),
        "{:?}",
        p.warnings
    );
    // A static route to a VPC that takes part of the on-prem 10.0.0.0/8 cuts it (named, typed
    // confirmation); one outside every path changes nothing and says so.
    let p = plan_of(
        &app.estate,
        WorkflowKind::AddRoute,
        "us-east-1",
        (ResourceKind::TgwRouteTables, "tgw-rtb-0a1b2c3d4e5f60001"),
        &[
            ("cidr", "10.98.0.0/16"),
            ("target", "tgw-attach-0a1b2c3d4e5f60002"),
        ],
    );
    assert!(
        p.destructive && p.confirm_with == "10.98.0.0/16",
        "{:?}",
        p.warnings
    );
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("prod-app") && w.contains("no longer reaches 10.98.0.0/16")),
        "{:?}",
        p.warnings
    );
    let p = plan_of(
        &app.estate,
        WorkflowKind::AddRoute,
        "us-east-1",
        (ResourceKind::TgwRouteTables, "tgw-rtb-0a1b2c3d4e5f60001"),
        &[
            ("cidr", "172.16.0.0/16"),
            ("target", "tgw-attach-0a1b2c3d4e5f60002"),
        ],
    );
    assert!(!p.destructive, "{:?}", p.warnings);
    assert!(
        p.warnings.iter().any(|w| w.contains("no VPC loses")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn validation_closes_the_gaps_aws_would_refuse_or_the_tool_would_flag() {
    use crate::workflows::WorkflowKind;
    use crate::workflows::validate;
    assert!(
        validate::cidr("CIDR", "10.051.0.0/16").is_err(),
        "a leading zero is refused"
    );
    assert!(validate::cidr("CIDR", "10.51.0.0/16").is_ok());
    assert!(
        validate::bgp_auth_key("BGP key", "abcd").is_err(),
        "AWS wants 6–80"
    );
    assert!(validate::bgp_auth_key("BGP key", "abcdef").is_ok());
    assert!(
        validate::bgp_auth_key("BGP key", "").is_ok(),
        "empty: AWS generates one"
    );
    assert!(validate::bgp_auth_key("BGP key", &"k".repeat(81)).is_err());
    let app = demo_app();
    let t = |region: &str, res: (ResourceKind, &str)| crate::workflows::Target {
        account: crate::demo::ACCOUNT.into(),
        region: region.into(),
        resource: Some((res.0, res.1.into())),
        caller_account: Some(crate::demo::ACCOUNT.into()),
    };
    // A forwarding rule whose targets the outbound endpoint's VPC cannot reach: PATH-002 in
    // the plan.
    let target = t(
        "us-east-1",
        (ResourceKind::ResolverRules, "rslvr-rr-3c4d5e6f7a8b9c0d1"),
    );
    let mut form =
        crate::workflows::form_for(WorkflowKind::CreateRule, &app.estate, &target).unwrap();
    form.set("name", "lab-2");
    form.set("domain", "lab2.corp.example.com");
    form.set("targets", "172.20.0.53");
    let p = crate::workflows::plan_for(
        WorkflowKind::CreateRule,
        &app.estate,
        &target,
        &form,
        &crate::workflows::Intent::new(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        p.warnings
            .iter()
            .any(|w| w.starts_with("PATH-002") && w.contains("172.20.0.53")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn a_change_of_unknown_outcome_is_resolved_by_the_next_read_of_its_target() {
    use crate::model::{Batch, RouteTarget, TgwRoute, Update};
    use crate::workflows::WorkflowKind;
    let mut app = demo_app();
    let plan = plan_of(
        &app.estate,
        WorkflowKind::AddRoute,
        "us-east-1",
        (ResourceKind::TgwRouteTables, "tgw-rtb-0a1b2c3d4e5f60001"),
        &[
            ("cidr", "172.16.0.0/16"),
            ("target", "tgw-attach-0a1b2c3d4e5f60002"),
        ],
    );
    let said = app.now;
    app.checking = Some((plan, said));
    // A read from before the change says nothing.
    let mut routes = app
        .estate
        .region("us-east-1")
        .unwrap()
        .tgw_routes
        .items
        .clone();
    let old = Update::ok("us-east-1", said, Batch::TgwRoutes(routes.clone()))
        .in_account(crate::demo::ACCOUNT);
    assert!(update(&mut app, Action::Source(SourceMsg::Update(old))).is_empty());
    assert!(app.checking.is_some());
    // The re-read shows the route: applied, journaled as such.
    routes.push(TgwRoute {
        route_table_id: "tgw-rtb-0a1b2c3d4e5f60001".into(),
        destination: "172.16.0.0/16".into(),
        route_type: "static".into(),
        state: "active".into(),
        targets: vec![RouteTarget {
            attachment_id: Some("tgw-attach-0a1b2c3d4e5f60002".into()),
            ..Default::default()
        }],
    });
    let later = said + chrono::Duration::seconds(2);
    let new =
        Update::ok("us-east-1", later, Batch::TgwRoutes(routes)).in_account(crate::demo::ACCOUNT);
    let effects = update(&mut app, Action::Source(SourceMsg::Update(new)));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Resolve { applied: true, .. })),
        "{effects:?}"
    );
    assert!(app.checking.is_none());
    assert!(
        app.status.as_ref().unwrap().text.contains("WAS applied"),
        "{:?}",
        app.status
    );
}

#[test]
fn with_plan_out_a_confirmed_plan_is_written_not_sent_and_never_with_a_secret() {
    let mut app = add_route_form();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    app.session.plan_out = Some(path.clone());
    keys(&mut app, "172.16.0.0/16\n");
    assert!(app.in_plan(), "{:?}", app.mode);
    let effects = keys(&mut app, "y");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::Execute(_) | Effect::DryRun(_))),
        "{effects:?}"
    );
    let Some(Effect::WritePlan {
        plan,
        target,
        state,
        revision,
        path: p,
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::WritePlan { .. }))
    else {
        panic!("no WritePlan")
    };
    assert_eq!(p, path);
    crate::workflows::planfile::write(&p, &plan, &target, state, revision).unwrap();
    let f = crate::workflows::planfile::read(&p).unwrap();
    assert_eq!(f.call, plan.call);
    assert_eq!(
        f.changed(&app.estate),
        Vec::<String>::new(),
        "unchanged target"
    );
    // A call holding a BGP key is never written to a file.
    let vif = crate::workflows::Plan {
        call: crate::calls::DxCall::CreateVif {
            transit: false,
            vif: crate::calls::NewVif {
                connection_id: "dxcon-x".into(),
                name: "v".into(),
                vlan: 10,
                asn: 65000,
                amazon_address: None,
                customer_address: None,
                auth_key: Some(crate::workflows::Secret("a-very-secret-key".into())),
                mtu: 1500,
                dxgw_id: None,
                vgw_id: Some("vgw-1".into()),
            },
        }
        .into(),
        ..*plan
    };
    let err = crate::workflows::planfile::write(&p, &vif, &target, None, 0).unwrap_err();
    assert!(err.contains("secret"), "{err}");
    assert!(
        !std::fs::read_to_string(&p)
            .unwrap()
            .contains("a-very-secret-key")
    );
}

#[test]
fn a_firewall_rule_edit_shows_old_and_new_values_and_the_verdicts_it_changes() {
    use crate::workflows::WorkflowKind;
    let app = demo_app();
    let r = app.estate.region("us-east-1").unwrap();
    let rule = r
        .firewall_rules
        .items
        .iter()
        .find(|x| x.name == "allow-saas")
        .unwrap();
    let id = crate::model::Resource::id(rule);
    let p = plan_of(
        &app.estate,
        WorkflowKind::EditFirewallRule,
        "us-east-1",
        (ResourceKind::FirewallRules, &id),
        &[("priority", "300")],
    );
    assert!(
        p.warnings.iter().any(|w| w == "Priority: 100 → 300"),
        "{:?}",
        p.warnings
    );
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("changes DNS Firewall verdicts")
                && w.contains("block-everything-else")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn outside_the_change_window_nothing_is_sent_and_the_window_is_named() {
    let mut app = add_route_form();
    let hour = chrono::Timelike::hour(&app.now);
    // A one-hour window that is not now.
    let (a, b) = ((hour + 2) % 24, (hour + 3) % 24);
    app.session.changes = crate::config::changes::ChangePolicy::from_file(
        &crate::config::changes::ChangesFile {
            window: Some(format!("{a:02}:00-{b:02}:00")),
            ..Default::default()
        },
        "c.toml",
    )
    .unwrap();
    keys(&mut app, "172.16.0.0/16\n");
    let effects = keys(&mut app, "y");
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Execute(_))),
        "{effects:?}"
    );
    let Mode::Workflow(w) = &app.mode else {
        panic!()
    };
    let err = w.error.clone().unwrap_or_default();
    assert!(
        err.contains("outside the change window") && err.contains(&format!("{a:02}:00")),
        "{err}"
    );
    assert!(app.in_plan(), "back at the plan");
}

#[test]
fn after_a_change_the_target_is_watched_until_settled_and_the_paths_traced_again() {
    use crate::model::{Batch, RouteTarget, TgwRoute, Update};
    let mut app = add_route_form();
    keys(&mut app, "172.16.0.0/16\n");
    let effects = keys(&mut app, "y");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Execute(_))),
        "{effects:?}"
    );
    let Mode::Workflow(w) = &app.mode else {
        panic!()
    };
    let (intent, rtb, att) = match &w.stage {
        Stage::Running { plan } => match &plan.call {
            crate::calls::Call::Tgw(crate::calls::TgwCall::CreateTgwRoute {
                route_table_id,
                attachment_id,
                ..
            }) => (
                plan.intent.id.clone(),
                route_table_id.clone(),
                attachment_id.clone(),
            ),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    let region = w.target.region.clone();
    let done = crate::workflows::exec::Outcome {
        success: true,
        message: "created".into(),
        ..Default::default()
    };
    update(
        &mut app,
        Action::Source(SourceMsg::WorkflowDone {
            intent,
            outcome: done,
        }),
    );
    assert!(app.settling.is_some());
    let t0 = app.now;
    let effects = update(&mut app, Action::Tick(t0 + chrono::Duration::seconds(6)));
    assert!(
        effects.contains(&Effect::Refresh),
        "read again while it settles: {effects:?}"
    );
    let mut routes = app.estate.region(&region).unwrap().tgw_routes.items.clone();
    routes.push(TgwRoute {
        route_table_id: rtb,
        destination: "172.16.0.0/16".into(),
        route_type: "static".into(),
        state: "active".into(),
        targets: vec![RouteTarget {
            attachment_id: att,
            ..Default::default()
        }],
    });
    let later = t0 + chrono::Duration::seconds(7);
    let u = Update::ok(&region, later, Batch::TgwRoutes(routes)).in_account(crate::demo::ACCOUNT);
    update(&mut app, Action::Source(SourceMsg::Update(u)));
    let s = app.status.clone().unwrap().text;
    assert!(
        s.contains("settled after") && s.contains("paths traced again"),
        "{s}"
    );
    assert!(app.settling.is_none());
}

/// A plan that would break a declared intent says so, as `what-if` would, and needs the typed
/// confirmation: deleting the prod table's static route to on-prem breaks "prod-app reaches
/// on-prem".
#[test]
fn the_plan_names_the_intents_the_change_breaks() {
    let mut app = demo_app();
    let intents = include_str!("../demo/intents.toml");
    app.session.intents =
        std::sync::Arc::new(crate::intent::IntentFile::parse(intents).unwrap().intents);
    app.session.demo = false;
    app.session.write = true;
    app.sync();
    update(&mut app, Action::GotoPane(Pane::Tgw));
    while app.current_table() != Some(TableId::TgwRoutes) {
        update(&mut app, Action::NextTab);
    }
    let v = app.view(TableId::TgwRoutes);
    let pos = v
        .visible
        .iter()
        .position(|&i| v.rows[i].id == "tgw-rtb-0a1b2c3d4e5f60001|10.0.0.0/8")
        .unwrap();
    update(&mut app, Action::Top);
    for _ in 0..pos {
        update(&mut app, Action::Down);
    }
    keys(&mut app, "D");
    if !app.in_plan() {
        keys(&mut app, "\n");
    }
    let Mode::Workflow(w) = &app.mode else {
        panic!("{:?} {:?}", app.mode, app.status)
    };
    let Stage::Plan { plan, .. } = &w.stage else {
        panic!("{:?}", w.error)
    };
    assert!(
        plan.warnings.iter().any(|x| x.starts_with(
            "intent would break: prod-app reaches on-prem over two locations (held → broken)"
        )),
        "{:?}",
        plan.warnings
    );
    assert!(plan.destructive, "{plan:?}");
}
