//! The workflow state machine: form → validation → plan (with its dry run) → confirmation →
//! execution → result. A paste never submits or confirms; `n` at a plan returns to the form.

use super::{App, DryRunVerdict, Effect, Mode, Stage, WorkflowUi};
use crate::action::Action;
use crate::view::table::WorkflowTables;
use crate::workflows::{Intent, Target, WorkflowKind, form_for, plan_for};

impl App {
    /// Opens a workflow on the selected row, or says why it cannot.
    pub(super) fn start_workflow(&mut self, kind: WorkflowKind) -> Vec<Effect> {
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
            account: row.as_ref().map(|r| r.account.clone()).unwrap_or_else(|| {
                self.estate
                    .scopes
                    .keys()
                    .next()
                    .map(|s| s.account.clone())
                    .unwrap_or_default()
            }),
            region: row
                .as_ref()
                .map(|r| r.region.clone())
                .or_else(|| self.session.regions.first().cloned())
                .unwrap_or_default(),
            caller_account: row
                .as_ref()
                .map(|r| r.account.clone())
                .filter(|a| !a.is_empty())
                .or_else(|| self.session.account.clone()),
            resource: row.map(|r| (r.kind, r.id)),
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
                    scroll: 0,
                    end_cut: false,
                    end_seen: false,
                    sent_at: None,
                    touched: false,
                    discard_armed: false,
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
    pub(super) fn workflow_submit(&mut self) -> Vec<Effect> {
        let Mode::Workflow(w) = &mut self.mode else {
            return vec![];
        };
        match &mut w.stage {
            Stage::Form => match plan_for(w.kind, &self.estate, &w.target, &w.form, &w.intent) {
                Ok(plan) => {
                    let declared = &self.session.intents;
                    let plan =
                        crate::workflows::impact::annotate_intents(plan, &self.estate, declared);
                    w.error = None;
                    let dry_run = if !plan.dry_run() {
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
                    w.scroll = 0;
                    w.end_cut = false;
                    w.end_seen = false;
                    effects
                }
                Err(e) => {
                    w.error = Some(format!("{e} — nothing was sent"));
                    vec![]
                }
            },
            Stage::Plan { plan, typed, .. } => {
                if w.end_cut && !w.end_seen {
                    w.error = Some(
                        "the plan does not fit: scroll down (↓ / PgDn) to its last line and read it before confirming — nothing was sent".into(),
                    );
                    return vec![];
                }
                if plan.destructive && typed.trim() != plan.confirm_with {
                    w.error = Some(format!("type {} exactly to confirm", plan.confirm_with));
                    return vec![];
                }
                let plan = plan.clone();
                w.error = None;
                w.stage = Stage::Running { plan: plan.clone() };
                w.sent_at = Some(self.now);
                // A change window or a missing ticket refuses the send (not a plan written
                // for review).
                if self.session.plan_out.is_none()
                    && plan.workflow.mutating()
                    && let Some(why) = self
                        .session
                        .changes
                        .refuses(self.now, self.session.ticket.as_deref())
                {
                    w.stage = Stage::Plan {
                        plan,
                        typed: String::new(),
                        dry_run: DryRunVerdict::NotApplicable,
                    };
                    w.sent_at = None;
                    w.error = Some(why);
                    return vec![];
                }
                if let Some(path) = self.session.plan_out.clone() {
                    // Written for review instead of sent (`crossconnect apply FILE` sends it).
                    let target = w.target.clone();
                    let state = crate::workflows::planfile::target_state(&self.estate, &target);
                    return vec![Effect::WritePlan {
                        plan: Box::new(plan),
                        target,
                        state,
                        revision: self.estate.revision,
                        path,
                    }];
                }
                vec![Effect::Execute(Box::new(plan))]
            }
            Stage::Running { .. } => vec![],
            Stage::Done { .. } => {
                self.mode = Mode::Normal;
                vec![]
            }
        }
    }
}

/// An action while a workflow is on screen: `Some(effects)` when the workflow took it,
/// `None` when it falls through to the normal handling (quit, ticks, source messages).
pub(super) fn workflow_action(app: &mut App, action: &Action) -> Option<Vec<Effect>> {
    if let Mode::Workflow(w) = &mut app.mode {
        if !matches!(action, Action::Back | Action::Tick(_) | Action::Source(_)) {
            w.discard_armed = false;
        }
        if w.stage == Stage::Form
            && matches!(
                action,
                Action::Input(_)
                    | Action::Backspace
                    | Action::Edit(_)
                    | Action::Paste(_)
                    | Action::Cycle(_)
            )
        {
            w.touched = true;
        }
        match (&mut w.stage, &action) {
            (_, Action::Quit | Action::Tick(_) | Action::Source(_)) => {}
            (Stage::Running { plan }, Action::Back) => {
                let text = format!(
                    "{} was sent and cannot be recalled: it ends within {} s, and its outcome is shown here and journaled",
                    plan.operation(),
                    crate::aws::ATTEMPT_TIMEOUT.as_secs()
                );
                app.set_status(text, true);
                return Some(vec![]);
            }
            (Stage::Running { .. }, _) => return Some(vec![]),
            // A plan or a result taller than the screen scrolls.
            (
                Stage::Plan { .. } | Stage::Done { .. },
                Action::Down | Action::Up | Action::PageDown | Action::PageUp,
            ) => {
                let d: i32 = match action {
                    Action::Down => 1,
                    Action::Up => -1,
                    Action::PageDown => 10,
                    _ => -10,
                };
                w.scroll = (w.scroll as i32 + d).clamp(0, u16::MAX as i32) as u16;
                return Some(vec![]);
            }
            // A filled form is not thrown away by one key: the first Esc asks.
            (Stage::Form, Action::Back) if w.touched && !w.discard_armed => {
                w.discard_armed = true;
                w.error = Some(
                    "Esc again discards what was typed in this form; any other key goes on".into(),
                );
                return Some(vec![]);
            }
            (_, Action::Back) => {
                let running = matches!(w.stage, Stage::Done { .. });
                app.mode = Mode::Normal;
                if !running {
                    app.set_status("cancelled: nothing was sent", false);
                }
                return Some(vec![]);
            }
            (_, Action::Submit) => return Some(app.workflow_submit()),
            (Stage::Form, Action::Input(c)) => {
                w.form.input(*c);
                return Some(vec![]);
            }
            (Stage::Form, Action::Backspace) => {
                w.form.backspace();
                return Some(vec![]);
            }
            (Stage::Form, Action::Edit(req)) => {
                w.form.edit(*req);
                return Some(vec![]);
            }
            (Stage::Form, Action::Paste(text)) => {
                if let Some(note) = w.form.paste(text) {
                    app.set_status(note, false);
                }
                return Some(vec![]);
            }
            (Stage::Plan { .. }, Action::Paste(_)) => {
                app.set_status(
                    "a paste never confirms a plan: nothing was sent (type the confirmation)",
                    true,
                );
                return Some(vec![]);
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
                return Some(vec![]);
            }
            (Stage::Form, Action::NextTab | Action::Down) => {
                w.form.next();
                return Some(vec![]);
            }
            (Stage::Form, Action::PrevTab | Action::Up) => {
                w.form.prev();
                return Some(vec![]);
            }
            (Stage::Plan { plan, typed, .. }, Action::Input(c)) => {
                if plan.destructive {
                    typed.push(*c);
                } else if *c == 'y' {
                    return Some(app.workflow_submit());
                } else if *c == 'n' {
                    // Back to the form, values kept.
                    w.stage = Stage::Form;
                    w.error = None;
                    app.set_status("back to the form: nothing was sent", false);
                }
                return Some(vec![]);
            }
            (Stage::Plan { typed, .. }, Action::Backspace) => {
                typed.pop();
                return Some(vec![]);
            }
            (Stage::Done { plan, outcome }, Action::Input('y')) if !outcome.success => {
                // Back to the same plan (same intent, same CreatorRequestId): a retry needs the
                // confirmation again — the typed id for a destructive change. This key sends
                // nothing.
                let plan = plan.clone();
                let dry_run = if plan.dry_run() {
                    DryRunVerdict::AfterConfirmation("a retry: sent after you confirm".into())
                } else {
                    DryRunVerdict::NotApplicable
                };
                w.stage = Stage::Plan {
                    plan,
                    typed: String::new(),
                    dry_run,
                };
                w.error = None;
                app.set_status(
                    "back to the plan: read the tables (r) and confirm again to send it once more",
                    false,
                );
                return Some(vec![]);
            }
            _ => return Some(vec![]),
        }
    }
    None
}
