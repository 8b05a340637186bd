//! The Cluster Autoscaler's simulator: template nodes built from a node group, the cluster
//! snapshot pods are placed on (through the default scheduler's own filter plugins),
//! utilization, and the drainability rules that decide whether a pod may move.
//!
//! Upstream: `simulator/` (`SanitizedTemplateNodeInfoFromNodeGroup`, `utilization.Calculate`,
//! `drainability/rules`) and the AWS provider's `buildNodeFromTemplate`.

use crate::sim::sort::CollectSorted;
use std::collections::{BTreeMap, BTreeSet};

use crate::sim::Simulation;
use crate::sim::api::node::DataPlane;
use crate::sim::api::{
    Kind, Node, NodeCondition, NodeSpec, NodeStatus, ObjectKey, ObjectMeta, Pod, PodPhase,
    VolumeSource,
};
use crate::sim::catalog::instance_type;
use crate::sim::catalog::instance_types::MaxPodsPolicy;
use crate::sim::clock::SimTime;
use crate::sim::controllers::scheduler::{self, NodeInfo, Status};
use crate::sim::eks::{CapacityType, Nodegroup, NodegroupKind};
use crate::sim::quantity::Resources;

/// `cluster-autoscaler.kubernetes.io/safe-to-evict` on a pod.
pub const SAFE_TO_EVICT: &str = "cluster-autoscaler.kubernetes.io/safe-to-evict";
/// `cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes`: a comma-separated list of
/// the pod's local volumes that may be lost.
pub const SAFE_TO_EVICT_LOCAL_VOLUMES: &str =
    "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes";
/// `cluster-autoscaler.kubernetes.io/scale-down-disabled` on a node.
pub const SCALE_DOWN_DISABLED: &str = "cluster-autoscaler.kubernetes.io/scale-down-disabled";
/// The taint the Cluster Autoscaler puts on a node it is removing (`taints.ToBeDeletedTaint`).
pub const TO_BE_DELETED_TAINT: &str = "ToBeDeletedByClusterAutoscaler";

/// A node as a new instance of the group would register: the group's instance type, labels and
/// taints, plus the DaemonSet pods that would run on it.
#[derive(Debug, Clone)]
pub struct Template {
    pub node: Node,
    /// Node capacity (the least-waste expander measures waste against it).
    pub capacity: Resources,
    ds_requests: Resources,
    ds_pods: u64,
    ds_ports: BTreeSet<i32>,
}

impl Template {
    /// A fresh NodeInfo of this template, holding only its DaemonSet pods.
    pub fn info(&self) -> NodeInfo<'_> {
        NodeInfo {
            node: &self.node,
            requested: self.ds_requests,
            pods: self.ds_pods,
            gpus: 0,
            host_ports: self.ds_ports.clone(),
        }
    }
}

/// The instance type the group's ASG launches: On-Demand takes the first listed type
/// (`prioritized`), Spot the cheapest (as `auto_scaling_group::launch` models
/// price-capacity-optimized).
pub fn launch_type(ng: &Nodegroup) -> Option<&'static crate::sim::catalog::InstanceType> {
    match ng.capacity_type {
        CapacityType::OnDemand => ng.instance_types.first().and_then(|t| instance_type(t)),
        CapacityType::Spot => ng
            .instance_types
            .iter()
            .filter_map(|t| instance_type(t))
            .min_by_key(|t| t.price_nusd_per_hour),
    }
}

