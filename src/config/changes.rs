//! `[changes]`: when changes may be sent, and whether each needs a ticket.
//!
//! ```toml
//! [changes]
//! window = "22:00-04:00"          # UTC; sends outside it are refused (it may wrap midnight)
//! days = ["sat", "sun"]           # the days the window opens on (default: every day)
//! require_ticket = true           # --ticket ID is needed to send, and journaled
//! ```

use chrono::{Datelike, NaiveTime, Timelike, Weekday};
use serde::Deserialize;

/// The `[changes]` table as written.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChangesFile {
    pub window: Option<String>,
    pub days: Option<Vec<String>>,
    pub require_ticket: Option<bool>,
}

/// The change policy resolved.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChangePolicy {
    /// `(opens, closes)`, UTC; closes before opens: the window wraps midnight.
    pub window: Option<(NaiveTime, NaiveTime)>,
    /// The days the window opens on; empty: every day.
    pub days: Vec<Weekday>,
    pub require_ticket: bool,
    /// As written, for messages.
    pub text: String,
}

impl ChangePolicy {
    /// Parses the file's table; errors name the field.
    pub fn from_file(f: &ChangesFile, name: &str) -> Result<ChangePolicy, String> {
        let mut p = ChangePolicy {
            require_ticket: f.require_ticket.unwrap_or(false),
            ..Default::default()
        };
        if let Some(w) = &f.window {
            let parse = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
            let (a, b) = w
                .split_once('-')
                .and_then(|(a, b)| Some((parse(a)?, parse(b)?)))
                .ok_or_else(|| {
                    format!("config {name}: field `changes.window`: {w:?} is not HH:MM-HH:MM (UTC)")
                })?;
            p.window = Some((a, b));
            p.text = format!("{w} UTC");
        }
        for d in f.days.iter().flatten() {
            let day: Weekday = d.parse().map_err(|_| {
                format!("config {name}: field `changes.days`: {d:?} is not a day (mon … sun)")
            })?;
            p.days.push(day);
        }
        if !p.days.is_empty() {
            p.text = format!(
                "{} on {}",
                p.text,
                p.days
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        Ok(p)
    }

    /// Why a change may not be sent at `now` (UTC) with `ticket`, if it may not.
    pub fn refuses(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        ticket: Option<&str>,
    ) -> Option<String> {
        if self.require_ticket && ticket.is_none_or(|t| t.trim().is_empty()) {
            return Some(
                "a ticket is required for every change (config [changes] require_ticket): start with --ticket ID — nothing was sent".into(),
            );
        }
        let (open, close) = self.window?;
        let t = NaiveTime::from_hms_opt(now.hour(), now.minute(), now.second())?;
        let wraps = close <= open;
        // The day the window in force opened on.
        let (inside, opened_on) = if !wraps {
            (t >= open && t < close, now.weekday())
        } else if t >= open {
            (true, now.weekday())
        } else {
            (t < close, now.weekday().pred())
        };
        let day_ok = self.days.is_empty() || self.days.contains(&opened_on);
        (!(inside && day_ok)).then(|| {
            format!(
                "outside the change window ({}; config [changes] window): it is {} UTC — nothing was sent",
                self.text,
                now.format("%a %H:%M")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_window_wraps_midnight_and_the_ticket_is_required() {
        let f = ChangesFile {
            window: Some("22:00-04:00".into()),
            days: Some(vec!["sat".into()]),
            require_ticket: Some(true),
        };
        let p = ChangePolicy::from_file(&f, "c.toml").unwrap();
        // Saturday 2026-12-05 23:00 and Sunday 03:00 (opened Saturday): inside.
        let sat23 = chrono::Utc.with_ymd_and_hms(2026, 12, 5, 23, 0, 0).unwrap();
        let sun03 = chrono::Utc.with_ymd_and_hms(2026, 12, 6, 3, 0, 0).unwrap();
        let mon12 = chrono::Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0).unwrap();
        assert_eq!(p.refuses(sat23, Some("CHG-1")), None);
        assert_eq!(p.refuses(sun03, Some("CHG-1")), None);
        let why = p.refuses(mon12, Some("CHG-1")).unwrap();
        assert!(
            why.contains("22:00-04:00 UTC on Sat") && why.contains("Mon 12:00"),
            "{why}"
        );
        assert!(p.refuses(sat23, None).unwrap().contains("--ticket"));
        let bad = ChangesFile {
            window: Some("10-12".into()),
            ..Default::default()
        };
        assert!(
            ChangePolicy::from_file(&bad, "c.toml")
                .unwrap_err()
                .contains("changes.window")
        );
    }
}
