//! The change journal, written ahead: before a mutating call is sent, an **intent** line
//! (time, account, region, operation, masked parameters, client token, the resource to look
//! at) is appended and synced to disk; the **outcome** line follows the answer. A session
//! killed in between leaves an intent without an outcome, which [`read`] reports as outcome
//! `unknown` — check the resource. Default path `$XDG_STATE_HOME/crossconnect/journal.jsonl`.
//!
//! Each line is written with one `write` under an advisory lock (`flock`), so two sessions
//! never interleave lines and a killed session never leaves half a line behind another. A
//! corrupt line is skipped on read, and the reader says so.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// `phase` of an intent line.
pub const INTENT: &str = "intent";
/// `phase` of an outcome line.
pub const OUTCOME: &str = "outcome";
/// `outcome` of an intent with no outcome line: the session ended between the two.
pub const UNKNOWN: &str = "unknown";

fn outcome_phase() -> String {
    OUTCOME.into()
}

/// One line: the intent of a change, or its outcome. Parameters are the plan's, secrets
/// already masked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// RFC 3339 time the line was written.
    pub time: String,
    /// [`INTENT`] (written before the call) or [`OUTCOME`] (after the answer).
    #[serde(default = "outcome_phase")]
    pub phase: String,
    pub profile: Option<String>,
    pub account: Option<String>,
    pub region: String,
    /// `service:Operation`, e.g. `ec2:AcceptVpcPeeringConnection`.
    pub operation: String,
    pub parameters: BTreeMap<String, String>,
    /// `pending` (an intent), `success`, `error`, `dry-run-refused` (nothing was changed), or
    /// [`UNKNOWN`] as [`read`] reports an intent whose outcome was never written.
    pub outcome: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// The AWS request id.
    pub request_id: Option<String>,
    /// The workflow's intent id (retries share it).
    pub intent: String,
    /// The idempotency token sent with the call (`CreatorRequestId`), if any.
    #[serde(default)]
    pub client_token: Option<String>,
    /// The resource to look at when the outcome is unknown (id or CIDR).
    #[serde(default)]
    pub target: Option<String>,
    /// Who sent it: the caller's ARN (sts GetCallerIdentity, or the role assumed).
    #[serde(default)]
    pub caller_arn: Option<String>,
    /// The machine it was sent from.
    #[serde(default)]
    pub host: Option<String>,
    /// The id of the resource the call created (an endpoint, a rule, a VIF).
    #[serde(default)]
    pub created_id: Option<String>,
    /// The change ticket it belongs to (`--ticket`).
    #[serde(default)]
    pub ticket: Option<String>,
    /// The call that undoes it, where one exists (delete the route added, stop the test).
    #[serde(default)]
    pub undo: Option<String>,
}

/// The default journal path.
pub fn default_path() -> PathBuf {
    crate::logging::default_path().with_file_name("journal.jsonl")
}

fn open_append(path: &Path) -> std::io::Result<std::fs::File> {
    if path.is_dir() {
        return Err(std::io::Error::other(format!(
            "{} is a directory; the journal is a file (e.g. {}/journal.jsonl)",
            path.display(),
            path.display()
        )));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
}

/// Checks that the journal can be appended to (at start-up under `--write`): refuses a
/// directory, an unwritable file or a directory that cannot be created.
pub fn check_writable(path: &Path) -> Result<(), String> {
    open_append(path).and_then(|f| f.sync_all()).map_err(|e| {
        format!(
            "the change journal {} cannot be written: {e}",
            path.display()
        )
    })
}

/// Appends one line (with one `write`, under an exclusive advisory lock) and syncs it to disk.
pub fn append(path: &Path, entry: &JournalEntry) -> std::io::Result<()> {
    let mut f = open_append(path)?;
    let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
    line.push('\n');
    f.lock()?;
    let written = f.write_all(line.as_bytes()).and_then(|_| f.sync_data());
    let _ = f.unlock();
    written
}

/// What [`read`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Journal {
    /// One entry per change attempt, oldest first: its outcome line, or its intent with
    /// outcome [`UNKNOWN`] when no outcome was written.
    pub changes: Vec<JournalEntry>,
    /// Lines that could not be read (`line N: why`).
    pub skipped: Vec<String>,
}

impl Journal {
    /// The changes whose outcome is unknown.
    pub fn unknown(&self) -> Vec<&JournalEntry> {
        self.changes
            .iter()
            .filter(|c| c.outcome == UNKNOWN)
            .collect()
    }
}

/// Reads the journal: a missing file is empty, a corrupt line is skipped and listed.
pub fn read_journal(path: &Path) -> Result<Journal, String> {
    let text = match std::fs::read(path) {
        Ok(t) => String::from_utf8_lossy(&t).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Journal::default()),
        Err(e) => return Err(format!("cannot read journal {}: {e}", path.display())),
    };
    let mut j = Journal::default();
    // Open intents by intent id: index into `changes`, oldest first.
    let mut open: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let e: JournalEntry = match serde_json::from_str(l) {
            Ok(e) => e,
            Err(err) => {
                j.skipped.push(format!("line {}: {err}", i + 1));
                continue;
            }
        };
        if e.phase == INTENT {
            open.entry(e.intent.clone())
                .or_default()
                .push(j.changes.len());
            j.changes.push(JournalEntry {
                outcome: UNKNOWN.into(),
                ..e
            });
        } else if let Some(idx) = open
            .get_mut(&e.intent)
            .and_then(|v| (!v.is_empty()).then(|| v.remove(0)))
        {
            j.changes[idx] = e;
        } else {
            j.changes.push(e);
        }
    }
    Ok(j)
}

/// The changes of the journal (see [`read_journal`]), or why it cannot be read.
pub fn read(path: &Path) -> Result<Vec<JournalEntry>, String> {
    read_journal(path).map(|j| j.changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(phase: &str, outcome: &str, intent: &str) -> JournalEntry {
        JournalEntry {
            time: "2026-11-24T03:00:00Z".into(),
            phase: phase.into(),
            profile: None,
            account: Some("111122223333".into()),
            region: "us-east-1".into(),
            operation: "ec2:CreateTransitGatewayRoute".into(),
            parameters: BTreeMap::new(),
            outcome: outcome.into(),
            error_code: None,
            error_message: None,
            request_id: None,
            intent: intent.into(),
            client_token: None,
            target: Some("10.9.0.0/16".into()),
            caller_arn: None,
            host: None,
            created_id: None,
            ticket: None,
            undo: None,
        }
    }

    #[test]
    fn an_intent_without_outcome_reads_as_unknown_and_corrupt_lines_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        append(&p, &entry(INTENT, "pending", "a")).unwrap();
        append(&p, &entry(OUTCOME, "success", "a")).unwrap();
        append(&p, &entry(INTENT, "pending", "b")).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&p)
            .unwrap()
            .write_all(b"{\"time\": \"half a li\n")
            .unwrap();
        let j = read_journal(&p).unwrap();
        assert_eq!(j.changes.len(), 2);
        assert_eq!(j.changes[0].outcome, "success");
        assert_eq!(j.changes[1].outcome, UNKNOWN);
        assert_eq!(j.unknown().len(), 1);
        assert_eq!(j.skipped.len(), 1, "{:?}", j.skipped);
        assert!(
            check_writable(dir.path()).is_err(),
            "a directory is refused"
        );
    }
}
