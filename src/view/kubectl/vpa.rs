//! `kubectl get vpa`, `kubectl describe vpa` and `kubectl get vpa -o yaml` for the lab's
//! VerticalPodAutoscalers. The VPA is a custom resource, so kubectl prints it the generic
//! way: the table from the CRD's `additionalPrinterColumns` (MODE, CPU and MEM of the first
//! container's target, PROVIDED from the `RecommendationProvided` condition, AGE; an absent
//! value is an empty cell), and `describe` as `printUnstructuredContent` walks the object:
//! fields sorted by name, labelled by `smartLabelFor` (`lowerBound` → `Lower Bound`,
//! `apiVersion` → `API Version`), lists of objects one after the other.

use std::collections::BTreeMap;

use crate::sim::Simulation;
use crate::sim::api::vpa::{
    ContainerResourcePolicy, ContainerScalingMode, ControlledValues, DEFAULT_CONTROLLED_RESOURCES,
    RecommendedContainerResources, VerticalPodAutoscaler,
};
use crate::sim::api::{Kind, ObjectKey, ObjectRef};
use crate::sim::quantity::Resources;

use super::describe::{W, annotations_multiline, events, labels_multiline};
use super::doc::{Obj, Val};
use super::facts::object_uid;
use super::{ObjectId, Table, age, cal};

/// The API group and version of the VPA custom resource.
pub const API_VERSION: &str = "autoscaling.k8s.io/v1";

/// `kubectl get vpa` (`namespace: None` is `-A`, which adds NAMESPACE).
pub fn vpa_table(sim: &Simulation, namespace: Option<&str>) -> Table {
    let mut cols = Vec::new();
    if namespace.is_none() {
        cols.push("NAMESPACE");
    }
    cols.extend(["NAME", "MODE", "CPU", "MEM", "PROVIDED", "AGE"]);
    let empty = match namespace {
        Some(ns) => format!("No resources found in {ns} namespace."),
        None => "No resources found".to_string(),
    };
    let mut t = Table::new(&cols, empty);
    for (key, v) in &sim.state().vpas {
        if namespace.is_some_and(|ns| key.namespace != ns) {
            continue;
        }
        let first = v.status.recommendations.first();
        let mut row = Vec::new();
        if namespace.is_none() {
            row.push(key.namespace.clone());
        }
        row.extend([
            v.meta.name.clone(),
            v.spec.update_mode.as_str().to_string(),
            first
                .filter(|r| r.target.cpu.0 > 0)
                .map(|r| r.target.cpu.to_string())
                .unwrap_or_default(),
            first
                .filter(|r| r.target.memory.0 > 0)
                .map(|r| r.target.memory.to_string())
                .unwrap_or_default(),
            v.status
                .condition("RecommendationProvided")
                .map(|c| if c.status { "True" } else { "False" }.to_string())
                .unwrap_or_default(),
            age(sim, v.meta.creation_timestamp),
        ]);
        t.push(Some(ObjectId::Vpa(key.clone())), row);
    }
    t
}

pub fn get_vpa(sim: &Simulation, namespace: Option<&str>) -> String {
    vpa_table(sim, namespace).render()
}

