//! Scalar and collection values: strings, integers, booleans, durations, quantities,
//! int-or-percent values, string maps and lists, each reporting what is wrong with it.

use std::collections::BTreeMap;

use super::{Sink, item, join};
use crate::scenario::yaml::{Node, ScalarKind, parse_int};
use crate::sim::api::IntOrPercent;
use crate::sim::clock::SimDuration;
use crate::sim::quantity::{Bytes, MilliCpu};

/// The items of a list node with their paths; anything else is an error.
pub(crate) fn seq<'a>(sink: &mut Sink, node: &'a Node, path: &str) -> Vec<(String, &'a Node)> {
    match node {
        Node::Seq { items, .. } => items
            .iter()
            .enumerate()
            .map(|(i, n)| (item(path, i), n))
            .collect(),
        n if n.is_null() => Vec::new(),
        other => {
            sink.error(
                other.mark(),
                path,
                format!("expected a list, got {}", other.describe()),
            );
            Vec::new()
        }
    }
}

/// A string; numbers and booleans are errors (Kubernetes' JSON decoding refuses them too).
pub(crate) fn string(sink: &mut Sink, node: &Node, path: &str) -> Option<String> {
    match node {
        Node::Scalar(s) => match s.kind() {
            ScalarKind::Str => Some(s.text.clone()),
            ScalarKind::Null => None,
            other => {
                sink.error(
                    s.mark,
                    path,
                    format!(
                        "expected a string, got {} (put it in quotes: \"{}\")",
                        other.describe(),
                        s.text
                    ),
                );
                None
            }
        },
        other => {
            sink.error(
                other.mark(),
                path,
                format!("expected a string, got {}", other.describe()),
            );
            None
        }
    }
}

/// Any scalar's text (for fields that take numbers or strings, like quantities).
pub(crate) fn scalar_text(sink: &mut Sink, node: &Node, path: &str) -> Option<String> {
    match node {
        Node::Scalar(s)
            if matches!(
                s.kind(),
                ScalarKind::Str | ScalarKind::Int | ScalarKind::Float
            ) =>
        {
            Some(s.text.clone())
        }
        Node::Scalar(s) if s.is_null() => None,
        other => {
            sink.error(
                other.mark(),
                path,
                format!("expected a string or a number, got {}", other.describe()),
            );
            None
        }
    }
}

/// A non-negative integer.
pub(crate) fn uint(sink: &mut Sink, node: &Node, path: &str) -> Option<u64> {
    let Node::Scalar(s) = node else {
        sink.error(
            node.mark(),
            path,
            format!("expected an integer, got {}", node.describe()),
        );
        return None;
    };
    match s.kind() {
        ScalarKind::Int => match parse_int(&s.text) {
            Some(v) if v < 0 => {
                sink.error(
                    s.mark,
                    path,
                    format!("must be greater than or equal to 0, got {v}"),
                );
                None
            }
            Some(v) => u64::try_from(v).ok().or_else(|| {
                sink.error(s.mark, path, format!("number {} is out of range", s.text));
                None
            }),
            None => {
                sink.error(s.mark, path, format!("number {} is out of range", s.text));
                None
            }
        },
        ScalarKind::Null => None,
        ScalarKind::Str => {
            sink.error(
                s.mark,
                path,
                format!("expected an integer, got a string {:?}", s.text),
            );
            None
        }
        ScalarKind::Float | ScalarKind::Bool => {
            sink.error(s.mark, path, format!("expected an integer, got {}", s.text));
            None
        }
    }
}

/// `true` or `false`.
pub(crate) fn boolean(sink: &mut Sink, node: &Node, path: &str) -> Option<bool> {
    match node {
        Node::Scalar(s) if s.kind() == ScalarKind::Bool => {
            Some(s.text.eq_ignore_ascii_case("true"))
        }
        n if n.is_null() => None,
        Node::Scalar(s) => {
            sink.error(
                s.mark,
                path,
                format!("expected true or false, got {:?}", s.text),
            );
            None
        }
        other => {
            sink.error(
                other.mark(),
                path,
                format!("expected true or false, got {}", other.describe()),
            );
            None
        }
    }
}

/// A duration such as `30m` or `1h30m` (a bare integer means seconds).
pub(crate) fn duration(sink: &mut Sink, node: &Node, path: &str) -> Option<SimDuration> {
    let text = scalar_text(sink, node, path)?;
    SimDuration::parse(&text)
        .map_err(|e| sink.error(node.mark(), path, e))
        .ok()
}

/// An integer, or a string `"NN%"` (Kubernetes `IntOrString`).
pub(crate) fn int_or_percent(sink: &mut Sink, node: &Node, path: &str) -> Option<IntOrPercent> {
    match node {
        Node::Scalar(s) if s.kind() == ScalarKind::Int => {
            uint(sink, node, path).map(IntOrPercent::Int)
        }
        Node::Scalar(s) if s.kind() == ScalarKind::Str => {
            let valid = s
                .text
                .strip_suffix('%')
                .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
            if !valid {
                sink.error(
                    s.mark,
                    path,
                    format!(
                        "invalid value {:?}: expected an integer or a percentage such as \"25%\"",
                        s.text
                    ),
                );
                return None;
            }
            IntOrPercent::parse(&s.text)
                .map_err(|e| sink.error(s.mark, path, e))
                .ok()
        }
        n if n.is_null() => None,
        other => {
            sink.error(
                other.mark(),
                path,
                format!(
                    "expected an integer or a percentage, got {}",
                    other.describe()
                ),
            );
            None
        }
    }
}

/// A CPU quantity (`500m`, `0.5`, `2`).
pub(crate) fn cpu(sink: &mut Sink, node: &Node, path: &str) -> Option<MilliCpu> {
    let text = scalar_text(sink, node, path)?;
    MilliCpu::parse(&text)
        .map_err(|e| sink.error(node.mark(), path, e))
        .ok()
}

/// A memory quantity (`256Mi`, `1Gi`, `1G`).
pub(crate) fn memory(sink: &mut Sink, node: &Node, path: &str) -> Option<Bytes> {
    let text = scalar_text(sink, node, path)?;
    Bytes::parse(&text)
        .map_err(|e| sink.error(node.mark(), path, e))
        .ok()
}

/// A mapping of strings to strings (labels, annotations, tags).
pub(crate) fn string_map(
    sink: &mut Sink,
    node: &Node,
    path: &str,
) -> Option<BTreeMap<String, String>> {
    let entries = match node {
        Node::Map { entries, .. } => entries,
        n if n.is_null() => return Some(BTreeMap::new()),
        other => {
            sink.error(
                other.mark(),
                path,
                format!("expected a mapping, got {}", other.describe()),
            );
            return None;
        }
    };
    let mut out = BTreeMap::new();
    for (k, v) in entries {
        let p = join(path, &k.text);
        // An empty value is an empty string here (`key: ""` and `key:` both mean "").
        let value = if v.is_null() {
            Some(String::new())
        } else {
            string(sink, v, &p)
        };
        if let Some(value) = value {
            out.insert(k.text.clone(), value);
        }
    }
    Some(out)
}

/// A list of strings.
pub(crate) fn string_list(sink: &mut Sink, node: &Node, path: &str) -> Option<Vec<String>> {
    let items = seq(sink, node, path);
    if !matches!(node, Node::Seq { .. }) && !node.is_null() {
        return None;
    }
    Some(
        items
            .into_iter()
            .filter_map(|(p, n)| string(sink, n, &p))
            .collect(),
    )
}
