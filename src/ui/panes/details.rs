//! Details overlay: every field of the selected resource (secrets arrive masked from the
//! model), then related resources (a route table's routes, a rule group's rules in priority
//! order, a domain list's domains fetched on demand, a DXGW's associations and attachments).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use serde_json::Value;

use crate::app::Drawn;
use crate::app::{App, Details, Mode};
use crate::model::{Estate, ResourceKind};
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
    match d.kind {
        ResourceKind::VpcRouteTables => {
            if let Some(t) = region.vpc_route_tables.items.iter().find(|t| t.id == d.id) {
                section(
                    "Routes (destination, target, state, origin)".into(),
                    t.routes
                        .iter()
                        .map(|r| {
                            format!(
                                "{:<20} {:<18} {:<28} {:<9} {}",
                                r.destination, r.target_kind, r.target_id, r.state, r.origin
                            )
                        })
                        .collect(),
                );
            }
        }
        ResourceKind::TgwRouteTables => {
            let routes = region
                .tgw_routes
                .items
                .iter()
                .filter(|r| r.route_table_id == d.id);
            section(
                "Routes".into(),
                routes
                    .map(|r| {
                        format!(
                            "{:<18} {:<10} {:<9} {}",
                            r.destination,
                            r.route_type,
                            r.state,
                            r.targets
                                .iter()
                                .filter_map(|t| t.attachment_id.clone())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })
                    .collect(),
            );
            // Associations and propagations share a shape: attachment, resource, state.
            let link = |attachment: &str, resource: &Option<String>, state: &str| {
                format!(
                    "{attachment} {} {state}",
                    resource.as_deref().unwrap_or("-")
                )
            };
            let assoc = region
                .tgw_associations
                .items
                .iter()
                .filter(|a| a.route_table_id == d.id);
            section(
                "Associations".into(),
                assoc
                    .map(|a| link(&a.attachment_id, &a.resource_id, a.state.as_str()))
                    .collect(),
            );
            let props = region
                .tgw_propagations
                .items
                .iter()
                .filter(|a| a.route_table_id == d.id);
            section(
                "Propagations".into(),
                props
                    .map(|a| link(&a.attachment_id, &a.resource_id, a.state.as_str()))
                    .collect(),
            );
        }
        ResourceKind::FirewallRuleGroups => {
            let mut rules: Vec<_> = region
                .firewall_rules
                .items
                .iter()
                .filter(|r| r.rule_group_id == d.id)
                .collect();
            rules.sort_by_key(|r| r.priority);
            section(
                "Rules (evaluation order)".into(),
                rules
                    .iter()
                    .map(|r| {
                        format!(
                            "{:>5} {:<6} {:<24} {}",
                            r.priority,
                            r.action,
                            r.domain_list_id.as_deref().unwrap_or("-"),
                            r.redirection_action
                        )
                    })
                    .collect(),
            );
        }
        ResourceKind::FirewallDomainLists => {
            let rows = match estate
                .firewall_domains
                .get(&(d.region.clone(), d.id.clone()))
            {
                None => vec!["loading… (ListFirewallDomains)".to_string()],
                Some(Ok(domains)) => domains.clone(),
                Some(Err(e)) => vec![format!("✗ {e}")],
            };
            section("Domains".into(), rows);
        }
        ResourceKind::DxGateways => {
            // A DX gateway is global: its associations and attachments, whichever region's
            // endpoint listed them, each once.
            let mut seen = std::collections::BTreeSet::new();
            let assoc = estate
                .scopes
                .values()
                .flat_map(|r| &r.dx_gateway_associations.items)
                .filter(|a| a.direct_connect_gateway_id == d.id && seen.insert(a.id.clone()));
            section(
                "Associations".into(),
                assoc
                    .map(|a| {
                        format!(
                            "{} {} {} {}",
                            a.name,
                            a.state,
                            a.associated_gateway_region.as_deref().unwrap_or("-"),
                            a.allowed_prefixes.join(",")
                        )
                    })
                    .collect(),
            );
            let mut seen = std::collections::BTreeSet::new();
            let att = estate
                .scopes
                .values()
                .flat_map(|r| &r.dx_gateway_attachments.items)
                .filter(|a| {
                    a.direct_connect_gateway_id == d.id
                        && seen.insert(a.virtual_interface_id.clone())
                });
            section(
                "Attachments".into(),
                att.map(|a| format!("{} {}", a.virtual_interface_id, a.state))
                    .collect(),
            );
        }
        ResourceKind::DxConnections | ResourceKind::DxLags => {
            let vifs = region
                .dx_vifs
                .items
                .iter()
                .filter(|v| v.connection_id == d.id);
            section(
                "Virtual interfaces".into(),
                vifs.map(|v| {
                    format!(
                        "{} {} vlan {} {} bgp {}",
                        v.id,
                        v.name,
                        v.vlan,
                        v.state,
                        v.bgp_summary()
                    )
                })
                .collect(),
            );
        }
        ResourceKind::ResolverRules => {
            let assoc = region
                .resolver_rule_associations
                .items
                .iter()
                .filter(|a| a.resolver_rule_id == d.id);
            section(
                "VPC associations".into(),
                assoc
                    .map(|a| {
                        format!(
                            "{} {} {}",
                            a.id,
                            estate.vpc_label(&d.region, &a.vpc_id),
                            a.state
                        )
                    })
                    .collect(),
            );
        }
        _ => {}
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
