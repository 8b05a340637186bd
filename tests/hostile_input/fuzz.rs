//! The fuzz test: a fixed seed and a fixed count of mutated inputs over the scenario loader,
//! the command parser (with the console's read-only commands) and the share-link and save
//! decoders. Each input must be answered without a panic, within the time and memory budgets,
//! and every refusal must be positioned (scenario diagnostics), read like the tool that
//! refused it (commands) or say what is wrong (links and saves).

use std::path::Path;

use eks_lab::scenario::{self, CommandContext, Diagnostic, Severity};
use eks_lab::sim::Simulation;
use eks_lab::sim::clock::SimTime;
use eks_lab::sim::spec::LabSpec;
use eks_lab::view::{console, persist};

use super::budget::Watchdog;
use super::findings::{Failure, Findings, judge};
use super::mutate::{self, HOSTILE_TIMES, Rng};

/// The same inputs on every run.
const SEED: u64 = 0x00e4_51ab_2026_0009;
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

/// Lines in `text` as the YAML reader counts them (`\n`, `\r\n`, `\r`).
fn line_count(text: &[u8]) -> usize {
    let lf = text.split(|&b| b == b'\n').count() - 1;
    let cr = text
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count()
        + usize::from(text.last() == Some(&b'\r'));
    1 + lf + cr
}

