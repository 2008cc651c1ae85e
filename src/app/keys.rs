//! Keys → actions, per mode, through the resolved keymap (`crate::config::keymap`).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Mode, Stage};
use crate::action::{Action, Pane};
use crate::view::table::WorkflowTables;
use crate::workflows::WorkflowKind;

/// Maps a key press to an action for the current mode.
pub fn key_action(app: &App, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    // Editing keys of a one-line text (cursor, word and line deletes), as readline has them.
    let edit = || {
        tui_input::backend::crossterm::to_input_request(&crossterm::event::Event::Key(key))
            .map(Action::Edit)
    };
    if let Mode::Workflow(w) = &app.mode {
        let form = w.stage == Stage::Form;
        return match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Tab => Some(Action::NextTab),
            KeyCode::BackTab => Some(Action::PrevTab),
            KeyCode::Down => Some(Action::Down),
            KeyCode::Up => Some(Action::Up),
            KeyCode::PageDown if !form => Some(Action::PageDown),
            KeyCode::PageUp if !form => Some(Action::PageUp),
            KeyCode::Left if !form || w.form.focus_is_choice() => Some(Action::Cycle(-1)),
            KeyCode::Right if !form || w.form.focus_is_choice() => Some(Action::Cycle(1)),
            // Ctrl/Alt+letter is never the plain letter (nor a confirmation).
            KeyCode::Char(_) if (ctrl || alt) && !form => None,
            KeyCode::Char(c) if !ctrl && !alt => Some(Action::Input(c)),
            KeyCode::Backspace if !form => Some(Action::Backspace),
            _ if form => edit(),
            _ => None,
        };
    }
    if matches!(app.mode, Mode::Command | Mode::Filter) {
        return match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Backspace if key.modifiers.is_empty() => Some(Action::Backspace),
            KeyCode::Up if app.mode == Mode::Command => Some(Action::Up),
            KeyCode::Down if app.mode == Mode::Command => Some(Action::Down),
            KeyCode::Tab if app.mode == Mode::Command => Some(Action::NextTab),
            KeyCode::Char(c) if !ctrl && !alt => Some(Action::Input(c)),
            _ => edit(),
        };
    }
    // Digits switch panes.
    if let KeyCode::Char(d) = key.code
        && !ctrl
        && !alt
        && let Some(p) = d.to_digit(10).and_then(Pane::of_digit)
    {
        return Some(Action::GotoPane(p));
    }
    let names = app.session.keymap.actions_for(key);
    // A workflow of the current table bound to this key.
    if app.mode == Mode::Normal
        && let Some(t) = app.current_table()
        && let Some(kind) = WorkflowKind::ALL
            .into_iter()
            .filter(|k| k.tables().contains(&t))
            .find(|k| app.session.keymap.binds(k.command(), key, k.key()))
    {
        return Some(Action::StartWorkflow(kind));
    }
    // A global action (its serde name is the command name with `_`).
    if let Some(a) = names
        .iter()
        .find_map(|n| crate::action::action_from_name(&n.replace('-', "_")))
    {
        return Some(a);
    }
    // Nothing here: say why (Ctrl+letter is never the letter).
    match key.code {
        KeyCode::Char(_) if app.mode == Mode::Normal => Some(Action::Unbound(
            crate::config::keymap::display(&crokey::KeyCombination::from(key)),
        )),
        _ => None,
    }
}

/// The workflow actions for the keymap: command name, default key, tables it acts on.
pub fn workflow_bindings() -> Vec<(&'static str, char, Vec<&'static str>)> {
    WorkflowKind::ALL
        .iter()
        .map(|k| {
            (
                k.command(),
                k.key(),
                k.tables().iter().map(|t| t.title()).collect(),
            )
        })
        .collect()
}
