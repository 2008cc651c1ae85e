//! [`update`]: one arm per action; workflow actions go to the workflow state machine first.

use super::workflow::workflow_action;
use super::{App, DryRunVerdict, Effect, FindingRef, Mode, STATUS_TTL_SECS, Stage};
use crate::action::{Action, Pane};
use crate::model::ResourceKind;
use crate::source::SourceMsg;
use crate::view::table::{TableId, WorkflowTables};
use crate::workflows::WorkflowKind;

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
        Action::CopyId | Action::CopyArn => {
            let Some(d) = app.selected_row_target() else {
                app.set_status("nothing selected to copy", true);
                return vec![];
            };
            let text = if action == Action::CopyId {
                Some(d.id.clone())
            } else {
                let owner = app
                    .estate
                    .region_of(&d.account, &d.region)
                    .and_then(|r| r.item_json(d.kind, &d.id))
                    .and_then(|v| {
                        ["owner_account", "owner_id", "owner"]
                            .iter()
                            .find_map(|k| v.get(*k).and_then(|x| x.as_str()).map(str::to_string))
                    })
                    .or_else(|| app.session.account.clone());
                match owner {
                    Some(acct) => crate::model::arn(d.kind, &d.region, &acct, &d.id),
                    None => {
                        app.set_status(
                            format!("the ARN of {} needs its account id, which is unknown", d.id),
                            true,
                        );
                        return vec![];
                    }
                }
            };
            match text {
                Some(t) => {
                    app.set_status(format!("copied {t} (OSC 52)"), false);
                    return vec![Effect::Copy(t)];
                }
                None => app.set_status(
                    format!("{} has no ARN of its own (y copies its id)", d.kind.label()),
                    true,
                ),
            }
        }
        Action::Click(x, y) => {
            // A click on a tab opens that table.
            if app.mode == Mode::Normal
                && let Some((row, hits)) = &app.tab_hits
                && *row == y
                && let Some(&(_, _, t)) = hits.iter().find(|(a, b, _)| x >= *a && x < *b)
                && let Some(i) = TableId::of(app.pane).iter().position(|x| *x == t)
            {
                app.tabs.insert(app.pane, i);
                app.sync();
                return vec![];
            }
            if app.mode == Mode::Normal
                && let Some(((bx, by, bw, bh), offset)) = app.table_body
                && x >= bx
                && x < bx + bw
                && y >= by
                && y < by + bh
                && let Some(t) = app.current_table()
            {
                let pos = offset + (y - by) as usize;
                let v = app.view_mut(t);
                if pos < v.visible.len() {
                    v.selected = pos;
                }
            }
        }
        Action::Sort => {
            if app.mode == Mode::Normal
                && let Some(t) = app.current_table()
            {
                let headers: Vec<&str> = crate::view::table::scope_columns(&app.estate)
                    .iter()
                    .map(|c| c.0)
                    .chain(t.columns().iter().map(|c| c.0))
                    .collect();
                let lead = headers.len() - t.columns().len();
                // The columns in the order they are drawn: the id, the account/region, the rest.
                let order: Vec<usize> = std::iter::once(lead)
                    .chain(0..lead)
                    .chain(lead + 1..headers.len())
                    .filter(|&c| c < headers.len())
                    .collect();
                let v = app.view_mut(t);
                v.sort = match v.sort {
                    None => order.first().map(|&c| (c, false)),
                    Some((c, false)) => Some((c, true)),
                    Some((c, true)) => order
                        .iter()
                        .position(|&x| x == c)
                        .and_then(|p| order.get(p + 1))
                        .map(|&c| (c, false)),
                };
                v.apply_filter();
                let msg = match v.sort {
                    None => "unsorted (the order AWS returned)".to_string(),
                    Some((c, desc)) => format!(
                        "sorted by {} {}",
                        headers.get(c).copied().unwrap_or("?"),
                        if desc { "descending" } else { "ascending" }
                    ),
                };
                app.set_status(msg, false);
            }
        }
        Action::Path => app.path_from_selection(),
        Action::Impact => app.impact_of_selection(),
        Action::Routes => {
            if app.mode != Mode::Normal {
                return vec![];
            }
            match app.selected_row_target() {
                Some(d) if d.kind == ResourceKind::DxVirtualInterfaces => {
                    app.mode = Mode::Routes {
                        vif: d.id.clone(),
                        routes: None,
                        scroll: 0,
                    };
                    return vec![Effect::FetchRoutes {
                        account: d.account,
                        region: d.region,
                        vif: d.id,
                    }];
                }
                _ => app.set_status(
                    "BGP routes are a VIF's: select one in the VIF table (3), then press the key again",
                    true,
                ),
            }
        }
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
        Action::ScrollLeft | Action::ScrollRight => {
            if app.mode == Mode::Normal
                && let Some(t) = app.current_table()
            {
                let v = app.view_mut(t);
                v.hscroll = if action == Action::ScrollRight {
                    v.hscroll + 1
                } else {
                    v.hscroll.saturating_sub(1)
                };
            }
        }
        Action::NextTab | Action::PrevTab => {
            let n = TableId::of(app.pane).len();
            if n > 0 && app.mode == Mode::Normal {
                let i = app.tabs.entry(app.pane).or_insert(0);
                *i = if action == Action::NextTab {
                    (*i + 1) % n
                } else {
                    (*i + n - 1) % n
                };
                app.sync();
            }
        }
        Action::Open => {
            if let Mode::Journal { full, .. } = &mut app.mode {
                *full = !*full;
                return vec![];
            }
            if matches!(app.mode, Mode::Topology { .. }) {
                app.open_topology_node();
                return vec![];
            }
            if let Mode::Timeline { selected, filter } = &app.mode {
                // From a change to the resource it is about.
                let rows = crate::view::timeline::rows(&app.timeline, filter, &app.estate);
                let target = rows.get(*selected).map(|(ev, _)| {
                    (
                        ev.region.clone(),
                        crate::view::timeline::kind_of(ev),
                        ev.resource_id.clone(),
                    )
                });
                if let Some((region, kind, id)) = target {
                    app.mode = Mode::Normal;
                    let found = kind.is_some_and(|k| app.jump_to(&region, k, &id));
                    if !found {
                        app.set_status(format!("{id} is not listed in any table now"), true);
                    }
                }
                return vec![];
            }
            if let Mode::Finding(fr) = &app.mode {
                // From a finding to the resource it is about.
                let (region, kind, id) = (fr.region.clone(), fr.kind, fr.id.clone());
                app.mode = Mode::Normal;
                if !app.jump_to(&region, kind, &id) {
                    app.set_status(format!("{id} is not listed in any table"), true);
                }
                return vec![];
            }
            if app.mode != Mode::Normal {
                return vec![];
            }
            if app.pane == Pane::Overview {
                let pane = crate::view::overview::ROWS[app
                    .overview_selected
                    .min(crate::view::overview::ROWS.len() - 1)]
                .0;
                app.goto(pane);
                return vec![];
            }
            if app.pane == Pane::Findings {
                if let Some(t) = app.current_table()
                    && let Some(row) = app.view(t).selected_row()
                {
                    app.mode = Mode::Finding(FindingRef {
                        code: row.cells.get(2).cloned().unwrap_or_default(),
                        region: row.region.clone(),
                        kind: row.kind,
                        id: row.id.clone(),
                        title: row.cells.get(5).cloned().unwrap_or_default(),
                        scroll: 0,
                    });
                }
                return vec![];
            }
            if let Some(d) = app.selected_row_target() {
                let mut effects = vec![];
                if d.kind == ResourceKind::FirewallDomainLists
                    && !app
                        .estate
                        .firewall_domains
                        .contains_key(&(d.region.clone(), d.id.clone()))
                {
                    effects.push(Effect::FetchDomains {
                        account: d.account.clone(),
                        region: d.region.clone(),
                        list_id: d.id.clone(),
                    });
                }
                app.mode = Mode::Details(d);
                return effects;
            }
        }
        Action::Back => match app.mode {
            Mode::Normal => {
                if let Some(t) = app.current_table()
                    && !app.view(t).filter.is_empty()
                {
                    let v = app.view_mut(t);
                    v.filter.clear();
                    v.apply_filter();
                }
            }
            Mode::Filter => {
                app.mode = Mode::Normal;
                if let Some(t) = app.current_table() {
                    let v = app.view_mut(t);
                    v.filter.clear();
                    v.apply_filter();
                }
            }
            Mode::Report { ref mut back, .. } if back.is_some() => {
                app.mode = *back.take().unwrap();
            }
            _ => app.mode = Mode::Normal,
        },
        Action::Filter => {
            // `/` starts a new filter: what is typed replaces the old one.
            if let Some(t) = app.current_table() {
                app.input.clear();
                app.input_cursor = 0;
                let v = app.view_mut(t);
                v.filter.clear();
                v.apply_filter();
                app.mode = Mode::Filter;
            }
        }
        Action::Command => {
            app.input.clear();
            app.input_cursor = 0;
            app.history_pos = app.history.len();
            app.mode = Mode::Command;
        }
        Action::Help => app.mode = Mode::Help { scroll: 0 },
        Action::FindingsOnly => {
            if let Some(t) = app.current_table().filter(|t| *t != TableId::Findings) {
                let v = app.view_mut(t);
                v.only_findings = !v.only_findings;
                v.apply_filter();
                let on = v.only_findings;
                app.set_status(
                    if on {
                        "showing only rows with findings (f: all rows)"
                    } else {
                        "showing all rows"
                    },
                    false,
                );
            }
        }
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
        Action::Paste(text) => {
            if matches!(app.mode, Mode::Command | Mode::Filter) {
                let room = 512usize.saturating_sub(app.input.chars().count());
                let (clean, note) = crate::workflows::form::sanitize_paste(&text, room);
                for c in clean.chars() {
                    app.edit_input(tui_input::InputRequest::InsertChar(c));
                }
                live_filter(app);
                if let Some(n) = note {
                    app.set_status(n, false);
                }
            }
        }
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
        Action::Tick(now) => {
            app.now = now;
            let effects = super::settle::tick(app);
            if !effects.is_empty() {
                return effects;
            }
            let busy = !app.polling.is_empty();
            if app.status.as_ref().is_some_and(|s| {
                (now - s.at).num_seconds() >= STATUS_TTL_SECS && !(busy && s.text == "refreshing…")
            }) {
                app.status = None;
            }
        }
        Action::Unbound(c) => {
            let elsewhere: Vec<String> = WorkflowKind::ALL
                .iter()
                .filter(|k| app.session.keymap.keys_or(k.command(), k.key()) == c)
                .map(|k| {
                    let on: Vec<&str> = k.tables().iter().map(|t| t.title()).collect();
                    format!(":{} on {}", k.command(), on.join(", "))
                })
                .collect();
            let here = app
                .current_table()
                .map(|t| t.title())
                .unwrap_or("the overview");
            if elsewhere.is_empty() {
                app.set_status(format!("{c}: no action on {here} (? lists the keys)"), true);
            } else {
                app.set_status(
                    format!("{c} does nothing on {here}: it is {}", elsewhere.join("; ")),
                    true,
                );
            }
        }
        Action::StartWorkflow(kind) => return app.start_workflow(kind),
        Action::Cycle(_) => {}
        Action::Source(msg) => return on_source(app, msg),
    }
    vec![]
}

/// Data or status from a source.
fn on_source(app: &mut App, msg: SourceMsg) -> Vec<Effect> {
    match msg {
        SourceMsg::Update(u) => {
            let events = crate::history::apply(&mut app.estate, u);
            let mut effects = super::settle::check_unknown(app);
            super::settle::on_read(app);
            if !events.is_empty() {
                app.timeline.extend(events.iter().cloned());
                let over = app.timeline.len().saturating_sub(super::TIMELINE_CAP);
                app.timeline.drain(..over);
                app.timeline_at = app.timeline_at.wrapping_add(1);
                effects.push(Effect::Record(events));
            }
            return effects;
        }
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
        SourceMsg::Polling {
            scope,
            service,
            active,
        } => {
            if active {
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

fn live_filter(app: &mut App) {
    if app.mode == Mode::Filter
        && let Some(t) = app.current_table()
    {
        let input = app.input.clone();
        let v = app.view_mut(t);
        v.filter = input;
        v.apply_filter();
    }
}
