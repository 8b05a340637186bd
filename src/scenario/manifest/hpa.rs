//! `autoscaling/v2` HorizontalPodAutoscaler manifests, with the API server's defaults
//! (`minReplicas: 1`, CPU at 80% when no metric is given) and its validation rules. The lab
//! models `Resource` metrics (cpu and memory from metrics-server) scaling a Deployment;
//! other metric types and targets are positioned errors that say so.

use crate::scenario::decode::{Fields, Obj, Sink, obj, scalar_text};
use crate::scenario::yaml::Node;
use crate::sim::api::autoscaling::{
    DEFAULT_CPU_UTILIZATION, HpaBehavior, HpaPolicy, MetricSpec, MetricTarget, PolicyType,
    ResourceName, ScalingRules, SelectPolicy,
};
use crate::sim::api::{HorizontalPodAutoscaler, Kind, ObjectMeta, bounds};
use crate::sim::quantity::MilliCpu;

/// The fields of an HPA `spec`.
pub(super) const SPEC: Fields = Fields::known(&[
    "scaleTargetRef",
    "minReplicas",
    "maxReplicas",
    "metrics",
    "behavior",
]);

const TARGET_REF: Fields = Fields::known(&["apiVersion", "kind", "name"]);
const METRIC: Fields = Fields::known(&[
    "type",
    "resource",
    "pods",
    "object",
    "external",
    "containerResource",
]);
const RESOURCE: Fields = Fields::known(&["name", "target"]);
const TARGET: Fields = Fields::known(&["type", "averageUtilization", "averageValue", "value"]);
const BEHAVIOR: Fields = Fields::known(&["scaleUp", "scaleDown"]);
const RULES: Fields = Fields::known(&[
    "stabilizationWindowSeconds",
    "selectPolicy",
    "policies",
    "tolerance",
]);
const POLICY: Fields = Fields::known(&["type", "value", "periodSeconds"]);

/// Upstream's `MaxStabilizationWindowSeconds` and `MaxPeriodSeconds` (eks-facts §6.1).
const MAX_STABILIZATION_WINDOW_SECS: i32 = 3600;
const MAX_PERIOD_SECS: i32 = 1800;

/// The Go type of an HPA's `spec` (k8s.io/api autoscaling/v2), for JSON type errors.
const GO_SPEC: &str = "HorizontalPodAutoscalerSpec";

/// The metric source types of `autoscaling/v2`, and the ones the lab models.
const METRIC_TYPES: [&str; 5] = [
    "ContainerResource",
    "External",
    "Object",
    "Pods",
    "Resource",
];
const SOURCE_FIELDS: [(&str, &str); 5] = [
    ("Resource", "resource"),
    ("Pods", "pods"),
    ("Object", "object"),
    ("External", "external"),
    ("ContainerResource", "containerResource"),
];

/// Kubernetes' `field.NotSupported` text.
fn unsupported(value: &str, supported: &[&str]) -> String {
    let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
    format!(
        "Unsupported value: {value:?}: supported values: {}",
        list.join(", ")
    )
}

/// A required field: its value, or "required field is missing" at the mapping.
fn required<'a, T>(
    sink: &mut Sink,
    o: &Obj<'a>,
    key: &str,
    read: impl FnOnce(&mut Sink, &Obj<'a>) -> Option<T>,
) -> Option<T> {
    if o.has(key) {
        read(sink, o)
    } else {
        sink.error(o.mark, &o.at(key), "required field is missing");
        None
    }
}

