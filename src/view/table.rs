//! Tables as data: every pane (but Overview) is a set of tabs, each a [`TableId`] whose rows
//! are built from the model once per change ([`TableView::sync`]) and drawn a screenful at a
//! time, so a table of 100 000 routes costs no more to draw than one of ten. Selection,
//! filter, sort and horizontal scroll live here; `src/ui/table.rs` only draws.

use crate::findings::Severity;
use crate::model::health::Health;
use crate::model::{Estate, RegionEstate, Resource, ResourceKind};
use crate::view::columns::Width;
use crate::view::pane::Pane;

/// One table of one pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableId {
    DxConnections,
    DxLags,
    VpnConnections,
    DxLocations,
    Vifs,
    BgpPeers,
    DxGateways,
    DxgwAssociations,
    DxgwAttachments,
    VirtualGateways,
    Peerings,
    Vpcs,
    VpcRouteTables,
    NetworkAcls,
    TransitGateways,
    TgwAttachments,
    TgwRouteTables,
    TgwRoutes,
    TgwAssociations,
    TgwPropagations,
    TgwPeerings,
    TgwConnectPeers,
    ResolverEndpoints,
    ResolverRules,
    ResolverRuleAssociations,
    Profiles,
    FirewallRuleGroups,
    FirewallRules,
    FirewallDomainLists,
    FirewallAssociations,
    FirewallConfigs,
    CoreNetworks,
    CloudWanAttachments,
    CloudWanRoutes,
    /// The findings of the audit rules (`:findings`).
    Findings,
}

