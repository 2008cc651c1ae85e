//! Unit tests of the app state machine, on the demo estate.

use super::*;
use crate::action::{Action, Pane};
use crate::model::ResourceKind;
use crate::source::SourceMsg;
use crate::view::table::TableId;
use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

pub(super) fn demo_app() -> App {
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .unwrap();
    let session = Session {
        demo: true,
        regions: crate::demo::REGIONS.map(String::from).to_vec(),
        refresh: Duration::from_secs(5),
        ..Default::default()
    };
    let mut app = App::new(crate::run::starting_estate(&session), session, now);
    for u in crate::demo::updates(0, now, &[]) {
        update(&mut app, Action::Source(SourceMsg::Update(u)));
    }
    app
}

pub(super) fn keys(app: &mut App, s: &str) -> Vec<Effect> {
    let mut effects = vec![];
    for c in s.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        if let Some(a) = key_action(app, KeyEvent::new(code, KeyModifiers::NONE)) {
            effects.extend(update(app, a));
        }
    }
    effects
}

#[test]
fn commands_switch_panes_and_unknown_ones_say_so() {
    let mut app = demo_app();
    keys(&mut app, ":tgw\n");
    assert_eq!(app.pane, Pane::Tgw);
    keys(&mut app, ":firewall\n");
    assert_eq!(app.pane, Pane::Firewall);
    keys(&mut app, ":nope\n");
    assert_eq!(app.pane, Pane::Firewall);
    assert!(app.status.as_ref().unwrap().error);
    assert!(app.status.as_ref().unwrap().text.contains(":nope"));
    assert_eq!(keys(&mut app, ":q\n"), vec![Effect::Quit]);
}

#[test]
fn digits_tabs_and_navigation() {
    let mut app = demo_app();
    keys(&mut app, "2");
    assert_eq!(app.current_table(), Some(TableId::DxConnections));
    keys(&mut app, "jjG");
    let v = app.view(TableId::DxConnections);
    assert_eq!(v.selected, v.visible.len() - 1);
    keys(&mut app, "g");
    assert_eq!(app.view(TableId::DxConnections).selected, 0);
    keys(&mut app, "\t");
    assert_eq!(app.current_table(), Some(TableId::DxLags));
}

#[test]
fn filter_narrows_rows_live_and_esc_clears() {
    let mut app = demo_app();
    keys(&mut app, "6");
    keys(&mut app, "lll"); // routes tab
    assert_eq!(app.current_table(), Some(TableId::TgwRoutes));
    let all = app.view(TableId::TgwRoutes).visible.len();
    keys(&mut app, "/blackhole");
    let v = app.view(TableId::TgwRoutes);
    assert_eq!(v.visible.len(), 1, "{:?}", v.visible);
    assert!(
        v.selected_row()
            .unwrap()
            .cells
            .contains(&"10.99.0.0/16".to_string())
    );
    keys(&mut app, "\n");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.view(TableId::TgwRoutes).visible.len(), 1);
    keys(&mut app, "\x1b");
    assert_eq!(app.view(TableId::TgwRoutes).visible.len(), all);
}

