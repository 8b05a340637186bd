//! The Upgrades tab's planner, derived from the simulation: where the cluster's version stands
//! on the EKS calendar on the lab's date, the next minor version, and for each component who
//! must act (you, AWS, or both), in which order, what blocks it, what it disturbs, how long it
//! should take and what it costs (`estimate`), plus the timeline of EKS updates so far
//! (`timeline`).
//!
//! The rules come from eks-facts §4 (managed node group updates) and §5 (one minor version at
//! a time; control plane first, then nodes, then add-ons); the refusals are the simulation's
//! own `check_upgrade` messages, so the planner never disagrees with what a click would do.

mod actions;
mod addons;
mod estimate;
mod impact;
mod model;
mod timeline;

use std::collections::BTreeMap;

pub use actions::{Action, blue_green_name, line as command_line, update_config};
pub use estimate::{Estimate, EstimatePart, GroupEstimate, duration_range, rate};
pub use model::UpgradesModel;
pub use timeline::{PhaseBar, Timeline, TimelineRow, UpdateErrorLine, duration_text};

use crate::sim::Simulation;
use crate::sim::api::{Kind, Node, ObjectKey, Pod, count};
use crate::sim::catalog::prices::{CONTROL_PLANE_EXTENDED, CONTROL_PLANE_STANDARD};
use crate::sim::catalog::versions::SupportStatus;
use crate::sim::catalog::{KubernetesVersion, addon_behind, addon_minor, version_info};
use crate::sim::controllers::nodegroup_update;
use crate::sim::eks::{Nodegroup, NodegroupKind, NodegroupStatus, NodegroupUpdateConfig};
use crate::sim::eks::{managed_update, version_update};
use crate::view::cluster::DataPlaneKind;

/// Where a component stands in the upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepState {
    /// At the version the cycle aims for.
    Done,
    /// Can (and should) be done now.
    Ready,
    /// Running now; the text names the phase.
    InProgress(String),
    /// Comes after an earlier step (the control plane first).
    Later,
    /// Refused now; the text says why.
    Blocked(String),
}

impl StepState {
    pub fn label(&self) -> &'static str {
        match self {
            StepState::Done => "Done",
            StepState::Ready => "Do now",
            StepState::InProgress(_) => "In progress",
            StepState::Later => "Later",
            StepState::Blocked(_) => "Blocked",
        }
    }

    pub fn css(&self) -> &'static str {
        match self {
            StepState::Done => "done",
            StepState::Ready => "ready",
            StepState::InProgress(_) => "running",
            StepState::Later => "later",
            StepState::Blocked(_) => "blocked",
        }
    }
}

/// A Kubernetes version on the EKS calendar, seen from the lab's date (eks-facts §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFacts {
    pub version: String,
    /// `standard support`, `extended support`, `end of support`, `not yet released`.
    pub status: &'static str,
    pub eks_release: String,
    pub end_of_standard: String,
    pub end_of_extended: String,
    /// The control plane's price at this version on the lab date, nano-dollars per hour
    /// (eks-facts §1.1: $0.10 in standard support, $0.60 in extended support).
    pub price_nusd_per_hour: u64,
    /// Days from the lab date to the end of standard support (negative once past it).
    pub days_to_end_of_standard: i64,
}

impl VersionFacts {
    fn of(v: KubernetesVersion, sim: &Simulation) -> Option<VersionFacts> {
        let info = version_info(v)?;
        let date = sim.date();
        let status = info.status_on(date);
        Some(VersionFacts {
            version: v.to_string(),
            status: status.as_str(),
            eks_release: info.eks_release.to_string(),
            end_of_standard: info.end_of_standard.to_string(),
            end_of_extended: info.end_of_extended.to_string(),
            price_nusd_per_hour: match status {
                SupportStatus::Extended | SupportStatus::EndOfLife => CONTROL_PLANE_EXTENDED,
                SupportStatus::Standard | SupportStatus::NotYetReleased => CONTROL_PLANE_STANDARD,
            },
            days_to_end_of_standard: info.end_of_standard.0 - date.0,
        })
    }
}

/// Who does what for one component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub you: String,
    pub aws: String,
}

