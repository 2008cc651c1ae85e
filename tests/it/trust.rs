//! What the console shows and does can be trusted (issues 7 and 8), through the real SDK and
//! the real binary against wire-level fixtures: BGP keys masked by value everywhere, a cut
//! answer is a failed read, the SDK's retry settings apply, a broken profile is refused in one
//! line, and a hung service ends by the deadline.

use crate::cli::{bin, run, text};
use crate::common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use crossconnect::action::{Action, Pane};
use crossconnect::app::{App, Session, update};
use crossconnect::audit::{Audit, AuditFormat};
use crossconnect::aws::OperationGuard;
use crossconnect::model::{Estate, Service};
use crossconnect::report::{self, ReportMeta};
use crossconnect::source::{SourceMsg, poll_service};
use crossconnect::view::table::TableId;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

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

/// Keys that defeat patterns: `md5`, `password` and `key` inside them, quotes, `<`, spaces,
/// a backslash.
const TRICKY_KEYS: [&str; 4] = [
    "Zq7-md5-T00r",
    "pAssword\"9<Qx z",
    "mY key'7<md5> Ok",
    "a\"b<c d>e\\fG",
];

/// Four VIFs, each key in its VIF, its BGP peer and its router configuration (XML, Cisco,
/// Juniper, free text); the last one's name quotes its key too.
fn vifs_body(keys: &[String]) -> String {
    let configs = [
        |k: &str| {
            format!(
                "<?xml version=\"1.0\"?><logical_connection><bgp_auth_key>{k}</bgp_auth_key></logical_connection>"
            )
        },
        |k: &str| {
            format!(
                "router bgp 65100\n neighbor 169.254.0.1 remote-as 64512\n neighbor 169.254.0.1 password 7 {k}\n"
            )
        },
        |k: &str| {
            format!(
                "protocols {{ bgp {{ group aws {{ neighbor 169.254.0.1 {{ authentication-key \"{k}\"; }} }} }} }}"
            )
        },
        |k: &str| format!("! neighbor key {k}\n! use {k} on both sides"),
    ];
    let vifs: Vec<serde_json::Value> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let name = if i == 3 {
                format!("vif with {k} in its name")
            } else {
                format!("vif-{i}")
            };
            serde_json::json!({
                "ownerAccount": "123456789012", "virtualInterfaceId": format!("dxvif-tricky{i}"),
                "location": "EqFA5", "connectionId": "dxcon-fx0a1b2c", "virtualInterfaceType": "transit",
                "virtualInterfaceName": name, "vlan": 500 + i, "asn": 65100, "authKey": k,
                "amazonAddress": "169.254.0.1/30", "customerAddress": "169.254.0.2/30",
                "addressFamily": "ipv4", "virtualInterfaceState": "available",
                "customerRouterConfig": configs[i](k), "mtu": 1500,
                "directConnectGatewayId": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "region": REGION,
                "bgpPeers": [{"bgpPeerId": format!("dxpeer-tricky{i}"), "asn": 65100, "authKey": k,
                    "addressFamily": "ipv4", "bgpPeerState": "available", "bgpStatus": "up"}]
            })
        })
        .collect();
    serde_json::json!({ "virtualInterfaces": vifs }).to_string()
}

/// Every place a key could show: the model, both snapshots, every audit format, the details
/// view of each VIF, and a log at `trace,aws_smithy_runtime::client=trace`.
async fn everything_shown(keys: &[String]) -> String {
    let log = Buf::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(crossconnect::logging::ScrubMakeWriter(move || {
            writer.clone()
        }))
        .with_ansi(false)
        .with_env_filter(crossconnect::logging::filter_from(
            "trace,aws_smithy_runtime::client=trace",
        ))
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = fixture_server(&[(
        "DescribeVirtualInterfaces",
        ResponseTemplate::new(200).set_body_raw(vifs_body(keys), "application/x-amz-json-1.1"),
    )])
    .await;
    let c = clients_at(&server.uri(), &OperationGuard::read_only()).await;
    let mut updates = vec![];
    poll_service(&c, Service::DirectConnect, &mut |u| updates.push(u)).await;
    let mut estate = Estate::with_regions(&[REGION]);
    for u in updates.clone() {
        estate.apply(u);
    }
    assert_eq!(
        estate.region(REGION).unwrap().dx_vifs.items.len(),
        4,
        "the VIFs were read"
    );
    let mut out = format!("{estate:?}\n");
    let meta = ReportMeta::now(false, None);
    out.push_str(&report::json(&estate, &meta).to_string());
    out.push_str(&report::markdown(&estate, &meta));
    let audit = Audit::new(&estate, &meta);
    for f in [
        AuditFormat::Json,
        AuditFormat::Markdown,
        AuditFormat::Csv,
        AuditFormat::Sarif,
    ] {
        out.push_str(&audit.render(f));
    }
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
    update(&mut app, Action::GotoPane(Pane::Vif));
    assert_eq!(app.current_table(), Some(TableId::Vifs));
    update(&mut app, Action::Top);
    for _ in 0..4 {
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
        assert!(screen.contains("dxvif-tricky"), "details drawn: {screen}");
        out.push_str(&screen);
        update(&mut app, Action::Back);
        update(&mut app, Action::Down);
    }
    let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("DescribeVirtualInterfaces") && logged.contains("read HTTP response body"),
        "the log holds the response bodies"
    );
    out.push_str(&logged);
    out
}

