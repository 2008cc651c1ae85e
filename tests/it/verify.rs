//! `crossconnect verify`: declared intents checked against the demo, as CI runs it.

use serde_json::Value;

use crate::cli::{bin, run, text};

const INTENTS: &str = r#"
[[intent]]
name = "prod reaches on-prem over two locations"
from = "vpc:prod-a*"
to = "10.0.0.0/8"
min_locations = 2

[[intent]]
name = "batch reaches on-prem"
from = "vpc:batch-jobs"
to = "10.0.0.0/8"

[[intent]]
name = "lab forwarding works"
dns_rule = "lab.corp.example.com"
targets_reachable = true

[[intent]]
name = "corp forwards through two AZs"
dns_rule = "corp-example-forward"
min_endpoint_azs = 2
targets_reachable = true

[[intent]]
name = "analytics is isolated from prod"
from = "vpc:analytics"
to = "vpc:prod-app"
expect = "unreachable"
"#;

fn verify(dir: &std::path::Path, intents: &str, format: &str) -> (Option<i32>, String, String) {
    let path = dir.join("intents.toml");
    std::fs::write(&path, intents).unwrap();
    let out = run(bin()
        .args(["verify", "--demo", "--format", format, "--intents"])
        .arg(&path));
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// An intent that holds, one broken by a missing return route and one about a forwarding rule
/// whose targets cannot be reached: exit 3, the broken ones named with the hop that breaks
/// each; the JSON and JUnit outputs agree with the text.
#[test]
fn verify_names_the_broken_intents_and_the_hop_that_breaks_each() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = verify(dir.path(), INTENTS, "text");
    assert_eq!(code, Some(3), "{out}{err}");
    let line = |name: &str| {
        out.lines()
            .find(|l| l.ends_with(name))
            .unwrap_or_else(|| panic!("{name}: {out}"))
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(line("prod reaches on-prem over two locations"), "held");
    assert_eq!(line("corp forwards through two AZs"), "held");
    assert_eq!(line("analytics is isolated from prod"), "held");
    assert_eq!(line("batch reaches on-prem"), "broken");
    assert_eq!(line("lab forwarding works"), "broken");
    assert!(
        out.contains("return: TGW route table on-prem has no route to 10.70.0.0/16 (tgw-rtb-0a1b2c3d4e5f60003)"),
        "{out}"
    );
    assert!(out.contains("→ target 172.16.8.10: forward:"), "{out}");
    assert!(out.contains("held 3 / broken 2 / unknown 0"), "{out}");

    let (code, out, _) = verify(dir.path(), INTENTS, "json");
    assert_eq!(code, Some(3));
    let v: Value = serde_json::from_str(&out).unwrap();
    let broken: Vec<&str> = v["intents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["state"] == "broken")
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(broken, ["batch reaches on-prem", "lab forwarding works"]);
    assert_eq!(
        (v["held"].as_u64(), v["broken"].as_u64()),
        (Some(3), Some(2))
    );

    let (_, out, _) = verify(dir.path(), INTENTS, "junit");
    assert!(out.starts_with("<?xml"), "{out}");
    assert!(
        out.contains("tests=\"5\" failures=\"2\" errors=\"0\""),
        "{out}"
    );
    assert_eq!(out.matches("<failure message=").count(), 2, "{out}");

    let (_, out, _) = verify(dir.path(), INTENTS, "sarif");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 2, "{v}");

    // The demo declares intents of its own (two broken on purpose), used without --intents.
    let out = run(bin().args(["verify", "--demo"]));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("held 3 / broken 2 / unknown 0"),
        "{}",
        text(&out.stdout)
    );

    // Only what holds: exit 0.
    let held = INTENTS
        .split("[[intent]]")
        .filter(|i| !i.contains("batch") && !i.contains("lab"))
        .collect::<Vec<_>>()
        .join("[[intent]]");
    let (code, out, err) = verify(dir.path(), &held, "text");
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("held 3 / broken 0 / unknown 0"), "{out}");
}

/// A selector that matches nothing, a field misspelt, a bad value: exit 2, naming the file, the
/// intent and the field.
#[test]
fn a_bad_intent_file_or_a_selector_matching_nothing_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for (intents, says) in [
        (
            "[[intent]]\nname = \"a\"\nfrom = \"vpc:nosuch-*\"\nto = \"10.0.0.0/8\"\n",
            "intent \"a\": from = \"vpc:nosuch-*\" matches no VPC read",
        ),
        (
            "[[intent]]\nname = \"b\"\ndns_rule = \"nosuch.example.com\"\n",
            "intent \"b\": dns_rule = \"nosuch.example.com\" matches no Resolver rule read",
        ),
        (
            "[[intent]]\nname = \"c\"\nform = \"vpc:a\"\nto = \"10.0.0.0/8\"\n",
            "intent 1 (\"c\"): field form (line 3): unknown field `form`",
        ),
        (
            "[[intent]]\nname = \"ok\"\nfrom = \"vpc:a\"\nto = \"10.0.0.0/8\"\n[[intent]]\nname = \"d\"\nfrom = \"vpc:a\"\nto = \"10.0.0.0/8\"\nexpect = \"sometimes\"\n",
            "intent 2 (\"d\"): field expect (line 9): unknown variant `sometimes`",
        ),
        (
            "[[intent]]\nname = \"e\"\nfrom = \"vpc:a\"\n",
            "intent 1 (\"e\"): to: missing",
        ),
    ] {
        let (code, out, err) = verify(dir.path(), intents, "text");
        assert_eq!(code, Some(2), "{intents}: {out}{err}");
        assert!(
            err.contains("intents.toml") && err.contains(says),
            "{intents}: {err}"
        );
    }
}

