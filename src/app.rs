//! App state and the pure [`update`] function: `update(&mut app, action)` changes only the
//! state and returns [`Effect`]s for the runtime to carry out (poll now, fetch domains,
//! quit). It never touches the network or the terminal, so it is unit-tested directly.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::{Action, Pane};
use crate::findings::{self, Finding, Severity};
use crate::model::{ApiError, Estate, ResourceKind, Service, Timestamp};
use crate::source::SourceMsg;
use crate::view::Tone;
use crate::view::table::WorkflowTables;
use crate::view::table::{TableId, TableView};
use crate::workflows::exec::Outcome;
use crate::workflows::form::Form;
use crate::workflows::journal::Journal;
use crate::workflows::{Intent, Plan, Target, WorkflowKind, form_for, plan_for};

/// How the session was started; shown in the header.
#[derive(Clone, Debug, Default)]
pub struct Session {
    /// `--write` was given: mutating workflows may build their calls.
    pub write: bool,
    /// Running on the embedded demo estate.
    pub demo: bool,
    pub profile: Option<String>,
    /// The account id the credentials belong to (sts GetCallerIdentity), when known.
    pub account: Option<String>,
    pub regions: Vec<String>,
    /// Poll interval (`--refresh`).
    pub refresh: Duration,
    /// The change journal (`--journal`).
    pub journal: std::path::PathBuf,
    /// The resolved key bindings (defaults and the config file's `[keys]`).
    pub keymap: crate::config::keymap::Keymap,
    /// Mouse: click selects a row, the wheel scrolls (config `ui.mouse`).
    pub mouse: bool,
    /// EC2 `DryRun` requests may go while the plan is on screen: `--write` against AWS's own
    /// endpoints. Off with an endpoint override (emulators such as moto apply some `DryRun`
    /// requests), in which case the dry run goes only after confirmation.
    pub dry_run_in_plan: bool,
}

/// What the keyboard is talking to.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    Normal,
    /// Typing a `:` command.
    Command,
    /// Typing a `/` filter for the current table.
    Filter,
    /// The details overlay of one resource.
    Details(Details),
    Help {
        scroll: u16,
    },
    /// A change workflow in progress.
    Workflow(Box<WorkflowUi>),
    /// One finding's evidence, remediation and reference (`Enter` on the findings table).
    Finding(FindingRef),
    /// The change journal (`None` while it is read).
    Journal {
        entries: Option<Result<Journal, String>>,
        scroll: u16,
    },
}

/// A workflow on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkflowUi {
    pub kind: WorkflowKind,
    pub target: Target,
    pub form: Form,
    pub stage: Stage,
    pub intent: Intent,
    /// The last validation or confirmation error (names the field).
    pub error: Option<String>,
}

/// Where a workflow is.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    Form,
    /// The plan, what was typed to confirm it, and where its EC2 dry run is.
    Plan {
        plan: Plan,
        typed: String,
        dry_run: DryRunVerdict,
    },
    Running {
        plan: Plan,
    },
    Done {
        plan: Plan,
        outcome: Outcome,
    },
}

/// Where a plan's EC2 `DryRun` request is, as the plan screen shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum DryRunVerdict {
    /// Not an EC2 call: EC2 is the only API here with `DryRun`.
    NotApplicable,
    /// Sent after confirmation instead (why: a custom endpoint, read-only mode, the demo).
    AfterConfirmation(String),
    /// Sent; waiting for AWS's answer.
    Waiting,
    /// AWS answered `DryRunOperation`: the call would succeed.
    WouldSucceed,
    /// AWS refused the dry run with this error code and message.
    Refused { code: String, message: String },
}

/// Which finding the finding overlay shows: its rule code, first resource and title.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingRef {
    pub code: String,
    pub region: String,
    pub kind: ResourceKind,
    pub id: String,
    pub title: String,
    pub scroll: u16,
}

/// Which resource the details overlay shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Details {
    pub region: String,
    pub kind: ResourceKind,
    pub id: String,
    pub scroll: u16,
    /// Show the model's JSON of the resource (secrets masked) instead of the fields.
    pub raw: bool,
}

/// Work for the runtime, returned by [`update`].
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Quit,
    /// Poll every source now.
    Refresh,
    /// Read a DNS Firewall domain list's domains (ListFirewallDomains).
    FetchDomains {
        region: String,
        list_id: String,
    },
    /// Send a plan's call and journal it.
    Execute(Box<Plan>),
    /// Send a plan's EC2 call with `DryRun` while the plan is on screen.
    DryRun(Box<Plan>),
    /// Read the change journal.
    LoadJournal,
    /// Put text on the clipboard (OSC 52: works in tmux and over SSH).
    Copy(String),
}

/// A message in the footer.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
    /// When it was set; it expires [`STATUS_TTL_SECS`] later.
    pub at: Timestamp,
}

/// Milliseconds a plan must have been on screen before a key can confirm it.
pub const PLAN_ARM_MS: u64 = 400;

/// Seconds a status message stays in the footer.
pub const STATUS_TTL_SECS: i64 = 10;

