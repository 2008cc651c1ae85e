//! The findings table (`:findings`): every finding, most severe first.

use crate::findings::Finding;
use crate::model::health::Health;
use crate::view::columns::Width;
use crate::view::table::Row;

use Width::{Flex as Fill, Whole as Length};

pub const COLUMNS: &[(&str, Width)] = &[
    ("SEVERITY", Length(8)),
    ("RULE", Length(9)),
    ("AREA", Length(15)),
    ("RESOURCE", Length(30)),
    ("FINDING", Fill(1)),
];

/// One row per finding, keyed by its first resource (what `Enter` jumps to).
pub fn rows(findings: &[Finding]) -> Vec<Row> {
    findings
        .iter()
        .filter_map(|f| {
            let r = f.resources.first()?;
            let cells = vec![
                r.region.clone(),
                f.severity.label().to_string(),
                f.code.to_string(),
                f.area.label().to_string(),
                r.id.clone(),
                f.title.clone(),
            ];
            let mut row = Row::new(
                &r.region,
                r.kind,
                r.id.clone(),
                cells,
                Some(2),
                Health::Neutral,
                false,
            );
            row.severity = Some(f.severity);
            row.account = r.account.clone().unwrap_or_default();
            Some(row)
        })
        .collect()
}
