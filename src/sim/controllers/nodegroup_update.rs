//! Managed node group updates (eks-facts §4, UG managed-node-update-behavior): the four
//! phases EKS runs for `eksctl upgrade nodegroup` / `aws eks update-nodegroup-version`, and the
//! self-managed group's in-place AMI change (a new launch template version, every replacement
//! the user's to make).
//!
//! 1. **Setup**: a new launch template version with the target AMI; the ASG uses it.
//! 2. **ScaleUp** (DEFAULT strategy): ASG max and desired grow by the larger of twice the
//!    group's AZs and maxUnavailable; EKS waits for a new node in every AZ that has old ones and
//!    for every new node to be Ready, then cordons the old nodes and labels them
//!    `node.kubernetes.io/exclude-from-external-load-balancers=true`.
//! 3. **Upgrade**: up to maxUnavailable old nodes picked at random are drained through the
//!    eviction API (PDBs respected); pods that do not leave within 15 minutes fail the update
//!    with `PodEvictionFailure` unless it is forced; a drained node waits 60 s and is then
//!    terminated through the ASG, which launches its replacement from the new template. MINIMAL
//!    strategy: no surge, each old node goes before its replacement comes.
//! 4. **ScaleDown**: max and desired come back down one at a time to their old values; if
//!    something else (the Cluster Autoscaler) changes the desired size meanwhile, the workflow
//!    stops without restoring the sizes.
//!
//! After a `PodEvictionFailure` the lab leaves the group as EKS stops it (an inference, U: the
//! user guide does not say): new nodes stay, the node that could not be drained stays cordoned,
//! and the group reports its previous version; the next update's scale-down returns to the
//! sizes from before the failed one (unless the user resizes the group in between).

use std::collections::BTreeMap;

use crate::sim::Simulation;
use crate::sim::api::{Kind, ObjectKey, ObjectRef};
use crate::sim::catalog::KubernetesVersion;
use crate::sim::clock::SimTime;
use crate::sim::controllers::node_drain::DrainOutcome;
use crate::sim::eks::managed_update::{
    NODE_CREATION_TIMEOUT, PHASE_SCALE_DOWN, PHASE_SCALE_UP, PHASE_SETUP, PHASE_UPGRADE,
    SETUP_TIME, WAIT_AFTER_DRAIN, ami_name, parallelism, release_version, surge,
};
use crate::sim::eks::quotas::MAX_UNAVAILABLE_QUOTA;
use crate::sim::eks::{
    ErrorCode, NodegroupKind, NodegroupScalingConfig, NodegroupStatus, NodegroupUpdateConfig,
    Update, UpdateError, UpdateStatus, UpdateStrategy, UpdateTarget, UpdateType,
};
use crate::sim::event::{EventType, reason};

/// The node group update controller's state.
#[derive(Debug, Clone, Default)]
pub struct NodegroupUpdateState {
    /// Updates in progress.
    pub ops: Vec<NodegroupUpdateOp>,
    /// Sizes from before a failed node group update, which the next update returns to.
    pub sizes_before_failure: BTreeMap<String, NodegroupScalingConfig>,
}

/// A node group update in progress.
#[derive(Debug, Clone)]
pub struct NodegroupUpdateOp {
    pub update_id: String,
    pub nodegroup: String,
    pub force: bool,
    pub strategy: UpdateStrategy,
    /// Node counts, int32 like the EKS API's sizes.
    pub max_unavailable: i32,
    pub surge: i32,
    /// The sizes before the update, restored in the scale-down phase.
    pub original: NodegroupScalingConfig,
    /// The desired size the workflow last set (to notice another actor changing it).
    pub expected_desired: i32,
    pub old_launch_template: u64,
    pub new_launch_template: u64,
    pub old_version: KubernetesVersion,
    pub old_ami: String,
    pub phase_started: SimTime,
    /// Old nodes being replaced: node → when its drain finished (None while draining).
    pub batch: BTreeMap<String, Option<SimTime>>,
}

fn ng_ref(name: &str) -> ObjectRef {
    ObjectRef::cluster_scoped(Kind::Nodegroup, name.to_string())
}

/// The update in progress on a node group.
pub fn in_progress<'a>(sim: &'a Simulation, nodegroup: &str) -> Option<&'a NodegroupUpdateOp> {
    sim.controllers
        .nodegroup_update
        .ops
        .iter()
        .find(|o| o.nodegroup == nodegroup)
}

