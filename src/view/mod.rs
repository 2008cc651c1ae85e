//! The view model: what the panes show, without any terminal library. The UI layer only draws it.

pub mod columns;
pub mod overview;
pub mod panes;
pub mod table;

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
