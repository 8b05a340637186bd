//! The horizontal-pod-autoscaler controller (kube-controller-manager's `horizontal.go`).
//!
//! Every 15 seconds per HPA, counted from its creation (the controller's sync period,
//! eks-facts §6.1), it reads the scale target, asks the replica calculator for a proposal per
//! metric, keeps the largest, stabilizes and rate-limits it (`behavior.rs`), clamps it to
//! min/max and scales the Deployment the way `kubectl scale` does.
//!
//! Status, conditions, reasons, messages and events follow upstream word for word. Warnings
//! are recorded when they first appear (or change), not at every sync. `status.explanation`
//! holds the last computation step by step for the lab's inspector.

pub mod behavior;
pub mod replica_calculator;

use crate::sim::sort::CollectSorted;
use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::sim::Simulation;
use crate::sim::api::autoscaling::{
    HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, HpaCondition, MetricStatus,
    MetricTarget, ResourceName,
};
use crate::sim::api::{
    Deployment, Kind, ObjectKey, ObjectRef, Pod, PodConditionType, count, int32,
};
use crate::sim::catalog::addons::AddonName;
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::event::EventType;
use behavior::History;
use replica_calculator::{PodInfo, PodMetric, Target, Tolerances};

/// `--horizontal-pod-autoscaler-sync-period` (eks-facts §6.1).
pub const SYNC_PERIOD: SimDuration = SimDuration::from_secs(15);
/// `--horizontal-pod-autoscaler-downscale-stabilization` (eks-facts §6.1).
pub const DOWNSCALE_STABILIZATION: SimDuration = SimDuration::from_mins(5);
/// `--horizontal-pod-autoscaler-tolerance`, in thousandths (eks-facts §6.1).
pub const TOLERANCE_PERMILLE: u64 = 100;

const SOURCE: &str = "horizontal-pod-autoscaler";

/// The controller's event reasons, as upstream spells them.
pub mod reason {
    pub const SUCCESSFUL_RESCALE: &str = "SuccessfulRescale";
    pub const FAILED_GET_SCALE: &str = "FailedGetScale";
    pub const FAILED_GET_RESOURCE_METRIC: &str = "FailedGetResourceMetric";
    pub const FAILED_COMPUTE_METRICS_REPLICAS: &str = "FailedComputeMetricsReplicas";
}

/// Condition types.
pub const ABLE_TO_SCALE: &str = "AbleToScale";
pub const SCALING_ACTIVE: &str = "ScalingActive";
pub const SCALING_LIMITED: &str = "ScalingLimited";

/// HPA bookkeeping between syncs.
#[derive(Debug, Clone, Default)]
pub struct HpaState {
    tracked: BTreeMap<ObjectKey, Tracked>,
}

