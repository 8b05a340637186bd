//! The Vertical Pod Autoscaler (kubernetes/autoscaler `vertical-pod-autoscaler`): the
//! recommender turns pod metrics into per-container recommendations, the updater evicts (or,
//! in `InPlaceOrRecreate` mode, resizes in place) pods whose requests are off them, and the
//! admission controller writes the recommendation into new pods (eks-facts §6.3).
//!
//! It runs when the Lab document says `verticalPodAutoscaler: true` (the three Deployments in
//! `kube-system` are installed by `eks.rs`), and each part only while its pod is Ready: no
//! recommender pod, no new recommendations; no updater pod, no evictions; no admission
//! controller pod, new pods keep their template's requests (and the updater refuses to evict,
//! as upstream's `--use-admission-controller-status` makes it). The recommender needs pod
//! metrics, so the metrics-server add-on too.
//!
//! The recommender and the updater both run once a minute (`--recommender-interval`,
//! `--updater-interval`), on the minute, recommender first. Everything the VPA decides is
//! written as plain sentences into the VPA's `status.explanation`.

pub(crate) mod admission;
pub mod recommender;
pub mod updater;

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::Simulation;
use crate::sim::api::vpa::VerticalPodAutoscaler;
use crate::sim::api::{Kind, ObjectKey, Pod, PodSpec};
use crate::sim::catalog::prices::{FARGATE_GB_HOUR, FARGATE_VCPU_HOUR, fargate_rate};
use crate::sim::catalog::{FargateSize, fargate_size_for, instance_type};
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::quantity::{Bytes, GIB, MilliCpu, Resources};

use recommender::{AggregateState, ContainerState};

/// `--recommender-interval` and `--updater-interval` (eks-facts §6.3).
pub const LOOP_INTERVAL: SimDuration = SimDuration::from_mins(1);
/// The updater's `--min-replicas` (eks-facts §6.3).
pub const DEFAULT_MIN_REPLICAS: i32 = 2;
/// The updater's `--eviction-tolerance` (0.5, eks-facts §6.3), in percent.
pub const EVICTION_TOLERANCE_PERCENT: u64 = 50;

/// The `app` labels of the three components' pods in `kube-system` (see `eks.rs`).
pub const RECOMMENDER: &str = "vpa-recommender";
pub const UPDATER: &str = "vpa-updater";
pub const ADMISSION_CONTROLLER: &str = "vpa-admission-controller";

/// Event reasons and messages, as upstream writes them.
pub mod reason {
    /// On the pod (`updater/restriction/pods_eviction_restriction.go`).
    pub const EVICTED_BY_VPA: &str = "EvictedByVPA";
    pub const EVICTED_BY_VPA_MESSAGE: &str =
        "Pod was evicted by VPA Updater to apply resource recommendation.";
    /// On the VPA: `VPA Updater evicted Pod <name> to apply resource recommendation.`
    pub const EVICTED_POD: &str = "EvictedPod";
    /// On the pod (`updater/restriction/pods_inplace_restriction.go`).
    pub const IN_PLACE_RESIZED_BY_VPA: &str = "InPlaceResizedByVPA";
    pub const IN_PLACE_RESIZED_BY_VPA_MESSAGE: &str = "Pod was resized in place by VPA Updater.";
    /// The kubelet's resize events (`pkg/kubelet/events`: `Pod resize started: {…}`).
    pub const RESIZE_STARTED: &str = "ResizeStarted";
    pub const RESIZE_COMPLETED: &str = "ResizeCompleted";
    pub const RESIZE_DEFERRED: &str = "ResizeDeferred";
    pub const RESIZE_INFEASIBLE: &str = "ResizeInfeasible";
}

/// The event source of the updater (`vpa-updater`).
pub const UPDATER_SOURCE: &str = "vpa-updater";

/// A workload's container: (namespace, Deployment, container name). The recommender keeps
/// one history per key for every Deployment's pods, VPA or not (upstream aggregates by
/// container name and pod labels and runs without `--memory-saver`), so a VPA created later
/// starts with the history already gathered.
pub type AggregateKey = (String, String, String);

