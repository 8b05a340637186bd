//! Scale-up (upstream `core/scaleup/orchestrator`, `estimator/binpacking_estimator.go`,
//! `processors/status/eventing_scale_up_processor.go`) and the provisioning checks that follow
//! a scale-up (`clusterstate`: timeouts, backoff, unregistered nodes).
//!
//! Pods the default scheduler marked unschedulable are first placed, in creation order, on the
//! existing nodes and on the nodes already requested but not Ready (upstream's
//! filter-out-schedulable with upcoming nodes); only the rest drive a scale-up. Those are
//! grouped by owner (equivalence groups), checked against every managed group's template node
//! with the scheduler's filters, bin-packed first-fit-decreasing onto new template nodes (at most
//! max − desired of them), and the expander picks one group.

use crate::sim::sort::CollectSorted;
use std::collections::BTreeMap;

use super::expander::{self, ScaleUpOption};
use super::simulator::{self, Template, add_pod, fits};
use super::{Backoff, SOURCE, ScaleUpRequest, Scan, nodegroup_ref, pod_ref};
use crate::sim::Simulation;
use crate::sim::api::{Kind, ObjectKey, Pod, PodConditionType};
use crate::sim::clock::SimDuration;
use crate::sim::controllers::auto_scaling_group;
use crate::sim::controllers::scheduler::{self, NodeInfo};
use crate::sim::event::{EventType, reason};
use crate::sim::quantity::Resources;
use crate::sim::spec::ClusterAutoscalerSettings;

/// First backoff of a node group after a failed scale-up (upstream
/// `InitialNodeGroupBackoffDuration`)...
pub const INITIAL_BACKOFF: SimDuration = SimDuration::from_mins(5);
/// ...doubling up to this (`MaxNodeGroupBackoffDuration`)...
pub const MAX_BACKOFF: SimDuration = SimDuration::from_mins(30);
/// ...and forgotten after this long without failures (`NodeGroupBackoffResetTimeout`).
pub const BACKOFF_RESET: SimDuration = SimDuration::from_hours(3);

/// Upstream skipped-group reasons (`skippedreasons.go`).
const BACKOFF_REASON: &str = "in backoff after failed scale-up";
const MAX_LIMIT_REACHED_REASON: &str = "max node group size reached";
const NOT_READY_REASON: &str = "not ready for scale-up";

