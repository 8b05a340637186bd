//! kube-scheduler (`default-scheduler`): filter plugins, scoring, binding and the upstream
//! `FailedScheduling` messages.
//!
//! Filters run in the upstream default order (NodeUnschedulable, TaintToleration,
//! NodeAffinity, NodePorts, NodeResourcesFit) and stop at the first failing plugin per node.
//! Scores are NodeResourcesFit's LeastAllocated plus BalancedAllocation, TaintToleration's
//! PreferNoSchedule count and PodTopologySpread's default zone and hostname spreading. Ties
//! are broken at random from the scheduler's own stream, as upstream does.

pub mod cache;
pub mod node_affinity;
pub mod node_ports;
pub mod node_resources_fit;
pub mod node_unschedulable;
pub mod taint_toleration;
#[cfg(test)]
pub(crate) mod testing;

use crate::sim::sort::CollectSorted;
use std::collections::{BTreeMap, BTreeSet};

use crate::sim::Simulation;
use crate::sim::api::{Kind, Node, ObjectKey, ObjectRef, Pod, PodConditionType, PodPhase};
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::event::{EventType, reason};
use crate::sim::quantity::Resources;
use crate::sim::rng::SimRng;
use crate::sim::state::State;
use cache::{Cache, OwnerId, PodFacts, ZoneId};

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
    /// What is bound to each node, kept up to date on change.
    pub cache: Cache,
    /// Where the next pod's filtering starts (upstream `nextStartNodeIndex`).
    pub next_start_node_index: usize,
}

/// Runs one scheduling cycle over the queue.
pub(crate) fn reconcile(sim: &mut Simulation) {
    let now = sim.now();
    let (deleted, added) = sim.watch.scheduler.take();
    for key in &deleted {
        forget(sim, key);
    }
    // The node cache follows the pods the API server and the kubelet changed since the last
    // turn (bound, created bound, finished, resized), after forgetting the deleted ones.
    for key in std::mem::take(&mut sim.watch.scheduler_cache) {
        pod_changed(sim, &key);
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
    let cycle = schedule_queue(&sim.state, s, &mut sim.rng.scheduler);
    for (key, node_name) in cycle.bindings {
        bind(sim, &key, &node_name, DEFAULT_SCHEDULER);
    }
    for (key, uid, message) in cycle.failures {
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

/// What a scheduling cycle decided: the nodes chosen (already counted in the cache, as
/// upstream's assumed pods) and the pods that fit nowhere, with their message.
#[derive(Debug, Clone, Default)]
pub struct Cycle {
    pub bindings: Vec<(ObjectKey, String)>,
    pub failures: Vec<(ObjectKey, u64, String)>,
}

/// One node as a cycle sees it: the filters' view and its pods per owner.
struct Candidate<'a> {
    info: NodeInfo<'a>,
    zone: Option<ZoneId>,
    owners: Vec<(OwnerId, u32)>,
}

/// Schedules every pod in the queue against the store's nodes, in queue order; each placement
/// is counted before the next pod is tried. The store is only read: the caller binds.
pub fn schedule_queue(state: &State, s: &mut SchedulerState, rng: &mut SimRng) -> Cycle {
    s.cache.align(&state.nodes);
    #[cfg(debug_assertions)]
    s.cache.check(state);
    let mut nodes: Vec<Candidate<'_>> = s
        .cache
        .usages(&state.nodes)
        .map(|(node, u)| Candidate {
            info: u.info(node),
            zone: u.zone,
            owners: u.owners.clone(),
        })
        .collect();
    let mut cycle = Cycle::default();
    for (uid, key) in std::mem::take(&mut s.active) {
        let Some(pod) = state.pods.get(&key) else {
            continue;
        };
        if pod.meta.uid != uid
            || pod.spec.node_name.is_some()
            || pod.is_terminating()
            || pod.spec.scheduler_name != DEFAULT_SCHEDULER
        {
            continue;
        }
        let facts = s.cache.facts(pod);
        match schedule_one(pod, &facts, &nodes, s, rng) {
            Ok(i) => {
                let c = &mut nodes[i];
                c.info.requested = c.info.requested.saturating_add(facts.requests);
                c.info.pods += 1;
                c.info.gpus += facts.gpus;
                c.info.host_ports.extend(facts.host_ports.iter().copied());
                if let Some(o) = facts.owner {
                    match c.owners.iter_mut().find(|(id, _)| *id == o) {
                        Some((_, n)) => *n += 1,
                        None => c.owners.push((o, 1)),
                    }
                }
                let name = c.info.node.name();
                s.cache.add(&key, name, facts);
                cycle.bindings.push((key, name.to_string()));
            }
            Err(message) => cycle.failures.push((key, uid, message)),
        }
    }
    cycle
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

/// Builds NodeInfos for every node from the pods bound to them (the Cluster Autoscaler's
/// snapshot; the scheduler keeps its own cache).
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
                },
            )
        })
        .collect_map();
    for pod in state.pods.values() {
        if !pod.occupies_node() {
            continue;
        }
        if let Some(info) = pod.spec.node_name.as_deref().and_then(|n| infos.get_mut(n)) {
            info.requested = info.requested.saturating_add(pod.requests());
            info.pods += 1;
            info.gpus += pod.spec.gpus();
            info.host_ports.extend(pod.spec.host_ports());
        }
    }
    infos.into_values().collect()
}

