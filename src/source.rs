//! Where data comes from: the AWS pollers or the demo estate, both run by the AWS crate's poll
//! engine ([`crate::aws::poll`]). Either way it reaches the UI as [`SourceMsg`]s over one
//! channel, with the outcomes of changes and the journal, so rendering never waits on the
//! network.

use std::time::Duration;

use tokio::sync::mpsc;

use crate::aws::RegionClients;
use crate::aws::poll::PollMsg;
pub use crate::aws::poll::{
    AwsSource, Source, SourceHandle, TELEMETRY_EVERY, poll_bounded, poll_once, poll_once_by,
    poll_service, spawn,
};
use crate::model::{ApiError, Scope, Service, Update};

/// A message from a data source to the UI.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceMsg {
    /// A full read of one resource kind in one region.
    Update(Update),
    /// A poller started (`active`) or finished a poll, at `at` (wall clock, UTC).
    Polling {
        scope: Scope,
        service: Service,
        active: bool,
        at: crate::model::Timestamp,
    },
    /// The domains of a DNS Firewall domain list (ListFirewallDomains), asked for on demand.
    Domains {
        region: String,
        list_id: String,
        result: Result<Vec<String>, ApiError>,
    },
    /// A workflow's call completed (and was journaled).
    WorkflowDone {
        intent: String,
        outcome: crate::calls::Outcome,
    },
    /// The answer to a plan's EC2 `DryRun` request (`DryRunOperation` when it would succeed).
    DryRunDone {
        intent: String,
        outcome: crate::calls::Outcome,
    },
    /// The BGP routes of a VIF (ListVirtualInterfaceRoutes), asked for on demand.
    Routes {
        vif: String,
        result: Result<Vec<crate::model::VifRoute>, ApiError>,
    },
    /// The history database could not take some changes (they stay on screen).
    HistoryFailed(String),
    /// The history database opened (its name, and the last day's changes, newest first), or
    /// why it could not be.
    HistoryOpened(Result<(String, Vec<crate::history::Event>), String>),
    /// The change journal, read for `:journal`.
    Journal(Result<crate::workflows::journal::Journal, String>),
    /// A build of the derived state finished (`None`: it failed), see
    /// [`crate::app::App::derive_job`].
    Derived(Option<Box<crate::derived::apart::Built>>),
}

impl From<PollMsg> for SourceMsg {
    fn from(m: PollMsg) -> SourceMsg {
        match m {
            PollMsg::Update(u) => SourceMsg::Update(u),
            PollMsg::Polling {
                scope,
                service,
                active,
                at,
            } => SourceMsg::Polling {
                scope,
                service,
                active,
                at,
            },
            PollMsg::Domains {
                region,
                list_id,
                result,
            } => SourceMsg::Domains {
                region,
                list_id,
                result,
            },
            PollMsg::Routes { vif, result } => SourceMsg::Routes { vif, result },
        }
    }
}

/// Starts the AWS pollers ([`spawn`] of an [`AwsSource`]).
pub fn spawn_aws(
    clients: Vec<RegionClients>,
    interval: Duration,
    tx: mpsc::UnboundedSender<SourceMsg>,
) -> SourceHandle {
    spawn(std::sync::Arc::new(AwsSource::new(clients)), interval, tx)
}
