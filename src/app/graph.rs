//! Path trace and blast radius from the console: `p` / `:path`, `b` / `:impact`, and the
//! `:topology` tree's keys.

use super::{App, Mode};
use crate::graph::{self, Index};
use crate::model::ResourceKind;
use crate::model::health::Health;

impl App {
    /// Traces from `src` to `dst` (to on-prem when `None`) over what is in the model now and
    /// shows the report; an end that cannot be resolved is said in the status line.
    pub(crate) fn show_path(
        &mut self,
        src: &str,
        dst: Option<&str>,
        flow: Option<graph::path::Flow>,
    ) {
        let ix = Index::new(&self.estate);
        let r = match dst {
            Some(d) => graph::path::trace_flow(&ix, src, d, flow),
            None => graph::trace_to_on_prem(&ix, src),
        };
        match r {
            Ok(t) => {
                self.mode = Mode::Report {
                    title: format!(
                        " path {} → {} · {} ",
                        t.from.input,
                        t.to.input,
                        t.verdict.label().to_uppercase()
                    ),
                    lines: t.lines(),
                    scroll: 0,
                    back: self.topology_back(),
                }
            }
            Err(e) => self.set_status(e, true),
        }
    }

    /// Shows the blast radius of `id`.
    pub(crate) fn show_impact(&mut self, id: &str) {
        let ix = Index::new(&self.estate);
        match graph::impact::impact(&ix, id) {
            Ok(i) => {
                let n = i.loses_on_prem.len();
                self.mode = Mode::Report {
                    title: format!(
                        " blast radius of {id} · {n} lose on-prem · {} lose redundancy ",
                        i.loses_redundancy.len()
                    ),
                    lines: i.lines(),
                    scroll: 0,
                    back: self.topology_back(),
                }
            }
            Err(e) => self.set_status(e, true),
        }
    }

    /// Where an address or prefix lands over what is in the model now (`:lookup`): the same
    /// report as `crossconnect lookup`; bad input is said in the status line.
    pub(crate) fn show_lookup(&mut self, target: &str) {
        if target.is_empty() {
            self.set_status("lookup IP|CIDR: give an address or a prefix", true);
            return;
        }
        let net = match graph::lookup::parse_target(target) {
            Ok(n) => n,
            Err(e) => return self.set_status(format!("lookup: {e}"), true),
        };
        let ix = Index::new(&self.estate);
        let found = graph::lookup::lookup(&self.estate, &ix, &net);
        self.mode = Mode::Report {
            title: format!(
                " lookup {} · {} owner(s) · {} VPC and {} TGW route match(es) ",
                found.target,
                found.owners.len(),
                found.vpc_routes.len(),
                found.tgw_routes.len()
            ),
            lines: found.lines(),
            scroll: 0,
            back: None,
        };
    }

    /// The declared intents (`:intents`), as the derived state of what is shown judged them:
    /// each with its state and every pair it checks, with the hop, route or VIF that breaks
    /// it.
    pub(crate) fn show_intents(&mut self) {
        let d = &self.derived;
        if let Some(e) = &d.intents_error {
            return self.set_status(format!("intents: {e}"), true);
        }
        if d.intents.is_empty() {
            return self.set_status(
                "no intents declared: --intents PATH or $XDG_CONFIG_HOME/crossconnect/intents.toml",
                false,
            );
        }
        self.mode = Mode::Intents { selected: 0 };
    }

    /// Every pair of intent `selected` with its whole trace (`Enter` in `:intents`), over the
    /// model shown, as `path` traces it; `Esc` goes back to the list.
    pub(crate) fn show_intent_trace(&mut self, selected: usize) {
        use crate::view::intents::health;
        let Some(o) = self.derived.intents.get(selected) else {
            return;
        };
        let ix = Index::new(&self.estate);
        let mut lines = vec![(format!("{} {}", o.state.label(), o.name), health(o.state))];
        for c in &o.checks {
            lines.push((String::new(), Health::Neutral));
            lines.push((
                format!("{:<8} {}", c.state.label(), c.what),
                health(c.state),
            ));
            lines.push((format!("         {}", c.reason), health(c.state)));
            let Some((from, to)) = &c.trace else { continue };
            match graph::path::trace(&ix, from, to) {
                Ok(t) => lines.extend(t.lines().into_iter().map(|(l, h)| (format!("    {l}"), h))),
                Err(e) => lines.push((format!("    {e}"), Health::Unknown)),
            }
        }
        self.mode = Mode::Report {
            title: format!(" intent {} · {} ", o.name, o.state.label()),
            lines,
            scroll: 0,
            back: Some(Box::new(Mode::Intents { selected })),
        };
    }

