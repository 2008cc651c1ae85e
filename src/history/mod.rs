//! Change history: the events (diffed per poll, field by field) are the core crate's
//! [`crossconnect_core::history`]; here is where they are kept ([`store`]): an SQLite file
//! ([`sqlite`]) by default, or a PostgreSQL database a team shares ([`postgres`]).

pub use crossconnect_core::history::*;

mod postgres;
mod sqlite;
pub mod store;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 1;

/// What to read back ([`store::Store::query`]).
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Only events at or after this time.
    pub since: Option<crate::model::Timestamp>,
    /// Only this resource id.
    pub resource: Option<String>,
    /// Only kinds whose `area/kind` contains this (`virtual_interfaces`, `vpc_peering`).
    pub kind: Option<String>,
    /// At most this many, newest first.
    pub limit: Option<usize>,
}
