//! One derived state per model revision: everything the views, commands and exports read that
//! is worked out from the whole estate — the graph index's answers (paths per VPC, the
//! topology tree), every finding of every rule family with an index by resource, and the
//! overview's figures per account and region. Built once when the model (or the history it
//! is judged with) changes, never per frame or per key; `:account` and `:region` narrow it
//! without rebuilding it.
//!
//! No terminal, no SDK, no runtime: [`Derived::build`] is a pure function of the estate, the
//! history events and the time.

pub mod apart;
pub mod notices;
mod since;

pub use notices::Notice;
pub use since::Since;

use crate::model::{
    BgpStatus, ConnectionState, FailOpen, PeeringState, TgwRouteState, TunnelStatus,
};
use std::collections::{BTreeMap, HashMap};

use crate::findings::history::HistorySettings;
use crate::findings::{self, Finding, Severity};
use crate::graph::{self, Graph, Index, TreeNode};
use crate::history::Event;
use crate::model::health::Health;
use crate::model::{Estate, ResourceKind, Scope, Timestamp};

/// The key a resource is found by in the findings index: `(region, kind, id)`, with the region
/// left empty for global resources (DX gateways, their associations and attachments are
/// listed by every region's endpoint and belong to none).
pub type ResKey = (String, ResourceKind, String);

/// The [`ResKey`] of a resource.
pub fn res_key(region: &str, kind: ResourceKind, id: &str) -> ResKey {
    let region = if kind.is_global() { "" } else { region };
    (region.to_string(), kind, id.to_string())
}

/// Where a figure is counted: an account, and a region (`None` for global resources).
pub type FigureScope = (String, Option<String>);

/// Resources of one kind by health, in one account and region. `total` is the sum of the
/// others: every resource is exactly one of healthy, pending, broken or stateless (a kind
/// with no state, such as a DNS Firewall rule).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindFigures {
    pub total: usize,
    pub good: usize,
    pub pending: usize,
    pub bad: usize,
    /// Resources with no state (rules, domain lists, route tables without one).
    pub stateless: usize,
    /// Sections of the kind whose last read failed.
    pub errors: usize,
}

impl KindFigures {
    fn add(&mut self, o: &KindFigures) {
        self.total += o.total;
        self.good += o.good;
        self.pending += o.pending;
        self.bad += o.bad;
        self.stateless += o.stateless;
        self.errors += o.errors;
    }
}

/// The headline facts of one account and region (summed when narrowed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub bgp_up: usize,
    pub bgp_peers: usize,
    pub connections_down: usize,
    pub blackholes: usize,
    pub pending_peerings: usize,
    pub tunnels_up: usize,
    pub tunnels: usize,
    pub fail_open: usize,
}

impl Facts {
    fn add(&mut self, o: &Facts) {
        self.bgp_up += o.bgp_up;
        self.bgp_peers += o.bgp_peers;
        self.connections_down += o.connections_down;
        self.blackholes += o.blackholes;
        self.pending_peerings += o.pending_peerings;
        self.tunnels_up += o.tunnels_up;
        self.tunnels += o.tunnels;
        self.fail_open += o.fail_open;
    }
}

/// What `:account` and `:region` narrow to: `None` is every account / region.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narrow {
    pub account: Option<String>,
    pub region: Option<String>,
}

impl Narrow {
    /// Whether a resource read in `account`/`region` is in view; global resources match
    /// every region.
    pub fn admits(&self, account: &str, region: Option<&str>) -> bool {
        self.account.as_deref().is_none_or(|a| a == account)
            && match (self.region.as_deref(), region) {
                (Some(want), Some(r)) => want == r,
                _ => true,
            }
    }

    /// Whether a finding is in view: its first resource's account and region.
    pub fn admits_finding(&self, f: &Finding) -> bool {
        f.resources.first().is_none_or(|r| {
            self.admits(
                r.account.as_deref().unwrap_or(""),
                (!r.kind.is_global() && !r.region.is_empty()).then_some(r.region.as_str()),
            )
        })
    }
}

