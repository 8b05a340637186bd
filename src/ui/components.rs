//! Presentational components, one per file.

pub mod builder;
pub mod charts;
pub mod cluster_panel;
pub mod console;
pub mod cost_panel;
pub mod event_log;
pub mod form;
pub mod inspector;
pub mod scaling;
pub mod scenario_panel;
pub mod top_bar;
pub mod upgrade_nodegroup;
pub mod upgrade_timeline;
pub mod upgrades;
pub mod workloads;
