//! Findings pane (`:findings`): every finding, most severe first; `Enter` jumps to the
//! resource it is about.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use crate::action::Pane;
use crate::app::App;
use crate::findings::Finding;
use crate::model::health::Health;
use crate::ui::table::{Row, render_pane};

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