#[test]
fn enter_opens_details_and_domain_lists_fetch_on_demand() {
    let mut app = demo_app();
    keys(&mut app, ":firewall\n");
    keys(&mut app, "ll"); // domain lists
    let effects = keys(&mut app, "\n");
    let Mode::Details(d) = &app.mode else {
        panic!("no details: {:?}", app.mode)
    };
    assert_eq!(d.kind, ResourceKind::FirewallDomainLists);
    assert!(matches!(&effects[..], [Effect::FetchDomains { list_id, .. }] if *list_id == d.id));
    keys(&mut app, "\x1b");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn refresh_and_overview_enter() {
    let mut app = demo_app();
    assert_eq!(keys(&mut app, "r"), vec![Effect::Refresh]);
    keys(&mut app, "1j\n");
    assert_eq!(app.pane, crate::view::overview::ROWS[1].0);
}

#[test]
fn findings_pane_lists_by_severity_and_enter_jumps_to_the_resource() {
    let mut app = demo_app();
    keys(&mut app, ":findings\n");
    assert_eq!(app.current_table(), Some(TableId::Findings));
    let v = app.view(TableId::Findings);
    assert_eq!(v.rows.len(), app.findings().len());
    assert!(v.rows.windows(2).all(|w| w[0].severity >= w[1].severity));
    // Select the blackhole route finding and jump.
    keys(&mut app, "/TGW-001\n");
    let row = app.view(TableId::Findings).selected_row().unwrap().clone();
    assert_eq!(row.kind, ResourceKind::TgwRoutes);
    // Enter shows the finding itself, with its evidence; Enter again jumps.
    keys(&mut app, "\n");
    let Mode::Finding(fr) = &app.mode else {
        panic!("Enter opens the finding, got {:?}", app.mode)
    };
    let f = app.finding(fr).expect("the finding is found again");
    assert_eq!(f.code, "TGW-001");
    assert!(f.evidence.values().any(|v| v.contains("10.99.0.0/16")));
    keys(&mut app, "\n");
    assert_eq!(
        (app.pane, app.current_table()),
        (Pane::Tgw, Some(TableId::TgwRoutes))
    );
    let sel = app.view(TableId::TgwRoutes).selected_row().unwrap();
    assert_eq!(sel.id, "tgw-rtb-0a1b2c3d4e5f60001|10.99.0.0/16");
    assert!(
        sel.severity.is_some(),
        "the jumped-to row carries its marker"
    );
}

#[test]
fn f_shows_only_rows_with_findings() {
    let mut app = demo_app();
    keys(&mut app, "2");
    let all = app.view(TableId::DxConnections).visible.len();
    keys(&mut app, "f");
    let v = app.view(TableId::DxConnections);
    assert!(v.visible.len() < all && !v.visible.is_empty());
    assert!(v.visible.iter().all(|&i| v.rows[i].severity.is_some()));
    keys(&mut app, "f");
    assert_eq!(app.view(TableId::DxConnections).visible.len(), all);
}

#[test]
fn freshness_turns_stale_then_error() {
    let mut app = demo_app();
    assert!(
        app.freshness(ResourceKind::VpcPeerings)
            .0
            .starts_with("refreshed 0s")
    );
    let later = app.now + chrono::Duration::seconds(60);
    update(&mut app, Action::Tick(later));
    assert!(
        app.freshness(ResourceKind::VpcPeerings)
            .0
            .starts_with("STALE")
    );
    let err = ApiError {
        operation: "DescribeVpcPeeringConnections".into(),
        code: "AccessDenied".into(),
        message: "no".into(),
    };
    let failed = crate::model::Update::err("us-east-1", ResourceKind::VpcPeerings, later, err);
    update(&mut app, Action::Source(SourceMsg::Update(failed)));
    assert!(
        app.freshness(ResourceKind::VpcPeerings)
            .0
            .starts_with("ERROR")
    );
    assert_eq!(app.errors_for(ResourceKind::VpcPeerings).len(), 1);
    assert!(app.errors_for(ResourceKind::TransitGateways).is_empty());
}

/// Opens the accept-peering plan on the demo's pending peering, as a `--write` session
/// against AWS (`in_plan`) or a custom endpoint.
fn accept_plan(in_plan: bool) -> (App, Vec<Effect>) {
    // Read as the accepter: the partner account the demo's pending peering waits for.
    let mut app = demo_app();
    let partner = crate::demo::PARTNER_ACCOUNT;
    app.set_scope(
        &crate::demo::REGIONS.map(|r| crate::model::Scope::new(partner, r)),
        vec![],
    );
    for u in crate::demo::updates(0, app.now, &[]) {
        update(
            &mut app,
            Action::Source(SourceMsg::Update(u.in_account(partner))),
        );
    }
    app.session.demo = false;
    app.session.write = true;
    app.session.dry_run_in_plan = in_plan;
    update(&mut app, Action::GotoPane(Pane::Peering));
    app.sync();
    let v = app.view_mut(TableId::Peerings);
    v.selected = v
        .visible
        .iter()
        .position(|&i| v.rows[i].id == "pcx-0b22c33d44e55f662")
        .unwrap();
    let effects = keys(&mut app, "a");
    (app, effects)
}

/// The add-route form on the first TGW route table, under --write.
pub(super) fn add_route_form() -> App {
    let mut app = demo_app();
    app.session.demo = false;
    app.session.write = true;
    update(&mut app, Action::GotoPane(Pane::Tgw));
    while app.current_table() != Some(TableId::TgwRouteTables) {
        update(&mut app, Action::NextTab);
    }
    app.sync();
    keys(&mut app, "c");
    assert!(
        matches!(&app.mode, Mode::Workflow(w) if w.stage == Stage::Form),
        "{:?} {:?}",
        app.mode,
        app.status
    );
    app
}

#[test]
fn a_paste_with_newline_and_y_is_text_in_the_field_and_sends_nothing() {
    let mut app = add_route_form();
    let effects = update(&mut app, Action::Paste("10.99.9.0/24\ny\n".into()));
    assert!(effects.is_empty(), "{effects:?}");
    let Mode::Workflow(w) = &app.mode else {
        panic!()
    };
    assert_eq!(w.stage, Stage::Form, "a paste never submits the form");
    assert_eq!(w.form.get("cidr"), "10.99.9.0/24y");
    assert!(app.status.as_ref().unwrap().text.contains("removed"));
}

#[test]
fn keys_typed_before_the_plan_was_on_screen_confirm_nothing() {
    use crate::event::on_event;
    use crossterm::event::Event;
    let mut app = add_route_form();
    update(&mut app, Action::Paste("10.99.9.0/24".into()));
    let mut dirty = false;
    let key = |c: KeyCode| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    // Enter submits the form; the Enter and y typed right behind it, before the plan
    // was drawn, do nothing.
    let e = on_event(&mut app, key(KeyCode::Enter), &mut dirty);
    assert!(e.is_empty() && app.in_plan(), "{e:?}");
    for c in [KeyCode::Enter, KeyCode::Char('y')] {
        assert!(on_event(&mut app, key(c), &mut dirty).is_empty());
    }
    // Drawn just now: still too soon.
    app.drawn(std::time::Instant::now());
    assert!(on_event(&mut app, key(KeyCode::Char('y')), &mut dirty).is_empty());
    assert!(app.in_plan());
    // Read for a while, then confirmed: the call goes.
    app.plan_shown = Some(std::time::Instant::now() - std::time::Duration::from_secs(2));
    let e = on_event(&mut app, key(KeyCode::Char('y')), &mut dirty);
    assert!(matches!(e.as_slice(), [Effect::Execute(_)]), "{e:?}");
}

#[test]
fn ctrl_letters_are_not_letters_and_n_returns_to_the_form() {
    let mut app = add_route_form();
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    // Ctrl-A in a text field moves the cursor, it does not type `a`.
    keys(&mut app, "10.9.0.0/16");
    let a = key_action(&app, ctrl('a')).unwrap();
    update(&mut app, a);
    keys(&mut app, "#");
    let Mode::Workflow(w) = &app.mode else {
        panic!()
    };
    assert_eq!(w.form.get("cidr"), "#10.9.0.0/16");
    let a = key_action(&app, ctrl('u')).unwrap();
    update(&mut app, a);
    keys(&mut app, "10.9.0.0/16\n");
    assert!(app.in_plan());
    keys(&mut app, "n");
    let Mode::Workflow(w) = &app.mode else {
        panic!()
    };
    assert_eq!(w.stage, Stage::Form, "n goes back to the form");
    assert_eq!(w.form.get("cidr"), "10.9.0.0/16", "with the values kept");
    // A filled form asks before Esc throws it away: the first Esc says so, the second goes.
    update(&mut app, Action::Back);
    let Mode::Workflow(w) = &app.mode else {
        panic!("one Esc does not discard a filled form")
    };
    assert!(
        w.error.as_deref().unwrap_or("").contains("Esc again"),
        "{:?}",
        w.error
    );
    update(&mut app, Action::Back);
    // In the normal mode, Ctrl-X is not x (reject-peering) and says so.
    update(&mut app, Action::GotoPane(Pane::Peering));
    let a = key_action(&app, ctrl('x')).unwrap();
    assert_eq!(a, Action::Unbound("Ctrl-x".into()));
    assert!(update(&mut app, a).is_empty());
    assert!(!matches!(app.mode, Mode::Workflow(_)));
}

#[test]
fn adding_a_route_that_exists_is_refused_before_the_plan() {
    let mut app = add_route_form();
    // The first route table (eu-west-2) has a static route to 10.20.0.0/16.
    keys(&mut app, "10.20.0.0/16\n");
    let Mode::Workflow(w) = &app.mode else {
        panic!()
    };
    assert_eq!(w.stage, Stage::Form);
    let err = w.error.clone().unwrap_or_default();
    assert!(
        err.contains("already has") && err.contains("10.20.0.0/16"),
        "{err}"
    );
}

#[test]
fn a_rebound_quit_key_replaces_q_and_y_copies_the_selected_id() {
    let mut app = demo_app();
    let mut o = std::collections::BTreeMap::new();
    o.insert("quit".to_string(), vec!["ctrl-q".to_string()]);
    app.session.keymap = crate::config::keymap::Keymap::resolve(&o, &workflow_bindings()).unwrap();
    let q = key_action(&app, KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
    assert_ne!(q, Some(Action::Quit));
    let cq = key_action(
        &app,
        KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL),
    );
    assert_eq!(cq, Some(Action::Quit));
    update(&mut app, Action::GotoPane(Pane::Dx));
    let id = app
        .view(TableId::DxConnections)
        .selected_row()
        .unwrap()
        .id
        .clone();
    let e = keys(&mut app, "y");
    assert_eq!(e, vec![Effect::Copy(id.clone())]);
    assert!(app.status.as_ref().unwrap().text.contains(&id));
    let e = keys(&mut app, "Y");
    let [Effect::Copy(arn)] = e.as_slice() else {
        panic!("{e:?}")
    };
    assert!(
        arn.starts_with("arn:aws:directconnect:") && arn.ends_with(&format!("dxcon/{id}")),
        "{arn}"
    );
}

fn dry_run_state(app: &App) -> DryRunVerdict {
    match &app.mode {
        Mode::Workflow(w) => match &w.stage {
            Stage::Plan { dry_run, .. } => dry_run.clone(),
            s => panic!("not a plan: {s:?}"),
        },
        m => panic!("not a workflow: {m:?}"),
    }
}

#[test]
fn the_plan_sends_a_dry_run_on_aws_and_shows_a_refusal() {
    let (mut app, effects) = accept_plan(true);
    assert!(
        matches!(&effects[..], [Effect::DryRun(p)] if p.operation() == "AcceptVpcPeeringConnection"),
        "{effects:?}"
    );
    assert_eq!(dry_run_state(&app), DryRunVerdict::Waiting);
    let Mode::Workflow(w) = &app.mode else {
        unreachable!()
    };
    let intent = w.intent.id.clone();
    // An answer for another intent is ignored.
    update(
        &mut app,
        Action::Source(SourceMsg::DryRunDone {
            intent: "someone-else".into(),
            outcome: Default::default(),
        }),
    );
    assert_eq!(dry_run_state(&app), DryRunVerdict::Waiting);
    update(
        &mut app,
        Action::Source(SourceMsg::DryRunDone {
            intent,
            outcome: crate::workflows::exec::Outcome {
                code: Some("UnauthorizedOperation".into()),
                message: "You are not authorized to perform this operation.".into(),
                ..Default::default()
            },
        }),
    );
    assert_eq!(
        dry_run_state(&app),
        DryRunVerdict::Refused {
            code: "UnauthorizedOperation".into(),
            message: "You are not authorized to perform this operation.".into()
        }
    );
}

#[test]
fn with_a_custom_endpoint_the_dry_run_waits_for_confirmation() {
    let (app, effects) = accept_plan(false);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(matches!(
        dry_run_state(&app),
        DryRunVerdict::AfterConfirmation(why) if why.contains("custom EC2 endpoint")
    ));
}

#[test]
fn o_on_a_vif_reads_its_routes_and_shows_them_elsewhere_it_says_why_not() {
    let mut app = demo_app();
    update(&mut app, Action::GotoPane(Pane::Vif));
    app.sync();
    let vif = app.view(TableId::Vifs).selected_row().unwrap().id.clone();
    let e = keys(&mut app, "o");
    assert!(
        matches!(&e[..], [Effect::FetchRoutes { vif: v, .. }] if *v == vif),
        "{e:?}"
    );
    assert!(matches!(&app.mode, Mode::Routes { routes: None, .. }));
    let routes = crate::demo::vif_routes(&vif).unwrap();
    update(
        &mut app,
        Action::Source(SourceMsg::Routes {
            vif: vif.clone(),
            result: Ok(routes.clone()),
        }),
    );
    assert!(matches!(&app.mode, Mode::Routes { routes: Some(Ok(r)), .. } if *r == routes));
    keys(&mut app, "\x1b");
    update(&mut app, Action::GotoPane(Pane::Dx));
    let e = keys(&mut app, "o");
    assert!(e.is_empty());
    assert!(app.status.as_ref().unwrap().text.contains("VIF"));
}

#[test]
fn timeline_lists_changes_newest_first_and_enter_goes_to_the_resource() {
    let mut app = demo_app();
    // Two more polls: the demo's flapping BGP session goes down.
    let now = app.now;
    for tick in 1..=2 {
        for u in crate::demo::updates(tick, now, &[]) {
            update(&mut app, Action::Source(SourceMsg::Update(u)));
        }
    }
    assert!(!app.timeline.is_empty());
    keys(&mut app, ":timeline bgp_status\n");
    let Mode::Timeline { filter, .. } = &app.mode else {
        panic!("{:?}", app.mode)
    };
    let rows = crate::view::timeline::rows(&app.timeline, filter, &app.estate);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|(e, _)| e.field.ends_with("bgp_status")));
    let id = rows[0].0.resource_id.clone();
    keys(&mut app, "\n");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.current_table(), Some(TableId::Vifs));
    assert_eq!(app.view(TableId::Vifs).selected_row().unwrap().id, id);
}