impl TableId {
    /// The tables of a pane, in tab order.
    pub fn of(pane: Pane) -> &'static [TableId] {
        use TableId::*;
        match pane {
            Pane::Overview => &[],
            Pane::Dx => &[DxConnections, DxLags, VpnConnections, DxLocations],
            Pane::Vif => &[Vifs, BgpPeers],
            Pane::Dxgw => &[
                DxGateways,
                DxgwAssociations,
                DxgwAttachments,
                VirtualGateways,
            ],
            Pane::Peering => &[Peerings, Vpcs, VpcRouteTables, NetworkAcls],
            Pane::Tgw => &[
                TransitGateways,
                TgwAttachments,
                TgwRouteTables,
                TgwRoutes,
                TgwAssociations,
                TgwPropagations,
                TgwPeerings,
                TgwConnectPeers,
            ],
            Pane::Resolver => &[
                ResolverEndpoints,
                ResolverRules,
                ResolverRuleAssociations,
                Profiles,
            ],
            Pane::Firewall => &[
                FirewallRuleGroups,
                FirewallRules,
                FirewallDomainLists,
                FirewallAssociations,
                FirewallConfigs,
            ],
            Pane::Findings => &[Findings],
            Pane::CloudWan => &[CoreNetworks, CloudWanAttachments, CloudWanRoutes],
        }
    }

    /// The resource kind the rows come from (its freshness and errors head the table);
    /// `None` for the findings table, whose rows come from every kind.
    pub fn source_kind(self) -> Option<ResourceKind> {
        (self != TableId::Findings).then(|| self.kind())
    }

    /// The resource kind the rows come from (the findings table: Direct Connect connections,
    /// the first kind; use [`TableId::source_kind`] to tell).
    pub fn kind(self) -> ResourceKind {
        use TableId::*;
        match self {
            DxConnections | Findings => ResourceKind::DxConnections,
            DxLags => ResourceKind::DxLags,
            VpnConnections => ResourceKind::VpnConnections,
            DxLocations => ResourceKind::DxLocations,
            Vifs | BgpPeers => ResourceKind::DxVirtualInterfaces,
            DxGateways => ResourceKind::DxGateways,
            DxgwAssociations => ResourceKind::DxGatewayAssociations,
            DxgwAttachments => ResourceKind::DxGatewayAttachments,
            VirtualGateways => ResourceKind::DxVirtualGateways,
            Peerings => ResourceKind::VpcPeerings,
            Vpcs => ResourceKind::Vpcs,
            VpcRouteTables => ResourceKind::VpcRouteTables,
            TransitGateways => ResourceKind::TransitGateways,
            TgwAttachments => ResourceKind::TgwAttachments,
            TgwRouteTables => ResourceKind::TgwRouteTables,
            TgwRoutes => ResourceKind::TgwRoutes,
            TgwAssociations => ResourceKind::TgwAssociations,
            TgwPropagations => ResourceKind::TgwPropagations,
            TgwPeerings => ResourceKind::TgwPeerings,
            TgwConnectPeers => ResourceKind::TgwConnectPeers,
            NetworkAcls => ResourceKind::NetworkAcls,
            ResolverEndpoints => ResourceKind::ResolverEndpoints,
            ResolverRules => ResourceKind::ResolverRules,
            ResolverRuleAssociations => ResourceKind::ResolverRuleAssociations,
            Profiles => ResourceKind::Profiles,
            FirewallRuleGroups => ResourceKind::FirewallRuleGroups,
            FirewallRules => ResourceKind::FirewallRules,
            FirewallDomainLists => ResourceKind::FirewallDomainLists,
            FirewallAssociations => ResourceKind::FirewallAssociations,
            FirewallConfigs => ResourceKind::FirewallConfigs,
            CoreNetworks => ResourceKind::CoreNetworks,
            CloudWanAttachments => ResourceKind::CloudWanAttachments,
            CloudWanRoutes => ResourceKind::CloudWanRoutes,
        }
    }

    /// Resource kinds whose change requires a rebuild (the main kind plus context, e.g. VPC names).
    pub fn depends_on(self) -> Vec<ResourceKind> {
        let mut v = vec![self.kind()];
        match self {
            TableId::Peerings
            | TableId::ResolverEndpoints
            | TableId::VpcRouteTables
            | TableId::FirewallAssociations
            | TableId::FirewallConfigs => v.push(ResourceKind::Vpcs),
            TableId::FirewallRules => v.push(ResourceKind::FirewallDomainLists),
            TableId::ResolverRuleAssociations => {
                v.extend([ResourceKind::Vpcs, ResourceKind::ResolverRules])
            }
            TableId::ResolverRules => v.extend([
                ResourceKind::ResolverEndpoints,
                ResourceKind::ResolverRuleAssociations,
                ResourceKind::ProfileAssociations,
                ResourceKind::ProfileResources,
            ]),
            TableId::Profiles => v.extend([
                ResourceKind::Vpcs,
                ResourceKind::ProfileAssociations,
                ResourceKind::ProfileResources,
            ]),
            // Name columns next to ids.
            TableId::Vifs => v.extend([
                ResourceKind::DxGateways,
                ResourceKind::DxVirtualGateways,
                ResourceKind::DxMetrics,
                ResourceKind::DxVifRoutes,
            ]),
            TableId::DxConnections => v.push(ResourceKind::DxMetrics),
            TableId::DxgwAttachments => v.push(ResourceKind::DxVirtualInterfaces),
            TableId::TgwRoutes => v.push(ResourceKind::TgwAttachments),
            TableId::TgwConnectPeers => v.push(ResourceKind::TgwConnects),
            TableId::NetworkAcls => v.push(ResourceKind::Vpcs),
            TableId::TgwRouteTables => {
                v.extend([ResourceKind::TgwAssociations, ResourceKind::TgwRoutes])
            }
            _ => {}
        }
        v
    }

    /// The table that lists a resource kind (VIFs: the VIF table, not the BGP peers).
    pub fn listing(kind: ResourceKind) -> Option<(Pane, TableId)> {
        Pane::ALL.iter().find_map(|p| {
            TableId::of(*p)
                .iter()
                .find(|t| t.source_kind() == Some(kind) && **t != TableId::BgpPeers)
                .map(|t| (*p, *t))
        })
    }

    pub fn title(self) -> &'static str {
        match self {
            TableId::BgpPeers => "BGP peers",
            TableId::Findings => "Findings",
            t => t.kind().label(),
        }
    }
}

/// The columns in front of every table's own: REGION, and ACCOUNT before it when more than
/// one account is in scope (the row cells start with them, see [`Row::of`] and
/// `view::panes::with_accounts`).
pub fn scope_columns(e: &Estate) -> &'static [(&'static str, Width)] {
    if e.multi_account() {
        &[("ACCOUNT", Width::Whole(7)), ("REGION", Width::Whole(6))]
    } else {
        &[("REGION", Width::Whole(6))]
    }
}

/// One drawn row: enough to draw, filter and open details without the model.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The account the resource was read in (empty: unknown).
    pub account: String,
    pub region: String,
    pub kind: ResourceKind,
    /// Resource id within its kind (details look it up by this).
    pub id: String,
    pub cells: Vec<String>,
    /// Which cell holds the state (coloured by its health).
    pub state_col: Option<usize>,
    pub health: Health,
    /// Changed in the last poll of its kind.
    pub changed: bool,
    /// Lower-cased cells, for the filter.
    pub search: String,
    /// The most severe finding about the resource (drawn as a `!`/`~` marker).
    pub severity: Option<Severity>,
}

