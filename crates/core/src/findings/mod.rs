//! Health rules over the model. Pure functions, one module per area: each finding has a stable
//! rule code, a severity, the resources involved, a one-line title, the evidence (field values
//! that triggered it), a remediation and a reference. [`evaluate`] runs every rule.

mod catalog;
pub mod dx;
pub mod firewall;
pub mod gaps;
pub mod history;
pub mod macsec;
pub mod paths;
pub mod peering;
pub mod resolver;
pub mod telemetry;
pub mod tgw;
mod transit;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::model::{Area, Estate, RegionEstate, ResourceKind, Timestamp};

/// How bad a finding is; ordered, so `>=` compares severities.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL_DESC: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The row marker: `!` for high and critical, `~` below.
    pub fn marker(self) -> &'static str {
        if self >= Severity::High { "!" } else { "~" }
    }
}

/// A resource a finding is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResourceRef {
    pub account: Option<String>,
    pub region: String,
    /// `area/kind`, e.g. `direct_connect/virtual_interfaces`.
    pub resource_type: String,
    #[serde(skip)]
    pub kind: ResourceKind,
    pub id: String,
    pub name: String,
}

impl ResourceRef {
    /// Where it is, as reports write it: `area/kind, region` and `, account ID` when known.
    pub fn place(&self) -> String {
        let account = self.account.as_deref().map(|a| format!(", account {a}"));
        format!(
            "{}, {}{}",
            self.resource_type,
            self.region,
            account.unwrap_or_default()
        )
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Stable rule code, e.g. `DX-006`.
    pub code: &'static str,
    pub severity: Severity,
    pub area: Area,
    pub title: String,
    pub resources: Vec<ResourceRef>,
    /// The field values that triggered the rule.
    pub evidence: BTreeMap<String, String>,
    pub remediation: String,
    /// AWS documentation or best-practice source.
    pub reference: &'static str,
}

/// A rule's fixed facts (code, default severity, area, summary), for reports and SARIF.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    pub area: Area,
    pub summary: &'static str,
    pub reference: &'static str,
}

/// Every rule, in code order.
pub fn rules() -> Vec<Rule> {
    catalog::RULES.to_vec()
}

/// The rule with a code.
pub fn rule(code: &str) -> Rule {
    rules()
        .into_iter()
        .find(|r| r.code == code)
        .unwrap_or_else(|| panic!("unknown rule {code}"))
}

/// Builds findings for one rule in one region.
pub(crate) struct Ctx<'a> {
    pub region: &'a RegionEstate,
    pub estate: &'a Estate,
    /// The time the data is as of (ages and expiry are measured from it).
    pub as_of: Option<Timestamp>,
    /// The account the region was read in, else the estate's one account when it has
    /// exactly one.
    pub account: Option<String>,
    /// Working VIFs per gateway over the whole estate (see [`dx::working_vifs`]).
    pub working_vifs: &'a HashMap<&'a str, usize>,
    /// The rules' settings (configurable severities).
    pub settings: &'a history::HistorySettings,
}

impl Ctx<'_> {
    pub fn res(
        &self,
        kind: ResourceKind,
        id: &str,
        name: &str,
        owner: Option<&String>,
    ) -> ResourceRef {
        ResourceRef {
            account: Some(&self.region.account)
                .filter(|a| !a.is_empty())
                .or(owner)
                .cloned()
                .or_else(|| self.account.clone()),
            region: self.region.region.clone(),
            resource_type: format!("{}/{}", kind.area().key(), kind.key()),
            kind,
            id: id.to_string(),
            name: name.to_string(),
        }
    }
}

/// Creates a finding of rule `code` with a title, resources, evidence and remediation.
pub(crate) fn finding(
    code: &'static str,
    severity: Option<Severity>,
    title: String,
    resources: Vec<ResourceRef>,
    evidence: &[(&str, String)],
    remediation: &str,
) -> Finding {
    let r = rule(code);
    Finding {
        code,
        severity: severity.unwrap_or(r.severity),
        area: r.area,
        title,
        resources,
        evidence: evidence
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        remediation: remediation.to_string(),
        reference: r.reference,
    }
}

