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

/// What Go's JSON decoder calls a value it cannot put into a number field: `number 2.5`,
/// `string`, `bool`, `object`, `array` (`UnmarshalTypeError.Value`).
fn json_value(node: &Node) -> String {
    match node {
        Node::Scalar(s) => match s.kind() {
            // YAML integers reach JSON in decimal (`0x10` is 16).
            ScalarKind::Int => format!(
                "number {}",
                parse_int(&s.text).map_or_else(|| s.text.clone(), |v| v.to_string())
            ),
            ScalarKind::Float => format!("number {}", s.text),
            ScalarKind::Bool => "bool".to_string(),
            ScalarKind::Str | ScalarKind::Null => "string".to_string(),
        },
        Node::Seq { .. } => "array".to_string(),
        Node::Map { .. } => "object".to_string(),
    }
}

/// The exact integer a YAML float such as `3.0` or `1e3` stands for, if it is one (the API
/// server's YAML-to-JSON conversion turns them into `3` and `1000`, which an int32 accepts).
fn integral_float(text: &str) -> Option<i128> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i32>().ok()?),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    // Scale: value = digits × 10^(exp − frac digits).
    let shift = i64::from(exp) - i64::try_from(frac.len()).ok()?;
    let digits = if shift < 0 {
        let cut = usize::try_from(-shift).ok()?;
        let keep = digits.len().saturating_sub(cut);
        if digits[keep..].bytes().any(|b| b != b'0') {
            return None;
        }
        &digits[..keep]
    } else {
        digits
    };
    let zeros = usize::try_from(shift.max(0)).ok()?;
    if digits.is_empty() {
        return Some(0);
    }
    // Anything over 39 digits is far beyond every integer type the lab reads.
    if digits.len() + zeros > 38 {
        return Some(if neg { i128::MIN } else { i128::MAX });
    }
    let v: i128 = format!("{digits}{}", "0".repeat(zeros)).parse().ok()?;
    Some(if neg { -v } else { v })
}

/// An `int32` field of a Kubernetes object, decoded as the API server's JSON decoder decodes
/// it (sigs.k8s.io/json, Go's `encoding/json`): a number that is not a whole int32, or a
/// value of another type, is refused with its `UnmarshalTypeError` text, such as
/// `json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas
/// of type int32`. `go_struct` is the Go type holding the field; the field path is the JSON
/// path from the object's root without list indices, as the decoder writes it.
pub(crate) fn int32(sink: &mut Sink, node: &Node, path: &str, go_struct: &str) -> Option<i32> {
    let v = go_integer(
        sink,
        node,
        path,
        go_struct,
        "int32",
        i128::from(i32::MIN)..=i128::from(i32::MAX),
    )?;
    i32::try_from(v).ok()
}

/// A Go `int` field (64-bit; eksctl's sizes are `*int`), decoded like [`int32`].
pub(crate) fn go_int(sink: &mut Sink, node: &Node, path: &str, go_struct: &str) -> Option<i64> {
    let v = go_integer(
        sink,
        node,
        path,
        go_struct,
        "int",
        i128::from(i64::MIN)..=i128::from(i64::MAX),
    )?;
    i64::try_from(v).ok()
}

fn go_integer(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    go_struct: &str,
    go_type: &str,
    range: std::ops::RangeInclusive<i128>,
) -> Option<i128> {
    let whole = match node {
        n if n.is_null() => return None,
        Node::Scalar(s) => match s.kind() {
            ScalarKind::Int => parse_int(&s.text),
            ScalarKind::Float => integral_float(&s.text),
            _ => None,
        },
        _ => None,
    };
    if let Some(v) = whole.filter(|v| range.contains(v)) {
        return Some(v);
    }
    let message = json_type_error(sink, node, path, go_struct, go_type);
    sink.error(node.mark(), path, message);
    None
}

