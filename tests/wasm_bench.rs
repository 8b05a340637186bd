//! The benchmark workload in wasm32, in headless Chromium: 24 simulated hours of a 100-node,
//! 3,000-pod cluster. Ignored by default (it is a figure to print, not a test); `make bench`
//! runs it in release mode with `--include-ignored`.
#![cfg(target_arch = "wasm32")]

use eks_lab::sim::Simulation;
use eks_lab::sim::clock::SimDuration;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

#[path = "integration/support/bench_spec.rs"]
mod bench_spec;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run with `make bench`"]
fn bench_24h_100_nodes_3000_pods() {
    let t0 = now_ms();
    let mut sim = Simulation::new(bench_spec::spec()).unwrap();
    sim.run_for(SimDuration::from_hours(24));
    let ms = now_ms() - t0;
    console_log!(
        "bench sim/24h-100-nodes-3000-pods (wasm32, Chromium): {:.3} s for {} nodes, {} pods, {} events",
        ms / 1000.0,
        sim.state().nodes.len(),
        sim.state().pods.len(),
        sim.events().len()
    );
    assert_eq!(sim.state().nodes.len(), 100);
}