/// VPA bookkeeping between runs: the recommender's model and the updater's memory.
#[derive(Debug, Clone, Default)]
pub struct VpaState {
    next_loop: SimTime,
    /// The recommender's usage histories.
    pub aggregates: BTreeMap<AggregateKey, AggregateState>,
    /// Per running container (pod, pod uid, container): memory window and last samples.
    containers: BTreeMap<(ObjectKey, u64, String), ContainerState>,
    /// In-place resizes the kubelet has not applied yet.
    pub resizes: BTreeMap<ObjectKey, updater::PendingResize>,
    /// Per VPA: the explanation's parts.
    notes: BTreeMap<ObjectKey, Notes>,
    /// Pods with an `EvictionBlocked` record, so a blocked eviction is reported once.
    blocked: BTreeSet<ObjectKey>,
}

/// The explanation of one VPA, by component.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Notes {
    recommender: Vec<String>,
    updater: Vec<String>,
    admission: Option<String>,
}

/// Is a component's pod Ready in `kube-system`?
pub fn component_ready(sim: &Simulation, app: &str) -> bool {
    sim.state.pods.values().any(|p| {
        p.meta.namespace == "kube-system"
            && p.meta.labels.get("app").map(String::as_str) == Some(app)
            && p.is_ready()
            && !p.is_terminating()
    })
}

/// The Deployment a pod belongs to (through its ReplicaSet).
pub fn deployment_of(sim: &Simulation, pod: &Pod) -> Option<ObjectKey> {
    crate::sim::api::workloads::owning_deployment(&sim.state.replicasets, pod)
}

/// The VPA that controls a Deployment: the first by name in its namespace (upstream leaves
/// several matching VPAs undefined).
pub fn vpa_for_deployment<'a>(
    sim: &'a Simulation,
    deployment: &ObjectKey,
) -> Option<&'a VerticalPodAutoscaler> {
    sim.state.vpas.values().find(|v| {
        v.meta.namespace == deployment.namespace
            && v.spec.target_kind == Kind::Deployment
            && v.spec.target_name == deployment.name
    })
}

/// Live pods of a Deployment (not terminating, not finished), by name.
pub fn live_pods(sim: &Simulation, deployment: &ObjectKey) -> Vec<ObjectKey> {
    sim.state
        .pods
        .values()
        .filter(|p| {
            p.meta.namespace == deployment.namespace
                && !p.is_terminating()
                && !p.status.phase.is_terminal()
                && deployment_of(sim, p).is_some_and(|d| &d == deployment)
        })
        .map(|p| p.meta.key())
        .collect()
}

/// One minute of VPA: recommender, then updater; the explanations are republished.
pub(crate) fn reconcile(sim: &mut Simulation) {
    let now = sim.now();
    if now < sim.controllers.vpa.next_loop {
        return;
    }
    let every = LOOP_INTERVAL.as_millis();
    sim.controllers.vpa.next_loop = SimTime((now.as_millis() / every + 1) * every);
    let vpas: BTreeSet<ObjectKey> = crate::sim::sort::set(sim.state.vpas.keys().cloned());
    sim.controllers.vpa.notes.retain(|k, _| vpas.contains(k));
    if !sim.spec.settings.vertical_pod_autoscaler {
        let line = "the Vertical Pod Autoscaler is not installed: its CRD exists, but no recommender, updater or admission controller runs (the Lab document's `verticalPodAutoscaler: true` installs them)".to_string();
        for k in &vpas {
            let n = sim.controllers.vpa.notes.entry(k.clone()).or_default();
            n.recommender = vec![line.clone()];
        }
        publish(sim);
        return;
    }
    recommender::run(sim);
    updater::run(sim);
    publish(sim);
}

/// Writes each VPA's notes into `status.explanation`. The explanation is the lab's text, not
/// an API field, so it does not bump the state's revision (the recommendation does).
fn publish(sim: &mut Simulation) {
    for (key, notes) in &sim.controllers.vpa.notes {
        let Some(v) = sim.state.vpas.get_mut(key) else {
            continue;
        };
        let mut lines = notes.recommender.clone();
        lines.extend(notes.updater.iter().cloned());
        lines.extend(notes.admission.iter().cloned());
        if v.status.explanation != lines {
            v.status.explanation = lines;
        }
    }
}

