//! An unparsable answer that quotes a BGP key must not carry the key into the error shown in
//! the pane or the snapshot. (Its own file: `masking.rs` captures the log with a scoped
//! subscriber, which parallel tests in one process would disturb.)

use crate::common;

use common::*;
use crossconnect::aws::OperationGuard;
use crossconnect::model::{Estate, Service};
use crossconnect::report::{self, ReportMeta};
use crossconnect::source::poll_service;

fn assert_clean(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} leaks {s}");
    }
}

#[tokio::test]
async fn an_unparsable_answer_quoting_a_key_does_not_leak_it_into_the_error() {
    let body = r#"{"virtualInterfaces":[{"virtualInterfaceId":"dxvif-x","authKey":"FIXTURE-SECRET-0xA1B2C3","vlan":"not-a-number"}]}"#;
    for status in [200u16, 500] {
        let bad = wiremock::ResponseTemplate::new(status)
            .set_body_raw(body, "application/x-amz-json-1.1");
        let server = fixture_server(&[("DescribeVirtualInterfaces", bad)]).await;
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
        let mut e = Estate::with_regions(&[REGION]);
        for u in updates {
            e.apply(u);
        }
        let err = e
            .region(REGION)
            .unwrap()
            .dx_vifs
            .error
            .clone()
            .expect("the VIF read failed");
        assert_clean("the error of an unparsable answer", &format!("{err:?}"));
        let meta = ReportMeta::now(false, None);
        assert_clean(
            "the JSON snapshot of a failed read",
            &report::json(&e, &meta).to_string(),
        );
    }
}
