//! `watch`, `history`, `diff` and `routes`: the change history and what the routers say.

use std::io::Write;
use std::time::Duration;

use color_eyre::eyre::{Result, eyre};
use tokio::sync::mpsc;

use super::{aws_scope, clients, demo_regions};
use crate::aws::OperationGuard;
use crate::cli::{AccountsFormat, EventsFormat, GlobalArgs, HistoryArgs, RouteDirection};
use crate::history::store::{self, Query, Store};
use crate::history::{self, Event};
use crate::model::VifRoute;
use crate::source::{self, SourceMsg};

/// Where the history is: `--history` (a file or `postgres://…`), the config's
/// `[paths] history`, or the default file.
pub fn history_path(g: &GlobalArgs) -> store::Location {
    store::Location::parse(&g.history.clone().unwrap_or_else(store::default_path))
}

/// `crossconnect watch`: polls until SIGINT/SIGTERM, records every change and prints one line
/// per change. A write that fails is kept and retried with the next changes.
pub async fn watch(
    g: &GlobalArgs,
    settings: &crate::config::Settings,
    listen: Option<std::net::SocketAddr>,
) -> Result<i32> {
    let path = history_path(g);
    // The demo records in memory: it never writes into an estate's history.
    let db = if g.demo {
        Store::in_memory()
    } else {
        Store::open(&path, settings.history.retention_days)
    }
    .map_err(|e| eyre!(e))?;
    let path = db.name();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (mut estate, handle, what) = if g.demo {
        let regions = demo_regions(&g.regions)?;
        let refresh = Duration::from_secs(g.refresh.unwrap_or(5));
        let e = crate::demo::empty_estate(&regions);
        let what = format!("the demo estate every {} s", refresh.as_secs());
        (e, crate::demo::spawn_demo(regions, refresh, tx), what)
    } else {
        let scope = aws_scope(g).await?;
        let refresh = Duration::from_secs(g.refresh.unwrap_or(30));
        let read = clients(&scope, &OperationGuard::read_only()).await;
        let e = scope.empty_estate(&read);
        for a in e.accounts.iter().filter(|a| a.error.is_some()) {
            eprintln!(
                "crossconnect watch: account {} ({}) not read: {}",
                a.name,
                a.via,
                a.error.as_deref().unwrap_or_default()
            );
        }
        let what = format!(
            "{} account(s) × {} region(s) every {} s",
            e.scope_accounts().len(),
            scope.regions.len(),
            refresh.as_secs()
        );
        let src = source::AwsSource::new(read).with_telemetry_every(settings.telemetry_every);
        (
            e,
            source::spawn(std::sync::Arc::new(src), refresh, tx),
            what,
        )
    };
    eprintln!("crossconnect watch: {what}; recording changes to {path} (Ctrl-C stops)");
    // `--listen`: the metrics of each whole poll, served from what was made after it.
    let exposed = std::sync::Arc::new(std::sync::RwLock::new(super::listen::Exposed::default()));
    if let Some(addr) = listen {
        let every = Duration::from_secs(g.refresh.unwrap_or(if g.demo { 5 } else { 30 }));
        let bound = super::listen::serve(addr, exposed.clone(), every).await?;
        eprintln!(
            "crossconnect watch: metrics on http://{bound}/metrics, health on http://{bound}/healthz"
        );
    }
    let mut exporter = Exporter::default();
    // `[[notify]]`: each transition to the webhooks that want it, off the poll loop.
    let notify = (!settings.notify.is_empty())
        .then(|| super::notify::spawn(settings.notify.clone(), exporter.notify_failures.clone()));
    // Each whole poll (every poller idle) is judged once, as the console judges a revision: the
    // intents, the findings (over the last day of history and this session's) and every VPC's
    // paths. An intent's change of state is an event like a resource's; the metrics and the
    // notifications read the same judgement. The first judgement is the baseline.
    let declared = super::verify::optional(g).map_err(|e| eyre!("intents: {e}"))?;
    let mut whole = Whole::default();
    if !g.demo {
        let day = chrono::Utc::now() - chrono::Duration::hours(24);
        let q = store::Query {
            since: Some(day),
            limit: Some(crate::app::TIMELINE_CAP),
            ..Default::default()
        };
        whole.recent = db.query(&q).unwrap_or_default();
    }
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    // Written on a thread of its own: a slow or unreachable database never delays a poll. A
    // write that fails is kept and tried again with the next changes.
    let (writer, written) = store::Writer::spawn_joined(db, |e| {
        eprintln!("crossconnect watch: {e}, retried with the next");
    });
    let record = |events: Vec<Event>| {
        if events.is_empty() {
            return;
        }
        if let Some(n) = &notify {
            let _ = n.send(super::notify::from_events(&events));
        }
        let mut stdout = std::io::stdout();
        for e in &events {
            let _ = writeln!(stdout, "{}", e.line());
        }
        let _ = stdout.flush();
        writer.record(events);
    };
    loop {
        tokio::select! {
            m = rx.recv() => match m {
                Some(SourceMsg::Update(u)) => {
                    exporter.update(&u);
                    let events = history::apply(&mut estate, u);
                    whole.remember(&events);
                    record(events);
                }
                Some(SourceMsg::Polling { scope, service, active, at }) => {
                    exporter.polling(&scope, service, active);
                    let Some((before, now)) = whole.polled(&estate, active, &declared, &settings.history) else {
                        continue;
                    };
                    if let Some(b) = &before {
                        record(history::intent_events(at, &b.intents, &now.intents));
                    }
                    if listen.is_some() {
                        exporter.expose(&estate, now, &exposed);
                    }
                    if let (Some(n), Some(b)) = (&notify, &before) {
                        let _ = n.send(super::notify::changes(b, now));
                    }
                }
                Some(_) => {}
                None => break,
            },
            _ = tokio::signal::ctrl_c() => break,
            _ = term.recv() => break,
        }
    }
    drop(handle);
    drop(writer);
    // What is still kept is tried once more before the process ends.
    tokio::task::spawn_blocking(move || written.join())
        .await
        .map_err(|e| eyre!("history writer: {e}"))?
        .map_err(|_| eyre!("history writer stopped"))?
        .map_err(|e| eyre!("{e} (printed above)"))?;
    Ok(0)
}

