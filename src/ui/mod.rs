//! Drawing. [`draw`] lays out header, pane bar, the current pane, and footer, then any
//! overlay. Every function tolerates any area down to 1×1.

pub mod panes;
pub mod table;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::action::Pane;
use crate::app::{App, Drawn, Mode, Stage};
use crate::ui::theme::Theme;
use crate::view::table::WorkflowTables;

/// Spans cut to `width` columns, the last one ending with `…` when anything was cut: a line
/// is never cut silently.
pub fn fit_spans(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let total: usize = spans.iter().map(|s| s.width()).sum();
    if total <= width {
        return spans;
    }
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let w = s.width();
        if used + w < width {
            used += w;
            out.push(s);
            continue;
        }
        let room = width.saturating_sub(used);
        if room > 0 {
            let cut = crate::view::columns::cut(&s.content, room.saturating_sub(1)).into_owned();
            let cut = format!("{}…", cut.trim_end_matches('…'));
            out.push(Span::styled(cut, s.style));
        }
        break;
    }
    out
}

/// An overlay: `text` in a bordered box titled `title`, wrapped when `wrap` (else each line
/// wider than the box ends with `…`), scrolled by `scroll` but never past its end.
pub struct Overlay {
    pub title: String,
    pub text: Vec<Line<'static>>,
    pub scroll: u16,
    pub wrap: bool,
}

impl Overlay {
    /// Draws it over `area`; the scroll used is recorded in `drawn`.
    pub fn draw(
        self,
        f: &mut Frame,
        area: ratatui::layout::Rect,
        theme: &Theme,
        drawn: &mut Drawn,
    ) {
        // Lines counted as wrapped at the inner width when the text wraps.
        let inner = area.width.saturating_sub(2).max(1) as usize;
        let text: Vec<Line<'static>> = if self.wrap {
            self.text
        } else {
            self.text
                .into_iter()
                .map(|l| {
                    let style = l.style;
                    Line::from(fit_spans(l.spans, inner)).style(style)
                })
                .collect()
        };
        let height: usize = if self.wrap {
            text.iter().map(|l| l.width().div_ceil(inner).max(1)).sum()
        } else {
            text.len()
        };
        let max = height.saturating_sub(area.height.saturating_sub(2) as usize) as u16;
        let scroll = self.scroll.min(max);
        drawn.overlay_scroll = Some(scroll);
        let title = vec![Span::styled(self.title, theme.title)];
        let block = overlay_block(f, area, theme, title);
        let mut p = Paragraph::new(text).block(block).scroll((scroll, 0));
        if self.wrap {
            p = p.wrap(Wrap { trim: false });
        }
        f.render_widget(p, area);
    }
}

/// Clears `area` for an overlay and gives its bordered block, the title cut to fit with `…`.
pub fn overlay_block(
    f: &mut Frame,
    area: ratatui::layout::Rect,
    theme: &Theme,
    title: Vec<Span<'static>>,
) -> Block<'static> {
    f.render_widget(Clear, area);
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.title)
        .title(Line::from(fit_spans(
            title,
            area.width.saturating_sub(2) as usize,
        )))
}

/// Brings the view model up to date, draws a frame from `&App`, and keeps what the frame
/// found out (scroll positions, click targets) for the next one.
pub fn draw(f: &mut Frame, app: &mut App, theme: &Theme) {
    app.sync();
    let drawn = render(f, app, theme);
    app.apply_drawn(drawn);
}

