//! Scale-down (upstream `core/scaledown/planner`, `eligibility`, `actuation`, and
//! `simulator/drainability`).
//!
//! Every scan, each Ready node of a managed group is checked: its requests (CPU and memory,
//! the larger ratio, DaemonSet pods counted) must be under the utilization threshold, every
//! pod on it must be allowed to move (drainability rules, PodDisruptionBudgets) and must fit on
//! another node. Such a node is unneeded; pods moved in the simulation stay where they were
//! placed, so two nodes are never both emptied onto the same room. A node unneeded for
//! `scale_down_unneeded_time` is removed outside the cooldowns (after a scale-up, after a
//! failure), the group's minimum permitting: empty nodes in bulk (up to 10), one node with pods
//! at a time. Removal taints the node `ToBeDeletedByClusterAutoscaler:NoSchedule`, evicts its
//! pods (PDBs respected, retried every 10 s for up to 2 minutes), waits for them to exit, then
//! terminates the instance through the ASG with the desired capacity decremented.

use std::collections::{BTreeMap, BTreeSet};

use super::simulator::{self, Blocker, TO_BE_DELETED_TAINT, add_pod, fits};
use super::{CaTimer, Deletion, SOURCE, Scan, node_ref, pod_ref, schedule};
use crate::sim::Simulation;
use crate::sim::api::{ObjectKey, PodPhase, Taint, TaintEffect};
use crate::sim::api_server;
use crate::sim::clock::SimDuration;
use crate::sim::controllers::auto_scaling_group;
use crate::sim::controllers::scheduler::{self, NodeInfo};
use crate::sim::event::{EventType, reason};
use crate::sim::spec::ClusterAutoscalerSettings;

/// `--max-empty-bulk-delete` / `--max-scale-down-parallelism` (eks-facts §6.2).
pub const MAX_EMPTY_BULK_DELETE: usize = 10;
/// `--scale-down-delay-after-failure` (eks-facts §6.2).
pub const DELAY_AFTER_FAILURE: SimDuration = SimDuration::from_mins(3);
/// A node whose removal failed is left alone this long (upstream
/// `UnremovableNodeRecheckTimeout`, the "+5 min" of eks-facts §6.2).
pub const UNREMOVABLE_RECHECK: SimDuration = SimDuration::from_mins(5);
/// How long the CA keeps retrying refused evictions (upstream `MaxPodEvictionTime`)...
pub const MAX_POD_EVICTION_TIME: SimDuration = SimDuration::from_mins(2);
/// ...and how often (`EvictionRetryTime`).
pub const EVICTION_RETRY: SimDuration = SimDuration::from_secs(10);
/// Evicted pods get `--max-graceful-termination-sec` (600) plus this headroom to exit
/// (`PodEvictionHeadroom`), checked every 5 s.
pub const MAX_GRACEFUL_TERMINATION: SimDuration = SimDuration::from_secs(600);
pub const POD_EVICTION_HEADROOM: SimDuration = SimDuration::from_secs(30);
const EXIT_POLL: SimDuration = SimDuration::from_secs(5);

/// What the planner found out about an unneeded node.
#[derive(Debug, Clone)]
struct Unneeded {
    group: String,
    utilization: simulator::Utilization,
    pods: Vec<ObjectKey>,
}