/// The control plane's step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlPlanePlan {
    pub version: String,
    pub target: String,
    pub state: StepState,
    pub who: Who,
    /// API server instances now: (name, version, healthy).
    pub api_servers: Vec<(String, String, bool)>,
    pub action: Option<Action>,
}

/// An update running on a managed node group, as the workflow sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodegroupProgress {
    pub phase: String,
    pub update_id: String,
    pub force: bool,
    pub surge: u64,
    pub max_unavailable: u64,
    pub original_desired: u64,
    pub original_max: u64,
    /// Old nodes being drained or waiting the 60 s after their drain.
    pub batch: Vec<String>,
}

/// One EC2 node group's step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodegroupPlan {
    pub name: String,
    pub kind: DataPlaneKind,
    /// `ACTIVE`, `UPDATING`, ...
    pub status: &'static str,
    /// The group's version (its launch template's kubelet).
    pub version: String,
    /// The version it can go to now: the control plane's.
    pub target: String,
    /// Kubelet versions of its nodes and how many run each, oldest first (`("1.34", 3)`).
    pub kubelets: Vec<(String, u64)>,
    pub nodes: u64,
    /// Nodes whose kubelet is older than the cycle's version.
    pub old_nodes: u64,
    pub instance_type: String,
    pub zones: u64,
    pub min: u64,
    pub desired: u64,
    pub max: u64,
    /// `DEFAULT` or `MINIMAL` (managed groups).
    pub strategy: &'static str,
    /// `maxUnavailable=1` or `maxUnavailablePercentage=33`.
    pub update_config: String,
    /// Nodes EKS updates in parallel, and the nodes it adds first (eks-facts §4).
    pub max_unavailable: u64,
    pub surge: u64,
    /// ceil(old nodes / maxUnavailable).
    pub batches: u64,
    pub state: StepState,
    pub who: Who,
    pub progress: Option<NodegroupProgress>,
    pub estimate: Option<GroupEstimate>,
    /// Managed: rolling update, force update. Self-managed: the blue/green steps in order.
    pub actions: Vec<Action>,
}

/// Fargate's step: nothing in place; pods pick up the new kubelet when they restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FargatePlan {
    pub profiles: Vec<String>,
    pub pods: u64,
    /// Pods whose Fargate node runs a kubelet older than the control plane.
    pub old_pods: u64,
    /// Kubelet versions of Fargate pods and how many run each, oldest first.
    pub kubelets: Vec<(String, u64)>,
    /// Workloads with old pods (`default/batch`); Deployments get a restart button.
    pub workloads: Vec<String>,
    pub state: StepState,
    pub who: Who,
    pub actions: Vec<Action>,
}

/// One add-on's step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddonPlan {
    pub name: String,
    /// EKS-managed (`eksctl update addon`) or self-managed (`eksctl utils ...`).
    pub managed: bool,
    /// metrics-server, cluster-autoscaler: updated after the EKS add-ons.
    pub third_party: bool,
    pub installed: String,
    /// The version EKS ships for the control plane's version, and for the next one.
    pub for_current: String,
    pub for_target: Option<String>,
    pub compatible_now: bool,
    pub compatible_target: Option<bool>,
    pub state: StepState,
    pub who: Who,
    pub action: Option<Action>,
}

/// One step of the order (eks-facts §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderStep {
    pub title: String,
    pub detail: String,
    pub state: StepState,
}

/// Something the upgrade does to workloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Impact {
    pub warn: bool,
    pub text: String,
}

/// The whole planner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpgradePlan {
    pub cluster: String,
    /// The lab's calendar date.
    pub date: String,
    pub current: VersionFacts,
    /// The next minor version, if EKS's calendar knows it.
    pub next: Option<VersionFacts>,
    pub next_version: String,
    /// The version this round of upgrades brings everything to: the next minor, or the control
    /// plane's own version while nodes and add-ons still lag behind it.
    pub cycle: String,
    pub control_plane: ControlPlanePlan,
    pub nodegroups: Vec<NodegroupPlan>,
    pub fargate: Option<FargatePlan>,
    pub addons: Vec<AddonPlan>,
    pub order: Vec<OrderStep>,
    /// Hard refusals, in the words of the command that would refuse.
    pub blocked: Vec<String>,
    /// What EKS upgrade insights would flag (allowed, but fix it first).
    pub cautions: Vec<String>,
    pub impact: Vec<Impact>,
    pub estimate: Estimate,
}