fn pieces(key: &str) -> Vec<String> {
    let c: Vec<char> = key.chars().collect();
    c.windows(4).map(|w| w.iter().collect()).collect()
}

#[tokio::test]
async fn no_four_character_piece_of_a_key_survives_anywhere() {
    let real: Vec<String> = TRICKY_KEYS.iter().map(|k| k.to_string()).collect();
    // The same estate with harmless keys: a piece that shows in both is the app's own text
    // (a config keyword, a header), not a leak.
    let stand_in: Vec<String> = (0..4).map(|i| format!("QQQQQQQQ{i}")).collect();
    let shown = everything_shown(&real).await;
    let baseline = everything_shown(&stand_in).await;
    for k in TRICKY_KEYS {
        for p in pieces(k) {
            assert!(
                !shown.contains(&p) || baseline.contains(&p),
                "{p:?} of a BGP key survives; around it: {}",
                shown
                    .find(&p)
                    .map(|i| &shown[i.saturating_sub(120)..(i + 40).min(shown.len())])
                    .unwrap_or_default()
            );
        }
    }
}

/// An EC2 answer cut half way, its Content-Length matching what is sent.
fn truncated_ec2() -> ResponseTemplate {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><vpcSet><item><vpcId>vpc-0aaa</vpcId><state>available</state><cidrBlock>10.0.0.0/16</cidrBlock></item><item><vpcId>vpc-0b"#;
    ResponseTemplate::new(200).set_body_raw(body, "text/xml;charset=UTF-8")
}

#[tokio::test(flavor = "multi_thread")]
async fn with_every_ec2_answer_cut_short_the_snapshot_exits_2_and_lists_the_ec2_reads() {
    let fixtures = fixture_server(&[]).await;
    let ec2 = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(truncated_ec2())
        .mount(&ec2)
        .await;
    let out = tokio::task::spawn_blocking({
        let (f, e) = (fixtures.uri(), ec2.uri());
        move || {
            run(bin()
                .args(["snapshot", "--format", "json", "--region", REGION])
                .env("AWS_ENDPOINT_URL", &f)
                .env("AWS_ENDPOINT_URL_EC2", &e)
                .env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "testing")
                .env("AWS_MAX_ATTEMPTS", "1"))
        }
    })
    .await
    .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for op in [
        "DescribeVpcs",
        "DescribeVpcPeeringConnections",
        "DescribeTransitGateways",
        "DescribeSubnets",
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(op) && l.contains("TruncatedAnswer")),
            "{op} is listed as a failed read: {err}"
        );
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["regions"][0]["vpc_peering"]["vpcs"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing of a cut answer is taken as data"
    );
}

