//! `crossconnect verify`: every declared intent checked against one poll.

use std::path::PathBuf;

use color_eyre::eyre::Result;
use serde_json::json;

use crate::cli::{GlobalArgs, VerifyFormat};
use crate::graph::Index;
use crate::intent::{self, IntentFile, Outcome, State};

/// The demo estate's intents, used with `--demo` when no `--intents` is given (a real
/// estate's file names VPCs the demo does not have).
const DEMO: &str = include_str!("../demo/intents.toml");

/// The intent file: `--intents PATH`, `[paths] intents`, else
/// `$XDG_CONFIG_HOME/crossconnect/intents.toml`.
pub fn intents_path(g: &GlobalArgs) -> Option<PathBuf> {
    g.intents
        .clone()
        .or_else(|| dirs::config_dir().map(|d| d.join("crossconnect").join("intents.toml")))
}

/// Reads and checks the intent file. Errors (one line) name the file, and the intent and
/// field where there is one.
pub fn load(g: &GlobalArgs) -> Result<(PathBuf, IntentFile), String> {
    if g.demo && g.intents.is_none() {
        let file = IntentFile::parse(DEMO).map_err(|e| format!("the demo's intents: {e}"))?;
        return Ok((PathBuf::from("(demo intents)"), file));
    }
    let path = intents_path(g).ok_or("no intent file: give --intents PATH")?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("intents {}: cannot read: {e}", path.display()))?;
    IntentFile::parse(&text)
        .map(|f| (path.clone(), f))
        .map_err(|e| format!("intents {}: {e}", path.display()))
}

/// The intents a command that does not need them still weighs (the console, `what-if`): a
/// file given (`--intents`, `[paths] intents`) must be good; the default one may be absent.
pub fn optional(g: &GlobalArgs) -> Result<Vec<intent::Intent>, String> {
    match intents_path(g) {
        Some(p) if g.demo || g.intents.is_some() || p.exists() => load(g).map(|(_, f)| f.intents),
        _ => Ok(Vec::new()),
    }
}

/// `crossconnect verify`: prints the outcome of every intent; exit 0 all held, 3 any broken
/// or unknown, 2 a bad file or a selector that matches nothing (1, nothing read, comes back
/// as an error).
pub async fn verify(
    g: &GlobalArgs,
    format: VerifyFormat,
    snapshot: Option<&std::path::Path>,
) -> Result<i32> {
    let (path, file) = match load(g) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("crossconnect: verify: {e}");
            return Ok(2);
        }
    };
    let estate = match super::read_or_load(g, snapshot).await {
        Ok(e) => e,
        Err(Ok(bad)) => {
            eprintln!("crossconnect: verify: {bad}");
            return Ok(2);
        }
        Err(Err(e)) => return Err(e),
    };
    let ix = Index::new(&estate);
    let outcomes = match intent::verify(&ix, &file.intents) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("crossconnect: verify: intents {}: {e}", path.display());
            return Ok(2);
        }
    };
    let count = |s: State| outcomes.iter().filter(|o| o.state == s).count();
    let (held, broken, unknown) = (
        count(State::Held),
        count(State::Broken),
        count(State::Unknown),
    );
    match format {
        VerifyFormat::Text => {
            for o in &outcomes {
                println!("{:<8} {}", o.state.label(), o.name);
                for c in &o.checks {
                    println!("         {:<8} {}: {}", c.state.label(), c.what, c.reason);
                }
            }
            println!("held {held} / broken {broken} / unknown {unknown}");
        }
        VerifyFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "intents_file": path.display().to_string(),
                "held": held, "broken": broken, "unknown": unknown,
                "intents": outcomes,
            }))?
        ),
        VerifyFormat::Junit => print!("{}", junit(&outcomes)),
        VerifyFormat::Sarif => println!(
            "{}",
            serde_json::to_string_pretty(&sarif(&path, &outcomes))?
        ),
    }
    Ok(if broken + unknown > 0 { 3 } else { 0 })
}

/// JUnit XML: one test case per intent; broken is a failure, unknown an error (it could not
/// be evaluated), each with its reason and one line per check.
fn junit(outcomes: &[Outcome]) -> String {
    use quick_xml::escape::escape;
    let count = |s: State| outcomes.iter().filter(|o| o.state == s).count();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"crossconnect verify\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
        outcomes.len(),
        count(State::Broken),
        count(State::Unknown)
    );
    for o in outcomes {
        out += &format!(
            "    <testcase classname=\"intent\" name=\"{}\"",
            escape(o.name.as_str())
        );
        let tag = match o.state {
            State::Held => {
                out += "/>\n";
                continue;
            }
            State::Broken => "failure",
            State::Unknown => "error",
        };
        let detail: Vec<String> = o
            .checks
            .iter()
            .map(|c| format!("{} {}: {}", c.state.label(), c.what, c.reason))
            .collect();
        out += &format!(
            ">\n      <{tag} message=\"{}\">{}</{tag}>\n    </testcase>\n",
            escape(o.reason.as_str()),
            escape(detail.join("\n").as_str())
        );
    }
    out + "  </testsuite>\n</testsuites>\n"
}

/// SARIF 2.1.0: one result per intent broken (error) or unknown (warning), located at the
/// intent file.
fn sarif(path: &std::path::Path, outcomes: &[Outcome]) -> serde_json::Value {
    let results: Vec<_> = outcomes
        .iter()
        .filter(|o| o.state != State::Held)
        .map(|o| {
            let (rule, level) = match o.state {
                State::Broken => ("INTENT-BROKEN", "error"),
                _ => ("INTENT-UNKNOWN", "warning"),
            };
            json!({
                "ruleId": rule,
                "level": level,
                "message": {"text": format!("{}: {}", o.name, o.reason)},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": path.display().to_string()}},
                    "logicalLocations": [{"name": o.name, "kind": "intent"}],
                }],
            })
        })
        .collect();
    json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {
                "name": "crossconnect",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": [
                    {"id": "INTENT-BROKEN", "shortDescription": {"text": "A declared intent does not hold"}},
                    {"id": "INTENT-UNKNOWN", "shortDescription": {"text": "A declared intent could not be evaluated: something it needs was not read"}},
                ],
            }},
            "results": results,
        }],
    })
}
