//! The kinds the lab models, decoded from a manifest mapping: Namespace, Deployment,
//! DaemonSet, Job, PodDisruptionBudget and Pod, with Kubernetes' defaults and validation.

use super::{label_selector, metadata, validate};
use crate::scenario::decode::{Fields, Obj, Sink, join, obj};
use crate::scenario::pod::{self, Owner};
use crate::scenario::yaml::Node;
use crate::sim::api::bounds;
use crate::sim::api::pod::PodLab;
use crate::sim::api::validation::validate_manifest;
use crate::sim::api::{
    DaemonSet, Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, IntOrPercent, Job,
    JobSpec, JobStatus, Kind, LabelSelector, Namespace, Pod, PodDisruptionBudget,
    PodDisruptionBudgetSpec, PodDisruptionBudgetStatus, PodStatus,
};
use crate::sim::spec::Manifest;

/// An int32 field of the Go struct `go_struct`, then the API server's (and the lab's) range
/// check, refused at its value.
pub(crate) fn counted(
    sink: &mut Sink,
    o: &Obj<'_>,
    key: &str,
    go_struct: &str,
    check: fn(i32) -> Result<(), String>,
) -> Option<i32> {
    let v = o.i32(sink, key, go_struct)?;
    match check(v) {
        Ok(()) => Some(v),
        Err(e) => {
            sink.error(o.value_mark(key), &o.at(key), e);
            None
        }
    }
}

/// A workload's required `spec.selector` (Deployments and DaemonSets); whether it selects the
/// template's labels is the API server's check, with the rest of the object.
fn workload_selector(sink: &mut Sink, spec: &Obj<'_>) -> Option<LabelSelector> {
    let Some(node) = spec.get("selector") else {
        sink.error(spec.mark, &spec.at("selector"), "Required value");
        return None;
    };
    label_selector(sink, node, &spec.at("selector"))
}

/// Decodes a modelled manifest; `path` prefixes every message (empty for a whole document).
pub(crate) fn decode(sink: &mut Sink, node: &Node, path: &str, kind: &str) -> Option<Manifest> {
    let outer = std::mem::replace(&mut sink.object_path, path.to_string());
    let m = decode_object(sink, node, path, kind);
    sink.object_path = outer;
    m
}

