//! The one loop: `tokio::select!` over terminal input (crossterm `EventStream`), source
//! messages and a one-second tick. It draws only after something changed and never awaits
//! the network: pollers run as their own tasks and only send messages.

use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::action::Action;
use crate::app::{App, Effect, key_action, update};
use crate::source::{SourceHandle, SourceMsg};
use crate::tui::Tui;
use crate::ui;

/// Carries out the effects `update` returned; `false` means quit.
pub fn execute(effects: Vec<Effect>, source: &SourceHandle) -> bool {
    for e in effects {
        match e {
            Effect::Quit => return false,
            Effect::Refresh => source.refresh(),
            Effect::FetchDomains { region, list_id } => source.fetch_domains(&region, &list_id),
        }
    }
    true
}

/// Runs the TUI until the user quits.
pub async fn run(
    mut app: App,
    source: SourceHandle,
    mut rx: UnboundedReceiver<SourceMsg>,
) -> color_eyre::Result<()> {
    let mut tui = Tui::enter()?;
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut dirty = true;
    loop {
        if dirty {
            tui.terminal.draw(|f| ui::draw(f, &mut app))?;
            dirty = false;
        }
        let effects = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => {
                    dirty = true;
                    key_action(&app, k).map(|a| update(&mut app, a)).unwrap_or_default()
                }
                Some(Ok(Event::Resize(..))) => { dirty = true; vec![] }
                Some(Ok(_)) => vec![],
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
        };
        if !execute(effects, &source) || app.should_quit {
            break;
        }
    }
    drop(tui);
    Ok(())
}
