//! A path trace or blast radius as text (`p`, `b`, `:path`, `:impact`), each line in the
//! colour of the health it reports.

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
    // The heading in the title style; every other line in the health it reports.
    let text: Vec<Line<'static>> = lines
        .iter()
        .enumerate()
        .map(|(i, (l, h))| {
            let style = match h {
                _ if i == 0 => theme.title,
                crate::model::health::Health::Neutral => theme.base,
                h => theme.health(*h),
            };
            Line::styled(format!(" {l}"), style)
        })
        .collect();
    crate::ui::Overlay {
        title: title.clone(),
        text,
        scroll: *scroll,
        wrap: false,
    }
    .draw(f, area, theme, drawn);
}
