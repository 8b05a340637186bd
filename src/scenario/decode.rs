//! Typed field access over the YAML tree that records positioned diagnostics.
//!
//! Decoders never stop at the first problem: each helper reports what is wrong with its field
//! and returns `None`, so one load lists every error in the file. Mappings are checked against
//! the fields the real schema knows: known fields are decoded, fields the lab does not model
//! get a warning, and anything else is an "unknown field" error, like kubectl's strict
//! validation and eksctl's strict decoding.

mod values;

pub(crate) use values::{
    boolean, cpu, duration, go_int, int_or_percent, int32, memory, scalar_text, seq, string,
    string_list, string_map, uint,
};

use std::collections::BTreeMap;

use super::yaml::{Mark, Node, Scalar};
use super::{Diagnostic, Severity};
use crate::limits::{MAX_DIAGNOSTICS, MAX_SUGGESTION_CHARS};
use crate::sim::api::IntOrPercent;
use crate::sim::clock::SimDuration;

/// Collects the diagnostics of one load: the first `MAX_DIAGNOSTICS` are kept, the rest
/// counted.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    /// The 1-based document being decoded.
    pub document: usize,
    pub diags: Vec<Diagnostic>,
    /// The path of the Kubernetes object being decoded (empty for a whole document, or a
    /// timeline entry's `apply`), so JSON type errors name fields from the object's root as
    /// the API server does.
    pub object_path: String,
    /// Errors reported so far, kept or not.
    pub errors: usize,
    /// Errors and warnings past `MAX_DIAGNOSTICS`, and where the first of them is.
    pub dropped: (usize, usize, Option<(usize, Mark)>),
}

impl Sink {
    pub fn error(&mut self, mark: Mark, path: &str, message: impl Into<String>) {
        self.push(Severity::Error, mark, path, message.into());
    }

    pub fn warn(&mut self, mark: Mark, path: &str, message: impl Into<String>) {
        self.push(Severity::Warning, mark, path, message.into());
    }

    fn push(&mut self, severity: Severity, mark: Mark, path: &str, message: String) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        if self.diags.len() >= MAX_DIAGNOSTICS {
            let (errors, warnings, first) = &mut self.dropped;
            match severity {
                Severity::Error => *errors += 1,
                Severity::Warning => *warnings += 1,
            }
            first.get_or_insert((self.document, mark));
            return;
        }
        self.diags.push(Diagnostic {
            severity,
            document: self.document,
            line: mark.line,
            column: mark.column,
            path: path.to_string(),
            message,
        });
    }

    /// A field's path as Go's JSON decoder names it in a type error: from the object's root,
    /// without list indices (`spec.template.spec.containers.ports.containerPort`).
    pub fn go_field_path(&self, path: &str) -> String {
        let rel = path
            .strip_prefix(self.object_path.as_str())
            .map_or(path, |r| r.strip_prefix('.').unwrap_or(r));
        let mut out = String::with_capacity(rel.len());
        let mut in_index = false;
        for c in rel.chars() {
            match c {
                '[' => in_index = true,
                ']' => in_index = false,
                c if !in_index => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// Past `MAX_DIAGNOSTICS`: what is reported now is only counted, so a caller may skip
    /// building its message.
    pub fn full(&self) -> bool {
        self.diags.len() >= MAX_DIAGNOSTICS
    }

    /// Errors reported so far (kept or counted): O(1), decoders ask at each object.
    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// Every diagnostic kept, and one more saying how many were left out, if any (at the
    /// first of them).
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut diags = self.diags;
        if let (errors, warnings, Some((document, mark))) = self.dropped {
            let count = |n: usize, what: &str| match n {
                0 => None,
                1 => Some(format!("1 more {what}")),
                n => Some(format!("{n} more {what}s")),
            };
            let more: Vec<String> = [count(errors, "error"), count(warnings, "warning")]
                .into_iter()
                .flatten()
                .collect();
            diags.push(Diagnostic {
                severity: if errors > 0 {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                document,
                line: mark.line,
                column: mark.column,
                path: String::new(),
                message: format!(
                    "{} not listed, from here on: the lab lists the first {MAX_DIAGNOSTICS} problems of a file",
                    more.join(" and ")
                ),
            });
        }
        diags
    }
}

/// The fields a mapping may hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// Decoded by the lab.
    pub known: &'static [&'static str],
    /// Part of the real schema but not simulated: accepted with a warning.
    pub unmodelled: &'static [&'static str],
    /// Part of the real schema and safe to ignore without a word (`status`, server fields).
    pub silent: &'static [&'static str],
}

