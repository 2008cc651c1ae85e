//! The `:` command line: panes, `:sort`, `:journal`, `:refresh`, `:help`, `:q` and every
//! workflow by its command name.

use super::{App, Effect, Mode};
use crate::action::Pane;
use crate::workflows::WorkflowKind;

/// The `:` commands that are neither panes nor workflows, with what they do.
pub const OTHER_COMMANDS: &[(&str, &str)] = &[
    ("sort", "sort COLUMN: sort the table by a column (s cycles)"),
    (
        "journal",
        "the change journal (every change sent, with its outcome)",
    ),
    ("refresh", "poll every source now"),
    ("help", "this help"),
    ("q", "quit"),
];

/// Every `:` command name: panes, the others, then workflows.
pub fn command_names() -> Vec<&'static str> {
    Pane::ALL
        .iter()
        .map(|p| p.command())
        .chain(OTHER_COMMANDS.iter().map(|(c, _)| *c))
        .chain(WorkflowKind::ALL.iter().map(|k| k.command()))
        .collect()
}

impl App {
    pub(super) fn run_command(&mut self, cmd: &str) -> Vec<Effect> {
        let cmd = cmd.trim().trim_start_matches(':');
        if let Some(p) = Pane::from_command(cmd) {
            self.goto(p);
            return vec![];
        }
        match cmd {
            "q" | "q!" | "quit" => {
                self.should_quit = true;
                vec![Effect::Quit]
            }
            "help" => {
                self.mode = Mode::Help { scroll: 0 };
                vec![]
            }
            "refresh" => {
                self.set_status("refreshing…", false);
                vec![Effect::Refresh]
            }
            c if c == "sort" || c.starts_with("sort ") => {
                let want = c.trim_start_matches("sort").trim().to_uppercase();
                let Some(t) = self.current_table() else {
                    self.set_status(":sort works on a table", true);
                    return vec![];
                };
                let headers: Vec<&str> = std::iter::once("REGION")
                    .chain(t.columns().iter().map(|c| c.0))
                    .collect();
                match headers
                    .iter()
                    .position(|h| !want.is_empty() && h.starts_with(&want))
                {
                    Some(i) => {
                        let v = self.view_mut(t);
                        v.sort = Some((i, false));
                        v.apply_filter();
                        self.set_status(format!("sorted by {}", headers[i]), false);
                    }
                    None => self.set_status(
                        format!(":sort COLUMN — one of: {}", headers.join(", ")),
                        true,
                    ),
                }
                vec![]
            }
            "journal" => {
                self.mode = Mode::Journal {
                    entries: None,
                    scroll: 0,
                };
                vec![Effect::LoadJournal]
            }
            "" => vec![],
            w if WorkflowKind::from_command(w).is_some() => {
                self.start_workflow(WorkflowKind::from_command(w).unwrap())
            }
            other => {
                self.set_status(
                    format!(
                        "unknown command :{other} — commands: :{}",
                        command_names().join(" :")
                    ),
                    true,
                );
                vec![]
            }
        }
    }
}
