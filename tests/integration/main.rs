//! The integration tests, one binary (one link instead of fourteen): scenario tests with
//! golden event logs, property tests of invariants, determinism, the loader, the views, the
//! runner and the tidy checks. Each module was a test binary of its own; `support` is shared.
//! Kept apart: `hostile_input` (its counting global allocator measures each input alone) and
//! the wasm32 tests (`web`, `wasm_bench`).

mod support;

mod charts;
mod cluster_autoscaler;
mod determinism;
mod hpa;
mod invariants;
mod kubectl_views;
mod runner;
mod scenario_loader;
mod scenarios;
mod spot;
mod tidy;
mod upgrade_view;
mod upgrades;
mod vpa;
