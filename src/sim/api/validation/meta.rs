//! Object metadata and label selectors: ports of `ValidateObjectMetaAccessor` and
//! `ValidateAnnotations` (apimachinery `pkg/api/validation/objectmeta.go`), and
//! `ValidateLabels`, `ValidateLabelName`, `ValidateLabelSelector` (apimachinery
//! `pkg/apis/meta/v1/validation/validation.go`), release-1.35.

use std::collections::BTreeMap;

use super::field::{FieldError, Origin, json_map, json_string};
use super::{NameRule, is_qualified_name, is_valid_label_value, validate_namespace_name};
use crate::sim::api::ObjectMeta;
use crate::sim::api::meta::{LabelSelector, SelectorOperator, SelectorRequirement};

/// `TotalAnnotationSizeLimitB`: keys and values of all annotations together.
pub const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES: usize = 256 * (1 << 10);

/// `a.b` (or `b` at the top), as `field.Path.Child` prints.
pub fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// `a[3]`, as `field.Path.Index` prints.
pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// `ValidateLabelName`: a label key (also a selector requirement's key, a node selector's
/// key, a toleration's key).
pub fn validate_label_name(key: &str, path: &str) -> Vec<FieldError> {
    is_qualified_name(key)
        .iter()
        .map(|m| FieldError::invalid(path, key, m).with_origin(Origin::LabelKey))
        .collect()
}

/// The value half of `ValidateLabels`.
pub fn validate_label_value(value: &str, path: &str) -> Vec<FieldError> {
    is_valid_label_value(value)
        .iter()
        .map(|m| FieldError::invalid(path, value, m).with_origin(Origin::LabelValue))
        .collect()
}

/// `ValidateLabels`: every key and value, each error on the map's path.
pub fn validate_labels(labels: &BTreeMap<String, String>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in labels {
        errs.extend(validate_label_name(k, path));
        errs.extend(validate_label_value(v, path));
    }
    errs
}

/// `ValidateAnnotations`: keys are qualified names (case does not matter), and all of them
/// together at most 256 KiB.
pub fn validate_annotations(annotations: &BTreeMap<String, String>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for k in annotations.keys() {
        for m in is_qualified_name(&k.to_ascii_lowercase()) {
            errs.push(FieldError::invalid(path, k, &m).with_origin(Origin::LabelKey));
        }
    }
    let total: usize = annotations.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES {
        errs.push(FieldError::too_long(
            path,
            TOTAL_ANNOTATION_SIZE_LIMIT_BYTES,
        ));
    }
    errs
}

const fn operator_text(op: SelectorOperator) -> &'static str {
    match op {
        SelectorOperator::In => "In",
        SelectorOperator::NotIn => "NotIn",
        SelectorOperator::Exists => "Exists",
        SelectorOperator::DoesNotExist => "DoesNotExist",
    }
}

fn values_needed(op: SelectorOperator) -> bool {
    matches!(op, SelectorOperator::In | SelectorOperator::NotIn)
}

/// `ValidateLabelSelectorRequirement`.
pub fn validate_requirement(r: &SelectorRequirement, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if values_needed(r.operator) && r.values.is_empty() {
        errs.push(FieldError::required(
            &child(path, "values"),
            "must be specified when `operator` is 'In' or 'NotIn'",
        ));
    }
    if !values_needed(r.operator) && !r.values.is_empty() {
        errs.push(FieldError::forbidden(
            &child(path, "values"),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ));
    }
    errs.extend(validate_label_name(&r.key, &child(path, "key")));
    for (i, v) in r.values.iter().enumerate() {
        errs.extend(validate_label_value(v, &index(&child(path, "values"), i)));
    }
    errs
}

/// `ValidateLabelSelector`: `matchLabels` and each `matchExpressions` entry.
pub fn validate_label_selector(sel: &LabelSelector, path: &str) -> Vec<FieldError> {
    let mut errs = validate_labels(&sel.match_labels, &child(path, "matchLabels"));
    for (i, r) in sel.match_expressions.iter().enumerate() {
        errs.extend(validate_requirement(
            r,
            &index(&child(path, "matchExpressions"), i),
        ));
    }
    errs
}

/// Whether `metav1.LabelSelectorAsSelector` accepts the selector: every key, value and
/// operator as `labels.NewRequirement` wants them. Workloads whose selector fails get
/// `invalid label selector` and their template is not checked against it.
pub fn selector_converts(sel: &LabelSelector) -> bool {
    let key_ok = |k: &str| is_qualified_name(k).is_empty();
    let value_ok = |v: &str| is_valid_label_value(v).is_empty();
    sel.match_labels
        .iter()
        .all(|(k, v)| key_ok(k) && value_ok(v))
        && sel.match_expressions.iter().all(|r| {
            key_ok(&r.key)
                && r.values.iter().all(|v| value_ok(v))
                && values_needed(r.operator) != r.values.is_empty()
        })
}

/// A `metav1.LabelSelector` as `json.Marshal` writes it (empty parts omitted).
pub fn selector_json(sel: &LabelSelector) -> String {
    let mut parts = Vec::new();
    if !sel.match_labels.is_empty() {
        parts.push(format!("\"matchLabels\":{}", json_map(&sel.match_labels)));
    }
    if !sel.match_expressions.is_empty() {
        let exprs: Vec<String> = sel
            .match_expressions
            .iter()
            .map(|r| {
                let key = json_string(&r.key);
                let op = json_string(operator_text(r.operator));
                if r.values.is_empty() {
                    format!("{{\"key\":{key},\"operator\":{op}}}")
                } else {
                    let values: Vec<String> = r.values.iter().map(|v| json_string(v)).collect();
                    format!(
                        "{{\"key\":{key},\"operator\":{op},\"values\":[{}]}}",
                        values.join(",")
                    )
                }
            })
            .collect();
        parts.push(format!("\"matchExpressions\":[{}]", exprs.join(",")));
    }
    format!("{{{}}}", parts.join(","))
}

