//! Architecture checks that run with `cargo test` (rust-analyzer's tidy style): the simulation
//! core and the other pure modules know nothing about the browser, the wall clock or
//! per-process hash ordering; controllers do not import each other, the API server calls no
//! controller, and the view, scenario loader, report and UI do not name `controllers` (each
//! with the list of edges not yet cut).

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

// ---------------------------------------------------------------------------------------------
// Who may import whom: controllers meet through the store, not through each other's modules.
// ---------------------------------------------------------------------------------------------

/// The controller modules: one per file `src/sim/controllers/<name>.rs`.
fn controller_names(controllers: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(controllers)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension().is_some_and(|x| x == "rs"))
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    eks_lab::sim::sort::sort(&mut names);
    names
}

/// A token of Rust code, enough to follow paths.
#[derive(Clone, Copy, PartialEq)]
enum Tok<'a> {
    Ident(&'a str),
    Sep,
    Open,
    Close,
    Comma,
    Other,
}

/// The tokens of `code` with their lines; comments and literals are skipped.
fn tokens(code: &str) -> Vec<(usize, Tok<'_>)> {
    let bytes = code.as_bytes();
    let mut toks: Vec<(usize, Tok<'_>)> = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\n' {
            line += 1;
            i += 1;
        } else if code[i..].starts_with("//") {
            // A comment may name anything.
            i = code[i..].find('\n').map_or(code.len(), |e| i + e);
        } else if code[i..].starts_with("/*") {
            let end = code[i + 2..]
                .find("*/")
                .map_or(code.len(), |e| i + 2 + e + 2);
            line += code[i..end].matches('\n').count();
            i = end;
        } else if c == b'\'' && bytes.get(i + 2) == Some(&b'\'') {
            // A character literal such as '"'.
            i += 3;
            toks.push((line, Tok::Other));
        } else if c == b'\'' && bytes.get(i + 1) == Some(&b'\\') {
            i += 2;
            while i < bytes.len() && bytes[i] != b'\'' {
                i += 1;
            }
            i += 1;
            toks.push((line, Tok::Other));
        } else if c == b'r' && (code[i..].starts_with("r#") || code[i..].starts_with("r\"")) {
            // A raw string: r"..", r#".."#, ...
            let hashes = code[i + 1..].bytes().take_while(|b| *b == b'#').count();
            if bytes.get(i + 1 + hashes) != Some(&b'"') {
                i += 1;
                toks.push((line, Tok::Ident("r")));
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let body = i + 2 + hashes;
            let end = code[body..]
                .find(&close)
                .map_or(code.len(), |e| body + e + close.len());
            line += code[i..end].matches('\n').count();
            i = end;
            toks.push((line, Tok::Other));
        } else if c == b'"' {
            // Skip string literals (escapes included).
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                if i < bytes.len() && bytes[i] == b'\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 1;
            toks.push((line, Tok::Other));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            toks.push((line, Tok::Ident(&code[start..i])));
        } else if code[i..].starts_with("::") {
            toks.push((line, Tok::Sep));
            i += 2;
        } else {
            toks.push((
                line,
                match c {
                    b'{' => Tok::Open,
                    b'}' => Tok::Close,
                    b',' => Tok::Comma,
                    _ => Tok::Other,
                },
            ));
            i += 1;
        }
    }
    toks
}

/// Every path in `code` (comments and literals skipped, `use` groups expanded), resolved against the file's module path
/// `module` (e.g. `["crate", "sim", "controllers", "spot"]`), with the line it starts on.
/// Inline `mod x { .. }` blocks are followed, so `super::` in a test module means the file.
fn resolved_paths(code: &str, module: &[String]) -> Vec<(usize, Vec<String>)> {
    let toks = tokens(code);
    let mut out = Vec::new();
    // The module path at each brace depth: inline `mod x {` pushes `x`.
    let mut modules: Vec<(usize, Vec<String>)> = vec![(0, module.to_vec())];
    let mut depth = 0usize;
    // `use` groups being expanded: (depth of their `{`, prefix).
    let mut groups: Vec<(usize, Vec<String>)> = Vec::new();
    let resolve = |here: &[String], segs: &[&str]| -> Vec<String> {
        let mut path: Vec<String>;
        let mut rest = segs;
        match segs.first() {
            Some(&"crate") => {
                path = vec!["crate".to_string()];
                rest = &segs[1..];
            }
            Some(&"self") => {
                path = here.to_vec();
                rest = &segs[1..];
            }
            Some(&"super") => {
                path = here.to_vec();
                while rest.first() == Some(&"super") {
                    path.pop();
                    rest = &rest[1..];
                }
            }
            _ => return segs.iter().map(ToString::to_string).collect(),
        }
        path.extend(rest.iter().map(ToString::to_string));
        path
    };
    let mut at = 0;
    while at < toks.len() {
        let (line, tok) = toks[at];
        match tok {
            Tok::Open => {
                depth += 1;
                at += 1;
                continue;
            }
            Tok::Close => {
                if groups.last().is_some_and(|g| g.0 == depth) {
                    groups.pop();
                }
                if modules.last().is_some_and(|m| m.0 == depth) {
                    modules.pop();
                }
                depth = depth.saturating_sub(1);
                at += 1;
                continue;
            }
            Tok::Ident("mod") => {
                if let (Some((_, Tok::Ident(name))), Some((_, Tok::Open))) =
                    (toks.get(at + 1), toks.get(at + 2))
                {
                    let mut m = modules.last().unwrap().1.clone();
                    m.push((*name).to_string());
                    modules.push((depth + 1, m));
                    depth += 1;
                    at += 3;
                    continue;
                }
            }
            Tok::Ident(_) => {}
            _ => {
                at += 1;
                continue;
            }
        }
        // A path: ident (:: ident)* optionally ending in `:: {`.
        let preceded_by_sep = at > 0 && toks[at - 1].1 == Tok::Sep;
        let mut segs = Vec::new();
        let mut end = at;
        while let Some((_, Tok::Ident(s))) = toks.get(end) {
            segs.push(*s);
            if toks.get(end + 1).map(|t| t.1) == Some(Tok::Sep) {
                end += 2;
            } else {
                end += 1;
                break;
            }
        }
        let here = &modules.last().unwrap().1;
        let in_group = groups
            .last()
            .filter(|g| g.0 == depth && !preceded_by_sep)
            .map(|g| g.1.clone());
        let full: Vec<String> = match &in_group {
            Some(prefix) if segs.first() != Some(&"self") => {
                let mut path = prefix.clone();
                path.extend(segs.iter().map(ToString::to_string));
                path
            }
            Some(prefix) => prefix.clone(),
            None => resolve(here, &segs),
        };
        // `prefix::{` opens a group.
        if toks.get(end - 1).map(|t| t.1) == Some(Tok::Sep)
            && toks.get(end).map(|t| t.1) == Some(Tok::Open)
        {
            groups.push((depth + 1, full));
        } else {
            out.push((line, full));
        }
        at = end;
    }
    out
}

/// Edges from one controller to another that are not yet cut, each with why it is still there.
/// The list only shrinks: a new edge fails the check, and so does a listed edge that is gone.
const CONTROLLER_EDGES_LEFT: &[(&str, &str, &str)] = &[
    (
        "auto_scaling_group",
        "kubelet",
        "marks a terminated instance's node NotReady through the kubelet module",
    ),
    (
        "auto_scaling_group",
        "node_drain",
        "starts the drain of a managed scale-in directly",
    ),
    (
        "cluster_autoscaler",
        "auto_scaling_group",
        "sets desired capacity and terminates instances through the ASG's functions",
    ),
    (
        "cluster_autoscaler",
        "scheduler",
        "simulates with the scheduler's filters and NodeInfo, as upstream imports the framework; waits for the scheduler rewrite",
    ),
    (
        "eks",
        "auto_scaling_group",
        "terminates a deleted group's instances through the ASG",
    ),
    (
        "eks",
        "node_drain",
        "starts the drains of a node group deletion directly",
    ),
    (
        "node_drain",
        "auto_scaling_group",
        "terminates drained instances through the ASG",
    ),
    (
        "nodegroup_update",
        "auto_scaling_group",
        "terminates instances through the ASG",
    ),
    (
        "nodegroup_update",
        "node_drain",
        "cordons and starts drains by calling the drain controller (down to a leaf service); reads their outcomes from its state",
    ),
    (
        "spot",
        "auto_scaling_group",
        "terminates interrupted instances through the ASG",
    ),
    (
        "spot",
        "node_drain",
        "starts drains on interruption directly",
    ),
];

/// Files outside the simulation that still name `controllers`, each with why.
const OUTSIDE_EDGES_LEFT: &[(&str, &str)] = &[
    (
        "src/report.rs",
        "reads the Cluster Autoscaler's and VPA's explanations from their controller state",
    ),
    (
        "src/view/cluster.rs",
        "reads the scheduler's pending reasons and the drains in progress",
    ),
    (
        "src/view/scaling.rs",
        "reads the scheduler's, Cluster Autoscaler's, VPA's and Spot's state and explanations",
    ),
    (
        "src/view/upgrade.rs",
        "reads the node group update in progress (its phase and batch) from nodegroup_update's state",
    ),
];

/// `from → to` edges between controller modules found under `controllers`.
fn controller_edges(controllers: &Path) -> Vec<(String, String, String)> {
    let names = controller_names(controllers);
    let mut files = Vec::new();
    rust_files(controllers, &mut files);
    eks_lab::sim::sort::sort(&mut files);
    let mut edges = Vec::new();
    for f in files {
        let rel = f.strip_prefix(controllers).unwrap();
        let mut module: Vec<String> = ["crate", "sim", "controllers"]
            .iter()
            .map(ToString::to_string)
            .collect();
        module.extend(
            rel.with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        );
        let owner = module[3].clone();
        let code = std::fs::read_to_string(&f).unwrap();
        for (line, path) in resolved_paths(&code, &module) {
            if path.len() >= 4
                && path[..3] == ["crate", "sim", "controllers"]
                && path[3] != owner
                && names.contains(&path[3])
            {
                edges.push((
                    owner.clone(),
                    path[3].clone(),
                    format!("{}:{line}: {}", f.display(), path.join("::")),
                ));
            }
        }
    }
    edges
}

#[test]
fn controllers_do_not_import_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let edges = controller_edges(&root.join("src/sim/controllers"));
    let allowed = |from: &str, to: &str| {
        CONTROLLER_EDGES_LEFT
            .iter()
            .any(|(f, t, _)| *f == from && *t == to)
    };
    let bad: Vec<&str> = edges
        .iter()
        .filter(|(f, t, _)| !allowed(f, t))
        .map(|e| e.2.as_str())
        .collect();
    assert!(
        bad.is_empty(),
        "a controller names another controller module (meet through the store and the API \
         server instead):\n{}",
        bad.join("\n")
    );
    let stale: Vec<String> = CONTROLLER_EDGES_LEFT
        .iter()
        .filter(|(f, t, _)| !edges.iter().any(|e| e.0 == *f && e.1 == *t))
        .map(|(f, t, _)| format!("{f} -> {t}"))
        .collect();
    assert!(
        stale.is_empty(),
        "cut, so remove from CONTROLLER_EDGES_LEFT:\n{}",
        stale.join("\n")
    );
}

