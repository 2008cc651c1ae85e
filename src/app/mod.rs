//! App state and the pure [`update`] function: `update(&mut app, action)` changes only the
//! state and returns [`Effect`]s for the runtime to carry out (poll now, fetch domains,
//! quit). It never touches the network or the terminal, so it is unit-tested directly.
//!
//! - `mod.rs`: the state ([`App`], [`Session`], [`Mode`]) and its queries;
//! - `update.rs`: [`update`], one arm per action;
//! - `workflow.rs`: the workflow state machine (form → plan → confirm → result);
//! - `command.rs`: the `:` command line (commands, history, completion);
//! - `keys.rs`: keys → actions through the resolved keymap.

mod actions;
mod apart;
mod command;
mod graph;
mod keys;
mod queries;
mod session;
pub mod settle;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_changes;
mod update;
mod workflow;

pub use apart::Incoming;
pub use command::{OTHER_COMMANDS, command_names};
pub use keys::{key_action, workflow_bindings};
pub use session::Session;
pub use update::update;

use std::collections::{BTreeMap, HashMap};

use crate::action::Pane;
use crate::findings::{Finding, Severity};
use crate::model::{ApiError, Estate, ResourceKind, Service, Timestamp};
use crate::view::Tone;
use crate::view::table::{TableId, TableView};
use crate::workflows::exec::Outcome;
use crate::workflows::form::Form;
use crate::workflows::journal::Journal;
use crate::workflows::{Intent, Plan, Target, WorkflowKind};

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
    /// The recorded changes (`:timeline [TEXT]`), newest first; `selected` indexes the
    /// filtered list.
    Timeline {
        selected: usize,
        filter: String,
    },
    /// The BGP routes of a VIF (`None` while they are read).
    Routes {
        vif: String,
        routes: Option<Result<Vec<crate::model::VifRoute>, crate::model::ApiError>>,
        scroll: u16,
    },
    /// `:topology`: the tree from the on-prem side; `selected` indexes the visible rows,
    /// `collapsed` holds the keys of folded subtrees.
    Topology {
        selected: usize,
        collapsed: std::collections::BTreeSet<String>,
    },
    /// A path trace or a blast radius as text (`p`, `b`, `:path`, `:impact`).
    /// The declared intents (`:intents`); `selected` is the one `Enter` traces.
    Intents {
        selected: usize,
    },
    Report {
        title: String,
        /// Each line with the health it reports (its colour).
        lines: Vec<(String, crate::model::health::Health)>,
        scroll: u16,
        /// The view `Esc` returns to (the topology it was opened from).
        back: Option<Box<Mode>>,
    },
    /// The change journal (`None` while it is read).
    Journal {
        entries: Option<Result<Journal, String>>,
        scroll: u16,
        /// Every line whole (wrapped, with who, ticket and created id); `Enter` toggles.
        full: bool,
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
    /// Lines scrolled past (a plan taller than the screen scrolls with ↓/↑/PgDn/PgUp).
    pub scroll: u16,
    /// A frame drew the plan without its last line (the confirmation prompt) ...
    pub end_cut: bool,
    /// ... and whether a frame has shown that last line since: until then nothing confirms.
    pub end_seen: bool,
    /// When the call was sent (the running view shows how long it has been waiting).
    pub sent_at: Option<Timestamp>,
    /// Something was typed or chosen in the form: `Esc` asks before throwing it away.
    pub touched: bool,
    /// `Esc` was pressed once on a touched form: a second one discards it.
    pub discard_armed: bool,
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

/// The account and region the tables are narrowed to (`:account`, `:region`): a view filter,
/// no new poll.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScopeFilter {
    /// An account id; `None`: every account.
    pub account: Option<String>,
    /// A region; `None`: every region.
    pub region: Option<String>,
}

/// The most events the console keeps in memory for `:timeline`.
pub const TIMELINE_CAP: usize = 20_000;

/// Which resource the details overlay shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Details {
    /// The account the resource was read in (empty: unknown).
    pub account: String,
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
        account: String,
        region: String,
        list_id: String,
    },
    /// Send a plan's call and journal it.
    Execute(Box<Plan>),
    /// Send a plan's EC2 call with `DryRun` while the plan is on screen.
    DryRun(Box<Plan>),
    /// Read the change journal.
    LoadJournal,
    /// Write a confirmed plan to a file (`--plan-out`) instead of sending it.
    WritePlan {
        plan: Box<Plan>,
        target: Target,
        /// The target's state as read when the plan was confirmed, and the model revision.
        state: Option<serde_json::Value>,
        revision: u64,
        path: std::path::PathBuf,
    },
    /// Journal how a change whose outcome was unknown turned out, as a re-read showed it.
    Resolve {
        plan: Box<Plan>,
        applied: bool,
    },
    /// Read a VIF's BGP routes (ListVirtualInterfaceRoutes).
    FetchRoutes {
        account: String,
        region: String,
        vif: String,
    },
    /// Append these changes to the history database.
    Record(Vec<crate::history::Event>),
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

