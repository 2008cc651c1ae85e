//! BGP auth keys never leak: the keys of a fixture VIF (on the VIF, on each BGP peer and in
//! its router config) appear nowhere in the model, the JSON and Markdown snapshots, the
//! details view, or the log, even at trace level.

use crate::common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use crossconnect::action::{Action, Pane};
use crossconnect::app::{App, Session, update};
use crossconnect::aws::OperationGuard;
use crossconnect::model::{Estate, Service};
use crossconnect::report::{self, ReportMeta};
use crossconnect::source::{SourceMsg, poll_service};
use crossconnect::view::table::TableId;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} leaks {s}");
    }
}

#[tokio::test]
async fn auth_keys_appear_nowhere() {
    let log = Buf::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_env_filter(crossconnect::logging::filter_from("trace"))
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = fixture_server(&[]).await;
    let fixture: String = [
        "DescribeVirtualInterfaces",
        "DescribeConnections",
        "DescribeLags",
    ]
    .iter()
    .map(|op| {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/directconnect/{op}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    })
    .collect();
    assert!(
        SECRETS.iter().all(|s| fixture.contains(s)),
        "the fixture carries the keys"
    );

    let c = clients(
        REGION,
        &server.uri(),
        &server.uri(),
        &server.uri(),
        &OperationGuard::read_only(),
    )
    .await;
    let mut updates = vec![];
    poll_service(&c, Service::DirectConnect, &mut |u| updates.push(u)).await;
    let mut estate = Estate::with_regions(&[REGION]);
    for u in updates.clone() {
        estate.apply(u);
    }
    let vif = &estate.region(REGION).unwrap().dx_vifs.items[0];
    assert_eq!(vif.id, "dxvif-fxsecret1");
    assert!(
        vif.auth_key.is_some() && vif.bgp_peers.iter().all(|p| p.auth_key.is_some()),
        "presence is kept"
    );
    assert!(
        vif.customer_router_config
            .as_deref()
            .unwrap()
            .contains("<bgp_auth_key>********</bgp_auth_key>")
    );

    assert_clean("the model", &format!("{estate:?}"));
    let meta = ReportMeta::now(false, None);
    assert_clean(
        "the JSON snapshot",
        &report::json(&estate, &meta).to_string(),
    );
    assert_clean("the Markdown snapshot", &report::markdown(&estate, &meta));

    let session = Session {
        regions: vec![REGION.into()],
        refresh: Duration::from_secs(30),
        ..Default::default()
    };
    let mut app = App::new(
        crossconnect::run::starting_estate(&session),
        session,
        chrono::Utc::now(),
    );
    for u in updates {
        update(&mut app, Action::Source(SourceMsg::Update(u)));
    }
    // The MACsec keys are kept as set, never as values.
    let conn = &estate.region(REGION).unwrap().dx_connections.items[0];
    assert_eq!(conn.mac_sec_keys.len(), 1);
    assert!(conn.mac_sec_keys[0].ckn.is_some(), "presence is kept");
    for (pane, table) in [
        (Pane::Vif, TableId::Vifs),
        (Pane::Vif, TableId::BgpPeers),
        (Pane::Dx, TableId::DxConnections),
        (Pane::Dx, TableId::DxLags),
    ] {
        update(&mut app, Action::GotoPane(pane));
        while app.current_table() != Some(table) {
            update(&mut app, Action::NextTab);
        }
        update(&mut app, Action::Top);
        update(&mut app, Action::Open);
        let mut t = Terminal::new(TestBackend::new(200, 60)).unwrap();
        t.draw(|f| {
            crossconnect::ui::draw(
                f,
                &mut app,
                &crossconnect::ui::theme::Theme::load(None, false).unwrap(),
            )
        })
        .unwrap();
        let screen = format!("{}", t.backend());
        assert!(
            ["dxvif-fxsecret1", "dxcon-fx0a1b2c", "dxlag-fxabcdef"]
                .iter()
                .any(|id| screen.contains(id))
                && screen.contains("********"),
            "details drawn: {screen}"
        );
        assert_clean("the details view", &screen);
        update(&mut app, Action::Back);
    }

    let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("poll finished"),
        "the log captured the poll: {logged}"
    );
    assert_clean("the log", &logged);
}
