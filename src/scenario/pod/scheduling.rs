//! Scheduling constraints of a pod: required node affinity, selector requirements and
//! tolerations.

use crate::scenario::decode::{Fields, Obj, Sink, obj};
use crate::scenario::yaml::Node;
use crate::sim::api::meta::{SelectorOperator, SelectorRequirement};
use crate::sim::api::{TaintEffect, Toleration, TolerationOperator};

pub(super) fn affinity(sink: &mut Sink, s: &Obj<'_>) -> Vec<Vec<SelectorRequirement>> {
    let mut terms = Vec::new();
    let Some(a) = s.obj(
        sink,
        "affinity",
        &Fields {
            known: &["nodeAffinity"],
            unmodelled: &["podAffinity", "podAntiAffinity"],
            silent: &[],
        },
    ) else {
        return terms;
    };
    let Some(na) = a.obj(
        sink,
        "nodeAffinity",
        &Fields {
            known: &["requiredDuringSchedulingIgnoredDuringExecution"],
            unmodelled: &["preferredDuringSchedulingIgnoredDuringExecution"],
            silent: &[],
        },
    ) else {
        return terms;
    };
    let Some(req) = na.obj(
        sink,
        "requiredDuringSchedulingIgnoredDuringExecution",
        &Fields::known(&["nodeSelectorTerms"]),
    ) else {
        return terms;
    };
    for (p, n) in req.seq(sink, "nodeSelectorTerms") {
        let Some(t) = obj(
            sink,
            n,
            &p,
            &Fields {
                known: &["matchExpressions"],
                unmodelled: &["matchFields"],
                silent: &[],
            },
        ) else {
            continue;
        };
        let exprs: Vec<SelectorRequirement> = t
            .seq(sink, "matchExpressions")
            .into_iter()
            .filter_map(|(p, n)| requirement(sink, n, &p, true))
            .collect();
        terms.push(exprs);
    }
    terms
}

/// One `matchExpressions` entry; node affinity also knows `Gt` and `Lt`, which the lab does
/// not model.
pub(crate) fn requirement(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    node_affinity: bool,
) -> Option<SelectorRequirement> {
    let r = obj(
        sink,
        node,
        path,
        &Fields::known(&["key", "operator", "values"]),
    )?;
    let key = r.req_str(sink, "key")?;
    let op_text = r.req_str(sink, "operator")?;
    let values = r.string_list(sink, "values").unwrap_or_default();
    let Some(operator) = SelectorOperator::parse(&op_text) else {
        let msg = if node_affinity && (op_text == "Gt" || op_text == "Lt") {
            format!("operator {op_text:?} is not supported by the lab")
        } else {
            format!(
                "Unsupported value: {op_text:?}: supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\""
            )
        };
        sink.error(r.value_mark("operator"), &r.at("operator"), msg);
        return None;
    };
    let needs_values = matches!(operator, SelectorOperator::In | SelectorOperator::NotIn);
    if needs_values && values.is_empty() {
        sink.error(
            r.mark,
            &r.at("values"),
            "Required value: must be specified when `operator` is 'In' or 'NotIn'",
        );
        return None;
    }
    if !needs_values && !values.is_empty() {
        sink.error(
            r.value_mark("values"),
            &r.at("values"),
            "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        );
        return None;
    }
    Some(SelectorRequirement {
        key,
        operator,
        values,
    })
}

pub(super) fn toleration(sink: &mut Sink, node: &Node, path: &str) -> Option<Toleration> {
    let t = obj(
        sink,
        node,
        path,
        &Fields {
            known: &["key", "operator", "value", "effect"],
            unmodelled: &["tolerationSeconds"],
            silent: &[],
        },
    )?;
    let key = t.str(sink, "key").unwrap_or_default();
    let value = t.str(sink, "value").unwrap_or_default();
    let operator = match t.str(sink, "operator").as_deref() {
        None | Some("Equal") => TolerationOperator::Equal,
        Some("Exists") => TolerationOperator::Exists,
        Some(other) => {
            sink.error(
                t.value_mark("operator"),
                &t.at("operator"),
                format!("Unsupported value: {other:?}: supported values: \"Equal\", \"Exists\""),
            );
            return None;
        }
    };
    if operator == TolerationOperator::Exists && !value.is_empty() {
        sink.error(
            t.value_mark("value"),
            &t.at("value"),
            "Invalid value: value must be empty when `operator` is 'Exists'",
        );
        return None;
    }
    if operator == TolerationOperator::Equal && key.is_empty() {
        sink.error(t.mark, &t.at("operator"), "Invalid value: operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
        return None;
    }
    let effect = match t.str(sink, "effect") {
        None => None,
        Some(e) if e.is_empty() => None,
        Some(e) => {
            let Some(eff) = TaintEffect::parse(&e).filter(|_| !e.contains('_')) else {
                sink.error(t.value_mark("effect"), &t.at("effect"), format!("Unsupported value: {e:?}: supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""));
                return None;
            };
            Some(eff)
        }
    };
    Some(Toleration {
        key,
        operator,
        value,
        effect,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::yaml::parse_stream;

    fn node(text: &str) -> Node {
        parse_stream(text, 10)
            .unwrap()
            .documents
            .remove(0)
            .root
            .unwrap()
    }

    #[test]
    fn requirements_check_values_against_the_operator() {
        let mut sink = Sink::default();
        let r = requirement(
            &mut sink,
            &node("{key: a, operator: In, values: [x]}"),
            "r",
            false,
        );
        assert_eq!(r.map(|r| r.operator), Some(SelectorOperator::In));
        assert!(requirement(&mut sink, &node("{key: a, operator: In}"), "r", false).is_none());
        assert!(
            requirement(
                &mut sink,
                &node("{key: a, operator: Exists, values: [x]}"),
                "r",
                false
            )
            .is_none()
        );
        assert!(
            requirement(
                &mut sink,
                &node("{key: a, operator: Gt, values: [\"1\"]}"),
                "r",
                true
            )
            .is_none()
        );
        assert_eq!(sink.error_count(), 3);
        assert!(sink.diags[2].message.contains("not supported by the lab"));
    }

    #[test]
    fn tolerations_follow_kubernetes_validation() {
        let mut sink = Sink::default();
        let t = toleration(
            &mut sink,
            &node("{key: k, value: v, effect: NoExecute}"),
            "t",
        )
        .unwrap();
        assert_eq!(
            (t.operator, t.effect),
            (TolerationOperator::Equal, Some(TaintEffect::NoExecute))
        );
        assert!(toleration(&mut sink, &node("{value: v}"), "t").is_none());
        assert!(toleration(&mut sink, &node("{key: k, effect: NO_SCHEDULE}"), "t").is_none());
        assert_eq!(sink.error_count(), 2);
    }
}
