//! The VPA updater (kubernetes/autoscaler `vertical-pod-autoscaler/pkg/updater`): once a
//! minute, for VPAs in `Recreate`, `Auto` or `InPlaceOrRecreate` mode, it picks the pods whose
//! requests are off the recommendation and evicts them through the eviction API (so
//! PodDisruptionBudgets apply) or, in `InPlaceOrRecreate`, asks the kubelet to resize them in
//! place.
//!
//! Upstream rules, with their sources:
//! - `priority/priority_processor.go` and `update_priority_calculator.go`: a pod is a
//!   candidate when a request is outside `[lower bound, upper bound]`, or when it has run 12 h
//!   (`--in-recommendation-bounds-eviction-lifetime-threshold`) and its requests differ from
//!   the targets by at least 10% in sum (`--pod-update-threshold`); pods that need more go
//!   first, then the biggest relative change.
//! - `restriction/pods_restriction_factory.go`: per ReplicaSet, nothing happens below
//!   `minReplicas` live pods (default 2); at most `replicas × 0.5` (truncated) pods may be
//!   down at once (`--eviction-tolerance`), one when that is zero and all pods run.
//! - `restriction/pods_inplace_restriction.go`: a resize the kubelet finds infeasible falls
//!   back to eviction at the next loop, a deferred one after 5 minutes.
//! - `logic/updater.go`: with `--use-admission-controller-status` (default true) the updater
//!   evicts nothing while the admission controller is not running.
//!
//! The kubelet's side of an in-place resize is decided at once: the pod's new requests must
//! fit the node's allocatable (else `Infeasible`) and what the other pods leave free (else
//! `Deferred`, retried every minute); the pod keeps running, with the same name and uid.
//! Not modelled: `evictionRequirements`, the eviction rate limiter (off by default),
//! quick-OOM evictions, and in-place resize on Fargate (its micro-VM size is fixed when the
//! pod starts, so the lab falls back to eviction).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::recommender::{MAX_RESOURCE_AMOUNT, human_bytes};
use super::{
    ADMISSION_CONTROLLER, DEFAULT_MIN_REPLICAS, EVICTION_TOLERANCE_PERCENT, UPDATER,
    UPDATER_SOURCE, apply_recommendation, component_ready, live_pods, notes_mut, reason,
    recommended_requests,
};
use crate::sim::Simulation;
use crate::sim::api::vpa::{UpdateMode, VerticalPodAutoscaler};
use crate::sim::api::{Kind, ObjectKey, ObjectRef, Pod, PodPhase, PodSpec};
use crate::sim::api_server::{self, EvictionError, pod_ref};
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::event::{self, EventType};
use crate::sim::quantity::{Bytes, MilliCpu, Resources};

/// `--in-recommendation-bounds-eviction-lifetime-threshold`.
pub const POD_LIFETIME_UPDATE_THRESHOLD: SimDuration = SimDuration::from_hours(12);
/// `--pod-update-threshold`: the least relative change worth an update.
pub const MIN_CHANGE_PRIORITY: f64 = 0.1;
/// `DeferredResizeUpdateTimeout`: a deferred resize falls back to eviction after this.
pub const DEFERRED_RESIZE_TIMEOUT: SimDuration = SimDuration::from_mins(5);
/// In-place pod resize is on by default from Kubernetes 1.33 (beta).
pub const IN_PLACE_RESIZE_MINOR: u32 = 33;

/// Why the kubelet has not applied a resize (`PodResizePending` reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResizePending {
    /// It would fit the node, but not next to the pods already there.
    Deferred,
    /// It would not fit the node even if empty.
    Infeasible,
}

impl ResizePending {
    pub const fn as_str(self) -> &'static str {
        match self {
            ResizePending::Deferred => "Deferred",
            ResizePending::Infeasible => "Infeasible",
        }
    }
}

/// A resize the kubelet holds back (the pod's `PodResizePending` condition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingResize {
    pub uid: u64,
    pub reason: ResizePending,
    pub message: String,
    /// When the updater asked (upstream's last in-place attempt time).
    pub since: SimTime,
    /// The containers' desired resources.
    pub desired: PodSpec,
}

