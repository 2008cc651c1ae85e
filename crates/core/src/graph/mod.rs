//! The hybrid connectivity graph, built from the model after every poll (ratatui-free):
//! locations, AWS devices, connections, LAGs, VIFs, BGP peers, DX gateways, VGWs, TGWs and
//! their attachments and route tables, VPCs, VPC route tables, subnets, peerings, VPNs,
//! Resolver endpoints and rules, DNS Firewall associations — and the edges the API answers
//! state between them, each with health from state.
//!
//! [`path::trace`] walks it both ways, [`impact::impact`] gives a failure's blast radius,
//! The topology ([`TreeNode`]) is the tree from the on-prem side.

mod build;
pub mod impact;
pub mod index;
pub mod lookup;
pub mod path;
pub mod terraform;
mod topology;
pub mod whatif;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

pub use index::Index;
pub use topology::*;

pub use crate::model::health::Health;

/// The health of a state as the graph shows it: the shared classifier
/// ([`crate::model::health::classify`]) over the first part of a composite state
/// (`available, BGP up`, `available, 1 of 2 tunnels UP`), broken when it says `BGP down`.
pub fn health(state: &str) -> Health {
    if state.to_ascii_lowercase().contains("bgp down") {
        return Health::Bad;
    }
    match state.split(',').next().unwrap_or("").trim() {
        "" => Health::Unknown,
        // A network ACL or security group on a port-aware path.
        "allow" => Health::Good,
        "deny" => Health::Bad,
        s => crate::model::health::classify(s),
    }
}

/// Health in JSON as the graph spells it: `up`, `pending`, `down`, `unknown`.
fn ser_health<S: serde::Serializer>(h: &Health, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match h {
        Health::Good => "up",
        Health::Pending => "pending",
        Health::Bad => "down",
        Health::Neutral | Health::Unknown => "unknown",
    })
}

/// The Graphviz colour of a state.
pub fn state_colour(state: &str) -> &'static str {
    match health(state) {
        Health::Good => "darkgreen",
        Health::Pending => "orange",
        Health::Bad => "red",
        Health::Neutral | Health::Unknown => "gray",
    }
}

/// A node: one resource.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Node {
    pub id: String,
    /// `location` · `device` · `connection` · `lag` · `virtual-interface` · `bgp-peer` ·
    /// `dx-gateway` · `virtual-private-gateway` · `transit-gateway` · `tgw-attachment` ·
    /// `tgw-route-table` · `vpc` · `vpc-route-table` · `subnet` · `vpc-peering` ·
    /// `vpn-connection` · `resolver-endpoint` · `resolver-rule` · `firewall-association` ·
    /// `core-network` · `cloudwan-attachment`
    pub kind: &'static str,
    pub name: String,
    pub account: String,
    pub region: String,
    pub state: String,
    #[serde(serialize_with = "ser_health")]
    pub health: Health,
}

/// An edge between two nodes, as the API states it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// `on` (VIF → connection), `member` (connection → LAG), `at` (→ device, location),
    /// `attached` (VIF → gateway), `associated` (DXGW → TGW/VGW, attachment → route table),
    /// `propagates`, `route` (route table → target), `in` (subnet → VPC, …), `peer`, `uses`.
    pub kind: &'static str,
    /// A route's destination, an association's allowed prefixes, …
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label: String,
    #[serde(serialize_with = "ser_health")]
    pub health: Health,
}

