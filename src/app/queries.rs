//! What the views ask the app: findings (from the derived state), narrowing, tab counts,
//! freshness and errors per kind, and jumping to a resource's row.

use super::*;

impl App {
    /// The finding a [`FindingRef`] names, if it still holds.
    pub fn finding(&self, r: &FindingRef) -> Option<&Finding> {
        self.derived.findings.iter().find(|f| {
            f.code == r.code
                && f.title == r.title
                && f.resources
                    .first()
                    .is_some_and(|x| x.region == r.region && x.id == r.id)
        })
    }

    /// Every finding, most severe first (the derived state's).
    pub fn findings(&self) -> &[Finding] {
        &self.derived.findings
    }

    /// The findings about one resource, most severe first: what `Enter`, `R`, the findings
    /// table and `audit` list for it.
    pub fn findings_about(&self, region: &str, kind: ResourceKind, id: &str) -> Vec<&Finding> {
        self.derived.about(region, kind, id)
    }

    /// What `:account` and `:region` narrow the views to.
    pub fn narrow(&self) -> crate::derived::Narrow {
        crate::derived::Narrow {
            account: self.scope_filter.account.clone(),
            region: self.scope_filter.region.clone(),
        }
    }

    /// A tab's count as its title shows it: the rows in view (each resource once, global ones
    /// under every region), from the derived state; `?` when the kind was never read or its
    /// read failed with no data to fall back on.
    pub fn tab_count(&self, t: TableId) -> String {
        let n = self.narrow();
        if t == TableId::Findings {
            return self.derived.findings_in(&n).count().to_string();
        }
        let kind = t.kind();
        if crate::view::overview::coverage(&self.estate, &[kind], &n).never_read() {
            return "?".into();
        }
        match t {
            TableId::BgpPeers => self.derived.bgp_peer_rows(&n),
            _ => self.derived.count(kind, &n),
        }
        .to_string()
    }

    /// Findings in view by severity for the resource kinds of one overview row.
    pub fn findings_for(
        &self,
        kinds: &[ResourceKind],
    ) -> std::collections::BTreeMap<Severity, usize> {
        self.derived.by_severity(kinds, &self.narrow())
    }

    /// Freshness over every kind: the oldest region-kind that was read.
    pub fn freshness_overall(&self) -> (String, Tone) {
        ResourceKind::ALL
            .iter()
            .map(|&k| self.freshness(k))
            .find(|(t, _)| t.starts_with("ERROR") || t.starts_with("STALE"))
            .unwrap_or_else(|| self.freshness(ResourceKind::DxConnections))
    }

    /// Goes to the table listing a resource and selects it (from the findings pane).
    pub fn jump_to(&mut self, region: &str, kind: ResourceKind, id: &str) -> bool {
        let Some((pane, table)) = TableId::listing(kind) else {
            return false;
        };
        let tab = TableId::of(pane)
            .iter()
            .position(|t| *t == table)
            .unwrap_or(0);
        self.tabs.insert(pane, tab);
        self.goto(pane);
        let view = self.view_mut(table);
        view.filter.clear();
        view.only_findings = false;
        view.apply_filter();
        match view
            .visible
            .iter()
            .position(|&i| view.rows[i].region == region && view.rows[i].id == id)
        {
            Some(pos) => {
                view.selected = pos;
                true
            }
            None => false,
        }
    }

    /// Errors of one kind, per region (`account-name/region` with several accounts).
    pub fn errors_for(&self, kind: ResourceKind) -> Vec<(String, ApiError)> {
        self.estate
            .scopes
            .iter()
            .filter_map(|(scope, r)| {
                r.status(kind)
                    .error
                    .map(|e| (self.estate.scope_label(scope), e.clone()))
            })
            .collect()
    }

    /// "refreshed 12s ago" (or loading / STALE / ERROR) for a kind, with its style.
    /// The oldest region counts; data is stale after two missed polls.
    pub fn freshness(&self, kind: ResourceKind) -> (String, Tone) {
        let statuses: Vec<_> = self
            .estate
            .scopes
            .values()
            .map(|r| r.status(kind))
            .collect();
        if statuses.is_empty()
            || statuses
                .iter()
                .all(|s| s.refreshed_at.is_none() && s.error.is_none())
        {
            return ("loading…".into(), Tone::Muted);
        }
        let oldest = statuses.iter().filter_map(|s| s.refreshed_at).min();
        let errored = statuses.iter().any(|s| s.error.is_some());
        let age = oldest.map(|t| (self.now - t).num_seconds().max(0) as u64);
        let stale_after = self.stale_after_secs();
        let ago = age
            .map(|a| format!("{} ago", human_age(a)))
            .unwrap_or_else(|| "never read".into());
        // A poll of this kind's service that has run longer than an interval without reading
        // it yet: say what it waits for, instead of calling slow data stale.
        let waiting =
            self.polling
                .iter()
                .filter(|((scope, svc), started)| {
                    *svc == kind.service()
                        && self.estate.scopes.get(scope).is_some_and(|r| {
                            r.status(kind).refreshed_at.is_none_or(|t| t < **started)
                        })
                })
                .map(|(_, started)| (self.now - *started).num_seconds().max(0) as u64)
                .max()
                .filter(|w| *w >= self.session.refresh.as_secs().clamp(1, 10));
        if let Some(w) = waiting
            && !errored
        {
            return (
                format!(
                    "waiting ({}) for {} · last good {ago}",
                    human_age(w),
                    kind.operations()[0]
                ),
                Tone::Pending,
            );
        }
        if errored {
            (format!("ERROR · last good {ago}"), Tone::Error)
        } else if age.is_some_and(|a| a > stale_after) {
            (format!("STALE · refreshed {ago}"), Tone::Stale)
        } else {
            (format!("refreshed {ago}"), Tone::Fresh)
        }
    }

    /// How often the data is read again, in seconds: the refresh interval (`--refresh`), or —
    /// when polls take longer than it, so that each starts when the last ended — the longest
    /// time between the starts of one poller's last two polls (`true`).
    pub fn effective_interval(&self) -> (u64, bool) {
        let set_ms = self.session.refresh.as_millis() as i64;
        let longest_ms = self
            .poll_starts
            .values()
            .filter_map(|(_, gap)| *gap)
            .max()
            .unwrap_or(0);
        // Half a second over is a poll that ran long, not the timer's jitter.
        if longest_ms > set_ms + 500 {
            (((longest_ms + 500) / 1000) as u64, true)
        } else {
            (self.session.refresh.as_secs(), false)
        }
    }
}