fn live_instances<'a>(
    sim: &'a Simulation,
    ng: &'a str,
) -> impl Iterator<Item = &'a crate::sim::eks::Instance> + 'a {
    sim.state
        .instances
        .values()
        .filter(move |i| i.nodegroup == ng && i.is_live())
}

/// `eksctl upgrade nodegroup` / `aws eks update-nodegroup-version`.
pub(crate) fn upgrade_nodegroup(
    sim: &mut Simulation,
    name: &str,
    version: Option<KubernetesVersion>,
    force: bool,
) -> Result<String, String> {
    let cluster = sim.state.cluster.name.clone();
    let cp = sim.state.cluster.version;
    let Some(ng) = sim.state.nodegroups.get(name) else {
        return Err(format!(
            "Error: nodegroup \"{name}\" not found in cluster \"{cluster}\""
        ));
    };
    if ng.kind == NodegroupKind::SelfManaged {
        return Err(format!(
            "Error: nodegroup \"{name}\" is an unmanaged nodegroup: upgrading it is yours to do. Either migrate to a new nodegroup (eksctl create nodegroup --version={cp}, then drain and delete this one) or give it a new launch template version (ekslab set-ami nodegroup/{name} --kubernetes-version={cp}) and replace its instances one by one"
        ));
    }
    if ng.status != NodegroupStatus::Active {
        return Err(format!(
            "Error: ResourceInUseException: Nodegroup {name} is {}; updates need it ACTIVE",
            ng.status.as_str()
        ));
    }
    let target = version.unwrap_or(cp);
    if target > cp {
        return Err(format!(
            "Error: InvalidParameterException: Requested Nodegroup version {target} is newer than the cluster's Kubernetes version {cp}; kubelets may not be newer than the API server"
        ));
    }
    if target < ng.version {
        return Err(format!(
            "Error: InvalidParameterException: Requested Nodegroup version {target} is older than the nodegroup's version {}; node groups cannot be downgraded",
            ng.version
        ));
    }
    let old_nodes = live_instances(sim, name)
        .filter(|i| {
            i.kubernetes_version < target || i.launch_template_version < ng.launch_template_version
        })
        .count();
    if target == ng.version && old_nodes == 0 {
        return Ok(format!(
            "nodegroup \"{name}\" is already at version {target} with release {}; nothing to update",
            release_version(target)
        ));
    }
    let now = sim.now();
    let id = sim.rng.updates.uuid();
    let ng = &sim.state.nodegroups[name];
    let zones = if ng.zones.is_empty() {
        sim.state.cluster.zones.len()
    } else {
        ng.zones.len()
    };
    let nodes = live_instances(sim, name).count() as u64;
    let max_unavailable = parallelism(ng.update_config, nodes);
    let strategy = ng.update_strategy;
    let op = NodegroupUpdateOp {
        update_id: id.clone(),
        nodegroup: name.to_string(),
        force,
        strategy,
        max_unavailable,
        surge: surge(strategy, zones, max_unavailable),
        // After a failed update the group still has its surge; the retry returns to the sizes
        // from before the first attempt.
        original: sim
            .controllers
            .nodegroup_update
            .sizes_before_failure
            .get(name)
            .copied()
            .unwrap_or(ng.scaling),
        expected_desired: ng.scaling.desired_size,
        old_launch_template: ng.launch_template_version,
        new_launch_template: ng.launch_template_version + 1,
        old_version: ng.version,
        old_ami: ng.ami_name.clone(),
        phase_started: now,
        batch: BTreeMap::new(),
    };
    let first_type = ng.instance_types[0].clone();
    sim.state.updates.push(Update::start(
        id.clone(),
        UpdateTarget::Nodegroup(name.to_string()),
        UpdateType::VersionUpdate,
        vec![
            ("Version", target.to_string()),
            ("ReleaseVersion", release_version(target)),
            ("Force", force.to_string()),
        ],
        PHASE_SETUP,
        now,
    ));
    if let Some(g) = sim.state.nodegroups.get_mut(name) {
        g.status = NodegroupStatus::Updating;
        g.launch_template_version = op.new_launch_template;
        g.version = target;
        g.ami_name = ami_name(target, &first_type);
    }
    let (mu, sg) = (op.max_unavailable, op.surge);
    sim.controllers.nodegroup_update.ops.push(op);
    sim.state.touch();
    let how = if force {
        "force update"
    } else {
        "rolling update"
    };
    sim.record(
        EventType::Normal,
        reason::NODEGROUP_UPDATING,
        ng_ref(name),
        format!(
            "{how} of nodegroup \"{name}\" to {target} ({}) started (update {id}): {} strategy, maxUnavailable {mu}, surge {sg}",
            release_version(target),
            strategy.as_str()
        ),
        "eks",
    );
    Ok(format!(
        "upgrading nodegroup \"{name}\" in cluster \"{cluster}\" to Kubernetes {target} (release {}); update {id}\nto watch it: eksctl get nodegroup --cluster {cluster} --name {name}",
        release_version(target)
    ))
}