/// A pod in the store changed in a way the node cache follows (bound, created bound, finished,
/// resized): the cache records it as it now is (upstream's `UpdatePod`).
fn pod_changed(sim: &mut Simulation, key: &ObjectKey) {
    let cache = &mut sim.controllers.scheduler.cache;
    match sim.state.pods.get(key) {
        Some(pod) if pod.occupies_node() => {
            let facts = cache.facts(pod);
            let node = pod.spec.node_name.as_deref().unwrap_or_default();
            cache.add(key, node, facts);
        }
        _ => cache.remove(key),
    }
}

/// Runs the filters on one node, stopping at the first failure (upstream behaviour).
pub fn filter(pod: &Pod, info: &NodeInfo<'_>) -> Status {
    let mut status = node_unschedulable::filter(pod, info);
    if status == Status::Success {
        status = taint_toleration::filter(pod, info);
    }
    if status == Status::Success {
        status = node_affinity::filter(pod, info);
    }
    if status == Status::Success {
        status = node_ports::filter(pod, info);
    }
    if status == Status::Success {
        status = node_resources_fit::filter(pod, info);
    }
    status
}

/// How many feasible nodes the filters look for before scoring (upstream
/// `numFeasibleNodesToFind` with the default adaptive `percentageOfNodesToScore`): every node
/// below 100; else `max(5, 50 − nodes/125)` percent of them, at least 100.
pub fn num_feasible_nodes_to_find(n_nodes: usize) -> usize {
    const MIN_FEASIBLE_NODES_TO_FIND: usize = 100;
    const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND: usize = 5;
    if n_nodes < MIN_FEASIBLE_NODES_TO_FIND {
        return n_nodes;
    }
    let percentage = 50usize
        .saturating_sub(n_nodes / 125)
        .max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
    (n_nodes * percentage / 100).max(MIN_FEASIBLE_NODES_TO_FIND)
}

