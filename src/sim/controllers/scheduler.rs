//! kube-scheduler (`default-scheduler`): filter plugins, scoring, binding and the upstream
//! `FailedScheduling` messages.
//!
//! Filters run in the upstream default order (NodeUnschedulable, TaintToleration,
//! NodeAffinity, NodePorts, NodeResourcesFit) and stop at the first failing plugin per node.
//! Scores are NodeResourcesFit's LeastAllocated plus BalancedAllocation, TaintToleration's
//! PreferNoSchedule count and PodTopologySpread's default zone and hostname spreading. Ties
//! are broken at random from the scheduler's own stream, as upstream does.

pub mod node_affinity;
pub mod node_ports;
pub mod node_resources_fit;
pub mod node_unschedulable;
pub mod taint_toleration;

use crate::sim::sort::CollectSorted;
use std::collections::{BTreeMap, BTreeSet};

use crate::sim::Simulation;
use crate::sim::api::{Kind, Node, ObjectKey, ObjectRef, Pod, PodConditionType, PodPhase};
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::event::{EventType, reason};
use crate::sim::quantity::Resources;

use crate::sim::api::pod::DEFAULT_SCHEDULER;

/// Unschedulable pods are retried at least this often even without a cluster change
/// (upstream `podMaxInUnschedulablePodsDuration`, 5 minutes).
const UNSCHEDULABLE_FLUSH: SimDuration = SimDuration::from_mins(5);

/// A filter result, as upstream `framework.Status` codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Success,
    /// Might fit after preemption or a change (resources, ports).
    Unschedulable(Vec<String>),
    /// Preemption cannot help (taints, affinity, cordon).
    UnschedulableAndUnresolvable(Vec<String>),
}

/// What the filters need to know about a node: the node plus what is already bound to it.
#[derive(Debug, Clone)]
pub struct NodeInfo<'a> {
    pub node: &'a Node,
    pub requested: Resources,
    pub pods: u64,
    pub gpus: u64,
    pub host_ports: BTreeSet<i32>,
    /// Pods per owning controller, for spreading.
    pub owners: BTreeMap<(Kind, ObjectKey), u64>,
}

/// Scheduler bookkeeping between steps.
#[derive(Debug, Clone, Default)]
pub struct SchedulerState {
    /// Pods waiting for a scheduling attempt, in queue order (creation order).
    pub active: BTreeSet<(u64, ObjectKey)>,
    /// Pods that failed; retried when capacity changes or after the flush interval.
    pub unschedulable: BTreeMap<ObjectKey, (u64, SimTime)>,
    /// The last FailedScheduling message per pod (only changes are logged).
    pub last_message: BTreeMap<ObjectKey, String>,
    pub seen_capacity_revision: u64,
}

/// Runs one scheduling cycle over the queue.
pub(crate) fn reconcile(sim: &mut Simulation) {
    let now = sim.now();
    let (deleted, added) = sim.watch.scheduler.take();
    for key in &deleted {
        forget(sim, key);
    }
    let s = &mut sim.controllers.scheduler;
    s.active.extend(added);
    let capacity_changed = s.seen_capacity_revision != sim.watch.capacity_revision;
    if capacity_changed
        || s.unschedulable
            .values()
            .any(|(_, t)| now.saturating_sub(*t) >= UNSCHEDULABLE_FLUSH)
    {
        s.seen_capacity_revision = sim.watch.capacity_revision;
        let retry: Vec<(ObjectKey, u64)> = s
            .unschedulable
            .iter()
            .map(|(k, (uid, _))| (k.clone(), *uid))
            .collect();
        s.unschedulable.clear();
        for (k, uid) in retry {
            s.active.insert((uid, k));
        }
    }
    if s.active.is_empty() {
        return;
    }
    let queue: Vec<(u64, ObjectKey)> = std::mem::take(&mut s.active).into_iter().collect();

    // One snapshot per cycle, updated as pods are bound (upstream's scheduler cache).
    let mut infos = snapshot(&sim.state);
    let mut bindings: Vec<(ObjectKey, String)> = Vec::new();
    let mut failures: Vec<(ObjectKey, u64, String)> = Vec::new();
    for (uid, key) in queue {
        let Some(pod) = sim.state.pods.get(&key) else {
            continue;
        };
        if pod.meta.uid != uid
            || pod.spec.node_name.is_some()
            || pod.is_terminating()
            || pod.spec.scheduler_name != DEFAULT_SCHEDULER
        {
            continue;
        }
        match schedule_one(pod, &infos, &mut sim.rng.scheduler) {
            Ok(node_name) => {
                if let Some(info) = infos.iter_mut().find(|i| i.node.name() == node_name) {
                    add_pod(info, pod);
                }
                bindings.push((key, node_name));
            }
            Err(message) => failures.push((key, uid, message)),
        }
    }
    drop(infos);

    for (key, node_name) in bindings {
        bind(sim, &key, &node_name, DEFAULT_SCHEDULER);
    }
    for (key, uid, message) in failures {
        let s = &mut sim.controllers.scheduler;
        s.unschedulable.insert(key.clone(), (uid, now));
        if s.last_message.get(&key) == Some(&message) {
            continue;
        }
        s.last_message.insert(key.clone(), message.clone());
        if let Some(pod) = sim.state.pods.get_mut(&key) {
            pod.set_condition(
                PodConditionType::PodScheduled,
                false,
                "Unschedulable",
                &message,
                now,
            );
        }
        sim.record(
            EventType::Warning,
            reason::FAILED_SCHEDULING,
            ObjectRef::new(Kind::Pod, key.namespace.clone(), key.name.clone()),
            message,
            DEFAULT_SCHEDULER,
        );
    }
}