/// Draws one frame from the state; nothing in it is changed.
pub fn render(f: &mut Frame, app: &App, theme: &Theme) -> Drawn {
    let mut drawn = Drawn::default();
    let area = f.area();
    if area.width == 0 || area.height == 0 {
        return drawn;
    }
    let theme = theme.clone();
    f.render_widget(Block::default().style(theme.base), area);
    let [header, bar, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);

    let mut spans = vec![Span::styled(" crossconnect ", theme.header)];
    spans.push(if app.session.write {
        Span::styled(" WRITE ", theme.mode_write)
    } else {
        Span::styled(" READ-ONLY ", theme.mode_read_only)
    });
    let accounts = &app.estate.accounts;
    let source = if app.estate.multi_account() {
        let unread = accounts.iter().filter(|a| a.error.is_some()).count();
        let n = accounts.len().max(app.estate.scope_accounts().len());
        if unread > 0 {
            format!("{n} accounts ({unread} NOT READ)")
        } else {
            format!("{n} accounts")
        }
    } else if app.session.demo {
        "demo estate".to_string()
    } else {
        format!(
            "profile {} │ account {}",
            app.session.profile.as_deref().unwrap_or("default"),
            app.session.account.as_deref().unwrap_or("?")
        )
    };
    spans.push(Span::styled(
        format!(" {source} │ {} ", app.session.regions.join(", ")),
        theme.header,
    ));
    if let Some(l) = app.scope_filter_label() {
        spans.push(Span::styled(format!("│ showing {l} "), theme.filter));
    }
    let (every, slow) = app.effective_interval();
    if slow {
        spans.push(Span::styled(
            format!(
                "│ every {every}s (set {}s: polls take longer) ",
                app.session.refresh.as_secs()
            ),
            theme.filter,
        ));
    } else {
        spans.push(Span::styled(format!("│ every {every}s "), theme.header));
    }
    if !app.polling.is_empty() {
        spans.push(Span::styled(
            format!("│ ⟳ polling {} ", app.polling.len()),
            theme.header,
        ));
    }
    f.render_widget(
        Paragraph::new(Line::from(fit_spans(spans, header.width as usize))).style(theme.header),
        header,
    );

    // The pane bar: compact when the terminal is narrow, cut with `…` if still too wide.
    let wide: usize = Pane::ALL.iter().map(|p| p.short().len() + 5).sum();
    let compact = wide > bar.width as usize;
    let panes: Vec<Span> = Pane::ALL
        .iter()
        .flat_map(|p| {
            let style = if *p == app.pane {
                theme.pane_active
            } else {
                theme.pane
            };
            if compact {
                vec![
                    Span::styled(format!("{}{}", p.digit(), p.short()), style),
                    Span::raw(" "),
                ]
            } else {
                vec![
                    Span::styled(format!(" {} {} ", p.digit(), p.short()), style),
                    Span::raw(" "),
                ]
            }
        })
        .collect();
    f.render_widget(
        Paragraph::new(Line::from(fit_spans(panes, bar.width as usize))),
        bar,
    );

    match app.pane {
        Pane::Overview => panes::overview::render(f, body, app, &theme, &mut drawn),
        Pane::Findings => panes::findings::render(f, body, app, &theme, &mut drawn),
        p => table::render_pane(f, body, app, &theme, p, &mut drawn),
    }

    let footer_line = match &app.mode {
        Mode::Command => Line::from(vec![
            Span::styled(":", theme.key),
            Span::raw(app.input.clone()),
            Span::styled("█", theme.muted),
        ]),
        Mode::Filter => Line::from(vec![
            Span::styled("/", theme.key),
            Span::raw(app.input.clone()),
            Span::styled("█", theme.muted),
        ]),
        _ => match &app.status {
            Some(s) => Line::styled(
                format!(" {}", s.text),
                if s.error { theme.error } else { theme.footer },
            ),
            None => hints(app, &theme),
        },
    };
    let line_style = footer_line.style;
    let footer_line =
        Line::from(fit_spans(footer_line.spans, footer.width as usize)).style(line_style);
    f.render_widget(Paragraph::new(footer_line).style(theme.footer), footer);

    // An overlay needs room for its border.
    let room = body.width >= 2 && body.height >= 2;
    let d = &mut drawn;
    match &app.mode {
        Mode::Details(_) => panes::details::render(f, body, app, &theme, d),
        Mode::Help { .. } => panes::help::render(f, body, app, &theme, d),
        Mode::Workflow(_) => panes::workflow::render(f, body, app, &theme, d),
        Mode::Journal {
            entries,
            scroll,
            full,
        } if room => panes::journal::render(f, body, app, &theme, d, (entries, *scroll, *full)),
        Mode::Timeline { .. } => panes::timeline::render(f, body, app, &theme, d),
        Mode::Routes {
            vif,
            routes,
            scroll,
        } if room => panes::routes::render(f, body, app, &theme, d, (vif, routes, *scroll)),
        Mode::Report {
            title,
            lines,
            scroll,
            ..
        } => panes::report::render(f, body, &theme, d, (title, lines, *scroll)),
        Mode::Intents { selected } => {
            let intents = &app.derived.intents;
            let (lines, at) = crate::view::intents::lines(intents, *selected);
            // Scrolled only as far as keeps the selected intent and two of its lines in view.
            let rows = body.height.saturating_sub(2) as usize;
            let scroll = (at + 3).saturating_sub(rows) as u16;
            let title = crate::view::intents::title(intents);
            panes::report::render(f, body, &theme, d, (&title, &lines, scroll))
        }
        Mode::Topology {
            selected,
            collapsed,
        } if room => panes::topology::render(f, body, app, &theme, (*selected, collapsed)),
        Mode::Finding(_) => panes::findings::render_finding(f, body, app, &theme, &mut drawn),
        _ => {}
    }
    drawn
}