    /// The topology to return to when a report is opened from it.
    fn topology_back(&self) -> Option<Box<Mode>> {
        matches!(self.mode, Mode::Topology { .. }).then(|| Box::new(self.mode.clone()))
    }

    /// The selected topology node: (id, graph kind, region).
    pub(crate) fn topology_selection(&self) -> Option<crate::view::topology::TopoRow> {
        let Mode::Topology {
            selected,
            collapsed,
        } = &self.mode
        else {
            return None;
        };
        self.topology_rows(collapsed).into_iter().nth(*selected)
    }

    /// `p`: the path from the selected VPC, TGW attachment or Resolver endpoint to on-prem.
    pub(crate) fn path_from_selection(&mut self) {
        let src = match &self.mode {
            Mode::Topology { .. } => self
                .topology_selection()
                .filter(|r| matches!(r.kind, "vpc" | "tgw-attachment"))
                .map(|r| r.id),
            Mode::Normal => self.selected_row_target().and_then(|d| {
                matches!(
                    d.kind,
                    ResourceKind::Vpcs
                        | ResourceKind::TgwAttachments
                        | ResourceKind::ResolverEndpoints
                )
                .then_some(d.id)
            }),
            _ => return,
        };
        match src {
            Some(id) => self.show_path(&id, None, None),
            None => self.set_status(
                "a path starts at a VPC, TGW attachment or Resolver endpoint: select one (or :path SRC DST)",
                true,
            ),
        }
    }

    /// `b`: the blast radius of the selected VIF, connection, LAG, device or location.
    pub(crate) fn impact_of_selection(&mut self) {
        let id = match &self.mode {
            Mode::Topology { .. } => self
                .topology_selection()
                .filter(|r| {
                    matches!(
                        r.kind,
                        "virtual-interface" | "connection" | "lag" | "device" | "location"
                    )
                })
                .map(|r| r.id),
            Mode::Normal => self.selected_row_target().and_then(|d| {
                matches!(
                    d.kind,
                    ResourceKind::DxConnections
                        | ResourceKind::DxLags
                        | ResourceKind::DxVirtualInterfaces
                        | ResourceKind::DxLocations
                )
                .then_some(d.id)
            }),
            _ => return,
        };
        match id {
            Some(id) => self.show_impact(&id),
            None => self.set_status(
                "blast radius is a VIF's, connection's, LAG's, device's or location's: select one (or :impact ID)",
                true,
            ),
        }
    }

    /// `Enter` on a topology node: its row in its table.
    pub(crate) fn open_topology_node(&mut self) {
        let Some(r) = self.topology_selection() else {
            return;
        };
        let Some(kind) = graph::listing_kind(r.kind) else {
            self.set_status(format!("{} {} has no table of its own", r.kind, r.id), true);
            return;
        };
        self.mode = Mode::Normal;
        if !self.jump_to(&r.region, kind, &r.id) {
            self.set_status(format!("{} is not listed in any table now", r.id), true);
        }
    }

    /// `←`/`→` on a topology node: fold or unfold its subtree.
    pub(crate) fn fold_topology(&mut self, fold: bool) {
        let Some(r) = self.topology_selection() else {
            return;
        };
        if let Mode::Topology { collapsed, .. } = &mut self.mode {
            if fold && r.has_children {
                collapsed.insert(r.key);
            } else if !fold {
                collapsed.remove(&r.key);
            }
        }
    }
}
