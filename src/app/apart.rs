//! The console's derived state, built off the event loop: answers are merged into a copy of
//! the estate ([`Incoming`]), the event loop hands a [`Job`] to another thread, and the
//! [`Built`] it returns — estate, history and derived state of one revision — is what the
//! views read from then on. A key is answered from what is shown while a build runs, and two
//! panes never read different revisions.

use std::sync::Arc;

use super::{App, Effect, TIMELINE_CAP};
use crate::derived::apart::{Built, Job};
use crate::history::Event;
use crate::model::{Estate, Update};

/// What the views showed before a build replaced it, freed by the event loop on another
/// thread (a large estate takes milliseconds to free).
pub type Discarded = Box<dyn Send>;

/// Answers merged since the views last moved.
pub struct Incoming {
    pub estate: Estate,
    /// Changes those merges found, not yet in [`App::timeline`].
    pub events: Vec<Event>,
}

impl App {
    /// Merges an answer into the estate the next build is of (a copy of the one shown that
    /// shares every scope the answer does not change); returns the changes it found.
    pub(super) fn merge_apart(&mut self, u: Update) -> Vec<Event> {
        let shown = &self.estate;
        let inc = self.incoming.get_or_insert_with(|| Incoming {
            estate: shown.clone(),
            events: Vec::new(),
        });
        let events = crate::history::apply(&mut inc.estate, u);
        inc.events.extend(events.iter().cloned());
        events
    }

    /// The build to start now, if the views are behind and none is under way (called by the
    /// event loop after each batch of messages).
    pub fn derive_job(&mut self) -> Option<Job> {
        if !self.derive_apart || self.deriving {
            return None;
        }
        let (estate, new_events) = match &mut self.incoming {
            Some(inc) if inc.estate.revision != self.estate.revision || !inc.events.is_empty() => {
                (inc.estate.clone(), std::mem::take(&mut inc.events))
            }
            _ if self.derived.at != Some((self.estate.revision, self.timeline_at)) => {
                (self.estate.clone(), Vec::new())
            }
            _ => return None,
        };
        self.deriving = true;
        let timeline_at = self.timeline_at + u64::from(!new_events.is_empty());
        Some(Job {
            at: (estate.revision, timeline_at),
            estate,
            timeline: Arc::clone(&self.timeline),
            new_events,
            cap: TIMELINE_CAP,
            now: self.now,
            history: self.session.history,
            intents: Arc::clone(&self.session.intents),
        })
    }

    /// The history database opened (or not): its last day of changes go under this
    /// session's in `:timeline`, once no build is under way (a build carries the timeline it
    /// started from).
    pub(crate) fn history_opened(
        &mut self,
        opened: Result<(String, Vec<crate::history::Event>), String>,
    ) {
        match opened {
            Ok((name, mut recent)) => {
                recent.reverse();
                self.history_seed = Some(recent);
                self.history_db = Ok(name);
                if !self.deriving {
                    self.seed_timeline();
                }
            }
            Err(e) => {
                tracing::warn!("{e}");
                self.set_status(format!("{e}; going on without history"), true);
                self.history_db = Err(e);
            }
        }
    }

    fn seed_timeline(&mut self) {
        let Some(recent) = self.history_seed.take() else {
            return;
        };
        // Only the accounts and regions this console reads.
        let mut seeded = crate::derived::in_scope(&self.estate, &recent);
        crate::derived::apart::append(&mut seeded, self.timeline.iter().cloned(), TIMELINE_CAP);
        self.timeline = Arc::new(seeded);
        self.timeline_at += 1;
    }

