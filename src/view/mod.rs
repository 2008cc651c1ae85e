//! The view model: what the panes show, without ratatui. The UI layer only draws it.

pub mod columns;
pub mod overview;