/// `json: cannot unmarshal <value> into Go struct field <Struct>.<path> of type <type>`.
pub(crate) fn json_type_error(
    sink: &Sink,
    node: &Node,
    path: &str,
    go_struct: &str,
    go_type: &str,
) -> String {
    format!(
        "json: cannot unmarshal {} into Go struct field {go_struct}.{} of type {go_type}",
        json_value(node),
        sink.go_field_path(path)
    )
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

/// An integer, or a string `"NN%"` (Kubernetes `IntOrString`, whose integer is an int32 held
/// by the Go struct `go_struct`). A string must be a percentage, as the API server's
/// validation (`ValidatePositiveIntOrPercent`) requires; a negative integer is refused there
/// too. Whether a percentage may pass 100% is the field's own rule.
pub(crate) fn int_or_percent(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    go_struct: &str,
) -> Option<IntOrPercent> {
    match node {
        n if n.is_null() => None,
        Node::Scalar(s) if s.kind() == ScalarKind::Str => {
            let valid = s
                .text
                .strip_suffix('%')
                .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
            if !valid {
                sink.error(
                    s.mark,
                    path,
                    crate::sim::api::bounds::invalid(
                        format_args!("{:?}", s.text),
                        crate::sim::api::bounds::PERCENT_FORMAT,
                    ),
                );
                return None;
            }
            IntOrPercent::parse(&s.text)
                .map_err(|e| sink.error(s.mark, path, e))
                .ok()
        }
        _ => {
            let v = int32(sink, node, path, go_struct)?;
            if let Err(e) = crate::sim::api::bounds::nonnegative(v) {
                sink.error(node.mark(), path, e);
                return None;
            }
            Some(IntOrPercent::Int(v))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::yaml::parse_stream;

    fn node(text: &str) -> Node {
        parse_stream(&format!("v: {text}\n"), 10)
            .unwrap()
            .documents
            .remove(0)
            .root
            .unwrap()
            .get("v")
            .unwrap()
            .clone()
    }

    fn read(text: &str) -> (Option<i32>, Vec<String>) {
        let mut sink = Sink::default();
        let v = int32(
            &mut sink,
            &node(text),
            "spec.template.spec.containers[0].ports[1].containerPort",
            "ContainerPort",
        );
        (v, sink.diags.into_iter().map(|d| d.message).collect())
    }

    #[test]
    fn int32_fields_decode_as_the_api_servers_json_decoder_does() {
        for (text, want) in [
            ("0", 0),
            ("2147483647", i32::MAX),
            ("-2147483648", i32::MIN),
            ("0x10", 16),
            ("3.0", 3),
            ("1e3", 1000),
            ("-2.5e1", -25),
            ("0.0", 0),
        ] {
            assert_eq!(read(text), (Some(want), vec![]), "{text}");
        }
        let err = |v: &str| {
            vec![format!(
                "json: cannot unmarshal {v} into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32"
            )]
        };
        for (text, value) in [
            ("2147483648", "number 2147483648"),
            ("-2147483649", "number -2147483649"),
            (
                "99999999999999999999999999",
                "number 99999999999999999999999999",
            ),
            ("2.5", "number 2.5"),
            ("1e400", "number 1e400"),
            (".inf", "number .inf"),
            ("\"80\"", "string"),
            ("true", "bool"),
            ("{a: 1}", "object"),
            ("[1]", "array"),
        ] {
            assert_eq!(read(text), (None, err(value)), "{text}");
        }
        assert_eq!(read("~"), (None, vec![]));
    }

    #[test]
    fn go_ints_take_64_bits() {
        let mut sink = Sink::default();
        assert_eq!(
            go_int(
                &mut sink,
                &node("9223372036854775807"),
                "nodeGroups[0].minSize",
                "NodeGroup"
            ),
            Some(i64::MAX)
        );
        assert_eq!(
            go_int(
                &mut sink,
                &node("9223372036854775808"),
                "nodeGroups[0].minSize",
                "NodeGroup"
            ),
            None
        );
        assert_eq!(
            sink.diags[0].message,
            "json: cannot unmarshal number 9223372036854775808 into Go struct field NodeGroup.nodeGroups.minSize of type int"
        );
    }

    #[test]
    fn field_paths_start_at_the_object() {
        let sink = Sink {
            object_path: "spec.timeline[3].apply".into(),
            ..Sink::default()
        };
        assert_eq!(
            sink.go_field_path("spec.timeline[3].apply.spec.replicas"),
            "spec.replicas"
        );
        assert_eq!(Sink::default().go_field_path("a[0].b[12].c"), "a.b.c");
    }

    #[test]
    fn int_or_percent_follows_int_or_string() {
        let read = |text: &str| {
            let mut sink = Sink::default();
            let v = int_or_percent(
                &mut sink,
                &node(text),
                "spec.minAvailable",
                "PodDisruptionBudgetSpec",
            );
            (
                v,
                sink.diags
                    .into_iter()
                    .map(|d| d.message)
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(read("25%"), (Some(IntOrPercent::Percent(25)), vec![]));
        assert_eq!(read("3"), (Some(IntOrPercent::Int(3)), vec![]));
        assert_eq!(
            read("-1"),
            (
                None,
                vec!["Invalid value: -1: must be greater than or equal to 0".to_string()]
            )
        );
        assert_eq!(
            read("3000000000"),
            (
                None,
                vec!["json: cannot unmarshal number 3000000000 into Go struct field PodDisruptionBudgetSpec.spec.minAvailable of type int32".to_string()]
            )
        );
        assert_eq!(read("\"-5%\"").1.len(), 1);
    }
}
