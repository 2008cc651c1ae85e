//! Findings pane (`:findings`): every finding, most severe first; `Enter` shows its evidence,
//! remediation and reference, and `Enter` there jumps to the resource it is about.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::action::Pane;
use crate::app::Drawn;
use crate::app::{App, FindingRef, Mode};
use crate::ui::table::render_pane;
use crate::ui::theme::Theme;
use ratatui::text::{Line, Span};

pub fn render(f: &mut Frame, area: Rect, app: &App, theme: &Theme, drawn: &mut Drawn) {
    render_pane(f, area, app, theme, Pane::Findings, drawn);
}

/// The text of one finding as `audit` gives it: severity, rule, resources, evidence,
/// remediation, reference.
pub fn finding_lines(app: &App, theme: &Theme, fr: &FindingRef) -> Vec<Line<'static>> {
    let t = theme;
    let Some(f) = app.finding(fr) else {
        return vec![Line::styled(
            "This finding no longer holds (the model changed since it was listed).",
            t.muted,
        )];
    };
    let mut out = vec![
        Line::from(vec![
            Span::styled(
                format!("[{}] ", f.severity.label().to_uppercase()),
                t.severity(f.severity),
            ),
            Span::styled(format!("{} — {}", f.code, f.title), t.title),
        ]),
        Line::raw(""),
        Line::styled("Resources", t.title),
    ];
    for r in &f.resources {
        out.push(Line::raw(format!("  {} {} ({})", r.id, r.name, r.place())));
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Evidence", t.title));
    for (k, v) in &f.evidence {
        out.push(Line::from(vec![
            Span::styled(format!("  {k}: "), t.key),
            Span::raw(v.clone()),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Remediation", t.title));
    out.push(Line::raw(format!("  {}", f.remediation)));
    out.push(Line::raw(""));
    out.push(Line::styled("Reference", t.title));
    out.push(Line::raw(format!("  {}", f.reference)));
    out.push(Line::raw(""));
    out.push(Line::styled(
        "Enter: go to the resource · Esc: back",
        t.muted,
    ));
    out
}

/// The finding overlay (`Enter` on the findings table).
pub fn render_finding(f: &mut Frame, area: Rect, app: &App, theme: &Theme, drawn: &mut Drawn) {
    let Mode::Finding(fr) = &app.mode else { return };
    if area.width < 2 || area.height < 2 {
        return;
    }
    let fr = fr.clone();
    let text = finding_lines(app, theme, &fr);
    crate::ui::Overlay {
        title: format!(" Finding {} · {} ", fr.code, fr.id),
        text,
        scroll: fr.scroll,
        wrap: true,
    }
    .draw(f, area, theme, drawn);
}
