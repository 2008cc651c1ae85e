//! The shared history in PostgreSQL, as a team runs it: the release binary's `watch` (one per
//! account shard) and `history` against the throwaway PostgreSQL `.ci/run` starts
//! (`CROSSCONNECT_TEST_POSTGRES`, a URL with the admin's password), each test in a database of
//! its own.

use std::time::Duration;

use crate::accounts::{config_in, fresh_account, profile_files};
use crate::cli::{bin, run, text};
use crate::common::*;
use crate::history::{eventually, stop};

use crossconnect::history::store::{Location, Store};
use crossconnect::history::{Event, Query};
use serde_json::Value;

/// The admin URL of the test PostgreSQL. In CI a missing one is a failure; elsewhere the test
/// is skipped with a note.
fn postgres_admin() -> Option<String> {
    match std::env::var("CROSSCONNECT_TEST_POSTGRES") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
                panic!(
                    "CROSSCONNECT_TEST_POSTGRES is not set: run the tests with ./.ci/run, which starts PostgreSQL"
                );
            }
            eprintln!("CROSSCONNECT_TEST_POSTGRES not set: skipping (./.ci/run starts PostgreSQL)");
            None
        }
    }
}

/// A new, empty database; its URL (the admin's, with the database changed).
async fn fresh_database(admin: &str) -> String {
    let name = format!("cc_{}", uuid::Uuid::new_v4().simple());
    let (client, conn) = tokio_postgres::connect(admin, tokio_postgres::NoTls)
        .await
        .unwrap();
    let task = tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    drop(client);
    let _ = task.await;
    let (base, params) = admin.split_once('?').unwrap_or((admin, ""));
    let base = &base[..base.rfind('/').unwrap()];
    format!("{base}/{name}?{params}")
}

/// The admin URL with another password.
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (userinfo, host) = rest.split_once('@').unwrap();
    let user = userinfo.split(':').next().unwrap();
    format!("{scheme}://{user}:{password}@{host}")
}

