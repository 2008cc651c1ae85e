//! The estate: every account's and region's data, its revision, coverage and the mirrors of
//! links between accounts.

use super::*;

/// Every account's and region's data. `revision` grows with each applied update so views can
/// cache.
#[derive(Clone, Debug, Default)]
pub struct Estate {
    /// Each account's and region's data. Shared (`Arc`), so that a copy of the estate costs a
    /// pointer per scope: the console builds the derived state of a copy off its event loop
    /// while the next answers are merged (an update copies only the scope it changes).
    pub scopes: BTreeMap<Scope, std::sync::Arc<RegionEstate>>,
    /// The accounts in scope, in the order given (profiles, then the organisation's), with
    /// those that could not be read.
    pub accounts: Vec<Account>,
    pub revision: u64,
    /// The revision at which each resource kind last changed (in any region).
    pub kind_revision: HashMap<ResourceKind, u64>,
    /// Domains of a DNS Firewall domain list, fetched on demand (ListFirewallDomains),
    /// keyed by `(region, domain list id)`.
    pub firewall_domains: HashMap<(String, String), Result<Vec<String>, ApiError>>,
    /// The other side's copies of links between accounts in scope (see [`Estate::is_mirror`]),
    /// worked out once after peerings or TGW attachments change, when first asked (not once
    /// per update: an organisation's poll brings one such update per account and region), so
    /// drawing never searches.
    /// (Shared, so a copy of the estate does not copy them.)
    mirrors: std::sync::OnceLock<std::sync::Arc<HashSet<(Scope, ResourceKind, String)>>>,
}

impl Estate {
    /// An empty estate with a (not yet read) section set for each region of one unknown
    /// account.
    pub fn with_regions<S: AsRef<str>>(regions: &[S]) -> Self {
        let scopes: Vec<Scope> = regions.iter().map(|r| Scope::new("", r.as_ref())).collect();
        Estate::with_scopes(&scopes)
    }

    /// An empty estate with a (not yet read) section set for each scope.
    pub fn with_scopes(scopes: &[Scope]) -> Self {
        let mut e = Estate::default();
        for s in scopes {
            e.scopes
                .insert(s.clone(), std::sync::Arc::new(RegionEstate::of(s)));
        }
        e
    }

    /// The data of a region: of `account` when given, else of the first account that has the
    /// region (one-account sessions and tests).
    pub fn region_of(&self, account: &str, region: &str) -> Option<&RegionEstate> {
        self.scopes
            .get(&Scope::new(account, region))
            .map(std::sync::Arc::as_ref)
            .or_else(|| self.region(region).filter(|_| account.is_empty()))
    }

    /// The data of a region in the first account that has it.
    pub fn region(&self, region: &str) -> Option<&RegionEstate> {
        self.scopes
            .values()
            .find(|r| r.region == region)
            .map(std::sync::Arc::as_ref)
    }

    /// Mutable [`Estate::region`].
    pub fn region_mut(&mut self, region: &str) -> Option<&mut RegionEstate> {
        self.scopes
            .values_mut()
            .find(|r| r.region == region)
            .map(std::sync::Arc::make_mut)
    }

    /// The regions read, each once, sorted.
    pub fn region_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.scopes.keys().map(|s| s.region.clone()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// The ids of the accounts data was read in (scopes), each once, sorted.
    pub fn scope_accounts(&self) -> Vec<String> {
        // Scopes are ordered by account first: each account's come together.
        let mut v: Vec<String> = Vec::new();
        for s in self.scopes.keys() {
            if v.last() != Some(&s.account) {
                v.push(s.account.clone());
            }
        }
        v
    }

    /// Whether more than one account is in scope (tables then show an ACCOUNT column). Asked
    /// on every frame: it compares the first and last scopes' accounts (scopes are ordered by
    /// account) instead of listing them.
    pub fn multi_account(&self) -> bool {
        let (first, last) = (self.scopes.keys().next(), self.scopes.keys().next_back());
        self.accounts.len() > 1 || first.zip(last).is_some_and(|(f, l)| f.account != l.account)
    }

    /// An account's display name: its organisation or profile name, else its id.
    pub fn account_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.accounts
            .iter()
            .find(|a| a.id == id && !a.name.is_empty())
            .map_or(id, |a| a.name.as_str())
    }

