//! EC2 Auto Scaling groups behind node groups: launch and terminate instances to match the
//! desired size, balanced across AZs; instance lifecycle; `eksctl scale nodegroup`.
//!
//! Scale-in differs by owner, as in real life: a managed node group cordons and drains the
//! chosen node first (evictions respect PDBs for up to 15 minutes, then the node goes anyway,
//! eks-facts §4); a self-managed group's ASG terminates the instance at once and the pods die
//! with it.

use std::collections::BTreeMap;

use crate::sim::api::{Kind, ObjectRef};
use crate::sim::billing::CostComponent;
use crate::sim::catalog::{instance_type, prices};
use crate::sim::eks::{
    CapacityType, Instance, InstanceLifecycle, InstanceState, NodegroupKind, NodegroupStatus,
};
use crate::sim::event::{EventType, reason};
use crate::sim::{Simulation, Timer};

/// Per-group notes so repeated failures are logged once.
#[derive(Debug, Clone, Default)]
pub struct AsgState {
    pub launch_failed: BTreeMap<String, String>,
}

fn ng_ref(name: &str) -> ObjectRef {
    ObjectRef::cluster_scoped(Kind::Nodegroup, name.to_string())
}

/// Matches every group's live instances to its desired size.
pub(crate) fn reconcile(sim: &mut Simulation) {
    if !sim.state.cluster.is_active() {
        return;
    }
    let names: Vec<String> = sim.state.nodegroups.keys().cloned().collect();
    for name in names {
        let Some(ng) = sim.state.nodegroups.get(&name) else {
            continue;
        };
        if ng.status == NodegroupStatus::Deleting {
            continue;
        }
        let desired = crate::sim::api::count(ng.scaling.desired_size);
        let live: Vec<&Instance> = sim
            .state
            .instances
            .values()
            .filter(|i| i.nodegroup == name && i.is_live() && !i.terminating)
            .collect();
        let n_live = live.len() as u64;
        if n_live < desired {
            for _ in n_live..desired {
                if !launch(sim, &name) {
                    break;
                }
            }
        } else if n_live > desired {
            let victims = pick_victims(sim, &name, (n_live - desired) as usize);
            for id in victims {
                scale_in(sim, &name, &id);
            }
        }
    }
}

/// The ASG's default termination policy: the AZ with the most instances first, then the oldest
/// launch template version, then (for equal candidates) the newest instance.
fn pick_victims(sim: &Simulation, ng: &str, n: usize) -> Vec<String> {
    let mut live: Vec<&Instance> = sim
        .state
        .instances
        .values()
        .filter(|i| i.nodegroup == ng && i.is_live() && !i.terminating)
        .collect();
    let mut victims = Vec::new();
    for _ in 0..n {
        let mut per_zone: BTreeMap<&str, usize> = BTreeMap::new();
        for i in &live {
            *per_zone.entry(i.zone.as_str()).or_default() += 1;
        }
        let Some(max) = per_zone.values().copied().max() else {
            break;
        };
        let Some(pos) = live
            .iter()
            .enumerate()
            .filter(|(_, i)| per_zone[i.zone.as_str()] == max)
            .min_by_key(|(_, i)| {
                (
                    i.launch_template_version,
                    std::cmp::Reverse(i.launched_at),
                    i.id.clone(),
                )
            })
            .map(|(pos, _)| pos)
        else {
            break;
        };
        victims.push(live.remove(pos).id.clone());
    }
    victims
}

fn scale_in(sim: &mut Simulation, ng: &str, instance_id: &str) {
    let kind = sim.state.nodegroups.get(ng).map(|g| g.kind);
    if let Some(i) = sim.state.instances.get_mut(instance_id) {
        i.terminating = true;
    }
    sim.state.touch();
    let node = sim
        .state
        .instances
        .get(instance_id)
        .map(|i| i.node_name.clone())
        .unwrap_or_default();
    if kind == Some(NodegroupKind::Managed)
        && !node.is_empty()
        && sim.state.nodes.contains_key(&node)
    {
        super::node_drain::start(sim, &node, super::node_drain::DrainPurpose::ManagedScaleIn);
    } else {
        terminate(
            sim,
            instance_id,
            "an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity",
        );
    }
}

