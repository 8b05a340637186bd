//! EKS Lab: a deterministic simulation of an Amazon EKS cluster (`sim`), the scenario files
//! that describe labs (`scenario`), the JSON report (`report`), the lab's limits (`limits`),
//! and the browser UI (`ui`, wasm32 only).

pub mod cli;
pub mod limits;
pub mod report;
pub mod scenario;
pub mod sim;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod view;
