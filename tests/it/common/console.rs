//! The one console harness of the scripted-UI tests: the real app state machine, the real
//! pollers and the workflow runner against moto or wire fixtures, driven by key presses.

#![allow(dead_code)]

use std::time::Duration;

use crossconnect::action::{Action, Pane};
use crossconnect::app::{App, Mode, Session, Stage, key_action, update};
use crossconnect::aws::{OperationGuard, RegionClients};
use crossconnect::event::{Runner, execute};
use crossconnect::model::{Estate, Service};
use crossconnect::source::{SourceHandle, SourceMsg, poll_service, spawn_aws};
use crossconnect::view::table::TableId;
use crossconnect::workflows::exec::{self, JournalContext};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::UnboundedReceiver;

pub fn writer() -> OperationGuard {
    OperationGuard {
        allow_writes: true,
        ..Default::default()
    }
}

pub async fn poll(c: &RegionClients, service: Service) -> Estate {
    let mut e = Estate::with_regions(&[c.region.as_str()]);
    let mut v = vec![];
    poll_service(c, service, &mut |u| v.push(u)).await;
    for u in v {
        e.apply(u);
    }
    e
}

pub struct Console {
    pub app: App,
    pub rx: UnboundedReceiver<SourceMsg>,
    pub handle: SourceHandle,
    pub runner: Runner,
}

impl Console {
    /// A console on `region`; `write` is `None` for a read-only session (no write-capable
    /// clients exist at all). Returns once every kind of the region has answered.
    pub async fn start(
        region: &str,
        read: RegionClients,
        write: Option<RegionClients>,
        journal: &std::path::Path,
    ) -> Console {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let runner = Runner {
            read: vec![read.clone()],
            write: write.clone().map(|w| vec![w]),
            journal: JournalContext {
                path: journal.to_path_buf(),
                profile: Some("test".into()),
                account: None,
                callers: [(
                    "123456789012".to_string(),
                    "arn:aws:iam::123456789012:user/change-engineer".to_string(),
                )]
                .into(),
                host: Some("test-host".into()),
                ticket: Some("CHG-42".into()),
            },
            demo: false,
            tx: tx.clone(),
            history: None,
        };
        let handle = spawn_aws(vec![read], Duration::from_secs(3600), tx);
        let session = Session {
            write: write.is_some(),
            regions: vec![region.into()],
            refresh: Duration::from_secs(3600),
            journal: journal.to_path_buf(),
            ..Default::default()
        };
        let mut app = App::new(
            crossconnect::run::starting_estate(&session),
            session,
            chrono::Utc::now(),
        );
        app.derive_apart = true;
        let mut c = Console {
            app,
            rx,
            handle,
            runner,
        };
        c.pump(|a| {
            a.estate.scopes.values().all(|r| {
                crossconnect::model::ResourceKind::ALL.iter().all(|&k| {
                    let s = r.status(k);
                    s.refreshed_at.is_some() || s.error.is_some()
                })
            })
        })
        .await;
        c
    }

    pub fn key(&mut self, code: KeyCode) {
        if let Some(a) = key_action(&self.app, KeyEvent::new(code, KeyModifiers::NONE)) {
            let effects = update(&mut self.app, a);
            execute(effects, &self.handle, &self.runner);
        }
    }

    pub fn typed(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub async fn pump(&mut self, until: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while !until(&self.app) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(m)) => {
                    let effects = update(&mut self.app, Action::Source(m));
                    execute(effects, &self.handle, &self.runner);
                    // As the console's loop does: the derived state is built apart.
                    crossconnect::event::derive_apart(&mut self.app, &self.runner.tx);
                }
                _ => panic!(
                    "timed out; mode {:?}; status {:?}",
                    self.app.mode, self.app.status
                ),
            }
        }
    }

    pub fn select(&mut self, pane: Pane, table: TableId, id: &str) {
        update(&mut self.app, Action::GotoPane(pane));
        while self.app.current_table() != Some(table) {
            update(&mut self.app, Action::NextTab);
        }
        self.app.sync();
        let v = self.app.view_mut(table);
        v.selected = v
            .visible
            .iter()
            .position(|&i| v.rows[i].id == id)
            .unwrap_or_else(|| panic!("{id} not listed"));
    }

    /// Presses `y` on the plan and waits for the result.
    pub async fn confirm(&mut self) -> exec::Outcome {
        self.key(KeyCode::Char('y'));
        self.pump(
            |a| matches!(&a.mode, Mode::Workflow(w) if matches!(w.stage, Stage::Done { .. })),
        )
        .await;
        match self.stage() {
            Some(Stage::Done { outcome, .. }) => outcome.clone(),
            s => unreachable!("{s:?}"),
        }
    }

    pub fn stage(&self) -> Option<&Stage> {
        match &self.app.mode {
            Mode::Workflow(w) => Some(&w.stage),
            _ => None,
        }
    }
}
