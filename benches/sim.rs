//! Benchmark: 24 simulated hours of a 100-node, 3,000-pod cluster. Prints figures; the target
//! (under 1 s natively) is a number to watch, not a test that fails.
//! Run with `make bench` (also runs the same workload in wasm32 under headless Chromium).

use std::time::Instant;

use eks_lab::sim::Simulation;
use eks_lab::sim::clock::SimDuration;

#[path = "../tests/integration/support/bench_spec.rs"]
mod bench_spec;

#[expect(
    clippy::disallowed_methods,
    reason = "a benchmark measures wall-clock time by definition"
)]
fn main() {
    let spec = bench_spec::spec();
    let t0 = Instant::now();
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(30));
    let setup = t0.elapsed();
    let pods = sim.state().pods.len();
    let nodes = sim.state().nodes.len();
    let t1 = Instant::now();
    sim.run_for(SimDuration::from_hours(24) - SimDuration::from_mins(30));
    let rest = t1.elapsed();
    let total = t0.elapsed();
    println!("bench sim/24h-100-nodes-3000-pods (native, release)");
    println!(
        "  cluster: {nodes} nodes, {pods} pods, {} events",
        sim.events().len()
    );
    println!(
        "  first 30 min (creation and scheduling): {:.3} s",
        setup.as_secs_f64()
    );
    println!("  remaining 23.5 h: {:.3} s", rest.as_secs_f64());
    println!("  total 24 h: {:.3} s (target < 1 s)", total.as_secs_f64());
    println!(
        "  cost after 24 h: ${:.2}",
        eks_lab::sim::billing::usd(sim.billing().total_micro_usd())
    );
}
