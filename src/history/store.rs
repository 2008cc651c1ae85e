//! The history database: SQLite (rusqlite, bundled) in WAL mode, so the console, `watch` and
//! `history` can use one file at once; the schema is versioned (`PRAGMA user_version`) and
//! migrated on open; events older than the retention are deleted on open.
//!
//! Errors name the file and what to do: a corrupt or locked file is reported and the console
//! goes on without history.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, params};

use super::Event;
use crate::model::Timestamp;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 1;
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

/// An open history database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// What to read back ([`Store::query`]).
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Only events at or after this time.
    pub since: Option<Timestamp>,
    /// Only this resource id.
    pub resource: Option<String>,
    /// Only kinds whose `area/kind` contains this (`virtual_interfaces`, `vpc_peering`).
    pub kind: Option<String>,
    /// At most this many, newest first.
    pub limit: Option<usize>,
}

impl Store {
    /// Opens (creating it and its directory when missing) for reading and writing; migrates the
    /// schema and deletes events older than `retention_days`.
    pub fn open(path: &Path, retention_days: i64) -> Result<Store, String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                format!(
                    "history {}: cannot create {}: {e}",
                    path.display(),
                    dir.display()
                )
            })?;
        }
        // Another process may be creating or switching the same file to WAL this instant:
        // what SQLite answers busy or locked is tried again, for up to 5 s.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let attempt = Connection::open(path).and_then(|conn| {
                let version = init(&conn, retention_days)?;
                Ok((conn, version))
            });
            match attempt {
                Ok((_, v)) if v > SCHEMA_VERSION => {
                    return Err(format!(
                        "history {}: schema version {v} is newer than this crossconnect writes ({SCHEMA_VERSION}): use a newer crossconnect or another --history file",
                        path.display()
                    ));
                }
                Ok((conn, _)) => {
                    return Ok(Store {
                        conn,
                        path: path.to_path_buf(),
                    });
                }
                Err(e) if busy(&e) && std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => return Err(why(path, &e)),
            }
        }
    }

    /// A database in memory, gone when the process ends: the demo's (`--demo` never opens the
    /// real history file, so demo events never mix with an estate's).
    pub fn in_memory() -> Result<Store, String> {
        let path = Path::new(":memory: (demo)");
        let conn = Connection::open_in_memory().map_err(|e| why(path, &e))?;
        init(&conn, 1).map_err(|e| why(path, &e))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing database read-only (`history`); it must exist.
    pub fn open_read_only(path: &Path) -> Result<Store, String> {
        if !path.exists() {
            return Err(format!(
                "history {}: no such file (the console and `crossconnect watch` write it; --history PATH names another)",
                path.display()
            ));
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| why(path, &e))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| why(path, &e))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        let v = store.version()?;
        if v > SCHEMA_VERSION {
            return Err(format!(
                "history {}: schema version {v} is newer than this crossconnect understands ({SCHEMA_VERSION})",
                path.display()
            ));
        }
        Ok(store)
    }

    fn version(&self) -> Result<i64, String> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| why(&self.path, &e))
    }

    /// Deletes events older than `days`.
    pub fn expire(&self, days: i64) -> Result<usize, String> {
        expire(&self.conn, days).map_err(|e| why(&self.path, &e))
    }

    /// Appends events in one transaction. A transition already recorded as the latest of its
    /// resource and field (the console and `watch` both saw it) is not recorded twice; the
    /// check and the insert hold the write lock together.
    pub fn append(&mut self, events: &[Event]) -> Result<(), String> {
        if events.is_empty() {
            return Ok(());
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| why(&path, &e))?;
        {
            let mut latest = tx
                .prepare_cached(
                    "SELECT old, new FROM events WHERE resource_id = ?1 AND field = ?2 AND account = ?3
                     ORDER BY at_ms DESC, id DESC LIMIT 1",
                )
                .map_err(|e| why(&path, &e))?;
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO events (at, at_ms, account, region, kind, resource_id, name, field, old, new)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .map_err(|e| why(&path, &e))?;
            for e in events {
                let last: Option<(Option<String>, Option<String>)> = latest
                    .query_row(
                        params![e.resource_id, e.field.to_string(), e.account],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .ok();
                if last.as_ref() == Some(&(e.old.clone(), e.new.clone())) {
                    continue;
                }
                stmt.execute(params![
                    e.at.to_rfc3339_opts(SecondsFormat::Millis, true),
                    e.at.timestamp_millis(),
                    e.account,
                    e.region,
                    crate::history::kind_key(e.kind),
                    e.resource_id,
                    // Names and values are as masked in the model; scrub known secrets again.
                    crate::model::secret::scrub_known(&e.name),
                    e.field.to_string(),
                    e.old.as_deref().map(crate::model::secret::scrub_known),
                    e.new.as_deref().map(crate::model::secret::scrub_known),
                ])
                .map_err(|x| why(&path, &x))?;
            }
        }
        tx.commit().map_err(|e| why(&path, &e))
    }

    /// The events matching `q`, newest first. A database whose schema is not made yet (a
    /// writer is creating it this instant) has none.
    pub fn query(&self, q: &Query) -> Result<Vec<Event>, String> {
        if self.version()? == 0 {
            return Ok(Vec::new());
        }
        let mut sql = String::from(
            "SELECT at, account, region, kind, resource_id, name, field, old, new FROM events WHERE at_ms >= ?1",
        );
        if q.resource.is_some() {
            sql.push_str(" AND resource_id = ?2");
        } else {
            sql.push_str(" AND ?2 IS NULL");
        }
        if q.kind.is_some() {
            sql.push_str(" AND instr(kind, ?3) > 0");
        } else {
            sql.push_str(" AND ?3 IS NULL");
        }
        sql.push_str(" ORDER BY at_ms DESC, id DESC LIMIT ?4");
        let since = q.since.map_or(0, |t| t.timestamp_millis());
        let limit = q.limit.map_or(-1, |l| l as i64);
        let mut stmt = self.conn.prepare(&sql).map_err(|e| why(&self.path, &e))?;
        let rows = stmt
            .query_map(params![since, q.resource, q.kind, limit], |r| {
                let at: String = r.get(0)?;
                let kind: String = r.get(3)?;
                let field: String = r.get(6)?;
                // A kind this version does not know (a newer writer's) is left out.
                let Some(kind) = crate::history::kind_of_key(&kind) else {
                    return Ok(None);
                };
                Ok(Some(Event {
                    at: chrono::DateTime::parse_from_rfc3339(&at)
                        .map(|d| d.with_timezone(&Utc))
                        .unwrap_or_default(),
                    account: r.get(1)?,
                    region: r.get(2)?,
                    kind,
                    resource_id: r.get(4)?,
                    name: r.get(5)?,
                    field: crate::history::Field::parse(&field),
                    old: r.get(7)?,
                    new: r.get(8)?,
                }))
            })
            .map_err(|e| why(&self.path, &e))?;
        let rows = rows.collect::<Result<Vec<_>, _>>();
        Ok(rows
            .map_err(|e| why(&self.path, &e))?
            .into_iter()
            .flatten()
            .collect())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Readies a connection: WAL (readers never block the writer and the other way round), the
/// schema made or migrated, old events deleted. Returns the schema version found.
fn init(conn: &Connection, retention_days: i64) -> rusqlite::Result<i64> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0))?;
    conn.execute_batch("PRAGMA synchronous=NORMAL;")?;
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if v > SCHEMA_VERSION {
        return Ok(v);
    }
    if v < 1 {
        conn.execute_batch(
            "BEGIN IMMEDIATE;
             CREATE TABLE IF NOT EXISTS events (
                 id INTEGER PRIMARY KEY,
                 at TEXT NOT NULL,
                 at_ms INTEGER NOT NULL,
                 account TEXT NOT NULL,
                 region TEXT NOT NULL,
                 kind TEXT NOT NULL,
                 resource_id TEXT NOT NULL,
                 name TEXT NOT NULL,
                 field TEXT NOT NULL,
                 old TEXT,
                 new TEXT
             );
             CREATE INDEX IF NOT EXISTS events_at ON events (at_ms);
             CREATE INDEX IF NOT EXISTS events_resource ON events (resource_id, at_ms);
             PRAGMA user_version = 1;
             COMMIT;",
        )?;
    }
    expire(conn, retention_days)?;
    Ok(v)
}

