//! `watch`'s notifications (`[[notify]]`): each transition sent once to each webhook that wants
//! its kind. Transitions are what the history records (a BGP session, a connection, an intent;
//! the first poll of a process is the baseline, so a restart sends nothing again) and what the
//! judgement of a whole poll changes (a VPC's last path to on-prem, a new critical or high
//! finding). Each
//! webhook has a task of its own: a receiver that is slow or down never delays a poll; a
//! message is retried with back-off, and one that cannot be delivered is counted.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::config::notify::{Format, Kind, Notifier};
use crate::derived::Derived;
use crate::history::{Event, EventKind};
use crate::model::ResourceKind;

/// One transition, as text (Slack) and as an object (JSON).
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub kind: Kind,
    pub text: String,
    pub json: Value,
}

fn message(kind: Kind, text: String, mut fields: Value) -> Message {
    fields["source"] = "crossconnect".into();
    fields["kind"] = kind.key().into();
    fields["text"] = text.clone().into();
    Message {
        kind,
        text,
        json: fields,
    }
}

/// The transitions among recorded history events: BGP sessions, connection states, intents.
pub fn from_events(events: &[Event]) -> Vec<Message> {
    events
        .iter()
        .filter_map(|e| {
            let kind = match e.kind {
                EventKind::Intent => Kind::Intent,
                EventKind::Resource(ResourceKind::DxVirtualInterfaces)
                    if e.field.bgp_peer().is_some()
                        && e.field.to_string().ends_with("bgp_status") =>
                {
                    Kind::Bgp
                }
                EventKind::Resource(ResourceKind::DxConnections) if e.field.is("state") => {
                    Kind::Connection
                }
                _ => return None,
            };
            let fields = json!({
                "at": e.at.to_rfc3339(), "account": e.account, "region": e.region,
                "resource_id": e.resource_id, "name": e.name, "field": e.field.to_string(),
                "old": e.old, "new": e.new,
            });
            Some(message(kind, e.line(), fields))
        })
        .collect()
}

/// The transitions between two judgements of whole polls: VPCs that lost their last working
/// path to on-prem or got one back, and critical or high findings that are new.
pub fn changes(before: &Derived, now: &Derived) -> Vec<Message> {
    let reach = |d: &Derived| -> BTreeMap<String, (bool, String)> {
        let each = d.reach.iter().map(|r| {
            let ok = r.working().count() > 0 && r.return_ok;
            (r.vpc.clone(), (ok, crate::model::label(&r.name, &r.vpc)))
        });
        each.collect()
    };
    let severe = |d: &Derived| -> BTreeSet<(String, String)> {
        let high = d.findings.iter().filter(|f| {
            use crate::findings::Severity::{Critical, High};
            matches!(f.severity, Critical | High)
        });
        high.map(|f| (f.code.to_string(), f.title.clone()))
            .collect()
    };
    let mut out = Vec::new();
    let was = reach(before);
    for (vpc, (ok, label)) in reach(now) {
        if was.get(&vpc).is_some_and(|(w, _)| *w != ok) {
            let text = match ok {
                true => format!("path: {label} reaches on-prem again"),
                false => format!("path: {label} lost its last working path to on-prem"),
            };
            out.push(message(
                Kind::Path,
                text,
                json!({"vpc": vpc, "reachable": ok}),
            ));
        }
    }
    for (code, title) in severe(now).difference(&severe(before)) {
        let text = format!("finding: {code} {title}");
        out.push(message(
            Kind::Finding,
            text,
            json!({"rule": code, "title": title}),
        ));
    }
    out
}

/// Undelivered messages per notifier (its name), for the metrics.
pub type Failures = Arc<Mutex<BTreeMap<String, u64>>>;

/// Messages one webhook is sent in a minute; past them a batch goes as one summary.
const PER_MINUTE: usize = 20;

/// Starts one task per notifier; returns where to send each batch of messages.
pub fn spawn(notifiers: Vec<Notifier>, failures: Failures) -> mpsc::UnboundedSender<Vec<Message>> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<Message>>();
    let mut each = Vec::new();
    for n in notifiers {
        let (ntx, nrx) = mpsc::unbounded_channel::<Vec<Message>>();
        each.push((n.kinds.clone(), ntx));
        tokio::spawn(deliver(n, nrx, failures.clone()));
    }
    tokio::spawn(async move {
        while let Some(batch) = rx.recv().await {
            for (kinds, ntx) in &each {
                let mine: Vec<Message> = batch
                    .iter()
                    .filter(|m| kinds.contains(&m.kind))
                    .cloned()
                    .collect();
                if !mine.is_empty() {
                    let _ = ntx.send(mine);
                }
            }
        }
    });
    tx
}

/// Sends one notifier's messages in order: each POST tried three times (1 s, then 2 s apart,
/// 10 s each); one that fails every time is counted and dropped.
async fn deliver(n: Notifier, mut rx: mpsc::UnboundedReceiver<Vec<Message>>, failures: Failures) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default();
    let mut sent: Vec<Instant> = Vec::new();
    while let Some(batch) = rx.recv().await {
        sent.retain(|t| t.elapsed() < Duration::from_secs(60));
        let bodies: Vec<Value> = if sent.len() + batch.len() > PER_MINUTE {
            // Over the rate: the batch as one message.
            let text = batch
                .iter()
                .map(|m| m.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let text = format!(
                "{} transitions (rate-limited into one message):\n{text}",
                batch.len()
            );
            vec![match n.format {
                Format::Slack => json!({"text": text}),
                Format::Json => {
                    json!({"source": "crossconnect", "kind": "batch", "text": text, "messages": batch.iter().map(|m| m.json.clone()).collect::<Vec<_>>()})
                }
            }]
        } else {
            batch
                .iter()
                .map(|m| match n.format {
                    Format::Slack => json!({"text": m.text}),
                    Format::Json => m.json.clone(),
                })
                .collect()
        };
        for body in bodies {
            sent.push(Instant::now());
            if !post(&client, &n.url, &body).await {
                if let Ok(mut f) = failures.lock() {
                    *f.entry(n.name.clone()).or_default() += 1;
                }
                tracing::warn!("notify {}: a message could not be delivered", n.name);
            }
        }
    }
}

async fn post(client: &reqwest::Client, url: &str, body: &Value) -> bool {
    for attempt in 0..3u32 {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_secs(u64::from(attempt))).await;
        }
        let r = client
            .post(url)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await;
        if r.is_ok_and(|r| r.status().is_success()) {
            return true;
        }
    }
    false
}
