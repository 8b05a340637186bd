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

#[wasm_bindgen_test]
fn mixed_example_digest_matches_the_native_golden() {
    // The same scenario file the native golden test runs, loaded and run in the browser.
    let text = include_str!("../examples/mixed.yaml");
    let loaded = eks_lab::scenario::load(text).unwrap();
    let duration = loaded.spec.duration.unwrap_or(SimDuration::from_hours(1));
    let mut sim = Simulation::new(loaded.spec).unwrap();
    sim.run_for(duration);
    let expected = include_str!("golden/mixed.digest").trim();
    assert_eq!(
        format!("{:016x} {}", sim.digest(), sim.events().len()),
        expected
    );
}
