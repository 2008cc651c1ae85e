//! After a change is made: watch its target until it reaches its state (a route `active`, an
//! endpoint `OPERATIONAL`), then trace the paths again and show them before → after; count a
//! failover test down to its end.

use std::collections::BTreeMap;

use super::{App, Effect, Mode, Stage};
use crate::model::Timestamp;
use crate::workflows::{Call, DxCall, Plan};

/// After a change: the target is read again every few seconds until it reaches the state the
/// change leads to (or [`SETTLE_SECS`] pass), then the paths are traced again and shown before
/// → after. A failover test counts down to its end.
#[derive(Clone, Debug, PartialEq)]
pub struct Settling {
    pub plan: Plan,
    /// When the change was made, and when the target was last asked for.
    pub since: Timestamp,
    pub asked: Timestamp,
    /// Working paths per VPC (name) before the change.
    pub before: BTreeMap<String, usize>,
    /// A failover test's end.
    pub until: Option<Timestamp>,
}

/// Seconds a change's target is watched for its state.
pub const SETTLE_SECS: i64 = 120;
/// Seconds between reads while a change settles.
pub const SETTLE_EVERY_SECS: i64 = 5;

/// Working paths per VPC (by label) as the estate is now.
fn working(app: &App) -> BTreeMap<String, usize> {
    let ix = crate::graph::Index::new(&app.estate);
    crate::graph::impact::reaches(&ix)
        .into_iter()
        .map(|r| (crate::model::label(&r.name, &r.vpc), r.working().count()))
        .collect()
}

/// Starts watching a change that was made (from the paths of the model before it).
pub(super) fn start(app: &mut App, plan: &Plan) {
    let until = match &plan.call {
        Call::Dx(DxCall::StartFailoverTest { minutes, .. }) => {
            Some(app.now + chrono::Duration::minutes(*minutes as i64))
        }
        _ => None,
    };
    app.settling = Some(Settling {
        plan: plan.clone(),
        since: app.now,
        asked: app.now,
        before: app
            .derived
            .reach
            .iter()
            .map(|r| (crate::model::label(&r.name, &r.vpc), r.working().count()))
            .collect(),
        until,
    });
}

/// On each tick: ask for the target again every few seconds; give up after [`SETTLE_SECS`].
pub(super) fn tick(app: &mut App) -> Vec<Effect> {
    let Some(s) = &mut app.settling else {
        return vec![];
    };
    if s.until.is_some() {
        if s.until.is_some_and(|u| app.now >= u) {
            app.settling = None;
            app.set_status("the BGP failover test has ended", false);
        }
        return vec![];
    }
    if (app.now - s.since).num_seconds() >= SETTLE_SECS {
        let op = s.plan.operation();
        app.settling = None;
        app.set_status(
            format!("{op}: its target did not reach its state within {SETTLE_SECS} s — check it"),
            true,
        );
        return vec![];
    }
    if (app.now - s.asked).num_seconds() >= SETTLE_EVERY_SECS {
        s.asked = app.now;
        return vec![Effect::Refresh];
    }
    vec![]
}

/// The region of `plan`'s target once every kind that shows its result has been read again
/// after `since`; `None` until then.
fn reread<'e>(
    e: &'e crate::model::Estate,
    plan: &Plan,
    since: Timestamp,
) -> Option<&'e crate::model::RegionEstate> {
    let account = plan.account.clone().unwrap_or_default();
    let r = e
        .region_of(&account, &plan.region)
        .or_else(|| e.region(&plan.region))?;
    let kinds = plan.call.verified_by();
    (!kinds.is_empty()
        && kinds
            .iter()
            .all(|k| r.status(*k).refreshed_at.is_some_and(|t| t > since)))
    .then_some(r)
}

/// On each read: once the target reached its state, trace the paths again and say before →
/// after.
pub(super) fn on_read(app: &mut App) {
    let Some(s) = &app.settling else { return };
    if s.until.is_some() {
        return;
    }
    let Some(r) = reread(&app.estate, &s.plan, s.since) else {
        return;
    };
    if s.plan.call.settled(r) != Some(true) {
        return;
    }
    let (before, since, op) = (s.before.clone(), s.since, s.plan.operation());
    let after = working(app);
    let mut changed: Vec<String> = before
        .keys()
        .chain(after.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter_map(|vpc| {
            let (b, a) = (
                before.get(vpc).copied().unwrap_or(0),
                after.get(vpc).copied().unwrap_or(0),
            );
            (b != a).then(|| format!("{vpc}: working paths {b} → {a}"))
        })
        .collect();
    if changed.is_empty() {
        changed.push("no VPC's working paths changed".into());
    }
    let secs = (app.now - since).num_seconds().max(0);
    let text = format!(
        "{op}: settled after {secs} s · paths traced again: {}",
        changed.join("; ")
    );
    if let Mode::Workflow(w) = &mut app.mode
        && let Stage::Done { outcome, .. } = &mut w.stage
    {
        outcome.message = format!("{} — {text}", outcome.message);
    }
    app.settling = None;
    app.set_status(text, false);
}

/// The line the result view shows while a change settles.
pub fn line(app: &App) -> Option<String> {
    let s = app.settling.as_ref()?;
    Some(match s.until {
        Some(u) => {
            let left = (u - app.now).num_seconds().max(0);
            format!(
                " BGP failover test running: {}:{:02} left — T on the VIF stops it now (StopBgpFailoverTest)",
                left / 60,
                left % 60
            )
        }
        None => format!(
            " waiting for the target's state: {} s (read again every {SETTLE_EVERY_SECS} s, up to {SETTLE_SECS} s)",
            (app.now - s.since).num_seconds().max(0)
        ),
    })
}

/// A change whose outcome was unknown: once its target has been read again after it, say
/// whether the change is there, and journal that.
pub(super) fn check_unknown(app: &mut App) -> Vec<Effect> {
    let Some((plan, since)) = &app.checking else {
        return vec![];
    };
    let Some(r) = reread(&app.estate, plan, *since) else {
        return vec![];
    };
    let Some(applied) = plan.call.applied(r) else {
        return vec![];
    };
    let plan = plan.clone();
    app.checking = None;
    let text = if applied {
        format!(
            "outcome unknown → re-read: {} WAS applied (do not send it again)",
            plan.operation()
        )
    } else {
        format!(
            "outcome unknown → re-read: {} was NOT applied; y goes back to the plan to send it again",
            plan.operation()
        )
    };
    if let Mode::Workflow(w) = &mut app.mode
        && let Stage::Done { outcome, .. } = &mut w.stage
    {
        outcome.message = format!("{} — {text}", outcome.message);
        if applied {
            outcome.success = true;
            outcome.unknown = false;
        }
    }
    app.set_status(text, !applied);
    vec![Effect::Resolve {
        plan: Box::new(plan),
        applied,
    }]
}