/// Decodes an HPA `spec`.
pub(super) fn decode(
    sink: &mut Sink,
    spec: &Obj<'_>,
    meta: ObjectMeta,
) -> Option<HorizontalPodAutoscaler> {
    let before = sink.error_count();
    let target_name = scale_target_ref(sink, spec);
    let min = spec.i32(sink, "minReplicas", GO_SPEC);
    let max_replicas = required(sink, spec, "maxReplicas", |s, o| {
        o.i32(s, "maxReplicas", GO_SPEC)
    });
    if let Some(max) = max_replicas {
        // validateHorizontalPodAutoscalerSpec, then the lab's limit on maxReplicas.
        for (field, e) in bounds::hpa_replicas(min, max) {
            sink.error(spec.value_mark(field), &spec.at(field), e);
        }
    } else if let Some((field, e)) = bounds::hpa_replicas(min, 1)
        .into_iter()
        .find(|(f, _)| *f == "minReplicas")
    {
        sink.error(spec.value_mark(field), &spec.at(field), e);
    }
    // The API server defaults an unset minReplicas to 1.
    let min_replicas = min.unwrap_or(1);
    let mut metrics = Vec::new();
    for (p, n) in spec.seq(sink, "metrics") {
        if let Some(m) = metric(sink, n, &p) {
            metrics.push(m);
        }
    }
    if metrics.is_empty() && sink.error_count() == before {
        metrics.push(MetricSpec {
            resource: ResourceName::Cpu,
            target: MetricTarget::Utilization(DEFAULT_CPU_UTILIZATION),
        });
    }
    let behavior = spec.obj(sink, "behavior", &BEHAVIOR).map(|b| HpaBehavior {
        scale_up: rules(sink, &b, "scaleUp"),
        scale_down: rules(sink, &b, "scaleDown"),
    });
    if sink.error_count() > before {
        return None;
    }
    Some(HorizontalPodAutoscaler {
        meta,
        spec: crate::sim::api::HorizontalPodAutoscalerSpec {
            target_kind: Kind::Deployment,
            target_name: target_name?,
            min_replicas,
            max_replicas: max_replicas?,
            metrics,
            behavior,
        },
        status: crate::sim::api::HorizontalPodAutoscalerStatus::default(),
    })
}

/// `scaleTargetRef`: a Deployment (`apps/v1`) by name.
fn scale_target_ref(sink: &mut Sink, spec: &Obj<'_>) -> Option<String> {
    let r = required(sink, spec, "scaleTargetRef", |s, o| {
        o.obj(s, "scaleTargetRef", &TARGET_REF)
    })?;
    let kind = r.req_str(sink, "kind");
    let name = r.req_str(sink, "name");
    if let Some(kind) = &kind
        && kind != "Deployment"
    {
        let what =
            if ["StatefulSet", "ReplicaSet", "ReplicationController"].contains(&kind.as_str()) {
                format!("the lab autoscales Deployments only; it does not model {kind}s")
            } else {
                format!("the lab autoscales Deployments only, not {kind:?}")
            };
        sink.error(r.value_mark("kind"), &r.at("kind"), what);
    }
    if let Some(v) = r.str(sink, "apiVersion")
        && v != "apps/v1"
    {
        sink.error(
            r.value_mark("apiVersion"),
            &r.at("apiVersion"),
            format!("a Deployment is apps/v1, not {v:?}"),
        );
    }
    kind?;
    name
}

/// One `metrics[]` entry.
fn metric(sink: &mut Sink, node: &Node, path: &str) -> Option<MetricSpec> {
    let o = obj(sink, node, path, &METRIC)?;
    let type_ = required(sink, &o, "type", |s, o| o.str(s, "type"))?;
    let (mark, type_path) = (o.value_mark("type"), o.at("type"));
    if !METRIC_TYPES.contains(&type_.as_str()) {
        sink.error(mark, &type_path, unsupported(&type_, &METRIC_TYPES));
        return None;
    }
    if type_ != "Resource" {
        sink.error(
            mark,
            &type_path,
            format!(
                "metric type {type_} is not modelled: the lab models Resource metrics only (cpu and memory from metrics-server)"
            ),
        );
        return None;
    }
    for (t, field) in SOURCE_FIELDS {
        if t != type_ && o.has(field) {
            sink.error(
                o.key_mark(field),
                &o.at(field),
                format!("must populate the given metric source only (type is {type_})"),
            );
        }
    }
    let r = required(sink, &o, "resource", |s, o| o.obj(s, "resource", &RESOURCE))?;
    let name = required(sink, &r, "name", |s, o| o.str(s, "name"))?;
    let resource = match name.as_str() {
        "cpu" => ResourceName::Cpu,
        "memory" => ResourceName::Memory,
        other => {
            sink.error(
                r.value_mark("name"),
                &r.at("name"),
                format!("the lab models cpu and memory metrics only, not {other:?}"),
            );
            return None;
        }
    };
    let t = required(sink, &r, "target", |s, o| o.obj(s, "target", &TARGET))?;
    let kind = required(sink, &t, "type", |s, o| o.str(s, "type"))?;
    if !["Utilization", "Value", "AverageValue"].contains(&kind.as_str()) {
        sink.error(
            t.value_mark("type"),
            &t.at("type"),
            "must be either Utilization, Value, or AverageValue",
        );
    }
    let utilization = t.i32(sink, "averageUtilization", "MetricTarget");
    if let Some(Err(e)) = utilization.map(bounds::utilization) {
        sink.error(
            t.value_mark("averageUtilization"),
            &t.at("averageUtilization"),
            e,
        );
    }
    let average = t.get("averageValue").and_then(|n| {
        let path = t.at("averageValue");
        let v = match resource {
            ResourceName::Cpu => crate::scenario::decode::cpu(sink, n, &path).map(|c| c.0),
            ResourceName::Memory => crate::scenario::decode::memory(sink, n, &path).map(|b| b.0),
        }?;
        if v == 0 {
            sink.error(n.mark(), &path, "must be positive");
            return None;
        }
        Some(v)
    });
    let target = match (utilization, average) {
        (Some(_), Some(_)) => {
            sink.error(
                t.key_mark("averageValue"),
                &t.at("averageValue"),
                "may not set both a target raw value and a target utilization",
            );
            return None;
        }
        (Some(u), None) => MetricTarget::Utilization(u),
        (None, Some(v)) => MetricTarget::AverageValue(v),
        (None, None) => {
            sink.error(
                t.mark,
                &t.at("averageUtilization"),
                "must set either a target raw value or a target utilization",
            );
            return None;
        }
    };
    let matches = matches!(
        (&target, kind.as_str()),
        (MetricTarget::Utilization(_), "Utilization")
            | (MetricTarget::AverageValue(_), "AverageValue")
    );
    if !matches {
        sink.warn(
            t.value_mark("type"),
            &t.at("type"),
            format!(
                "type {kind} does not match the target given; the controller uses {}",
                match target {
                    MetricTarget::Utilization(_) => "averageUtilization",
                    MetricTarget::AverageValue(_) => "averageValue",
                }
            ),
        );
    }
    Some(MetricSpec { resource, target })
}

