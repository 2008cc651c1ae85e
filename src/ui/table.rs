//! Drawing a table pane: the tab bar, the errors of the table's kind, and the rows the view
//! model (`crate::view::table`) holds, a screenful at a time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row as TRow, Scrollbar, ScrollbarOrientation, ScrollbarState,
    Table, TableState,
};

use crate::action::Pane;
use crate::app::App;
use crate::app::Drawn;
use crate::ui::theme::Theme;
use crate::view::columns::{self, Width};
pub use crate::view::table::{Row, TableId, TableView};

/// Draws a tabbed table pane: tab bar, per-region errors of the table's kind, the table.
pub fn render_pane(
    f: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    pane: Pane,
    drawn: &mut Drawn,
) {
    let tables = TableId::of(pane);
    if tables.is_empty() || area.height == 0 || area.width == 0 {
        return;
    }
    let current = app.table();
    // The errors of every read the table is built from (a VIF table's route counts and
    // metrics too), not of unrelated ones.
    let errors: Vec<(String, crate::model::ApiError)> = match current.source_kind() {
        Some(_) => current
            .depends_on()
            .into_iter()
            .flat_map(|k| app.errors_for(k))
            .collect(),
        None => app
            .estate
            .errors()
            .into_iter()
            .map(|(s, k, e)| {
                (
                    format!("{} {}", app.estate.scope_label(s), k.label()),
                    e.clone(),
                )
            })
            .collect(),
    };
    let theme = theme.clone();
    let err_lines = errors.len().min(3) as u16;
    let [tabs_area, err_area, table_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(err_lines),
        Constraint::Min(0),
    ])
    .areas(area);

    let titles: Vec<Line> = tables
        .iter()
        .map(|t| Line::from(format!("{} ({})", t.title(), app.tab_count(*t))))
        .collect();
    let idx = tables.iter().position(|t| *t == current).unwrap_or(0);
    let mut tab_spans = Vec::new();
    // Where each tab is drawn, for mouse clicks: (first column, last column + 1, tab).
    let mut tab_hits = Vec::new();
    let mut x = tabs_area.x;
    // Tabs from the first that keeps the selected one on screen (`… │ ` says some are left).
    let widths: Vec<usize> = titles.iter().map(Line::width).collect();
    let fits = |start: usize| {
        let lead = if start > 0 { 4 } else { 0 };
        lead + widths[start..=idx].iter().sum::<usize>() + 3 * (idx - start)
            <= tabs_area.width as usize
    };
    let start = (0..=idx).find(|&s| fits(s)).unwrap_or(idx);
    if start > 0 {
        tab_spans.push(Span::styled("… │ ", theme.tab));
        x += 4;
    }
    for (i, t) in titles.into_iter().enumerate().skip(start) {
        if i > start {
            tab_spans.push(Span::styled(" │ ", theme.tab));
            x += 3;
        }
        let w = t.width() as u16;
        tab_hits.push((x, x + w, tables[i]));
        x += w;
        let style = if i == idx {
            theme.tab_active
        } else {
            theme.tab
        };
        tab_spans.push(Span::styled(t.to_string(), style));
    }
    f.render_widget(
        Paragraph::new(Line::from(crate::ui::fit_spans(
            tab_spans,
            tabs_area.width as usize,
        )))
        .style(theme.tab),
        tabs_area,
    );
    drawn.tab_hits = Some((tabs_area.y, tab_hits));
    let lines: Vec<Line> = errors
        .iter()
        .take(3)
        .map(|(region, e)| {
            Line::styled(
                columns::cut(&format!("✗ {region} {e}"), err_area.width as usize).into_owned(),
                theme.error,
            )
        })
        .collect();
    f.render_widget(Paragraph::new(lines), err_area);
    render_table(f, table_area, app, &theme, current, drawn);
}

