//! Where the history is kept: an embedded SQLite file by default ([`super::sqlite`]), or a
//! PostgreSQL database that several `watch` processes and every console share
//! ([`super::postgres`], `--history postgres://…`). Both keep the same events with the same
//! rules: versioned schema migrated on open, old events deleted on open, a transition two
//! writers saw recorded once.
//!
//! Errors name the file or the database (its password masked) and what to do: a database that
//! cannot be used is reported and the console goes on without history.

use std::path::{Path, PathBuf};

use chrono::Utc;

use super::Event;
use super::postgres::Postgres;
use super::sqlite::Sqlite;
use crate::model::Timestamp;

pub use super::{Query, SCHEMA_VERSION};
/// Default retention, days.
pub use crossconnect_core::findings::history::RETENTION_DAYS;

/// `$XDG_STATE_HOME/crossconnect/history.sqlite`.
pub fn default_path() -> PathBuf {
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .unwrap_or_else(std::env::temp_dir)
        .join("crossconnect")
        .join("history.sqlite")
}

/// Where the history is: `--history PATH|postgres://…` or `[paths] history`.
#[derive(Clone, Debug, PartialEq)]
pub enum Location {
    /// An SQLite file.
    File(PathBuf),
    /// A PostgreSQL connection URL (`postgres://` or `postgresql://`), password and all.
    Postgres(String),
}

impl Location {
    /// A URL that starts `postgres://` or `postgresql://` is a PostgreSQL database; anything
    /// else is a file path.
    pub fn parse(p: &Path) -> Location {
        match p.to_str() {
            Some(s) if s.starts_with("postgres://") || s.starts_with("postgresql://") => {
                Location::Postgres(s.to_string())
            }
            _ => Location::File(p.to_path_buf()),
        }
    }
}

impl From<&Path> for Location {
    fn from(p: &Path) -> Location {
        Location::parse(p)
    }
}

impl From<&PathBuf> for Location {
    fn from(p: &PathBuf) -> Location {
        Location::parse(p)
    }
}

impl From<&Location> for Location {
    fn from(l: &Location) -> Location {
        l.clone()
    }
}

/// An open history database.
pub struct Store {
    backend: Backend,
}

enum Backend {
    Sqlite(Sqlite),
    Postgres(Postgres),
}

impl Store {
    /// Opens for reading and writing (an SQLite file and its directory are made when missing,
    /// a PostgreSQL schema is made or migrated); deletes events older than `retention_days`.
    pub fn open(at: impl Into<Location>, retention_days: i64) -> Result<Store, String> {
        let backend = match at.into() {
            Location::File(p) => Backend::Sqlite(Sqlite::open(&p, retention_days)?),
            Location::Postgres(url) => Backend::Postgres(Postgres::open(&url, retention_days)?),
        };
        Ok(Store { backend })
    }

    /// A database in memory, gone when the process ends: the demo's (`--demo` never opens the
    /// real history, so demo events never mix with an estate's).
    pub fn in_memory() -> Result<Store, String> {
        Ok(Store {
            backend: Backend::Sqlite(Sqlite::in_memory()?),
        })
    }

    /// Opens an existing history read-only (`history`): the file, or the database's schema,
    /// must exist.
    pub fn open_read_only(at: impl Into<Location>) -> Result<Store, String> {
        let backend = match at.into() {
            Location::File(p) => Backend::Sqlite(Sqlite::open_read_only(&p)?),
            Location::Postgres(url) => Backend::Postgres(Postgres::open_read_only(&url)?),
        };
        Ok(Store { backend })
    }

    /// Deletes events older than `days`.
    pub fn expire(&self, days: i64) -> Result<usize, String> {
        match &self.backend {
            Backend::Sqlite(s) => s.expire(days),
            Backend::Postgres(p) => p.expire(days),
        }
    }

    /// Appends events in one transaction. A transition already recorded as the latest of its
    /// resource and field in its account (the console and `watch` both saw it) is not recorded
    /// twice; the check and the insert hold the account's write lock together.
    pub fn append(&mut self, events: &[Event]) -> Result<(), String> {
        if events.is_empty() {
            return Ok(());
        }
        match &mut self.backend {
            Backend::Sqlite(s) => s.append(events),
            Backend::Postgres(p) => p.append(events),
        }
    }

    /// The events matching `q`, newest first.
    pub fn query(&self, q: &Query) -> Result<Vec<Event>, String> {
        match &self.backend {
            Backend::Sqlite(s) => s.query(q),
            Backend::Postgres(p) => p.query(q),
        }
    }

    /// The file's path or the database's URL with its password masked.
    pub fn name(&self) -> String {
        match &self.backend {
            Backend::Sqlite(s) => s.path().display().to_string(),
            Backend::Postgres(p) => p.name().to_string(),
        }
    }
}

