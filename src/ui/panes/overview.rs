//! Overview pane: one row per pane with resource counts and health, API errors, and the
//! freshest/oldest data, plus the headline facts an on-call engineer checks first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use crate::action::Pane;
use crate::app::App;
use crate::model::health::{Health, classify};
use crate::model::{Estate, ResourceKind};

/// The overview rows: pane, label, the kinds counted.
pub const ROWS: &[(Pane, &str, &[ResourceKind])] = &[
    (
        Pane::Dx,
        "DX connections & LAGs",
        &[ResourceKind::DxConnections, ResourceKind::DxLags],
    ),
    (
        Pane::Vif,
        "Virtual interfaces",
        &[ResourceKind::DxVirtualInterfaces],
    ),
    (
        Pane::Dxgw,
        "DX gateways",
        &[
            ResourceKind::DxGateways,
            ResourceKind::DxGatewayAssociations,
            ResourceKind::DxGatewayAttachments,
            ResourceKind::DxVirtualGateways,
        ],
    ),
    (Pane::Peering, "VPC peering", &[ResourceKind::VpcPeerings]),
    (
        Pane::Tgw,
        "Transit Gateway",
        &[
            ResourceKind::TransitGateways,
            ResourceKind::TgwAttachments,
            ResourceKind::TgwRouteTables,
            ResourceKind::TgwRoutes,
        ],
    ),
    (
        Pane::Resolver,
        "Resolver",
        &[
            ResourceKind::ResolverEndpoints,
            ResourceKind::ResolverRules,
            ResourceKind::ResolverRuleAssociations,
        ],
    ),
    (
        Pane::Firewall,
        "DNS Firewall",
        &[
            ResourceKind::FirewallRuleGroups,
            ResourceKind::FirewallRules,
            ResourceKind::FirewallAssociations,
            ResourceKind::FirewallConfigs,
        ],
    ),
];

/// (total, healthy, pending, broken, errored sections) over some kinds.
pub fn counts(e: &Estate, kinds: &[ResourceKind]) -> (usize, usize, usize, usize, usize) {
    let (mut total, mut good, mut pending, mut bad, mut errors) = (0, 0, 0, 0, 0);
    for r in e.regions.values() {
        for &k in kinds {
            errors += usize::from(r.status(k).error.is_some());
            for s in r.item_states(k) {
                total += 1;
                match classify(s) {
                    Health::Good => good += 1,
                    Health::Pending => pending += 1,
                    Health::Bad => bad += 1,
                    Health::Neutral => {}
                }
            }
        }
    }
    (total, good, pending, bad, errors)
}

/// Headline facts: BGP sessions, blackholes, pending peerings, VPN tunnels, fail-open VPCs.
pub fn headlines(e: &Estate) -> Vec<(String, Health)> {
    let peers: Vec<_> = e
        .regions
        .values()
        .flat_map(|r| &r.dx_vifs.items)
        .flat_map(|v| &v.bgp_peers)
        .collect();
    let up = peers.iter().filter(|p| p.bgp_status == "up").count();
    let blackholes = e
        .regions
        .values()
        .flat_map(|r| &r.tgw_routes.items)
        .filter(|r| r.state == "blackhole")
        .count();
    let pending = e
        .regions
        .values()
        .flat_map(|r| &r.vpc_peerings.items)
        .filter(|p| p.state == "pending-acceptance")
        .count();
    let tunnels: Vec<_> = e
        .regions
        .values()
        .flat_map(|r| &r.vpn_connections.items)
        .flat_map(|v| &v.tunnels)
        .collect();
    let tunnels_up = tunnels.iter().filter(|t| t.status == "UP").count();
    let conns_down = e
        .regions
        .values()
        .flat_map(|r| &r.dx_connections.items)
        .filter(|c| c.state == "down")
        .count();
    let fail_open = e
        .regions
        .values()
        .flat_map(|r| &r.firewall_configs.items)
        .filter(|c| c.fail_open == "ENABLED")
        .count();
    let h = |bad: bool| if bad { Health::Bad } else { Health::Good };
    vec![
        (
            format!("BGP sessions up {up}/{}", peers.len()),
            h(up < peers.len()),
        ),
        (
            format!("DX connections down {conns_down}"),
            h(conns_down > 0),
        ),
        (format!("Blackhole routes {blackholes}"), h(blackholes > 0)),
        (
            format!("Peerings pending acceptance {pending}"),
            if pending > 0 {
                Health::Pending
            } else {
                Health::Good
            },
        ),
        (
            format!("VPN tunnels up {tunnels_up}/{}", tunnels.len()),
            h(tunnels_up < tunnels.len()),
        ),
        (
            format!("VPCs with DNS Firewall fail-open {fail_open}"),
            if fail_open > 0 {
                Health::Pending
            } else {
                Health::Good
            },
        ),
    ]
}