/// Go's `time.Duration` text for whole seconds: `15m0s`, `1h2m3s`, `45s`.
pub(super) fn go_duration(d: SimDuration) -> String {
    let s = d.as_secs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}h{m}m{sec}s")
    } else if m > 0 {
        format!("{m}m{sec}s")
    } else {
        format!("{sec}s")
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Scale-ups that never registered, instances that never became nodes, and ASG capacity that
/// never got an instance (upstream `clusterstate.updateScaleRequests`,
/// `removeOldUnregisteredNodes` and the AWS provider's placeholder instances).
pub(super) fn check_provisioning(
    sim: &mut Simulation,
    settings: &ClusterAutoscalerSettings,
    s: &mut Scan,
) {
    let now = s.now;
    let limit = settings.max_node_provision_time;
    for g in s.groups.clone() {
        let st = &mut sim.controllers.cluster_autoscaler;
        if let Some(req) = st.scale_up_requests.get(&g.name).cloned() {
            if g.registered() >= g.desired {
                st.scale_up_requests.remove(&g.name);
            } else if now > req.expected_add_time {
                st.scale_up_requests.remove(&g.name);
                let duration = match st.backoff.get(&g.name) {
                    Some(b) if now.saturating_sub(b.until) < BACKOFF_RESET => {
                        SimDuration(b.duration.0.saturating_mul(2)).min(MAX_BACKOFF)
                    }
                    _ => INITIAL_BACKOFF,
                };
                st.backoff.insert(
                    g.name.clone(),
                    Backoff {
                        until: now + duration,
                        duration,
                    },
                );
                sim.record(
                    EventType::Warning,
                    reason::SCALE_UP_TIMED_OUT,
                    nodegroup_ref(&g.name),
                    format!(
                        "Nodes added to group {} failed to register within {}",
                        g.asg,
                        go_duration(now.saturating_sub(req.time))
                    ),
                    SOURCE,
                );
                s.note(
                    &g.name,
                    format!(
                        "scale-up timed out: the {} requested at t+{} did not register within {}; the group backs off for {duration}",
                        plural(req.increase, "node", "nodes"),
                        req.time,
                        SimDuration(limit.0)
                    ),
                );
            }
        }
        // Instances that never registered as nodes.
        let stale: Vec<String> = sim
            .state
            .instances
            .values()
            .filter(|i| {
                i.nodegroup == g.name
                    && i.is_live()
                    && !i.terminating
                    && !sim.state.nodes.contains_key(&i.node_name)
                    && now.saturating_sub(i.launched_at) >= limit
            })
            .map(|i| i.id.clone())
            .collect();
        for id in stale {
            let decrement = sim
                .state
                .nodegroups
                .get(&g.name)
                .is_some_and(|n| n.scaling.desired_size > n.scaling.min_size);
            if auto_scaling_group::terminate_instance_in_auto_scaling_group(sim, &id, decrement)
                .is_ok()
            {
                sim.record(
                    EventType::Normal,
                    reason::DELETE_UNREGISTERED,
                    nodegroup_ref(&g.name),
                    format!("Removed unregistered node {id}"),
                    SOURCE,
                );
                s.note(
                    &g.name,
                    format!(
                        "removed instance {id}: it did not register as a node within {}",
                        SimDuration(limit.0)
                    ),
                );
            }
        }
        // Desired capacity the ASG could not launch (the AWS provider's placeholders).
        let Some(ng) = sim.state.nodegroups.get(&g.name) else {
            continue;
        };
        let (desired, min) = (
            crate::sim::api::count(ng.scaling.desired_size),
            crate::sim::api::count(ng.scaling.min_size),
        );
        let instances = sim
            .state
            .instances
            .values()
            .filter(|i| i.nodegroup == g.name && i.is_live() && !i.terminating)
            .count() as u64;
        let missing = desired.saturating_sub(instances);
        let st = &mut sim.controllers.cluster_autoscaler;
        if missing == 0 {
            st.placeholders_since.remove(&g.name);
            continue;
        }
        let since = *st.placeholders_since.entry(g.name.clone()).or_insert(now);
        if now.saturating_sub(since) < limit {
            continue;
        }
        let target = desired.saturating_sub(missing).max(min);
        if target == desired {
            continue;
        }
        let names: Vec<String> = (target..desired)
            .map(|i| format!("i-placeholder-{}-{i}", g.asg))
            .collect();
        let message = if names.len() == 1 {
            format!("Removed unregistered node {}", names[0])
        } else {
            format!("Removed unregistered nodes {}", names.join(", "))
        };
        if auto_scaling_group::set_desired_capacity(
            sim,
            &g.name,
            crate::sim::api::int32(target),
            reason::DELETE_UNREGISTERED,
            message,
            SOURCE,
        )
        .is_ok()
        {
            sim.controllers
                .cluster_autoscaler
                .placeholders_since
                .remove(&g.name);
            s.note(
                &g.name,
                format!(
                    "gave up on {} the ASG could not launch within {}: desired capacity back to {target}",
                    plural(desired - target, "node", "nodes"),
                    SimDuration(limit.0)
                ),
            );
        }
    }
}

/// Pods the default scheduler gave up on (`PodScheduled=False`, reason `Unschedulable`), in
/// creation order. DaemonSet pods are left out, as upstream's pod list processors do.
fn unschedulable_pods(sim: &Simulation) -> Vec<&Pod> {
    let mut pods: Vec<&Pod> = sim
        .state
        .pods
        .values()
        .filter(|p| {
            scheduler::is_pending_default(p)
                && !p.is_terminating()
                && !simulator::is_daemonset_pod(p)
                && p.condition(PodConditionType::PodScheduled)
                    .is_some_and(|c| !c.status && c.reason == "Unschedulable")
        })
        .collect();
    crate::sim::sort::sort_by_key(&mut pods, |p| (p.meta.uid, p.meta.key()));
    pods
}

/// Pods that the scheduler would treat alike (upstream `equivalence.BuildPodGroups`: same
/// controller, same spec).
#[derive(Debug)]
struct EquivalenceGroup<'a> {
    pods: Vec<&'a Pod>,
    schedulable: bool,
    /// Node group → the predicate reasons its template refused the pods with.
    rejected: BTreeMap<String, Vec<String>>,
}