/// What a frame found out while drawing from `&App`: where the rows and tabs landed (for
/// mouse clicks), the scroll positions it used (the table's first row and column, an
/// overlay's scroll clamped at its end). [`App::apply_drawn`] keeps them for the next frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drawn {
    pub table_body: Option<((u16, u16, u16, u16), usize)>,
    pub tab_hits: Option<(u16, Vec<TabHit>)>,
    /// The table drawn, its first row drawn and its horizontal scroll.
    pub table: Option<(TableId, usize, usize)>,
    /// The scroll of the overlay drawn (details, help, journal, finding), at most its end.
    pub overlay_scroll: Option<u16>,
    /// A plan was drawn: whether its last line (the confirmation prompt) was on screen.
    pub plan_end_visible: Option<bool>,
}

/// Where one tab was drawn: its first column, the column after its last, and the table.
pub type TabHit = (u16, u16, TableId);

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
    /// Where the tabs of the current pane were last drawn: the row, and each tab's columns
    /// (set by the UI, read by mouse clicks).
    pub tab_hits: Option<(u16, Vec<TabHit>)>,
    /// Commands run from the `:` line, oldest first (`↑`/`↓` recall them).
    pub history: Vec<String>,
    /// Position in `history` while recalling (`history.len()`: a new line).
    pub history_pos: usize,
    pub status: Option<Status>,
    /// Wall-clock time of the last tick (render never reads the clock itself).
    pub now: Timestamp,
    /// Pollers with a poll in flight.
    /// Pollers with a poll in flight, and when it started (wall clock of the message).
    pub polling: BTreeMap<(crate::model::Scope, Service), Timestamp>,
    /// Per poller: when its last poll started, and the milliseconds since the one before (the
    /// header's effective interval, see [`App::effective_interval`]).
    pub poll_starts: BTreeMap<(crate::model::Scope, Service), (Timestamp, Option<i64>)>,
    /// What `:account` and `:region` narrowed the tables to.
    pub scope_filter: ScopeFilter,
    /// The changes seen (this session's, and the last day's from the history database),
    /// oldest first, at most [`TIMELINE_CAP`]. (Shared with a build under way, see
    /// [`App::derive_job`].)
    pub timeline: std::sync::Arc<Vec<crate::history::Event>>,
    /// Where history is recorded, or why it is not.
    pub history_db: Result<String, String>,
    /// Grows with each change added to the timeline (findings over history follow it).
    pub timeline_at: u64,
    /// The last day's changes read from the history database, to put under this session's.
    pub history_seed: Option<Vec<crate::history::Event>>,
    pub should_quit: bool,
    /// Everything worked out from the model and the history (findings, their index by
    /// resource, the overview's figures, the topology): built once per revision in
    /// [`App::sync`], read by every pane, key and overlay.
    pub derived: crate::derived::Derived,
    /// Build the derived state apart, off the event loop (the console): answers are merged
    /// into [`App::incoming`], and the views move to it with its derived state in one step
    /// when that is built. Otherwise (tests, benchmarks) [`App::sync`] builds it in place.
    pub derive_apart: bool,
    /// Answers merged since the views last moved, with the changes they found: `None` when
    /// the views show the latest. Only while [`App::derive_apart`].
    pub incoming: Option<Incoming>,
    /// A build is under way ([`App::derive_job`] handed it out; [`SourceMsg::Derived`] ends
    /// it).
    ///
    /// [`SourceMsg::Derived`]: crate::source::SourceMsg::Derived
    pub deriving: bool,
    /// What the views showed before the last builds, for the event loop to free elsewhere.
    pub discarded: Vec<apart::Discarded>,
    /// A change whose outcome is unknown, and when that was said: the next read of its target
    /// tells whether it was applied.
    pub checking: Option<(Plan, Timestamp)>,
    /// A change that was made, until its target reaches its state (see [`Settling`]).
    pub settling: Option<Settling>,
}

pub use settle::{SETTLE_EVERY_SECS, SETTLE_SECS, Settling};

