//! `audit --format summary`: at most [`LINES`] lines of plain text for an incident channel —
//! what is down, what lost redundancy, the other findings most severe first, and what could
//! not be read (never claimed healthy). A section that does not fit says how many more there
//! are; a cut line ends in `…`.

use super::Audit;
use crate::findings::{Finding, Severity};

/// The most lines a summary has.
pub const LINES: usize = 20;
/// The widest line (chat clients wrap, but a line should read at a glance).
const WIDTH: usize = 160;

/// Something is down: a connection, a VIF, a BGP session, a path, a forwarding endpoint.
const DOWN: &[&str] = &[
    "DX-001", "DX-005", "DX-006", "DX-010", "HIST-002", "PATH-002", "PATH-004", "PATH-005",
    "PATH-006", "R53R-004",
];
/// Something still works, with less redundancy than it should have.
const REDUNDANCY: &[&str] = &[
    "DX-003", "DX-004", "DX-007", "DX-008", "PATH-001", "R53R-001",
];

/// Which section a finding goes to: a VPC with every DX path down (PATH-007 critical) is down,
/// one with some down lost redundancy.
fn section(f: &Finding) -> usize {
    match f.code {
        c if DOWN.contains(&c) => 0,
        "PATH-007" if f.severity == Severity::Critical => 0,
        c if c == "PATH-007" || REDUNDANCY.contains(&c) => 1,
        _ => 2,
    }
}

/// One finding as a line: severity, rule, where (the account when there are several), what.
fn line(f: &Finding, accounts: bool) -> String {
    let place = f.resources.first().map_or(String::new(), |r| {
        let account = r.account.as_deref().filter(|_| accounts);
        let account = account.map(|a| format!("{a} ")).unwrap_or_default();
        format!("{account}{} ", r.region)
    });
    let text = format!(
        "  {:<8} {:<8} {place}{}",
        f.severity.label().to_uppercase(),
        f.code,
        f.title
    );
    crate::view::columns::cut(&text, WIDTH).into_owned()
}

/// The summary text.
pub fn text(a: &Audit) -> String {
    let mut findings: Vec<&Finding> = a.findings.iter().collect();
    findings.sort_by(|x, y| y.severity.cmp(&x.severity).then(x.code.cmp(y.code)));
    let (counts, _) = a.summary();
    let count = |s: Severity| counts.get(s.label()).copied().unwrap_or(0);
    let regions = a.estate.region_names().join(", ");
    let mut out = vec![crate::view::columns::cut(
        &format!(
            "crossconnect audit {} · {} account(s) · {regions} · {} finding(s): {} critical, {} high, {} medium, {} low",
            a.meta.generated_at.format("%Y-%m-%d %H:%MZ"),
            a.estate.account_ids().len().max(1),
            findings.len(),
            count(Severity::Critical),
            count(Severity::High),
            count(Severity::Medium),
            count(Severity::Low),
        ),
        WIDTH,
    )
    .into_owned()];
    let unread = a.not_assessed();
    // Lines kept for the sections after each one: its heading and one line.
    let headings = ["Down", "Lost redundancy", "Also"];
    for (i, heading) in headings.iter().enumerate() {
        let of: Vec<&&Finding> = findings.iter().filter(|f| section(f) == i).collect();
        if of.is_empty() {
            continue;
        }
        let later = (i + 1..headings.len())
            .filter(|j| findings.iter().any(|f| section(f) == *j))
            .count()
            * 2
            + 1;
        let room = LINES.saturating_sub(out.len() + 1 + later).max(1);
        out.push(format!("{heading} ({}):", of.len()));
        let shown = if of.len() > room { room - 1 } else { of.len() };
        let accounts = a.estate.multi_account();
        out.extend(of.iter().take(shown).map(|f| line(f, accounts)));
        if shown < of.len() {
            out.push(format!(
                "  … and {} more (crossconnect audit)",
                of.len() - shown
            ));
        }
    }
    if findings.is_empty() {
        out.push("No finding.".into());
    }
    out.push(if unread.is_empty() {
        "Everything in scope was read.".into()
    } else {
        let what: Vec<String> = unread
            .iter()
            .map(|u| {
                format!(
                    "{} {} {}",
                    u["account"].as_str().unwrap_or_default(),
                    u["region"].as_str().unwrap_or_default(),
                    u["resource_kind"].as_str().unwrap_or_default()
                )
            })
            .collect();
        crate::view::columns::cut(
            &format!(
                "Not read, so not assessed ({}): {}",
                unread.len(),
                what.join(", ")
            ),
            WIDTH,
        )
        .into_owned()
    });
    out.truncate(LINES);
    out.join("\n")
}