impl Fields {
    pub const fn known(known: &'static [&'static str]) -> Fields {
        Fields {
            known,
            unmodelled: &[],
            silent: &[],
        }
    }
}

/// `a.b` (or `b` at the top).
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `a[3]`.
pub(crate) fn item(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Most edits between a word and the name a "did you mean" hint offers.
const MAX_HINT_EDITS: usize = 2;

/// Is `word` longer than a hint is computed for? O(MAX_SUGGESTION_CHARS), whatever its length.
fn too_long_for_hints(word: &str) -> bool {
    word.chars().nth(MAX_SUGGESTION_CHARS).is_some()
}

/// `word` lower-cased (ASCII) into `out`, or `None` if it is longer than a hint is computed
/// for.
fn lowered(word: &str, out: &mut [char; MAX_SUGGESTION_CHARS]) -> Option<usize> {
    let mut n = 0;
    for c in word.chars() {
        *out.get_mut(n)? = c.to_ascii_lowercase();
        n += 1;
    }
    Some(n)
}

/// The closest candidate within two edits, ignoring ASCII case (the first of equally close
/// ones). Words longer than `MAX_SUGGESTION_CHARS` get none, so the cost of a hint is bounded
/// however long the word: at most that many characters against each candidate, in a band of
/// five cells a row, all on the stack.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut w = ['\0'; MAX_SUGGESTION_CHARS];
    let wn = lowered(word, &mut w)?;
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        // Lengths more than two apart are more than two edits apart.
        if c.chars().count().abs_diff(wn) > MAX_HINT_EDITS {
            continue;
        }
        let mut cc = ['\0'; MAX_SUGGESTION_CHARS];
        let Some(cn) = lowered(c, &mut cc) else {
            continue;
        };
        if let Some(d) = distance_within(&w[..wn], &cc[..cn], MAX_HINT_EDITS)
            && best.is_none_or(|(b, _)| d < b)
        {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The closest known name within two edits, for "did you mean" hints.
fn suggestion<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    suggest(word, candidates.iter().copied())
}

/// Levenshtein distance over characters. Words longer than `MAX_SUGGESTION_CHARS` are not
/// compared and are `usize::MAX` away from everything, so no caller can be made to do work
/// quadratic in a learner's input.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    if too_long_for_hints(a) || too_long_for_hints(b) {
        return usize::MAX;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    distance_within(&a, &b, a.len().max(b.len())).unwrap_or(usize::MAX)
}

