//! The interactive console: the journal checked, the sources started, the history opened,
//! then the event loop.

use super::*;

/// The interactive console.
pub async fn tui(g: &GlobalArgs, settings: &crate::config::Settings) -> Result<()> {
    let theme = Theme::load(g.theme.as_deref(), no_color_env())?;
    let (tx, rx) = mpsc::unbounded_channel();
    let (journal_path, unknown_outcomes) = journal_at_start(g)?;
    let mut journal = JournalContext {
        path: journal_path.clone(),
        profile: Some(journal_profile(g)),
        account: None,
        callers: Default::default(),
        host: changes::hostname(),
        ticket: g.ticket.clone(),
    };
    let mut aws_estate = None;
    let mut account = None;
    let (regions, handle, refresh, mut runner, dry_run_in_plan) = if g.demo {
        let regions = demo_regions(&g.regions)?;
        let refresh = Duration::from_secs(g.refresh.unwrap_or(5));
        let runner = Runner::demo(journal, tx.clone());
        (
            regions.clone(),
            crate::demo::spawn_demo(regions, refresh, tx),
            refresh,
            runner,
            false,
        )
    } else {
        let scope = aws_scope(g).await?;
        account = scope.first_account();
        journal.account = account.clone();
        journal.callers = scope.callers();
        let regions = scope.regions.clone();
        let refresh = Duration::from_secs(g.refresh.unwrap_or(30));
        // Pollers and LOA downloads use read-only clients; write-capable ones exist only
        // under --write, and only the workflow runner holds them.
        let read = clients(&scope, &OperationGuard::read_only()).await;
        aws_estate = Some(scope.empty_estate(&read));
        let write = if g.write {
            Some(
                clients(
                    &scope,
                    &OperationGuard {
                        allow_writes: true,
                        ..Default::default()
                    },
                )
                .await,
            )
        } else {
            None
        };
        let dry_run_in_plan = write
            .as_ref()
            .is_some_and(|w| w.iter().all(|c| !c.ec2_custom_endpoint));
        let runner = Runner {
            read: read.clone(),
            write,
            journal,
            demo: false,
            tx: tx.clone(),
            history: None,
        };
        (
            regions,
            source::spawn(
                std::sync::Arc::new(
                    source::AwsSource::new(read).with_telemetry_every(settings.telemetry_every),
                ),
                refresh,
                tx,
            ),
            refresh,
            runner,
            dry_run_in_plan,
        )
    };
    tracing::info!(demo = g.demo, write = g.write, regions = ?regions, "console started");
    let intents = super::verify::optional(g).map_err(|e| eyre!(e))?;
    let session = Session {
        intents: std::sync::Arc::new(intents),
        history: settings.history,
        write: g.write,
        demo: g.demo,
        profile: g.profiles.first().cloned(),
        account,
        regions,
        refresh,
        keymap: settings.keymap.clone(),
        mouse: settings.mouse,
        journal: journal_path,
        dry_run_in_plan,
        plan_out: g.plan_out.clone(),
        changes: settings.changes.clone(),
        ticket: g.ticket.clone(),
    };
    let estate = aws_estate.unwrap_or_else(|| starting_estate(&session));
    let mut app = App::new(estate, session, Utc::now());
    // Keys are answered while the findings of the latest answers are worked out elsewhere.
    app.derive_apart = true;
    if !unknown_outcomes.is_empty() {
        app.status = Some(crate::app::Status {
            text: format!(
                "{} change(s) with outcome unknown — check: {} (:journal)",
                unknown_outcomes.len(),
                unknown_outcomes.join("; ")
            ),
            error: true,
            at: app.now,
        });
    }
    open_history(g, settings, &mut runner);
    crate::event::run(app, theme, handle, runner, rx).await
}

/// The journal the console writes to (a throw-away one for the demo), refused under
/// `--write` when it cannot be written; and the changes it holds whose outcome is unknown.
fn journal_at_start(g: &GlobalArgs) -> Result<(std::path::PathBuf, Vec<String>)> {
    let journal_path = if g.demo {
        // The demo sends nothing and never reads or writes a real journal.
        std::env::temp_dir().join(format!("crossconnect-demo-{}.jsonl", std::process::id()))
    } else {
        g.journal
            .clone()
            .unwrap_or_else(crate::workflows::journal::default_path)
    };
    // The demo checks a journal only when one is named (it never writes to it).
    if g.write && (!g.demo || g.journal.is_some()) {
        // No change may be sent that cannot be journaled first: refuse to start instead.
        writable_journal(g)?;
    }
    let unknown_outcomes = crate::workflows::journal::read_journal(&journal_path)
        .map(|j| {
            j.unknown()
                .iter()
                .map(|e| {
                    format!(
                        "{} {} {}",
                        e.operation,
                        e.region,
                        e.target.as_deref().unwrap_or("?")
                    )
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    Ok((journal_path, unknown_outcomes))
}

/// Opens the history database on the history writer's thread, so the first frame never waits
/// for it; the last day of changes seeds `:timeline` when it opens. A database that cannot be
/// used is reported and the console goes on without history.
fn open_history(g: &GlobalArgs, settings: &crate::config::Settings, runner: &mut Runner) {
    use crate::history::store::{Query, Store, Writer};
    let at = history::history_path(g);
    let (demo, retention) = (g.demo, settings.history.retention_days);
    let (opened, failed) = (runner.tx.clone(), runner.tx.clone());
    runner.history = Some(Writer::spawn_opening(
        // The demo records in memory: it never reads or writes an estate's history.
        move || {
            if demo {
                Store::in_memory()
            } else {
                Store::open(&at, retention)
            }
        },
        move |store| {
            let db = store.map(|s| {
                let recent = s
                    .query(&Query {
                        since: Some(Utc::now() - chrono::Duration::hours(24)),
                        limit: Some(crate::app::TIMELINE_CAP),
                        ..Default::default()
                    })
                    .unwrap_or_default();
                (s.name(), recent)
            });
            let _ = opened.send(crate::source::SourceMsg::HistoryOpened(db));
        },
        move |e| {
            let _ = failed.send(crate::source::SourceMsg::HistoryFailed(e));
        },
    ));
}