async fn throttled_attempts(max_attempts: &str) -> (usize, String, Option<i32>) {
    let server = fixture_server(&[(
        "DescribeConnections",
        aws_error(400, "ThrottlingException", "Rate exceeded"),
    )])
    .await;
    let out = tokio::task::spawn_blocking({
        let uri = server.uri();
        let n = max_attempts.to_string();
        move || {
            run(bin()
                .args(["snapshot", "--region", REGION])
                .env("AWS_ENDPOINT_URL", &uri)
                .env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "testing")
                .env("AWS_MAX_ATTEMPTS", n))
        }
    })
    .await
    .unwrap();
    // The inventory's DescribeConnections (paged with maxResults), the poll's only one: the
    // slow reads use its answer (tests/it/calls.rs).
    let sent = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| {
            r.headers
                .get("x-amz-target")
                .is_some_and(|v| v == "OvertureService.DescribeConnections")
                && String::from_utf8_lossy(&r.body).contains("maxResults")
        })
        .count();
    (sent, text(&out.stderr), out.status.code())
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_max_attempts_decides_how_often_a_throttled_call_is_sent() {
    let (once, err, code) = throttled_attempts("1").await;
    assert_eq!(once, 1, "AWS_MAX_ATTEMPTS=1 sends it once");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("DescribeConnections") && err.contains("ThrottlingException"),
        "{err}"
    );
    let (four, _, _) = throttled_attempts("4").await;
    assert_eq!(four, 4, "AWS_MAX_ATTEMPTS=4 sends it four times");
}

#[test]
fn a_missing_profile_is_refused_quickly_in_one_line_naming_it() {
    for cmd in [&["snapshot"][..], &["audit"], &[]] {
        let started = Instant::now();
        let out = run(bin()
            .args(cmd)
            .args(["--profile", "no-such-profile", "--region", REGION])
            // Credentials in the environment must not be used instead of the profile.
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing"));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{cmd:?}: {err}");
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(err.lines().count() <= 4, "{err}");
        assert!(
            err.contains("no-such-profile") && err.contains("aws configure"),
            "{err}"
        );
        assert!(out.stdout.is_empty(), "nothing was read");
    }
}

#[test]
fn an_expired_or_unusable_profile_names_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config");
    std::fs::write(
        &cfg,
        "[profile sso-dev]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Network\nregion = us-east-1\n",
    )
    .unwrap();
    let out = run(bin()
        .args(["snapshot", "--profile", "sso-dev"])
        .env("AWS_CONFIG_FILE", &cfg)
        .env("HOME", dir.path()));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("sso-dev") && err.contains("aws sso login --profile sso-dev"),
        "{err}"
    );
    assert!(err.lines().count() <= 4, "{err}");
}

#[test]
fn region_values_are_checked_before_any_call() {
    let out = run(bin().args(["snapshot", "--region", "not a region"]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).lines().count(),
        1,
        "{}",
        text(&out.stderr)
    );
    let out = run(bin().args(["audit"]).env("AWS_REGION", ""));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("AWS_REGION is set but empty"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hung_service_ends_the_snapshot_by_the_deadline_naming_the_calls() {
    let server = fixture_server(&[(
        "DescribeConnections",
        ResponseTemplate::new(200)
            .set_body_raw(r#"{"connections":[]}"#, "application/x-amz-json-1.1")
            .set_delay(Duration::from_secs(600)),
    )])
    .await;
    let started = Instant::now();
    let out = tokio::task::spawn_blocking({
        let uri = server.uri();
        move || {
            run(bin()
                .args(["snapshot", "--region", REGION, "--timeout", "6"])
                .env("AWS_ENDPOINT_URL", &uri)
                .env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "testing")
                .env("AWS_MAX_ATTEMPTS", "1"))
        }
    })
    .await
    .unwrap();
    let took = started.elapsed();
    let err = text(&out.stderr);
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("DescribeConnections") && l.contains("DeadlineExceeded")),
        "{err}"
    );
    // What answered in time is kept.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !v["regions"][0]["resolver"]["endpoints"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn faults_through_the_sdk_degrade_one_kind_and_recover() {
    // A 500 page, a malformed body, AccessDenied and a reset connection, one kind each; the
    // others are read, and the next poll (fault gone) recovers the kind.
    let server = fixture_server(&[
        (
            "DescribeLags",
            ResponseTemplate::new(500).set_body_raw("<html>oops</html>", "text/html"),
        ),
        (
            "DescribeLocations",
            ResponseTemplate::new(200)
                .set_body_raw("{\"locations\": [", "application/x-amz-json-1.1"),
        ),
        (
            "DescribeVirtualGateways",
            aws_error(400, "AccessDeniedException", "not authorized"),
        ),
    ])
    .await;
    let c = clients_at(&server.uri(), &OperationGuard::read_only()).await;
    let mut estate = Estate::with_regions(&[REGION]);
    poll_service(&c, Service::DirectConnect, &mut |u| estate.apply(u)).await;
    let r = &estate.region(REGION).unwrap();
    assert_eq!(r.dx_lags.error.as_ref().unwrap().code, "HTTP500");
    assert_eq!(
        r.dx_locations.error.as_ref().unwrap().code,
        "TruncatedAnswer"
    );
    assert_eq!(
        r.dx_virtual_gateways.error.as_ref().unwrap().code,
        "AccessDeniedException"
    );
    assert!(r.dx_connections.error.is_none() && !r.dx_connections.items.is_empty());
    // The faults go away: every kind recovers on the next poll.
    server.reset().await;
    let healthy = fixture_server(&[]).await;
    let c = clients_at(&healthy.uri(), &OperationGuard::read_only()).await;
    poll_service(&c, Service::DirectConnect, &mut |u| estate.apply(u)).await;
    let r = &estate.region(REGION).unwrap();
    assert!(r.dx_lags.error.is_none() && r.dx_locations.error.is_none());
    assert!(!r.dx_locations.items.is_empty());
    // A connection reset: a listener that closes every connection at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in listener.incoming().take(16) {
            drop(s);
        }
    });
    let reset = format!("http://{addr}");
    let c = clients_at(&reset, &OperationGuard::read_only()).await;
    let before = estate.region(REGION).unwrap().dx_connections.items.len();
    poll_service(&c, Service::DirectConnect, &mut |u| estate.apply(u)).await;
    let r = &estate.region(REGION).unwrap();
    assert!(r.dx_connections.error.is_some(), "a reset is a failed read");
    assert_eq!(r.dx_connections.items.len(), before, "last good data kept");
}

