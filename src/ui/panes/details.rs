//! Details overlay: every field of the selected resource (secrets arrive masked from the
//! model), then related resources (a route table's routes, a rule group's rules in priority
//! order, a domain list's domains fetched on demand, a DXGW's associations and attachments).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use serde_json::Value;

use crate::app::Drawn;
use crate::app::{App, Details, Mode};
use crate::model::Estate;
use crate::ui::theme::Theme;

/// Flattens a JSON value into `path: value` pairs (arrays of scalars joined by `, `).
pub fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, v, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            let joined = items.iter().map(scalar).collect::<Vec<_>>().join(", ");
            out.push((
                prefix.to_string(),
                if joined.is_empty() {
                    "-".into()
                } else {
                    joined
                },
            ));
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, out);
            }
        }
        other => out.push((prefix.to_string(), scalar(other))),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) if s.is_empty() => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The text lines of the details of one resource.
pub fn lines(estate: &Estate, d: &Details, theme: &Theme) -> Vec<Line<'static>> {
    let Some(region) = estate.region_of(&d.account, &d.region) else {
        return vec![Line::raw("region not loaded")];
    };
    let Some(value) = region.item_json(d.kind, &d.id) else {
        return vec![Line::styled(
            format!("{} is no longer in the latest poll", d.id),
            theme.error,
        )];
    };
    let mut pairs = Vec::new();
    flatten("", &value, &mut pairs);
    if !pairs.iter().any(|(k, _)| k == "region") {
        pairs.insert(0, ("region".to_string(), d.region.clone()));
    }
    let width = pairs
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    let mut out: Vec<Line> = pairs
        .into_iter()
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(format!("{k:<width$}  "), theme.header_row),
                Span::raw(v),
            ])
        })
        .collect();
    let mut section = |title: String, rows: Vec<String>| {
        out.push(Line::raw(""));
        out.push(Line::styled(title, theme.title));
        if rows.is_empty() {
            out.push(Line::styled("  (none)", theme.muted));
        }
        out.extend(rows.into_iter().map(|r| Line::raw(format!("  {r}"))));
    };
    for (title, rows) in crate::view::details::related(estate, region, &d.region, d.kind, &d.id) {
        section(title, rows);
    }
    out
}

/// One label line and one ratatui `Sparkline` per metric, in a bordered box.
fn draw_sparks(f: &mut Frame, area: Rect, sparks: &[crate::view::metrics::Spark], theme: &Theme) {
    use ratatui::widgets::{Block, Borders, Clear, Paragraph, Sparkline};
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.title)
        .title(Span::styled(
            " CloudWatch AWS/DX · last hour, 5-minute averages ",
            theme.title,
        ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width as usize;
    for (i, s) in sparks.iter().enumerate() {
        let y = inner.y + 2 * i as u16;
        if y + 1 >= inner.y + inner.height {
            break;
        }
        let label = Rect::new(inner.x, y, inner.width, 1);
        f.render_widget(
            Paragraph::new(Line::styled(
                crate::view::columns::cut(&s.label, width).into_owned(),
                if s.points.is_empty() {
                    theme.muted
                } else {
                    theme.base
                },
            )),
            label,
        );
        let line = Rect::new(inner.x, y + 1, inner.width, 1);
        f.render_widget(
            Sparkline::default()
                .data(&s.points)
                .max(crate::view::metrics::SCALE_MAX)
                .style(theme.good),
            line,
        );
    }
}

pub fn render(f: &mut Frame, area: Rect, app: &App, theme: &Theme, drawn: &mut Drawn) {
    let Mode::Details(d) = &app.mode else { return };
    if area.width < 2 || area.height < 2 {
        return;
    }
    // The last hour of CloudWatch metrics under the fields (connections and VIFs), when the
    // screen has room for both.
    let sparks = if d.raw {
        Vec::new()
    } else {
        app.estate
            .region_of(&d.account, &d.region)
            .map(|r| crate::view::metrics::sparks(r, d.kind, &d.id))
            .unwrap_or_default()
    };
    let strip = (2 + 2 * sparks.len()) as u16;
    let area = if !sparks.is_empty() && area.height >= strip + 10 {
        let [top, bottom] = ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Min(0),
            ratatui::layout::Constraint::Length(strip),
        ])
        .areas(area);
        draw_sparks(f, bottom, &sparks, theme);
        top
    } else {
        area
    };

    let mut text = if d.raw {
        // The model's JSON (secrets were masked before they entered the model).
        let json = app
            .estate
            .region_of(&d.account, &d.region)
            .and_then(|r| r.item_json(d.kind, &d.id))
            .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
            .unwrap_or_else(|| "not in the model any more".into());
        json.lines().map(|l| Line::raw(l.to_string())).collect()
    } else {
        lines(&app.estate, d, theme)
    };
    // The same findings as `Enter`, the findings table and `audit` (the derived state's).
    let about = app.findings_about(&d.region, d.kind, &d.id);
    if !d.raw {
        text.push(Line::raw(""));
        text.push(Line::styled("History", theme.title));
        for l in crate::view::timeline::history_lines(&app.timeline, &d.id, app.now) {
            text.push(Line::raw(format!("  {l}")));
        }
    }
    text.push(Line::raw(""));
    text.push(Line::styled(
        format!("Findings ({})", about.len()),
        theme.title,
    ));
    if about.is_empty() {
        text.push(Line::styled("  none", theme.muted));
    }
    for f in about {
        text.push(Line::from(vec![
            Span::styled(
                format!("  [{}] ", f.severity.label()),
                theme.severity(f.severity),
            ),
            Span::raw(format!("{} {} — {}", f.code, f.title, f.remediation)),
        ]));
    }
    let title = format!(
        " {} {} · {}{} ",
        d.kind.label(),
        d.id,
        d.region,
        if d.raw { " · raw JSON" } else { "" }
    );
    crate::ui::Overlay {
        title,
        text,
        scroll: d.scroll,
        wrap: true,
    }
    .draw(f, area, theme, drawn);
}