/// Builds the template node of a group (upstream's AWS `buildNodeFromTemplate`: instance type,
/// the ASG's labels and taints, the zone of the group's first AZ), with the DaemonSet pods that
/// would land on it.
pub fn template(sim: &Simulation, ng: &Nodegroup) -> Option<Template> {
    let it = launch_type(ng)?;
    let policy = match ng.kind {
        NodegroupKind::Managed => MaxPodsPolicy::ManagedNodegroupCap,
        NodegroupKind::SelfManaged => MaxPodsPolicy::EniFormula,
    };
    let max_pods = ng.max_pods_override.unwrap_or_else(|| it.max_pods(policy));
    let zone = ng
        .zones
        .first()
        .or_else(|| sim.state.cluster.zones.first())
        .cloned()
        .unwrap_or_default();
    let name = format!("template-node-for-{}", ng.asg_name());
    let mut labels = ng.labels.clone();
    for (k, v) in [
        ("kubernetes.io/hostname", name.as_str()),
        ("kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", it.arch.as_str()),
        ("node.kubernetes.io/instance-type", it.name),
        ("topology.kubernetes.io/zone", zone.as_str()),
        (
            "topology.kubernetes.io/region",
            sim.state.cluster.region.as_str(),
        ),
    ] {
        labels.insert(k.to_string(), v.to_string());
    }
    let data_plane = match ng.kind {
        NodegroupKind::Managed => {
            labels.insert("eks.amazonaws.com/nodegroup".into(), ng.name.clone());
            labels.insert(
                "eks.amazonaws.com/capacityType".into(),
                ng.capacity_type.as_str().into(),
            );
            labels.insert(
                "eks.amazonaws.com/nodegroup-image".into(),
                ng.ami_name.clone(),
            );
            DataPlane::Managed {
                nodegroup: ng.name.clone(),
            }
        }
        NodegroupKind::SelfManaged => {
            labels.insert("alpha.eksctl.io/nodegroup-name".into(), ng.name.clone());
            DataPlane::SelfManaged {
                nodegroup: ng.name.clone(),
            }
        }
    };
    let node = Node {
        meta: ObjectMeta {
            name,
            labels,
            ..ObjectMeta::default()
        },
        spec: NodeSpec {
            taints: ng.taints.clone(),
            unschedulable: false,
            provider_id: String::new(),
        },
        status: NodeStatus {
            capacity: it.capacity(),
            allocatable: it.allocatable(max_pods),
            max_pods,
            ready: NodeCondition {
                ready: true,
                reason: "KubeletReady".into(),
                last_transition_time: SimTime::EPOCH,
            },
            kubelet_version: format!("v{}.0-eks", ng.version),
            internal_ip: String::new(),
        },
        data_plane,
        zone,
        instance_id: String::new(),
        instance_type: it.name.to_string(),
        images: BTreeSet::new(),
    };
    let mut t = Template {
        capacity: it.capacity(),
        node,
        ds_requests: Resources::ZERO,
        ds_pods: 0,
        ds_ports: BTreeSet::new(),
    };
    for ds in sim.state.daemonsets.values() {
        if crate::sim::api::workloads::daemonset_eligible(ds, &t.node) {
            t.ds_requests = t
                .ds_requests
                .saturating_add(ds.template.spec.effective_requests());
            t.ds_pods += 1;
            t.ds_ports.extend(ds.template.spec.host_ports());
        }
    }
    Some(t)
}

/// Adds a pod to a simulated node (upstream `ClusterSnapshot.AddPod`).
pub fn add_pod(info: &mut NodeInfo<'_>, pod: &Pod) {
    info.requested = info.requested.saturating_add(pod.requests());
    info.pods += 1;
    info.gpus += pod.spec.gpus();
    info.host_ports.extend(pod.spec.host_ports());
}

/// Do the scheduler's filter plugins accept the pod on this node?
pub fn fits(pod: &Pod, info: &NodeInfo<'_>) -> bool {
    scheduler::filter(pod, info) == Status::Success
}

/// The failing plugin's reasons (`PredicateError.Reasons()`), empty on success.
pub fn reasons(pod: &Pod, info: &NodeInfo<'_>) -> Vec<String> {
    match scheduler::filter(pod, info) {
        Status::Success => Vec::new(),
        Status::Unschedulable(r) | Status::UnschedulableAndUnresolvable(r) => r,
    }
}

/// Requests of a pod's containers only (the least-waste expander and the pod orderer sum
/// `spec.containers[].resources.requests`, without init containers).
pub fn container_requests(pod: &Pod) -> Resources {
    pod.spec
        .containers
        .iter()
        .fold(Resources::ZERO, |acc, c| acc.saturating_add(c.requests))
}

/// Requested over allocatable for CPU and memory, in thousandths (floor), as `utilization`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utilization {
    pub requested: Resources,
    pub allocatable: Resources,
}

impl Utilization {
    pub fn cpu_permille(self) -> u64 {
        ratio_permille(self.requested.cpu.0, self.allocatable.cpu.0)
    }

    pub fn memory_permille(self) -> u64 {
        ratio_permille(self.requested.memory.0, self.allocatable.memory.0)
    }

    /// Is the larger of the two ratios at or above the threshold (exactly, not rounded)?
    pub fn at_or_above(self, threshold_permille: u64) -> bool {
        let above = |req: u64, alloc: u64| {
            u128::from(req) * 1000 >= u128::from(threshold_permille) * u128::from(alloc)
        };
        above(self.requested.cpu.0, self.allocatable.cpu.0)
            || above(self.requested.memory.0, self.allocatable.memory.0)
    }

    /// `cpu 22%, memory 8%`.
    pub fn describe(self) -> String {
        format!(
            "cpu {}%, memory {}%",
            self.cpu_permille() / 10,
            self.memory_permille() / 10
        )
    }
}

fn ratio_permille(req: u64, alloc: u64) -> u64 {
    if alloc == 0 {
        return 1000;
    }
    (u128::from(req) * 1000 / u128::from(alloc)) as u64
}

/// Utilization of a node: every pod bound to it counts, DaemonSet pods included (upstream's
/// default, `--ignore-daemonsets-utilization=false`).
pub fn utilization(info: &NodeInfo<'_>) -> Utilization {
    Utilization {
        requested: info.requested,
        allocatable: info.node.status.allocatable,
    }
}

