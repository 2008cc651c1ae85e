//! The embedded history database: SQLite (rusqlite, bundled) in WAL mode, so the console,
//! `watch` and `history` can use one file at once; the schema is versioned
//! (`PRAGMA user_version`) and migrated on open; events older than the retention are deleted
//! on open.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, params};

use super::Event;
use super::{Query, SCHEMA_VERSION};

/// An open SQLite history file.
pub(super) struct Sqlite {
    conn: Connection,
    path: PathBuf,
}

impl Sqlite {
    /// Opens (creating it and its directory when missing) for reading and writing; migrates the
    /// schema and deletes events older than `retention_days`.
    pub fn open(path: &Path, retention_days: i64) -> Result<Sqlite, String> {
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
                    return Ok(Sqlite {
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
    pub fn in_memory() -> Result<Sqlite, String> {
        let path = Path::new(":memory: (demo)");
        let conn = Connection::open_in_memory().map_err(|e| why(path, &e))?;
        init(&conn, 1).map_err(|e| why(path, &e))?;
        Ok(Sqlite {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing database read-only (`history`); it must exist.
    pub fn open_read_only(path: &Path) -> Result<Sqlite, String> {
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
        let store = Sqlite {
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