/// A value of the generic describer's tree.
enum U {
    Scalar(String),
    Map(BTreeMap<&'static str, U>),
    List(Vec<U>),
}

fn scalar(s: impl Into<String>) -> U {
    U::Scalar(s.into())
}

/// `smartLabelFor`: camel case split into title-cased words, common acronyms upper-cased.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    let mut words: Vec<String> = Vec::new();
    for c in field.chars() {
        if c.is_uppercase() || words.is_empty() {
            words.push(String::new());
        }
        if let Some(w) = words.last_mut() {
            w.push(c);
        }
    }
    words
        .into_iter()
        .map(|w| {
            let upper = w.to_uppercase();
            if ["API", "URL", "UID", "OSB", "GUID"].contains(&upper.as_str()) {
                upper
            } else {
                let mut cs = w.chars();
                cs.next().map_or(String::new(), |f| {
                    f.to_uppercase().collect::<String>() + cs.as_str()
                })
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `printUnstructuredContent`.
fn print_content(w: &mut W, level: usize, content: &BTreeMap<&'static str, U>) {
    for (field, value) in content {
        let label = smart_label(field);
        match value {
            U::Map(m) => {
                w.w(level, &format!("{label}:\n"));
                print_content(w, level + 1, m);
            }
            U::List(items) => {
                w.w(level, &format!("{label}:\n"));
                for item in items {
                    match item {
                        U::Map(m) => print_content(w, level + 1, m),
                        U::Scalar(s) => w.w(level + 1, &format!("{s}\n")),
                        U::List(_) => {}
                    }
                }
            }
            U::Scalar(s) => w.w(level, &format!("{label}:\t{s}\n")),
        }
    }
}

fn resources(r: Resources) -> U {
    let mut m = BTreeMap::new();
    if r.cpu.0 > 0 {
        m.insert("cpu", scalar(r.cpu.to_string()));
    }
    if r.memory.0 > 0 {
        m.insert("memory", scalar(r.memory.to_string()));
    }
    U::Map(m)
}

fn policy_content(p: &ContainerResourcePolicy) -> U {
    let mut m = BTreeMap::new();
    m.insert("containerName", scalar(&p.container_name));
    if p.mode == ContainerScalingMode::Off {
        m.insert("mode", scalar(p.mode.as_str()));
    }
    if let Some(min) = p.min_allowed {
        m.insert("minAllowed", resources(min));
    }
    if let Some(max) = p.max_allowed {
        m.insert("maxAllowed", resources(max));
    }
    if p.controlled_resources != DEFAULT_CONTROLLED_RESOURCES {
        m.insert(
            "controlledResources",
            U::List(
                p.controlled_resources
                    .iter()
                    .map(|r| scalar(r.as_str()))
                    .collect(),
            ),
        );
    }
    if p.controlled_values != ControlledValues::RequestsAndLimits {
        m.insert("controlledValues", scalar(p.controlled_values.as_str()));
    }
    U::Map(m)
}

fn recommendation_content(r: &RecommendedContainerResources) -> U {
    let mut m = BTreeMap::new();
    m.insert("containerName", scalar(&r.container_name));
    m.insert("target", resources(r.target));
    m.insert("lowerBound", resources(r.lower_bound));
    m.insert("upperBound", resources(r.upper_bound));
    m.insert("uncappedTarget", resources(r.uncapped_target));
    U::Map(m)
}

/// The object as the API server would return it, minus what `describe` skips.
fn content(sim: &Simulation, v: &VerticalPodAutoscaler) -> BTreeMap<&'static str, U> {
    let mut meta = BTreeMap::new();
    meta.insert(
        "creationTimestamp",
        scalar(cal(sim, v.meta.creation_timestamp).rfc3339()),
    );
    meta.insert("generation", scalar(v.meta.generation.max(1).to_string()));
    meta.insert(
        "uid",
        scalar(object_uid(
            Kind::VerticalPodAutoscaler,
            &v.meta.namespace,
            &v.meta.name,
            v.meta.uid,
        )),
    );
    let mut target = BTreeMap::new();
    target.insert("apiVersion", scalar("apps/v1"));
    target.insert("kind", scalar(v.spec.target_kind.as_str()));
    target.insert("name", scalar(&v.spec.target_name));
    let mut update = BTreeMap::new();
    update.insert("updateMode", scalar(v.spec.update_mode.as_str()));
    if let Some(n) = v.spec.min_replicas {
        update.insert("minReplicas", scalar(n.to_string()));
    }
    let mut spec = BTreeMap::new();
    spec.insert("targetRef", U::Map(target));
    spec.insert("updatePolicy", U::Map(update));
    if !v.spec.resource_policies.is_empty() {
        let mut rp = BTreeMap::new();
        rp.insert(
            "containerPolicies",
            U::List(
                v.spec
                    .resource_policies
                    .iter()
                    .map(policy_content)
                    .collect(),
            ),
        );
        spec.insert("resourcePolicy", U::Map(rp));
    }
    let mut out = BTreeMap::new();
    out.insert("apiVersion", scalar(API_VERSION));
    out.insert("kind", scalar("VerticalPodAutoscaler"));
    out.insert("metadata", U::Map(meta));
    out.insert("spec", U::Map(spec));
    let mut status = BTreeMap::new();
    if !v.status.conditions.is_empty() {
        let conditions = v
            .status
            .conditions
            .iter()
            .map(|c| {
                let mut m = BTreeMap::new();
                m.insert(
                    "lastTransitionTime",
                    scalar(cal(sim, c.last_transition_time).rfc3339()),
                );
                if !c.message.is_empty() {
                    m.insert("message", scalar(&c.message));
                }
                if !c.reason.is_empty() {
                    m.insert("reason", scalar(&c.reason));
                }
                m.insert("status", scalar(if c.status { "True" } else { "False" }));
                m.insert("type", scalar(c.type_));
                U::Map(m)
            })
            .collect();
        status.insert("conditions", U::List(conditions));
    }
    if !v.status.recommendations.is_empty() {
        let mut rec = BTreeMap::new();
        rec.insert(
            "containerRecommendations",
            U::List(
                v.status
                    .recommendations
                    .iter()
                    .map(recommendation_content)
                    .collect(),
            ),
        );
        status.insert("recommendation", U::Map(rec));
    }
    if !status.is_empty() {
        out.insert("status", U::Map(status));
    }
    out
}

/// `kubectl describe vpa NAME`: the generic describer for custom resources.
pub fn describe_vpa(sim: &Simulation, key: &ObjectKey) -> Option<String> {
    let v = sim.state().vpas.get(key)?;
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", v.meta.name));
    w.w(0, &format!("Namespace:\t{}\n", v.meta.namespace));
    labels_multiline(&mut w, "Labels", &v.meta.labels);
    annotations_multiline(&mut w, "Annotations", &v.meta.annotations);
    print_content(&mut w, 0, &content(sim, v));
    events(
        &mut w,
        sim,
        &ObjectRef::new(
            Kind::VerticalPodAutoscaler,
            key.namespace.clone(),
            key.name.clone(),
        ),
    );
    Some(w.finish())
}

fn to_val(u: &U) -> Val {
    match u {
        U::Scalar(s) => Val::str(s.clone()),
        U::Map(m) => Val::Map(
            m.iter()
                .map(|(k, v)| ((*k).to_string(), to_val(v)))
                .collect(),
        ),
        U::List(items) => Val::Seq(items.iter().map(to_val).collect()),
    }
}

/// `kubectl get vpa NAME -o yaml`.
pub(super) fn vpa_doc(sim: &Simulation, v: &VerticalPodAutoscaler) -> Val {
    let mut c = content(sim, v);
    let metadata = Obj::new()
        .put_nonempty("annotations", Val::string_map(&v.meta.annotations))
        .put_nonempty("labels", Val::string_map(&v.meta.labels))
        .put_str("name", v.meta.name.clone())
        .put_str("namespace", v.meta.namespace.clone());
    let Some(U::Map(meta)) = c.remove("metadata") else {
        return Val::Null;
    };
    let mut metadata = metadata;
    for (k, val) in &meta {
        let val = match (*k, val) {
            ("generation", U::Scalar(s)) => Val::Raw(s.clone()),
            _ => to_val(val),
        };
        metadata = metadata.put(k, val);
    }
    let mut doc = Obj::new().put("metadata", metadata.build());
    for (k, val) in &c {
        let val = if *k == "spec" {
            spec_val(val)
        } else {
            to_val(val)
        };
        doc = doc.put(k, val);
    }
    doc.build()
}

/// The spec with `minReplicas` as a number.
fn spec_val(u: &U) -> Val {
    match u {
        U::Map(m) => Val::Map(
            m.iter()
                .map(|(k, v)| {
                    let val = match (*k, v) {
                        ("minReplicas", U::Scalar(s)) => Val::Raw(s.clone()),
                        _ => spec_val(v),
                    };
                    ((*k).to_string(), val)
                })
                .collect(),
        ),
        other => to_val(other),
    }
}

#[cfg(test)]
mod tests {
    use super::smart_label;

    #[test]
    fn labels_read_like_kubectls_smart_labels() {
        let table = [
            ("apiVersion", "API Version"),
            ("lowerBound", "Lower Bound"),
            ("uncappedTarget", "Uncapped Target"),
            ("containerRecommendations", "Container Recommendations"),
            ("uid", "UID"),
            ("cpu", "Cpu"),
            ("lastTransitionTime", "Last Transition Time"),
            ("nvidia.com/gpu", "nvidia.com/gpu"),
        ];
        for (field, label) in table {
            assert_eq!(smart_label(field), label, "{field}");
        }
    }
}
