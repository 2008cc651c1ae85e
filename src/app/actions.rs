//! The larger arms of [`super::update::update`], one function per action.

use super::{App, Effect, FindingRef, Mode, STATUS_TTL_SECS};
use crate::action::{Action, Pane};
use crate::model::ResourceKind;
use crate::view::table::{TableId, WorkflowTables};
use crate::workflows::WorkflowKind;

/// `y`/`Y`: the selected id, or its ARN, to the clipboard.
pub(super) fn copy(app: &mut App, action: Action) -> Vec<Effect> {
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
    vec![]
}

/// A mouse click: a tab opens its table, a row is selected.
pub(super) fn click(app: &mut App, x: u16, y: u16) -> Vec<Effect> {
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
    vec![]
}

/// `s`: sort by the next column (the id first), ascending then descending.
pub(super) fn sort(app: &mut App) -> Vec<Effect> {
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
    vec![]
}

/// `o` on a VIF: its BGP routes.
pub(super) fn routes(app: &mut App) -> Vec<Effect> {
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
    vec![]
}

/// `Enter`: open what is selected (details, a finding, the resource a change or finding is about, a pane).
pub(super) fn open(app: &mut App) -> Vec<Effect> {
    if let Mode::Journal { full, .. } = &mut app.mode {
        *full = !*full;
        return vec![];
    }
    if matches!(app.mode, Mode::Topology { .. }) {
        app.open_topology_node();
        return vec![];
    }
    if let Mode::Intents { selected } = app.mode {
        app.show_intent_trace(selected);
        return vec![];
    }
    if let Mode::Timeline { selected, filter } = &app.mode {
        // From a change to the resource it is about.
        let rows = crate::view::timeline::rows(&app.timeline, filter, &app.estate);
        let target = rows
            .get(*selected)
            .map(|(ev, _)| (ev.region.clone(), ev.kind, ev.resource_id.clone()));
        match target {
            // From an intent's change of state to the intents.
            Some((_, crate::history::EventKind::Intent, _)) => app.show_intents(),
            Some((region, crate::history::EventKind::Resource(kind), id)) => {
                app.mode = Mode::Normal;
                if !app.jump_to(&region, kind, &id) {
                    app.set_status(format!("{id} is not listed in any table now"), true);
                }
            }
            None => {}
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
    vec![]
}

/// A key with no action here: say where it does something.
pub(super) fn unbound(app: &mut App, c: String) -> Vec<Effect> {
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
    vec![]
}

/// The clock: settle changes, expire the status line.
pub(super) fn tick(app: &mut App, now: crate::model::Timestamp) -> Vec<Effect> {
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
    vec![]
}

/// `←`/`→`: scroll the table sideways.
pub(super) fn scroll(app: &mut App, action: Action) -> Vec<Effect> {
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
    vec![]
}

/// `Tab`/`Shift-Tab`: the next or previous table of the pane.
pub(super) fn next_tab(app: &mut App, action: Action) -> Vec<Effect> {
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
    vec![]
}

/// `/`: a new filter (what is typed replaces the old one).
pub(super) fn filter(app: &mut App) -> Vec<Effect> {
    // `/` starts a new filter: what is typed replaces the old one.
    if let Some(t) = app.current_table() {
        app.input.clear();
        app.input_cursor = 0;
        let v = app.view_mut(t);
        v.filter.clear();
        v.apply_filter();
        app.mode = Mode::Filter;
    }
    vec![]
}

/// `f`: only the rows with findings, or all rows again.
pub(super) fn findings_only(app: &mut App) -> Vec<Effect> {
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
    vec![]
}

/// A paste into the command line or filter: cleaned, bounded, never a confirmation.
pub(super) fn paste(app: &mut App, text: String) -> Vec<Effect> {
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
    vec![]
}

/// `Esc`: back out of a filter, an overlay or a report.
pub(super) fn back(app: &mut App) -> Vec<Effect> {
    match app.mode {
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
    }
    vec![]
}

pub(super) fn live_filter(app: &mut App) {
    if app.mode == Mode::Filter
        && let Some(t) = app.current_table()
    {
        let input = app.input.clone();
        let v = app.view_mut(t);
        v.filter = input;
        v.apply_filter();
    }
}