/// Why a pod keeps its node (upstream `drain.BlockingPodReason`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// `NotReplicated`: no controller would recreate it.
    NotReplicated,
    /// `UnmovableKubeSystemPod`: a kube-system pod outside a DaemonSet and without a PDB.
    UnmovableKubeSystemPod,
    /// `NotSafeToEvictAnnotation`.
    NotSafeToEvict,
    /// `LocalStorageRequested`: emptyDir (not in memory) or hostPath data would be lost.
    LocalStorageRequested(String),
    /// `NotEnoughPdb`: a PodDisruptionBudget allows no more disruptions.
    NotEnoughPdb(String),
    /// No other node can take the pod (resources, ports, selectors, taints).
    NoPlaceToMove,
}

impl Blocker {
    /// The learner-facing explanation, naming the pod.
    pub fn explain(&self, pod: &ObjectKey) -> String {
        match self {
            Blocker::NotReplicated => {
                format!("pod {pod} has no controller (it would not be recreated)")
            }
            Blocker::UnmovableKubeSystemPod => format!(
                "pod {pod} is a kube-system pod not run by a DaemonSet and without a PodDisruptionBudget"
            ),
            Blocker::NotSafeToEvict => {
                format!("pod {pod} is annotated {SAFE_TO_EVICT}: \"false\"")
            }
            Blocker::LocalStorageRequested(v) => format!(
                "pod {pod} has local storage (volume {v}) and no {SAFE_TO_EVICT_LOCAL_VOLUMES} annotation listing it"
            ),
            Blocker::NotEnoughPdb(pdb) => format!(
                "pod {pod} is protected by PodDisruptionBudget {}/{pdb}, which allows no more disruptions",
                pod.namespace
            ),
            Blocker::NoPlaceToMove => {
                format!("pod {pod} fits on no other node (resources, ports, selectors or taints)")
            }
        }
    }
}

/// The PodDisruptionBudgets a pod falls under.
pub fn matching_pdbs(sim: &Simulation, pod: &Pod) -> Vec<ObjectKey> {
    sim.state
        .pdbs
        .values()
        .filter(|p| {
            p.meta.namespace == pod.meta.namespace && p.spec.selector.matches(&pod.meta.labels)
        })
        .map(|p| p.meta.key())
        .collect()
}

pub fn is_daemonset_pod(pod: &Pod) -> bool {
    pod.meta
        .owner
        .as_ref()
        .is_some_and(|o| o.kind == Kind::DaemonSet)
}

/// The first local-storage volume a pod may not lose (upstream `HasBlockingLocalStorage`).
fn blocking_local_volume(pod: &Pod) -> Option<String> {
    let allowed: BTreeSet<&str> = crate::sim::sort::set(
        pod.meta
            .annotations
            .get(SAFE_TO_EVICT_LOCAL_VOLUMES)
            .into_iter()
            .flat_map(|v| v.split(',').map(str::trim)),
    );
    pod.spec
        .volumes
        .iter()
        .filter(|v| {
            matches!(
                v.source,
                VolumeSource::EmptyDir { memory: false } | VolumeSource::HostPath
            )
        })
        .find(|v| !allowed.contains(v.name.as_str()))
        .map(|v| v.name.clone())
}

/// The default drainability rules, in upstream order (`drainability/rules/rules.go`):
/// DaemonSet pods are skipped by the caller; `safe-to-evict: "true"` and finished pods may go;
/// then replicated, system, not-safe-to-evict, local storage and PDB checks block. `remaining`
/// holds the disruptions each PDB still allows in this simulation.
pub fn drainable(
    sim: &Simulation,
    pod: &Pod,
    remaining: &BTreeMap<ObjectKey, u64>,
) -> Result<(), Blocker> {
    let annotation = pod.meta.annotations.get(SAFE_TO_EVICT).map(String::as_str);
    if annotation == Some("true") || pod.status.phase.is_terminal() {
        return Ok(());
    }
    if pod.meta.owner.is_none() {
        return Err(Blocker::NotReplicated);
    }
    let pdbs = matching_pdbs(sim, pod);
    if pod.meta.namespace == "kube-system" && pdbs.is_empty() {
        return Err(Blocker::UnmovableKubeSystemPod);
    }
    if annotation == Some("false") {
        return Err(Blocker::NotSafeToEvict);
    }
    if let Some(v) = blocking_local_volume(pod) {
        return Err(Blocker::LocalStorageRequested(v));
    }
    if pod.status.phase == PodPhase::Running
        && let Some(p) = pdbs
            .iter()
            .find(|k| remaining.get(*k).copied().unwrap_or(0) < 1)
    {
        return Err(Blocker::NotEnoughPdb(p.name.clone()));
    }
    Ok(())
}

/// Disruptions each PDB allows now (`status.disruptionsAllowed`), the start of a simulation.
pub fn pdb_budgets(sim: &Simulation) -> BTreeMap<ObjectKey, u64> {
    sim.state
        .pdbs
        .iter()
        .map(|(k, p)| {
            (
                k.clone(),
                crate::sim::api::count(p.status.disruptions_allowed),
            )
        })
        .collect_map()
}
