//! What the fuzz test found: failures grouped by where they happen (one entry per panic
//! location, per budget, per shape of unpositioned message), each with the smallest input
//! that reproduces it, saved under `target/hostile-input/` and reported in one line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use super::budget::{Outcome, Watchdog, out_dir};

/// A failed input: the key it is grouped by and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `panic at src/x.rs:12`, `over the time budget`, `unpositioned: ...`.
    pub key: String,
    pub detail: String,
}

/// Runs one input under the watchdog and judges it: `check` returns `Err(message)` for an
/// answer that breaks a rule (an unpositioned refusal, say).
pub fn judge<T>(
    dog: &Watchdog,
    input: &[u8],
    run: impl Fn() -> T,
    check: impl FnOnce(T) -> Result<(), String>,
) -> Result<(), Failure> {
    let (outcome, cost) = dog.run_fastest(input, run);
    let answered = match outcome {
        Outcome::Panicked(at, msg) => {
            return Err(Failure {
                key: format!("panic at {at}"),
                detail: one_line(&msg, 160),
            });
        }
        Outcome::Answered(v) => v,
    };
    if let Some(over) = cost.over_budget() {
        let kind = if over.contains("ms") {
            "time"
        } else {
            "memory"
        };
        return Err(Failure {
            key: format!("over the {kind} budget"),
            detail: over,
        });
    }
    check(answered).map_err(|msg| Failure {
        key: format!("broken answer: {}", shape(&msg)),
        detail: one_line(&msg, 160),
    })
}

/// The message with numbers and quoted parts blanked, so one kind of problem is one entry.
fn shape(msg: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in msg.chars().take(200) {
        match c {
            '"' => {
                quoted = !quoted;
                out.push('"');
            }
            _ if quoted => {}
            c if c.is_ascii_digit() => {
                if !out.ends_with('N') {
                    out.push('N');
                }
            }
            c => out.push(c),
        }
    }
    one_line(&out, 100)
}

/// `text` on one line, at most `max` characters, control characters escaped.
pub fn one_line(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Every distinct failure of one surface.
pub struct Findings {
    surface: &'static str,
    found: BTreeMap<String, (String, Vec<u8>, usize)>,
}

impl Findings {
    pub fn new(surface: &'static str) -> Findings {
        Findings {
            surface,
            found: BTreeMap::new(),
        }
    }

    /// Records a failure, keeping the shortest input for each key.
    pub fn add(&mut self, f: Failure, input: &[u8]) {
        let entry = self
            .found
            .entry(f.key)
            .or_insert_with(|| (f.detail.clone(), input.to_vec(), 0));
        entry.2 += 1;
        if input.len() < entry.1.len() {
            entry.1 = input.to_vec();
            entry.0 = f.detail;
        }
    }

    /// Shrinks each failure's input while it still fails the same way (lines, then bytes),
    /// within a few seconds each.
    pub fn shrink(&mut self, mut still_fails: impl FnMut(&[u8]) -> Option<Failure>) {
        for (key, (detail, input, _)) in &mut self.found {
            let deadline = Instant::now() + Duration::from_secs(4);
            let mut tries: usize = if key.contains("budget") { 12 } else { 400 };
            let spent = |tries: usize| tries == 0 || Instant::now() > deadline;
            // Halves, quarters, ... of lines, then of bytes; stops as soon as the tries or
            // the time are spent (before building another candidate).
            'shrink: for unit_is_line in [true, false] {
                let mut chunk = input.len();
                while chunk >= 1 {
                    let mut at = 0;
                    while at < input.len() {
                        if spent(tries) {
                            break 'shrink;
                        }
                        let (start, end) = if unit_is_line {
                            line_span(input, at, chunk)
                        } else {
                            (at, (at + chunk).min(input.len()))
                        };
                        if start >= end || end <= at {
                            break;
                        }
                        let mut candidate = input[..start].to_vec();
                        candidate.extend_from_slice(&input[end..]);
                        tries -= 1;
                        match still_fails(&candidate) {
                            Some(f) if f.key == *key => {
                                *detail = f.detail;
                                *input = candidate;
                            }
                            _ => at = end,
                        }
                    }
                    chunk /= 2;
                    if unit_is_line && chunk < 64 {
                        break;
                    }
                }
            }
        }
    }

    /// Saves each failure's input and returns one line per failure (empty when none).
    pub fn report(&self) -> Vec<String> {
        let dir = out_dir();
        let mut lines = Vec::new();
        let mut full = String::new();
        for (i, (key, (detail, input, count))) in self.found.iter().enumerate() {
            let file = dir.join(format!("{}-{}.bin", self.surface, i + 1));
            let _ = std::fs::write(&file, input);
            let preview = one_line(&String::from_utf8_lossy(input), 120);
            // A broken answer's key already says it.
            let said = if key.contains(detail.as_str()) {
                String::new()
            } else {
                format!(": {detail}")
            };
            lines.push(format!(
                "{}: {key}{said} ({count} input(s)); smallest input ({} bytes, in {}): {preview}",
                self.surface,
                input.len(),
                file.display()
            ));
            let _ = writeln!(
                full,
                "== {key} ({count} input(s))\n{detail}\ninput ({} bytes):\n{}\n",
                input.len(),
                String::from_utf8_lossy(input)
            );
        }
        let _ = std::fs::write(dir.join(format!("{}-failures.txt", self.surface)), full);
        lines
    }
}

/// The byte range of about `chunk` bytes' worth of whole lines starting at the line that
/// holds byte `at`.
fn line_span(input: &[u8], at: usize, chunk: usize) -> (usize, usize) {
    let start = input[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let mut end = (start + chunk).min(input.len());
    while end < input.len() && input[end - 1] != b'\n' {
        end += 1;
    }
    (start, end.max(at.min(input.len())))
}
