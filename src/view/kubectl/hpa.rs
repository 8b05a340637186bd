//! `kubectl get hpa`, `kubectl describe hpa` and `kubectl get hpa -o yaml` for the lab's
//! HorizontalPodAutoscalers, in current kubectl's formats (`printHorizontalPodAutoscaler`,
//! `formatHPAMetrics`, `describeHorizontalPodAutoscalerV2`): TARGETS like `cpu: 45%/50%`,
//! `<unknown>` where the HPA could not read a metric, and the behavior as the API server
//! stores it (defaults filled in).

use crate::sim::Simulation;
use crate::sim::api::autoscaling::{
    HorizontalPodAutoscaler, MetricSpec, MetricStatus, MetricTarget, ResourceName, ScalingRules,
    milli_quantity, target_quantity,
};
use crate::sim::api::{Kind, ObjectKey, ObjectRef};
use crate::sim::clock::SimTime;

use super::describe::{W, annotations_multiline, events, labels_multiline};
use super::doc::{Obj, Val};
use super::facts::object_uid;
use super::{ObjectId, Table, age, cal};

/// One metric's `current/target` as `formatHPAMetrics` writes it.
fn metric_cell(spec: &MetricSpec, status: Option<&MetricStatus>) -> String {
    let name = spec.resource.as_str();
    match spec.target {
        MetricTarget::AverageValue(v) => {
            let current = status.map_or("<unknown>".to_string(), |s| {
                milli_quantity(spec.resource, s.current_average_milli)
            });
            format!("{name}: {current}/{}", target_quantity(spec.resource, v))
        }
        MetricTarget::Utilization(u) => {
            let current = status
                .and_then(|s| s.current_utilization)
                .map_or("<unknown>".to_string(), |c| format!("{c}%"));
            format!("{name}: {current}/{u}%")
        }
    }
}

/// The TARGETS column: at most two metrics, then `+ N more...`.
pub fn targets(h: &HorizontalPodAutoscaler) -> String {
    if h.spec.metrics.is_empty() {
        return "<none>".to_string();
    }
    let cells: Vec<String> = h
        .spec
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| metric_cell(m, h.status.current_metrics.get(i).and_then(Option::as_ref)))
        .collect();
    let shown = cells.iter().take(2).cloned().collect::<Vec<_>>().join(", ");
    if cells.len() > 2 {
        format!("{shown} + {} more...", cells.len() - 2)
    } else {
        shown
    }
}

/// `kubectl get hpa` (`-A` adds NAMESPACE).
pub fn hpa_table(sim: &Simulation, namespace: Option<&str>) -> Table {
    let mut cols = Vec::new();
    if namespace.is_none() {
        cols.push("NAMESPACE");
    }
    cols.extend([
        "NAME",
        "REFERENCE",
        "TARGETS",
        "MINPODS",
        "MAXPODS",
        "REPLICAS",
        "AGE",
    ]);
    let empty = match namespace {
        Some(ns) => format!("No resources found in {ns} namespace."),
        None => "No resources found".to_string(),
    };
    let mut t = Table::new(&cols, empty);
    for (key, h) in &sim.state().hpas {
        if namespace.is_some_and(|ns| key.namespace != ns) {
            continue;
        }
        let mut row = Vec::new();
        if namespace.is_none() {
            row.push(key.namespace.clone());
        }
        row.extend([
            h.meta.name.clone(),
            format!("{}/{}", h.spec.target_kind.as_str(), h.spec.target_name),
            targets(h),
            h.spec.min_replicas.to_string(),
            h.spec.max_replicas.to_string(),
            h.status.current_replicas.to_string(),
            age(sim, h.meta.creation_timestamp),
        ]);
        t.push(Some(ObjectId::Hpa(key.clone())), row);
    }
    t
}

pub fn get_hpa(sim: &Simulation, namespace: Option<&str>) -> String {
    hpa_table(sim, namespace).render()
}