/// The connectivity graph.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Node position by id.
    #[serde(skip)]
    by_id: HashMap<String, usize>,
    /// Edge ends by (node, edge kind): who points at a node, and what a node points at
    /// (sorted, deduplicated), so walking the tree is not a scan of every edge per node.
    #[serde(skip)]
    incoming: HashMap<(String, &'static str), Vec<String>>,
    #[serde(skip)]
    outgoing: HashMap<(String, &'static str), Vec<String>>,
}

impl Graph {
    /// Builds the graph from everything read.
    pub fn build(ix: &Index) -> Graph {
        let mut g = Builder::default();
        build::dx_nodes(&mut g, ix);
        build::gateway_nodes(&mut g, ix);
        build::tgw_nodes(&mut g, ix);
        build::vpc_nodes(&mut g, ix);
        build::dns_nodes(&mut g, ix);
        build::cloudwan_nodes(&mut g, ix);
        g.finish()
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.by_id.get(id).map(|&i| &self.nodes[i])
    }

    /// The nodes with an edge of `kind` to `to`, sorted.
    pub fn incoming(&self, to: &str, kind: &'static str) -> &[String] {
        self.incoming
            .get(&(to.to_string(), kind))
            .map_or(&[], Vec::as_slice)
    }

    /// The nodes `from` has an edge of `kind` to, sorted.
    pub fn outgoing(&self, from: &str, kind: &'static str) -> &[String] {
        self.outgoing
            .get(&(from.to_string(), kind))
            .map_or(&[], Vec::as_slice)
    }

    /// Graphviz DOT, one cluster per kind row from on-prem to VPCs.
    pub fn dot(&self) -> String {
        let mut s = String::from(
            "digraph crossconnect {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n",
        );
        for n in &self.nodes {
            s.push_str(&format!(
                "  \"{}\" [label=\"{}\\n{}\\n{}\", color={}];\n",
                path::esc(&n.id),
                n.kind,
                path::esc(&n.name),
                path::esc(&n.id),
                state_colour(&n.state)
            ));
        }
        for e in &self.edges {
            let label = if e.label.is_empty() {
                e.kind.to_string()
            } else {
                format!("{} {}", e.kind, e.label)
            };
            s.push_str(&format!(
                "  \"{}\" -> \"{}\" [label=\"{}\"{}];\n",
                path::esc(&e.from),
                path::esc(&e.to),
                path::esc(&label),
                if e.health == Health::Bad {
                    ", color=red, style=dashed"
                } else {
                    ""
                }
            ));
        }
        s.push_str("}\n");
        s
    }

    /// Mermaid `flowchart LR`.
    pub fn mermaid(&self) -> String {
        let key: BTreeMap<&str, String> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), format!("n{i}")))
            .collect();
        let mut s = String::from("flowchart LR\n");
        for n in &self.nodes {
            let text = format!("{}<br/>{}<br/>{}", n.kind, n.name, n.id).replace('"', "'");
            s.push_str(&format!("  {}[\"{}\"]\n", key[n.id.as_str()], text));
        }
        for e in &self.edges {
            let (Some(a), Some(b)) = (key.get(e.from.as_str()), key.get(e.to.as_str())) else {
                continue;
            };
            let arrow = if e.health == Health::Bad {
                "-.->"
            } else {
                "-->"
            };
            let label = if e.label.is_empty() {
                e.kind.to_string()
            } else {
                format!("{} {}", e.kind, e.label)
            };
            s.push_str(&format!(
                "  {a} {arrow}|\"{}\"| {b}\n",
                label.replace('"', "'")
            ));
        }
        for n in self.nodes.iter().filter(|n| n.health == Health::Bad) {
            s.push_str(&format!(
                "  style {} stroke:#d00,stroke-width:2px\n",
                key[n.id.as_str()]
            ));
        }
        s
    }
}

#[derive(Default)]
struct Builder {
    nodes: BTreeMap<String, Node>,
    edges: Vec<Edge>,
    seen: BTreeSet<(String, String, &'static str)>,
}

impl Builder {
    fn node(
        &mut self,
        id: &str,
        kind: &'static str,
        name: &str,
        account: &str,
        region: &str,
        state: &str,
    ) {
        if id.is_empty() {
            return;
        }
        self.nodes.entry(id.to_string()).or_insert_with(|| Node {
            id: id.into(),
            kind,
            name: name.into(),
            account: account.into(),
            region: region.into(),
            state: state.into(),
            // Locations and devices have no state in any API: no health to claim either way.
            health: if matches!(kind, "location" | "device") {
                Health::Neutral
            } else {
                health(state)
            },
        });
    }