/// One HPA's memory: its cadence, its recommendations and scale events, and the warnings of
/// its last sync (so a repeated warning is not recorded again).
#[derive(Debug, Clone)]
struct Tracked {
    uid: u64,
    next_sync: SimTime,
    history: History,
    warned: Vec<(&'static str, String)>,
}

/// Syncs every HPA whose 15 s have come; the first sync is at creation.
pub(crate) fn reconcile(sim: &mut Simulation) {
    let now = sim.now();
    let hpas = &sim.state.hpas;
    let tracked = &mut sim.controllers.hpa.tracked;
    if hpas.is_empty() && tracked.is_empty() {
        return;
    }
    // A deleted (or deleted and recreated) HPA starts from nothing, as upstream forgets it.
    tracked.retain(|k, t| hpas.get(k).is_some_and(|h| h.meta.uid == t.uid));
    let mut due = Vec::new();
    for (key, h) in hpas {
        let t = tracked.entry(key.clone()).or_insert_with(|| Tracked {
            uid: h.meta.uid,
            next_sync: now,
            history: History::default(),
            warned: Vec::new(),
        });
        if now >= t.next_sync {
            t.next_sync = now + SYNC_PERIOD;
            due.push(key.clone());
        }
    }
    for key in due {
        sync(sim, &key);
    }
}

/// `setCondition`: the transition time moves only when the status flips.
fn set_condition(
    status: &mut HorizontalPodAutoscalerStatus,
    type_: &'static str,
    value: bool,
    reason: &str,
    message: String,
    now: SimTime,
) {
    if let Some(c) = status.conditions.iter_mut().find(|c| c.type_ == type_) {
        if c.status != value {
            c.last_transition_time = now;
        }
        c.status = value;
        c.reason = reason.to_string();
        c.message = message;
    } else {
        status.conditions.push(HpaCondition {
            type_,
            status: value,
            reason: reason.to_string(),
            message,
            last_transition_time: now,
        });
    }
}

/// What one sync decided, written back at its end.
#[derive(Debug, Default)]
struct Outcome {
    lines: Vec<String>,
    warnings: Vec<(&'static str, String)>,
}

/// The metrics API as the controller sees it: upstream's errors when metrics-server is not
/// installed (the APIService is missing) or installed but not Ready.
fn metrics_api(sim: &Simulation) -> Result<(), String> {
    let installed = sim
        .state
        .cluster
        .addons
        .contains_key(&AddonName::MetricsServer);
    let cause = if !installed {
        "the server could not find the requested resource (get pods.metrics.k8s.io)"
    } else if !crate::sim::api::metrics::available(&sim.state.deployments) {
        "the server is currently unable to handle the request (get pods.metrics.k8s.io)"
    } else {
        return Ok(());
    };
    Err(format!(
        "unable to fetch metrics from resource metrics API: {cause}"
    ))
}

fn pod_info(pod: &Pod, resource: ResourceName) -> PodInfo {
    PodInfo {
        name: pod.meta.name.clone(),
        phase: pod.status.phase,
        finished: pod.is_terminating() || pod.status.phase.is_terminal(),
        ready: pod
            .condition(PodConditionType::Ready)
            .map(|c| (c.status, c.last_transition_time)),
        start_time: pod.status.start_time,
        requests: pod
            .spec
            .containers
            .iter()
            .map(|c| {
                let v = match resource {
                    ResourceName::Cpu => c.requests.cpu.0,
                    ResourceName::Memory => c.requests.memory.0.saturating_mul(1000),
                };
                (c.name.clone(), (v > 0).then_some(v))
            })
            .collect(),
    }
}

/// One metric: the proposal, its status and upstream's metric name, or the error message
/// upstream's `computeStatusForResourceMetricGeneric` returns.
fn compute_metric(
    sim: &Simulation,
    pods: &[&Pod],
    resource: ResourceName,
    target: MetricTarget,
    current: u64,
    tolerances: Tolerances,
) -> Result<(replica_calculator::Proposal, MetricStatus, String), String> {
    let (target, what, name) = match target {
        MetricTarget::Utilization(u) => (
            Target::Utilization(count(u)),
            "utilization",
            format!(
                "{} resource utilization (percentage of request)",
                resource.as_str()
            ),
        ),
        MetricTarget::AverageValue(v) => (
            Target::AverageValue(match resource {
                ResourceName::Cpu => v,
                ResourceName::Memory => v.saturating_mul(1000),
            }),
            "usage",
            format!("{} resource", resource.as_str()),
        ),
    };
    let wrap = |e: String| format!("failed to get {} {what}: {e}", resource.as_str());
    // GetResourceMetric: what the metrics API returns for the selected pods.
    let fetched = metrics_api(sim).and_then(|()| {
        let m: BTreeMap<String, PodMetric> = pods
            .iter()
            .filter_map(|p| {
                let r = sim.state.pod_metrics.get(&p.meta.key())?;
                let value = match resource {
                    ResourceName::Cpu => r.usage.cpu.0,
                    ResourceName::Memory => r.usage.memory.0.saturating_mul(1000),
                };
                Some((
                    p.meta.name.clone(),
                    PodMetric {
                        value,
                        timestamp: r.timestamp,
                        window: r.window,
                    },
                ))
            })
            .collect_map();
        if m.is_empty() {
            Err("no metrics returned from resource metrics API".to_string())
        } else {
            Ok(m)
        }
    });
    let metrics = fetched.map_err(|e| {
        wrap(format!(
            "unable to get metrics for resource {}: {e}",
            resource.as_str()
        ))
    })?;
    let infos: Vec<PodInfo> = pods.iter().map(|p| pod_info(p, resource)).collect();
    let proposal = replica_calculator::replicas(
        current,
        target,
        resource,
        tolerances,
        &infos,
        &metrics,
        sim.now(),
    )
    .map_err(wrap)?;
    let status = MetricStatus {
        resource,
        current_utilization: proposal.utilization,
        current_average_milli: proposal.average_milli,
    };
    Ok((proposal, status, name))
}

/// `tolerancesForHpa`: the controller's 10% unless the behavior sets one per direction.
fn tolerances(hpa: &HorizontalPodAutoscaler) -> Tolerances {
    let b = hpa.spec.behavior.as_ref();
    Tolerances {
        down_permille: b
            .and_then(|b| b.scale_down.tolerance_permille)
            .unwrap_or(TOLERANCE_PERMILLE),
        up_permille: b
            .and_then(|b| b.scale_up.tolerance_permille)
            .unwrap_or(TOLERANCE_PERMILLE),
    }
}

/// `reconcileAutoscaler` for one HPA.
fn sync(sim: &mut Simulation, key: &ObjectKey) {
    let now = sim.now();
    let Some(hpa) = sim.state.hpas.get(key).cloned() else {
        return;
    };
    let mut st = hpa.status.clone();
    let mut out = Outcome::default();
    let target_key = hpa.target_key();
    let Some(deployment) = sim.state.deployments.get(&target_key).cloned() else {
        let err = format!("deployments/scale.apps \"{}\" not found", target_key.name);
        out.lines.push(format!(
            "Deployment {} not found: nothing to scale",
            target_key.name
        ));
        set_condition(
            &mut st,
            ABLE_TO_SCALE,
            false,
            "FailedGetScale",
            format!("the HPA controller was unable to get the target's current scale: {err}"),
            now,
        );
        out.warnings.push((reason::FAILED_GET_SCALE, err));
        finish(sim, key, st, out);
        return;
    };
    set_condition(
        &mut st,
        ABLE_TO_SCALE,
        true,
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale".to_string(),
        now,
    );
    // The API's int32 counts, in u64 for the calculator's arithmetic.
    let current = count(deployment.spec.replicas);
    let (min, max) = (count(hpa.spec.min_replicas), count(hpa.spec.max_replicas));
    if let Some(t) = sim.controllers.hpa.tracked.get_mut(key) {
        behavior::record_initial(&mut t.history, current, now);
    }
    let mut statuses: Vec<Option<MetricStatus>> = Vec::new();
    let mut rescale_reason = String::new();
    let (desired, rescale) = if current == 0 {
        set_condition(
            &mut st,
            SCALING_ACTIVE,
            false,
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero".to_string(),
            now,
        );
        out.lines.push(
            "the Deployment has 0 replicas: scaling is disabled until it is scaled up by hand"
                .to_string(),
        );
        (0, false)
    } else if current > max {
        rescale_reason = "Current number of replicas above Spec.MaxReplicas".to_string();
        out.lines.push(format!(
            "{current} replicas is above maxReplicas {max}: scale to {max}"
        ));
        (max, true)
    } else if current < min {
        rescale_reason = "Current number of replicas below Spec.MinReplicas".to_string();
        out.lines.push(format!(
            "{current} replicas is below minReplicas {min}: scale to {min}"
        ));
        (min, true)
    } else {
        let Some((desired, reason_text, s)) =
            compute_replicas(sim, &hpa, &deployment, current, &mut st, &mut out)
        else {
            // setCurrentReplicasAndMetricsInStatus: the desired count stays as it was.
            st.current_replicas = int32(current);
            finish(sim, key, st, out);
            return;
        };
        statuses = s;
        rescale_reason = reason_text;
        let Some(t) = sim.controllers.hpa.tracked.get_mut(key) else {
            return;
        };
        let n = match &hpa.spec.behavior {
            None => behavior::normalize_classic(
                &mut t.history,
                now,
                current,
                desired,
                (min, max),
                DOWNSCALE_STABILIZATION,
            ),
            Some(b) => behavior::normalize_with_behavior(
                &mut t.history,
                now,
                b,
                current,
                desired,
                (min, max),
                DOWNSCALE_STABILIZATION,
            ),
        };
        set_condition(
            &mut st,
            ABLE_TO_SCALE,
            true,
            n.able_reason,
            n.able_message.to_string(),
            now,
        );
        set_condition(
            &mut st,
            SCALING_LIMITED,
            n.limited,
            n.limit_reason,
            n.limit_message.to_string(),
            now,
        );
        out.lines.extend(n.lines);
        (n.replicas, n.replicas != current)
    };
    if rescale {
        let _ = crate::sim::api_server::patch::scale(sim, &target_key, int32(desired));
        set_condition(
            &mut st,
            ABLE_TO_SCALE,
            true,
            "SucceededRescale",
            format!("the HPA controller was able to update the target scale to {desired}"),
            now,
        );
        sim.record(
            EventType::Normal,
            reason::SUCCESSFUL_RESCALE,
            hpa_ref(key),
            format!("New size: {desired}; reason: {rescale_reason}"),
            SOURCE,
        );
        if let Some(t) = sim.controllers.hpa.tracked.get_mut(key) {
            behavior::store_scale_event(
                &mut t.history,
                hpa.spec.behavior.as_ref(),
                DOWNSCALE_STABILIZATION,
                now,
                current,
                desired,
            );
        }
        st.last_scale_time = Some(now);
        out.lines
            .push(format!("scale the Deployment {current} → {desired}"));
    } else if current > 0 {
        out.lines.push(format!("no change: {current}"));
    }
    // setStatus.
    st.current_replicas = int32(current);
    st.desired_replicas = int32(if rescale { desired } else { current });
    st.current_metrics = statuses;
    finish(sim, key, st, out);
}

/// `computeReplicasForMetrics`: the largest proposal, the rescale reason and the metric
/// statuses; `None` when the HPA cannot act (every metric failed, or some failed and the
/// rest would scale down), after recording upstream's warning and condition.
fn compute_replicas(
    sim: &Simulation,
    hpa: &HorizontalPodAutoscaler,
    deployment: &Deployment,
    current: u64,
    st: &mut HorizontalPodAutoscalerStatus,
    out: &mut Outcome,
) -> Option<(u64, String, Vec<Option<MetricStatus>>)> {
    let now = sim.now();
    let pods: Vec<&Pod> = sim
        .state
        .pods
        .values()
        .filter(|p| {
            p.meta.namespace == hpa.meta.namespace
                && deployment.spec.selector.matches(&p.meta.labels)
        })
        .collect();
    let tol = tolerances(hpa);
    let mut statuses = Vec::with_capacity(hpa.spec.metrics.len());
    let mut best: Option<(u64, String)> = None;
    let mut invalid = 0usize;
    let mut first_error: Option<(String, String)> = None;
    for m in &hpa.spec.metrics {
        match compute_metric(sim, &pods, m.resource, m.target, current, tol) {
            Ok((p, status, name)) => {
                out.lines.extend(p.lines);
                if best
                    .as_ref()
                    .is_none_or(|(r, _)| *r == 0 || p.replicas > *r)
                {
                    best = Some((p.replicas, name));
                }
                statuses.push(Some(status));
            }
            Err(e) => {
                out.lines.push(format!("{}: {e}", m.resource.as_str()));
                out.warnings
                    .push((reason::FAILED_GET_RESOURCE_METRIC, e.clone()));
                if first_error.is_none() {
                    first_error = Some((
                        format!("the HPA was unable to compute the replica count: {e}"),
                        format!(
                            "failed to get {} resource metric value: {e}",
                            m.resource.as_str()
                        ),
                    ));
                }
                invalid += 1;
                statuses.push(None);
            }
        }
    }
    let (replicas, metric) = best.unwrap_or((0, String::new()));
    if let Some((condition, error)) = first_error {
        let all = invalid >= hpa.spec.metrics.len();
        if all || replicas < current {
            set_condition(
                st,
                SCALING_ACTIVE,
                false,
                "FailedGetResourceMetric",
                condition,
                now,
            );
            let e = format!(
                "invalid metrics ({invalid} invalid out of {}), first error is: {error}",
                hpa.spec.metrics.len()
            );
            out.lines.push(if all {
                "no metric could be read: no scaling".to_string()
            } else {
                "a metric could not be read and the rest would scale down: no scaling".to_string()
            });
            out.warnings
                .push((reason::FAILED_COMPUTE_METRICS_REPLICAS, e));
            st.current_metrics = statuses;
            return None;
        }
    }
    set_condition(
        st,
        SCALING_ACTIVE,
        true,
        "ValidMetricFound",
        format!("the HPA was able to successfully calculate a replica count from {metric}"),
        now,
    );
    if hpa.spec.metrics.len() > 1 {
        out.lines.push(format!("largest proposal: {replicas}"));
    }
    let reason = match replicas.cmp(&current) {
        Ordering::Greater => format!("{metric} above target"),
        Ordering::Less => "All metrics below target".to_string(),
        Ordering::Equal => String::new(),
    };
    Some((replicas, reason, statuses))
}

fn hpa_ref(key: &ObjectKey) -> ObjectRef {
    ObjectRef::new(
        Kind::HorizontalPodAutoscaler,
        key.namespace.clone(),
        key.name.clone(),
    )
}

/// Writes the status and explanation back and records the warnings that are new since the
/// last sync.
fn finish(
    sim: &mut Simulation,
    key: &ObjectKey,
    mut st: HorizontalPodAutoscalerStatus,
    out: Outcome,
) {
    let now = sim.now();
    st.explanation.time = now;
    st.explanation.lines = out.lines;
    if let Some(h) = sim.state.hpas.get_mut(key) {
        h.status = st;
    }
    let previous = sim
        .controllers
        .hpa
        .tracked
        .get_mut(key)
        .map(|t| std::mem::replace(&mut t.warned, out.warnings.clone()))
        .unwrap_or_default();
    for (reason, message) in out.warnings {
        if !previous.iter().any(|(r, m)| *r == reason && *m == message) {
            sim.record(EventType::Warning, reason, hpa_ref(key), message, SOURCE);
        }
    }
}
