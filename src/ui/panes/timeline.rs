//! `:timeline`: the recorded changes, newest first; `Enter` goes to the resource.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};

use crate::app::{App, Drawn, Mode};
use crate::ui::theme::Theme;
use crate::view::timeline::{HEADERS, rows};

pub fn render(f: &mut Frame, area: Rect, app: &App, theme: &Theme, _drawn: &mut Drawn) {
    let Mode::Timeline { selected, filter } = &app.mode else {
        return;
    };
    if area.width < 2 || area.height < 2 {
        return;
    }
    let list = rows(&app.timeline, filter, &app.estate);
    let where_ = match &app.history_db {
        Ok(p) => format!("recorded in {p}"),
        Err(e) => format!("this session only: {e}"),
    };
    let mut title = vec![Span::styled(
        format!(" Timeline · {} change(s) ", list.len()),
        theme.title,
    )];
    if !filter.is_empty() {
        title.push(Span::styled(format!("/{filter} "), theme.filter));
    }
    title.push(Span::styled(format!("· {where_} "), theme.muted));
    let block = crate::ui::overlay_block(f, area, theme, title);
    if list.is_empty() {
        let text = if app.timeline.is_empty() {
            " no change seen yet: changes appear here as polls find them"
        } else {
            " no change matches the filter"
        };
        f.render_widget(
            ratatui::widgets::Paragraph::new(Line::styled(text, theme.muted)).block(block),
            area,
        );
        return;
    }
    // Whole columns for time, place, kind and id; name and field share what is left, then
    // the change; each cut cell ends with `…`.
    let inner = area.width.saturating_sub(2) as usize;
    let widths_fixed = [14usize, 0, 0, 0];
    let w = |i: usize| {
        list.iter()
            .map(|(_, c)| crate::view::columns::width(&c[i]))
            .max()
            .unwrap_or(0)
            .max(HEADERS[i].len())
    };
    let (wt, wp, wk, wr) = (widths_fixed[0], w(1).min(30), w(2).min(20), w(3));
    let rest = inner.saturating_sub(wt + wp + wk + wr + 6);
    let (wn, wf) = (w(4).min(rest / 4), w(5).min(rest / 3));
    let wc = rest.saturating_sub(wn + wf);
    let widths = [wt, wp, wk, wr, wn, wf, wc];
    let cut = |s: &str, n: usize| crate::view::columns::cut(s, n).into_owned();
    let header = Row::new(
        HEADERS
            .iter()
            .zip(widths)
            .map(|(h, n)| Cell::from(cut(h, n))),
    )
    .style(theme.header_row);
    let body: Vec<Row> = list
        .iter()
        .map(|(ev, cells)| {
            let style = match ev.new.as_deref() {
                Some("down") | None => theme.bad,
                Some("up") | Some("available") | Some("active") => theme.good,
                _ => theme.base,
            };
            Row::new(cells.iter().zip(widths).map(|(c, n)| Cell::from(cut(c, n)))).style(style)
        })
        .collect();
    let mut state = TableState::default().with_selected(Some((*selected).min(list.len() - 1)));
    f.render_stateful_widget(
        Table::new(body, widths.map(|n| Constraint::Length(n as u16)))
            .header(header)
            .block(block)
            .column_spacing(1)
            .row_highlight_style(theme.selected),
        area,
        &mut state,
    );
}
