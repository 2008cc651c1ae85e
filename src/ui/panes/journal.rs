//! `:journal`: the change journal, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::{App, Drawn};
use crate::ui::theme::Theme;
use crate::workflows::journal::Journal;

/// Draws the journal (`entries` `None` while it is read); the caller leaves room for the
/// border.
pub fn render(
    f: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    drawn: &mut Drawn,
    (entries, scroll, full): (&Option<Result<Journal, String>>, u16, bool),
) {
    let t = theme;
    let mut lines: Vec<Line> = match entries {
        None => vec![Line::styled(" reading the journal…", t.muted)],
        Some(Err(e)) => vec![Line::styled(format!(" ✗ {e}"), t.error)],
        Some(Ok(j)) if j.changes.is_empty() && j.skipped.is_empty() => {
            vec![Line::styled(" no change has been made yet", t.muted)]
        }
        Some(Ok(j)) => j
            .changes
            .iter()
            .rev()
            .map(|e| {
                if e.outcome == crate::workflows::journal::UNKNOWN {
                    return Line::from(vec![
                        Span::styled(
                            format!(" {} ", e.time.get(..19).unwrap_or(&e.time)),
                            t.muted,
                        ),
                        Span::styled("outcome unknown — check ", t.pending),
                        Span::styled(e.target.clone().unwrap_or_else(|| "?".into()), t.key),
                        Span::raw(format!(
                            " ({} {}: the session ended after the intent was journaled, before the answer)",
                            e.region, e.operation
                        )),
                    ]);
                }
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
                    Span::styled(
                        [
                            e.created_id.as_deref().map(|c| format!(" created {c}")),
                            e.ticket.as_deref().map(|c| format!(" ticket {c}")),
                            e.caller_arn
                                .as_deref()
                                .or(e.profile.as_deref())
                                .map(|c| format!(" by {c}")),
                            e.host.as_deref().map(|c| format!(" on {c}")),
                            e.error_message.as_deref().map(|m| format!(" — {m}")),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<String>(),
                        t.muted,
                    ),
                ])
            })
            .collect(),
    };
    if let Some(Ok(j)) = entries
        && !j.skipped.is_empty()
    {
        lines.insert(
            0,
            Line::styled(
                format!(
                    " ⚠ {} unreadable line(s) skipped: {}",
                    j.skipped.len(),
                    j.skipped.join("; ")
                ),
                t.error,
            ),
        );
    }
    let title = format!(
        " Change journal · {} · Enter: {} ",
        app.session.journal.display(),
        if full {
            "one line each"
        } else {
            "every line whole"
        }
    );
    crate::ui::Overlay {
        title,
        text: lines,
        scroll,
        wrap: full,
    }
    .draw(f, area, theme, drawn);
}