/// Picks a node for `pod` (its index in `nodes`), or returns the upstream FailedScheduling
/// message. Filtering starts where the last pod's stopped and ends once enough feasible nodes
/// are found (upstream `findNodesThatPassFilters`); a pod that fits nowhere has been tried on
/// every node.
fn schedule_one(
    pod: &Pod,
    facts: &PodFacts,
    nodes: &[Candidate<'_>],
    s: &mut SchedulerState,
    rng: &mut SimRng,
) -> Result<usize, String> {
    if nodes.is_empty() {
        // upstream ErrNoNodesAvailable
        return Err("no nodes available to schedule pods".to_string());
    }
    let n_nodes = nodes.len();
    let to_find = num_feasible_nodes_to_find(n_nodes);
    let start = s.next_start_node_index % n_nodes;
    let mut feasible: Vec<usize> = Vec::new();
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    let mut preemption: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut processed = 0;
    for i in (start..n_nodes).chain(0..start) {
        processed += 1;
        match filter(pod, &nodes[i].info) {
            Status::Success => {
                feasible.push(i);
                if feasible.len() >= to_find {
                    break;
                }
            }
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
    s.next_start_node_index = (start + processed) % n_nodes;
    if feasible.is_empty() {
        return Err(fit_error(n_nodes, &reasons, &preemption));
    }
    // Score and pick the best; ties broken uniformly at random (upstream selectHost).
    let spread = facts.owner.map(|o| {
        let counts = s.cache.spread(o);
        (o, counts, counts.iter().copied().max().unwrap_or(0))
    });
    let mut best: Vec<usize> = Vec::new();
    let mut best_score = i64::MIN;
    for i in feasible {
        let score = score(pod, &nodes[i], spread);
        if score > best_score {
            best_score = score;
            best.clear();
            best.push(i);
        } else if score == best_score {
            best.push(i);
        }
    }
    Ok(best[rng.index(best.len())])
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

/// Weighted sum of the default score plugins (weights from the upstream default profile:
/// NodeResourcesFit 1, NodeResourcesBalancedAllocation 1, TaintToleration 3,
/// PodTopologySpread 2), each on a 0–100 scale.
fn score(pod: &Pod, node: &Candidate<'_>, spread: Option<(OwnerId, &[u32], u32)>) -> i64 {
    let info = &node.info;
    let least = node_resources_fit::least_allocated_score(pod, info);
    let balanced = node_resources_fit::balanced_allocation_score(pod, info);
    let taint = taint_toleration::score(pod, info);
    let spread = spread.map_or(100, |(owner, zones, max_zone)| {
        let on_node = node
            .owners
            .iter()
            .find(|(o, _)| *o == owner)
            .map_or(0, |(_, n)| *n);
        let in_zone = node
            .zone
            .and_then(|z| zones.get(z as usize).copied())
            .unwrap_or(0);
        spread_score(on_node, in_zone, max_zone)
    });
    least + balanced + 3 * taint + 2 * spread
}

/// PodTopologySpread's system defaults (zone maxSkew 5, hostname maxSkew 3, ScheduleAnyway):
/// fewer pods of the same owner in the node's zone and on the node score higher.
pub fn spread_score(on_node: u32, in_zone: u32, max_zone: u32) -> i64 {
    let (on_node, in_zone, max_zone) =
        (i64::from(on_node), i64::from(in_zone), i64::from(max_zone));
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
    s.cache.remove(key);
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

#[cfg(test)]
mod tests {
    use super::testing::{node, pod};
    use super::*;
    use crate::sim::spec::LabSpec;

    #[test]
    fn num_feasible_nodes_to_find_follows_upstream() {
        // (nodes, feasible nodes to find): upstream's TestNumFeasibleNodesToFind with the
        // adaptive default percentage.
        for (n, want) in [
            (0, 0),
            (10, 10),
            (99, 99),
            (100, 100),
            (101, 100),
            (1000, 420),
            (5000, 500),
            (6000, 300),
            (10_000, 500),
        ] {
            assert_eq!(num_feasible_nodes_to_find(n), want, "{n} nodes");
        }
    }

    #[test]
    fn spread_score_prefers_emptier_zones_and_nodes() {
        // (on node, in zone, fullest zone, score)
        for (on_node, in_zone, max_zone, want) in [
            (0, 0, 0, 100),
            (0, 0, 4, 100),
            (0, 4, 4, 50),
            (2, 2, 4, 65),
            (10, 4, 4, 0),
        ] {
            assert_eq!(spread_score(on_node, in_zone, max_zone), want);
        }
    }

    fn store(nodes: &[Node], pods: &[Pod]) -> State {
        let mut spec = LabSpec::default();
        spec.settings.skip_cluster_creation = true;
        let mut state = Simulation::new(spec).unwrap().state.clone();
        state.pods.clear();
        for n in nodes {
            state.nodes.insert(n.meta.name.clone(), n.clone());
        }
        for p in pods {
            state.pods.insert(p.meta.key(), p.clone());
        }
        state
    }

    fn enqueue_all(s: &mut SchedulerState, state: &State) {
        for p in state.pods.values() {
            if p.spec.node_name.is_none() {
                s.active.insert((p.meta.uid, p.meta.key()));
            }
        }
    }

    #[test]
    fn a_cycle_counts_each_placement_before_the_next_pod() {
        let nodes = [
            node("a").allocatable(1000, 4096).obj(),
            node("b").allocatable(1000, 4096).obj(),
        ];
        let pods: Vec<Pod> = (0..3)
            .map(|i| pod(&format!("p{i}")).uid(i + 1).requests(600, 0).obj())
            .collect();
        let state = store(&nodes, &pods);
        let mut s = SchedulerState::default();
        enqueue_all(&mut s, &state);
        let cycle = schedule_queue(&state, &mut s, &mut SimRng::stream(1, "scheduler"));
        let mut chosen: Vec<&str> = cycle.bindings.iter().map(|(_, n)| n.as_str()).collect();
        crate::sim::sort::sort(&mut chosen);
        assert_eq!(chosen, ["a", "b"]);
        assert_eq!(cycle.failures.len(), 1);
        assert_eq!(
            cycle.failures[0].2,
            "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
        );
    }

    #[test]
    fn large_clusters_filter_from_a_rotating_start() {
        // 1,000 nodes: 420 feasible nodes are enough, and the next pod starts after them.
        let nodes: Vec<Node> = (0..1000).map(|i| node(&format!("n{i:04}")).obj()).collect();
        let mut state = store(&nodes, &[pod("p").uid(1).obj(), pod("q").uid(2).obj()]);
        let mut s = SchedulerState::default();
        s.active.insert((1, pod("p").obj().meta.key()));
        let mut rng = SimRng::stream(1, "scheduler");
        let first = schedule_queue(&state, &mut s, &mut rng);
        assert_eq!(s.next_start_node_index, 420);
        let n: usize = first.bindings[0].1[1..].parse().unwrap();
        assert!(n < 420, "placed on n{n}, outside the first 420 nodes");
        // The caller binds (the next cycle checks the cache against the store).
        let (key, node_name) = first.bindings[0].clone();
        state.pods.get_mut(&key).unwrap().spec.node_name = Some(node_name);
        s.active.insert((2, pod("q").obj().meta.key()));
        let second = schedule_queue(&state, &mut s, &mut rng);
        let n: usize = second.bindings[0].1[1..].parse().unwrap();
        assert!((420..840).contains(&n), "placed on n{n}");
        assert_eq!(s.next_start_node_index, 840);
    }

    #[test]
    fn a_pod_that_fits_nowhere_is_tried_on_every_node() {
        let nodes: Vec<Node> = (0..300)
            .map(|i| node(&format!("n{i:03}")).allocatable(500, 1024).obj())
            .collect();
        let state = store(&nodes, &[pod("big").uid(1).requests(1000, 0).obj()]);
        let mut s = SchedulerState {
            next_start_node_index: 123,
            ..SchedulerState::default()
        };
        enqueue_all(&mut s, &state);
        let cycle = schedule_queue(&state, &mut s, &mut SimRng::stream(1, "scheduler"));
        assert!(
            cycle.failures[0]
                .2
                .starts_with("0/300 nodes are available: 300 Insufficient cpu.")
        );
        assert_eq!(s.next_start_node_index, 123);
    }

    #[test]
    fn the_cache_follows_pods_and_nodes() {
        let a = node("a").zone("us-east-1a").obj();
        let b = node("b").zone("us-east-1b").obj();
        let web_pod = |name: &str, uid: u64, on: &str| {
            pod(name)
                .uid(uid)
                .requests(100, 64)
                .host_port(80)
                .owner(Kind::ReplicaSet, "web-1")
                .node(on)
                .obj()
        };
        let mut state = store(&[a, b], &[web_pod("p1", 1, "a"), web_pod("p2", 2, "a")]);
        let mut cache = Cache::default();
        for p in state.pods.values() {
            let facts = cache.facts(p);
            cache.add(&p.meta.key(), "a", facts);
        }
        cache.align(&state.nodes);
        cache.check(&state);
        let usage = cache.usages(&state.nodes).next().unwrap().1;
        assert_eq!((usage.pods, usage.requested.cpu.0), (2, 200));
        assert_eq!(usage.host_ports, [80, 80]);
        let owner = cache.facts(&web_pod("x", 9, "a")).owner.unwrap();
        assert_eq!(cache.spread(owner), [2]);

        // One pod goes: its port stays taken by the other.
        let gone = pod("p1").obj().meta.key();
        state.pods.remove(&gone);
        cache.remove(&gone);
        cache.check(&state);
        let usage = cache.usages(&state.nodes).next().unwrap().1;
        assert_eq!(usage.host_ports, [80]);

        // Node a goes: its pod no longer counts towards its zone; b still has an entry.
        state.nodes.remove("a");
        cache.align(&state.nodes);
        cache.check(&state);
        assert_eq!(cache.spread(owner), [0]);
        assert_eq!(cache.usages(&state.nodes).count(), 1);

        // A node named a comes back in another zone: the pod counts there.
        let a2 = node("a").zone("us-east-1c").obj();
        state.nodes.insert("a".into(), a2);
        cache.align(&state.nodes);
        cache.check(&state);
        assert_eq!(cache.spread(owner), [0, 0, 1]);
    }
}
