//! A path trace or blast radius as text (`p`, `b`, `:path`, `:impact`): verdicts coloured,
//! problems marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::app::{App, Drawn, Mode};
use crate::ui::theme::Theme;

pub fn render(f: &mut Frame, area: Rect, app: &App, theme: &Theme, drawn: &mut Drawn) {
    let Mode::Report {
        title,
        lines,
        scroll,
        ..
    } = &app.mode
    else {
        return;
    };
    let style = |l: &str| {
        let lower = l.to_ascii_lowercase();
        if l.trim_start().starts_with('!')
            || lower.contains("unreachable")
            || lower.contains("blackhole")
            || lower.contains("bgp down")
            || lower.contains("[down")
        {
            theme.bad
        } else if lower.contains("degraded") || lower.contains("unknown") {
            theme.pending
        } else if lower.contains("reachable") {
            theme.good
        } else if l.starts_with("path ") || l.starts_with("impact ") {
            theme.title
        } else {
            theme.base
        }
    };
    let text: Vec<Line<'static>> = lines
        .iter()
        .map(|l| Line::styled(format!(" {l}"), style(l)))
        .collect();
    crate::ui::Overlay {
        title: title.clone(),
        text,
        scroll: *scroll,
        wrap: false,
    }
    .draw(f, area, theme, drawn);
}