/// `behavior.scaleUp` / `behavior.scaleDown`.
fn rules(sink: &mut Sink, b: &Obj<'_>, key: &str) -> ScalingRules {
    let Some(o) = b.obj(sink, key, &RULES) else {
        return ScalingRules::default();
    };
    // validateScalingRules.
    let window = o.i32(sink, "stabilizationWindowSeconds", "HPAScalingRules");
    let bad_window = match window {
        Some(w) if w < 0 => Some(bounds::invalid(w, "must be greater than or equal to zero")),
        Some(w) if w > MAX_STABILIZATION_WINDOW_SECS => Some(bounds::invalid(
            w,
            format_args!("must be less than or equal to {MAX_STABILIZATION_WINDOW_SECS}"),
        )),
        _ => None,
    };
    if let Some(e) = bad_window {
        sink.error(
            o.value_mark("stabilizationWindowSeconds"),
            &o.at("stabilizationWindowSeconds"),
            e,
        );
    }
    let select_policy = o.str(sink, "selectPolicy").and_then(|s| match s.as_str() {
        "Max" => Some(SelectPolicy::Max),
        "Min" => Some(SelectPolicy::Min),
        "Disabled" => Some(SelectPolicy::Disabled),
        other => {
            sink.error(
                o.value_mark("selectPolicy"),
                &o.at("selectPolicy"),
                unsupported(other, &["Disabled", "Max", "Min"]),
            );
            None
        }
    });
    let items = o.seq(sink, "policies");
    if o.has("policies") && items.is_empty() {
        sink.error(
            o.value_mark("policies"),
            &o.at("policies"),
            "must specify at least one Policy",
        );
    }
    let policies = items
        .into_iter()
        .filter_map(|(p, n)| policy(sink, n, &p))
        .collect();
    let tolerance_permille = o.get("tolerance").and_then(|n| {
        let text = scalar_text(sink, n, &o.at("tolerance"))?;
        MilliCpu::parse(&text)
            .map(|m| m.0)
            .map_err(|e| sink.error(n.mark(), &o.at("tolerance"), e))
            .ok()
    });
    ScalingRules {
        stabilization_window_secs: window,
        select_policy,
        policies,
        tolerance_permille,
    }
}