    /// Where a scope is, for messages: the region alone with one account, else
    /// `account-name/region`.
    pub fn scope_label(&self, s: &Scope) -> String {
        if self.multi_account() && !s.account.is_empty() {
            format!("{}/{}", self.account_name(&s.account), s.region)
        } else {
            s.region.clone()
        }
    }

    /// Applies one update; endpoint IPs get their Availability Zone from the region's
    /// subnets (DescribeSubnets) whichever of the two arrives first.
    pub fn apply(&mut self, update: Update) {
        self.apply_changes(update, false);
    }

    /// [`Estate::apply`], returning what the update changed (see [`Section::replace`]): the
    /// resources added, removed or different, compared in the same pass that marks the
    /// changed rows.
    pub fn apply_describing(&mut self, update: Update) -> Vec<ItemChange> {
        self.apply_changes(update, true)
    }

    fn apply_changes(&mut self, mut update: Update, describe: bool) -> Vec<ItemChange> {
        let scope = update.scope();
        let region = std::sync::Arc::make_mut(
            self.scopes
                .entry(scope)
                .or_insert_with_key(|s| std::sync::Arc::new(RegionEstate::of(s))),
        );
        if let Ok(Batch::ResolverEndpoints(eps)) = &mut update.result {
            super::names::fill_azs(eps, &region.subnets.items);
        }
        let kind = update.kind;
        let subnets_ok = kind == ResourceKind::Subnets && update.result.is_ok();
        let changes = region.apply(kind, update.at, update.result, describe);
        if subnets_ok {
            let subnets = std::mem::take(&mut region.subnets.items);
            super::names::fill_azs(&mut region.resolver_endpoints.items, &subnets);
            region.subnets.items = subnets;
            self.kind_revision
                .insert(ResourceKind::ResolverEndpoints, self.revision + 1);
        }
        if matches!(
            kind,
            ResourceKind::VpcPeerings | ResourceKind::TgwAttachments | ResourceKind::TgwPeerings
        ) {
            self.mirrors = std::sync::OnceLock::new();
        }
        self.revision += 1;
        self.kind_revision.insert(kind, self.revision);
        changes
    }

    /// The time of the most recent successful read: the "as of" of the data.
    pub fn as_of(&self) -> Option<Timestamp> {
        self.scopes
            .values()
            .flat_map(|r| {
                ResourceKind::ALL
                    .iter()
                    .filter_map(move |&k| r.status(k).refreshed_at)
            })
            .max()
    }

    /// How far `kinds` were read over every region (see [`Coverage`]).
    pub fn coverage(&self, kinds: &[ResourceKind]) -> Coverage {
        self.coverage_where(kinds, |_| true)
    }

    /// [`Estate::coverage`] over the scopes `keep` admits (what `:account`/`:region` show).
    pub fn coverage_where(
        &self,
        kinds: &[ResourceKind],
        keep: impl Fn(&Scope) -> bool,
    ) -> Coverage {
        let mut oldest: Option<Timestamp> = None;
        let mut not_read = false;
        let mut any = false;
        for (scope, r) in self.scopes.iter().filter(|(s, _)| keep(s)) {
            any = true;
            for &k in kinds {
                let s = r.status(k);
                if let Some(e) = s.error {
                    return Coverage::Failed {
                        region: self.scope_label(scope),
                        error: e.clone(),
                        last_good: s.refreshed_at,
                    };
                }
                match s.refreshed_at {
                    None => not_read = true,
                    Some(t) => oldest = Some(oldest.map_or(t, |o| o.min(t))),
                }
            }
        }
        match (not_read || !any, oldest) {
            (false, Some(oldest)) => Coverage::Read { oldest },
            _ => Coverage::NotRead,
        }
    }

