//! Fargate: the mutating webhook that sends matching pods to `fargate-scheduler`, and the
//! scheduler that provisions one right-sized micro-VM node per pod (eks-facts §2).

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::api::node::{DataPlane, taints};
use crate::sim::api::{
    Node, NodeCondition, NodeSpec, NodeStatus, ObjectKey, ObjectMeta, Pod, Taint, TaintEffect,
    VolumeSource,
};
use crate::sim::catalog::fargate_size_for;
use crate::sim::event::{EventType, reason};
use crate::sim::{Simulation, Timer};

use crate::sim::api_server::pod_ref;

use crate::sim::eks::fargate_profile::{
    COMPUTE_TYPE, FARGATE_SCHEDULER, PROFILE_LABEL, active_profile_for,
};

/// Pods waiting for Fargate capacity.
#[derive(Debug, Clone, Default)]
pub struct FargateState {
    pub queue: BTreeSet<ObjectKey>,
    /// Pods whose capacity is being provisioned: their zone and address.
    pub provisioning: BTreeMap<ObjectKey, (String, String)>,
}

/// Why Fargate refuses a pod, in the wording `fargate-scheduler` uses.
pub fn unsupported_reason(pod: &Pod) -> Option<String> {
    let mut parts = Vec::new();
    if pod.spec.host_network {
        parts.push("fields not supported: HostNetwork".to_string());
    }
    if pod
        .spec
        .containers
        .iter()
        .chain(&pod.spec.init_containers)
        .any(|c| c.privileged)
    {
        parts.push("invalid SecurityContext fields: Privileged".to_string());
    }
    if pod.spec.host_ports().next().is_some() {
        parts.push("port contains HostIP or HostPort".to_string());
    }
    let bad_volumes: Vec<&str> = pod
        .spec
        .volumes
        .iter()
        .filter(|v| {
            matches!(
                v.source,
                VolumeSource::HostPath | VolumeSource::PersistentVolumeClaim { ebs: true, .. }
            )
        })
        .map(|v| v.name.as_str())
        .collect();
    for v in bad_volumes {
        parts.push(format!(
            "volumes not supported: {v} is of an unsupported volume Type"
        ));
    }
    if pod.spec.gpus() > 0 {
        parts.push("resources not supported: nvidia.com/gpu".to_string());
    }
    if parts.is_empty() {
        None
    } else {
        Some(format!(
            "Pod not supported on Fargate: {}",
            parts.join(", ")
        ))
    }
}

/// Checks and sizes queued pods and starts provisioning their capacity.
pub(crate) fn reconcile(sim: &mut Simulation) {
    let (_, added) = sim.watch.fargate.take();
    let queue = &mut sim.controllers.fargate.queue;
    queue.extend(added.into_iter().map(|(_, key)| key));
    if sim.controllers.fargate.queue.is_empty() {
        return;
    }
    let keys: Vec<ObjectKey> = std::mem::take(&mut sim.controllers.fargate.queue)
        .into_iter()
        .collect();
    for key in keys {
        let Some(pod) = sim.state.pods.get(&key) else {
            continue;
        };
        if pod.is_terminating() || pod.spec.node_name.is_some() {
            continue;
        }
        if let Some(msg) = unsupported_reason(pod) {
            sim.record(
                EventType::Warning,
                reason::FAILED_SCHEDULING,
                pod_ref(&key),
                msg,
                FARGATE_SCHEDULER,
            );
            continue;
        }
        let requests = pod.requests();
        let Some(size) = fargate_size_for(requests) else {
            let msg = format!(
                "Pod not supported on Fargate: requests of {} CPU and {} memory exceed the largest Fargate configuration (16 vCPU, 120 GB)",
                requests.cpu, requests.memory
            );
            sim.record(
                EventType::Warning,
                reason::FAILED_SCHEDULING,
                pod_ref(&key),
                msg,
                FARGATE_SCHEDULER,
            );
            continue;
        };
        // Each Fargate pod gets its own ENI in one of the profile's private subnets.
        let profile = pod
            .meta
            .labels
            .get(PROFILE_LABEL)
            .cloned()
            .unwrap_or_default();
        let subnet_ids: Vec<String> = sim
            .state
            .fargate_profiles
            .get(&profile)
            .map(|p| p.subnets.clone())
            .unwrap_or_default();
        let candidates: Vec<usize> = sim
            .state
            .subnets
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.private && s.free() > 0 && (subnet_ids.is_empty() || subnet_ids.contains(&s.id))
            })
            .map(|(i, _)| i)
            .collect();
        if candidates.is_empty() {
            let msg =
                "Pod provisioning failed: no free IP addresses in the Fargate profile's subnets"
                    .to_string();
            sim.record(
                EventType::Warning,
                reason::FAILED_SCHEDULING,
                pod_ref(&key),
                msg,
                FARGATE_SCHEDULER,
            );
            continue;
        }
        let si = candidates[sim.rng.fargate.index(candidates.len())];
        let hint = sim.rng.fargate.between(0, u64::from(u32::MAX)) as u32;
        let Some(ip) = sim.state.subnets[si].allocate(hint) else {
            continue;
        };
        let zone = sim.state.subnets[si].zone.clone();
        let uid = pod.meta.uid;
        if let Some(p) = sim.state.pods.get_mut(&key) {
            p.lab.fargate_size = Some(size);
            // The annotation that drives the bill (eks-facts §2).
            p.meta
                .annotations
                .insert("CapacityProvisioned".into(), size.to_string());
            // Without an aws-logging ConfigMap, Fargate says so on every pod.
            p.meta.annotations.insert(
                "Logging".into(),
                "LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND".into(),
            );
        }
        sim.state.touch();
        sim.controllers
            .fargate
            .provisioning
            .insert(key.clone(), (zone, ip));
        let d = sim
            .rng
            .fargate
            .delay(sim.spec.settings.delays.fargate_provision);
        sim.after(d, Timer::FargateCapacityReady { key, uid });
    }
}

