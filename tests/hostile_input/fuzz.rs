//! The fuzz test: a fixed seed and a fixed count of mutated inputs over the scenario loader
//! (here), the command parser with the console's read-only commands (`commands`) and the
//! share-link and save decoders (`links`). Each input must be answered without a panic,
//! within the time and memory budgets, and every refusal must be positioned (scenario
//! diagnostics), read like the tool that refused it (commands) or say what is wrong (links
//! and saves).

use std::path::Path;

use eks_lab::scenario::{self, Diagnostic, Severity};

use super::budget::Watchdog;
use super::findings::{Failure, Findings, judge};
use super::mutate::{self, Rng};

/// The same inputs on every run.
pub const SEED: u64 = 0x00e4_51ab_2026_0009;

/// The seed and a multiple of each count, for a longer hunt by hand:
/// `HOSTILE_INPUT_SEED=7 HOSTILE_INPUT_ROUNDS=20 cargo test --release --test hostile_input fuzz`.
/// Without them, the fixed seed and counts of `make test`.
pub fn seed() -> u64 {
    std::env::var("HOSTILE_INPUT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED)
}

pub fn rounds(count: usize) -> usize {
    let rounds: usize = std::env::var("HOSTILE_INPUT_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    count * rounds.max(1)
}
pub const LOADER_INPUTS: usize = 6000;
pub const COMMAND_INPUTS: usize = 3000;
pub const LINK_INPUTS: usize = 1500;

/// The project's examples, by file name.
pub fn examples() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("examples/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&p).expect("example"))
        })
        .collect();
    out.sort();
    assert!(out.len() >= 10, "examples/ has {} files", out.len());
    out
}

/// The length in characters of each line of `text`, lines broken as the YAML reader breaks
/// them (`\n`, `\r\n`, `\r`).
fn line_lengths(text: &[u8]) -> Vec<usize> {
    let text = String::from_utf8_lossy(text);
    let mut lengths = vec![0];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lengths.push(0);
            }
            '\n' => lengths.push(0),
            _ => *lengths.last_mut().unwrap_or(&mut 0) += 1,
        }
    }
    lengths
}

/// Every diagnostic names a document, a line of the text and a column on it (at most one past
/// its last character), and says something; a refusal holds at least one error.
pub fn check_positioned(diags: &[Diagnostic], text: &[u8], refused: bool) -> Result<(), String> {
    if refused && !diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(format!("refused without an error: {diags:?}"));
    }
    if diags.is_empty() {
        return Ok(());
    }
    let lines = line_lengths(text);
    for d in diags {
        let on_the_line = d.line >= 1
            && lines
                .get(d.line - 1)
                .is_some_and(|len| d.column >= 1 && d.column <= len + 1);
        if d.document < 1 || !on_the_line {
            return Err(format!(
                "unpositioned diagnostic (document {}, line {} of {}, column {}): {}",
                d.document,
                d.line,
                lines.len(),
                d.column,
                d.message
            ));
        }
        if d.message.trim().is_empty() {
            return Err(format!("diagnostic without a message at {d}"));
        }
    }
    Ok(())
}

/// Loads a mutant and judges the answer; `Ok(true)` when it loaded.
fn check_loader(dog: &Watchdog, input: &[u8], manifests: bool) -> Result<bool, Failure> {
    let mut ok = false;
    judge(
        dog,
        input,
        || {
            let loaded = scenario::load_bytes(input);
            // A lab that loads must come back from its scenario file: saves and share links
            // are that file.
            let again = loaded
                .as_ref()
                .ok()
                .map(|l| scenario::load(&scenario::to_yaml(&l.spec)).map(|b| b.spec == l.spec));
            (loaded, again)
        },
        |(loaded, again)| {
            ok = loaded.is_ok();
            match &loaded {
                Ok(l) => check_positioned(&l.warnings, input, false)?,
                Err(d) => check_positioned(d, input, true)?,
            }
            match again {
                Some(Err(d)) => Err(format!(
                    "a loaded lab's scenario file does not load again: {}",
                    d.first().map(ToString::to_string).unwrap_or_default()
                )),
                Some(Ok(false)) => Err("a loaded lab's scenario file loads as another lab".into()),
                _ => Ok(()),
            }
        },
    )?;
    if let (true, Ok(text)) = (manifests, std::str::from_utf8(input)) {
        judge(
            dog,
            input,
            || scenario::load_manifests(text),
            |r| r.map_or_else(|d| check_positioned(&d, input, true), |_| Ok(())),
        )?;
    }
    Ok(ok)
}

/// Mutated examples into `load_bytes` (and, one in four, `load_manifests`).
pub fn loader(findings: &mut Findings) -> usize {
    let dog = Watchdog::new("loader");
    let corpus: Vec<Vec<u8>> = examples().into_iter().map(|(_, b)| b).collect();
    let mut rng = Rng::new(seed());
    let count = rounds(LOADER_INPUTS);
    let mut loaded = 0;
    for i in 0..count {
        let mut input = rng.pick(&corpus).clone();
        for _ in 0..=rng.below(3) {
            mutate::mutate_scenario(&mut rng, &mut input, &corpus);
        }
        let r = check_loader(&dog, &input, i % 4 == 0);
        match r {
            Ok(true) => loaded += 1,
            Ok(false) => {}
            Err(f) => findings.add(f, &input),
        }
    }
    println!("scenario loader: {loaded} of {count} mutants load");
    // A mutation that broke every file would test only the first refusal.
    assert!(loaded >= count / 20, "only {loaded} mutants load");
    println!("scenario loader: {}", dog.worst());
    findings.shrink(|input| check_loader(&dog, input, true).err());
    count
}