/// `printDirectionBehavior`.
fn direction(w: &mut W, title: &str, rules: &ScalingRules) {
    w.w(1, &format!("{title}:\n"));
    if let Some(s) = rules.stabilization_window_secs {
        w.w(2, &format!("Stabilization Window: {s} seconds\n"));
    }
    if !rules.policies.is_empty() {
        let select = rules.select_policy.map_or("Max", |p| p.as_str());
        w.w(2, &format!("Select Policy: {select}\n"));
        w.w(2, "Policies:\n");
        for p in &rules.policies {
            w.w(
                3,
                &format!(
                    "- Type: {}\tValue: {}\tPeriod: {} seconds\n",
                    p.type_.as_str(),
                    p.value,
                    p.period_secs
                ),
            );
        }
    }
}

/// `kubectl describe hpa NAME`.
pub fn describe_hpa(sim: &Simulation, key: &ObjectKey) -> Option<String> {
    let h = sim.state().hpas.get(key)?;
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", h.meta.name));
    w.w(0, &format!("Namespace:\t{}\n", h.meta.namespace));
    labels_multiline(&mut w, "Labels", &h.meta.labels);
    annotations_multiline(&mut w, "Annotations", &h.meta.annotations);
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            cal(sim, h.meta.creation_timestamp).rfc1123z()
        ),
    );
    let kind = h.spec.target_kind.as_str();
    w.w(0, &format!("Reference:\t{kind}/{}\n", h.spec.target_name));
    w.w(0, "Metrics:\t( current / target )\n");
    for (i, m) in h.spec.metrics.iter().enumerate() {
        let status = h.status.current_metrics.get(i).and_then(Option::as_ref);
        w.w(1, &format!("resource {} on pods", m.resource.as_str()));
        match m.target {
            MetricTarget::AverageValue(v) => {
                let current = status.map_or("<unknown>".to_string(), |s| {
                    milli_quantity(m.resource, s.current_average_milli)
                });
                w.w(
                    0,
                    &format!(":\t{current} / {}\n", target_quantity(m.resource, v)),
                );
            }
            MetricTarget::Utilization(u) => {
                let current = status
                    .and_then(|s| {
                        s.current_utilization.map(|c| {
                            format!(
                                "{c}% ({})",
                                milli_quantity(m.resource, s.current_average_milli)
                            )
                        })
                    })
                    .unwrap_or_else(|| "<unknown>".to_string());
                w.w(
                    1,
                    &format!("(as a percentage of request):\t{current} / {u}%\n"),
                );
            }
        }
    }
    w.w(0, &format!("Min replicas:\t{}\n", h.spec.min_replicas));
    w.w(0, &format!("Max replicas:\t{}\n", h.spec.max_replicas));
    if let Some(b) = &h.spec.behavior {
        w.w(0, "Behavior:\n");
        direction(&mut w, "Scale Up", &b.scale_up.scale_up_defaulted());
        direction(&mut w, "Scale Down", &b.scale_down.scale_down_defaulted());
    }
    w.w(0, &format!("{kind} pods:\t"));
    w.w(
        0,
        &format!(
            "{} current / {} desired\n",
            h.status.current_replicas, h.status.desired_replicas
        ),
    );
    if !h.status.conditions.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(1, "Type\tStatus\tReason\tMessage\n");
        w.w(1, "----\t------\t------\t-------\n");
        for c in &h.status.conditions {
            w.w(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\n",
                    c.type_,
                    if c.status { "True" } else { "False" },
                    c.reason,
                    c.message
                ),
            );
        }
    }
    events(
        &mut w,
        sim,
        &ObjectRef::new(
            Kind::HorizontalPodAutoscaler,
            key.namespace.clone(),
            key.name.clone(),
        ),
    );
    Some(w.finish())
}

fn ts(sim: &Simulation, t: SimTime) -> Val {
    Val::str(cal(sim, t).rfc3339())
}

fn rules_doc(r: &ScalingRules) -> Val {
    let policies = r
        .policies
        .iter()
        .map(|p| {
            Obj::new()
                .put("periodSeconds", Val::num(p.period_secs))
                .put_str("type", p.type_.as_str())
                .put("value", Val::num(p.value))
                .build()
        })
        .collect();
    Obj::new()
        .put("policies", Val::Seq(policies))
        .put_opt(
            "selectPolicy",
            r.select_policy.map(|p| Val::str(p.as_str())),
        )
        .put_opt(
            "stabilizationWindowSeconds",
            r.stabilization_window_secs.map(Val::num),
        )
        .put_opt(
            "tolerance",
            r.tolerance_permille
                .map(|t| Val::str(milli_quantity(ResourceName::Cpu, t))),
        )
        .build()
}

