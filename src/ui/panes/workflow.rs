//! Workflow overlay: the form (focused field, hints, the error naming the field), then the
//! plan (exact operation and parameters, secrets masked, dry-run verdict, how to confirm),
//! then the result.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::Drawn;
use crate::app::{App, DryRunVerdict, Mode, Stage, WorkflowUi};
use crate::ui::theme::Theme;

/// How many columns a field's value gets on screen; a longer value scrolls with the cursor.
const FIELD_BOX: usize = 48;

/// A field's value as drawn: at most `max` columns around the cursor, cut ends marked `…`,
/// the cursor as `█` when focused (secrets masked, choices by label).
fn field_view(f: &crate::workflows::form::Field, focused: bool, max: usize) -> String {
    use crate::workflows::form::FieldKind;
    let text = f.display();
    if matches!(f.kind, FieldKind::Choice(_)) {
        // Choices come from the model and are shown whole (the overlay wraps).
        return text;
    }
    if !focused || matches!(f.kind, FieldKind::Secret) {
        let mut v = crate::view::columns::cut(&text, max).into_owned();
        if focused && matches!(f.kind, FieldKind::Secret) {
            v.push('█');
        }
        return v;
    }
    let chars: Vec<char> = text.chars().collect();
    let cursor = f.cursor.min(chars.len());
    // A window of `max - 2` characters that contains the cursor.
    let span = max.saturating_sub(2).max(1);
    let start = cursor.saturating_sub(span.saturating_sub(1));
    let end = (start + span).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..cursor]);
    out.push('█');
    out.extend(&chars[cursor..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// The overlay's lines.
pub fn lines(w: &WorkflowUi, t: &Theme, now: crate::model::Timestamp) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    match &w.stage {
        Stage::Form => form_lines(&mut out, w, t),
        Stage::Plan {
            plan,
            typed,
            dry_run,
        } => plan_lines(&mut out, t, (plan, typed, dry_run)),
        Stage::Running { plan } => {
            let waited = w
                .sent_at
                .map(|t| (now - t).num_seconds().max(0))
                .unwrap_or(0);
            out.push(Line::styled(
                format!(
                    " Sending {}:{}… {waited} s, at most {} s (sent once, never retried)",
                    plan.service(),
                    plan.operation(),
                    crate::aws::ATTEMPT_TIMEOUT.as_secs()
                ),
                t.muted,
            ));
        }
        Stage::Done { plan, outcome } => done_lines(&mut out, t, plan, outcome),
    }
    if let Some(e) = &w.error {
        out.push(Line::raw(""));
        out.push(Line::styled(format!(" ✗ {e}"), t.error));
    }
    out
}

pub fn render(f: &mut Frame, area: Rect, app: &App, theme: &Theme, drawn: &mut Drawn) {
    let Mode::Workflow(w) = &app.mode else { return };
    if area.width < 2 || area.height < 2 {
        return;
    }
    let t = theme;
    // Wrapped at the inner width (as ratatui wraps it, word by word): a plan taller than the
    // box scrolls, says `more ↓`, and confirms nothing until its last line (the prompt) has
    // been on screen.
    let inner = area.width.saturating_sub(2).max(1) as usize;
    let mut text = lines(w, t, app.now);
    if matches!(w.stage, Stage::Done { .. })
        && let Some(l) = crate::app::settle::line(app)
    {
        text.push(Line::styled(l, t.pending));
    }
    let wrapped = Paragraph::new(text.clone())
        .block(Block::default().borders(Borders::ALL))
        .wrap(Wrap { trim: false });
    let height = wrapped.line_count(inner as u16);
    let max = height.saturating_sub(area.height as usize) as u16;
    let scroll = w.scroll.min(max);
    let end_visible = scroll >= max;
    drawn.overlay_scroll = Some(scroll);
    if matches!(w.stage, Stage::Plan { .. }) {
        drawn.plan_end_visible = Some(end_visible);
    }
    let mut title = vec![Span::styled(
        format!(" {} · {} ", w.kind.title(), w.target.region),
        t.title,
    )];
    if !end_visible {
        title.push(Span::styled(" more ↓ (↓/PgDn) ", t.filter));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.title)
        .title(Line::from(crate::ui::fit_spans(title, inner)));
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(text)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

/// The form: a line per field, the focused one with its hint.
fn form_lines(out: &mut Vec<Line<'static>>, w: &WorkflowUi, t: &Theme) {
    let width = w
        .form
        .fields
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0);
    for (i, f) in w.form.fields.iter().enumerate() {
        let focused = i == w.form.focus;
        let value = field_view(f, focused, FIELD_BOX);
        let style = if focused {
            t.selected
        } else {
            Default::default()
        };
        out.push(Line::from(vec![
            Span::styled(format!(" {:<width$} ", f.label), t.header_row),
            Span::styled(format!(" {value} "), style),
            Span::styled(
                if focused {
                    format!("  {}", f.hint)
                } else {
                    String::new()
                },
                t.muted,
            ),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(" Tab/Shift-Tab: field · ←/→: choose · Enter: review the plan · Esc: cancel (nothing is sent)", t.muted));
}

/// The plan: the exact call, its target and what it would break, the dry run, how to confirm.
fn plan_lines(
    out: &mut Vec<Line<'static>>,
    t: &Theme,
    (plan, typed, dry_run): (&crate::workflows::Plan, &str, &DryRunVerdict),
) {
    out.push(Line::from(vec![
        Span::styled(" Will call ", t.muted),
        Span::styled(format!("{}:{}", plan.service(), plan.operation()), t.title),
        Span::styled(format!(" in {}", plan.region), t.muted),
    ]));
    let params = plan.params();
    let width = params.iter().map(|(k, _)| k.chars().count()).max();
    let width = width.unwrap_or(0);
    for (k, v) in params {
        out.push(Line::from(vec![
            Span::styled(format!("   {k:<width$}  "), t.header_row),
            Span::raw(v),
        ]));
    }
    for (i, line) in plan.target.iter().enumerate() {
        out.push(Line::from(vec![
            Span::styled(if i == 0 { " Target   " } else { "          " }, t.muted),
            Span::raw(line.clone()),
        ]));
    }
    for warn in &plan.warnings {
        out.push(Line::styled(format!(" ⚠ {warn}"), t.pending));
    }
    out.push(Line::raw(""));
    match dry_run {
        DryRunVerdict::NotApplicable => {}
        DryRunVerdict::AfterConfirmation(why) => out.push(Line::styled(
            format!(
                " Dry run: after you confirm ({why}); the change follows only on DryRunOperation. Nothing sent yet."
            ),
            t.muted,
        )),
        verdict => {
            out.push(match verdict {
                DryRunVerdict::WouldSucceed => Line::styled(
                    " Dry run: would succeed (AWS answered DryRunOperation).",
                    t.good,
                ),
                DryRunVerdict::Refused { code, message } => Line::styled(
                    format!(" Dry run: AWS refused it: {code}: {message}"),
                    t.bad,
                ),
                _ => Line::styled(
                    " Dry run: sent with DryRun, waiting for AWS's verdict…",
                    t.muted,
                ),
            });
            out.push(Line::styled(
                " On confirmation the DryRun goes again; the change follows only if AWS answers DryRunOperation.",
                t.muted,
            ));
        }
    }
    if plan.destructive {
        out.push(Line::styled(
            format!(
                " This is destructive. Type {} and press Enter to confirm; Esc cancels.",
                plan.confirm_with
            ),
            t.bad,
        ));
        out.push(Line::from(vec![
            Span::styled(" > ", t.key),
            Span::raw(format!("{}█", crate::view::columns::cut(typed, FIELD_BOX))),
        ]));
    } else {
        out.push(Line::styled(
            " Send it? y / Enter: yes · n: back to the form (values kept) · Esc: cancel",
            t.key,
        ));
    }
}

/// The outcome: what came back, its error code and request id, where it is journaled.
fn done_lines(
    out: &mut Vec<Line<'static>>,
    t: &Theme,
    plan: &crate::workflows::Plan,
    outcome: &crate::calls::Outcome,
) {
    let style = if outcome.success {
        t.good
    } else if outcome.unknown {
        t.stale
    } else {
        t.bad
    };
    out.push(Line::styled(
        format!(
            " {} {}:{}{}",
            if outcome.success {
                "✓"
            } else if outcome.unknown {
                "?"
            } else {
                "✗"
            },
            plan.service(),
            plan.operation(),
            if outcome.unknown {
                " — outcome unknown"
            } else {
                ""
            }
        ),
        style,
    ));
    out.push(Line::raw(format!("   {}", outcome.message)));
    if let Some(code) = outcome.code.as_ref().filter(|_| !outcome.success) {
        out.push(Line::raw(format!("   error code: {code}")));
    }
    if let Some(id) = &outcome.request_id {
        out.push(Line::raw(format!("   request id: {id}")));
    }
    if plan.workflow.mutating() {
        out.push(Line::styled(
            "   recorded in the change journal (:journal)",
            t.muted,
        ));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        if outcome.success {
            " Enter / Esc: close"
        } else {
            " y: back to the plan to send it again (confirm again) · Esc: close"
        },
        t.key,
    ));
}
