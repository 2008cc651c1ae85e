//! After a change is made: watch its target until it reaches its state (a route `active`, an
//! endpoint `OPERATIONAL`), then trace the paths again and show them before → after; count a
//! failover test down to its end.

use std::collections::BTreeMap;

use super::{App, Effect, Mode, SETTLE_EVERY_SECS, SETTLE_SECS, Settling, Stage};
use crate::workflows::{Call, Plan, verify};

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
        Call::StartFailoverTest { minutes, .. } => {
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
        let op = s.plan.operation;
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

/// On each read: once the target reached its state, trace the paths again and say before →
/// after.
pub(super) fn on_read(app: &mut App) {
    let Some(s) = &app.settling else { return };
    if s.until.is_some() {
        return;
    }
    let account = s.plan.account.clone().unwrap_or_default();
    let Some(r) = app
        .estate
        .region_of(&account, &s.plan.region)
        .or_else(|| app.estate.region(&s.plan.region))
    else {
        return;
    };
    let kinds = verify::kinds(&s.plan.call);
    let reread = kinds
        .iter()
        .all(|k| r.status(*k).refreshed_at.is_some_and(|t| t > s.since));
    if !reread || verify::settled(&s.plan.call, r) != Some(true) {
        return;
    }
    let (before, since, op) = (s.before.clone(), s.since, s.plan.operation);
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