/// Deletes events older than `days` (at least one).
fn expire(conn: &Connection, days: i64) -> rusqlite::Result<usize> {
    let cutoff = (Utc::now() - chrono::Duration::days(days.max(1))).timestamp_millis();
    conn.execute("DELETE FROM events WHERE at_ms < ?1", params![cutoff])
}

/// Whether SQLite answered busy or locked (another connection holds the lock).
fn busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// An SQLite error in words that name the file and the way out.
fn why(path: &Path, e: &rusqlite::Error) -> String {
    let text = e.to_string();
    let hint = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            ": the file is not a usable database (move it away; a new one is made)"
        }
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            ": another process holds it locked"
        }
        Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::CannotOpen) => {
            ": check the path and its permissions (--history PATH)"
        }
        _ => "",
    };
    format!("history {}: {text}{hint}", path.display())
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
/// pollers wait on the disk. A failed write keeps its changes and retries them with the next;
/// `on_error` hears of each failure.
#[derive(Clone, Debug)]
pub struct Writer {
    tx: std::sync::mpsc::Sender<Vec<Event>>,
}

impl Writer {
    pub fn spawn(mut store: Store, on_error: impl Fn(String) + Send + 'static) -> Writer {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<Event>>();
        std::thread::spawn(move || {
            let mut pending: Vec<Event> = Vec::new();
            while let Ok(batch) = rx.recv() {
                pending.extend(batch);
                match store.append(&pending) {
                    Ok(()) => pending.clear(),
                    Err(e) => on_error(format!("{e} ({} change(s) kept)", pending.len())),
                }
            }
        });
        Writer { tx }
    }

    pub fn record(&self, events: Vec<Event>) {
        let _ = self.tx.send(events);
    }
}