fn decode_object(sink: &mut Sink, node: &Node, path: &str, kind: &str) -> Option<Manifest> {
    let before = sink.error_count();
    let top = obj(
        sink,
        node,
        path,
        &Fields {
            known: &["apiVersion", "kind", "metadata", "spec"],
            unmodelled: &[],
            silent: &["status"],
        },
    )?;
    let namespaced = kind != "Namespace";
    let since = sink.diags.len();
    let meta = metadata(sink, &top, api_kind(kind), namespaced);
    let spec_fields =
        |known: &'static [&'static str], unmodelled: &'static [&'static str]| Fields {
            known,
            unmodelled,
            silent: &[],
        };
    let spec = |sink: &mut Sink, fields: &Fields| -> Option<Obj<'_>> {
        if top.has("spec") {
            top.obj(sink, "spec", fields)
        } else {
            sink.error(top.mark, &top.at("spec"), "required field is missing");
            None
        }
    };
    let manifest = match kind {
        "Namespace" => {
            top.obj(sink, "spec", &spec_fields(&[], &["finalizers"]));
            Manifest::Namespace(Namespace { meta: meta? })
        }
        "Deployment" => {
            let s = spec(
                sink,
                &spec_fields(
                    &[
                        "replicas",
                        "selector",
                        "template",
                        "strategy",
                        "minReadySeconds",
                        "paused",
                    ],
                    &["revisionHistoryLimit", "progressDeadlineSeconds"],
                ),
            )?;
            let template = required_template(sink, &s, Owner::Deployment)?;
            let selector = workload_selector(sink, &s)?;
            let strategy = strategy(sink, &s)?;
            let replicas =
                counted(sink, &s, "replicas", "DeploymentSpec", bounds::replicas).unwrap_or(1);
            let min_ready_seconds = counted(
                sink,
                &s,
                "minReadySeconds",
                "DeploymentSpec",
                bounds::nonnegative,
            )
            .unwrap_or(0);
            let paused = s.bool(sink, "paused").unwrap_or(false);
            Manifest::Deployment(Deployment {
                meta: meta?,
                spec: DeploymentSpec {
                    replicas,
                    selector,
                    template,
                    strategy,
                    min_ready_seconds,
                    paused,
                },
                status: DeploymentStatus::default(),
            })
        }
        "DaemonSet" => {
            let s = spec(
                sink,
                &spec_fields(
                    &["selector", "template"],
                    &["updateStrategy", "minReadySeconds", "revisionHistoryLimit"],
                ),
            )?;
            let template = required_template(sink, &s, Owner::DaemonSet)?;
            let selector = workload_selector(sink, &s)?;
            Manifest::DaemonSet(DaemonSet {
                meta: meta?,
                selector,
                template,
                max_unavailable: crate::sim::api::IntOrPercent::Int(1),
                desired_number_scheduled: 0,
                current_number_scheduled: 0,
                number_ready: 0,
            })
        }
        "Job" => {
            let s = spec(
                sink,
                &spec_fields(
                    &[
                        "completions",
                        "parallelism",
                        "backoffLimit",
                        "ttlSecondsAfterFinished",
                        "template",
                    ],
                    &[
                        "activeDeadlineSeconds",
                        "completionMode",
                        "suspend",
                        "podFailurePolicy",
                        "backoffLimitPerIndex",
                        "maxFailedIndexes",
                        "podReplacementPolicy",
                        "successPolicy",
                        "managedBy",
                        "selector",
                        "manualSelector",
                    ],
                ),
            )?;
            let mut meta = meta?;
            let mut template = required_template(sink, &s, Owner::Job)?;
            let meta_mark = top
                .get("metadata")
                .and_then(|m| m.lookup("annotations"))
                .map_or(top.mark, Node::mark);
            let tpl_mark = s
                .get("template")
                .and_then(|t| t.lookup("metadata.annotations"))
                .map_or(s.mark, Node::mark);
            let from_job = pod::take_run_duration(
                sink,
                &mut meta.annotations,
                meta_mark,
                "metadata.annotations",
            );
            let from_template = pod::take_run_duration(
                sink,
                &mut template.annotations,
                tpl_mark,
                &join(&s.at("template"), "metadata.annotations"),
            );
            let run_for = from_job
                .or(from_template)
                .unwrap_or_else(|| pod::derived_run_for(&template));
            // The API allows 0 (a Job that runs nothing, or a suspended one); the lab does not
            // model those, so it asks for at least one.
            let positive = |sink: &mut Sink, key: &str| {
                let v = counted(sink, &s, key, "JobSpec", bounds::replicas).unwrap_or(1);
                if v == 0 {
                    sink.error(
                        s.value_mark(key),
                        &s.at(key),
                        "must be greater than or equal to 1",
                    );
                }
                v
            };
            let completions = positive(sink, "completions");
            let parallelism = positive(sink, "parallelism");
            let backoff_limit =
                counted(sink, &s, "backoffLimit", "JobSpec", bounds::nonnegative).unwrap_or(6);
            let ttl_seconds_after_finished = counted(
                sink,
                &s,
                "ttlSecondsAfterFinished",
                "JobSpec",
                bounds::nonnegative,
            );
            Manifest::Job(Job {
                meta,
                spec: JobSpec {
                    completions,
                    parallelism,
                    backoff_limit,
                    template,
                    ttl_seconds_after_finished,
                    run_for_ms: run_for.as_millis(),
                },
                status: JobStatus::default(),
            })
        }
        "PodDisruptionBudget" => {
            let s = spec(
                sink,
                &spec_fields(
                    &["minAvailable", "maxUnavailable", "selector"],
                    &["unhealthyPodEvictionPolicy"],
                ),
            )?;
            let percent = |sink: &mut Sink, key: &str| {
                let v = s.int_or_percent(sink, key, "PodDisruptionBudgetSpec")?;
                bounds::int_or_percent(v, true)
                    .map_err(|e| sink.error(s.value_mark(key), &s.at(key), e))
                    .ok()
                    .map(|()| v)
            };
            let min_available = percent(sink, "minAvailable");
            let max_unavailable = percent(sink, "maxUnavailable");
            if s.has("minAvailable") == s.has("maxUnavailable") {
                sink.error(
                    s.mark,
                    &s.path,
                    "set exactly one of minAvailable and maxUnavailable",
                );
                return None;
            }
            let Some(sel) = s.get("selector") else {
                sink.error(s.mark, &s.at("selector"), "required field is missing: a PodDisruptionBudget without a selector protects no pods");
                return None;
            };
            let selector = label_selector(sink, sel, &s.at("selector"))?;
            Manifest::PodDisruptionBudget(PodDisruptionBudget {
                meta: meta?,
                spec: PodDisruptionBudgetSpec {
                    min_available,
                    max_unavailable,
                    selector,
                },
                status: PodDisruptionBudgetStatus::default(),
            })
        }
        "Pod" => {
            let spec_node = top.get("spec");
            let Some(spec_node) = spec_node else {
                sink.error(top.mark, &top.at("spec"), "required field is missing");
                return None;
            };
            let spec = pod::pod_spec(sink, spec_node, &top.at("spec"), Owner::Pod)?;
            Manifest::Pod(Pod {
                meta: meta?,
                spec,
                status: PodStatus::default(),
                lab: PodLab::default(),
            })
        }
        "HorizontalPodAutoscaler" => {
            let s = spec(sink, &super::hpa::SPEC)?;
            Manifest::HorizontalPodAutoscaler(super::hpa::decode(sink, &s, meta?)?)
        }
        "VerticalPodAutoscaler" => {
            let s = spec(sink, &super::vpa::SPEC)?;
            Manifest::VerticalPodAutoscaler(super::vpa::decode(sink, &s, meta?)?)
        }
        other => {
            sink.error(
                top.mark,
                &top.at("kind"),
                format!("kind {other:?} is not modelled by the lab"),
            );
            return None;
        }
    };
    // The API server's checks of the rest (metadata was checked as it was read).
    let errs: Vec<_> = validate_manifest(&manifest)
        .into_iter()
        .filter(|e| !e.field.starts_with("metadata"))
        .collect();
    validate::report(sink, node, path, &errs, since);
    (sink.error_count() == before).then_some(manifest)
}

