//! The recorded answers: one JSON line per call (service, operation, parameter key, status,
//! content type, body), looked up by the same three on replay.

use std::collections::HashMap;

use bytes::Bytes;

/// One recorded answer.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

/// Every recorded answer, by (service, operation) and then by parameter key.
#[derive(Default)]
pub struct Tape {
    by_key: HashMap<(String, String, String), Answer>,
    by_op: HashMap<(String, String), Answer>,
    /// The account and region the answers were recorded in (replaced on replay).
    pub account: String,
    pub region: String,
}

impl Tape {
    /// Reads a tape written by `record`; the recorded account is the one its
    /// GetCallerIdentity answered (or 123456789012, moto's).
    pub fn load(path: &str) -> Result<Tape, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let mut tape = Tape {
            account: "123456789012".into(),
            ..Tape::default()
        };
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            let answer = Answer {
                status: v["status"].as_u64().unwrap_or(200) as u16,
                content_type: s("content_type"),
                body: s("body"),
            };
            if tape.region.is_empty() {
                tape.region = s("region");
            }
            if s("action") == "GetCallerIdentity"
                && let Some(a) = between(&answer.body, "<Account>", "</Account>")
            {
                tape.account = a.to_string();
            }
            // A failed answer is kept only when no good one exists for the same call.
            let good = answer.status < 300;
            let key = (s("service"), s("action"), s("key"));
            if good || !tape.by_key.contains_key(&key) {
                tape.by_key.insert(key, answer.clone());
            }
            let op = (s("service"), s("action"));
            if good || !tape.by_op.contains_key(&op) {
                tape.by_op.insert(op, answer);
            }
        }
        if tape.by_op.is_empty() {
            return Err(format!("{path}: no answers recorded"));
        }
        Ok(tape)
    }

    /// The answer recorded for this call: the same parameters, else the same operation.
    pub fn find(&self, service: &str, action: &str, key: &str) -> Option<&Answer> {
        let k = (service.to_string(), action.to_string(), key.to_string());
        self.by_key.get(&k).or_else(|| self.by_op.get(&(k.0, k.1)))
    }

    /// How many distinct calls the tape answers.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }
}

/// A recorded answer as one tape line.
pub fn line(call: &crate::request::Call, status: u16, content_type: &str, body: &Bytes) -> String {
    serde_json::json!({
        "service": call.service,
        "region": call.region,
        "action": call.action,
        "key": call.key,
        "status": status,
        "content_type": content_type,
        "body": String::from_utf8_lossy(body),
    })
    .to_string()
}

/// The text between two markers.
pub fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let end = s[start..].find(close)? + start;
    Some(&s[start..end])
}
