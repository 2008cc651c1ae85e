//! `:journal`: the change journal, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::{App, Mode};

pub fn render(f: &mut Frame, area: Rect, app: &mut App) {
    let Mode::Journal { entries, scroll } = &app.mode else {
        return;
    };
    if area.width < 2 || area.height < 2 {
        return;
    }
    let t = &app.theme;
    let lines: Vec<Line> = match entries {
        None => vec![Line::styled(" reading the journal…", t.muted)],
        Some(Err(e)) => vec![Line::styled(format!(" ✗ {e}"), t.error)],
        Some(Ok(v)) if v.is_empty() => vec![Line::styled(" no change has been made yet", t.muted)],
        Some(Ok(v)) => v
            .iter()
            .rev()
            .map(|e| {
                let style = if e.outcome == "success" {
                    t.good
                } else {
                    t.bad
                };
                let params = e
                    .parameters
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                Line::from(vec![
                    Span::styled(
                        format!(" {} ", e.time.get(..19).unwrap_or(&e.time)),
                        t.muted,
                    ),
                    Span::styled(format!("{:<7} ", e.outcome), style),
                    Span::raw(format!("{} {} ", e.region, e.operation)),
                    Span::styled(params, t.muted),
                    Span::raw(
                        e.request_id
                            .as_deref()
                            .map(|r| format!(" req {r}"))
                            .unwrap_or_default(),
                    ),
                ])
            })
            .collect(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.title)
        .title(Span::styled(
            format!(" Change journal · {} ", app.session.journal.display()),
            t.title,
        ));
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines).block(block).scroll((*scroll, 0)),
        area,
    );
}