/// Finds unneeded nodes and starts removing those that waited long enough.
pub(super) fn run(
    sim: &mut Simulation,
    settings: &ClusterAutoscalerSettings,
    s: &mut Scan,
    scaled_up: bool,
) {
    let now = s.now;
    let managed: BTreeSet<String> = crate::sim::sort::set(s.groups.iter().map(|g| g.name.clone()));
    let deleting: BTreeSet<String> = crate::sim::sort::set(
        sim.controllers
            .cluster_autoscaler
            .deletions
            .iter()
            .map(|d| d.node.clone()),
    );
    let threshold = settings.scale_down_utilization_threshold_permille;

    // The planner: one pass over the candidates, in name order, on a shared snapshot.
    let mut unneeded: BTreeMap<String, Unneeded> = BTreeMap::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    {
        let mut budgets = simulator::pdb_budgets(sim);
        let mut dest: Vec<NodeInfo<'_>> = scheduler::snapshot(&sim.state)
            .into_iter()
            .filter(|i| !deleting.contains(i.node.name()))
            .collect();
        let mut removed: BTreeSet<String> = BTreeSet::new();
        // Pods the simulation already moved onto each node (they would have to move again).
        let mut moved_in: BTreeMap<String, Vec<&crate::sim::api::Pod>> = BTreeMap::new();
        for (name, node) in &sim.state.nodes {
            let group = node.data_plane.group_name().to_string();
            if node.data_plane.is_fargate()
                || !managed.contains(&group)
                || deleting.contains(name)
                || !node.is_ready()
                || node.spec.unschedulable
                || node
                    .spec
                    .taints
                    .iter()
                    .any(|t| t.key == TO_BE_DELETED_TAINT)
                || !super::instance_in_service(sim, &node.instance_id)
            {
                continue;
            }
            if node
                .meta
                .annotations
                .get(simulator::SCALE_DOWN_DISABLED)
                .is_some_and(|v| v == "true")
            {
                notes.push((
                    group,
                    format!(
                        "{name} is never removed: annotated {}=true",
                        simulator::SCALE_DOWN_DISABLED
                    ),
                ));
                continue;
            }
            if let Some(until) = sim
                .controllers
                .cluster_autoscaler
                .unremovable_until
                .get(name)
                && *until > now
            {
                notes.push((
                    group,
                    format!("{name} failed to scale down recently; next try after t+{until}"),
                ));
                continue;
            }
            let Some(info) = dest.iter().find(|d| d.node.name() == name) else {
                continue;
            };
            let util = simulator::utilization(info);
            if util.at_or_above(threshold) {
                notes.push((
                    group,
                    format!(
                        "{name} is not underutilized ({}; threshold {}%)",
                        util.describe(),
                        threshold / 10
                    ),
                ));
                continue;
            }
            let mut pods: Vec<&crate::sim::api::Pod> = sim
                .state
                .pods_on_node(name)
                .filter(|p| !simulator::is_daemonset_pod(p) && !p.is_terminating())
                .collect();
            let moved_here = moved_in.get(name).cloned().unwrap_or_default();
            let mut blocked: Option<(ObjectKey, Blocker)> = None;
            for p in &pods {
                if let Err(b) = simulator::drainable(sim, p, &budgets) {
                    blocked = Some((p.meta.key(), b));
                    break;
                }
            }
            let mut trial = dest.clone();
            let mut placements: Vec<(String, &crate::sim::api::Pod)> = Vec::new();
            pods.extend(moved_here.iter().copied());
            if blocked.is_none() {
                for p in &pods {
                    let spot = trial.iter().position(|d| {
                        d.node.name() != name && !removed.contains(d.node.name()) && fits(p, d)
                    });
                    if let Some(i) = spot {
                        add_pod(&mut trial[i], p);
                        placements.push((trial[i].node.name().to_string(), p));
                    } else {
                        blocked = Some((p.meta.key(), Blocker::NoPlaceToMove));
                        break;
                    }
                }
            }
            if let Some((pod, b)) = blocked {
                notes.push((
                    group,
                    format!(
                        "{name} cannot be removed: {} ({})",
                        b.explain(&pod),
                        util.describe()
                    ),
                ));
                continue;
            }
            dest = trial;
            removed.insert(name.clone());
            moved_in.remove(name);
            for (to, p) in placements {
                moved_in.entry(to).or_default().push(p);
            }
            let moved_count = moved_here.len();
            pods.truncate(pods.len() - moved_count);
            for p in &pods {
                if p.status.phase == PodPhase::Running {
                    for k in simulator::matching_pdbs(sim, p) {
                        if let Some(b) = budgets.get_mut(&k) {
                            *b = b.saturating_sub(1);
                        }
                    }
                }
            }
            unneeded.insert(
                name.clone(),
                Unneeded {
                    group,
                    utilization: util,
                    pods: pods.iter().map(|p| p.meta.key()).collect(),
                },
            );
        }
    }
    for (g, line) in notes {
        s.note(&g, line);
    }
    let st = &mut sim.controllers.cluster_autoscaler;
    st.unneeded_since.retain(|n, _| unneeded.contains_key(n));
    for n in unneeded.keys() {
        st.unneeded_since.entry(n.clone()).or_insert(now);
    }
    st.unremovable_until.retain(|_, t| *t > now);
    let since = st.unneeded_since.clone();
    s.scale_down = if unneeded.is_empty() {
        "NoCandidates (candidates=0)".to_string()
    } else {
        format!("CandidatesPresent (candidates={})", unneeded.len())
    };
    let wait = settings.scale_down_unneeded_time;
    for (n, u) in &unneeded {
        let for_ = now.saturating_sub(since[n]);
        let what = if u.pods.is_empty() {
            "empty".to_string()
        } else {
            format!("{} to move", plural_pods(u.pods.len()))
        };
        s.note(
            &u.group,
            format!(
                "scale-down: {n} unneeded for {for_} of {wait} ({}; {what})",
                u.utilization.describe()
            ),
        );
    }

    // Cooldowns.
    let st = &sim.controllers.cluster_autoscaler;
    let cooldown = if scaled_up {
        Some("no scale-down in a loop that scaled up".to_string())
    } else if let Some(t) = st.last_scale_up
        && t + settings.scale_down_delay_after_add > now
    {
        Some(format!(
            "scale-down in cooldown: {} left of the {} delay after the scale-up at t+{t}",
            (t + settings.scale_down_delay_after_add).saturating_sub(now),
            settings.scale_down_delay_after_add
        ))
    } else if let Some(t) = st.last_scale_down_fail
        && t + DELAY_AFTER_FAILURE > now
    {
        Some(format!(
            "scale-down in cooldown: {} left of the {DELAY_AFTER_FAILURE} delay after the failed scale-down at t+{t}",
            (t + DELAY_AFTER_FAILURE).saturating_sub(now)
        ))
    } else {
        None
    };
    if let Some(line) = cooldown {
        let groups: BTreeSet<String> =
            crate::sim::sort::set(unneeded.values().map(|u| u.group.clone()));
        for g in groups {
            s.note(&g, line.clone());
        }
        return;
    }

    // Which unneeded nodes go now.
    let in_progress = sim.controllers.cluster_autoscaler.deletions.clone();
    let mut per_group: BTreeMap<String, u64> = BTreeMap::new();
    for d in &in_progress {
        *per_group.entry(d.nodegroup.clone()).or_default() += 1;
    }
    let mut draining = in_progress.iter().any(|d| d.drain);
    let mut total = in_progress.len();
    let mut chosen: Vec<(String, bool)> = Vec::new();
    for (n, u) in &unneeded {
        if now.saturating_sub(since[n]) < wait {
            continue;
        }
        let Some(g) = s.group(&u.group).cloned() else {
            continue;
        };
        let going = per_group.get(&g.name).copied().unwrap_or(0);
        if g.desired.saturating_sub(going) <= g.min {
            s.note(
                &g.name,
                format!(
                    "{n} is unneeded but {} is at its min size {} (desired {}, {} already leaving)",
                    g.name, g.min, g.desired, going
                ),
            );
            continue;
        }
        let empty = u.pods.is_empty();
        if total >= MAX_EMPTY_BULK_DELETE {
            s.note(
                &g.name,
                format!("{n} waits: {MAX_EMPTY_BULK_DELETE} removals already in progress"),
            );
            continue;
        }
        if !empty && draining {
            s.note(
                &g.name,
                format!("{n} waits: nodes with pods are drained one at a time"),
            );
            continue;
        }
        draining |= !empty;
        total += 1;
        *per_group.entry(g.name.clone()).or_default() += 1;
        chosen.push((n.clone(), !empty));
    }
    for (n, drain) in chosen {
        let group = unneeded[&n].group.clone();
        let pods = unneeded[&n].pods.clone();
        s.note(
            &group,
            if drain {
                format!(
                    "removing {n}: draining {} and then terminating it",
                    plural_pods(pods.len())
                )
            } else {
                format!("removing {n}: it is empty, terminating it")
            },
        );
        start_deletion(sim, &n, &group, drain, &pods);
    }
}

