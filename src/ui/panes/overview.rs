//! Overview pane: one row per pane with resource counts and health, API errors, and the
//! freshest/oldest data, plus the headline facts an on-call engineer checks first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use crate::app::App;
use crate::app::Drawn;
use crate::derived::Narrow;
use crate::model::ResourceKind;
use crate::model::health::Health;
use crate::ui::theme::Theme;
use crate::view::columns::{self, Width};
use crate::view::overview::{ROWS, counts, coverage, headlines};
use crate::view::pane::Pane;

pub fn render(f: &mut Frame, area: Rect, app: &App, theme: &Theme, _drawn: &mut Drawn) {
    let [top, facts] = Layout::vertical([
        Constraint::Length(ROWS.len() as u16 + 3),
        Constraint::Min(0),
    ])
    .areas(area);
    render_table(f, top, app, theme);
    render_facts(f, facts, app, theme);
}

/// A cell's text and style.
type Styled = (String, ratatui::style::Style);

/// The overview table: a row per pane with its counts, errors, findings and data age.
fn render_table(f: &mut Frame, top: Rect, app: &App, theme: &Theme) {
    // Cells as text and style; the columns are fitted like every table's: whole numbers,
    // hidden from the right (the title says so) when the terminal is narrow, `…` on a cut.
    let headers = [
        "AREA", "TOTAL", "HEALTHY", "PENDING", "BROKEN", "NO STATE", "ERRORS", "CRIT", "HIGH",
        "MED", "LOW", "DATA",
    ];
    let narrow = app.narrow();
    let table: Vec<Vec<Styled>> = ROWS
        .iter()
        .map(|row| row_cells(app, theme, row, &narrow))
        .collect();
    let specs: Vec<Width> = (0..headers.len())
        .map(|i| {
            if i + 1 == headers.len() {
                Width::Flex(1)
            } else {
                Width::Whole(0)
            }
        })
        .collect();
    let natural: Vec<usize> = (0..headers.len())
        .map(|i| {
            table
                .iter()
                .map(|r| columns::width(&r[i].0))
                .chain([columns::width(headers[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let fitted = columns::fit(
        &specs,
        &natural,
        (top.width as usize).saturating_sub(2),
        1,
        0,
    );
    let rows: Vec<Row> = table
        .iter()
        .enumerate()
        .map(|(i, cells)| {
            let style = if i == app.overview_selected {
                theme.selected
            } else {
                Default::default()
            };
            Row::new(fitted.shown.iter().map(|&(c, w)| {
                Cell::from(columns::cut(&cells[c].0, w).into_owned()).style(cells[c].1)
            }))
            .style(style)
        })
        .collect();
    let header = Row::new(
        fitted
            .shown
            .iter()
            .map(|&(c, w)| Cell::from(columns::cut(headers[c], w).into_owned())),
    )
    .style(theme.header_row);
    let widths: Vec<Constraint> = fitted
        .shown
        .iter()
        .map(|&(_, w)| Constraint::Length(w as u16))
        .collect();
    let total = app.derived.findings_in(&narrow).count();
    let unknown = ROWS
        .iter()
        .filter(|(_, _, kinds)| coverage(&app.estate, kinds, &narrow).is_unknown())
        .count();
    let mut title = vec![Span::styled(
        format!(" Overview · {total} finding(s) (:findings) "),
        theme.title,
    )];
    if unknown > 0 {
        title.push(Span::styled(
            format!("· {unknown} area(s) not assessed "),
            theme.stale,
        ));
    }
    if fitted.hidden > 0 {
        title.push(Span::styled(
            format!("· +{} columns ", fitted.hidden),
            theme.filter,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Line::from(title));
    f.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .column_spacing(1),
        top,
    );
}

/// The headline facts, accounts, disagreeing answers and failing calls under the table.
fn render_facts(f: &mut Frame, facts: Rect, app: &App, theme: &Theme) {
    let narrow = app.narrow();
    let stale_after = app.stale_after_secs() as i64;
    let errors: Vec<_> = app
        .estate
        .errors()
        .into_iter()
        .filter(|(s, _, _)| narrow.admits(&s.account, Some(&s.region)))
        .collect();
    // Every line is cut to the box with `…`, never silently.
    let inner = (facts.width as usize).saturating_sub(2);
    let fit = |t: String, indent: usize| {
        crate::view::columns::cut(&t, inner.saturating_sub(indent)).into_owned()
    };
    let mut lines: Vec<Line> = headlines(&app.estate, &app.derived, &narrow, app.now, stale_after)
        .into_iter()
        .map(|h| {
            let style = theme.health(h.health);
            let text = if h.health == Health::Unknown {
                Span::styled(fit(h.text, 3), style)
            } else {
                Span::raw(fit(h.text, 3))
            };
            Line::from(vec![Span::styled(" ● ", style), text])
        })
        .collect();
    let accounts = crate::view::overview::account_lines(&app.estate, &app.derived, &narrow);
    if !accounts.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(" Accounts:", theme.title));
        // Accounts that are not read or unhealthy first; at most ten lines.
        let mut accounts = accounts;
        accounts.sort_by_key(|h| match h.health {
            Health::Bad => 0,
            Health::Unknown => 1,
            _ => 2,
        });
        // At most ten, and no more than the box holds (with room left for the failing
        // calls' first lines); the last line says how many more there are.
        let rows = (facts.height as usize).saturating_sub(2);
        let reserve = if errors.is_empty() { 0 } else { 3 };
        let room = rows.saturating_sub(lines.len() + reserve).clamp(1, 10);
        let cap = if accounts.len() > room {
            room - 1
        } else {
            accounts.len()
        };
        let more = accounts.len() - cap;
        accounts.truncate(cap);
        if more > 0 {
            accounts.push(crate::view::overview::Headline {
                text: format!("… and {more} more account(s) (:account NAME to narrow)"),
                health: Health::Neutral,
            });
        }
        for h in accounts {
            let style = theme.health(h.health);
            lines.push(Line::from(vec![
                Span::styled(" ● ", style),
                Span::raw(fit(h.text, 3)),
            ]));
        }
    }
    if !app.derived.notices.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(" AWS answers that disagree:", theme.stale));
        for n in &app.derived.notices {
            lines.push(Line::styled(fit(format!("   {}", n.text), 0), theme.stale));
        }
    }
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
        for (scope, kind, e) in errors.iter().take(shown) {
            let region = app.estate.scope_label(scope);
            lines.push(Line::styled(
                fit(format!("   {region} {}: {e}", kind.label()), 0),
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
    // Nothing falls off the box unsaid.
    let rows = (facts.height as usize).saturating_sub(2);
    if lines.len() > rows && rows > 0 {
        let hidden = lines.len() - (rows - 1);
        lines.truncate(rows - 1);
        lines.push(Line::styled(
            fit(
                format!(" … {hidden} more line(s): a taller terminal shows them"),
                0,
            ),
            theme.muted,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Health ", theme.title));
    f.render_widget(Paragraph::new(lines).block(block), facts);
}

/// One row of the overview table: the pane's counts over its kinds (in scope), the failed
/// reads that feed it, its findings by severity and the age of its data.
fn row_cells(
    app: &App,
    theme: &Theme,
    (pane, label, kinds): &(Pane, &str, &[ResourceKind]),
    narrow: &Narrow,
) -> Vec<Styled> {
    let c = counts(&app.derived, kinds, narrow);
    // Failed reads of the row's kinds and of what feeds its tables' columns (route
    // counts and metrics for connections and VIFs).
    let feeds: Vec<_> = crate::view::table::TableId::of(*pane)
        .iter()
        .flat_map(|t| t.depends_on())
        .filter(|k| k.service() == crate::model::Service::Telemetry)
        .collect();
    let errors = c.errors
        + app
            .estate
            .errors()
            .iter()
            .filter(|(s, k, _)| feeds.contains(k) && narrow.admits(&s.account, Some(&s.region)))
            .map(|(s, k, _)| (*s, *k))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
    let (fresh, fresh_style) = app.freshness(kinds[0]);
    // Counts over kinds not read are "?"; over last good data after a failed read
    // they keep their numbers in the stale colour, never green.
    let coverage = coverage(&app.estate, kinds, narrow);
    let never = coverage.never_read();
    let unknown = coverage.is_unknown();
    let num = |n: usize, style: ratatui::style::Style| {
        if never {
            ("?".to_string(), theme.stale)
        } else if unknown {
            (n.to_string(), theme.stale)
        } else {
            (n.to_string(), style)
        }
    };
    // Findings by the pane that lists their first resource, so the rows add up to the
    // total (a finding about a VPC counts under the pane with the VPCs table).
    let pane_kinds: Vec<_> = crate::view::table::TableId::of(*pane)
        .iter()
        .map(|t| t.kind())
        .collect();
    let by_sev = app.findings_for(&pane_kinds);
    let when = |n: usize, s: ratatui::style::Style| if n > 0 { s } else { Default::default() };
    let mut cells = vec![
        (format!("{} {label}", pane.digit()), Default::default()),
        num(c.total, Default::default()),
        num(c.good, theme.good),
        num(c.pending, when(c.pending, theme.pending)),
        num(c.bad, when(c.bad, theme.bad)),
        num(c.stateless, Default::default()),
        (errors.to_string(), when(errors, theme.error)),
    ];
    for s in crate::findings::Severity::ALL_DESC.iter().take(4) {
        let n = by_sev.get(s).copied().unwrap_or(0);
        cells.push(num(
            n,
            if n > 0 {
                theme.severity(*s)
            } else {
                theme.muted
            },
        ));
    }
    cells.push((fresh, theme.tone(fresh_style)));
    cells
}
