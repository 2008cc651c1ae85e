//! A path trace or blast radius as text (`p`, `b`, `:path`, `:impact`), each line in the
//! colour of the health it reports.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::app::Drawn;
use crate::model::health::Health;
use crate::ui::theme::Theme;

/// Draws a report, each line in the colour of its health.
pub fn render(
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
    drawn: &mut Drawn,
    (title, lines, scroll): (&str, &[(String, Health)], u16),
) {
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
        title: title.to_string(),
        text,
        scroll,
        wrap: false,
    }
    .draw(f, area, theme, drawn);
}