/// One `policies[]` entry.
fn policy(sink: &mut Sink, node: &Node, path: &str) -> Option<HpaPolicy> {
    let o = obj(sink, node, path, &POLICY)?;
    let type_ =
        required(sink, &o, "type", |s, o| o.str(s, "type")).and_then(|t| match t.as_str() {
            "Pods" => Some(PolicyType::Pods),
            "Percent" => Some(PolicyType::Percent),
            other => {
                sink.error(
                    o.value_mark("type"),
                    &o.at("type"),
                    unsupported(other, &["Percent", "Pods"]),
                );
                None
            }
        });
    // validateScalingPolicy.
    let value = required(sink, &o, "value", |s, o| {
        o.i32(s, "value", "HPAScalingPolicy")
    });
    if let Some(v) = value.filter(|v| *v <= 0) {
        sink.error(
            o.value_mark("value"),
            &o.at("value"),
            bounds::invalid(v, "must be greater than zero"),
        );
    }
    let period = required(sink, &o, "periodSeconds", |s, o| {
        o.i32(s, "periodSeconds", "HPAScalingPolicy")
    });
    let (mark, p) = (o.value_mark("periodSeconds"), o.at("periodSeconds"));
    match period {
        Some(n) if n <= 0 => sink.error(mark, &p, bounds::invalid(n, "must be greater than zero")),
        Some(n) if n > MAX_PERIOD_SECS => {
            sink.error(
                mark,
                &p,
                bounds::invalid(
                    n,
                    format_args!("must be less than or equal to {MAX_PERIOD_SECS}"),
                ),
            );
        }
        _ => {}
    }
    Some(HpaPolicy {
        type_: type_?,
        value: value?,
        period_secs: period?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sim::spec::Manifest;

    fn load(text: &str) -> (Option<Manifest>, Sink) {
        let (root, mut sink) = crate::scenario::decode::first_document(text);
        (
            super::super::decode(&mut sink, &root, "", "HorizontalPodAutoscaler"),
            sink,
        )
    }

    const HEAD: &str =
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n";

    #[test]
    fn defaults_follow_the_api_server() {
        let (m, sink) = load(&format!(
            "{HEAD}  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n  maxReplicas: 5\n"
        ));
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        let Some(Manifest::HorizontalPodAutoscaler(h)) = m else {
            panic!()
        };
        assert_eq!((h.spec.min_replicas, h.spec.max_replicas), (1, 5));
        assert_eq!(
            h.spec.metrics,
            [MetricSpec {
                resource: ResourceName::Cpu,
                target: MetricTarget::Utilization(80)
            }]
        );
        assert_eq!(h.spec.behavior, None);
    }

    #[test]
    fn behaviors_and_average_values_decode() {
        let (m, sink) = load(&format!(
            "{HEAD}  scaleTargetRef: {{kind: Deployment, name: web}}\n  maxReplicas: 5\n  metrics:\n    - type: Resource\n      resource: {{name: memory, target: {{type: AverageValue, averageValue: 200Mi}}}}\n  behavior:\n    scaleDown:\n      selectPolicy: Min\n      tolerance: \"0.05\"\n      policies: [{{type: Pods, value: 1, periodSeconds: 60}}]\n    scaleUp: {{}}\n"
        ));
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        let Some(Manifest::HorizontalPodAutoscaler(h)) = m else {
            panic!()
        };
        assert_eq!(
            h.spec.metrics[0].target,
            MetricTarget::AverageValue(200 * 1024 * 1024)
        );
        let b = h.spec.behavior.unwrap();
        assert_eq!(b.scale_up, ScalingRules::default());
        assert_eq!(b.scale_down.select_policy, Some(SelectPolicy::Min));
        assert_eq!(b.scale_down.tolerance_permille, Some(50));
        assert_eq!(b.scale_down.policies[0].period_secs, 60);
    }

    #[test]
    fn validation_errors_are_positioned() {
        for (body, path, message) in [
            (
                "  scaleTargetRef: {kind: Deployment, name: web}\n  minReplicas: 3\n  maxReplicas: 2\n",
                "spec.maxReplicas",
                "Invalid value: 2: must be greater than or equal to `minReplicas`",
            ),
            (
                "  scaleTargetRef: {kind: StatefulSet, name: db}\n  maxReplicas: 2\n",
                "spec.scaleTargetRef.kind",
                "the lab autoscales Deployments only; it does not model StatefulSets",
            ),
            (
                "  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 2\n  behavior: {scaleUp: {policies: [{type: Pods, value: 4, periodSeconds: 3600}]}}\n",
                "spec.behavior.scaleUp.policies[0].periodSeconds",
                "Invalid value: 3600: must be less than or equal to 1800",
            ),
            (
                "  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 2\n  behavior: {scaleDown: {selectPolicy: Fastest}}\n",
                "spec.behavior.scaleDown.selectPolicy",
                "Unsupported value: \"Fastest\": supported values: \"Disabled\", \"Max\", \"Min\"",
            ),
            (
                "  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 2\n  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization}}}]\n",
                "spec.metrics[0].resource.target.averageUtilization",
                "must set either a target raw value or a target utilization",
            ),
        ] {
            let (m, sink) = load(&format!("{HEAD}{body}"));
            assert!(m.is_none(), "{body}");
            assert_eq!(
                (sink.diags[0].path.as_str(), sink.diags[0].message.as_str()),
                (path, message),
                "{body}"
            );
        }
    }
}
