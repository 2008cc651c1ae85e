//! Change history, BGP routes per VIF and CloudWatch metrics, as a user runs them: the release
//! binary against moto (EC2, CloudWatch) and the wire fixtures (Direct Connect, Resolver),
//! whose answers change during a test.

use std::time::{Duration, Instant};

use crate::cli::{bin, run, text};
use crate::common::*;

use serde_json::Value;
use wiremock::matchers::{header, method};
use wiremock::{Mock, ResponseTemplate};

fn env_for(c: &mut std::process::Command, moto: &str, fixtures: &str) {
    c.env("AWS_ENDPOINT_URL", moto)
        .env("AWS_ENDPOINT_URL_DIRECT_CONNECT", fixtures)
        .env("AWS_ENDPOINT_URL_ROUTE53RESOLVER", fixtures)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_MAX_ATTEMPTS", "1");
}

#[tokio::test]
async fn routes_lists_the_accepted_and_advertised_prefixes_of_a_vif() {
    let server = fixture_server(&[]).await;
    let out = tokio::task::spawn_blocking({
        let uri = server.uri();
        move || {
            let mut c = bin();
            c.args([
                "routes",
                "dxvif-fxsecret1",
                "--format",
                "json",
                "--region",
                REGION,
            ]);
            env_for(&mut c, &uri, &uri);
            run(&mut c)
        }
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["accepted"], 2);
    assert_eq!(v["advertised"], 1);
    let routes = v["routes"].as_array().unwrap();
    let first = routes
        .iter()
        .find(|r| r["cidr"] == "10.201.0.0/16")
        .unwrap();
    assert_eq!(first["direction"], "accepted");
    assert_eq!(first["as_path"], "65100 {65300,65301}");
    assert!(first["installed_at"].as_str().unwrap().starts_with("2025-"));
    let body = String::from_utf8_lossy(
        &server.received_requests().await.unwrap()[..]
            .iter()
            .find(|r| {
                r.headers
                    .get("x-amz-target")
                    .is_some_and(|t| t == "OvertureService.ListVirtualInterfaceRoutes")
            })
            .unwrap()
            .body,
    )
    .to_string();
    assert!(body.contains("dxvif-fxsecret1"), "{body}");
}

#[tokio::test]
async fn audit_warns_of_low_receive_light_and_prefixes_near_the_quota_from_cloudwatch() {
    let Some(moto) = moto_url() else { return };
    let server = fixture_server(&[]).await;
    let cfg = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_types::region::Region::new(REGION))
        .endpoint_url(&moto)
        .credentials_provider(aws_sdk_ec2::config::Credentials::for_tests())
        .load()
        .await;
    let cw = aws_sdk_cloudwatch::Client::new(&cfg);
    use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};
    let datum = |name: &str, dim: &str, id: &str, v: f64| {
        MetricDatum::builder()
            .metric_name(name)
            .dimensions(Dimension::builder().name(dim).value(id).build())
            .value(v)
            .timestamp(aws_smithy_types::DateTime::from_secs(
                chrono::Utc::now().timestamp() - 120,
            ))
            .build()
    };
    cw.put_metric_data()
        .namespace("AWS/DX")
        .metric_data(datum(
            "ConnectionLightLevelRx",
            "ConnectionId",
            "dxcon-fx0a1b2c",
            -17.3,
        ))
        .metric_data(datum(
            "VirtualInterfaceBgpPrefixesAccepted",
            "VirtualInterfaceId",
            "dxvif-fxpriv002",
            92.0,
        ))
        .send()
        .await
        .unwrap();
    let out = tokio::task::spawn_blocking({
        let (moto, uri) = (moto.clone(), server.uri());
        move || {
            let mut c = bin();
            c.args(["audit", "--format", "json", "--region", REGION]);
            env_for(&mut c, &moto, &uri);
            run(&mut c)
        }
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let find = |code: &str, id: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code && f["resources"][0]["id"] == id)
            .cloned()
    };
    let light = find("CW-001", "dxcon-fx0a1b2c").expect("low light finding");
    assert!(
        light["title"].as_str().unwrap().contains("-17.3 dBm"),
        "{light}"
    );
    assert!(
        light["evidence"]["source"]
            .as_str()
            .unwrap()
            .contains("IEEE 802.3")
    );
    let quota = find("CW-003", "dxvif-fxpriv002").expect("prefixes near quota finding");
    assert_eq!(quota["evidence"]["accepted_prefixes"], "92");
    assert_eq!(
        quota["evidence"]["read_from"],
        "CloudWatch VirtualInterfaceBgpPrefixesAccepted"
    );
    // A VIF whose metric and routes are far below the quota: no warning.
    assert!(find("CW-003", "dxvif-fxsecret1").is_none());
}