fn plural_pods(n: usize) -> String {
    if n == 1 {
        "1 pod".to_string()
    } else {
        format!("{n} pods")
    }
}

/// Upstream `MarkToBeDeleted`: `ToBeDeletedByClusterAutoscaler=<unix time>:NoSchedule`.
fn taint(sim: &mut Simulation, node: &str) {
    let unix = sim.spec.start_date.0 * 86_400 + sim.now().as_secs() as i64;
    if let Some(n) = sim.state.nodes.get_mut(node)
        && !n.spec.taints.iter().any(|t| t.key == TO_BE_DELETED_TAINT)
    {
        n.spec.taints.push(Taint::new(
            TO_BE_DELETED_TAINT,
            &unix.to_string(),
            TaintEffect::NoSchedule,
        ));
        sim.state.touch();
    }
}

fn untaint(sim: &mut Simulation, node: &str) {
    if let Some(n) = sim.state.nodes.get_mut(node) {
        let before = n.spec.taints.len();
        n.spec.taints.retain(|t| t.key != TO_BE_DELETED_TAINT);
        if n.spec.taints.len() != before {
            sim.state.touch();
            sim.watch.capacity_revision += 1;
        }
    }
}

/// A restarted CA removes the taints a previous run left behind.
pub(super) fn clean_stale_taints(sim: &mut Simulation) {
    let stale: Vec<String> = sim
        .state
        .nodes
        .values()
        .filter(|n| {
            n.spec.taints.iter().any(|t| t.key == TO_BE_DELETED_TAINT)
                && super::instance_in_service(sim, &n.instance_id)
        })
        .map(|n| n.name().to_string())
        .collect();
    for n in stale {
        untaint(sim, &n);
    }
}