/// Controllers the API server still calls, each with why. The API server is the store's one
/// write path: it hands controllers the keys they watch through their work queues, and does not
/// call them.
const API_SERVER_EDGES_LEFT: &[(&str, &str)] = &[
    (
        "fargate",
        "a deleted pod's reserved Fargate address is released at once through fargate::forget, since a later allocation in the same step must see it",
    ),
    (
        "vertical_pod_autoscaler",
        "VPA admission lives in the VPA controller",
    ),
];

/// Controller modules named by the API server (`src/sim/api_server.rs` and its directory).
fn api_server_edges(root: &Path) -> Vec<(String, String)> {
    let names = controller_names(&root.join("src/sim/controllers"));
    let base = root.join("src/sim/api_server");
    let mut files = Vec::new();
    if base.is_dir() {
        rust_files(&base, &mut files);
    }
    files.push(base.with_extension("rs"));
    eks_lab::sim::sort::sort(&mut files);
    let mut hits = Vec::new();
    for f in files {
        let rel = f.strip_prefix(root.join("src")).unwrap();
        let mut module = vec!["crate".to_string()];
        module.extend(
            rel.with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        );
        let code = std::fs::read_to_string(&f).unwrap();
        for (line, path) in resolved_paths(&code, &module) {
            if path.len() >= 4
                && path[..3] == ["crate", "sim", "controllers"]
                && names.contains(&path[3])
            {
                hits.push((
                    path[3].clone(),
                    format!("{}:{line}: {}", f.display(), path.join("::")),
                ));
            }
        }
    }
    hits
}

