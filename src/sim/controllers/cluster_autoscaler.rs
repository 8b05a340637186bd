//! The Cluster Autoscaler (kubernetes/autoscaler `cluster-autoscaler`, AWS provider with ASG
//! auto-discovery), as it runs in kube-system on an EKS cluster.
//!
//! It works only while its own pod (Deployment `kube-system/cluster-autoscaler`) is Running and
//! Ready, and only on node groups whose Auto Scaling group carries the auto-discovery tags
//! (EKS tags managed node groups; eksctl tags self-managed ones with
//! `iam.withAddonPolicies.autoScaler`). Every `scan_interval` (10 s, eks-facts §6.2) it runs
//! one loop, as upstream `StaticAutoscaler.RunOnce`:
//!
//! 1. Cluster health: too many unready nodes (> 3 and > 45 %) stop it.
//! 2. Provisioning: scale-ups whose nodes did not register within `max_node_provision_time`
//!    (15 min) time out, the group backs off (5 min, doubling to 30 min), and long-unregistered
//!    instances (and ASG capacity that never got an instance) are removed.
//! 3. Scale-up (`scale_up.rs`): unschedulable pods that fit neither existing nor upcoming nodes
//!    are bin-packed onto each group's template node; an expander (`expander.rs`) picks one
//!    group and its ASG's desired capacity grows.
//! 4. Scale-down (`scale_down.rs`): underutilized nodes whose pods can all move elsewhere
//!    become unneeded; after `scale_down_unneeded_time` (10 min), outside the cooldowns, they
//!    are tainted, drained and terminated with the ASG's desired capacity decremented.
//!
//! Everything it decides is also written down for learners: per node group `why` lines, a
//! reason per pending pod, and a `cluster-autoscaler-status`-like text.

mod expander;
mod scale_down;
mod scale_up;
mod simulator;

pub use simulator::{
    SAFE_TO_EVICT, SAFE_TO_EVICT_LOCAL_VOLUMES, SCALE_DOWN_DISABLED, TO_BE_DELETED_TAINT,
};

use crate::sim::sort::CollectSorted;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::sim::api::{Kind, ObjectKey, ObjectRef};
use crate::sim::clock::{SimDuration, SimTime, TICK};
use crate::sim::eks::{InstanceState, NodegroupStatus};
use crate::sim::spec::ClusterAutoscalerSettings;
use crate::sim::{Simulation, Timer};

/// The component name on the CA's events.
pub const SOURCE: &str = "cluster-autoscaler";
/// Unready nodes tolerated before the CA stops (`--ok-total-unready-count`, eks-facts §6.2).
pub const OK_TOTAL_UNREADY_COUNT: u64 = 3;
/// ...and as a share of all nodes (`--max-total-unready-percentage`, 45).
pub const MAX_TOTAL_UNREADY_PERCENT: u64 = 45;
/// A registered node that is not Ready yet counts as starting for this long
/// (upstream `MaxNodeStartupTime`).
pub const MAX_NODE_STARTUP_TIME: SimDuration = SimDuration::from_mins(15);

/// A scale-up the CA waits for (upstream `clusterstate.ScaleUpRequest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleUpRequest {
    pub time: SimTime,
    pub increase: u64,
    pub expected_add_time: SimTime,
}

/// A node group the CA will not scale up for a while after a failed scale-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    pub until: SimTime,
    pub duration: SimDuration,
}

/// A node the CA is removing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deletion {
    pub node: String,
    pub node_uid: u64,
    pub instance: String,
    pub nodegroup: String,
    pub started: SimTime,
    /// False for empty nodes (deleted at once), true when pods are evicted first.
    pub drain: bool,
    /// When every eviction had been accepted (the wait for the pods to exit starts).
    pub evictions_done: Option<SimTime>,
}

/// Delayed Cluster Autoscaler work: the next step of a node drain (eviction retries every 10 s,
/// then a check every 5 s that the evicted pods are gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaTimer {
    Drain { node: String, node_uid: u64 },
}

