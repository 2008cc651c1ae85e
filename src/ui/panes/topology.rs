//! `:topology`: the tree from the on-prem side, health-coloured, with findings markers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use std::collections::BTreeSet;

use crate::app::App;
use crate::graph::Health;
use crate::ui::theme::Theme;
use crate::view::topology::label;

/// Draws the topology tree; the caller leaves room for the border.
pub fn render(
    f: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    (selected, collapsed): (usize, &BTreeSet<String>),
) {
    let list = app.topology_rows(collapsed);
    let down = list.iter().filter(|r| r.health == Health::Bad).count();
    let title = vec![
        Span::styled(
            format!(" Topology · from on-prem · {} node(s) shown ", list.len()),
            theme.title,
        ),
        Span::styled(
            if down > 0 {
                format!("· {down} down ")
            } else {
                String::new()
            },
            theme.bad,
        ),
    ];
    let block = crate::ui::overlay_block(f, area, theme, title);
    if list.is_empty() {
        f.render_widget(
            ratatui::widgets::Paragraph::new(Line::styled(
                " nothing to draw yet: no DX location, connection or gateway has been read",
                theme.muted,
            ))
            .block(block),
            area,
        );
        return;
    }
    let width = area.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = list
        .iter()
        .map(|r| {
            let style = theme.health(r.health);
            let marker = match r.finding {
                Some(s) => Span::styled(s.marker(), theme.severity(s)),
                None => Span::raw(" "),
            };
            let text = crate::view::columns::cut(&label(r), width).into_owned();
            ListItem::new(Line::from(vec![
                marker,
                Span::raw(" "),
                Span::styled(text, style),
            ]))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some((selected).min(list.len() - 1)));
    f.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(theme.selected),
        area,
        &mut state,
    );
}
