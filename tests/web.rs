//! Tests that run inside headless Chromium (wasm-bindgen-test): the simulation gives the same
//! event-log digest as natively, and the app mounts and draws the lab.
#![cfg(target_arch = "wasm32")]

use eks_lab::sim::Simulation;
use eks_lab::sim::clock::SimDuration;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn demo_lab_digest_matches_the_native_golden() {
    let mut sim = Simulation::new(eks_lab::view::demo::demo_spec()).unwrap();
    sim.run_for(SimDuration::from_hours(2));
    let expected = include_str!("golden/demo.digest").trim();
    assert_eq!(
        format!("{:016x} {}", sim.digest(), sim.events().len()),
        expected
    );
}

#[wasm_bindgen_test]
async fn the_app_mounts_and_shows_the_cluster() {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<eks_lab::ui::app::App>::with_root(root.clone()).render();
    gloo::timers::future::TimeoutFuture::new(50).await;
    let html = root.inner_html();
    assert!(html.contains("EKS Lab"), "header rendered");
    assert!(html.contains("data-testid=\"sim-clock\""), "clock rendered");
    assert!(html.contains("us-east-1a"), "AZ columns rendered");
}

/// Runs a scenario file for its duration, as the native golden test does.
fn example_digest(text: &str) -> String {
    let loaded = eks_lab::scenario::load(text).unwrap();
    let duration = loaded.spec.duration.unwrap_or(SimDuration::from_hours(1));
    let mut sim = Simulation::new(loaded.spec).unwrap();
    sim.run_for(duration);
    format!("{:016x} {}", sim.digest(), sim.events().len())
}

#[wasm_bindgen_test]
fn mixed_example_digest_matches_the_native_golden() {
    // The same scenario file the native golden test runs, loaded and run in the browser.
    assert_eq!(
        example_digest(include_str!("../examples/mixed.yaml")),
        include_str!("golden/mixed.digest").trim()
    );
}

#[wasm_bindgen_test]
fn autoscaling_examples_match_the_native_goldens() {
    // The HPA (metrics and traffic), the Cluster Autoscaler's expander draws and Spot's
    // interruption draws: each an RNG stream or arithmetic that must agree across targets.
    assert_eq!(
        example_digest(include_str!("../examples/hpa.yaml")),
        include_str!("golden/hpa.digest").trim()
    );
    assert_eq!(
        example_digest(include_str!("../examples/cluster-autoscaler.yaml")),
        include_str!("golden/cluster-autoscaler.digest").trim()
    );
    assert_eq!(
        example_digest(include_str!("../examples/vpa.yaml")),
        include_str!("golden/vpa.digest").trim()
    );
    assert_eq!(
        example_digest(include_str!("../examples/spot.yaml")),
        include_str!("golden/spot.digest").trim()
    );
}

#[wasm_bindgen_test]
fn upgrade_examples_match_the_native_goldens() {
    // Update ids and the node group update's random choice of nodes come from the `updates`
    // stream; phase delays from the EKS stream: both must agree across targets.
    for (text, golden) in [
        (
            include_str!("../examples/upgrade.yaml"),
            include_str!("golden/upgrade.digest"),
        ),
        (
            include_str!("../examples/upgrade-pdb-failure.yaml"),
            include_str!("golden/upgrade-pdb-failure.digest"),
        ),
        (
            include_str!("../examples/upgrade-rollback.yaml"),
            include_str!("golden/upgrade-rollback.digest"),
        ),
    ] {
        assert_eq!(example_digest(text), golden.trim());
    }
}
