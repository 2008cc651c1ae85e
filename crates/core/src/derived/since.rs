//! Since when a connection or a BGP session has been in its state: from the history when it
//! saw the change, else from CloudWatch (ConnectionState, VirtualInterfaceBgpStatus), else
//! `unknown` — never a guess.

use std::collections::HashMap;

use crate::history::{Event, Field};
use crate::model::{MetricSeries, ResourceKind, Timestamp};

/// The last recorded change of each `(resource id, field)`: when, and to what value.
#[derive(Clone, Debug, Default)]
pub struct Since {
    changes: HashMap<(String, Field), (Timestamp, Option<String>)>,
}

impl Since {
    /// From the history events (any order): the state of connections and the BGP status of
    /// each VIF's peers.
    pub fn from_events(events: &[Event]) -> Since {
        let mut changes: HashMap<(String, Field), (Timestamp, Option<String>)> = HashMap::new();
        for e in events {
            let wanted = match e.kind.resource() {
                Some(ResourceKind::DxConnections) => e.field.is("state"),
                Some(ResourceKind::DxVirtualInterfaces) => e.field.bgp_peer().is_some(),
                _ => false,
            };
            if !wanted {
                continue;
            }
            let key = (e.resource_id.clone(), e.field.clone());
            match changes.get(&key) {
                Some((at, _)) if *at >= e.at => {}
                _ => {
                    changes.insert(key, (e.at, e.new.clone()));
                }
            }
        }
        Since { changes }
    }

    /// Since when `id`'s `field` has been `now_value`: `MM-DD HH:MMZ` from the history;
    /// `~MM-DD HH:MMZ` from the CloudWatch series (1 = up/available, 0 = down) where it shows
    /// the change, `>MM-DD HH:MMZ` (before its first point) where it shows none; `unknown`.
    pub fn cell(
        &self,
        id: &str,
        field: impl Into<Field>,
        now_value: &str,
        metric: Option<&MetricSeries>,
    ) -> String {
        if let Some((at, new)) = self.changes.get(&(id.to_string(), field.into()))
            && new.as_deref() == Some(now_value)
        {
            return stamp(*at);
        }
        let up = match now_value {
            "up" | "available" => 1.0,
            "down" => 0.0,
            _ => return "unknown".into(),
        };
        let Some(m) = metric.filter(|m| !m.points.is_empty()) else {
            return "unknown".into();
        };
        // The newest point that disagrees with the state now; the change came after it.
        match m.points.iter().rposition(|p| (p.1 - up).abs() > 0.5) {
            Some(i) if i + 1 < m.points.len() => format!("~{}", stamp(m.points[i + 1].0)),
            // The newest point itself disagrees: the change is newer than the metric.
            Some(_) => "unknown".into(),
            None => format!(">{}", stamp(m.points[0].0)),
        }
    }
}

fn stamp(t: Timestamp) -> String {
    t.format("%m-%d %H:%MZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(min: i64) -> Timestamp {
        use chrono::TimeZone;
        chrono::Utc.with_ymd_and_hms(2026, 12, 7, 6, 0, 0).unwrap() + chrono::Duration::minutes(min)
    }

    #[test]
    fn history_first_then_cloudwatch_then_unknown() {
        let ev = Event {
            at: at(12),
            account: String::new(),
            region: "us-east-1".into(),
            kind: ResourceKind::DxConnections.into(),
            resource_id: "dxcon-1".into(),
            name: String::new(),
            field: "state".into(),
            old: Some("available".into()),
            new: Some("down".into()),
        };
        let s = Since::from_events(&[ev]);
        assert_eq!(s.cell("dxcon-1", "state", "down", None), "12-07 06:12Z");
        // The history's last change is to another value: it does not say.
        assert_eq!(s.cell("dxcon-1", "state", "available", None), "unknown");
        let series = |vals: &[f64]| MetricSeries {
            id: "dxcon-2|ConnectionState".into(),
            name: "ConnectionState".into(),
            state: String::new(),
            resource_id: "dxcon-2".into(),
            points: vals
                .iter()
                .enumerate()
                .map(|(i, v)| (at(5 * i as i64), *v))
                .collect(),
        };
        let m = series(&[1.0, 1.0, 0.0, 0.0]);
        assert_eq!(
            s.cell("dxcon-2", "state", "down", Some(&m)),
            "~12-07 06:10Z"
        );
        let m = series(&[0.0, 0.0]);
        assert_eq!(
            s.cell("dxcon-2", "state", "down", Some(&m)),
            ">12-07 06:00Z"
        );
        let m = series(&[1.0, 1.0]);
        assert_eq!(s.cell("dxcon-2", "state", "down", Some(&m)), "unknown");
        assert_eq!(s.cell("dxcon-3", "state", "ordering", None), "unknown");
    }
}
