//! The view model: what the panes show, without any terminal library. The UI layer only draws it.

pub mod columns;
pub mod details;
pub mod intents;
pub mod metrics;
pub mod overview;
pub mod pane;
pub mod panes;
pub mod table;
pub mod timeline;
pub mod topology;

/// How a status text reads, for the UI to colour: the theme maps each to a style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Nothing to report yet (`loading…`).
    Muted,
    /// Read within the interval.
    Fresh,
    /// Older than two intervals.
    Stale,
    /// The last read failed.
    Error,
    /// Waiting on a slow call.
    Pending,
}

/// `42s`, `5m`, `3h`, `2d`.
pub fn human_age(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}