/// Waits until `f` holds, at most `secs` seconds.
/// `watch --refresh 1` over moto and the fixture server, recording into `DIR/history.sqlite`
/// and printing into `DIR/watch.out`: (the process, the database, the output).
fn watch_moto(
    dir: &std::path::Path,
    moto: &str,
    fixtures: &str,
    extra: &[&str],
) -> (std::process::Child, std::path::PathBuf, std::path::PathBuf) {
    let db = dir.join("history.sqlite");
    let out = dir.join("watch.out");
    let mut cmd = bin();
    cmd.args(["watch", "--refresh", "1", "--region", REGION, "--history"])
        .arg(&db)
        .args(extra)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::process::Stdio::null());
    env_for(&mut cmd, moto, fixtures);
    (cmd.spawn().unwrap(), db, out)
}

/// Ends `watch` with SIGTERM; it must exit cleanly.
pub(crate) async fn stop(mut child: std::process::Child) {
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
}

pub(crate) async fn eventually(secs: u64, mut f: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        if f() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    f()
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_records_a_bgp_flap_and_a_peering_accepted_outside_crossconnect() {
    let Some(moto) = moto_url() else { return };
    let server = fixture_server(&[]).await;
    let admin = moto_admin(REGION, &moto).await;
    let a = create_vpc(&admin.ec2, "10.81.0.0/16").await;
    let b = create_vpc(&admin.ec2, "10.82.0.0/16").await;
    let pcx = create_peering(&admin.ec2, &a, &b).await;

    let dir = tempfile::tempdir().unwrap();
    let (child, db, out_path) = watch_moto(dir.path(), &moto, &server.uri(), &[]);
    let printed = || std::fs::read_to_string(&out_path).unwrap_or_default();
    // Two polls with the session up: the baseline.
    tokio::time::sleep(Duration::from_millis(2500)).await;

    // The IPv6 session of dxvif-fxsecret1 goes down …
    let up = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/directconnect/DescribeVirtualInterfaces.json"),
    )
    .unwrap();
    let down = up.replacen(r#""bgpStatus": "up"}"#, r#""bgpStatus": "down"}"#, 1);
    assert_ne!(up, down);
    let answer = |body: &str| {
        ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/x-amz-json-1.1")
    };
    Mock::given(method("POST"))
        .and(header(
            "x-amz-target",
            "OvertureService.DescribeVirtualInterfaces",
        ))
        .respond_with(answer(&down))
        .with_priority(1)
        .up_to_n_times(2)
        .mount(&server)
        .await;
    // … and someone accepts the peering in the console.
    admin
        .ec2
        .accept_vpc_peering_connection()
        .vpc_peering_connection_id(&pcx)
        .send()
        .await
        .unwrap();
    assert!(
        eventually(15, || printed()
            .contains("bgp_peers[dxpeer-fxaaaa02].bgp_status up → down"))
        .await,
        "watch prints the session going down:\n{}",
        printed()
    );
    // … and comes back: the down answer is served twice, then the fixture's again.
    assert!(
        eventually(15, || printed()
            .contains("bgp_peers[dxpeer-fxaaaa02].bgp_status down → up"))
        .await,
        "watch prints the session coming back:\n{}",
        printed()
    );
    assert!(
        eventually(15, || printed()
            .contains(&format!("{pcx} state pending-acceptance → active")))
        .await,
        "watch prints the peering accepted outside:\n{}",
        printed()
    );
    // SIGTERM ends it cleanly.
    stop(child).await;

    // `history` reads the same transitions back, with times, newest first.
    let out = tokio::task::spawn_blocking({
        let db = db.clone();
        move || {
            run(bin()
                .args(["history", "--format", "json", "--since", "10m", "--history"])
                .arg(&db))
        }
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let events: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let flap: Vec<&Value> = events
        .iter()
        .filter(|e| {
            e["resource_id"] == "dxvif-fxsecret1"
                && e["field"] == "bgp_peers[dxpeer-fxaaaa02].bgp_status"
        })
        .collect();
    assert_eq!(flap.len(), 2, "exactly two transitions: {flap:?}");
    assert_eq!(
        (&flap[0]["old"], &flap[0]["new"]),
        (&"down".into(), &"up".into())
    );
    assert_eq!(
        (&flap[1]["old"], &flap[1]["new"]),
        (&"up".into(), &"down".into())
    );
    assert!(flap[0]["at"].as_str().unwrap() > flap[1]["at"].as_str().unwrap());
    let accepted = events
        .iter()
        .find(|e| e["resource_id"] == pcx.as_str() && e["field"] == "state")
        .expect("the peering's transition");
    assert_eq!(accepted["old"], "pending-acceptance");
    assert_eq!(accepted["new"], "active");
    assert!(accepted["at"].as_str().unwrap().ends_with('Z'));
    // No secret ever reaches the database.
    let raw = std::fs::read(&db).unwrap();
    assert!(!String::from_utf8_lossy(&raw).contains("FIXTURE-SECRET"));
}

#[test]
fn two_writers_share_the_database_and_a_restart_keeps_every_event() {
    use crossconnect::history::Event;
    use crossconnect::history::store::{Query, Store};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite");
    let ev = |i: usize, w: usize| Event {
        at: chrono::Utc::now(),
        account: String::new(),
        region: "eu-central-1".into(),
        kind: crossconnect::model::ResourceKind::DxConnections.into(),
        resource_id: format!("dxcon-w{w}-{i}"),
        name: String::new(),
        field: "state".into(),
        old: Some("available".into()),
        new: Some("down".into()),
    };
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut s = Store::open(&path, 30).unwrap();
                for i in 0..200 {
                    s.append(&[ev(i, w)]).unwrap();
                }
            })
        })
        .collect();
    // A reader at the same time (WAL: never blocked).
    let reader = {
        let path = path.clone();
        std::thread::spawn(move || {
            for _ in 0..50 {
                if let Ok(s) = Store::open_read_only(&path) {
                    let _ = s.query(&Query::default()).unwrap();
                }
            }
        })
    };
    for w in writers {
        w.join().unwrap();
    }
    reader.join().unwrap();
    let s = Store::open_read_only(&path).unwrap();
    let all = s.query(&Query::default()).unwrap();
    assert_eq!(all.len(), 400);
    let out = run(bin()
        .args([
            "history",
            "--format",
            "csv",
            "--resource",
            "dxcon-w1-7",
            "--history",
        ])
        .arg(&path));
    let csv = text(&out.stdout);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .contains("dxcon-w1-7,,state,available,down")
    );
}