impl Row {
    /// A row for a resource: the first cell is the region, then `cells`; the state cell is
    /// found by value (the resource's state), so each table lists its columns once.
    pub fn of<R: Resource>(
        r: &RegionEstate,
        kind: ResourceKind,
        item: &R,
        cells: Vec<String>,
    ) -> Row {
        let id = item.id();
        let state = item.state();
        let state_col = if state.is_empty() {
            None
        } else {
            cells.iter().position(|c| c == state).map(|i| i + 1)
        };
        let mut all = Vec::with_capacity(cells.len() + 1);
        // A global resource (a DX gateway) belongs to no region: shown once, as `global`.
        all.push(if kind.is_global() {
            "global".to_string()
        } else {
            r.region.clone()
        });
        all.extend(cells);
        let mut row = Row::new(
            &r.region,
            kind,
            id.clone(),
            all,
            state_col,
            item.health(),
            r.is_changed(kind, &id),
        );
        row.account = r.account.clone();
        row
    }

    pub fn new(
        region: &str,
        kind: ResourceKind,
        id: String,
        cells: Vec<String>,
        state_col: Option<usize>,
        health: Health,
        changed: bool,
    ) -> Row {
        let search = cells.join(" ").to_lowercase();
        Row {
            account: String::new(),
            region: region.to_string(),
            kind,
            id,
            cells,
            state_col,
            health,
            changed,
            search,
            severity: None,
        }
    }
}

/// The rows of one table with the user's filter, selection and scroll.
#[derive(Clone, Debug, Default)]
pub struct TableView {
    pub rows: Vec<Row>,
    /// Indices into `rows` that pass the filter.
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub selected: usize,
    /// First visible position drawn.
    pub offset: usize,
    pub filter: String,
    /// Show only rows with findings.
    pub only_findings: bool,
    /// Show only rows of this account and region (`:account`, `:region`); `None`: all.
    pub scope: (Option<String>, Option<String>),
    /// The model revision the rows were built at.
    pub built_at: Option<u64>,
    /// The findings revision the markers were set at.
    pub marked_at: Option<u64>,
    /// The history revision the SINCE column was worked out at.
    pub since_at: Option<u64>,
    /// The widest cell of each column (display width), over every row.
    pub natural: Vec<usize>,
    /// Columns scrolled past horizontally (`←`/`→`) when not all fit.
    pub hscroll: usize,
    /// Sorted by this cell column, descending when `true`; `None`: the model's order.
    pub sort: Option<(usize, bool)>,
}

impl TableView {
    /// Rebuilds the rows if a kind the table depends on changed since they were built,
    /// keeping the selection on the same resource when it still exists.
    pub fn sync(&mut self, table: TableId, estate: &Estate) {
        self.sync_with(table, estate, &crate::derived::Since::default(), 0);
    }

    /// [`TableView::sync`] for the console: rows carry the derived state's SINCE column, and
    /// tables that show it are rebuilt when the history (`history_at`) grows too.
    pub fn sync_with(
        &mut self,
        table: TableId,
        estate: &Estate,
        since: &crate::derived::Since,
        history_at: u64,
    ) {
        let uses_since = matches!(table, TableId::DxConnections | TableId::BgpPeers);
        let newest = table
            .depends_on()
            .iter()
            .filter_map(|k| estate.kind_revision.get(k))
            .max()
            .copied()
            .unwrap_or(0);
        let current = self.built_at.is_some_and(|b| b >= newest)
            && (!uses_since || self.since_at == Some(history_at));
        if current {
            return;
        }
        self.since_at = Some(history_at);
        self.set_rows(table.rows_with(estate, since), estate.revision);
    }

    /// Replaces the rows (built at `revision`), keeping the selection on the same resource
    /// when it still exists.
    pub fn set_rows(&mut self, rows: Vec<Row>, revision: u64) {
        let keep = self
            .selected_row()
            .map(|r| (r.account.clone(), r.region.clone(), r.id.clone()));
        self.natural.clear();
        for r in &rows {
            if self.natural.len() < r.cells.len() {
                self.natural.resize(r.cells.len(), 0);
            }
            for (n, c) in self.natural.iter_mut().zip(&r.cells) {
                *n = (*n).max(crate::view::columns::width(c));
            }
        }
        self.rows = rows;
        self.built_at = Some(revision);
        self.marked_at = None;
        self.apply_filter();
        if let Some((account, region, id)) = keep
            && let Some(pos) = self.visible.iter().position(|&i| {
                let r = &self.rows[i];
                r.id == id && r.region == region && r.account == account
            })
        {
            self.selected = pos;
        }
    }

