//! Presentational components, one per file.

pub mod cluster_panel;
pub mod event_log;
pub mod top_bar;
