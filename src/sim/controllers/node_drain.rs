//! Cordon and drain: `kubectl cordon/drain`, and the drains EKS and eksctl run before removing
//! a node (managed node group scale-in, node group deletion).
//!
//! A drain evicts pods through the eviction API, retrying every 5 seconds while a PDB refuses
//! (as kubectl does). Drains that EKS runs give up waiting after 15 minutes and remove the node
//! anyway (eks-facts §4: PDBs are not respected for desired-count decreases).

use std::collections::BTreeSet;

use crate::sim::Simulation;
use crate::sim::api::{Kind, ObjectKey, ObjectRef, Pod, VolumeSource};
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::command::DrainOptions;
use crate::sim::event::{EventType, reason};

/// kubectl and EKS retry refused evictions every 5 seconds.
const RETRY: SimDuration = SimDuration::from_secs(5);
/// How long EKS waits for a node's pods to leave before it terminates the node (eks-facts §4).
pub const EKS_DRAIN_TIMEOUT: SimDuration = SimDuration::from_mins(15);

/// Who asked for the drain, which decides what happens when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrainPurpose {
    Kubectl(DrainOptions),
    ManagedScaleIn,
    NodegroupDelete,
    /// A managed node group update's upgrade phase (eks-facts §4): evictions respect PDBs and
    /// give up after 15 minutes with `PodEvictionFailure`, unless the update is forced, in
    /// which case refused evictions become deletions.
    NodegroupUpdate {
        force: bool,
    },
}

/// How a drain that someone waits for ended. The node group update reads it on its turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrainOutcome {
    /// Every pod left; `evicted` through the eviction API.
    Drained { evicted: u64 },
    /// EKS's 15 minutes passed with these pods still refusing eviction.
    TimedOut { waiting: Vec<ObjectKey> },
}

/// The node drain controller's state.
#[derive(Debug, Clone, Default)]
pub struct NodeDrainState {
    /// Drains in progress.
    pub drains: Vec<DrainOp>,
    /// Drains of a node group update that ended since its last turn, with their outcome.
    pub finished: Vec<DrainOp>,
}

/// A drain in progress.
#[derive(Debug, Clone)]
pub struct DrainOp {
    pub node: String,
    pub purpose: DrainPurpose,
    pub started: SimTime,
    pub next_attempt: SimTime,
    /// Pods whose refused eviction has been reported.
    pub reported: BTreeSet<ObjectKey>,
    pub evicted: u64,
    /// Set when the drain ends, for the one who waits for it.
    pub outcome: Option<DrainOutcome>,
}

fn node_ref(node: &str) -> ObjectRef {
    ObjectRef::cluster_scoped(Kind::Node, node.to_string())
}

/// `kubectl cordon` / `kubectl uncordon`.
pub(crate) fn cordon(
    sim: &mut Simulation,
    node: &str,
    unschedulable: bool,
) -> Result<String, String> {
    let Some(n) = sim.state.nodes.get_mut(node) else {
        return Err(format!(
            "Error from server (NotFound): nodes \"{node}\" not found"
        ));
    };
    let verb = if unschedulable {
        "cordoned"
    } else {
        "uncordoned"
    };
    if n.spec.unschedulable == unschedulable {
        return Ok(format!("node/{node} already {verb}"));
    }
    n.spec.unschedulable = unschedulable;
    sim.state.touch();
    if !unschedulable {
        sim.watch.capacity_revision += 1;
        sim.controllers.node_drain.drains.retain(|d| d.node != node);
    }
    let (r, status) = if unschedulable {
        (reason::NODE_NOT_SCHEDULABLE, "NodeNotSchedulable")
    } else {
        (reason::NODE_SCHEDULABLE, "NodeSchedulable")
    };
    sim.record(
        EventType::Normal,
        r,
        node_ref(node),
        format!("Node {node} status is now: {status}"),
        "kubelet",
    );
    Ok(format!("node/{node} {verb}"))
}