impl App {
    /// A console over the session's regions: the demo account's in a demo session; else
    /// one unknown account's until [`App::set_scope`] names the accounts read.
    /// A session's console over its starting `estate` (see [`crate::run::starting_estate`]).
    pub fn new(estate: Estate, session: Session, now: Timestamp) -> App {
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
            tab_hits: None,
            history: Vec::new(),
            history_pos: 0,
            status: None,
            now,
            polling: BTreeMap::new(),
            poll_starts: BTreeMap::new(),
            scope_filter: ScopeFilter::default(),
            timeline: Default::default(),
            history_db: Err("history not recorded (no history database)".into()),
            timeline_at: 0,
            history_seed: None,
            should_quit: false,
            derived: crate::derived::Derived::default(),
            derive_apart: false,
            incoming: None,
            deriving: false,
            discarded: Vec::new(),
            checking: None,
            settling: None,
        }
    }

    /// The table shown by the current pane (None on the overview).
    pub fn current_table(&self) -> Option<TableId> {
        let tables = TableId::of(self.pane);
        let i = self.tabs.get(&self.pane).copied().unwrap_or(0);
        tables.get(i.min(tables.len().saturating_sub(1))).copied()
    }

    /// The accounts and scopes read (an AWS session): replaces the one-unknown-account
    /// estate of [`App::new`] before any data arrives.
    pub fn set_scope(
        &mut self,
        scopes: &[crate::model::Scope],
        accounts: Vec<crate::model::Account>,
    ) {
        self.estate = Estate::with_scopes(scopes);
        self.estate.accounts = accounts;
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
        // Built at most once per revision of the model and of the history.
        let at = (rev, self.timeline_at);
        // Apart, only the first (of an estate with nothing read yet) is built here.
        if self.derived.at != Some(at) && (!self.derive_apart || self.derived.at.is_none()) {
            self.derived = crate::derived::Derived::build(
                &self.estate,
                &self.timeline,
                self.now,
                &self.session.history,
                &self.session.intents,
                at,
            );
        }
        if let Some(t) = self.current_table() {
            let scope = (
                self.scope_filter.account.clone(),
                self.scope_filter.region.clone(),
            );
            let view = self.views.entry(t).or_default();
            if view.scope != scope {
                view.scope = scope;
                view.apply_filter();
            }
            if t == TableId::Findings {
                if view.built_at != Some(rev) {
                    let rows = crate::view::panes::findings::rows(&self.derived.findings);
                    view.set_rows(crate::view::panes::with_accounts(rows, &self.estate), rev);
                }
            } else {
                view.sync_with(t, &self.estate, &self.derived.since, self.timeline_at);
                view.mark(&self.derived, rev);
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

    /// Keeps what the last frame found out (see [`Drawn`]).
    pub fn apply_drawn(&mut self, d: Drawn) {
        self.table_body = d.table_body;
        self.tab_hits = d.tab_hits;
        if let Some((t, offset, hscroll)) = d.table {
            let v = self.view_mut(t);
            v.offset = offset;
            v.hscroll = hscroll;
        }
        if let Some(s) = d.overlay_scroll {
            match &mut self.mode {
                Mode::Details(x) => x.scroll = s,
                Mode::Help { scroll }
                | Mode::Journal { scroll, .. }
                | Mode::Report { scroll, .. }
                | Mode::Routes { scroll, .. } => *scroll = s,
                Mode::Finding(x) => x.scroll = s,
                Mode::Workflow(w) => w.scroll = s,
                _ => {}
            }
        }
        if let (Some(visible), Mode::Workflow(w)) = (d.plan_end_visible, &mut self.mode) {
            w.end_seen |= visible;
            w.end_cut |= !visible;
        }
    }

    /// Data older than this many seconds is stale: two poll intervals and a margin.
    pub fn stale_after_secs(&self) -> u64 {
        self.session.refresh.as_secs().max(1) * 2 + 5
    }

    pub(crate) fn set_status(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
            at: self.now,
        });
    }

    pub(crate) fn selected_row_target(&self) -> Option<Details> {
        let t = self.current_table()?;
        let row = self.view(t).selected_row()?;
        Some(Details {
            account: row.account.clone(),
            region: row.region.clone(),
            kind: row.kind,
            id: row.id.clone(),
            scroll: 0,
            raw: false,
        })
    }

    pub(crate) fn goto(&mut self, pane: Pane) {
        self.pane = pane;
        self.mode = Mode::Normal;
        self.sync();
    }

    pub(crate) fn move_selection(&mut self, delta: isize, page: bool) {
        let delta = if page { delta * 20 } else { delta };
        match &mut self.mode {
            Mode::Details(d) => {
                d.scroll = (d.scroll as isize + delta).clamp(0, u16::MAX as isize) as u16
            }
            Mode::Help { scroll }
            | Mode::Finding(FindingRef { scroll, .. })
            | Mode::Report { scroll, .. }
            | Mode::Routes { scroll, .. } => {
                *scroll = (*scroll as isize + delta).clamp(0, u16::MAX as isize) as u16
            }
            Mode::Topology {
                selected,
                collapsed,
            } => {
                let n = crate::view::topology::rows_of(
                    &self.derived.topology,
                    collapsed,
                    &self.derived,
                )
                .len();
                let last = n.saturating_sub(1) as isize;
                *selected = (*selected as isize + delta).clamp(0, last.max(0)) as usize;
            }
            Mode::Timeline { selected, filter } => {
                let n = crate::view::timeline::rows(&self.timeline, filter, &self.estate).len();
                let last = n.saturating_sub(1) as isize;
                *selected = (*selected as isize + delta).clamp(0, last.max(0)) as usize;
            }
            Mode::Intents { selected } => {
                let last = self.derived.intents.len().saturating_sub(1) as isize;
                *selected = (*selected as isize + delta).clamp(0, last.max(0)) as usize;
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

pub use crate::view::human_age;

impl App {
    /// The visible `:topology` rows with the given folds (from the derived state's tree).
    pub fn topology_rows(
        &self,
        collapsed: &std::collections::BTreeSet<String>,
    ) -> Vec<crate::view::topology::TopoRow> {
        crate::view::topology::rows_of(&self.derived.topology, collapsed, &self.derived)
    }
}