/// `aws eks update-nodegroup-config --update-config ...`.
pub(crate) fn update_config(
    sim: &mut Simulation,
    name: &str,
    config: Option<NodegroupUpdateConfig>,
    strategy: Option<UpdateStrategy>,
) -> Result<String, String> {
    let Some(ng) = sim.state.nodegroups.get_mut(name) else {
        return Err(format!(
            "An error occurred (ResourceNotFoundException): No node group found for name: {name}."
        ));
    };
    if ng.kind == NodegroupKind::SelfManaged {
        return Err(format!(
            "An error occurred (InvalidParameterException): {name} is not a managed node group; updateConfig applies to managed node groups"
        ));
    }
    if let Some(c) = config {
        let v = match c {
            NodegroupUpdateConfig::MaxUnavailable(n)
            | NodegroupUpdateConfig::MaxUnavailablePercentage(n) => n,
        };
        if !(1..=MAX_UNAVAILABLE_QUOTA).contains(&v) {
            return Err(format!(
                "An error occurred (InvalidParameterException): maxUnavailable must be between 1 and {MAX_UNAVAILABLE_QUOTA}"
            ));
        }
        ng.update_config = c;
    }
    if let Some(s) = strategy {
        ng.update_strategy = s;
    }
    let summary = match ng.update_config {
        NodegroupUpdateConfig::MaxUnavailable(n) => format!("maxUnavailable={n}"),
        NodegroupUpdateConfig::MaxUnavailablePercentage(p) => {
            format!("maxUnavailablePercentage={p}")
        }
    };
    let summary = format!("{summary},updateStrategy={}", ng.update_strategy.as_str());
    sim.state.touch();
    sim.record(
        EventType::Normal,
        reason::NODEGROUP_SCALED,
        ng_ref(name),
        format!("updateConfig of nodegroup \"{name}\" is now {summary}"),
        "eks",
    );
    Ok(format!("updated nodegroup \"{name}\": {summary}"))
}

/// `ekslab set-ami nodegroup/NAME --kubernetes-version=V`: a self-managed group's new launch
/// template version. Nothing is replaced: that is the user's to do, node by node.
pub(crate) fn set_ami(
    sim: &mut Simulation,
    name: &str,
    version: KubernetesVersion,
) -> Result<String, String> {
    let cp = sim.state.cluster.version;
    let Some(ng) = sim.state.nodegroups.get_mut(name) else {
        return Err(format!("Error: nodegroup \"{name}\" not found"));
    };
    if ng.kind == NodegroupKind::Managed {
        return Err(format!(
            "Error: nodegroup \"{name}\" is managed: EKS owns its launch template; use eksctl upgrade nodegroup --name={name}"
        ));
    }
    if version > cp {
        return Err(format!(
            "Error: Kubernetes {version} is newer than the control plane {cp}; kubelets may not be newer than the API server"
        ));
    }
    ng.launch_template_version += 1;
    ng.version = version;
    ng.ami_name = ami_name(version, &ng.instance_types[0]);
    let lt = ng.launch_template_version;
    let ami = ng.ami_name.clone();
    sim.state.touch();
    sim.record(
        EventType::Normal,
        reason::NODEGROUP_UPDATED,
        ng_ref(name),
        format!(
            "launch template version {lt} of nodegroup \"{name}\" uses {ami}: new instances get kubelet {version}; existing ones keep their AMI until you replace them"
        ),
        "ekslab",
    );
    Ok(format!(
        "nodegroup \"{name}\" now launches {ami} (launch template version {lt}); replace each instance: kubectl drain NODE --ignore-daemonsets --delete-emptydir-data, then aws autoscaling terminate-instance-in-auto-scaling-group --instance-id ID --no-should-decrement-desired-capacity"
    ))
}