/// Binds a pod to a node through the API server's binding subresource.
pub(crate) fn bind(
    sim: &mut Simulation,
    key: &ObjectKey,
    node_name: &str,
    scheduler: &'static str,
) {
    if crate::sim::api_server::bind(sim, key, node_name, scheduler) {
        sim.controllers.scheduler.last_message.remove(key);
    }
}

/// Builds NodeInfos for every node from the pods bound to them.
pub fn snapshot(state: &crate::sim::state::State) -> Vec<NodeInfo<'_>> {
    let mut infos: BTreeMap<&str, NodeInfo<'_>> = state
        .nodes
        .values()
        .map(|n| {
            (
                n.name(),
                NodeInfo {
                    node: n,
                    requested: Resources::ZERO,
                    pods: 0,
                    gpus: 0,
                    host_ports: BTreeSet::new(),
                    owners: BTreeMap::new(),
                },
            )
        })
        .collect_map();
    for pod in state.pods.values() {
        if !pod.occupies_node() {
            continue;
        }
        if let Some(info) = pod.spec.node_name.as_deref().and_then(|n| infos.get_mut(n)) {
            add_pod(info, pod);
        }
    }
    infos.into_values().collect()
}

fn add_pod(info: &mut NodeInfo<'_>, pod: &Pod) {
    info.requested = info.requested.saturating_add(pod.requests());
    info.pods += 1;
    info.gpus += pod.spec.gpus();
    info.host_ports.extend(pod.spec.host_ports());
    if let Some(owner) = &pod.meta.owner {
        *info
            .owners
            .entry((
                owner.kind,
                ObjectKey::new(pod.meta.namespace.clone(), owner.name.clone()),
            ))
            .or_default() += 1;
    }
}

/// Runs the filters on one node, stopping at the first failure (upstream behaviour).
pub fn filter(pod: &Pod, info: &NodeInfo<'_>) -> Status {
    for f in [
        node_unschedulable::filter,
        taint_toleration::filter,
        node_affinity::filter,
        node_ports::filter,
        node_resources_fit::filter,
    ] {
        let status = f(pod, info);
        if status != Status::Success {
            return status;
        }
    }
    Status::Success
}

