//! How the session was started: what the header says and what the workflows may do.

use std::time::Duration;

/// How the session was started; shown in the header.
#[derive(Clone, Debug, Default)]
pub struct Session {
    /// `--write` was given: mutating workflows may build their calls.
    pub write: bool,
    /// Running on the embedded demo estate.
    pub demo: bool,
    pub profile: Option<String>,
    /// The account id the credentials belong to (sts GetCallerIdentity), when known.
    pub account: Option<String>,
    pub regions: Vec<String>,
    /// Poll interval (`--refresh`).
    pub refresh: Duration,
    /// The change journal (`--journal`).
    pub journal: std::path::PathBuf,
    /// The resolved key bindings (defaults and the config file's `[keys]`).
    pub keymap: crate::config::keymap::Keymap,
    /// Mouse: click selects a row, the wheel scrolls (config `ui.mouse`).
    pub mouse: bool,
    /// Thresholds of the rules over history.
    pub history: crate::config::HistorySettings,
    /// EC2 `DryRun` requests may go while the plan is on screen: `--write` against AWS's own
    /// endpoints. Off with an endpoint override (emulators such as moto apply some `DryRun`
    /// requests), in which case the dry run goes only after confirmation.
    pub dry_run_in_plan: bool,
    /// `--plan-out FILE`: a confirmed plan is written there instead of sent.
    pub plan_out: Option<std::path::PathBuf>,
    /// `[changes]`: the change window and whether a ticket is required.
    pub changes: crate::config::changes::ChangePolicy,
    /// `--ticket`: journaled with every change.
    pub ticket: Option<String>,
    /// The declared intents (`--intents`), evaluated with the derived state.
    pub intents: std::sync::Arc<Vec<crate::intent::Intent>>,
}
