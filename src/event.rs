//! The one loop: `tokio::select!` over terminal input (crossterm `EventStream`), source
//! messages and a one-second tick. It draws only after something changed and never awaits
//! the network: pollers run as their own tasks and only send messages.

use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, KeyEventKind};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::aws::RegionClients;
use crate::model::Scope;
use crate::workflows::Plan;
use crate::workflows::exec::{JournalContext, Outcome};

use crate::action::Action;
use crate::app::{App, Effect, key_action, update};
use crate::source::{SourceHandle, SourceMsg};
use crate::tui::Tui;
use crate::ui;

/// Runs workflow effects off the render loop. Holds write-capable clients only when the
/// session was started with `--write`; without them no mutating call can be built.
pub struct Runner {
    /// Read-only clients per region (LOA downloads).
    pub read: Vec<RegionClients>,
    /// Write-capable clients per region: `Some` only under `--write`.
    pub write: Option<Vec<RegionClients>>,
    pub journal: JournalContext,
    /// Demo session: LOA downloads write the demo PDF; nothing else runs.
    pub demo: bool,
    pub tx: UnboundedSender<SourceMsg>,
    /// Records changes in the history database; `None` when history is off.
    pub history: Option<crate::history::store::Writer>,
}

impl Runner {
    /// A runner for a session with no AWS clients (the demo).
    pub fn demo(journal: JournalContext, tx: UnboundedSender<SourceMsg>) -> Runner {
        Runner {
            read: vec![],
            write: None,
            journal,
            demo: true,
            tx,
            history: None,
        }
    }

    fn clients_for(&self, plan: &Plan) -> Result<RegionClients, Outcome> {
        let pool = if plan.workflow.mutating() {
            self.write.as_ref()
        } else {
            Some(&self.read)
        };
        let refused = |why: String| Outcome {
            unknown: false,
            created: None,
            success: false,
            code: Some("RefusedReadOnly".into()),
            message: why,
            request_id: None,
            journaled: false,
        };
        let Some(pool) = pool else {
            return Err(refused(format!(
                "{} refused: crossconnect runs read-only (start with --write)",
                plan.operation()
            )));
        };
        // The credentials of the account that owns the target: the plan's account; in a
        // one-account session whose account STS did not name, that account's.
        let one_account = pool
            .iter()
            .all(|c| pool.first().is_some_and(|f| f.account == c.account));
        pool.iter()
            .find(|c| {
                c.region == plan.region
                    && (plan.account.as_deref() == Some(c.account.as_str())
                        || (one_account && (plan.account.is_none() || c.account.is_empty())))
            })
            .cloned()
            .ok_or_else(|| {
                refused(format!(
                    "no credentials for account {} in region {}",
                    plan.account.as_deref().unwrap_or("?"),
                    plan.region
                ))
            })
    }

    fn execute(&self, plan: Plan) {
        let tx = self.tx.clone();
        if self.demo {
            let outcome = match &plan.call {
                crate::calls::Call::Dx(crate::calls::DxCall::DescribeLoa {
                    connection_id,
                    path,
                }) => crate::demo::write_loa(connection_id, path),
                _ => Outcome {
                    unknown: false,
                    created: None,
                    success: false,
                    code: Some("Demo".into()),
                    message: "the demo estate cannot be changed: nothing was sent".into(),
                    request_id: None,
                    journaled: false,
                },
            };
            let _ = tx.send(SourceMsg::WorkflowDone {
                intent: plan.intent.id.clone(),
                outcome,
            });
            return;
        }
        let clients = self.clients_for(&plan);
        let journal = self.journal.clone();
        tokio::spawn(async move {
            let outcome = match clients {
                Ok(c) => crate::workflows::exec::execute(&c, &plan, &journal).await,
                Err(o) => o,
            };
            let _ = tx.send(SourceMsg::WorkflowDone {
                intent: plan.intent.id.clone(),
                outcome,
            });
        });
    }

    /// The plan-time dry run: only ever with the write-capable clients (`--write`).
    fn dry_run(&self, plan: Plan) {
        let tx = self.tx.clone();
        let intent = plan.intent.id.clone();
        let clients = if self.demo {
            Err(Outcome {
                code: Some("Demo".into()),
                message: "no dry run on the demo estate".into(),
                ..Default::default()
            })
        } else {
            self.clients_for(&plan)
        };
        let c = match clients {
            Ok(c) => c,
            Err(outcome) => {
                let _ = tx.send(SourceMsg::DryRunDone { intent, outcome });
                return;
            }
        };
        let journal = self.journal.clone();
        tokio::spawn(async move {
            let outcome = crate::workflows::exec::dry_run(&c, &plan, &journal).await;
            let _ = tx.send(SourceMsg::DryRunDone { intent, outcome });
        });
    }

