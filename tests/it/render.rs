//! Render tests: every pane and table of the demo estate through the real `ui::draw` on a
//! `TestBackend`, snapshotted with insta; and every view at sizes from 1×1 to 300×100.

use std::time::Duration;

use chrono::TimeZone;
use crossconnect::action::{Action, Pane};
use crossconnect::app::{App, Session, update};
use crossconnect::source::SourceMsg;
use crossconnect::ui::theme::Theme;
use crossconnect::view::table::TableId;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub(crate) fn demo_app(tick: u64) -> App {
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .unwrap();
    let session = Session {
        demo: true,
        regions: crossconnect::demo::REGIONS.map(String::from).to_vec(),
        refresh: Duration::from_secs(5),
        ..Default::default()
    };
    let mut app = App::new(crossconnect::run::starting_estate(&session), session, now);
    for t in 0..=tick {
        for u in crossconnect::demo::updates(t, now, &[]) {
            update(&mut app, Action::Source(SourceMsg::Update(u)));
        }
    }
    app
}

/// A way to put the app into one view.
type View = Box<dyn Fn(&mut App)>;

pub(crate) fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        crossconnect::ui::draw(
            f,
            app,
            &crossconnect::ui::theme::Theme::load(Some("dark"), false).unwrap(),
        )
    })
    .unwrap();
    t
}

pub(crate) fn goto_table(app: &mut App, pane: Pane, table: TableId) {
    update(app, Action::GotoPane(pane));
    for _ in 0..TableId::of(pane).len() {
        if app.current_table() == Some(table) {
            return;
        }
        update(app, Action::NextTab);
    }
    assert_eq!(app.current_table(), Some(table));
}

#[test]
fn every_pane_and_table_snapshot() {
    let mut app = demo_app(0);
    insta::assert_snapshot!("overview", draw(&mut app, 150, 30).backend());
    for pane in Pane::ALL.iter().skip(1) {
        for &table in TableId::of(*pane) {
            goto_table(&mut app, *pane, table);
            let t = draw(&mut app, 180, 24);
            insta::assert_snapshot!(format!("{}_{table:?}", pane.command()), t.backend());
        }
    }
}

#[test]
fn details_help_and_filter_snapshots() {
    let mut app = demo_app(0);
    goto_table(&mut app, Pane::Tgw, TableId::TgwRouteTables);
    update(&mut app, Action::Open);
    insta::assert_snapshot!("details_route_table", draw(&mut app, 120, 40).backend());
    update(&mut app, Action::Back);
    goto_table(&mut app, Pane::Vif, TableId::Vifs);
    update(&mut app, Action::Down);
    update(&mut app, Action::Open);
    insta::assert_snapshot!("details_vif", draw(&mut app, 120, 45).backend());
    update(&mut app, Action::Back);
    update(&mut app, Action::Help);
    insta::assert_snapshot!("help", draw(&mut app, 100, 40).backend());
    update(&mut app, Action::Back);
    goto_table(&mut app, Pane::Tgw, TableId::TgwRoutes);
    update(&mut app, Action::Filter);
    for c in "10.99".chars() {
        update(&mut app, Action::Input(c));
    }
    insta::assert_snapshot!("filter_routes", draw(&mut app, 140, 12).backend());
}

#[test]
fn workflow_form_error_and_destructive_plan_snapshots() {
    let mut app = demo_app(0);
    app.session.write = true;
    goto_table(&mut app, Pane::Resolver, TableId::ResolverEndpoints);
    update(
        &mut app,
        Action::StartWorkflow(crossconnect::workflows::WorkflowKind::CreateEndpoint),
    );
    update(&mut app, Action::Submit);
    insta::assert_snapshot!("workflow_form_error", draw(&mut app, 120, 30).backend());
    update(&mut app, Action::Back);
    goto_table(&mut app, Pane::Peering, TableId::Peerings);
    update(&mut app, Action::Down);
    update(
        &mut app,
        Action::StartWorkflow(crossconnect::workflows::WorkflowKind::DeletePeering),
    );
    for c in "pcx-0b22".chars() {
        update(&mut app, Action::Input(c));
    }
    update(&mut app, Action::Submit);
    insta::assert_snapshot!(
        "workflow_destructive_plan",
        draw(&mut app, 120, 20).backend()
    );
}

