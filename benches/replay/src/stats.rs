//! What the server saw since the last reset: calls, throttled calls, the most in flight at
//! once, calls per operation, the sends of the list calls that must be sent once per account
//! and region, and when each account's last answer left.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::request::Call;

/// The calls a poll must send exactly once per account and region.
const ONCE: [&str; 2] = ["DescribeConnections", "DescribeVirtualInterfaces"];

#[derive(Default)]
struct Counts {
    since: Option<Instant>,
    by_op: HashMap<String, u64>,
    once: HashMap<(String, String, &'static str), u64>,
    /// Milliseconds from the first call to each account's last answer.
    done_ms: HashMap<String, u64>,
    /// Milliseconds from the first call to each account's first answer.
    first_ms: HashMap<String, u64>,
    /// The first calls: when each was answered (ms) and what it was.
    timeline: Vec<(u64, String)>,
}

#[derive(Default)]
pub struct Stats {
    calls: AtomicU64,
    throttled: AtomicU64,
    in_flight: AtomicU64,
    peak: AtomicU64,
    counts: Mutex<Counts>,
}

/// Held while a call is in flight.
pub struct Flight<'a>(&'a Stats);

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Stats {
    /// A call arrived.
    pub fn start(&self) -> Flight<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(now, Ordering::Relaxed);
        if let Ok(mut c) = self.counts.lock() {
            c.since.get_or_insert_with(Instant::now);
        }
        Flight(self)
    }

    /// A call was answered (`throttled`: with the throttling error).
    pub fn answered(&self, account: &str, call: &Call, throttled: bool) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        if throttled {
            self.throttled.fetch_add(1, Ordering::Relaxed);
        }
        let Ok(mut c) = self.counts.lock() else {
            return;
        };
        *c.by_op
            .entry(format!("{}:{}", call.service, call.action))
            .or_default() += 1;
        let first_page =
            call.json.get("nextToken").is_none() && call.json.get("NextToken").is_none();
        if let Some(op) = ONCE
            .iter()
            .find(|o| **o == call.action)
            .filter(|_| first_page)
        {
            *c.once
                .entry((account.to_string(), call.region.clone(), op))
                .or_default() += 1;
        }
        let ms = c.since.map(|s| s.elapsed().as_millis() as u64).unwrap_or(0);
        c.done_ms.insert(account.to_string(), ms);
        c.first_ms.entry(account.to_string()).or_insert(ms);
        // The organisation's pages are always kept: they pace when accounts become known.
        if c.timeline.len() < 300 || call.service == "organizations" || call.service == "sts" {
            c.timeline
                .push((ms, format!("{account} {}:{}", call.service, call.action)));
        }
    }

    pub fn report(&self) -> serde_json::Value {
        let c = self.counts.lock().unwrap();
        let mut done: Vec<(&String, &u64)> = c.done_ms.iter().collect();
        done.sort_by_key(|(_, ms)| **ms);
        let median = done.get(done.len() / 2).map(|(_, ms)| **ms).unwrap_or(0);
        let once: serde_json::Map<String, serde_json::Value> = ONCE
            .iter()
            .map(|op| {
                let n: Vec<u64> = c
                    .once
                    .iter()
                    .filter(|(k, _)| k.2 == *op)
                    .map(|(_, n)| *n)
                    .collect();
                let v = serde_json::json!({
                    "scopes": n.len(),
                    "min": n.iter().min().copied().unwrap_or(0),
                    "max": n.iter().max().copied().unwrap_or(0),
                });
                (op.to_string(), v)
            })
            .collect();
        serde_json::json!({
            "calls": self.calls.load(Ordering::Relaxed),
            "throttled": self.throttled.load(Ordering::Relaxed),
            "peak_in_flight": self.peak.load(Ordering::Relaxed),
            "by_op": c.by_op,
            "sent_per_scope": once,
            "accounts": done.len(),
            "account_done_ms": { "median": median, "max": done.last().map(|(_, ms)| **ms).unwrap_or(0) },
            "done_ms": c.done_ms,
            "first_ms": c.first_ms,
            "timeline": c.timeline,
        })
    }

    pub fn reset(&self) {
        self.calls.store(0, Ordering::Relaxed);
        self.throttled.store(0, Ordering::Relaxed);
        self.peak
            .store(self.in_flight.load(Ordering::Relaxed), Ordering::Relaxed);
        if let Ok(mut c) = self.counts.lock() {
            *c = Counts::default();
        }
    }
}