/// Everything derived from one revision of the estate (and of the history it was judged with).
#[derive(Clone, Default)]
pub struct Derived {
    /// The estate revision and the history revision it was built at (`None`: not built).
    pub at: Option<(u64, u64)>,
    /// Every finding of every rule family, most severe first.
    pub findings: Vec<Finding>,
    /// Positions in `findings` of the findings about each resource.
    about: HashMap<ResKey, Vec<usize>>,
    /// The most severe finding per resource (the `!`/`~` row markers).
    pub worst: HashMap<ResKey, Severity>,
    /// Resources by kind and health, per account and region.
    pub figures: BTreeMap<FigureScope, HashMap<ResourceKind, KindFigures>>,
    /// BGP peer rows per account and region (the BGP peers tab's count).
    pub bgp_peer_rows: BTreeMap<FigureScope, usize>,
    /// Headline facts per account and region.
    pub facts: BTreeMap<FigureScope, Facts>,
    /// The `:topology` tree.
    pub topology: Vec<TreeNode>,
    /// Contradictions in what AWS returned: what was seen and which answer is used.
    pub notices: Vec<Notice>,
    /// Since when connections and BGP sessions have been in their state (from the history).
    pub since: Since,
    /// Per VPC that routes towards on-prem: its verdict and its working paths (the definition
    /// of [`graph::impact::VpcReach::working`]).
    pub reach: Vec<graph::impact::VpcReach>,
    /// The declared intents' outcomes, in the file's order.
    pub intents: Vec<crate::intent::Outcome>,
    /// Why the intents could not be evaluated: a selector that matches nothing read (said,
    /// never passed).
    pub intents_error: Option<String>,
}

impl Derived {
    /// Works out everything from the estate and the history events (any order) at `now`.
    /// History rules only look at events of the accounts and regions in scope.
    pub fn build(
        e: &Estate,
        events: &[Event],
        now: Timestamp,
        history: &HistorySettings,
        intents: &[crate::intent::Intent],
        at: (u64, u64),
    ) -> Derived {
        let ix = Index::new(e);
        let (intents, intents_error) = match crate::intent::verify(&ix, intents) {
            Ok(o) => (o, None),
            Err(e) => (Vec::new(), Some(e)),
        };
        let reach = graph::impact::reaches(&ix);
        let mut all = findings::evaluate_with(e, &ix, &reach, history);
        let scoped = in_scope(e, events);
        all.extend(findings::history::check(e, &scoped, now, history));
        let since = Since::from_events(&scoped);
        let notices = notices::notices(e, &ix);
        findings::sort(&mut all);
        let mut about: HashMap<ResKey, Vec<usize>> = HashMap::new();
        let mut worst: HashMap<ResKey, Severity> = HashMap::new();
        for (i, f) in all.iter().enumerate() {
            for r in &f.resources {
                let k = res_key(&r.region, r.kind, &r.id);
                let list = about.entry(k.clone()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
                let w = worst.entry(k).or_insert(f.severity);
                *w = (*w).max(f.severity);
            }
        }
        let g = Graph::build(&ix);
        let topology = graph::topology(&ix, &g);
        let (figures, bgp_peer_rows, facts) = figures(e);
        Derived {
            at: Some(at),
            findings: all,
            about,
            worst,
            figures,
            bgp_peer_rows,
            facts,
            topology,
            since,
            notices,
            reach,
            intents,
            intents_error,
        }
    }

    /// The findings about one resource, most severe first.
    pub fn about(&self, region: &str, kind: ResourceKind, id: &str) -> Vec<&Finding> {
        self.about
            .get(&res_key(region, kind, id))
            .map(|v| v.iter().map(|&i| &self.findings[i]).collect())
            .unwrap_or_default()
    }

    /// The worst severity about one resource.
    pub fn worst(&self, region: &str, kind: ResourceKind, id: &str) -> Option<Severity> {
        self.worst.get(&res_key(region, kind, id)).copied()
    }

    /// The findings in view.
    pub fn findings_in<'a>(&'a self, n: &'a Narrow) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| n.admits_finding(f))
    }

    /// Resources of some kinds by health, summed over what is in view.
    pub fn kind_figures(&self, kinds: &[ResourceKind], n: &Narrow) -> KindFigures {
        let mut out = KindFigures::default();
        for ((account, region), m) in &self.figures {
            if n.admits(account, region.as_deref()) {
                for k in kinds {
                    if let Some(f) = m.get(k) {
                        out.add(f);
                    }
                }
            }
        }
        out
    }

    /// How many rows a kind's table has in view (each resource once).
    pub fn count(&self, kind: ResourceKind, n: &Narrow) -> usize {
        self.kind_figures(&[kind], n).total
    }

    /// BGP peer rows in view.
    pub fn bgp_peer_rows(&self, n: &Narrow) -> usize {
        self.bgp_peer_rows
            .iter()
            .filter(|((a, r), _)| n.admits(a, r.as_deref()))
            .map(|(_, c)| c)
            .sum()
    }

    /// The headline facts in view.
    pub fn facts(&self, n: &Narrow) -> Facts {
        let mut out = Facts::default();
        for ((a, r), f) in &self.facts {
            if n.admits(a, r.as_deref()) {
                out.add(f);
            }
        }
        out
    }

    /// Findings in view by severity, for the resource kinds of one overview row (by the
    /// finding's first resource).
    pub fn by_severity(&self, kinds: &[ResourceKind], n: &Narrow) -> BTreeMap<Severity, usize> {
        findings::count_by_severity(
            self.findings_in(n)
                .filter(|f| f.resources.first().is_some_and(|r| kinds.contains(&r.kind))),
        )
    }
}