fn start_deletion(sim: &mut Simulation, node: &str, group: &str, drain: bool, pods: &[ObjectKey]) {
    let now = sim.now();
    let Some(n) = sim.state.nodes.get(node) else {
        return;
    };
    let (uid, instance) = (n.meta.uid, n.instance_id.clone());
    taint(sim, node);
    sim.record(
        EventType::Normal,
        reason::SCALE_DOWN,
        node_ref(node),
        "marked the node as toBeDeleted/unschedulable".to_string(),
        SOURCE,
    );
    let st = &mut sim.controllers.cluster_autoscaler;
    st.unneeded_since.remove(node);
    st.deletions.push(Deletion {
        node: node.to_string(),
        node_uid: uid,
        instance,
        nodegroup: group.to_string(),
        started: now,
        drain,
        evictions_done: None,
    });
    if drain {
        for k in pods {
            sim.record(
                EventType::Normal,
                reason::SCALE_DOWN,
                pod_ref(k),
                "deleting pod for node scale down".to_string(),
                SOURCE,
            );
        }
    }
    drain_step(sim, node, uid);
}

/// One step of a node's removal: evict what is left (retrying refusals), wait for the pods to
/// exit, then terminate the instance; give up after the eviction or exit deadline.
pub(super) fn drain_step(sim: &mut Simulation, node: &str, node_uid: u64) {
    let now = sim.now();
    let st = &sim.controllers.cluster_autoscaler;
    let Some(idx) = st
        .deletions
        .iter()
        .position(|d| d.node == node && d.node_uid == node_uid)
    else {
        return;
    };
    let d = st.deletions[idx].clone();
    if sim
        .state
        .nodes
        .get(node)
        .is_none_or(|n| n.meta.uid != node_uid)
    {
        sim.controllers.cluster_autoscaler.deletions.remove(idx);
        return;
    }
    let remaining: Vec<ObjectKey> = sim
        .state
        .pods_on_node(node)
        .filter(|p| !simulator::is_daemonset_pod(p))
        .map(|p| p.meta.key())
        .collect();
    if remaining.is_empty() {
        delete_node(sim, &d);
        return;
    }
    let waiting: Vec<ObjectKey> = remaining
        .iter()
        .filter(|k| !sim.state.pods[*k].is_terminating())
        .cloned()
        .collect();
    if !waiting.is_empty() {
        if now.saturating_sub(d.started) >= MAX_POD_EVICTION_TIME {
            fail(
                sim,
                &d,
                &waiting,
                "failed to drain the node, aborting ScaleDown",
            );
            return;
        }
        let mut refused = false;
        for k in &waiting {
            if api_server::evict(sim, k).is_err() {
                refused = true;
            }
        }
        let delay = if refused { EVICTION_RETRY } else { EXIT_POLL };
        if !refused && let Some(x) = sim.controllers.cluster_autoscaler.deletions.get_mut(idx) {
            x.evictions_done = Some(now);
        }
        schedule(
            sim,
            delay,
            CaTimer::Drain {
                node: node.to_string(),
                node_uid,
            },
        );
        return;
    }
    let done = d.evictions_done.unwrap_or(now);
    if now.saturating_sub(done) > MAX_GRACEFUL_TERMINATION + POD_EVICTION_HEADROOM {
        fail(
            sim,
            &d,
            &remaining,
            "failed to drain the node, aborting ScaleDown",
        );
        return;
    }
    schedule(
        sim,
        EXIT_POLL,
        CaTimer::Drain {
            node: node.to_string(),
            node_uid,
        },
    );
}