fn kubelet(n: &Node) -> Option<KubernetesVersion> {
    KubernetesVersion::parse(&n.status.kubelet_version).ok()
}

/// Kubelet versions and counts, oldest first.
fn tally<'a>(versions: impl Iterator<Item = KubernetesVersion> + 'a) -> Vec<(String, u64)> {
    let mut m: BTreeMap<KubernetesVersion, u64> = BTreeMap::new();
    for v in versions {
        *m.entry(v).or_default() += 1;
    }
    m.into_iter().map(|(v, n)| (v.to_string(), n)).collect()
}

fn group_nodes<'a>(sim: &'a Simulation, ng: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
    sim.state()
        .nodes
        .values()
        .filter(move |n| !n.data_plane.is_fargate() && n.data_plane.group_name() == ng)
}

/// The Deployment (or other owner) a pod belongs to, as `namespace/name` and whether it is a
/// Deployment.
fn owner_of(sim: &Simulation, p: &Pod) -> (String, bool) {
    let ns = &p.meta.namespace;
    match &p.meta.owner {
        Some(o) if o.kind == Kind::ReplicaSet => {
            let rs = sim
                .state()
                .replicasets
                .get(&ObjectKey::new(ns.clone(), o.name.clone()));
            match rs.and_then(|r| r.meta.owner.as_ref()) {
                Some(d) if d.kind == Kind::Deployment => (format!("{ns}/{}", d.name), true),
                _ => (format!("{ns}/{}", o.name), false),
            }
        }
        Some(o) => (format!("{ns}/{}", o.name), false),
        None => (format!("{ns}/{}", p.meta.name), false),
    }
}

/// Inputs every part of the planner shares.
struct Ctx<'a> {
    sim: &'a Simulation,
    cluster: String,
    cp: KubernetesVersion,
    /// The version this round aims for.
    cycle: KubernetesVersion,
    next: KubernetesVersion,
}

impl UpgradePlan {
    pub fn from_sim(sim: &Simulation) -> UpgradePlan {
        let c = &sim.state().cluster;
        let cp = c.version;
        let next = cp.next();
        let cp_update = version_update::in_progress(sim);
        let cycle = cp_update
            .and_then(|u| u.param("Version"))
            .and_then(|v| KubernetesVersion::parse(v).ok())
            .unwrap_or_else(|| if lagging(sim, cp) { cp } else { next });
        let ctx = Ctx {
            sim,
            cluster: c.name.clone(),
            cp,
            cycle,
            next,
        };
        let current = VersionFacts::of(cp, sim).unwrap_or_else(|| VersionFacts {
            version: cp.to_string(),
            status: "unknown",
            eks_release: String::new(),
            end_of_standard: String::new(),
            end_of_extended: String::new(),
            price_nusd_per_hour: CONTROL_PLANE_STANDARD,
            days_to_end_of_standard: 0,
        });
        let control_plane = control_plane_plan(&ctx);
        let nodegroups: Vec<NodegroupPlan> = sim
            .state()
            .nodegroups
            .values()
            .map(|g| nodegroup_plan(&ctx, g))
            .collect();
        let fargate = fargate_plan(&ctx);
        let addons = addons::plans(&ctx);
        let order = order(&ctx, &control_plane, &nodegroups, fargate.as_ref(), &addons);
        let mut blocked = Vec::new();
        if let StepState::Blocked(m) = &control_plane.state {
            blocked.push(m.clone());
        }
        for g in &nodegroups {
            if let StepState::Blocked(m) = &g.state {
                blocked.push(format!("nodegroup {}: {m}", g.name));
            }
        }
        for a in &addons {
            if let StepState::Blocked(m) = &a.state {
                blocked.push(format!("{}: {m}", a.name));
            }
        }
        let estimate = estimate::estimate(sim, ctx.cp < ctx.cycle, &nodegroups, &current, next);
        UpgradePlan {
            cluster: ctx.cluster.clone(),
            date: sim.date().to_string(),
            next: VersionFacts::of(next, sim),
            next_version: next.to_string(),
            cycle: cycle.to_string(),
            cautions: impact::cautions(&ctx, &nodegroups, fargate.as_ref(), &addons),
            impact: impact::impact(&ctx, &nodegroups, fargate.as_ref()),
            current,
            control_plane,
            nodegroups,
            fargate,
            addons,
            order,
            blocked,
            estimate,
        }
    }
}