#[test]
fn a_flapping_session_is_drawn_as_changed_and_down() {
    let mut app = demo_app(2);
    goto_table(&mut app, Pane::Vif, TableId::BgpPeers);
    let t = draw(&mut app, 180, 14);
    let buf = t.backend().buffer();
    let row = (0..buf.area.height)
        .find(|&y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .contains("dxpeer-fg2b2b2b")
        })
        .expect("flapping peer drawn");
    let line: String = (0..buf.area.width)
        .map(|x| buf[(x, row)].symbol())
        .collect();
    assert!(line.contains("down"), "{line}");
    // Changed rows carry the theme's `changed` background.
    let theme = Theme::load(Some("dark"), false).unwrap();
    assert_eq!(buf[(2, row)].bg, theme.changed.bg.unwrap());
}

#[test]
fn every_view_draws_at_every_size_without_panicking() {
    let widths = [1u16, 2, 3, 5, 10, 20, 40, 80, 120, 200, 300];
    let heights = [1u16, 2, 3, 4, 6, 10, 24, 50, 100];
    let mut app = demo_app(0);
    let mut views: Vec<View> = vec![Box::new(|a| {
        update(a, Action::GotoPane(Pane::Overview));
    })];
    for pane in Pane::ALL.iter().skip(1) {
        for &table in TableId::of(*pane) {
            let p = *pane;
            views.push(Box::new(move |a| goto_table(a, p, table)));
        }
    }
    views.push(Box::new(|a| {
        goto_table(a, Pane::Vif, TableId::Vifs);
        update(a, Action::Open);
    }));
    views.push(Box::new(|a| {
        update(a, Action::Help);
    }));
    views.push(Box::new(|a| {
        goto_table(a, Pane::Firewall, TableId::FirewallRules);
        update(a, Action::Filter);
        update(a, Action::Input('x'));
    }));
    views.push(Box::new(|a| {
        update(a, Action::Command);
        update(a, Action::Input('t'));
    }));
    views.push(Box::new(|a| {
        a.session.write = true;
        goto_table(a, Pane::Dx, TableId::DxConnections);
        update(
            a,
            Action::StartWorkflow(crossconnect::workflows::WorkflowKind::CreateVif),
        );
        update(a, Action::Submit);
    }));
    views.push(Box::new(|a| {
        a.session.write = true;
        goto_table(a, Pane::Vif, TableId::Vifs);
        update(
            a,
            Action::StartWorkflow(crossconnect::workflows::WorkflowKind::DeleteVif),
        );
    }));
    views.push(Box::new(|a| {
        update(a, Action::Command);
        for c in "journal".chars() {
            update(a, Action::Input(c));
        }
        update(a, Action::Submit);
    }));
    views.push(Box::new(|a| command(a, "topology")));
    views.push(Box::new(|a| {
        command(a, "path vpc-0a1b2c3d4e5f60005 10.10.0.2")
    }));
    views.push(Box::new(|a| command(a, "impact dxcon-fgq1x2y3")));
    for view in &views {
        view(&mut app);
        for &w in &widths {
            for &h in &heights {
                draw(&mut app, w, h);
            }
        }
        update(&mut app, Action::Back);
        update(&mut app, Action::Back);
    }
}

/// More failing calls than the Health box holds: as many as fit, then a count of the rest.
#[test]
fn overview_lists_failing_calls_as_far_as_they_fit() {
    use crossconnect::model::{ApiError, ResourceKind, Update};
    let mut app = demo_app(0);
    let at = app.now;
    for &kind in ResourceKind::ALL {
        update(
            &mut app,
            Action::Source(SourceMsg::Update(Update {
                account: crossconnect::demo::ACCOUNT.into(),
                region: "eu-west-2".into(),
                kind,
                at,
                result: Err(ApiError {
                    operation: "Describe".into(),
                    code: "AccessDeniedException".into(),
                    message: "not authorized".into(),
                }),
            })),
        );
    }
    let t = draw(&mut app, 120, 30);
    let screen = format!("{:?}", t.backend());
    assert!(screen.contains("more, each in its own pane"), "{screen}");
    insta::assert_snapshot!("overview_many_errors", t.backend());
}