#[tokio::test]
async fn a_console_poll_ends_within_its_budget_and_names_what_did_not_answer() {
    use crossconnect::source::{AwsSource, poll_bounded};
    let server = fixture_server(&[(
        "DescribeVirtualInterfaces",
        ResponseTemplate::new(200)
            .set_body_raw(r#"{"virtualInterfaces":[]}"#, "application/x-amz-json-1.1")
            .set_delay(Duration::from_secs(600)),
    )])
    .await;
    let source = AwsSource::new(vec![
        clients_at(&server.uri(), &OperationGuard::read_only()).await,
    ]);
    let started = Instant::now();
    let mut got = vec![];
    let ran_out = poll_bounded(
        &source,
        &crossconnect::model::Scope::new("", REGION),
        Service::DirectConnect,
        0,
        Duration::from_secs(3),
        &mut |u| got.push(u),
    )
    .await;
    assert!(ran_out && started.elapsed() < Duration::from_secs(10));
    let vifs = got
        .iter()
        .find(|u| u.kind == crossconnect::model::ResourceKind::DxVirtualInterfaces)
        .expect("the hung kind is reported");
    let err = vifs.result.as_ref().unwrap_err();
    assert_eq!(
        (err.operation.as_str(), err.code.as_str()),
        ("DescribeVirtualInterfaces", "DeadlineExceeded")
    );
    assert!(
        got.iter().any(
            |u| u.kind == crossconnect::model::ResourceKind::DxConnections && u.result.is_ok()
        ),
        "what answered before is kept"
    );
}

/// An assume-role profile (`role_arn` + `source_profile`) in `AWS_CONFIG_FILE` reads the role's
/// account, even with other credentials in the environment: the explicit profile wins.
#[tokio::test(flavor = "multi_thread")]
async fn an_assume_role_profile_reads_the_roles_account_over_environment_keys() {
    let Some(moto) = moto_url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config");
    std::fs::write(
        &cfg,
        "[profile base]\naws_access_key_id = testing\naws_secret_access_key = testing\n\
         [profile network]\nrole_arn = arn:aws:iam::222233334444:role/Network\nsource_profile = base\n",
    )
    .unwrap();
    let out = tokio::task::spawn_blocking(move || {
        run(bin()
            .args([
                "snapshot",
                "--profile",
                "network",
                "--region",
                "ca-central-1",
            ])
            .env("AWS_CONFIG_FILE", &cfg)
            .env("AWS_ENDPOINT_URL", &moto)
            .env("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT")
            .env("AWS_SECRET_ACCESS_KEY", "environment")
            .env("AWS_MAX_ATTEMPTS", "1"))
    })
    .await
    .unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", text(&out.stderr)));
    assert_eq!(v["account"], "222233334444", "{}", text(&out.stderr));
    assert_eq!(v["profile"], "network");
}
