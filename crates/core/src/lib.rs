//! crossconnect's core crate: what the console, the commands and the exports reason with, free
//! of the AWS SDK, the terminal and any async runtime.
//!
//! - [`model`]: the estate as read, by account and region (ids, names, states as AWS spells
//!   them), with secrets masked before they enter it;
//! - [`graph`]: the connectivity index, path traces both ways, blast radius, topology;
//! - [`findings`]: the health rules;
//! - [`history`]: change events, diffed per poll;
//! - [`derived`]: the one derived state per model revision every view reads.

pub mod calls;
pub mod derived;
pub mod findings;
pub mod graph;
pub mod history;
pub mod intent;
pub mod model;
