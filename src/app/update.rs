//! [`update`]: one arm per action; workflow actions go to the workflow state machine first.

use super::actions::*;
use super::workflow::workflow_action;
use super::{App, DryRunVerdict, Effect, Mode, Stage};
use crate::action::Action;
use crate::source::SourceMsg;

/// Applies one action to the state; returns what the runtime must do.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(effects) = workflow_action(app, &action) {
        return effects;
    }
    if app.mode == Mode::Command {
        match action {
            Action::Up => {
                app.recall(-1);
                return vec![];
            }
            Action::Down => {
                app.recall(1);
                return vec![];
            }
            Action::NextTab => {
                app.complete();
                return vec![];
            }
            _ => {}
        }
    }
    match action {
        Action::Quit => {
            app.should_quit = true;
            return vec![Effect::Quit];
        }
        Action::Up => app.move_selection(-1, false),
        Action::Down => app.move_selection(1, false),
        Action::PageUp => app.move_selection(-1, true),
        Action::PageDown => app.move_selection(1, true),
        Action::Top => app.move_selection(-(u16::MAX as isize), false),
        Action::Bottom => app.move_selection(u16::MAX as isize, false),
        Action::CopyId | Action::CopyArn => return copy(app, action),
        Action::Click(x, y) => return click(app, x, y),
        Action::Sort => return sort(app),
        Action::Path => app.path_from_selection(),
        Action::Impact => app.impact_of_selection(),
        Action::Routes => return routes(app),
        Action::Raw => {
            if app.mode == Mode::Normal
                && let Some(mut d) = app.selected_row_target()
            {
                d.raw = true;
                app.mode = Mode::Details(d);
            }
        }
        Action::ScrollLeft | Action::ScrollRight if matches!(app.mode, Mode::Topology { .. }) => {
            app.fold_topology(action == Action::ScrollLeft);
        }
        Action::ScrollLeft | Action::ScrollRight => return scroll(app, action),
        Action::NextTab | Action::PrevTab => return next_tab(app, action),
        Action::Open => return open(app),
        Action::Back => return back(app),
        Action::Filter => return filter(app),
        Action::Command => {
            app.input.clear();
            app.input_cursor = 0;
            app.history_pos = app.history.len();
            app.mode = Mode::Command;
        }
        Action::Help => app.mode = Mode::Help { scroll: 0 },
        Action::FindingsOnly => return findings_only(app),
        Action::Refresh => {
            app.set_status("refreshing…", false);
            return vec![Effect::Refresh];
        }
        Action::GotoPane(p) => app.goto(p),
        Action::Input(c) => {
            app.edit_input(tui_input::InputRequest::InsertChar(c));
            live_filter(app);
        }
        Action::Backspace => {
            if app.input.is_empty() && app.mode == Mode::Command {
                app.mode = Mode::Normal;
            }
            app.edit_input(tui_input::InputRequest::DeletePrevChar);
            live_filter(app);
        }
        Action::Edit(req) => {
            app.edit_input(req);
            live_filter(app);
        }
        Action::Paste(text) => return paste(app, text),
        Action::Submit => match app.mode {
            Mode::Command => {
                app.mode = Mode::Normal;
                let cmd = std::mem::take(&mut app.input);
                app.input_cursor = 0;
                app.status = None;
                if !cmd.trim().is_empty() && app.history.last() != Some(&cmd) {
                    app.history.push(cmd.clone());
                }
                return app.run_command(&cmd);
            }
            Mode::Filter => app.mode = Mode::Normal,
            _ => {}
        },
        Action::Tick(now) => return tick(app, now),
        Action::Unbound(c) => return unbound(app, c),
        Action::StartWorkflow(kind) => return app.start_workflow(kind),
        Action::Cycle(_) => {}
        Action::Source(msg) => return on_source(app, msg),
    }
    vec![]
}