/// Picks a node for `pod`, or returns the upstream FailedScheduling message.
pub fn schedule_one(
    pod: &Pod,
    infos: &[NodeInfo<'_>],
    rng: &mut crate::sim::rng::SimRng,
) -> Result<String, String> {
    if infos.is_empty() {
        // upstream ErrNoNodesAvailable
        return Err("no nodes available to schedule pods".to_string());
    }
    let mut feasible: Vec<&NodeInfo<'_>> = Vec::new();
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    let mut preemption: BTreeMap<&'static str, u64> = BTreeMap::new();
    for info in infos {
        match filter(pod, info) {
            Status::Success => feasible.push(info),
            Status::Unschedulable(rs) => {
                for r in rs {
                    *reasons.entry(r).or_default() += 1;
                }
                *preemption
                    .entry("No preemption victims found for incoming pod")
                    .or_default() += 1;
            }
            Status::UnschedulableAndUnresolvable(rs) => {
                for r in rs {
                    *reasons.entry(r).or_default() += 1;
                }
                *preemption
                    .entry("Preemption is not helpful for scheduling")
                    .or_default() += 1;
            }
        }
    }
    if feasible.is_empty() {
        return Err(fit_error(infos.len(), &reasons, &preemption));
    }
    // Score and pick the best; ties broken uniformly at random (upstream selectHost).
    let zone_counts = zone_owner_counts(pod, infos);
    let mut best: Vec<&NodeInfo<'_>> = Vec::new();
    let mut best_score = i64::MIN;
    for info in feasible {
        let s = score(pod, info, &zone_counts);
        if s > best_score {
            best_score = s;
            best.clear();
            best.push(info);
        } else if s == best_score {
            best.push(info);
        }
    }
    let pick = best[rng.index(best.len())];
    Ok(pick.node.name().to_string())
}

/// `FitError.Error()`: `0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes
/// are available: 3 No preemption victims found for incoming pod.` Reasons are sorted as
/// strings with their counts, as upstream's `sortReasonsHistogram` does.
pub fn fit_error(
    n_nodes: usize,
    reasons: &BTreeMap<String, u64>,
    preemption: &BTreeMap<&'static str, u64>,
) -> String {
    let histogram = |m: Vec<String>| {
        let mut v = m;
        crate::sim::sort::sort(&mut v);
        v.join(", ")
    };
    let main = histogram(reasons.iter().map(|(r, n)| format!("{n} {r}")).collect());
    let pre = histogram(preemption.iter().map(|(r, n)| format!("{n} {r}")).collect());
    format!(
        "0/{n_nodes} nodes are available: {main}. preemption: 0/{n_nodes} nodes are available: {pre}."
    )
}

fn owner_key(pod: &Pod) -> Option<(Kind, ObjectKey)> {
    pod.meta.owner.as_ref().map(|o| {
        (
            o.kind,
            ObjectKey::new(pod.meta.namespace.clone(), o.name.clone()),
        )
    })
}

fn zone_owner_counts(pod: &Pod, infos: &[NodeInfo<'_>]) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    if let Some(k) = owner_key(pod) {
        for info in infos {
            *m.entry(info.node.zone.clone()).or_default() +=
                info.owners.get(&k).copied().unwrap_or(0);
        }
    }
    m
}

/// Weighted sum of the default score plugins (weights from the upstream default profile:
/// NodeResourcesFit 1, NodeResourcesBalancedAllocation 1, TaintToleration 3,
/// PodTopologySpread 2), each on a 0–100 scale.
fn score(pod: &Pod, info: &NodeInfo<'_>, zone_counts: &BTreeMap<String, u64>) -> i64 {
    let least = node_resources_fit::least_allocated_score(pod, info);
    let balanced = node_resources_fit::balanced_allocation_score(pod, info);
    let taint = taint_toleration::score(pod, info);
    let spread = spread_score(pod, info, zone_counts);
    least + balanced + 3 * taint + 2 * spread
}

/// PodTopologySpread's system defaults (zone maxSkew 5, hostname maxSkew 3, ScheduleAnyway):
/// fewer pods of the same owner in the node's zone and on the node score higher.
fn spread_score(pod: &Pod, info: &NodeInfo<'_>, zone_counts: &BTreeMap<String, u64>) -> i64 {
    let Some(k) = owner_key(pod) else { return 100 };
    let on_node = info.owners.get(&k).copied().unwrap_or(0) as i64;
    let in_zone = zone_counts.get(&info.node.zone).copied().unwrap_or(0) as i64;
    let max_zone = zone_counts.values().copied().max().unwrap_or(0) as i64;
    let zone_part = if max_zone == 0 {
        100
    } else {
        100 * (max_zone - in_zone) / max_zone
    };
    let node_part = 100 - (on_node * 10).min(100);
    i64::midpoint(zone_part, node_part)
}

/// Pods waiting in the queue or marked unschedulable, for explanations.
pub fn pending_reason(sim: &Simulation, key: &ObjectKey) -> Option<String> {
    sim.controllers.scheduler.last_message.get(key).cloned()
}

/// Removes a deleted pod from the queues.
fn forget(sim: &mut Simulation, key: &ObjectKey) {
    let s = &mut sim.controllers.scheduler;
    s.unschedulable.remove(key);
    s.last_message.remove(key);
    s.active.retain(|(_, k)| k != key);
}

/// Is the pod still waiting for the default scheduler?
pub fn is_pending_default(pod: &Pod) -> bool {
    pod.status.phase == PodPhase::Pending
        && pod.spec.node_name.is_none()
        && pod.spec.scheduler_name == DEFAULT_SCHEDULER
}