/// Starts draining a node: cordon, then evictions from the next step on.
pub(crate) fn start(sim: &mut Simulation, node: &str, purpose: DrainPurpose) {
    let _ = cordon(sim, node, true);
    if sim
        .controllers
        .node_drain
        .drains
        .iter()
        .any(|d| d.node == node)
    {
        return;
    }
    let now = sim.now();
    sim.controllers.node_drain.drains.push(DrainOp {
        node: node.to_string(),
        purpose,
        started: now,
        next_attempt: now,
        reported: BTreeSet::new(),
        evicted: 0,
        outcome: None,
    });
}

fn is_daemonset_pod(p: &Pod) -> bool {
    p.meta
        .owner
        .as_ref()
        .is_some_and(|o| o.kind == Kind::DaemonSet)
}

fn has_local_storage(p: &Pod) -> bool {
    p.spec
        .volumes
        .iter()
        .any(|v| matches!(v.source, VolumeSource::EmptyDir { memory: false }))
}

/// `kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force]`: refuses with
/// kubectl's own messages, otherwise cordons and starts evicting.
pub(crate) fn drain(
    sim: &mut Simulation,
    node: &str,
    options: DrainOptions,
) -> Result<String, String> {
    if !sim.state.nodes.contains_key(node) {
        return Err(format!(
            "Error from server (NotFound): nodes \"{node}\" not found"
        ));
    }
    let pods: Vec<&Pod> = sim.state.pods_on_node(node).collect();
    let list = |f: &dyn Fn(&&Pod) -> bool| {
        pods.iter()
            .filter(|p| f(p))
            .map(|p| format!("{}/{}", p.meta.namespace, p.meta.name))
            .collect::<Vec<_>>()
    };
    let mut errors = Vec::new();
    let unmanaged = list(&|p| p.meta.owner.is_none());
    if !unmanaged.is_empty() && !options.force {
        errors.push(format!(
            "cannot delete Pods that declare no controller (use --force to override): {}",
            unmanaged.join(", ")
        ));
    }
    let ds = list(&|p| is_daemonset_pod(p));
    if !ds.is_empty() && !options.ignore_daemonsets {
        errors.push(format!(
            "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}",
            ds.join(", ")
        ));
    }
    let local = list(&|p| has_local_storage(p));
    if !local.is_empty() && !options.delete_emptydir_data {
        errors.push(format!(
            "cannot delete Pods with local storage (use --delete-emptydir-data to override): {}",
            local.join(", ")
        ));
    }
    let evicting = list(&|p| !is_daemonset_pod(p));
    let cordoned = cordon(sim, node, true)?;
    if !errors.is_empty() {
        return Err(format!(
            "{cordoned}\nerror: unable to drain node \"{node}\" due to error: {}, continuing command...",
            errors.join(", ")
        ));
    }
    start(sim, node, DrainPurpose::Kubectl(options));
    let mut out = vec![cordoned];
    if !ds.is_empty() {
        out.push(format!(
            "Warning: ignoring DaemonSet-managed Pods: {}",
            ds.join(", ")
        ));
    }
    out.extend(evicting.iter().map(|p| format!("evicting pod {p}")));
    Ok(out.join("\n"))
}

