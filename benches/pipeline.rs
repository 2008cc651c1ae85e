//! Speed goals (run with `cargo bench`): render one frame of a table pane holding 100 000
//! routes at 200×50 (≤ 2 ms), filter 100 000 rows (≤ 10 ms), ingest a snapshot of 100 000
//! resources into the model and its table rows.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use crossconnect::action::{Action, Pane};
use crossconnect::app::{App, Session, update};
use crossconnect::model::{Batch, Estate, RouteTarget, TgwRoute, Update};
use crossconnect::source::SourceMsg;
use crossconnect::ui::theme::Theme;
use crossconnect::view::table::{TableId, TableView};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// 100 000 TGW routes over 10 route tables, every 97th a blackhole.
pub fn routes(n: usize) -> Vec<TgwRoute> {
    (0..n)
        .map(|i| TgwRoute {
            route_table_id: format!("tgw-rtb-{:017x}", i % 10),
            destination: format!("10.{}.{}.0/24", (i / 256) % 256, i % 256),
            route_type: if i % 3 == 0 { "static" } else { "propagated" }.into(),
            state: if i % 97 == 0 { "blackhole" } else { "active" }.into(),
            targets: vec![RouteTarget {
                attachment_id: Some(format!("tgw-attach-{:017x}", i % 50)),
                resource_id: Some(format!("vpc-{:017x}", i % 50)),
                resource_type: Some("vpc".into()),
            }],
        })
        .collect()
}

fn update_of(routes: Vec<TgwRoute>) -> Update {
    Update::ok("us-east-1", chrono::Utc::now(), Batch::TgwRoutes(routes))
}

fn benches(c: &mut Criterion) {
    let batch = routes(100_000);

    c.bench_function("ingest 100k routes into model and table rows", |b| {
        b.iter_batched(
            || update_of(batch.clone()),
            |u| {
                let mut e = Estate::with_regions(&["us-east-1"]);
                e.apply(u);
                let mut v = TableView::default();
                v.sync(TableId::TgwRoutes, &e);
                black_box(v.rows.len())
            },
            criterion::BatchSize::LargeInput,
        )
    });

    let mut e = Estate::with_regions(&["us-east-1"]);
    e.apply(update_of(batch.clone()));
    let mut view = TableView::default();
    view.sync(TableId::TgwRoutes, &e);
    c.bench_function("filter 100k rows", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            view.filter = if flip {
                "blackhole".into()
            } else {
                "10.42.".into()
            };
            view.apply_filter();
            black_box(view.visible.len())
        })
    });

    let session = Session {
        regions: vec!["us-east-1".into()],
        refresh: Duration::from_secs(30),
        ..Default::default()
    };
    let mut app = App::new(
        crossconnect::run::starting_estate(&session),
        session,
        chrono::Utc::now(),
    );
    update(
        &mut app,
        Action::Source(SourceMsg::Update(update_of(batch))),
    );
    update(&mut app, Action::GotoPane(Pane::Tgw));
    while app.current_table() != Some(TableId::TgwRoutes) {
        update(&mut app, Action::NextTab);
    }
    update(&mut app, Action::PageDown);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    let theme = Theme::load(None, false).unwrap();
    terminal
        .draw(|f| crossconnect::ui::draw(f, &mut app, &theme))
        .unwrap();
    c.bench_function("render frame of 100k-route table at 200x50", |b| {
        b.iter(|| {
            update(&mut app, Action::Down);
            terminal
                .draw(|f| crossconnect::ui::draw(f, &mut app, &theme))
                .unwrap();
        })
    });
}

/// `n` history events: BGP sessions going down and up, over the last day.
fn history_events(n: usize) -> Vec<crossconnect::history::Event> {
    let now = chrono::Utc::now();
    (0..n)
        .map(|i| crossconnect::history::Event {
            at: now - chrono::Duration::seconds((n - i) as i64 * 4),
            account: crossconnect::demo::ACCOUNT.into(),
            region: "us-east-1".into(),
            kind: crossconnect::model::ResourceKind::DxVirtualInterfaces.into(),
            resource_id: format!("dxvif-{:08x}", i % 400),
            name: format!("vif-{}", i % 400),
            field: "bgp_peers[dxpeer-1].bgp_status".into(),
            old: Some(if i % 2 == 0 { "up" } else { "down" }.into()),
            new: Some(if i % 2 == 0 { "down" } else { "up" }.into()),
        })
        .collect()
}

/// A console holding `accounts` accounts, each with the demo's us-east-1 estate.
fn org_app(accounts: usize) -> App {
    use crossconnect::model::Scope;
    let now = chrono::Utc::now();
    let ids: Vec<String> = (0..accounts)
        .map(|i| format!("{:012}", 100_000_000_000u64 + i as u64))
        .collect();
    let scopes: Vec<Scope> = ids.iter().map(|a| Scope::new(a, "us-east-1")).collect();
    let session = Session {
        regions: vec!["us-east-1".into()],
        refresh: Duration::from_secs(600),
        ..Default::default()
    };
    let mut app = App::new(crossconnect::run::starting_estate(&session), session, now);
    app.set_scope(&scopes, vec![]);
    for a in &ids {
        for u in crossconnect::demo::updates(0, now, &["us-east-1".to_string()]) {
            update(&mut app, Action::Source(SourceMsg::Update(u.in_account(a))));
        }
    }
    app
}