/// Cluster Autoscaler bookkeeping between scans (all of it lives in the CA's memory upstream,
/// so it is lost when its pod stops).
#[derive(Debug, Clone, Default)]
pub struct ClusterAutoscalerState {
    /// The CA pod was Running and Ready at the last scan.
    pub running: bool,
    pub next_scan: Option<SimTime>,
    pub last_scan: Option<SimTime>,
    pub last_scale_up: Option<SimTime>,
    pub last_scale_down_delete: Option<SimTime>,
    pub last_scale_down_fail: Option<SimTime>,
    /// Node → since when it has been unneeded.
    pub unneeded_since: BTreeMap<String, SimTime>,
    /// Nodes whose removal failed are not retried before this time.
    pub unremovable_until: BTreeMap<String, SimTime>,
    pub deletions: Vec<Deletion>,
    pub scale_up_requests: BTreeMap<String, ScaleUpRequest>,
    pub backoff: BTreeMap<String, Backoff>,
    /// Since when a group's ASG has had desired capacity without instances behind it.
    pub placeholders_since: BTreeMap<String, SimTime>,
    /// The last NotTriggerScaleUp message per pod (each distinct one is recorded once).
    pub not_triggered: BTreeMap<ObjectKey, String>,
    /// Per node group: what the CA saw and decided at the last scan.
    pub why: BTreeMap<String, Vec<String>>,
    /// Per pending pod: what the CA makes of it.
    pub pod_reasons: BTreeMap<ObjectKey, String>,
    /// Status lines and when each last changed, for `status_text`.
    pub status: BTreeMap<String, (String, SimTime)>,
}

/// What one scan sees of a node group.
#[derive(Debug, Clone)]
pub(crate) struct GroupView {
    pub name: String,
    pub asg: String,
    pub min: u64,
    pub desired: u64,
    pub max: u64,
    /// Ready nodes of instances in service.
    pub ready: u64,
    /// Registered but not Ready for longer than `MAX_NODE_STARTUP_TIME`.
    pub unready: u64,
    /// Registered, not Ready yet, and young.
    pub not_started: u64,
    /// Live instances in service without a registered node.
    pub unregistered: u64,
    /// Live instances in service.
    pub instances: u64,
}

impl GroupView {
    pub fn registered(&self) -> u64 {
        self.ready + self.unready + self.not_started
    }

    /// Nodes the ASG owes: desired capacity not yet Ready (upstream `GetUpcomingNodes`).
    pub fn upcoming(&self) -> u64 {
        self.desired.saturating_sub(self.ready + self.unready)
    }
}

/// One scan's working state.
#[derive(Debug)]
pub(crate) struct Scan {
    pub now: SimTime,
    pub groups: Vec<GroupView>,
    pub why: BTreeMap<String, Vec<String>>,
    pub pod_reasons: BTreeMap<ObjectKey, String>,
    pub scale_up: String,
    pub scale_down: String,
}

impl Scan {
    pub fn note(&mut self, group: &str, line: String) {
        self.why.entry(group.to_string()).or_default().push(line);
    }

    pub fn group(&self, name: &str) -> Option<&GroupView> {
        self.groups.iter().find(|g| g.name == name)
    }
}

/// Is the CA pod Running and Ready?
pub fn pod_available(sim: &Simulation) -> bool {
    sim.state.pods.values().any(|p| {
        p.meta.namespace == "kube-system"
            && p.meta.labels.get("app").map(String::as_str) == Some("cluster-autoscaler")
            && p.is_ready()
            && !p.is_terminating()
    })
}

/// The node groups the CA manages (auto-discovery tags), by name.
pub(crate) fn managed_groups(sim: &Simulation) -> Vec<String> {
    sim.state
        .nodegroups
        .values()
        .filter(|g| g.autoscaler_tags && g.status != NodegroupStatus::Deleting)
        .map(|g| g.name.clone())
        .collect()
}