/// The Levenshtein distance of `a` and `b` if it is at most `max`: only the cells within
/// `max` of the diagonal are computed (Ukkonen's band), the walk stops as soon as every cell
/// of a row is past `max`, and the rows live on the stack. Words longer than
/// `MAX_SUGGESTION_CHARS` are not compared.
fn distance_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    const FAR: usize = usize::MAX / 2;
    if a.len().abs_diff(b.len()) > max
        || a.len() > MAX_SUGGESTION_CHARS
        || b.len() > MAX_SUGGESTION_CHARS
    {
        return None;
    }
    let mut prev = [FAR; MAX_SUGGESTION_CHARS + 1];
    let mut cur = [FAR; MAX_SUGGESTION_CHARS + 1];
    for (j, cell) in prev.iter_mut().enumerate().take(b.len().min(max) + 1) {
        *cell = j;
    }
    for (i, ca) in a.iter().enumerate() {
        let row = i + 1;
        let lo = row.saturating_sub(max);
        let hi = (row + max).min(b.len());
        // Cells right of the band were never written (the band moves one cell a row); the
        // one left of it holds a row from two rows ago and is cleared.
        if lo == 0 {
            cur[0] = row;
        } else {
            cur[lo - 1] = FAR;
        }
        let mut best = if lo == 0 { row } else { FAR };
        for j in lo.max(1)..=hi {
            let substitute = prev[j - 1] + usize::from(*ca != b[j - 1]);
            let cell = substitute.min(prev[j] + 1).min(cur[j - 1] + 1);
            cur[j] = cell;
            best = best.min(cell);
        }
        if best > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// An unknown-field error with a hint when a known field is close.
pub(crate) fn unknown_field(sink: &mut Sink, key: &Scalar, path: &str, candidates: &[&str]) {
    let hint = if sink.full() {
        None
    } else {
        suggestion(&key.text, candidates)
    };
    unknown_field_hinted(sink, key, path, hint);
}

fn unknown_field_hinted(sink: &mut Sink, key: &Scalar, path: &str, hint: Option<&str>) {
    if sink.full() {
        sink.error(key.mark, "", String::new());
        return;
    }
    let msg = match hint {
        Some(s) => format!("unknown field {:?} (did you mean {s:?}?)", key.text),
        None => format!("unknown field {:?}", key.text),
    };
    sink.error(key.mark, &join(path, &key.text), msg);
}

/// A mapping being decoded, with its path for messages.
#[derive(Debug, Clone)]
pub(crate) struct Obj<'a> {
    pub path: String,
    pub mark: Mark,
    pub entries: &'a [(Scalar, Node)],
    /// Indices of `entries` sorted by key, for mappings too big to scan at each look-up
    /// (empty for small ones). Keys are unique: the YAML reader drops repeats.
    by_key: Vec<usize>,
}

/// Mappings with more keys than this are looked up through a sorted index, so decoding a
/// mapping of tens of thousands of keys stays O(n log n).
const SCAN_KEYS: usize = 16;

/// Checks that `node` is a mapping with only schema fields. A null node is an empty mapping.
pub(crate) fn obj<'a>(
    sink: &mut Sink,
    node: &'a Node,
    path: &str,
    fields: &Fields,
) -> Option<Obj<'a>> {
    let entries: &'a [(Scalar, Node)] = match node {
        Node::Map { entries, .. } => entries,
        n if n.is_null() => &[],
        other => {
            sink.error(
                other.mark(),
                path,
                format!("expected a mapping, got {}", other.describe()),
            );
            return None;
        }
    };
    for (key, _) in entries {
        let k = key.text.as_str();
        if fields.known.contains(&k) || fields.silent.contains(&k) {
            continue;
        }
        if fields.unmodelled.contains(&k) {
            sink.warn(key.mark, &join(path, k), "not modelled by the lab; ignored");
            continue;
        }
        // Once the sink only counts, the hint would be thrown away.
        let hint = if sink.full() {
            None
        } else {
            suggest(k, fields.known.iter().chain(fields.unmodelled).copied())
        };
        unknown_field_hinted(sink, key, path, hint);
    }
    let mut by_key = Vec::new();
    if entries.len() > SCAN_KEYS {
        by_key = (0..entries.len()).collect();
        crate::sim::sort::sort_by(&mut by_key, |&a, &b| {
            entries[a].0.text.cmp(&entries[b].0.text)
        });
    }
    Some(Obj {
        path: path.to_string(),
        mark: node.mark(),
        entries,
        by_key,
    })
}

