//! Overview pane: one row per pane with resource counts and health, API errors, and the
//! freshest/oldest data, plus the headline facts an on-call engineer checks first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use crate::app::App;
use crate::model::Coverage;
use crate::model::health::Health;
use crate::view::overview::{ROWS, counts, headlines};

pub fn render(f: &mut Frame, area: Rect, app: &mut App) {
    let theme = app.theme.clone();
    let [top, facts] = Layout::vertical([
        Constraint::Length(ROWS.len() as u16 + 3),
        Constraint::Min(0),
    ])
    .areas(area);
    let rows: Vec<Row> = ROWS
        .iter()
        .enumerate()
        .map(|(i, (pane, label, kinds))| {
            let (total, good, pending, bad, errors) = counts(&app.estate, kinds);
            let (fresh, fresh_style) = app.freshness(kinds[0]);
            // Counts over kinds not read are "?"; over last good data after a failed read
            // they keep their numbers in the stale colour, never green.
            let coverage = app.estate.coverage(kinds);
            let never = matches!(
                coverage,
                Coverage::NotRead
                    | Coverage::Failed {
                        last_good: None,
                        ..
                    }
            );
            let unknown = coverage.is_unknown();
            let num = |n: usize, style: ratatui::style::Style| {
                if never {
                    Cell::from("?").style(theme.stale)
                } else if unknown {
                    Cell::from(n.to_string()).style(theme.stale)
                } else {
                    Cell::from(n.to_string()).style(style)
                }
            };
            let style = if i == app.overview_selected {
                theme.selected
            } else {
                Default::default()
            };
            let by_sev = app.findings_for(kinds);
            let sev_cells = crate::findings::Severity::ALL_DESC.iter().take(4).map(|s| {
                let n = by_sev.get(s).copied().unwrap_or(0);
                num(
                    n,
                    if n > 0 {
                        theme.severity(*s)
                    } else {
                        theme.muted
                    },
                )
            });
            Row::new(
                vec![
                    Cell::from(format!("{} {label}", pane.digit())),
                    num(total, Default::default()),
                    num(good, theme.good),
                    num(
                        pending,
                        if pending > 0 {
                            theme.pending
                        } else {
                            Default::default()
                        },
                    ),
                    num(
                        bad,
                        if bad > 0 {
                            theme.bad
                        } else {
                            Default::default()
                        },
                    ),
                    Cell::from(errors.to_string()).style(if errors > 0 {
                        theme.error
                    } else {
                        Default::default()
                    }),
                ]
                .into_iter()
                .chain(sev_cells)
                .chain([Cell::from(fresh).style(fresh_style)])
                .collect::<Vec<_>>(),
            )
            .style(style)
        })
        .collect();
    let header = Row::new([
        "AREA",
        "RESOURCES",
        "HEALTHY",
        "PENDING",
        "BROKEN",
        "API ERRORS",
        "CRIT",
        "HIGH",
        "MED",
        "LOW",
        "DATA",
    ])
    .style(theme.header_row);
    let widths = [
        Constraint::Length(26),
        Constraint::Length(9),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Length(10),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Fill(1),
    ];
    let total = app.findings.len();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" Overview · {total} finding(s), :findings to list them "),
            theme.title,
        ));
    f.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .column_spacing(1),
        top,
    );

    let stale_after = app.stale_after_secs() as i64;
    let mut lines: Vec<Line> = headlines(&app.estate, app.now, stale_after)
        .into_iter()
        .map(|h| {
            let style = theme.health(h.health);
            let text = if h.health == Health::Unknown {
                Span::styled(h.text, style)
            } else {
                Span::raw(h.text)
            };
            Line::from(vec![Span::styled(" ● ", style), text])
        })
        .collect();
    let errors = app.estate.errors();
    if !errors.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(" {} AWS call(s) failing:", errors.len()),
            theme.error,
        ));
        // As many as the box holds; the last line says how many more there are.
        let room = (facts.height as usize)
            .saturating_sub(2)
            .saturating_sub(lines.len());
        let shown = if errors.len() > room {
            room.saturating_sub(1)
        } else {
            errors.len()
        };
        for (region, kind, e) in errors.iter().take(shown) {
            lines.push(Line::styled(
                format!("   {region} {}: {e}", kind.label()),
                theme.error,
            ));
        }
        if shown < errors.len() {
            lines.push(Line::styled(
                format!(
                    "   … and {} more, each in its own pane",
                    errors.len() - shown
                ),
                theme.error,
            ));
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Health ", theme.title));
    f.render_widget(Paragraph::new(lines).block(block), facts);
}
