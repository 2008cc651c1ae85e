//! Findings pane (`:findings`): every finding, most severe first; `Enter` shows its evidence,
//! remediation and reference, and `Enter` there jumps to the resource it is about.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use crate::action::Pane;
use crate::app::{App, FindingRef, Mode};
use crate::findings::Finding;
use crate::model::health::Health;
use crate::ui::table::{Row, render_pane};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use Constraint::{Fill, Length};

pub const COLUMNS: &[(&str, Constraint)] = &[
    ("SEVERITY", Length(8)),
    ("RULE", Length(9)),
    ("AREA", Length(15)),
    ("RESOURCE", Length(30)),
    ("FINDING", Fill(1)),
];

/// One row per finding, keyed by its first resource (what `Enter` jumps to).
pub fn rows(findings: &[Finding]) -> Vec<Row> {
    findings
        .iter()
        .filter_map(|f| {
            let r = f.resources.first()?;
            let cells = vec![
                r.region.clone(),
                f.severity.label().to_string(),
                f.code.to_string(),
                f.area.label().to_string(),
                r.id.clone(),
                f.title.clone(),
            ];
            let mut row = Row::new(
                &r.region,
                r.kind,
                r.id.clone(),
                cells,
                Some(2),
                Health::Neutral,
                false,
            );
            row.severity = Some(f.severity);
            Some(row)
        })
        .collect()
}

pub fn render(f: &mut Frame, area: Rect, app: &mut App) {
    render_pane(f, area, app, Pane::Findings);
}

/// The text of one finding as `audit` gives it: severity, rule, resources, evidence,
/// remediation, reference.
pub fn finding_lines(app: &App, fr: &FindingRef) -> Vec<Line<'static>> {
    let t = &app.theme;
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
        out.push(Line::raw(format!(
            "  {} {} ({}, {}{})",
            r.id,
            r.name,
            r.resource_type,
            r.region,
            r.account
                .as_deref()
                .map(|a| format!(", account {a}"))
                .unwrap_or_default()
        )));
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
pub fn render_finding(f: &mut Frame, area: Rect, app: &mut App) {
    let Mode::Finding(fr) = &app.mode else { return };
    if area.width < 2 || area.height < 2 {
        return;
    }
    let fr = fr.clone();
    let text = finding_lines(app, &fr);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.title)
        .title(Span::styled(
            format!(" Finding {} · {} ", fr.code, fr.id),
            app.theme.title,
        ));
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(text)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((fr.scroll, 0)),
        area,
    );
}
