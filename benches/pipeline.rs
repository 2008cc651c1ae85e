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
    let mut app = App::new(session, chrono::Utc::now());
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

criterion_group!(name = pipeline; config = Criterion::default().sample_size(20); targets = benches);
criterion_main!(pipeline);
