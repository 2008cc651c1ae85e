//! The view model: what the panes show, without ratatui. The UI layer only draws it.

pub mod overview;
pub mod columns;