impl<'a> Obj<'a> {
    /// The entry of `key`: O(log n) in a big mapping.
    fn entry(&self, key: &str) -> Option<&'a (Scalar, Node)> {
        let entries = self.entries;
        if self.by_key.is_empty() {
            return entries.iter().find(|(k, _)| k.text == key);
        }
        let at = self
            .by_key
            .binary_search_by(|&i| entries[i].0.text.as_str().cmp(key))
            .ok()?;
        self.by_key.get(at).and_then(|&i| entries.get(i))
    }

    /// The value of `key`, unless absent or null.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.entry(key).map(|(_, v)| v).filter(|v| !v.is_null())
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Where `key` is written, or the mapping itself when it is absent.
    pub fn key_mark(&self, key: &str) -> Mark {
        self.entry(key).map_or(self.mark, |(k, _)| k.mark)
    }

    /// Where the value of `key` is written, or the mapping itself.
    pub fn value_mark(&self, key: &str) -> Mark {
        self.get(key).map_or(self.key_mark(key), Node::mark)
    }

    pub fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn missing(&self, sink: &mut Sink, key: &str) {
        sink.error(self.mark, &self.at(key), "required field is missing");
    }

    pub fn str(&self, sink: &mut Sink, key: &str) -> Option<String> {
        self.get(key).and_then(|n| string(sink, n, &self.at(key)))
    }

    pub fn req_str(&self, sink: &mut Sink, key: &str) -> Option<String> {
        if self.get(key).is_none() {
            self.missing(sink, key);
            return None;
        }
        self.str(sink, key).filter(|s| {
            if s.is_empty() {
                sink.error(self.value_mark(key), &self.at(key), "must not be empty");
            }
            !s.is_empty()
        })
    }

    pub fn u64(&self, sink: &mut Sink, key: &str) -> Option<u64> {
        self.get(key).and_then(|n| uint(sink, n, &self.at(key)))
    }

    /// An int32 field of a Kubernetes object held by the Go struct `go_struct` (see
    /// [`int32`]).
    pub fn i32(&self, sink: &mut Sink, key: &str, go_struct: &str) -> Option<i32> {
        self.get(key)
            .and_then(|n| int32(sink, n, &self.at(key), go_struct))
    }

    /// A Go `int` field of the struct `go_struct` (see [`go_int`]).
    pub fn go_int(&self, sink: &mut Sink, key: &str, go_struct: &str) -> Option<i64> {
        self.get(key)
            .and_then(|n| go_int(sink, n, &self.at(key), go_struct))
    }

    pub fn bool(&self, sink: &mut Sink, key: &str) -> Option<bool> {
        self.get(key).and_then(|n| boolean(sink, n, &self.at(key)))
    }

    pub fn duration(&self, sink: &mut Sink, key: &str) -> Option<SimDuration> {
        self.get(key).and_then(|n| duration(sink, n, &self.at(key)))
    }

    /// An `IntOrString` field of the Go struct `go_struct` (see [`int_or_percent`]).
    pub fn int_or_percent(
        &self,
        sink: &mut Sink,
        key: &str,
        go_struct: &str,
    ) -> Option<IntOrPercent> {
        self.get(key)
            .and_then(|n| int_or_percent(sink, n, &self.at(key), go_struct))
    }

    pub fn string_map(&self, sink: &mut Sink, key: &str) -> Option<BTreeMap<String, String>> {
        self.get(key)
            .and_then(|n| string_map(sink, n, &self.at(key)))
    }

    pub fn string_list(&self, sink: &mut Sink, key: &str) -> Option<Vec<String>> {
        self.get(key)
            .and_then(|n| string_list(sink, n, &self.at(key)))
    }

    /// The items of a list field with their paths.
    pub fn seq(&self, sink: &mut Sink, key: &str) -> Vec<(String, &'a Node)> {
        self.get(key)
            .map(|n| seq(sink, n, &self.at(key)))
            .unwrap_or_default()
    }

    pub fn obj(&self, sink: &mut Sink, key: &str, fields: &Fields) -> Option<Obj<'a>> {
        self.get(key)
            .and_then(|n| obj(sink, n, &self.at(key), fields))
    }
}