    /// Every section that was not read successfully: `(scope, kind, reason)`; an audit lists
    /// these as not assessed.
    pub fn not_assessed(&self) -> Vec<(&Scope, ResourceKind, String)> {
        let mut out = Vec::new();
        for (scope, r) in &self.scopes {
            for &k in ResourceKind::ALL {
                let s = r.status(k);
                if let Some(e) = s.error {
                    out.push((scope, k, format!("{e}")));
                } else if s.refreshed_at.is_none() {
                    out.push((scope, k, "not read".to_string()));
                }
            }
        }
        out
    }

    /// Every failed section: `(scope, kind, error)`.
    pub fn errors(&self) -> Vec<(&Scope, ResourceKind, &ApiError)> {
        let mut out = Vec::new();
        for (scope, r) in &self.scopes {
            for &k in ResourceKind::ALL {
                if let Some(e) = r.status(k).error {
                    out.push((scope, k, e));
                }
            }
        }
        out
    }

    /// Total number of resources held.
    pub fn resource_count(&self) -> usize {
        self.scopes
            .values()
            .map(|r| {
                ResourceKind::ALL
                    .iter()
                    .map(|&k| r.status(k).count)
                    .sum::<usize>()
            })
            .sum()
    }

    /// The account ids in the estate: those read, and those that own resources (from owner
    /// fields), sorted. (The accounts in scope, with how each is reached, are
    /// [`Estate::accounts`].)
    pub fn account_ids(&self) -> Vec<String> {
        let mut set = std::collections::BTreeSet::new();
        set.extend(self.accounts.iter().map(|a| a.id.clone()));
        for (scope, r) in &self.scopes {
            set.insert(scope.account.clone());
            let owners = r
                .dx_connections
                .items
                .iter()
                .filter_map(|c| c.owner_account.clone())
                .chain(r.vpcs.items.iter().filter_map(|v| v.owner_id.clone()))
                .chain(
                    r.transit_gateways
                        .items
                        .iter()
                        .filter_map(|t| t.owner_id.clone()),
                );
            set.extend(owners);
        }
        set.remove("");
        set.into_iter().collect()
    }

    /// A VPC's `Name` tag if known, else its id (looked up in every account of the region:
    /// VPC ids are unique).
    pub fn vpc_name(&self, region: &str, vpc_id: &str) -> String {
        self.find_vpc(region, vpc_id)
            .filter(|v| !v.name.is_empty())
            .map(|v| v.name.clone())
            .unwrap_or_else(|| vpc_id.to_string())
    }

    /// A VPC's display name (`name (vpc-id)`) if known, else the id.
    pub fn vpc_label(&self, region: &str, vpc_id: &str) -> String {
        self.find_vpc(region, vpc_id)
            .filter(|v| !v.name.is_empty())
            .map(|v| format!("{} ({})", v.name, v.id))
            .unwrap_or_else(|| vpc_id.to_string())
    }

    fn find_vpc(&self, region: &str, vpc_id: &str) -> Option<&Vpc> {
        self.scopes
            .values()
            .filter(|r| r.region == region)
            .find_map(|r| r.vpcs.items.iter().find(|v| v.id == vpc_id))
    }

    /// The Availability Zone of a subnet, if the subnet was read (DescribeSubnets).
    pub fn subnet_az(&self, region: &str, subnet_id: &str) -> Option<&str> {
        self.scopes
            .values()
            .filter(|r| r.region == region)
            .find_map(|r| r.subnets.items.iter().find(|s| s.id == subnet_id))
            .map(|s| s.availability_zone.as_str())
    }

    /// The number of resources of a kind over every scope, a link between two accounts in
    /// scope counted once (see [`Estate::is_mirror`]).
    pub fn count(&self, kind: ResourceKind) -> usize {
        let listed: usize = self.scopes.values().map(|r| r.status(kind).count).sum();
        listed - self.mirrors().iter().filter(|m| m.1 == kind).count()
    }

