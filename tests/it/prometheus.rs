//! `watch --listen` scraped by a real Prometheus (Debian's, which `.ci/run` installs): the
//! exposition passes `promtool check metrics`, and Prometheus records the demo's BGP flap (the
//! session seen at 0 and at 1). Skipped where `prometheus` and `promtool` are not installed.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli::bin;

fn installed(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Kills the process when dropped (a failed assertion leaves nothing running).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The body of a 200 answer to a GET.
fn get(addr: &str, path: &str) -> Option<String> {
    crate::common::http_get(addr, path).and_then(|(status, body)| (status == 200).then_some(body))
}

#[test]
fn prometheus_scrapes_watch_and_records_the_bgp_flap() {
    if !installed("prometheus") || !installed("promtool") {
        eprintln!("skipped: prometheus and promtool are not installed (./.ci/run installs them)");
        return;
    }
    let watch_addr = format!("127.0.0.1:{}", free_port());
    let _watch = Running(
        bin()
            .args(["watch", "--demo", "--refresh", "1", "--listen", &watch_addr])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let until = Instant::now() + Duration::from_secs(20);
    let metrics = loop {
        match get(&watch_addr, "/metrics").filter(|m| m.contains("crossconnect_bgp_session_up")) {
            Some(m) => break m,
            None if Instant::now() < until => std::thread::sleep(Duration::from_millis(200)),
            None => panic!("watch served no metrics on {watch_addr}"),
        }
    };
    // promtool lints the exposition as Prometheus reads it.
    let mut check = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        check
            .stdin
            .take()
            .unwrap()
            .write_all(metrics.as_bytes())
            .unwrap();
    }
    let out = check.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // The alert rules and the dashboard in contrib/ are valid and name metrics watch serves
    // (a counter by its family name; the errors counter has no sample until a call fails).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = root.join("contrib/prometheus/alerts.yml");
    let out = Command::new("promtool")
        .arg("check")
        .arg("rules")
        .arg(&rules)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let dashboard = root.join("contrib/grafana/crossconnect-dashboard.json");
    let dashboard = std::fs::read_to_string(dashboard).unwrap();
    let _: Value = serde_json::from_str(&dashboard).unwrap();
    let named = std::fs::read_to_string(&rules).unwrap() + &dashboard;
    let mut names: Vec<&str> = named
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("crossconnect_"))
        .collect();
    names.sort();
    names.dedup();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let family = name.trim_end_matches("_total");
        assert!(
            family == "crossconnect_api_errors" || metrics.contains(&format!("# TYPE {family} ")),
            "{name} is named in contrib/ but watch does not serve it"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: crossconnect\n    static_configs:\n      - targets: [\"{watch_addr}\"]\n"),
    )
    .unwrap();
    let prom_addr = format!("127.0.0.1:{}", free_port());
    let _prometheus = Running(
        Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address={prom_addr}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // The flapping session (prod-transit-rst's peer): its lowest and highest sample so far.
    let query = |f: &str| -> Option<String> {
        let q =
            format!("{f}_over_time(crossconnect_bgp_session_up{{peer=\"dxpeer-fg2b2b2b\"}}[5m])");
        let q: String = q
            .bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        let body = get(&prom_addr, &format!("/api/v1/query?query={q}"))?;
        let v: Value = serde_json::from_str(&body).ok()?;
        v["data"]["result"][0]["value"][1]
            .as_str()
            .map(str::to_string)
    };
    let until = Instant::now() + Duration::from_secs(60);
    let mut seen = (None, None);
    while Instant::now() < until {
        seen = (query("min"), query("max"));
        if seen == (Some("0".into()), Some("1".into())) {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    assert_eq!(
        seen,
        (Some("0".into()), Some("1".into())),
        "Prometheus recorded the session down and up"
    );
}