    fn load_journal(&self) {
        let tx = self.tx.clone();
        let path = self.journal.path.clone();
        tokio::task::spawn_blocking(move || {
            let _ = tx.send(SourceMsg::Journal(crate::workflows::journal::read_journal(
                &path,
            )));
        });
    }
}

/// Puts text on the clipboard with OSC 52 (`ESC ] 52 ; c ; base64 BEL`): the terminal, tmux
/// (with `set-clipboard on`) or the SSH client's terminal takes it.
fn copy_osc52(text: &str) {
    use base64::Engine;
    use std::io::Write;
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{b64}\x07");
    let _ = out.flush();
    // Inside tmux, whose default `set-clipboard external` keeps an application's OSC 52 out of
    // its own buffers, also load tmux's paste buffer directly.
    if std::env::var_os("TMUX").is_some() {
        let text = text.to_string();
        std::thread::spawn(move || {
            let child = std::process::Command::new("tmux")
                .args(["load-buffer", "-"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn();
            if let Ok(mut c) = child {
                if let Some(mut stdin) = c.stdin.take() {
                    let _ = stdin.write_all(text.as_bytes());
                }
                let _ = c.wait();
            }
        });
    }
}

/// Carries out the effects `update` returned; `false` means quit.
pub fn execute(effects: Vec<Effect>, source: &SourceHandle, runner: &Runner) -> bool {
    for e in effects {
        match e {
            Effect::Quit => return false,
            Effect::Refresh => source.refresh(),
            Effect::FetchDomains {
                account,
                region,
                list_id,
            } => source.fetch_domains(&Scope::new(&account, &region), &list_id),
            Effect::Execute(plan) => runner.execute(*plan),
            Effect::DryRun(plan) => runner.dry_run(*plan),
            Effect::LoadJournal => runner.load_journal(),
            Effect::WritePlan {
                plan,
                target,
                state,
                revision,
                path,
            } => {
                let outcome = match crate::workflows::planfile::write(
                    &path, &plan, &target, state, revision,
                ) {
                    Ok(()) => crate::workflows::exec::Outcome {
                        success: true,
                        message: format!(
                            "plan written to {} — nothing was sent; `crossconnect apply {} --write` sends it",
                            crate::workflows::exec::full_path(&path.display().to_string()),
                            path.display()
                        ),
                        ..Default::default()
                    },
                    Err(e) => crate::workflows::exec::Outcome {
                        code: Some("PlanNotWritten".into()),
                        message: format!("{e} — nothing was sent"),
                        ..Default::default()
                    },
                };
                let _ = runner.tx.send(SourceMsg::WorkflowDone {
                    intent: plan.intent.id.clone(),
                    outcome,
                });
            }
            Effect::Resolve { plan, applied } => {
                if !runner.demo {
                    crate::workflows::exec::resolve(&plan, &runner.journal, applied);
                }
            }
            Effect::FetchRoutes {
                account,
                region,
                vif,
            } => source.fetch_routes(&Scope::new(&account, &region), &vif),
            Effect::Copy(text) => copy_osc52(&text),
            Effect::Record(events) => {
                if let Some(h) = &runner.history {
                    h.record(events);
                }
            }
        }
    }
    true
}

/// How many queued input events are taken before the next frame is drawn: a burst of keys
/// or a long paste is handled in one go instead of one frame per key.
const MAX_EVENTS_PER_FRAME: usize = 4096;

/// Applies one terminal event; `dirty` is set when the screen may have changed.
pub(crate) fn on_event(app: &mut App, ev: Event, dirty: &mut bool) -> Vec<Effect> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            *dirty = true;
            // A plan confirms nothing until it has been on screen a moment: keys read sooner
            // were typed ahead (or pasted without bracketed paste), before anyone read it.
            use crossterm::event::KeyCode;
            if app.in_plan()
                && !app.plan_armed(std::time::Instant::now())
                && !matches!(
                    k.code,
                    KeyCode::Esc
                        | KeyCode::Down
                        | KeyCode::Up
                        | KeyCode::PageDown
                        | KeyCode::PageUp
                )
            {
                app.status = Some(crate::app::Status {
                    text: "ignored keys typed before the plan was on screen: read it, then confirm"
                        .into(),
                    error: true,
                    at: app.now,
                });
                return vec![];
            }
            key_action(app, k)
                .map(|a| update(app, a))
                .unwrap_or_default()
        }
        Event::Mouse(m) => {
            use crossterm::event::{MouseButton, MouseEventKind};
            let action = match m.kind {
                MouseEventKind::ScrollDown => Some(Action::Down),
                MouseEventKind::ScrollUp => Some(Action::Up),
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(m.column, m.row)),
                _ => None,
            };
            match action {
                Some(a) if !matches!(app.mode, crate::app::Mode::Workflow(_)) => {
                    *dirty = true;
                    update(app, a)
                }
                _ => vec![],
            }
        }
        Event::Paste(text) => {
            *dirty = true;
            update(app, Action::Paste(text))
        }
        Event::Resize(..) => {
            *dirty = true;
            vec![]
        }
        _ => vec![],
    }
}