/// The whole UI state.
pub struct App {
    pub estate: Estate,
    pub session: Session,
    pub pane: Pane,
    tabs: HashMap<Pane, usize>,
    views: HashMap<TableId, TableView>,
    empty_view: TableView,
    /// Selected row of the overview.
    pub overview_selected: usize,
    pub mode: Mode,
    /// Text typed into the command line or filter.
    pub input: String,
    /// Cursor position in `input`, in characters.
    pub input_cursor: usize,
    /// When the plan now on screen was first drawn (set by the event loop): keys that arrive
    /// sooner than [`PLAN_ARM_MS`] after it were typed ahead and confirm nothing.
    pub plan_shown: Option<std::time::Instant>,
    /// Where the current table's rows were last drawn: (x, y, width, height) of the body, and
    /// the first row drawn (set by the UI, read by mouse clicks).
    pub table_body: Option<((u16, u16, u16, u16), usize)>,
    /// Commands run from the `:` line, oldest first (`↑`/`↓` recall them).
    pub history: Vec<String>,
    /// Position in `history` while recalling (`history.len()`: a new line).
    pub history_pos: usize,
    pub status: Option<Status>,
    /// Wall-clock time of the last tick (render never reads the clock itself).
    pub now: Timestamp,
    /// Pollers with a poll in flight.
    /// Pollers with a poll in flight, and when it started (wall clock of the message).
    pub polling: BTreeMap<(String, Service), Timestamp>,
    pub should_quit: bool,
    /// Findings of the current model, most severe first (recomputed when the model changes).
    pub findings: Vec<Finding>,
    /// The model revision the findings were computed at.
    findings_at: Option<u64>,
    worst: HashMap<(String, ResourceKind, String), Severity>,
}

impl App {
    pub fn new(session: Session, now: Timestamp) -> App {
        let estate = Estate::with_regions(&session.regions);
        App {
            estate,
            session,
            pane: Pane::Overview,
            tabs: HashMap::new(),
            views: HashMap::new(),
            empty_view: TableView::default(),
            overview_selected: 0,
            mode: Mode::Normal,
            input: String::new(),
            input_cursor: 0,
            plan_shown: None,
            table_body: None,
            history: Vec::new(),
            history_pos: 0,
            status: None,
            now,
            polling: BTreeMap::new(),
            should_quit: false,
            findings: Vec::new(),
            findings_at: None,
            worst: HashMap::new(),
        }
    }

    /// The table shown by the current pane (None on the overview).
    pub fn current_table(&self) -> Option<TableId> {
        let tables = TableId::of(self.pane);
        let i = self.tabs.get(&self.pane).copied().unwrap_or(0);
        tables.get(i.min(tables.len().saturating_sub(1))).copied()
    }

    /// The current table; on the overview, the first DX table.
    pub fn table(&self) -> TableId {
        self.current_table().unwrap_or(TableId::DxConnections)
    }

    pub fn view(&self, t: TableId) -> &TableView {
        self.views.get(&t).unwrap_or(&self.empty_view)
    }

    pub fn view_mut(&mut self, t: TableId) -> &mut TableView {
        self.views.entry(t).or_default()
    }

    /// Brings the findings and the current table's rows and markers up to date with the
    /// model (call before drawing; cheap when nothing changed).
    pub fn sync(&mut self) {
        let rev = self.estate.revision;
        if self.findings_at != Some(rev) {
            self.findings = findings::evaluate(&self.estate);
            self.worst = findings::worst_by_resource(&self.findings);
            self.findings_at = Some(rev);
        }
        if let Some(t) = self.current_table() {
            let view = self.views.entry(t).or_default();
            if t == TableId::Findings {
                if view.built_at != Some(rev) {
                    view.set_rows(crate::view::panes::findings::rows(&self.findings), rev);
                }
            } else {
                view.sync(t, &self.estate);
                view.mark(&self.worst, rev);
            }
        }
    }

    /// The finding a [`FindingRef`] names, if it still holds.
    pub fn finding(&self, r: &FindingRef) -> Option<&Finding> {
        self.findings.iter().find(|f| {
            f.code == r.code
                && f.title == r.title
                && f.resources
                    .first()
                    .is_some_and(|x| x.region == r.region && x.id == r.id)
        })
    }

    /// The findings about one resource, most severe first.
    pub fn findings_about(&self, region: &str, kind: ResourceKind, id: &str) -> Vec<&Finding> {
        self.findings
            .iter()
            .filter(|f| {
                f.resources
                    .iter()
                    .any(|x| x.region == region && x.kind == kind && x.id == id)
            })
            .collect()
    }

    /// Findings by severity for the resource kinds of one overview row.
    pub fn findings_for(
        &self,
        kinds: &[ResourceKind],
    ) -> std::collections::BTreeMap<Severity, usize> {
        findings::count_by_severity(
            self.findings
                .iter()
                .filter(|f| f.resources.first().is_some_and(|r| kinds.contains(&r.kind))),
        )
    }