/// Draws one table with its freshness in the title.
pub fn render_table(
    f: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    table: TableId,
    drawn: &mut Drawn,
) {
    let theme = theme.clone();
    let freshness = table_freshness(app, table);
    let filter = app.view(table).filter.clone();
    let view = app.view(table);
    let body_height = area.height.saturating_sub(3) as usize;
    let offset = view.offset_for(body_height);
    let total = view.rows.len();
    let shown = view.visible.len();
    let mut title = vec![Span::styled(format!(" {} ", table.title()), theme.title)];
    if !filter.is_empty() || view.only_findings {
        let what = if view.only_findings {
            format!("{filter} with findings")
        } else {
            filter.clone()
        };
        title.push(Span::styled(
            format!("/{what} {shown}/{total} "),
            theme.filter,
        ));
    }
    title.push(Span::styled(
        format!("{} ", freshness.0),
        theme.tone(freshness.1),
    ));

    // Display order: the first column (the resource's id) pinned, then the region, then the
    // rest; whole columns (ids, IPs, CIDRs, states) are never cut, flexible ones end with `…`.
    let columns = table.columns();
    let lead = crate::view::table::scope_columns(&app.estate);
    let headers: Vec<&str> = lead
        .iter()
        .map(|c| c.0)
        .chain(columns.iter().map(|c| c.0))
        .collect();
    let specs: Vec<Width> = lead
        .iter()
        .map(|c| c.1)
        .chain(columns.iter().map(|c| match c.1 {
            Width::Flex(w) => Width::Flex(w),
            Width::Whole(_) => Width::Whole(0),
        }))
        .collect();
    let order: Vec<usize> = if headers.len() > lead.len() {
        std::iter::once(lead.len())
            .chain(0..lead.len())
            .chain(lead.len() + 1..headers.len())
            .collect()
    } else {
        (0..headers.len()).collect()
    };
    let natural: Vec<usize> = order
        .iter()
        .map(|&c| {
            view.natural
                .get(c)
                .copied()
                .unwrap_or(0)
                .max(columns::width(headers[c]))
        })
        .collect();
    let ordered_specs: Vec<Width> = order.iter().map(|&c| specs[c]).collect();
    let sort = view.sort;
    // Borders (2) and the marker column with its spacing (2).
    let room = (area.width as usize).saturating_sub(4);
    let essential: Vec<bool> = order
        .iter()
        .map(|&c| columns::ESSENTIAL.contains(&headers[c]))
        .collect();
    let fitted =
        columns::fit_essential(&ordered_specs, &natural, room, 1, view.hscroll, &essential);
    let shown_cols: Vec<(usize, usize)> =
        fitted.shown.iter().map(|&(k, w)| (order[k], w)).collect();
    if fitted.hidden > 0 {
        title.push(Span::styled(
            format!("+{} columns ←/→ ", fitted.hidden),
            theme.filter,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Line::from(title));
    let header = TRow::new(std::iter::once(Cell::from("")).chain(shown_cols.iter().map(
        |&(c, w)| {
            let h = match sort {
                Some((sc, desc)) if sc == c => {
                    format!("{}{}", headers[c], if desc { "↓" } else { "↑" })
                }
                _ => headers[c].to_string(),
            };
            Cell::from(columns::cut(&h, w).into_owned())
        },
    )))
    .style(theme.header_row);
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(1))
        .chain(
            shown_cols
                .iter()
                .map(|&(_, w)| Constraint::Length(w as u16)),
        )
        .collect();
    let start = offset.min(shown);
    let end = (start + body_height).min(shown);
    let selected = view.selected;
    drawn.table = Some((table, offset, fitted.hscroll));
    // Rows start below the top border and the header.
    drawn.table_body = Some((
        (
            area.x + 1,
            area.y + 2,
            area.width.saturating_sub(2),
            body_height as u16,
        ),
        start,
    ));
    let rows: Vec<TRow> = view.visible[start..end]
        .iter()
        .map(|&ri| table_row(&theme, table, &view.rows[ri], &shown_cols))
        .collect();
    let empty = shown == 0;
    // Only the rows on screen are built; the state selects among them.
    let mut state = TableState::default()
        .with_selected((start..end).contains(&selected).then(|| selected - start));
    f.render_stateful_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .column_spacing(1)
            .flex(ratatui::layout::Flex::Start)
            .row_highlight_style(theme.selected),
        area,
        &mut state,
    );
    if shown > body_height && area.height > 3 {
        render_scrollbar(f, area, &theme, (shown, body_height, start));
    }
    if empty && area.height > 3 && area.width > 4 {
        render_empty(f, area, app, &theme, table, total);
    }
}