fn group_views(sim: &Simulation, now: SimTime) -> Vec<GroupView> {
    managed_groups(sim)
        .into_iter()
        .filter_map(|name| {
            let ng = sim.state.nodegroups.get(&name)?;
            let mut v = GroupView {
                asg: ng.asg_name(),
                min: crate::sim::api::count(ng.scaling.min_size),
                desired: crate::sim::api::count(ng.scaling.desired_size),
                max: crate::sim::api::count(ng.scaling.max_size),
                name: name.clone(),
                ready: 0,
                unready: 0,
                not_started: 0,
                unregistered: 0,
                instances: 0,
            };
            for i in sim.state.instances.values() {
                if i.nodegroup != name || !i.is_live() || i.terminating {
                    continue;
                }
                v.instances += 1;
                match sim.state.nodes.get(&i.node_name) {
                    None => v.unregistered += 1,
                    Some(n) if n.is_ready() => v.ready += 1,
                    Some(n)
                        if now.saturating_sub(n.meta.creation_timestamp)
                            < MAX_NODE_STARTUP_TIME =>
                    {
                        v.not_started += 1;
                    }
                    Some(_) => v.unready += 1,
                }
            }
            Some(v)
        })
        .collect()
}

/// Runs a scan every `scan_interval` while the CA is installed.
pub(crate) fn reconcile(sim: &mut Simulation) {
    let Some(settings) = sim.spec.settings.cluster_autoscaler.as_ref() else {
        return;
    };
    let now = sim.now();
    let interval = settings.scan_interval.max(TICK);
    if sim
        .controllers
        .cluster_autoscaler
        .next_scan
        .is_some_and(|t| now < t)
    {
        return;
    }
    sim.controllers.cluster_autoscaler.next_scan = Some(now + interval);
    let settings = settings.clone();
    scan(sim, &settings);
}

fn scan(sim: &mut Simulation, settings: &ClusterAutoscalerSettings) {
    let now = sim.now();
    if !pod_available(sim) {
        let st = &mut sim.controllers.cluster_autoscaler;
        if st.running {
            // The process is gone: everything it kept in memory goes with it.
            *st = ClusterAutoscalerState {
                next_scan: st.next_scan,
                ..ClusterAutoscalerState::default()
            };
        }
        let line = "cluster-autoscaler is not running (no Ready pod of deployment kube-system/cluster-autoscaler): nothing is scaled".to_string();
        let groups = managed_groups(sim);
        let st = &mut sim.controllers.cluster_autoscaler;
        st.why = groups
            .into_iter()
            .map(|g| (g, vec![line.clone()]))
            .collect_map();
        st.pod_reasons.clear();
        return;
    }
    if !sim.controllers.cluster_autoscaler.running {
        sim.controllers.cluster_autoscaler.running = true;
        scale_down::clean_stale_taints(sim);
    }
    sim.controllers.cluster_autoscaler.last_scan = Some(now);
    let mut s = Scan {
        now,
        groups: group_views(sim, now),
        why: BTreeMap::new(),
        pod_reasons: BTreeMap::new(),
        scale_up: String::new(),
        scale_down: String::new(),
    };
    scale_up::check_provisioning(sim, settings, &mut s);
    s.groups = group_views(sim, now);
    let health = cluster_health(&s.groups);
    set_status(sim, "Health", health.clone());
    if health.starts_with("Unhealthy") {
        for g in s.groups.clone() {
            s.note(
                &g.name,
                format!("cluster is not ready for autoscaling: {health}"),
            );
        }
    } else {
        let scaled_up = scale_up::run(sim, settings, &mut s);
        s.groups = group_views(sim, now);
        if settings.scale_down_enabled {
            scale_down::run(sim, settings, &mut s, scaled_up);
        } else {
            s.scale_down = "NoCandidates (candidates=0)".to_string();
            for g in s.groups.clone() {
                s.note(
                    &g.name,
                    "scale-down is disabled (--scale-down-enabled=false)".into(),
                );
            }
        }
    }
    let scale_up_status = s.scale_up.clone();
    let scale_down_status = s.scale_down.clone();
    if !scale_up_status.is_empty() {
        set_status(sim, "ScaleUp", scale_up_status);
    }
    if !scale_down_status.is_empty() {
        set_status(sim, "ScaleDown", scale_down_status);
    }
    for g in &s.groups {
        set_status(sim, &format!("group/{}/health", g.name), group_health(g));
        let up = if sim
            .controllers
            .cluster_autoscaler
            .backoff
            .get(&g.name)
            .is_some_and(|b| b.until > now)
        {
            format!(
                "Backoff (ready={} cloudProviderTarget={})",
                g.ready, g.desired
            )
        } else if g.upcoming() > 0 {
            format!(
                "InProgress (ready={} cloudProviderTarget={})",
                g.ready, g.desired
            )
        } else {
            format!(
                "NoActivity (ready={} cloudProviderTarget={})",
                g.ready, g.desired
            )
        };
        set_status(sim, &format!("group/{}/scaleup", g.name), up);
        let candidates = sim
            .controllers
            .cluster_autoscaler
            .unneeded_since
            .keys()
            .filter(|n| {
                sim.state
                    .nodes
                    .get(*n)
                    .is_some_and(|node| node.data_plane.group_name() == g.name)
            })
            .count();
        let down = if candidates > 0 {
            format!("CandidatesPresent (candidates={candidates})")
        } else {
            "NoCandidates (candidates=0)".to_string()
        };
        set_status(sim, &format!("group/{}/scaledown", g.name), down);
    }
    let st = &mut sim.controllers.cluster_autoscaler;
    st.why = s.why;
    st.pod_reasons = s.pod_reasons;
    let live: BTreeSet<ObjectKey> = crate::sim::sort::set(sim.state.pods.keys().cloned());
    let st = &mut sim.controllers.cluster_autoscaler;
    st.not_triggered.retain(|k, _| live.contains(k));
}