/// A pod the updater wants to change.
#[derive(Debug, Clone)]
struct Candidate {
    pod: ObjectKey,
    scale_up: bool,
    diff: f64,
    why: String,
}

/// A ReplicaSet's pods as the eviction restriction sees them (`singleGroupStats`).
#[derive(Debug, Clone, Copy, Default)]
struct Group {
    configured: u64,
    running: u64,
    tolerance: u64,
    evicted: u64,
    in_place: u64,
}

impl Group {
    /// `isPodDisruptable`.
    fn disruptable(&self) -> bool {
        let should_be_alive = self.configured as i64 - self.tolerance as i64;
        let alive = self.running as i64 - (self.evicted + self.in_place) as i64;
        alive > should_be_alive
            || (self.configured == self.running
                && self.tolerance == 0
                && self.evicted == 0
                && self.in_place == 0)
    }

    /// How many pods may be down at once.
    fn at_once(&self) -> u64 {
        self.tolerance.max(1)
    }
}

/// The updater's loop (and the kubelet's retry of deferred resizes).
pub(super) fn run(sim: &mut Simulation) {
    forget_gone(sim);
    retry_deferred(sim);
    let updater_ok = component_ready(sim, UPDATER);
    let admission_ok = component_ready(sim, ADMISSION_CONTROLLER);
    let keys: Vec<ObjectKey> = sim.state.vpas.keys().cloned().collect();
    for key in keys {
        let vpa = sim.state.vpas[&key].clone();
        let lines = match vpa.spec.update_mode {
            UpdateMode::Off => vec![
                "updater: mode Off: the VPA only recommends; pods are never changed".to_string(),
            ],
            UpdateMode::Initial => vec![
                "updater: mode Initial: the recommendation is applied only when a pod is created (a `kubectl rollout restart` picks it up); running pods are left alone".to_string(),
            ],
            _ if !updater_ok => vec![
                "updater: no Ready vpa-updater pod in kube-system: running pods are not updated".to_string(),
            ],
            _ if !admission_ok => vec![
                "updater: the vpa-admission-controller is not Ready, so the updater evicts nothing (`--use-admission-controller-status`: a recreated pod would come back with its old requests)".to_string(),
            ],
            _ if vpa.status.recommendations.is_empty() => {
                vec!["updater: no recommendation yet: nothing to apply".to_string()]
            }
            _ => update(sim, &vpa),
        };
        notes_mut(sim, &key).updater = lines;
    }
}

/// Drops the memory of pods that are gone.
fn forget_gone(sim: &mut Simulation) {
    let pods = &sim.state.pods;
    sim.controllers
        .vpa
        .resizes
        .retain(|k, r| pods.get(k).is_some_and(|p| p.meta.uid == r.uid));
    sim.controllers
        .vpa
        .blocked
        .retain(|k| pods.get(k).is_some_and(|p| !p.is_terminating()));
}

