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
    (
        "account",
        "account NAME|ID|all: show one account's resources (no new poll)",
    ),
    (
        "region",
        "region REGION|all: show one region's resources (no new poll)",
    ),
    (
        "timeline",
        "timeline [TEXT]: the recorded changes, newest first (Enter: the resource)",
    ),
    (
        "topology",
        "topology: the tree from on-prem to VPCs (Enter: the resource, ←/→ fold, p path, b blast radius)",
    ),
    (
        "path",
        "path [SRC] DST [tcp|udp PORT | icmp]: trace from SRC (default: the selected row) to DST and back; with a port, through network ACLs and security groups",
    ),
    (
        "impact",
        "impact [ID]: blast radius of a VIF, connection, LAG, device or location",
    ),
    (
        "lookup",
        "lookup IP|CIDR: who owns it, every route table's longest match, who advertises it",
    ),
    (
        "intents",
        "intents: every declared intent, held, broken or unknown, and what breaks it",
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
    /// Narrows every table to the account and region of [`App::scope_filter`] and says so.
    pub(crate) fn apply_scope_filter(&mut self) {
        let f = self.scope_filter.clone();
        for v in self.views.values_mut() {
            v.scope = (f.account.clone(), f.region.clone());
            v.apply_filter();
        }
        let text = self.scope_filter_label().map_or_else(
            || "showing every account and region".to_string(),
            |l| format!("showing {l} only (:account all, :region all to widen)"),
        );
        self.set_status(text, false);
    }

    /// `account-name/region`, `account-name` or `region` when the view is narrowed.
    pub fn scope_filter_label(&self) -> Option<String> {
        let f = &self.scope_filter;
        let account = f.account.as_deref().map(|a| self.estate.account_name(a));
        match (account, f.region.as_deref()) {
            (None, None) => None,
            (Some(a), None) => Some(format!("account {a}")),
            (None, Some(r)) => Some(format!("region {r}")),
            (Some(a), Some(r)) => Some(format!("account {a} in {r}")),
        }
    }

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
            c if c == "sort" || c.starts_with("sort ") => self.sort_command(c),
            c if c == "account" || c.starts_with("account ") => self.account_command(c),
            c if c == "region" || c.starts_with("region ") => self.region_command(c),
            "topology" => {
                self.mode = Mode::Topology {
                    selected: 0,
                    collapsed: Default::default(),
                };
                vec![]
            }
            c if c == "path" || c.starts_with("path ") => self.path_command(c),
            c if c == "impact" || c.starts_with("impact ") => {
                match c.split_whitespace().nth(1) {
                    Some(id) => {
                        let id = id.to_string();
                        self.show_impact(&id)
                    }
                    None => self.impact_of_selection(),
                }
                vec![]
            }
            "intents" => {
                self.show_intents();
                vec![]
            }
            c if c == "lookup" || c.starts_with("lookup ") => {
                let target = c.trim_start_matches("lookup").trim().to_string();
                self.show_lookup(&target);
                vec![]
            }
            c if c == "timeline" || c.starts_with("timeline ") => {
                let filter = c.trim_start_matches("timeline").trim().to_string();
                if let Err(why) = &self.history_db
                    && self.timeline.is_empty()
                {
                    self.set_status(format!("no changes seen yet; {why}"), false);
                }
                self.mode = Mode::Timeline {
                    selected: 0,
                    filter,
                };
                vec![]
            }
            "journal" => {
                self.mode = Mode::Journal {
                    entries: None,
                    scroll: 0,
                    full: false,
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

    /// `:sort COLUMN`.
    fn sort_command(&mut self, c: &str) -> Vec<Effect> {
        let want = c.trim_start_matches("sort").trim().to_uppercase();
        let Some(t) = self.current_table() else {
            self.set_status(":sort works on a table", true);
            return vec![];
        };
        let headers: Vec<&str> = crate::view::table::scope_columns(&self.estate)
            .iter()
            .map(|c| c.0)
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

    /// `:account NAME|ID|all`: narrow every view to one account.
    fn account_command(&mut self, c: &str) -> Vec<Effect> {
        let want = c.trim_start_matches("account").trim();
        let known: Vec<(String, String)> = self
            .estate
            .scope_accounts()
            .into_iter()
            .map(|id| (self.estate.account_name(&id).to_string(), id))
            .collect();
        let pick = if want.eq_ignore_ascii_case("all") {
            Some(None)
        } else {
            known
                .iter()
                .find(|(n, id)| !want.is_empty() && (id == want || n.eq_ignore_ascii_case(want)))
                .map(|(_, id)| Some(id.clone()))
        };
        match pick {
            Some(a) => {
                self.scope_filter.account = a;
                self.apply_scope_filter();
            }
            None => {
                let list: Vec<String> = known
                    .iter()
                    .map(|(n, id)| {
                        if n == id {
                            id.clone()
                        } else {
                            format!("{n} ({id})")
                        }
                    })
                    .collect();
                self.set_status(
                    format!(":account NAME|ID|all — one of: {}", list.join(", ")),
                    true,
                )
            }
        }
        vec![]
    }

    /// `:region REGION|all`: narrow every view to one region.
    fn region_command(&mut self, c: &str) -> Vec<Effect> {
        let want = c.trim_start_matches("region").trim();
        let known = self.estate.region_names();
        if want.eq_ignore_ascii_case("all") {
            self.scope_filter.region = None;
            self.apply_scope_filter();
        } else if known.iter().any(|r| r == want) {
            self.scope_filter.region = Some(want.to_string());
            self.apply_scope_filter();
        } else {
            self.set_status(
                format!(":region REGION|all — one of: {}", known.join(", ")),
                true,
            );
        }
        vec![]
    }

    /// `:path [SRC] DST [tcp|udp PORT | tcp/PORT | icmp]`.
    fn path_command(&mut self, c: &str) -> Vec<Effect> {
        let mut args: Vec<String> = c.split_whitespace().skip(1).map(str::to_string).collect();
        let flow = match path_flow(&mut args) {
            Ok(f) => f,
            Err(e) => {
                self.set_status(e, true);
                return vec![];
            }
        };
        match args.as_slice() {
            [] => self.path_from_selection(),
            [dst] => match self.selected_row_target() {
                Some(d) => self.show_path(&d.id, Some(dst), flow),
                None => self.set_status("select a source row, or :path SRC DST", true),
            },
            [src, dst] => self.show_path(src, Some(dst), flow),
            _ => self.set_status("usage: :path [SRC] DST [tcp|udp PORT | icmp]", true),
        }
        vec![]
    }
}

/// Takes a trailing protocol and port off `:path`'s arguments (`tcp 443`, `tcp/443`, `icmp`).
fn path_flow(args: &mut Vec<String>) -> Result<Option<crate::graph::path::Flow>, String> {
    use crate::graph::path::{Flow, Protocol};
    let n = args.len();
    let (proto, port, take) = match args.as_slice() {
        [.., p, port] if Protocol::parse(p).is_ok() && port.parse::<u16>().is_ok() => {
            (p.clone(), port.parse::<u16>().ok(), 2)
        }
        [.., last] => match last.split_once('/') {
            Some((p, port)) if Protocol::parse(p).is_ok() => {
                let port = port
                    .parse::<u16>()
                    .map_err(|_| format!("{port:?} is not a port (1-65535)"))?;
                (p.to_string(), Some(port), 1)
            }
            _ if Protocol::parse(last).is_ok() && !last.chars().all(|c| c.is_ascii_digit()) => {
                (last.clone(), None, 1)
            }
            _ => return Ok(None),
        },
        [] => return Ok(None),
    };
    let flow = Flow::new(Some(&proto), port)?;
    args.truncate(n - take);
    Ok(flow)
}

/// Editing the command line and the filter: keys, history recall, completion.
impl App {
    /// Applies an editing request to the command line or filter.
    pub(crate) fn edit_input(&mut self, req: tui_input::InputRequest) {
        let mut i =
            tui_input::Input::new(std::mem::take(&mut self.input)).with_cursor(self.input_cursor);
        i.handle(req);
        self.input_cursor = i.cursor();
        self.input = i.value().to_string();
    }

    /// `↑`/`↓` in the command line: the previous / next command run.
    pub(crate) fn recall(&mut self, delta: isize) {
        if self.history.is_empty() {
            return;
        }
        let pos =
            (self.history_pos as isize + delta).clamp(0, self.history.len() as isize) as usize;
        self.history_pos = pos;
        self.input = self.history.get(pos).cloned().unwrap_or_default();
        self.input_cursor = self.input.chars().count();
    }

    /// Tab in the command line: completes the command being typed when one command starts
    /// with it, else lists the candidates in the status line.
    pub(crate) fn complete(&mut self) {
        let typed = self.input.trim_start_matches(':').to_string();
        let names = command_names();
        let matches: Vec<&str> = names
            .iter()
            .copied()
            .filter(|c| c.starts_with(&typed))
            .collect();
        match matches.as_slice() {
            [one] => {
                self.input = one.to_string();
                self.input_cursor = self.input.chars().count();
            }
            [] => self.set_status(format!("no command starts with {typed:?}"), true),
            many => {
                // Complete as far as the candidates agree.
                let mut common = many[0].to_string();
                for m in &many[1..] {
                    while !m.starts_with(&common) {
                        common.pop();
                    }
                }
                if common.len() > typed.len() {
                    self.input = common;
                    self.input_cursor = self.input.chars().count();
                }
                self.set_status(format!(":{}", many.join(" :")), false);
            }
        }
    }
}
