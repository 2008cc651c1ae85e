//! Help overlay, generated from the keymap and the pane commands so it cannot drift.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::action::Pane;
use crate::app::Drawn;
use crate::app::{App, Mode};
use crate::ui::theme::Theme;
use crate::view::table::WorkflowTables;
use crate::workflows::WorkflowKind;

/// The help text: keys grouped by action, then commands.
pub fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let t = theme;
    let mut out = vec![Line::styled("Keys", t.title)];
    let km = &app.session.keymap;
    for (action, _, what) in crate::config::keymap::DEFAULTS {
        out.push(Line::from(vec![
            Span::styled(format!("  {:<18}", km.keys_of(action)), t.key),
            Span::raw(what.to_string()),
            Span::styled(format!("  ({action})"), t.muted),
        ]));
    }
    out.push(Line::from(vec![
        Span::styled(format!("  {:<18}", "1 … 9"), t.key),
        Span::raw("switch pane"),
    ]));
    out.push(Line::raw(""));
    out.push(Line::styled("Commands", t.title));
    for p in Pane::ALL {
        out.push(Line::from(vec![
            Span::styled(format!("  :{:<17}", p.command()), t.key),
            Span::raw(format!("{} pane", p.title())),
        ]));
    }
    for (c, what) in crate::app::OTHER_COMMANDS {
        out.push(Line::from(vec![
            Span::styled(format!("  :{c:<17}"), t.key),
            Span::raw(*what),
        ]));
    }
    // Workflows: those of the current table first, with their keys; then every other one.
    let table = app.current_table();
    let needs = |k: WorkflowKind| {
        if k.mutating() && !app.session.write {
            "  (needs --write)"
        } else {
            ""
        }
    };
    out.push(Line::raw(""));
    match table {
        Some(tb) => {
            out.push(Line::styled(
                format!("On this table ({})", tb.title()),
                t.title,
            ));
            let here: Vec<WorkflowKind> = WorkflowKind::ALL
                .into_iter()
                .filter(|k| k.tables().contains(&tb))
                .collect();
            if here.is_empty() {
                out.push(Line::styled("  no change workflows on this table", t.muted));
            }
            for k in here {
                out.push(Line::from(vec![
                    Span::styled(format!("  {:<4}", km.keys_or(k.command(), k.key())), t.key),
                    Span::styled(format!(":{:<17}", k.command()), t.key),
                    Span::raw(k.title()),
                    Span::styled(needs(k), t.muted),
                ]));
            }
        }
        None => out.push(Line::styled(
            "Workflows act on a table's selected row: open a pane (1 … 9) first",
            t.muted,
        )),
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Every workflow command", t.title));
    for k in WorkflowKind::ALL {
        let tables: Vec<&str> = k.tables().iter().map(|t| t.title()).collect();
        out.push(Line::from(vec![
            Span::styled(format!("  :{:<17}", k.command()), t.key),
            Span::raw(format!(
                "{} — key {} on {}",
                k.title(),
                k.key(),
                tables.join(", ")
            )),
            Span::styled(needs(k), t.muted),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        if app.session.write {
            "WRITE mode: change workflows may send mutating calls after confirmation."
        } else {
            "READ-ONLY: no mutating AWS call can be sent (start with --write to allow changes)."
        },
        t.muted,
    ));
    out
}

pub fn render(f: &mut Frame, area: Rect, app: &App, theme: &Theme, drawn: &mut Drawn) {
    let Mode::Help { scroll } = app.mode else {
        return;
    };
    if area.width < 2 || area.height < 2 {
        return;
    }
    let text = lines(app, theme);
    crate::ui::Overlay {
        title: " Help ".into(),
        text,
        scroll,
        wrap: false,
    }
    .draw(f, area, theme, drawn);
}
