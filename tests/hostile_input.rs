//! Hostile and careless input: a fuzz test over the scenario loader, the command parser and
//! the share-link and save decoders (fixed seed, fixed count), and each YAML limit tried at
//! the limit and one past it.
//!
//! Every input runs on the test's thread under a counting allocator and a watchdog
//! (`budget`), so a panic, an input that takes too long or holds too much memory is a
//! finding, not a crash or a hang. Findings are grouped by where they happen, shrunk, saved
//! under `target/hostile-input/` and reported one line each.

// The counting allocator implements `GlobalAlloc`, an unsafe trait; nothing else here is
// unsafe, and `only_this_test_allows_unsafe_code` checks no other file allows it.
#![allow(unsafe_code, reason = "GlobalAlloc is an unsafe trait")]
// The per-input time budget and the watchdog measure wall-clock time by definition; the
// simulation under test never reads it.
#![allow(
    clippy::disallowed_methods,
    reason = "the time budget is wall-clock time"
)]

#[path = "hostile_input/budget.rs"]
mod budget;
#[path = "hostile_input/commands.rs"]
mod commands;
#[path = "hostile_input/findings.rs"]
mod findings;
#[path = "hostile_input/fuzz.rs"]
mod fuzz;
#[path = "hostile_input/limits.rs"]
mod limits;
#[path = "hostile_input/links.rs"]
mod links;
#[path = "hostile_input/mutate.rs"]
mod mutate;
#[path = "hostile_input/runner.rs"]
mod runner;
#[path = "hostile_input/scale.rs"]
mod scale;

use findings::Findings;

#[global_allocator]
static ALLOCATOR: budget::Counting = budget::Counting;

/// Fails with one line per distinct finding.
fn assert_clean(surface: &str, inputs: usize, findings: &Findings) {
    let lines = findings.report();
    println!(
        "{surface}: {inputs} inputs, {} distinct finding(s)",
        lines.len()
    );
    assert!(
        lines.is_empty(),
        "{} distinct finding(s) in {inputs} {surface} inputs (inputs saved under target/hostile-input/):\n{}",
        lines.len(),
        lines.join("\n")
    );
}

#[test]
fn fuzz_has_at_least_10000_inputs() {
    let total = fuzz::LOADER_INPUTS + fuzz::COMMAND_INPUTS + fuzz::LINK_INPUTS;
    println!(
        "loader {}, commands {}, links and saves {}: {total} inputs",
        fuzz::LOADER_INPUTS,
        fuzz::COMMAND_INPUTS,
        fuzz::LINK_INPUTS
    );
    assert!(total >= 10_000, "{total}");
}

#[test]
fn fuzz_scenario_loader() {
    let mut f = Findings::new("loader");
    let n = fuzz::loader(&mut f);
    assert_clean("scenario loader", n, &f);
}

#[test]
fn fuzz_command_parser() {
    let mut f = Findings::new("commands");
    let n = commands::commands(&mut f);
    assert_clean("command parser", n, &f);
}

#[test]
fn fuzz_share_links_and_saves() {
    let mut f = Findings::new("links");
    let n = links::links(&mut f);
    assert_clean("share link and save", n, &f);
}

#[test]
fn only_this_test_allows_unsafe_code() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for d in ["src", "tests", "benches"] {
        walk(&root.join(d), &mut files);
    }
    let this = root.join("tests/hostile_input.rs");
    let allowing: Vec<_> = files
        .iter()
        .filter(|f| **f != this)
        .filter(|f| {
            std::fs::read_to_string(f)
                .unwrap_or_default()
                .contains(&["allow(", "unsafe_code"].concat())
        })
        .collect();
    assert!(allowing.is_empty(), "{allowing:?}");
}
