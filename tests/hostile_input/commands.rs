//! The command surface: real command lines (the examples' timelines, the console's help)
//! mutated token by token into `cli::parse_command` and the console's `run_query`; each
//! refusal must read like the tool that refused it.

use eks_lab::cli::{self, CommandContext};
use eks_lab::scenario;
use eks_lab::sim::Simulation;
use eks_lab::sim::clock::SimTime;
use eks_lab::view::console;

use super::budget::Watchdog;
use super::findings::{Failure, Findings, judge};
use super::fuzz::{COMMAND_INPUTS, examples, rounds, seed};
use super::mutate::{BOUNDARY_NUMBERS, BOUNDARY_UNITS, Rng};

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
/// the API server's `Error from server`, the shell's `x: command not found` and `bash: ...`.
pub fn tool_error(line: &str, msg: &str) -> Result<(), String> {
    const PREFIXES: &[&str] = &[
        "error: ",
        "Error: ",
        "aws: error: ",
        "An error occurred (",
        "Parameter validation failed:",
        "Error parsing parameter '",
        "Error from server",
        "bash: ",
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
    let program = cli::tokenize(line)
        .ok()
        .and_then(|w| w.into_iter().next())
        .unwrap_or_default();
    if !program.is_empty() && first.starts_with(&format!("{program}: command not found")) {
        return Ok(());
    }
    // parse_command's answer to a line with no words (the console ignores such lines).
    if msg == "empty command" && cli::tokenize(line).is_ok_and(|w| w.is_empty()) {
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
            let parsed = cli::parse_command(line, &ctx);
            if let Ok(cmd) = &parsed {
                let _ = cli::format_command(cmd, &ctx);
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
        .filter(|l| cli::parse_command(l, &ctx).is_ok())
        .count();
    assert!(
        corpus.len() >= 40 && valid >= 20,
        "the command corpus should be real commands: {valid} of {} parse\n{corpus:#?}",
        corpus.len()
    );
    let sim = console_lab();
    let mut rng = Rng::new(seed() ^ 0xc0de);
    let count = rounds(COMMAND_INPUTS);
    let mut parsed = 0;
    for _ in 0..count {
        let mut line = rng.pick(&corpus).clone();
        if rng.chance(40) {
            // One value at a boundary in a real command: the builders' checks.
            line = substitute_value(&mut rng, &line);
        } else {
            for _ in 0..=rng.below(2) {
                line = mutate_command(&mut rng, &line);
            }
        }
        match check_command(&dog, &sim, &line) {
            Ok(true) => parsed += 1,
            Ok(false) => {}
            Err(f) => findings.add(f, line.as_bytes()),
        }
    }
    println!(
        "command parser: {} lines in the corpus ({valid} parse), {parsed} of {count} mutants parse",
        corpus.len()
    );
    assert!(parsed >= count / 20, "only {parsed} mutants parse");
    println!("command parser: {}", dog.worst());
    findings.shrink(|input| {
        let line = String::from_utf8_lossy(input);
        check_command(&dog, &sim, &line).err()
    });
    count
}

/// Words a command line is made of, as a shell would split it (good enough for mutating).
fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_string).collect()
}

/// Values a flag or a positional may take that the parsers must refuse or bound.
const HOSTILE_VALUES: &[&str] = &[
    "",
    "-",
    "--",
    "=",
    "'",
    "\"",
    "\\",
    "'unterminated",
    "\"unterminated",
    "a\\",
    "$(reboot)",
    "`x`",
    "%s%n",
    "../..",
    "UPPER_case",
    "Batch_NS",
    "a.b.c",
    "-n",
    "--replicas",
    "deployment/",
    "/web",
    "deployment//web",
    "=value",
    "k=",
    "=v",
    "cpu=,memory=",
    "web=nginx=1",
    "é",
    "\u{0}",
    "\u{1b}[2J",
    "🙂",
    "true",
    "false",
    "latest",
    "v1.35",
    "1.99",
    "0.0",
];

/// Longest mutated line: past the lab's command limit (so that limit is tried), short
/// enough that a token repeated a thousand times stays a test, not a memory hog.
const MAX_LINE: usize = 256 * 1024;

/// Applies one mutation to a command line.
pub fn mutate_command(rng: &mut Rng, line: &str) -> String {
    let mut out = mutate_once(rng, line);
    if out.len() > MAX_LINE {
        let mut cut = MAX_LINE;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}

fn mutate_once(rng: &mut Rng, line: &str) -> String {
    let mut ws = words(line);
    if ws.is_empty() {
        ws.push(String::new());
    }
    match rng.below(12) {
        // Drop, duplicate, swap tokens.
        0 => {
            ws.remove(rng.below(ws.len()));
        }
        1 => {
            let at = rng.below(ws.len());
            let w = ws[at].clone();
            let count = if rng.chance(10) { 1000 } else { 1 };
            for _ in 0..count {
                ws.insert(at, w.clone());
            }
        }
        2 => {
            let (a, b) = (rng.below(ws.len()), rng.below(ws.len()));
            ws.swap(a, b);
        }
        // A flag's value (or any word's number) at a boundary.
        3..=5 => {
            let at = rng.below(ws.len());
            let value = if rng.chance(60) {
                rng.pick(BOUNDARY_NUMBERS).to_string()
            } else {
                rng.pick(BOUNDARY_UNITS).to_string()
            };
            let w = &mut ws[at];
            if let Some((flag, _)) = w.split_once('=') {
                *w = format!("{flag}={value}");
            } else if rng.chance(50) {
                *w = value;
            } else {
                ws.insert(at + 1, value);
            }
        }
        // Hostile values, quoting mistakes.
        6 | 7 => {
            let at = rng.below(ws.len());
            let value = rng.pick(HOSTILE_VALUES).to_string();
            let w = &mut ws[at];
            match (w.split_once('='), rng.below(3)) {
                (Some((flag, _)), _) => *w = format!("{flag}={value}"),
                (None, 0) => w.push_str(&value),
                (None, 1) => w.insert_str(0, &value),
                _ => *w = value,
            }
        }
        // Very long tokens.
        8 => {
            let at = rng.below(ws.len());
            let len = *rng.pick(&[64, 254, 1000, 16 * 1024, 100_000]);
            let fill = rng.pick(&["a", "9", "-", "x.", "é"]).repeat(len);
            let w = &mut ws[at];
            match w.split_once('=') {
                Some((flag, _)) => *w = format!("{flag}={fill}"),
                None => *w = fill,
            }
        }
        // Flags out of place, repeated or unknown.
        9 => {
            let flag = rng.pick(&[
                "--replicas=5",
                "-n",
                "--namespace",
                "--nodes=3",
                "--cluster",
                "-A",
                "--force",
                "--approve",
                "--bogus",
                "-z",
                "--replicas",
                "--nodes-min=5",
                "--nodes-max=1",
                "--name=",
                "--version",
                "--kubernetes-version=1.99",
                "--dry-run=client",
            ]);
            let at = rng.below(ws.len() + 1);
            ws.insert(at, (*flag).to_string());
        }
        10 => {
            let at = rng.below(ws.len());
            let c = *rng.pick(&["'", "\"", "\\", "#", ";", "|", "&&", "\t", "\n"]);
            let w = &mut ws[at];
            let pos = rng.below(w.len() + 1);
            if w.is_char_boundary(pos) {
                w.insert_str(pos, c);
            } else {
                w.push_str(c);
            }
        }
        // Truncation mid-line.
        _ => {
            let joined = ws.join(" ");
            let mut cut = rng.below(joined.len() + 1);
            while !joined.is_char_boundary(cut) {
                cut -= 1;
            }
            return joined[..cut].to_string();
        }
    }
    ws.join(" ")
}

/// Sets one flag's value (or, without flags, one word) to a boundary value.
pub fn substitute_value(rng: &mut Rng, line: &str) -> String {
    let mut ws = words(line);
    let flags: Vec<usize> = (0..ws.len())
        .filter(|&i| ws[i].starts_with("--") && ws[i].contains('='))
        .collect();
    let value = if rng.chance(60) {
        rng.pick(BOUNDARY_NUMBERS)
    } else {
        rng.pick(BOUNDARY_UNITS)
    };
    if flags.is_empty() {
        if !ws.is_empty() {
            let at = rng.below(ws.len());
            ws[at] = (*value).to_string();
        }
    } else {
        let at = *rng.pick(&flags);
        let flag = ws[at].split('=').next().unwrap_or("").to_string();
        ws[at] = format!("{flag}={value}");
    }
    ws.join(" ")
}