/// One VPA's update pass; returns its explanation lines.
fn update(sim: &mut Simulation, vpa: &VerticalPodAutoscaler) -> Vec<String> {
    let now = sim.now();
    let vkey = vpa.meta.key();
    let dkey = ObjectKey::new(vpa.meta.namespace.clone(), vpa.spec.target_name.clone());
    let live = live_pods(sim, &dkey);
    if live.is_empty() {
        return vec![format!(
            "updater: Deployment {} has no live pods to update",
            dkey.name
        )];
    }
    let min_replicas =
        crate::sim::api::count(vpa.spec.min_replicas.unwrap_or(DEFAULT_MIN_REPLICAS));
    let mut lines = Vec::new();
    if vpa.spec.update_mode == UpdateMode::Auto {
        lines.push(
            "updater: mode Auto is deprecated and works as Recreate (upstream asks for Recreate or InPlaceOrRecreate instead)".to_string(),
        );
    }
    // Pods by ReplicaSet, and each ReplicaSet's restriction.
    let mut by_rs: BTreeMap<String, Vec<ObjectKey>> = BTreeMap::new();
    for k in &live {
        if let Some(o) = sim.state.pods[k].meta.owner.as_ref() {
            by_rs.entry(o.name.clone()).or_default().push(k.clone());
        }
    }
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut group_of: BTreeMap<ObjectKey, String> = BTreeMap::new();
    for (rs, pods) in &by_rs {
        let n = pods.len() as u64;
        if n < min_replicas {
            lines.push(format!(
                "updater: not evicting: only {n} live replica{} (minReplicas {min_replicas})",
                if n == 1 { "" } else { "s" }
            ));
            continue;
        }
        let rskey = ObjectKey::new(dkey.namespace.clone(), rs.clone());
        let configured = sim
            .state
            .replicasets
            .get(&rskey)
            .map_or(0, |r| crate::sim::api::count(r.replicas));
        if configured == 0 {
            continue;
        }
        let pending = pods
            .iter()
            .filter(|k| sim.state.pods[*k].status.phase == PodPhase::Pending)
            .count() as u64;
        groups.insert(
            rs.clone(),
            Group {
                configured,
                running: n - pending,
                tolerance: configured * EVICTION_TOLERANCE_PERCENT / 100,
                evicted: 0,
                in_place: 0,
            },
        );
        for k in pods {
            group_of.insert(k.clone(), rs.clone());
        }
    }
    // The candidates, highest priority first; equal ones in a seeded random order, as
    // upstream's unstable sort of a lister's list leaves them.
    let mut candidates: Vec<Candidate> = live
        .iter()
        .filter(|k| group_of.contains_key(*k))
        .filter_map(|k| candidate(sim.state.pods.get(k)?, vpa, now))
        .collect();
    for i in (1..candidates.len()).rev() {
        let j = sim.rng.vpa.index(i + 1);
        candidates.swap(i, j);
    }
    crate::sim::sort::sort_by(&mut candidates, |a, b| {
        b.scale_up.cmp(&a.scale_up).then(b.diff.total_cmp(&a.diff))
    });
    if candidates.is_empty() && groups.is_empty() {
        return lines;
    }
    if candidates.is_empty() {
        lines.push(format!(
            "updater: all {} pods are within the recommended range{}; pods inside it are only updated after 12h of running and when 10% or more off the target",
            live.len(),
            ranges(vpa)
        ));
        return lines;
    }
    let mut to_evict: Vec<Candidate> = Vec::new();
    if vpa.spec.update_mode == UpdateMode::InPlaceOrRecreate {
        for c in candidates {
            let Some(g) = group_of.get(&c.pod).and_then(|rs| groups.get_mut(rs)) else {
                continue;
            };
            let pod = &sim.state.pods[&c.pod];
            if pod.status.phase == PodPhase::Pending {
                lines.push(format!(
                    "updater: {} is Pending: its resize waits until it runs",
                    c.pod.name
                ));
                continue;
            }
            if let Some(r) = sim.controllers.vpa.resizes.get(&c.pod).cloned() {
                let waited = now.saturating_sub(r.since);
                if g.disruptable()
                    && (r.reason == ResizePending::Infeasible || waited > DEFERRED_RESIZE_TIMEOUT)
                {
                    lines.push(format!(
                        "updater: the in-place resize of {} is {} ({}): evicting it instead, so it is recreated with the recommendation",
                        c.pod.name,
                        r.reason.as_str(),
                        r.message
                    ));
                    to_evict.push(c);
                } else {
                    lines.push(format!(
                        "updater: the in-place resize of {} is deferred by the kubelet ({}); it falls back to eviction after {} deferred",
                        c.pod.name, r.message, DEFERRED_RESIZE_TIMEOUT
                    ));
                }
                continue;
            }
            if !g.disruptable() {
                lines.push(format!(
                    "updater: {} waits: at most {} of {} pods are changed at once (eviction tolerance {EVICTION_TOLERANCE_PERCENT}%)",
                    c.pod.name,
                    g.at_once(),
                    g.configured
                ));
                continue;
            }
            if let Some(why_not) = in_place_impossible(sim, pod) {
                lines.push(format!(
                    "updater: {} cannot be resized in place ({why_not}): evicting it instead",
                    c.pod.name
                ));
                to_evict.push(c);
                continue;
            }
            g.in_place += 1;
            let resized = resize_in_place(sim, vpa, &c);
            lines.push(resized);
        }
    } else {
        to_evict = candidates;
    }
    for c in to_evict {
        let Some(g) = group_of.get(&c.pod).and_then(|rs| groups.get_mut(rs)) else {
            continue;
        };
        let pending = sim
            .state
            .pods
            .get(&c.pod)
            .is_some_and(|p| p.status.phase == PodPhase::Pending);
        if !pending && !g.disruptable() {
            lines.push(format!(
                "updater: {} waits ({}): at most {} of {} pods may go at once (eviction tolerance {EVICTION_TOLERANCE_PERCENT}%)",
                c.pod.name,
                c.why,
                g.at_once(),
                g.configured
            ));
            continue;
        }
        match api_server::evict(sim, &c.pod) {
            Ok(()) => {
                sim.record(
                    EventType::Normal,
                    reason::EVICTED_BY_VPA,
                    pod_ref(&c.pod),
                    reason::EVICTED_BY_VPA_MESSAGE.to_string(),
                    UPDATER_SOURCE,
                );
                sim.record(
                    EventType::Normal,
                    reason::EVICTED_POD,
                    ObjectRef::new(
                        Kind::VerticalPodAutoscaler,
                        vkey.namespace.clone(),
                        vkey.name.clone(),
                    ),
                    format!(
                        "VPA Updater evicted Pod {} to apply resource recommendation.",
                        c.pod.name
                    ),
                    UPDATER_SOURCE,
                );
                sim.controllers.vpa.blocked.remove(&c.pod);
                if !pending {
                    g.evicted += 1;
                }
                lines.push(format!(
                    "updater: evicting {} ({}); at most {} of {} pods may go at once (eviction tolerance {EVICTION_TOLERANCE_PERCENT}%)",
                    c.pod.name,
                    c.why,
                    g.at_once(),
                    g.configured
                ));
            }
            Err(EvictionError::DisruptionBudget { pdb }) => {
                let msg = EvictionError::DisruptionBudget { pdb: pdb.clone() }.to_string();
                lines.push(format!(
                    "updater: cannot evict {} ({}): PodDisruptionBudget {pdb} allows no disruption now ({msg})",
                    c.pod.name, c.why
                ));
                if sim.controllers.vpa.blocked.insert(c.pod.clone()) {
                    sim.record(
                        EventType::Warning,
                        event::reason::EVICTION_BLOCKED,
                        pod_ref(&c.pod),
                        format!("{msg} (PodDisruptionBudget {pdb})"),
                        UPDATER_SOURCE,
                    );
                }
            }
            Err(EvictionError::NotFound) => {}
        }
    }
    lines
}

