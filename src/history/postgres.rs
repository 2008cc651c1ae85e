//! The shared history: PostgreSQL through tokio-postgres, TLS by rustls (the system's
//! certificates, or `SSL_CERT_FILE`), so several `watch` processes — each with its own
//! `--accounts` shard — and every console write and read one history.
//!
//! The client lives on a thread of its own with a one-thread runtime: callers (the console's
//! history writer, `watch`, `history`) wait for an answer as they wait for SQLite, and never
//! from inside their own runtime. A connection that drops is made again for the next call.
//!
//! Schema: versioned migrations in `crossconnect_schema`, applied in order under an advisory
//! lock, so two processes starting at once never race. Every message names the database with
//! its password masked; the password never appears in a message, even when PostgreSQL's own
//! words would carry it.

use std::sync::mpsc;
use std::time::Duration;

use chrono::Utc;
use tokio_postgres::Client;

use super::Event;
use super::{Query, SCHEMA_VERSION};

/// How long a connection may take to be made.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one call (a read, a batch of writes) may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// The first key of the advisory locks crossconnect takes (the second is a hash).
const LOCK_SPACE: i32 = 0x6363_6e63; // "ccnc"

/// The migrations, in order: version and SQL. A database at a later version than the last
/// here was written by a newer crossconnect and is refused.
const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE events (
         id bigserial PRIMARY KEY,
         at timestamptz NOT NULL,
         account text NOT NULL,
         region text NOT NULL,
         kind text NOT NULL,
         resource_id text NOT NULL,
         name text NOT NULL,
         field text NOT NULL,
         old text,
         new text
     );
     CREATE INDEX events_at ON events (at);
     CREATE INDEX events_latest ON events (account, resource_id, field, at);",
)];

type Job = Box<dyn FnOnce(&mut Conn) + Send>;

/// An open PostgreSQL history.
pub(super) struct Postgres {
    jobs: mpsc::Sender<Job>,
    name: String,
    password: Option<String>,
}

/// The connection thread's state.
struct Conn {
    rt: tokio::runtime::Runtime,
    config: tokio_postgres::Config,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
    client: Option<Client>,
    read_only: bool,
}

impl Conn {
    /// The client, connected again when the last connection dropped.
    async fn client(
        client: &mut Option<Client>,
        config: &tokio_postgres::Config,
        tls: &tokio_postgres_rustls::MakeRustlsConnect,
        read_only: bool,
    ) -> Result<(), tokio_postgres::Error> {
        if client.as_ref().is_some_and(|c| !c.is_closed()) {
            return Ok(());
        }
        let (c, connection) = config.connect(tls.clone()).await?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::info!("history: connection to PostgreSQL ended: {e}");
            }
        });
        if read_only {
            c.batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                .await?;
        }
        *client = Some(c);
        Ok(())
    }
}

/// What a call failed with: PostgreSQL's error, or no answer in time.
enum Failed {
    Pg(tokio_postgres::Error),
    Timeout(Duration),
    Said(String),
}

impl From<tokio_postgres::Error> for Failed {
    fn from(e: tokio_postgres::Error) -> Failed {
        Failed::Pg(e)
    }
}

impl Postgres {
    /// Connects, makes or migrates the schema and deletes events older than `retention_days`.
    pub fn open(url: &str, retention_days: i64) -> Result<Postgres, String> {
        let pg = Postgres::connect(url, false)?;
        pg.call(move |c| Box::pin(async move { migrate(c).await }))?;
        pg.expire(retention_days)?;
        Ok(pg)
    }

    /// Connects read-only; the schema must be there and not newer than this build's.
    pub fn open_read_only(url: &str) -> Result<Postgres, String> {
        let pg = Postgres::connect(url, true)?;
        let version = pg.call(|c| Box::pin(async move { version(c).await }))?;
        match version {
            None => Err(pg.said(
                "no crossconnect history in this database yet (`crossconnect watch --history URL` makes it)",
            )),
            Some(v) if v > SCHEMA_VERSION => Err(pg.said(&format!(
                "schema version {v} is newer than this crossconnect understands ({SCHEMA_VERSION})"
            ))),
            Some(_) => Ok(pg),
        }
    }

