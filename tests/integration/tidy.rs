//! Architecture checks that run with `cargo test` (rust-analyzer's tidy style): the simulation
//! core and the other pure modules know nothing about the browser, the wall clock or
//! per-process hash ordering.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Words that must not appear in code (comments are skipped).
const FORBIDDEN: &[&str] = &[
    "yew",
    "web_sys",
    "gloo",
    "js_sys",
    "wasm_bindgen",
    "Instant",
    "SystemTime",
    "HashMap",
    "HashSet",
    "thread_rng",
    "SmallRng",
    "StdRng",
    "getrandom",
    "f64::sin",
    ".sin()",
    ".exp()",
    ".ln()",
    ".powf(",
];

fn violations(root: &str) -> Vec<String> {
    violations_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join(root), root)
}

fn violations_in(base: &Path, root: &str) -> Vec<String> {
    let mut files = Vec::new();
    if base.is_dir() {
        rust_files(base, &mut files);
    }
    let single = base.with_extension("rs");
    if single.is_file() {
        files.push(single);
    }
    let mut bad = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if code.contains(word) {
                    bad.push(format!(
                        "{}:{}: `{word}` in {root}: {}",
                        f.display(),
                        i + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    bad
}

#[test]
fn sim_core_has_no_web_wall_clock_or_hash_order() {
    let bad = violations("src/sim");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn scenario_cli_and_view_models_stay_pure_too() {
    let mut bad = violations("src/scenario");
    bad.extend(violations("src/view"));
    bad.extend(violations("src/cli"));
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_tidy_check_itself_catches_a_violation() {
    // Guard against a tidy test that silently checks nothing.
    let dir = std::env::temp_dir().join(format!("ekslab-tidy-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("probe")).unwrap();
    std::fs::write(
        dir.join("probe/x.rs"),
        "use std::collections::HashMap;\n// HashMap in a comment is fine\n",
    )
    .unwrap();
    let hits = violations_in(&dir.join("probe"), "probe");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].contains("x.rs:1"), "{hits:?}");
}