/// The kind a modelled `kind:` names.
fn api_kind(kind: &str) -> Kind {
    match kind {
        "Namespace" => Kind::Namespace,
        "Deployment" => Kind::Deployment,
        "DaemonSet" => Kind::DaemonSet,
        "Job" => Kind::Job,
        "PodDisruptionBudget" => Kind::PodDisruptionBudget,
        "HorizontalPodAutoscaler" => Kind::HorizontalPodAutoscaler,
        "VerticalPodAutoscaler" => Kind::VerticalPodAutoscaler,
        _ => Kind::Pod,
    }
}

fn required_template(
    sink: &mut Sink,
    s: &Obj<'_>,
    owner: Owner,
) -> Option<crate::sim::api::PodTemplateSpec> {
    let Some(t) = s.get("template") else {
        sink.error(s.mark, &s.at("template"), "required field is missing");
        return None;
    };
    pod::template(sink, t, &s.at("template"), owner)
}

fn strategy(sink: &mut Sink, s: &Obj<'_>) -> Option<DeploymentStrategy> {
    let Some(st) = s.obj(sink, "strategy", &Fields::known(&["type", "rollingUpdate"])) else {
        return Some(DeploymentStrategy::default());
    };
    let kind = st
        .str(sink, "type")
        .unwrap_or_else(|| "RollingUpdate".to_string());
    match kind.as_str() {
        "Recreate" => {
            if st.has("rollingUpdate") {
                sink.error(
                    st.key_mark("rollingUpdate"),
                    &st.at("rollingUpdate"),
                    "Forbidden: may not be specified when strategy `type` is 'Recreate'",
                );
                return None;
            }
            Some(DeploymentStrategy::Recreate)
        }
        "RollingUpdate" => {
            let ru = st.obj(
                sink,
                "rollingUpdate",
                &Fields::known(&["maxSurge", "maxUnavailable"]),
            );
            // maxUnavailable's percentage may not pass 100%; maxSurge's may.
            let get = |sink: &mut Sink, key: &str| {
                ru.as_ref()
                    .and_then(|r| {
                        let v = r.int_or_percent(sink, key, "RollingUpdateDeployment")?;
                        bounds::int_or_percent(v, key == "maxUnavailable")
                            .map_err(|e| sink.error(r.value_mark(key), &r.at(key), e))
                            .ok()
                            .map(|()| v)
                    })
                    .unwrap_or(IntOrPercent::Percent(25))
            };
            let max_surge = get(sink, "maxSurge");
            let max_unavailable = get(sink, "maxUnavailable");
            let zero =
                |v: IntOrPercent| matches!(v, IntOrPercent::Int(0) | IntOrPercent::Percent(0));
            if zero(max_surge) && zero(max_unavailable) {
                let mark = ru
                    .as_ref()
                    .map_or(st.mark, |r| r.value_mark("maxUnavailable"));
                sink.error(
                    mark,
                    &join(&st.at("rollingUpdate"), "maxUnavailable"),
                    "Invalid value: may not be 0 when `maxSurge` is 0",
                );
                return None;
            }
            Some(DeploymentStrategy::RollingUpdate {
                max_surge,
                max_unavailable,
            })
        }
        other => {
            sink.error(st.value_mark("type"), &st.at("type"), format!("Unsupported value: {other:?}: supported values: \"Recreate\", \"RollingUpdate\""));
            None
        }
    }
}