fn event(account: &str, id: &str, old: &str, new: &str) -> Event {
    Event {
        at: chrono::Utc::now(),
        account: account.into(),
        region: REGION.into(),
        kind: crossconnect::model::ResourceKind::DxVirtualInterfaces.into(),
        resource_id: id.into(),
        name: "prod".into(),
        field: "bgp_peers[p].bgp_status".into(),
        old: Some(old.into()),
        new: Some(new.into()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_postgres_history_keeps_each_transition_once_per_account_and_refuses_what_it_cannot_use()
{
    let Some(admin) = postgres_admin() else {
        return;
    };
    let url = fresh_database(&admin).await;
    let at = Location::parse(std::path::Path::new(&url));
    assert!(matches!(at, Location::Postgres(_)), "{at:?}");
    tokio::task::spawn_blocking(move || {
        // Nothing written yet: reading says so, by name, without the password.
        let err = Store::open_read_only(&at).err().unwrap();
        assert!(err.contains("no crossconnect history"), "{err}");
        assert!(err.contains(":***@"), "{err}");

        // Two writers (the console and a watch) see the same transition: recorded once. The
        // same transition in another account is its own. A real repeat is not lost.
        let mut console = Store::open(&at, 30).unwrap();
        let mut watch = Store::open(&at, 30).unwrap();
        let down = event("111111111111", "dxvif-1", "up", "down");
        console.append(std::slice::from_ref(&down)).unwrap();
        watch.append(std::slice::from_ref(&down)).unwrap();
        watch
            .append(&[event("222222222222", "dxvif-1", "up", "down")])
            .unwrap();
        console
            .append(&[event("111111111111", "dxvif-1", "down", "up")])
            .unwrap();
        console
            .append(&[event("111111111111", "dxvif-1", "up", "down")])
            .unwrap();
        let all = console.query(&Query::default()).unwrap();
        let of = |a: &str| all.iter().filter(|e| e.account == a).count();
        assert_eq!((of("111111111111"), of("222222222222")), (3, 1), "{all:?}");
        assert_eq!(all[0].new.as_deref(), Some("down"), "newest first");

        // Filters and retention, as with SQLite.
        let old = Event {
            at: chrono::Utc::now() - chrono::Duration::days(40),
            ..event("111111111111", "dxvif-old", "up", "down")
        };
        watch.append(&[old]).unwrap();
        let reader = Store::open_read_only(&at).unwrap();
        let one = reader
            .query(&Query {
                resource: Some("dxvif-old".into()),
                kind: Some("virtual_interfaces".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(one.len(), 1);
        let recent = reader
            .query(&Query {
                since: Some(chrono::Utc::now() - chrono::Duration::hours(1)),
                limit: Some(2),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(recent.len(), 2);
        assert!(recent.iter().all(|e| e.resource_id == "dxvif-1"));
        assert_eq!(Store::open(&at, 30).unwrap().expire(30).unwrap(), 0);
        drop(Store::open(&at, 30).unwrap());
        assert!(
            reader
                .query(&Query {
                    resource: Some("dxvif-old".into()),
                    ..Default::default()
                })
                .unwrap()
                .is_empty(),
            "opening for writing deletes what is older than the retention"
        );

        // A reader cannot write.
        let mut reader = reader;
        let err = reader.append(&[event("1", "x", "a", "b")]).err().unwrap();
        assert!(err.contains("read-only"), "{err}");
    })
    .await
    .unwrap();

    // A schema written by a newer crossconnect is refused, by version.
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .execute("INSERT INTO crossconnect_schema (version) VALUES (99)", &[])
        .await
        .unwrap();
    let err = tokio::task::spawn_blocking(move || {
        Store::open(Location::parse(std::path::Path::new(&url)), 30)
            .err()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(err.contains("schema version 99 is newer"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_postgres_password_or_a_refused_connection_is_one_line_without_the_password() {
    let Some(admin) = postgres_admin() else {
        return;
    };
    let wrong = "Qx7Zk9Vb3WmJ";
    let wrong_url = with_password(&admin, wrong);
    let port = wrong_url.split("127.0.0.1:").nth(1).unwrap();
    let port = &port[..port.find('/').unwrap()];
    for (url, says) in [
        (
            with_password(&admin, wrong),
            "password authentication failed",
        ),
        (
            // Port 1: nothing listens there.
            wrong_url.replace(&format!(":{port}/"), ":1/"),
            "refused",
        ),
        (
            wrong_url.replace(&format!(":{port}/"), ":99999/"),
            "not a PostgreSQL URL",
        ),
    ] {
        for args in [
            vec!["history", "--history", url.as_str()],
            vec!["watch", "--history", url.as_str()],
        ] {
            let out = tokio::task::spawn_blocking({
                let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
                move || run(bin().args(&args))
            })
            .await
            .unwrap();
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
            assert_eq!(lines.len(), 1, "one line: {err}");
            assert!(lines[0].contains(says), "{err}");
            assert!(
                lines[0].contains("postgres://crossconnect:***@127.0.0.1:"),
                "{err}"
            );
            for piece in wrong.as_bytes().windows(4) {
                let piece = std::str::from_utf8(piece).unwrap();
                assert!(
                    !err.contains(piece),
                    "a piece of the password ({piece}): {err}"
                );
            }
        }
    }
}

/// `watch --refresh 1` on one profile's account, recording into `url`.
fn watch_profile(
    profile: &str,
    files: &(std::path::PathBuf, std::path::PathBuf),
    moto: &str,
    fixtures: &str,
    url: &str,
) -> std::process::Child {
    bin()
        .args([
            "watch",
            "--refresh",
            "1",
            "--region",
            REGION,
            "--profile",
            profile,
        ])
        .args(["--history", url])
        .env("AWS_CONFIG_FILE", &files.0)
        .env("AWS_SHARED_CREDENTIALS_FILE", &files.1)
        .env("AWS_ENDPOINT_URL", moto)
        .env("AWS_ENDPOINT_URL_DIRECT_CONNECT", fixtures)
        .env("AWS_ENDPOINT_URL_ROUTE53RESOLVER", fixtures)
        .env("AWS_MAX_ATTEMPTS", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// `history --format json --since 10m --history URL`.
fn history_json(url: &str) -> Vec<Value> {
    let out = run(bin().args([
        "history",
        "--format",
        "json",
        "--since",
        "10m",
        "--history",
        url,
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_watchers_on_disjoint_accounts_at_moto_write_one_postgres_history() {
    let Some(moto) = moto_url() else { return };
    let Some(admin) = postgres_admin() else {
        return;
    };
    let url = fresh_database(&admin).await;
    let fixtures = fixture_server(&[]).await;
    let (one, two) = (fresh_account(), fresh_account());
    let dir = tempfile::tempdir().unwrap();
    let files = profile_files(dir.path(), &[("one", &one), ("two", &two)]);
    // In each account a peering waits for acceptance.
    let mut pending = Vec::new();
    for account in [&one, &two] {
        let ec2 = aws_sdk_ec2::Client::new(&config_in(&moto, account).await);
        let a = create_vpc(&ec2, "10.91.0.0/16").await;
        let b = create_vpc(&ec2, "10.92.0.0/16").await;
        pending.push((
            account.clone(),
            ec2.clone(),
            create_peering(&ec2, &a, &b).await,
        ));
    }
    let watchers = [
        watch_profile("one", &files, &moto, &fixtures.uri(), &url),
        watch_profile("two", &files, &moto, &fixtures.uri(), &url),
    ];
    // The baseline polls, then each peering is accepted outside crossconnect.
    tokio::time::sleep(Duration::from_millis(3000)).await;
    for (_, ec2, pcx) in &pending {
        ec2.accept_vpc_peering_connection()
            .vpc_peering_connection_id(pcx)
            .send()
            .await
            .unwrap();
    }
    let accepted = |events: &[Value], account: &str, pcx: &str| {
        events
            .iter()
            .filter(|e| {
                e["account"] == account
                    && e["resource_id"] == pcx
                    && e["field"] == "state"
                    && e["new"] == "active"
            })
            .count()
    };
    let both = {
        let (url, pending) = (url.clone(), pending.clone());
        move || {
            let events = history_json(&url);
            pending
                .iter()
                .all(|(account, _, pcx)| accepted(&events, account, pcx) == 1)
        }
    };
    let found = eventually(20, both).await;
    for w in watchers {
        stop(w).await;
    }
    // `history` lists both shards' transitions from the one database, each once and in its
    // own account — and nothing of either in the other's.
    let events = tokio::task::spawn_blocking({
        let url = url.clone();
        move || history_json(&url)
    })
    .await
    .unwrap();
    assert!(found, "both accepted peerings: {events:#?}");
    for (account, _, pcx) in &pending {
        assert_eq!(
            accepted(&events, account, pcx),
            1,
            "{account} {pcx}: {events:#?}"
        );
        let other = if *account == one { &two } else { &one };
        assert_eq!(accepted(&events, other, pcx), 0, "{events:#?}");
    }
}