/// The table's data age for its title, or what failed to feed it.
fn table_freshness(app: &App, table: TableId) -> (String, crate::view::Tone) {
    match table.source_kind() {
        Some(k) => {
            let (text, tone) = app.freshness(k);
            // A read that feeds columns of the table (route counts, metrics) failed.
            let feeds = table
                .depends_on()
                .into_iter()
                .filter(|&d| d != k && !app.errors_for(d).is_empty())
                .map(|d| d.label())
                .collect::<Vec<_>>();
            if feeds.is_empty() {
                (text, tone)
            } else {
                (
                    format!("{text} · {} ERROR", feeds.join(", ")),
                    crate::view::Tone::Error,
                )
            }
        }
        // The findings: a failed read leaves areas not assessed; it is not this table's error.
        None => match app.estate.errors().len() {
            0 => app.freshness_overall(),
            n => (
                format!("{n} read(s) failing: not fully assessed"),
                crate::view::Tone::Stale,
            ),
        },
    }
}

/// Why a table shows no row: not read yet, no resources, or the filter.
fn render_empty(f: &mut Frame, area: Rect, app: &App, theme: &Theme, table: TableId, total: usize) {
    let unread = table
        .source_kind()
        .is_some_and(|k| app.estate.coverage(&[k]).is_unknown() && total == 0);
    let msg = if unread {
        "not read yet: nothing is known about these (see the error above, if any)"
    } else if total == 0 {
        "no resources"
    } else {
        "no rows match the filter"
    };
    let inner = Rect {
        x: area.x + 2,
        y: area.y + 2,
        width: area.width - 4,
        height: 1,
    };
    f.render_widget(Paragraph::new(msg).style(theme.muted), inner);
}

/// Where the selection is among the rows, on the right border.
fn render_scrollbar(
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
    (shown, body_height, start): (usize, usize, usize),
) {
    let mut state = ScrollbarState::new(shown.saturating_sub(body_height))
        .position(start.min(shown.saturating_sub(body_height)));
    f.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .style(theme.border),
        Rect {
            y: area.y + 2,
            height: body_height as u16,
            ..area
        },
        &mut state,
    );
}

/// One drawn row: its findings marker, then the shown columns cut to their widths, the
/// state cell in its health's colour (a finding's severity in the findings table).
fn table_row<'a>(
    theme: &Theme,
    table: TableId,
    r: &'a crate::view::table::Row,
    shown_cols: &[(usize, usize)],
) -> TRow<'a> {
    let marker = match r.severity {
        Some(s) => Cell::from(s.marker()).style(theme.severity(s)),
        None => Cell::from(" "),
    };
    let cells = shown_cols.iter().map(|&(ci, w)| {
        let c = r.cells.get(ci).map(String::as_str).unwrap_or("");
        let style = match (Some(ci) == r.state_col, table, r.severity) {
            (true, TableId::Findings, Some(s)) => theme.severity(s),
            (true, _, _) => theme.health(r.health),
            _ => Default::default(),
        };
        Cell::from(columns::cut(c, w).into_owned()).style(style)
    });
    let cells = std::iter::once(marker).chain(cells);
    let style = if r.changed {
        theme.changed
    } else {
        Default::default()
    };
    TRow::new(cells).style(style)
}
