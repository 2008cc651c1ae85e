//! One module per networking area, each table described once: its columns (heading, width
//! class and cell) and what a row says beyond its state ([`Table`]). Ratatui-free; `src/ui`
//! draws them.

pub mod cloudwan;
pub mod dx;
pub mod dxgw;
pub mod findings;
pub mod firewall;
pub mod peering;
pub mod resolver;
pub mod tgw;
pub mod vif;

use crate::view::columns::Width;

use crate::derived::Since;
use crate::model::{Estate, NameIndex, RegionEstate, Resource, ResourceKind};
use crate::view::table::{Row, TableId};

/// `-` for a missing value.
pub(crate) fn or_dash(v: &Option<String>) -> String {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or("-")
        .to_string()
}

/// `-` for an empty string.
pub(crate) fn dash(v: &str) -> String {
    if v.is_empty() {
        "-".into()
    } else {
        v.to_string()
    }
}

/// A cell from the latest value of a CloudWatch metric of a resource: `?` when the metrics
/// were never read, `no data` when CloudWatch had none (never a zero), else `fmt(value)`.
pub(crate) fn metric_cell(
    r: &crate::model::RegionEstate,
    id: &str,
    metric: &str,
    fmt: impl Fn(f64) -> String,
) -> String {
    if r.dx_metrics.refreshed_at.is_none() {
        return "?".into();
    }
    let key = format!("{id}|{metric}");
    match r
        .dx_metrics
        .items
        .iter()
        .find(|s| s.id == key)
        .and_then(|s| s.latest())
    {
        Some(v) => fmt(v),
        None => "no data".into(),
    }
}

/// The CloudWatch series `metric` of resource `id` in a region, when read.
pub(crate) fn series<'a>(
    r: &'a crate::model::RegionEstate,
    id: &str,
    metric: &str,
) -> Option<&'a crate::model::MetricSeries> {
    let key = format!("{id}|{metric}");
    r.dx_metrics.items.iter().find(|s| s.id == key)
}

/// What a cell may read besides its item: the estate, the item's region, SINCE, and the
/// names of everything (built once per table, when a cell first asks).
pub struct Cx<'a> {
    pub e: &'a Estate,
    pub r: &'a RegionEstate,
    pub since: &'a Since,
    names: &'a std::cell::OnceCell<NameIndex>,
}

impl Cx<'_> {
    /// The `Name` of every resource by id.
    pub fn names(&self) -> &NameIndex {
        self.names.get_or_init(|| NameIndex::new(self.e))
    }
}

/// A cell of a column: its text from an item.
pub type Cell<T> = fn(&Cx, &T) -> String;

/// One column of a table: its heading, its width class and its cell, described once.
pub struct Col<T> {
    pub head: &'static str,
    pub width: Width,
    pub cell: Cell<T>,
}

/// A column (see [`Col`]).
pub const fn col<T>(head: &'static str, width: Width, cell: Cell<T>) -> Col<T> {
    Col { head, width, cell }
}

/// The ID column: the resource's own id.
pub const fn id_col<T: Resource>(width: Width) -> Col<T> {
    col("ID", width, |_, x| x.id())
}

/// The NAME column (`-` when it has none).
pub const fn name_col<T: Resource>(width: Width) -> Col<T> {
    col("NAME", width, |_, x| dash(x.name()))
}

/// The STATE column, as AWS spells it.
pub const fn state_col<T: Resource>(width: Width) -> Col<T> {
    col("STATE", width, |_, x| x.state().to_string())
}

/// A table of one kind of resource: its columns, where its items are, which are left out
/// and what a row says beyond its state. Global kinds (DX gateways) are listed once.
pub struct Table<T: 'static> {
    pub kind: ResourceKind,
    pub items: fn(&RegionEstate) -> &[T],
    pub cols: &'static [Col<T>],
    /// Leaves an item out (the other account's copy of a peering, a shared rule group).
    pub keep: fn(&Cx, &T) -> bool,
    /// Health or state column from something else than the item's state.
    pub mark: fn(&Cx, &T, &mut Row),
    /// The headings and widths, worked out once from `cols`.
    heads: std::sync::OnceLock<Vec<(&'static str, Width)>>,
}

impl<T> Table<T> {
    /// A table of `kind` listing every item `items` gives, each row as [`Row::of`] makes it.
    pub const fn new(
        kind: ResourceKind,
        items: fn(&RegionEstate) -> &[T],
        cols: &'static [Col<T>],
    ) -> Self {
        Table {
            kind,
            items,
            cols,
            keep: all,
            mark: plain,
            heads: std::sync::OnceLock::new(),
        }
    }

    /// The same table leaving out the items `keep` refuses.
    pub const fn keep(mut self, keep: fn(&Cx, &T) -> bool) -> Self {
        self.keep = keep;
        self
    }

