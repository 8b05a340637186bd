//! Spot capacity: interruptions, rebalance recommendations and what each kind of node group does
//! about them (eks-facts §9).
//!
//! With `spot.interruptions_per_1000_hours` above zero, every running Spot instance is
//! interrupted at random at that rate: one Bernoulli draw per instance per step from the Spot
//! stream, in parts per billion. An interruption is three signals from EC2:
//!
//! 1. a rebalance recommendation (elevated risk), `rebalance_lead` before the notice (with a
//!    zero lead it arrives together with the notice);
//! 2. the two-minute interruption notice;
//! 3. two minutes later, the reclaim: the instance is terminated.
//!
//! Managed node groups have Capacity Rebalancing: on the recommendation the ASG launches a
//! replacement, and EKS cordons and drains the old node once the replacement is Ready, then
//! terminates it; if the notice comes first, the drain starts at once (best effort). A
//! self-managed group does nothing unless it runs the AWS Node Termination Handler, which
//! cordons and drains on the notice; otherwise the pods die with the instance and come back
//! once their controllers find room (the ASG replaces the instance as usual).

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::api::{Kind, ObjectKey, ObjectRef};
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::eks::{InstanceLifecycle, InstanceState, NodegroupKind};
use crate::sim::event::{EventType, reason};
use crate::sim::{Simulation, Timer};

use super::{auto_scaling_group, node_drain};
use crate::sim::api_server;

/// The interruption notice comes two minutes before the reclaim (eks-facts §9).
pub const NOTICE: SimDuration = SimDuration::from_mins(2);
/// Drains retry refused evictions this often (as kubectl and EKS do).
const DRAIN_RETRY: SimDuration = SimDuration::from_secs(5);
/// The AWS Node Termination Handler's component name on events.
pub const NTH: &str = "aws-node-termination-handler";

/// One interruption in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interruption {
    pub nodegroup: String,
    /// The group is an EKS managed node group (Capacity Rebalancing).
    pub managed: bool,
    pub rebalance_at: SimTime,
    pub notice_at: SimTime,
    pub reclaim_at: SimTime,
    /// The instance the ASG launched in its place (managed groups).
    pub replacement: Option<String>,
    pub drain_started: bool,
}

/// A node being cordoned and drained because of an interruption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotDrain {
    pub instance: String,
    pub node_uid: u64,
    pub source: &'static str,
    pub next_attempt: SimTime,
    /// Pods whose refused eviction has been reported.
    pub reported: BTreeSet<ObjectKey>,
    /// EKS terminates the old instance once it is drained (Capacity Rebalancing).
    pub terminate_when_done: bool,
}

/// Spot bookkeeping.
#[derive(Debug, Clone, Default)]
pub struct SpotState {
    /// Interruptions by instance id.
    pub interruptions: BTreeMap<String, Interruption>,
    /// Drains by node name.
    pub drains: BTreeMap<String, SpotDrain>,
    /// Instances already claimed as replacements.
    pub replacements: BTreeSet<String>,
}

/// Delayed Spot work: the notice and the reclaim of an interrupted instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpotTimer {
    Notice(String),
    Reclaim(String),
}

/// Per-second odds of an interruption, in parts per billion: `rate / (1000 × 3600 s)`.
pub fn chance_per_billion_per_second(interruptions_per_1000_hours: u64) -> u64 {
    (interruptions_per_1000_hours.saturating_mul(1_000_000_000) / 3_600_000).min(1_000_000_000)
}

/// `2026-11-01T00:42:10Z`, as EC2's instance-action notice gives the time.
fn utc(sim: &Simulation, t: SimTime) -> String {
    let secs = t.as_secs();
    let date = sim.spec.start_date.add_days((secs / 86_400) as i64);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60
    )
}

