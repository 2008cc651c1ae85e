//! One truth per poll: every view of the same thing agrees, every broken path is a finding,
//! and the demo never reaches real history or journals.

use std::collections::BTreeSet;
use std::time::Duration;

use crossconnect::action::{Action, Pane};
use crossconnect::app::update;
use crossconnect::model::ResourceKind;
use crossconnect::view::table::TableId;

use crate::cli::{bin, run, text};
use crate::render::{command, demo_app, draw, goto_table, two_account_app};

#[test]
fn the_demo_never_opens_the_real_history_or_journal() {
    let state = tempfile::tempdir().unwrap();
    let watch = bin()
        .args(["watch", "--demo", "--refresh", "1"])
        .env("XDG_STATE_HOME", state.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    unsafe { libc_kill(watch.id() as i32) };
    let out = watch.wait_with_output().unwrap();
    let said = text(&out.stdout);
    assert!(
        said.contains("111122223333"),
        "the demo's changes are printed: {said}"
    );
    let audit = run(bin()
        .args(["audit", "--demo", "--format", "json"])
        .env("XDG_STATE_HOME", state.path()));
    assert_eq!(audit.status.code(), Some(0), "{}", text(&audit.stderr));
    let left: Vec<_> = walk(state.path());
    assert!(
        !left
            .iter()
            .any(|p| p.contains("history") || p.contains("journal")),
        "the demo wrote into the state directory: {left:?}"
    );
    let h = run(bin()
        .args(["history", "--demo"])
        .env("XDG_STATE_HOME", state.path()));
    assert_ne!(h.status.code(), Some(0));
    assert!(
        text(&h.stderr).contains("demo keeps no history"),
        "{}",
        text(&h.stderr)
    );
}

unsafe extern "C" {
    #[link_name = "kill"]
    fn libc_kill_raw(pid: i32, sig: i32) -> i32;
}

/// SIGTERM: `watch` stops as it would under systemd.
unsafe fn libc_kill(pid: i32) {
    unsafe { libc_kill_raw(pid, 15) };
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

#[test]
fn path_exit_codes_follow_the_verdict_and_bad_ends_are_refused_before_any_call() {
    let code = |from: &str| {
        let o = run(bin().args(["path", "--demo", "--from", from, "--to", "10.10.0.2"]));
        (o.status.code(), text(&o.stdout), text(&o.stderr))
    };
    // prod-eu routes 10.0.0.0/8 to its TGW, whose route table has no way out.
    let (c, out, _) = code("vpc-0e1f2a3b4c5d60001");
    assert_eq!(c, Some(5), "{out}");
    assert!(
        out.contains("UNREACHABLE") && out.contains("eu-main has no route"),
        "{out}"
    );
    // prod-app: one VIF of four down.
    let (c, out, _) = code("vpc-0a1b2c3d4e5f60001");
    assert_eq!(c, Some(4), "{out}");
    // Not an end at all: refused before anything is read, with no AWS configured at all.
    let started = std::time::Instant::now();
    let o = run(bin().args([
        "path",
        "--from",
        "nonsense",
        "--to",
        "10.1.1.1",
        "--region",
        "us-east-1",
    ]));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("\"nonsense\" is not a VPC id"),
        "{}",
        text(&o.stderr)
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    let (c, _, err) = code("vpc-0000000000000dead");
    assert_eq!(c, Some(2), "{err}");
}

#[test]
fn broken_paths_are_findings_in_audit_and_markers_in_the_console() {
    let o = run(bin().args(["audit", "--demo", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let gap = findings
        .iter()
        .find(|f| f["code"] == "PATH-005")
        .expect("the demo's forward gap is a finding");
    assert!(gap["title"].as_str().unwrap().contains("prod-eu"), "{gap}");
    let mut app = demo_app(0);
    goto_table(&mut app, Pane::Peering, TableId::Vpcs);
    draw(&mut app, 200, 50);
    let v = app.view(TableId::Vpcs);
    let row = v
        .rows
        .iter()
        .find(|r| r.id == "vpc-0e1f2a3b4c5d60001")
        .unwrap();
    assert!(row.severity.is_some(), "prod-eu carries a marker");
}

/// (code, first resource id) of every finding `audit` reports for the demo.
fn audit_findings() -> BTreeSet<(String, String)> {
    let o = run(bin().args(["audit", "--demo", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["resources"][0]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn enter_raw_the_findings_table_and_audit_list_the_same_findings() {
    let mut app = demo_app(0);
    update(&mut app, Action::GotoPane(Pane::Findings));
    draw(&mut app, 200, 50);
    let table: BTreeSet<(String, String)> = app
        .view(TableId::Findings)
        .rows
        .iter()
        .map(|r| (r.cells[2].clone(), r.id.clone()))
        .collect();
    let derived: BTreeSet<(String, String)> = app
        .findings()
        .iter()
        .map(|f| (f.code.to_string(), f.resources[0].id.clone()))
        .collect();
    assert_eq!(table.len(), app.findings().len(), "one row per finding");
    assert_eq!(derived, audit_findings(), "the console and audit agree");
    // Enter and R on a down connection name the same findings as the table.
    goto_table(&mut app, Pane::Dx, TableId::DxConnections);
    let pos = app
        .view(TableId::DxConnections)
        .visible
        .iter()
        .position(|&i| app.view(TableId::DxConnections).rows[i].id == "dxcon-fgld5b02")
        .unwrap();
    for _ in 0..pos {
        update(&mut app, Action::Down);
    }
    let about = app
        .findings_about("eu-west-2", ResourceKind::DxConnections, "dxcon-fgld5b02")
        .len();
    assert!(about >= 2, "DX-001 and more: {about}");
    let heading = format!("Findings ({about})");
    update(&mut app, Action::Open);
    let details = format!("{:?}", draw(&mut app, 200, 50).backend());
    assert!(details.contains(&heading), "Enter: {heading}");
    update(&mut app, Action::Back);
    update(&mut app, Action::Raw);
    let raw = format!("{:?}", draw(&mut app, 200, 50).backend());
    assert!(raw.contains(&heading), "R: {heading}");
}

#[test]
fn a_dx_gateway_is_one_global_row_with_every_association() {
    let mut app = demo_app(0);
    goto_table(&mut app, Pane::Dxgw, TableId::DxGateways);
    let screen = format!("{:?}", draw(&mut app, 200, 50).backend());
    let gateways: BTreeSet<String> = app
        .view(TableId::DxGateways)
        .rows
        .iter()
        .map(|r| r.id.clone())
        .collect();
    assert_eq!(app.view(TableId::DxGateways).rows.len(), gateways.len());
    assert!(
        screen.contains(&format!("({})", gateways.len())),
        "tab counts each gateway once"
    );
    assert!(screen.contains("global"), "{screen}");
    command(&mut app, "region eu-west-2");
    assert_eq!(
        app.view(TableId::DxGateways).visible.len(),
        gateways.len(),
        "kept under :region"
    );
    command(&mut app, "region all");
    update(&mut app, Action::Open);
    let details = format!("{:?}", draw(&mut app, 200, 60).backend());
    let assoc = details.split("Associations").nth(1).unwrap_or_default();
    assert!(!assoc.trim_start().starts_with("(none)"), "{details}");
    assert!(assoc.contains("associated"), "{details}");
}

#[test]
fn account_narrows_the_overview_counts() {
    let mut app = two_account_app();
    let all = format!("{:?}", draw(&mut app, 200, 50).backend());
    command(&mut app, "account workload");
    let workload = format!("{:?}", draw(&mut app, 200, 50).backend());
    let dx_row = |s: &str| {
        s.lines()
            .find(|l| l.contains("2 DX connections & LAGs"))
            .map(|l| l.split_whitespace().take(9).collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    assert_ne!(
        dx_row(&all),
        dx_row(&workload),
        "the DX row changes with the account"
    );
    let n = app.narrow();
    assert_eq!(
        app.derived
            .kind_figures(&[ResourceKind::DxConnections], &n)
            .total,
        app.estate
            .region_of("222233334444", "us-east-1")
            .unwrap()
            .dx_connections
            .items
            .len(),
        "the workload account's own connections"
    );
    let title = |s: &str| {
        s.lines()
            .find(|l| l.contains("Overview ·"))
            .unwrap_or("")
            .to_string()
    };
    assert_ne!(
        title(&all),
        title(&workload),
        "the findings total follows the account"
    );
}

#[test]
fn a_failed_route_count_read_marks_the_vif_table_and_the_overview_not_the_findings() {
    use crossconnect::model::{ApiError, Update};
    let mut app = demo_app(0);
    // A fresh estate whose route counts never answered: the read failed from the start.
    let now = app.now;
    let mut fresh = crossconnect::app::App::new(
        crossconnect::run::starting_estate(&app.session.clone()),
        app.session.clone(),
        now,
    );
    for u in crossconnect::demo::updates(0, now, &[]) {
        if u.kind != ResourceKind::DxVifRoutes {
            update(
                &mut fresh,
                Action::Source(crossconnect::source::SourceMsg::Update(u)),
            );
        }
    }
    for region in ["us-east-1", "eu-west-2"] {
        let err = ApiError {
            operation: "ListVirtualInterfaceRoutes".into(),
            code: "AccessDeniedException".into(),
            message: "not authorized".into(),
        };
        let u = Update::err(region, ResourceKind::DxVifRoutes, now, err)
            .in_account(crossconnect::demo::ACCOUNT);
        update(
            &mut fresh,
            Action::Source(crossconnect::source::SourceMsg::Update(u)),
        );
    }
    app = fresh;
    goto_table(&mut app, Pane::Vif, TableId::Vifs);
    let screen = format!("{:?}", draw(&mut app, 200, 50).backend());
    assert!(
        screen.contains("ListVirtualInterfaceRoutes"),
        "the error is on the VIF table: {screen}"
    );
    assert!(screen.contains("ERROR"), "{screen}");
    let v = app.view(TableId::Vifs);
    let col = TableId::Vifs
        .columns()
        .iter()
        .position(|c| c.0 == "PREFIXES")
        .unwrap()
        + 1;
    let unknown = v.rows.iter().filter(|r| r.cells[col] == "?").count();
    assert!(unknown > 0, "PREFIXES is ? where no metric says otherwise");
    update(&mut app, Action::GotoPane(Pane::Overview));
    let overview = format!("{:?}", draw(&mut app, 200, 50).backend());
    let row = overview
        .lines()
        .find(|l| l.contains("3 Virtual interfaces"))
        .unwrap()
        .to_string();
    let cells: Vec<&str> = row.split_whitespace().collect();
    // "│3 Virtual interfaces, then TOTAL HEALTHY PENDING BROKEN NO-STATE ERRORS
    assert_eq!(
        cells.get(8).copied(),
        Some("2"),
        "ERRORS counts both regions' failed reads: {row}"
    );
    update(&mut app, Action::GotoPane(Pane::Findings));
    let findings = format!("{:?}", draw(&mut app, 200, 50).backend());
    let title = findings
        .lines()
        .find(|l| l.contains("┌ Findings"))
        .unwrap_or("");
    assert!(
        !title.contains("ERROR"),
        "the findings table is not in error: {title}"
    );
    assert!(title.contains("not fully assessed"), "{title}");
}

/// At 120×40 every table shows its essential columns (state, BGP status, target, finding), and
/// every id, IP or CIDR cell of the rows on screen is drawn whole (or its column is hidden
/// whole), never cut.
#[test]
fn at_120x40_every_table_shows_its_essential_columns_and_whole_ids() {
    let id_like = regex::Regex::new(
        r"^((dx[a-z]*|dxpeer|vpc|pcx|tgw|tgw-attach|tgw-rtb|rtb|rslvr|sg|subnet|vgw|vpn)-[0-9a-z-]+|[0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]+)?([, ][0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]+)?)*)$",
    )
    .unwrap();
    let mut app = demo_app(0);
    for pane in Pane::ALL.iter().skip(1) {
        for &table in TableId::of(*pane) {
            goto_table(&mut app, *pane, table);
            let t = draw(&mut app, 120, 40);
            let buf = t.backend().buffer().clone();
            let lines: Vec<String> = (0..40u16)
                .map(|y| {
                    (0..120u16)
                        .map(|x| buf[(x, y)].symbol().to_string())
                        .collect()
                })
                .collect();
            let header = lines
                .iter()
                .find(|l| l.contains("REGION"))
                .unwrap_or_else(|| panic!("{table:?}: no header"));
            for (h, _) in table.columns() {
                if crossconnect::view::columns::ESSENTIAL.contains(h) {
                    assert!(
                        header.contains(h),
                        "{table:?} at 120x40 hides its essential column {h}: {header}"
                    );
                }
            }
            let view = app.view(table);
            for &ri in view.visible.iter().take(30) {
                let row = &view.rows[ri];
                // The row's line: the one holding the most of its cells.
                let Some(line) = lines
                    .iter()
                    .filter(|l| l.contains(row.cells[1].as_str()))
                    .max_by_key(|l| row.cells.iter().filter(|c| l.contains(c.as_str())).count())
                else {
                    continue;
                };
                // Whole, or not shown at all: never a piece of it ending in `…`.
                for cell in row.cells.iter().filter(|c| id_like.is_match(c)) {
                    let chars: Vec<char> = cell.chars().collect();
                    let cut = (7..chars.len()).any(|k| {
                        let piece: String = chars[..k].iter().collect();
                        line.contains(&format!("{piece}…"))
                    });
                    assert!(
                        line.contains(cell.as_str()) || !cut,
                        "{table:?} at 120x40 cuts {cell:?}: {line}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_cross_account_label_marks_the_other_side_of_a_peering() {
    use crossconnect::model::{Scope, VpcPeering};
    let mut app = demo_app(0);
    // A peering the demo account accepted from another account: read in the accepter's.
    let mut p = VpcPeering {
        id: "pcx-0f0f0f0f0f0f0f0f0".into(),
        name: "from-partner".into(),
        state: "active".into(),
        ..Default::default()
    };
    p.requester.vpc_id = "vpc-0f9e8d7c6b5a40009".into();
    p.requester.owner_id = Some("444455556666".into());
    p.requester.cidrs = vec!["172.30.0.0/16".into()];
    p.accepter.vpc_id = "vpc-0a1b2c3d4e5f60001".into();
    p.accepter.owner_id = Some(crossconnect::demo::ACCOUNT.into());
    p.accepter.cidrs = vec!["10.20.0.0/16".into()];
    let scope = Scope::new(crossconnect::demo::ACCOUNT, "us-east-1");
    let mut peerings = app.estate.scopes[&scope].vpc_peerings.items.clone();
    peerings.push(p);
    let u = crossconnect::model::Update::ok(
        "us-east-1",
        app.now,
        crossconnect::model::Batch::VpcPeerings(peerings),
    )
    .in_account(crossconnect::demo::ACCOUNT);
    update(
        &mut app,
        Action::Source(crossconnect::source::SourceMsg::Update(u)),
    );
    goto_table(&mut app, Pane::Peering, TableId::Peerings);
    draw(&mut app, 200, 50);
    let v = app.view(TableId::Peerings);
    let row = v
        .rows
        .iter()
        .find(|r| r.id == "pcx-0f0f0f0f0f0f0f0f0")
        .unwrap();
    let cols = TableId::Peerings.columns();
    let cell = |h: &str| &row.cells[cols.iter().position(|c| c.0 == h).unwrap() + 1];
    assert!(
        cell("REQUESTER").contains("acct 444455556666"),
        "{:?}",
        row.cells
    );
    assert!(!cell("ACCEPTER").contains("acct"), "{:?}", row.cells);
}

#[test]
fn at_80_columns_the_tab_bar_keeps_the_selected_table_in_view() {
    let mut app = demo_app(0);
    for pane in Pane::ALL.iter().skip(1) {
        for &table in TableId::of(*pane) {
            goto_table(&mut app, *pane, table);
            let t = draw(&mut app, 80, 24);
            let buf = t.backend().buffer().clone();
            let tabs: String = (0..80u16)
                .map(|x| buf[(x, 2)].symbol().to_string())
                .collect();
            assert!(
                tabs.contains(&format!("{} (", table.title())),
                "{pane:?}/{table:?}: the selected tab is not in view: {tabs}"
            );
        }
    }
}