/// Capacity is up: a Ready node `fargate-ip-….ec2.internal` exists for this one pod, and the
/// pod is bound to it.
pub(crate) fn capacity_ready(sim: &mut Simulation, key: &ObjectKey, uid: u64) {
    let now = sim.now();
    let Some((zone, ip)) = sim.controllers.fargate.provisioning.remove(key) else {
        return;
    };
    let Some(pod) = sim.state.pods.get(key) else {
        return;
    };
    if pod.meta.uid != uid || pod.is_terminating() {
        return;
    }
    let Some(size) = pod.lab.fargate_size else {
        return;
    };
    let profile = pod
        .meta
        .labels
        .get(PROFILE_LABEL)
        .cloned()
        .unwrap_or_default();
    let name = format!("fargate-{}", crate::sim::eks::ec2::node_name_for_ip(&ip));
    let mut labels = BTreeMap::new();
    labels.insert("kubernetes.io/hostname".to_string(), name.clone());
    labels.insert("kubernetes.io/os".to_string(), "linux".to_string());
    labels.insert("kubernetes.io/arch".to_string(), "amd64".to_string());
    labels.insert("topology.kubernetes.io/zone".to_string(), zone.clone());
    labels.insert(
        "topology.kubernetes.io/region".to_string(),
        sim.state.cluster.region.clone(),
    );
    labels.insert(COMPUTE_TYPE.to_string(), "fargate".to_string());
    labels.insert(PROFILE_LABEL.to_string(), profile.clone());
    let resources = size.resources();
    let node = Node {
        meta: ObjectMeta {
            name: name.clone(),
            labels,
            creation_timestamp: now,
            uid: sim.uid(),
            ..ObjectMeta::default()
        },
        spec: NodeSpec {
            taints: vec![Taint::new(
                taints::FARGATE_COMPUTE_TYPE,
                "fargate",
                TaintEffect::NoSchedule,
            )],
            unschedulable: false,
            provider_id: format!("aws:///{zone}/fargate-{ip}"),
        },
        status: NodeStatus {
            capacity: resources,
            allocatable: resources,
            max_pods: 1,
            ready: NodeCondition {
                ready: true,
                reason: "KubeletReady".into(),
                last_transition_time: now,
            },
            kubelet_version: format!("v{}.0-eks", sim.state.cluster.version),
            internal_ip: ip,
        },
        data_plane: DataPlane::Fargate { profile },
        zone,
        instance_id: String::new(),
        instance_type: size.to_string(),
        images: BTreeSet::new(),
    };
    let pod_ip = node.status.internal_ip.clone();
    sim.state.nodes.insert(name.clone(), node);
    if let Some(p) = sim.state.pods.get_mut(key) {
        // The pod's own ENI, known once its capacity exists.
        p.status.pod_ip = Some(pod_ip);
    }
    sim.state.touch();
    // What every Fargate pod reports when no aws-logging ConfigMap exists.
    let msg = "Disabled logging because aws-logging configmap was not found. configmap \"aws-logging\" not found".to_string();
    sim.record(
        EventType::Warning,
        reason::LOGGING_DISABLED,
        pod_ref(key),
        msg,
        FARGATE_SCHEDULER,
    );
    crate::sim::api_server::bind(sim, key, &name, FARGATE_SCHEDULER);
}

/// Forgets a deleted pod; releases its address if its capacity was still being provisioned.
pub(crate) fn forget(sim: &mut Simulation, key: &ObjectKey) {
    sim.controllers.fargate.queue.remove(key);
    if let Some((zone, ip)) = sim.controllers.fargate.provisioning.remove(key)
        && let Some(si) = sim.state.subnet_index(&zone)
    {
        sim.state.subnets[si].release(&ip);
    }
}

/// Does an ACTIVE profile select this namespace and these labels?
pub fn profile_for(
    sim: &Simulation,
    namespace: &str,
    labels: &BTreeMap<String, String>,
) -> Option<String> {
    active_profile_for(&sim.state.fargate_profiles, namespace, labels)
}