/// The node of an instance if it registered, else the instance itself.
fn subject(sim: &Simulation, id: &str) -> ObjectRef {
    match sim.state.instances.get(id) {
        Some(i) if sim.state.nodes.contains_key(&i.node_name) => {
            ObjectRef::cluster_scoped(Kind::Node, i.node_name.clone())
        }
        _ => ObjectRef::cluster_scoped(Kind::Instance, id.to_string()),
    }
}

fn live(sim: &Simulation, id: &str) -> bool {
    sim.state
        .instances
        .get(id)
        .is_some_and(crate::sim::eks::Instance::is_live)
}

/// Draws interruptions, watches replacements and works the drains.
pub(crate) fn reconcile(sim: &mut Simulation) {
    let rate = sim.spec.settings.spot.interruptions_per_1000_hours;
    let st = &sim.controllers.spot;
    if rate == 0 && st.interruptions.is_empty() && st.drains.is_empty() {
        return;
    }
    if rate > 0 {
        let odds = chance_per_billion_per_second(rate);
        let candidates: Vec<String> = sim
            .state
            .instances
            .values()
            .filter(|i| {
                i.lifecycle == InstanceLifecycle::Spot
                    && i.state == InstanceState::Running
                    && !i.terminating
                    && !sim.controllers.spot.interruptions.contains_key(&i.id)
            })
            .map(|i| i.id.clone())
            .collect();
        for id in candidates {
            if sim.rng.spot.chance_per_billion(odds) {
                interrupt(sim, &id);
            }
        }
    }
    watch_replacements(sim);
    work_drains(sim);
    if !sim.controllers.spot.replacements.is_empty() {
        let gone: Vec<String> = sim
            .controllers
            .spot
            .replacements
            .iter()
            .filter(|r| !live(sim, r))
            .cloned()
            .collect();
        for r in gone {
            sim.controllers.spot.replacements.remove(&r);
        }
    }
}

/// EC2 decides to reclaim an instance: the rebalance recommendation now, the notice after the
/// lead, the reclaim two minutes after that.
fn interrupt(sim: &mut Simulation, id: &str) {
    let now = sim.now();
    let Some(inst) = sim.state.instances.get(id) else {
        return;
    };
    let nodegroup = inst.nodegroup.clone();
    let managed = sim
        .state
        .nodegroups
        .get(&nodegroup)
        .is_some_and(|g| g.kind == NodegroupKind::Managed);
    let lead = sim.rng.spot.delay(sim.spec.settings.spot.rebalance_lead);
    let notice_at = now + lead;
    let reclaim_at = notice_at + NOTICE;
    sim.controllers.spot.interruptions.insert(
        id.to_string(),
        Interruption {
            nodegroup,
            managed,
            rebalance_at: now,
            notice_at,
            reclaim_at,
            replacement: None,
            drain_started: false,
        },
    );
    let obj = subject(sim, id);
    sim.record(
        EventType::Normal,
        reason::REBALANCE_RECOMMENDATION,
        obj,
        format!(
            "EC2 instance rebalance recommendation for {id}: its Spot capacity pool is at elevated risk of interruption"
        ),
        "ec2",
    );
    if managed {
        // Capacity Rebalancing: the ASG launches a replacement before the old one goes.
        if let Some(i) = sim.state.instances.get_mut(id) {
            i.terminating = true;
        }
        sim.state.touch();
    }
    if lead == SimDuration::ZERO {
        notice(sim, id);
    } else {
        sim.after(lead, Timer::Spot(SpotTimer::Notice(id.to_string())));
    }
    sim.after(
        lead + NOTICE,
        Timer::Spot(SpotTimer::Reclaim(id.to_string())),
    );
}

