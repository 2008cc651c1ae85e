//! `crossconnect audit`: the findings of one read-only poll as Markdown, JSON, CSV, SARIF or
//! a short summary.
//! Every format carries the same findings; calls that failed are listed as coverage gaps.

mod summary;

use std::collections::BTreeMap;

use chrono::SecondsFormat;
use serde_json::{Value, json};

use crate::findings::{self, Finding, Severity};
use crate::model::{Area, Estate, ResourceKind};
use crate::report::{ReportMeta, errors_json, md_cell as md};

/// Finding counts by severity label.
pub type Counts = BTreeMap<&'static str, usize>;

/// Output formats of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    Markdown,
    Json,
    Csv,
    Sarif,
    /// At most 20 lines of plain text for an incident channel: what is down, what lost
    /// redundancy, the other findings by severity, what could not be read.
    Summary,
}

/// The findings of an estate, ready to render.
pub struct Audit<'a> {
    pub estate: &'a Estate,
    pub meta: &'a ReportMeta,
    pub findings: Vec<Finding>,
    /// Contradictions in what AWS returned (what was seen and which answer is used).
    pub notices: Vec<crate::derived::Notice>,
}

impl<'a> Audit<'a> {
    pub fn new(estate: &'a Estate, meta: &'a ReportMeta) -> Self {
        Audit {
            estate,
            meta,
            findings: findings::evaluate(estate),
            notices: Vec::new(),
        }
    }

    /// An audit of the derived state's findings (history rules included) and notices.
    pub fn of(estate: &'a Estate, meta: &'a ReportMeta, d: crate::derived::Derived) -> Self {
        Audit {
            estate,
            meta,
            findings: d.findings,
            notices: d.notices,
        }
    }

    /// Whether a finding at or above `threshold` exists (`--fail-on`).
    pub fn fails(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }

    /// Resources read, per `area/kind`.
    pub fn inventory(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for &k in ResourceKind::ALL {
            let n: usize = self.estate.scopes.values().map(|r| r.status(k).count).sum();
            m.insert(format!("{}/{}", k.area().key(), k.key()), n);
        }
        m
    }

    /// Counts by severity, and by area then severity.
    pub fn summary(&self) -> (Counts, BTreeMap<&'static str, Counts>) {
        let mut by_sev: BTreeMap<&'static str, usize> =
            Severity::ALL_DESC.iter().map(|s| (s.label(), 0)).collect();
        let mut by_area: BTreeMap<&'static str, BTreeMap<&'static str, usize>> = BTreeMap::new();
        for a in Area::ALL {
            by_area.insert(
                a.key(),
                Severity::ALL_DESC.iter().map(|s| (s.label(), 0)).collect(),
            );
        }
        for f in &self.findings {
            *by_sev.entry(f.severity.label()).or_default() += 1;
            *by_area
                .entry(f.area.key())
                .or_default()
                .entry(f.severity.label())
                .or_default() += 1;
        }
        (by_sev, by_area)
    }

    fn header(&self) -> Value {
        json!({
            "tool": "crossconnect",
            "version": env!("CARGO_PKG_VERSION"),
            "generated_at": self.meta.generated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            "source": self.meta.source,
            "profile": self.meta.profile,
            "accounts": self.estate.account_ids(),
            "regions": self.estate.region_names(),
            "scope": crate::report::scope_json(self.estate),
            "read_only": true,
        })
    }

    /// The resource kinds that could not be read (failed or never read), per region, as JSON:
    /// their areas were not assessed, whatever the findings say.
    pub fn not_assessed(&self) -> Vec<Value> {
        self.estate
            .not_assessed()
            .into_iter()
            .map(|(scope, kind, reason)| {
                json!({ "area": kind.area(), "account": scope.account, "region": scope.region, "resource_kind": kind.key(), "reason": reason })
            })
            .chain(self.estate.accounts.iter().filter(|a| a.error.is_some()).map(|a| {
                json!({ "area": "all", "account": a.id, "account_name": a.name, "region": "all", "resource_kind": "all", "reason": format!("account not read ({}): {}", a.via, a.error.as_deref().unwrap_or_default()) })
            }))
            .collect()
    }