/// The recommended ranges, for the "all within range" line.
fn ranges(vpa: &VerticalPodAutoscaler) -> String {
    let mut s = String::new();
    for r in &vpa.status.recommendations {
        let _ = write!(
            s,
            " ({}cpu {}–{}, memory {}–{})",
            if vpa.status.recommendations.len() > 1 {
                format!("{}: ", r.container_name)
            } else {
                String::new()
            },
            r.lower_bound.cpu,
            cpu_bound(r.upper_bound.cpu.0),
            mem_text(r.lower_bound.memory.0),
            mem_bound(r.upper_bound.memory.0),
        );
    }
    s
}

fn cpu_bound(m: u64) -> String {
    if m >= MAX_RESOURCE_AMOUNT {
        "unbounded".to_string()
    } else {
        MilliCpu(m).to_string()
    }
}

fn mem_bound(b: u64) -> String {
    if b >= MAX_RESOURCE_AMOUNT {
        "unbounded".to_string()
    } else {
        mem_text(b)
    }
}

/// Memory in kubectl's words when it is a whole number of MiB, else to a tenth of a MiB.
pub fn mem_text(b: u64) -> String {
    if b.is_multiple_of(1024 * 1024) {
        Bytes(b).to_string()
    } else {
        human_bytes(b)
    }
}