/// Records a failed launch once per distinct message (the ASG's activity history repeats it).
fn note_launch_failure(sim: &mut Simulation, ng_name: &str, why: &'static str, msg: String) {
    if sim.controllers.asg.launch_failed.get(ng_name) != Some(&msg) {
        sim.controllers
            .asg
            .launch_failed
            .insert(ng_name.to_string(), msg.clone());
        sim.record(EventType::Warning, why, ng_ref(ng_name), msg, "autoscaling");
    }
}

/// Launches one instance in the least-populated AZ. Returns false when no subnet can hold it.
fn launch(sim: &mut Simulation, ng_name: &str) -> bool {
    let now = sim.now();
    let Some(ng) = sim.state.nodegroups.get(ng_name) else {
        return false;
    };
    let zones: Vec<String> = if ng.zones.is_empty() {
        sim.state.cluster.zones.clone()
    } else {
        ng.zones.clone()
    };
    let mut counts: BTreeMap<&str, usize> =
        crate::sim::sort::map(zones.iter().map(|z| (z.as_str(), 0)));
    for i in sim
        .state
        .instances
        .values()
        .filter(|i| i.nodegroup == ng_name && i.is_live() && !i.terminating)
    {
        if let Some(c) = counts.get_mut(i.zone.as_str()) {
            *c += 1;
        }
    }
    // Least-populated AZ first (ties in the group's AZ order), skipping AZs whose subnet is full.
    let mut order: Vec<(usize, usize, String)> = zones
        .iter()
        .enumerate()
        .map(|(idx, z)| (counts[z.as_str()], idx, z.clone()))
        .collect();
    crate::sim::sort::sort(&mut order);
    // On-Demand uses the `prioritized` strategy (first type listed); Spot uses
    // price-capacity-optimized, modelled as the cheapest listed type (eks-facts §4, §9).
    let type_name = match ng.capacity_type {
        CapacityType::OnDemand => ng.instance_types[0].clone(),
        CapacityType::Spot => ng
            .instance_types
            .iter()
            .filter_map(|t| instance_type(t))
            .min_by_key(|t| t.price_nusd_per_hour)
            .map_or_else(|| ng.instance_types[0].clone(), |t| t.name.to_string()),
    };
    let Some(it) = instance_type(&type_name) else {
        return false;
    };
    let live = sim.state.instances.values().filter(|i| i.is_live()).count();
    if live >= crate::limits::MAX_INSTANCES as usize {
        // EC2's `InstanceLimitExceeded`, as an account's instance quota answers RunInstances.
        let msg = format!(
            "Launching a new EC2 instance failed. Status Reason: You have requested more instances ({}) than your current instance limit of {} allows for the specified instance type. (The lab runs at most {} EC2 instances.)",
            live + 1,
            crate::limits::MAX_INSTANCES,
            crate::limits::MAX_INSTANCES
        );
        note_launch_failure(sim, ng_name, reason::INSTANCE_LIMIT_EXCEEDED, msg);
        return false;
    }
    let spot = ng.capacity_type == CapacityType::Spot;
    let price = if spot {
        it.price_nusd_per_hour * (100 - sim.spec.settings.spot_discount_percent.min(100)) / 100
    } else {
        it.price_nusd_per_hour
    };
    let volume = ng.volume_size_gib;
    let lt = ng.launch_template_version;
    let (kubernetes_version, ami_name) = (ng.version, ng.ami_name.clone());
    let zone = order.iter().map(|(_, _, z)| z.clone()).find(|z| {
        sim.state
            .subnet_index(z)
            .is_some_and(|si| u64::from(sim.state.subnets[si].free()) >= it.ipv4_per_eni)
    });
    let Some(zone) = zone else {
        let msg = format!(
            "Launching a new EC2 instance failed. Status Reason: There are not enough free addresses in subnet for {} ({} addresses needed per ENI).",
            it.name, it.ipv4_per_eni
        );
        note_launch_failure(sim, ng_name, reason::INSUFFICIENT_IPS, msg);
        return false;
    };
    sim.controllers.asg.launch_failed.remove(ng_name);
    let id = format!("i-0{:016x}", sim.rng.ec2.between(0, u64::MAX >> 4));
    let inst = Instance {
        id: id.clone(),
        instance_type: it.name.to_string(),
        zone,
        private_ip: String::new(),
        lifecycle: if spot {
            InstanceLifecycle::Spot
        } else {
            InstanceLifecycle::OnDemand
        },
        state: InstanceState::Pending,
        nodegroup: ng_name.to_string(),
        launch_template_version: lt,
        kubernetes_version,
        ami_name,
        launched_at: now,
        running_at: None,
        stopped_at: None,
        terminated_at: None,
        node_name: String::new(),
        volume_gib: volume,
        price_nusd_per_hour: price,
        enis_attached: 0,
        ip_pool: Vec::new(),
        ips_in_use: std::collections::BTreeSet::default(),
        subnet_ips: Vec::new(),
        terminating: false,
    };
    sim.state.instances.insert(id.clone(), inst);
    // The primary ENI is attached at launch with all of its addresses.
    crate::sim::vpc_cni::attach_eni(sim, &id);
    sim.state.touch();
    sim.record(
        EventType::Normal,
        reason::LAUNCHING_INSTANCE,
        ng_ref(ng_name),
        format!("Launching a new EC2 instance: {id}"),
        "autoscaling",
    );
    let d = sim.rng.ec2.delay(sim.spec.settings.delays.instance_running);
    sim.after(d, Timer::InstanceRunning(id));
    true
}