fn hints(app: &App, theme: &Theme) -> Line<'static> {
    let t = theme;
    let km = &app.session.keymap;
    let k = |a: &str| km.key_of(a).unwrap_or_else(|| format!(":{a}"));
    let owned: Vec<(String, String)> = match app.mode {
        Mode::Topology { .. } => vec![
            (k("open"), "go to the resource".into()),
            ("←/→".into(), "fold".into()),
            (k("path"), "path to on-prem".into()),
            (k("impact"), "blast radius".into()),
            (k("back"), "back".into()),
        ],
        Mode::Details(_)
        | Mode::Help { .. }
        | Mode::Journal { .. }
        | Mode::Routes { .. }
        | Mode::Report { .. } => vec![
            (k("back"), "back".into()),
            (format!("{}/{}", k("down"), k("up")), "scroll".into()),
            (k("quit"), "quit".into()),
        ],
        Mode::Intents { .. } => vec![
            (k("open"), "trace".into()),
            (format!("{}/{}", k("down"), k("up")), "move".into()),
            (k("back"), "back".into()),
        ],
        Mode::Finding(_) | Mode::Timeline { .. } => vec![
            (k("open"), "go to the resource".into()),
            (format!("{}/{}", k("down"), k("up")), "move".into()),
            (k("back"), "back".into()),
        ],
        Mode::Workflow(ref w) => match &w.stage {
            Stage::Plan { plan, .. } if plan.destructive => vec![
                ("type".into(), plan.confirm_with.clone()),
                ("Enter".into(), "confirm".into()),
                ("Esc".into(), "cancel (nothing is sent)".into()),
            ],
            Stage::Plan { .. } => vec![
                ("y/Enter".into(), "send".into()),
                ("n".into(), "back to the form".into()),
                ("Esc".into(), "cancel (nothing is sent)".into()),
            ],
            _ => vec![
                ("Tab".into(), "field".into()),
                ("Enter".into(), "next step".into()),
                ("Esc".into(), "cancel".into()),
            ],
        },
        _ => {
            // The workflows of this table first, then the global keys.
            let mut v: Vec<(String, String)> = app
                .current_table()
                .map(|tb| {
                    crate::workflows::WorkflowKind::ALL
                        .iter()
                        .filter(|w| w.tables().contains(&tb))
                        .map(|w| {
                            let off = w.mutating() && !app.session.write;
                            (
                                km.keys_or(w.command(), w.key()),
                                format!("{}{}", w.command(), if off { " (--write)" } else { "" }),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            v.extend([
                (k("command"), "command".into()),
                ("1-9".into(), "panes".into()),
                (k("next-tab"), "tables".into()),
                (k("open"), "details".into()),
                (k("filter"), "filter".into()),
                (k("copy-id"), "copy id".into()),
                (k("sort"), "sort".into()),
                (k("refresh"), "refresh".into()),
                (k("help"), "help".into()),
                (k("quit"), "quit".into()),
            ]);
            v
        }
    };
    let pairs: Vec<(&str, &str)> = owned
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let mut spans = vec![Span::raw(" ")];
    for (k, d) in pairs {
        spans.push(Span::styled(k.to_string(), t.key));
        spans.push(Span::styled(format!(" {d}  "), t.footer));
    }
    Line::from(spans)
}