/// Namespace, owning controller, and the pod's name for pods without one.
type EquivalenceKey = (String, Option<(Kind, String)>, String);

fn equivalence_groups<'a>(pods: &[&'a Pod]) -> Vec<EquivalenceGroup<'a>> {
    let mut out: Vec<EquivalenceGroup<'a>> = Vec::new();
    let mut index: BTreeMap<EquivalenceKey, usize> = BTreeMap::new();
    for pod in pods {
        let key = match &pod.meta.owner {
            Some(o) => (
                pod.meta.namespace.clone(),
                Some((o.kind, o.name.clone())),
                String::new(),
            ),
            None => (pod.meta.namespace.clone(), None, pod.meta.name.clone()),
        };
        if let Some(&i) = index.get(&key)
            && out[i].pods[0].spec == pod.spec
        {
            out[i].pods.push(pod);
            continue;
        }
        index.insert(key, out.len());
        out.push(EquivalenceGroup {
            pods: vec![pod],
            schedulable: false,
            rejected: BTreeMap::new(),
        });
    }
    out
}

/// Upstream `DecreasingPodOrderer`: bigger pods first, by CPU and memory share of the template.
fn pod_score(pod: &Pod, t: &Template) -> u128 {
    let r = simulator::container_requests(pod);
    let a = t.node.status.allocatable;
    let part = |req: u64, alloc: u64| {
        if alloc == 0 {
            0
        } else {
            u128::from(req) * 1_000_000 / u128::from(alloc)
        }
    };
    part(r.cpu.0, a.cpu.0) + part(r.memory.0, a.memory.0)
}

/// Upstream `BinpackingNodeEstimator.Estimate`: first fit over the new nodes, opening a new
/// template node when the last one is full, at most `max_nodes` of them. Returns the number
/// of nodes that got pods and the pods placed.
fn estimate<'p>(groups: &[&[&'p Pod]], template: &Template, max_nodes: u64) -> (u64, Vec<&'p Pod>) {
    let mut ordered: Vec<&[&Pod]> = groups.to_vec();
    crate::sim::sort::sort_by_key(&mut ordered, |g| {
        std::cmp::Reverse(pod_score(g[0], template))
    });
    let mut nodes: Vec<NodeInfo<'_>> = Vec::new();
    let mut used: Vec<bool> = Vec::new();
    let mut placed: Vec<&Pod> = Vec::new();
    for group in ordered {
        // The nodes created so far, first.
        let mut next = 0;
        while next < group.len() {
            let pod = group[next];
            let Some(i) = nodes.iter().position(|n| fits(pod, n)) else {
                break;
            };
            add_pod(&mut nodes[i], pod);
            used[i] = true;
            placed.push(pod);
            next += 1;
        }
        // Then new nodes, one at a time.
        for &pod in &group[next..] {
            if let Some(last) = nodes.len().checked_sub(1)
                && fits(pod, &nodes[last])
            {
                add_pod(&mut nodes[last], pod);
                used[last] = true;
                placed.push(pod);
                continue;
            }
            // An empty new node that cannot take the pod means no new node can.
            if used.last() == Some(&false) || nodes.len() as u64 >= max_nodes {
                break;
            }
            nodes.push(template.info());
            used.push(false);
            let last = nodes.len() - 1;
            if !fits(pod, &nodes[last]) {
                break;
            }
            add_pod(&mut nodes[last], pod);
            used[last] = true;
            placed.push(pod);
        }
    }
    (used.iter().filter(|u| **u).count() as u64, placed)
}