/// Runs the TUI until the user quits, or SIGTERM, SIGHUP or SIGINT arrive: each ends the
/// loop normally, so the terminal is restored (raw mode off, main screen, cursor shown) and no
/// journal line is left half written (each is one `write`).
pub async fn run(
    mut app: App,
    theme: crate::ui::theme::Theme,
    source: SourceHandle,
    runner: Runner,
    mut rx: UnboundedReceiver<SourceMsg>,
) -> color_eyre::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut tui = Tui::enter(app.session.mouse)?;
    // Terminal input is read on its own thread and queued, so whatever is already queued can
    // be taken in one go before the next frame.
    let (ev_tx, mut events) = tokio::sync::mpsc::unbounded_channel::<std::io::Result<Event>>();
    std::thread::spawn(move || {
        loop {
            let ev = crossterm::event::read();
            let failed = ev.is_err();
            if ev_tx.send(ev).is_err() || failed {
                break;
            }
        }
    });
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut dirty = true;
    loop {
        if dirty {
            tui.terminal.draw(|f| ui::draw(f, &mut app, &theme))?;
            app.drawn(std::time::Instant::now());
            dirty = false;
        }
        let effects = tokio::select! {
            ev = events.recv() => match ev {
                Some(Ok(ev)) => {
                    let mut effects = on_event(&mut app, ev, &mut dirty);
                    // Take what is already queued before drawing again.
                    for _ in 0..MAX_EVENTS_PER_FRAME {
                        match events.try_recv() {
                            Ok(Ok(ev)) => effects.extend(on_event(&mut app, ev, &mut dirty)),
                            Ok(Err(e)) => return Err(e.into()),
                            Err(_) => break,
                        }
                        if app.should_quit {
                            break;
                        }
                    }
                    effects
                }
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(msg) = rx.recv() => {
                let mut effects = update(&mut app, Action::Source(msg));
                while let Ok(more) = rx.try_recv() {
                    effects.extend(update(&mut app, Action::Source(more)));
                }
                dirty = true;
                effects
            }
            _ = tick.tick() => {
                dirty = true;
                update(&mut app, Action::Tick(Utc::now()))
            }
            _ = term.recv() => { tracing::info!("SIGTERM: quitting"); break }
            _ = hup.recv() => { tracing::info!("SIGHUP: quitting"); break }
            _ = int.recv() => { tracing::info!("SIGINT: quitting"); break }
        };
        if !execute(effects, &source, &runner) || app.should_quit {
            break;
        }
        derive_apart(&mut app, &runner.tx);
    }
    drop(tui);
    Ok(())
}

/// Starts the build the views are waiting for on the blocking pool (its end comes back as
/// [`SourceMsg::Derived`]), and frees what they showed before there too: neither work waits
/// for the next key.
pub fn derive_apart(app: &mut App, tx: &UnboundedSender<SourceMsg>) {
    let discarded = std::mem::take(&mut app.discarded);
    if !discarded.is_empty() {
        tokio::task::spawn_blocking(move || drop(discarded));
    }
    if let Some(job) = app.derive_job() {
        let tx = tx.clone();
        tokio::task::spawn_blocking(move || {
            let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.build()));
            if built.is_err() {
                tracing::error!("building the derived state panicked");
            }
            let _ = tx.send(SourceMsg::Derived(built.ok().map(Box::new)));
        });
    }
}
