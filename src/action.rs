//! Everything that can happen to the app. Keys map to actions through the resolved keymap
//! (`config::keymap`), whose action names are the serde (snake_case) names, so help is
//! generated from the same table that dispatches keys and cannot drift.

use serde::{Deserialize, Serialize};

use crate::model::Timestamp;
use crate::source::SourceMsg;

pub use crate::view::pane::Pane;

/// An action on the app state; applied by [`crate::app::update`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NextTab,
    PrevTab,
    /// Scroll the table's columns left / right when not all fit.
    ScrollLeft,
    ScrollRight,
    /// Copy the selected resource's id to the clipboard (OSC 52).
    CopyId,
    /// Copy the selected resource's ARN to the clipboard (OSC 52).
    CopyArn,
    /// Sort the current table by the next column (again on the last: reverse, then unsorted).
    Sort,
    /// The raw JSON of the selected resource (the model's, secrets masked).
    Raw,
    /// The BGP routes of the selected VIF (ListVirtualInterfaceRoutes), read now.
    Routes,
    /// The path from the selected VPC, TGW attachment or Resolver endpoint to on-prem and
    /// back.
    Path,
    /// The blast radius of the selected VIF, connection, LAG, device or location.
    Impact,
    /// Open the details of the selected resource.
    Open,
    /// Close details, help, or clear the filter.
    Back,
    /// Start typing a filter for the current table.
    Filter,
    /// Open the `:` command line.
    Command,
    Help,
    /// Poll every source now.
    Refresh,
    /// Show only rows with findings in the current table (toggle).
    FindingsOnly,
    GotoPane(Pane),
    /// A character typed into the command line or filter.
    #[serde(skip)]
    Input(char),
    #[serde(skip)]
    Backspace,
    #[serde(skip)]
    Submit,
    /// Time passed (drives "refreshed N s ago" and staleness).
    #[serde(skip)]
    Tick(Timestamp),
    /// Data or status from a source.
    #[serde(skip)]
    Source(SourceMsg),
    /// Start a change workflow on the selected row.
    #[serde(skip)]
    StartWorkflow(crate::workflows::WorkflowKind),
    /// Move a choice field's selection (−1 / +1).
    #[serde(skip)]
    Cycle(i8),
    /// A key with no action here (the status line says why), as its name (`x`, `Ctrl-x`).
    #[serde(skip)]
    Unbound(String),
    /// An editing key in a text field, the command line or the filter.
    #[serde(skip)]
    Edit(tui_input::InputRequest),
    /// A mouse click at (column, row) of the terminal: selects the row under it.
    #[serde(skip)]
    Click(u16, u16),
    /// Text pasted (bracketed paste): goes into the focused text field as text only.
    #[serde(skip)]
    Paste(String),
}

/// Parses a serde action name (`page_down`) into an [`Action`].
pub fn action_from_name(name: &str) -> Option<Action> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_are_the_serde_names() {
        assert_eq!(action_from_name("page_down"), Some(Action::PageDown));
        assert_eq!(action_from_name("no_such_action"), None);
    }
}