/// Does anything still run older than the control plane (the round it started is unfinished)?
fn lagging(sim: &Simulation, cp: KubernetesVersion) -> bool {
    let st = sim.state();
    st.nodes
        .values()
        .any(|n| kubelet(n).is_some_and(|k| k < cp))
        || st.nodegroups.values().any(|g| g.version < cp)
        || st
            .cluster
            .addons
            .values()
            .any(|a| addon_behind(a.name, &a.version, cp))
        || addons::autoscaler_image(sim).is_some_and(|(_, v)| v.is_some_and(|v| v < cp))
}

fn control_plane_plan(ctx: &Ctx) -> ControlPlanePlan {
    let sim = ctx.sim;
    // During an update its target; otherwise the next minor version.
    let target = if ctx.cp < ctx.cycle {
        ctx.cycle
    } else {
        ctx.next
    };
    let api_servers = sim
        .state()
        .cluster
        .control_plane
        .iter()
        .filter(|i| i.role == crate::sim::eks::ControlPlaneRole::ApiServer)
        .map(|i| (i.name.clone(), i.version.to_string(), i.healthy))
        .collect();
    let (state, action) = if let Some(u) = version_update::in_progress(sim) {
        let phase = u.current_phase().unwrap_or("starting").to_string();
        (StepState::InProgress(phase), None)
    } else {
        match version_update::check_upgrade(sim, Some(target)) {
            // Allowed, but nodes or add-ons still lag behind the current version: finish
            // them first (what upgrade insights flag).
            Ok(t) if ctx.cycle == ctx.cp => (
                StepState::Later,
                Some(actions::upgrade_cluster(&ctx.cluster, t)),
            ),
            Ok(t) => (
                StepState::Ready,
                Some(actions::upgrade_cluster(&ctx.cluster, t)),
            ),
            Err(e) => (StepState::Blocked(e), None),
        }
    };
    ControlPlanePlan {
        version: ctx.cp.to_string(),
        target: target.to_string(),
        who: Who {
            you: format!(
                "Start it: eksctl upgrade cluster --name={} --version={target} --approve (one minor version at a time)",
                ctx.cluster
            ),
            aws: "AWS runs it: launches new API server instances at the new version, health-checks them, then replaces the old ones; reverts if the checks fail. It cannot be paused or cancelled.".to_string(),
        },
        state,
        api_servers,
        action,
    }
}

fn progress(sim: &Simulation, name: &str) -> Option<NodegroupProgress> {
    let op = nodegroup_update::in_progress(sim, name)?;
    let phase = sim
        .state()
        .updates
        .iter()
        .find(|u| u.id == op.update_id)
        .and_then(crate::sim::eks::Update::current_phase)
        .unwrap_or("Setup")
        .to_string();
    Some(NodegroupProgress {
        phase,
        update_id: op.update_id.clone(),
        force: op.force,
        surge: count(op.surge),
        max_unavailable: count(op.max_unavailable),
        original_desired: count(op.original.desired_size),
        original_max: count(op.original.max_size),
        batch: op.batch.keys().cloned().collect(),
    })
}