/// The two-minute interruption notice.
fn notice(sim: &mut Simulation, id: &str) {
    let Some(intr) = sim.controllers.spot.interruptions.get(id).cloned() else {
        return;
    };
    if !live(sim, id) {
        return;
    }
    let obj = subject(sim, id);
    let at = utc(sim, intr.reclaim_at);
    sim.record(
        EventType::Warning,
        reason::SPOT_INTERRUPTION_NOTICE,
        obj,
        format!("Spot instance {id} will be interrupted at {at} (2-minute notice)"),
        "ec2",
    );
    if intr.managed {
        // The notice came before the replacement was Ready: EKS drains now, best effort.
        start_drain(sim, id, "eks", true);
    } else if sim.spec.settings.spot.node_termination_handler {
        start_drain(sim, id, NTH, false);
    }
}

/// EC2 reclaims the instance.
fn reclaim(sim: &mut Simulation, id: &str) {
    if sim.controllers.spot.interruptions.remove(id).is_none() || !live(sim, id) {
        return;
    }
    let obj = subject(sim, id);
    sim.record(
        EventType::Warning,
        reason::SPOT_INTERRUPTED,
        obj,
        format!("Spot instance {id} was interrupted: EC2 reclaimed the capacity and terminated it"),
        "ec2",
    );
    auto_scaling_group::terminate(
        sim,
        id,
        "an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped",
    );
}

/// Cordons the instance's node and starts evicting its pods.
fn start_drain(sim: &mut Simulation, id: &str, source: &'static str, terminate: bool) {
    let now = sim.now();
    if let Some(i) = sim.controllers.spot.interruptions.get_mut(id) {
        if i.drain_started {
            return;
        }
        i.drain_started = true;
    }
    let Some(inst) = sim.state.instances.get(id) else {
        return;
    };
    let node = inst.node_name.clone();
    let Some(uid) = sim.state.nodes.get(&node).map(|n| n.meta.uid) else {
        if terminate && live(sim, id) {
            auto_scaling_group::terminate(sim, id, REBALANCE_CAUSE);
        }
        return;
    };
    let _ = node_drain::cordon(sim, &node, true);
    sim.controllers.spot.drains.insert(
        node,
        SpotDrain {
            instance: id.to_string(),
            node_uid: uid,
            source,
            next_attempt: now,
            reported: BTreeSet::new(),
            terminate_when_done: terminate,
        },
    );
}

const REBALANCE_CAUSE: &str =
    "an instance was taken out of service in response to an EC2 instance rebalance recommendation";

/// The instance the ASG launched for an interrupted one: the first launched in the same group
/// since the recommendation and not already claimed by another interruption.
fn claim_replacement(sim: &mut Simulation, id: &str, intr: &Interruption) -> Option<String> {
    let claimed = &sim.controllers.spot.replacements;
    let found = sim
        .state
        .instances
        .values()
        .filter(|i| {
            i.nodegroup == intr.nodegroup
                && i.id != id
                && i.is_live()
                && !i.terminating
                && i.launched_at >= intr.rebalance_at
                && !claimed.contains(&i.id)
        })
        .min_by_key(|i| (i.launched_at, i.id.clone()))
        .map(|i| i.id.clone())?;
    sim.controllers.spot.replacements.insert(found.clone());
    if let Some(x) = sim.controllers.spot.interruptions.get_mut(id) {
        x.replacement = Some(found.clone());
    }
    Some(found)
}

/// Managed groups: drain the old node once its replacement is Ready.
fn watch_replacements(sim: &mut Simulation) {
    let waiting: Vec<(String, Interruption)> = sim
        .controllers
        .spot
        .interruptions
        .iter()
        .filter(|(_, i)| i.managed && (!i.drain_started || i.replacement.is_none()))
        .map(|(k, i)| (k.clone(), i.clone()))
        .collect();
    for (id, intr) in waiting {
        let replacement = intr
            .replacement
            .clone()
            .or_else(|| claim_replacement(sim, &id, &intr));
        let ready = replacement.is_some_and(|r| {
            sim.state
                .instances
                .get(&r)
                .and_then(|i| sim.state.nodes.get(&i.node_name))
                .is_some_and(crate::sim::api::Node::is_ready)
        });
        if ready && !intr.drain_started {
            start_drain(sim, &id, "eks", true);
        }
    }
}

