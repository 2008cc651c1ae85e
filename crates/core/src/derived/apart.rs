//! The derived state built apart from the loop that shows it: a [`Job`] holds a copy of the
//! estate (a pointer per scope, see [`Estate::scopes`]) and of the history, [`Job::build`]
//! works everything out on another thread, and the [`Built`] it returns — the estate, the
//! history and their derived state, of one revision — replaces what the views read in one
//! step. The views never read an estate with the derived state of another.

use std::sync::Arc;

use super::Derived;
use crate::findings::history::HistorySettings;
use crate::history::Event;
use crate::model::{Estate, Timestamp};

/// What a build needs: the estate as merged so far, the history shown, the changes those
/// merges found (not yet in the history) and how much history is kept.
pub struct Job {
    pub estate: Estate,
    /// The history the views show now, oldest first.
    pub timeline: Arc<Vec<Event>>,
    /// Changes found by the merges since, oldest first: appended to `timeline`.
    pub new_events: Vec<Event>,
    /// At most this many events are kept (the oldest go first).
    pub cap: usize,
    pub now: Timestamp,
    pub history: HistorySettings,
    /// The declared intents, evaluated with the derived state.
    pub intents: Arc<Vec<crate::intent::Intent>>,
    /// The estate revision and the history revision (after `new_events`) the result is of.
    pub at: (u64, u64),
}

/// An estate, its history and their derived state, all of one revision (compared and
/// printed by that revision).
#[derive(Clone)]
pub struct Built {
    pub estate: Estate,
    pub timeline: Arc<Vec<Event>>,
    pub derived: Derived,
}

/// Appends events to a history kept to at most `cap` events (the oldest go first).
pub fn append(timeline: &mut Vec<Event>, events: impl IntoIterator<Item = Event>, cap: usize) {
    timeline.extend(events);
    let over = timeline.len().saturating_sub(cap);
    timeline.drain(..over);
}

impl std::fmt::Debug for Built {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Built {{ at: {:?} }}", self.derived.at)
    }
}

impl PartialEq for Built {
    fn eq(&self, o: &Built) -> bool {
        self.derived.at == o.derived.at && self.timeline.len() == o.timeline.len()
    }
}

impl Job {
    /// Appends the new events to the history (a copy, made here rather than on the loop) and
    /// works out the derived state of the estate with it.
    pub fn build(self) -> Built {
        let timeline = if self.new_events.is_empty() {
            self.timeline
        } else {
            let mut t = Arc::unwrap_or_clone(self.timeline);
            append(&mut t, self.new_events, self.cap);
            Arc::new(t)
        };
        let derived = Derived::build(
            &self.estate,
            &timeline,
            self.now,
            &self.history,
            &self.intents,
            self.at,
        );
        Built {
            estate: self.estate,
            timeline,
            derived,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Batch, ResourceKind};

    fn event(id: &str) -> Event {
        Event {
            at: chrono::Utc::now(),
            account: String::new(),
            region: "us-east-1".into(),
            kind: ResourceKind::DxConnections.into(),
            resource_id: id.into(),
            name: String::new(),
            field: crate::history::Field::Exists,
            old: None,
            new: Some("available".into()),
        }
    }

    #[test]
    fn a_build_is_of_the_estate_and_history_it_was_given_and_keeps_the_cap() {
        let mut e = Estate::with_regions(&["us-east-1"]);
        e.apply(crate::model::Update::ok(
            "us-east-1",
            chrono::Utc::now(),
            Batch::DxConnections(vec![]),
        ));
        let shown = Arc::new(vec![event("a"), event("b")]);
        let job = Job {
            estate: e.clone(),
            timeline: shown.clone(),
            new_events: vec![event("c"), event("d")],
            cap: 3,
            now: chrono::Utc::now(),
            history: HistorySettings::default(),
            intents: Arc::default(),
            at: (e.revision, 7),
        };
        let built = job.build();
        assert_eq!(built.derived.at, Some((e.revision, 7)));
        assert_eq!(built.estate.revision, e.revision);
        let ids: Vec<_> = built
            .timeline
            .iter()
            .map(|x| x.resource_id.as_str())
            .collect();
        assert_eq!(ids, ["b", "c", "d"]);
        // What the views show is left as it was.
        assert_eq!(shown.len(), 2);
    }
}