/// Whether an object of a kind lives in a namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Namespaced,
    Cluster,
}

/// `ValidateObjectMetaAccessor` for what the lab's metadata holds: the name by the kind's
/// rule, the namespace (required for namespaced kinds, forbidden for the others), labels
/// and annotations.
pub fn validate_object_meta(
    meta: &ObjectMeta,
    scope: Scope,
    rule: NameRule,
    path: &str,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name_path = child(path, "name");
    if meta.name.is_empty() {
        errs.push(FieldError::required(
            &name_path,
            "name or generateName is required",
        ));
    } else {
        for m in rule.check(&meta.name) {
            errs.push(FieldError::invalid(&name_path, &meta.name, &m));
        }
    }
    let ns_path = child(path, "namespace");
    match scope {
        Scope::Namespaced if meta.namespace.is_empty() => {
            errs.push(FieldError::required(&ns_path, ""));
        }
        Scope::Namespaced => {
            for m in validate_namespace_name(&meta.namespace) {
                errs.push(FieldError::invalid(&ns_path, &meta.namespace, &m));
            }
        }
        Scope::Cluster if !meta.namespace.is_empty() => {
            errs.push(FieldError::forbidden(&ns_path, "not allowed on this type"));
        }
        Scope::Cluster => {}
    }
    errs.extend(validate_labels(&meta.labels, &child(path, "labels")));
    errs.extend(validate_annotations(
        &meta.annotations,
        &child(path, "annotations"),
    ));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn texts(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn object_meta_checks_name_namespace_labels_and_annotations() {
        let mut m = ObjectMeta::named("Bad_NS", "web");
        m.labels = map(&[("-bad", "ok"), ("good", "no spaces")]);
        m.annotations = map(&[("Example.com/Owner", "me"), ("a/b/c", "x")]);
        let errs = validate_object_meta(&m, Scope::Namespaced, NameRule::DnsSubdomain, "metadata");
        let got = texts(&errs);
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got[0].starts_with(
            "metadata.namespace: Invalid value: \"Bad_NS\": a lowercase RFC 1123 label"
        ));
        assert!(
            got[1].starts_with("metadata.labels: Invalid value: \"-bad\": name part must consist")
        );
        assert!(got[2].starts_with(
            "metadata.labels: Invalid value: \"no spaces\": a valid label must be an empty string"
        ));
        // Annotation keys are checked lower-cased, so only the one with two slashes fails.
        assert!(got[3].starts_with(
            "metadata.annotations: Invalid value: \"a/b/c\": a valid label key must consist"
        ));
        assert_eq!(errs[1].origin, Some(Origin::LabelKey));
        assert_eq!(errs[2].origin, Some(Origin::LabelValue));
    }

    #[test]
    fn names_are_required_and_namespaces_belong_to_namespaced_kinds() {
        let errs = validate_object_meta(
            &ObjectMeta::named("default", ""),
            Scope::Namespaced,
            NameRule::DnsSubdomain,
            "metadata",
        );
        assert_eq!(
            texts(&errs),
            ["metadata.name: Required value: name or generateName is required"]
        );
        let errs = validate_object_meta(
            &ObjectMeta::named("", "web"),
            Scope::Namespaced,
            NameRule::DnsSubdomain,
            "metadata",
        );
        assert_eq!(texts(&errs), ["metadata.namespace: Required value"]);
        let errs = validate_object_meta(
            &ObjectMeta::named("x", "batch"),
            Scope::Cluster,
            NameRule::DnsLabel,
            "metadata",
        );
        assert_eq!(
            texts(&errs),
            ["metadata.namespace: Forbidden: not allowed on this type"]
        );
    }

    #[test]
    fn annotations_are_bounded_in_total() {
        let big = "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT_BYTES - 1);
        assert!(validate_annotations(&map(&[("a", &big)]), "metadata.annotations").is_empty());
        assert_eq!(
            texts(&validate_annotations(
                &map(&[("ab", &big)]),
                "metadata.annotations"
            )),
            ["metadata.annotations: Too long: may not be more than 262144 bytes"]
        );
    }

    #[test]
    fn selectors_check_keys_values_and_operators() {
        let sel = LabelSelector {
            match_labels: map(&[("app", "web")]),
            match_expressions: vec![
                SelectorRequirement {
                    key: "tier".into(),
                    operator: SelectorOperator::In,
                    values: vec![],
                },
                SelectorRequirement {
                    key: "zone".into(),
                    operator: SelectorOperator::Exists,
                    values: vec!["a".into()],
                },
                SelectorRequirement {
                    key: "env".into(),
                    operator: SelectorOperator::NotIn,
                    values: vec!["ok".into(), "not ok".into()],
                },
            ],
        };
        let got = texts(&validate_label_selector(&sel, "spec.selector"));
        assert_eq!(
            got[0],
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"
        );
        assert_eq!(
            got[1],
            "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
        );
        assert!(got[2].starts_with(
            "spec.selector.matchExpressions[2].values[1]: Invalid value: \"not ok\": a valid label"
        ));
        assert_eq!(got.len(), 3);
        assert!(!selector_converts(&sel));
        assert_eq!(
            selector_json(&sel),
            r#"{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In"},{"key":"zone","operator":"Exists","values":["a"]},{"key":"env","operator":"NotIn","values":["ok","not ok"]}]}"#
        );
        assert_eq!(selector_json(&LabelSelector::default()), "{}");
        assert!(selector_converts(&LabelSelector::from_labels(map(&[(
            "app", "Bad_Name"
        )]))));
    }
}
