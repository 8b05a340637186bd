//! The kubelet: node registration and readiness, and each pod's start (sandbox and IP, image
//! pull, container create and start), completion and termination.

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::api::node::DataPlane;
use crate::sim::api::pod::ContainerState;
use crate::sim::api::{
    Kind, Node, NodeCondition, NodeSpec, NodeStatus, ObjectKey, ObjectMeta, ObjectRef,
    PodConditionType, PodPhase,
};
use crate::sim::catalog::instance_type;
use crate::sim::catalog::instance_types::MaxPodsPolicy;
use crate::sim::clock::SimDuration;
use crate::sim::eks::ec2::node_name_for_ip;
use crate::sim::eks::{InstanceState, NodegroupKind};
use crate::sim::event::{EventType, reason};
use crate::sim::{Simulation, Timer};

use crate::sim::api_server::pod_ref;

/// Pods bound to a node whose start has not begun yet.
#[derive(Debug, Clone, Default)]
pub struct KubeletState {
    pub to_start: BTreeSet<ObjectKey>,
    /// Pods that already got a sandbox failure event (logged once).
    pub sandbox_failed: BTreeSet<ObjectKey>,
}

fn forget(sim: &mut Simulation, key: &ObjectKey) {
    sim.controllers.kubelet.to_start.remove(key);
    sim.controllers.kubelet.sandbox_failed.remove(key);
}

/// Starts pods bound to Ready nodes.
pub(crate) fn reconcile(sim: &mut Simulation) {
    let (deleted, added) = sim.watch.kubelet.take();
    for key in &deleted {
        forget(sim, key);
    }
    let to_start = &mut sim.controllers.kubelet.to_start;
    to_start.extend(added.into_iter().map(|(_, key)| key));
    if sim.controllers.kubelet.to_start.is_empty() {
        return;
    }
    let keys: Vec<ObjectKey> = sim.controllers.kubelet.to_start.iter().cloned().collect();
    for key in keys {
        let Some(pod) = sim.state.pods.get(&key) else {
            sim.controllers.kubelet.to_start.remove(&key);
            continue;
        };
        let Some(node_name) = pod.spec.node_name.clone() else {
            continue;
        };
        if pod.is_terminating() {
            sim.controllers.kubelet.to_start.remove(&key);
            continue;
        }
        let Some(node) = sim.state.nodes.get(&node_name) else {
            continue;
        };
        if !node.is_ready() {
            continue;
        }
        let fargate = node.data_plane.is_fargate();
        let host_ip = node.status.internal_ip.clone();
        // Sandbox: the pod's IP comes from the node's ENIs (VPC CNI); host-network pods use
        // the node's address; a Fargate pod already has its own ENI.
        let ip = if pod.spec.host_network {
            Some(host_ip.clone())
        } else if fargate {
            pod.status.pod_ip.clone()
        } else {
            crate::sim::vpc_cni::assign_pod_ip(sim, &node_name)
        };
        let Some(ip) = ip else {
            if sim.controllers.kubelet.sandbox_failed.insert(key.clone()) {
                let msg = "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type=\"aws-cni\" name=\"aws-cni\" failed (add): add cmd: failed to assign an IP address to container".to_string();
                sim.record(
                    EventType::Warning,
                    reason::FAILED_CREATE_POD_SANDBOX,
                    pod_ref(&key),
                    msg,
                    "kubelet",
                );
                if let Some(p) = sim.state.pods.get_mut(&key) {
                    p.status.container_state = ContainerState::Waiting {
                        reason: "ContainerCreating".into(),
                    };
                }
            }
            continue;
        };
        sim.controllers.kubelet.to_start.remove(&key);
        sim.controllers.kubelet.sandbox_failed.remove(&key);
        start_pod(sim, &key, &node_name, ip, host_ip);
    }
}