fn update_mut<'a>(sim: &'a mut Simulation, id: &str) -> Option<&'a mut Update> {
    sim.state.updates.iter_mut().find(|u| u.id == id)
}

/// Runs every node group update one step.
pub(crate) fn reconcile(sim: &mut Simulation) {
    // The drains this update started that ended since the last turn.
    for d in std::mem::take(&mut sim.controllers.node_drain.finished) {
        match d.outcome {
            Some(DrainOutcome::Drained { evicted }) => node_drained(sim, &d.node, evicted),
            Some(DrainOutcome::TimedOut { waiting }) => eviction_failed(sim, &d.node, &waiting),
            None => {}
        }
    }
    if sim.controllers.nodegroup_update.ops.is_empty() {
        return;
    }
    let ops: Vec<NodegroupUpdateOp> = sim.controllers.nodegroup_update.ops.clone();
    for op in ops {
        if !sim.state.nodegroups.contains_key(&op.nodegroup) {
            finish(sim, &op.update_id, UpdateStatus::Cancelled, None);
            continue;
        }
        let phase = sim
            .state
            .updates
            .iter()
            .find(|u| u.id == op.update_id)
            .and_then(Update::current_phase);
        match phase {
            Some(PHASE_SETUP) => setup_done(sim, &op),
            Some(PHASE_SCALE_UP) => scale_up(sim, &op),
            Some(PHASE_UPGRADE) => upgrade(sim, &op),
            Some(PHASE_SCALE_DOWN) => scale_down(sim, &op),
            _ => {}
        }
    }
}

fn set_op(sim: &mut Simulation, id: &str, f: impl FnOnce(&mut NodegroupUpdateOp)) {
    if let Some(o) = sim
        .controllers
        .nodegroup_update
        .ops
        .iter_mut()
        .find(|o| o.update_id == id)
    {
        f(o);
    }
}

fn enter(sim: &mut Simulation, op: &NodegroupUpdateOp, phase: &'static str) {
    let now = sim.now();
    if let Some(u) = update_mut(sim, &op.update_id) {
        u.enter(phase, now);
    }
    set_op(sim, &op.update_id, |o| o.phase_started = now);
    sim.state.touch();
}

fn setup_done(sim: &mut Simulation, op: &NodegroupUpdateOp) {
    let now = sim.now();
    if now.saturating_sub(op.phase_started) < SETUP_TIME {
        return;
    }
    if op.surge == 0 {
        enter(sim, op, PHASE_UPGRADE);
        return;
    }
    let Some(ng) = sim.state.nodegroups.get_mut(&op.nodegroup) else {
        return;
    };
    let before = ng.scaling;
    ng.scaling.max_size = ng.scaling.max_size.saturating_add(op.surge);
    ng.scaling.desired_size = ng.scaling.desired_size.saturating_add(op.surge);
    let after = ng.scaling;
    set_op(sim, &op.update_id, |o| {
        o.expected_desired = after.desired_size;
    });
    sim.record(
        EventType::Normal,
        reason::NODEGROUP_SCALED,
        ng_ref(&op.nodegroup),
        format!(
            "update {}: scaling up the Auto Scaling group by {} (desired {} -> {}, max {} -> {}) to launch nodes from launch template version {}",
            op.update_id,
            op.surge,
            before.desired_size,
            after.desired_size,
            before.max_size,
            after.max_size,
            op.new_launch_template
        ),
        "eks",
    );
    enter(sim, op, PHASE_SCALE_UP);
}

/// Old (not yet replaced) and new node names of the group.
fn split_nodes(
    sim: &Simulation,
    op: &NodegroupUpdateOp,
) -> (Vec<String>, Vec<(String, bool, String)>) {
    let mut old = Vec::new();
    let mut new = Vec::new();
    for i in live_instances(sim, &op.nodegroup) {
        if i.launch_template_version < op.new_launch_template {
            if !i.terminating
                && !i.node_name.is_empty()
                && sim.state.nodes.contains_key(&i.node_name)
            {
                old.push(i.node_name.clone());
            }
        } else {
            let ready = sim
                .state
                .nodes
                .get(&i.node_name)
                .is_some_and(crate::sim::api::Node::is_ready);
            new.push((i.node_name.clone(), ready, i.zone.clone()));
        }
    }
    (old, new)
}