/// Data or status from a source.
fn on_source(app: &mut App, msg: SourceMsg) -> Vec<Effect> {
    match msg {
        SourceMsg::Update(u) if app.derive_apart => {
            // Shown when its derived state is built (see `apart`); recorded now.
            let events = app.merge_apart(u);
            if !events.is_empty() {
                return vec![Effect::Record(events)];
            }
        }
        SourceMsg::Update(u) => {
            let events = crate::history::apply(&mut app.estate, u);
            let mut effects = super::settle::check_unknown(app);
            super::settle::on_read(app);
            if !events.is_empty() {
                crate::derived::apart::append(
                    std::sync::Arc::make_mut(&mut app.timeline),
                    events.iter().cloned(),
                    super::TIMELINE_CAP,
                );
                app.timeline_at = app.timeline_at.wrapping_add(1);
                effects.push(Effect::Record(events));
            }
            return effects;
        }
        SourceMsg::Derived(built) => return app.take_built(built),
        SourceMsg::Routes { vif, result } => {
            if let Mode::Routes { vif: v, routes, .. } = &mut app.mode
                && *v == vif
            {
                *routes = Some(result);
            }
        }
        SourceMsg::HistoryFailed(why) => {
            app.set_status(format!("history not recorded: {why}"), true);
        }
        SourceMsg::HistoryOpened(opened) => app.history_opened(opened),
        SourceMsg::Polling {
            scope,
            service,
            active,
            at,
        } => {
            if active {
                app.poll_starts
                    .entry((scope.clone(), service))
                    .and_modify(|(last, gap)| {
                        *gap = Some((at - *last).num_milliseconds());
                        *last = at;
                    })
                    .or_insert((at, None));
                app.polling.insert((scope, service), app.now);
            } else {
                app.polling.remove(&(scope, service));
                if app.polling.is_empty()
                    && app.status.as_ref().is_some_and(|s| s.text == "refreshing…")
                {
                    app.status = None;
                }
            }
        }
        SourceMsg::Domains {
            region,
            list_id,
            result,
        } => {
            app.estate
                .firewall_domains
                .insert((region, list_id), result);
        }
        SourceMsg::DryRunDone { intent, outcome } => {
            let Mode::Workflow(w) = &mut app.mode else {
                return vec![];
            };
            let Stage::Plan { plan, dry_run, .. } = &mut w.stage else {
                return vec![];
            };
            if w.intent.id != intent {
                return vec![];
            }
            match outcome.code.as_deref() {
                Some("DryRunOperation") => *dry_run = DryRunVerdict::WouldSucceed,
                // The endpoint applied the request: that was the change.
                _ if outcome.success => {
                    w.stage = Stage::Done {
                        plan: plan.clone(),
                        outcome: outcome.clone(),
                    };
                    app.set_status(format!("done: {}", outcome.message), false);
                    return vec![Effect::Refresh];
                }
                code => {
                    *dry_run = DryRunVerdict::Refused {
                        code: code.unwrap_or("error").to_string(),
                        message: outcome.message.clone(),
                    }
                }
            }
        }
        SourceMsg::WorkflowDone { intent, outcome } => {
            let success = outcome.success;
            let mut refresh = false;
            let mut made = None;
            if let Mode::Workflow(w) = &mut app.mode
                && w.intent.id == intent
                && let Stage::Running { plan } = &w.stage
            {
                // A change that was made, or may have been: read the tables again now.
                refresh = (success || outcome.unknown) && plan.workflow.mutating();
                if outcome.unknown && plan.workflow.mutating() {
                    app.checking = Some((plan.clone(), app.now));
                }
                if success && plan.workflow.mutating() {
                    made = Some(plan.clone());
                }
                w.stage = Stage::Done {
                    plan: plan.clone(),
                    outcome: outcome.clone(),
                };
            }
            // Watch it until its target reaches its state (and a plan written to a file, which
            // changed nothing, is not watched).
            if let Some(plan) = made.filter(|_| app.session.plan_out.is_none()) {
                super::settle::start(app, &plan);
            }
            let text = if success {
                format!("done: {}", outcome.message)
            } else if outcome.unknown {
                outcome.message.clone()
            } else {
                format!("failed: {}", outcome.message)
            };
            app.set_status(text, !success);
            if refresh {
                return vec![Effect::Refresh];
            }
        }
        SourceMsg::Journal(entries) => {
            if let Mode::Journal { entries: e, .. } = &mut app.mode {
                *e = Some(entries);
            }
        }
    }
    vec![]
}