/// pending → running: billing starts; the kubelet will register after boot.
pub(crate) fn instance_running(sim: &mut Simulation, id: &str) {
    let now = sim.now();
    let Some(inst) = sim.state.instances.get_mut(id) else {
        return;
    };
    if inst.state != InstanceState::Pending {
        return;
    }
    inst.state = InstanceState::Running;
    inst.running_at = Some(now);
    sim.state.touch();
    let d = sim.rng.ec2.delay(sim.spec.settings.delays.node_register);
    sim.after(d, Timer::NodeRegistered(id.to_string()));
}

/// Terminates an instance: running → shutting-down (billing stops, with EC2's 60-second
/// minimum), the node goes NotReady; the instance is gone after the shutdown delay.
pub(crate) fn terminate(sim: &mut Simulation, id: &str, cause: &str) {
    let now = sim.now();
    let Some(inst) = sim.state.instances.get_mut(id) else {
        return;
    };
    if !inst.is_live() {
        return;
    }
    let was_running = inst.state == InstanceState::Running;
    inst.state = InstanceState::ShuttingDown;
    inst.terminating = true;
    inst.stopped_at = Some(now);
    let (ng, node, rate, running_at) = (
        inst.nodegroup.clone(),
        inst.node_name.clone(),
        inst.price_nusd_per_hour,
        inst.running_at,
    );
    sim.state.touch();
    if was_running && let Some(start) = running_at {
        let billed = now.saturating_sub(start).as_secs();
        if billed < prices::EC2_MINIMUM_BILLED_SECS {
            sim.billing.charge(
                CostComponent::Ec2,
                rate,
                prices::EC2_MINIMUM_BILLED_SECS - billed,
            );
        }
    }
    sim.record(
        EventType::Normal,
        reason::TERMINATING_INSTANCE,
        ng_ref(&ng),
        format!("Terminating EC2 instance: {id} - {cause}"),
        "autoscaling",
    );
    if !node.is_empty() {
        super::kubelet::node_not_ready(sim, &node);
    }
    let d = sim
        .rng
        .ec2
        .delay(sim.spec.settings.delays.instance_shutdown);
    sim.after(d, Timer::InstanceTerminated(id.to_string()));
}