/// Polls that take longer than the interval start when the last ended: the header says how
/// often the data is really read, from the starts of each poller's last two polls.
#[test]
fn the_header_says_the_effective_interval_when_polls_take_longer() {
    use ratatui::{Terminal, backend::TestBackend};
    let theme = crate::ui::theme::Theme::load(None, false).unwrap();
    let mut term = Terminal::new(TestBackend::new(160, 10)).unwrap();
    let mut app = demo_app();
    let header = |term: &mut Terminal<TestBackend>, app: &mut App| {
        term.draw(|f| crate::ui::draw(f, app, &theme)).unwrap();
        let b = term.backend().buffer();
        (0..b.area.width)
            .map(|x| b[(x, 0)].symbol().to_string())
            .collect::<String>()
    };
    let scope = crate::model::Scope::new("", "us-east-1");
    let start = |app: &mut App, at| {
        for active in [true, false] {
            update(
                app,
                Action::Source(SourceMsg::Polling {
                    scope: scope.clone(),
                    service: crate::model::Service::Ec2,
                    active,
                    at,
                }),
            );
        }
    };
    let t0 = app.now;
    let ms = chrono::Duration::milliseconds;
    start(&mut app, t0);
    // A timer's jitter is not a slow poll.
    start(&mut app, t0 + ms(5_300));
    assert_eq!(app.effective_interval(), (5, false));
    assert!(header(&mut term, &mut app).contains("│ every 5s "));
    // The next poll started 42 s after the last one: it took that long.
    start(&mut app, t0 + ms(47_300));
    assert_eq!(app.effective_interval(), (42, true));
    let h = header(&mut term, &mut app);
    assert!(h.contains("every 42s (set 5s: polls take longer)"), "{h}");
}

/// `:lookup` shows the same answer as `crossconnect lookup`: an address inside a blackholed
/// prefix names the TGW route table and `blackhole` (in the warning colour); bad input is
/// said, and nothing opens.
#[test]
fn lookup_in_the_console_names_the_blackhole_and_refuses_bad_input() {
    use crate::model::health::Health;
    let mut app = demo_app();
    keys(&mut app, ":lookup 10.99.1.1\n");
    let Mode::Report { title, lines, .. } = &app.mode else {
        panic!("{:?} {:?}", app.mode, app.status)
    };
    assert!(title.contains("lookup 10.99.1.1"), "{title}");
    let hole = lines
        .iter()
        .find(|(l, _)| l.contains("tgw-rtb-") && l.contains("blackhole"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert_eq!(hole.1, Health::Bad);
    assert!(hole.0.contains("10.99.0.0/16"), "{}", hole.0);
    keys(&mut app, "\x1b");
    for bad in [":lookup 10.999.1.1\n", ":lookup\n"] {
        keys(&mut app, bad);
        assert_eq!(app.mode, Mode::Normal, "{bad}");
        assert!(app.status.as_ref().is_some_and(|s| s.error), "{bad}");
    }
}