fn nodegroup_plan(ctx: &Ctx, g: &Nodegroup) -> NodegroupPlan {
    let sim = ctx.sim;
    let nodes: Vec<&Node> = group_nodes(sim, &g.name).collect();
    let old_nodes = nodes
        .iter()
        .filter(|n| kubelet(n).is_some_and(|k| k < ctx.cycle))
        .count() as u64;
    let behind_cp =
        g.version < ctx.cp || nodes.iter().any(|n| kubelet(n).is_some_and(|k| k < ctx.cp));
    let live = sim
        .state()
        .instances
        .values()
        .filter(|i| i.nodegroup == g.name && i.is_live())
        .count() as u64;
    let zones = if g.zones.is_empty() {
        sim.state().cluster.zones.len()
    } else {
        g.zones.len()
    } as u64;
    let max_unavailable = managed_update::parallelism(g.update_config, live);
    let surge = count(managed_update::surge(
        g.update_strategy,
        zones as usize,
        max_unavailable,
    ));
    let max_unavailable = count(max_unavailable);
    let to_replace = if behind_cp || ctx.cp < ctx.cycle {
        old_nodes.max(u64::from(g.version < ctx.cycle) * live)
    } else {
        0
    };
    let batches = to_replace.div_ceil(max_unavailable.max(1));
    let progress = progress(sim, &g.name);
    let managed = g.kind == NodegroupKind::Managed;
    let state = if let Some(p) = &progress {
        StepState::InProgress(p.phase.clone())
    } else if g.status != NodegroupStatus::Active {
        StepState::Blocked(format!(
            "Nodegroup {} is {}; updates need it ACTIVE",
            g.name,
            g.status.as_str()
        ))
    } else if behind_cp {
        StepState::Ready
    } else if ctx.cp < ctx.cycle {
        StepState::Later
    } else {
        StepState::Done
    };
    // The control plane's version: a group never goes past it. While the control plane has
    // yet to move, the group's next version is the round's.
    let target = if state == StepState::Later {
        ctx.cycle.to_string()
    } else {
        ctx.cp.to_string()
    };
    let (who, actions) = if managed {
        let who = Who {
            you: format!(
                "Start it: eksctl upgrade nodegroup --cluster={} --name={} (to the control plane's version, {target}); choose a rolling update (respects PDBs) or a force update",
                ctx.cluster, g.name
            ),
            aws: format!(
                "EKS rolls the nodes: adds {surge} new node(s) first (the larger of 2 × {zones} AZs and maxUnavailable {max_unavailable}), cordons the old ones, drains {max_unavailable} at a time through the eviction API, waits 60 s, terminates them, then scales back"
            ),
        };
        let mut actions = actions::upgrade_nodegroup(&ctx.cluster, &g.name);
        if state != StepState::Ready {
            for a in &mut actions {
                a.enabled = false;
                a.note = Some(match &state {
                    StepState::InProgress(p) => format!("An update is running ({p})"),
                    StepState::Later => format!(
                        "After the control plane reaches {}: a kubelet may not be newer than the API server",
                        ctx.cycle
                    ),
                    StepState::Blocked(m) => m.clone(),
                    _ => format!("Every node already runs {target}"),
                });
            }
        }
        (who, actions)
    } else {
        let who = Who {
            you: format!(
                "Every step is yours: create a new group at {target}, cordon and drain the old nodes, delete the old group (blue/green); or give this group a new AMI (ekslab set-ami) and replace each instance yourself"
            ),
            aws: "Nothing: EKS does not manage this Auto Scaling group or its AMI.".to_string(),
        };
        let actions = if state == StepState::Ready {
            actions::blue_green(sim, &ctx.cluster, g, ctx.cp)
        } else {
            Vec::new()
        };
        (who, actions)
    };
    let estimate = (managed && to_replace > 0)
        .then(|| estimate::nodegroup(sim, g, to_replace, max_unavailable, surge));
    NodegroupPlan {
        name: g.name.clone(),
        kind: if managed {
            DataPlaneKind::Managed
        } else {
            DataPlaneKind::SelfManaged
        },
        status: g.status.as_str(),
        version: g.version.to_string(),
        target,
        kubelets: tally(nodes.iter().filter_map(|n| kubelet(n))),
        nodes: nodes.len() as u64,
        old_nodes,
        instance_type: g.instance_types.first().cloned().unwrap_or_default(),
        zones,
        min: count(g.scaling.min_size),
        desired: count(g.scaling.desired_size),
        max: count(g.scaling.max_size),
        strategy: g.update_strategy.as_str(),
        update_config: match g.update_config {
            NodegroupUpdateConfig::MaxUnavailable(n) => format!("maxUnavailable={n}"),
            NodegroupUpdateConfig::MaxUnavailablePercentage(p) => {
                format!("maxUnavailablePercentage={p}")
            }
        },
        max_unavailable,
        surge,
        batches,
        state,
        who,
        progress,
        estimate,
        actions,
    }
}