    /// Moves the views to a finished build; what they showed before goes to
    /// [`App::discarded`].
    pub(super) fn take_built(&mut self, built: Option<Box<Built>>) -> Vec<Effect> {
        self.deriving = false;
        let Some(built) = built else {
            // The views stay as they were; the next answer starts another build.
            self.set_status("the findings could not be worked out (see the log)", true);
            return vec![];
        };
        let Built {
            mut estate,
            timeline,
            derived,
        } = *built;
        let at = derived.at.unwrap_or_default();
        // Domain lists are fetched into what is shown; a build never carries them.
        estate.firewall_domains = std::mem::take(&mut self.estate.firewall_domains);
        let old_estate = std::mem::replace(&mut self.estate, estate);
        let old_derived = std::mem::replace(&mut self.derived, derived);
        let old_timeline = std::mem::replace(&mut self.timeline, timeline);
        self.timeline_at = at.1;
        if self
            .incoming
            .as_ref()
            .is_some_and(|i| i.estate.revision == self.estate.revision && i.events.is_empty())
        {
            self.incoming = None;
        }
        self.discarded
            .push(Box::new((old_estate, old_derived, old_timeline)));
        self.seed_timeline();
        let effects = super::settle::check_unknown(self);
        super::settle::on_read(self);
        effects
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::demo_app;
    use super::*;
    use crate::action::Action;
    use crate::app::update;
    use crate::source::SourceMsg;

    fn answer_tick(app: &mut App, tick: u64) {
        let now = app.now;
        for u in crate::demo::updates(tick, now, &[]) {
            update(app, Action::Source(SourceMsg::Update(u)));
        }
    }

    fn deliver(app: &mut App, job: Job) {
        update(
            app,
            Action::Source(SourceMsg::Derived(Some(Box::new(job.build())))),
        );
    }

    #[test]
    fn apart_the_views_move_to_an_answer_only_with_its_derived_state() {
        let mut app = demo_app();
        app.sync();
        app.derive_apart = true;
        let shown = app.estate.revision;
        let shown_at = app.derived.at;
        // Two polls' answers: the demo's flapping BGP session goes down.
        answer_tick(&mut app, 1);
        answer_tick(&mut app, 2);
        app.sync();
        // Merged, not shown: what is drawn is still one revision with its own findings.
        assert_eq!(app.estate.revision, shown);
        assert_eq!(app.derived.at, shown_at);
        let merged = app.incoming.as_ref().unwrap().estate.revision;
        assert!(merged > shown);
        assert!(app.timeline.is_empty());

        let job = app.derive_job().expect("a build of the merged answers");
        assert_eq!(job.at.0, merged);
        assert!(app.derive_job().is_none(), "one build at a time");
        // A domain list fetched and another answer merged while it builds.
        update(
            &mut app,
            Action::Source(SourceMsg::Domains {
                region: "us-east-1".into(),
                list_id: "rslvr-fdl-x".into(),
                result: Ok(vec!["a.example.".into()]),
            }),
        );
        answer_tick(&mut app, 3);
        deliver(&mut app, job);
        assert_eq!(app.estate.revision, merged);
        assert_eq!(app.derived.at, Some((app.estate.revision, app.timeline_at)));
        assert!(
            app.timeline
                .iter()
                .any(|e| e.field.to_string().ends_with("bgp_status"))
        );
        assert!(
            app.estate
                .firewall_domains
                .contains_key(&("us-east-1".to_string(), "rslvr-fdl-x".to_string()))
        );
        assert_eq!(app.discarded.len(), 1);

        // The answer that came during the build is next.
        let job = app
            .derive_job()
            .expect("the answer merged during the build");
        assert!(job.at.0 > merged);
        deliver(&mut app, job);
        assert!(app.incoming.is_none());
        assert!(app.derive_job().is_none());
        assert_eq!(app.derived.at, Some((app.estate.revision, app.timeline_at)));
    }

    #[test]
    fn history_that_opens_during_a_build_goes_under_the_session_s_changes_once_it_lands() {
        let mut app = demo_app();
        app.sync();
        app.derive_apart = true;
        answer_tick(&mut app, 1);
        answer_tick(&mut app, 2);
        let job = app.derive_job().unwrap();
        // The database opens while the build is under way, with an older change of a VIF
        // in scope and one of an account this console does not read.
        let session = app.estate.scopes.keys().next().unwrap().clone();
        let older = crate::history::Event {
            at: app.now - chrono::Duration::hours(3),
            account: session.account.clone(),
            region: session.region.clone(),
            kind: crate::model::ResourceKind::DxVirtualInterfaces.into(),
            resource_id: "dxvif-earlier".into(),
            name: "earlier".into(),
            field: "state".into(),
            old: Some("available".into()),
            new: Some("down".into()),
        };
        let elsewhere = crate::history::Event {
            account: "999999999999".into(),
            resource_id: "dxvif-elsewhere".into(),
            ..older.clone()
        };
        update(
            &mut app,
            Action::Source(SourceMsg::HistoryOpened(Ok((
                "postgres://cc:***@db/h".into(),
                vec![elsewhere, older],
            )))),
        );
        assert_eq!(app.history_db.as_deref(), Ok("postgres://cc:***@db/h"));
        deliver(&mut app, job);
        let ids: Vec<&str> = app
            .timeline
            .iter()
            .map(|e| e.resource_id.as_str())
            .collect();
        assert_eq!(ids.first(), Some(&"dxvif-earlier"), "oldest first: {ids:?}");
        assert!(ids.len() > 1, "the session's changes stay: {ids:?}");
        assert!(!ids.contains(&"dxvif-elsewhere"), "{ids:?}");
        // The views are rebuilt over the seeded timeline.
        assert!(app.derive_job().is_some());

        // A database that cannot be opened is said, and the session goes on.
        update(
            &mut app,
            Action::Source(SourceMsg::HistoryOpened(Err("history x: refused".into()))),
        );
        assert!(
            app.status
                .as_ref()
                .is_some_and(|s| s.error && s.text.contains("refused"))
        );
    }

    #[test]
    fn a_failed_build_says_so_and_the_next_answer_is_built() {
        let mut app = demo_app();
        app.sync();
        app.derive_apart = true;
        answer_tick(&mut app, 1);
        let _lost = app.derive_job().unwrap();
        update(&mut app, Action::Source(SourceMsg::Derived(None)));
        assert!(app.status.as_ref().is_some_and(|s| s.error));
        answer_tick(&mut app, 2);
        assert!(app.derive_job().is_some());
    }
}