/// Is the instance launched in place of `id` running (InService for the ASG)?
fn replacement_in_service(sim: &Simulation, id: &str) -> bool {
    sim.controllers
        .spot
        .interruptions
        .get(id)
        .and_then(|i| i.replacement.as_ref())
        .and_then(|r| sim.state.instances.get(r))
        .is_some_and(|r| r.state == InstanceState::Running)
}

fn work_drains(sim: &mut Simulation) {
    if sim.controllers.spot.drains.is_empty() {
        return;
    }
    let now = sim.now();
    let nodes: Vec<String> = sim.controllers.spot.drains.keys().cloned().collect();
    for node in nodes {
        let Some(d) = sim.controllers.spot.drains.get(&node).cloned() else {
            continue;
        };
        if sim
            .state
            .nodes
            .get(&node)
            .is_none_or(|n| n.meta.uid != d.node_uid)
        {
            sim.controllers.spot.drains.remove(&node);
            continue;
        }
        if now < d.next_attempt {
            continue;
        }
        let remaining: Vec<ObjectKey> = sim
            .state
            .pods_on_node(&node)
            .filter(|p| {
                p.meta
                    .owner
                    .as_ref()
                    .is_none_or(|o| o.kind != Kind::DaemonSet)
            })
            .map(|p| p.meta.key())
            .collect();
        if remaining.is_empty() {
            // Capacity Rebalancing terminates the old instance once it is drained and its
            // replacement is in service; without one, EC2's reclaim will take it.
            if d.terminate_when_done && !replacement_in_service(sim, &d.instance) {
                continue;
            }
            sim.controllers.spot.drains.remove(&node);
            if d.terminate_when_done && live(sim, &d.instance) {
                auto_scaling_group::terminate(sim, &d.instance, REBALANCE_CAUSE);
            }
            continue;
        }
        let waiting: Vec<ObjectKey> = remaining
            .into_iter()
            .filter(|k| !sim.state.pods[k].is_terminating())
            .collect();
        let mut reported = Vec::new();
        for k in &waiting {
            if let Err(e) = api_server::evict(sim, k)
                && !d.reported.contains(k)
            {
                reported.push(k.clone());
                sim.record(
                    EventType::Warning,
                    reason::EVICTION_BLOCKED,
                    ObjectRef::cluster_scoped(Kind::Node, node.clone()),
                    format!(
                        "error when evicting pods/\"{}\" -n \"{}\" (will retry after 5s): {e}",
                        k.name, k.namespace
                    ),
                    d.source,
                );
            }
        }
        if let Some(x) = sim.controllers.spot.drains.get_mut(&node) {
            x.reported.extend(reported);
            x.next_attempt = now + DRAIN_RETRY;
        }
    }
}

/// Dispatches a due notice or reclaim.
pub(crate) fn fire(sim: &mut Simulation, t: SpotTimer) {
    match t {
        SpotTimer::Notice(id) => notice(sim, &id),
        SpotTimer::Reclaim(id) => reclaim(sim, &id),
    }
}

/// Interruptions in progress, for explanations: instance, notice time, reclaim time.
pub fn in_progress(sim: &Simulation) -> Vec<(String, SimTime, SimTime)> {
    sim.controllers
        .spot
        .interruptions
        .iter()
        .map(|(id, i)| (id.clone(), i.notice_at, i.reclaim_at))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odds_per_second() {
        // 1,000 interruptions per 1,000 instance-hours is one an hour: 1/3600 per second.
        assert_eq!(chance_per_billion_per_second(1000), 277_777);
        assert_eq!(chance_per_billion_per_second(0), 0);
        assert_eq!(chance_per_billion_per_second(u64::MAX), 1_000_000_000);
    }
}