fn start_pod(sim: &mut Simulation, key: &ObjectKey, node_name: &str, ip: String, host_ip: String) {
    let now = sim.now();
    let Some(pod) = sim.state.pods.get_mut(key) else {
        return;
    };
    pod.status.pod_ip = Some(ip);
    pod.status.host_ip = Some(host_ip);
    pod.status.start_time = Some(now);
    pod.status.container_state = ContainerState::Waiting {
        reason: "ContainerCreating".into(),
    };
    pod.set_condition(PodConditionType::Initialized, true, "", "", now);
    let uid = pod.meta.uid;
    let image = pod
        .spec
        .containers
        .first()
        .map(|c| c.image.clone())
        .unwrap_or_default();
    let fargate = pod.spec.scheduler_name == crate::sim::eks::fargate_profile::FARGATE_SCHEDULER;
    if fargate {
        // Fargate billing runs from the start of the image download (eks-facts §1.2).
        pod.lab.billing_start = Some(now);
    }
    let kubelet_version = sim
        .state
        .nodes
        .get(node_name)
        .map(|n| n.status.kubelet_version.clone())
        .unwrap_or_default();
    if let Some(p) = sim.state.pods.get_mut(key) {
        p.lab.kubelet_version = kubelet_version;
    }
    sim.state.touch();
    let cached = sim
        .state
        .nodes
        .get(node_name)
        .is_some_and(|n| n.images.contains(&image));
    if cached {
        sim.record(
            EventType::Normal,
            reason::PULLED,
            pod_ref(key),
            format!("Container image \"{image}\" already present on machine"),
            "kubelet",
        );
        let d = sim
            .rng
            .kubelet
            .delay(sim.spec.settings.delays.container_start);
        sim.after(
            d,
            Timer::PodContainerStarted {
                key: key.clone(),
                uid,
            },
        );
    } else {
        sim.record(
            EventType::Normal,
            reason::PULLING,
            pod_ref(key),
            format!("Pulling image \"{image}\""),
            "kubelet",
        );
        let d = sim.rng.kubelet.delay(sim.spec.settings.delays.image_pull);
        sim.after(
            d,
            Timer::PodImagePulled {
                key: key.clone(),
                uid,
            },
        );
        if let Some(p) = sim.state.pods.get_mut(key) {
            p.lab.pull_ms = d.as_millis();
        }
    }
}

/// `Successfully pulled image "nginx:1.27" in 3.274s (3.274s including waiting)`.
pub(crate) fn image_pulled(sim: &mut Simulation, key: &ObjectKey, uid: u64) {
    let Some(pod) = sim.state.pods.get_mut(key) else {
        return;
    };
    if pod.meta.uid != uid || pod.is_terminating() {
        return;
    }
    let ms = pod.lab.pull_ms;
    let image = pod
        .spec
        .containers
        .first()
        .map(|c| c.image.clone())
        .unwrap_or_default();
    let node = pod.spec.node_name.clone().unwrap_or_default();
    if let Some(n) = sim.state.nodes.get_mut(&node) {
        n.images.insert(image.clone());
    }
    let secs = format!("{}.{:03}s", ms / 1000, ms % 1000);
    sim.record(
        EventType::Normal,
        reason::PULLED,
        pod_ref(key),
        format!("Successfully pulled image \"{image}\" in {secs} ({secs} including waiting)"),
        "kubelet",
    );
    let d = sim
        .rng
        .kubelet
        .delay(sim.spec.settings.delays.container_start);
    sim.after(
        d,
        Timer::PodContainerStarted {
            key: key.clone(),
            uid,
        },
    );
}

