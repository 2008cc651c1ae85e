//! The change journal: one JSON line per executed change, appended and synced to disk
//! before the result is shown. Default path `$XDG_STATE_HOME/crossconnect/journal.jsonl`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One executed change. Parameters are the plan's, secrets already masked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// RFC 3339 time the call completed.
    pub time: String,
    pub profile: Option<String>,
    pub account: Option<String>,
    pub region: String,
    /// `service:Operation`, e.g. `ec2:AcceptVpcPeeringConnection`.
    pub operation: String,
    pub parameters: BTreeMap<String, String>,
    /// `success` or `error`.
    pub outcome: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// The AWS request id.
    pub request_id: Option<String>,
    /// The workflow's intent id (retries share it).
    pub intent: String,
}

/// The default journal path.
pub fn default_path() -> PathBuf {
    crate::logging::default_path().with_file_name("journal.jsonl")
}

/// Appends an entry and syncs it to disk.
pub fn append(path: &Path, entry: &JournalEntry) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
    f.write_all(line.as_bytes())?;
    f.write_all(b"\n")?;
    f.flush()?;
    f.sync_data()
}

/// Reads every entry (a missing file is an empty journal; a broken line is reported).
pub fn read(path: &Path) -> Result<Vec<JournalEntry>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(format!("cannot read journal {}: {e}", path.display())),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map_err(|e| format!("journal {} line {}: {e}", path.display(), i + 1))
        })
        .collect()
}