fn scale_up(sim: &mut Simulation, op: &NodegroupUpdateOp) {
    let now = sim.now();
    let (old, new) = split_nodes(sim, op);
    let old_zones: std::collections::BTreeSet<String> = crate::sim::sort::set(
        old.iter()
            .filter_map(|n| sim.state.nodes.get(n).map(|n| n.zone.clone())),
    );
    let every_zone = old_zones
        .iter()
        .all(|z| new.iter().any(|(_, ready, nz)| *ready && nz == z));
    let all_ready =
        crate::sim::api::int32_len(new.len()) >= op.surge && new.iter().all(|(_, ready, _)| *ready);
    if every_zone && all_ready {
        for n in &old {
            let _ = super::node_drain::cordon(sim, n, true);
            if let Some(node) = sim.state.nodes.get_mut(n) {
                node.meta.labels.insert(
                    "node.kubernetes.io/exclude-from-external-load-balancers".into(),
                    "true".into(),
                );
            }
        }
        sim.record(
            EventType::Normal,
            reason::NODEGROUP_UPDATING,
            ng_ref(&op.nodegroup),
            format!(
                "update {}: {} new node(s) Ready; cordoned {} old node(s) and excluded them from external load balancers",
                op.update_id,
                new.len(),
                old.len()
            ),
            "eks",
        );
        enter(sim, op, PHASE_UPGRADE);
    } else if now.saturating_sub(op.phase_started) >= NODE_CREATION_TIMEOUT {
        let err = UpdateError {
            code: ErrorCode::NodeCreationFailure,
            message: format!(
                "Instances failed to join the kubernetes cluster: {} of {} new node(s) Ready after {} minutes",
                new.iter().filter(|(_, r, _)| *r).count(),
                op.surge,
                NODE_CREATION_TIMEOUT.as_secs() / 60
            ),
            resource_ids: new
                .iter()
                .map(|(n, _, _)| n.clone())
                .filter(|n| !n.is_empty())
                .collect(),
        };
        fail(sim, op, err);
    }
}

fn upgrade(sim: &mut Simulation, op: &NodegroupUpdateOp) {
    let now = sim.now();
    // Drained nodes wait 60 s, then the ASG terminates them and launches replacements.
    let due: Vec<String> = op
        .batch
        .iter()
        .filter(|(_, d)| d.is_some_and(|t| now.saturating_sub(t) >= WAIT_AFTER_DRAIN))
        .map(|(n, _)| n.clone())
        .collect();
    for n in &due {
        if let Some(id) = sim.state.nodes.get(n).map(|n| n.instance_id.clone()) {
            super::auto_scaling_group::terminate(
                sim,
                &id,
                &format!(
                    "an instance was taken out of service in response to a user request (nodegroup update {})",
                    op.update_id
                ),
            );
        }
        set_op(sim, &op.update_id, |o| {
            o.batch.remove(n);
        });
        if let Some(u) = update_mut(sim, &op.update_id) {
            u.nodes_replaced += 1;
        }
    }
    // A node that vanished (terminated by someone else) leaves the batch.
    let gone: Vec<String> = op
        .batch
        .keys()
        .filter(|n| !sim.state.nodes.contains_key(*n) && !due.contains(n))
        .cloned()
        .collect();
    for n in &gone {
        set_op(sim, &op.update_id, |o| {
            o.batch.remove(n);
        });
    }
    let batch_empty = sim
        .controllers
        .nodegroup_update
        .ops
        .iter()
        .find(|o| o.update_id == op.update_id)
        .is_none_or(|o| o.batch.is_empty());
    if !batch_empty {
        return;
    }
    let (old, new) = split_nodes(sim, op);
    if old.is_empty() {
        // Wait for the replacements of the last batch before scaling down.
        if new.iter().all(|(_, ready, _)| *ready) {
            enter(sim, op, PHASE_SCALE_DOWN);
        }
        return;
    }
    if op.strategy == UpdateStrategy::Minimal {
        // No surge: wait until the previous batch's nodes are gone and their replacements are
        // launched and Ready before taking the next ones down.
        let desired = sim
            .state
            .nodegroups
            .get(&op.nodegroup)
            .map_or(0, |g| crate::sim::api::count(g.scaling.desired_size));
        let settling = live_instances(sim, &op.nodegroup).any(|i| i.terminating);
        let launched = live_instances(sim, &op.nodegroup)
            .filter(|i| !i.terminating)
            .count() as u64;
        let pending = live_instances(sim, &op.nodegroup).any(|i| {
            i.launch_template_version >= op.new_launch_template
                && !sim
                    .state
                    .nodes
                    .get(&i.node_name)
                    .is_some_and(crate::sim::api::Node::is_ready)
        });
        if settling || launched < desired || pending {
            return;
        }
    }
    // Randomly pick up to maxUnavailable old nodes (eks-facts §4).
    let mut candidates = old;
    let mut picked = Vec::new();
    while crate::sim::api::int32_len(picked.len()) < op.max_unavailable && !candidates.is_empty() {
        let i = sim.rng.updates.index(candidates.len());
        picked.push(candidates.remove(i));
    }
    for n in &picked {
        super::node_drain::start(
            sim,
            n,
            super::node_drain::DrainPurpose::NodegroupUpdate { force: op.force },
        );
        set_op(sim, &op.update_id, |o| {
            o.batch.insert(n.clone(), None);
        });
    }
    sim.record(
        EventType::Normal,
        reason::NODEGROUP_UPDATING,
        ng_ref(&op.nodegroup),
        format!(
            "update {}: draining {} ({} of maxUnavailable {})",
            op.update_id,
            picked.join(", "),
            picked.len(),
            op.max_unavailable
        ),
        "eks",
    );
}

