//! Contradictions in what AWS returned, named: the console, `audit` and `path` say what was
//! seen and which answer is used, instead of resolving it silently.

use std::collections::BTreeMap;

use crate::graph::Index;
use crate::model::Estate;

/// One contradiction: what was seen and which answer is used.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Notice {
    /// The resource the answers disagree about.
    pub id: String,
    pub text: String,
}

/// Every contradiction in the estate's answers.
pub fn notices(e: &Estate, ix: &Index) -> Vec<Notice> {
    let mut out = Vec::new();
    // An attachment has at most one association (TGW route tables), and the attachment's own
    // answer (DescribeTransitGatewayAttachments) names it too.
    for a in &ix.attachments {
        // A peering attachment has one id on both TGWs, each with its own association: count
        // the tables per TGW.
        let mut per_tgw: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for t in ix.associated_tables(&a.id) {
            let tgw = ix
                .tgw_tables
                .get(t)
                .map(|x| x.transit_gateway_id.as_str())
                .unwrap_or("");
            per_tgw.entry(tgw).or_default().push(t);
        }
        let used = ix.association(a).map(|x| x.table.id.clone());
        for tables in per_tgw.values().filter(|t| t.len() > 1) {
            out.push(Notice {
                id: a.id.clone(),
                text: format!(
                    "GetTransitGatewayRouteTableAssociations lists {} as associated with {} route tables ({}); the path trace uses {}",
                    a.id,
                    tables.len(),
                    tables.join(", "),
                    used.as_deref().unwrap_or("none")
                ),
            });
        }
    }
    for r in e.scopes.values() {
        for a in &r.tgw_attachments.items {
            let (Some(own), Some(listed)) = (
                a.association_route_table_id.as_deref(),
                ix.associated_tables(&a.id).first().copied(),
            ) else {
                continue;
            };
            if !ix.associated_tables(&a.id).contains(&own) {
                out.push(Notice {
                    id: a.id.clone(),
                    text: format!(
                        "DescribeTransitGatewayAttachments says {} is associated with {own}, GetTransitGatewayRouteTableAssociations lists it in {listed}; the path trace uses {listed}",
                        a.id
                    ),
                });
            }
        }
    }
    // A rule group listed by an account that does not own it (shared through RAM): shown once,
    // in its owner's scope when the owner is read too.
    let mut groups: BTreeMap<&str, Vec<(&str, Option<&str>)>> = BTreeMap::new();
    for r in e.scopes.values() {
        for g in &r.firewall_rule_groups.items {
            groups
                .entry(g.id.as_str())
                .or_default()
                .push((r.account.as_str(), g.owner_id.as_deref()));
        }
    }
    for (id, seen) in groups {
        let accounts: std::collections::BTreeSet<&str> = seen.iter().map(|s| s.0).collect();
        if accounts.len() > 1 {
            let owner = seen.iter().find_map(|s| s.1).unwrap_or("unknown");
            out.push(Notice {
                id: id.to_string(),
                text: format!(
                    "rule group {id} is returned to {} accounts ({}); its owner is {owner}: counted once",
                    accounts.len(),
                    accounts.into_iter().collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    out.sort();
    out.dedup();
    out
}