/// What `watch` judges once per whole poll.
#[derive(Default)]
struct Whole {
    /// Pollers under way.
    polling: usize,
    /// The last day's events and this session's, for the rules over history.
    recent: Vec<Event>,
    /// The judgement of the last whole poll.
    last: Option<crate::derived::Derived>,
    /// Why the intents could not be judged last time, said once.
    error: Option<String>,
}

impl Whole {
    fn remember(&mut self, events: &[Event]) {
        let cap = crate::app::TIMELINE_CAP;
        crate::derived::apart::append(&mut self.recent, events.iter().cloned(), cap);
    }

    /// A poller started (`active`) or ended: when none is left under way, the whole poll is
    /// judged. Returns the previous judgement (none for the first) and this one. An intent file
    /// that cannot be judged (a selector matches nothing read) is said once.
    fn polled(
        &mut self,
        e: &crate::model::Estate,
        active: bool,
        declared: &[crate::intent::Intent],
        history: &crate::config::HistorySettings,
    ) -> Option<(Option<crate::derived::Derived>, &crate::derived::Derived)> {
        if active {
            self.polling += 1;
            return None;
        }
        self.polling = self.polling.saturating_sub(1);
        if self.polling > 0 {
            return None;
        }
        let now = chrono::Utc::now();
        let at = (e.revision, 1);
        let d = crate::derived::Derived::build(e, &self.recent, now, history, declared, at);
        if d.intents_error != self.error {
            if let Some(err) = &d.intents_error {
                eprintln!("crossconnect watch: intents not judged: {err}");
            }
            self.error = d.intents_error.clone();
        }
        let before = self.last.take();
        Some((before, self.last.insert(d)))
    }
}