fn fargate_plan(ctx: &Ctx) -> Option<FargatePlan> {
    let sim = ctx.sim;
    let st = sim.state();
    let fargate_nodes: Vec<&Node> = st
        .nodes
        .values()
        .filter(|n| n.data_plane.is_fargate())
        .collect();
    if st.fargate_profiles.is_empty() && fargate_nodes.is_empty() {
        return None;
    }
    let mut workloads: BTreeMap<String, bool> = BTreeMap::new();
    let mut old_pods = 0;
    let mut pods = 0;
    for n in &fargate_nodes {
        for p in st.pods_on_node(n.name()) {
            pods += 1;
            if kubelet(n).is_some_and(|k| k < ctx.cp) {
                old_pods += 1;
                let (w, is_deployment) = owner_of(sim, p);
                workloads.insert(w, is_deployment);
            }
        }
    }
    let state = if old_pods > 0 {
        StepState::Ready
    } else if ctx.cp < ctx.cycle && pods > 0 {
        StepState::Later
    } else {
        StepState::Done
    };
    let actions = workloads
        .iter()
        .filter(|(_, d)| **d)
        .map(|(w, _)| actions::restart(&ctx.cluster, w))
        .collect();
    Some(FargatePlan {
        profiles: st.fargate_profiles.keys().cloned().collect(),
        pods,
        old_pods,
        kubelets: tally(fargate_nodes.iter().filter_map(|n| kubelet(n))),
        workloads: workloads.into_keys().collect(),
        state,
        who: Who {
            you: "Restart the pods (kubectl rollout restart deployment/NAME): each new pod gets a Fargate node at the control plane's version".to_string(),
            aws: "Nothing in place: a running Fargate pod keeps the kubelet it started with until it is replaced".to_string(),
        },
        actions,
    })
}

fn order(
    ctx: &Ctx,
    cp: &ControlPlanePlan,
    groups: &[NodegroupPlan],
    fargate: Option<&FargatePlan>,
    addons: &[AddonPlan],
) -> Vec<OrderStep> {
    let cycle = ctx.cycle;
    let cp_state = if ctx.cp >= cycle && version_update::in_progress(ctx.sim).is_none() {
        StepState::Done
    } else {
        cp.state.clone()
    };
    let combine = |states: Vec<&StepState>| -> StepState {
        if let Some(s) = states
            .iter()
            .find(|s| matches!(s, StepState::InProgress(_)))
        {
            return (*s).clone();
        }
        if states.iter().any(|s| **s == StepState::Ready) {
            return StepState::Ready;
        }
        if let Some(s) = states.iter().find(|s| matches!(s, StepState::Blocked(_))) {
            return (*s).clone();
        }
        if states.iter().any(|s| **s == StepState::Later) || ctx.cp < cycle {
            return StepState::Later;
        }
        StepState::Done
    };
    let mut node_states: Vec<&StepState> = groups.iter().map(|g| &g.state).collect();
    if let Some(f) = fargate {
        node_states.push(&f.state);
    }
    let node_names: Vec<String> = groups
        .iter()
        .map(|g| format!("{} ({})", g.name, g.kind.short()))
        .chain(fargate.map(|_| "Fargate pods".to_string()))
        .collect();
    let eks: Vec<&AddonPlan> = addons.iter().filter(|a| !a.third_party).collect();
    let third: Vec<&AddonPlan> = addons.iter().filter(|a| a.third_party).collect();
    let names = |l: &[&AddonPlan]| {
        l.iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut steps = vec![
        OrderStep {
            title: format!("1. Control plane to {cycle}"),
            detail:
                "First, one minor version at a time: kubelets may not be newer than the API server"
                    .to_string(),
            state: cp_state,
        },
        OrderStep {
            title: format!("2. Nodes to {cycle}"),
            detail: if node_names.is_empty() {
                "No nodes".to_string()
            } else {
                node_names.join(", ")
            },
            state: combine(node_states),
        },
        OrderStep {
            title: format!("3. Add-ons for {cycle}"),
            detail: if eks.is_empty() {
                "None installed".to_string()
            } else {
                names(&eks)
            },
            state: combine(eks.iter().map(|a| &a.state).collect()),
        },
    ];
    if !third.is_empty() {
        steps.push(OrderStep {
            title: "4. Third-party add-ons".to_string(),
            detail: names(&third),
            state: combine(third.iter().map(|a| &a.state).collect()),
        });
    }
    steps
}

/// The minor a version string names (`v1.35.0-eksbuild.1` → 35), for tests and the UI.
pub fn minor_of(version: &str) -> Option<u32> {
    addon_minor(version).map(|(_, m)| m)
}