/// shutting-down → terminated: addresses go back to the subnet, the EBS volume is deleted
/// and the cloud node lifecycle controller removes the Node.
pub(crate) fn instance_terminated(sim: &mut Simulation, id: &str) {
    let now = sim.now();
    let Some(inst) = sim.state.instances.get_mut(id) else {
        return;
    };
    inst.state = InstanceState::Terminated;
    inst.terminated_at = Some(now);
    let node = inst.node_name.clone();
    crate::sim::vpc_cni::release_instance(sim, id);
    if !node.is_empty() {
        crate::sim::api_server::delete_node(sim, &node);
    }
    sim.state.touch();
}

/// `SetDesiredCapacity` on a node group's Auto Scaling group, as the Cluster Autoscaler's AWS
/// provider calls it: only the desired size changes, and only within the group's min and max
/// (AWS answers a `ValidationError` otherwise); `reconcile` then launches or removes instances
/// as usual. The caller's reason and message are recorded on the node group. Returns the old
/// desired size.
pub(crate) fn set_desired_capacity(
    sim: &mut Simulation,
    ng_name: &str,
    desired: i32,
    reason: &'static str,
    message: String,
    source: &'static str,
) -> Result<i32, String> {
    let Some(ng) = sim.state.nodegroups.get_mut(ng_name) else {
        return Err(format!(
            "ValidationError: AutoScalingGroup name not found - AutoScalingGroup for nodegroup {ng_name} not found"
        ));
    };
    if ng.status == NodegroupStatus::Deleting {
        return Err(format!(
            "ScalingActivityInProgress: nodegroup {ng_name} is being deleted"
        ));
    }
    let s = ng.scaling;
    if desired > s.max_size {
        return Err(format!(
            "ValidationError: New SetDesiredCapacity value {desired} is above max value {} for the AutoScalingGroup.",
            s.max_size
        ));
    }
    if desired < s.min_size {
        return Err(format!(
            "ValidationError: New SetDesiredCapacity value {desired} is below min value {} for the AutoScalingGroup.",
            s.min_size
        ));
    }
    let old = s.desired_size;
    ng.scaling.desired_size = desired;
    sim.state.touch();
    sim.record(EventType::Normal, reason, ng_ref(ng_name), message, source);
    Ok(old)
}

/// `TerminateInstanceInAutoScalingGroup`: the instance is terminated at once (no drain: for a
/// managed node group this call bypasses EKS's scale-in drain, as it does on AWS). With
/// `should_decrement` the desired size drops by one (refused when that would go below the
/// minimum, with AWS's message); without it the ASG launches a replacement.
pub(crate) fn terminate_instance_in_auto_scaling_group(
    sim: &mut Simulation,
    instance_id: &str,
    should_decrement: bool,
) -> Result<(), String> {
    let Some(inst) = sim.state.instances.get(instance_id) else {
        return Err(format!(
            "ValidationError: Instance Id not found - No managed instance found for instance ID: {instance_id}"
        ));
    };
    if !inst.is_live() {
        return Err(format!(
            "ValidationError: Instance {instance_id} is not in a state that can be terminated"
        ));
    }
    let ng_name = inst.nodegroup.clone();
    let Some(ng) = sim.state.nodegroups.get_mut(&ng_name) else {
        return Err(format!(
            "ValidationError: Instance {instance_id} is not part of any Auto Scaling group"
        ));
    };
    let cause = if should_decrement {
        let s = ng.scaling;
        if s.desired_size <= s.min_size {
            return Err(format!(
                "ValidationError: Currently, desiredSize equals minSize ({}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.",
                s.min_size
            ));
        }
        ng.scaling.desired_size -= 1;
        format!(
            "an instance was taken out of service in response to a user request, shrinking the capacity from {} to {}",
            s.desired_size,
            s.desired_size - 1
        )
    } else {
        "an instance was taken out of service in response to a user request".to_string()
    };
    sim.state.touch();
    terminate(sim, instance_id, &cause);
    Ok(())
}