/// What `watch --listen` counts between whole polls: when each poller started, how long each
/// service's last poll took, and the failed calls.
#[derive(Default)]
struct Exporter {
    started:
        std::collections::HashMap<(crate::model::Scope, crate::model::Service), std::time::Instant>,
    durations: std::collections::BTreeMap<String, f64>,
    errors: std::collections::BTreeMap<(String, String), u64>,
    failed_this_poll: usize,
    /// Messages that could not be delivered, per notifier.
    notify_failures: super::notify::Failures,
}

impl Exporter {
    fn update(&mut self, u: &crate::model::Update) {
        if let Err(e) = &u.result {
            let key = (u.kind.service().label().to_string(), e.operation.clone());
            *self.errors.entry(key).or_default() += 1;
            self.failed_this_poll += 1;
        }
    }

    fn polling(
        &mut self,
        scope: &crate::model::Scope,
        service: crate::model::Service,
        active: bool,
    ) {
        let key = (scope.clone(), service);
        if active {
            self.started.insert(key, std::time::Instant::now());
        } else if let Some(t) = self.started.remove(&key) {
            self.durations
                .insert(service.label().to_string(), t.elapsed().as_secs_f64());
        }
    }

    /// The metrics of the whole poll just read, for the endpoint.
    fn expose(
        &mut self,
        e: &crate::model::Estate,
        d: &crate::derived::Derived,
        to: &std::sync::RwLock<super::listen::Exposed>,
    ) {
        let notify_failures = self
            .notify_failures
            .lock()
            .map(|f| f.clone())
            .unwrap_or_default();
        let text = crate::metrics::text(&crate::metrics::Poll {
            estate: e,
            derived: d,
            durations: &self.durations,
            errors: &self.errors,
            notify_failures: &notify_failures,
        });
        if let Ok(mut x) = to.write() {
            x.metrics = text;
            x.polled = Some((std::time::Instant::now(), self.failed_this_poll));
        }
        self.failed_this_poll = 0;
    }
}

/// `crossconnect history`.
pub fn history(g: &GlobalArgs, args: &HistoryArgs) -> Result<i32> {
    if g.demo {
        return Err(eyre!(
            "the demo keeps no history on disk (its changes live in the console's :timeline and `watch --demo`'s output)"
        ));
    }
    let path = history_path(g);
    let db = Store::open_read_only(&path).map_err(|e| eyre!(e))?;
    let since = args
        .since
        .as_deref()
        .map(|s| store::parse_since(s, chrono::Utc::now()))
        .transpose()
        .map_err(|e| eyre!(e))?;
    let events = db
        .query(&Query {
            since,
            resource: args.resource.clone(),
            kind: args.kind.clone(),
            limit: None,
        })
        .map_err(|e| eyre!(e))?;
    print_events(&events, args.format)?;
    Ok(0)
}

/// `crossconnect diff A.json B.json`.
pub fn diff(a: &std::path::Path, b: &std::path::Path, format: EventsFormat) -> Result<i32> {
    let read = |p: &std::path::Path| -> Result<serde_json::Value> {
        let text =
            std::fs::read_to_string(p).map_err(|e| eyre!("cannot read {}: {e}", p.display()))?;
        serde_json::from_str(&text).map_err(|e| {
            eyre!(
                "{}: not JSON ({e}): diff takes two `crossconnect snapshot --format json` files",
                p.display()
            )
        })
    };
    let events = history::diff_snapshots(&read(a)?, &read(b)?).map_err(|e| eyre!(e))?;
    print_events(&events, format)?;
    Ok(0)
}

