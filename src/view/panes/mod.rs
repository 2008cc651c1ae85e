//! One module per networking area: the columns of its tables (header and width class) and
//! how their rows are built from the model. Ratatui-free; `src/ui` draws them.

pub mod dx;
pub mod dxgw;
pub mod findings;
pub mod firewall;
pub mod peering;
pub mod resolver;
pub mod tgw;
pub mod vif;

use crate::view::columns::Width;

use crate::model::Estate;
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

/// Iterates `(region, item)` over one section of every region.
macro_rules! each {
    ($estate:expr, $field:ident) => {
        $estate
            .scopes
            .values()
            .flat_map(|r| r.$field.items.iter().map(move |i| (r, i)))
    };
}
pub(crate) use each;

pub fn columns(t: TableId) -> &'static [(&'static str, Width)] {
    use TableId::*;
    match t {
        DxConnections | DxLags | VpnConnections | DxLocations => dx::columns(t),
        Vifs | BgpPeers => vif::columns(t),
        DxGateways | DxgwAssociations | DxgwAttachments | VirtualGateways => dxgw::columns(t),
        Peerings | Vpcs | VpcRouteTables => peering::columns(t),
        TransitGateways | TgwAttachments | TgwRouteTables | TgwRoutes | TgwAssociations
        | TgwPropagations => tgw::columns(t),
        ResolverEndpoints | ResolverRules | ResolverRuleAssociations => resolver::columns(t),
        FirewallRuleGroups | FirewallRules | FirewallDomainLists | FirewallAssociations
        | FirewallConfigs => firewall::columns(t),
        Findings => findings::COLUMNS,
    }
}

/// The rows of a table; with more than one account in scope each row starts with its
/// account's name (the ACCOUNT column), and the filter also matches the account id.
pub fn rows(t: TableId, e: &Estate) -> Vec<Row> {
    rows_with(t, e, &crate::derived::Since::default())
}

/// [`rows`] with since when connections and BGP sessions are in their state (the SINCE
/// column), from the derived state.
pub fn rows_with(t: TableId, e: &Estate, since: &crate::derived::Since) -> Vec<Row> {
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

fn area_rows(t: TableId, e: &Estate, since: &crate::derived::Since) -> Vec<Row> {
    use TableId::*;
    match t {
        DxConnections | DxLags | VpnConnections | DxLocations => dx::rows(t, e, since),
        Vifs | BgpPeers => vif::rows(t, e, since),
        DxGateways | DxgwAssociations | DxgwAttachments | VirtualGateways => dxgw::rows(t, e),
        Peerings | Vpcs | VpcRouteTables => peering::rows(t, e),
        TransitGateways | TgwAttachments | TgwRouteTables | TgwRoutes | TgwAssociations
        | TgwPropagations => tgw::rows(t, e),
        ResolverEndpoints | ResolverRules | ResolverRuleAssociations => resolver::rows(t, e),
        FirewallRuleGroups | FirewallRules | FirewallDomainLists | FirewallAssociations
        | FirewallConfigs => firewall::rows(t, e),
        // The findings table is built from the derived state (`App::sync`), not here.
        Findings => Vec::new(),
    }
}

/// A table's columns and rows, each drawn by its pane's module.
impl TableId {
    /// Column headings and widths.
    pub fn columns(self) -> &'static [(&'static str, crate::view::columns::Width)] {
        columns(self)
    }

    /// Builds every row of the table from the model.
    pub fn rows(self, estate: &Estate) -> Vec<Row> {
        rows(self, estate)
    }

    /// [`TableId::rows`] with the derived state's SINCE column.
    pub fn rows_with(self, estate: &Estate, since: &crate::derived::Since) -> Vec<Row> {
        rows_with(self, estate, since)
    }
}