/// Containers created and started: the pod is Running and Ready.
pub(crate) fn container_started(sim: &mut Simulation, key: &ObjectKey, uid: u64) {
    let now = sim.now();
    let Some(pod) = sim.state.pods.get_mut(key) else {
        return;
    };
    if pod.meta.uid != uid || pod.is_terminating() {
        return;
    }
    pod.status.phase = PodPhase::Running;
    pod.status.container_state = ContainerState::Running { started_at: now };
    pod.set_condition(PodConditionType::ContainersReady, true, "", "", now);
    pod.set_condition(PodConditionType::Ready, true, "", "", now);
    let names: Vec<String> = pod.spec.containers.iter().map(|c| c.name.clone()).collect();
    let run_for = pod.lab.run_for_ms;
    sim.state.touch();
    for c in &names {
        sim.record(
            EventType::Normal,
            reason::CREATED,
            pod_ref(key),
            format!("Created container: {c}"),
            "kubelet",
        );
        sim.record(
            EventType::Normal,
            reason::STARTED,
            pod_ref(key),
            format!("Started container {c}"),
            "kubelet",
        );
    }
    if let Some(ms) = run_for {
        sim.after(
            SimDuration(ms),
            Timer::PodContainerExited {
                key: key.clone(),
                uid,
            },
        );
    }
}

/// A run-to-completion container exited 0: the pod Succeeded (it keeps its Fargate node,
/// and its bill, until it is deleted: eks-facts §2).
pub(crate) fn container_exited(sim: &mut Simulation, key: &ObjectKey, uid: u64) {
    let now = sim.now();
    let Some(pod) = sim.state.pods.get_mut(key) else {
        return;
    };
    if pod.meta.uid != uid || pod.is_terminating() {
        return;
    }
    pod.status.phase = PodPhase::Succeeded;
    pod.status.container_state = ContainerState::Terminated {
        reason: "Completed".into(),
        exit_code: 0,
    };
    pod.set_condition(PodConditionType::Ready, false, "PodCompleted", "", now);
    pod.set_condition(
        PodConditionType::ContainersReady,
        false,
        "PodCompleted",
        "",
        now,
    );
    let ip = pod.status.pod_ip.clone();
    let node = pod.spec.node_name.clone();
    let host_network = pod.spec.host_network;
    let fargate = pod.spec.scheduler_name == crate::sim::eks::fargate_profile::FARGATE_SCHEDULER;
    sim.state.touch();
    sim.watch.capacity_revision += 1;
    sim.watch.scheduler_cache.insert(key.clone());
    if let (Some(ip), Some(node), false, false) = (ip, node, host_network, fargate) {
        crate::sim::vpc_cni::release_pod_ip(sim, &node, &ip);
    }
}

// ---- nodes ----