#[tokio::test]
async fn cloudwatch_access_denied_degrades_only_the_metrics() {
    let server = fixture_server(&[]).await;
    // CloudWatch (query protocol) refuses GetMetricData; everything else answers.
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_string_contains("Action=GetMetricData"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: cloudwatch:GetMetricData</Message></Error><RequestId>r1</RequestId></ErrorResponse>",
            "text/xml",
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    let out = tokio::task::spawn_blocking({
        let uri = server.uri();
        move || {
            let mut c = bin();
            c.args(["snapshot", "--format", "json", "--region", REGION]);
            env_for(&mut c, &uri, &uri);
            run(&mut c)
        }
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = v["errors"].as_array().unwrap();
    let metrics = errors
        .iter()
        .find(|e| e["resource_kind"] == "metrics")
        .expect("the metrics read is listed as failed");
    assert_eq!(metrics["operation"], "GetMetricData");
    assert_eq!(metrics["code"], "AccessDenied");
    // The inventory and the route counts are read all the same.
    for kind in ["connections", "virtual_interfaces", "vif_route_counts"] {
        assert!(
            !errors.iter().any(|e| e["resource_kind"] == kind),
            "{kind} is not touched: {errors:?}"
        );
    }
    let dx = &v["regions"][0]["direct_connect"];
    assert_eq!(dx["connections"].as_array().unwrap().len(), 3);
    assert_eq!(dx["vif_route_counts"][0]["accepted"], 2);
}

/// `watch` judges the declared intents after each whole poll: an intent that a peering carries
/// traffic both ways, broken while the far side has no route back, is recorded as
/// `broken → held` once someone adds the route, and `history` reads the event back.
#[tokio::test(flavor = "multi_thread")]
async fn watch_records_an_intent_changing_state() {
    let Some(moto) = moto_url() else { return };
    let server = fixture_server(&[]).await;
    let admin = moto_admin(REGION, &moto).await;
    let ec2 = &admin.ec2;
    let (a, b, pcx) = peered_vpcs(ec2, 227, 228).await;
    route_over_peering(ec2, &a, "10.228.0.0/16", &pcx).await;
    let dir = tempfile::tempdir().unwrap();
    let intents = a_reaches_b(dir.path(), &a, &b);
    let intents = intents.display().to_string();
    let (child, db, out_path) =
        watch_moto(dir.path(), &moto, &server.uri(), &["--intents", &intents]);
    let printed = || std::fs::read_to_string(&out_path).unwrap_or_default();
    // Two polls judge it broken: the baseline, no event.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(!printed().contains("intents/intent"), "{}", printed());
    route_over_peering(ec2, &b, "10.227.0.0/16", &pcx).await;
    assert!(
        eventually(15, || printed()
            .contains("intents/intent \"a reaches b\" state broken → held"))
        .await,
        "watch prints the intent healing:\n{}",
        printed()
    );
    stop(child).await;
    let out = run(bin()
        .args([
            "history",
            "--format",
            "json",
            "--kind",
            "intent",
            "--history",
        ])
        .arg(&db));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let events: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!(
        (&e["kind"], &e["resource_id"], &e["old"], &e["new"]),
        (
            &Value::from("intents/intent"),
            &Value::from("a reaches b"),
            &Value::from("broken"),
            &Value::from("held")
        ),
        "{e}"
    );
}

/// `watch --demo --listen 127.0.0.1:0`: `/metrics` is OpenMetrics text of each whole poll, in
/// which the demo's flapping BGP session is seen down (0) and up (1); `/healthz` says the last
/// poll is fresh; anything else is 404.
#[test]
fn watch_serves_the_metrics_of_each_poll_and_its_health() {
    use std::io::BufRead;
    let mut child = bin()
        .args([
            "watch",
            "--demo",
            "--refresh",
            "1",
            "--listen",
            "127.0.0.1:0",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut addr = None;
    for _ in 0..5 {
        let mut line = String::new();
        err.read_line(&mut line).unwrap();
        if let Some(rest) = line.split("metrics on http://").nth(1) {
            addr = rest.split('/').next().map(str::to_string);
            break;
        }
    }
    let addr = addr.expect("watch names the address it listens on");
    // The flapping session of the demo (prod-transit-rst's peer), as each poll saw it.
    let session = |text: &str| {
        text.lines()
            .find(|l| {
                l.starts_with("crossconnect_bgp_session_up{") && l.contains("dxpeer-fg2b2b2b")
            })
            .and_then(|l| l.rsplit(' ').next())
            .map(str::to_string)
    };
    let mut seen = std::collections::BTreeSet::new();
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut text = String::new();
    while seen.len() < 2 && std::time::Instant::now() < until {
        let (status, body) = http_get(&addr, "/metrics").unwrap();
        assert_eq!(status, 200);
        if let Some(v) = session(&body) {
            seen.insert(v);
            text = body;
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let (status, health) = http_get(&addr, "/healthz").unwrap();
    let nowhere = http_get(&addr, "/nowhere").unwrap().0;
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    assert_eq!(status, 200, "{health}");
    let health: Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health["ok"], true, "{health}");
    assert!(
        health["last_poll_age_seconds"].as_f64().unwrap() < 3.0,
        "{health}"
    );
    assert_eq!(nowhere, 404);
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        ["0", "1"],
        "the flapping session was seen both ways:\n{text}"
    );
    assert!(
        text.ends_with("# EOF\n"),
        "OpenMetrics text ends with # EOF"
    );
    for family in [
        "# TYPE crossconnect_connection_up gauge",
        "# TYPE crossconnect_path_working_paths gauge",
        "# TYPE crossconnect_poll_duration_seconds gauge",
        "crossconnect_intent_held{intent=\"batch reaches on-prem\"} 0",
        "crossconnect_path_reachable{account=\"111122223333\",region=\"us-east-1\",vpc=\"vpc-0a1b2c3d4e5f60001\",name=\"prod-app\"} 1",
    ] {
        assert!(text.contains(family), "{family}:\n{text}");
    }
}