/// Parses `--since`: a duration back from now (`90s`, `15m`, `1h`, `2d`) or an RFC 3339 /
/// `YYYY-MM-DDTHH:MM[:SS]` time (UTC).
pub fn parse_since(s: &str, now: Timestamp) -> Result<Timestamp, String> {
    let s = s.trim();
    let unit = s.chars().last().unwrap_or(' ');
    if let Ok(n) = s[..s.len().saturating_sub(1)].parse::<i64>()
        && n >= 0
    {
        let d = match unit {
            's' => Some(chrono::Duration::seconds(n)),
            'm' => Some(chrono::Duration::minutes(n)),
            'h' => Some(chrono::Duration::hours(n)),
            'd' => Some(chrono::Duration::days(n)),
            _ => None,
        };
        if let Some(d) = d {
            return Ok(now - d);
        }
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Ok(t.and_utc());
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    Err(format!(
        "--since {s:?}: expected a duration back from now (90s, 15m, 1h, 2d) or a time (2026-11-24T02:00)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(at: Timestamp, id: &str, new: &str) -> Event {
        Event {
            at,
            account: "111122223333".into(),
            region: "us-east-1".into(),
            kind: crate::model::ResourceKind::DxVirtualInterfaces.into(),
            resource_id: id.into(),
            name: "prod".into(),
            field: "bgp_peers[p].bgp_status".into(),
            old: Some("up".into()),
            new: Some(new.into()),
        }
    }

    #[test]
    fn events_survive_a_reopen_and_come_back_newest_first_and_filtered() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let now = Utc::now();
        {
            let mut s = Store::open(&path, 30).unwrap();
            s.append(&[event(now - chrono::Duration::hours(2), "dxvif-1", "down")])
                .unwrap();
            s.append(&[event(now, "dxvif-2", "up")]).unwrap();
        }
        let s = Store::open_read_only(&path).unwrap();
        let all = s.query(&Query::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].resource_id, "dxvif-2", "newest first");
        let recent = s
            .query(&Query {
                since: Some(now - chrono::Duration::hours(1)),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(recent.len(), 1);
        let one = s
            .query(&Query {
                resource: Some("dxvif-1".into()),
                kind: Some("virtual_interfaces".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].new.as_deref(), Some("down"));
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused_with_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        std::fs::write(&path, b"this is not sqlite at all, not even close........").unwrap();
        let err = Store::open(&path, 30).err().unwrap();
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("not a usable database"), "{err}");
    }

    #[test]
    fn a_transition_two_writers_saw_is_recorded_once_and_a_real_repeat_is_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let now = Utc::now();
        let mut console = Store::open(&path, 30).unwrap();
        let mut watch = Store::open(&path, 30).unwrap();
        let down = event(now, "dxvif-1", "down");
        console.append(std::slice::from_ref(&down)).unwrap();
        watch.append(std::slice::from_ref(&down)).unwrap();
        let mut up = event(now, "dxvif-1", "up");
        up.old = Some("down".into());
        console.append(&[up]).unwrap();
        console.append(&[down]).unwrap();
        let all = console.query(&Query::default()).unwrap();
        assert_eq!(all.len(), 3, "down, up, down again: {all:?}");
    }

    #[test]
    fn retention_deletes_old_events() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let now = Utc::now();
        {
            let mut s = Store::open(&path, 30).unwrap();
            s.append(&[event(now - chrono::Duration::days(40), "old", "down")])
                .unwrap();
            s.append(&[event(now, "new", "down")]).unwrap();
        }
        let s = Store::open(&path, 30).unwrap();
        let all = s.query(&Query::default()).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].resource_id, "new");
    }

    #[test]
    fn since_accepts_durations_and_times() {
        let now = Utc::now();
        assert_eq!(
            parse_since("1h", now).unwrap(),
            now - chrono::Duration::hours(1)
        );
        assert_eq!(
            parse_since("2026-11-24T02:00", now).unwrap().to_rfc3339(),
            "2026-11-24T02:00:00+00:00"
        );
        assert!(parse_since("yesterday", now).is_err());
    }
}

/// Writes changes to the database on a thread of its own, so neither the render loop nor the
/// pollers wait on the disk or the network. A failed write keeps its changes and retries them
/// with the next; `on_error` hears of each failure.
#[derive(Clone, Debug)]
pub struct Writer {
    tx: std::sync::mpsc::Sender<Vec<Event>>,
}

impl Writer {
    /// Opens the store on the writer's thread: the caller (the
    /// console, before its first frame) never waits for a database that is slow to answer.
    /// `on_open` hears whether it opened, with the store to read from; changes recorded
    /// before are kept until then, and dropped when it cannot be opened.
    pub fn spawn_opening(
        open: impl FnOnce() -> Result<Store, String> + Send + 'static,
        on_open: impl FnOnce(Result<&Store, String>) + Send + 'static,
        on_error: impl Fn(String) + Send + 'static,
    ) -> Writer {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<Event>>();
        std::thread::spawn(move || match open() {
            Ok(mut store) => {
                on_open(Ok(&store));
                let _ = write_until_closed(&mut store, &rx, &on_error);
            }
            Err(e) => {
                on_open(Err(e));
                while rx.recv().is_ok() {}
            }
        });
        Writer { tx }
    }

    /// Writes to an open store, with the thread's handle: once every `Writer` is dropped, the
    /// thread tries what is still kept once more and ends, saying how many changes it could
    /// not record.
    pub fn spawn_joined(
        mut store: Store,
        on_error: impl Fn(String) + Send + 'static,
    ) -> (Writer, std::thread::JoinHandle<Result<(), String>>) {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<Event>>();
        let thread = std::thread::spawn(move || write_until_closed(&mut store, &rx, &on_error));
        (Writer { tx }, thread)
    }

    pub fn record(&self, events: Vec<Event>) {
        let _ = self.tx.send(events);
    }
}

/// Appends each batch as it comes, keeping a failed one to try with the next; once every
/// sender is gone, tries what is kept once more.
fn write_until_closed(
    store: &mut Store,
    rx: &std::sync::mpsc::Receiver<Vec<Event>>,
    on_error: &impl Fn(String),
) -> Result<(), String> {
    let mut pending: Vec<Event> = Vec::new();
    while let Ok(batch) = rx.recv() {
        pending.extend(batch);
        match store.append(&pending) {
            Ok(()) => pending.clear(),
            Err(e) => on_error(format!("{e} ({} change(s) kept)", pending.len())),
        }
    }
    store
        .append(&pending)
        .map_err(|e| format!("{e}: {} change(s) could not be recorded", pending.len()))
}