fn cluster_health(groups: &[GroupView]) -> String {
    let ready: u64 = groups.iter().map(|g| g.ready).sum();
    let unready: u64 = groups.iter().map(|g| g.unready).sum();
    let not_started: u64 = groups.iter().map(|g| g.not_started).sum();
    let registered: u64 = groups.iter().map(GroupView::registered).sum();
    let unregistered: u64 = groups.iter().map(|g| g.unregistered).sum();
    let healthy = unready <= OK_TOTAL_UNREADY_COUNT
        || unready * 100 <= MAX_TOTAL_UNREADY_PERCENT * registered.max(1);
    format!(
        "{} (ready={ready} unready={unready} notStarted={not_started} longNotStarted=0 registered={registered} longUnregistered={unregistered})",
        if healthy { "Healthy" } else { "Unhealthy" }
    )
}

fn group_health(g: &GroupView) -> String {
    format!(
        "Healthy (ready={} unready={} notStarted={} longNotStarted=0 registered={} longUnregistered={} cloudProviderTarget={} (minSize={}, maxSize={}))",
        g.ready,
        g.unready,
        g.not_started,
        g.registered(),
        g.unregistered,
        g.desired,
        g.min,
        g.max
    )
}

fn set_status(sim: &mut Simulation, key: &str, value: String) {
    let now = sim.now();
    let st = &mut sim.controllers.cluster_autoscaler.status;
    match st.get_mut(key) {
        Some((v, _)) if *v == value => {}
        _ => {
            st.insert(key.to_string(), (value, now));
        }
    }
}

/// Dispatches a due drain step.
pub(crate) fn fire(sim: &mut Simulation, t: CaTimer) {
    match t {
        CaTimer::Drain { node, node_uid } => scale_down::drain_step(sim, &node, node_uid),
    }
}

pub(crate) fn schedule(sim: &mut Simulation, d: SimDuration, t: CaTimer) {
    sim.after(d, Timer::ClusterAutoscaler(t));
}

pub(crate) fn node_ref(node: &str) -> ObjectRef {
    ObjectRef::cluster_scoped(Kind::Node, node.to_string())
}

pub(crate) fn pod_ref(key: &ObjectKey) -> ObjectRef {
    ObjectRef::new(Kind::Pod, key.namespace.clone(), key.name.clone())
}

pub(crate) fn nodegroup_ref(name: &str) -> ObjectRef {
    ObjectRef::cluster_scoped(Kind::Nodegroup, name.to_string())
}

// ---- explanations ----