    /// Areas with at least one kind not read (see [`Audit::not_assessed`]).
    fn areas_not_assessed(&self) -> Vec<Area> {
        let mut v: Vec<Area> = self
            .estate
            .not_assessed()
            .iter()
            // Metrics and route counts missing leave the inventory assessed (their own
            // rules are listed as not assessed).
            .filter(|(_, k, _)| k.service() != crate::model::Service::Telemetry)
            .map(|(_, k, _)| k.area())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    pub fn render(&self, format: AuditFormat) -> String {
        match format {
            AuditFormat::Json => serde_json::to_string_pretty(&self.json()).unwrap_or_default(),
            AuditFormat::Markdown => self.markdown(),
            AuditFormat::Csv => self.csv(),
            AuditFormat::Sarif => serde_json::to_string_pretty(&self.sarif()).unwrap_or_default(),
            AuditFormat::Summary => summary::text(self),
        }
    }

    pub fn json(&self) -> Value {
        let (by_sev, by_area) = self.summary();
        json!({
            "report": self.header(),
            "summary": { "total": self.findings.len(), "by_severity": by_sev, "by_area": by_area,
                "areas_not_assessed": self.areas_not_assessed() },
            "not_assessed": self.not_assessed(),
            "findings": self.findings,
            "inventory": self.inventory(),
            "coverage_gaps": errors_json(self.estate),
            "notices": self.notices,
        })
    }

    pub fn markdown(&self) -> String {
        let h = self.header();
        let mut out = format!(
            "# crossconnect audit\n\n| | |\n|---|---|\n| accounts | {} |\n| regions | {} |\n| generated | {} |\n| source | {} |\n| tool | crossconnect {} (read-only) |\n",
            self.estate.account_ids().join(", "),
            self.estate.region_names().join(", "),
            h["generated_at"].as_str().unwrap_or_default(),
            self.meta.source,
            env!("CARGO_PKG_VERSION"),
        );
        let (by_sev, by_area) = self.summary();
        out.push_str(&format!(
            "\n## Summary\n\n{} finding(s).\n\n| area | assessed |",
            self.findings.len()
        ));
        for s in Severity::ALL_DESC {
            out.push_str(&format!(" {} |", s.label()));
        }
        out.push_str(&format!("\n|---|---|{}\n", "---|".repeat(5)));
        let not_assessed = self.areas_not_assessed();
        for a in Area::ALL {
            let assessed = if not_assessed.contains(&a) {
                "**NOT ASSESSED** (see below)"
            } else {
                "yes"
            };
            out.push_str(&format!("| {} | {assessed} |", a.label()));
            for s in Severity::ALL_DESC {
                out.push_str(&format!(" {} |", by_area[a.key()][s.label()]));
            }
            out.push('\n');
        }
        out.push_str("| **total** | |");
        for s in Severity::ALL_DESC {
            out.push_str(&format!(" **{}** |", by_sev[s.label()]));
        }
        out.push_str("\n\n## Findings\n");
        for f in &self.findings {
            out.push_str(&format!(
                "\n### [{}] {} — {}\n\n",
                f.severity.label().to_uppercase(),
                f.code,
                md(&f.title)
            ));
            for r in &f.resources {
                out.push_str(&format!(
                    "- resource: `{}` {} ({})\n",
                    r.id,
                    md(&r.name),
                    r.place()
                ));
            }
            out.push_str("- evidence:");
            for (k, v) in &f.evidence {
                out.push_str(&format!(" `{k}` = `{}`;", md(v)));
            }
            out.push_str(&format!(
                "\n- remediation: {}\n- reference: {}\n",
                md(&f.remediation),
                f.reference
            ));
        }
        out.push_str("\n## Inventory\n\n| resource type | count |\n|---|---|\n");
        for (k, n) in self.inventory() {
            out.push_str(&format!("| {k} | {n} |\n"));
        }
        let gaps = self.estate.errors();
        let never: Vec<_> = self
            .estate
            .not_assessed()
            .into_iter()
            .filter(|(s, k, _)| {
                self.estate
                    .scopes
                    .get(*s)
                    .is_some_and(|r| r.status(*k).error.is_none())
            })
            .collect();
        if !self.notices.is_empty() {
            out.push_str("\n## AWS answers that disagree\n\n");
            for n in &self.notices {
                out.push_str(&format!("- {}\n", md(&n.text)));
            }
        }
        out.push_str("\n## Coverage gaps (not assessed)\n\n");
        let unread: Vec<_> = self
            .estate
            .accounts
            .iter()
            .filter(|a| a.error.is_some())
            .collect();
        for a in &unread {
            out.push_str(&format!(
                "- account {} {} not read ({}): {}\n",
                if a.id.is_empty() { "?" } else { &a.id },
                md(&a.name),
                md(&a.via),
                md(a.error.as_deref().unwrap_or_default())
            ));
        }
        for (scope, kind, reason) in &never {
            out.push_str(&format!("- {scope} {}: {reason}\n", kind.label()));
        }
        if gaps.is_empty() && never.is_empty() && unread.is_empty() {
            out.push_str("None: every call succeeded.\n");
        } else {
            out.push_str("These resources could not be read, so their rules were not evaluated:\n\n| region | resource | operation | code | message |\n|---|---|---|---|---|\n");
            for (region, kind, e) in gaps {
                out.push_str(&format!(
                    "| {region} | {} | {} | {} | {} |\n",
                    kind.label(),
                    e.operation,
                    md(&e.code),
                    md(&e.message)
                ));
            }
        }
        out
    }

    pub fn csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "severity",
            "code",
            "area",
            "title",
            "account",
            "region",
            "resource_type",
            "resource_ids",
            "resource_names",
            "evidence",
            "remediation",
            "reference",
        ]);
        for f in &self.findings {
            let first = f.resources.first();
            let evidence = f
                .evidence
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            let _ = w.write_record([
                f.severity.label(),
                f.code,
                f.area.key(),
                &f.title,
                first.and_then(|r| r.account.as_deref()).unwrap_or(""),
                first.map(|r| r.region.as_str()).unwrap_or(""),
                first.map(|r| r.resource_type.as_str()).unwrap_or(""),
                &f.resources
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                &f.resources
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                &evidence,
                &f.remediation,
                f.reference,
            ]);
        }
        for (scope, kind, reason) in self.estate.not_assessed() {
            let region = scope.to_string();
            let region = region.as_str();
            let _ = w.write_record([
                "unknown",
                "NOT-ASSESSED",
                kind.area().key(),
                &format!("{} not assessed: could not be read", kind.label()),
                "",
                region,
                kind.key(),
                "",
                "",
                &reason,
                "fix the read (permissions, throttling, endpoint) and run the audit again",
                "",
            ]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// SARIF 2.1.0: one rule per finding code, one result per finding, resources as logical
    /// locations (`aws://region/area/kind/id`).
    pub fn sarif(&self) -> Value {
        let level = |s: Severity| match s {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            _ => "note",
        };
        let rules: Vec<Value> = findings::rules()
            .iter()
            .map(|r| {
                json!({
                    "id": r.code, "name": r.code.replace('-', ""),
                    "shortDescription": { "text": r.summary },
                    "helpUri": r.reference,
                    "defaultConfiguration": { "level": level(r.severity) },
                    "properties": { "severity": r.severity.label(), "area": r.area.key() },
                })
            })
            .collect();
        let results: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                json!({
                    "ruleId": f.code,
                    "level": level(f.severity),
                    "message": { "text": format!("{} Remediation: {}", f.title, f.remediation) },
                    "locations": [{ "logicalLocations": f.resources.iter().map(|r| json!({
                        "name": r.id,
                        "fullyQualifiedName": format!("aws://{}/{}/{}", r.region, r.resource_type, r.id),
                        "kind": "resource",
                    })).collect::<Vec<_>>() }],
                    "properties": { "severity": f.severity.label(), "evidence": f.evidence, "resources": f.resources },
                })
            })
            .collect();
        json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "crossconnect", "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/crossconnect/crossconnect", "rules": rules,
                } },
                "results": results,
                "properties": { "report": self.header(), "coverage_gaps": errors_json(self.estate), "not_assessed": self.not_assessed(), "inventory": self.inventory() },
            }],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_carries_the_same_findings() {
        let now = chrono::Utc::now();
        let e = crate::demo::estate(0, now);
        let meta = ReportMeta {
            generated_at: now,
            ..ReportMeta::now(true, None)
        };
        let a = Audit::new(&e, &meta);
        assert!(!a.findings.is_empty());
        let md = a.markdown();
        let csv = a.csv();
        let sarif = a.sarif();
        let json = a.json();
        assert_eq!(json["findings"].as_array().unwrap().len(), a.findings.len());
        assert_eq!(csv.lines().count(), a.findings.len() + 1);
        assert_eq!(
            sarif["runs"][0]["results"].as_array().unwrap().len(),
            a.findings.len()
        );
        for f in &a.findings {
            let id = &f.resources[0].id;
            assert!(
                md.contains(f.code) && md.contains(id.as_str()),
                "{} {id} missing in markdown",
                f.code
            );
            assert!(
                csv.contains(f.code) && csv.contains(id.as_str()),
                "{} {id} missing in csv",
                f.code
            );
        }
        assert!(a.fails(Severity::High));
        assert!(!a.fails(Severity::Critical));
    }
}