    /// The health of one kind's items in one scope, the other side's copies of links between
    /// accounts left out (see [`Estate::is_mirror`]).
    pub fn joined_health(
        &self,
        scope: &Scope,
        r: &RegionEstate,
        kind: ResourceKind,
    ) -> Vec<super::health::Health> {
        match kind {
            ResourceKind::VpcPeerings => r
                .vpc_peerings
                .items
                .iter()
                .filter(|p| !self.is_mirror(scope, kind, &p.id))
                .map(|p| p.state.health())
                .collect(),
            ResourceKind::TgwAttachments => r
                .tgw_attachments
                .items
                .iter()
                .filter(|a| !self.is_mirror(scope, kind, &a.id))
                .map(|a| a.state.health())
                .collect(),
            ResourceKind::TgwPeerings => r
                .tgw_peerings
                .items
                .iter()
                .filter(|p| !self.is_mirror(scope, kind, &p.id))
                .map(|p| p.state.health())
                .collect(),
            _ => r.item_health(kind),
        }
    }

    /// Whether a resource listed in `scope` is the other side's copy of a link between
    /// accounts that another scope in the estate also lists: a VPC peering is shown in its
    /// requester's account, a TGW attachment in the transit gateway owner's. Tables and the
    /// snapshot skip such copies, so a cross-account link appears once, with both accounts.
    pub fn is_mirror(&self, scope: &Scope, kind: ResourceKind, id: &str) -> bool {
        let mirrors = self.mirrors();
        !mirrors.is_empty() && mirrors.contains(&(scope.clone(), kind, id.to_string()))
    }

    /// The mirrors, worked out if the links changed since last asked.
    fn mirrors(&self) -> &HashSet<(Scope, ResourceKind, String)> {
        self.mirrors
            .get_or_init(|| std::sync::Arc::new(self.find_mirrors()))
    }

    /// Every `(scope, kind, id)` that is a mirror: the link's owner (a peering's requester, an
    /// attachment's TGW owner) is another account, and a scope of that account lists it too.
    fn find_mirrors(&self) -> HashSet<(Scope, ResourceKind, String)> {
        let links = |r: &RegionEstate| -> Vec<(ResourceKind, String, Option<String>)> {
            let peerings = r.vpc_peerings.items.iter().map(|p| {
                (
                    ResourceKind::VpcPeerings,
                    p.id.clone(),
                    p.requester.owner_id.clone(),
                )
            });
            let attachments = r.tgw_attachments.items.iter().map(|a| {
                (
                    ResourceKind::TgwAttachments,
                    a.id.clone(),
                    a.transit_gateway_owner_id.clone(),
                )
            });
            peerings.chain(attachments).collect()
        };
        let listed: HashSet<(String, ResourceKind, String)> = self
            .scopes
            .iter()
            .flat_map(|(s, r)| {
                links(r)
                    .into_iter()
                    .map(|(k, id, _)| (s.account.clone(), k, id))
            })
            .collect();
        let mut out = HashSet::new();
        for (s, r) in &self.scopes {
            for (k, id, owner) in links(r) {
                if let Some(o) = owner
                    && !s.account.is_empty()
                    && o != s.account
                    && listed.contains(&(o, k, id.clone()))
                {
                    out.insert((s.clone(), k, id));
                }
            }
            // A TGW peering is listed on both sides (regions or accounts): the requester's
            // scope holds it when it was read.
            for p in &r.tgw_peerings.items {
                let req = Scope {
                    account: p.requester.owner_id.clone().unwrap_or_default(),
                    region: p.requester.region.clone().unwrap_or_default(),
                };
                if req != *s
                    && self
                        .scopes
                        .get(&req)
                        .is_some_and(|o| o.tgw_peerings.items.iter().any(|x| x.id == p.id))
                {
                    out.insert((s.clone(), ResourceKind::TgwPeerings, p.id.clone()));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_in_scope_are_listed_once_in_order_and_more_than_one_is_multi_account() {
        let one =
            Estate::with_scopes(&[Scope::new("2", "us-east-1"), Scope::new("2", "eu-west-2")]);
        assert_eq!(one.scope_accounts(), ["2"]);
        assert!(!one.multi_account());
        let two = Estate::with_scopes(&[
            Scope::new("2", "us-east-1"),
            Scope::new("1", "us-east-1"),
            Scope::new("2", "eu-west-2"),
            Scope::new("1", "eu-west-2"),
        ]);
        assert_eq!(two.scope_accounts(), ["1", "2"]);
        assert!(two.multi_account());
        assert!(!Estate::default().multi_account());
    }
}