/// The AWS provider's `DeleteNodes`: TerminateInstanceInAutoScalingGroup with
/// ShouldDecrementDesiredCapacity=true.
fn delete_node(sim: &mut Simulation, d: &Deletion) {
    let now = sim.now();
    match auto_scaling_group::terminate_instance_in_auto_scaling_group(sim, &d.instance, true) {
        Ok(()) => {
            let st = &mut sim.controllers.cluster_autoscaler;
            st.deletions.retain(|x| x.node != d.node);
            st.last_scale_down_delete = Some(now);
        }
        Err(e) => {
            fail(sim, d, &[], &format!("failed to delete the node: {e}"));
        }
    }
}

fn fail(sim: &mut Simulation, d: &Deletion, pods: &[ObjectKey], message: &str) {
    let now = sim.now();
    for k in pods {
        sim.record(
            EventType::Warning,
            reason::SCALE_DOWN_FAILED,
            pod_ref(k),
            "failed to delete pod for ScaleDown".to_string(),
            SOURCE,
        );
    }
    sim.record(
        EventType::Warning,
        reason::SCALE_DOWN_FAILED,
        node_ref(&d.node),
        message.to_string(),
        SOURCE,
    );
    untaint(sim, &d.node);
    let st = &mut sim.controllers.cluster_autoscaler;
    st.deletions.retain(|x| x.node != d.node);
    st.last_scale_down_fail = Some(now);
    st.unremovable_until
        .insert(d.node.clone(), now + UNREMOVABLE_RECHECK);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::clock::SimDuration;

    const LAB: &str = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: lab}\nmanagedNodeGroups:\n  - {name: ng-1, instanceType: m5.large, minSize: 1, desiredCapacity: 2, maxSize: 4}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx, resources: {requests: {cpu: 100m}}}]}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: web}}\n---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {name: t}\nspec:\n  skipClusterCreation: true\n  clusterAutoscaler: {}\n";

    fn sim(text: &str) -> Simulation {
        Simulation::new(crate::scenario::load(text).unwrap().spec).unwrap()
    }

    #[test]
    fn a_refused_drain_fails_after_two_minutes_and_cools_down() {
        let mut sim = sim(LAB);
        sim.run_for(SimDuration::from_mins(3));
        let web = sim
            .state
            .pods
            .values()
            .find(|p| p.meta.name.starts_with("web-"))
            .unwrap();
        let (key, node) = (web.meta.key(), web.spec.node_name.clone().unwrap());
        start_deletion(&mut sim, &node, "ng-1", true, std::slice::from_ref(&key));
        assert!(
            sim.state.nodes[&node]
                .spec
                .taints
                .iter()
                .any(|t| t.key == TO_BE_DELETED_TAINT)
        );
        sim.run_for(SimDuration::from_secs(130));
        let failed: Vec<(String, String)> = sim
            .events
            .all()
            .iter()
            .filter(|e| e.reason == reason::SCALE_DOWN_FAILED)
            .map(|e| (e.object.name.clone(), e.message.clone()))
            .collect();
        assert_eq!(
            failed,
            [
                (
                    key.name.clone(),
                    "failed to delete pod for ScaleDown".to_string()
                ),
                (
                    node.clone(),
                    "failed to drain the node, aborting ScaleDown".to_string()
                )
            ]
        );
        assert!(sim.state.nodes[&node].spec.taints.is_empty());
        assert_eq!(
            sim.state.pods[&key].spec.node_name.as_deref(),
            Some(node.as_str())
        );
        let st = &sim.controllers.cluster_autoscaler;
        assert!(st.deletions.is_empty());
        assert!(st.last_scale_down_fail.is_some());
        assert!(st.unremovable_until.contains_key(&node));
        let lines = super::super::explain(&sim);
        assert!(
            lines[0]
                .1
                .iter()
                .any(|l| l.starts_with(&format!("{node} failed to scale down recently"))),
            "{lines:?}"
        );
    }

    #[test]
    fn the_scale_down_disabled_annotation_keeps_a_node() {
        let text = LAB.replace("  minAvailable: 1\n", "  minAvailable: 0\n");
        let mut sim = sim(&text);
        sim.run_for(SimDuration::from_mins(1));
        for n in sim.state.nodes.values_mut() {
            n.meta.annotations.insert(
                simulator::SCALE_DOWN_DISABLED.to_string(),
                "true".to_string(),
            );
        }
        sim.run_for(SimDuration::from_mins(25));
        assert_eq!(sim.state.nodes.len(), 2);
        let lines = &super::super::explain(&sim)[0].1;
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with("is never removed: annotated cluster-autoscaler.kubernetes.io/scale-down-disabled=true")),
            "{lines:?}"
        );
    }
}