#[test]
fn the_api_server_does_not_call_controllers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hits = api_server_edges(root);
    let bad: Vec<&str> = hits
        .iter()
        .filter(|(c, _)| !API_SERVER_EDGES_LEFT.iter().any(|(a, _)| a == c))
        .map(|h| h.1.as_str())
        .collect();
    assert!(
        bad.is_empty(),
        "the API server names a controller (push to its work queue instead):\n{}",
        bad.join("\n")
    );
    let stale: Vec<&str> = API_SERVER_EDGES_LEFT
        .iter()
        .filter(|(a, _)| !hits.iter().any(|(c, _)| c == a))
        .map(|(a, _)| *a)
        .collect();
    assert!(
        stale.is_empty(),
        "cut, so remove from API_SERVER_EDGES_LEFT:\n{}",
        stale.join("\n")
    );
}

/// Places outside the simulation (view, scenario loader, command line, report, UI) that name
/// the `controllers` module.
fn outside_edges(root: &Path) -> Vec<(String, String)> {
    let mut hits = Vec::new();
    for dir in [
        "src/view",
        "src/scenario",
        "src/cli",
        "src/report",
        "src/ui",
    ] {
        let base = root.join(dir);
        let mut files = Vec::new();
        if base.is_dir() {
            rust_files(&base, &mut files);
        }
        if base.with_extension("rs").is_file() {
            files.push(base.with_extension("rs"));
        }
        eks_lab::sim::sort::sort(&mut files);
        for f in files {
            let code = std::fs::read_to_string(&f).unwrap();
            let rel = f
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            for (line, path) in resolved_paths(&code, &["crate".to_string()]) {
                if path.iter().any(|s| s == "controllers") {
                    hits.push((
                        rel.clone(),
                        format!("{}:{line}: {}", f.display(), path.join("::")),
                    ));
                }
            }
        }
    }
    hits
}