/// What the Cluster Autoscaler saw and decided for each node group at its last scan, as lines
/// a learner can read. Groups it does not manage are listed with the reason.
pub fn explain(sim: &Simulation) -> Vec<(String, Vec<String>)> {
    if sim.spec.settings.cluster_autoscaler.is_none() {
        return sim
            .state
            .nodegroups
            .keys()
            .map(|g| {
                (
                    g.clone(),
                    vec!["the Cluster Autoscaler is not installed (no clusterAutoscaler in the Lab document)".to_string()],
                )
            })
            .collect();
    }
    let st = &sim.controllers.cluster_autoscaler;
    sim.state
        .nodegroups
        .values()
        .map(|g| {
            let lines = if g.autoscaler_tags {
                st.why.get(&g.name).cloned().unwrap_or_else(|| {
                    vec!["nothing to do: no pending pods and no scale-down candidates".to_string()]
                })
            } else {
                vec![format!(
                    "not managed: the Auto Scaling group {} has no k8s.io/cluster-autoscaler/enabled tag, so auto-discovery skips it (eksctl adds the tags with iam.withAddonPolicies.autoScaler: true)",
                    g.asg_name()
                )]
            };
            (g.name.clone(), lines)
        })
        .collect()
}

/// What the Cluster Autoscaler makes of a pending pod, if it has looked at it.
pub fn pod_reason(sim: &Simulation, key: &ObjectKey) -> Option<String> {
    let pod = sim.state.pods.get(key)?;
    if pod.spec.node_name.is_some() {
        return None;
    }
    sim.controllers
        .cluster_autoscaler
        .pod_reasons
        .get(key)
        .cloned()
}

/// Since when a node has been unneeded, if it is.
pub fn unneeded_since(sim: &Simulation, node: &str) -> Option<SimTime> {
    sim.controllers
        .cluster_autoscaler
        .unneeded_since
        .get(node)
        .copied()
}

/// `2026-11-01 00:12:30 +0000 UTC`, as the status ConfigMap prints times.
fn utc(sim: &Simulation, t: SimTime) -> String {
    let secs = t.as_secs();
    let date = sim.spec.start_date.add_days((secs / 86_400) as i64);
    format!(
        "{date} {:02}:{:02}:{:02} +0000 UTC",
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60
    )
}

/// A text in the spirit of the `kube-system/cluster-autoscaler-status` ConfigMap: cluster-wide
/// health, scale-up and scale-down, then the same per node group (named by ASG).
pub fn status_text(sim: &Simulation) -> String {
    if sim.spec.settings.cluster_autoscaler.is_none() {
        return "Cluster Autoscaler is not installed.".to_string();
    }
    let st = &sim.controllers.cluster_autoscaler;
    let Some(probe) = st.last_scan.filter(|_| st.running) else {
        return "cluster-autoscaler is not running: no status ConfigMap is being written (its pod is not Ready yet).".to_string();
    };
    let mut out = format!(
        "Cluster-autoscaler status at {}:\nCluster-wide:\n",
        utc(sim, probe)
    );
    let block = |out: &mut String, label: &str, key: &str, indent: &str| {
        if let Some((v, since)) = st.status.get(key) {
            let pad = " ".repeat(indent.len() + 13);
            let _ = writeln!(out, "{indent}{label:<13}{v}");
            let _ = writeln!(out, "{pad}LastProbeTime:      {}", utc(sim, probe));
            let _ = writeln!(out, "{pad}LastTransitionTime: {}", utc(sim, *since));
        }
    };
    block(&mut out, "Health:", "Health", "  ");
    block(&mut out, "ScaleUp:", "ScaleUp", "  ");
    block(&mut out, "ScaleDown:", "ScaleDown", "  ");
    out.push_str("\nNodeGroups:\n");
    for name in managed_groups(sim) {
        let Some(ng) = sim.state.nodegroups.get(&name) else {
            continue;
        };
        let _ = writeln!(out, "  Name:        {}", ng.asg_name());
        block(&mut out, "Health:", &format!("group/{name}/health"), "  ");
        block(&mut out, "ScaleUp:", &format!("group/{name}/scaleup"), "  ");
        block(
            &mut out,
            "ScaleDown:",
            &format!("group/{name}/scaledown"),
            "  ",
        );
        out.push('\n');
    }
    out
}

/// Is the instance behind a node being terminated (by the ASG, a Spot reclaim or the CA)?
pub(crate) fn instance_in_service(sim: &Simulation, instance_id: &str) -> bool {
    sim.state
        .instances
        .get(instance_id)
        .is_some_and(|i| i.state == InstanceState::Running && !i.terminating)
}