fn metric_doc(m: &MetricSpec) -> Val {
    let target = match m.target {
        MetricTarget::Utilization(u) => Obj::new()
            .put("averageUtilization", Val::num(u))
            .put_str("type", "Utilization"),
        MetricTarget::AverageValue(v) => Obj::new()
            .put_str("averageValue", target_quantity(m.resource, v))
            .put_str("type", "AverageValue"),
    };
    Obj::new()
        .put(
            "resource",
            Obj::new()
                .put_str("name", m.resource.as_str())
                .put("target", target.build())
                .build(),
        )
        .put_str("type", "Resource")
        .build()
}

fn metric_status_doc(s: Option<&MetricStatus>) -> Val {
    let Some(s) = s else {
        return Obj::new().put_str("type", "").build();
    };
    let current = Obj::new()
        .put_opt("averageUtilization", s.current_utilization.map(Val::num))
        .put_str(
            "averageValue",
            milli_quantity(s.resource, s.current_average_milli),
        )
        .build();
    Obj::new()
        .put(
            "resource",
            Obj::new()
                .put("current", current)
                .put_str("name", s.resource.as_str())
                .build(),
        )
        .put_str("type", "Resource")
        .build()
}

/// `kubectl get hpa NAME -o yaml`.
pub(super) fn hpa_doc(sim: &Simulation, h: &HorizontalPodAutoscaler) -> Val {
    let m = &h.meta;
    let metadata = Obj::new()
        .put_nonempty("annotations", Val::string_map(&m.annotations))
        .put("creationTimestamp", ts(sim, m.creation_timestamp))
        .put("generation", Val::num(m.generation.max(1)))
        .put_nonempty("labels", Val::string_map(&m.labels))
        .put_str("name", m.name.clone())
        .put_str("namespace", m.namespace.clone())
        .put_str(
            "uid",
            object_uid(Kind::HorizontalPodAutoscaler, &m.namespace, &m.name, m.uid),
        )
        .build();
    let behavior = h.spec.behavior.as_ref().map(|b| {
        Obj::new()
            .put("scaleDown", rules_doc(&b.scale_down.scale_down_defaulted()))
            .put("scaleUp", rules_doc(&b.scale_up.scale_up_defaulted()))
            .build()
    });
    let spec = Obj::new()
        .put_opt("behavior", behavior)
        .put("maxReplicas", Val::num(h.spec.max_replicas))
        .put(
            "metrics",
            Val::Seq(h.spec.metrics.iter().map(metric_doc).collect()),
        )
        .put("minReplicas", Val::num(h.spec.min_replicas))
        .put(
            "scaleTargetRef",
            Obj::new()
                .put_str("apiVersion", "apps/v1")
                .put_str("kind", h.spec.target_kind.as_str())
                .put_str("name", h.spec.target_name.clone())
                .build(),
        )
        .build();
    let st = &h.status;
    let conditions = st
        .conditions
        .iter()
        .map(|c| {
            Obj::new()
                .put("lastTransitionTime", ts(sim, c.last_transition_time))
                .put_nonempty_str("message", &c.message)
                .put_nonempty_str("reason", &c.reason)
                .put_str("status", if c.status { "True" } else { "False" })
                .put_str("type", c.type_)
                .build()
        })
        .collect();
    let status = Obj::new()
        .put_nonempty("conditions", Val::Seq(conditions))
        .put_nonempty(
            "currentMetrics",
            Val::Seq(
                st.current_metrics
                    .iter()
                    .map(|s| metric_status_doc(s.as_ref()))
                    .collect(),
            ),
        )
        .put_opt(
            "currentReplicas",
            (st.current_replicas > 0).then(|| Val::num(st.current_replicas)),
        )
        .put("desiredReplicas", Val::num(st.desired_replicas))
        .put_opt("lastScaleTime", st.last_scale_time.map(|t| ts(sim, t)))
        .build();
    Obj::new()
        .put_str("apiVersion", "autoscaling/v2")
        .put_str("kind", "HorizontalPodAutoscaler")
        .put("metadata", metadata)
        .put("spec", spec)
        .put("status", status)
        .build()
}