/// `eksctl scale nodegroup --cluster=lab --name=ng-1 --nodes=5 [--nodes-min=N] [--nodes-max=N]`.
pub(crate) fn scale(
    sim: &mut Simulation,
    name: &str,
    desired: Option<i32>,
    min: Option<i32>,
    max: Option<i32>,
) -> Result<String, String> {
    let cluster = sim.state.cluster.name.clone();
    let Some(ng) = sim.state.nodegroups.get_mut(name) else {
        return Err(format!(
            "Error: nodegroup \"{name}\" not found in cluster \"{cluster}\""
        ));
    };
    if ng.status == NodegroupStatus::Deleting {
        return Err(format!("Error: nodegroup \"{name}\" is being deleted"));
    }
    // eksctl's own checks (validateNumberOfNodesCLI), EKS's quota of nodes per managed node
    // group, and the lab's limit, whoever asks.
    for (v, what) in [(desired, "number"), (min, "minimum"), (max, "maximum")] {
        if v.is_some_and(|v| v < 0) {
            return Err(match what {
                "number" => "Error: number of nodes must be 0 or greater".to_string(),
                w => format!("Error: {w} of nodes must be 0 or greater"),
            });
        }
    }
    if let Some(m) = max.or(desired) {
        let flag = if max.is_some() { "nodes-max" } else { "nodes" };
        crate::limits::check::nodegroup_size(i128::from(m), format_args!("--{flag}={m}"))
            .map_err(|e| format!("Error: {e}"))?;
        if ng.kind == NodegroupKind::Managed
            && m > crate::sim::eks::quotas::MAX_NODES_PER_MANAGED_NODEGROUP
        {
            return Err(format!(
                "Error: maxSize ({m}) exceeds the quota of {} nodes per managed node group",
                crate::sim::eks::quotas::MAX_NODES_PER_MANAGED_NODEGROUP
            ));
        }
    }
    let mut s = ng.scaling;
    if let Some(m) = min {
        s.min_size = m;
    }
    if let Some(m) = max {
        s.max_size = m;
    }
    if let Some(d) = desired {
        s.desired_size = d;
    }
    if s.min_size > s.max_size {
        return Err(format!(
            "Error: minimum number of nodes {} is greater than maximum number of nodes {}",
            s.min_size, s.max_size
        ));
    }
    if s.desired_size > s.max_size {
        return Err(format!(
            "Error: the desired nodes {} is greater than current nodes-max/maxSize {}",
            s.desired_size, s.max_size
        ));
    }
    if s.desired_size < s.min_size {
        return Err(format!(
            "Error: the desired nodes {} is less than current nodes-min/minSize {}",
            s.desired_size, s.min_size
        ));
    }
    let old = ng.scaling.desired_size;
    ng.scaling = s;
    // The user chose new sizes: a later node group update returns to these.
    sim.controllers
        .nodegroup_update
        .sizes_before_failure
        .remove(name);
    sim.state.touch();
    sim.record(
        EventType::Normal,
        reason::NODEGROUP_SCALED,
        ng_ref(name),
        format!(
            "Scaling nodegroup {name}: desired {old} -> {} (min {}, max {})",
            s.desired_size, s.min_size, s.max_size
        ),
        "eks",
    );
    Ok(format!(
        "scaling nodegroup \"{name}\" in cluster {cluster}\ninitiated scaling of nodegroup\nto see the status of the scaling run `eksctl get nodegroup --cluster {cluster} --region {} --name {name}`",
        sim.state.cluster.region
    ))
}