/// At 120×40 and 80×24, every id, IP and CIDR of every table is drawn whole or ends with `…`;
/// a column that does not fit is hidden whole and the title says `+N columns`.
#[test]
fn ids_ips_and_cidrs_are_whole_or_marked_cut_at_every_table() {
    let id_like = regex::Regex::new(
        r"^(dx[a-z]*-|dxpeer-|vpc-|pcx-|tgw-|rslvr-|sg-|subnet-|vgw-|vpn-|[0-9a-f]{8}-[0-9a-f]{4}-)|^[0-9]{1,3}(\.[0-9]{1,3}){3}",
    )
    .unwrap();
    for (w, h) in [(120u16, 40u16), (80, 24)] {
        let mut app = demo_app(0);
        let mut checked = 0;
        for pane in Pane::ALL.iter().skip(1) {
            for &table in TableId::of(*pane) {
                goto_table(&mut app, *pane, table);
                let t = draw(&mut app, w, h);
                let buf = t.backend().buffer().clone();
                let lines: Vec<String> = (0..h)
                    .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
                    .collect();
                let hidden = lines
                    .iter()
                    .any(|l| l.contains("┌") && l.contains(" columns ←/→"));
                let view = app.view(table);
                for &ri in view.visible.iter().take((h as usize).saturating_sub(8)) {
                    let row = &view.rows[ri];
                    let first = &row.cells[1];
                    // The drawn line of this row: it has the pinned first column whole, and the
                    // most of the row's other cells (rows can share a first column).
                    let score = |l: &String| {
                        row.cells.iter().filter(|c| l.contains(c.as_str())).count() * 100
                            + row
                                .cells
                                .iter()
                                .filter(|c| l.contains(&c.chars().take(8).collect::<String>()))
                                .count()
                    };
                    let Some(line) = lines
                        .iter()
                        .filter(|l| l.contains(first.as_str()))
                        .max_by_key(|l| score(l))
                    else {
                        panic!(
                            "{table:?} at {w}x{h}: the pinned first column {first:?} is not drawn whole"
                        );
                    };
                    for cell in row.cells.iter().filter(|c| id_like.is_match(c)) {
                        let whole = line.contains(cell.as_str());
                        let cut = (1..cell.chars().count()).rev().any(|n| {
                            let p: String = cell.chars().take(n).collect();
                            line.contains(&format!("{p}…"))
                        });
                        assert!(
                            whole || cut || hidden,
                            "{table:?} at {w}x{h}: {cell:?} is cut without … in {line:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "only {checked} cells checked at {w}x{h}");
    }
}

/// A click on a tab opens that table; a click on a row selects it; a long table has a scrollbar.
#[test]
fn mouse_clicks_select_tabs_and_rows() {
    let mut app = demo_app(0);
    goto_table(&mut app, Pane::Tgw, TableId::TransitGateways);
    let t = draw(&mut app, 160, 30);
    let buf = t.backend().buffer().clone();
    // Find "Routes (" on the tab row and click it.
    let row: String = (0..160).map(|x| buf[(x, 2)].symbol().to_string()).collect();
    let col = row.find("Routes (").expect("the tab bar lists Routes") as u16;
    update(&mut app, Action::Click(col + 1, 2));
    assert_eq!(app.current_table(), Some(TableId::TgwRoutes));
    let t = draw(&mut app, 160, 12);
    let screen = format!("{}", t.backend());
    assert!(
        screen.contains('█') || screen.contains('║') || screen.contains('┃'),
        "a scrollbar: {screen}"
    );
    // The third row drawn.
    let ((_, y, _, _), _) = app.table_body.expect("rows were drawn");
    update(&mut app, Action::Click(5, y + 2));
    assert_eq!(app.view(TableId::TgwRoutes).selected, 2);
}

/// Drawing reads the state only; what the frame found out (an overlay's scroll clamped at its
/// end) is kept afterwards, so scrolling stops at the end and one key brings it back.
#[test]
fn overlays_stop_scrolling_at_their_end() {
    use crossconnect::app::Mode;
    let mut app = demo_app(0);
    goto_table(&mut app, Pane::Tgw, TableId::TgwRouteTables);
    update(&mut app, Action::Open);
    for _ in 0..50 {
        update(&mut app, Action::PageDown);
    }
    let scroll = |app: &crossconnect::app::App| match &app.mode {
        Mode::Details(d) => d.scroll,
        m => panic!("{m:?}"),
    };
    assert!(scroll(&app) > 500, "unclamped before a frame");
    draw(&mut app, 80, 12);
    let end = scroll(&app);
    assert!(end > 0 && end < 100, "clamped at the end: {end}");
    update(&mut app, Action::Up);
    assert_eq!(scroll(&app), end - 1, "one key up moves up at once");
}

/// The demo estate read in two accounts: the network account in both regions and a second,
/// `workload`, in us-east-1.
pub(crate) fn two_account_app() -> App {
    use crossconnect::model::{Account, Scope};
    let mut app = demo_app(0);
    let network = crossconnect::demo::ACCOUNT;
    let workload = "222233334444";
    let mut scopes: Vec<Scope> = crossconnect::demo::scopes();
    scopes.push(Scope::new(workload, "us-east-1"));
    let account = |id: &str, name: &str| Account {
        id: id.into(),
        name: name.into(),
        via: format!("profile {name}"),
        error: None,
    };
    app.set_scope(
        &scopes,
        vec![account(network, "network"), account(workload, "workload")],
    );
    let now = app.now;
    for u in crossconnect::demo::updates(0, now, &[]) {
        update(&mut app, Action::Source(SourceMsg::Update(u.clone())));
        if u.region == "us-east-1" {
            update(
                &mut app,
                Action::Source(SourceMsg::Update(u.in_account(workload))),
            );
        }
    }
    app
}

pub(crate) fn command(app: &mut App, cmd: &str) {
    update(app, Action::Command);
    for c in cmd.chars() {
        update(app, Action::Input(c));
    }
    update(app, Action::Submit);
}

#[test]
fn with_two_accounts_every_table_has_an_account_column_and_account_narrows_it() {
    let mut app = two_account_app();
    goto_table(&mut app, Pane::Peering, TableId::Vpcs);
    let t = draw(&mut app, 180, 24);
    let screen = format!("{:?}", t.backend());
    assert!(screen.contains("ACCOUNT") && screen.contains("REGION"));
    assert!(screen.contains("network") && screen.contains("workload"));
    assert!(screen.contains("2 accounts"), "the header shows the scope");
    insta::assert_snapshot!("two_accounts_vpcs", t.backend());

    command(&mut app, "account workload");
    let v = app.view(TableId::Vpcs);
    assert!(!v.visible.is_empty());
    assert!(
        v.visible
            .iter()
            .all(|&i| v.rows[i].account == "222233334444" && v.rows[i].cells[0] == "workload"),
        "only the workload account's rows"
    );
    let t = draw(&mut app, 180, 24);
    assert!(format!("{:?}", t.backend()).contains("showing account workload"));

    command(&mut app, "account all");
    command(&mut app, "region eu-west-2");
    let v = app.view(TableId::Vpcs);
    assert!(
        v.visible.iter().all(|&i| v.rows[i].region == "eu-west-2"
            && v.rows[i].account == crossconnect::demo::ACCOUNT)
    );
    command(&mut app, "account nobody");
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("network (111122223333)")),
        "{:?}",
        app.status
    );
}

#[test]
fn with_two_accounts_the_overview_has_a_health_line_per_account() {
    let mut app = two_account_app();
    app.estate.accounts.push(crossconnect::model::Account {
        id: "999988887777".into(),
        name: "sandbox".into(),
        via: "role arn:aws:iam::999988887777:role/Reader".into(),
        error: Some("sts AssumeRole failed: AccessDenied".into()),
    });
    let t = draw(&mut app, 150, 40);
    let screen = format!("{:?}", t.backend());
    assert!(screen.contains("Accounts:"), "{screen}");
    assert!(screen.contains("network (111122223333):"));
    assert!(screen.contains("workload (222233334444):"));
    assert!(screen.contains("sandbox (999988887777): NOT READ"));
    assert!(screen.contains("3 accounts (1 NOT READ)"));
    insta::assert_snapshot!("two_accounts_overview", t.backend());
}

/// `:topology` shows the DX gateway, the VIFs, the TGW and the VPCs by name on one screen;
/// `p` on a VPC traces it to on-prem, `Esc` comes back to the tree, `b` on a connection
/// gives its blast radius, and `Enter` goes to the resource's row.
#[test]
fn topology_tree_path_and_blast_radius_in_the_console() {
    let mut app = demo_app(0);
    command(&mut app, "topology");
    let t = draw(&mut app, 120, 40);
    let screen = format!("{:?}", t.backend());
    for name in [
        "corp-dxgw",
        "prod-transit-rst",
        "core-tgw-use1",
        "prod-app",
        "batch-jobs",
    ] {
        assert!(screen.contains(name), "{name} not on the topology screen");
    }
    insta::assert_snapshot!("topology", t.backend());
    // Down to the batch-jobs VPC (its return route is missing), then `p`.
    let rows = app.topology_rows(&Default::default());
    let at = rows
        .iter()
        .position(|r| r.id == "vpc-0a1b2c3d4e5f60005")
        .unwrap();
    for _ in 0..at {
        update(&mut app, Action::Down);
    }
    update(&mut app, Action::Path);
    let t = draw(&mut app, 120, 40);
    let screen = format!("{:?}", t.backend());
    assert!(screen.contains("UNREACHABLE"), "{screen}");
    assert!(screen.contains("has no route to 10.70.0.0/16"), "{screen}");
    insta::assert_snapshot!("path_missing_return_route", t.backend());
    update(&mut app, Action::Back);
    assert!(matches!(app.mode, crossconnect::app::Mode::Topology { .. }));
    // Fold the first location: its subtree goes.
    update(&mut app, Action::Top);
    let before = app.topology_rows(&Default::default()).len();
    update(&mut app, Action::ScrollLeft);
    let crossconnect::app::Mode::Topology { collapsed, .. } = &app.mode else {
        panic!()
    };
    let after = app.topology_rows(collapsed).len();
    assert!(after < before, "{after} < {before}");
    update(&mut app, Action::ScrollRight);
    // Blast radius of a connection from the DX table.
    update(&mut app, Action::Back);
    goto_table(&mut app, Pane::Dx, TableId::DxConnections);
    let v = app.view(TableId::DxConnections);
    let pos = v
        .visible
        .iter()
        .position(|&i| v.rows[i].id == "dxcon-fgq1x2y3")
        .unwrap();
    update(&mut app, Action::Top);
    for _ in 0..pos {
        update(&mut app, Action::Down);
    }
    update(&mut app, Action::Impact);
    let screen = format!("{:?}", draw(&mut app, 120, 30).backend());
    assert!(
        screen.contains("blast radius of dxcon-fgq1x2y3"),
        "{screen}"
    );
    // prod-app, shared-services, prod-eu (over the TGW peering) and the DX gateway;
    // batch-jobs has no working path to lose (its way back is missing: a working path works
    // both ways).
    assert!(screen.contains("loses redundancy: 4"), "{screen}");
    // prod-transit-ash and wan-transit-ash (Cloud WAN's DX gateway) ride it.
    assert!(screen.contains("working paths that ride it: 2"), "{screen}");
}
