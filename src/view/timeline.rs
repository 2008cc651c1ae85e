//! `:timeline`: the recorded changes, newest first, as rows of text (ratatui-free).

use crate::history::Event;
use crate::model::Estate;

/// Column headings.
pub const HEADERS: [&str; 7] = [
    "TIME (UTC)",
    "WHERE",
    "KIND",
    "RESOURCE",
    "NAME",
    "FIELD",
    "CHANGE",
];

/// The events that match `filter` (case-insensitive, over every cell), newest first, each with
/// its cells.
pub fn rows<'a>(events: &'a [Event], filter: &str, e: &Estate) -> Vec<(&'a Event, [String; 7])> {
    let needle = filter.to_lowercase();
    events
        .iter()
        .rev()
        .map(|ev| {
            let place = if e.multi_account() && !ev.account.is_empty() {
                format!("{}/{}", e.account_name(&ev.account), ev.region)
            } else {
                ev.region.clone()
            };
            let change = match (&ev.old, &ev.new) {
                (None, Some(n)) if ev.field.is_exists() => format!("appeared ({n})"),
                (Some(o), None) if ev.field.is_exists() => format!("disappeared (was {o})"),
                (o, n) => format!(
                    "{} → {}",
                    o.as_deref().unwrap_or("(none)"),
                    n.as_deref().unwrap_or("(none)")
                ),
            };
            let kind = ev.kind.label().to_string();
            (
                ev,
                [
                    ev.at.format("%m-%d %H:%M:%S").to_string(),
                    place,
                    kind,
                    ev.resource_id.clone(),
                    if ev.name.is_empty() {
                        "-".into()
                    } else {
                        ev.name.clone()
                    },
                    ev.field.to_string(),
                    change,
                ],
            )
        })
        .filter(|(_, cells)| {
            needle.is_empty() || cells.iter().any(|c| c.to_lowercase().contains(&needle))
        })
        .collect()
}

/// "last changed" of a resource: the newest event about it.
pub fn last_change<'a>(events: &'a [Event], id: &str) -> Option<&'a Event> {
    events.iter().rev().find(|e| e.resource_id == id)
}

/// The history lines of a resource's details: when it last changed, and for a VIF how often
/// each BGP peer went down in the last 24 h.
pub fn history_lines(events: &[Event], id: &str, now: crate::model::Timestamp) -> Vec<String> {
    let mut out = Vec::new();
    match last_change(events, id) {
        Some(e) => out.push(format!(
            "last changed: {} ({} ago) — {}",
            e.at.format("%Y-%m-%d %H:%M:%S UTC"),
            crate::view::human_age((now - e.at).num_seconds().max(0) as u64),
            match (&e.old, &e.new) {
                (None, _) if e.field == "exists" => "appeared".to_string(),
                (_, None) if e.field == "exists" => "disappeared".to_string(),
                (o, n) => format!(
                    "{} {} → {}",
                    e.field,
                    o.as_deref().unwrap_or("(none)"),
                    n.as_deref().unwrap_or("(none)")
                ),
            }
        )),
        None => out.push("last changed: no change seen".into()),
    }
    let day = events
        .iter()
        .filter(|e| e.resource_id == id && e.at >= now - chrono::Duration::hours(24));
    for ((_, peer), downs) in crate::history::bgp_downs(day) {
        out.push(format!(
            "BGP peer {peer}: {downs} flap(s) (went down) in the last 24 h"
        ));
    }
    out
}