/// `ReasonsMessage`: each rejected group's predicate reasons and each skipped group's reason,
/// counted over groups (`2 Insufficient cpu, 1 max node group size reached`), sorted.
fn reasons_message(
    rejected: &BTreeMap<String, Vec<String>>,
    skipped: &BTreeMap<String, &'static str>,
) -> String {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for reasons in rejected.values() {
        for r in reasons {
            *counts.entry(r.clone()).or_default() += 1;
        }
    }
    for r in skipped.values() {
        *counts.entry((*r).to_string()).or_default() += 1;
    }
    let mut parts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    crate::sim::sort::sort(&mut parts);
    parts.join(", ")
}

/// One scale-up attempt. Returns whether a node group was scaled up.
pub(super) fn run(
    sim: &mut Simulation,
    settings: &ClusterAutoscalerSettings,
    s: &mut Scan,
) -> bool {
    let now = s.now;
    let ready: u64 = s.groups.iter().map(|g| g.ready).sum();
    let registered: u64 = s.groups.iter().map(super::GroupView::registered).sum();
    let in_progress = s.groups.iter().any(|g| g.upcoming() > 0);
    s.scale_up = format!(
        "{} (ready={ready} registered={registered})",
        if in_progress {
            "InProgress"
        } else {
            "NoActivity"
        }
    );
    for g in s.groups.clone() {
        if g.upcoming() > 0 {
            s.note(
                &g.name,
                format!(
                    "scale-up in progress: {} of {} not Ready yet",
                    plural(g.upcoming(), "node", "nodes"),
                    g.desired
                ),
            );
        }
        if g.desired >= g.max {
            s.note(&g.name, format!("at max size {}", g.max));
        }
        if let Some(b) = sim.controllers.cluster_autoscaler.backoff.get(&g.name)
            && b.until > now
        {
            s.note(
                &g.name,
                format!("in backoff after failed scale-up until t+{}", b.until),
            );
        }
    }
    let pending = unschedulable_pods(sim);
    if pending.is_empty() {
        return false;
    }
    let templates: BTreeMap<String, Template> = s
        .groups
        .iter()
        .filter_map(|g| {
            let ng = sim.state.nodegroups.get(&g.name)?;
            Some((g.name.clone(), simulator::template(sim, ng)?))
        })
        .collect_map();
    let deleting: Vec<String> = sim
        .controllers
        .cluster_autoscaler
        .deletions
        .iter()
        .map(|d| d.node.clone())
        .collect();

    // Filter out the pods that fit on existing nodes or on nodes already on their way.
    let mut infos: Vec<NodeInfo<'_>> = scheduler::snapshot(&sim.state)
        .into_iter()
        .filter(|i| !deleting.iter().any(|d| d == i.node.name()))
        .collect();
    let n_existing = infos.len();
    let mut upcoming_of: Vec<String> = Vec::new();
    for g in &s.groups {
        if let Some(t) = templates.get(&g.name) {
            for _ in 0..g.upcoming() {
                infos.push(t.info());
                upcoming_of.push(g.name.clone());
            }
        }
    }
    let mut reasons_now: BTreeMap<ObjectKey, String> = BTreeMap::new();
    let mut remaining: Vec<&Pod> = Vec::new();
    let mut waiting_upcoming: BTreeMap<String, u64> = BTreeMap::new();
    for pod in pending {
        match infos.iter().position(|i| fits(pod, i)) {
            Some(i) => {
                add_pod(&mut infos[i], pod);
                let text = if i < n_existing {
                    format!(
                        "fits on node {} now; the scheduler will place it at its next attempt",
                        infos[i].node.name()
                    )
                } else {
                    let g = &upcoming_of[i - n_existing];
                    *waiting_upcoming.entry(g.clone()).or_default() += 1;
                    format!(
                        "waiting for a new node of {g}: the Cluster Autoscaler already asked for it (launch, boot and join take 1–2 minutes)"
                    )
                };
                reasons_now.insert(pod.meta.key(), text);
            }
            None => remaining.push(pod),
        }
    }
    drop(infos);
    for (g, n) in &waiting_upcoming {
        s.note(
            g,
            format!(
                "{} wait for the nodes already requested",
                plural(*n, "pending pod", "pending pods")
            ),
        );
    }
    if remaining.is_empty() {
        s.pod_reasons.extend(reasons_now);
        return false;
    }

    // Which groups can take which pods.
    let mut eqs = equivalence_groups(&remaining);
    let mut skipped: BTreeMap<String, &'static str> = BTreeMap::new();
    let mut valid: Vec<String> = Vec::new();
    for g in &s.groups {
        let backoff = sim
            .controllers
            .cluster_autoscaler
            .backoff
            .get(&g.name)
            .is_some_and(|b| b.until > now);
        if backoff {
            skipped.insert(g.name.clone(), BACKOFF_REASON);
        } else if g.desired >= g.max {
            skipped.insert(g.name.clone(), MAX_LIMIT_REACHED_REASON);
        } else if !templates.contains_key(&g.name) {
            skipped.insert(g.name.clone(), NOT_READY_REASON);
        } else {
            valid.push(g.name.clone());
        }
    }
    let mut options: Vec<ScaleUpOption> = Vec::new();
    for name in &valid {
        let t = &templates[name];
        let info = t.info();
        let mut fitting: Vec<&[&Pod]> = Vec::new();
        for eq in &mut eqs {
            let r = simulator::reasons(eq.pods[0], &info);
            if r.is_empty() {
                eq.schedulable = true;
                fitting.push(&eq.pods);
            } else {
                eq.rejected.insert(name.clone(), r);
            }
        }
        let Some(g) = s.group(name) else { continue };
        let (count, placed) = estimate(&fitting, t, g.max.saturating_sub(g.desired));
        if count == 0 || placed.is_empty() {
            continue;
        }
        let requested = placed.iter().fold(Resources::ZERO, |acc, p| {
            acc.saturating_add(simulator::container_requests(p))
        });
        options.push(ScaleUpOption {
            group: name.clone(),
            asg: g.asg.clone(),
            instance_type: t.node.instance_type.clone(),
            node_count: count,
            pods: placed.iter().map(|p| p.meta.key()).collect(),
            requested,
            capacity: t.capacity,
        });
    }
    drop(templates);

    if options.is_empty() {
        let mut events: Vec<(ObjectKey, String)> = Vec::new();
        for eq in &eqs {
            let text = if eq.schedulable {
                "fits a new node of a managed group, but no group can grow this round".to_string()
            } else if s.groups.is_empty() {
                "no node group is managed by the Cluster Autoscaler (none has the auto-discovery tags)".to_string()
            } else {
                let msg = format!(
                    "pod didn't trigger scale-up: {}",
                    reasons_message(&eq.rejected, &skipped)
                );
                events.extend(eq.pods.iter().map(|p| (p.meta.key(), msg.clone())));
                msg
            };
            for p in &eq.pods {
                reasons_now.insert(p.meta.key(), text.clone());
            }
        }
        drop(eqs);
        for (key, msg) in events {
            let st = &mut sim.controllers.cluster_autoscaler;
            if st.not_triggered.get(&key) == Some(&msg) {
                continue;
            }
            st.not_triggered.insert(key.clone(), msg.clone());
            sim.record(
                EventType::Normal,
                reason::NOT_TRIGGER_SCALE_UP,
                pod_ref(&key),
                msg,
                SOURCE,
            );
        }
        for (name, r) in &skipped {
            if *r == BACKOFF_REASON || *r == NOT_READY_REASON {
                s.note(name, format!("skipped for pending pods: {r}"));
            }
        }
        s.pod_reasons.extend(reasons_now);
        return false;
    }
    let schedulable_keys: Vec<ObjectKey> = eqs
        .iter()
        .filter(|eq| eq.schedulable)
        .flat_map(|eq| eq.pods.iter().map(|p| p.meta.key()))
        .collect();
    drop(eqs);

    let (pick, choice) = expander::best(
        settings.expander,
        &settings.priorities,
        &options,
        &mut sim.rng.autoscaler,
    );
    let best = options[pick].clone();
    let Some(g) = s.group(&best.group).cloned() else {
        return false;
    };
    let new_size = g.desired + best.node_count;
    let info = format!("{{{} {}->{} (max: {})}}", g.asg, g.desired, new_size, g.max);
    let applied = auto_scaling_group::set_desired_capacity(
        sim,
        &g.name,
        crate::sim::api::int32(new_size),
        reason::SCALED_UP_GROUP,
        format!(
            "Scale-up: setting group {} size to {new_size} instead of {} (max: {})",
            g.asg, g.desired, g.max
        ),
        SOURCE,
    );
    if let Err(e) = applied {
        s.note(&g.name, format!("scale-up failed: {e}"));
        s.pod_reasons.extend(reasons_now);
        return false;
    }
    let st = &mut sim.controllers.cluster_autoscaler;
    st.last_scale_up = Some(now);
    let limit = settings.max_node_provision_time;
    st.scale_up_requests
        .entry(g.name.clone())
        .and_modify(|r| {
            r.increase += best.node_count;
            r.time = now;
            r.expected_add_time = now + limit;
        })
        .or_insert(ScaleUpRequest {
            time: now,
            increase: best.node_count,
            expected_add_time: now + limit,
        });
    let message = format!("pod triggered scale-up: [{info}]");
    for key in &best.pods {
        sim.controllers.cluster_autoscaler.not_triggered.remove(key);
        sim.record(
            EventType::Normal,
            reason::TRIGGERED_SCALE_UP,
            pod_ref(key),
            message.clone(),
            SOURCE,
        );
        reasons_now.insert(
            key.clone(),
            format!(
                "triggered scale-up of {} at t+{now}: [{info}]; the new node joins in 1–2 minutes",
                g.name
            ),
        );
    }
    for key in schedulable_keys {
        reasons_now.entry(key).or_insert_with(|| {
            "fits a new node of a managed group but was not part of this scale-up; the next scan looks again".to_string()
        });
    }
    s.note(
        &g.name,
        format!(
            "scale-up: {} fit on {} new {} {}; {choice}",
            plural(best.pods.len() as u64, "pending pod", "pending pods"),
            best.node_count,
            best.instance_type,
            if best.node_count == 1 {
                "node"
            } else {
                "nodes"
            }
        ),
    );
    s.note(
        &g.name,
        format!(
            "desired capacity {} -> {new_size} (max {})",
            g.desired, g.max
        ),
    );
    for o in options.iter().filter(|o| o.group != best.group) {
        s.note(
            &o.group,
            format!(
                "scale-up option not chosen: {} new {} for {}; {choice}",
                plural(o.node_count, "node", "nodes"),
                o.instance_type,
                plural(o.pods.len() as u64, "pod", "pods")
            ),
        );
    }
    s.scale_up = format!("InProgress (ready={ready} registered={registered})");
    s.pod_reasons.extend(reasons_now);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(go_duration(SimDuration::from_secs(45)), "45s");
        assert_eq!(go_duration(SimDuration::from_secs(910)), "15m10s");
        assert_eq!(go_duration(SimDuration::from_secs(3723)), "1h2m3s");
    }

    #[test]
    fn reasons_are_counted_over_groups_and_sorted() {
        let mut rejected = BTreeMap::new();
        rejected.insert("a".to_string(), vec!["Insufficient cpu".to_string()]);
        rejected.insert("b".to_string(), vec!["Insufficient cpu".to_string()]);
        let mut skipped = BTreeMap::new();
        skipped.insert("c".to_string(), MAX_LIMIT_REACHED_REASON);
        assert_eq!(
            reasons_message(&rejected, &skipped),
            "1 max node group size reached, 2 Insufficient cpu"
        );
    }
}
