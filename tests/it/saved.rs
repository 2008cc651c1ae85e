//! `verify` and `what-if` on a saved `snapshot --format json` (`--snapshot FILE`): the same
//! answers as on the poll it was taken from; what it did not read stays unknown; a file that is
//! not a snapshot exits 2, naming it.

use serde_json::Value;

use crate::cli::{bin, run, text};

/// The demo's snapshot, saved.
fn saved(dir: &std::path::Path) -> (std::path::PathBuf, Value) {
    let out = run(bin().args(["snapshot", "--demo", "--format", "json"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let path = dir.join("snapshot.json");
    std::fs::write(&path, &out.stdout).unwrap();
    (path, serde_json::from_slice(&out.stdout).unwrap())
}

fn intents() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/demo/intents.toml")
}

fn outcome(args: &[&str], file: &std::path::Path) -> (Option<i32>, Value, String) {
    let out = run(bin().args(args).arg(file));
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), v, text(&out.stderr))
}

#[test]
fn verify_and_what_if_on_a_saved_snapshot_answer_as_on_its_poll() {
    let dir = tempfile::tempdir().unwrap();
    let (path, snap) = saved(dir.path());
    let intents = intents();
    let intents = intents.to_str().unwrap();
    let connection = snap["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| r["direct_connect"]["connections"][0]["id"].as_str())
        .unwrap()
        .to_string();

    let (code, polled, err) = outcome(
        &["verify", "--demo", "--format", "json", "--intents"],
        std::path::Path::new(intents),
    );
    assert_eq!(code, Some(3), "{err}");
    let args = [
        "verify",
        "--format",
        "json",
        "--intents",
        intents,
        "--snapshot",
    ];
    let (code, loaded, err) = outcome(&args, &path);
    assert_eq!(code, Some(3), "{err}");
    assert_eq!(loaded["intents"], polled["intents"]);
    assert_eq!(
        (loaded["held"].as_u64(), loaded["broken"].as_u64()),
        (Some(3), Some(2))
    );

    for id in [connection.as_str(), "tgw-attach-0a1b2c3d4e5f60002"] {
        let what_if = [
            "what-if",
            "--fail",
            id,
            "--format",
            "json",
            "--intents",
            intents,
        ];
        let out = run(bin().args(what_if).arg("--demo"));
        let polled: Value = serde_json::from_slice(&out.stdout).unwrap();
        let (code, loaded, err) = outcome(&[&what_if[..], &["--snapshot"]].concat(), &path);
        assert_eq!(code, out.status.code(), "{id}: {err}");
        assert_eq!(loaded, polled, "{id}");
        assert!(
            !polled["lost"].as_array().unwrap().is_empty()
                || !polled["degraded"].as_array().unwrap().is_empty(),
            "{id}: {polled}"
        );
    }
}

/// A kind the snapshot did not read (no `read_at` for it) is read back as unread, so an intent
/// that needs it is unknown, not held; a read that failed is read back as failed.
#[test]
fn what_a_saved_snapshot_did_not_read_stays_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut snap) = saved(dir.path());
    for r in snap["regions"].as_array_mut().unwrap() {
        r["read_at"]["resolver"]
            .as_object_mut()
            .unwrap()
            .remove("endpoints");
    }
    let path = dir.path().join("unread.json");
    std::fs::write(&path, snap.to_string()).unwrap();
    let intents = intents();
    let args = [
        "verify",
        "--format",
        "json",
        "--intents",
        intents.to_str().unwrap(),
        "--snapshot",
    ];
    let (code, v, err) = outcome(&args, &path);
    assert_eq!(code, Some(3), "{err}");
    let state = |name: &str| {
        v["intents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"].as_str().unwrap().contains(name))
            .map(|i| i["state"].as_str().unwrap().to_string())
    };
    assert_eq!(state("corp.example.com").as_deref(), Some("unknown"), "{v}");
    assert_eq!(state("prod-app reaches").as_deref(), Some("held"), "{v}");

    // A failed read comes back failed: the same gap, named by its error.
    let (_, mut snap) = saved(dir.path());
    let first = snap["regions"][0].clone();
    snap["errors"] = serde_json::json!([{
        "account": first["account"], "region": first["region"], "area": "resolver",
        "resource_kind": "endpoints", "operation": "ListResolverEndpoints",
        "code": "AccessDeniedException", "message": "not authorized"
    }]);
    std::fs::write(&path, snap.to_string()).unwrap();
    let (code, _, err) = outcome(&args, &path);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("AccessDeniedException"), "{err}");
}

#[test]
fn a_file_that_is_not_a_snapshot_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut old) = saved(dir.path());
    for r in old["regions"].as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("read_at");
    }
    let (_, mut shaped) = saved(dir.path());
    shaped["regions"][0]["vpc_peering"]["vpcs"] = serde_json::json!([{"id": 7}]);
    for (name, body, says) in [
        ("notjson.json", "{\"tool\":".to_string(), "not JSON"),
        (
            "other.json",
            "{\"a\": 1}".to_string(),
            "not a crossconnect snapshot",
        ),
        ("old.json", old.to_string(), "take it again"),
        (
            "shaped.json",
            shaped.to_string(),
            "VPCs (vpc_peering.vpcs): invalid type: integer `7`",
        ),
        ("missing.json", String::new(), "No such file"),
    ] {
        let path = dir.path().join(name);
        if !body.is_empty() {
            std::fs::write(&path, body).unwrap();
        }
        for args in [
            vec![
                "verify",
                "--intents",
                intents().to_str().unwrap(),
                "--snapshot",
            ],
            vec!["what-if", "--fail", "dxcon-fx0a1b2c", "--snapshot"],
        ] {
            let out = run(bin().args(&args).arg(&path));
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name} {args:?}: {err}");
            assert!(
                err.contains(&format!("--snapshot {}", path.display())),
                "{err}"
            );
            assert!(err.contains(says), "{name}: {err}");
        }
    }
}