/// Runs every rule over the estate; most severe first, then by code and resource. (The
/// console and every command read them from [`crate::derived::Derived`], built once per
/// revision; this is for tests and one-off use.)
pub fn evaluate(e: &Estate) -> Vec<Finding> {
    let ix = crate::graph::Index::new(e);
    let reach = crate::graph::impact::reaches(&ix);
    evaluate_with(e, &ix, &reach, &history::HistorySettings::default())
}

/// [`evaluate`] over an index and the paths per VPC already worked out.
pub fn evaluate_with(
    e: &Estate,
    ix: &crate::graph::Index,
    reach: &[crate::graph::impact::VpcReach],
    settings: &history::HistorySettings,
) -> Vec<Finding> {
    let accounts = e.account_ids();
    let account = (accounts.len() == 1).then(|| accounts[0].clone());
    let as_of = e.as_of();
    let working_vifs = dx::working_vifs(e);
    let mut out = Vec::new();
    for r in e.scopes.values() {
        let ctx = Ctx {
            region: r,
            estate: e,
            as_of,
            account: Some(r.account.clone())
                .filter(|a| !a.is_empty())
                .or_else(|| account.clone()),
            working_vifs: &working_vifs,
            settings,
        };
        dx::check(&ctx, &mut out);
        macsec::check(&ctx, &mut out);
        peering::check(&ctx, &mut out);
        tgw::check(&ctx, &mut out);
        transit::check(&ctx, &mut out);
        resolver::check(&ctx, &mut out);
        firewall::check(&ctx, &mut out);
        telemetry::check(&ctx, &mut out);
    }
    dx::check_gateways(e, account, &mut out);
    paths::check(e, ix, reach, &mut out);
    transit::check_ix(ix, &mut out);
    gaps::check(ix, reach, &mut out);
    sort(&mut out);
    out
}

/// Most severe first, then by code and resource.
pub fn sort(out: &mut [Finding]) {
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.code.cmp(b.code))
            .then_with(|| {
                a.resources
                    .first()
                    .map(|r| (&r.region, &r.id))
                    .cmp(&b.resources.first().map(|r| (&r.region, &r.id)))
            })
    });
}

/// The most severe finding per resource `(region, kind, id)`.
pub fn worst_by_resource(
    findings: &[Finding],
) -> HashMap<(String, ResourceKind, String), Severity> {
    let mut m: HashMap<(String, ResourceKind, String), Severity> = HashMap::new();
    for f in findings {
        for r in &f.resources {
            let e = m
                .entry((r.region.clone(), r.kind, r.id.clone()))
                .or_insert(f.severity);
            *e = (*e).max(f.severity);
        }
    }
    m
}

/// Counts by severity.
pub fn count_by_severity<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
) -> BTreeMap<Severity, usize> {
    let mut m = BTreeMap::new();
    for f in findings {
        *m.entry(f.severity).or_insert(0) += 1;
    }
    m
}

/// Whether two CIDRs overlap (either contains the other's network address).
pub fn cidrs_overlap(a: &str, b: &str) -> bool {
    match (a.parse::<ipnet::IpNet>(), b.parse::<ipnet::IpNet>()) {
        (Ok(a), Ok(b)) => a.contains(&b.network()) || b.contains(&a.network()),
        _ => false,
    }
}

/// `3d 4h`, `5h`, `45m` for a duration in seconds (negative: `expired`).
pub fn human_duration(secs: i64) -> String {
    if secs < 0 {
        return "expired".into();
    }
    let (d, h, m) = (secs / 86_400, (secs % 86_400) / 3600, (secs % 3600) / 60);
    match (d, h) {
        (0, 0) => format!("{m}m"),
        (0, h) => format!("{h}h"),
        (d, h) => format!("{d}d {h}h"),
    }
}