/// Events as text (one line each), JSON (an array) or CSV.
pub fn print_events(events: &[Event], format: EventsFormat) -> Result<()> {
    match format {
        EventsFormat::Text => {
            if events.is_empty() {
                eprintln!("no changes");
            }
            for e in events {
                println!("{}", e.line());
            }
        }
        EventsFormat::Json => println!("{}", serde_json::to_string_pretty(events)?),
        EventsFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                "at",
                "account",
                "region",
                "kind",
                "resource_id",
                "name",
                "field",
                "old",
                "new",
            ])?;
            for e in events {
                let at = e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                w.write_record([
                    at.as_str(),
                    &e.account,
                    &e.region,
                    &crate::history::kind_key(e.kind),
                    &e.resource_id,
                    &e.name,
                    &e.field.to_string(),
                    e.old.as_deref().unwrap_or(""),
                    e.new.as_deref().unwrap_or(""),
                ])?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

/// `crossconnect routes VIF`: the VIF's routes, read in the first account of each region in
/// turn until one knows the VIF.
pub async fn routes(
    g: &GlobalArgs,
    vif_id: &str,
    direction: Option<RouteDirection>,
    format: AccountsFormat,
) -> Result<i32> {
    let direction = direction.map(|d| match d {
        RouteDirection::Accepted => "accepted",
        RouteDirection::Advertised => "advertised",
    });
    let routes: Vec<VifRoute> = if g.demo {
        crate::demo::vif_routes(vif_id)
            .ok_or_else(|| eyre!("{vif_id}: no such VIF in the demo estate"))?
            .into_iter()
            .filter(|r| direction.is_none_or(|d| r.direction == d))
            .collect()
    } else {
        let scope = aws_scope(g).await?;
        let read = clients(&scope, &OperationGuard::read_only()).await;
        let mut last = None;
        let mut found = None;
        for c in &read {
            match tokio::time::timeout(
                Duration::from_secs(g.timeout),
                crate::aws::directconnect::list_routes(&c.dx, vif_id, direction),
            )
            .await
            {
                Ok(Ok(r)) => {
                    found = Some(r);
                    break;
                }
                Ok(Err(e)) => last = Some(format!("{} in {}: {e}", vif_id, c.region)),
                Err(_) => {
                    last = Some(format!(
                        "ListVirtualInterfaceRoutes {vif_id}: no answer within {} s (--timeout)",
                        g.timeout
                    ))
                }
            }
        }
        found.ok_or_else(|| eyre!(last.unwrap_or_else(|| "no account can be read".into())))?
    };
    match format {
        AccountsFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "virtual_interface_id": vif_id,
                "accepted": routes.iter().filter(|r| r.direction == "accepted").count(),
                "advertised": routes.iter().filter(|r| r.direction == "advertised").count(),
                "routes": routes,
            }))?
        ),
        AccountsFormat::Text => {
            println!(
                "{:<11} {:<20} {:<6} {:<28} {:<22} INSTALLED",
                "DIRECTION", "PREFIX", "AF", "AS PATH", "COMMUNITIES"
            );
            for r in &routes {
                println!(
                    "{:<11} {:<20} {:<6} {:<28} {:<22} {}",
                    r.direction,
                    r.cidr,
                    r.address_family,
                    r.as_path,
                    r.communities.join(","),
                    r.installed_at
                        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                        .unwrap_or_else(|| "-".into())
                );
            }
            println!(
                "{} accepted, {} advertised",
                routes.iter().filter(|r| r.direction == "accepted").count(),
                routes
                    .iter()
                    .filter(|r| r.direction == "advertised")
                    .count()
            );
        }
    }
    Ok(0)
}

/// The derived state of one poll, judged with the last day of recorded history (the rules
/// over history need it) so a command lists the same findings as the console. The demo reads
/// no history file.
pub(crate) fn derive(
    g: &GlobalArgs,
    settings: &crate::config::Settings,
    estate: &crate::model::Estate,
) -> crate::derived::Derived {
    let now = chrono::Utc::now();
    let events = if g.demo {
        Vec::new()
    } else {
        crate::history::store::Store::open_read_only(history_path(g))
            .and_then(|s| {
                s.query(&crate::history::store::Query {
                    since: Some(now - chrono::Duration::hours(24)),
                    limit: Some(crate::app::TIMELINE_CAP),
                    ..Default::default()
                })
            })
            .unwrap_or_else(|e| {
                tracing::info!("history not used: {e}");
                Vec::new()
            })
    };
    crate::derived::Derived::build(
        estate,
        &events,
        now,
        &settings.history,
        &[],
        (estate.revision, 1),
    )
}