fn notes_mut<'a>(sim: &'a mut Simulation, vpa: &ObjectKey) -> &'a mut Notes {
    sim.controllers.vpa.notes.entry(vpa.clone()).or_default()
}

/// The recommended requests for one container of a pod spec: the target of the
/// recommendation, within the container's limit when only requests are controlled
/// (upstream `CapRecommendationToContainerLimit`). A zero field: no recommendation for it.
pub fn recommended_requests(
    vpa: &VerticalPodAutoscaler,
    container: &crate::sim::api::Container,
) -> Option<Resources> {
    let rec = vpa.status.recommendation_for(&container.name)?;
    let mut target = rec.target;
    let policy = vpa.spec.policy_for(&container.name);
    if policy.is_some_and(|p| {
        p.controlled_values == crate::sim::api::vpa::ControlledValues::RequestsOnly
    }) {
        if container.limits.cpu.0 > 0 && target.cpu.0 > container.limits.cpu.0 {
            target.cpu = container.limits.cpu;
        }
        if container.limits.memory.0 > 0 && target.memory.0 > container.limits.memory.0 {
            target.memory = container.limits.memory;
        }
    }
    (!target.is_zero()).then_some(target)
}

/// The pod spec with the recommendation applied: requests set to the target, limits kept in
/// proportion to the requests unless only requests are controlled (upstream
/// `GetProportionalLimit`). Returns the changed resources per container index, in the
/// annotation's words (`cpu request`, `memory limit`).
pub fn apply_recommendation(
    vpa: &VerticalPodAutoscaler,
    spec: &mut PodSpec,
) -> Vec<(usize, Vec<&'static str>)> {
    let mut changes = Vec::new();
    for (i, c) in spec.containers.iter_mut().enumerate() {
        let Some(target) = recommended_requests(vpa, c) else {
            continue;
        };
        let scale_limits = vpa.spec.policy_for(&c.name).is_none_or(|p| {
            p.controlled_values == crate::sim::api::vpa::ControlledValues::RequestsAndLimits
        });
        let mut words = Vec::new();
        let mut limit_words = Vec::new();
        if target.cpu.0 > 0 {
            if scale_limits && c.limits.cpu.0 > 0 {
                c.limits.cpu =
                    MilliCpu(proportional(c.limits.cpu.0, c.requests.cpu.0, target.cpu.0));
                limit_words.push("cpu limit");
            }
            c.requests.cpu = target.cpu;
            words.push("cpu request");
        }
        if target.memory.0 > 0 {
            if scale_limits && c.limits.memory.0 > 0 {
                c.limits.memory = Bytes(proportional(
                    c.limits.memory.0,
                    c.requests.memory.0,
                    target.memory.0,
                ));
                limit_words.push("memory limit");
            }
            c.requests.memory = target.memory;
            words.push("memory request");
        }
        words.extend(limit_words);
        if !words.is_empty() {
            changes.push((i, words));
        }
    }
    changes
}

/// `limit × new request ÷ old request`, in milli-units and truncated like upstream's big-int
/// arithmetic, then back to whole units rounding up; without an old request, the new request.
fn proportional(limit: u64, old_request: u64, new_request: u64) -> u64 {
    if old_request == 0 {
        return new_request;
    }
    let milli = u128::from(limit) * 1000 * u128::from(new_request) * 1000
        / (u128::from(old_request) * 1000);
    u64::try_from(milli.div_ceil(1000)).unwrap_or(u64::MAX)
}

// ---- the right-sizing saving ----

/// What the recommendation is worth for a VPA's Deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Savings {
    pub vpa: ObjectKey,
    pub deployment: ObjectKey,
    /// `spec.replicas` of the Deployment.
    pub replicas: u64,
    /// Requests per pod as the Deployment's template asks (what pods get without the VPA).
    pub current_per_pod: Resources,
    /// Requests per pod with the recommendation's targets.
    pub recommended_per_pod: Resources,
    pub current_total: Resources,
    pub recommended_total: Resources,
    pub compute: SavingsCompute,
    /// Nano-dollars per hour saved by all replicas (negative: right-sizing costs more).
    pub nusd_per_hour: i64,
    /// The computation in sentences.
    pub explanation: Vec<String>,
}