/// For tests: the root of `text`'s first YAML document and a sink for document 1.
#[cfg(test)]
pub(crate) fn first_document(text: &str) -> (crate::scenario::yaml::Node, Sink) {
    let root = crate::scenario::yaml::parse_stream(text, 10)
        .expect("the test's YAML parses")
        .documents
        .remove(0)
        .root
        .expect("the test's document is not empty");
    let sink = Sink {
        document: 1,
        ..Sink::default()
    };
    (root, sink)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::yaml::parse_stream;

    fn root(text: &str) -> Node {
        parse_stream(text, 10)
            .unwrap()
            .documents
            .remove(0)
            .root
            .unwrap()
    }

    const F: Fields = Fields {
        known: &["replicas", "name", "cpu", "labels", "at"],
        unmodelled: &["iam"],
        silent: &["status"],
    };

    #[test]
    fn unknown_fields_are_errors_with_a_hint() {
        let mut sink = Sink {
            document: 2,
            ..Sink::default()
        };
        let n = root("replica: 3\niam: {}\nstatus: {}\n");
        obj(&mut sink, &n, "spec", &F).unwrap();
        assert_eq!(sink.diags.len(), 2);
        let e = &sink.diags[0];
        assert_eq!(
            (e.severity, e.document, e.line, e.column),
            (Severity::Error, 2, 1, 1)
        );
        assert_eq!(e.path, "spec.replica");
        assert_eq!(
            e.message,
            "unknown field \"replica\" (did you mean \"replicas\"?)"
        );
        let w = &sink.diags[1];
        assert_eq!(
            (w.severity, w.path.as_str()),
            (Severity::Warning, "spec.iam")
        );
        assert!(w.message.contains("not modelled by the lab"));
    }

    #[test]
    fn typed_getters_report_wrong_types() {
        let mut sink = Sink::default();
        let n = root("replicas: \"3\"\nname: 1.30\ncpu: 500x\nlabels: {a: b, c: true}\nat: 5q\n");
        let o = obj(&mut sink, &n, "", &F).unwrap();
        assert_eq!(o.u64(&mut sink, "replicas"), None);
        assert_eq!(o.str(&mut sink, "name"), None);
        assert_eq!(o.get("cpu").and_then(|c| cpu(&mut sink, c, "cpu")), None);
        assert_eq!(o.string_map(&mut sink, "labels").map(|m| m.len()), Some(1));
        assert_eq!(o.duration(&mut sink, "at"), None);
        let msgs: Vec<&str> = sink.diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs[0], "expected an integer, got a string \"3\"");
        assert!(msgs[1].starts_with("expected a string, got a number"));
        assert_eq!(
            msgs[2],
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        );
        assert!(msgs[3].contains("got a boolean"));
        assert!(msgs[4].contains("invalid duration"));
    }

    #[test]
    fn integers_are_checked_for_sign_and_range() {
        let mut sink = Sink::default();
        let n = root("a: -1\nb: 99999999999999999999999\nc: 0x10\nd: 2.5\n");
        let f = Fields::known(&["a", "b", "c", "d"]);
        let o = obj(&mut sink, &n, "", &f).unwrap();
        assert_eq!(o.u64(&mut sink, "a"), None);
        assert_eq!(o.u64(&mut sink, "b"), None);
        assert_eq!(o.u64(&mut sink, "c"), Some(16));
        assert_eq!(o.u64(&mut sink, "d"), None);
        assert_eq!(sink.error_count(), 3);
    }

    #[test]
    fn int_or_percent_needs_a_number_or_a_percent_string() {
        let mut sink = Sink::default();
        let n = root("a: 25%\nb: 2\nc: \"2\"\n");
        let f = Fields::known(&["a", "b", "c"]);
        let o = obj(&mut sink, &n, "", &f).unwrap();
        assert_eq!(
            o.int_or_percent(&mut sink, "a", "S"),
            Some(IntOrPercent::Percent(25))
        );
        assert_eq!(
            o.int_or_percent(&mut sink, "b", "S"),
            Some(IntOrPercent::Int(2))
        );
        assert_eq!(o.int_or_percent(&mut sink, "c", "S"), None);
    }

    #[test]
    fn hints_are_bounded_in_the_length_they_compare() {
        let at_limit = "r".repeat(MAX_SUGGESTION_CHARS);
        let past = "r".repeat(MAX_SUGGESTION_CHARS + 1);
        let cands = [at_limit.as_str(), "replicas"];
        assert_eq!(suggestion(&at_limit, &cands), Some(at_limit.as_str()));
        assert_eq!(suggestion(&past, &cands), None);
        assert_eq!(edit_distance(&past, &at_limit), usize::MAX);
        assert_eq!(edit_distance(&at_limit[1..], &at_limit), 1);
        assert_eq!(suggestion(&"x".repeat(100_000), &["replicas"]), None);
    }

    /// The unbanded Levenshtein distance, the reference for the banded one.
    fn full(a: &[char], b: &[char]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                cur.push(
                    (prev[j] + usize::from(ca != cb))
                        .min(prev[j + 1] + 1)
                        .min(cur[j] + 1),
                );
            }
            prev = cur;
        }
        prev[b.len()]
    }

    #[test]
    fn the_banded_distance_agrees_with_the_full_one() {
        let words = [
            "", "a", "ab", "ba", "abc", "acb", "replica", "replicas", "Replicas", "rpelicas",
            "xyz", "abcdef", "badcfe",
        ];
        for a in words {
            for b in words {
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let d = full(&ca, &cb);
                for max in 0..4 {
                    assert_eq!(
                        distance_within(&ca, &cb, max),
                        (d <= max).then_some(d),
                        "{a} {b} {max}"
                    );
                }
                assert_eq!(edit_distance(a, b), d);
            }
        }
    }

    #[test]
    fn the_band_agrees_with_the_full_distance_on_random_words() {
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize
        };
        for _ in 0..3000 {
            let mut word = || -> Vec<char> {
                (0..next() % 14)
                    .map(|_| ['a', 'b', 'c'][next() % 3])
                    .collect()
            };
            let (a, b) = (word(), word());
            let d = full(&a, &b);
            for max in 0..5 {
                assert_eq!(
                    distance_within(&a, &b, max),
                    (d <= max).then_some(d),
                    "{a:?} {b:?} {max}"
                );
            }
        }
    }

    #[test]
    fn a_full_sink_counts_and_says_how_many_it_left_out() {
        let mut sink = Sink::default();
        for i in 0..MAX_DIAGNOSTICS + 5 {
            sink.error(
                Mark {
                    line: i + 1,
                    column: 1,
                },
                "a",
                "bad",
            );
        }
        for _ in 0..3 {
            sink.warn(Mark::START, "b", "odd");
        }
        assert!(sink.full());
        assert_eq!(sink.error_count(), MAX_DIAGNOSTICS + 5);
        let diags = sink.into_diagnostics();
        assert_eq!(diags.len(), MAX_DIAGNOSTICS + 1);
        let last = &diags[MAX_DIAGNOSTICS];
        assert_eq!(
            (last.severity, last.line),
            (Severity::Error, MAX_DIAGNOSTICS + 1)
        );
        assert_eq!(
            last.message,
            "5 more errors and 3 more warnings not listed, from here on: the lab lists the first 1000 problems of a file"
        );
        let mut sink = Sink::default();
        for _ in 0..=MAX_DIAGNOSTICS {
            sink.warn(Mark::START, "b", "odd");
        }
        let last = sink.into_diagnostics().pop().unwrap();
        assert_eq!(
            (
                last.severity,
                last.message.starts_with("1 more warning not")
            ),
            (Severity::Warning, true)
        );
    }

    #[test]
    fn big_mappings_are_looked_up_by_key() {
        const KEYS: &[&str] = &[
            "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13",
            "k14", "k15", "k16", "k17", "k18", "k19",
        ];
        assert!(KEYS.len() > SCAN_KEYS);
        let text = KEYS
            .iter()
            .rev()
            .map(|k| format!("{k}: v{k}\n"))
            .collect::<Vec<_>>()
            .concat();
        let n = root(&text);
        let mut sink = Sink::default();
        let o = obj(&mut sink, &n, "", &Fields::known(KEYS)).unwrap();
        assert!(sink.diags.is_empty());
        assert!(!o.by_key.is_empty());
        for (i, k) in KEYS.iter().enumerate() {
            assert_eq!(
                o.get(k).and_then(Node::as_text),
                Some(format!("v{k}").as_str())
            );
            assert_eq!(
                o.key_mark(k),
                Mark {
                    line: KEYS.len() - i,
                    column: 1
                }
            );
        }
        assert_eq!(o.key_mark("nope"), o.mark);
        assert!(o.get("nope").is_none());
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("replica", "replicas"), 1);
        assert_eq!(edit_distance("instancetype", "instancetype"), 0);
        assert_eq!(edit_distance("abc", "xyz"), 3);
        assert_eq!(
            suggestion("instancetype", &["instanceType", "instanceTypes"]),
            Some("instanceType")
        );
    }
}
