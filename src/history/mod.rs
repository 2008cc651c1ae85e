//! Change history: the events (diffed per poll, field by field) are the core crate's
//! [`crossconnect_core::history`]; here is where they are kept, a SQLite database ([`store`]).

pub use crossconnect_core::history::*;

pub mod store;