pub fn render(f: &mut Frame, area: Rect, app: &mut App) {
    let theme = app.theme.clone();
    let [top, facts] = Layout::vertical([
        Constraint::Length(ROWS.len() as u16 + 3),
        Constraint::Min(0),
    ])
    .areas(area);
    let rows: Vec<Row> = ROWS
        .iter()
        .enumerate()
        .map(|(i, (pane, label, kinds))| {
            let (total, good, pending, bad, errors) = counts(&app.estate, kinds);
            let (fresh, fresh_style) = app.freshness(kinds[0]);
            let style = if i == app.overview_selected {
                theme.selected
            } else {
                Default::default()
            };
            let by_sev = app.findings_for(kinds);
            let sev_cells = crate::findings::Severity::ALL_DESC.iter().take(4).map(|s| {
                let n = by_sev.get(s).copied().unwrap_or(0);
                Cell::from(n.to_string()).style(if n > 0 {
                    theme.severity(*s)
                } else {
                    theme.muted
                })
            });
            Row::new(
                vec![
                    Cell::from(format!("{} {label}", pane.digit())),
                    Cell::from(total.to_string()),
                    Cell::from(good.to_string()).style(theme.good),
                    Cell::from(pending.to_string()).style(if pending > 0 {
                        theme.pending
                    } else {
                        Default::default()
                    }),
                    Cell::from(bad.to_string()).style(if bad > 0 {
                        theme.bad
                    } else {
                        Default::default()
                    }),
                    Cell::from(errors.to_string()).style(if errors > 0 {
                        theme.error
                    } else {
                        Default::default()
                    }),
                ]
                .into_iter()
                .chain(sev_cells)
                .chain([Cell::from(fresh).style(fresh_style)])
                .collect::<Vec<_>>(),
            )
            .style(style)
        })
        .collect();
    let header = Row::new([
        "AREA",
        "RESOURCES",
        "HEALTHY",
        "PENDING",
        "BROKEN",
        "API ERRORS",
        "CRIT",
        "HIGH",
        "MED",
        "LOW",
        "DATA",
    ])
    .style(theme.header_row);
    let widths = [
        Constraint::Length(26),
        Constraint::Length(9),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Length(10),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Fill(1),
    ];
    let total = app.findings.len();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" Overview · {total} finding(s), :findings to list them "),
            theme.title,
        ));
    f.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(block)
            .column_spacing(1),
        top,
    );

    let mut lines: Vec<Line> = headlines(&app.estate)
        .into_iter()
        .map(|(text, h)| Line::from(vec![Span::styled(" ● ", theme.health(h)), Span::raw(text)]))
        .collect();
    let errors = app.estate.errors();
    if !errors.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(" {} AWS call(s) failing:", errors.len()),
            theme.error,
        ));
        // As many as the box holds; the last line says how many more there are.
        let room = (facts.height as usize)
            .saturating_sub(2)
            .saturating_sub(lines.len());
        let shown = if errors.len() > room {
            room.saturating_sub(1)
        } else {
            errors.len()
        };
        for (region, kind, e) in errors.iter().take(shown) {
            lines.push(Line::styled(
                format!("   {region} {}: {e}", kind.label()),
                theme.error,
            ));
        }
        if shown < errors.len() {
            lines.push(Line::styled(
                format!(
                    "   … and {} more, each in its own pane",
                    errors.len() - shown
                ),
                theme.error,
            ));
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Health ", theme.title));
    f.render_widget(Paragraph::new(lines).block(block), facts);
}