/// `GetUpdatePriority` and `AddPod`: is this pod worth updating, and how urgently?
fn candidate(pod: &Pod, vpa: &VerticalPodAutoscaler, now: SimTime) -> Option<Candidate> {
    if pod.is_terminating() {
        return None;
    }
    let mut outside = false;
    let mut scale_up = false;
    let mut total_request = [0u64; 2];
    let mut total_recommended = [0u64; 2];
    let mut whys: Vec<String> = Vec::new();
    for c in &pod.spec.containers {
        let Some(rec) = vpa.status.recommendation_for(&c.name) else {
            continue;
        };
        let Some(target) = recommended_requests(vpa, c) else {
            continue;
        };
        let values = [
            (
                "cpu",
                target.cpu.0,
                c.requests.cpu.0,
                rec.lower_bound.cpu.0,
                rec.upper_bound.cpu.0,
            ),
            (
                "memory",
                target.memory.0,
                c.requests.memory.0,
                rec.lower_bound.memory.0,
                rec.upper_bound.memory.0,
            ),
        ];
        for (i, (name, target, request, lower, upper)) in values.into_iter().enumerate() {
            if target == 0 {
                continue;
            }
            total_recommended[i] += target;
            if request == 0 {
                scale_up = true;
                outside = true;
                whys.push(format!("no {name} request"));
                continue;
            }
            total_request[i] += request;
            if target > request {
                scale_up = true;
            }
            if request < lower || request > upper {
                outside = true;
                let (req, lo, hi) = if i == 0 {
                    (
                        MilliCpu(request).to_string(),
                        MilliCpu(lower).to_string(),
                        cpu_bound(upper),
                    )
                } else {
                    (mem_text(request), mem_text(lower), mem_bound(upper))
                };
                whys.push(format!("{name} request {req} outside {lo}–{hi}"));
            }
        }
    }
    let mut diff = 0.0;
    for i in 0..2 {
        if total_recommended[i] == 0 {
            continue;
        }
        let request = (total_request[i] as f64).max(1.0);
        diff += (request - total_recommended[i] as f64).abs() / request;
    }
    if !outside {
        let start = pod.status.start_time?;
        if now < start + POD_LIFETIME_UPDATE_THRESHOLD || diff < MIN_CHANGE_PRIORITY {
            return None;
        }
        whys.push(format!(
            "running {} and {:.0}% off the target",
            now.saturating_sub(start),
            diff * 100.0
        ));
    }
    Some(Candidate {
        pod: pod.meta.key(),
        scale_up,
        diff,
        why: whys.join(", "),
    })
}

/// Why a running pod cannot be resized in place, if it cannot.
fn in_place_impossible(sim: &Simulation, pod: &Pod) -> Option<String> {
    if pod.spec.scheduler_name == crate::sim::eks::fargate_profile::FARGATE_SCHEDULER {
        return Some(
            "it runs on Fargate, whose micro-VM is sized once when the pod starts".to_string(),
        );
    }
    let v = sim.state.cluster.version;
    if v.major == 1 && v.minor < IN_PLACE_RESIZE_MINOR {
        return Some(format!(
            "in-place pod resize needs Kubernetes 1.{IN_PLACE_RESIZE_MINOR} or later; the cluster runs {v}"
        ));
    }
    if pod.spec.node_name.is_none() {
        return Some("it is not bound to a node".to_string());
    }
    None
}

/// Patches the pod's `resize` subresource and lets the kubelet decide.
fn resize_in_place(sim: &mut Simulation, vpa: &VerticalPodAutoscaler, c: &Candidate) -> String {
    let Some(pod) = sim.state.pods.get(&c.pod) else {
        return String::new();
    };
    let before = pod.requests();
    let mut desired = pod.spec.clone();
    apply_recommendation(vpa, &mut desired);
    sim.record(
        EventType::Normal,
        reason::IN_PLACE_RESIZED_BY_VPA,
        pod_ref(&c.pod),
        reason::IN_PLACE_RESIZED_BY_VPA_MESSAGE.to_string(),
        UPDATER_SOURCE,
    );
    if let Some(p) = sim.state.pods.get_mut(&c.pod) {
        p.meta
            .annotations
            .insert("vpaInPlaceUpdated".to_string(), "true".to_string());
        p.meta.generation += 1;
    }
    sim.state.touch();
    let after = desired.effective_requests();
    match kubelet_resize(sim, &c.pod, desired) {
        None => format!(
            "updater: resized {} in place ({}): {} CPU / {} memory → {} / {}; the pod keeps running (same name and uid, no restart)",
            c.pod.name,
            c.why,
            before.cpu,
            mem_text(before.memory.0),
            after.cpu,
            mem_text(after.memory.0)
        ),
        Some(r) => format!(
            "updater: asked to resize {} in place ({}); the kubelet answered {}: {}",
            c.pod.name,
            c.why,
            r.as_str(),
            sim.controllers
                .vpa
                .resizes
                .get(&c.pod)
                .map(|p| p.message.clone())
                .unwrap_or_default()
        ),
    }
}