/// The kubelet on a new EC2 instance registers its Node (NotReady until the CNI is up).
pub(crate) fn register_node(sim: &mut Simulation, instance_id: &str) {
    let now = sim.now();
    let Some(inst) = sim.state.instances.get(instance_id) else {
        return;
    };
    if inst.state != InstanceState::Running {
        return;
    }
    let Some(ng) = sim.state.nodegroups.get(&inst.nodegroup) else {
        return;
    };
    let Some(it) = instance_type(&inst.instance_type) else {
        return;
    };
    let policy = match ng.kind {
        NodegroupKind::Managed => MaxPodsPolicy::ManagedNodegroupCap,
        NodegroupKind::SelfManaged => MaxPodsPolicy::EniFormula,
    };
    let max_pods = ng.max_pods_override.unwrap_or_else(|| it.max_pods(policy));
    let name = node_name_for_ip(&inst.private_ip);
    let mut labels: BTreeMap<String, String> = ng.labels.clone();
    labels.insert("kubernetes.io/hostname".into(), name.clone());
    labels.insert("kubernetes.io/os".into(), "linux".into());
    labels.insert("kubernetes.io/arch".into(), it.arch.as_str().into());
    labels.insert("node.kubernetes.io/instance-type".into(), it.name.into());
    labels.insert("topology.kubernetes.io/zone".into(), inst.zone.clone());
    labels.insert(
        "topology.kubernetes.io/region".into(),
        sim.state.cluster.region.clone(),
    );
    let data_plane = match ng.kind {
        NodegroupKind::Managed => {
            // The labels EKS puts on managed nodes (eks-facts §4, §9).
            labels.insert("eks.amazonaws.com/nodegroup".into(), ng.name.clone());
            labels.insert(
                "eks.amazonaws.com/capacityType".into(),
                ng.capacity_type.as_str().into(),
            );
            labels.insert(
                "eks.amazonaws.com/nodegroup-image".into(),
                inst.ami_name.clone(),
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
    // The launch template version the instance came from decides its AMI and kubelet.
    let kubelet_version = format!("v{}.0-eks", inst.kubernetes_version);
    let node = Node {
        meta: ObjectMeta {
            name: name.clone(),
            labels,
            creation_timestamp: now,
            uid: 0,
            ..ObjectMeta::default()
        },
        spec: NodeSpec {
            taints: ng.taints.clone(),
            unschedulable: false,
            provider_id: format!("aws:///{}/{}", inst.zone, inst.id),
        },
        status: NodeStatus {
            capacity: it.capacity(),
            allocatable: it.allocatable(max_pods),
            max_pods,
            ready: NodeCondition {
                ready: false,
                reason: "KubeletNotReady".into(),
                last_transition_time: now,
            },
            kubelet_version,
            internal_ip: inst.private_ip.clone(),
        },
        data_plane,
        zone: inst.zone.clone(),
        instance_id: inst.id.clone(),
        instance_type: it.name.to_string(),
        images: crate::sim::eks::precached_images(sim.state.cluster.version),
    };
    let uid = sim.uid();
    let mut node = node;
    node.meta.uid = uid;
    if let Some(i) = sim.state.instances.get_mut(instance_id) {
        i.node_name.clone_from(&name);
    }
    sim.state.nodes.insert(name.clone(), node);
    sim.state.touch();
    let obj = ObjectRef::cluster_scoped(Kind::Node, name.clone());
    sim.record(
        EventType::Normal,
        reason::STARTING,
        obj.clone(),
        "Starting kubelet.".into(),
        "kubelet",
    );
    sim.record(
        EventType::Normal,
        reason::REGISTERED_NODE,
        obj,
        format!("Node {name} event: Registered Node {name} in Controller"),
        "node-controller",
    );
    let d = sim.rng.kubelet.delay(sim.spec.settings.delays.node_ready);
    sim.after(d, Timer::NodeReady(name));
}

/// The CNI is up: the node turns Ready.
pub(crate) fn node_ready(sim: &mut Simulation, name: &str) {
    let now = sim.now();
    let Some(node) = sim.state.nodes.get_mut(name) else {
        return;
    };
    if node.is_ready() {
        return;
    }
    if !node.instance_id.is_empty()
        && sim
            .state
            .instances
            .get(&node.instance_id)
            .is_none_or(|i| i.state != InstanceState::Running)
    {
        return;
    }
    node.status.ready = NodeCondition {
        ready: true,
        reason: "KubeletReady".into(),
        last_transition_time: now,
    };
    sim.state.touch();
    sim.watch.capacity_revision += 1;
    let obj = ObjectRef::cluster_scoped(Kind::Node, name.to_string());
    sim.record(
        EventType::Normal,
        reason::NODE_READY,
        obj,
        format!("Node {name} status is now: NodeReady"),
        "kubelet",
    );
}

/// The kubelet stopped (instance shutting down): the node controller marks it NotReady and the
/// pods on it not ready.
pub(crate) fn node_not_ready(sim: &mut Simulation, name: &str) {
    let now = sim.now();
    let Some(node) = sim.state.nodes.get_mut(name) else {
        return;
    };
    if !node.is_ready() {
        return;
    }
    node.status.ready = NodeCondition {
        ready: false,
        reason: "NodeStatusUnknown".into(),
        last_transition_time: now,
    };
    let pods: Vec<ObjectKey> = sim.state.pods_on_node(name).map(|p| p.meta.key()).collect();
    for k in pods {
        if let Some(p) = sim.state.pods.get_mut(&k) {
            p.set_condition(PodConditionType::Ready, false, "NodeNotReady", "", now);
        }
    }
    sim.state.touch();
    let obj = ObjectRef::cluster_scoped(Kind::Node, name.to_string());
    sim.record(
        EventType::Normal,
        reason::NODE_NOT_READY,
        obj,
        format!("Node {name} status is now: NodeNotReady"),
        "node-controller",
    );
}