/// The drain of an updating node finished: cordoned, it waits 60 s before termination.
fn node_drained(sim: &mut Simulation, node: &str, evicted: u64) {
    let now = sim.now();
    let Some(op) = sim
        .controllers
        .nodegroup_update
        .ops
        .iter_mut()
        .find(|o| o.batch.contains_key(node))
    else {
        return;
    };
    op.batch.insert(node.to_string(), Some(now));
    let id = op.update_id.clone();
    if let Some(u) = update_mut(sim, &id) {
        u.pods_evicted += evicted;
    }
    sim.state.touch();
}

/// Pods did not leave within 15 minutes: the update fails with `PodEvictionFailure`.
fn eviction_failed(sim: &mut Simulation, node: &str, pods: &[ObjectKey]) {
    let Some(op) = sim
        .controllers
        .nodegroup_update
        .ops
        .iter()
        .find(|o| o.batch.contains_key(node))
        .cloned()
    else {
        return;
    };
    let err = UpdateError {
        code: ErrorCode::PodEvictionFailure,
        message: format!(
            "Reached max retries while trying to evict pods from nodes in node group {}",
            op.nodegroup
        ),
        resource_ids: pods
            .iter()
            .map(|k| format!("{}/{}", k.namespace, k.name))
            .collect(),
    };
    // Stop the other drains of the batch too.
    let batch: Vec<String> = op.batch.keys().cloned().collect();
    sim.controllers
        .node_drain
        .drains
        .retain(|d| !batch.contains(&d.node));
    fail(sim, &op, err);
}

fn fail(sim: &mut Simulation, op: &NodegroupUpdateOp, err: UpdateError) {
    let msg = format!(
        "update {} of nodegroup \"{}\" Failed: {}: {}{}",
        op.update_id,
        op.nodegroup,
        err.code.as_str(),
        err.message,
        if err.resource_ids.is_empty() {
            String::new()
        } else {
            format!(" ({})", err.resource_ids.join(", "))
        }
    );
    sim.controllers
        .nodegroup_update
        .sizes_before_failure
        .insert(op.nodegroup.clone(), op.original);
    if let Some(g) = sim.state.nodegroups.get_mut(&op.nodegroup) {
        g.version = op.old_version;
        g.ami_name.clone_from(&op.old_ami);
        g.launch_template_version = op.old_launch_template;
    }
    sim.record(
        EventType::Warning,
        reason::NODEGROUP_UPDATE_FAILED,
        ng_ref(&op.nodegroup),
        msg,
        "eks",
    );
    finish(sim, &op.update_id, UpdateStatus::Failed, Some(err));
}

