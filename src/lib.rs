//! crossconnect: a terminal operator console for AWS hybrid networking (Direct Connect,
//! VPC peering, Transit Gateway, Route 53 Resolver and DNS Firewall).

pub use crossconnect_aws as aws;
pub use crossconnect_core::{calls, derived, findings, graph, intent, model};

pub mod action;
pub mod app;
pub mod audit;
pub mod batfish;
pub mod cli;
pub mod config;
pub mod demo;
pub mod event;
#[cfg(test)]
mod findings_tests;
#[cfg(test)]
mod findings_tests_more;
pub mod history;
pub mod logging;
pub mod metrics;
pub mod report;
pub mod run;
pub mod source;
#[cfg(test)]
mod transit_tests;
pub mod tui;
pub mod ui;
pub mod view;
pub mod workflows;