/// The console judges the same intents as `verify`, from the one derived state: the overview's
/// intents line and `:intents` agree with the command's counts and name what breaks each.
#[test]
fn the_console_shows_the_intents_verify_judges() {
    use crossconnect::action::Action;
    use crossconnect::app::update;
    let dir = tempfile::tempdir().unwrap();
    let (_, out, _) = verify(dir.path(), INTENTS, "json");
    let v: Value = serde_json::from_str(&out).unwrap();
    let line = format!(
        "Intents held {} / broken {} / unknown {}",
        v["held"], v["broken"], v["unknown"]
    );
    let mut app = crate::render::demo_app(0);
    app.session.intents = std::sync::Arc::new(
        crossconnect::intent::IntentFile::parse(INTENTS)
            .unwrap()
            .intents,
    );
    app.sync();
    let screen = |app: &mut crossconnect::app::App| {
        let t = crate::render::draw(app, 120, 40);
        let b = t.backend().buffer().clone();
        (0..b.area.height)
            .map(|y| {
                (0..b.area.width)
                    .map(|x| b[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let s = screen(&mut app);
    assert!(s.contains(&line), "{line}\n{s}");
    update(&mut app, Action::Command);
    for c in "intents".chars() {
        update(&mut app, Action::Input(c));
    }
    update(&mut app, Action::Submit);
    let s = screen(&mut app);
    assert!(s.contains("intents · held 3 / broken 2 / unknown 0"), "{s}");
    assert!(s.contains("broken   batch reaches on-prem"), "{s}");
    assert!(
        s.contains("return: TGW route table on-prem has no route to 10.70.0.0/16"),
        "{s}"
    );
    // `Enter` on an intent shows the whole trace of each pair, hop by hop, as `path` traces
    // it; `Esc` goes back to the list with the same intent selected.
    assert!(s.contains("▶ held     prod reaches"), "{s}");
    update(&mut app, Action::Down);
    update(&mut app, Action::Open);
    let s = screen(&mut app);
    assert!(s.contains("intent batch reaches on-prem · broken"), "{s}");
    assert!(s.contains("forward: DEGRADED"), "{s}");
    assert!(s.contains("tgw-rtb-0a1b2c3d4e5f60001"), "{s}");
    assert!(s.contains("dxvif-fg7h8i9j"), "{s}");
    update(&mut app, Action::Back);
    let s = screen(&mut app);
    assert!(s.contains("▶ broken   batch reaches on-prem"), "{s}");
    update(&mut app, Action::Back);
    assert!(!screen(&mut app).contains("intents · held"));
}

/// Over moto: an intent that a peering carries traffic both ways is broken while the far side
/// has no route back (the return leg names the route table), and holds once it has one.
#[tokio::test]
async fn an_intent_over_moto_breaks_on_a_missing_return_route_and_heals() {
    use crate::common::*;
    let Some(moto) = moto_url() else { return };
    let admin = moto_admin(REGION, &moto).await;
    let ec2 = &admin.ec2;
    let (a, b, pcx) = peered_vpcs(ec2, 217, 218).await;
    route_over_peering(ec2, &a, "10.218.0.0/16", &pcx).await;
    let dir = tempfile::tempdir().unwrap();
    let intents = a_reaches_b(dir.path(), &a, &b);
    let server = fixture_server(&[]).await;
    let verify = |fx: String| {
        let (m, path) = (moto.clone(), intents.display().to_string());
        tokio::task::spawn_blocking(move || {
            crate::graph::cli(&["verify", "--intents", &path], &m, &fx)
        })
    };
    let (code, out, err) = verify(server.uri()).await.unwrap();
    assert_eq!(code, Some(3), "{out}{err}");
    assert!(out.starts_with("broken   a reaches b"), "{out}");
    assert!(
        out.contains("return:") && out.contains("no route to 10.217."),
        "{out}"
    );
    route_over_peering(ec2, &b, "10.217.0.0/16", &pcx).await;
    let (code, out, err) = verify(server.uri()).await.unwrap();
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("held 1 / broken 0 / unknown 0"), "{out}");
}