#[test]
fn view_scenario_report_and_ui_do_not_name_controllers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hits = outside_edges(root);
    let bad: Vec<&str> = hits
        .iter()
        .filter(|(f, _)| !OUTSIDE_EDGES_LEFT.iter().any(|(a, _)| a == f))
        .map(|h| h.1.as_str())
        .collect();
    assert!(
        bad.is_empty(),
        "rules and constants the view, scenario loader and UI need live in sim::api, sim::eks \
         or sim::catalog, not in a controller:\n{}",
        bad.join("\n")
    );
    let stale: Vec<&str> = OUTSIDE_EDGES_LEFT
        .iter()
        .filter(|(a, _)| !hits.iter().any(|(f, _)| f == a))
        .map(|(a, _)| *a)
        .collect();
    assert!(
        stale.is_empty(),
        "cut, so remove from OUTSIDE_EDGES_LEFT:\n{}",
        stale.join("\n")
    );
}

#[test]
fn the_import_checks_themselves_catch_a_violation() {
    let dir = std::env::temp_dir().join(format!("ekslab-tidy-edges-{}", std::process::id()));
    let c = dir.join("src/sim/controllers");
    std::fs::create_dir_all(c.join("alpha")).unwrap();
    std::fs::create_dir_all(dir.join("src/view")).unwrap();
    for (path, text) in [
        // Each of these names another controller (line numbers in the comments).
        (
            "alpha.rs",
            "mod tests {\n    use super::*;\n    use super::helper;\n}\n\
             use super::{beta, gamma::X};\n// super::delta in a comment is fine\n\
             fn f() { crate::sim::controllers::delta::g(); }\n",
        ),
        (
            "alpha/sub.rs",
            "use super::own;\nuse super::super::beta::Y;\n",
        ),
        (
            "beta.rs",
            "use crate::sim::{controllers::gamma, state::State};\n",
        ),
        (
            "gamma.rs",
            "use super::gamma_helper;\nfn f() { self::x(); }\n",
        ),
        ("delta.rs", "\"super::alpha\"\n"),
        ("gamma_helper.rs", ""),
    ] {
        std::fs::write(c.join(path), text).unwrap();
    }
    std::fs::write(
        dir.join("src/view/x.rs"),
        "// controllers in a comment\nuse crate::sim::controllers::alpha;\nconst S: &str = \"controllers\";\n",
    )
    .unwrap();
    let edges = controller_edges(&c);
    let outside = outside_edges(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let got: Vec<(String, String, String)> = edges
        .into_iter()
        .map(|(f, t, w)| (f, t, w.rsplit('/').next().unwrap().to_string()))
        .collect();
    let want = [
        (
            "alpha",
            "beta",
            "sub.rs:2: crate::sim::controllers::beta::Y",
        ),
        ("alpha", "beta", "alpha.rs:5: crate::sim::controllers::beta"),
        (
            "alpha",
            "gamma",
            "alpha.rs:5: crate::sim::controllers::gamma::X",
        ),
        (
            "alpha",
            "delta",
            "alpha.rs:7: crate::sim::controllers::delta::g",
        ),
        ("beta", "gamma", "beta.rs:1: crate::sim::controllers::gamma"),
        (
            "gamma",
            "gamma_helper",
            "gamma.rs:1: crate::sim::controllers::gamma_helper",
        ),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(f, t, w)| (f.to_string(), t.to_string(), w.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(outside.len(), 1, "{outside:?}");
    assert_eq!(outside[0].0, "src/view/x.rs");
}
