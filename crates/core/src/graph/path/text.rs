//! A trace as text, DOT and coloured lines.

use super::*;

impl Trace {
    /// A screenful of plain text: the verdict, each direction hop by hop, the problems.
    pub fn text(&self) -> String {
        crate::graph::join_lines(&self.lines())
    }

    /// The text's lines, each with the health it reports (the verdicts', a hop's state,
    /// problems as broken), for a screen to colour without reading the words.
    pub fn lines(&self) -> Vec<(String, Health)> {
        let mut out = Vec::new();
        let end = |e: &EndInfo| match &e.vpc {
            Some(v) if e.name.is_empty() => format!("{v} ({})", e.cidr),
            Some(v) => format!("{v} {} ({})", e.name, e.cidr),
            None => format!("{} (on-prem)", e.cidr),
        };
        out.push((
            format!("path {} → {}", end(&self.from), end(&self.to)),
            Health::Neutral,
        ));
        let mut v = format!(
            "verdict: {}{} · {} working path(s)",
            self.verdict.label().to_uppercase(),
            if self.on_vpn_backup {
                ": on VPN backup"
            } else {
                ""
            },
            self.working_paths
        );
        let d = &self.diversity;
        if d.vifs > 0 {
            v.push_str(&format!(
                " · {} VIF(s), {} connection(s), {} device(s), {} location(s)",
                d.vifs, d.connections, d.devices, d.locations
            ));
        }
        if d.vpns > 0 {
            let backup = self
                .forward
                .vpn_paths
                .iter()
                .chain(&self.back.vpn_paths)
                .any(|p| p.role == "backup");
            let what = if backup { "VPN backup(s)" } else { "VPN(s)" };
            v.push_str(&format!(" · {} {what} with a tunnel up", d.vpns));
        }
        out.push((v, self.verdict.health()));
        out.push((format!("judged: {}", self.judged), Health::Neutral));
        if !self.problems.is_empty() {
            out.push((String::new(), Health::Neutral));
            out.push(("problems:".into(), Health::Neutral));
            for p in &self.problems {
                out.push((format!("  ! {p}"), Health::Bad));
            }
        }
        let w = self
            .forward
            .hops
            .iter()
            .chain(&self.back.hops)
            .map(|h| h.id.chars().count())
            .max()
            .unwrap_or(0);
        // The kind column as wide as the widest kind on the trace (at least 17).
        let wk = self
            .forward
            .hops
            .iter()
            .chain(&self.back.hops)
            .map(|h| h.kind.len())
            .max()
            .unwrap_or(0)
            .max(17);
        for (title, leg) in [("forward", &self.forward), ("return", &self.back)] {
            out.push((String::new(), Health::Neutral));
            out.push((
                format!("{title}: {}", leg.verdict.label().to_uppercase()),
                leg.verdict.health(),
            ));
            for h in &leg.hops {
                let mut l = format!("  {:<w$}  {:<wk$}  {}", h.id, h.kind, h.name);
                if !h.state.is_empty() {
                    l.push_str(&format!("  [{}]", h.state));
                }
                if let Some(rt) = &h.resource_type {
                    l.push_str(&format!("  ({rt})"));
                }
                if let Some(r) = &h.route {
                    l.push_str(&format!("  {r}"));
                }
                let tone = if h.state.is_empty() {
                    Health::Neutral
                } else {
                    crate::graph::health(&h.state)
                };
                out.push((l, tone));
                if let Some(n) = &h.note {
                    out.push((format!("  {:<w$}  note: {n}", ""), Health::Neutral));
                }
            }
        }
        out
    }

    /// Graphviz DOT: the forward hops as solid edges, the return as dashed ones; red for a
    /// hop that is down.
    pub fn dot(&self) -> String {
        let mut s = String::from(
            "digraph path {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n",
        );
        let mut nodes = BTreeSet::new();
        for (leg, style) in [(&self.forward, "solid"), (&self.back, "dashed")] {
            for h in &leg.hops {
                if nodes.insert(h.id.clone()) {
                    s.push_str(&format!(
                        "  \"{}\" [label=\"{}\\n{}\\n{}\", color={}];\n",
                        esc(&h.id),
                        h.kind,
                        esc(&h.name),
                        esc(&h.id),
                        crate::graph::state_colour(&h.state)
                    ));
                }
            }
            let mut prev: Option<&Hop> = None;
            for h in &leg.hops {
                if let Some(p) = prev {
                    // DX fan-out: each VIF hangs off the gateway, its connection off it.
                    let from = match h.kind {
                        "virtual-interface" => leg
                            .hops
                            .iter()
                            .rev()
                            .find(|x| matches!(x.kind, "dx-gateway" | "virtual-private-gateway"))
                            .unwrap_or(p),
                        _ => p,
                    };
                    s.push_str(&format!(
                        "  \"{}\" -> \"{}\" [style={style}];\n",
                        esc(&from.id),
                        esc(&h.id)
                    ));
                }
                prev = Some(h);
            }
        }
        s.push_str(&format!(
            "  label=\"{} → {}: {}\";\n}}\n",
            esc(&self.from.input),
            esc(&self.to.input),
            self.verdict.label()
        ));
        s
    }
}

pub(crate) fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}