/// Works every drain in progress.
pub(crate) fn reconcile(sim: &mut Simulation) {
    if sim.controllers.node_drain.drains.is_empty() {
        return;
    }
    let now = sim.now();
    let mut i = 0;
    while i < sim.controllers.node_drain.drains.len() {
        let op = sim.controllers.node_drain.drains[i].clone();
        if !sim.state.nodes.contains_key(&op.node) {
            sim.controllers.node_drain.drains.remove(i);
            continue;
        }
        let remaining: Vec<ObjectKey> = sim
            .state
            .pods_on_node(&op.node)
            .filter(|p| !is_daemonset_pod(p))
            .map(|p| p.meta.key())
            .collect();
        let waiting: Vec<ObjectKey> = remaining
            .iter()
            .filter(|k| !sim.state.pods[*k].is_terminating())
            .cloned()
            .collect();
        if remaining.is_empty() {
            sim.controllers.node_drain.drains.remove(i);
            finish(sim, &op);
            continue;
        }
        let eks_run = !matches!(op.purpose, DrainPurpose::Kubectl(_));
        let timed_out = now.saturating_sub(op.started) >= EKS_DRAIN_TIMEOUT;
        if timed_out && op.purpose == (DrainPurpose::NodegroupUpdate { force: false }) {
            let mut done = sim.controllers.node_drain.drains.remove(i);
            done.outcome = Some(DrainOutcome::TimedOut { waiting });
            sim.controllers.node_drain.finished.push(done);
            continue;
        }
        if eks_run && timed_out {
            // PDBs are not respected past the timeout for scale-in and deletion (eks-facts §4).
            for k in &waiting {
                crate::sim::api_server::delete_pod(sim, k);
            }
            sim.controllers.node_drain.drains.remove(i);
            finish(sim, &op);
            continue;
        }
        if now >= op.next_attempt {
            let mut evicted = 0;
            let mut newly_reported = Vec::new();
            let bypass = matches!(op.purpose, DrainPurpose::Kubectl(o) if o.disable_eviction);
            let force = op.purpose == DrainPurpose::NodegroupUpdate { force: true };
            for k in &waiting {
                if bypass {
                    crate::sim::api_server::delete_pod(sim, k);
                    evicted += 1;
                    continue;
                }
                match crate::sim::api_server::evict(sim, k) {
                    Ok(()) => evicted += 1,
                    Err(_) if force => {
                        // A forced update does not respect PDBs (eks-facts §4).
                        crate::sim::api_server::delete_pod(sim, k);
                        evicted += 1;
                    }
                    Err(e) => {
                        if !op.reported.contains(k) {
                            newly_reported.push(k.clone());
                            let msg = format!(
                                "error when evicting pods/\"{}\" -n \"{}\" (will retry after 5s): {e}",
                                k.name, k.namespace
                            );
                            sim.record(
                                EventType::Warning,
                                reason::EVICTION_BLOCKED,
                                node_ref(&op.node),
                                msg,
                                drain_source(op.purpose),
                            );
                        }
                    }
                }
            }
            let d = &mut sim.controllers.node_drain.drains[i];
            d.evicted += evicted;
            d.reported.extend(newly_reported);
            d.next_attempt = now + RETRY;
        }
        i += 1;
    }
}

fn drain_source(p: DrainPurpose) -> &'static str {
    match p {
        DrainPurpose::Kubectl(_) => "kubectl",
        DrainPurpose::ManagedScaleIn | DrainPurpose::NodegroupUpdate { .. } => "eks",
        DrainPurpose::NodegroupDelete => "eksctl",
    }
}

fn finish(sim: &mut Simulation, op: &DrainOp) {
    match op.purpose {
        DrainPurpose::Kubectl(_) => {
            sim.record(
                EventType::Normal,
                reason::DRAINED,
                node_ref(&op.node),
                format!("node/{} drained", op.node),
                "kubectl",
            );
        }
        DrainPurpose::NodegroupUpdate { .. } => {
            let mut done = op.clone();
            done.outcome = Some(DrainOutcome::Drained {
                evicted: op.evicted,
            });
            sim.controllers.node_drain.finished.push(done);
        }
        DrainPurpose::ManagedScaleIn | DrainPurpose::NodegroupDelete => {
            let cause = if op.purpose == DrainPurpose::ManagedScaleIn {
                "an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity"
            } else {
                "nodegroup deleted"
            };
            if let Some(id) = sim.state.nodes.get(&op.node).map(|n| n.instance_id.clone()) {
                super::auto_scaling_group::terminate(sim, &id, cause);
            }
        }
    }
}

/// Drains in progress, for explanations in the UI.
pub fn in_progress(sim: &Simulation) -> &[DrainOp] {
    &sim.controllers.node_drain.drains
}