/// Where the Deployment's pods run, and how the saving is priced there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavingsCompute {
    /// Fargate bills each pod at its rounded size (eks-facts §1.2, §2).
    Fargate {
        before: FargateSize,
        after: FargateSize,
        /// Nano-dollars per hour per pod.
        rate_before: u64,
        rate_after: u64,
    },
    /// On EC2 the freed requests are priced at the node's instance price, split between
    /// vCPU and memory in the proportion Fargate prices them ($0.04048 per vCPU-hour to
    /// $0.004445 per GB-hour): the freed capacity saves money only once fewer nodes run.
    Ec2 {
        instance_type: String,
        instance_nusd_per_hour: u64,
        vcpu_nusd_per_hour: u64,
        gib_nusd_per_hour: u64,
    },
    /// No pod is placed yet: requests only, no price.
    Unplaced,
}

/// The right-sizing saving of the VPA `key`: current vs recommended requests × replicas and
/// the money effect. `None` without the VPA, its Deployment or a recommendation.
pub fn savings(sim: &Simulation, key: &ObjectKey) -> Option<Savings> {
    let vpa = sim.state.vpas.get(key)?;
    if vpa.status.recommendations.is_empty() {
        return None;
    }
    let dkey = ObjectKey::new(key.namespace.clone(), vpa.spec.target_name.clone());
    let d = sim.state.deployments.get(&dkey)?;
    let template = &d.spec.template.spec;
    let mut recommended = template.clone();
    apply_recommendation(vpa, &mut recommended);
    let current_per_pod = template.effective_requests();
    let recommended_per_pod = recommended.effective_requests();
    let n = crate::sim::api::count(d.spec.replicas);
    let times =
        |r: Resources| Resources::new(r.cpu.0.saturating_mul(n), r.memory.0.saturating_mul(n));
    let mut lines = vec![format!(
        "requests per pod: {} CPU / {} memory in the Deployment, {} / {} recommended; × {n} replicas = {} / {} → {} / {}",
        current_per_pod.cpu,
        current_per_pod.memory,
        recommended_per_pod.cpu,
        recommended_per_pod.memory,
        times(current_per_pod).cpu,
        times(current_per_pod).memory,
        times(recommended_per_pod).cpu,
        times(recommended_per_pod).memory,
    )];
    let pods: Vec<&Pod> = live_pods(sim, &dkey)
        .iter()
        .filter_map(|k| sim.state.pods.get(k))
        .collect();
    let on_fargate = pods
        .iter()
        .any(|p| p.spec.scheduler_name == crate::sim::eks::fargate_profile::FARGATE_SCHEDULER)
        || (pods.is_empty()
            && crate::sim::eks::fargate_profile::active_profile_for(
                &sim.state.fargate_profiles,
                &dkey.namespace,
                &d.spec.template.labels,
            )
            .is_some());
    let (compute, nusd) = if on_fargate {
        let before = fargate_size_for(current_per_pod)?;
        let after = fargate_size_for(recommended_per_pod)?;
        let rate_before = fargate_rate(before.cpu.0, before.memory_mib);
        let rate_after = fargate_rate(after.cpu.0, after.memory_mib);
        let per_pod = rate_before as i64 - rate_after as i64;
        lines.push(format!(
            "Fargate: +256 MB per pod and rounded up to a Fargate size: {before} (${}/h) → {after} (${}/h) per pod, {} per pod, {} for {n} pods",
            usd(rate_before as i64),
            usd(rate_after as i64),
            signed_usd(per_pod),
            signed_usd(per_pod * n as i64),
        ));
        lines.push("on Fargate a pod's size is fixed when it starts: only recreated pods get the new size (use Recreate or Auto, not Initial alone, eks-facts §6.3)".to_string());
        (
            SavingsCompute::Fargate {
                before,
                after,
                rate_before,
                rate_after,
            },
            per_pod * n as i64,
        )
    } else if let Some(inst) = pods.iter().find_map(|p| {
        let node = sim.state.nodes.get(p.spec.node_name.as_deref()?)?;
        sim.state.instances.get(&node.instance_id)
    }) {
        let t = instance_type(&inst.instance_type)?;
        let price = u128::from(inst.price_nusd_per_hour);
        // In 1/1024 GiB (MiB) so fractional sizes stay exact; whole-GiB types divide as before.
        let weight = u128::from(t.vcpu) * u128::from(FARGATE_VCPU_HOUR) * 1024
            + u128::from(t.memory_mib) * u128::from(FARGATE_GB_HOUR);
        let vcpu = (price * u128::from(FARGATE_VCPU_HOUR) * 1024 / weight.max(1)) as u64;
        let gib = (price * u128::from(FARGATE_GB_HOUR) * 1024 / weight.max(1)) as u64;
        let freed_cpu =
            times(current_per_pod).cpu.0 as i64 - times(recommended_per_pod).cpu.0 as i64;
        let freed_mem =
            times(current_per_pod).memory.0 as i64 - times(recommended_per_pod).memory.0 as i64;
        let value = (i128::from(freed_cpu) * i128::from(vcpu) / 1000
            + i128::from(freed_mem) * i128::from(gib) / i128::from(GIB)) as i64;
        lines.push(format!(
            "EC2 ({}, ${}/h for {} vCPU and {} GiB): split in Fargate's vCPU:GB price ratio, a vCPU is worth ${}/h and a GiB ${}/h",
            t.name,
            usd(inst.price_nusd_per_hour as i64),
            t.vcpu,
            t.memory_gib_text(),
            usd(vcpu as i64),
            usd(gib as i64),
        ));
        let change = |freed: i64, what: &str, fmt: fn(i64) -> String| match freed {
            0 => format!("keeps {what} as is"),
            f if f > 0 => format!("frees {} {what}", fmt(f)),
            f => format!("needs {} more {what}", fmt(-f)),
        };
        lines.push(format!(
            "{} and {} across {n} pods, {} at those rates — money changes only once the freed or added room changes how many nodes run (the Cluster Autoscaler removes underused nodes and adds them for Pending pods)",
            change(freed_cpu, "CPU", signed_cpu),
            change(freed_mem, "memory", signed_mem),
            if value >= 0 {
                format!("worth ${}/h", usd(value))
            } else {
                format!("costing ${}/h", usd(-value))
            },
        ));
        (
            SavingsCompute::Ec2 {
                instance_type: t.name.to_string(),
                instance_nusd_per_hour: inst.price_nusd_per_hour,
                vcpu_nusd_per_hour: vcpu,
                gib_nusd_per_hour: gib,
            },
            value,
        )
    } else {
        lines.push(
            "no pod of the Deployment is placed yet, so there is no price to apply".to_string(),
        );
        (SavingsCompute::Unplaced, 0)
    };
    Some(Savings {
        vpa: key.clone(),
        deployment: dkey,
        replicas: n,
        current_per_pod,
        recommended_per_pod,
        current_total: times(current_per_pod),
        recommended_total: times(recommended_per_pod),
        compute,
        nusd_per_hour: nusd,
        explanation: lines,
    })
}

/// Nano-dollars as dollars, exact to the tenth of a micro-dollar, at least four decimals:
/// `0.0414725`, `0.0960`.
pub fn usd(nusd: i64) -> String {
    let abs = nusd.unsigned_abs();
    let sign = if nusd < 0 { "-" } else { "" };
    let mut frac = format!("{:07}", abs % 1_000_000_000 / 100);
    while frac.len() > 4 && frac.ends_with('0') {
        frac.pop();
    }
    format!("{sign}{}.{frac}", abs / 1_000_000_000)
}

/// `saves $0.0414725/h` or `costs $0.01/h more`.
fn signed_usd(nusd: i64) -> String {
    if nusd >= 0 {
        format!("saves ${}/h", usd(nusd))
    } else {
        format!("costs ${}/h more", usd(-nusd))
    }
}

fn signed_cpu(m: i64) -> String {
    let s = MilliCpu(m.unsigned_abs()).to_string();
    if m < 0 { format!("-{s}") } else { s }
}

fn signed_mem(b: i64) -> String {
    let s = recommender::human_bytes(b.unsigned_abs());
    if b < 0 { format!("-{s}") } else { s }
}
