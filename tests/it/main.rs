//! Integration tests, built as one binary (see Cargo.toml): each module drives the real
//! binary, the real SDK against moto or wire-level fixtures, or renders to a `TestBackend`.

mod common;

mod accounts;
mod batfish;
mod calls;
mod cli;
mod graph;
mod history;
mod layers;
mod masking;
mod masking_errors;
mod moto;
mod notify;
mod outcomes;
mod postgres;
mod prometheus;
mod read_only;
mod render;
mod saved;
mod terraform;
mod transit;
mod transit_wire;
mod trust;
mod truth;
mod verify;
mod whatif;
mod wire_fixtures;
mod workflows;
mod workflows_wire;