fn finish(sim: &mut Simulation, id: &str, status: UpdateStatus, err: Option<UpdateError>) {
    let now = sim.now();
    let ng = sim
        .controllers
        .nodegroup_update
        .ops
        .iter()
        .find(|o| o.update_id == id)
        .map(|o| o.nodegroup.clone());
    sim.controllers
        .nodegroup_update
        .ops
        .retain(|o| o.update_id != id);
    if let Some(u) = update_mut(sim, id) {
        if let Some(e) = err {
            u.errors.push(e);
        }
        u.finish(status, now);
    }
    if let Some(g) = ng.and_then(|n| sim.state.nodegroups.get_mut(&n))
        && g.status == NodegroupStatus::Updating
    {
        g.status = NodegroupStatus::Active;
    }
    sim.state.touch();
}

fn scale_down(sim: &mut Simulation, op: &NodegroupUpdateOp) {
    let Some(ng) = sim.state.nodegroups.get(&op.nodegroup) else {
        return;
    };
    let s = ng.scaling;
    if s.desired_size != op.expected_desired {
        // Someone else (the Cluster Autoscaler) resized the group: EKS exits without restoring.
        let msg = format!(
            "update {}: the desired size changed to {} during the scale-down phase (Cluster Autoscaler?); the update ends without restoring the original sizes",
            op.update_id, s.desired_size
        );
        sim.record(
            EventType::Normal,
            reason::NODEGROUP_UPDATED,
            ng_ref(&op.nodegroup),
            msg,
            "eks",
        );
        complete(sim, op);
        return;
    }
    if s.desired_size <= op.original.desired_size && s.max_size <= op.original.max_size {
        complete(sim, op);
        return;
    }
    // One step at a time, each once the ASG has settled on the previous size.
    let live = live_instances(sim, &op.nodegroup)
        .filter(|i| !i.terminating)
        .count();
    let settling = live_instances(sim, &op.nodegroup).any(|i| i.terminating);
    if crate::sim::api::int32_len(live) != s.desired_size || settling {
        return;
    }
    let Some(g) = sim.state.nodegroups.get_mut(&op.nodegroup) else {
        return;
    };
    if g.scaling.desired_size > op.original.desired_size {
        g.scaling.desired_size -= 1;
    }
    if g.scaling.max_size > op.original.max_size {
        g.scaling.max_size -= 1;
    }
    let after = g.scaling;
    set_op(sim, &op.update_id, |o| {
        o.expected_desired = after.desired_size;
    });
    sim.state.touch();
    sim.record(
        EventType::Normal,
        reason::NODEGROUP_SCALED,
        ng_ref(&op.nodegroup),
        format!(
            "update {}: scaling down the Auto Scaling group (desired {}, max {})",
            op.update_id, after.desired_size, after.max_size
        ),
        "eks",
    );
}

fn complete(sim: &mut Simulation, op: &NodegroupUpdateOp) {
    sim.controllers
        .nodegroup_update
        .sizes_before_failure
        .remove(&op.nodegroup);
    let version = sim
        .state
        .nodegroups
        .get(&op.nodegroup)
        .map_or(op.old_version, |g| g.version);
    let (replaced, evicted) = sim
        .state
        .updates
        .iter()
        .find(|u| u.id == op.update_id)
        .map_or((0, 0), |u| (u.nodes_replaced, u.pods_evicted));
    sim.record(
        EventType::Normal,
        reason::NODEGROUP_UPDATED,
        ng_ref(&op.nodegroup),
        format!(
            "update {} of nodegroup \"{}\" Successful: {replaced} node(s) replaced, {evicted} pod(s) evicted; every node runs {version} ({})",
            op.update_id,
            op.nodegroup,
            release_version(version)
        ),
        "eks",
    );
    finish(sim, &op.update_id, UpdateStatus::Successful, None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surge_is_the_larger_of_twice_the_azs_and_max_unavailable() {
        // eks-facts §4: 5 AZs and maxUnavailable 1 → up to 10; maxUnavailable 20 → 20.
        assert_eq!(surge(UpdateStrategy::Default, 5, 1), 10);
        assert_eq!(surge(UpdateStrategy::Default, 5, 20), 20);
        assert_eq!(surge(UpdateStrategy::Default, 3, 1), 6);
        assert_eq!(surge(UpdateStrategy::Minimal, 3, 1), 0);
    }

    #[test]
    fn parallelism_from_update_config() {
        assert_eq!(parallelism(NodegroupUpdateConfig::default(), 10), 1);
        assert_eq!(
            parallelism(NodegroupUpdateConfig::MaxUnavailablePercentage(25), 10),
            3
        );
        assert_eq!(
            parallelism(NodegroupUpdateConfig::MaxUnavailable(500), 1000),
            100
        );
    }
}
