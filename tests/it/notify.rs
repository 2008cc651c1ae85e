//! `watch` with `[[notify]]`: each BGP transition of the demo is sent once to a webhook (a
//! local receiver here), again after a restart only for what happens after it; with the
//! receiver down the polls go on and the undelivered messages are counted.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli::bin;

/// A webhook receiver: every body POSTed to it, in order.
fn receiver() -> (String, Arc<Mutex<Vec<Value>>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let keep = got.clone();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let mut r = BufReader::new(s);
            let mut len = 0;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            if r.read_exact(&mut body).is_ok()
                && let Ok(v) = serde_json::from_slice(&body)
            {
                keep.lock().unwrap().push(v);
            }
            let _ = r
                .get_mut()
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (addr, got)
}

fn watch(config: &std::path::Path, hook: &str, out: &std::path::Path, extra: &[&str]) -> Child {
    bin()
        .args(["--config"])
        .arg(config)
        .args(["watch", "--demo", "--refresh", "1"])
        .args(extra)
        .env("XC_HOOK", hook)
        .stdout(std::fs::File::create(out).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn stop(mut c: Child) {
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &c.id().to_string()])
        .status();
    let _ = c.wait();
}

/// The BGP transitions `watch` printed.
fn printed(out: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(out).unwrap_or_default();
    let lines = text.lines().filter(|l| l.contains(".bgp_status "));
    let mut v: Vec<String> = lines.map(str::to_string).collect();
    v.sort();
    v
}

/// Waits until the messages received (their texts, from `from` on) are the transitions printed,
/// one each, and at least `n` of them.
fn agree(
    got: &Mutex<Vec<Value>>,
    from: usize,
    out: &std::path::Path,
    n: usize,
) -> (Vec<String>, Vec<String>) {
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let mut sent: Vec<String> = got.lock().unwrap()[from..]
            .iter()
            .map(|m| m["text"].as_str().unwrap_or_default().to_string())
            .collect();
        sent.sort();
        let said = printed(out);
        if (said.len() >= n && sent == said) || Instant::now() > until {
            return (said, sent);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn each_bgp_transition_is_sent_once_and_a_receiver_down_delays_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[[notify]]\nurl_env = \"XC_HOOK\"\nformat = \"json\"\nevents = [\"bgp\"]\n",
    )
    .unwrap();
    let (addr, got) = receiver();
    let hook = format!("http://{addr}/hook");
    let out = dir.path().join("one.out");
    let w = watch(&config, &hook, &out, &[]);
    let (said, sent) = agree(&got, 0, &out, 4);
    stop(w);
    assert!(said.len() >= 4, "the demo's session flapped: {said:?}");
    assert_eq!(sent, said, "one message per transition");
    assert!(
        got.lock()
            .unwrap()
            .iter()
            .all(|m| m["kind"] == "bgp" && m["field"].as_str().unwrap().ends_with("bgp_status")),
        "only the kinds asked for"
    );
    // A restart's first poll is its baseline: it sends nothing again, then each new transition.
    std::thread::sleep(Duration::from_millis(500));
    let before = got.lock().unwrap().len();
    let out2 = dir.path().join("two.out");
    let w = watch(&config, &hook, &out2, &[]);
    let (said, sent) = agree(&got, before, &out2, 2);
    stop(w);
    assert!(said.len() >= 2, "{said:?}");
    assert_eq!(
        sent, said,
        "after a restart, one message per new transition"
    );

    // The receiver is gone: the polls go on at their interval and the loss is counted.
    let gone = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let listen = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let out3 = dir.path().join("three.out");
    let w = watch(
        &config,
        &format!("http://{gone}/hook"),
        &out3,
        &["--listen", &listen],
    );
    let undelivered = || -> f64 {
        let text = crate::common::http_get(&listen, "/metrics")
            .map(|r| r.1)
            .unwrap_or_default();
        let line = text.lines().find(|l| {
            l.starts_with("crossconnect_notify_failures_total{notifier=\"env:XC_HOOK\"}")
        });
        line.and_then(|l| l.rsplit(' ').next()?.parse().ok())
            .unwrap_or(0.0)
    };
    let t0 = Instant::now();
    while (printed(&out3).len() < 5 || undelivered() < 1.0)
        && t0.elapsed() < Duration::from_secs(40)
    {
        std::thread::sleep(Duration::from_millis(200));
    }
    let (polls_went_on, lost) = (printed(&out3).len(), undelivered());
    stop(w);
    assert!(
        polls_went_on >= 5,
        "transitions kept coming: {polls_went_on}"
    );
    assert!(lost >= 1.0, "undelivered messages are counted: {lost}");
}