    /// The same table with `mark` adjusting each row.
    pub const fn mark(mut self, mark: fn(&Cx, &T, &mut Row)) -> Self {
        self.mark = mark;
        self
    }
}

/// Keeps every item ([`Table::keep`]).
fn all<T>(_: &Cx, _: &T) -> bool {
    true
}

/// Leaves the row as [`Row::of`] made it ([`Table::mark`]).
fn plain<T>(_: &Cx, _: &T, _: &mut Row) {}

/// A table as the panes see it, whatever its item type.
pub trait AnyTable: Sync {
    /// Column headings and widths.
    fn heads(&self) -> &[(&'static str, Width)];
    /// Every row, from the model.
    fn rows(&self, e: &Estate, since: &Since) -> Vec<Row>;
}

impl<T: Resource + Sync> AnyTable for Table<T> {
    fn heads(&self) -> &[(&'static str, Width)] {
        self.heads
            .get_or_init(|| self.cols.iter().map(|c| (c.head, c.width)).collect())
    }

    fn rows(&self, e: &Estate, since: &Since) -> Vec<Row> {
        let names = std::cell::OnceCell::new();
        let mut seen = std::collections::HashSet::new();
        let mut out = vec![];
        for r in e.scopes.values() {
            let cx = Cx {
                e,
                r,
                since,
                names: &names,
            };
            for item in (self.items)(r) {
                if !(self.keep)(&cx, item) || (self.kind.is_global() && !seen.insert(item.id())) {
                    continue;
                }
                let cells = self.cols.iter().map(|c| (c.cell)(&cx, item)).collect();
                let mut row = Row::of(r, self.kind, item, cells);
                (self.mark)(&cx, item, &mut row);
                out.push(row);
            }
        }
        out
    }
}

/// The table of a [`TableId`] (the findings table is built from the derived state).
fn table(t: TableId) -> &'static dyn AnyTable {
    use TableId::*;
    match t {
        DxConnections | DxLags | VpnConnections | DxLocations => dx::table(t),
        Vifs | BgpPeers => vif::table(t),
        DxGateways | DxgwAssociations | DxgwAttachments | VirtualGateways => dxgw::table(t),
        Peerings | Vpcs | VpcRouteTables | NetworkAcls => peering::table(t),
        TransitGateways | TgwAttachments | TgwRouteTables | TgwRoutes | TgwAssociations
        | TgwPropagations | TgwPeerings | TgwConnectPeers => tgw::table(t),
        ResolverEndpoints | ResolverRules | ResolverRuleAssociations | Profiles => {
            resolver::table(t)
        }
        FirewallRuleGroups | FirewallRules | FirewallDomainLists | FirewallAssociations
        | FirewallConfigs | Findings => firewall::table(t),
        CoreNetworks | CloudWanAttachments | CloudWanRoutes => cloudwan::table(t),
    }
}

/// Column headings and widths of a table.
pub fn columns(t: TableId) -> &'static [(&'static str, Width)] {
    match t {
        TableId::Findings => findings::COLUMNS,
        t => table(t).heads(),
    }
}

/// The rows of a table; with more than one account in scope each row starts with its
/// account's name (the ACCOUNT column), and the filter also matches the account id.
pub fn rows(t: TableId, e: &Estate) -> Vec<Row> {
    rows_with(t, e, &Since::default())
}

/// [`rows`] with since when connections and BGP sessions are in their state (the SINCE
/// column), from the derived state.
pub fn rows_with(t: TableId, e: &Estate, since: &Since) -> Vec<Row> {
    with_accounts(area_rows(t, e, since), e)
}

/// Puts the ACCOUNT cell (the account's name) in front of each row when more than one
/// account is in scope.
pub fn with_accounts(mut rows: Vec<Row>, e: &Estate) -> Vec<Row> {
    if e.multi_account() {
        for r in &mut rows {
            let name = e.account_name(&r.account).to_string();
            r.search = format!("{} {} {}", name.to_lowercase(), r.account, r.search);
            r.cells.insert(0, name);
            r.state_col = r.state_col.map(|c| c + 1);
        }
    }
    rows
}

fn area_rows(t: TableId, e: &Estate, since: &Since) -> Vec<Row> {
    match t {
        // The findings table is built from the derived state (`App::sync`), not here.
        TableId::Findings => Vec::new(),
        t => table(t).rows(e, since),
    }
}

/// A table's columns and rows, each drawn by its pane's module.
impl TableId {
    /// Column headings and widths.
    pub fn columns(self) -> &'static [(&'static str, Width)] {
        columns(self)
    }

    /// Builds every row of the table from the model.
    pub fn rows(self, estate: &Estate) -> Vec<Row> {
        rows(self, estate)
    }

    /// [`TableId::rows`] with the derived state's SINCE column.
    pub fn rows_with(self, estate: &Estate, since: &Since) -> Vec<Row> {
        rows_with(self, estate, since)
    }
}