/// Keypress → redraw: `j` then one frame, on each of the panes named.
fn keypress(c: &mut Criterion, name: &str, app: &mut App, panes: &[Pane], w: u16, h: u16) {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let theme = Theme::load(None, false).unwrap();
    for &p in panes {
        update(app, Action::GotoPane(p));
        // The derived state is built once, when the model changed, not per key.
        terminal
            .draw(|f| crossconnect::ui::draw(f, app, &theme))
            .unwrap();
        c.bench_function(&format!("{name}: j + redraw on {p:?} at {w}x{h}"), |b| {
            let mut down = true;
            b.iter(|| {
                down = !down;
                update(app, if down { Action::Down } else { Action::Up });
                terminal
                    .draw(|f| crossconnect::ui::draw(f, app, &theme))
                    .unwrap();
            })
        });
    }
}

fn keys(c: &mut Criterion) {
    // 100 000 routes and 20 000 history events at 200x50.
    let session = Session {
        regions: vec!["us-east-1".into()],
        refresh: Duration::from_secs(30),
        ..Default::default()
    };
    let mut app = App::new(
        crossconnect::run::starting_estate(&session),
        session,
        chrono::Utc::now(),
    );
    update(
        &mut app,
        Action::Source(SourceMsg::Update(update_of(routes(100_000)))),
    );
    app.timeline = std::sync::Arc::new(history_events(20_000));
    app.timeline_at += 1;
    keypress(
        c,
        "100k routes + 20k events",
        &mut app,
        &[Pane::Overview, Pane::Tgw, Pane::Findings],
        200,
        50,
    );
    let mut org = org_app(200);
    keypress(
        c,
        "200 accounts",
        &mut org,
        &[Pane::Overview, Pane::Tgw, Pane::Dx],
        200,
        50,
    );
    // 500 accounts with a poll in flight: an answer arrives before every key, so each frame
    // sees a new revision. Apart (the console's way): the loop merges the answer and answers
    // the key; the derived state is built on another thread and taken when it is done. In
    // place (tests' way): the derived state is built again for each.
    answers_while_keys(c, true);
    answers_while_keys(c, false);
    // The keys that open something: Enter (details), p (path), b (blast radius), :topology.
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    let theme = Theme::load(None, false).unwrap();
    let mut open = |name: &str, app: &mut App, pane: Pane, table: TableId, key: Action| {
        update(app, Action::GotoPane(pane));
        while app.current_table() != Some(table) {
            update(app, Action::NextTab);
        }
        terminal
            .draw(|f| crossconnect::ui::draw(f, app, &theme))
            .unwrap();
        c.bench_function(&format!("200 accounts: {name} + redraw + Esc"), |b| {
            b.iter(|| {
                update(app, key.clone());
                terminal
                    .draw(|f| crossconnect::ui::draw(f, app, &theme))
                    .unwrap();
                update(app, Action::Back);
            })
        });
    };
    open(
        "Enter on a VIF",
        &mut org,
        Pane::Vif,
        TableId::Vifs,
        Action::Open,
    );
    open(
        "p on a VPC",
        &mut org,
        Pane::Peering,
        TableId::Vpcs,
        Action::Path,
    );
    open(
        "b on a connection",
        &mut org,
        Pane::Dx,
        TableId::DxConnections,
        Action::Impact,
    );
}

/// An answer arriving for one of 500 accounts, then `j`/`k` and a redraw at 200×50, each
/// iteration; `apart`: the derived state built on another thread as the console does.
fn answers_while_keys(c: &mut Criterion, apart: bool) {
    let now = chrono::Utc::now();
    let arriving: Vec<_> = crossconnect::demo::updates(1, now, &["us-east-1".to_string()])
        .into_iter()
        .map(|u| u.in_account("100000000250"))
        .collect();
    let mut app = org_app(500);
    app.sync();
    app.derive_apart = apart;
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    let theme = Theme::load(None, false).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let how = if apart { ", derived apart" } else { "" };
    for pane in [Pane::Overview, Pane::Tgw] {
        update(&mut app, Action::GotoPane(pane));
        let name = format!(
            "500 accounts, a poll in flight{how}: an answer + j + redraw on {pane:?} at 200x50"
        );
        c.bench_function(&name, |b| {
            let mut i = 0usize;
            b.iter(|| {
                let u = arriving[i % arriving.len()].clone();
                i += 1;
                update(&mut app, Action::Source(SourceMsg::Update(u)));
                if let Ok(built) = rx.try_recv() {
                    update(&mut app, Action::Source(SourceMsg::Derived(Some(built))));
                }
                let old = std::mem::take(&mut app.discarded);
                std::thread::spawn(move || drop(old));
                if let Some(job) = app.derive_job() {
                    let tx = tx.clone();
                    std::thread::spawn(move || tx.send(Box::new(job.build())));
                }
                let key = if i.is_multiple_of(2) {
                    Action::Down
                } else {
                    Action::Up
                };
                update(&mut app, key);
                terminal
                    .draw(|f| crossconnect::ui::draw(f, &mut app, &theme))
                    .unwrap();
            })
        });
    }
}

criterion_group!(name = keys_group; config = Criterion::default().sample_size(20); targets = keys);
criterion_group!(name = pipeline; config = Criterion::default().sample_size(20); targets = benches);
criterion_main!(pipeline, keys_group);