/// Whether a DNS Firewall rule group listed in `account` is another account's copy of one its
/// owner's scope (also read) lists: shown and counted once, in the owner's scope.
pub fn is_shared_copy(e: &Estate, account: &str, id: &str, owner: Option<&str>) -> bool {
    match owner {
        Some(o) if o != account && !account.is_empty() => e.scopes.iter().any(|(s, r)| {
            s.account == o && r.firewall_rule_groups.items.iter().any(|g| g.id == id)
        }),
        _ => false,
    }
}

/// The events about accounts and regions the estate reads (an event of another estate —
/// another profile's, or the demo's — is never judged here).
pub fn in_scope(e: &Estate, events: &[Event]) -> Vec<Event> {
    let accounts = e.scope_accounts();
    let regions = e.region_names();
    events
        .iter()
        .filter(|x| {
            regions.contains(&x.region)
                && (x.account.is_empty() || accounts.is_empty() || accounts.contains(&x.account))
        })
        .cloned()
        .collect()
}

type Figures = (
    BTreeMap<FigureScope, HashMap<ResourceKind, KindFigures>>,
    BTreeMap<FigureScope, usize>,
    BTreeMap<FigureScope, Facts>,
);

/// Counts every resource once: a link between two accounts in its owner's scope (see
/// [`Estate::is_mirror`]), a global resource in the first scope of its account that listed it,
/// counted under no region.
fn figures(e: &Estate) -> Figures {
    let mut figures: BTreeMap<FigureScope, HashMap<ResourceKind, KindFigures>> = BTreeMap::new();
    let mut peers = BTreeMap::new();
    let mut facts: BTreeMap<FigureScope, Facts> = BTreeMap::new();
    let mut global_seen: std::collections::HashSet<(String, ResourceKind, String)> =
        Default::default();
    for (scope, r) in &e.scopes {
        let regional: FigureScope = (scope.account.clone(), Some(scope.region.clone()));
        let global: FigureScope = (scope.account.clone(), None);
        for &k in ResourceKind::ALL {
            let key = if k.is_global() { &global } else { &regional };
            let f = figures
                .entry(key.clone())
                .or_default()
                .entry(k)
                .or_default();
            let status = r.status(k);
            f.errors += usize::from(status.error.is_some());
            let mut tally = |health: Health| {
                f.total += 1;
                match health {
                    Health::Good => f.good += 1,
                    Health::Pending => f.pending += 1,
                    Health::Bad => f.bad += 1,
                    Health::Neutral | Health::Unknown => f.stateless += 1,
                }
            };
            if k == ResourceKind::FirewallRuleGroups {
                for g in &r.firewall_rule_groups.items {
                    if !is_shared_copy(e, &scope.account, &g.id, g.owner_id.as_deref()) {
                        tally(crate::model::Resource::health(g));
                    }
                }
            } else if k.is_global() {
                for (id, health) in r.item_ids_health(k) {
                    if global_seen.insert((scope.account.clone(), k, id)) {
                        tally(health);
                    }
                }
            } else {
                for h in e.joined_health(scope, r, k) {
                    tally(h);
                }
            }
        }
        let rows: usize = r.dx_vifs.items.iter().map(|v| v.bgp_peers.len()).sum();
        *peers.entry(regional.clone()).or_insert(0) += rows;
        facts.insert(regional, scope_facts(e, scope, r));
    }
    (figures, peers, facts)
}

fn scope_facts(e: &Estate, scope: &Scope, r: &crate::model::RegionEstate) -> Facts {
    let peers = r.dx_vifs.items.iter().flat_map(|v| &v.bgp_peers);
    let tunnels = r.vpn_connections.items.iter().flat_map(|v| &v.tunnels);
    Facts {
        bgp_up: peers
            .clone()
            .filter(|p| p.bgp_status == BgpStatus::Up)
            .count(),
        bgp_peers: peers.count(),
        connections_down: r
            .dx_connections
            .items
            .iter()
            .filter(|c| c.state == ConnectionState::Down)
            .count(),
        blackholes: r
            .tgw_routes
            .items
            .iter()
            .filter(|x| x.state == TgwRouteState::Blackhole)
            .count(),
        pending_peerings: r
            .vpc_peerings
            .items
            .iter()
            .filter(|p| {
                p.state == PeeringState::PendingAcceptance
                    && !e.is_mirror(scope, ResourceKind::VpcPeerings, &p.id)
            })
            .count(),
        tunnels_up: tunnels
            .clone()
            .filter(|t| t.status == TunnelStatus::Up)
            .count(),
        tunnels: tunnels.count(),
        fail_open: r
            .firewall_configs
            .items
            .iter()
            .filter(|c| c.fail_open == FailOpen::Enabled)
            .count(),
    }
}
