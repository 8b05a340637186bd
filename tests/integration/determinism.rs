//! Same seed, same commands, same event log: twice natively, and against the golden digest the
//! browser test (tests/web.rs) checks too. `UPDATE_GOLDEN=1 cargo test` rewrites the golden.

use eks_lab::sim::Simulation;
use eks_lab::sim::clock::SimDuration;

fn demo_digest() -> String {
    let mut sim = Simulation::new(eks_lab::view::demo::demo_spec()).unwrap();
    sim.run_for(SimDuration::from_hours(2));
    format!("{:016x} {}", sim.digest(), sim.events().len())
}

#[test]
fn same_spec_twice_gives_the_same_log() {
    assert_eq!(demo_digest(), demo_digest());
}

#[test]
fn native_digest_matches_the_golden_the_browser_checks() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/demo.digest");
    let got = demo_digest();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, format!("{got}\n")).unwrap();
    }
    let want = std::fs::read_to_string(path).expect("golden missing: run with UPDATE_GOLDEN=1");
    assert_eq!(got, want.trim());
}