/// Every diagnostic names a document, a line in the text and a column, and says something;
/// a refusal holds at least one error.
pub fn check_positioned(diags: &[Diagnostic], text: &[u8], refused: bool) -> Result<(), String> {
    if refused && !diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(format!("refused without an error: {diags:?}"));
    }
    let lines = line_count(text);
    for d in diags {
        if d.document < 1 || d.line < 1 || d.column < 1 || d.line > lines {
            return Err(format!(
                "unpositioned diagnostic (document {}, line {} of {lines}, column {}): {}",
                d.document, d.line, d.column, d.message
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
    let mut rng = Rng::new(SEED);
    let mut loaded = 0;
    for i in 0..LOADER_INPUTS {
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
    println!("scenario loader: {loaded} of {LOADER_INPUTS} mutants load");
    // A mutation that broke every file would test only the first refusal.
    assert!(loaded >= LOADER_INPUTS / 20, "only {loaded} mutants load");
    findings.shrink(|input| check_loader(&dog, input, true).err());
    LOADER_INPUTS
}

/// Placeholders of the console's help, filled with names the examples use.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("CLUSTER", "lab"),
    ("NAME", "web"),
    ("NG", "ng-1"),
    ("NODE", "ip-10-0-0-10.ec2.internal"),
    ("IMAGE", "nginx:1.27"),
    ("CONTAINER", "web"),
    ("NS", "default"),
    ("TYPE", "m5.large"),
    ("ID", "i-0123456789abcdef0"),
    ("V", "latest"),
    ("A", "coredns"),
    ("N", "3"),
];

/// The console help's command lines, optional parts with and without, alternatives each.
fn help_commands() -> Vec<String> {
    let mut out = Vec::new();
    for line in console::HELP.lines() {
        for part in line.trim().split("   ").map(str::trim) {
            let tool = part.split(' ').next().unwrap_or("");
            if !["kubectl", "eksctl", "aws", "ekslab"].contains(&tool) {
                continue;
            }
            for optional in [true, false] {
                let mut text = String::new();
                let mut depth = 0;
                for c in part.chars() {
                    match c {
                        '[' => depth += 1,
                        ']' => depth -= 1,
                        c if depth == 0 || optional => text.push(c),
                        _ => {}
                    }
                }
                // `-n NS | -A` inside an optional part: the first; `a|b|c` words: each.
                let text = text.split(" | ").next().unwrap_or("").replace("...", "");
                let words: Vec<&str> = text.split_whitespace().collect();
                let alternatives = words.iter().position(|w| w.contains('|'));
                let choices: Vec<&str> =
                    alternatives.map_or(vec![""], |i| words[i].split('|').collect());
                for choice in choices {
                    let filled: Vec<String> = words
                        .iter()
                        .enumerate()
                        .map(|(i, w)| {
                            let w = if Some(i) == alternatives {
                                choice
                            } else {
                                w.split('|').next().unwrap_or(w)
                            };
                            let w = w.replace("--[no-]", "--no-");
                            fill(&w)
                        })
                        .collect();
                    out.push(filled.join(" "));
                }
            }
        }
    }
    out
}

/// Replaces whole upper-case placeholders (`NAME`, `deployment/NAME`, `--nodes=N`).
fn fill(word: &str) -> String {
    let mut out = String::new();
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        let with = PLACEHOLDERS
            .iter()
            .find(|(p, _)| *p == token.as_str())
            .map_or(token.as_str(), |(_, v)| v);
        out.push_str(with);
        token.clear();
    };
    for c in word.chars() {
        if c.is_ascii_uppercase() || (c == '_' && !token.is_empty()) {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

/// The commands of the examples' timelines and of the console's help.
pub fn command_corpus() -> Vec<String> {
    let mut out = Vec::new();
    for (_, text) in examples() {
        for line in String::from_utf8_lossy(&text).lines() {
            let t = line.trim().trim_start_matches("- ");
            if let Some(cmd) = t.strip_prefix("run:") {
                let cmd = cmd.trim();
                let cmd = cmd
                    .strip_prefix('"')
                    .and_then(|c| c.strip_suffix('"'))
                    .unwrap_or(cmd);
                out.push(cmd.to_string());
            }
        }
    }
    out.extend(help_commands());
    out.sort();
    out.dedup();
    out
}

/// What the tools print when they refuse: kubectl's and the lab's `error: `, eksctl's
/// `Error: `, the AWS CLI's `aws: error: ` (after its usage lines), `An error occurred (` and
/// botocore's `Parameter validation failed:` and `Error parsing parameter '--x'`,
/// the API server's `Error from server`, the shell's `x: command not found`.
pub fn tool_error(line: &str, msg: &str) -> Result<(), String> {
    const PREFIXES: &[&str] = &[
        "error: ",
        "Error: ",
        "aws: error: ",
        "An error occurred (",
        "Parameter validation failed:",
        "Error parsing parameter '",
        "Error from server",
    ];
    let first = msg.lines().next().unwrap_or("");
    if msg.trim().is_empty() {
        return Err("a command was refused with an empty message".into());
    }
    if PREFIXES.iter().any(|p| first.starts_with(p)) {
        return Ok(());
    }
    if first.starts_with("usage: ") && msg.lines().any(|l| l.starts_with("aws: error: ")) {
        return Ok(());
    }
    let program = scenario::tokenize(line)
        .ok()
        .and_then(|w| w.into_iter().next())
        .unwrap_or_default();
    if !program.is_empty() && first.starts_with(&format!("{program}: command not found")) {
        return Ok(());
    }
    // parse_command's answer to a line with no words (the console ignores such lines).
    if msg == "empty command" && scenario::tokenize(line).is_ok_and(|w| w.is_empty()) {
        return Ok(());
    }
    Err(format!("a refusal without the tool's error prefix: {msg}"))
}

/// Parses a mutant line (and asks the console) and judges the answers; `Ok(true)` when it
/// parsed.
fn check_command(dog: &Watchdog, sim: &Simulation, line: &str) -> Result<bool, Failure> {
    let ctx = CommandContext::new("lab");
    let mut ok = false;
    judge(
        dog,
        line.as_bytes(),
        || {
            let parsed = scenario::parse_command(line, &ctx);
            if let Ok(cmd) = &parsed {
                let _ = scenario::format_command(cmd, &ctx);
            }
            parsed
        },
        |r| {
            ok = r.is_ok();
            r.map_or_else(|e| tool_error(line, &e), |_| Ok(()))
        },
    )?;
    judge(
        dog,
        line.as_bytes(),
        || console::run_query(sim, line),
        |r| match r {
            Some(Err(e)) => tool_error(line, &e),
            _ => Ok(()),
        },
    )?;
    Ok(ok)
}

/// A small running lab for the console's read-only commands.
fn console_lab() -> Simulation {
    let (_, text) = examples()
        .into_iter()
        .find(|(n, _)| n == "mixed.yaml")
        .expect("examples/mixed.yaml");
    let spec = scenario::load_bytes(&text).expect("mixed.yaml loads").spec;
    let mut sim = Simulation::new(spec).expect("mixed.yaml builds");
    sim.step_until(SimTime::from_secs(300));
    sim
}

/// Mutated command lines into `parse_command` and the console's `run_query`.
pub fn commands(findings: &mut Findings) -> usize {
    let dog = Watchdog::new("commands");
    let corpus = command_corpus();
    let ctx = CommandContext::new("lab");
    let valid = corpus
        .iter()
        .filter(|l| scenario::parse_command(l, &ctx).is_ok())
        .count();
    assert!(
        corpus.len() >= 40 && valid >= 20,
        "the command corpus should be real commands: {valid} of {} parse\n{corpus:#?}",
        corpus.len()
    );
    let sim = console_lab();
    let mut rng = Rng::new(SEED ^ 0xc0de);
    let mut parsed = 0;
    for _ in 0..COMMAND_INPUTS {
        let mut line = rng.pick(&corpus).clone();
        if rng.chance(40) {
            // One value at a boundary in a real command: the builders' checks.
            line = mutate::substitute_value(&mut rng, &line);
        } else {
            for _ in 0..=rng.below(2) {
                line = mutate::mutate_command(&mut rng, &line);
            }
        }
        match check_command(&dog, &sim, &line) {
            Ok(true) => parsed += 1,
            Ok(false) => {}
            Err(f) => findings.add(f, line.as_bytes()),
        }
    }
    println!(
        "command parser: {} lines in the corpus ({valid} parse), {parsed} of {COMMAND_INPUTS} mutants parse",
        corpus.len()
    );
    assert!(parsed >= COMMAND_INPUTS / 20, "only {parsed} mutants parse");
    findings.shrink(|input| {
        let line = String::from_utf8_lossy(input);
        check_command(&dog, &sim, &line).err()
    });
    COMMAND_INPUTS
}

/// Decodes a mutant as a share link and as a save and judges the answers; `Ok(true)` when
/// either restored a lab.
fn check_link(dog: &Watchdog, text: &str) -> Result<bool, Failure> {
    let mut ok = false;
    let said = |e: &str| {
        if e.trim().is_empty() {
            Err("refused with an empty message".to_string())
        } else {
            Ok(())
        }
    };
    judge(
        dog,
        text.as_bytes(),
        || persist::decode_fragment(text).map(|r| r.is_some()),
        |r| {
            ok |= r == Ok(true);
            r.map_or_else(|e| said(&e), |_| Ok(()))
        },
    )?;
    judge(
        dog,
        text.as_bytes(),
        || persist::decode_save(text).map(|_| ()),
        |r| {
            ok |= r.is_ok();
            r.map_or_else(|e| said(&e), |()| Ok(()))
        },
    )?;
    Ok(ok)
}

/// A JSON string for `text`.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Mutated share links and saves, of the examples and of mutated scenarios, into
/// `decode_fragment` and `decode_save`.
pub fn links(findings: &mut Findings) -> usize {
    let dog = Watchdog::new("links");
    let corpus: Vec<Vec<u8>> = examples().into_iter().map(|(_, b)| b).collect();
    let mut specs: Vec<LabSpec> = corpus
        .iter()
        .filter_map(|b| scenario::load_bytes(b).ok().map(|l| l.spec))
        .collect();
    let mut rng = Rng::new(SEED ^ 0x11_4b);
    // Labs that load after a mutation: their links are valid links of odd labs.
    for _ in 0..400 {
        if specs.len() >= corpus.len() + 40 {
            break;
        }
        let mut b = rng.pick(&corpus).clone();
        mutate::mutate_scenario(&mut rng, &mut b, &corpus);
        if let Ok(l) = scenario::load_bytes(&b) {
            specs.push(l.spec);
        }
    }
    let max_secs = persist::MAX_REPLAY.as_millis() / 1000;
    let mut restored = 0;
    for _ in 0..LINK_INPUTS {
        let text = match rng.below(10) {
            // A real link, then damaged.
            0..=3 => {
                let spec = rng.pick(&specs);
                let t = if rng.chance(80) {
                    rng.next() % 3600
                } else {
                    rng.next() % (2 * max_secs)
                };
                let fragment = persist::share_fragment(spec, SimTime::from_secs(t));
                let (lab, time) = fragment.split_once("&t=").unwrap_or((&fragment, "0"));
                let mut lab = lab.trim_start_matches("lab=").to_string();
                if rng.chance(60) {
                    mutate::mutate_base64(&mut rng, &mut lab);
                }
                let time = if rng.chance(50) {
                    (*rng.pick(HOSTILE_TIMES)).to_string()
                } else {
                    time.to_string()
                };
                match rng.below(4) {
                    0 => format!("#t={time}&lab={lab}"),
                    1 => format!("#lab={lab}&t={time}&lab={lab}"),
                    _ => format!("#lab={lab}&t={time}"),
                }
            }
            // A link to a mutated scenario, whatever its bytes.
            4..=6 => {
                let mut b = rng.pick(&corpus).clone();
                for _ in 0..=rng.below(3) {
                    mutate::mutate_scenario(&mut rng, &mut b, &corpus);
                }
                format!(
                    "#lab={}&t={}",
                    persist::base64url_encode(&b),
                    rng.pick(HOSTILE_TIMES)
                )
            }
            // A save, damaged or holding a mutated scenario.
            7 | 8 => {
                let spec = rng.pick(&specs);
                let save =
                    persist::encode_save(spec, SimTime::from_secs(rng.next() % 3600), rng.below(6));
                let mut b = save.into_bytes();
                match rng.below(4) {
                    0 => {
                        for _ in 0..=rng.below(3) {
                            let at = rng.below(b.len());
                            b[at] = *rng.pick(b"{}[]\",:0 \\x");
                        }
                    }
                    1 => {
                        let at = rng.below(b.len() + 1);
                        b.truncate(at);
                    }
                    _ => {
                        let mut m = rng.pick(&corpus).clone();
                        mutate::mutate_scenario(&mut rng, &mut m, &corpus);
                        let time = rng.pick(mutate::BOUNDARY_NUMBERS);
                        let speed = rng.pick(mutate::BOUNDARY_NUMBERS);
                        b = format!(
                            "{{\"format\":\"ekslab-save\",\"version\":1,\"scenario\":{},\"time_ms\":{time},\"speed\":{speed}}}",
                            json_string(&String::from_utf8_lossy(&m))
                        )
                        .into_bytes();
                    }
                }
                String::from_utf8_lossy(&b).into_owned()
            }
            // Junk.
            _ => match rng.below(4) {
                0 => format!(
                    "#lab={}",
                    "A".repeat(persist::MAX_SAVE_BYTES.min(3 << 20) + rng.below(3))
                ),
                1 => "[".repeat(100_000),
                2 => format!(
                    "{{\"format\":\"ekslab-save\",\"version\":1,\"scenario\":\"{}\",\"time_ms\":0,\"speed\":0}}",
                    "\\u0000".repeat(rng.below(10_000))
                ),
                _ => (0..rng.below(200))
                    .map(|_| char::from(b' ' + (rng.next() % 95) as u8))
                    .collect(),
            },
        };
        match check_link(&dog, &text) {
            Ok(true) => restored += 1,
            Ok(false) => {}
            Err(f) => findings.add(f, text.as_bytes()),
        }
    }
    println!("share links and saves: {restored} of {LINK_INPUTS} mutants restore a lab");
    assert!(
        restored >= LINK_INPUTS / 20,
        "only {restored} mutants restore"
    );
    findings.shrink(|input| check_link(&dog, &String::from_utf8_lossy(input)).err());
    LINK_INPUTS
}
