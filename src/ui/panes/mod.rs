//! One render function per pane and overlay; the tables' columns and rows come from
//! `crate::view::panes`.

pub mod details;
pub mod findings;
pub mod help;
pub mod journal;
pub mod overview;
pub mod report;
pub mod routes;
pub mod timeline;
pub mod topology;
pub mod workflow;