/// The kubelet's admission of a resize: applied when it fits, else held back as Deferred or
/// Infeasible (`canResizePod`, with the messages of its `PodResizePending` condition).
fn kubelet_resize(
    sim: &mut Simulation,
    key: &ObjectKey,
    desired: PodSpec,
) -> Option<ResizePending> {
    let now = sim.now();
    let pod = sim.state.pods.get(key)?;
    let uid = pod.meta.uid;
    let node_name = pod.spec.node_name.clone()?;
    let alloc = sim.state.nodes.get(&node_name)?.status.allocatable;
    let want = desired.effective_requests();
    let used = sim
        .state
        .pods_on_node(&node_name)
        .filter(|p| p.meta.key() != *key)
        .fold(Resources::ZERO, |acc, p| acc.saturating_add(p.requests()));
    let pending = if want.memory > alloc.memory {
        Some((
            ResizePending::Infeasible,
            format!(
                "Node didn't have enough capacity: memory, requested: {}, capacity: {}",
                want.memory.0, alloc.memory.0
            ),
        ))
    } else if want.cpu > alloc.cpu {
        Some((
            ResizePending::Infeasible,
            format!(
                "Node didn't have enough capacity: cpu, requested: {}, capacity: {}",
                want.cpu.0, alloc.cpu.0
            ),
        ))
    } else if used.cpu.0 + want.cpu.0 > alloc.cpu.0 {
        Some((
            ResizePending::Deferred,
            format!(
                "Node didn't have enough resource: cpu, requested: {}, used: {}, capacity: {}",
                want.cpu.0, used.cpu.0, alloc.cpu.0
            ),
        ))
    } else if used.memory.0 + want.memory.0 > alloc.memory.0 {
        Some((
            ResizePending::Deferred,
            format!(
                "Node didn't have enough resource: memory, requested: {}, used: {}, capacity: {}",
                want.memory.0, used.memory.0, alloc.memory.0
            ),
        ))
    } else {
        None
    };
    let generation = pod.meta.generation;
    match pending {
        None => {
            let summary = resource_summary(&desired, generation, None);
            if let Some(p) = sim.state.pods.get_mut(key) {
                p.spec.containers = desired.containers;
                p.spec.init_containers = desired.init_containers;
            }
            sim.controllers.vpa.resizes.remove(key);
            sim.state.touch();
            sim.watch.capacity_revision += 1;
            sim.watch.scheduler_cache.insert(key.clone());
            for (reason, verb) in [
                (reason::RESIZE_STARTED, "started"),
                (reason::RESIZE_COMPLETED, "completed"),
            ] {
                sim.record(
                    EventType::Normal,
                    reason,
                    pod_ref(key),
                    format!("Pod resize {verb}: {summary}"),
                    "kubelet",
                );
            }
            None
        }
        Some((why, message)) => {
            let same = sim
                .controllers
                .vpa
                .resizes
                .get(key)
                .is_some_and(|r| r.reason == why && r.message == message);
            if !same {
                let summary = resource_summary(&desired, generation, Some(&message));
                let since = sim
                    .controllers
                    .vpa
                    .resizes
                    .get(key)
                    .map_or(now, |r| r.since);
                sim.controllers.vpa.resizes.insert(
                    key.clone(),
                    PendingResize {
                        uid,
                        reason: why,
                        message,
                        since,
                        desired,
                    },
                );
                let reason = match why {
                    ResizePending::Deferred => reason::RESIZE_DEFERRED,
                    ResizePending::Infeasible => reason::RESIZE_INFEASIBLE,
                };
                sim.record(
                    EventType::Warning,
                    reason,
                    pod_ref(key),
                    format!("Pod resize {}: {summary}", why.as_str()),
                    "kubelet",
                );
            }
            Some(why)
        }
    }
}

