//! Peak resident memory of a process holding 100 000 resources in the model and their table
//! rows: `cargo bench --bench rss`. Target: ≤ 200 MB.

use crossconnect::model::{Batch, Estate, RouteTarget, TgwRoute, Update};
use crossconnect::view::table::{TableId, TableView};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() {
    let routes: Vec<TgwRoute> = (0..100_000)
        .map(|i| TgwRoute {
            route_table_id: format!("tgw-rtb-{:017x}", i % 10),
            destination: format!("10.{}.{}.0/24", (i / 256) % 256, i % 256),
            route_type: "propagated".into(),
            state: if i % 97 == 0 { "blackhole" } else { "active" }.into(),
            targets: vec![RouteTarget {
                attachment_id: Some(format!("tgw-attach-{:017x}", i % 50)),
                resource_id: Some(format!("vpc-{:017x}", i % 50)),
                resource_type: Some("vpc".into()),
            }],
        })
        .collect();
    let mut e = Estate::with_regions(&["us-east-1"]);
    e.apply(Update::ok(
        "us-east-1",
        chrono::Utc::now(),
        Batch::TgwRoutes(routes),
    ));
    let mut v = TableView::default();
    v.sync(TableId::TgwRoutes, &e);
    println!("resources: {}  rows: {}", e.resource_count(), v.rows.len());
    match peak_rss_kib() {
        Some(k) => println!("peak RSS: {:.1} MB", k as f64 / 1024.0),
        None => println!("peak RSS: unavailable (no /proc/self/status)"),
    }
}