    fn edge(&mut self, from: &str, to: &str, kind: &'static str, label: &str, state: &str) {
        if from.is_empty() || to.is_empty() || !self.seen.insert((from.into(), to.into(), kind)) {
            return;
        }
        self.edges.push(Edge {
            from: from.into(),
            to: to.into(),
            kind,
            label: label.into(),
            health: health(state),
        });
    }

    /// Drops edges to nodes that were not read (a route to a NAT gateway, an instance).
    fn finish(self) -> Graph {
        let nodes = self.nodes;
        let edges: Vec<Edge> = self
            .edges
            .into_iter()
            .filter(|e| nodes.contains_key(&e.from) && nodes.contains_key(&e.to))
            .collect();
        let nodes: Vec<Node> = nodes.into_values().collect();
        let by_id = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        let mut incoming: HashMap<(String, &'static str), Vec<String>> = HashMap::new();
        let mut outgoing: HashMap<(String, &'static str), Vec<String>> = HashMap::new();
        for e in &edges {
            incoming
                .entry((e.to.clone(), e.kind))
                .or_default()
                .push(e.from.clone());
            outgoing
                .entry((e.from.clone(), e.kind))
                .or_default()
                .push(e.to.clone());
        }
        for v in incoming.values_mut().chain(outgoing.values_mut()) {
            v.sort();
            v.dedup();
        }
        Graph {
            nodes,
            edges,
            by_id,
            incoming,
            outgoing,
        }
    }
}

/// Traces from `src` (a VPC, attachment or endpoint id) to on-prem: to the first on-prem
/// prefix (see [`impact::on_prem_prefixes`]) whose forward way reaches a DX gateway, VGW or
/// VPN; else to the first one. Errors when no prefix leads to on-prem in what was read.
pub fn trace_to_on_prem(ix: &Index, src: &str) -> Result<path::Trace, String> {
    let prefixes = impact::on_prem_prefixes(ix);
    let mut first = None;
    for p in &prefixes {
        let t = match path::trace(ix, src, &p.to_string()) {
            Ok(t) if t.to.kind == "on-prem" => t,
            Ok(_) => continue,
            Err(e) if first.is_none() && prefixes.len() == 1 => return Err(e),
            Err(_) => continue,
        };
        let out = t.forward.hops.iter().any(|h| {
            matches!(
                h.kind,
                "dx-gateway" | "virtual-private-gateway" | "vpn-connection"
            )
        });
        if out {
            return Ok(t);
        }
        first.get_or_insert(t);
    }
    first.ok_or_else(|| {
        format!(
            "no on-prem prefix to trace {src} to: nothing read routes to a DX gateway, VGW or VPN"
        )
    })
}

/// The resource kind a graph node kind is listed as, for jumping to its table.
pub fn listing_kind(kind: &str) -> Option<crate::model::ResourceKind> {
    use crate::model::ResourceKind as K;
    Some(match kind {
        "connection" => K::DxConnections,
        "lag" => K::DxLags,
        "virtual-interface" => K::DxVirtualInterfaces,
        "dx-gateway" => K::DxGateways,
        "virtual-private-gateway" => K::DxVirtualGateways,
        "transit-gateway" => K::TransitGateways,
        "tgw-attachment" => K::TgwAttachments,
        "tgw-route-table" => K::TgwRouteTables,
        "vpc" => K::Vpcs,
        "vpc-route-table" => K::VpcRouteTables,
        "vpc-peering" => K::VpcPeerings,
        "vpn-connection" => K::VpnConnections,
        "resolver-endpoint" => K::ResolverEndpoints,
        "resolver-rule" => K::ResolverRules,
        "location" => K::DxLocations,
        _ => return None,
    })
}