    /// Freshness over every kind: the oldest region-kind that was read.
    pub fn freshness_overall(&self) -> (String, Tone) {
        ResourceKind::ALL
            .iter()
            .map(|&k| self.freshness(k))
            .find(|(t, _)| t.starts_with("ERROR") || t.starts_with("STALE"))
            .unwrap_or_else(|| self.freshness(ResourceKind::DxConnections))
    }

    /// Goes to the table listing a resource and selects it (from the findings pane).
    pub fn jump_to(&mut self, region: &str, kind: ResourceKind, id: &str) -> bool {
        let Some((pane, table)) = TableId::listing(kind) else {
            return false;
        };
        let tab = TableId::of(pane)
            .iter()
            .position(|t| *t == table)
            .unwrap_or(0);
        self.tabs.insert(pane, tab);
        self.goto(pane);
        let view = self.view_mut(table);
        view.filter.clear();
        view.only_findings = false;
        view.apply_filter();
        match view
            .visible
            .iter()
            .position(|&i| view.rows[i].region == region && view.rows[i].id == id)
        {
            Some(pos) => {
                view.selected = pos;
                true
            }
            None => false,
        }
    }

    /// Errors of one kind, per region.
    pub fn errors_for(&self, kind: ResourceKind) -> Vec<(String, ApiError)> {
        self.estate
            .regions
            .iter()
            .filter_map(|(name, r)| r.status(kind).error.map(|e| (name.clone(), e.clone())))
            .collect()
    }

    /// "refreshed 12s ago" (or loading / STALE / ERROR) for a kind, with its style.
    /// The oldest region counts; data is stale after two missed polls.
    pub fn freshness(&self, kind: ResourceKind) -> (String, Tone) {
        let statuses: Vec<_> = self
            .estate
            .regions
            .values()
            .map(|r| r.status(kind))
            .collect();
        if statuses.is_empty()
            || statuses
                .iter()
                .all(|s| s.refreshed_at.is_none() && s.error.is_none())
        {
            return ("loading…".into(), Tone::Muted);
        }
        let oldest = statuses.iter().filter_map(|s| s.refreshed_at).min();
        let errored = statuses.iter().any(|s| s.error.is_some());
        let age = oldest.map(|t| (self.now - t).num_seconds().max(0) as u64);
        let stale_after = self.stale_after_secs();
        let ago = age
            .map(|a| format!("{} ago", human_age(a)))
            .unwrap_or_else(|| "never read".into());
        // A poll of this kind's service that has run longer than an interval without reading
        // it yet: say what it waits for, instead of calling slow data stale.
        let waiting =
            self.polling
                .iter()
                .filter(|((region, svc), started)| {
                    *svc == kind.service()
                        && self.estate.regions.get(region).is_some_and(|r| {
                            r.status(kind).refreshed_at.is_none_or(|t| t < **started)
                        })
                })
                .map(|(_, started)| (self.now - *started).num_seconds().max(0) as u64)
                .max()
                .filter(|w| *w >= self.session.refresh.as_secs().clamp(1, 10));
        if let Some(w) = waiting
            && !errored
        {
            return (
                format!(
                    "waiting ({}) for {} · last good {ago}",
                    human_age(w),
                    kind.operations()[0]
                ),
                Tone::Pending,
            );
        }
        if errored {
            (format!("ERROR · last good {ago}"), Tone::Error)
        } else if age.is_some_and(|a| a > stale_after) {
            (format!("STALE · refreshed {ago}"), Tone::Stale)
        } else {
            (format!("refreshed {ago}"), Tone::Fresh)
        }
    }

    /// Applies an editing request to the command line or filter.
    fn edit_input(&mut self, req: tui_input::InputRequest) {
        let mut i =
            tui_input::Input::new(std::mem::take(&mut self.input)).with_cursor(self.input_cursor);
        i.handle(req);
        self.input_cursor = i.cursor();
        self.input = i.value().to_string();
    }

    /// `↑`/`↓` in the command line: the previous / next command run.
    fn recall(&mut self, delta: isize) {
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
    fn complete(&mut self) {
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

    /// Whether the plan on screen may take a confirmation key now: it has been drawn, and
    /// for [`PLAN_ARM_MS`] — keys read sooner were typed ahead, before anyone read the plan.
    pub fn plan_armed(&self, now: std::time::Instant) -> bool {
        self.plan_shown
            .is_some_and(|t| now.duration_since(t) >= std::time::Duration::from_millis(PLAN_ARM_MS))
    }

    /// Whether a workflow plan awaits confirmation.
    pub fn in_plan(&self) -> bool {
        matches!(&self.mode, Mode::Workflow(w) if matches!(w.stage, Stage::Plan { .. }))
    }

    /// Called after each frame: notes when a plan was first shown, forgets it when gone.
    pub fn drawn(&mut self, now: std::time::Instant) {
        if self.in_plan() {
            self.plan_shown.get_or_insert(now);
        } else {
            self.plan_shown = None;
        }
    }

    /// Data older than this many seconds is stale: two poll intervals and a margin.
    pub fn stale_after_secs(&self) -> u64 {
        self.session.refresh.as_secs().max(1) * 2 + 5
    }

    fn set_status(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
            at: self.now,
        });
    }

