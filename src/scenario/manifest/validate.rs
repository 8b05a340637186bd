//! The API server's validation of a decoded manifest (`sim::api::validation`), each error
//! placed where it is written: a field path such as `spec.template.spec.containers[1].name`
//! is followed through the YAML tree, and a label error points at the key or the value it
//! is about. The message is the API server's (`Invalid value: "Bad_Name": a lowercase RFC
//! 1123 subdomain ...`) and the diagnostic's path its field path.

use std::collections::{BTreeMap, BTreeSet};

use crate::scenario::decode::{Sink, join};
use crate::scenario::yaml::{Mark, Node};
use crate::sim::api::validation::field::{BadValue, FieldError, Origin};

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// `a.b[2].c` as keys and indices.
fn segments(field: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in field.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Seg::Key(key));
        }
        for i in rest.split('[') {
            if let Ok(n) = i.trim_end_matches(']').parse() {
                out.push(Seg::Index(n));
            }
        }
    }
    out
}

/// The node a field path reaches under `root` (upstream's `spec.template.labels` is written
/// under `spec.template.metadata`), or the deepest one on the way.
fn reach<'a>(root: &'a Node, field: &str) -> &'a Node {
    let mut node = root;
    for seg in segments(field) {
        let next = match seg {
            Seg::Key(k) => node.get(k).or_else(|| {
                matches!(k, "labels" | "annotations")
                    .then(|| node.get("metadata").and_then(|m| m.get(k)))
                    .flatten()
            }),
            Seg::Index(i) => match node {
                Node::Seq { items, .. } => items.get(i),
                _ => None,
            },
        };
        match next {
            Some(n) if !n.is_null() => node = n,
            _ => return node,
        }
    }
    node
}

/// A reached node, with where each key and each value of a mapping first appears.
struct Target<'a> {
    mark: Mark,
    keys: BTreeMap<&'a str, Mark>,
    values: BTreeMap<&'a str, Mark>,
}

impl<'a> Target<'a> {
    fn new(node: &'a Node) -> Target<'a> {
        let mut t = Target {
            mark: node.mark(),
            keys: BTreeMap::new(),
            values: BTreeMap::new(),
        };
        if let Node::Map { entries, .. } = node {
            for (k, v) in entries {
                t.keys.entry(k.text.as_str()).or_insert(k.mark);
                if let Some(text) = v.as_text() {
                    t.values.entry(text).or_insert(v.mark());
                }
            }
        }
        t
    }

    /// A label error points at the key or the value it names; others at the node.
    fn mark_of(&self, err: &FieldError) -> Mark {
        let BadValue::Str(v) = &err.bad_value else {
            return self.mark;
        };
        let found = match err.origin {
            Some(Origin::LabelKey) => self.keys.get(v.as_str()),
            Some(Origin::LabelValue) => self.values.get(v.as_str()),
            None => None,
        };
        found.copied().unwrap_or(self.mark)
    }
}

/// Reports each of `errs` (paths relative to `root`, which sits at `prefix`), except those
/// on a field the decoder has already reported an error for since diagnostic `since`, and
/// repeats. Linear in the errors and the mapping sizes: each field's node is indexed once.
pub(crate) fn report(
    sink: &mut Sink,
    root: &Node,
    prefix: &str,
    errs: &[FieldError],
    since: usize,
) {
    let reported: BTreeSet<String> = crate::sim::sort::set(
        sink.diags
            .iter()
            .skip(since)
            .filter(|d| d.severity == crate::scenario::Severity::Error)
            .map(|d| d.path.clone()),
    );
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut targets: BTreeMap<&str, Target<'_>> = BTreeMap::new();
    for e in errs {
        let path = join(prefix, &e.field);
        if reported.contains(&path) || !seen.insert(e.to_string()) {
            continue;
        }
        let mark = targets
            .entry(e.field.as_str())
            .or_insert_with(|| Target::new(reach(root, &e.field)))
            .mark_of(e);
        sink.error(mark, &path, e.body());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::yaml::parse_stream;

    fn locate(root: &Node, err: &FieldError) -> Mark {
        Target::new(reach(root, &err.field)).mark_of(err)
    }

    fn root(text: &str) -> Node {
        parse_stream(text, 10)
            .unwrap()
            .documents
            .remove(0)
            .root
            .unwrap()
    }

    #[test]
    fn paths_lead_to_the_field_and_labels_to_their_key_or_value() {
        let n = root(
            "metadata:\n  name: Bad\n  labels:\n    ok: fine\n    -bad: no spaces\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: a\n        - name: B\n",
        );
        let at = |e: FieldError| {
            let m = locate(&n, &e);
            (m.line, m.column)
        };
        assert_eq!(at(FieldError::invalid("metadata.name", "Bad", "x")), (2, 9));
        assert_eq!(
            at(FieldError::invalid("metadata.labels", "-bad", "x").with_origin(Origin::LabelKey)),
            (5, 5)
        );
        assert_eq!(
            at(FieldError::invalid("metadata.labels", "no spaces", "x")
                .with_origin(Origin::LabelValue)),
            (5, 11)
        );
        assert_eq!(
            at(FieldError::invalid(
                "spec.template.spec.containers[1].name",
                "B",
                "x"
            )),
            (13, 17)
        );
        assert_eq!(
            at(FieldError::invalid("spec.template.labels", "web", "x")
                .with_origin(Origin::LabelValue)),
            (9, 21)
        );
        // A path that leaves the file stops at the deepest node it reached (a mapping is
        // where its first key is).
        assert_eq!(
            at(FieldError::invalid(
                "spec.template.spec.nodeSelector",
                "x",
                "x"
            )),
            (11, 7)
        );
    }
}
