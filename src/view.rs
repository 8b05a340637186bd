//! View models: small, comparable summaries of the simulation for the UI to draw, plus number
//! formatting. Pure Rust with no web dependencies, so it is tested natively.

pub mod builder;
pub mod charts;
pub mod cluster;
pub mod console;
pub mod demo;
pub mod format;
pub mod kubectl;
pub mod persist;
pub mod replay;
pub mod scaling;
pub mod top;
pub mod upgrade;
pub mod workloads;