    /// Sets each row's finding marker from the worst severity per resource.
    pub fn mark(&mut self, derived: &crate::derived::Derived, revision: u64) {
        if self.marked_at == Some(revision) {
            return;
        }
        for r in &mut self.rows {
            r.severity = derived.worst(&r.region, r.kind, &r.id);
        }
        self.marked_at = Some(revision);
        if self.only_findings {
            self.apply_filter();
        }
    }

    /// Recomputes `visible` from `filter` (case-insensitive substring over every cell) and
    /// the findings-only toggle.
    pub fn apply_filter(&mut self) {
        let needle = self.filter.to_lowercase();
        let only = self.only_findings;
        let (account, region) = &self.scope;
        self.visible.clear();
        self.visible.extend(
            self.rows
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    account.as_ref().is_none_or(|a| *a == r.account)
                        && region
                            .as_ref()
                            .is_none_or(|g| *g == r.region || r.kind.is_global())
                        && (!only || r.severity.is_some())
                        && (needle.is_empty() || r.search.contains(&needle))
                })
                .map(|(i, _)| i),
        );
        if let Some((col, desc)) = self.sort {
            let rows = &self.rows;
            let key = |i: &usize| rows[*i].cells.get(col).cloned().unwrap_or_default();
            self.visible.sort_by(|a, b| {
                let o = natural_cmp(&key(a), &key(b));
                if desc { o.reverse() } else { o }
            });
        }
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    /// Sorts by the next column: unsorted → column 0 ascending → descending → column 1 …
    /// → unsorted again.
    pub fn cycle_sort(&mut self, columns: usize) {
        self.sort = match self.sort {
            None => Some((0, false)),
            Some((c, false)) => Some((c, true)),
            Some((c, true)) if c + 1 < columns => Some((c + 1, false)),
            Some(_) => None,
        };
        self.apply_filter();
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.visible.get(self.selected).map(|&i| &self.rows[i])
    }

    /// Moves the selection by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// The first row to draw so the selection is on screen in a body `height` rows tall,
    /// starting from the current offset.
    pub fn offset_for(&self, height: usize) -> usize {
        if height == 0 {
            return self.offset;
        }
        let mut offset = self.offset;
        if self.selected < offset {
            offset = self.selected;
        } else if self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        offset.min(self.visible.len().saturating_sub(height))
    }
}

/// Compares cell texts with runs of digits as numbers (`vlan 9` before `vlan 10`), and IPv4
/// addresses and CIDRs by their numeric value.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let net = |s: &str| {
        s.parse::<ipnet::IpNet>()
            .ok()
            .or_else(|| s.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from))
    };
    if let (Some(x), Some(y)) = (net(a), net(b)) {
        return x.cmp(&y);
    }
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let mut n = String::new();
                while let Some(c) = x.peek().copied().filter(char::is_ascii_digit) {
                    n.push(c);
                    x.next();
                }
                let mut m = String::new();
                while let Some(d) = y.peek().copied().filter(char::is_ascii_digit) {
                    m.push(d);
                    y.next();
                }
                let o = n.len().cmp(&m.len()).then(n.cmp(&m));
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            (Some(c), Some(d)) => {
                let o = c.to_ascii_lowercase().cmp(&d.to_ascii_lowercase());
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
                x.next();
                y.next();
            }
        }
    }
}

/// The tables whose selected row each workflow acts on (the view decides where a workflow's
/// key works; the workflow itself knows nothing of tables).
pub trait WorkflowTables {
    fn tables(self) -> &'static [TableId];
}

impl WorkflowTables for crate::workflows::WorkflowKind {
    /// The tables whose selected row it acts on.
    fn tables(self) -> &'static [TableId] {
        use crate::workflows::WorkflowKind::*;
        use TableId as T;
        match self {
            Loa => &[T::DxConnections, T::DxLags],
            CreateEndpoint => &[T::ResolverEndpoints],
            CreateRule | AssociateRule => &[T::ResolverRules],
            AcceptPeering | RejectPeering | DeletePeering => &[T::Peerings],
            AddRoute => &[T::TgwRouteTables, T::TgwRoutes],
            DeleteRoute => &[T::TgwRoutes],
            EditFirewallRule => &[T::FirewallRules],
            FailOpen => &[T::FirewallConfigs],
            Confirm => &[T::DxConnections, T::Vifs],
            CreateVif => &[T::DxConnections, T::DxLags, T::Vifs],
            DeleteVif | FailoverTest => &[T::Vifs],
        }
    }
}