/// The kubelet retries deferred resizes as room frees up.
fn retry_deferred(sim: &mut Simulation) {
    let deferred: Vec<(ObjectKey, PodSpec)> = sim
        .controllers
        .vpa
        .resizes
        .iter()
        .filter(|(_, r)| r.reason == ResizePending::Deferred)
        .map(|(k, r)| (k.clone(), r.desired.clone()))
        .collect();
    for (key, desired) in deferred {
        kubelet_resize(sim, &key, desired);
    }
}

/// The JSON the kubelet's resize events carry (`pkg/kubelet/events`): the containers'
/// resources, the pod's generation and the pending reason's message.
fn resource_summary(spec: &PodSpec, generation: u64, error: Option<&str>) -> String {
    let list = |r: Resources, gpus: u64| {
        let mut parts = Vec::new();
        if r.cpu.0 > 0 {
            parts.push(format!("\"cpu\":\"{}\"", r.cpu));
        }
        if r.memory.0 > 0 {
            parts.push(format!("\"memory\":\"{}\"", r.memory));
        }
        if gpus > 0 {
            parts.push(format!("\"nvidia.com/gpu\":\"{gpus}\""));
        }
        parts.join(",")
    };
    let containers = |cs: &[crate::sim::api::Container]| {
        cs.iter()
            .map(|c| {
                let mut res = Vec::new();
                let limits = list(c.limits, c.gpus);
                if !limits.is_empty() {
                    res.push(format!("\"limits\":{{{limits}}}"));
                }
                let requests = list(c.requests, c.gpus);
                if !requests.is_empty() {
                    res.push(format!("\"requests\":{{{requests}}}"));
                }
                format!(
                    "{{\"name\":{},\"resources\":{{{}}}}}",
                    json_string(&c.name),
                    res.join(",")
                )
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = String::from("{");
    if !spec.init_containers.is_empty() {
        let _ = write!(
            out,
            "\"initContainers\":[{}],",
            containers(&spec.init_containers)
        );
    }
    if !spec.containers.is_empty() {
        let _ = write!(out, "\"containers\":[{}],", containers(&spec.containers));
    }
    let _ = write!(out, "\"generation\":{generation}");
    if let Some(e) = error {
        let _ = write!(out, ",\"error\":{}", json_string(e));
    }
    out.push('}');
    out
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eviction_tolerance_follows_upstream() {
        // (configured, running, evicted) → disruptable.
        let table: [(u64, u64, u64, bool); 7] = [
            (4, 4, 0, true),
            (4, 4, 1, true),
            (4, 4, 2, false),
            (2, 2, 0, true),
            (2, 2, 1, false),
            (3, 3, 1, false),
            (1, 1, 0, true),
        ];
        for (configured, running, evicted, want) in table {
            let g = Group {
                configured,
                running,
                tolerance: configured * EVICTION_TOLERANCE_PERCENT / 100,
                evicted,
                in_place: 0,
            };
            assert_eq!(g.disruptable(), want, "{configured}/{running}/{evicted}");
        }
    }

    #[test]
    fn resize_events_carry_the_kubelets_json() {
        let spec = PodSpec {
            containers: vec![crate::sim::api::Container {
                name: "web".into(),
                requests: Resources::new(136, 250 * 1024 * 1024),
                limits: Resources::new(0, 500 * 1024 * 1024),
                ..crate::sim::api::Container::default()
            }],
            ..PodSpec::default()
        };
        assert_eq!(
            resource_summary(&spec, 2, None),
            "{\"containers\":[{\"name\":\"web\",\"resources\":{\"limits\":{\"memory\":\"500Mi\"},\"requests\":{\"cpu\":\"136m\",\"memory\":\"250Mi\"}}}],\"generation\":2}"
        );
        assert!(
            resource_summary(&spec, 2, Some("no \"room\""))
                .ends_with(",\"error\":\"no \\\"room\\\"\"}")
        );
    }
}
