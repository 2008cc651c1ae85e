//! The BGP routes of a VIF (`o` on a VIF): every accepted and advertised prefix.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::{App, Drawn};
use crate::model::{ApiError, VifRoute};
use crate::ui::theme::Theme;

/// Draws a VIF's BGP routes (`routes` `None` while they are read); the caller leaves room
/// for the border.
pub fn render(
    f: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    drawn: &mut Drawn,
    (vif, routes, scroll): (&str, &Option<Result<Vec<VifRoute>, ApiError>>, u16),
) {
    let t = theme;
    let mut title = format!(" BGP routes of {vif} ");
    let lines: Vec<Line> = match routes {
        None => vec![Line::styled(
            " reading ListVirtualInterfaceRoutes…",
            t.muted,
        )],
        Some(Err(e)) => vec![Line::styled(format!(" ✗ {e}"), t.error)],
        Some(Ok(r)) if r.is_empty() => vec![Line::styled(" no routes", t.muted)],
        Some(Ok(r)) => {
            let accepted = r.iter().filter(|x| x.direction == "accepted").count();
            let vif_type = app
                .estate
                .scopes
                .values()
                .flat_map(|s| &s.dx_vifs.items)
                .find(|v| v.id == vif)
                .map(|v| v.vif_type.clone())
                .unwrap_or_default();
            let quota = crate::model::prefix_quota(&vif_type);
            title = format!(
                " BGP routes of {vif} · {accepted} accepted of a quota of {quota} · {} advertised ",
                r.len() - accepted
            );
            let mut v = vec![Line::styled(
                format!(
                    " {:<10} {:<20} {:<5} {:<24} {:<18} INSTALLED (UTC)",
                    "DIRECTION", "PREFIX", "AF", "AS PATH", "COMMUNITIES"
                ),
                t.header_row,
            )];
            v.extend(r.iter().map(|x| {
                let style = if x.direction == "accepted" {
                    t.base
                } else {
                    t.muted
                };
                Line::from(vec![Span::styled(
                    format!(
                        " {:<10} {:<20} {:<5} {:<24} {:<18} {}",
                        x.direction,
                        x.cidr,
                        x.address_family,
                        x.as_path,
                        x.communities.join(","),
                        x.installed_at
                            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                            .unwrap_or_else(|| "-".into())
                    ),
                    style,
                )])
            }));
            v
        }
    };
    crate::ui::Overlay {
        title,
        text: lines,
        scroll,
        wrap: false,
    }
    .draw(f, area, theme, drawn);
}
