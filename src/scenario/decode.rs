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
use crate::sim::api::IntOrPercent;
use crate::sim::clock::SimDuration;

/// Collects the diagnostics of one load.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    /// The 1-based document being decoded.
    pub document: usize,
    pub diags: Vec<Diagnostic>,
    /// The path of the Kubernetes object being decoded (empty for a whole document, or a
    /// timeline entry's `apply`), so JSON type errors name fields from the object's root as
    /// the API server does.
    pub object_path: String,
}

impl Sink {
    pub fn error(&mut self, mark: Mark, path: &str, message: impl Into<String>) {
        self.push(Severity::Error, mark, path, message.into());
    }

    pub fn warn(&mut self, mark: Mark, path: &str, message: impl Into<String>) {
        self.push(Severity::Warning, mark, path, message.into());
    }

    fn push(&mut self, severity: Severity, mark: Mark, path: &str, message: String) {
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

    pub fn error_count(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
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

/// The closest known name within two edits, for "did you mean" hints.
fn suggestion<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| {
            let d = if c.to_ascii_lowercase() == lower {
                0
            } else {
                edit_distance(&lower, &c.to_ascii_lowercase())
            };
            (d, *c)
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// An unknown-field error with a hint when a known field is close.
pub(crate) fn unknown_field(sink: &mut Sink, key: &Scalar, path: &str, candidates: &[&str]) {
    let msg = match suggestion(&key.text, candidates) {
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
}

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
        let all: Vec<&str> = fields
            .known
            .iter()
            .chain(fields.unmodelled)
            .copied()
            .collect();
        unknown_field(sink, key, path, &all);
    }
    Some(Obj {
        path: path.to_string(),
        mark: node.mark(),
        entries,
    })
}

impl<'a> Obj<'a> {
    /// The value of `key`, unless absent or null.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Where `key` is written, or the mapping itself when it is absent.
    pub fn key_mark(&self, key: &str) -> Mark {
        self.entries
            .iter()
            .find(|(k, _)| k.text == key)
            .map_or(self.mark, |(k, _)| k.mark)
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
