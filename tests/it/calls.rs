//! What a poll sends: every list read once. The slow reads (CloudWatch metrics, BGP route
//! counts) use the connections and VIFs the Direct Connect poll has just read.

use crate::cli::{bin, run};
use crate::common::*;

/// The release binary with `args`, against `server` as every AWS endpoint, test credentials,
/// and `AWS_MAX_ATTEMPTS=1`.
async fn against(server: &wiremock::MockServer, args: &[&str]) -> std::process::Output {
    let uri = server.uri();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        run(bin()
            .args(&args)
            .env("AWS_ENDPOINT_URL", &uri)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_MAX_ATTEMPTS", "1"))
    })
    .await
    .unwrap()
}

/// How many reads of `target` (the `X-Amz-Target` header) the server received: first pages
/// (a read that follows `nextToken` is one read of several pages).
async fn sent(server: &wiremock::MockServer, target: &str) -> usize {
    let requests = server.received_requests().await.unwrap_or_default();
    let first_page = |r: &&wiremock::Request| {
        r.headers.get("x-amz-target").is_some_and(|v| v == target)
            && !String::from_utf8_lossy(&r.body).contains("nextToken")
    };
    requests.iter().filter(first_page).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_snapshot_lists_connections_and_vifs_once_and_counts_routes_from_them() {
    let server = fixture_server(&[]).await;
    let out = against(
        &server,
        &["snapshot", "--region", REGION, "--format", "json"],
    )
    .await;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let vifs = json["regions"][0]["direct_connect"]["virtual_interfaces"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(vifs > 0, "the fixtures have VIFs: {json}");
    assert_eq!(
        sent(&server, "OvertureService.DescribeConnections").await,
        1
    );
    assert_eq!(
        sent(&server, "OvertureService.DescribeVirtualInterfaces").await,
        1
    );
    // The route counts were read for the VIFs of that one list.
    let routes = sent(&server, "OvertureService.ListVirtualInterfaceRoutes").await;
    assert_eq!(
        routes, vifs,
        "one ListVirtualInterfaceRoutes per VIF listed"
    );
}

/// A summary of a poll that could not read everything says what was not read, never that
/// everything was.
#[tokio::test(flavor = "multi_thread")]
async fn an_audit_summary_names_what_it_could_not_read() {
    let server = fixture_server(&[(
        "DescribeConnections",
        aws_error(400, "AccessDeniedException", "not authorized"),
    )])
    .await;
    let out = against(
        &server,
        &["audit", "--region", REGION, "--format", "summary"],
    )
    .await;
    let summary = crate::cli::text(&out.stdout);
    let lines: Vec<&str> = summary.lines().collect();
    assert!(!lines.is_empty() && lines.len() <= 20, "{summary}");
    let last = lines.last().unwrap();
    assert!(last.starts_with("Not read, so not assessed ("), "{summary}");
    assert!(last.contains("connections"), "{summary}");
    assert!(
        !summary.contains("Everything in scope was read"),
        "{summary}"
    );
}

/// The slow reads ride on the Direct Connect poll: when they hang, the deadline names them as
/// failed reads (never as read, never silently missing).
#[tokio::test(flavor = "multi_thread")]
async fn a_hung_slow_read_is_named_when_the_deadline_passes() {
    let server = fixture_server(&[(
        "ListVirtualInterfaceRoutes",
        wiremock::ResponseTemplate::new(200)
            .set_body_raw(
                r#"{"virtualInterfaceRoutes":[]}"#,
                "application/x-amz-json-1.1",
            )
            .set_delay(std::time::Duration::from_secs(600)),
    )])
    .await;
    let out = against(&server, &["snapshot", "--region", REGION, "--timeout", "6"]).await;
    let err = crate::cli::text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("ListVirtualInterfaceRoutes") && l.contains("DeadlineExceeded")),
        "{err}"
    );
    // The inventory answered in time and is kept.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let vifs = &v["regions"][0]["direct_connect"]["virtual_interfaces"];
    assert!(!vifs.as_array().unwrap().is_empty(), "{v}");
}