    fn connect(url: &str, read_only: bool) -> Result<Postgres, String> {
        let name = masked(url);
        let mut config: tokio_postgres::Config = url.parse().map_err(|e| {
            format!("history {name}: not a PostgreSQL URL ({}): postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]", words(&e))
        })?;
        // As libpq: a URL without a password takes PGPASSWORD's.
        if config.get_password().is_none()
            && let Ok(p) = std::env::var("PGPASSWORD")
        {
            config.password(p);
        }
        config.connect_timeout(CONNECT_TIMEOUT);
        if config.get_application_name().is_none() {
            config.application_name("crossconnect");
        }
        let password = config
            .get_password()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .filter(|p| !p.is_empty());
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("history {name}: cannot start its runtime: {e}"))?;
        let mut conn = Conn {
            rt,
            config,
            tls: tls(),
            client: None,
            read_only,
        };
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("history-postgres".into())
            .spawn(move || {
                while let Ok(job) = rx.recv() {
                    job(&mut conn);
                }
            })
            .map_err(|e| format!("history {name}: cannot start its thread: {e}"))?;
        let pg = Postgres {
            jobs,
            name,
            password,
        };
        // Connect now, so a wrong URL, password or host is said at once.
        pg.call(|_| Box::pin(async { Ok(()) }))?;
        Ok(pg)
    }

    /// Runs `f` with the connected client on the connection thread and waits for its answer.
    fn call<T: Send + 'static>(
        &self,
        f: impl for<'a> FnOnce(
            &'a mut Client,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<T, Failed>> + Send + 'a>,
        > + Send
        + 'static,
    ) -> Result<T, String> {
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |c: &mut Conn| {
            let Conn {
                rt,
                config,
                tls,
                client,
                read_only,
            } = c;
            let answer = rt.block_on(async {
                let work = async {
                    Conn::client(client, config, tls, *read_only).await?;
                    let Some(c) = client.as_mut() else {
                        return Err(Failed::Said("no connection".into()));
                    };
                    f(c).await
                };
                match tokio::time::timeout(CALL_TIMEOUT, work).await {
                    Ok(r) => r,
                    Err(_) => Err(Failed::Timeout(CALL_TIMEOUT)),
                }
            });
            if answer.is_err() {
                // Whatever went wrong, the next call starts on a fresh connection.
                *client = None;
            }
            let _ = tx.send(answer);
        });
        self.jobs
            .send(job)
            .map_err(|_| self.said("its connection thread has ended"))?;
        match rx.recv() {
            Ok(Ok(t)) => Ok(t),
            Ok(Err(e)) => Err(self.failed(&e)),
            Err(_) => Err(self.said("its connection thread has ended")),
        }
    }

    /// A message about this database, the password scrubbed out of it.
    fn said(&self, what: &str) -> String {
        let line = format!("history {}: {what}", self.name);
        match &self.password {
            Some(p) => line.replace(p.as_str(), "***"),
            None => line,
        }
        .replace(['\n', '\r'], " ")
    }

    fn failed(&self, e: &Failed) -> String {
        self.said(&match e {
            Failed::Pg(e) => words(e),
            Failed::Timeout(d) => format!("no answer within {} s", d.as_secs()),
            Failed::Said(s) => s.clone(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Deletes events older than `days` (at least one).
    pub fn expire(&self, days: i64) -> Result<usize, String> {
        let cutoff = Utc::now() - chrono::Duration::days(days.max(1));
        self.call(move |c| {
            Box::pin(async move {
                let n = c
                    .execute("DELETE FROM events WHERE at < $1", &[&cutoff])
                    .await?;
                Ok(n as usize)
            })
        })
    }

    /// Appends in one transaction, holding each account's advisory lock so that the check
    /// for a transition already recorded and the insert are one step for every writer.
    pub fn append(&mut self, events: &[Event]) -> Result<(), String> {
        let events = events.to_vec();
        self.call(move |c| Box::pin(async move { append(c, &events).await }))
    }

    /// The events matching `q`, newest first.
    pub fn query(&self, q: &Query) -> Result<Vec<Event>, String> {
        let q = q.clone();
        self.call(move |c| Box::pin(async move { query(c, &q).await }))
    }
}

/// The schema version found, or none when crossconnect's schema is not there.
async fn version(c: &mut Client) -> Result<Option<i64>, Failed> {
    let row = c
        .query_one("SELECT to_regclass('crossconnect_schema') IS NOT NULL", &[])
        .await?;
    if !row.get::<_, bool>(0) {
        return Ok(None);
    }
    let row = c
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM crossconnect_schema",
            &[],
        )
        .await?;
    Ok(Some(row.get(0)))
}

/// Applies the migrations this database lacks, one transaction under an advisory lock.
async fn migrate(c: &mut Client) -> Result<(), Failed> {
    let tx = c.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&LOCK_SPACE])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS crossconnect_schema (
             version bigint PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let found: i64 = tx
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM crossconnect_schema",
            &[],
        )
        .await?
        .get(0);
    if found > SCHEMA_VERSION {
        return Err(Failed::Said(format!(
            "schema version {found} is newer than this crossconnect writes ({SCHEMA_VERSION}): use a newer crossconnect or another --history"
        )));
    }
    for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO crossconnect_schema (version) VALUES ($1)",
            &[v],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn append(c: &mut Client, events: &[Event]) -> Result<(), Failed> {
    let tx = c.transaction().await?;
    let mut accounts: Vec<&str> = events.iter().map(|e| e.account.as_str()).collect();
    accounts.sort_unstable();
    accounts.dedup();
    // In one order for every writer, so two never wait on each other's locks.
    for a in accounts {
        tx.execute(
            "SELECT pg_advisory_xact_lock($1, hashtext($2))",
            &[&LOCK_SPACE, &a],
        )
        .await?;
    }
    let latest = tx
        .prepare(
            "SELECT old, new FROM events WHERE account = $1 AND resource_id = $2 AND field = $3
             ORDER BY at DESC, id DESC LIMIT 1",
        )
        .await?;
    let insert = tx
        .prepare(
            "INSERT INTO events (at, account, region, kind, resource_id, name, field, old, new)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .await?;
    for e in events {
        let field = e.field.to_string();
        let last = tx
            .query_opt(&latest, &[&e.account, &e.resource_id, &field])
            .await?
            .map(|r| (r.get::<_, Option<String>>(0), r.get::<_, Option<String>>(1)));
        if last.as_ref() == Some(&(e.old.clone(), e.new.clone())) {
            continue;
        }
        let scrub = crate::model::secret::scrub_known;
        tx.execute(
            &insert,
            &[
                &e.at,
                &e.account,
                &e.region,
                &crate::history::kind_key(e.kind),
                &e.resource_id,
                // Names and values are as masked in the model; scrub known secrets again.
                &scrub(&e.name),
                &field,
                &e.old.as_deref().map(scrub),
                &e.new.as_deref().map(scrub),
            ],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn query(c: &mut Client, q: &Query) -> Result<Vec<Event>, Failed> {
    let limit = q.limit.map(|l| l as i64);
    let rows = c
        .query(
            "SELECT at, account, region, kind, resource_id, name, field, old, new FROM events
             WHERE ($1::timestamptz IS NULL OR at >= $1)
               AND ($2::text IS NULL OR resource_id = $2)
               AND ($3::text IS NULL OR strpos(kind, $3) > 0)
             ORDER BY at DESC, id DESC LIMIT $4",
            &[&q.since, &q.resource, &q.kind, &limit],
        )
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            // A kind this version does not know (a newer writer's) is left out.
            let kind = crate::history::kind_of_key(r.get(3))?;
            Some(Event {
                at: r.get(0),
                account: r.get(1),
                region: r.get(2),
                kind,
                resource_id: r.get(4),
                name: r.get(5),
                field: crate::history::Field::parse(r.get(6)),
                old: r.get(7),
                new: r.get(8),
            })
        })
        .collect())
}

/// TLS by rustls with the system's certificates (`SSL_CERT_FILE` / `SSL_CERT_DIR` add
/// others); whether it is used is the URL's `sslmode` (tokio-postgres: `prefer` by default).
fn tls() -> tokio_postgres_rustls::MakeRustlsConnect {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports rustls' default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_postgres_rustls::MakeRustlsConnect::new(config)
}

/// PostgreSQL's error in one line, with what to do for the usual ones.
fn words(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let hint = match db.code().code() {
            "28P01" | "28000" => {
                ": check the user and the password (in the URL or PGPASSWORD) and pg_hba.conf"
            }
            "3D000" => ": create the database, or name another in the URL",
            "42501" => ": the user needs CREATE on the schema (once) and INSERT, SELECT, DELETE",
            "25006" => ": this connection is read-only",
            _ => "",
        };
        return format!("{}{hint}", db.message());
    }
    let mut text = e.to_string();
    if text.contains("password missing") {
        text.push_str(" (give it in the URL or in PGPASSWORD)");
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    if text.contains("refused") {
        text.push_str(" (is PostgreSQL running and listening there?)");
    } else if text.contains("certificate") {
        text.push_str(
            " (add the server's CA with SSL_CERT_FILE, or sslmode=disable on a network you trust)",
        );
    }
    text
}

/// The URL with its password masked, in the user part and in a `password=` parameter. What
/// cannot be told apart is masked too: more is hidden rather than less.
fn masked(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(a URL that is not shown)".into();
    };
    let (auth, tail) = match rest.rfind('@') {
        Some(i) => {
            let userinfo = &rest[..i];
            let user = match userinfo.split_once(':') {
                Some((u, _)) => format!("{u}:***"),
                None => userinfo.to_string(),
            };
            (format!("{user}@"), &rest[i + 1..])
        }
        None => (String::new(), rest),
    };
    let tail = match tail.split_once('?') {
        Some((path, params)) => {
            let params: Vec<String> = params
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => kv.to_string(),
                })
                .collect();
            format!("{path}?{}", params.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{auth}{tail}")
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn a_url_is_shown_without_its_password() {
        assert_eq!(
            masked("postgres://cc:s3cr3t@db.example:5432/history?sslmode=require"),
            "postgres://cc:***@db.example:5432/history?sslmode=require"
        );
        assert_eq!(
            masked("postgresql://cc@db/h?password=s3cr3t&sslmode=disable"),
            "postgresql://cc@db/h?password=***&sslmode=disable"
        );
        // A password with '@', '/' or '?' in it is masked whole.
        for url in [
            "postgres://cc:p@ss/w?rd@db/h",
            "postgres://cc:a?b@db/h",
            "postgres://cc:x/y@db/h",
        ] {
            let m = masked(url);
            for piece in ["p@ss", "ss/w", "rd", "a?b", "x/y"] {
                assert!(!m.contains(piece), "{url} → {m}");
            }
            assert!(m.ends_with("@db/h"), "{url} → {m}");
        }
    }
}