    fn selected_row_target(&self) -> Option<Details> {
        let t = self.current_table()?;
        let row = self.view(t).selected_row()?;
        Some(Details {
            region: row.region.clone(),
            kind: row.kind,
            id: row.id.clone(),
            scroll: 0,
            raw: false,
        })
    }

    fn goto(&mut self, pane: Pane) {
        self.pane = pane;
        self.mode = Mode::Normal;
        self.sync();
    }

    fn run_command(&mut self, cmd: &str) -> Vec<Effect> {
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

    /// Opens a workflow on the selected row, or says why it cannot.
    fn start_workflow(&mut self, kind: WorkflowKind) -> Vec<Effect> {
        let table = self.current_table();
        if !table.is_some_and(|t| kind.tables().contains(&t)) {
            let where_ = kind
                .tables()
                .iter()
                .map(|t| t.title())
                .collect::<Vec<_>>()
                .join(", ");
            self.set_status(
                format!(":{} works on the selected row of: {where_}", kind.command()),
                true,
            );
            return vec![];
        }
        if kind.mutating() && !self.session.write {
            self.set_status(format!("{} is a change and crossconnect is read-only: start it with --write (nothing was sent)", kind.title()), true);
            return vec![];
        }
        let row = table.and_then(|t| self.view(t).selected_row().cloned());
        let target = Target {
            region: row
                .as_ref()
                .map(|r| r.region.clone())
                .or_else(|| self.session.regions.first().cloned())
                .unwrap_or_default(),
            resource: row.map(|r| (r.kind, r.id)),
            caller_account: self.session.account.clone(),
        };
        match form_for(kind, &self.estate, &target) {
            Ok(form) => {
                self.status = None;
                let empty = form.fields.is_empty();
                self.mode = Mode::Workflow(Box::new(WorkflowUi {
                    kind,
                    target,
                    form,
                    stage: Stage::Form,
                    intent: Intent::new(),
                    error: None,
                }));
                if empty {
                    self.workflow_submit()
                } else {
                    vec![]
                }
            }
            Err(why) => {
                self.set_status(format!("{}: {why}", kind.title()), true);
                vec![]
            }
        }
    }

    /// Enter in a workflow: validate → plan; confirm → execute; close when done.
    fn workflow_submit(&mut self) -> Vec<Effect> {
        let Mode::Workflow(w) = &mut self.mode else {
            return vec![];
        };
        match &mut w.stage {
            Stage::Form => match plan_for(w.kind, &self.estate, &w.target, &w.form, &w.intent) {
                Ok(plan) => {
                    w.error = None;
                    let dry_run = if !plan.dry_run {
                        DryRunVerdict::NotApplicable
                    } else if self.session.demo {
                        DryRunVerdict::AfterConfirmation("the demo estate".into())
                    } else if !self.session.write {
                        DryRunVerdict::AfterConfirmation("read-only mode".into())
                    } else if !self.session.dry_run_in_plan {
                        DryRunVerdict::AfterConfirmation(
                            "custom EC2 endpoint; emulators such as moto may apply DryRun requests"
                                .into(),
                        )
                    } else {
                        DryRunVerdict::Waiting
                    };
                    let effects = if dry_run == DryRunVerdict::Waiting {
                        vec![Effect::DryRun(Box::new(plan.clone()))]
                    } else {
                        vec![]
                    };
                    w.stage = Stage::Plan {
                        plan,
                        typed: String::new(),
                        dry_run,
                    };
                    effects
                }
                Err(e) => {
                    w.error = Some(format!("{e} — nothing was sent"));
                    vec![]
                }
            },
            Stage::Plan { plan, typed, .. } => {
                if plan.destructive && typed.trim() != plan.confirm_with {
                    w.error = Some(format!("type {} exactly to confirm", plan.confirm_with));
                    return vec![];
                }
                let plan = plan.clone();
                w.error = None;
                w.stage = Stage::Running { plan: plan.clone() };
                vec![Effect::Execute(Box::new(plan))]
            }
            Stage::Running { .. } => vec![],
            Stage::Done { .. } => {
                self.mode = Mode::Normal;
                vec![]
            }
        }
    }

    fn move_selection(&mut self, delta: isize, page: bool) {
        let delta = if page { delta * 20 } else { delta };
        match &mut self.mode {
            Mode::Details(d) => {
                d.scroll = (d.scroll as isize + delta).clamp(0, u16::MAX as isize) as u16
            }
            Mode::Help { scroll } | Mode::Finding(FindingRef { scroll, .. }) => {
                *scroll = (*scroll as isize + delta).clamp(0, u16::MAX as isize) as u16
            }
            _ => match self.current_table() {
                Some(t) => self.view_mut(t).move_by(delta),
                None => {
                    let last = crate::view::overview::ROWS.len() as isize - 1;
                    self.overview_selected =
                        (self.overview_selected as isize + delta).clamp(0, last) as usize;
                }
            },
        }
    }
}

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

/// `42s`, `5m`, `3h`, `2d`.
pub fn human_age(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

/// Applies one action to the state; returns what the runtime must do.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if let Mode::Workflow(w) = &mut app.mode {
        match (&mut w.stage, &action) {
            (_, Action::Quit | Action::Tick(_) | Action::Source(_)) => {}
            (Stage::Running { .. }, _) => return vec![],
            (_, Action::Back) => {
                let running = matches!(w.stage, Stage::Done { .. });
                app.mode = Mode::Normal;
                if !running {
                    app.set_status("cancelled: nothing was sent", false);
                }
                return vec![];
            }
            (_, Action::Submit) => return app.workflow_submit(),
            (Stage::Form, Action::Input(c)) => {
                w.form.input(*c);
                return vec![];
            }
            (Stage::Form, Action::Backspace) => {
                w.form.backspace();
                return vec![];
            }
            (Stage::Form, Action::Edit(req)) => {
                w.form.edit(*req);
                return vec![];
            }
            (Stage::Form, Action::Paste(text)) => {
                if let Some(note) = w.form.paste(text) {
                    app.set_status(note, false);
                }
                return vec![];
            }
            (Stage::Plan { .. }, Action::Paste(_)) => {
                app.set_status(
                    "a paste never confirms a plan: nothing was sent (type the confirmation)",
                    true,
                );
                return vec![];
            }
            (Stage::Form, Action::Cycle(d)) => {
                w.form.cycle(*d as isize);
                let key = w
                    .form
                    .fields
                    .get(w.form.focus)
                    .map(|f| f.key)
                    .unwrap_or_default();
                crate::workflows::on_change(w.kind, &app.estate, &w.target, &mut w.form, key);
                return vec![];
            }
            (Stage::Form, Action::NextTab | Action::Down) => {
                w.form.next();
                return vec![];
            }
            (Stage::Form, Action::PrevTab | Action::Up) => {
                w.form.prev();
                return vec![];
            }
            (Stage::Plan { plan, typed, .. }, Action::Input(c)) => {
                if plan.destructive {
                    typed.push(*c);
                } else if *c == 'y' {
                    return app.workflow_submit();
                } else if *c == 'n' {
                    // Back to the form, values kept.
                    w.stage = Stage::Form;
                    w.error = None;
                    app.set_status("back to the form: nothing was sent", false);
                }
                return vec![];
            }
            (Stage::Plan { typed, .. }, Action::Backspace) => {
                typed.pop();
                return vec![];
            }
            (Stage::Done { plan, outcome }, Action::Input('y')) if !outcome.success => {
                // Retry the same plan: same intent, same CreatorRequestId.
                let plan = plan.clone();
                w.stage = Stage::Running { plan: plan.clone() };
                return vec![Effect::Execute(Box::new(plan))];
            }
            _ => return vec![],
        }
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
                    .regions
                    .get(&d.region)
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
                let v = app.view_mut(t);
                let n = v.rows.first().map(|r| r.cells.len()).unwrap_or(0);
                v.cycle_sort(n);
                let msg = match v.sort {
                    None => "unsorted (the order AWS returned)".to_string(),
                    Some((c, desc)) => format!(
                        "sorted by column {} {}",
                        c + 1,
                        if desc { "descending" } else { "ascending" }
                    ),
                };
                app.set_status(msg, false);
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
        Action::Source(msg) => match msg {
            SourceMsg::Update(u) => app.estate.apply(u),
            SourceMsg::Polling {
                region,
                service,
                active,
            } => {
                if active {
                    app.polling.insert((region, service), app.now);
                } else {
                    app.polling.remove(&(region, service));
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
                if let Mode::Workflow(w) = &mut app.mode
                    && w.intent.id == intent
                    && let Stage::Running { plan } = &w.stage
                {
                    refresh = success && plan.workflow.mutating();
                    w.stage = Stage::Done {
                        plan: plan.clone(),
                        outcome: outcome.clone(),
                    };
                }
                let text = if success {
                    format!("done: {}", outcome.message)
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
        },
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
            KeyCode::Down if form => Some(Action::Down),
            KeyCode::Up if form => Some(Action::Up),
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
        && let Some(n) = d
            .to_digit(10)
            .filter(|n| (1..=Pane::ALL.len() as u32).contains(n))
    {
        return Some(Action::GotoPane(Pane::ALL[n as usize - 1]));
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn demo_app() -> App {
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
            .unwrap();
        let session = Session {
            demo: true,
            regions: crate::demo::REGIONS.map(String::from).to_vec(),
            refresh: Duration::from_secs(5),
            ..Default::default()
        };
        let mut app = App::new(session, now);
        for u in crate::demo::updates(0, now, &[]) {
            update(&mut app, Action::Source(SourceMsg::Update(u)));
        }
        app
    }

    fn keys(app: &mut App, s: &str) -> Vec<Effect> {
        let mut effects = vec![];
        for c in s.chars() {
            let code = match c {
                '\n' => KeyCode::Enter,
                '\x1b' => KeyCode::Esc,
                '\t' => KeyCode::Tab,
                c => KeyCode::Char(c),
            };
            if let Some(a) = key_action(app, KeyEvent::new(code, KeyModifiers::NONE)) {
                effects.extend(update(app, a));
            }
        }
        effects
    }

    #[test]
    fn commands_switch_panes_and_unknown_ones_say_so() {
        let mut app = demo_app();
        keys(&mut app, ":tgw\n");
        assert_eq!(app.pane, Pane::Tgw);
        keys(&mut app, ":firewall\n");
        assert_eq!(app.pane, Pane::Firewall);
        keys(&mut app, ":nope\n");
        assert_eq!(app.pane, Pane::Firewall);
        assert!(app.status.as_ref().unwrap().error);
        assert!(app.status.as_ref().unwrap().text.contains(":nope"));
        assert_eq!(keys(&mut app, ":q\n"), vec![Effect::Quit]);
    }

    #[test]
    fn digits_tabs_and_navigation() {
        let mut app = demo_app();
        keys(&mut app, "2");
        assert_eq!(app.current_table(), Some(TableId::DxConnections));
        keys(&mut app, "jjG");
        let v = app.view(TableId::DxConnections);
        assert_eq!(v.selected, v.visible.len() - 1);
        keys(&mut app, "g");
        assert_eq!(app.view(TableId::DxConnections).selected, 0);
        keys(&mut app, "\t");
        assert_eq!(app.current_table(), Some(TableId::DxLags));
    }

    #[test]
    fn filter_narrows_rows_live_and_esc_clears() {
        let mut app = demo_app();
        keys(&mut app, "6");
        keys(&mut app, "lll"); // routes tab
        assert_eq!(app.current_table(), Some(TableId::TgwRoutes));
        let all = app.view(TableId::TgwRoutes).visible.len();
        keys(&mut app, "/blackhole");
        let v = app.view(TableId::TgwRoutes);
        assert_eq!(v.visible.len(), 1, "{:?}", v.visible);
        assert!(
            v.selected_row()
                .unwrap()
                .cells
                .contains(&"10.99.0.0/16".to_string())
        );
        keys(&mut app, "\n");
        assert_eq!(app.mode, Mode::Normal);
        assert_eq!(app.view(TableId::TgwRoutes).visible.len(), 1);
        keys(&mut app, "\x1b");
        assert_eq!(app.view(TableId::TgwRoutes).visible.len(), all);
    }

    #[test]
    fn enter_opens_details_and_domain_lists_fetch_on_demand() {
        let mut app = demo_app();
        keys(&mut app, ":firewall\n");
        keys(&mut app, "ll"); // domain lists
        let effects = keys(&mut app, "\n");
        let Mode::Details(d) = &app.mode else {
            panic!("no details: {:?}", app.mode)
        };
        assert_eq!(d.kind, ResourceKind::FirewallDomainLists);
        assert!(matches!(&effects[..], [Effect::FetchDomains { list_id, .. }] if *list_id == d.id));
        keys(&mut app, "\x1b");
        assert_eq!(app.mode, Mode::Normal);
    }

    #[test]
    fn refresh_and_overview_enter() {
        let mut app = demo_app();
        assert_eq!(keys(&mut app, "r"), vec![Effect::Refresh]);
        keys(&mut app, "1j\n");
        assert_eq!(app.pane, crate::view::overview::ROWS[1].0);
    }

    #[test]
    fn findings_pane_lists_by_severity_and_enter_jumps_to_the_resource() {
        let mut app = demo_app();
        keys(&mut app, ":findings\n");
        assert_eq!(app.current_table(), Some(TableId::Findings));
        let v = app.view(TableId::Findings);
        assert_eq!(v.rows.len(), app.findings.len());
        assert!(v.rows.windows(2).all(|w| w[0].severity >= w[1].severity));
        // Select the blackhole route finding and jump.
        keys(&mut app, "/TGW-001\n");
        let row = app.view(TableId::Findings).selected_row().unwrap().clone();
        assert_eq!(row.kind, ResourceKind::TgwRoutes);
        // Enter shows the finding itself, with its evidence; Enter again jumps.
        keys(&mut app, "\n");
        let Mode::Finding(fr) = &app.mode else {
            panic!("Enter opens the finding, got {:?}", app.mode)
        };
        let f = app.finding(fr).expect("the finding is found again");
        assert_eq!(f.code, "TGW-001");
        assert!(f.evidence.values().any(|v| v.contains("10.99.0.0/16")));
        keys(&mut app, "\n");
        assert_eq!(
            (app.pane, app.current_table()),
            (Pane::Tgw, Some(TableId::TgwRoutes))
        );
        let sel = app.view(TableId::TgwRoutes).selected_row().unwrap();
        assert_eq!(sel.id, "tgw-rtb-0a1b2c3d4e5f60001|10.99.0.0/16");
        assert!(
            sel.severity.is_some(),
            "the jumped-to row carries its marker"
        );
    }

    #[test]
    fn f_shows_only_rows_with_findings() {
        let mut app = demo_app();
        keys(&mut app, "2");
        let all = app.view(TableId::DxConnections).visible.len();
        keys(&mut app, "f");
        let v = app.view(TableId::DxConnections);
        assert!(v.visible.len() < all && !v.visible.is_empty());
        assert!(v.visible.iter().all(|&i| v.rows[i].severity.is_some()));
        keys(&mut app, "f");
        assert_eq!(app.view(TableId::DxConnections).visible.len(), all);
    }

    #[test]
    fn freshness_turns_stale_then_error() {
        let mut app = demo_app();
        assert!(
            app.freshness(ResourceKind::VpcPeerings)
                .0
                .starts_with("refreshed 0s")
        );
        let later = app.now + chrono::Duration::seconds(60);
        update(&mut app, Action::Tick(later));
        assert!(
            app.freshness(ResourceKind::VpcPeerings)
                .0
                .starts_with("STALE")
        );
        let err = ApiError {
            operation: "DescribeVpcPeeringConnections".into(),
            code: "AccessDenied".into(),
            message: "no".into(),
        };
        let failed = crate::model::Update::err("us-east-1", ResourceKind::VpcPeerings, later, err);
        update(&mut app, Action::Source(SourceMsg::Update(failed)));
        assert!(
            app.freshness(ResourceKind::VpcPeerings)
                .0
                .starts_with("ERROR")
        );
        assert_eq!(app.errors_for(ResourceKind::VpcPeerings).len(), 1);
        assert!(app.errors_for(ResourceKind::TransitGateways).is_empty());
    }

    /// Opens the accept-peering plan on the demo's pending peering, as a `--write` session
    /// against AWS (`in_plan`) or a custom endpoint.
    fn accept_plan(in_plan: bool) -> (App, Vec<Effect>) {
        let mut app = demo_app();
        app.session.demo = false;
        app.session.write = true;
        app.session.dry_run_in_plan = in_plan;
        update(&mut app, Action::GotoPane(Pane::Peering));
        app.sync();
        let v = app.view_mut(TableId::Peerings);
        v.selected = v
            .visible
            .iter()
            .position(|&i| v.rows[i].id == "pcx-0b22c33d44e55f662")
            .unwrap();
        let effects = keys(&mut app, "a");
        (app, effects)
    }

    /// The add-route form on the first TGW route table, under --write.
    fn add_route_form() -> App {
        let mut app = demo_app();
        app.session.demo = false;
        app.session.write = true;
        update(&mut app, Action::GotoPane(Pane::Tgw));
        while app.current_table() != Some(TableId::TgwRouteTables) {
            update(&mut app, Action::NextTab);
        }
        app.sync();
        keys(&mut app, "c");
        assert!(
            matches!(&app.mode, Mode::Workflow(w) if w.stage == Stage::Form),
            "{:?} {:?}",
            app.mode,
            app.status
        );
        app
    }

    #[test]
    fn a_paste_with_newline_and_y_is_text_in_the_field_and_sends_nothing() {
        let mut app = add_route_form();
        let effects = update(&mut app, Action::Paste("10.99.9.0/24\ny\n".into()));
        assert!(effects.is_empty(), "{effects:?}");
        let Mode::Workflow(w) = &app.mode else {
            panic!()
        };
        assert_eq!(w.stage, Stage::Form, "a paste never submits the form");
        assert_eq!(w.form.get("cidr"), "10.99.9.0/24y");
        assert!(app.status.as_ref().unwrap().text.contains("removed"));
    }

    #[test]
    fn keys_typed_before_the_plan_was_on_screen_confirm_nothing() {
        use crate::event::on_event;
        use crossterm::event::Event;
        let mut app = add_route_form();
        update(&mut app, Action::Paste("10.99.9.0/24".into()));
        let mut dirty = false;
        let key = |c: KeyCode| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
        // Enter submits the form; the Enter and y typed right behind it, before the plan
        // was drawn, do nothing.
        let e = on_event(&mut app, key(KeyCode::Enter), &mut dirty);
        assert!(e.is_empty() && app.in_plan(), "{e:?}");
        for c in [KeyCode::Enter, KeyCode::Char('y')] {
            assert!(on_event(&mut app, key(c), &mut dirty).is_empty());
        }
        // Drawn just now: still too soon.
        app.drawn(std::time::Instant::now());
        assert!(on_event(&mut app, key(KeyCode::Char('y')), &mut dirty).is_empty());
        assert!(app.in_plan());
        // Read for a while, then confirmed: the call goes.
        app.plan_shown = Some(std::time::Instant::now() - std::time::Duration::from_secs(2));
        let e = on_event(&mut app, key(KeyCode::Char('y')), &mut dirty);
        assert!(matches!(e.as_slice(), [Effect::Execute(_)]), "{e:?}");
    }

    #[test]
    fn ctrl_letters_are_not_letters_and_n_returns_to_the_form() {
        let mut app = add_route_form();
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        // Ctrl-A in a text field moves the cursor, it does not type `a`.
        keys(&mut app, "10.9.0.0/16");
        let a = key_action(&app, ctrl('a')).unwrap();
        update(&mut app, a);
        keys(&mut app, "#");
        let Mode::Workflow(w) = &app.mode else {
            panic!()
        };
        assert_eq!(w.form.get("cidr"), "#10.9.0.0/16");
        let a = key_action(&app, ctrl('u')).unwrap();
        update(&mut app, a);
        keys(&mut app, "10.9.0.0/16\n");
        assert!(app.in_plan());
        keys(&mut app, "n");
        let Mode::Workflow(w) = &app.mode else {
            panic!()
        };
        assert_eq!(w.stage, Stage::Form, "n goes back to the form");
        assert_eq!(w.form.get("cidr"), "10.9.0.0/16", "with the values kept");
        // In the normal mode, Ctrl-X is not x (reject-peering) and says so.
        update(&mut app, Action::Back);
        update(&mut app, Action::GotoPane(Pane::Peering));
        let a = key_action(&app, ctrl('x')).unwrap();
        assert_eq!(a, Action::Unbound("Ctrl-x".into()));
        assert!(update(&mut app, a).is_empty());
        assert!(!matches!(app.mode, Mode::Workflow(_)));
    }

    #[test]
    fn adding_a_route_that_exists_is_refused_before_the_plan() {
        let mut app = add_route_form();
        // The first route table (eu-west-2) has a static route to 10.20.0.0/16.
        keys(&mut app, "10.20.0.0/16\n");
        let Mode::Workflow(w) = &app.mode else {
            panic!()
        };
        assert_eq!(w.stage, Stage::Form);
        let err = w.error.clone().unwrap_or_default();
        assert!(
            err.contains("already has") && err.contains("10.20.0.0/16"),
            "{err}"
        );
    }

    #[test]
    fn a_rebound_quit_key_replaces_q_and_y_copies_the_selected_id() {
        let mut app = demo_app();
        let mut o = std::collections::BTreeMap::new();
        o.insert("quit".to_string(), vec!["ctrl-q".to_string()]);
        app.session.keymap =
            crate::config::keymap::Keymap::resolve(&o, &workflow_bindings()).unwrap();
        let q = key_action(&app, KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
        assert_ne!(q, Some(Action::Quit));
        let cq = key_action(
            &app,
            KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL),
        );
        assert_eq!(cq, Some(Action::Quit));
        update(&mut app, Action::GotoPane(Pane::Dx));
        let id = app
            .view(TableId::DxConnections)
            .selected_row()
            .unwrap()
            .id
            .clone();
        let e = keys(&mut app, "y");
        assert_eq!(e, vec![Effect::Copy(id.clone())]);
        assert!(app.status.as_ref().unwrap().text.contains(&id));
        let e = keys(&mut app, "Y");
        let [Effect::Copy(arn)] = e.as_slice() else {
            panic!("{e:?}")
        };
        assert!(
            arn.starts_with("arn:aws:directconnect:") && arn.ends_with(&format!("dxcon/{id}")),
            "{arn}"
        );
    }

    fn dry_run_state(app: &App) -> DryRunVerdict {
        match &app.mode {
            Mode::Workflow(w) => match &w.stage {
                Stage::Plan { dry_run, .. } => dry_run.clone(),
                s => panic!("not a plan: {s:?}"),
            },
            m => panic!("not a workflow: {m:?}"),
        }
    }

    #[test]
    fn the_plan_sends_a_dry_run_on_aws_and_shows_a_refusal() {
        let (mut app, effects) = accept_plan(true);
        assert!(
            matches!(&effects[..], [Effect::DryRun(p)] if p.operation == "AcceptVpcPeeringConnection"),
            "{effects:?}"
        );
        assert_eq!(dry_run_state(&app), DryRunVerdict::Waiting);
        let Mode::Workflow(w) = &app.mode else {
            unreachable!()
        };
        let intent = w.intent.id.clone();
        // An answer for another intent is ignored.
        update(
            &mut app,
            Action::Source(SourceMsg::DryRunDone {
                intent: "someone-else".into(),
                outcome: Default::default(),
            }),
        );
        assert_eq!(dry_run_state(&app), DryRunVerdict::Waiting);
        update(
            &mut app,
            Action::Source(SourceMsg::DryRunDone {
                intent,
                outcome: crate::workflows::exec::Outcome {
                    code: Some("UnauthorizedOperation".into()),
                    message: "You are not authorized to perform this operation.".into(),
                    ..Default::default()
                },
            }),
        );
        assert_eq!(
            dry_run_state(&app),
            DryRunVerdict::Refused {
                code: "UnauthorizedOperation".into(),
                message: "You are not authorized to perform this operation.".into()
            }
        );
    }

    #[test]
    fn with_a_custom_endpoint_the_dry_run_waits_for_confirmation() {
        let (app, effects) = accept_plan(false);
        assert!(effects.is_empty(), "{effects:?}");
        assert!(matches!(
            dry_run_state(&app),
            DryRunVerdict::AfterConfirmation(why) if why.contains("custom EC2 endpoint")
        ));
    }
}
